/*
 * journal.c - the scan journal: every raw scan, durably, before anything
 * interprets it, so that a scan that crashed the daemon or was refused can
 * always be found again and replayed by hand.
 *
 * The table is core migration 2 (schema.c).  The journal is an
 * operational log, not the ledger: the outcome column is filled in after
 * the command ran.
 */
#include "wms_journal.h"

#include "store_sql.h"
#include "wms_time.h"

int wms_journal_add(struct wms_store *s, const char *station, const void *bytes, size_t len,
                    long long *id, struct wms_error *err)
{
	return wms_journal_add_at(s, wms_now(), station, bytes, len, id, err);
}

int wms_journal_add_at(struct wms_store *s, wms_time ts, const char *station, const void *bytes,
                       size_t len, long long *id, struct wms_error *err)
{
	static const char sql[] = "INSERT INTO scan_journal (ts, station, raw) VALUES (?, ?, ?)";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	*id = 0;
	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, ts);
	sqlite3_bind_text(st, 2, station, -1, SQLITE_STATIC);
	/* a zero-length blob must still be a blob, not NULL */
	sqlite3_bind_blob(st, 3, len ? bytes : "", (int)len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		wms_store_sql_error(s, err, "journalling a scan");
		sqlite3_reset(st);
		return WMS_EDB;
	}
	*id = sqlite3_last_insert_rowid(wms_store_db(s));
	sqlite3_reset(st);
	return 0;
}

int wms_journal_result(struct wms_store *s, long long id, const char *result, long long event_id,
                       struct wms_error *err)
{
	static const char sql[] = "UPDATE scan_journal SET result = ?, event_id = ? WHERE id = ?";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, result, -1, SQLITE_STATIC);
	if (event_id > 0)
		sqlite3_bind_int64(st, 2, event_id);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		wms_store_sql_error(s, err, "recording a scan's outcome");
		sqlite3_reset(st);
		return WMS_EDB;
	}
	sqlite3_reset(st);
	return 0;
}

int wms_journal_has(struct wms_store *s, wms_time ts, const char *station, const void *bytes,
                    size_t len, struct wms_error *err)
{
	static const char sql[] = "SELECT 1 FROM scan_journal WHERE id > (SELECT coalesce(max(id), 0)"
	                          " - 10000 FROM scan_journal) AND ts = ? AND station = ? AND raw = ?";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, ts);
	sqlite3_bind_text(st, 2, station, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, len ? bytes : "", (int)len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "looking a scan up in the journal");
}

int wms_station_state_put(struct wms_store *s, const struct wms_station_state *state,
                          struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO station_state (station, mode, language, actor, pending, updated_ts)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (station) DO UPDATE SET mode = ?2,"
		" language = ?3, actor = ?4, pending = ?5, updated_ts = ?6";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, state->station, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, state->mode, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, state->language ? state->language : "en", -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 4, state->actor);
	wms_bind_text_or_null(st, 5, state->pending);
	sqlite3_bind_int64(st, 6, wms_now());
	return wms_store_step_done(s, st, "recording a station's state", err);
}
