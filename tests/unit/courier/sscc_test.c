/*
 * sscc_test.c - SSCCs from the durable counter: 18 digits, the check digit
 * computed here independently, numbers never repeat across reopening the
 * store, a rolled-back number is reused, and an exhausted serial reference
 * space is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "courier_fixture.h"
#include "courier_sscc.h"
#include "courier_tx.h"

/* GS1 mod 10 written out: weights 3,1,3,... from the right of the 17 data digits. */
static int check_digit(const char *d)
{
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (d[i] - '0') * ((17 - i) % 2 ? 3 : 1);
	return (10 - sum % 10) % 10;
}

static int next(struct fixture *f, int ext, const char *prefix, char out[19], struct wms_error *err)
{
	struct courier_tx tx;
	int rc;

	if (courier_tx_begin(f->s, &tx, err) < 0)
		return -100;
	rc = courier_sscc_next(f->s, ext, prefix, out, err);
	courier_tx_end(f->s, &tx, rc == 0, err);
	return rc;
}

static void numbers_and_check_digits(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	char a[19], b[19];

	assert_int_equal(next(f, 3, "7350012345", a, &err), 0);
	assert_string_equal(a, "37350012345000000" "7");
	assert_int_equal(a[17] - '0', check_digit(a));
	assert_true(courier_sscc_valid(a));
	assert_int_equal(next(f, 3, "7350012345", b, &err), 0);
	assert_string_equal(b, "37350012345000001" "4");
	assert_int_equal(b[17] - '0', check_digit(b));
	/* another extension digit has its own counter */
	assert_int_equal(next(f, 0, "7350012345", a, &err), 0);
	assert_memory_equal(a, "07350012345000000", 17);
	/* a 7-digit prefix leaves 9 digits of serial reference */
	assert_int_equal(next(f, 1, "7350012", a, &err), 0);
	assert_memory_equal(a, "17350012000000000", 17);
	assert_int_equal(a[17] - '0', check_digit(a));
	b[17] = (char)('0' + (b[17] - '0' + 1) % 10);
	assert_false(courier_sscc_valid(b));
	assert_false(courier_sscc_valid("12345"));
	fixture_free(f);
}

static void durable_and_rolled_back(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	struct courier_tx tx;
	char a[19];

	assert_int_equal(next(f, 3, "7350012345", a, &err), 0);
	/* numbered inside a transaction that is rolled back: the number comes again */
	assert_int_equal(courier_tx_begin(f->s, &tx, &err), 0);
	assert_int_equal(courier_sscc_next(f->s, 3, "7350012345", a, &err), 0);
	assert_memory_equal(a, "37350012345000001", 17);
	courier_tx_end(f->s, &tx, false, &err);
	wms_store_close(f->s);
	assert_int_equal(wms_store_open(f->path, NULL, &f->s, &err), 0);
	assert_int_equal(next(f, 3, "7350012345", a, &err), 0);
	assert_memory_equal(a, "37350012345000001", 17);
	fixture_free(f);
}

static void exhausted_and_bad_config(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	char a[19];

	assert_int_equal(sqlite3_exec(wms_store_db(f->s),
	                 "INSERT INTO sscc_counters(prefix, next) VALUES ('37350012345', 999999)",
	                 NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(next(f, 3, "7350012345", a, &err), 0);
	assert_memory_equal(a, "37350012345999999", 17);
	assert_int_equal(a[17] - '0', check_digit(a));
	assert_int_equal(next(f, 3, "7350012345", a, &err), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "used up"));
	assert_int_equal(fixture_count(f, "SELECT next FROM sscc_counters WHERE prefix = '37350012345'"),
	                 1000000);
	assert_int_equal(next(f, 3, "", a, &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "gs1_company_prefix"));
	assert_int_equal(next(f, 3, "73500x2345", a, &err), WMS_ECONFIG);
	assert_int_equal(next(f, 10, "7350012345", a, &err), WMS_ECONFIG);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_and_check_digits),
		cmocka_unit_test(durable_and_rolled_back),
		cmocka_unit_test(exhausted_and_bad_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
