/*
 * hub.c - the hub's schema on PostgreSQL and a depot's shipping step (see
 * hub.h).  Events arrive as wms_ledger_export() writes them: region-wide
 * keys, never a depot's row ids.
 */
#include "hub.h"
#include "hub_impl.h"

#include "wms_export.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLICE_MS 100            /* how often a wait looks at the stop flag */

/* One script, in one transaction with the fingerprint it leaves in
 * hub_schema; the lock keeps two depots connecting at once from racing on
 * CREATE ... IF NOT EXISTS (found by the link test).  Run only when the
 * fingerprint differs: its ALTERs and CREATE INDEX lock the tables, and a
 * depot connecting while another ships deadlocked with it (hub_test). */
static const char schema[] =
	"SELECT pg_advisory_xact_lock(hashtext('wms hub schema'));"
	"CREATE TABLE IF NOT EXISTS hub_events("
	"  depot text NOT NULL, epoch text NOT NULL, seq bigint NOT NULL,"
	"  ts bigint NOT NULL, type text NOT NULL, serial text, order_number text, location text,"
	"  event_depot text, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now(),"
	"  PRIMARY KEY (depot, epoch, seq));"
	"CREATE INDEX IF NOT EXISTS hub_events_by_serial ON hub_events(serial, type);"
	"CREATE TABLE IF NOT EXISTS hub_cursors("
	"  depot text NOT NULL, epoch text NOT NULL, seq bigint NOT NULL,"
	"  updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (depot, epoch));"
	"ALTER TABLE hub_cursors ADD COLUMN IF NOT EXISTS started_at timestamptz NOT NULL DEFAULT now();"
	/* head: the depot's own last sequence at its last contact (updated_at);
	 * moved_at: when seq last moved */
	"ALTER TABLE hub_cursors ADD COLUMN IF NOT EXISTS head bigint NOT NULL DEFAULT 0;"
	"ALTER TABLE hub_cursors ADD COLUMN IF NOT EXISTS moved_at timestamptz NOT NULL DEFAULT now();"
	/* projections (hub_report.c): orders of each depot's current epoch and
	 * their lead-time histogram; hub_proj is how far they have read */
	"CREATE TABLE IF NOT EXISTS hub_orders("
	"  depot text NOT NULL, number text NOT NULL, order_depot text, customer text, product text,"
	"  mode text, requested_date text, registered_ts bigint NOT NULL, status text NOT NULL,"
	"  delivered_ts bigint, lead_days int, lead_set boolean, PRIMARY KEY (depot, number));"
	/* the report's latest deliveries, read from the index's top (hub_bench, 1M orders) */
	"CREATE INDEX IF NOT EXISTS hub_orders_latest ON hub_orders(delivered_ts DESC, depot, number)"
	"  WHERE status = 'delivered';"
	"CREATE TABLE IF NOT EXISTS hub_lt_hist("
	"  depot text NOT NULL, month int NOT NULL, custset boolean NOT NULL, days int NOT NULL,"
	"  n bigint NOT NULL, PRIMARY KEY (depot, month, custset, days));"
	/* devices of each depot's current epoch: state and place after its last
	 * event (a void restores what its event replaced), in transfer between depots */
	"CREATE TABLE IF NOT EXISTS hub_devices("
	"  depot text NOT NULL, serial text NOT NULL, product text, state text, location text, loc_depot text,"
	"  from_depot text, to_depot text, seq bigint NOT NULL, PRIMARY KEY (depot, serial));"
	"CREATE TABLE IF NOT EXISTS hub_proj(depot text PRIMARY KEY, epoch text NOT NULL, seq bigint NOT NULL);"
	"CREATE TABLE IF NOT EXISTS hub_conflicts("
	"  id bigserial PRIMARY KEY, kind text NOT NULL, depot text NOT NULL, epoch text NOT NULL,"
	"  seq bigint NOT NULL, serial text, detail text NOT NULL,"
	"  found_at timestamptz NOT NULL DEFAULT now(), resolved_by text, resolved_at timestamptz,"
	"  UNIQUE (kind, depot, epoch, seq));"
	/* the catalogue maintained here (hub_catalog.c): every version of a row
	 * under the next hub sequence, and how far each depot has pulled */
	"CREATE TABLE IF NOT EXISTS hub_catalog("
	"  seq bigint PRIMARY KEY, kind text NOT NULL, code text NOT NULL, body jsonb NOT NULL,"
	"  published_at timestamptz NOT NULL DEFAULT now());"
	"CREATE INDEX IF NOT EXISTS hub_catalog_by_code ON hub_catalog(kind, code, seq);"
	"CREATE TABLE IF NOT EXISTS hub_catalog_pulls("
	"  depot text PRIMARY KEY, seq bigint NOT NULL, pulled_at timestamptz NOT NULL DEFAULT now());"
	"CREATE OR REPLACE FUNCTION hub_append_only() RETURNS trigger LANGUAGE plpgsql AS"
	"  $$BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END$$;"
	/* a published version is never changed (a purge may delete old ones) */
	"CREATE OR REPLACE TRIGGER hub_catalog_no_update BEFORE UPDATE ON hub_catalog"
	"  FOR EACH ROW EXECUTE FUNCTION hub_append_only();"
	"CREATE OR REPLACE TRIGGER hub_events_append_only BEFORE UPDATE OR DELETE ON hub_events"
	"  FOR EACH ROW EXECUTE FUNCTION hub_append_only();"
	"CREATE TABLE IF NOT EXISTS hub_schema(fp text NOT NULL);"
	"DELETE FROM hub_schema;";

