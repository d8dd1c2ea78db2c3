/*
 * gs1_test.c - GS1 AI table, validation (check digits, dates, character
 * sets, content rules), element strings with and without FNC1 (including
 * the ambiguity rule), and the bracketed form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "gs1.h"

#define GS "\x1D"

static struct gs1_data d;
static struct wms_error err;

/* element strings from a source that transmits GS (read literally) */
static int es(const char *s)
{
	memset(&err, 0, sizeof err);
	return gs1_parse_element_string(s, strlen(s), GS1_SEP_SENT, &d, &err);
}

/* ... and from one that drops GS (a missing separator is inferred) */
static int esd(const char *s)
{
	memset(&err, 0, sizeof err);
	return gs1_parse_element_string(s, strlen(s), GS1_SEP_DROPPED, &d, &err);
}

static int br(const char *s)
{
	memset(&err, 0, sizeof err);
	return gs1_parse_bracketed(s, strlen(s), &d, &err);
}

static void expect_el(size_t i, const char *ai, const char *value)
{
	assert_true(i < d.count);
	assert_string_equal(d.el[i].ai, ai);
	assert_string_equal(d.el[i].value, value);
	assert_non_null(d.el[i].def);
}

#define expect_fail(rc, fault, part) expect_fail_at(__LINE__, rc, fault, part)

static void expect_fail_at(int line, int rc, enum gs1_fault fault, const char *msg_part)
{
	if (rc == 0)
		fail_msg("line %d: accepted, expected fault %d", line, (int)fault);
	if (d.fault != fault)
		fail_msg("line %d: fault %d, expected %d: %s", line, (int)d.fault, (int)fault,
		         err.msg);
	assert_int_equal(d.count, 0);
	assert_int_equal(err.code, WMS_EINVAL);
	if (msg_part != NULL && strstr(err.msg, msg_part) == NULL)
		fail_msg("line %d: message \"%s\" lacks \"%s\"", line, err.msg, msg_part);
	assert_null(strchr(err.msg, '\n'));
}

static void test_check_digits(void **state)
{
	(void)state;
	assert_true(gs1_check_digit_valid("09506000134352", 14));   /* GTIN-14 */
	assert_false(gs1_check_digit_valid("09506000134353", 14));
	assert_true(gs1_check_digit_valid("106141412345678908", 18)); /* SSCC */
	assert_false(gs1_check_digit_valid("106141412345678907", 18));
	assert_true(gs1_check_digit_valid("9506000134352", 13));    /* GLN / GTIN-13 */
	assert_true(gs1_check_digit_valid("4006381333931", 13));
	assert_true(gs1_check_digit_valid("96385074", 8));          /* GTIN-8 */
	assert_true(gs1_check_digit_valid("036000291452", 12));     /* GTIN-12 */
	assert_false(gs1_check_digit_valid("0950600013435X", 14));
	assert_false(gs1_check_digit_valid("7", 1));
	assert_int_equal(gs1_check_digit_compute("0950600013435", 13), 2);
	assert_int_equal(gs1_check_digit_compute("10614141234567890", 17), 8);
	assert_int_equal(gs1_check_digit_compute("12a", 3), -1);
}

static void date_ok(const char *s, bool day00)
{
	if (gs1_date_check(s, day00, &err) != GS1_FAULT_NONE)
		fail_msg("%s rejected: %s", s, err.msg);
}

static void date_bad(const char *s, bool day00, const char *part)
{
	memset(&err, 0, sizeof err);
	assert_int_equal(gs1_date_check(s, day00, &err), GS1_FAULT_DATE);
	if (strstr(err.msg, part) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, part);
}

