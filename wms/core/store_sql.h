/*
 * store_sql.h - what the core's own modules (and rooms built over the core,
 * such as courier/ and reconditioning/) need of the store's SQLite handle:
 * cached prepared statements and the savepoint discipline of one command.
 * Not for the CLI or the daemon, which speak only the wms_*.h interfaces.
 */
#ifndef WMS_STORE_SQL_H
#define WMS_STORE_SQL_H

#include <sqlite3.h>
#include <stddef.h>

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
 * The transaction of a command that applies ledger commands inside it
 * (courier/, reconditioning/): a store batch of its own when no transaction
 * is open (the ledger then runs as savepoints), else a savepoint inside the
 * caller's.  *own says which.  outer_end commits (ok) or rolls back; it
 * returns the commit's status (0 after a rollback).
 */
int wms_store_outer_begin(struct wms_store *s, bool *own, struct wms_error *err);
int wms_store_outer_end(struct wms_store *s, bool own, bool ok, struct wms_error *err);

/* Step a statement that returns no rows, and reset it; 0 or WMS_EDB ("while <what>"). */
int wms_store_step_done(struct wms_store *s, sqlite3_stmt *st, const char *what,
                        struct wms_error *err);

/* Bind helpers: a NULL or empty text binds SQL NULL. */
int wms_bind_text_or_null(sqlite3_stmt *st, int idx, const char *text);

/*
 * Step sql once for one key: ?1 = key as text, or id when key is NULL.
 * 1 = a row: *row stands on it; read its columns, then sqlite3_reset(*row).
 * 0 = no row; WMS_EDB on error (err: "database error while <what>: ...").
 */
int wms_store_row(struct wms_store *s, const char *sql, const char *key, long long id,
                  sqlite3_stmt **row, const char *what, struct wms_error *err);

/*
 * Look up one id by a text key: sql selects the id as column 0 (and, when
 * kind is not NULL, a text as column 1, copied into kind) where ?1 = key.
 * 0 = found, WMS_ENOTFOUND (err untouched: the caller says what is unknown)
 * or WMS_EDB.
 */
int wms_store_lookup_id(struct wms_store *s, const char *sql, const char *key, long long *id,
                        char *kind, size_t kind_len, struct wms_error *err);

#endif
