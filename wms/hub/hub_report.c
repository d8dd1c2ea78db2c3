/*
 * hub_report.c - what the hub makes of the shipped events (see hub.h): how
 * far behind each depot is, the conflicts for a person, and the projections
 * (orders, lead-time histograms) kept with the core's own lead-time code:
 * working days are never computed in SQL.
 */
#include "hub.h"
#include "hub_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROJECT_BATCH "2000"     /* events read per depot and pass */
#define LIST_MAX "1000"          /* rows of a list in the report */

static json_int_t num(PGresult *r, int row, int col)
{
	return (json_int_t)strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static const char *text_or_null(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* ---- the projections ------------------------------------------------------ */

/* One event of an order: created, delivered (its lead time) or cancelled. */
static int project_event(struct pg_conn *c, const struct wms_leadtime_opts *o, const char *depot,
                         PGresult *ev, int i, struct wms_error *err)
{
	static const char create[] =
		"INSERT INTO hub_orders(depot, number, order_depot, customer, product, mode, requested_date,"
		" registered_ts, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open') ON CONFLICT DO NOTHING";
	static const char order[] =
		"SELECT registered_ts, requested_date, coalesce(order_depot, depot) FROM hub_orders"
		" WHERE depot = $1 AND number = $2";
	static const char deliver[] =
		"UPDATE hub_orders SET status = 'delivered', delivered_ts = $3, lead_days = $4, lead_set = $5"
		" WHERE depot = $1 AND number = $2";
	static const char count[] =
		"INSERT INTO hub_lt_hist(depot, month, custset, days, n) VALUES ($1, $2, $3, $4, 1)"
		" ON CONFLICT (depot, month, custset, days) DO UPDATE SET n = hub_lt_hist.n + 1";
	static const char cancel[] =
		"UPDATE hub_orders SET status = 'cancelled' WHERE depot = $1 AND number = $2 AND status = 'open'";
	const char *type = PQgetvalue(ev, i, 1), *number = PQgetvalue(ev, i, 3);
	PGresult *r;

	if (strcmp(type, "order_create") == 0) {
		const char *p[8] = { depot, number, text_or_null(ev, i, 4), text_or_null(ev, i, 5),
		                     text_or_null(ev, i, 6), text_or_null(ev, i, 7), text_or_null(ev, i, 8),
		                     PQgetvalue(ev, i, 2) };
		r = hub_ask(c, create, 8, p);
	} else if (strcmp(type, "deliver") == 0) {
		const char *q[2] = { depot, number };
		char days[16], month[16];
		wms_time reg, del = strtoll(PQgetvalue(ev, i, 2), NULL, 10);
		bool custset;
		int d, y, m, dd;

		r = hub_ask(c, order, 2, q);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			return hub_pg_error(c, r, "reading an order", err);
		if (PQntuples(r) == 0) {              /* created before this epoch's first event? */
			PQclear(r);
			return 0;
		}
		reg = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		/* the core's rules, the depot's calendar and cut-off: the figure the depot stores */
		d = wms_leadtime_order(o, PQgetvalue(r, 0, 2), reg, del, text_or_null(r, 0, 1), &custset);
		PQclear(r);
		wms_date_to_ymd(wms_local_day(del, NULL), &y, &m, &dd);
		snprintf(days, sizeof days, "%d", d);
		snprintf(month, sizeof month, "%d", y * 12 + m - 1);
		{
			const char *u[5] = { depot, number, PQgetvalue(ev, i, 2), days, custset ? "t" : "f" };
			const char *h[4] = { depot, month, custset ? "t" : "f", days };
			r = hub_ask(c, deliver, 5, u);
			if (PQresultStatus(r) != PGRES_COMMAND_OK)
				return hub_pg_error(c, r, "storing a delivery", err);
			PQclear(r);
			r = hub_ask(c, count, 4, h);
		}
	} else if (strcmp(type, "order_cancel") == 0) {
		const char *q[2] = { depot, number };
		r = hub_ask(c, cancel, 2, q);
	} else
		return 0;
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return hub_pg_error(c, r, "projecting an order", err);
	PQclear(r);
	return 0;
}

/*
 * The devices the events (after, upto] of one depot's epoch touched, in one
 * statement: per serial its last event gives the state (a void: the state it
 * restored; a voided receipt: the device is gone), the last place named and
 * product named win, a transfer_out says between which depots it travels.
 */
static int project_devices(struct pg_conn *c, const char *const p[4], struct wms_error *err)
{
	static const char sql[] =
		"WITH e AS (SELECT seq, type, coalesce(serial, body->'payload'->>'serial') AS serial, location,"
		"   event_depot, CASE WHEN type = 'void' THEN body->'payload'->>'state' ELSE body->>'to' END AS state,"
		"   body->'payload' AS p FROM hub_events WHERE depot = $1 AND epoch = $2 AND seq > $3 AND seq <= $4"
		"   AND coalesce(serial, body->'payload'->>'serial') IS NOT NULL),"
		" last AS (SELECT DISTINCT ON (serial) * FROM e ORDER BY serial, seq DESC),"
		" place AS (SELECT DISTINCT ON (serial) serial, location, event_depot FROM e WHERE location IS NOT NULL"
		"   ORDER BY serial, seq DESC),"
		" prod AS (SELECT DISTINCT ON (serial) serial, p->>'product' AS product FROM e"
		"   WHERE p->>'product' IS NOT NULL ORDER BY serial, seq DESC),"
		" gone AS (DELETE FROM hub_devices d USING last l WHERE d.depot = $1 AND d.serial = l.serial"
		"   AND l.type = 'void' AND l.state IS NULL RETURNING 1)"
		" INSERT INTO hub_devices(depot, serial, product, state, location, loc_depot, from_depot, to_depot, seq)"
		" SELECT $1, l.serial, pr.product, l.state, pl.location, pl.event_depot,"
		"   CASE WHEN l.type = 'transfer_out' THEN l.p->>'from_depot' END,"
		"   CASE WHEN l.type = 'transfer_out' THEN l.p->>'to_depot' END, l.seq"
		" FROM last l LEFT JOIN place pl USING (serial) LEFT JOIN prod pr USING (serial)"
		" WHERE NOT (l.type = 'void' AND l.state IS NULL)"
		" ON CONFLICT (depot, serial) DO UPDATE SET product = coalesce(excluded.product, hub_devices.product),"
		"  state = coalesce(excluded.state, hub_devices.state),"
		"  location = coalesce(excluded.location, hub_devices.location),"
		"  loc_depot = coalesce(excluded.loc_depot, hub_devices.loc_depot),"
		"  from_depot = CASE WHEN excluded.state IS NULL THEN hub_devices.from_depot ELSE excluded.from_depot END,"
		"  to_depot = CASE WHEN excluded.state IS NULL THEN hub_devices.to_depot ELSE excluded.to_depot END,"
		"  seq = excluded.seq";
	PGresult *r = hub_ask(c, sql, 4, p);

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return hub_pg_error(c, r, "projecting devices", err);
	PQclear(r);
	return 0;
}

/* One depot's current epoch, at most PROJECT_BATCH events, one transaction. */
static int project_depot(struct pg_conn *c, const struct wms_leadtime_opts *o, const char *depot,
                         const char *epoch, long *n, struct wms_error *err)
{
	static const char where[] = "SELECT epoch, seq FROM hub_proj WHERE depot = $1 FOR UPDATE";
	static const char events[] =
		"SELECT seq, type, ts, order_number, event_depot, body->'payload'->>'customer',"
		" body->'payload'->>'product', body->'payload'->>'mode', body->'payload'->>'requested_date'"
		" FROM hub_events WHERE depot = $1 AND epoch = $2 AND seq > $3 ORDER BY seq LIMIT " PROJECT_BATCH;
	static const char move[] =
		"INSERT INTO hub_proj(depot, epoch, seq) VALUES ($1, $2, $3)"
		" ON CONFLICT (depot) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq";
	const char *p[3] = { depot, epoch, "0" };
	char seq[24] = "0", from[24];
	PGresult *r, *ev = NULL;
	int rc;

	*n = 0;
	if ((rc = hub_exec(c, "BEGIN", "starting a projection", err)) < 0)
		return rc;
	r = hub_ask(c, where, 1, p);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = hub_pg_error(c, r, "reading the projection's cursor", err);
		goto out;
	}
	if (PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), epoch) == 0)
		snprintf(seq, sizeof seq, "%s", PQgetvalue(r, 0, 1));
	else {
		/* a new epoch holds the depot's whole ledger again: project it afresh */
		PQclear(r);
		r = hub_ask(c, "DELETE FROM hub_orders WHERE depot = $1", 1, p);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			rc = hub_pg_error(c, r, "starting a depot's projection again", err);
			goto out;
		}
		PQclear(r);
		r = hub_ask(c, "DELETE FROM hub_lt_hist WHERE depot = $1", 1, p);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			rc = hub_pg_error(c, r, "starting a depot's projection again", err);
			goto out;
		}
		PQclear(r);
		r = hub_ask(c, "DELETE FROM hub_devices WHERE depot = $1", 1, p);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			rc = hub_pg_error(c, r, "starting a depot's projection again", err);
			goto out;
		}
	}
	PQclear(r);
	p[2] = seq;
	snprintf(from, sizeof from, "%s", seq);
	ev = hub_ask(c, events, 3, p);
	if (PQresultStatus(ev) != PGRES_TUPLES_OK) {
		rc = hub_pg_error(c, ev, "reading events to project", err);
		ev = NULL;
		goto out;
	}
	for (int i = 0; i < PQntuples(ev); i++) {
		if (!PQgetisnull(ev, i, 3) && (rc = project_event(c, o, depot, ev, i, err)) < 0)
			goto out;
		snprintf(seq, sizeof seq, "%s", PQgetvalue(ev, i, 0));
	}
	*n = PQntuples(ev);
	if (*n > 0) {
		const char *q[4] = { depot, epoch, from, seq };
		if ((rc = project_devices(c, q, err)) < 0)
			goto out;
	}
	r = hub_ask(c, move, 3, p);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = hub_pg_error(c, r, "moving the projection's cursor", err);
		goto out;
	}
	PQclear(r);
	PQclear(ev);
	return hub_exec(c, "COMMIT", "committing a projection", err);
