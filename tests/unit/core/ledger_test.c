/*
 * ledger_test.c - the ledger against a real SQLite file: bad input writes
 * nothing, the events table refuses UPDATE and DELETE, and the projections
 * equal a rebuild from the events after a long random workload.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "wms_query.h"
#include "wms_rebuild.h"

static void expect_refused(struct fixture *f, const struct wms_cmd *cmd, int code, const char *needle)
{
	struct wms_error err = { 0 };
	long long before = wms_store_event_count(f->s);
	long long devices = fixture_count(f, "SELECT count(*) FROM devices");
	long long orders = fixture_count(f, "SELECT count(*) FROM orders");
	struct wms_cmd c = *cmd;
	int rc;

	if (c.role == 0)
		c.role = WMS_ROLE_TRUSTED;
	rc = wms_ledger_apply(f->s, &c, NULL, &err);
	if (rc != code || strstr(err.msg, needle) == NULL)
		fail_msg("expected %d with \"%s\", got %d: %s", code, needle, rc, err.msg);
	assert_int_equal(wms_store_event_count(f->s), before);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices"), devices);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders"), orders);
}

static void bad_input_writes_nothing(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "A1", .product = "BPM"), 0);
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_RECEIVE, .serial = "A1", .product = "BPM" },
	               WMS_EEXIST, "already registered");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_RECEIVE, .serial = "A 1", .product = "BPM" },
	               WMS_EINVAL, "bad serial");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_RECEIVE, .serial = "", .product = "BPM" },
	               WMS_EINVAL, "missing serial");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_RECEIVE, .serial = "A2", .product = "NOPE" },
	               WMS_ENOTFOUND, "unknown product type");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_RECEIVE, .serial = "A2", .gtin = "09506000134353" },
	               WMS_EINVAL, "check digit");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_RECEIVE, .serial = "A2", .gtin = "4006381333931" },
	               WMS_ENOTFOUND, "unknown GTIN");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_RECEIVE, .serial = "A2", .product = "BPM",
	                                     .expiry = "2027-02-30" }, WMS_EINVAL, "no such date");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_RECEIVE, .serial = "A2", .product = "SCALE",
	                                     .gtin = "09506000134352" }, WMS_EINVAL, "another product");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_MOVE, .serial = "NOSUCH", .location = "A-01-01" },
	               WMS_ENOTFOUND, "unknown serial");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_MOVE, .serial = "A1", .location = "NOWHERE" },
	               WMS_ENOTFOUND, "unknown location");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_MOVE, .serial = "A1", .location = "BUF-BORAS" },
	               WMS_EINVAL, "shelf location is needed");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_DELIVER, .serial = "A1" },
	               WMS_ESTATE, "allowed next: move, scrap");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_ORDER_CREATE, .order = "O1", .customer = "NOPE",
	                                     .product = "BPM", .mode = "home" }, WMS_ENOTFOUND, "ordering unit");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_ORDER_CREATE, .order = "O1", .customer = "BORAS",
	                                     .product = "BPM", .mode = "drone" }, WMS_EINVAL, "delivery mode");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_ORDER_CREATE, .order = "O1", .customer = "BORAS",
	                                     .product = "BPM", .mode = "pickup_point" }, WMS_EINVAL, "pickup point");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_ORDER_CREATE, .order = "O1", .customer = "BORAS",
	                                     .product = "BPM", .mode = "home", .patient_ref = "19121212-1212 Tolvan" },
	               WMS_EINVAL, "pseudonym");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_ORDER_CREATE, .order = "O1", .customer = "BORAS",
	                                     .product = "BPM", .mode = "home", .requested_date = "2026-13-01" },
	               WMS_EINVAL, "2026-13-01");
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "O1", .customer = "BORAS",
	                       .product = "SCALE", .mode = "home"), 0);
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_ORDER_CREATE, .order = "O1", .customer = "BORAS",
	                                     .product = "BPM", .mode = "home" }, WMS_EEXIST, "already exists");
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "A1", .location = "A-01-01"), 0);
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_RESERVE, .serial = "A1", .order = "O1" },
	               WMS_EINVAL, "another product type");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_MOVE, .serial = "A1", .location = "A-01-02",
	                                     .at = 1000 }, WMS_EINVAL, "before the device's previous event");
	expect_refused(f, &(struct wms_cmd){ .type = WMS_EV_SCRAP, .serial = "A1" }, WMS_EINVAL, "reason");
	fixture_free(f);
}

static void refused_command_leaves_file_identical(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	char cmd[256];
	FILE *p;
	char before[80] = "", after[80] = "";

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "B1", .product = "BPM"), 0);
	/* checkpoint so the main file holds everything, then hash it */
	sqlite3_exec(wms_store_db(f->s), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	snprintf(cmd, sizeof cmd, "cat %s %s-wal 2>/dev/null | sha256sum", f->path, f->path);
	p = popen(cmd, "r");
	assert_non_null(fgets(before, sizeof before, p));
	pclose(p);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = "B1"), WMS_ESTATE);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "B1", .product = "BPM"), WMS_EEXIST);
	p = popen(cmd, "r");
	assert_non_null(fgets(after, sizeof after, p));
	pclose(p);
	assert_string_equal(before, after);
	fixture_free(f);
}

