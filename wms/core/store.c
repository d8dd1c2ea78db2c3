/*
 * store.c - opening the SQLite store, migrations, statement cache and the
 * transaction discipline of one command (see wms_store.h, store_sql.h).
 */
#include "chain.h"
#include "leadtime_hist.h"
#include "ledger_bulk.h"
#include "schema.h"
#include "store_sql.h"
#include "wms_ledger.h"
#include "wms_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wms_dblock.h"

#define STMT_CACHE_MAX 192
#define STMT_SLOTS 512          /* open addressing by the text's address; a power of two */

struct cached_stmt {
	const char *sql;        /* identity: the address of the caller's text */
	sqlite3_stmt *stmt;
};

struct wms_store {
	sqlite3 *db;
	int batch_depth;        /* > 0 while wms_store_begin() holds a transaction */
	int n_cached;
	struct cached_stmt cache[STMT_CACHE_MAX];
	short slot[STMT_SLOTS];     /* cache index + 1 by hash of the address, 0 = free */
	struct lt_state *lt;    /* the lead-time rules as the database holds them (leadtime_hist.c) */
	struct wms_bulk *bulk;  /* the open bulk ledger session of the batch, or NULL */
	struct wms_bulk *bulk_kept;   /* the last batch's session, for the next (ledger_bulk.h) */
	bool check_identity;    /* compare the path with the open file before each commit */
	bool lost;              /* it differed once: nothing more is committed */
	dev_t dev;              /* the database file opened */
	ino_t ino;
	char path[4096];
	char notice[600];
};

static bool refused_write(int sys)
{
	return sys == EROFS || sys == EPERM || sys == EACCES;
}

/* Why the kernel refuses writes to the database file or its log now (a
 * read-only mount, an immutable file), or 0.  Asked after a failed write:
 * SQLite's errno of it is often overwritten by the time it reports. */
static int refusing_writes(struct wms_store *s)
{
	const char *path = sqlite3_db_filename(s->db, "main");
	char wal[4096];

	if (path == NULL || path[0] == '\0')
		return 0;
	if (access(path, W_OK) < 0 && refused_write(errno))
		return errno;
	snprintf(wal, sizeof wal, "%s-wal", path);
	if (access(wal, W_OK) < 0 && refused_write(errno))
		return errno;
	return 0;
}

int wms_store_sql_error(struct wms_store *s, struct wms_error *err, const char *what)
{
	int code = s && s->db ? sqlite3_errcode(s->db) & 0xff : SQLITE_ERROR;   /* primary code */
	int sys = s && s->db ? sqlite3_system_errno(s->db) : 0;

	if (code == SQLITE_IOERR && sys == 0)
		sys = refusing_writes(s);
	/* storage that refuses writes (a read-only mount, a write-protected file)
	 * is one message whatever SQLite calls it, so that callers can say so */
	if ((code == SQLITE_READONLY || code == SQLITE_IOERR) && refused_write(sys))
		return wms_error_set(err, WMS_EDB, "database is read-only while %s: %s (%s)", what,
		                     sqlite3_errmsg(s->db), strerror(sys));
	if (code == SQLITE_READONLY)
		return wms_error_set(err, WMS_EDB, "database is read-only while %s: %s", what,
		                     sqlite3_errmsg(s->db));
	/* an I/O error says more with the system's reason: "File too large", "No space left" */
	if ((code == SQLITE_IOERR || code == SQLITE_FULL) && sys != 0)
		return wms_error_set(err, WMS_EDB, "database error while %s: %s (%s)", what,
		                     sqlite3_errmsg(s->db), strerror(sys));
	return wms_error_set(err, WMS_EDB, "database error while %s: %s", what,
	                     s && s->db ? sqlite3_errmsg(s->db) : "no database");
}

bool wms_store_error_readonly(const struct wms_error *err)
{
	return err != NULL && err->code == WMS_EDB &&
	       strncmp(err->msg, "database is read-only", strlen("database is read-only")) == 0;
}

/* After a failed COMMIT (an I/O error, a full disk) no statement may stay
 * active: an unreset one keeps its read transaction and the pager in its
 * error state, so that every later write fails even once the disk has room.
 * Only there: a refused command must not reset a caller's running query. */
static void reset_all(struct wms_store *s)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(s->db, NULL); st; st = sqlite3_next_stmt(s->db, st))
		sqlite3_reset(st);
}