static void test_dates(void **state)
{
	(void)state;
	date_ok("261231", false);
	date_ok("240229", false);          /* 2024 is a leap year */
	date_ok("000229", false);          /* so is 2000 */
	date_bad("250229", false, "day 29");
	date_bad("260230", false, "day 30");
	date_bad("260230", true, "day 30"); /* no 30 February with day00 either */
	date_bad("260431", false, "day 31");
	date_bad("261301", false, "month 13");
	date_bad("260001", false, "month 00");
	date_bad("260100", false, "00 not allowed");
	date_ok("260100", true);
	date_bad("26010a", false, "6 digits");

	/* GS1 sliding window (General Specifications 7.12) */
	assert_int_equal(gs1_date_year(26, 2025), 2026);
	assert_int_equal(gs1_date_year(75, 2025), 2075);
	assert_int_equal(gs1_date_year(76, 2025), 1976);
	assert_int_equal(gs1_date_year(99, 2000), 1999);
	assert_int_equal(gs1_date_year(50, 2000), 2050);
	assert_int_equal(gs1_date_year(51, 2000), 1951);
	assert_int_equal(gs1_date_year(0, 2080), 2100);
	assert_int_equal(gs1_date_year(30, 2080), 2130);
	assert_int_equal(gs1_days_in_month(2100, 2), 28);
	assert_int_equal(gs1_days_in_month(2024, 2), 29);
	assert_int_equal(gs1_days_in_month(2024, 13), 0);
}

static void test_date_ais(void **state)
{
	(void)state;
	/* DD=00 allowed for 11, 12, 13, 15, 16, 17 (GS1 "yymmd0") */
	assert_int_equal(es("0109506000134352" "17261200"), 0);
	assert_int_equal(es("0109506000134352" "15261200"), 0);
	assert_int_equal(es("0109506000134352" "16261200"), 0);
	assert_int_equal(es("0109506000134352" "11261200"), 0);
	/* ... but not for 7006 (first freeze date, "yymmdd") */
	expect_fail(es("0109506000134352" "7006261200"), GS1_FAULT_DATE, "(7006)");
	expect_fail(es("0109506000134352" "17260230"), GS1_FAULT_DATE, "day 30");
	expect_fail(es("0109506000134352" "17261301"), GS1_FAULT_DATE, "month 13");
	expect_fail(es("0109506000134352" "17ABCDEF"), GS1_FAULT_CHARSET, "digits");
	/* 7003: date + HHMM */
	assert_int_equal(es("0109506000134352" "70032612312359"), 0);
	expect_fail(es("0109506000134352" "70032612312400"), GS1_FAULT_VALUE, "HHMM");
	expect_fail(es("0109506000134352" "70032602302300"), GS1_FAULT_DATE, "day 30");
}

static void test_table(void **state)
{
	static const char *const required[] = {
		"00", "01", "02", "10", "11", "12", "13", "15", "16", "17", "20", "21",
		"22", "235", "240", "241", "242", "243", "250", "251", "253", "254",
		"30", "37", "400", "401", "402", "403", "410", "411", "412", "413",
		"414", "415", "416", "417", "420", "421", "422", "423", "424", "425",
		"426", "427", "7003", "7004", "7006", "710", "711", "712", "713", "714",
		"715", "7240", "8003", "8004", "8005", "8006", "8012", "8013", "8017",
		"8018", "8020", "90", "91", "95", "99", "3103", "8010", "8011",
	};
	size_t i, j, n = gs1_ai_table_size();

	(void)state;
	for (i = 0; i < sizeof required / sizeof required[0]; i++)
		if (gs1_ai_lookup(required[i], strlen(required[i])) == NULL)
			fail_msg("AI %s missing", required[i]);
	assert_non_null(gs1_ai_lookup("3922", 4));
	assert_null(gs1_ai_lookup("3106", 4)); /* decimal places only 0-5 */
	assert_null(gs1_ai_lookup("23", 2));
	assert_null(gs1_ai_lookup("1", 1));
	assert_null(gs1_ai_lookup("0a", 2));
	assert_null(gs1_ai_table_row(n));

	for (i = 0; i < n; i++) {
		const struct gs1_ai_def *a = gs1_ai_table_row(i);
		size_t pl = gs1_ai_predefined_length(a->lo);

		assert_int_equal(strlen(a->lo), strlen(a->hi));
		assert_true(strcmp(a->lo, a->hi) <= 0);
		/* lexical order, no overlap */
		if (i > 0)
			assert_true(strcmp(gs1_ai_table_row(i - 1)->hi, a->lo) < 0);
		/* predefined prefixes imply a fixed length equal to Figure 7.8.5-2 */
		assert_int_equal(pl > 0, (a->flags & GS1_AI_PREDEFINED) != 0);
		if (pl > 0) {
			assert_true(gs1_ai_is_fixed(a));
			assert_int_equal(strlen(a->lo) + gs1_ai_max_len(a), pl);
		}
		/* prefix-free: no AI starts with another */
		for (j = 0; j < n; j++) {
			const struct gs1_ai_def *b = gs1_ai_table_row(j);
			size_t lb = strlen(b->lo);

			if (lb >= strlen(a->lo))
				continue;
			if (strncmp(a->lo, b->lo, lb) >= 0 && strncmp(a->lo, b->hi, lb) <= 0)
				fail_msg("AI %s starts with AI range %s-%s", a->lo, b->lo, b->hi);
		}
	}
	assert_int_equal(gs1_ai_predefined_length("01"), 16);
	assert_int_equal(gs1_ai_predefined_length("00"), 20);
	assert_int_equal(gs1_ai_predefined_length("04"), 18);
	assert_int_equal(gs1_ai_predefined_length("17"), 8);
	assert_int_equal(gs1_ai_predefined_length("20"), 4);
	assert_int_equal(gs1_ai_predefined_length("3103"), 10);
	assert_int_equal(gs1_ai_predefined_length("414"), 16);
	assert_int_equal(gs1_ai_predefined_length("10"), 0);
	assert_int_equal(gs1_ai_predefined_length("21"), 0);
	assert_int_equal(gs1_ai_predefined_length("422"), 0);
	assert_int_equal(gs1_ai_predefined_length("7003"), 0);
	assert_int_equal(gs1_ai_predefined_length("8"), 0);
	assert_true(gs1_ai_is_fixed(gs1_ai_lookup("8006", 4)));
	assert_false(gs1_ai_is_fixed(gs1_ai_lookup("253", 3)));
}

