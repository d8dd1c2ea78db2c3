/*
 * label_template_test.c - template parsing: the shipped templates load;
 * every kind of mistake gives one line-numbered message and no template;
 * mangled input never crashes (run under ASan/UBSan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "label.h"
#include "label_template.h"

static const char *const shipped[] = { "device", "location", "recon", "shipping-107x190",
	"shipping-4x6", "return-107x190", "picklist", "delivery-note" };

static void test_shipped_templates(void **state)
{
	size_t i;

	for (i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
		struct label_template *t = NULL;
		struct wms_error err;
		double w, h;

		if (label_template_load(WMS_LABEL_TEMPLATES, shipped[i], &t, &err) != 0)
			fail_msg("%s", err.msg);
		label_template_size(t, &w, &h);
		assert_true(w > 0 && h > 0);
		label_template_free(t);
	}
}

static void test_sizes(void **state)
{
	struct label_template *t = NULL;
	struct wms_error err;
	double w, h;

	assert_int_equal(label_template_load(WMS_LABEL_TEMPLATES, "shipping-4x6", &t, &err), 0);
	label_template_size(t, &w, &h);
	assert_true(w == 101.6 && h == 152.4);
	assert_int_equal(label_template_kind(t), LABEL_SHIPPING);
	label_template_free(t);
	assert_int_equal(label_template_load(WMS_LABEL_TEMPLATES, "delivery-note", &t, &err), 0);
	label_template_size(t, &w, &h);
	assert_true(w == 210 && h == 297);
	label_template_free(t);
}

/* Parse body (after a valid "kind device" + "size 80 40" header) and expect msg. */
static void expect_error(const char *body, const char *msg)
{
	char text[1024];
	struct label_template *t = (struct label_template *)&t;
	struct wms_error err;
	int rc;

	snprintf(text, sizeof text, "# test\nkind device\nsize 80 40\n%s", body);
	rc = label_template_parse("t.label", text, strlen(text), &t, &err);
	assert_int_equal(rc, WMS_ECONFIG);
	assert_null(t);
	if (strcmp(err.msg, msg) != 0)
		fail_msg("for \"%s\":\n got  %s\n want %s", body, err.msg, msg);
}

static void test_errors(void **state)
{
	expect_error("text 1 1 3 \"x\"\nbarcod code128 1 1 5 0.3 {serial}\n",
		     "t.label:5: unknown element 'barcod'; allowed: kind, size, text, barcode, "
		     "datamatrix-gs1, line, box, table, column, column-code128, if");
	expect_error("text 1 x1 3 \"x\"\n", "t.label:4: bad number 'x1' for y");
	expect_error("text 1 1 3mm \"x\"\n", "t.label:4: bad number '3mm' for text height");
	expect_error("text 1 1 nan \"x\"\n", "t.label:4: bad number 'nan' for text height");
	expect_error("text 1 1 300 \"x\"\n", "t.label:4: text height 300 out of range 0.5..100");
	expect_error("text 1 1 3 \"{seriel}\"\n",
		     "t.label:4: unknown field '{seriel}' for device label; known: serial, gtin, "
		     "product, owner, article, lot, expiry, page, pages");
	expect_error("text 1 1 3 \"{serial\"\n",
		     "t.label:4: '{' without closing '}' in \"{serial\"");
	expect_error("text 1 1 3 \"abc\n", "t.label:4: unterminated string");
	expect_error("text 1 1 3\n", "t.label:4: expected 4 arguments: text X Y H [bold] [max W] STRING");
	expect_error("text 1 1 3 italic \"x\"\n",
		     "t.label:4: unexpected 'italic'; expected: text X Y H [bold] [max W] STRING");
	expect_error("barcode qr 1 1 5 0.3 {serial}\n",
		     "t.label:4: unknown barcode type 'qr'; allowed: code128, gs1-128");
	expect_error("barcode code128 1 1 5 9 {serial}\n", "t.label:4: module 9 out of range 0.1..5");
	expect_error("line 1 1 5 5 0.3\n", "t.label:4: line must be horizontal or vertical");
	expect_error("box 10 10 80 10 0.3\n",
		     "t.label:4: element reaches outside the 80x40 mm label");
	expect_error("size 10 10\n", "t.label:4: 'size' given twice");
	expect_error("kind recon\n", "t.label:4: 'kind' given twice");
	expect_error("table 10 10 5 3 30\n", "t.label:4: a device label has no item rows, so no table");
	expect_error("column 10 \"A\" \"{qty}\"\n", "t.label:4: 'column' before 'table'");
	expect_error("if seriel text 1 1 3 x\n",
		     "t.label:4: unknown field 'seriel' for device label; known: serial, gtin, "
		     "product, owner, article, lot, expiry");
	expect_error("\n\n\ntext 1 1 3 \"ok\" trailing\n",
		     "t.label:7: unexpected 'ok'; expected: text X Y H [bold] [max W] STRING");
}

