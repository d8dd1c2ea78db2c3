/*
 * wms_store.h - the embedded SQLite store: open, migrate, transactions.
 *
 * A store is one SQLite database in WAL mode with foreign keys on, a busy
 * timeout and synchronous=FULL, so that a committed transaction survives a
 * power cut: the daemon acknowledges a scan only after its commit returns.
 * Opening a store applies the numbered migrations (PRAGMA user_version).
 *
 * One store is used by one thread at a time.
 */
#ifndef WMS_STORE_H
#define WMS_STORE_H

#include <stdbool.h>

#include "wms_error.h"

struct wms_store;   /* opaque */

struct wms_store_opts {
	bool read_only;        /* open without writing or migrating */
	bool fast_unsafe;      /* synchronous=OFF: bulk loads and benchmarks only */
	bool no_create;        /* a missing database is WMS_ENOTFOUND, never created (wmsd) */
	bool check_identity;   /* before each commit, the file at path must still be the
	                          one opened; else nothing is committed (WMS_EDB) and
	                          wms_store_lost() turns true */
};

/*
 * Open (creating if needed, unless opts->no_create) the database at path and
 * bring its schema to the latest version.  A write-ahead log left beside it
 * by a replaced file is moved aside first (wms_dblock.h; wms_store_notice()).  opts may be NULL.  On success *out owns the store, closed
 * with wms_store_close(); on failure *out is NULL.
 */
int  wms_store_open(const char *path, const struct wms_store_opts *opts,
                    struct wms_store **out, struct wms_error *err);
void wms_store_close(struct wms_store *s);            /* NULL-safe */

/* Once at the start of a long-running process (wmsd), before any store is
 * opened: SQLite keeps no global memory statistics (their mutex is taken by
 * every allocation of every statement). */
void wms_store_process_init(void);

/* The database was deleted or replaced under this store (check_identity):
 * it commits nothing more; close it and open the file that is there now. */
bool wms_store_lost(const struct wms_store *s);
/* 0 when this process may write the database, else WMS_EDB saying who owns
 * it (SQLite opens a write-protected file read-only without a word). */
int  wms_store_check_writable(struct wms_store *s, struct wms_error *err);
/* What opening did that the user should hear of (a stale log moved aside),
 * or "". */
const char *wms_store_notice(const struct wms_store *s);

/* Schema version of the open database and of this program. */
int  wms_store_schema_version(struct wms_store *s);
int  wms_store_latest_version(void);

/*
 * Group many commands into one transaction (bulk import, demo, benchmarks).
 * Commands issued inside run as savepoints: a refused command rolls back only
 * itself.  Without begin, every command is its own durable transaction.
 */
int  wms_store_begin(struct wms_store *s, struct wms_error *err);
int  wms_store_commit(struct wms_store *s, struct wms_error *err);
void wms_store_rollback(struct wms_store *s);

/*
 * begin, without waiting for another process's write lock: 1 when it is
 * taken (nothing begun), else as wms_store_begin().
 */
int  wms_store_begin_nowait(struct wms_store *s, struct wms_error *err);
/*
 * commit, without an fsync of its own (synchronous=NORMAL for this commit):
 * durable once a later wms_store_commit() returns.  A crash of the process
 * keeps it; a power cut before the next durable commit may not.
 */
int  wms_store_commit_nosync(struct wms_store *s, struct wms_error *err);

/*
 * One command's transaction: BEGIN IMMEDIATE when none is open, else a
 * SAVEPOINT inside the caller's batch (so that a refused command inside a
 * batch rolls back only itself).  cmd_end commits/releases when ok is true,
 * rolls back otherwise; it returns the commit's status.
 */
int  wms_store_cmd_begin(struct wms_store *s, struct wms_error *err);
int  wms_store_cmd_end(struct wms_store *s, int ok, struct wms_error *err);

/*
 * Whether err (English, as wmsd keeps it) is a database error because the
 * storage refuses writes (a read-only mount, a write-protected file); such a
 * message starts "database is read-only while ...".
 */
bool wms_store_error_readonly(const struct wms_error *err);

/* PRAGMA integrity_check and foreign_key_check; a message names the first fault. */
int  wms_store_check(struct wms_store *s, struct wms_error *err);

/* The triggers that guard the ledger against the ones the migrations create: a
 * missing or changed one is WMS_EDB naming it; with repair each is put back
 * instead (an audit entry each), counted in *restored. */
int  wms_store_check_triggers(struct wms_store *s, bool repair, int *restored, struct wms_error *err);

/* Copy the database, while it is in use, into the new file `file` (SQLite's
 * online backup); WMS_EEXIST when file exists, nothing written then. */
int  wms_store_backup(struct wms_store *s, const char *file, struct wms_error *err);
/* Replace the whole content of s with the database in file (a backup),
 * after an integrity check of file, then migrate it.  The caller makes sure
 * no daemon has s open (wms_dblock.h). */
int  wms_store_restore(struct wms_store *s, const char *file, struct wms_error *err);

/* Number of rows in the append-only ledger. */
long long wms_store_event_count(struct wms_store *s);

#endif
