/*
 * gs1_digital_link_test.c - GS1 Digital Link URIs: hosts and path
 * prefixes, primary keys and qualifier order, GTIN padding, percent
 * decoding, query attributes, and malformed URIs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "gs1.h"

static struct gs1_data d;
static struct wms_error err;

static int dl(const char *s)
{
	memset(&err, 0, sizeof err);
	return gs1_parse_digital_link(s, strlen(s), &d, &err);
}

static void expect_el(size_t i, const char *ai, const char *value)
{
	assert_true(i < d.count);
	assert_string_equal(d.el[i].ai, ai);
	assert_string_equal(d.el[i].value, value);
}

static void expect_fail(int rc, enum gs1_fault fault, const char *msg_part)
{
	assert_int_equal(rc, WMS_EINVAL);
	assert_int_equal(d.fault, fault);
	assert_int_equal(d.count, 0);
	if (msg_part != NULL && strstr(err.msg, msg_part) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg_part);
}

static void test_basic(void **state)
{
	(void)state;
	assert_int_equal(dl("https://id.gs1.org/01/09506000134352/10/ABC/21/123?17=261231"), 0);
	assert_int_equal(d.syntax, GS1_SYNTAX_DIGITAL_LINK);
	assert_int_equal(d.count, 4);
	expect_el(0, "01", "09506000134352");
	expect_el(1, "10", "ABC");
	expect_el(2, "21", "123");
	expect_el(3, "17", "261231");
	/* any host, a port, a path prefix, http, upper-case scheme, fragment */
	assert_int_equal(dl("http://example.com:8080/dl/v1/01/09506000134352/21/XYZ#top"), 0);
	assert_int_equal(d.count, 2);
	expect_el(1, "21", "XYZ");
	assert_int_equal(dl("HTTPS://Example.COM/01/09506000134352"), 0);
	assert_int_equal(d.count, 1);
	/* a trailing slash is tolerated */
	assert_int_equal(dl("https://id.gs1.org/01/09506000134352/"), 0);
	/* a prefix segment that happens to be "01" is skipped */
	assert_int_equal(dl("https://h.example/01/shop/01/09506000134352/21/7"), 0);
	expect_el(0, "01", "09506000134352");
	expect_el(1, "21", "7");
}

static void test_keys(void **state)
{
	(void)state;
	/* GTIN-13, -12 and -8 are zero-padded to 14 digits */
	assert_int_equal(dl("https://id.gs1.org/01/9506000134352"), 0);
	expect_el(0, "01", "09506000134352");
	assert_int_equal(dl("https://id.gs1.org/01/036000291452"), 0);
	expect_el(0, "01", "00036000291452");
	assert_int_equal(dl("https://id.gs1.org/01/96385074"), 0);
	expect_el(0, "01", "00000096385074");
	expect_fail(dl("https://id.gs1.org/01/123456789"), GS1_FAULT_LENGTH, "exactly 14");
	/* SSCC and other keys */
	assert_int_equal(dl("https://id.gs1.org/00/106141412345678908"), 0);
	expect_el(0, "00", "106141412345678908");
	assert_int_equal(dl("https://id.gs1.org/414/9506000134352/254/A1"), 0);
	expect_el(1, "254", "A1");
	assert_int_equal(dl("https://id.gs1.org/8004/9506000134352XYZ"), 0);
	/* qualifiers: 22, 10, 21 in that order, or 235 alone */
	assert_int_equal(dl("https://id.gs1.org/01/09506000134352/22/V1/10/L1/21/S1"), 0);
	assert_int_equal(d.count, 4);
	assert_int_equal(dl("https://id.gs1.org/01/09506000134352/22/V1/21/S1"), 0);
	assert_int_equal(dl("https://id.gs1.org/01/09506000134352/235/TPX1"), 0);
	expect_fail(dl("https://id.gs1.org/01/09506000134352/21/S1/10/L1"), GS1_FAULT_SYNTAX,
	            "22,10,21 in that order");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/L1/235/T"), GS1_FAULT_SYNTAX,
	            "235 alone");
	/* a non-qualifier in the path */
	expect_fail(dl("https://id.gs1.org/01/09506000134352/17/261231"), GS1_FAULT_SYNTAX,
	            "qualifier");
	/* SSCC takes no qualifiers */
	expect_fail(dl("https://id.gs1.org/00/106141412345678908/21/1"), GS1_FAULT_SYNTAX, NULL);
}

static void test_decoding(void **state)
{
	(void)state;
	assert_int_equal(dl("https://id.gs1.org/01/09506000134352/21/A%2FB%21"), 0);
	expect_el(1, "21", "A/B!");
	assert_int_equal(dl("https://id.gs1.org/01/09506000134352/10/%41%62c"), 0);
	expect_el(1, "10", "Abc");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/AB%2"), GS1_FAULT_SYNTAX,
	            "percent");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/AB%ZZ"), GS1_FAULT_SYNTAX,
	            "percent");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/A%20B"), GS1_FAULT_CHARSET,
	            "set 82");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/A%00B"), GS1_FAULT_CHARSET,
	            "\\x00");
}

static void test_query(void **state)
{
	(void)state;
	assert_int_equal(dl("https://id.gs1.org/01/09506000134352?linkType=gs1:pip&17=261231"
	                    "&3103=000195&context=x"), 0);
	assert_int_equal(d.count, 3);
	expect_el(1, "17", "261231");
	expect_el(2, "3103", "000195");
	assert_int_equal(dl("https://id.gs1.org/01/09506000134352?&&17=261200"), 0);
	assert_int_equal(dl("https://id.gs1.org/01/09506000134352?10=A%26B"), 0);
	expect_el(1, "10", "A&B");
	expect_fail(dl("https://id.gs1.org/01/09506000134352?17=260230"), GS1_FAULT_DATE, "day 30");
	expect_fail(dl("https://id.gs1.org/01/09506000134352?9999=1"), GS1_FAULT_UNKNOWN_AI,
	            "9999");
	expect_fail(dl("https://id.gs1.org/01/09506000134352?17"), GS1_FAULT_SYNTAX, "'='");
	expect_fail(dl("https://id.gs1.org/01/09506000134352?17="), GS1_FAULT_LENGTH, NULL);
	expect_fail(dl("https://id.gs1.org/01/09506000134352?00=106141412345678908"),
	            GS1_FAULT_SYNTAX, "path");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/A?10=B"), GS1_FAULT_DUPLICATE,
	            "twice");
}

static void test_malformed(void **state)
{
	(void)state;
	expect_fail(dl(""), GS1_FAULT_EMPTY, NULL);
	expect_fail(dl("ftp://id.gs1.org/01/09506000134352"), GS1_FAULT_NOT_GS1, "https://");
	expect_fail(dl("https://example.com/about/us"), GS1_FAULT_NOT_GS1, "primary key");
	expect_fail(dl("https://example.com"), GS1_FAULT_NOT_GS1, NULL);
	expect_fail(dl("https:///01/09506000134352"), GS1_FAULT_SYNTAX, "host");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10"), GS1_FAULT_SYNTAX, "pairs");
	expect_fail(dl("https://id.gs1.org/01/09506000134353"), GS1_FAULT_CHECK_DIGIT,
	            "expected 2");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/A B"), GS1_FAULT_SYNTAX,
	            "0x20");
	expect_fail(dl("https://id.gs1.org/01/0950600013435\xC3\xA4"), GS1_FAULT_SYNTAX, "0xC3");
	expect_fail(dl("https://id.gs1.org/01//10/A"), GS1_FAULT_LENGTH, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_decoding),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