static void test_header_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "", "x.label:0: missing 'kind'" },
		{ "size 10 10\n", "x.label:1: 'kind' must come first" },
		{ "kind parcel\n", "x.label:1: unknown label kind 'parcel'; allowed: device, location, "
				   "recon, shipping, return, picklist, delivery-note, command-sheet" },
		{ "kind device\ntext 1 1 3 x\n", "x.label:2: 'size' must come before 'text'" },
		{ "kind device\n", "x.label:1: missing 'size'" },
		{ "kind picklist\nsize 210 297\ntable 10 10 5 3 200\n", "x.label:3: table without columns" },
		{ "kind picklist\nsize 210 297\ntable 10 10 5 3 200\ncolumn 10 \"{qty}\" \"{qty}\"\n",
		  "x.label:4: unknown field '{qty}' for picklist label; known: order_ref, date, "
		  "customer, picker, note; rows: location, article, description, qty, serial, page, "
		  "pages" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct label_template *t = NULL;
		struct wms_error err;

		assert_int_equal(label_template_parse("x.label", cases[i].text, strlen(cases[i].text),
						      &t, &err), WMS_ECONFIG);
		assert_null(t);
		if (strcmp(err.msg, cases[i].msg) != 0)
			fail_msg("case %zu:\n got  %s\n want %s", i, err.msg, cases[i].msg);
	}
}

static void test_syntax_ok(void **state)
{
	static const char text[] =
		"kind picklist   # comment after a keyword\n"
		"size 210 297\n"
		"\t text 10 10 4 bold max 50 \"Plock \\\"lista\\\" {{x}} \\\\\" # comment\n"
		"text 10 20 4 bare_word\n"
		"if picker text 10 30 4 \"{picker}\"\n"
		"table 10 50 7 3.5 280\n"
		"column 10 \"Plats {order_ref}\" \"{location}\"\n";
	struct label_template *t = NULL;
	struct wms_error err;

	if (label_template_parse("ok.label", text, sizeof text - 1, &t, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(label_template_kind(t), LABEL_PICKLIST);
	label_template_free(t);
	label_template_free(NULL);
}

static void test_load_errors(void **state)
{
	struct label_template *t = NULL;
	struct wms_error err;

	assert_int_equal(label_template_load(WMS_LABEL_TEMPLATES, "nope", &t, &err), WMS_EIO);
	assert_non_null(strstr(err.msg, "nope.label: No such file or directory"));
	assert_int_equal(label_template_load(WMS_LABEL_TEMPLATES, "../etc/passwd", &t, &err),
			 WMS_EINVAL);
	assert_int_equal(label_template_load(NULL, "device", &t, &err), WMS_EINVAL);
	assert_null(t);
}

/* Mangled copies of a real template: any outcome but a crash or a leak. */
static void test_mangled(void **state)
{
	static const char charset[] = " \t\n\"{}#x0.9-abz\\";
	char *orig = NULL, *buf;
	size_t len = 0, i;
	unsigned seed = 12345;
	FILE *fp;
	long n;
	int round, ok = 0;

	fp = fopen(WMS_LABEL_TEMPLATES "/shipping-107x190.label", "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	orig = malloc((size_t)n);
	buf = malloc((size_t)n);
	assert_true(orig && buf);
	len = fread(orig, 1, (size_t)n, fp);
	fclose(fp);
	for (round = 0; round < 3000; round++) {
		struct label_template *t = NULL;
		struct wms_error err;
		size_t cut;

		memcpy(buf, orig, len);
		for (i = 0; i < 4; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[(seed >> 8) % len] = charset[(seed >> 20) % (sizeof charset - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		cut = (round % 5 == 0) ? (seed >> 8) % len : len;
		if (label_template_parse("m.label", buf, cut, &t, &err) == 0)
			ok++;
		else
			assert_true(strncmp(err.msg, "m.label:", 8) == 0);
		label_template_free(t);
	}
	print_message("  %d of 3000 mangled templates still parsed\n", ok);
	free(orig);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_templates),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_syntax_ok),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_mangled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
