/*
 * aim_test.c - AIM symbology identifiers: parsing, GS1 meaning, names,
 * and derivation from ZBar symbol types.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "aim.h"

static void parse_ok(const char *s, char sym, char mod)
{
	struct aim_id id;
	struct wms_error err = { 0 };

	assert_int_equal(aim_parse(s, strlen(s), &id, &err), 0);
	assert_int_equal(id.symbology, sym);
	assert_int_equal(id.modifier, mod);
}

static void test_parse(void **state)
{
	struct aim_id id;
	struct wms_error err = { 0 };
	char buf[AIM_ID_LEN + 1];

	(void)state;
	parse_ok("]C1", 'C', '1');
	parse_ok("]C0rest", 'C', '0');
	parse_ok("]d2", 'd', '2');
	parse_ok("]Q3", 'Q', '3');
	parse_ok("]e0", 'e', '0');
	parse_ok("]E4", 'E', '4');
	parse_ok("]I1", 'I', '1');
	parse_ok("]A0", 'A', '0');
	assert_int_equal(aim_parse("]C", 2, &id, &err), WMS_EINVAL);
	assert_int_equal(id.symbology, 0);
	assert_int_equal(aim_parse("C1x", 3, &id, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "AIM"));
	assert_int_equal(aim_parse("]1C", 3, &id, &err), WMS_EINVAL);
	assert_int_equal(aim_parse("]C ", 3, &id, &err), WMS_EINVAL);
	assert_int_equal(aim_parse(NULL, 0, &id, NULL), WMS_EINVAL);
	assert_true(aim_present("]C1abc", 6));
	assert_false(aim_present("]C", 2));
	assert_false(aim_present("C1]", 3));
	aim_parse("]Q3", 3, &id, NULL);
	aim_format(&id, buf);
	assert_string_equal(buf, "]Q3");
	id.symbology = 0;
	aim_format(&id, buf);
	assert_string_equal(buf, "");
}

static enum aim_content content(const char *s)
{
	struct aim_id id;

	assert_int_equal(aim_parse(s, strlen(s), &id, NULL), 0);
	return aim_content_of(&id);
}

static void test_gs1_meaning(void **state)
{
	(void)state;
	assert_int_equal(content("]C1"), AIM_CONTENT_GS1);
	assert_int_equal(content("]d2"), AIM_CONTENT_GS1);
	assert_int_equal(content("]Q3"), AIM_CONTENT_GS1);
	assert_int_equal(content("]e0"), AIM_CONTENT_GS1);
	assert_int_equal(content("]J1"), AIM_CONTENT_GS1);
	assert_int_equal(content("]d5"), AIM_CONTENT_GS1);
	assert_int_equal(content("]Q4"), AIM_CONTENT_GS1);
	assert_int_equal(content("]z1"), AIM_CONTENT_GS1);
	assert_int_equal(content("]C0"), AIM_CONTENT_TEXT);
	assert_int_equal(content("]C2"), AIM_CONTENT_TEXT);
	assert_int_equal(content("]d1"), AIM_CONTENT_TEXT);
	assert_int_equal(content("]Q1"), AIM_CONTENT_TEXT);
	assert_int_equal(content("]A0"), AIM_CONTENT_TEXT);
	assert_int_equal(content("]E0"), AIM_CONTENT_GTIN);
	assert_int_equal(content("]E3"), AIM_CONTENT_GTIN);
	assert_int_equal(content("]E4"), AIM_CONTENT_GTIN);
	assert_int_equal(content("]E1"), AIM_CONTENT_TEXT);
	assert_int_equal(content("]I1"), AIM_CONTENT_GTIN);
	assert_int_equal(content("]I0"), AIM_CONTENT_TEXT);
	assert_int_equal(content("]y7"), AIM_CONTENT_TEXT);
	assert_false(aim_is_gs1(NULL));
	assert_string_equal(aim_symbology_name('C'), "Code 128");
	assert_string_equal(aim_symbology_name('d'), "Data Matrix");
	assert_string_equal(aim_symbology_name('y'), "unknown symbology");
}

static void zbar(const char *name, bool gs1, const char *want)
{
	struct aim_id id;
	struct wms_error err = { 0 };
	char buf[AIM_ID_LEN + 1];

	assert_int_equal(aim_from_zbar_name(name, gs1, &id, &err), 0);
	aim_format(&id, buf);
	assert_string_equal(buf, want);
}

static void test_zbar(void **state)
{
	struct aim_id id;
	struct wms_error err = { 0 };
	char buf[AIM_ID_LEN + 1];

	(void)state;
	zbar("CODE-128", false, "]C0");
	zbar("CODE-128", true, "]C1");
	zbar("QR-Code", false, "]Q1");
	zbar("QR-Code", true, "]Q3");
	zbar("DataMatrix", true, "]d2");
	zbar("DataMatrix", false, "]d1");
	zbar("DataBar", false, "]e0");
	zbar("DataBar-Exp", true, "]e0");
	zbar("EAN-13", false, "]E0");
	zbar("UPC-A", false, "]E0");
	zbar("UPC-E", false, "]E0");
	zbar("EAN-8", false, "]E4");
	zbar("I2/5", false, "]I0");
	zbar("CODE-39", false, "]A0");
	zbar("CODE-93", false, "]G0");
	zbar("Codabar", false, "]F0");
	zbar("PDF417", false, "]L0");
	assert_int_equal(aim_from_zbar_name("CODE-39", true, &id, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "no GS1 form"));
	assert_int_equal(aim_from_zbar_name("Code128", false, &id, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "CODE-128"));
	assert_int_equal(aim_from_zbar_name(NULL, false, &id, &err), WMS_EINVAL);

	assert_int_equal(aim_from_zbar_type(AIM_ZBAR_CODE128, true, &id, &err), 0);
	aim_format(&id, buf);
	assert_string_equal(buf, "]C1");
	/* add-on bits (ZBAR_ADDON5 = 0x500) are ignored */
	assert_int_equal(aim_from_zbar_type(AIM_ZBAR_EAN13 | 0x500, false, &id, &err), 0);
	aim_format(&id, buf);
	assert_string_equal(buf, "]E0");
	assert_int_equal(aim_from_zbar_type(AIM_ZBAR_QRCODE, true, &id, &err), 0);
	aim_format(&id, buf);
	assert_string_equal(buf, "]Q3");
	assert_int_equal(aim_from_zbar_type(77, false, &id, &err), WMS_EINVAL);
	assert_int_equal(aim_from_zbar_type(-1, false, &id, &err), WMS_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_gs1_meaning),
		cmocka_unit_test(test_zbar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
