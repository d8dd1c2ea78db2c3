/*
 * gs1_digital_link_test.c - GS1 Digital Link URIs as the GS1 Digital Link
 * URI syntax standard reads them: its published examples, stems, primary
 * keys and qualifier sequences, percent decoding, query attributes
 * (repeated, not attributes, belonging in the path), association rules,
 * malformed URIs, and our documented tolerances (gs1.h).
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

#define ok(s) ok_at(__LINE__, s)
static void ok_at(int line, const char *s)
{
	if (dl(s) != 0)
		fail_msg("line %d: %s refused: %s", line, s, err.msg);
}

static void expect_el(size_t i, const char *ai, const char *value)
{
	assert_true(i < d.count);
	assert_string_equal(d.el[i].ai, ai);
	assert_string_equal(d.el[i].value, value);
}

#define expect_fail(rc, fault, part) expect_fail_at(__LINE__, rc, fault, part)
static void expect_fail_at(int line, int rc, enum gs1_fault fault, const char *msg_part)
{
	if (rc == 0)
		fail_msg("line %d: accepted", line);
	if (d.fault != fault)
		fail_msg("line %d: fault %d, expected %d: %s", line, (int)d.fault, (int)fault,
		         err.msg);
	assert_int_equal(d.count, 0);
	if (msg_part != NULL && strstr(err.msg, msg_part) == NULL)
		fail_msg("line %d: message \"%s\" lacks \"%s\"", line, err.msg, msg_part);
}

/* Examples published in GS1 Digital Link: URI syntax (release 1.4, sections
 * 4 and 6) and on id.gs1.org. */
static void test_published_examples(void **state)
{
	(void)state;
	ok("https://id.gs1.org/01/09520123456788");
	expect_el(0, "01", "09520123456788");
	ok("https://id.gs1.org/01/09520123456788/22/2A");
	expect_el(1, "22", "2A");
	ok("https://id.gs1.org/01/09520123456788/10/ABC123");
	ok("https://id.gs1.org/01/09520123456788/21/12345");
	ok("https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426");
	assert_int_equal(d.count, 4);
	expect_el(3, "17", "180426");
	ok("https://id.gs1.org/01/09520123456788?3103=000195");
	expect_el(1, "3103", "000195");
	ok("https://id.gs1.org/01/09520123456788?3103=000195&3922=0299&17=201225");
	assert_int_equal(d.count, 4);
	ok("https://id.gs1.org/00/952012345678912345");
	ok("https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123");
	assert_int_equal(d.count, 4);
	ok("https://id.gs1.org/414/9520123456788");
	ok("https://id.gs1.org/414/9520123456788/254/32a%2Fb");
	expect_el(1, "254", "32a/b");
	ok("https://id.gs1.org/253/4512345678906");
	ok("https://id.gs1.org/8010/9520123456/8011/9876");
	ok("https://id.gs1.org/255/9520123456788");
	ok("https://example.com/01/09520123456788/10/ABC123?linkType=gs1:certificationInfo");
	assert_int_equal(d.count, 2);
	ok("https://brand.example.com/some/extra/path/01/09520123456788");
	ok("https://id.gs1.org/01/09506000134352/10/ABC/21/123?17=261231");
	assert_int_equal(d.syntax, GS1_SYNTAX_DIGITAL_LINK);
}

static void test_stems_and_keys(void **state)
{
	(void)state;
	ok("http://example.com:8080/dl/v1/01/09506000134352/21/XYZ#top");
	expect_el(1, "21", "XYZ");
	ok("HTTPS://Example.COM/01/09506000134352");
	ok("https://[2001:db8::1]/01/09506000134352");
	/* the rightmost key starts the GS1 part; AI-like words before it are stem */
	ok("https://h.example/01/shop/01/09506000134352/21/7");
	expect_el(0, "01", "09506000134352");
	expect_el(1, "21", "7");
	ok("https://id.gs1.org/01/09506000134352/22/V1/10/L1/21/S1");
	ok("https://id.gs1.org/01/09506000134352/22/V1/21/S1");
	ok("https://id.gs1.org/01/09506000134352/235/TPX1");
	ok("https://id.gs1.org/8004/9506ABC");
	ok("https://id.gs1.org/8006/095060001343520102/21/S1");
	ok("https://id.gs1.org/417/9506000134352/7040/1AB-");
	/* qualifiers out of order, mixed alternatives, not qualifiers of the key */
	expect_fail(dl("https://id.gs1.org/01/09506000134352/21/S1/10/L1"), GS1_FAULT_SYNTAX,
	            "in that order");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/L1/235/T"), GS1_FAULT_SYNTAX,
	            "22,10,21|235");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/21/A/21/B"), GS1_FAULT_SYNTAX, NULL);
	expect_fail(dl("https://id.gs1.org/00/106141412345678908/21/1"), GS1_FAULT_SYNTAX, NULL);
	/* (17) is an AI but no qualifier of (01): the path ends in no key pair */
	expect_fail(dl("https://id.gs1.org/01/09506000134352/17/261231"), GS1_FAULT_SYNTAX,
	            "qualifiers");
	/* GTIN-8/12/13 in the path: padded (a documented tolerance) */
	ok("https://id.gs1.org/01/9506000134352");
	expect_el(0, "01", "09506000134352");
	ok("https://id.gs1.org/01/036000291452");
	expect_el(0, "01", "00036000291452");
	ok("https://id.gs1.org/01/96385074");
	expect_el(0, "01", "00000096385074");
	expect_fail(dl("https://id.gs1.org/01/123456789"), GS1_FAULT_LENGTH, "exactly 14");
}

