/*
 * serial_framer_test.c - serial bytes into scans without a port: CR, LF,
 * CRLF and mixtures, the inter-character timeout, terminator none, and
 * garbage (NUL, bytes above 0x7f, over-long frames) delivered as faults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "serial_framer.h"

#define MAX_FRAMES 8

struct got {
	int n;
	char text[MAX_FRAMES][SOURCE_SCAN_MAX + 1];
	size_t len[MAX_FRAMES];
	char fault[MAX_FRAMES][96];
};

static void collect(void *ctx, const unsigned char *bytes, size_t len, const char *fault)
{
	struct got *g = ctx;

	assert_true(g->n < MAX_FRAMES);
	assert_true(len <= SOURCE_SCAN_MAX);
	memcpy(g->text[g->n], bytes, len);
	g->text[g->n][len] = '\0';
	g->len[g->n] = len;
	snprintf(g->fault[g->n], sizeof g->fault[0], "%s", fault ? fault : "");
	g->n++;
}

static void feed(struct serial_framer *f, const char *s, long long now, struct got *g)
{
	serial_framer_feed(f, (const unsigned char *)s, strlen(s), now, collect, g);
}

static struct serial_framer fr;   /* large: not on the stack */

static void line_terminators_and_mixtures(void **state)
{
	static const enum serial_term terms[] = { SERIAL_TERM_CR, SERIAL_TERM_LF, SERIAL_TERM_CRLF };
	(void)state;

	for (size_t t = 0; t < 3; t++) {
		struct got g = { 0 };
		serial_framer_init(&fr, terms[t], 0);
		feed(&fr, "0104", 10, &g);
		assert_int_equal(g.n, 0);
		assert_int_equal(serial_framer_timeout_ms(&fr, 10), -1);   /* no timeout configured */
		feed(&fr, "1\r\nABC\n\rX\r\r\n\nY\n", 11, &g);
		assert_int_equal(g.n, 4);
		assert_string_equal(g.text[0], "01041");
		assert_string_equal(g.text[1], "ABC");
		assert_string_equal(g.text[2], "X");
		assert_string_equal(g.text[3], "Y");
		for (int i = 0; i < 4; i++)
			assert_string_equal(g.fault[i], "");
	}
}

static void timeout_ends_a_scan(void **state)
{
	struct got g = { 0 };
	(void)state;

	serial_framer_init(&fr, SERIAL_TERM_NONE, 50);
	assert_int_equal(serial_framer_timeout_ms(&fr, 0), -1);   /* nothing buffered */
	feed(&fr, "AB\rC", 1000, &g);                            /* CR is data here */
	assert_int_equal(serial_framer_timeout_ms(&fr, 1000), 50);
	feed(&fr, "D", 1030, &g);
	assert_int_equal(serial_framer_timeout_ms(&fr, 1040), 40);
	serial_framer_expire(&fr, 1079, collect, &g);
	assert_int_equal(g.n, 0);
	serial_framer_expire(&fr, 1080, collect, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.text[0], "AB\rCD");
	assert_int_equal(serial_framer_timeout_ms(&fr, 1080), -1);
	/* bytes after the gap start a new scan even before anyone called expire */
	feed(&fr, "12", 2000, &g);
	feed(&fr, "34", 2100, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.text[1], "12");
	serial_framer_flush(&fr, collect, &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.text[2], "34");
	assert_string_equal(g.fault[2], "scan cut short (the port went away), discarded");
	serial_framer_flush(&fr, collect, &g);   /* nothing left: nothing delivered */
	assert_int_equal(g.n, 3);

	/* a line terminator plus a timeout: whichever comes first ends the scan */
	serial_framer_init(&fr, SERIAL_TERM_CR, 100);
	feed(&fr, "X1\rX2", 0, &g);
	assert_int_equal(g.n, 4);
	assert_int_equal(serial_framer_timeout_ms(&fr, 30), 70);
	serial_framer_expire(&fr, 100, collect, &g);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.text[4], "X2");
}

static void garbage_is_a_fault(void **state)
{
	static unsigned char junk[3000];
	struct got g = { 0 };
	(void)state;

	serial_framer_init(&fr, SERIAL_TERM_CR, 0);
	serial_framer_feed(&fr, (const unsigned char *)"ab\0cd\r", 6, 0, collect, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.len[0], 5);
	assert_string_equal(g.fault[0], "NUL byte in scan, discarded");

	serial_framer_feed(&fr, (const unsigned char *)"x\xe9\xffy\r", 5, 0, collect, &g);
	assert_int_equal(g.n, 2);
	assert_non_null(strstr(g.fault[1], "byte 0xe9 is not ASCII"));

	memset(junk, 'A', sizeof junk);
	serial_framer_feed(&fr, junk, sizeof junk, 0, collect, &g);
	assert_int_equal(g.n, 2);
	feed(&fr, "\rOK\r", 0, &g);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.len[2], SOURCE_SCAN_MAX);
	assert_non_null(strstr(g.fault[2], "(3000 bytes), discarded"));
	assert_string_equal(g.text[3], "OK");   /* the next scan is clean again */
	assert_string_equal(g.fault[3], "");

	/* other control bytes (GS between GS1 fields) are data, not faults */
	feed(&fr, "]d2010\x1d" "21X\r", 0, &g);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.text[4], "]d2010\x1d" "21X");
	assert_string_equal(g.fault[4], "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_terminators_and_mixtures),
		cmocka_unit_test(timeout_ends_a_scan),
		cmocka_unit_test(garbage_is_a_fault),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