static void test_charsets(void **state)
{
	(void)state;
	assert_true(gs1_is_cset82('!'));
	assert_true(gs1_is_cset82('_'));
	assert_true(gs1_is_cset82('z'));
	assert_false(gs1_is_cset82(' '));
	assert_false(gs1_is_cset82('#'));
	assert_false(gs1_is_cset82('$'));
	assert_false(gs1_is_cset82('@'));
	assert_false(gs1_is_cset82('~'));
	assert_false(gs1_is_cset82(0x1D));
	assert_false(gs1_is_cset82(0xC4));
	assert_true(gs1_is_cset39('#'));
	assert_true(gs1_is_cset39('-'));
	assert_false(gs1_is_cset39('a'));
	expect_fail(es("10AB C"), GS1_FAULT_CHARSET, "set 82");
	expect_fail(es("10AB#C"), GS1_FAULT_CHARSET, "position 3");
	assert_int_equal(es("99!\"%&'()*+,-./:;<=>?_az"), 0);
	assert_int_equal(es("80101234ABC-12/#"), 0);
	expect_fail(es("8010abc"), GS1_FAULT_CHARSET, "set 39");
	expect_fail(es("30AB"), GS1_FAULT_CHARSET, "digits 0-9 only");
	expect_fail(es("0109506000134352" "37" "1x"), GS1_FAULT_CHARSET, "digits");
}