static void test_decoding(void **state)
{
	(void)state;
	ok("https://id.gs1.org/01/09506000134352/21/A%2FB%21");
	expect_el(1, "21", "A/B!");
	ok("https://id.gs1.org/01/09506000134352/10/%41%62c");
	expect_el(1, "10", "Abc");
	/* malformed escapes are refused (RFC 3986 2.1) */
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/AB%2"), GS1_FAULT_SYNTAX, "%HH");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/AB%ZZ"), GS1_FAULT_SYNTAX, "%HH");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/A%00B"), GS1_FAULT_SYNTAX, "%00");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/A%20B"), GS1_FAULT_CHARSET,
	            "set 82");
	/* '+' is a space in the query only */
	expect_fail(dl("https://id.gs1.org/00/106141412345678908?02=09506000134352&37=5&10=A+B"),
	            GS1_FAULT_CHARSET, "set 82");
	ok("https://id.gs1.org/01/09506000134352/10/A+B");
	expect_el(1, "10", "A+B");
}

static void test_query(void **state)
{
	(void)state;
	ok("https://id.gs1.org/01/09506000134352?linkType=gs1:pip&17=261231&3103=000195");
	expect_el(1, "17", "261231");
	expect_el(2, "3103", "000195");
	ok("https://id.gs1.org/01/09506000134352?&&17=261200");
	ok("https://id.gs1.org/01/09506000134352?17&linkType");  /* no '=': ignored */
	assert_int_equal(d.count, 1);
	ok("https://id.gs1.org/00/106141412345678908?02=09506000134352&37=5&10=A%26B");
	expect_el(3, "10", "A&B");
	/* GTIN-13 as an attribute is padded, as the standard says */
	ok("https://id.gs1.org/00/106141412345678908?01=9506000134352");
	expect_el(1, "01", "09506000134352");
	expect_fail(dl("https://id.gs1.org/01/09506000134352?17=260230"), GS1_FAULT_DATE, "day 30");
	expect_fail(dl("https://id.gs1.org/01/09506000134352?9999=1"), GS1_FAULT_UNKNOWN_AI,
	            "9999");
	expect_fail(dl("https://id.gs1.org/01/09506000134352?17="), GS1_FAULT_SYNTAX, "empty");
	/* repeated attributes, even with the same value: refused (issue 15) */
	expect_fail(dl("https://id.gs1.org/01/09506000134352?17=261231&17=261231"),
	            GS1_FAULT_DUPLICATE, "twice");
	expect_fail(dl("https://id.gs1.org/01/09506000134352?17=261231&17=271231"),
	            GS1_FAULT_DUPLICATE, "twice");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/A?10=A"), GS1_FAULT_DUPLICATE,
	            "twice");
	/* AIs that are no Digital Link attribute, or that belong in the path */
	expect_fail(dl("https://id.gs1.org/01/09506000134352?21=S1"), GS1_FAULT_SYNTAX,
	            "not allowed as a query attribute");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/21/S1?10=L1"), GS1_FAULT_SYNTAX,
	            "belongs in the path");
	expect_fail(dl("https://id.gs1.org/01/09506000134352?10=L1"), GS1_FAULT_SYNTAX,
	            "belongs in the path");
	expect_fail(dl("https://id.gs1.org/414/9506000134352?254=A"), GS1_FAULT_SYNTAX, NULL);
	/* association rules over path and query */
	expect_fail(dl("https://id.gs1.org/01/09506000134352?37=5"), GS1_FAULT_ASSOCIATION, "(37)");
	expect_fail(dl("https://id.gs1.org/00/106141412345678908?10=A"), GS1_FAULT_ASSOCIATION,
	            "(10)");
	expect_fail(dl("https://id.gs1.org/8010/1234AB?3102=000100"), GS1_FAULT_ASSOCIATION,
	            "(3102)");
}

static void test_malformed(void **state)
{
	(void)state;
	expect_fail(dl(""), GS1_FAULT_EMPTY, NULL);
	expect_fail(dl("ftp://id.gs1.org/01/09506000134352"), GS1_FAULT_NOT_GS1, "https://");
	expect_fail(dl("HtTpS://id.gs1.org/01/09506000134352"), GS1_FAULT_NOT_GS1, "upper");
	expect_fail(dl("https://example.com/about/us"), GS1_FAULT_NOT_GS1, "primary key");
	expect_fail(dl("https://example.com"), GS1_FAULT_NOT_GS1, NULL);
	expect_fail(dl("https:///01/09506000134352"), GS1_FAULT_SYNTAX, "host");
	expect_fail(dl("https://a$b/01/09506000134352"), GS1_FAULT_SYNTAX, "host");
	/* a trailing '/' is refused (issue 15): the path must end in a value */
	expect_fail(dl("https://id.gs1.org/01/09506000134352/"), GS1_FAULT_SYNTAX, "trailing");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/21/S1/"), GS1_FAULT_SYNTAX,
	            "trailing");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10"), GS1_FAULT_SYNTAX, "pairs");
	expect_fail(dl("https://id.gs1.org/01/09506000134353"), GS1_FAULT_CHECK_DIGIT,
	            "expected 2");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/A B"), GS1_FAULT_SYNTAX, "0x20");
	expect_fail(dl("https://id.gs1.org/01/0950600013435\xC3\xA4"), GS1_FAULT_SYNTAX, "0xC3");
	expect_fail(dl("https://id.gs1.org/01/09506000134352/10/A\"B"), GS1_FAULT_SYNTAX, "0x22");
	expect_fail(dl("https://id.gs1.org/01//10/A"), GS1_FAULT_SYNTAX, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_examples),
		cmocka_unit_test(test_stems_and_keys),
		cmocka_unit_test(test_decoding),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