/* Is the file at the database's path still the one SQLite has open?  A
 * database deleted or replaced (`mv backup.db wms.db`) under a running
 * process would otherwise take commits into a file nobody will read again,
 * or mix an old log into the new file.  Once lost, always lost. */
static int same_file(struct wms_store *s, struct wms_error *err)
{
	struct stat st;

	if (!s->check_identity)
		return 0;
	if (!s->lost && stat(s->path, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)
		return 0;
	s->lost = true;
	if (stat(s->path, &st) < 0)
		return wms_error_set(err, WMS_EDB, "database file %s was deleted while open (%s); "
		                     "nothing committed", s->path, strerror(errno));
	return wms_error_set(err, WMS_EDB, "database file %s was replaced while open (inode %llu, "
	                     "now %llu); nothing committed", s->path, (unsigned long long)s->ino,
	                     (unsigned long long)st.st_ino);
}

int wms_store_check_writable(struct wms_store *s, struct wms_error *err)
{
	struct stat st;

	if (sqlite3_db_readonly(s->db, "main") != 1)
		return 0;
	if (stat(s->path, &st) < 0)
		return wms_error_set(err, WMS_EDB, "database %s is read-only", s->path);
	return wms_error_set(err, WMS_EDB, "database %s is read-only for this process (uid %ld): "
	                     "the file belongs to uid %ld gid %ld with mode %04o; give it to the user "
	                     "wmsd runs as (chown), or mount its storage writable",
	                     s->path, (long)geteuid(), (long)st.st_uid, (long)st.st_gid,
	                     (unsigned)(st.st_mode & 07777));
}

bool wms_store_lost(const struct wms_store *s)
{
	return s != NULL && s->lost;
}

const char *wms_store_notice(const struct wms_store *s)
{
	return s->notice;
}

static int exec(struct wms_store *s, const char *sql, const char *what, struct wms_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sqlite3_free(msg);
		wms_store_sql_error(s, err, what);
		return WMS_EDB;
	}
	return 0;
}

static int pragma_int(struct wms_store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int wms_store_schema_version(struct wms_store *s)
{
	return pragma_int(s, "PRAGMA user_version");
}

int wms_store_latest_version(void)
{
	return wms_schema_count();
}

static int migrate(struct wms_store *s, struct wms_error *err)
{
	int have = wms_store_schema_version(s);
	int want = wms_schema_count();
	char sql[64];

	if (have < 0)
		return wms_store_sql_error(s, err, "reading the schema version");
	if (have > want)
		return wms_error_set(err, WMS_EDB,
		                     "database schema version %d is newer than this program's %d; "
		                     "upgrade wms before using this database", have, want);
	if (have == want)
		return 0;
	/* Foreign keys off while migrating (a rebuilt table is dropped while
	 * others still refer to it), checked before each commit: SQLite's
	 * procedure for schema changes ALTER TABLE cannot make. */
	if (exec(s, "PRAGMA foreign_keys = OFF", "migrating the schema", err) < 0)
		return WMS_EDB;
	for (int v = have + 1; v <= want; v++) {
		sqlite3_stmt *fk = NULL;
		bool broken = false;

		if (exec(s, "BEGIN IMMEDIATE", "starting a migration", err) < 0)
			goto fail;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
		if (exec(s, wms_schema_migration(v), "migrating the schema", err) < 0 ||
		    exec(s, sql, "recording the schema version", err) < 0) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			goto fail;
		}
		if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &fk, NULL) != SQLITE_OK ||
		    sqlite3_step(fk) != SQLITE_DONE)
			broken = true;
		sqlite3_finalize(fk);
		if (broken) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			wms_error_set(err, WMS_EDB, "migration %d would break a foreign key; nothing changed", v);
			goto fail;
		}
		if (exec(s, "COMMIT", "committing a migration", err) < 0)
			goto fail;
	}
	return exec(s, "PRAGMA foreign_keys = ON", "enabling foreign keys", err) < 0 ? WMS_EDB : 0;
fail:
	sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return WMS_EDB;
}