static void test_element_strings(void **state)
{
	(void)state;
	assert_int_equal(es("0109506000134352" "17261231" "10ABC" GS "21123"), 0);
	assert_int_equal(d.count, 4);
	assert_int_equal(d.syntax, GS1_SYNTAX_ELEMENT_STRING);
	assert_int_equal(d.fault, GS1_FAULT_NONE);
	assert_false(d.fnc1_inferred);
	expect_el(0, "01", "09506000134352");
	expect_el(1, "17", "261231");
	expect_el(2, "10", "ABC");
	expect_el(3, "21", "123");
	assert_string_equal(gs1_find(&d, "21")->value, "123");
	assert_null(gs1_find(&d, "00"));

	/* a leading FNC1/GS and a trailing one are tolerated */
	assert_int_equal(es(GS "0109506000134352" "10ABC" GS), 0);
	assert_int_equal(d.count, 2);
	/* GS after a fixed-length field is tolerated */
	assert_int_equal(es("0109506000134352" GS "10ABC" GS "17261231"), 0);
	expect_el(2, "17", "261231");
	/* fixed-length fields need no separator */
	assert_int_equal(es("00106141412345678908" "0109506000134352" "17261231" "20" "01"), 0);
	assert_int_equal(d.count, 4);
	expect_el(3, "20", "01");
	/* SSCC */
	assert_int_equal(es("00106141412345678908"), 0);
	expect_el(0, "00", "106141412345678908");
	/* trade measure, GRAI, GDTI with and without serial, 8006 */
	assert_int_equal(es("0109506000134352" "3103000195"), 0);
	expect_el(1, "3103", "000195");
	assert_int_equal(es("8003" "0" "9506000134352" "ABC"), 0);
	expect_el(0, "8003", "09506000134352ABC");
	expect_fail(es("8003" "1" "9506000134352" "ABC"), GS1_FAULT_VALUE, "must be 0");
	assert_int_equal(es("253" "9506000134352"), 0);
	assert_int_equal(es("253" "9506000134352" "X1"), 0);
	assert_int_equal(es("8006" "09506000134352" "0102"), 0);
	expect_fail(es("8006" "09506000134352" "0302"), GS1_FAULT_VALUE, "piece");
	/* country lists: multiples of three digits */
	assert_int_equal(es("0109506000134352" "423" "752208"), 0);
	expect_fail(es("0109506000134352" "423" "7522"), GS1_FAULT_LENGTH, "part 2");
	expect_fail(es("0109506000134352" "423" "752999"), GS1_FAULT_VALUE, "ISO 3166");
	/* internal AIs */
	assert_int_equal(es("99" "ANYTHING-goes_1"), 0);
	assert_int_equal(es("90" "X"), 0);
	/* NHRN and protocol */
	assert_int_equal(es("0109506000134352" "714" "ABC" GS "7240" "PROT-1"), 0);
	expect_el(1, "714", "ABC");
	expect_el(2, "7240", "PROT-1");
}

static void test_peer_mistakes(void **state)
{
	(void)state;
	/* 8-digit serial at the end: not split into anything */
	assert_int_equal(es("0109506000134352" "21" "12345678"), 0);
	assert_int_equal(d.count, 2);
	expect_el(1, "21", "12345678");
	assert_false(d.fnc1_inferred);
	/* lots that start like AIs or look like dates */
	assert_int_equal(es("0109506000134352" "10" "10D9T"), 0);
	expect_el(1, "10", "10D9T");
	assert_int_equal(es("0109506000134352" "10" "D9T"), 0);
	expect_el(1, "10", "D9T");
	/* variable-length value at the end without FNC1 */
	assert_int_equal(es("0109506000134352" "17261231" "10" "ABC"), 0);
	expect_el(2, "10", "ABC");
}

