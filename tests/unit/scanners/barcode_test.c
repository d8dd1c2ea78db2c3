/*
 * barcode_test.c - classification of whole scans: AIM identifiers given or
 * derived, UDI/SSCC/GS1 from the three GS1 syntaxes, bare GTINs, our own
 * labels and commands, plain text, and malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "barcode.h"

#define GS "\x1D"

static struct scan_result r;
static struct wms_error err;

static int scan_n(const char *s, size_t n, const char *aim)
{
	struct scan_options opt = { .ref_year = 2025, .aim = aim };

	memset(&err, 0, sizeof err);
	return scan_interpret(s, n, &opt, &r, &err);
}

static int scan(const char *s)
{
	return scan_n(s, strlen(s), NULL);
}

/* a scan from a source configured gs=dropped, or gs=C (sub != 0) */
static int scan_gs(const char *s, enum gs1_separators gs, char sub)
{
	struct scan_options opt = { .ref_year = 2025, .gs = gs, .gs_substitute = sub };

	memset(&err, 0, sizeof err);
	return scan_interpret(s, strlen(s), &opt, &r, &err);
}

static void expect_kind(int rc, enum scan_kind kind)
{
	if (rc != 0)
		fail_msg("scan failed: %s", err.msg);
	assert_int_equal(r.kind, kind);
}

static void expect_error(int rc, const char *msg_part)
{
	assert_int_equal(rc, WMS_EINVAL);
	assert_int_equal(r.kind, SCAN_NONE);
	assert_int_equal(err.code, WMS_EINVAL);
	assert_null(strchr(err.msg, '\n'));
	if (msg_part != NULL && strstr(err.msg, msg_part) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg_part);
}

static void expect_aim(const char *want)
{
	char buf[AIM_ID_LEN + 1];

	aim_format(&r.aim, buf);
	assert_string_equal(buf, want);
}

static void test_udi(void **state)
{
	(void)state;
	expect_kind(scan("]d2" "0109506000134352" "17261231" "10ABC" GS "21123"), SCAN_UDI);
	expect_aim("]d2");
	assert_string_equal(r.udi.gtin, "09506000134352");
	assert_string_equal(r.udi.serial, "123");
	assert_string_equal(r.udi.lot, "ABC");
	assert_true(r.udi.has_expiry);
	assert_int_equal(r.udi.expiry.year, 2026);
	assert_int_equal(r.udi.expiry.month, 12);
	assert_int_equal(r.udi.expiry.day, 31);
	assert_false(r.udi.expiry.end_of_month);
	assert_false(r.udi.has_manufactured);
	assert_int_equal(r.gs1.count, 4);

	/* 8-digit serial, lot 10D9T */
	expect_kind(scan("]C1" "0109506000134352" "21" "12345678"), SCAN_UDI);
	assert_string_equal(r.udi.serial, "12345678");
	expect_kind(scan("]C1" "0109506000134352" "10" "10D9T"), SCAN_UDI);
	assert_string_equal(r.udi.lot, "10D9T");
	assert_string_equal(r.udi.serial, "");

	/* expiry day 00 = end of month; manufacture day 00 = no day */
	expect_kind(scan("]C1" "0109506000134352" "17260200" "11280200"), SCAN_UDI);
	assert_int_equal(r.udi.expiry.day, 28);
	assert_true(r.udi.expiry.end_of_month);
	assert_true(r.udi.has_manufactured);
	assert_int_equal(r.udi.manufactured.year, 2028);
	assert_int_equal(r.udi.manufactured.day, 0);
	expect_kind(scan("]C1" "0109506000134352" "17280200"), SCAN_UDI);
	assert_int_equal(r.udi.expiry.day, 29);

	/* century by the sliding window around ref_year 2025 */
	expect_kind(scan("]C1" "0109506000134352" "11760101" "17750101"), SCAN_UDI);
	assert_int_equal(r.udi.manufactured.year, 1976);
	assert_int_equal(r.udi.expiry.year, 2075);

	/* derived AIM id (ZBar source), data without prefix */
	expect_kind(scan_n("0109506000134352" "21" "S1", 20, "]C1"), SCAN_UDI);
	expect_aim("]C1");
	assert_string_equal(r.udi.serial, "S1");
	/* ZBar drops the leading FNC1; a scanner that sends it is fine too */
	expect_kind(scan("]Q3" GS "0109506000134352" "21" "S1"), SCAN_UDI);
}

