/*
 * hub_catalog.c - the catalogue maintained at the hub flowing down to the
 * depots (see hub.h): the hub publishes each changed row of its own
 * database as a catalogue event with the next hub sequence, a depot pulls
 * the events after its cursor and applies them with the core's
 * wms_catalog_apply (the discipline of shipping, reversed).
 */
#include "hub.h"
#include "hub_impl.h"

#include "wms_catalog_central.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

int hub_catalog_publish(struct pg_conn *c, struct wms_store *store, unsigned long long *mark, long *published,
                        struct wms_error *err)
{
	/* writers one at a time, each taking the next sequences: a depot that
	 * read sequence n has every event below it (no gap a later commit fills) */
	static const char lock[] = "SELECT pg_advisory_xact_lock(hashtext('wms hub catalogue'))";
	static const char sql[] =
		"WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(kind text, code text, body jsonb)),"
		" ch AS (SELECT x.kind, x.code, x.body FROM x WHERE x.body IS DISTINCT FROM (SELECT h.body"
		"   FROM hub_catalog h WHERE h.kind = x.kind AND h.code = x.code ORDER BY h.seq DESC LIMIT 1))"
		" INSERT INTO hub_catalog(seq, kind, code, body) SELECT (SELECT coalesce(max(seq), 0) FROM hub_catalog)"
		"   + row_number() OVER (ORDER BY kind, code), kind, code, body FROM ch";
	json_t *rows = wms_catalog_export(store, err);
	char *text = rows ? json_dumps(rows, JSON_COMPACT) : NULL;
	const char *p[1] = { text };
	uint64_t fp;
	PGresult *r;
	int rc;

	*published = 0;
	json_decref(rows);
	if (text == NULL)
		return rows ? wms_error_set(err, WMS_ENOMEM, "out of memory") : (err && err->code ? err->code : WMS_EDB);
	fp = fnv64(text);
	if (mark && *mark == fp) {         /* nothing changed since the last publication */
		free(text);
		return 0;
	}
	if ((rc = hub_exec(c, "BEGIN", "publishing the catalogue", err)) == 0 &&
	    (rc = hub_exec(c, lock, "publishing the catalogue", err)) == 0) {
		r = hub_ask(c, sql, 1, p);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = hub_pg_error(c, r, "publishing the catalogue", err);
		else {
			*published = strtol(PQcmdTuples(r), NULL, 10);
			PQclear(r);
			rc = hub_exec(c, "COMMIT", "publishing the catalogue", err);
		}
	}
	free(text);
	if (rc < 0) {
		hub_exec(c, "ROLLBACK", "publishing the catalogue", NULL);
		*published = 0;
		return rc;
	}
	if (mark)
		*mark = fp;
	return 0;
}

/* The catalogue events after seq, at most batch: [{seq, kind, code, body}]. */
static json_t *events_after(struct pg_conn *c, long long seq, int batch, struct wms_error *err)
{
	static const char sql[] =
		"SELECT seq, kind, code, body::text FROM hub_catalog WHERE seq > $1 ORDER BY seq LIMIT $2";
	char a[24], b[24];
	const char *p[2] = { a, b };
	PGresult *r;
	json_t *rows;

	snprintf(a, sizeof a, "%lld", seq);
	snprintf(b, sizeof b, "%d", batch > 0 ? batch : 1000);
	r = hub_ask(c, sql, 2, p);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		hub_pg_error(c, r, "reading the catalogue", err);
		return NULL;
	}
	rows = json_array();
	for (int i = 0; rows && i < PQntuples(r); i++) {
		json_t *body = json_loads(PQgetvalue(r, i, 3), 0, NULL);
		if (body == NULL || json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:o}",
		                  "seq", (json_int_t)strtoll(PQgetvalue(r, i, 0), NULL, 10),
		                  "kind", PQgetvalue(r, i, 1), "code", PQgetvalue(r, i, 2), "body", body)) < 0) {
			json_decref(rows);
			rows = NULL;
		}
	}
	PQclear(r);
	if (rows == NULL)
		wms_error_set(err, WMS_ENOMEM, "out of memory");
	return rows;
}

/* A statement with n text parameters that returns no rows. */
static int command(struct pg_conn *c, const char *sql, int n, const char *const *p, const char *what,
                   struct wms_error *err)
{
	PGresult *r = hub_ask(c, sql, n, p);

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return hub_pg_error(c, r, what, err);
	PQclear(r);
	return 0;
}

int hub_catalog_pull(struct pg_conn *c, struct wms_store *store, const char *depot, int batch, long *pulled,
                     long *conflicts, struct wms_error *err)
{
	static const char listed[] =
		"INSERT INTO hub_conflicts(kind, depot, epoch, seq, detail)"
		" SELECT 'catalog', $1, x.kind, x.seq, x.kind || ' ' || x.code || ' of the hub''s catalogue (event '"
		"   || x.seq || ') is defined at depot ' || $1 || ' otherwise: ' || x.detail"
		"   || '; the depot keeps its own until a person decides'"
		" FROM jsonb_to_recordset($2::jsonb) AS x(seq bigint, kind text, code text, detail text)"
		" ON CONFLICT DO NOTHING";
	static const char pulls[] =
		"INSERT INTO hub_catalog_pulls(depot, seq) VALUES ($1, $2)"
		" ON CONFLICT (depot) DO UPDATE SET seq = excluded.seq, pulled_at = now()";
	json_t *rows = NULL, *found = NULL;
	long long cur, top, upto = 0;
	char seq[24];
	const char *p[2] = { depot, NULL };
	PGresult *r;
	int rc;

	*pulled = 0;
	if (conflicts)
		*conflicts = 0;
	if ((rc = wms_catalog_pulled(store, &cur, err)) < 0)
		return rc;
	r = hub_ask(c, "SELECT coalesce(max(seq), 0) FROM hub_catalog", 0, NULL);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		return hub_pg_error(c, r, "reading the catalogue", err);
	top = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	/* a hub restored from an older backup: read its catalogue again from
	 * the start (applying a row again changes nothing) */
	if ((rows = events_after(c, top < cur ? 0 : cur, batch, err)) == NULL)
		return err && err->code ? err->code : WMS_EIO;
	if ((found = wms_catalog_conflicts(store, rows, err)) == NULL) {
		rc = err && err->code ? err->code : WMS_EDB;
		goto out;
	}
	/* the hub hears of a conflict before the cursor passes it */
	if (json_array_size(found) > 0) {
		char *text = json_dumps(found, JSON_COMPACT);
		p[1] = text;
		rc = text ? command(c, listed, 2, p, "listing a catalogue conflict", err)
		          : wms_error_set(err, WMS_ENOMEM, "out of memory");
		free(text);
		if (rc < 0)
			goto out;
	}
	if ((rc = wms_catalog_apply(store, rows, found, &upto, pulled, err)) < 0)
		goto out;
	if (conflicts)
		*conflicts = (long)json_array_size(found);
	snprintf(seq, sizeof seq, "%lld", upto);
	p[1] = seq;
	rc = command(c, pulls, 2, p, "recording the catalogue cursor", err);
out:
	json_decref(rows);
	json_decref(found);
	return rc;
}