int hub_pg_error(struct pg_conn *c, PGresult *r, const char *what, struct wms_error *err)
{
	int rc = wms_error_set(err, WMS_EIO, "hub: %s: %s", what,
	                       r && PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r)
	                       : c->why[0] ? c->why : PQerrorMessage(c->pg));
	size_t n = strlen(err ? err->msg : "");

	while (err && n > 0 && (err->msg[n - 1] == '\n' || err->msg[n - 1] == ' '))
		err->msg[--n] = '\0';
	PQclear(r);
	return rc;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Wait until the socket is ready for events, in slices that look at the stop
 * flag; 0 ready, -1 with c->why set (deadline passed, stopped, poll failed). */
static int wait_for(struct pg_conn *c, short events, long long deadline)
{
	for (;;) {
		struct pollfd p = { PQsocket(c->pg), events, 0 };
		long long left = deadline - now_ms();
		int n;

		if (c->stop && atomic_load(c->stop)) {
			snprintf(c->why, sizeof c->why, "stopped while waiting for the hub");
			return -1;
		}
		if (left <= 0) {
			snprintf(c->why, sizeof c->why, "no answer from the hub within %d s", c->timeout_ms / 1000);
			return -1;
		}
		if (p.fd < 0) {
			snprintf(c->why, sizeof c->why, "no connection to the hub");
			return -1;
		}
		n = poll(&p, 1, left < SLICE_MS ? (int)left : SLICE_MS);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR) {
			snprintf(c->why, sizeof c->why, "waiting for the hub: %s", strerror(errno));
			return -1;
		}
	}
}

/*
 * One statement (or, without parameters, a script), sent without blocking
 * and waited for with a deadline: a link that hangs (a frozen peer, a
 * dropped route) costs at most timeout_ms, and a stop is seen within a
 * slice.  Returns the first failed result or the last one; NULL with c->why
 * when the deadline passed (the connection is then of no further use).
 */