static void test_ambiguity(void **state)
{
	(void)state;
	/* read literally when GS is sent: the variable-length tail runs to the end */
	assert_int_equal(es("0109506000134352211234567810ABC"), 0);
	expect_el(1, "21", "1234567810ABC");
	/* FNC1 dropped: serial "1234567810ABC" or serial "12345678" + lot "ABC" */
	expect_fail(esd("0109506000134352211234567810ABC"), GS1_FAULT_AMBIGUOUS, "ambiguous");
	assert_int_equal(d.n_alternatives, 2);
	assert_string_equal(d.alternatives[0], "(01)09506000134352(21)1234567810ABC");
	assert_string_equal(d.alternatives[1], "(01)09506000134352(21)12345678(10)ABC");
	assert_non_null(strstr(err.msg, "(21)1234567810ABC"));
	assert_non_null(strstr(err.msg, "(21)12345678(10)ABC"));
	assert_non_null(strstr(err.msg, "FNC1"));
	/* the same with the separator is fine */
	assert_int_equal(esd("0109506000134352" "21" "12345678" GS "10ABC"), 0);
	expect_el(2, "10", "ABC");
	/* with a GS anywhere, FNC1 is trusted: no second-guessing the last field */
	assert_int_equal(esd("0109506000134352" "10ABC" GS "21XYZ17261231"), 0);
	expect_el(2, "21", "XYZ17261231");
	/* a date-like tail without any GS is ambiguous */
	expect_fail(esd("0109506000134352" "10ABC17261231"), GS1_FAULT_AMBIGUOUS, "(17)261231");
	/* only one valid reading: taken, flagged as inferred */
	assert_int_equal(esd("0109506000134352" "30" "5" "10ABC"), 0);
	assert_true(d.fnc1_inferred);
	expect_el(1, "30", "5");
	expect_el(2, "10", "ABC");
	/* more than four readings: listed up to four and marked */
	expect_fail(esd("91" "A92B93C94D95E"), GS1_FAULT_AMBIGUOUS, "more than 4");
	assert_int_equal(d.n_alternatives, GS1_ALT_MAX);
	assert_true(d.more_alternatives);
	/* huge numbers of readings, most with more than 32 elements: still fast */
	{
		char many[GS1_INPUT_MAX + 1];
		size_t i;

		for (i = 0; i + 1 < sizeof many; i++)
			many[i] = "10"[i % 2];
		many[GS1_INPUT_MAX] = '\0';
		memset(&err, 0, sizeof err);
		assert_int_equal(gs1_parse_element_string(many, GS1_INPUT_MAX, GS1_SEP_DROPPED,
		                                          &d, &err),
		                 WMS_EINVAL);
		assert_int_not_equal(d.fault, GS1_FAULT_NONE);
	}
}

static void test_element_errors(void **state)
{
	char buf[200];

	(void)state;
	expect_fail(es(""), GS1_FAULT_EMPTY, "empty");
	expect_fail(es(GS), GS1_FAULT_EMPTY, "empty");
	expect_fail(es("0109506000134353"), GS1_FAULT_CHECK_DIGIT, "expected 2");
	expect_fail(es("00106141412345678907"), GS1_FAULT_CHECK_DIGIT, "mod-10");
	expect_fail(es("01095060001"), GS1_FAULT_LENGTH, "exactly 14");
	expect_fail(es("0109506000134352" "23ABC"), GS1_FAULT_UNKNOWN_AI, "offset 16");
	expect_fail(es("ABC"), GS1_FAULT_UNKNOWN_AI, "unknown GS1");
	expect_fail(es("0109506000134352" "10A" GS GS "21B"), GS1_FAULT_SYNTAX, "empty element");
	expect_fail(es("10ABC" GS "10XYZ"), GS1_FAULT_DUPLICATE, "twice");
	/* same value twice: kept once */
	assert_int_equal(es("0109506000134352" "10ABC" GS "10ABC"), 0);
	assert_int_equal(d.count, 2);
	expect_fail(es("21" "ABCDEFGHIJKLMNOPQRSTU" GS "10A"), GS1_FAULT_LENGTH, "1-20");
	expect_fail(es("410" "9506000134353"), GS1_FAULT_CHECK_DIGIT, "(410)");
	/* input bytes are quoted safely in messages */
	expect_fail(es("10AB\x01" "C"), GS1_FAULT_CHARSET, "\\x01");
	/* too long */
	memset(buf, '9', sizeof buf);
	memset(&err, 0, sizeof err);
	expect_fail(gs1_parse_element_string(buf, GS1_INPUT_MAX + 1, GS1_SEP_SENT, &d, &err),
	            GS1_FAULT_LENGTH, "maximum");
	/* more than 32 elements */
	{
		static const char *const ais[] = {
			"10", "21", "22", "235", "240", "241", "242", "243", "250", "251",
			"254", "30", "37", "400", "93", "403", "420", "427", "710", "711",
			"712", "713", "714", "715", "7004", "7240", "94", "8012", "95",
			"8020", "90", "91", "92",
		};
		char many[400] = "";
		size_t i;

		for (i = 0; i < sizeof ais / sizeof ais[0]; i++)
			snprintf(many + strlen(many), sizeof many - strlen(many), "%s%s1",
			    i == 0 ? "" : GS, ais[i]);
		expect_fail(es(many), GS1_FAULT_TOO_MANY, "more than 32");
	}
}

