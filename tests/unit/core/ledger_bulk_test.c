/*
 * ledger_bulk_test.c - the bulk ledger path against the live one: the demo
 * data set written through the bulk path and the same commands applied live,
 * one savepoint each, give the same events and the same projections (devices,
 * orders with their lead times, rentals, lead-time cells), also when the bulk
 * path runs as many small sessions that read their rows back from the tables.
 * A command the
 * rules refuse inside a bulk session writes nothing and the session goes on;
 * a rolled-back session leaves nothing behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core_fixture.h"

#define at(text) fixture_at(text)
#include "wms_demo.h"
#include "wms_leadtime.h"
#include "wms_rebuild.h"

static struct fixture *empty_store(void)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct wms_error err = { 0 };

	snprintf(f->path, sizeof f->path, "/tmp/wms-bulk-XXXXXX");
	close(mkstemp(f->path));
	unlink(f->path);
	if (wms_store_open(f->path, NULL, &f->s, &err) < 0)
		fail_msg("open: %s", err.msg);
	return f;
}

/* Rows of table that differ between the two stores (other is attached as "other"). */
static long long differ(struct fixture *f, const char *table, const char *cols)
{
	char sql[512];

	snprintf(sql, sizeof sql,
	         "SELECT (SELECT count(*) FROM (SELECT %s FROM main.%s EXCEPT SELECT %s FROM other.%s))"
	         " + (SELECT count(*) FROM (SELECT %s FROM other.%s EXCEPT SELECT %s FROM main.%s))",
	         cols, table, cols, table, cols, table, cols, table);
	return fixture_count(f, sql);
}

/* The two stores hold the same events and projections. */
static void same_ledger(struct fixture *bulk, struct fixture *live)
{
	static const char *const tables[][2] = {
		{ "events", "*" }, { "devices", "*" }, { "orders", "*" },
		{ "rentals", "device_id, customer_id, order_id, start_ts, end_ts" }, { "lt_cells", "*" },
	};
	struct wms_error err = { 0 };
	char sql[128];

	snprintf(sql, sizeof sql, "ATTACH '%s' AS other", live->path);
	assert_int_equal(sqlite3_exec(wms_store_db(bulk->s), sql, NULL, NULL, NULL), SQLITE_OK);
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		long long n = differ(bulk, tables[i][0], tables[i][1]);
		if (n != 0)
			fail_msg("%s: %lld rows differ between the bulk and the live path", tables[i][0], n);
	}
	assert_int_equal(fixture_count(bulk, "SELECT count(*) FROM main.events"),
	                 fixture_count(bulk, "SELECT count(*) FROM other.events"));
	/* the indexes a load into an empty store set aside are all back, as they were */
	assert_int_equal(fixture_count(bulk, "SELECT count(*) FROM (SELECT name, sql FROM main.sqlite_master"
	                                     " EXCEPT SELECT name, sql FROM other.sqlite_master)"), 0);
	assert_int_equal(fixture_count(bulk, "SELECT count(*) FROM (SELECT name, sql FROM other.sqlite_master"
	                                     " EXCEPT SELECT name, sql FROM main.sqlite_master)"), 0);
	sqlite3_exec(wms_store_db(bulk->s), "DETACH other", NULL, NULL, NULL);
	{
		long diff = -1;
		assert_int_equal(wms_leadtime_check(bulk->s, &diff, &err), 0);
		assert_int_equal(diff, 0);
	}
	{
		long diff = -1;   /* and a replay of the events gives the same projections */
		assert_int_equal(wms_rebuild(bulk->s, true, &diff, &err), 0);
		assert_int_equal(diff, 0);
	}
}

static void bulk_equals_live(void **state)
{
	struct fixture *bulk = empty_store(), *live = empty_store(), *small = empty_store();
	struct wms_error err = { 0 };
	struct wms_demo_opts o = { .seed = 3, .devices = 600, .end = at("2026-02-20T17:00") };

	(void)state;
	if (wms_demo_load(bulk->s, &o, &err) < 0)
		fail_msg("bulk demo: %s", err.msg);
	/* many small sessions: rows read back from the tables, updated in place */
	o.batch = 97;
	if (wms_demo_load(small->s, &o, &err) < 0)
		fail_msg("bulk demo in small batches: %s", err.msg);
	o.batch = 0;
	o.live = true;
	if (wms_demo_load(live->s, &o, &err) < 0)
		fail_msg("live demo: %s", err.msg);
	assert_true(fixture_count(bulk, "SELECT count(*) FROM events") > 5000);
	assert_true(fixture_count(bulk, "SELECT count(*) FROM orders WHERE lead_days IS NOT NULL") > 300);
	assert_true(fixture_count(bulk, "SELECT count(*) FROM rentals") > 100);
	same_ledger(bulk, live);
	same_ledger(small, live);
	fixture_free(bulk);
	fixture_free(small);
	fixture_free(live);
}

