/*
 * allocation_test.c - allocation on a real store: the ordering unit's buffer
 * first, then the oldest device on the shelves (ersättningskedja), never a
 * device that has not passed reconditioning; and the lifecycle property that
 * makes the last rule hold: the only ways into stock are put-away after
 * receipt, an approved reconditioning, and undoing a reservation or a
 * buffer transfer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "wms_allocate.h"

static wms_time t(const char *text)
{
	wms_time v = 0;
	struct wms_error err = { 0 };

	if (wms_time_parse(text, &v, &err) < 0)
		fail_msg("%s", err.msg);
	return v;
}

static void ok(int rc, const struct wms_error *err)
{
	if (rc != 0)
		fail_msg("expected success: %s", err->msg);
}

static void stock(struct fixture *f, const char *serial, const char *product, const char *when)
{
	struct wms_error err = { 0 };

	ok(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = serial, .product = product, .at = t(when)), &err);
	ok(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = serial, .location = "A-01-01", .at = t(when) + 60), &err);
}

static void order(struct fixture *f, const char *number, const char *customer, const char *product)
{
	struct wms_error err = { 0 };

	/* Borås hands out from its buffer store itself (mode unit); the others go home */
	ok(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = number, .customer = customer,
	         .product = product, .mode = strcmp(customer, "BORAS") == 0 ? "unit" : "home",
	         .at = t("2026-02-02T08:00")), &err);
}

static const char *allocate(struct fixture *f, const char *number, int want_rc, bool want_buffer)
{
	static struct wms_alloc_result r;
	struct wms_error err = { 0 };
	struct wms_alloc_opts o = { .at = t("2026-02-03T08:00"), .station = "test", .role = WMS_ROLE_TRUSTED };
	int rc = wms_allocate(f->s, number, &o, &r, &err);

	if (rc != want_rc)
		fail_msg("allocate %s: %d, wanted %d: %s", number, rc, want_rc, err.msg);
	if (rc == 0)
		assert_int_equal(r.from_buffer, want_buffer);
	return r.serial;
}

static void buffer_first_then_oldest(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	long long reserves;

	stock(f, "OLD", "BPM", "2026-01-02T08:00");
	stock(f, "MID", "BPM", "2026-01-05T08:00");
	stock(f, "NEW", "BPM", "2026-01-09T08:00");
	stock(f, "BUF", "BPM", "2026-01-20T08:00");
	stock(f, "SC1", "SCALE", "2025-12-01T08:00");
	ok(APPLY(f, &err, .type = WMS_EV_TO_BUFFER, .serial = "BUF", .location = "BUF-BORAS",
	         .at = t("2026-01-21T08:00")), &err);
	order(f, "M1", "VC-MOLNDAL", "BPM");
	order(f, "B1", "BORAS", "BPM");
	order(f, "B2", "BORAS", "BPM");
	/* Mölndal has no buffer: the shelf's oldest, although Borås's buffer holds one */
	assert_string_equal(allocate(f, "M1", 0, false), "OLD");
	/* Borås's own buffer first, although it holds the newest device */
	assert_string_equal(allocate(f, "B1", 0, true), "BUF");
	/* its buffer is empty now: the shelf's oldest remaining */
	assert_string_equal(allocate(f, "B2", 0, false), "MID");
	/* a home delivery for Borås never comes from its buffer store */
	ok(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "BUF2", .product = "BPM", .at = t("2026-01-22T08:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "BUF2", .location = "A-01-02", .at = t("2026-01-22T09:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_TO_BUFFER, .serial = "BUF2", .location = "BUF-BORAS",
	         .at = t("2026-01-22T10:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "B3", .customer = "BORAS", .product = "BPM",
	         .mode = "home", .at = t("2026-02-02T08:00")), &err);
	assert_string_equal(allocate(f, "B3", 0, false), "NEW");
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_UNRESERVE, .serial = "NEW", .at = t("2026-02-03T09:00")), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = "BUF2", .order = "B3",
	                       .at = t("2026-02-03T10:00")), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "buffer stock serves only orders the unit hands out itself"));
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders WHERE status = 'reserved'"), 3);
	reserves = fixture_count(f, "SELECT count(*) FROM events WHERE type = 'reserve' AND station = 'test'");
	assert_int_equal(reserves, 4);
	allocate(f, "M1", WMS_ESTATE, false);
	allocate(f, "NOPE", WMS_ENOTFOUND, false);
	fixture_free(f);
}