int wms_store_open(const char *path, const struct wms_store_opts *opts,
                   struct wms_store **out, struct wms_error *err)
{
	struct wms_store *s;
	bool ro = opts && opts->read_only;
	bool create = !ro && !(opts && opts->no_create);
	int flags = ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	struct stat st;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof *s);
	if (s == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory opening %s", path);
	snprintf(s->path, sizeof s->path, "%s", path);
	/* an old log left beside a replaced file must not be applied to it */
	if ((rc = wms_dblock_stale_wal(path, s->notice, sizeof s->notice, err)) < 0)
		goto fail;
	if (!create && stat(path, &st) < 0) {
		rc = wms_error_set(err, WMS_ENOTFOUND, "database %s does not exist (%s); wmsd creates "
		                   "none unless started with --init or [store] create = yes; to bring "
		                   "one back use `wms db restore FILE`", path, strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = wms_error_set(err, WMS_EDB, "cannot open database %s: %s", path,
		                   s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	/* room for the allocations of running statements (cursors, trigger frames)
	 * next to the cached statements: without it every step of a statement
	 * went to malloc (13% of a bulk load); 600 KB a connection */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_LOOKASIDE, NULL, 600, 1000);
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	rc = exec(s, "PRAGMA foreign_keys = ON", "enabling foreign keys", err);
	if (rc == 0 && !ro) {
		rc = exec(s, "PRAGMA journal_mode = WAL", "enabling WAL", err);
		if (rc == 0)
			rc = exec(s, opts && opts->fast_unsafe ? "PRAGMA synchronous = OFF"
			                                       : "PRAGMA synchronous = FULL",
			          "setting durability", err);
		/* savepoint journals of batched commands stay in memory, not temp files */
		if (rc == 0)
			rc = exec(s, "PRAGMA temp_store = MEMORY", "setting temp store", err);
		/* deleted rows (purged personal data) leave no bytes behind, not even
		 * in cells that a page split copied earlier */
		if (rc == 0)
			rc = exec(s, "PRAGMA secure_delete = ON", "enabling secure delete", err);
		if (rc == 0)
			rc = migrate(s, err);
		/* events of a database from before the hash chain get theirs */
		if (rc == 0)
			rc = wms_chain_backfill(s, err);
		/* a migration that adds lead-time figures asks for their computation */
		if (rc == 0)
			rc = wms_lt_refresh_stale(s, err);
	} else if (rc == 0 && wms_store_schema_version(s) != wms_schema_count()) {
		rc = wms_error_set(err, WMS_EDB, "database %s has schema version %d, expected %d; "
		                   "run `wms db migrate`", path, wms_store_schema_version(s),
		                   wms_schema_count());
	}
	if (rc == 0 && stat(path, &st) < 0)
		rc = wms_error_set(err, WMS_EDB, "database %s vanished while being opened", path);
	if (rc < 0)
		goto fail;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	/* from now on: commits inside opening (migrations) came before the file was known */
	s->check_identity = opts && opts->check_identity;
	*out = s;
	return 0;
fail:
	wms_store_close(s);
	return rc;
}

void wms_store_close(struct wms_store *s)
{
	if (s == NULL)
		return;
	if (s->lost && s->db) {
		/* the -wal and -shm at the path may be a restored file's own now:
		 * closing must not delete them (the stale log is moved aside by
		 * the next open, wms_dblock.h) */
		int persist = 1;
		sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	}
	for (int i = 0; i < s->n_cached; i++)
		sqlite3_finalize(s->cache[i].stmt);
	wms_lt_state_free(s->lt);
	wms_bulk_free(s->bulk);
	wms_bulk_free(s->bulk_kept);
	if (s->db && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(s->db);
	free(s);
}

void wms_store_process_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

sqlite3 *wms_store_db(struct wms_store *s)
{
	return s->db;
}

struct lt_state **wms_store_lt_state(struct wms_store *s)
{
	return &s->lt;
}

struct wms_bulk **wms_store_bulk(struct wms_store *s)
{
	return &s->bulk;
}

struct wms_bulk **wms_store_bulk_kept(struct wms_store *s)
{
	return &s->bulk_kept;
}

sqlite3_stmt *wms_store_stmt(struct wms_store *s, const char *sql, struct wms_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t h = ((uintptr_t)sql >> 3) * 0x9E3779B97F4A7C15ull >> 40 & (STMT_SLOTS - 1);

	/* every command asks for a dozen statements: a probe, not a scan */
	for (; s->slot[h]; h = (h + 1) & (STMT_SLOTS - 1)) {
		struct cached_stmt *c = &s->cache[s->slot[h] - 1];
		if (c->sql == sql) {
			sqlite3_reset(c->stmt);
			sqlite3_clear_bindings(c->stmt);
			return c->stmt;
		}
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		wms_store_sql_error(s, err, "preparing a statement");
		return NULL;
	}
	if (s->n_cached < STMT_CACHE_MAX) {
		s->cache[s->n_cached].sql = sql;
		s->cache[s->n_cached].stmt = st;
		s->slot[h] = (short)++s->n_cached;
		return st;
	}
	/* A full cache is a programming error (too many distinct statements). */
	sqlite3_finalize(st);
	wms_error_set(err, WMS_EDB, "statement cache full (%d); raise STMT_CACHE_MAX", STMT_CACHE_MAX);
	return NULL;
}

int wms_store_step_done(struct wms_store *s, sqlite3_stmt *st, const char *what,
                        struct wms_error *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, what);
	return 0;
}

int wms_bind_text_or_null(sqlite3_stmt *st, int idx, const char *text)
{
	if (text == NULL || *text == '\0')
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, text, -1, SQLITE_TRANSIENT);
}

int wms_store_row(struct wms_store *s, const char *sql, const char *key, long long id,
                  sqlite3_stmt **row, const char *what, struct wms_error *err)
{
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	*row = NULL;
	if (st == NULL)
		return WMS_EDB;
	if (key)
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*row = st;
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, what);
}

