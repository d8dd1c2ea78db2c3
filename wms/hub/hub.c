/*
 * hub.c - the hub's schema on PostgreSQL and a depot's shipping step (see
 * hub.h).  Events arrive as wms_ledger_export() writes them: region-wide
 * keys, never a depot's row ids.
 */
#include "hub.h"

#include "wms_export.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pg_conn {
	PGconn *pg;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS hub_events("
	"  depot text NOT NULL, epoch text NOT NULL, seq bigint NOT NULL,"
	"  ts bigint NOT NULL, type text NOT NULL, serial text, order_number text, location text,"
	"  event_depot text, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now(),"
	"  PRIMARY KEY (depot, epoch, seq));"
	"CREATE INDEX IF NOT EXISTS hub_events_by_serial ON hub_events(serial, type);"
	"CREATE TABLE IF NOT EXISTS hub_cursors("
	"  depot text NOT NULL, epoch text NOT NULL, seq bigint NOT NULL,"
	"  updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (depot, epoch));"
	"CREATE TABLE IF NOT EXISTS hub_conflicts("
	"  id bigserial PRIMARY KEY, kind text NOT NULL, depot text NOT NULL, epoch text NOT NULL,"
	"  seq bigint NOT NULL, serial text, detail text NOT NULL,"
	"  found_at timestamptz NOT NULL DEFAULT now(), resolved_by text, resolved_at timestamptz,"
	"  UNIQUE (kind, depot, epoch, seq));"
	"CREATE OR REPLACE FUNCTION hub_append_only() RETURNS trigger LANGUAGE plpgsql AS"
	"  $$BEGIN RAISE EXCEPTION 'hub_events is append-only: % refused', TG_OP; END$$;"
	"CREATE OR REPLACE TRIGGER hub_events_append_only BEFORE UPDATE OR DELETE ON hub_events"
	"  FOR EACH ROW EXECUTE FUNCTION hub_append_only();";

static int pg_error(struct pg_conn *c, PGresult *r, const char *what, struct wms_error *err)
{
	int rc = wms_error_set(err, WMS_EIO, "hub: %s: %s", what,
	                       r && PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) : PQerrorMessage(c->pg));
	size_t n = strlen(err ? err->msg : "");

	while (err && n > 0 && (err->msg[n - 1] == '\n' || err->msg[n - 1] == ' '))
		err->msg[--n] = '\0';
	PQclear(r);
	return rc;
}