static void test_bracketed(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(br("(01)09506000134352(17)261231(10)ABC(21)123"), 0);
	assert_int_equal(d.syntax, GS1_SYNTAX_BRACKETED);
	assert_int_equal(d.count, 4);
	expect_el(0, "01", "09506000134352");
	expect_el(3, "21", "123");
	assert_int_equal(gs1_format_bracketed(&d, out, sizeof out), 42);
	assert_string_equal(out, "(01)09506000134352(17)261231(10)ABC(21)123");
	assert_int_equal(gs1_format_bracketed(&d, out, 10), WMS_EINVAL);
	/* 8-digit serial and lots starting with digits need no care here */
	assert_int_equal(br("(01)09506000134352(21)12345678(10)10D9T"), 0);
	expect_el(1, "21", "12345678");
	expect_el(2, "10", "10D9T");
	/* an escaped '(' in a value, and round trip */
	assert_int_equal(br("(01)09506000134352(10)AB\\(C)"), 0);
	expect_el(1, "10", "AB(C)");
	assert_true(gs1_format_bracketed(&d, out, sizeof out) > 0);
	assert_string_equal(out, "(01)09506000134352(10)AB\\(C)");

	expect_fail(br(""), GS1_FAULT_EMPTY, "empty");
	expect_fail(br("01)09506000134352"), GS1_FAULT_SYNTAX, "expected '('");
	expect_fail(br("(01)09506000134352(10)AB(C"), GS1_FAULT_SYNTAX, "2-4 digit");
	expect_fail(br("(1)0"), GS1_FAULT_SYNTAX, "2-4 digit");
	expect_fail(br("(12345)0"), GS1_FAULT_SYNTAX, "2-4 digit");
	expect_fail(br("(23)ABC"), GS1_FAULT_UNKNOWN_AI, "(23)");
	expect_fail(br("(01)"), GS1_FAULT_LENGTH, "no value");
	expect_fail(br("(01)0950600013435"), GS1_FAULT_LENGTH, "exactly 14");
	expect_fail(br("(01)09506000134353"), GS1_FAULT_CHECK_DIGIT, "expected 2");
	expect_fail(br("(17)260230"), GS1_FAULT_DATE, "day 30");
	expect_fail(br("(10)abc def"), GS1_FAULT_CHARSET, "set 82");
	expect_fail(br("(10)A(10)B"), GS1_FAULT_DUPLICATE, "twice");
	expect_fail(br("(99)" "0123456789012345678901234567890123456789012345678901234567890123456789"
	               "012345678901234567890"), GS1_FAULT_LENGTH, "maximum");
}

#define GTIN "(01)09506000134352"

static void ok(int rc)
{
	if (rc != 0)
		fail_msg("refused: %s", err.msg);
}

/* Issue 15, failure 2: the association rules of General Specifications 4.14
 * (Syntax Dictionary req/ex), each accepted before, refused now. */