int wms_store_lookup_id(struct wms_store *s, const char *sql, const char *key, long long *id,
                        char *kind, size_t kind_len, struct wms_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = wms_store_row(s, sql, key, 0, &st, "looking up", err);

	if (rc <= 0)
		return rc < 0 ? rc : WMS_ENOTFOUND;
	*id = sqlite3_column_int64(st, 0);
	if (kind) {
		const unsigned char *k = sqlite3_column_text(st, 1);
		snprintf(kind, kind_len, "%s", k ? (const char *)k : "");
	}
	sqlite3_reset(st);
	return 0;
}

int wms_store_begin(struct wms_store *s, struct wms_error *err)
{
	if (s->batch_depth > 0)
		return wms_error_set(err, WMS_EINVAL, "a batch is already open");
	if (exec(s, "BEGIN IMMEDIATE", "starting a batch", err) < 0)
		return WMS_EDB;
	s->batch_depth = 1;
	return 0;
}

int wms_store_begin_nowait(struct wms_store *s, struct wms_error *err)
{
	int rc;

	if (s->batch_depth > 0)
		return wms_error_set(err, WMS_EINVAL, "a batch is already open");
	sqlite3_busy_timeout(s->db, 0);
	rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_busy_timeout(s->db, 5000);
	if ((rc & 0xff) == SQLITE_BUSY)
		return 1;
	if (rc != SQLITE_OK)
		return wms_store_sql_error(s, err, "starting a batch");
	s->batch_depth = 1;
	return 0;
}

