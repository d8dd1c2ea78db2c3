/*
 * consignment.c - creating, booking and showing consignments (see
 * courier_consignment.h).
 */
#include "courier_consignment.h"

#include "courier_tx.h"
#include "store_sql.h"
#include "wms_leadtime.h"
#include "wms_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct order_info {
	long long id, device_id;
	char status[16], mode[16];
	char pp_carrier[32], pp_id[24], pp_code[40];
};

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static int load_order(struct wms_store *s, const char *number, struct order_info *o,
                      struct wms_error *err)
{
	static const char sql[] =
		"SELECT o.id, o.status, o.device_id, o.mode, pp.carrier, pp.ext_id, l.code"
		" FROM orders o LEFT JOIN pickup_points pp ON pp.location_id = o.pickup_point_id"
		" LEFT JOIN locations l ON l.id = o.pickup_point_id WHERE o.number = ?1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, number, 0, &st, "looking up the order", err);

	if (rc <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND, "unknown order \"%.40s\"", number);
	o->id = sqlite3_column_int64(st, 0);
	snprintf(o->status, sizeof o->status, "%s", col(st, 1));
	o->device_id = sqlite3_column_int64(st, 2);
	snprintf(o->mode, sizeof o->mode, "%s", col(st, 3));
	snprintf(o->pp_carrier, sizeof o->pp_carrier, "%s", col(st, 4));
	snprintf(o->pp_id, sizeof o->pp_id, "%s", col(st, 5));
	snprintf(o->pp_code, sizeof o->pp_code, "%s", col(st, 6));
	sqlite3_reset(st);
	return 0;
}

/* Append one event of the consignment (not a tracking event: those are in tracking.c). */
static int add_event(struct wms_store *s, long long id, wms_time ts, const char *event,
                     const char *source, const char *actor, const char *detail, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO consignment_events(consignment_id, ts, event, source, actor, recorded_ts, detail)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, ts);
	sqlite3_bind_text(st, 3, event, -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 4, source);
	wms_bind_text_or_null(st, 5, actor);
	sqlite3_bind_int64(st, 6, wms_now());
	wms_bind_text_or_null(st, 7, detail);
	return wms_store_step_done(s, st, "recording a consignment event", err);
}

static int tracking_taken(struct wms_store *s, const char *carrier, const char *tracking,
                          struct wms_error *err)
{
	static const char sql[] = "SELECT sscc FROM consignments WHERE carrier = ?1 AND tracking = ?2";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, carrier, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tracking, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		wms_error_set(err, WMS_EEXIST, "tracking number %s of %s is already used by consignment %s",
		              tracking, carrier, col(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return WMS_EEXIST;
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "looking up a tracking number");
}

static int book_at(struct wms_store *s, const struct courier_config *cc, const char *ref,
                   const char *tracking, wms_time at, struct courier_consignment_result *res,
                   struct wms_error *err);

/* Number and insert the consignment inside tx; checks the order first. */
static int insert_consignment(struct wms_store *s, const struct courier_config *cc,
                              const struct courier_carrier_conf *carrier,
                              const struct courier_consignment_req *req, wms_time at,
                              struct courier_consignment_result *res, struct wms_error *err)
{
	static const char existing[] =
		"SELECT sscc FROM consignments WHERE order_id = ?1 AND state <> 'cancelled'";
	static const char insert[] =
		"INSERT INTO consignments(sscc, order_id, carrier, service, state, created_ts, updated_ts)"
		" VALUES (?1, ?2, ?3, ?4, 'created', ?5, ?5)";
	static const char device[] =
		"INSERT INTO consignment_devices(consignment_id, device_id) VALUES (?1, ?2)";
	struct order_info o;
	sqlite3_stmt *st;
	int rc;