static void bulk_refusals_and_rollback(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	long long events;

	(void)state;
	assert_int_equal(wms_ledger_bulk_begin(f->s, &err), WMS_ESTATE);   /* needs a batch */
	assert_int_equal(wms_store_begin(f->s, &err), 0);
	assert_int_equal(wms_ledger_bulk_begin(f->s, &err), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "B1", .product = "BPM",
	                       .at = at("2026-01-05T08:00")), 0);
	events = fixture_count(f, "SELECT count(*) FROM events");
	/* refused by the lifecycle, as live: nothing written, the session goes on */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_PICK, .serial = "B1", .at = at("2026-01-05T09:00")),
	                 WMS_ESTATE);
	assert_non_null(strstr(err.msg, "allowed next"));
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "B1", .product = "BPM",
	                       .at = at("2026-01-05T08:30")), WMS_EEXIST);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM events"), events);
	/* the device is not in the table until the session ends */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "B1", .location = "A-01-01",
	                       .at = at("2026-01-05T09:00")), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "BO1", .customer = "BORAS",
	                       .product = "BPM", .mode = "home", .at = at("2026-01-05T10:00")), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "BO1", .customer = "BORAS",
	                       .product = "BPM", .mode = "home", .at = at("2026-01-05T10:00")), WMS_EEXIST);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = "B1", .order = "BO1",
	                       .at = at("2026-01-05T11:00")), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_PICK, .serial = "B1", .at = at("2026-01-05T11:05")), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = "B1", .at = at("2026-01-05T11:10")), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = "B1", .at = at("2026-01-08T11:00")), 0);
	assert_int_equal(wms_store_commit(f->s, &err), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices WHERE serial = 'B1' AND state = 'delivered'"), 1);
	/* Monday 5 January to Thursday 8 January 2026: 2 working days (6 January is trettondedag) */
	assert_int_equal(fixture_count(f, "SELECT lead_days FROM orders WHERE number = 'BO1'"), 2);

	/* a note that sets the pickup point, in a later session (the order read back from the
	 * table): the point and the mode change, the note does not (as live, projection.c) */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "BO2", .customer = "BORAS",
	                       .product = "BPM", .mode = "home", .at = at("2026-01-08T12:00")), 0);
	assert_int_equal(wms_store_begin(f->s, &err), 0);
	assert_int_equal(wms_ledger_bulk_begin(f->s, &err), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_NOTE, .order = "BO2", .reason = "till ombud",
	                       .pickup_point = "PP-ICA-1", .at = at("2026-01-08T13:00")), 0);
	assert_int_equal(wms_store_commit(f->s, &err), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders o JOIN locations l ON l.id = o.pickup_point_id"
	                                  " WHERE o.number = 'BO2' AND o.mode = 'pickup_point' AND o.note IS NULL"
	                                  " AND l.code = 'PP-ICA-1'"), 1);

	/* a change between two sessions (here live) is seen by the next one: the first
	 * session's rows are not taken up again */
	assert_int_equal(wms_store_begin(f->s, &err), 0);
	assert_int_equal(wms_ledger_bulk_begin(f->s, &err), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "B3", .product = "BPM",
	                       .at = at("2026-01-08T14:00")), 0);
	assert_int_equal(wms_store_commit(f->s, &err), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "B3", .location = "A-01-02",
	                       .at = at("2026-01-08T16:00")), 0);
	assert_int_equal(wms_store_begin(f->s, &err), 0);
	assert_int_equal(wms_ledger_bulk_begin(f->s, &err), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "B3", .location = "A-01-01",
	                       .at = at("2026-01-08T15:00")), WMS_EINVAL);   /* before the live move */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "B3", .location = "A-01-01",
	                       .at = at("2026-01-08T17:00")), 0);
	assert_int_equal(wms_store_commit(f->s, &err), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices d JOIN locations l ON l.id = d.location_id"
	                                  " WHERE d.serial = 'B3' AND l.code = 'A-01-01'"), 1);

	/* likewise a live change after the session ended, in the same batch */
	assert_int_equal(wms_store_begin(f->s, &err), 0);
	assert_int_equal(wms_ledger_bulk_begin(f->s, &err), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "B3", .location = "A-01-02",
	                       .at = at("2026-01-08T18:00")), 0);
	assert_int_equal(wms_ledger_bulk_end(f->s, true, &err), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "B3", .location = "A-01-01",
	                       .at = at("2026-01-08T19:00")), 0);
	assert_int_equal(wms_store_commit(f->s, &err), 0);
	assert_int_equal(wms_store_begin(f->s, &err), 0);
	assert_int_equal(wms_ledger_bulk_begin(f->s, &err), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "B3", .location = "A-01-02",
	                       .at = at("2026-01-08T18:30")), WMS_EINVAL);   /* before the live move */
	assert_int_equal(wms_store_commit(f->s, &err), 0);

	/* a rolled-back session leaves nothing */
	events = fixture_count(f, "SELECT count(*) FROM events");
	assert_int_equal(wms_store_begin(f->s, &err), 0);
	assert_int_equal(wms_ledger_bulk_begin(f->s, &err), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "B2", .product = "BPM",
	                       .at = at("2026-01-09T08:00")), 0);
	wms_store_rollback(f->s);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM events"), events);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices WHERE serial = 'B2'"), 0);
	/* and the live path works again afterwards */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "B2", .product = "BPM",
	                       .at = at("2026-01-09T08:00")), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices WHERE serial = 'B2'"), 1);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bulk_refusals_and_rollback),
		cmocka_unit_test(bulk_equals_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
