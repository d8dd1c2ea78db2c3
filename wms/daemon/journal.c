/*
 * journal.c - the scan journal: every raw scan, durably, before anything
 * interprets it, so that a scan that crashed the daemon or was refused can
 * always be found again and replayed by hand.
 *
 * The core has no table for it yet; until it becomes a numbered core
 * migration the daemon creates it itself (CREATE TABLE IF NOT EXISTS).
 * The journal is an operational log, not the ledger: the outcome column is
 * filled in after the command ran.
 */
#include "wmsd.h"

#include "store_sql.h"
#include "wms_time.h"

static const char create_sql[] =
	"CREATE TABLE IF NOT EXISTS scan_journal ("
	" id INTEGER PRIMARY KEY,"
	" ts INTEGER NOT NULL,"                  /* UTC seconds, like events.at */
	" station TEXT NOT NULL,"
	" raw BLOB NOT NULL,"
	" result TEXT,"                          /* NULL while being handled */
	" event_id INTEGER REFERENCES events(id))";

int wmsd_journal_init(struct wms_store *s, struct wms_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(wms_store_db(s), create_sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = wms_error_set(err, WMS_EDB, "creating scan_journal: %s", msg ? msg : "?");
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

int wmsd_journal_add(struct wms_store *s, const char *station, const void *bytes, size_t len,
                     long long *id, struct wms_error *err)
{
	static const char sql[] = "INSERT INTO scan_journal (ts, station, raw) VALUES (?, ?, ?)";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	*id = 0;
	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, wms_now());
	sqlite3_bind_text(st, 2, station, -1, SQLITE_STATIC);
	/* a zero-length blob must still be a blob, not NULL */
	sqlite3_bind_blob(st, 3, len ? bytes : "", (int)len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return wms_store_sql_error(s, err, "journalling a scan");
	*id = sqlite3_last_insert_rowid(wms_store_db(s));
	sqlite3_reset(st);
	return 0;
}

int wmsd_journal_result(struct wms_store *s, long long id, const char *result, long long event_id,
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
	if (sqlite3_step(st) != SQLITE_DONE)
		return wms_store_sql_error(s, err, "recording a scan's outcome");
	sqlite3_reset(st);
	return 0;
}
