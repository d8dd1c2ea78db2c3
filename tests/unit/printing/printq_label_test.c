/*
 * printq_label_test.c - the payload of a label the user asks for
 * (printq_payload_label, shared by `wms label print|preview` and POST
 * /api/v1/labels): the ledger's fields of a location in a real store
 * (tests/unit/core/core_fixture.h), the user's NAME=VALUE fields over
 * them, and refusals that name the input the way the CLI (--location,
 * --set) or the API ("location", a "set" line) spells it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "printq_payload.h"

static int open_store(void **state)
{
	*state = fixture_new();
	return 0;
}

static int close_store(void **state)
{
	fixture_free(*state);
	return 0;
}

static void ledger_fields_then_set_lines(void **state)
{
	struct fixture *sf = *state;
	const char *set[] = { "zone=Mölndal", "text=Hylla A1 (ny)" };
	struct printq_label_req req = { .kind = LABEL_LOCATION, .location = "A-01-01", .set = set, .n_set = 2 };
	struct wms_error err = { 0 };
	char *payload = NULL;

	assert_int_equal(printq_payload_label(sf->s, &req, &payload, &err), 0);
	assert_string_equal(payload, "{\"fields\":{\"code\":\"A-01-01\",\"text\":\"Hylla A1 (ny)\","
	                    "\"zone\":\"Mölndal\"},\"label\":\"location\"}");
	free(payload);
}

static void no_store_needed_for_set_only(void **state)
{
	const char *set[] = { "code=B-02", "code=B-03" };
	struct printq_label_req req = { .kind = LABEL_LOCATION, .set = set, .n_set = 2 };
	struct wms_error err = { 0 };
	char *payload = NULL;

	(void)state;
	assert_int_equal(printq_payload_label(NULL, &req, &payload, &err), 0);
	assert_string_equal(payload, "{\"fields\":{\"code\":\"B-03\"},\"label\":\"location\"}");
	free(payload);
}

static void refusals_name_the_input_as_the_caller_spells_it(void **state)
{
	struct fixture *sf = *state;
	const char *bad_set[] = { "=x" };
	struct printq_label_req req = { .kind = LABEL_DEVICE, .location = "A-01-01" };
	struct wms_error err = { 0 };
	char *payload = (char *)"untouched";

	assert_int_equal(printq_payload_label(sf->s, &req, &payload, &err), WMS_EINVAL);
	assert_null(payload);
	assert_string_equal(err.msg, "--location fills location labels, not device");
	req.api = true;
	assert_int_equal(printq_payload_label(sf->s, &req, &payload, &err), WMS_EINVAL);
	assert_string_equal(err.msg, "\"location\" fills location labels, not device");

	req = (struct printq_label_req){ .kind = LABEL_LOCATION, .order = "ORD-1" };
	assert_int_equal(printq_payload_label(sf->s, &req, &payload, &err), WMS_EINVAL);
	assert_string_equal(err.msg, "--order fills pick lists and delivery notes, not location");

	req = (struct printq_label_req){ .kind = LABEL_LOCATION, .location = "A-01-01", .set = bad_set,
	                                 .n_set = 1 };
	assert_int_equal(printq_payload_label(sf->s, &req, &payload, &err), WMS_EINVAL);
	assert_string_equal(err.msg, "bad --set \"=x\": expected NAME=VALUE with NAME one of: code, text, zone");
	req.api = true;
	assert_int_equal(printq_payload_label(sf->s, &req, &payload, &err), WMS_EINVAL);
	assert_string_equal(err.msg, "bad \"set\" line \"=x\": expected NAME=VALUE lines with NAME one of: "
	                    "code, text, zone");
	assert_null(payload);

	req = (struct printq_label_req){ .kind = LABEL_LOCATION, .location = "Z-99" };
	assert_int_equal(printq_payload_label(sf->s, &req, &payload, &err), WMS_ENOTFOUND);
	assert_non_null(strstr(err.msg, "Z-99"));
	assert_null(payload);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ledger_fields_then_set_lines, open_store, close_store),
		cmocka_unit_test(no_store_needed_for_set_only),
		cmocka_unit_test_setup_teardown(refusals_name_the_input_as_the_caller_spells_it, open_store,
		                                close_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