static void test_associations(void **state)
{
	(void)state;
	expect_fail(br("(21)12345"), GS1_FAULT_ASSOCIATION, "(21) SERIAL needs one of (01)");
	expect_fail(br("(10)ABC"), GS1_FAULT_ASSOCIATION, "(10) BATCH/LOT needs");
	expect_fail(br("(17)261231"), GS1_FAULT_ASSOCIATION, "(17)");
	expect_fail(br("(02)09506000134352"), GS1_FAULT_ASSOCIATION, "needs (37)");
	expect_fail(br("(417)9506000134352(254)A1"), GS1_FAULT_ASSOCIATION, "needs (414)");
	expect_fail(br("(8011)123"), GS1_FAULT_ASSOCIATION, "needs (8010)");
	expect_fail(br(GTIN "(250)X1"), GS1_FAULT_ASSOCIATION, "needs (21)");
	expect_fail(br(GTIN "(02)09506000134352(37)5"), GS1_FAULT_ASSOCIATION, "not appear together");
	expect_fail(br(GTIN "(37)5"), GS1_FAULT_ASSOCIATION, "(37)");
	expect_fail(br(GTIN "(21)X1(235)T1"), GS1_FAULT_ASSOCIATION, "(235)");
	expect_fail(br(GTIN "(3102)000100(3103)000200"), GS1_FAULT_ASSOCIATION, "(3103)");
	expect_fail(br("(420)12345(421)752123"), GS1_FAULT_ASSOCIATION, "(421)");
	expect_fail(br(GTIN "(8006)095060001343520102"), GS1_FAULT_ASSOCIATION, "(8006)");
	/* ... the same data read from element strings and Digital Link */
	expect_fail(es("21" "12345"), GS1_FAULT_ASSOCIATION, "(21)");
	expect_fail(es("0109506000134352" "3102000100" "3103000200"), GS1_FAULT_ASSOCIATION,
	            "(3103)");
	/* and their valid companions */
	expect_fail(br("(02)09506000134352(37)5"), GS1_FAULT_ASSOCIATION, "(37) COUNT needs (00)");
	ok(br("(414)9506000134352(254)A1"));
	ok(br("(8010)1234ABC(8011)123"));
	ok(br(GTIN "(21)X1(250)Y1"));
	ok(br(GTIN "(3102)000100(3202)000200"));
	expect_fail(br("(00)106141412345678908(3102)000900"), GS1_FAULT_ASSOCIATION, "(3102)");
	ok(br("(8006)095060001343520102(21)S1"));
	ok(br("(00)106141412345678908(02)09506000134352(37)12"));
	/* "01+21": (8030) needs both of a group */
	expect_fail(br(GTIN "(8030)ABCD"), GS1_FAULT_ASSOCIATION, "(01)+(21)");
	ok(br(GTIN "(21)S1(8030)ABCD"));
	/* a digital signature needs the serial component of (253), (255), (8003) */
	expect_fail(br("(253)9506000134352(8030)ABCD"), GS1_FAULT_ASSOCIATION, "serial");
	ok(br("(253)9506000134352X1(8030)ABCD"));
}