static void ledger_is_append_only(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	char *msg = NULL;

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "C1", .product = "BPM"), 0);
	assert_int_not_equal(sqlite3_exec(wms_store_db(f->s), "UPDATE events SET type = 'scrap'", NULL, NULL, &msg),
	                     SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	assert_int_not_equal(sqlite3_exec(wms_store_db(f->s), "DELETE FROM events", NULL, NULL, &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	assert_int_equal(wms_store_event_count(f->s), 1);
	fixture_free(f);
}

static void full_lifecycle_and_history(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	json_t *dev, *o;

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "D1", .gtin = "9506000134352",
	                       .lot = "10D9T", .expiry = "2030-01-31"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "D1", .location = "A-01-01"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "O-9", .customer = "VC-MOLNDAL",
	                       .product = "BPM", .mode = "pickup_point", .pickup_point = "PP-ICA-1",
	                       .patient_ref = "P-000042"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = "D1", .order = "O-9"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CANCEL, .order = "O-9", .reason = "x"), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "unreserve"));
	/* the order's status in words, not the stored word */
	assert_non_null(strstr(err.msg, "order O-9 has a device reserved for it already; only an open order"));
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_PICK, .serial = "D1"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = "D1"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = "D1"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_NOTE, .order = "O-9", .reason = "x",
	                       .pickup_point = "PP-ICA-1"), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "order O-9 is delivered; its pickup point can be set only before"));
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RENT, .serial = "D1"), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM rentals WHERE end_ts IS NULL"), 1);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RETURN, .serial = "D1"), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM rentals WHERE end_ts IS NULL"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = "D1", .order = "O-9"), WMS_ESTATE);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECON_START, .serial = "D1"), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "checklist"));
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECON_START, .serial = "D1",
	                       .checklist_id = fixture_checklist(f, "BPM")), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECON_APPROVE, .serial = "D1", .location = "A-01-02"),
	                 WMS_ESTATE);
	assert_non_null(strstr(err.msg, "0 of 1 checklist steps passed"));
	assert_int_equal(fixture_step(f, "D1", "pass"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECON_APPROVE, .serial = "D1", .location = "A-01-02"), 0);

	dev = wms_device_show(f->s, "D1", &err);
	assert_non_null(dev);
	assert_string_equal(json_string_value(json_object_get(dev, "state")), "in_stock");
	assert_string_equal(json_string_value(json_object_get(dev, "location")), "A-01-02");
	assert_string_equal(json_string_value(json_object_get(dev, "gtin")), "09506000134352");
	assert_int_equal(json_integer_value(json_object_get(dev, "recon_cycles")), 1);
	assert_int_equal(json_array_size(json_object_get(dev, "history")), 10);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(dev, "history"), 5),
	                                                       "location")), "PP-ICA-1");
	json_decref(dev);
	o = wms_order_show(f->s, "O-9", &err);
	assert_string_equal(json_string_value(json_object_get(o, "status")), "delivered");
	assert_string_equal(json_string_value(json_object_get(o, "serial")), "D1");
	json_decref(o);
	assert_null(wms_device_show(f->s, "NOPE", &err));
	assert_int_equal(err.code, WMS_ENOTFOUND);
	fixture_free(f);
}