PGresult *hub_ask(struct pg_conn *c, const char *sql, int n, const char *const *p)
{
	long long deadline = now_ms() + c->timeout_ms;
	PGresult *r, *keep = NULL;
	int f;

	c->why[0] = '\0';
	if (!(n > 0 ? PQsendQueryParams(c->pg, sql, n, NULL, p, NULL, NULL, 0) : PQsendQuery(c->pg, sql)))
		return NULL;
	while ((f = PQflush(c->pg)) == 1)
		if (wait_for(c, POLLOUT | POLLIN, deadline) < 0 || !PQconsumeInput(c->pg))
			return NULL;
	if (f < 0)
		return NULL;
	for (;;) {
		while (PQisBusy(c->pg))
			if (wait_for(c, POLLIN, deadline) < 0 || !PQconsumeInput(c->pg)) {
				PQclear(keep);
				return NULL;
			}
		if ((r = PQgetResult(c->pg)) == NULL)
			break;
		if (keep && PQresultStatus(keep) == PGRES_FATAL_ERROR)
			PQclear(r);
		else {
			PQclear(keep);
			keep = r;
		}
	}
	return keep;
}

int hub_exec(struct pg_conn *c, const char *sql, const char *what, struct wms_error *err)
{
	PGresult *r = hub_ask(c, sql, 0, NULL);

	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		return hub_pg_error(c, r, what, err);
	PQclear(r);
	return 0;
}

void hub_close(struct pg_conn *c)
{
	if (c == NULL)
		return;
	PQfinish(c->pg);
	free(c);
}

/* The server's notices (a shutdown's warning) are not ours to print. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Connect without blocking past the deadline: a frozen link holds no thread. */
static int connect_hub(struct pg_conn *c, const char *conninfo)
{
	/* TCP keepalives and a user timeout find a dead route while waiting;
	 * the conninfo's own settings come last and win */
	static const char *const keys[] = { "keepalives", "keepalives_idle", "keepalives_interval",
	                                    "keepalives_count", "tcp_user_timeout", "dbname", NULL };
	const char *vals[] = { "1", "10", "5", "3", "30000", conninfo, NULL };
	long long deadline = now_ms() + c->timeout_ms;
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;

	c->pg = PQconnectStartParams(keys, vals, 1);
	if (c->pg == NULL || PQstatus(c->pg) == CONNECTION_BAD)
		return -1;
	while (st != PGRES_POLLING_OK) {
		if (st == PGRES_POLLING_FAILED)
			return -1;
		if (wait_for(c, st == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline) < 0)
			return -1;
		st = PQconnectPoll(c->pg);
	}
	return PQsetnonblocking(c->pg, 1) == 0 ? 0 : -1;
}

static unsigned long long fnv64(const char *t)
{
	unsigned long long h = 0xcbf29ce484222325ULL;

	for (; *t; t++)
		h = (h ^ (unsigned char)*t) * 0x100000001b3ULL;
	return h;
}

/* The hub's tables as this build knows them, unless they are already. */
static int ensure_schema(struct pg_conn *c, struct wms_error *err)
{
	char fp[24];
	const char *p[1] = { fp };
	PGresult *r;
	int rc, same;

	snprintf(fp, sizeof fp, "%016llx", fnv64(schema));
	r = hub_ask(c, "SELECT count(*) FROM hub_schema WHERE fp = $1", 1, p);
	same = PQresultStatus(r) == PGRES_TUPLES_OK && strcmp(PQgetvalue(r, 0, 0), "1") == 0;
	if (r == NULL || (PQresultStatus(r) != PGRES_TUPLES_OK &&
	                  strcmp(PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "",
	                         "42P01") != 0))     /* anything but "no such table yet" */
		return hub_pg_error(c, r, "reading the hub's schema", err);
	PQclear(r);
	if (same)
		return 0;
	if ((rc = hub_exec(c, "BEGIN", "creating the hub's tables", err)) < 0)
		return rc;
	if ((rc = hub_exec(c, schema, "creating the hub's tables", err)) == 0) {
		r = hub_ask(c, "INSERT INTO hub_schema(fp) VALUES ($1)", 1, p);
		rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : hub_pg_error(c, r, "creating the hub's tables", err);
		if (rc == 0)
			PQclear(r);
	}
	if (rc == 0)
		return hub_exec(c, "COMMIT", "creating the hub's tables", err);
	hub_exec(c, "ROLLBACK", "creating the hub's tables", NULL);
	return rc;
}