static int exec(struct pg_conn *c, const char *sql, const char *what, struct wms_error *err)
{
	PGresult *r = PQexec(c->pg, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		return pg_error(c, r, what, err);
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

int hub_open(const char *conninfo, struct pg_conn **out, struct wms_error *err)
{
	struct pg_conn *c = calloc(1, sizeof *c);
	int rc;

	*out = NULL;
	if (c == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	c->pg = PQconnectdb(conninfo);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		rc = pg_error(c, NULL, "cannot connect", err);
		hub_close(c);
		return rc;
	}
	PQsetNoticeProcessor(c->pg, NULL, NULL);
	if ((rc = exec(c, "SET client_min_messages = warning", "setting up", err)) < 0 ||
	    (rc = exec(c, schema, "creating the hub's tables", err)) < 0) {
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
	r = PQexecParams(c->pg, ins, 10, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return pg_error(c, r, "storing an event", err);
	if (strcmp(PQcmdTuples(r), "1") == 0) {
		PQclear(r);
		/* the same serial received at another depot: a person decides */
		if (strcmp(p[4], "receive") == 0 && p[5]) {
			const char *q[2] = { p[5], depot };
			r = PQexecParams(c->pg, twice, 2, NULL, q, NULL, NULL, 0);
			if (PQresultStatus(r) != PGRES_TUPLES_OK)
				return pg_error(c, r, "looking for the serial at other depots", err);
			if (PQntuples(r) == 1) {
				const char *k[6] = { "serial_twice", depot, epoch, seq, p[5], detail };
				snprintf(detail, sizeof detail, "serial %s received at depot %s and at depot %s", p[5],
				         PQgetvalue(r, 0, 0), depot);
				PQclear(r);
				r = PQexecParams(c->pg, conflict, 6, NULL, k, NULL, NULL, 0);
				if (PQresultStatus(r) != PGRES_COMMAND_OK)
					return pg_error(c, r, "recording a conflict", err);
			}
			PQclear(r);
		}
		return 0;
	}
	PQclear(r);
	/* the key is there: the same event again (a retry) or another one (a conflict) */
	{
		const char *q[4] = { depot, epoch, seq, body };
		r = PQexecParams(c->pg, same, 4, NULL, q, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
			return pg_error(c, r, "comparing an event", err);
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
	r = PQexecParams(c->pg, sql, 5, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return pg_error(c, r, "recording a conflict", err);
	PQclear(r);
	return wms_error_set(err, WMS_ESTATE, "hub: %s", detail);
}

int hub_ship(struct pg_conn *c, struct wms_store *store, const char *depot, const char *epoch,
             int batch, long *shipped, struct wms_error *err)
{
	static const char cursor[] =
		"SELECT seq FROM hub_cursors WHERE depot = $1 AND epoch = $2 FOR UPDATE";
	static const char advance[] =
		"INSERT INTO hub_cursors(depot, epoch, seq) VALUES ($1, $2, $3)"
		" ON CONFLICT (depot, epoch) DO UPDATE SET seq = excluded.seq, updated_at = now()";
	const char *p[3] = { depot, epoch, NULL };
	long long after = 0, last = 0;
	json_t *evs = NULL, *ev;
	char seq[24];
	size_t i;
	PGresult *r;
	int rc;

	if (shipped)
		*shipped = 0;
	if ((rc = exec(c, "BEGIN", "starting a batch", err)) < 0)
		return rc;
	/* an empty cursor row first, so that FOR UPDATE serialises two shippers of one ledger */
	r = PQexecParams(c->pg, "INSERT INTO hub_cursors(depot, epoch, seq) VALUES ($1, $2, 0)"
	                 " ON CONFLICT DO NOTHING", 2, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = pg_error(c, r, "reading the cursor", err);
		goto fail;
	}
	PQclear(r);
	r = PQexecParams(c->pg, cursor, 2, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		rc = pg_error(c, r, "reading the cursor", err);
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
			exec(c, "ROLLBACK", "ending a batch", NULL);
			if (at && exec(c, "BEGIN", "recording a conflict", err) == 0) {
				rc = record_key_conflict(c, depot, epoch, at, err);
				exec(c, rc == WMS_ESTATE ? "COMMIT" : "ROLLBACK", "recording a conflict", NULL);
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
			exec(c, "ROLLBACK", "ending a batch", NULL);
			if (exec(c, "BEGIN", "recording a conflict", err) < 0)
				goto out_free;
			rc = record_key_conflict(c, depot, epoch, ev, err);
			exec(c, rc == WMS_ESTATE ? "COMMIT" : "ROLLBACK", "recording a conflict", NULL);
			goto out_free;
		}
		last = json_integer_value(json_object_get(ev, "seq"));
	}
	snprintf(seq, sizeof seq, "%lld", last);
	p[2] = seq;
	r = PQexecParams(c->pg, advance, 3, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = pg_error(c, r, "advancing the cursor", err);
		goto fail;
	}
	PQclear(r);
	if ((rc = exec(c, "COMMIT", "committing a batch", err)) < 0)
		goto out_free;
	if (shipped)
		*shipped = (long)json_array_size(evs);
	json_decref(evs);
	return 0;
fail:
	exec(c, "ROLLBACK", "ending a batch", NULL);
out_free:
	json_decref(evs);
	return rc;
}

json_t *hub_status(struct pg_conn *c, struct wms_error *err)
{
	static const char sql[] =
		"SELECT k.depot, k.epoch, k.seq, coalesce(e.ts, 0),"
		" extract(epoch FROM k.updated_at)::bigint, extract(epoch FROM now() - k.updated_at)::bigint"
		" FROM hub_cursors k LEFT JOIN hub_events e"
		"   ON e.depot = k.depot AND e.epoch = k.epoch AND e.seq = k.seq"
		" ORDER BY k.depot, k.updated_at";
	PGresult *r = PQexec(c->pg, sql);
	json_t *out;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pg_error(c, r, "reading the cursors", err);
		return NULL;
	}
	out = json_array();
	for (int i = 0; out && i < PQntuples(r); i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}",
		        "depot", PQgetvalue(r, i, 0), "epoch", PQgetvalue(r, i, 1),
		        "seq", (json_int_t)strtoll(PQgetvalue(r, i, 2), NULL, 10),
		        "last_event", (json_int_t)strtoll(PQgetvalue(r, i, 3), NULL, 10),
		        "shipped_at", (json_int_t)strtoll(PQgetvalue(r, i, 4), NULL, 10),
		        "age_s", (json_int_t)strtoll(PQgetvalue(r, i, 5), NULL, 10)));
	PQclear(r);
	if (out == NULL)
		wms_error_set(err, WMS_ENOMEM, "out of memory");
	return out;
}