static void buffer_handout_and_exchange(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "E1", .product = "BPM"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "E1", .location = "A-01-01"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_TO_BUFFER, .serial = "E1", .location = "BUF-BORAS"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "B1", .customer = "BORAS",
	                       .product = "BPM", .mode = "buffer"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = "E1", .order = "B1"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_UNRESERVE, .serial = "E1"), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices WHERE state = 'in_buffer'"), 1);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = "E1", .order = "B1"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = "E1"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RENT, .serial = "E1"), 0);
	/* exchange: a new order replaces the faulty rented device */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "B2", .customer = "BORAS",
	                       .product = "BPM", .mode = "home", .exchange_of = "E1"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_EXCHANGE, .serial = "E1", .order = "B2"), WMS_EINVAL);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_EXCHANGE, .serial = "E1", .order = "B2",
	                       .reason = "display broken"), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders o JOIN devices d ON d.id = o.exchange_of"
	                                  " WHERE o.number = 'B2' AND d.serial = 'E1'"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices WHERE state = 'return_expected'"), 1);
	fixture_free(f);
}

/* A long random workload through the ledger, then: rebuild == live. */
static void rebuild_equals_live(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	uint64_t x = 88172645463325252ull;
	int ok = 0, refused = 0;
	long diff = -1;
	char serial[16], order[16];

	long long cl_bpm = fixture_checklist(f, "BPM"), cl_scale = fixture_checklist(f, "SCALE");

	assert_int_equal(wms_store_begin(f->s, &err), 0);
	for (int i = 0; i < 200000; i++) {
		int r, rc;
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		r = (int)(x % 1000);
		snprintf(serial, sizeof serial, "R%04d", (int)((x >> 20) % 2000));
		snprintf(order, sizeof order, "O%04d", (int)((x >> 40) % 3000));
		/* the event types before void (its own test: rules_test), so the workload stays the one it was */
		enum wms_event_type t = (enum wms_event_type)((x >> 32) % WMS_EV_VOID);
		if (t == WMS_EV_RECON_APPROVE)   /* the checklist step, passed (the gate: ledger_records.c) */
			fixture_step(f, serial, "pass");
		rc = APPLY(f, &err, .type = t, .serial = serial, .order = order,
		           .product = r % 2 ? "BPM" : "SCALE", .customer = r % 3 ? "VC-MOLNDAL" : "BORAS",
		           .mode = r % 4 == 0 ? "buffer" : r % 4 == 1 ? "unit" : "home",
		           .location = t == WMS_EV_TO_BUFFER ? "BUF-BORAS" : (r % 2 ? "A-01-01" : "A-01-02"),
		           .reason = "random", .at = 1767225600 + i * 60,
		           .checklist_id = r % 2 ? cl_bpm : cl_scale);
		if (rc == 0)
			ok++;
		else
			refused++;
		assert_true(rc == 0 || rc == WMS_ESTATE || rc == WMS_EINVAL || rc == WMS_ENOTFOUND ||
		            rc == WMS_EEXIST);
	}
	assert_int_equal(wms_store_commit(f->s, &err), 0);
	print_message("applied %d of %d\n", ok, ok + refused);
	assert_true(ok > 10000);
	assert_int_equal(wms_store_event_count(f->s), ok);
	assert_true(fixture_count(f, "SELECT count(*) FROM rentals") > 10);
	assert_int_equal(wms_rebuild(f->s, true, &diff, &err), 0);
	assert_int_equal(diff, 0);
	/* corrupt a projection behind the ledger's back: the check finds it, a rebuild repairs it */
	assert_int_equal(sqlite3_exec(wms_store_db(f->s), "UPDATE devices SET recon_cycles = recon_cycles + 7 WHERE id = 1",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(wms_rebuild(f->s, true, &diff, &err), 0);
	assert_int_equal(diff, 2);
	assert_int_equal(wms_rebuild(f->s, false, &diff, &err), 0);
	assert_int_equal(wms_rebuild(f->s, true, &diff, &err), 0);
	assert_int_equal(diff, 0);
	assert_int_equal(wms_store_check(f->s, &err), 0);
	fixture_free(f);
	print_message("random workload: %d applied, %d refused\n", ok, refused);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_input_writes_nothing),
		cmocka_unit_test(refused_command_leaves_file_identical),
		cmocka_unit_test(ledger_is_append_only),
		cmocka_unit_test(full_lifecycle_and_history),
		cmocka_unit_test(buffer_handout_and_exchange),
		cmocka_unit_test(rebuild_equals_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