/* Issue 15, failures 3 and 5: AIs that were missing, linters not run. */
static void test_dictionary_ais(void **state)
{
	(void)state;
	ok(br(GTIN "(7010)AB"));
	expect_fail(br(GTIN "(7010)ABC"), GS1_FAULT_LENGTH, "(7010)");
	ok(br(GTIN "(7011)261231"));
	ok(br(GTIN "(7011)2612311230"));
	expect_fail(br(GTIN "(7011)26123112"), GS1_FAULT_LENGTH, "part 2");
	expect_fail(br(GTIN "(7011)2612312430"), GS1_FAULT_VALUE, "HHMM");
	ok(br(GTIN "(8008)26123112"));
	ok(br(GTIN "(8008)2612311230"));
	ok(br(GTIN "(8008)261231123059"));
	expect_fail(br(GTIN "(8008)261231123"), GS1_FAULT_LENGTH, "part 3");
	expect_fail(br(GTIN "(8008)26123124"), GS1_FAULT_VALUE, "hour");
	expect_fail(br(GTIN "(8008)261231126000"), GS1_FAULT_VALUE, "minute");
	ok(br(GTIN "(8200)https://example.com/p?id=1"));
	expect_fail(br("(8200)https://example.com"), GS1_FAULT_ASSOCIATION, "needs (01)");
	ok(br("(255)9506000134352"));
	ok(br("(255)9506000134352123456789012"));
	expect_fail(br("(255)95060001343521234567890123"), GS1_FAULT_LENGTH, "(255)");
	expect_fail(br("(255)9506000134353"), GS1_FAULT_CHECK_DIGIT, "(255)");
	expect_fail(br(GTIN "(255)9506000134352"), GS1_FAULT_ASSOCIATION, "(255)");
	ok(br("(255)9506000134352(3940)0020"));
	/* GMN check character pair (General Specifications 7.9.5 example) */
	ok(br("(8013)1987654Ad4X4bL5ttr2310c2K"));
	expect_fail(br("(8013)1987654Ad4X4bL5ttr2310cXK"), GS1_FAULT_CHECK_DIGIT, "check character");
	expect_fail(br("(8013)1987654Ad4X4bL5ttr2310c2X"), GS1_FAULT_CHECK_DIGIT, "pair");
	/* MUDI: a GMN with a non-digit */
	ok(br(GTIN "(8014)1987654Ad4X4bL5ttr2310c2K"));
	/* ISO 3166 country codes */
	ok(br(GTIN "(422)752"));
	expect_fail(br(GTIN "(422)999"), GS1_FAULT_VALUE, "ISO 3166");
	expect_fail(br(GTIN "(426)000"), GS1_FAULT_VALUE, "ISO 3166");
	expect_fail(br(GTIN "(422)752(426)752"), GS1_FAULT_ASSOCIATION, "(426)");
	ok(br(GTIN "(7030)999ABC"));
	expect_fail(br(GTIN "(7030)998ABC"), GS1_FAULT_VALUE, "999");
	ok(br("(00)106141412345678908(4307)SE"));
	expect_fail(br("(00)106141412345678908(4307)XX"), GS1_FAULT_VALUE, "alpha-2");
	/* ISO 4217 */
	ok(br("(415)9506000134352(8020)R1(3911)752100"));
	expect_fail(br("(415)9506000134352(8020)R1(3911)753100"), GS1_FAULT_VALUE, "ISO 4217");
	/* GS1 Company Prefix position: the key starts with at least 4 digits */
	ok(br("(8004)9506ABC"));
	expect_fail(br("(8004)950ABC"), GS1_FAULT_VALUE, "Company Prefix");
	expect_fail(br("(401)ABC123"), GS1_FAULT_VALUE, "Company Prefix");
	expect_fail(br("(8010)12ABC"), GS1_FAULT_VALUE, "Company Prefix");
	/* other linters */
	expect_fail(br("(00)106141412345678908(4321)2"), GS1_FAULT_VALUE, "0 (no) or 1");
	ok(br("(00)106141412345678908(4330)001234-"));
	expect_fail(br("(00)106141412345678908(4330)001234+"), GS1_FAULT_VALUE, "\"-\"");
	expect_fail(br("(00)106141412345678908(4309)18000000013600000000"), GS1_FAULT_VALUE,
	            "latitude");
	expect_fail(br("(00)106141412345678908(4300)AB%2"), GS1_FAULT_VALUE, "percent");
	ok(br("(00)106141412345678908(4300)AB%20C"));
	expect_fail(br(GTIN "(8001)00000100000111"), GS1_FAULT_VALUE, "zero");
	ok(br(GTIN "(8001)123412345123" "1" "1"));
	expect_fail(br(GTIN "(8001)12341234512351"), GS1_FAULT_VALUE, "winding");
	ok(br("(8018)123456789012345675(7258)1/2(7259)BABY"));
	expect_fail(br("(8018)123456789012345675(7258)3/2(7259)B"), GS1_FAULT_VALUE, "POS/END");
	ok(br("(415)9506000134352(8020)R1(8007)GB82WEST12345698765432"));
	expect_fail(br("(415)9506000134352(8020)R1(8007)GB82WEST12345698765433"), GS1_FAULT_CHECK_DIGIT,
	            "IBAN");
	ok(br("(8018)123456789012345675(7250)19991231"));
	expect_fail(br("(8018)123456789012345675(7250)19990229"), GS1_FAULT_DATE, "YYYYMMDD");
	expect_fail(br("(00)106141412345678908(8030)AB=C"), GS1_FAULT_CHARSET, "padding");
	ok(br("(00)106141412345678908(8030)AB="));
	/* a value of an AI that is not of predefined length needs GS after it, even
	 * when it has one fixed length (7003: 10 digits) */
	expect_fail(es("0109506000134352" "7003261231235910ABC"), GS1_FAULT_LENGTH,
	            "GS separator is missing");
	ok(es("0109506000134352" "70032612312359" GS "10ABC"));
	/* ... while a predefined-length one needs none, and a GS after it is skipped */
	ok(es("0109506000134352" "17261231" GS "10ABC"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_digits),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_date_ais),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_element_strings),
		cmocka_unit_test(test_peer_mistakes),
		cmocka_unit_test(test_ambiguity),
		cmocka_unit_test(test_element_errors),
		cmocka_unit_test(test_bracketed),
		cmocka_unit_test(test_associations),
		cmocka_unit_test(test_dictionary_ais),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