	if ((rc = load_order(s, req->order, &o, err)) < 0)
		return rc;
	if (strcmp(o.status, "picked") != 0 && strcmp(o.status, "dispatched") != 0)
		return wms_error_set(err, WMS_ESTATE, "order %s is %s; a consignment is made after picking "
		                     "(order picked or dispatched)", req->order, o.status);
	if (o.pp_carrier[0] && strcasecmp(o.pp_carrier, carrier->name) != 0)
		return wms_error_set(err, WMS_EINVAL, "order %s goes to pickup point %s of %s; book it with "
		                     "--carrier %s or change the order's pickup point", req->order, o.pp_code,
		                     o.pp_carrier, o.pp_carrier);
	if ((st = wms_store_stmt(s, existing, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, o.id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		wms_error_set(err, WMS_EEXIST, "order %s already has consignment %s", req->order, col(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return WMS_EEXIST;
	if (rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "looking up consignments");
	if (req->tracking && *req->tracking &&
	    (rc = tracking_taken(s, carrier->name, req->tracking, err)) < 0)
		return rc;
	if ((rc = courier_sscc_next(s, cc->extension, cc->company_prefix, res->sscc, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, insert, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, res->sscc, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, o.id);
	sqlite3_bind_text(st, 3, carrier->name, -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 4, req->service && *req->service ? req->service : carrier->service);
	sqlite3_bind_int64(st, 5, at);
	if ((rc = wms_store_step_done(s, st, "adding the consignment", err)) < 0)
		return rc;
	res->id = sqlite3_last_insert_rowid(wms_store_db(s));
	if ((st = wms_store_stmt(s, device, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, res->id);
	sqlite3_bind_int64(st, 2, o.device_id);
	if ((rc = wms_store_step_done(s, st, "adding the consignment's device", err)) < 0)
		return rc;
	return add_event(s, res->id, at, "created", req->station, req->actor, NULL, err);
}

int courier_consignment_create(struct wms_store *s, const struct courier_config *cc,
                               const struct courier_consignment_req *req,
                               struct courier_consignment_result *res, struct wms_error *err)
{
	const struct courier_carrier_conf *carrier;
	struct courier_tx tx;
	wms_time at = req->at ? req->at : wms_now();
	char id[32];
	int rc, end;

	memset(res, 0, sizeof *res);
	if (req->order == NULL || *req->order == '\0')
		return wms_error_set(err, WMS_EINVAL, "consignment create needs an order number");
	if ((carrier = courier_config_carrier(cc, req->carrier)) == NULL) {
		struct courier_carrier *probe = NULL;
		rc = courier_carrier_open(cc, req->carrier, &probe, err);   /* names the configured ones */
		courier_carrier_close(probe);
		return rc < 0 ? rc : WMS_ENOTFOUND;
	}
	if (req->service && *req->service && strlen(req->service) > 31)
		return wms_error_set(err, WMS_EINVAL, "service too long: at most 31 bytes");
	if (strcmp(carrier->adapter, "manual") == 0) {
		if (req->tracking == NULL || *req->tracking == '\0')
			return wms_error_set(err, WMS_EINVAL, "carrier %s is booked by hand: type or scan the "
			                     "tracking number from its label (--tracking)", carrier->name);
		if ((rc = courier_check_tracking(req->tracking, err)) < 0)
			return rc;
	} else if (req->tracking && *req->tracking) {
		return wms_error_set(err, WMS_EINVAL, "carrier %s gives its own tracking numbers; "
		                     "--tracking is only for manual carriers", carrier->name);
	}
	if ((rc = courier_tx_begin(s, &tx, err)) < 0)
		return rc;
	rc = insert_consignment(s, cc, carrier, req, at, res, err);
	end = courier_tx_end(s, &tx, rc == 0, err);
	if (rc == 0)
		rc = end;
	if (rc < 0) {
		memset(res, 0, sizeof *res);
		return rc;
	}
	snprintf(id, sizeof id, "%lld", res->id);
	return book_at(s, cc, id, req->tracking, at, res, err);
}

int courier_consignment_find(struct wms_store *s, const char *ref, long long *id,
                             struct wms_error *err)
{
	static const char by_sscc[] = "SELECT id FROM consignments WHERE sscc = ?1";
	static const char by_tracking[] = "SELECT id FROM consignments WHERE tracking = ?1 LIMIT 2";
	static const char by_id[] = "SELECT id FROM consignments WHERE id = ?1";
	size_t n = ref ? strlen(ref) : 0;
	bool digits = n > 0 && strspn(ref, "0123456789") == n;
	const char *sql = digits && n == COURIER_SSCC_LEN ? by_sscc : digits && n <= 12 ? by_id : by_tracking;
	sqlite3_stmt *st;
	char quoted[200];
	int rc, rows = 0;

	*id = 0;
	if (n == 0 || n > 64)
		return wms_error_set(err, WMS_EINVAL, "bad consignment reference \"%s\": an SSCC (18 digits), "
		                     "tracking number or id", wms_quote(quoted, sizeof quoted, ref ? ref : "",
		                     n, 40));
	if (sql == by_sscc && !courier_sscc_valid(ref))
		return wms_error_set(err, WMS_EINVAL, "bad SSCC %s: the check digit is wrong", ref);
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	if (sql == by_id)
		sqlite3_bind_int64(st, 1, strtoll(ref, NULL, 10));
	else
		sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rows++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "looking up the consignment");
	if (rows == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "no consignment with %s \"%s\"",
		                     sql == by_sscc ? "SSCC" : sql == by_id ? "id" : "tracking number",
		                     wms_quote(quoted, sizeof quoted, ref, n, 40));
	if (rows > 1)
		return wms_error_set(err, WMS_EINVAL, "tracking number %s is used by several carriers; "
		                     "give the SSCC instead", ref);
	return 0;
}

struct booking_job {
	long long id;
	char sscc[COURIER_SSCC_LEN + 1], state[24], carrier[32], service[32], order[40], mode[16];
	char pickup_point[24];
};

static int load_job(struct wms_store *s, long long id, struct booking_job *j, struct wms_error *err)
{
	static const char sql[] =
		"SELECT c.sscc, c.state, c.carrier, c.service, o.number, o.mode, pp.ext_id"
		" FROM consignments c JOIN orders o ON o.id = c.order_id"
		" LEFT JOIN pickup_points pp ON pp.location_id = o.pickup_point_id WHERE c.id = ?1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, NULL, id, &st, "loading the consignment", err);

	if (rc <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND, "no consignment %lld", id);
	j->id = id;
	snprintf(j->sscc, sizeof j->sscc, "%s", col(st, 0));
	snprintf(j->state, sizeof j->state, "%s", col(st, 1));
	snprintf(j->carrier, sizeof j->carrier, "%s", col(st, 2));
	snprintf(j->service, sizeof j->service, "%s", col(st, 3));
	snprintf(j->order, sizeof j->order, "%s", col(st, 4));
	snprintf(j->mode, sizeof j->mode, "%s", col(st, 5));
	snprintf(j->pickup_point, sizeof j->pickup_point, "%s", col(st, 6));
	sqlite3_reset(st);
	return 0;
}

/* Record the booking's outcome: booked with a tracking number, or the error. */
static int record_booking(struct wms_store *s, const struct booking_job *j, const char *tracking,
                          const char *failure, wms_time now, struct wms_error *err)
{
	static const char booked[] =
		"UPDATE consignments SET state = 'booked', tracking = ?2, booking_error = NULL,"
		" updated_ts = ?3 WHERE id = ?1 AND state = 'created'";
	static const char failed[] =
		"UPDATE consignments SET booking_error = ?2, updated_ts = ?3 WHERE id = ?1";
	struct courier_tx tx;
	sqlite3_stmt *st;
	int rc, end;

	if ((rc = courier_tx_begin(s, &tx, err)) < 0)
		return rc;
	if (tracking && (rc = tracking_taken(s, j->carrier, tracking, err)) < 0)
		goto out;
	if ((st = wms_store_stmt(s, tracking ? booked : failed, err)) == NULL) {
		rc = WMS_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, j->id);
	sqlite3_bind_text(st, 2, tracking ? tracking : failure, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = wms_store_step_done(s, st, "recording the booking", err)) < 0)
		goto out;
	rc = add_event(s, j->id, now, tracking ? "booked" : "booking_failed", j->carrier, NULL,
	               tracking ? tracking : failure, err);
out:
	end = courier_tx_end(s, &tx, rc == 0, err);
	return rc ? rc : end;
}

/* Book at time at (the booking's time when the dispatcher gave one, else now). */
static int book_at(struct wms_store *s, const struct courier_config *cc, const char *ref,
                   const char *tracking, wms_time at, struct courier_consignment_result *res,
                   struct wms_error *err)
{
	struct courier_carrier *carrier = NULL;
	struct courier_booking booking;
	struct booking_job j;
	struct wms_error berr = { 0 };
	struct courier_parcel p = { 0 };
	long long id;
	int rc;

	rc = courier_consignment_find(s, ref, &id, err);     /* ref may point into res */
	memset(res, 0, sizeof *res);
	if (rc < 0 || (rc = load_job(s, id, &j, err)) < 0)
		return rc;
	res->id = id;
	snprintf(res->sscc, sizeof res->sscc, "%s", j.sscc);
	if (strcmp(j.state, "created") != 0)
		return wms_error_set(err, WMS_ESTATE, "consignment %s is %s; only a created consignment is "
		                     "booked", j.sscc, j.state);
	if ((rc = courier_carrier_open(cc, j.carrier, &carrier, err)) < 0)
		return rc;
	if (tracking && *tracking && strcmp(courier_carrier_conf(carrier)->adapter, "manual") != 0) {
		courier_carrier_close(carrier);
		return wms_error_set(err, WMS_EINVAL, "carrier %s gives its own tracking numbers; "
		                     "--tracking is only for manual carriers", j.carrier);
	}
	if (tracking && *tracking && (rc = tracking_taken(s, j.carrier, tracking, err)) < 0) {
		courier_carrier_close(carrier);
		return rc;
	}
	p.sscc = j.sscc;
	p.order = j.order;
	p.service = j.service[0] ? j.service : NULL;
	p.mode = j.mode;
	p.pickup_point = j.pickup_point[0] ? j.pickup_point : NULL;
	p.tracking = tracking;
	rc = courier_carrier_book(carrier, &p, &booking, &berr);
	courier_carrier_close(carrier);
	if (rc < 0) {
		int rec = record_booking(s, &j, NULL, berr.msg, at, err);
		if (rec < 0)
			return rec;
		return wms_error_set(err, rc, "%s", berr.msg);
	}
	if ((rc = record_booking(s, &j, booking.tracking, NULL, at, err)) < 0)
		return rc;
	snprintf(res->tracking, sizeof res->tracking, "%s", booking.tracking);
	res->booked = true;
	return 0;
}

/* Replace integer field key of every row by its Stockholm time text. */
static void format_times(json_t *rows, const char *key)
{
	size_t i;
	json_t *row;
	char buf[32];

	json_array_foreach(rows, i, row) {
		json_t *v = json_object_get(row, key);
		if (json_is_integer(v))
			json_object_set_new(row, key, json_string(wms_time_format(json_integer_value(v), buf)));
	}
}

/* Lead time so far (open) or at delivery of an order row; -1 when unknown. */
static int order_days(const struct wms_config *wcfg, json_t *row, wms_time now)
{
	json_t *reg = json_object_get(row, "registered_ts");
	json_t *del = json_object_get(row, "delivered_ts");
	const char *depot = json_string_value(json_object_get(row, "depot"));

	if (wcfg == NULL || !json_is_integer(reg))
		return -1;
	return wms_leadtime_days(wms_config_calendar(wcfg, depot), json_integer_value(reg),
	                         json_is_integer(del) ? json_integer_value(del) : now,
	                         wcfg->cutoff_minute);
}

json_t *courier_consignment_show(struct wms_store *s, const struct wms_config *wcfg, const char *ref,
                                 struct wms_error *err)
{
	static const char head[] =
		"SELECT c.id, c.sscc, o.number AS 'order', o.mode, l.code AS pickup_point, c.carrier,"
		" c.service, c.tracking, c.state, c.booking_error, c.created_ts AS created,"
		" c.updated_ts AS updated, o.registered_ts, o.delivered_ts, o.depot"
		" FROM consignments c JOIN orders o ON o.id = c.order_id"
		" LEFT JOIN locations l ON l.id = o.pickup_point_id WHERE c.id = ?1";
	static const char devices[] =
		"SELECT d.serial, p.code AS product, d.state FROM consignment_devices cd"
		" JOIN devices d ON d.id = cd.device_id JOIN products p ON p.id = d.product_id"
		" WHERE cd.consignment_id = ?1 ORDER BY d.serial";
	static const char events[] =
		"SELECT ts AS time, event, source, actor, detail, ledger_event_id AS ledger_event"
		" FROM consignment_events WHERE consignment_id = ?1 ORDER BY ts, id";
	long long id;
	char idtext[32];
	const char *params[1] = { idtext };
	json_t *rows = NULL, *one = NULL, *list;
	int days;

	if (courier_consignment_find(s, ref, &id, err) < 0)
		return NULL;
	snprintf(idtext, sizeof idtext, "%lld", id);
	if ((rows = wms_query_rows(s, head, params, 1, err)) == NULL)
		return NULL;
	if ((one = json_incref(json_array_get(rows, 0))) == NULL) {
		wms_error_set(err, WMS_ENOTFOUND, "no consignment %lld", id);
		goto out;
	}
	days = json_is_integer(json_object_get(one, "delivered_ts")) ? order_days(wcfg, one, 0) : -1;
	if (days >= 0) {
		json_object_set_new(one, "lead_time_days", json_integer(days));
		json_object_set_new(one, "target_days", json_integer(wcfg->target_days));
	}
	json_object_del(one, "registered_ts");
	json_object_del(one, "delivered_ts");
	json_object_del(one, "depot");
	{
		json_t *wrap = json_pack("[O]", one);
		format_times(wrap, "created");
		format_times(wrap, "updated");
		json_decref(wrap);
	}
	if ((list = wms_query_rows(s, devices, params, 1, err)) == NULL)
		goto fail;
	json_object_set_new(one, "devices", list);
	if ((list = wms_query_rows(s, events, params, 1, err)) == NULL)
		goto fail;
	format_times(list, "time");
	json_object_set_new(one, "events", list);
	goto out;
fail:
	json_decref(one);
	one = NULL;
out:
	json_decref(rows);
	return one;
}

json_t *courier_consignment_list(struct wms_store *s, const struct wms_config *wcfg, bool problems,
                                 wms_time now, int limit, struct wms_error *err)
{
	static const char all[] =
		"SELECT c.sscc, o.number AS 'order', c.carrier, c.tracking, c.state, c.updated_ts AS updated,"
		" c.booking_error, o.registered_ts, o.delivered_ts, o.depot, o.requested_date"
		" FROM consignments c JOIN orders o ON o.id = c.order_id ORDER BY c.id DESC LIMIT ?1";
	static const char open[] =
		"SELECT c.sscc, o.number AS 'order', c.carrier, c.tracking, c.state, c.updated_ts AS updated,"
		" c.booking_error, o.registered_ts, o.delivered_ts, o.depot, o.requested_date"
		" FROM consignments c JOIN orders o ON o.id = c.order_id"
		" WHERE c.state IN ('created', 'booked', 'in_transit', 'failed', 'returned_to_sender')"
		" ORDER BY c.id DESC";
	char lim[16];
	const char *params[1] = { lim };
	json_t *rows, *out = NULL, *row;
	size_t i;

	snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 100);
	if ((rows = wms_query_rows(s, problems ? open : all, params, problems ? 0 : 1, err)) == NULL)
		return NULL;
	if ((out = json_array()) == NULL) {
		wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(rows, i, row) {
		const char *state = json_string_value(json_object_get(row, "state"));
		const char *booking = json_string_value(json_object_get(row, "booking_error"));
		const char *requested = json_string_value(json_object_get(row, "requested_date"));
		int days = order_days(wcfg, row, now ? now : wms_now());
		bool delivered = json_is_integer(json_object_get(row, "delivered_ts"));
		char problem[400] = "";

		if (state && strcmp(state, "failed") == 0)
			snprintf(problem, sizeof problem, "failed delivery (bomkörning)");
		else if (state && strcmp(state, "returned_to_sender") == 0)
			snprintf(problem, sizeof problem, "returned to sender");
		else if (state && strcmp(state, "created") == 0)
			snprintf(problem, sizeof problem, "not booked%s%s", booking ? ": " : "",
			         booking ? booking : "");
		if (!delivered && wcfg && days >= 0) {
			size_t n = strlen(problem);
			wms_day req = 0;
			if (requested && wms_date_parse(requested, &req, NULL) == 0 &&
			    wms_local_day(now ? now : wms_now(), NULL) > req)
				snprintf(problem + n, sizeof problem - n, "%slate: past the customer-set date %s",
				         n ? "; " : "", requested);
			else if (requested == NULL && days > wcfg->target_days)
				snprintf(problem + n, sizeof problem - n, "%slate: %d working days, target %d",
				         n ? "; " : "", days, wcfg->target_days);
		}
		if (problems && problem[0] == '\0')
			continue;
		json_object_set_new(row, "working_days", days >= 0 ? json_integer(days) : json_null());
		json_object_set_new(row, "problem", problem[0] ? json_string(problem) : json_null());
		json_object_del(row, "registered_ts");
		json_object_del(row, "delivered_ts");
		json_object_del(row, "depot");
		json_object_del(row, "requested_date");
		json_object_del(row, "booking_error");
		json_array_append(out, row);
		if (problems && limit > 0 && (int)json_array_size(out) >= limit)
			break;
	}
	format_times(out, "updated");
out:
	json_decref(rows);
	return out;
}

int courier_consignment_book(struct wms_store *s, const struct courier_config *cc, const char *ref,
                             const char *tracking, struct courier_consignment_result *res,
                             struct wms_error *err)
{
	return book_at(s, cc, ref, tracking, wms_now(), res, err);
}

int courier_consignment_cancel(struct wms_store *s, const struct courier_config *cc, const char *ref,
                               const char *reason, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE consignments SET state = 'cancelled', updated_ts = ?2 WHERE id = ?1"
		" AND state IN ('created', 'booked')";
	static const char tracking_sql[] = "SELECT tracking FROM consignments WHERE id = ?1";
	struct courier_carrier *carrier = NULL;
	struct booking_job j;
	struct courier_tx tx;
	char tracking[COURIER_TRACKING_MAX + 1] = "";
	wms_time now = wms_now();
	sqlite3_stmt *st;
	long long id;
	int rc, end;

	if (reason == NULL || *reason == '\0')
		return wms_error_set(err, WMS_EINVAL, "consignment cancel needs a reason (--reason)");
	if (strlen(reason) > 200)
		return wms_error_set(err, WMS_EINVAL, "reason too long: at most 200 bytes");
	if ((rc = courier_consignment_find(s, ref, &id, err)) < 0 || (rc = load_job(s, id, &j, err)) < 0)
		return rc;
	if (strcmp(j.state, "created") != 0 && strcmp(j.state, "booked") != 0)
		return wms_error_set(err, WMS_ESTATE, "consignment %s is %s; only a created or booked "
		                     "consignment (not yet with the carrier) can be cancelled", j.sscc, j.state);
	if ((st = wms_store_stmt(s, tracking_sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(tracking, sizeof tracking, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	/* tell the carrier first: a booking it still holds must not be forgotten here */
	if (tracking[0]) {
		if ((rc = courier_carrier_open(cc, j.carrier, &carrier, err)) < 0)
			return rc;
		rc = courier_carrier_cancel(carrier, tracking, err);
		courier_carrier_close(carrier);
		if (rc < 0)
			return rc;
	}
	if ((rc = courier_tx_begin(s, &tx, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		rc = WMS_EDB;
	else {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, now);
		rc = wms_store_step_done(s, st, "cancelling the consignment", err);
	}
	if (rc == 0)
		rc = add_event(s, id, now, "cancelled", j.carrier, NULL, reason, err);
	end = courier_tx_end(s, &tx, rc == 0, err);
	return rc ? rc : end;
}
