/*
 * store_sql.h - what the core's own modules (and rooms built over the core,
 * such as courier/ and reconditioning/) need of the store's SQLite handle:
 * cached prepared statements and the savepoint discipline of one command.
 * Not for the CLI or the daemon, which speak only the wms_*.h interfaces.
 */
#ifndef WMS_STORE_SQL_H
#define WMS_STORE_SQL_H

#include <sqlite3.h>

#include "wms_error.h"
#include "wms_store.h"

sqlite3 *wms_store_db(struct wms_store *s);

/*
 * A prepared statement for sql, prepared once per store and cached by the
 * address of the string (so pass a string literal or other static text).
 * It comes back reset with bindings cleared.  NULL on error (message in err).
 */
sqlite3_stmt *wms_store_stmt(struct wms_store *s, const char *sql, struct wms_error *err);

/* Fill err with SQLite's message about the last failure; returns WMS_EDB. */
int wms_store_sql_error(struct wms_store *s, struct wms_error *err, const char *what);

/*
 * One command's transaction: BEGIN IMMEDIATE when none is open, else a
 * SAVEPOINT inside the caller's batch.  cmd_end commits/releases when ok is
 * true, rolls back otherwise; it returns the commit's status.
 */
int wms_store_cmd_begin(struct wms_store *s, struct wms_error *err);
int wms_store_cmd_end(struct wms_store *s, int ok, struct wms_error *err);

/* Bind helpers: a NULL or empty text binds SQL NULL. */
int wms_bind_text_or_null(sqlite3_stmt *st, int idx, const char *text);

#endif
