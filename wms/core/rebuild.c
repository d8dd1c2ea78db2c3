/*
 * rebuild.c - replaying the ledger into fresh projections (see wms_rebuild.h).
 */
#include "wms_progress.h"
#include "wms_rebuild.h"

#include "projection.h"
#include "store_sql.h"

#include <string.h>

static const char *const projections[] = { "devices", "orders", "rentals" };

/* Columns compared per projection (rentals' rowid is an implementation detail). */
static const char *const compared[] = {
	"*", "*", "device_id, customer_id, order_id, start_ts, end_ts",
};

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

static int replay(struct wms_store *s, struct wms_error *err)
{
	sqlite3_stmt *st = NULL;
	long long done = 0, total = wms_store_event_count(s);
	int rc = 0, step;

	if (sqlite3_prepare_v2(wms_store_db(s),
	        "SELECT id, ts, type, device_id, order_id, from_state, to_state, location_id, payload"
	        " FROM events ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return wms_store_sql_error(s, err, "reading the ledger");
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
		rc = wms_project_event(s, &ev, err);
		json_decref(ev.payload);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = wms_store_sql_error(s, err, "reading the ledger");
	sqlite3_finalize(st);
	wms_progress(total, total);
	return rc;
}

static long count_differences(struct wms_store *s, struct wms_error *err)
{
	long total = 0;
	char sql[512];

	for (size_t i = 0; i < sizeof projections / sizeof projections[0]; i++) {
		sqlite3_stmt *st = NULL;
		snprintf(sql, sizeof sql,
		         "SELECT (SELECT count(*) FROM (SELECT %s FROM main.%s EXCEPT SELECT %s FROM temp.live_%s))"
		         " + (SELECT count(*) FROM (SELECT %s FROM temp.live_%s EXCEPT SELECT %s FROM main.%s))",
		         compared[i], projections[i], compared[i], projections[i],
		         compared[i], projections[i], compared[i], projections[i]);
		if (sqlite3_prepare_v2(wms_store_db(s), sql, -1, &st, NULL) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_finalize(st);
			wms_store_sql_error(s, err, "comparing projections");
			return -1;
		}
		total += sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return total;
}

int wms_rebuild(struct wms_store *s, bool verify_only, long *differences, struct wms_error *err)
{
	char sql[256];
	long diff = 0;
	int rc;

	if ((rc = wms_store_begin(s, err)) < 0)
		return rc;
	/* Foreign keys from projections to projections are not declared, so the
	 * order of deletion does not matter. */
	for (size_t i = 0; rc == 0 && i < sizeof projections / sizeof projections[0]; i++) {
		snprintf(sql, sizeof sql,
		         "DROP TABLE IF EXISTS temp.live_%s; CREATE TEMP TABLE live_%s AS SELECT * FROM main.%s;"
		         " DELETE FROM main.%s;",
		         projections[i], projections[i], projections[i], projections[i]);
		rc = exec(s, sql, err);
	}
	if (rc == 0)
		rc = replay(s, err);
	if (rc == 0 && (diff = count_differences(s, err)) < 0)
		rc = WMS_EDB;
	for (size_t i = 0; i < sizeof projections / sizeof projections[0]; i++) {
		snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS temp.live_%s", projections[i]);
		sqlite3_exec(wms_store_db(s), sql, NULL, NULL, NULL);
	}
	if (rc < 0 || verify_only) {
		wms_store_rollback(s);
	} else if ((rc = wms_store_commit(s, err)) < 0) {
		return rc;
	}
	if (rc == 0 && differences)
		*differences = diff;
	return rc;
}