static void never_unreconditioned(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	struct wms_alloc_result r;
	const char *const out[] = { "Q1", "R1", "P1" };
	long long events;

	/* three devices, older than the one left in stock, that went out and came back */
	order(f, "X0", "VC-MOLNDAL", "BPM");
	for (int i = 0; i < 3; i++) {
		char num[8];
		snprintf(num, sizeof num, "X%d", i + 1);
		stock(f, out[i], "BPM", "2026-01-01T08:00");
		ok(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = num, .customer = "VC-MOLNDAL",
		         .product = "BPM", .mode = "unit", .at = t("2026-01-02T08:00")), &err);
		ok(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = out[i], .order = num, .at = t("2026-01-02T09:00")), &err);
		ok(APPLY(f, &err, .type = WMS_EV_PICK, .serial = out[i], .at = t("2026-01-02T10:00")), &err);
		ok(APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = out[i], .at = t("2026-01-02T11:00")), &err);
		ok(APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = out[i], .at = t("2026-01-03T11:00")), &err);
		ok(APPLY(f, &err, .type = WMS_EV_RETURN, .serial = out[i], .at = t("2026-01-10T11:00")), &err);
	}
	ok(APPLY(f, &err, .type = WMS_EV_RECON_START, .serial = "R1", .at = t("2026-01-11T08:00"),
	         .checklist_id = fixture_checklist(f, "BPM")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_RECON_START, .serial = "P1", .at = t("2026-01-11T08:00"),
	         .checklist_id = fixture_checklist(f, "BPM")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_RECON_REPAIR, .serial = "P1", .reason = "battery",
	         .at = t("2026-01-11T09:00")), &err);
	/* and one received but never put away */
	ok(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "G1", .product = "BPM", .at = t("2025-12-01T08:00")), &err);
	/* quarantine, in reconditioning, at repair, at goods-in: none is a candidate */
	events = wms_store_event_count(f->s);
	assert_int_equal(wms_allocate(f->s, "X0", NULL, &r, &err), WMS_ENOTFOUND);
	assert_non_null(strstr(err.msg, "no device of product BPM available for order X0"));
	assert_non_null(strstr(err.msg, "the order stays open"));
	assert_int_equal(wms_store_event_count(f->s), events);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders WHERE number = 'X0' AND status = 'open'"), 1);
	stock(f, "YOUNG", "BPM", "2026-01-20T08:00");
	assert_string_equal(allocate(f, "X0", 0, false), "YOUNG");
	/* once approved, the reconditioned device is back in the chain, as the oldest */
	order(f, "X9", "VC-MOLNDAL", "BPM");
	assert_int_equal(fixture_step(f, "R1", "pass"), 0);
	ok(APPLY(f, &err, .type = WMS_EV_RECON_APPROVE, .serial = "R1", .location = "A-01-02",
	         .at = t("2026-01-12T08:00")), &err);
	assert_string_equal(allocate(f, "X9", 0, false), "R1");
	fixture_free(f);
}

static void allocate_all_oldest_order_first(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	long ok_n = -1, none = -1;

	stock(f, "D1", "BPM", "2026-01-02T08:00");
	ok(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "LATE", .customer = "VC-MOLNDAL",
	         .product = "BPM", .mode = "home", .at = t("2026-02-05T08:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "EARLY", .customer = "VC-MOLNDAL",
	         .product = "BPM", .mode = "home", .at = t("2026-02-04T08:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "SC", .customer = "BORAS",
	         .product = "SCALE", .mode = "unit", .at = t("2026-02-04T09:00")), &err);
	assert_int_equal(wms_allocate_all(f->s, &(struct wms_alloc_opts){ .role = WMS_ROLE_TRUSTED }, NULL, NULL,
	                                 &ok_n, &none, &err), 0);
	assert_int_equal(ok_n, 1);
	assert_int_equal(none, 2);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders o JOIN devices d ON d.id = o.device_id"
	                                  " WHERE o.number = 'EARLY' AND d.serial = 'D1'"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders WHERE status = 'open'"), 2);
	fixture_free(f);
}

/* The lifecycle admits a device into stock only by these doors. */
static void only_approved_devices_enter_stock(void **state)
{
	for (int s = WMS_ST_NONE; s < WMS_ST_COUNT; s++) {
		for (int e = 0; e < WMS_EV_DEVICE_COUNT; e++) {
			enum wms_state to = wms_transition((enum wms_state)s, (enum wms_event_type)e);
			if (to == WMS_ST_IN_STOCK) {
				bool door = (s == WMS_ST_RECEIVED && e == WMS_EV_MOVE) ||          /* new, put away */
				            (s == WMS_ST_IN_STOCK && e == WMS_EV_MOVE) ||          /* between shelves */
				            (s == WMS_ST_IN_RECON && e == WMS_EV_RECON_APPROVE) ||
				            (s == WMS_ST_IN_BUFFER && e == WMS_EV_FROM_BUFFER) ||
				            ((s == WMS_ST_RESERVED || s == WMS_ST_PICKED) && e == WMS_EV_UNRESERVE);
				if (!door)
					fail_msg("%s --%s--> in_stock bypasses reconditioning",
					         wms_state_name((enum wms_state)s), wms_event_name((enum wms_event_type)e));
			}
			if (to == WMS_ST_IN_BUFFER && !(s == WMS_ST_IN_STOCK && e == WMS_EV_TO_BUFFER))
				fail_msg("%s --%s--> in_buffer not from stock", wms_state_name((enum wms_state)s),
				         wms_event_name((enum wms_event_type)e));
		}
	}
	/* a returned device reaches stock only through reconditioning */
	assert_int_equal(wms_transition(WMS_ST_QUARANTINE, WMS_EV_MOVE), WMS_ST_NONE);
	assert_int_equal(wms_transition(WMS_ST_REPAIR, WMS_EV_RECON_APPROVE), WMS_ST_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buffer_first_then_oldest),
		cmocka_unit_test(never_unreconditioned),
		cmocka_unit_test(allocate_all_oldest_order_first),
		cmocka_unit_test(only_approved_devices_enter_stock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
