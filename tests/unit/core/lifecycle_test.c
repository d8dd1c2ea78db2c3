/*
 * lifecycle_test.c - the full transition matrix: every event from every
 * state, both in the table and through the ledger against a real store
 * (a refused transition writes nothing and names the allowed next steps).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "wms_depot.h"
#include "wms_lifecycle.h"

/* The expected matrix, written out by hand from domain.md (not derived from the table). */
static enum wms_state expected(enum wms_state from, enum wms_event_type ev)
{
	switch (ev) {
	case WMS_EV_RECEIVE:       return from == WMS_ST_NONE ? WMS_ST_RECEIVED : WMS_ST_NONE;
	case WMS_EV_MOVE:          return from == WMS_ST_RECEIVED || from == WMS_ST_IN_STOCK ? WMS_ST_IN_STOCK : WMS_ST_NONE;
	case WMS_EV_TO_BUFFER:     return from == WMS_ST_IN_STOCK ? WMS_ST_IN_BUFFER : WMS_ST_NONE;
	case WMS_EV_FROM_BUFFER:   return from == WMS_ST_IN_BUFFER ? WMS_ST_IN_STOCK : WMS_ST_NONE;
	case WMS_EV_RESERVE:       return from == WMS_ST_IN_STOCK || from == WMS_ST_IN_BUFFER ? WMS_ST_RESERVED : WMS_ST_NONE;
	case WMS_EV_UNRESERVE:     return from == WMS_ST_RESERVED || from == WMS_ST_PICKED ? WMS_ST_IN_STOCK : WMS_ST_NONE;
	case WMS_EV_PICK:          return from == WMS_ST_RESERVED ? WMS_ST_PICKED : WMS_ST_NONE;
	case WMS_EV_DISPATCH:      return from == WMS_ST_PICKED ? WMS_ST_DISPATCHED : WMS_ST_NONE;
	case WMS_EV_DELIVER:       return from == WMS_ST_DISPATCHED ? WMS_ST_DELIVERED : WMS_ST_NONE;
	case WMS_EV_RENT:          return from == WMS_ST_DELIVERED ? WMS_ST_RENTED : WMS_ST_NONE;
	case WMS_EV_EXPECT_RETURN:
	case WMS_EV_EXCHANGE:      return from == WMS_ST_RENTED ? WMS_ST_RETURN_EXPECTED : WMS_ST_NONE;
	case WMS_EV_RETURN:        return from == WMS_ST_RENTED || from == WMS_ST_RETURN_EXPECTED ||
	                                  from == WMS_ST_DELIVERED ? WMS_ST_QUARANTINE : WMS_ST_NONE;
	case WMS_EV_RECON_START:   return from == WMS_ST_QUARANTINE ? WMS_ST_IN_RECON : WMS_ST_NONE;
	case WMS_EV_RECON_APPROVE: return from == WMS_ST_IN_RECON ? WMS_ST_IN_STOCK : WMS_ST_NONE;
	case WMS_EV_RECON_REPAIR:  return from == WMS_ST_IN_RECON ? WMS_ST_REPAIR : WMS_ST_NONE;
	case WMS_EV_REPAIR_BACK:   return from == WMS_ST_REPAIR ? WMS_ST_QUARANTINE : WMS_ST_NONE;
	case WMS_EV_SCRAP:         return from == WMS_ST_RECEIVED || from == WMS_ST_IN_STOCK ||
	                                  from == WMS_ST_QUARANTINE || from == WMS_ST_IN_RECON ||
	                                  from == WMS_ST_REPAIR ? WMS_ST_SCRAPPED : WMS_ST_NONE;
	case WMS_EV_TRANSFER_OUT:  return from == WMS_ST_RECEIVED || from == WMS_ST_IN_STOCK
	                                  ? WMS_ST_IN_TRANSFER : WMS_ST_NONE;
	case WMS_EV_TRANSFER_IN:   return from == WMS_ST_IN_TRANSFER ? WMS_ST_RECEIVED : WMS_ST_NONE;
	default:                   return WMS_ST_NONE;
	}
}

static void table_matches_domain(void **state)
{
	int allowed = 0;

	for (int s = 0; s < WMS_ST_COUNT; s++)
		for (int e = 0; e < WMS_EV_COUNT; e++) {
			assert_int_equal(wms_transition((enum wms_state)s, (enum wms_event_type)e),
			                 e < WMS_EV_DEVICE_COUNT ? expected((enum wms_state)s, (enum wms_event_type)e)
			                                         : WMS_ST_NONE);
			allowed += wms_transition((enum wms_state)s, (enum wms_event_type)e) != WMS_ST_NONE;
		}
	assert_int_equal(allowed, 30);
	assert_int_equal(wms_transition(WMS_ST_SCRAPPED, WMS_EV_RECEIVE), WMS_ST_NONE);
}

