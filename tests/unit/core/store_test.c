/*
 * store_test.c - unit tests of the store's database error messages
 * (wms_store_sql_error, wms_store_error_readonly): a write refused because
 * the database is read-only says so, and wms_store_error_readonly tells it
 * apart from every other database error (wmsd's station line depends on it).
 * Storage that refuses writes under a running daemon is
 * tests/reliability/readonly_test.sh.
 *
 * Also the log checkpointer of wmsd (wms_walckpt.h): a thread checkpoints a store's
 * write-ahead log once it passes the threshold, and the store gets its
 * automatic checkpoint back when it stops.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <time.h>

#include "store_sql.h"
#include "wms_store.h"
#include "wms_walckpt.h"

static char dir[] = "/tmp/wms-store-test-XXXXXX";
static char path[64];

static int setup(void **state)
{
	struct wms_store *s = NULL;
	struct wms_error err = { 0 };

	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/t.db", dir);
	if (wms_store_open(path, NULL, &s, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	wms_store_close(s);
	return 0;
}

static int teardown(void **state)
{
	char side[80];

	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	rmdir(dir);
	return 0;
}

/* A connection that may not write: the refusal names the database as read-only. */
static void test_write_refused_read_only(void **state)
{
	struct wms_store_opts ro = { .read_only = true };
	struct wms_store *s = NULL;
	struct wms_error err = { 0 };

	assert_int_equal(wms_store_open(path, &ro, &s, &err), 0);
	assert_int_equal(wms_store_begin(s, &err), 0);   /* reading is fine */
	assert_int_equal(wms_store_step_done(s, wms_store_stmt(s, "INSERT INTO locations (code, "
	                 "name, kind) VALUES ('A-1', 'Hylla', 'shelf')", &err), "adding", &err),
	                 WMS_EDB);
	wms_store_rollback(s);
	assert_non_null(strstr(err.msg, "database is read-only while adding: "));
	assert_true(wms_store_error_readonly(&err));
	wms_store_close(s);
}

/* Other database errors are not taken for a read-only database. */
static void test_other_errors_are_not_read_only(void **state)
{
	struct wms_store *s = NULL;
	struct wms_error err = { 0 };

	assert_int_equal(wms_store_open(path, NULL, &s, &err), 0);
	assert_null(wms_store_stmt(s, "SELECT nosuch FROM nowhere", &err));
	assert_int_equal(strncmp(err.msg, "database error while preparing a statement", 42), 0);
	assert_false(wms_store_error_readonly(&err));
	assert_false(wms_store_error_readonly(NULL));
	wms_error_set(&err, WMS_EINVAL, "database is read-only, said the user");
	assert_false(wms_store_error_readonly(&err));   /* only the store's own WMS_EDB */
	wms_store_close(s);
}

static int pragma(struct wms_store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(wms_store_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The checkpointer: past its threshold the log is checkpointed by its
 * thread (the store's own commits run none: automatic checkpoint off), the
 * rows are all there, and stopping gives the store its automatic
 * checkpoint back. */
static void test_checkpointer(void **state)
{
	struct wms_store *s = NULL;
	struct wms_walckpt *c = NULL;
	struct wms_error err = { 0 };
	struct timespec step = { 0, 10 * 1000000L };

	assert_int_equal(wms_store_open(path, NULL, &s, &err), 0);
	assert_int_equal(sqlite3_exec(wms_store_db(s), "CREATE TABLE ck(id INTEGER PRIMARY KEY, v BLOB)",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(wms_walckpt_start(s, 16, &c, &err), 0);
	assert_int_equal(pragma(s, "PRAGMA wal_autocheckpoint"), 0);   /* ours, not SQLite's */
	for (int i = 0; i < 200; i++)
		assert_int_equal(sqlite3_exec(wms_store_db(s), "INSERT INTO ck(v) VALUES (zeroblob(3000))",
		                              NULL, NULL, NULL), SQLITE_OK);
	for (int i = 0; i < 3000 && wms_walckpt_runs(c) == 0; i++)   /* up to 30 s */
		nanosleep(&step, NULL);
	assert_true(wms_walckpt_runs(c) > 0);
	wms_walckpt_stop(c);
	assert_int_equal(pragma(s, "PRAGMA wal_autocheckpoint"), 1000);
	assert_int_equal(pragma(s, "SELECT count(*) FROM ck"), 200);
	assert_int_equal(sqlite3_exec(wms_store_db(s), "DROP TABLE ck", NULL, NULL, NULL), SQLITE_OK);
	wms_store_close(s);
	wms_walckpt_stop(NULL);    /* NULL-safe */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_refused_read_only),
		cmocka_unit_test(test_other_errors_are_not_read_only),
		cmocka_unit_test(test_checkpointer),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