static void test_sscc_and_other_gs1(void **state)
{
	(void)state;
	expect_kind(scan("]C1" "00106141412345678908"), SCAN_SSCC);
	assert_string_equal(r.sscc, "106141412345678908");
	expect_kind(scan("]C1" "00106141412345678908" "0109506000134352"), SCAN_SSCC);
	expect_kind(scan("]C1" "4149506000134352" "254" "A1"), SCAN_GS1);
	assert_int_equal(r.gs1.count, 2);
	expect_kind(scan("]e0" "8004" "9506000134352X"), SCAN_GS1);
}

/* Issue 15: where separators are transmitted a variable-length field runs
 * to the next GS or the end, as the General Specifications read it. */
static void test_literal(void **state)
{
	(void)state;
	expect_kind(scan("]d2" "0153361899575461" "21889791"), SCAN_UDI);
	assert_string_equal(r.udi.gtin, "53361899575461");
	assert_string_equal(r.udi.serial, "889791");
	assert_int_equal(r.gs1.count, 2);
	assert_false(r.gs1.fnc1_inferred);
	expect_kind(scan("]d2" "0109506000134352" "17261231" "21" "36954836"), SCAN_UDI);
	assert_string_equal(r.udi.serial, "36954836");
	expect_kind(scan("]C1" "0109506000134352" "21" "99999999"), SCAN_UDI);
	assert_string_equal(r.udi.serial, "99999999");
	expect_kind(scan("]Q3" "0109506000134352" "21" "99999999"), SCAN_UDI);
	expect_kind(scan("]e0" "0109506000134352" "21" "99999999"), SCAN_UDI);
	expect_kind(scan("]C1" "0109506000134352211234567810ABC"), SCAN_UDI);
	assert_string_equal(r.udi.serial, "1234567810ABC");
	/* a value that does not fit: the separator is missing, and we say so */
	expect_error(scan("]d2" "0109506000134352" "21" "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
	             "GS separator is missing");
	/* a printable stand-in for GS configured on the source */
	expect_kind(scan_gs("]d2" "0109506000134352" "21" "12345678" "~" "10ABC",
	                    GS1_SEP_SENT, '~'), SCAN_UDI);
	assert_string_equal(r.udi.serial, "12345678");
	assert_string_equal(r.udi.lot, "ABC");
	expect_kind(scan_gs("0109506000134352" "21" "12345678" "^" "10ABC", GS1_SEP_SENT, '^'),
	            SCAN_UDI);
	assert_string_equal(r.udi.lot, "ABC");
	/* without a substitute configured, '~' is just a bad character */
	expect_error(scan("]d2" "0109506000134352" "21" "12345678" "~" "10ABC"), "set 82");
}

static void test_ambiguous(void **state)
{
	(void)state;
	expect_error(scan_gs("]C1" "0109506000134352211234567810ABC", GS1_SEP_DROPPED, 0),
	             "ambiguous");
	assert_int_equal(r.gs1.fault, GS1_FAULT_AMBIGUOUS);
	assert_int_equal(r.gs1.n_alternatives, 2);
	assert_string_equal(r.gs1.alternatives[1], "(01)09506000134352(21)12345678(10)ABC");
	assert_string_equal(r.udi.gtin, "");
	assert_non_null(strstr(err.msg, "gs=CHAR"));
	/* also without any AIM id (wedge scanner dropping FNC1) */
	expect_error(scan_gs("0109506000134352211234567810ABC", GS1_SEP_DROPPED, 0), "ambiguous");
	/* the UDI read by a wedge that drops GS: two valid readings */
	expect_error(scan_gs("]d2" "0153361899575461" "21889791", GS1_SEP_DROPPED, 0),
	             "(21)88(97)91");
	/* one valid reading: taken */
	expect_kind(scan_gs("]d2" "0109506000134352" "30" "5" "21ABC", GS1_SEP_DROPPED, 0),
	            SCAN_UDI);
	assert_string_equal(r.udi.serial, "ABC");
	assert_true(r.gs1.fnc1_inferred);
	/* a GS in the scan: the separators arrive after all, read literally */
	expect_kind(scan_gs("]d2" "0109506000134352" "10X" GS "21889791", GS1_SEP_DROPPED, 0),
	            SCAN_UDI);
	assert_string_equal(r.udi.serial, "889791");
	expect_kind(scan("]C1" "010950600013435221" "12345678" GS "10ABC"), SCAN_UDI);
	assert_string_equal(r.udi.serial, "12345678");
	assert_string_equal(r.udi.lot, "ABC");
}

static void test_gs1_errors(void **state)
{
	(void)state;
	expect_error(scan("]C1" "0109506000134353"), "check digit");
	assert_int_equal(r.gs1.fault, GS1_FAULT_CHECK_DIGIT);
	expect_error(scan("]C1" "0109506000134352" "17260230"), "day 30");
	expect_error(scan("]C1" "0109506000134352" "23X"), "unknown GS1 Application Identifier");
	expect_error(scan("]C1"), "empty");
	expect_error(scan("]C1" "LOC:A1"), "unknown GS1");
	expect_error(scan("]d2" "0109506000134352" "10A B"), "set 82");
}

static void test_bare_gtin(void **state)
{
	(void)state;
	expect_kind(scan("]E0" "4006381333931"), SCAN_UDI);
	assert_string_equal(r.udi.gtin, "04006381333931");
	assert_string_equal(gs1_find(&r.gs1, "01")->value, "04006381333931");
	expect_kind(scan("]E4" "96385074"), SCAN_UDI);
	assert_string_equal(r.udi.gtin, "00000096385074");
	/* ZBar: UPC-A as 12 digits, UPC-E as 8 */
	expect_kind(scan_n("036000291452", 12, "]E0"), SCAN_UDI);
	assert_string_equal(r.udi.gtin, "00036000291452");
	expect_kind(scan_n("00123457", 8, "]E0"), SCAN_UDI);
	assert_string_equal(r.udi.gtin, "00001234000057");
	/* EAN-13 with a 2-digit add-on */
	expect_kind(scan("]E3" "4006381333931" "12"), SCAN_UDI);
	assert_string_equal(r.udi.gtin, "04006381333931");
	/* ITF-14 */
	expect_kind(scan("]I1" "09506000134352"), SCAN_UDI);
	expect_kind(scan("]I1" "123457"), SCAN_TEXT);
	expect_kind(scan("]I0" "09506000134352"), SCAN_TEXT);

	expect_error(scan("]E0" "4006381333932"), "expected 1");
	expect_error(scan("]E0" "40063813339"), "11 digits");
	expect_error(scan("]E0" "400638133393A"), "digits only");
	expect_error(scan("]E4" "4006381333931"), "]E4 8");
	expect_error(scan_n("20123457", 8, "]E0"), "number system");
}

static void test_other_gs1_syntaxes(void **state)
{
	(void)state;
	expect_kind(scan("(01)09506000134352(17)261231(10)ABC(21)123"), SCAN_UDI);
	assert_int_equal(r.gs1.syntax, GS1_SYNTAX_BRACKETED);
	assert_string_equal(r.udi.serial, "123");
	expect_error(scan("(01)09506000134353"), "check digit");

	expect_kind(scan("]Q1" "https://id.gs1.org/01/09506000134352/10/ABC/21/123?17=261231"),
	            SCAN_UDI);
	assert_int_equal(r.gs1.syntax, GS1_SYNTAX_DIGITAL_LINK);
	assert_string_equal(r.udi.lot, "ABC");
	assert_int_equal(r.udi.expiry.year, 2026);
	expect_kind(scan("https://example.org/00/106141412345678908"), SCAN_SSCC);
	expect_error(scan("https://id.gs1.org/01/123"), "exactly 14");
	/* a URL that is not a Digital Link is text */
	expect_kind(scan("]Q1" "https://www.example.com/manual.pdf"), SCAN_TEXT);
	assert_string_equal(r.text, "https://www.example.com/manual.pdf");
	assert_int_equal(r.gs1.fault, GS1_FAULT_NONE);

	/* no AIM id: a GS means GS1; 01 + valid GTIN-14 at the start too */
	expect_kind(scan("0109506000134352" "10ABC" GS "21X"), SCAN_UDI);
	expect_kind(scan("0109506000134352" "21" "ABC"), SCAN_UDI);
	expect_kind(scan("00106141412345678908"), SCAN_SSCC);
	/* ... but a wrong check digit there means it is just text */
	expect_kind(scan("0109506000134353" "21" "ABC"), SCAN_TEXT);
	/* and with a plain symbology id it is never GS1 */
	expect_kind(scan("]C0" "0109506000134352" "21" "ABC"), SCAN_TEXT);
}

static void test_labels(void **state)
{
	static const char *const words[] = {
		"RECEIPT", "PUTAWAY", "TRANSFER", "PICK", "DISPATCH", "RETURN", "RECON",
		"COUNT", "CANCEL", "DONE",
	};
	char buf[32];
	size_t i;

	(void)state;
	expect_kind(scan("LOC:A-01.3/B"), SCAN_LOCATION);
	assert_string_equal(r.code, "A-01.3/B");
	expect_kind(scan("]C0" "LOC:HYLLA7"), SCAN_LOCATION);
	expect_kind(scan("LOC:ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"), SCAN_LOCATION);
	expect_error(scan("LOC:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"), "maximum is 32");
	expect_error(scan("LOC:a1"), "A-Z 0-9 - . _ /");
	expect_error(scan("LOC:"), "empty");
	expect_error(scan("loc:A1"), "upper case");
	expect_kind(scan("ORD:20250042"), SCAN_ORDER);
	assert_string_equal(r.code, "20250042");
	expect_kind(scan("ORD:O-2026/17_b"), SCAN_ORDER);
	expect_error(scan("ORD:12 X"), "A-Z a-z 0-9 - _ /");
	expect_error(scan("ORD:123456789012345678901234567890123"), "maximum is 32");
	expect_kind(scan("USR:anna.l_2-x"), SCAN_USER);
	assert_string_equal(r.code, "anna.l_2-x");
	expect_error(scan("USR:anna l"), "position 5");
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		strcpy(buf, "CMD:");
		strcat(buf, words[i]);
		expect_kind(scan(buf), SCAN_COMMAND);
		assert_string_equal(scan_command_name(r.command), words[i]);
		assert_int_equal(r.command, (enum scan_command)(i + 1));
	}
	expect_error(scan("CMD:pick"), "RECEIPT PUTAWAY TRANSFER PICK DISPATCH RETURN RECON "
	             "COUNT CANCEL DONE");
	expect_error(scan("CMD:FOO"), "unknown command \"FOO\"");
	expect_error(scan("CMD:"), "without a command");
	expect_error(scan("Cmd:PICK"), "upper case");
	assert_string_equal(scan_command_name(SCAN_CMD_NONE), "");
	assert_string_equal(scan_command_name((enum scan_command)99), "");
}