static void names_round_trip(void **state)
{
	char buf[256];

	for (int s = 0; s < WMS_ST_COUNT; s++)
		assert_int_equal(wms_state_from_name(wms_state_name((enum wms_state)s)), s);
	for (int e = 0; e < WMS_EV_COUNT; e++)
		assert_int_equal(wms_event_from_name(wms_event_name((enum wms_event_type)e)), e);
	assert_int_equal(wms_state_from_name("nonsense"), -1);
	assert_string_equal(wms_allowed_events(WMS_ST_DISPATCHED, buf, sizeof buf), "deliver");
	assert_string_equal(wms_allowed_events(WMS_ST_SCRAPPED, buf, sizeof buf), "none");
	assert_string_equal(wms_allowed_events(WMS_ST_IN_STOCK, buf, sizeof buf),
	                    "move, to_buffer, reserve, scrap, transfer_out");
}

/* Bring device `serial` into state `target` through legal commands. */
static void drive_to(struct fixture *f, const char *serial, enum wms_state target, int n)
{
	struct wms_error err = { 0 };
	char order[32], repl[32];

	snprintf(order, sizeof order, "O-%d", n);
	snprintf(repl, sizeof repl, "R-%d", n);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = serial, .product = "BPM"), 0);
	if (target == WMS_ST_RECEIVED) return;
	if (target == WMS_ST_IN_TRANSFER) {
		assert_int_equal(APPLY(f, &err, .type = WMS_EV_TRANSFER_OUT, .serial = serial, .to_depot = "SK"), 0);
		return;
	}
	if (target == WMS_ST_SCRAPPED) {
		assert_int_equal(APPLY(f, &err, .type = WMS_EV_SCRAP, .serial = serial, .reason = "damaged"), 0);
		return;
	}
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = serial, .location = "A-01-01"), 0);
	if (target == WMS_ST_IN_STOCK) return;
	if (target == WMS_ST_IN_BUFFER) {
		assert_int_equal(APPLY(f, &err, .type = WMS_EV_TO_BUFFER, .serial = serial, .location = "BUF-BORAS"), 0);
		return;
	}
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = order, .customer = "VC-MOLNDAL",
	                       .product = "BPM", .mode = "home", .patient_ref = "P-1"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = serial, .order = order), 0);
	if (target == WMS_ST_RESERVED) return;
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_PICK, .serial = serial), 0);
	if (target == WMS_ST_PICKED) return;
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = serial), 0);
	if (target == WMS_ST_DISPATCHED) return;
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = serial), 0);
	if (target == WMS_ST_DELIVERED) return;
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RENT, .serial = serial), 0);
	if (target == WMS_ST_RENTED) return;
	if (target == WMS_ST_RETURN_EXPECTED) {
		assert_int_equal(APPLY(f, &err, .type = WMS_EV_EXPECT_RETURN, .serial = serial), 0);
		return;
	}
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RETURN, .serial = serial), 0);
	if (target == WMS_ST_QUARANTINE) return;
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECON_START, .serial = serial,
	                       .checklist_id = fixture_checklist(f, "BPM")), 0);
	assert_int_equal(fixture_step(f, serial, "pass"), 0);
	if (target == WMS_ST_IN_RECON) return;
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECON_REPAIR, .serial = serial, .reason = "cuff leaks"), 0);
	assert_int_equal(target, WMS_ST_REPAIR);
	(void)repl;
}

/* Every (state, event) pair through the real ledger: allowed ones succeed,
 * refused ones return WMS_ESTATE and write nothing. */
static void ledger_enforces_matrix(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	struct wms_depot_new sk = { .code = "SK", .name = "HMC Skövde" };
	int n = 0;

	assert_int_equal(wms_depot_add(f->s, &sk, &err), 0);

	for (int s = WMS_ST_RECEIVED; s < WMS_ST_COUNT; s++) {
		for (int e = WMS_EV_MOVE; e < WMS_EV_DEVICE_COUNT; e++) {
			char serial[32], neworder[32];
			enum wms_state want = expected((enum wms_state)s, (enum wms_event_type)e);
			long long before;
			int rc;

			n++;
			snprintf(serial, sizeof serial, "SN%02d%02d", s, e);
			snprintf(neworder, sizeof neworder, "X-%d", n);
			drive_to(f, serial, (enum wms_state)s, n);
			/* a buffer store's device serves only an order its unit hands out itself */
			assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = neworder,
			                       .customer = s == WMS_ST_IN_BUFFER ? "BORAS" : "VC-MOLNDAL",
			                       .product = "BPM", .mode = s == WMS_ST_IN_BUFFER ? "unit" : "home"), 0);
			before = wms_store_event_count(f->s);
			rc = APPLY(f, &err, .type = (enum wms_event_type)e, .serial = serial,
			           .location = e == WMS_EV_TO_BUFFER ? "BUF-BORAS" : "A-01-02",
			           .order = neworder, .reason = "test", .to_depot = "SK",
			           .checklist_id = fixture_checklist(f, "BPM"));
			if (want == WMS_ST_NONE) {
				assert_int_equal(rc, WMS_ESTATE);
				assert_non_null(strstr(err.msg, "allowed next"));
				assert_non_null(strstr(err.msg, serial));
				assert_int_equal(wms_store_event_count(f->s), before);
			} else {
				if (rc != 0)
					fail_msg("%s from %s: %s", wms_event_name(e), wms_state_name(s), err.msg);
				assert_int_equal(wms_store_event_count(f->s), before + 1);
			}
		}
	}
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_matches_domain),
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(ledger_enforces_matrix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