out:
	PQclear(ev);
	hub_exec(c, "ROLLBACK", "ending a projection", NULL);
	return rc;
}

int hub_project(struct pg_conn *c, const struct wms_leadtime_opts *o, long *projected, struct wms_error *err)
{
	/* each depot's current epoch: the one that started last */
	static const char sql[] =
		"SELECT DISTINCT ON (depot) depot, epoch FROM hub_cursors ORDER BY depot, started_at DESC";
	PGresult *r = hub_ask(c, sql, 0, NULL);
	int rc = 0;
	long n;

	*projected = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		return hub_pg_error(c, r, "reading the depots' epochs", err);
	for (int i = 0; rc == 0 && i < PQntuples(r); i++)
		do {
			rc = project_depot(c, o, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), &n, err);
			*projected += rc == 0 ? n : 0;
		} while (rc == 0 && n > 0);
	PQclear(r);
	return rc;
}

/* ---- the report ------------------------------------------------------------ */

/* The rows of a query, each made into JSON by row(); NULL with err on failure. */
static json_t *rows(struct pg_conn *c, const char *sql, const char *what, json_t *(*row)(PGresult *, int),
                    struct wms_error *err)
{
	PGresult *r = hub_ask(c, sql, 0, NULL);
	json_t *out;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		hub_pg_error(c, r, what, err);
		return NULL;
	}
	out = json_array();
	for (int i = 0; out && i < PQntuples(r); i++)
		json_array_append_new(out, row(r, i));
	PQclear(r);
	if (out == NULL)
		wms_error_set(err, WMS_ENOMEM, "out of memory");
	return out;
}

