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

/* One script, one implicit transaction; the lock keeps two depots connecting
 * at once from racing on CREATE ... IF NOT EXISTS (found by the link test). */
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
	"CREATE TABLE IF NOT EXISTS hub_lt_hist("
	"  depot text NOT NULL, month int NOT NULL, custset boolean NOT NULL, days int NOT NULL,"
	"  n bigint NOT NULL, PRIMARY KEY (depot, month, custset, days));"
	"CREATE TABLE IF NOT EXISTS hub_proj(depot text PRIMARY KEY, epoch text NOT NULL, seq bigint NOT NULL);"
	"CREATE TABLE IF NOT EXISTS hub_conflicts("
	"  id bigserial PRIMARY KEY, kind text NOT NULL, depot text NOT NULL, epoch text NOT NULL,"
	"  seq bigint NOT NULL, serial text, detail text NOT NULL,"
	"  found_at timestamptz NOT NULL DEFAULT now(), resolved_by text, resolved_at timestamptz,"
	"  UNIQUE (kind, depot, epoch, seq));"
	"CREATE OR REPLACE FUNCTION hub_append_only() RETURNS trigger LANGUAGE plpgsql AS"
	"  $$BEGIN RAISE EXCEPTION 'hub_events is append-only: % refused', TG_OP; END$$;"
	"CREATE OR REPLACE TRIGGER hub_events_append_only BEFORE UPDATE OR DELETE ON hub_events"
	"  FOR EACH ROW EXECUTE FUNCTION hub_append_only();";

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
	    (rc = hub_exec(c, schema, "creating the hub's tables", err)) < 0) {
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

/* One event: inserted, already there (same body), or a conflicting key (1). */
static int put_event(struct pg_conn *c, const char *depot, const char *epoch, json_t *ev, const char *body,
                     struct wms_error *err)
{
	static const char ins[] =
		"INSERT INTO hub_events(depot, epoch, seq, ts, type, serial, order_number, location, event_depot, body)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb) ON CONFLICT (depot, epoch, seq) DO NOTHING";
	static const char same[] =
		"SELECT body = $4::jsonb FROM hub_events WHERE depot = $1 AND epoch = $2 AND seq = $3";
	static const char conflict[] =
		"INSERT INTO hub_conflicts(kind, depot, epoch, seq, serial, detail) VALUES ($1, $2, $3, $4, $5, $6)"
		" ON CONFLICT DO NOTHING";
	static const char twice[] =
		"SELECT depot FROM hub_events WHERE serial = $1 AND type = 'receive' AND depot <> $2 LIMIT 1";
	char seq[24], ts[24], detail[300];
	const char *p[10];
	PGresult *r;
	int same_body;

	snprintf(seq, sizeof seq, "%lld", (long long)json_integer_value(json_object_get(ev, "seq")));
	snprintf(ts, sizeof ts, "%lld", (long long)json_integer_value(json_object_get(ev, "ts")));
	p[0] = depot; p[1] = epoch; p[2] = seq; p[3] = ts; p[4] = str(ev, "type");
	p[5] = str(ev, "serial"); p[6] = str(ev, "order"); p[7] = str(ev, "location");
	p[8] = str(ev, "depot"); p[9] = body;
	r = hub_ask(c, ins, 10, p);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return hub_pg_error(c, r, "storing an event", err);
	if (strcmp(PQcmdTuples(r), "1") == 0) {
		PQclear(r);
		/* the same serial received at another depot: a person decides */
		if (strcmp(p[4], "receive") == 0 && p[5]) {
			const char *q[2] = { p[5], depot };
			r = hub_ask(c, twice, 2, q);
			if (PQresultStatus(r) != PGRES_TUPLES_OK)
				return hub_pg_error(c, r, "looking for the serial at other depots", err);
			if (PQntuples(r) == 1) {
				const char *k[6] = { "serial_twice", depot, epoch, seq, p[5], detail };
				snprintf(detail, sizeof detail, "serial %s received at depot %s and at depot %s", p[5],
				         PQgetvalue(r, 0, 0), depot);
				PQclear(r);
				r = hub_ask(c, conflict, 6, k);
				if (PQresultStatus(r) != PGRES_COMMAND_OK)
					return hub_pg_error(c, r, "recording a conflict", err);
			}
			PQclear(r);
		}
		return 0;
	}
	PQclear(r);
	/* the key is there: the same event again (a retry) or another one (a conflict) */
	{
		const char *q[4] = { depot, epoch, seq, body };
		r = hub_ask(c, same, 4, q);
		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
			return hub_pg_error(c, r, "comparing an event", err);
		same_body = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
		PQclear(r);
	}
	return same_body ? 0 : 1;
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
	long long after = 0, last = 0, head = 0;
	char headbuf[24];
	json_t *evs = NULL, *ev;
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
		char *body;
		if (one == NULL) {
			rc = err && err->code ? err->code : WMS_EDB;
			goto fail;
		}
		ev = json_array_get(one, 0);
		body = ev ? json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		rc = ev == NULL || json_integer_value(json_object_get(ev, "seq")) != after ? 1
		     : body ? put_event(c, depot, epoch, ev, body, err) : wms_error_set(err, WMS_ENOMEM, "out of memory");
		free(body);
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
	json_array_foreach(evs, i, ev) {
		char *body = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
		if (body == NULL) {
			rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
			goto fail;
		}
		rc = put_event(c, depot, epoch, ev, body, err);
		free(body);
		if (rc < 0)
			goto fail;
		if (rc == 1) {
			/* keep the conflict's record, ship nothing of this batch */
			hub_exec(c, "ROLLBACK", "ending a batch", NULL);
			if (hub_exec(c, "BEGIN", "recording a conflict", err) < 0)
				goto out_free;
			rc = record_key_conflict(c, depot, epoch, ev, err);
			hub_exec(c, rc == WMS_ESTATE ? "COMMIT" : "ROLLBACK", "recording a conflict", NULL);
			goto out_free;
		}
		last = json_integer_value(json_object_get(ev, "seq"));
	}
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
