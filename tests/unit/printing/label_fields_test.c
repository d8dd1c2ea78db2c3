/*
 * label_fields_test.c - label kinds and field sets: names, unknown fields,
 * defaults, value validation (UTF-8, control characters, length), rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "label.h"

static void test_kind_names(void **state)
{
	struct wms_error err;
	enum label_kind k;
	int i;

	for (i = 0; i < LABEL_KIND_COUNT; i++) {
		assert_non_null(label_kind_name((enum label_kind)i));
		assert_int_equal(label_kind_from_name(label_kind_name((enum label_kind)i), &k, &err), 0);
		assert_int_equal(k, i);
	}
	assert_string_equal(label_kind_name(LABEL_DELIVERY_NOTE), "delivery-note");
	assert_null(label_kind_name(LABEL_KIND_COUNT));
	assert_int_equal(label_kind_from_name("shiping", &k, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "unknown label kind 'shiping'; allowed: device,"));
	assert_int_equal(label_kind_has_field(LABEL_DEVICE, "serial"), 1);
	assert_int_equal(label_kind_has_field(LABEL_PICKLIST, "qty"), 2);
	assert_int_equal(label_kind_has_field(LABEL_PICKLIST, "pages"), 3);
	assert_int_equal(label_kind_has_field(LABEL_DEVICE, "qty"), 0);
	assert_true(label_kind_has_rows(LABEL_DELIVERY_NOTE));
	assert_false(label_kind_has_rows(LABEL_SHIPPING));
}

static void test_set_get(void **state)
{
	struct label_fields *f = NULL;
	struct wms_error err;

	assert_int_equal(label_fields_new(LABEL_DEVICE, &f, &err), 0);
	assert_int_equal(label_fields_kind(f), LABEL_DEVICE);
	assert_null(label_fields_get(f, "serial"));
	assert_string_equal(label_fields_get(f, "owner"), "Hjälpmedelscentralen");
	assert_int_equal(label_fields_set(f, "serial", "A1", &err), 0);
	assert_int_equal(label_fields_set(f, "serial", "A2", &err), 0);
	assert_string_equal(label_fields_get(f, "serial"), "A2");
	assert_int_equal(label_fields_set(f, "owner", "Region Västmanland", &err), 0);
	assert_string_equal(label_fields_get(f, "owner"), "Region Västmanland");
	assert_null(label_fields_get(f, "nope"));
	assert_int_equal(label_fields_check(f, &err), WMS_EINVAL);
	assert_string_equal(err.msg, "missing required field 'gtin' for device label");
	assert_int_equal(label_fields_set(f, "gtin", "07350012345679", &err), 0);
	assert_int_equal(label_fields_set(f, "product", "Rollator", &err), 0);
	assert_int_equal(label_fields_check(f, &err), 0);
	/* an empty required value counts as missing */
	assert_int_equal(label_fields_set(f, "product", "", &err), 0);
	assert_int_equal(label_fields_check(f, &err), WMS_EINVAL);
	label_fields_free(f);
	label_fields_free(NULL);
}

static void test_bad_values(void **state)
{
	struct label_fields *f = NULL;
	struct wms_error err;
	char big[600];

	assert_int_equal(label_fields_new(LABEL_RECON, &f, &err), 0);
	assert_int_equal(label_fields_set(f, "seriel", "x", &err), WMS_EINVAL);
	assert_string_equal(err.msg, "unknown field 'seriel' for recon label; known: serial, date, "
			    "technician, result, product, note");
	assert_int_equal(label_fields_set(f, "note", "a\nb", &err), WMS_EINVAL);
	assert_string_equal(err.msg,
			    "field 'note': not valid UTF-8 or contains a control character");
	assert_int_equal(label_fields_set(f, "note", "\xc3(", &err), WMS_EINVAL);     /* bad continuation */
	assert_int_equal(label_fields_set(f, "note", "\xc0\xaf", &err), WMS_EINVAL);  /* overlong */
	assert_int_equal(label_fields_set(f, "note", "\xed\xa0\x80", &err), WMS_EINVAL); /* surrogate */
	assert_int_equal(label_fields_set(f, "note", "\xc2\x85", &err), WMS_EINVAL);  /* C1 NEL */
	assert_int_equal(label_fields_set(f, "note", "ok åäö € 😀", &err), 0);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(label_fields_set(f, "note", big, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "longer than 512"));
	assert_int_equal(label_fields_set(f, NULL, "x", &err), WMS_EINVAL);
	label_fields_free(f);
	assert_int_equal(label_fields_new(LABEL_KIND_COUNT, &f, &err) == WMS_EINVAL && f == NULL, 1);
}

static void test_rows(void **state)
{
	struct label_fields *f = NULL, *row = NULL;
	struct wms_error err;

	assert_int_equal(label_fields_new(LABEL_DEVICE, &f, &err), 0);
	assert_int_equal(label_fields_add_row(f, &row, &err), WMS_EUNSUPP);
	assert_null(row);
	label_fields_free(f);

	assert_int_equal(label_fields_new(LABEL_PICKLIST, &f, &err), 0);
	assert_int_equal(label_fields_set(f, "order_ref", "O-1", &err), 0);
	assert_int_equal(label_fields_set(f, "date", "2024-05-17", &err), 0);
	assert_int_equal(label_fields_add_row(f, &row, &err), 0);
	assert_int_equal(label_fields_set(row, "location", "A-1", &err), 0);
	assert_int_equal(label_fields_set(row, "article", "1", &err), 0);
	assert_int_equal(label_fields_set(row, "description", "Käpp", &err), 0);
	assert_int_equal(label_fields_set(row, "qty", "2", &err), 0);
	assert_int_equal(label_fields_set(row, "order_ref", "x", &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "unknown row field 'order_ref'"));
	/* a row cannot have rows */
	assert_int_equal(label_fields_add_row(row, &row, &err), WMS_EUNSUPP);
	assert_int_equal(label_fields_add_row(f, &row, &err), 0);
	assert_int_equal(label_fields_set(row, "location", "A-2", &err), 0);
	assert_int_equal(label_fields_row_count(f), 2);
	assert_string_equal(label_fields_get(label_fields_row(f, 0), "description"), "Käpp");
	assert_null(label_fields_row(f, 2));
	assert_int_equal(label_fields_check(f, &err), WMS_EINVAL);
	assert_string_equal(err.msg, "missing required field 'article' in row 2 of picklist");
	label_fields_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_set_get),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