static json_t *conflict_row(PGresult *r, int i)
{
	json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:I}", "id", num(r, i, 0),
	                        "kind", PQgetvalue(r, i, 1), "depot", PQgetvalue(r, i, 2),
	                        "epoch", PQgetvalue(r, i, 3), "seq", num(r, i, 4),
	                        "detail", PQgetvalue(r, i, 6), "found_at", num(r, i, 7));

	if (row && !PQgetisnull(r, i, 5))
		json_object_set_new(row, "serial", json_string(PQgetvalue(r, i, 5)));
	return row;
}

static json_t *order_row(PGresult *r, int i)
{
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:b}", "depot", PQgetvalue(r, i, 0),
	                 "number", PQgetvalue(r, i, 1), "registered", num(r, i, 2),
	                 "delivered", num(r, i, 3), "lead_days", num(r, i, 4),
	                 "customer_set", strcmp(PQgetvalue(r, i, 5), "t") == 0);
}

static json_t *status_row(PGresult *r, int i)
{
	return json_pack("{s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
	                 "depot", PQgetvalue(r, i, 0), "epoch", PQgetvalue(r, i, 1),
	                 "current", strcmp(PQgetvalue(r, i, 8), "t") == 0,
	                 "seq", num(r, i, 2), "head", num(r, i, 3), "backlog", num(r, i, 3) - num(r, i, 2),
	                 "last_event", num(r, i, 4), "shipped_at", num(r, i, 5), "contact_at", num(r, i, 6),
	                 "age_s", num(r, i, 7));
}