static void test_text(void **state)
{
	(void)state;
	expect_kind(scan("SN-12345"), SCAN_TEXT);
	assert_string_equal(r.text, "SN-12345");
	assert_int_equal(r.text_len, 8);
	expect_aim("");
	expect_kind(scan("]C0" "A1B2C3"), SCAN_TEXT);
	expect_aim("]C0");
	assert_string_equal(r.text, "A1B2C3");
	expect_kind(scan("]y7" "hello"), SCAN_TEXT); /* unknown symbology letter */
	expect_kind(scan("LOCATION 5"), SCAN_TEXT);
	expect_kind(scan("(hello)"), SCAN_TEXT);
	expect_kind(scan("LOC:A1\r\n"), SCAN_LOCATION); /* terminators dropped */
	assert_string_equal(r.code, "A1");
	assert_string_equal(scan_kind_name(SCAN_UDI), "UDI");
	assert_string_equal(scan_kind_name(SCAN_NONE), "none");
}

static void test_malformed(void **state)
{
	char big[SCAN_INPUT_MAX + 2];
	struct scan_options opt = { .ref_year = 0, .aim = NULL };

	(void)state;
	expect_error(scan(""), "empty");
	expect_error(scan("\r\n"), "empty");
	expect_error(scan("]C0"), "only the AIM");
	expect_error(scan_n("AB\x01" "C", 4, NULL), "0x01 at offset 2");
	expect_error(scan_n("]C0AB\x01" "C", 7, NULL), "0x01 at offset 5");
	expect_error(scan("caf\xC3\xA9"), "0xC3");
	expect_error(scan("]C0" "A" GS "B"), "GS only in GS1 data");
	expect_error(scan_n("AB\0CD", 5, NULL), "0x00");
	memset(big, 'A', sizeof big);
	expect_error(scan_n(big, SCAN_INPUT_MAX + 1, NULL), "maximum is 1024");
	expect_kind(scan_n(big, SCAN_INPUT_MAX, NULL), SCAN_TEXT);
	expect_error(scan_n("X", 1, "C1"), "AIM");
	assert_int_equal(scan_interpret(NULL, 0, NULL, &r, NULL), WMS_EINVAL);
	/* ref_year 0 = this year; NULL options are fine */
	assert_int_equal(scan_interpret("SN1", 3, &opt, &r, &err), 0);
	assert_int_equal(scan_interpret("]C1" "0109506000134352" "17261231", 27, NULL, &r, &err), 0);
	assert_true(r.udi.expiry.year == 2026);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udi),
		cmocka_unit_test(test_sscc_and_other_gs1),
		cmocka_unit_test(test_literal),
		cmocka_unit_test(test_ambiguous),
		cmocka_unit_test(test_gs1_errors),
		cmocka_unit_test(test_bare_gtin),
		cmocka_unit_test(test_other_gs1_syntaxes),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
