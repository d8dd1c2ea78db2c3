/*
 * checklist_json_test.c - checklists as `wms recon checklist(s)` and GET
 * /api/v1/checklists show them (recon_checklist_steps_json,
 * recon_checklists_check), over a real store and the shipped checklists:
 * the barcode a technician scans for each kind of step, and every product
 * type of the catalogue judged ok or missing with an error naming the ones
 * that cannot be reconditioned.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "recon.h"

static void steps_carry_their_barcodes(void **state)
{
	struct recon_checklist cl;
	struct wms_error err = { 0 };
	json_t *steps, *s;

	(void)state;
	assert_int_equal(recon_checklist_load(WMS_RECON_CHECKLISTS, "BPM", &cl, NULL, &err), 0);
	steps = recon_checklist_steps_json(&cl);
	assert_non_null(steps);
	assert_int_equal(json_array_size(steps), (size_t)cl.n_steps);
	s = json_array_get(steps, 0);
	assert_string_equal(json_string_value(json_object_get(s, "step")), "CLEAN");
	assert_string_equal(json_string_value(json_object_get(s, "kind")), "check");
	assert_string_equal(json_string_value(json_object_get(s, "barcode")), "RCN:CLEAN:PASS");
	s = json_array_get(steps, 3);
	assert_string_equal(json_string_value(json_object_get(s, "step")), "P100");
	assert_string_equal(json_string_value(json_object_get(s, "kind")), "value");
	assert_string_equal(json_string_value(json_object_get(s, "barcode")), "RCN:P100:mmHg");
	assert_string_equal(json_string_value(json_object_get(s, "limits")), "100 +-3 mmHg");
	s = json_array_get(steps, 7);
	assert_string_equal(json_string_value(json_object_get(s, "barcode")), "RCN:FW:VERSION");
	json_decref(steps);
}

static void every_product_type_judged(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_product nope = { "NOPE", "Okänd", "Unknown", "HoS", false };
	struct wms_error err = { 0 };
	char want[WMS_ERROR_MSG_MAX];
	json_t *rows = NULL, *r;
	size_t i;

	(void)state;
	assert_int_equal(recon_checklists_check(f->s, WMS_RECON_CHECKLISTS, &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 2);
	json_array_foreach(rows, i, r)
		assert_string_equal(json_string_value(json_object_get(r, "status")), "ok");
	json_decref(rows);

	assert_int_equal(wms_product_add(f->s, &nope, &err), 0);
	assert_int_equal(recon_checklists_check(f->s, WMS_RECON_CHECKLISTS, &rows, &err), WMS_ENOTFOUND);
	assert_non_null(rows);
	assert_int_equal(json_array_size(rows), 3);
	json_array_foreach(rows, i, r) {
		const char *code = json_string_value(json_object_get(r, "product"));
		assert_string_equal(json_string_value(json_object_get(r, "status")),
		                    strcmp(code, "NOPE") == 0 ? "missing" : "ok");
	}
	snprintf(want, sizeof want, "no valid checklist for product type(s) NOPE in %s", WMS_RECON_CHECKLISTS);
	assert_string_equal(err.msg, want);
	json_decref(rows);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(steps_carry_their_barcodes),
		cmocka_unit_test(every_product_type_judged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
