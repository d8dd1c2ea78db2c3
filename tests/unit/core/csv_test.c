/*
 * csv_test.c - the CSV reader: separators, quoting, line numbers, and bad
 * records that cost only themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "wms_csv.h"

static struct wms_csv *reader(const char *text, char sep)
{
	struct wms_csv *r = malloc(sizeof *r);

	assert_non_null(r);
	wms_csv_init(r, text, strlen(text), sep);
	return r;
}

static void next_ok(struct wms_csv *r, int want_n, long want_line, const char *const *want)
{
	const char *f[WMS_CSV_MAX_FIELDS];
	struct wms_error err = { 0 };
	int n, rc = wms_csv_next(r, f, &n, &err);

	if (rc != 1)
		fail_msg("expected a record, got %d: %s", rc, err.msg);
	assert_int_equal(n, want_n);
	assert_int_equal(r->record_line, want_line);
	for (int i = 0; i < n; i++)
		assert_string_equal(f[i], want[i]);
}

static void next_bad(struct wms_csv *r, const char *needle)
{
	const char *f[WMS_CSV_MAX_FIELDS];
	struct wms_error err = { 0 };
	int n, rc = wms_csv_next(r, f, &n, &err);

	assert_int_equal(rc, WMS_EINVAL);
	if (strstr(err.msg, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, needle);
}

static void next_end(struct wms_csv *r)
{
	const char *f[WMS_CSV_MAX_FIELDS];
	int n;

	assert_int_equal(wms_csv_next(r, f, &n, NULL), 0);
}

static void separators_and_quotes(void **state)
{
	struct wms_csv *r = reader("\xef\xbb\xbf" "a;b;c\r\n\"x;1\";\"say \"\"hi\"\"\";\r\n\r\n\"two\r\nlines\";;ä\n", 0);

	next_ok(r, 3, 1, (const char *[]){ "a", "b", "c" });
	next_ok(r, 3, 2, (const char *[]){ "x;1", "say \"hi\"", "" });
	next_ok(r, 3, 4, (const char *[]){ "two\nlines", "", "ä" });
	next_end(r);
	free(r);
	r = reader("a,b,x;c\n1,2,3;4", 0);     /* more commas than semicolons: ',' */
	next_ok(r, 3, 1, (const char *[]){ "a", "b", "x;c" });
	next_ok(r, 3, 2, (const char *[]){ "1", "2", "3;4" });
	next_end(r);
	free(r);
	r = reader("a,b;c\n", ';');        /* given separator wins */
	next_ok(r, 2, 1, (const char *[]){ "a,b", "c" });
	free(r);
}

static void bad_records_are_skipped(void **state)
{
	struct wms_csv *r = reader("h1;h2\nx\"y;1\nok;2\n\"q\"z;3\n\xc3\x28;4\n\xed\xa0\x80;5\nlast;6\n\"open;7\nnever;8\n", 0);

	next_ok(r, 2, 1, (const char *[]){ "h1", "h2" });
	next_bad(r, "line 2: a quote inside an unquoted field");
	next_ok(r, 2, 3, (const char *[]){ "ok", "2" });
	next_bad(r, "line 4: text after a closing quote");
	next_bad(r, "line 5: not valid UTF-8");
	next_bad(r, "line 6: not valid UTF-8");    /* a UTF-16 surrogate */
	next_ok(r, 2, 7, (const char *[]){ "last", "6" });
	next_bad(r, "line 8: a quoted field is not closed");
	next_end(r);
	free(r);
}

static void limits(void **state)
{
	char many[200] = "";
	char *big = malloc(WMS_CSV_MAX_RECORD + 100);
	struct wms_csv *r;

	for (int i = 0; i < 33; i++)
		strcat(many, "x;");
	strcat(many, "x\nok\n");
	r = reader(many, 0);
	next_bad(r, "line 1: more than 32 fields");
	next_ok(r, 1, 2, (const char *[]){ "ok" });
	free(r);
	memset(big, 'a', WMS_CSV_MAX_RECORD + 10);
	strcpy(big + WMS_CSV_MAX_RECORD + 10, "\nok\n");
	r = reader(big, 0);
	next_bad(r, "line 1: record longer than");
	next_ok(r, 1, 2, (const char *[]){ "ok" });
	free(r);
	free(big);
	assert_false(wms_csv_text_ok("a\x01", 2));
	assert_true(wms_csv_text_ok("a\tb", 3));
	assert_false(wms_csv_text_ok("\xc0\xaf", 2));     /* overlong '/' */
	assert_true(wms_csv_text_ok("\xf0\x9f\x98\x80", 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(separators_and_quotes),
		cmocka_unit_test(bad_records_are_skipped),
		cmocka_unit_test(limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