int hub_open(const char *conninfo, const struct hub_link *link, struct pg_conn **out, struct wms_error *err)
{
	struct pg_conn *c = calloc(1, sizeof *c);
	int rc;

	*out = NULL;
	if (c == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	c->timeout_ms = link && link->timeout_s > 0 ? link->timeout_s * 1000 : HUB_TIMEOUT_S * 1000;
	c->stop = link ? link->stop : NULL;
	if (connect_hub(c, conninfo) < 0) {
		rc = c->pg ? hub_pg_error(c, NULL, "cannot connect", err)
		           : wms_error_set(err, WMS_ENOMEM, "out of memory connecting to the hub");
		hub_close(c);
		return rc;
	}
	PQsetNoticeProcessor(c->pg, quiet, NULL);
	if ((rc = hub_exec(c, "SET client_min_messages = warning", "setting up", err)) < 0 ||
	    (rc = ensure_schema(c, err)) < 0) {
		hub_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * A batch of events in one statement (one round trip, however large): each
 * inserted ON CONFLICT DO NOTHING; a key already there with another body is a
 * conflicting key: 1 with *bad = its sequence (the caller rolls back); a
 * receipt of a serial another depot received is listed (serial_twice).
 * Within the statement hub_events is read as it was before it, so a key
 * found there is one stored by an earlier batch.
 */
static int put_events(struct pg_conn *c, const char *depot, const char *epoch, json_t *evs, long long *bad,
                      struct wms_error *err)
{
	static const char sql[] =
		"WITH b AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS x(seq bigint, ts bigint, type text,"
		"   serial text, \"order\" text, location text, depot text, body jsonb)),"
		" ins AS (INSERT INTO hub_events(depot, epoch, seq, ts, type, serial, order_number, location,"
		"   event_depot, body) SELECT $1, $2, seq, ts, type, serial, \"order\", location, depot, body"
		"   FROM b ORDER BY seq ON CONFLICT (depot, epoch, seq) DO NOTHING RETURNING seq, type, serial),"
		" twice AS (INSERT INTO hub_conflicts(kind, depot, epoch, seq, serial, detail)"
		"   SELECT 'serial_twice', $1, $2, i.seq, i.serial,"
		"     'serial ' || i.serial || ' received at depot ' || o.depot || ' and at depot ' || $1"
		"   FROM ins i CROSS JOIN LATERAL (SELECT depot FROM hub_events h WHERE h.serial = i.serial"
		"     AND h.type = 'receive' AND h.depot <> $1 LIMIT 1) o"
		"   WHERE i.type = 'receive' AND i.serial IS NOT NULL ON CONFLICT DO NOTHING RETURNING 1)"
		/* the seq range keeps the lookup on the key's index: without it the planner
		 * hash-joined the depot's whole history, once per batch (hub_bench) */
		" SELECT (SELECT min(b.seq) FROM b JOIN hub_events e ON e.depot = $1 AND e.epoch = $2"
		"   AND e.seq = b.seq WHERE e.body <> b.body"
		"   AND e.seq BETWEEN (SELECT min(seq) FROM b) AND (SELECT max(seq) FROM b)),"
		" (SELECT count(*) FROM ins), (SELECT count(*) FROM twice)";
	static const char lock[] =
		"SELECT count(pg_advisory_xact_lock(hashtext('wms hub serial ' || s))) FROM (SELECT DISTINCT serial s"
		" FROM jsonb_to_recordset($1::jsonb) AS x(type text, serial text)"
		" WHERE type = 'receive' AND serial IS NOT NULL ORDER BY 1) t";
	json_t *rows = json_array(), *ev;
	const char *p[3] = { depot, epoch, NULL };
	char *text;
	size_t i;
	PGresult *r;
	int rc = 0;

	json_array_foreach(evs, i, ev) {
		json_t *row = json_pack("{s:O, s:O, s:O, s:O*, s:O*, s:O*, s:O*, s:O}",
		                        "seq", json_object_get(ev, "seq"), "ts", json_object_get(ev, "ts"),
		                        "type", json_object_get(ev, "type"), "serial", json_object_get(ev, "serial"),
		                        "order", json_object_get(ev, "order"),
		                        "location", json_object_get(ev, "location"),
		                        "depot", json_object_get(ev, "depot"), "body", ev);
		if (row == NULL || json_array_append_new(rows, row) < 0)
			break;
	}
	text = rows && json_array_size(rows) == json_array_size(evs) ? json_dumps(rows, JSON_COMPACT) : NULL;
	json_decref(rows);
	if (text == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	p[2] = text;
	/* two depots shipping a receipt of one serial at the same time would not
	 * see each other's row (read committed): the serials received in this
	 * batch are locked first, in one order, until the batch commits */
	r = hub_ask(c, lock, 1, p + 2);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		free(text);
		return hub_pg_error(c, r, "locking the received serials", err);
	}
	PQclear(r);
	r = hub_ask(c, sql, 3, p);
	free(text);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		return hub_pg_error(c, r, "storing events", err);
	if (!PQgetisnull(r, 0, 0)) {
		*bad = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		rc = 1;
	}
	PQclear(r);
	return rc;
}

static int record_key_conflict(struct pg_conn *c, const char *depot, const char *epoch, json_t *ev,
                               struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO hub_conflicts(kind, depot, epoch, seq, serial, detail) VALUES ('key', $1, $2, $3, $4, $5)"
		" ON CONFLICT DO NOTHING";
	char seq[24], detail[200];
	const char *p[5] = { depot, epoch, seq, str(ev, "serial"), detail };
	PGresult *r;

	snprintf(seq, sizeof seq, "%lld", (long long)json_integer_value(json_object_get(ev, "seq")));
	snprintf(detail, sizeof detail, "event %s of depot %s epoch %s differs from the one the hub holds; "
	         "a restored depot needs a new epoch", seq, depot, epoch);
	r = hub_ask(c, sql, 5, p);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return hub_pg_error(c, r, "recording a conflict", err);
	PQclear(r);
	return wms_error_set(err, WMS_ESTATE, "hub: %s", detail);
}

int hub_ship(struct pg_conn *c, struct wms_store *store, const char *depot, const char *epoch,
             int batch, long *shipped, long long *upto, struct wms_error *err)
{
	static const char cursor[] =
		"SELECT seq FROM hub_cursors WHERE depot = $1 AND epoch = $2 FOR UPDATE";
	static const char advance[] =
		"INSERT INTO hub_cursors(depot, epoch, seq, head) VALUES ($1, $2, $3, $4)"
		" ON CONFLICT (depot, epoch) DO UPDATE SET seq = excluded.seq, head = excluded.head, updated_at = now(),"
		"  moved_at = CASE WHEN hub_cursors.seq <> excluded.seq THEN now() ELSE hub_cursors.moved_at END";
	static const char new_epoch[] =
		"INSERT INTO hub_conflicts(kind, depot, epoch, seq, detail)"
		" SELECT 'new_epoch', $1, $2, 0, 'depot ' || $1 || ' started epoch ' || $2 || ' while epoch '"
		"  || string_agg(epoch || ' holds events up to ' || seq, ', epoch ') || '; events of an older"
		" epoch after the restored point are not in the new one'"
		" FROM hub_cursors WHERE depot = $1 AND epoch <> $2 HAVING count(*) > 0 ON CONFLICT DO NOTHING";
	const char *p[4] = { depot, epoch, NULL, NULL };
	long long after = 0, last = 0, head = 0, bad = 0;
	char headbuf[24];
	json_t *evs = NULL, *ev = NULL;
	char seq[24];
	size_t i;
	PGresult *r;
	int rc;

	if (shipped)
		*shipped = 0;
	if (upto)
		*upto = 0;
	if ((rc = hub_exec(c, "BEGIN", "starting a batch", err)) < 0)
		return rc;
	/* an empty cursor row first, so that FOR UPDATE serialises two shippers of one ledger */
	r = hub_ask(c, "INSERT INTO hub_cursors(depot, epoch, seq) VALUES ($1, $2, 0)"
	                 " ON CONFLICT DO NOTHING", 2, p);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = hub_pg_error(c, r, "reading the cursor", err);
		goto fail;
	}
	if (strcmp(PQcmdTuples(r), "1") == 0) {
		/* a depot's new epoch (a restore): its older epochs' events after the
		 * restored point exist only here; a person looks at them */
		PQclear(r);
		r = hub_ask(c, new_epoch, 2, p);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			rc = hub_pg_error(c, r, "recording a new epoch", err);
			goto fail;
		}
	}
	PQclear(r);
	r = hub_ask(c, cursor, 2, p);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		rc = hub_pg_error(c, r, "reading the cursor", err);
		goto fail;
	}
	after = last = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	if (after > 0) {
		/* the last event the hub has must still be this ledger's: a depot
		 * restored from an older backup has other events at those sequences
		 * (or none yet) and needs a new epoch */
		json_t *one = wms_ledger_export(store, after - 1, 1, err);
		if (one == NULL) {
			rc = err && err->code ? err->code : WMS_EDB;
			goto fail;
		}
		ev = json_array_get(one, 0);
		rc = ev == NULL || json_integer_value(json_object_get(ev, "seq")) != after ? 1
		     : put_events(c, depot, epoch, one, &bad, err);
		if (rc == 1) {
			json_t *at = json_pack("{s:I}", "seq", (json_int_t)after);
			hub_exec(c, "ROLLBACK", "ending a batch", NULL);
			if (at && hub_exec(c, "BEGIN", "recording a conflict", err) == 0) {
				rc = record_key_conflict(c, depot, epoch, at, err);
				hub_exec(c, rc == WMS_ESTATE ? "COMMIT" : "ROLLBACK", "recording a conflict", NULL);
			}
			json_decref(at);
			json_decref(one);
			return rc == 1 ? WMS_EIO : rc;
		}
		json_decref(one);
		if (rc < 0)
			goto fail;
	}
	if ((evs = wms_ledger_export(store, after, batch, err)) == NULL) {
		rc = err && err->code ? err->code : WMS_EDB;
		goto fail;
	}
	if (json_array_size(evs) > 0 && (rc = put_events(c, depot, epoch, evs, &bad, err)) < 0)
		goto fail;
	if (json_array_size(evs) > 0 && rc == 1) {
		/* keep the conflict's record, ship nothing of this batch */
		json_array_foreach(evs, i, ev)
			if (json_integer_value(json_object_get(ev, "seq")) == bad)
				break;
		hub_exec(c, "ROLLBACK", "ending a batch", NULL);
		if (hub_exec(c, "BEGIN", "recording a conflict", err) < 0)
			goto out_free;
		rc = record_key_conflict(c, depot, epoch, ev, err);
		hub_exec(c, rc == WMS_ESTATE ? "COMMIT" : "ROLLBACK", "recording a conflict", NULL);
		goto out_free;
	}
	if (json_array_size(evs) > 0)
		last = json_integer_value(json_object_get(json_array_get(evs, json_array_size(evs) - 1), "seq"));
	if ((rc = wms_ledger_head(store, &head, err)) < 0)
		goto fail;
	snprintf(seq, sizeof seq, "%lld", last);
	snprintf(headbuf, sizeof headbuf, "%lld", head > last ? head : last);
	p[2] = seq;
	p[3] = headbuf;
	r = hub_ask(c, advance, 4, p);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = hub_pg_error(c, r, "advancing the cursor", err);
		goto fail;
	}
	PQclear(r);
	if ((rc = hub_exec(c, "COMMIT", "committing a batch", err)) < 0)
		goto out_free;
	if (shipped)
		*shipped = (long)json_array_size(evs);
	if (upto)
		*upto = last;
	json_decref(evs);
	return 0;
fail:
	hub_exec(c, "ROLLBACK", "ending a batch", NULL);
out_free:
	json_decref(evs);
	return rc;
}