int wms_store_commit_nosync(struct wms_store *s, struct wms_error *err)
{
	int rc;

	if (s->batch_depth == 0)
		return wms_error_set(err, WMS_EINVAL, "no batch is open");
	/* synchronous=NORMAL in WAL mode: the commit goes to the WAL without an
	 * fsync; the next FULL commit's fsync covers it */
	sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	rc = wms_store_commit(s, err);
	sqlite3_exec(s->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	return rc;
}

int wms_store_commit(struct wms_store *s, struct wms_error *err)
{
	if (s->batch_depth == 0)
		return wms_error_set(err, WMS_EINVAL, "no batch is open");
	/* a bulk ledger session writes its rows into the batch first */
	if (s->bulk != NULL && wms_ledger_bulk_end(s, true, err) < 0) {
		wms_store_rollback(s);
		return err && err->code ? err->code : WMS_EDB;
	}
	s->batch_depth = 0;
	if (same_file(s, err) < 0 || exec(s, "COMMIT", "committing a batch", err) < 0) {
		wms_bulk_committed(s, false);
		reset_all(s);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return WMS_EDB;
	}
	wms_bulk_committed(s, true);
	return 0;
}

void wms_store_rollback(struct wms_store *s)
{
	if (s == NULL || s->batch_depth == 0)
		return;
	wms_bulk_free(s->bulk);
	wms_bulk_free(s->bulk_kept);
	s->bulk = s->bulk_kept = NULL;
	s->batch_depth = 0;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* A statement of the command discipline, prepared once (parsing SAVEPOINT and
 * RELEASE for every command cost more than a projection's UPDATE). */
static int step_cached(struct wms_store *s, const char *sql, const char *what, struct wms_error *err)
{
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	return st ? wms_store_step_done(s, st, what, err) : WMS_EDB;
}

static const char sp_begin[] = "SAVEPOINT wms_cmd", sp_release[] = "RELEASE wms_cmd",
                  sp_undo[] = "ROLLBACK TO wms_cmd", tx_begin[] = "BEGIN IMMEDIATE";

int wms_store_cmd_begin(struct wms_store *s, struct wms_error *err)
{
	if (s->batch_depth > 0)
		return step_cached(s, sp_begin, "starting a command", err);
	return step_cached(s, tx_begin, "starting a command", err);
}

int wms_store_cmd_end(struct wms_store *s, int ok, struct wms_error *err)
{
	if (s->batch_depth > 0) {
		if (ok)
			return step_cached(s, sp_release, "finishing a command", err);
		step_cached(s, sp_undo, "undoing a command", NULL);
		step_cached(s, sp_release, "undoing a command", NULL);
		return 0;
	}
	if (ok) {
		if (same_file(s, err) < 0 || exec(s, "COMMIT", "committing", err) < 0) {
			reset_all(s);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return WMS_EDB;
		}
		return 0;
	}
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return 0;
}

int wms_store_outer_begin(struct wms_store *s, bool *own, struct wms_error *err)
{
	*own = sqlite3_get_autocommit(s->db) != 0;
	if (*own)
		return wms_store_begin(s, err);
	if (sqlite3_exec(s->db, "SAVEPOINT wms_outer", NULL, NULL, NULL) != SQLITE_OK)
		return wms_store_sql_error(s, err, "starting a command");
	return 0;
}

int wms_store_outer_end(struct wms_store *s, bool own, bool ok, struct wms_error *err)
{
	if (own) {
		if (ok)
			return wms_store_commit(s, err);
		wms_store_rollback(s);
		return 0;
	}
	if (ok) {
		if (sqlite3_exec(s->db, "RELEASE wms_outer", NULL, NULL, NULL) != SQLITE_OK)
			return wms_store_sql_error(s, err, "finishing a command");
		return 0;
	}
	sqlite3_exec(s->db, "ROLLBACK TO wms_outer; RELEASE wms_outer", NULL, NULL, NULL);
	return 0;
}

int wms_store_check(struct wms_store *s, struct wms_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return wms_store_sql_error(s, err, "checking integrity");
	if (sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		rc = wms_error_set(err, WMS_EDB, "integrity check failed: %s",
		                   sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0)
		                                              : sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	if (rc < 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
		return wms_store_sql_error(s, err, "checking foreign keys");
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = wms_error_set(err, WMS_EDB, "foreign key violation in table %s, row %lld",
		                   sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	return rc;
}

long long wms_store_event_count(struct wms_store *s)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;

	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM events", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Copy every page of src into dst with the online backup API: readers and
 * writers of src go on meanwhile (a step that meets a write starts over). */
static int copy_db(sqlite3 *dst, sqlite3 *src, struct wms_error *err, const char *what)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc;

	if (b == NULL)
		return wms_error_set(err, WMS_EDB, "database error while %s: %s", what, sqlite3_errmsg(dst));
	while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
	       rc == SQLITE_LOCKED)
		if (rc != SQLITE_OK)
			sqlite3_sleep(10);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return wms_error_set(err, WMS_EDB, "database error while %s: %s", what, sqlite3_errstr(rc));
	return 0;
}

int wms_store_backup(struct wms_store *s, const char *file, struct wms_error *err)
{
	sqlite3 *dst = NULL;
	struct stat st;
	int rc;

	if (stat(file, &st) == 0)
		return wms_error_set(err, WMS_EEXIST, "%s exists; a backup never overwrites a file", file);
	if (sqlite3_open_v2(file, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = wms_error_set(err, WMS_EIO, "cannot create %s: %s", file,
		                   dst ? sqlite3_errmsg(dst) : "out of memory");
		sqlite3_close(dst);
		return rc;
	}
	rc = copy_db(dst, s->db, err, "backing up");
	/* one self-contained file: no -wal beside it */
	if (rc == 0 && sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
		rc = wms_error_set(err, WMS_EDB, "database error while finishing %s: %s", file,
		                   sqlite3_errmsg(dst));
	sqlite3_close(dst);
	if (rc < 0)
		unlink(file);
	return rc;
}

int wms_store_restore(struct wms_store *s, const char *file, struct wms_error *err)
{
	struct wms_store *src = NULL;
	struct wms_store_opts ro = { .read_only = true };
	int rc;

	if ((rc = wms_store_open(file, &ro, &src, err)) < 0)
		return rc;
	if ((rc = wms_store_check(src, err)) == 0)
		rc = copy_db(s->db, src->db, err, "restoring");
	wms_store_close(src);
	if (rc == 0)
		rc = migrate(s, err);
	return rc;
}
