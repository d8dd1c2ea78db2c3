/*
 * rebuild.c - replaying the ledger into fresh projections (see wms_rebuild.h).
 *
 * The replay never holds the database's write lock, so that wmsd goes on
 * journalling and acknowledging scans meanwhile:
 *
 *   1. one read transaction (a snapshot: events up to id N): TEMP tables
 *      named like the projections shadow them (unqualified names resolve to
 *      TEMP first), and the projection code replays events 1..N into them;
 *      the differences with the live tables are counted, and the keys of
 *      the rows that differ (a device, an order, a device's rentals) kept;
 *   2. the differing keys are written into the live tables in slices of at
 *      most SLICE_KEYS keys or SLICE_MS milliseconds per transaction.  A key
 *      with an event after N was projected live by the writer of that event
 *      (the replay would be older): it is left as it is.
 *
 * With live projections that are right (the usual case) step 2 writes
 * nothing at all.
 *
 * The lead-time histograms (lt_cells, leadtime_hist.h) are replayed into a
 * TEMP twin as well and compared; they have no key a slice could replace,
 * so when they or the orders differ they are counted again from the live
 * orders in one transaction after the slices (wms_lt_recount).
 */
#include "wms_progress.h"
#include "wms_rebuild.h"

#include "leadtime_hist.h"
#include "projection.h"
#include "store_sql.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define SLICE_KEYS 500
#define SLICE_MS   50

struct projection {
	const char *table;
	const char *compared;    /* columns compared (rentals' id is an implementation detail) */
	const char *key;         /* what a slice replaces: all rows with one key */
	const char *event_key;   /* the events column naming that key */
	const char *copied;      /* columns copied from the replay */
};

static const struct projection projections[] = {
	{ "devices", "*", "id", "device_id", "*" },
	{ "orders", "*", "id", "order_id", "*" },
	{ "rentals", "device_id, customer_id, order_id, start_ts, end_ts", "device_id", "device_id",
	  "device_id, customer_id, order_id, start_ts, end_ts" },
};
#define N_PROJECTIONS (sizeof projections / sizeof projections[0])

static int exec(struct wms_store *s, const char *sql, struct wms_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(wms_store_db(s), sql, NULL, NULL, &msg) != SQLITE_OK) {
		wms_error_set(err, WMS_EDB, "database error while rebuilding: %s",
		              msg ? msg : sqlite3_errmsg(wms_store_db(s)));
		sqlite3_free(msg);
		return WMS_EDB;
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* TEMP twins of the projections with their indexes (the replay's UPDATEs
 * look rows up by them), without triggers. */
static int make_shadows(struct wms_store *s, struct wms_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(wms_store_db(s),
	        "SELECT type, name, sql FROM main.sqlite_master WHERE tbl_name IN ('devices', 'orders', "
	        "'rentals', 'lt_cells') AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type = 'index'",
	        -1, &st, NULL) != SQLITE_OK)
		return wms_store_sql_error(s, err, "reading the projections' schema");
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *sql = (const char *)sqlite3_column_text(st, 2);
		const char *rest;
		char *ddl;
		if (strcmp(type, "table") == 0) {
			rest = strchr(sql, '(');
			ddl = sqlite3_mprintf("CREATE TEMP TABLE \"%w\" %s", name, rest ? rest : "");
		} else {
			/* "CREATE [UNIQUE] INDEX name ON ..." -> "... INDEX temp.name ON ..." */
			const char *on = strstr(sql, " ON ");
			ddl = sqlite3_mprintf("CREATE %sINDEX temp.\"%w\"%s",
			                      strncmp(sql, "CREATE UNIQUE", 13) == 0 ? "UNIQUE " : "", name,
			                      on ? on : "");
		}
		rc = ddl ? exec(s, ddl, err) : wms_error_set(err, WMS_ENOMEM, "out of memory");
		sqlite3_free(ddl);
	}
	sqlite3_finalize(st);
	return rc;
}

static void drop_shadows(struct wms_store *s)
{
	char sql[128];

	sqlite3_exec(wms_store_db(s), "DROP TABLE IF EXISTS temp.lt_cells", NULL, NULL, NULL);
	for (size_t i = 0; i < N_PROJECTIONS; i++) {
		snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS temp.\"%s\"; DROP TABLE IF EXISTS "
		         "temp.rebuild_keys_%s", projections[i].table, projections[i].table);
		sqlite3_exec(wms_store_db(s), sql, NULL, NULL, NULL);
	}
}