json_t *hub_status(struct pg_conn *c, struct wms_error *err)
{
	return rows(c, "SELECT k.depot, k.epoch, k.seq, k.head, coalesce(e.ts, 0),"
	            " extract(epoch FROM k.moved_at)::bigint, extract(epoch FROM k.updated_at)::bigint,"
	            " extract(epoch FROM now() - k.updated_at)::bigint,"
	            " k.started_at = max(k.started_at) OVER (PARTITION BY k.depot)"
	            " FROM hub_cursors k LEFT JOIN hub_events e"
	            "   ON e.depot = k.depot AND e.epoch = k.epoch AND e.seq = k.seq"
	            " ORDER BY k.depot, k.started_at", "reading the cursors", status_row, err);
}

static json_t *pull_row(PGresult *r, int i)
{
	return json_pack("{s:s, s:I, s:I, s:I}", "depot", PQgetvalue(r, i, 0), "seq", num(r, i, 1),
	                 "head", num(r, i, 2), "pulled_at", num(r, i, 3));
}

/* How far each depot has pulled the hub's catalogue. */
static json_t *pulls(struct pg_conn *c, struct wms_error *err)
{
	return rows(c, "SELECT depot, seq, (SELECT coalesce(max(seq), 0) FROM hub_catalog),"
	            " extract(epoch FROM pulled_at)::bigint FROM hub_catalog_pulls ORDER BY depot",
	            "reading the catalogue cursors", pull_row, err);
}

static json_t *stock_row(PGresult *r, int i)
{
	return json_pack("{s:s, s:s, s:s, s:I}", "depot", PQgetvalue(r, i, 0), "product", PQgetvalue(r, i, 1),
	                 "state", PQgetvalue(r, i, 2), "count", num(r, i, 3));
}

/* Devices at each depot by product and state; those in transfer apart. */
static json_t *stock(struct pg_conn *c, struct wms_error *err)
{
	return rows(c, "SELECT loc_depot, coalesce(product, ''), state, count(*) FROM hub_devices"
	            " WHERE loc_depot IS NOT NULL AND state IS NOT NULL AND state <> 'in_transfer'"
	            " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", "reading the devices", stock_row, err);
}

