/*
 * audit.c - the append-only audit trail of API changes (see wms_audit.h).
 */
#include "wms_audit.h"

#include "store_sql.h"

#include <string.h>

int wms_audit_add(struct wms_store *s, wms_time at, const char *actor, const char *station,
                  const char *action, int status, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO audit (ts, actor, station, action, status) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	size_t n = strlen(action);

	if (st == NULL)
		return WMS_EDB;
	if (n > WMS_AUDIT_ACTION_MAX)
		n = WMS_AUDIT_ACTION_MAX;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, station, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, (int)n, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, status);
	return wms_store_step_done(s, st, "recording the audit trail", err);
}

json_t *wms_audit_list(struct wms_store *s, int limit, const char *actor, struct wms_error *err)
{
	static const char sql[] =
		"SELECT id, ts, actor, station, action, status FROM audit"
		" WHERE ?1 IS NULL OR actor = ?1 ORDER BY id DESC LIMIT ?2";
	sqlite3_stmt *st;
	json_t *rows;
	int rc;

	if (limit < 1 || limit > 1000) {
		wms_error_set(err, WMS_EINVAL, "limit %d is out of range; allowed: 1-1000", limit);
		return NULL;
	}
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return NULL;
	if ((rows = json_array()) == NULL) {
		wms_error_set(err, WMS_ENOMEM, "out of memory listing the audit trail");
		return NULL;
	}
	wms_bind_text_or_null(st, 1, actor);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char at[32];
		wms_time_format(sqlite3_column_int64(st, 1), at);
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:i}",
			"id", (json_int_t)sqlite3_column_int64(st, 0), "at", at,
			"actor", (const char *)sqlite3_column_text(st, 2),
			"station", (const char *)sqlite3_column_text(st, 3),
			"action", (const char *)sqlite3_column_text(st, 4),
			"status", sqlite3_column_int(st, 5)));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(rows);
		wms_store_sql_error(s, err, "listing the audit trail");
		return NULL;
	}
	return rows;
}