static int replay(struct wms_store *s, long long upto, struct wms_error *err)
{
	sqlite3_stmt *st = NULL;
	long long done = 0, total = wms_store_event_count(s);
	int rc = 0, step;

	if (sqlite3_prepare_v2(wms_store_db(s),
	        "SELECT id, ts, type, device_id, order_id, from_state, to_state, location_id, payload"
	        " FROM main.events WHERE id <= ?1 ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return wms_store_sql_error(s, err, "reading the ledger");
	sqlite3_bind_int64(st, 1, upto);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct wms_event ev = { 0 };
		const char *type = (const char *)sqlite3_column_text(st, 2);
		const char *from = (const char *)sqlite3_column_text(st, 5);
		const char *to = (const char *)sqlite3_column_text(st, 6);
		const char *payload = (const char *)sqlite3_column_text(st, 8);
		int t = wms_event_from_name(type ? type : "");

		if (++done % 4096 == 0)
			wms_progress(done, total);
		ev.id = sqlite3_column_int64(st, 0);
		ev.ts = sqlite3_column_int64(st, 1);
		ev.device_id = sqlite3_column_int64(st, 3);
		ev.order_id = sqlite3_column_int64(st, 4);
		ev.location_id = sqlite3_column_int64(st, 7);
		ev.from = from ? (enum wms_state)wms_state_from_name(from) : WMS_ST_NONE;
		ev.to = to ? (enum wms_state)wms_state_from_name(to) : WMS_ST_NONE;
		if (t < 0 || (int)ev.from < 0 || (int)ev.to < 0) {
			rc = wms_error_set(err, WMS_EDB, "event %lld has an unknown type or state", ev.id);
			break;
		}
		ev.type = (enum wms_event_type)t;
		ev.payload = payload ? json_loads(payload, 0, NULL) : json_object();
		if (ev.payload == NULL) {
			rc = wms_error_set(err, WMS_EDB, "event %lld has an unreadable payload", ev.id);
			break;
		}
		rc = wms_project_event(s, &ev, err);   /* into the TEMP twins */
		json_decref(ev.payload);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = wms_store_sql_error(s, err, "reading the ledger");
	sqlite3_finalize(st);
	wms_progress(total, total);
	return rc;
}

static long long one_int(struct wms_store *s, const char *sql, struct wms_error *err)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(wms_store_db(s), sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		wms_store_sql_error(s, err, "comparing projections");
	else
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Rows that differ between the live table and its replay; the differing
 * keys go into temp.rebuild_keys_TABLE. */
static long count_differences(struct wms_store *s, const char *compared, const char *table,
                              struct wms_error *err)
{
	char *sql = sqlite3_mprintf(
	    "SELECT (SELECT count(*) FROM (SELECT %s FROM main.%s EXCEPT SELECT %s FROM temp.%s))"
	    " + (SELECT count(*) FROM (SELECT %s FROM temp.%s EXCEPT SELECT %s FROM main.%s))",
	    compared, table, compared, table, compared, table, compared, table);
	long long n = sql ? one_int(s, sql, err) : -1;

	sqlite3_free(sql);
	return (long)n;
}

static long differences(struct wms_store *s, const struct projection *p, struct wms_error *err)
{
	char *sql;
	long n = count_differences(s, p->compared, p->table, err);

	if (n <= 0)
		return n;
	sql = sqlite3_mprintf(
	    "CREATE TEMP TABLE rebuild_keys_%s AS SELECT DISTINCT %s AS k FROM ("
	    " SELECT * FROM (SELECT %s FROM main.%s EXCEPT SELECT %s FROM temp.%s)"
	    " UNION ALL SELECT * FROM (SELECT %s FROM temp.%s EXCEPT SELECT %s FROM main.%s))"
	    " ORDER BY k",
	    p->table, p->key, p->compared, p->table, p->compared, p->table, p->compared, p->table,
	    p->compared, p->table);
	if (sql == NULL || exec(s, sql, err) < 0)
		n = -1;
	sqlite3_free(sql);
	return (long)n;
}

/* Step 2: the differing keys of one projection, slice by slice. */
static int apply(struct wms_store *s, const struct projection *p, long long upto,
                 struct wms_error *err)
{
	long long last = -1;
	bool all = strcmp(p->copied, "*") == 0;     /* every column, the id included */
	char *sql = NULL;
	int rc = 0;

	for (;;) {
		long long start = now_ms(), k;
		int n = 0;
		sqlite3_stmt *keys = NULL;

		if ((rc = wms_store_begin(s, err)) < 0)
			return rc;
		sql = sqlite3_mprintf("SELECT k FROM temp.rebuild_keys_%s WHERE k > ?1 ORDER BY k", p->table);
		if (sql == NULL || sqlite3_prepare_v2(wms_store_db(s), sql, -1, &keys, NULL) != SQLITE_OK)
			rc = wms_store_sql_error(s, err, "rebuilding");
		sqlite3_free(sql);
		if (rc == 0)
			sqlite3_bind_int64(keys, 1, last);
		while (rc == 0 && n < SLICE_KEYS && now_ms() - start < SLICE_MS &&
		       sqlite3_step(keys) == SQLITE_ROW) {
			k = sqlite3_column_int64(keys, 0);
			last = k;
			n++;
			/* a later event than the replay's was projected live: keep that */
			sql = sqlite3_mprintf(
			    "DELETE FROM main.%s WHERE %s = %lld AND NOT EXISTS (SELECT 1 FROM main.events"
			    " WHERE %s = %lld AND id > %lld);"
			    "INSERT INTO main.%s %s%s%s SELECT %s FROM temp.%s WHERE %s = %lld AND NOT EXISTS"
			    " (SELECT 1 FROM main.events WHERE %s = %lld AND id > %lld)",
			    p->table, p->key, k, p->event_key, k, upto,
			    p->table, all ? "" : "(", all ? "" : p->copied, all ? "" : ")", p->copied,
			    p->table, p->key, k, p->event_key, k, upto);
			rc = sql ? exec(s, sql, err) : wms_error_set(err, WMS_ENOMEM, "out of memory");
			sqlite3_free(sql);
		}
		sqlite3_finalize(keys);
		if (rc < 0) {
			wms_store_rollback(s);
			return rc;
		}
		if ((rc = wms_store_commit(s, err)) < 0)
			return rc;
		if (n < SLICE_KEYS && now_ms() - start < SLICE_MS)
			return 0;            /* the keys ran out before the slice did */
	}
}

int wms_rebuild(struct wms_store *s, bool verify_only, long *differences_out, struct wms_error *err)
{
	long diff = 0, d[N_PROJECTIONS] = { 0 }, cells = 0;
	long long upto;
	int rc;

	if (sqlite3_get_autocommit(wms_store_db(s)) == 0)
		return wms_error_set(err, WMS_EINVAL, "a rebuild runs outside any transaction");
	drop_shadows(s);
	/* the TEMP twins have no parents of their own (products, customers) */
	if ((rc = exec(s, "PRAGMA foreign_keys = OFF", err)) < 0)
		return rc;
	if ((rc = exec(s, "BEGIN", err)) < 0)            /* a read snapshot, no write lock */
		goto out;
	upto = one_int(s, "SELECT coalesce(max(id), 0) FROM main.events", err);
	rc = upto < 0 ? WMS_EDB : make_shadows(s, err);
	if (rc == 0)
		rc = replay(s, upto, err);
	for (size_t i = 0; rc == 0 && i < N_PROJECTIONS; i++) {
		if ((d[i] = differences(s, &projections[i], err)) < 0)
			rc = WMS_EDB;
		else
			diff += d[i];
	}
	if (rc == 0) {
		cells = count_differences(s, "*", "lt_cells", err);
		if (cells < 0)
			rc = WMS_EDB;
		else
			diff += cells;
	}
	if (rc < 0) {
		sqlite3_exec(wms_store_db(s), "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	if ((rc = exec(s, "COMMIT", err)) < 0)             /* writes only TEMP: no fsync */
		goto out;
	for (size_t i = 0; rc == 0 && !verify_only && i < N_PROJECTIONS; i++)
		if (d[i] > 0)
			rc = apply(s, &projections[i], upto, err);
	if (rc == 0 && !verify_only && (cells > 0 || d[1] > 0)) {
		if ((rc = wms_store_begin(s, err)) == 0 && (rc = wms_lt_recount(s, NULL, err)) == 0)
			rc = wms_store_commit(s, err);
		else if (rc < 0)
			wms_store_rollback(s);
	}
out:
	drop_shadows(s);
	sqlite3_exec(wms_store_db(s), "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rc == 0 && differences_out)
		*differences_out = diff;
	return rc;
}