static json_t *transit_row(PGresult *r, int i)
{
	return json_pack("{s:s, s:s, s:s, s:I}", "from", PQgetvalue(r, i, 0), "depot", PQgetvalue(r, i, 1),
	                 "product", PQgetvalue(r, i, 2), "count", num(r, i, 3));
}

/* Devices on their way between depots: from, to (depot) and product. */
static json_t *in_transit(struct pg_conn *c, struct wms_error *err)
{
	return rows(c, "SELECT coalesce(from_depot, ''), coalesce(to_depot, ''), coalesce(product, ''), count(*)"
	            " FROM hub_devices WHERE state = 'in_transfer' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
	            "reading the devices in transfer", transit_row, err);
}

static json_t *conflicts(struct pg_conn *c, struct wms_error *err)
{
	return rows(c, "SELECT id, kind, depot, epoch, seq, serial, detail, extract(epoch FROM found_at)::bigint"
	            " FROM hub_conflicts WHERE resolved_at IS NULL ORDER BY id LIMIT " LIST_MAX,
	            "reading the conflicts", conflict_row, err);
}

static json_t *orders(struct pg_conn *c, struct wms_error *err)
{
	return rows(c, "SELECT depot, number, registered_ts, delivered_ts, lead_days, lead_set FROM hub_orders"
	            " WHERE status = 'delivered' ORDER BY delivered_ts DESC, depot, number LIMIT " LIST_MAX,
	            "reading the orders", order_row, err);
}

/* The histograms summed per depot, and the region as the sum of the depots. */
static json_t *leadtime(struct pg_conn *c, int target, struct wms_error *err)
{
	static const char sql[] =
		"SELECT depot, days, sum(n) FROM hub_lt_hist WHERE NOT custset GROUP BY depot, days ORDER BY depot, days";
	PGresult *r = hub_ask(c, sql, 0, NULL);
	struct wms_lt_stats region = { 0 }, depot = { 0 };
	json_t *by = json_array(), *out;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		json_decref(by);
		hub_pg_error(c, r, "reading the lead-time histograms", err);
		return NULL;
	}
	for (int i = 0; by && i < PQntuples(r); i++) {
		for (json_int_t k = num(r, i, 2); k > 0; k--) {
			wms_lt_stats_add(&region, atoi(PQgetvalue(r, i, 1)));
			wms_lt_stats_add(&depot, atoi(PQgetvalue(r, i, 1)));
		}
		if (i + 1 == PQntuples(r) || strcmp(PQgetvalue(r, i, 0), PQgetvalue(r, i + 1, 0)) != 0) {
			json_t *row = wms_lt_stats_json(&depot, target);
			if (row)
				json_object_set_new(row, "key", json_string(PQgetvalue(r, i, 0)));
			json_array_append_new(by, row);
			memset(&depot, 0, sizeof depot);
		}
	}
	PQclear(r);
	out = json_pack("{s:i, s:o, s:o}", "target_days", target, "overall", wms_lt_stats_json(&region, target),
	                "by_depot", by);
	if (out == NULL)
		wms_error_set(err, WMS_ENOMEM, "out of memory");
	return out;
}

json_t *hub_report(struct pg_conn *c, int target_days, struct wms_error *err)
{
	json_t *st = hub_status(c, err), *cf = st ? conflicts(c, err) : NULL;
	json_t *od = cf ? orders(c, err) : NULL, *lt = od ? leadtime(c, target_days, err) : NULL;
	json_t *ca = lt ? pulls(c, err) : NULL, *sk = ca ? stock(c, err) : NULL, *tr = sk ? in_transit(c, err) : NULL;

	if (tr == NULL) {
		json_decref(st);
		json_decref(cf);
		json_decref(od);
		json_decref(lt);
		json_decref(ca);
		json_decref(sk);
		return NULL;
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "depots", st, "conflicts", cf, "orders", od,
	                 "leadtime", lt, "catalog", ca, "stock", sk, "in_transit", tr);
}
