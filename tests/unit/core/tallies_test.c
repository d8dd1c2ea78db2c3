/*
 * tallies_test.c - the counters of wms_tallies.h stay equal to a recount
 * through every kind of change to the tables they count: the demo's ledger
 * (events, orders through their states, outbox jobs), scan journal rows
 * written, given outcomes and deleted, outbox jobs purged; a counter edited
 * by hand is found by the check and put right by a recount.
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

#include "store_sql.h"
#include "wms_demo.h"
#include "wms_tallies.h"

static struct wms_store *s;
static char path[64];

static long differences(void)
{
	struct wms_error err = { 0 };
	long diff = -1;

	if (wms_tallies_check(s, &diff, &err) < 0)
		fail_msg("check: %s", err.msg);
	return diff;
}

static long long q_int(const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(wms_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void exec(const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(wms_store_db(s), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static int setup(void **state)
{
	struct wms_error err = { 0 };
	struct wms_calendar *cal = NULL;
	struct wms_demo_opts demo = { .seed = 3, .devices = 400 };

	(void)state;
	snprintf(path, sizeof path, "/tmp/wms-tallies-XXXXXX");
	close(mkstemp(path));
	unlink(path);
	if (wms_store_open(path, NULL, &s, &err) < 0 || wms_calendar_new(NULL, &cal, &err) < 0)
		fail_msg("open: %s", err.msg);
	demo.cal = cal;
	demo.end = 1773662400;   /* 2026-03-16T12:00Z: every run alike */
	if (wms_demo_load(s, &demo, &err) < 0)
		fail_msg("demo: %s", err.msg);
	wms_calendar_free(cal);
	return 0;
}

static int teardown(void **state)
{
	char side[80];

	(void)state;
	wms_store_close(s);
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	return 0;
}

/* The demo wrote events, moved orders through every state and queued jobs. */
static void demo_counted(void **state)
{
	(void)state;
	assert_true(q_int("SELECT count(*) FROM events") > 1000);
	assert_int_equal(differences(), 0);
	assert_int_equal(q_int("SELECT sum(n) FROM tallies WHERE family = 'events'"),
	                 q_int("SELECT count(*) FROM events"));
	assert_int_equal(q_int("SELECT n FROM tallies WHERE family = 'orders' AND k1 = 'delivered'"),
	                 q_int("SELECT count(*) FROM orders WHERE status = 'delivered'"));
	assert_true(q_int("SELECT count(*) FROM tallies WHERE family = 'orders' AND n > 0") >= 3);
}

/* Scan journal rows: pending, then ok or refused, one moved, one deleted. */
static void scans_followed(void **state)
{
	(void)state;
	exec("INSERT INTO scan_journal(ts, station, raw) VALUES (1, 'recv', x'41'), (2, 'recv', x'42'),"
	     " (3, 'pick', x'43'), (4, 'pick', x'44')");
	assert_int_equal(differences(), 0);
	assert_int_equal(q_int("SELECT n FROM tallies WHERE family = 'scans' AND k1 = 'recv'"
	                       " AND k2 = 'pending'"), 2);
	exec("UPDATE scan_journal SET result = 'ok', event_id = (SELECT max(id) FROM events) WHERE ts = 1");
	exec("UPDATE scan_journal SET result = 'unknown serial' WHERE ts IN (2, 3)");
	exec("UPDATE scan_journal SET station = 'recv' WHERE ts = 4");
	exec("DELETE FROM scan_journal WHERE ts = 3");
	assert_int_equal(differences(), 0);
	assert_int_equal(q_int("SELECT n FROM tallies WHERE family = 'scans' AND k1 = 'recv'"
	                       " AND k2 = 'refused'"), 1);
	assert_int_equal(q_int("SELECT n FROM tallies WHERE family = 'scans' AND k1 = 'pick'"
	                       " AND k2 = 'refused'"), 0);   /* kept at zero, not counted by the check */
}

/* Outbox jobs change state and are purged; orders change status. */
static void outbox_and_orders_followed(void **state)
{
	(void)state;
	exec("INSERT INTO outbox(kind, target, state, next_attempt_ts, created_ts, nonce)"
	     " VALUES ('label', 'zebra', 'queued', 0, 0, 'n1'), ('booking', 'postnord', 'queued', 0, 0, 'n2')");
	exec("UPDATE outbox SET state = 'printed' WHERE nonce = 'n1'");
	exec("UPDATE outbox SET purged = 1 WHERE nonce = 'n2'");
	assert_int_equal(differences(), 0);
	exec("UPDATE outbox SET purged = 0, state = 'failed' WHERE nonce = 'n2'");
	assert_int_equal(differences(), 0);
	exec("DELETE FROM outbox WHERE nonce IN ('n1', 'n2')");
	assert_int_equal(differences(), 0);
	exec("SAVEPOINT o; UPDATE orders SET status = 'cancelled' WHERE status = 'open'");
	assert_int_equal(differences(), 0);
	exec("ROLLBACK TO o; RELEASE o");
	assert_int_equal(differences(), 0);
}

/* A counter edited by hand: the check names the rows, a recount mends them. */
static void tampering_found_and_mended(void **state)
{
	struct wms_error err = { 0 };

	(void)state;
	exec("UPDATE tallies SET n = n + 5 WHERE family = 'events' AND k1 = (SELECT min(type) FROM events)");
	exec("DELETE FROM tallies WHERE family = 'orders' AND k1 = 'delivered'");
	assert_int_equal(differences(), 3);   /* the edited row both ways, the missing one */
	assert_int_equal(wms_tallies_recount(s, &err), 0);
	assert_int_equal(differences(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(demo_counted),
		cmocka_unit_test(scans_followed),
		cmocka_unit_test(outbox_and_orders_followed),
		cmocka_unit_test(tampering_found_and_mended),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
