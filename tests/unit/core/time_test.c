/*
 * time_test.c - unit tests of Stockholm time (wms_time.h).
 *
 * The summer-time boundaries of 2026 (29 March and 25 October, 01:00 UTC) are
 * checked second by second, the rule for every year of the calendar range,
 * the resolution of the spring gap and autumn overlap, parsing and formatting
 * with their error messages, WMS_NOW, and that the process's TZ changes
 * nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wms_time.h"

/* What wms_time_format writes for years outside 0000..9999: the time shape
 * with every digit a question mark, escaped because ISO C has trigraphs. */
#define BAD_TIME_TEXT "\?\?\?\?-\?\?-\?\?T\?\?:\?\?:\?\?+\?\?:\?\?"

/* An instant from UTC fields, independent of the code under test's parser. */
static wms_time utc(int y, int mo, int d, int h, int mi, int s)
{
	return (wms_time)wms_date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static wms_time P(const char *text)
{
	struct wms_error err = { 0 };
	wms_time t = 0;

	if (wms_time_parse(text, &t, &err) != 0)
		fail_msg("test time %s: %s", text, err.msg);
	return t;
}

static void check_format(wms_time t, const char *want)
{
	char buf[26];

	assert_string_equal(wms_time_format(t, buf), want);
}

/* ---- the offset ---------------------------------------------------------- */

static void test_offset_basic(void **state)
{
	(void)state;
	assert_int_equal(wms_stockholm_offset(utc(2026, 1, 15, 12, 0, 0)), 3600);
	assert_int_equal(wms_stockholm_offset(utc(2026, 7, 1, 12, 0, 0)), 7200);
	assert_int_equal(wms_stockholm_offset(utc(2026, 12, 31, 23, 59, 59)), 3600);
	assert_int_equal(wms_stockholm_offset(0), 3600);
	assert_int_equal(wms_stockholm_offset(-1), 3600);
	assert_int_equal(wms_stockholm_offset(INT64_MAX), 3600);   /* clamped, no overflow */
	assert_int_equal(wms_stockholm_offset(INT64_MIN), 3600);
}

static void test_offset_2026_boundaries(void **state)
{
	wms_time spring = utc(2026, 3, 29, 1, 0, 0), autumn = utc(2026, 10, 25, 1, 0, 0);

	(void)state;
	assert_int_equal(wms_stockholm_offset(spring - 1), 3600);
	assert_int_equal(wms_stockholm_offset(spring), 7200);
	assert_int_equal(wms_stockholm_offset(autumn - 1), 7200);
	assert_int_equal(wms_stockholm_offset(autumn), 3600);
	/* the whole day around each switch, second by second */
	for (wms_time t = spring - 86400; t < spring + 86400; t++)
		assert_int_equal(wms_stockholm_offset(t), t < spring ? 3600 : 7200);
	for (wms_time t = autumn - 86400; t < autumn + 86400; t++)
		assert_int_equal(wms_stockholm_offset(t), t < autumn ? 7200 : 3600);
	/* other known years */
	assert_int_equal(wms_stockholm_offset(utc(2025, 3, 30, 0, 59, 59)), 3600);
	assert_int_equal(wms_stockholm_offset(utc(2025, 3, 30, 1, 0, 0)), 7200);
	assert_int_equal(wms_stockholm_offset(utc(2025, 10, 26, 0, 59, 59)), 7200);
	assert_int_equal(wms_stockholm_offset(utc(2025, 10, 26, 1, 0, 0)), 3600);
	assert_int_equal(wms_stockholm_offset(utc(2024, 3, 31, 1, 0, 0)), 7200);
	assert_int_equal(wms_stockholm_offset(utc(2024, 10, 27, 1, 0, 0)), 3600);
}

/* For every year: exactly one switch to summer and one back, on the right Sundays. */
static void test_offset_every_year(void **state)
{
	(void)state;
	for (int y = WMS_CAL_FIRST_YEAR; y <= WMS_CAL_LAST_YEAR; y++) {
		int switches = 0;
		wms_time prev = utc(y, 1, 1, 0, 0, 0);
		int prev_off = wms_stockholm_offset(prev);

		assert_int_equal(prev_off, 3600);
		/* hourly scan; each switch must be at 01:00 UTC on a Sunday */
		for (wms_time t = prev + 3600; t < utc(y + 1, 1, 1, 0, 0, 0); t += 3600) {
			int off = wms_stockholm_offset(t);

			if (off != prev_off) {
				wms_day d = (wms_day)(t / 86400);
				int yy, mo, dd;

				wms_date_to_ymd(d, &yy, &mo, &dd);
				switches++;
				assert_int_equal(t % 86400, 3600);
				assert_int_equal(wms_date_weekday(d), 7);
				assert_int_equal(mo, off == 7200 ? 3 : 10);
				assert_in_range(dd, 25, 31);
				assert_int_equal(wms_stockholm_offset(t - 1), prev_off);
			}
			prev_off = off;
		}
		assert_int_equal(switches, 2);
	}
}

/* The offset is cached per year: instants that hop between years and across the
 * year edges (where the cache changes) still read the rule of their own year. */
static void test_offset_year_hops(void **state)
{
	(void)state;
	for (int y = WMS_CAL_FIRST_YEAR + 1; y <= WMS_CAL_LAST_YEAR; y++) {
		wms_time edge = utc(y, 1, 1, 0, 0, 0);

		assert_int_equal(wms_stockholm_offset(edge - 1), 3600);
		assert_int_equal(wms_stockholm_offset(utc(y - 1, 7, 1, 12, 0, 0)), 7200);
		assert_int_equal(wms_stockholm_offset(edge), 3600);
		assert_int_equal(wms_stockholm_offset(utc(WMS_CAL_LAST_YEAR + WMS_CAL_FIRST_YEAR - y, 8, 1,
		                                          0, 0, 0)), 7200);
		assert_int_equal(wms_local_day(edge - 1, NULL), wms_date_from_ymd(y, 1, 1));
		assert_int_equal(wms_local_day(utc(y, 6, 30, 21, 59, 59), NULL), wms_date_from_ymd(y, 6, 30));
		assert_int_equal(wms_local_day(utc(y, 6, 30, 22, 0, 0), NULL), wms_date_from_ymd(y, 7, 1));
	}
}

/* ---- local day and minute ------------------------------------------------ */

static void test_local_day(void **state)
{
	int min = -1;

	(void)state;
	assert_int_equal(wms_local_day(utc(2026, 3, 29, 0, 59, 59), &min), wms_date_from_ymd(2026, 3, 29));
	assert_int_equal(min, 119);                         /* 01:59 CET */
	assert_int_equal(wms_local_day(utc(2026, 3, 29, 1, 0, 0), &min), wms_date_from_ymd(2026, 3, 29));
	assert_int_equal(min, 180);                         /* 03:00 CEST */
	assert_int_equal(wms_local_day(utc(2026, 10, 25, 0, 59, 59), &min), wms_date_from_ymd(2026, 10, 25));
	assert_int_equal(min, 179);                         /* 02:59 CEST */
	assert_int_equal(wms_local_day(utc(2026, 10, 25, 1, 0, 0), &min), wms_date_from_ymd(2026, 10, 25));
	assert_int_equal(min, 120);                         /* 02:00 CET, again */
	/* midnight: the Stockholm day starts an hour (two in summer) before UTC's */
	assert_int_equal(wms_local_day(utc(2026, 1, 1, 22, 59, 59), &min), wms_date_from_ymd(2026, 1, 1));
	assert_int_equal(min, 1439);
	assert_int_equal(wms_local_day(utc(2026, 1, 1, 23, 0, 0), &min), wms_date_from_ymd(2026, 1, 2));
	assert_int_equal(min, 0);
	assert_int_equal(wms_local_day(utc(2026, 7, 1, 21, 59, 59), &min), wms_date_from_ymd(2026, 7, 1));
	assert_int_equal(min, 1439);
	assert_int_equal(wms_local_day(utc(2026, 7, 1, 22, 0, 0), &min), wms_date_from_ymd(2026, 7, 2));
	assert_int_equal(min, 0);
	/* before the epoch: floor, not truncation */
	assert_int_equal(wms_local_day(-3601, &min), -1);
	assert_int_equal(min, 1439);
	assert_int_equal(wms_local_day(-3600, NULL), 0);
}

/* ---- local wall time to UTC ---------------------------------------------- */

static void test_local_to_utc(void **state)
{
	wms_day spring = wms_date_from_ymd(2026, 3, 29), autumn = wms_date_from_ymd(2026, 10, 25);

	(void)state;
	assert_int_equal(wms_local_to_utc(wms_date_from_ymd(2026, 11, 23), 14 * 60 + 5),
	                 utc(2026, 11, 23, 13, 5, 0));
	assert_int_equal(wms_local_to_utc(wms_date_from_ymd(2026, 7, 1), 0), utc(2026, 6, 30, 22, 0, 0));
	/* spring: 02:00..02:59 do not exist; the later offset (+02:00) is used */
	assert_int_equal(wms_local_to_utc(spring, 1 * 60 + 59), utc(2026, 3, 29, 0, 59, 0));
	assert_int_equal(wms_local_to_utc(spring, 2 * 60), utc(2026, 3, 29, 0, 0, 0));
	assert_int_equal(wms_local_to_utc(spring, 2 * 60 + 30), utc(2026, 3, 29, 0, 30, 0));
	assert_int_equal(wms_local_to_utc(spring, 2 * 60 + 59), utc(2026, 3, 29, 0, 59, 0));
	assert_int_equal(wms_local_to_utc(spring, 3 * 60), utc(2026, 3, 29, 1, 0, 0));
	/* autumn: 02:00..02:59 happen twice; the earlier instant (+02:00) is used */
	assert_int_equal(wms_local_to_utc(autumn, 1 * 60 + 59), utc(2026, 10, 24, 23, 59, 0));
	assert_int_equal(wms_local_to_utc(autumn, 2 * 60), utc(2026, 10, 25, 0, 0, 0));
	assert_int_equal(wms_local_to_utc(autumn, 2 * 60 + 30), utc(2026, 10, 25, 0, 30, 0));
	assert_int_equal(wms_local_to_utc(autumn, 2 * 60 + 59), utc(2026, 10, 25, 0, 59, 0));
	assert_int_equal(wms_local_to_utc(autumn, 3 * 60), utc(2026, 10, 25, 2, 0, 0));
}

/* Every existing wall-clock minute of 2026 maps back to itself. */
static void test_local_roundtrip_2026(void **state)
{
	wms_day spring = wms_date_from_ymd(2026, 3, 29);
	int gaps = 0;

	(void)state;
	for (wms_day d = wms_date_from_ymd(2026, 1, 1); d <= wms_date_from_ymd(2026, 12, 31); d++) {
		for (int m = 0; m < 1440; m++) {
			wms_time t = wms_local_to_utc(d, m);
			int back_min = -1;
			wms_day back = wms_local_day(t, &back_min);

			if (d == spring && m >= 120 && m < 180) {
				gaps++;                 /* the spring gap: no such wall time */
				continue;
			}
			if (back != d || back_min != m)
				fail_msg("day %d minute %d -> %lld -> day %d minute %d", (int)d, m,
				         (long long)t, (int)back, back_min);
		}
	}
	assert_int_equal(gaps, 60);
}

/* ---- parsing -------------------------------------------------------------- */

static void test_parse_ok(void **state)
{
	(void)state;
	assert_int_equal(P("2026-11-23"), utc(2026, 11, 22, 23, 0, 0));        /* local midnight */
	assert_int_equal(P("2026-07-01"), utc(2026, 6, 30, 22, 0, 0));
	assert_int_equal(P("2026-11-23T14:05"), utc(2026, 11, 23, 13, 5, 0));
	assert_int_equal(P("2026-11-23 14:05"), utc(2026, 11, 23, 13, 5, 0));
	assert_int_equal(P("2026-11-23T14:05:30"), utc(2026, 11, 23, 13, 5, 30));
	assert_int_equal(P("2026-11-23 14:05:30"), utc(2026, 11, 23, 13, 5, 30));
	assert_int_equal(P("2026-07-01T12:00"), utc(2026, 7, 1, 10, 0, 0));
	assert_int_equal(P("2026-11-23T14:05Z"), utc(2026, 11, 23, 14, 5, 0));
	assert_int_equal(P("2026-11-23T14:05:00Z"), utc(2026, 11, 23, 14, 5, 0));
	assert_int_equal(P("2026-11-23T14:05:00+01:00"), utc(2026, 11, 23, 13, 5, 0));
	assert_int_equal(P("2026-11-23T14:05:00+02:00"), utc(2026, 11, 23, 12, 5, 0));
	assert_int_equal(P("2026-11-23T14:05-05:30"), utc(2026, 11, 23, 19, 35, 0));
	assert_int_equal(P("2026-11-23 00:00:00-00:00"), utc(2026, 11, 23, 0, 0, 0));
	assert_int_equal(P("2026-11-23T23:59:59"), utc(2026, 11, 23, 22, 59, 59));
	/* gap and overlap as wms_local_to_utc resolves them */
	assert_int_equal(P("2026-03-29T02:30"), utc(2026, 3, 29, 0, 30, 0));
	assert_int_equal(P("2026-10-25T02:30"), utc(2026, 10, 25, 0, 30, 0));
	assert_int_equal(P("2026-10-25T02:30:00+01:00"), utc(2026, 10, 25, 1, 30, 0));
	assert_int_equal(P("2026-10-25T02:30:00+02:00"), utc(2026, 10, 25, 0, 30, 0));
	/* the ends of the range */
	assert_int_equal(P("2005-01-01"), utc(2004, 12, 31, 23, 0, 0));
	assert_int_equal(P("2199-12-31T23:59:59"), utc(2199, 12, 31, 22, 59, 59));
	assert_int_equal(P("2199-12-31T22:59:59Z"), utc(2199, 12, 31, 22, 59, 59));
}

static void test_parse_errors(void **state)
{
	static const struct { const char *text; const char *msg; } bad[] = {
		{ "", "bad time \"\": expected YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS "
		      "(a space may replace T), optionally followed by Z, +HH:MM or -HH:MM" },
		{ "26-11-23", "bad time \"26-11-23\": expected YYYY-MM-DD, YYYY-MM-DDTHH:MM or "
		              "YYYY-MM-DDTHH:MM:SS (a space may replace T), optionally followed by Z, "
		              "+HH:MM or -HH:MM" },
		{ "now", "bad time \"now\": expected YYYY-MM-DD," },
		{ "2026-02-30T10:00", "bad date \"2026-02-30\": February 2026 has 28 days" },
		{ "2026-13-01", "bad date \"2026-13-01\": month must be 01..12" },
		{ "2004-06-01T12:00Z", "bad date \"2004-06-01\": year must be 2005..2199" },
		{ "2200-01-01", "bad date \"2200-01-01\": year must be 2005..2199" },
		{ "2026-11-23T", "bad time \"2026-11-23T\": expected HH:MM or HH:MM:SS after the date" },
		{ "2026-11-23t14:05", "bad time \"2026-11-23t14:05\": after the date expected \"T\" or "
		                      "a space and HH:MM" },
		{ "2026-11-23Z", "bad time \"2026-11-23Z\": after the date expected \"T\" or a space "
		                 "and HH:MM" },
		{ "2026-11-23\x01", "bad time \"2026-11-23\\x01\": after the date expected \"T\" or a "
		                    "space and HH:MM" },
		{ "2026-11-23T1405", "bad time \"2026-11-23T1405\": expected HH:MM or HH:MM:SS after "
		                     "the date" },
		{ "2026-11-23T14:5", "bad time \"2026-11-23T14:5\": expected HH:MM or HH:MM:SS after "
		                     "the date" },
		{ "2026-11-23T14:055", "bad time \"2026-11-23T14:055\": expected HH:MM or HH:MM:SS "
		                       "after the date" },
		{ "2026-11-23T14:05:5", "bad time \"2026-11-23T14:05:5\": expected two digits of "
		                        "seconds after HH:MM:" },
		{ "2026-11-23T24:00", "bad time \"2026-11-23T24:00\": hour must be 00..23" },
		{ "2026-11-23T14:60", "bad time \"2026-11-23T14:60\": minute must be 00..59" },
		{ "2026-11-23T14:05:60", "bad time \"2026-11-23T14:05:60\": second must be 00..59" },
		{ "2026-11-23T14:05:00.5", "bad time \"2026-11-23T14:05:00.5\": after the time "
		                           "expected nothing, Z, +HH:MM or -HH:MM" },
		{ "2026-11-23T14:05z", "bad time \"2026-11-23T14:05z\": after the time expected "
		                       "nothing, Z, +HH:MM or -HH:MM" },
		{ "2026-11-23T14:05 ", "bad time \"2026-11-23T14:05 \": after the time expected "
		                       "nothing, Z, +HH:MM or -HH:MM" },
		{ "2026-11-23T14:05+0100", "bad time \"2026-11-23T14:05+0100\": expected the offset as "
		                           "+HH:MM or -HH:MM" },
		{ "2026-11-23T14:05+01", "bad time \"2026-11-23T14:05+01\": expected the offset as "
		                         "+HH:MM or -HH:MM" },
		{ "2026-11-23T14:05+24:00", "bad time \"2026-11-23T14:05+24:00\": offset must be "
		                            "within -23:59..+23:59" },
		{ "2026-11-23T14:05+01:60", "bad time \"2026-11-23T14:05+01:60\": offset must be "
		                            "within -23:59..+23:59" },
		{ "2026-11-23T14:05Z ", "bad time \"2026-11-23T14:05Z \": unexpected text after the "
		                        "offset" },
		{ "2026-11-23T14:05+01:00x", "bad time \"2026-11-23T14:05+01:00x\": unexpected text "
		                             "after the offset" },
		/* in range as written, but not in Stockholm */
		{ "2199-12-31T23:30Z", "bad time \"2199-12-31T23:30Z\": that is 2200-01-01 in "
		                       "Stockholm, outside 2005-01-01..2199-12-31" },
		{ "2005-01-01T00:30+05:00", "bad time \"2005-01-01T00:30+05:00\": that is 2004-12-31 "
		                            "in Stockholm, outside 2005-01-01..2199-12-31" },
		{ "2026-11-23T14:05\n", "bad time \"2026-11-23T14:05\\x0a\": after the time expected "
		                        "nothing, Z, +HH:MM or -HH:MM" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct wms_error err = { 0 };
		wms_time t = 4242;

		assert_int_equal(wms_time_parse(bad[i].text, &t, &err), WMS_EINVAL);
		assert_int_equal(err.code, WMS_EINVAL);
		if (strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)) != 0)
			fail_msg("parse \"%s\": got message\n  %s\nexpected\n  %s", bad[i].text, err.msg,
			         bad[i].msg);
		assert_null(strchr(err.msg, '\n'));
		assert_int_equal(t, 4242);
		assert_int_equal(wms_time_parse(bad[i].text, &t, NULL), WMS_EINVAL);
	}
	{
		struct wms_error err = { 0 };
		wms_time t;

		assert_int_equal(wms_time_parse(NULL, &t, &err), WMS_EINVAL);
	}
}

/* ---- formatting ----------------------------------------------------------- */

static void test_format(void **state)
{
	(void)state;
	check_format(utc(2026, 11, 23, 13, 5, 0), "2026-11-23T14:05:00+01:00");
	check_format(utc(2026, 7, 1, 10, 0, 0), "2026-07-01T12:00:00+02:00");
	check_format(utc(2026, 3, 29, 0, 59, 59), "2026-03-29T01:59:59+01:00");
	check_format(utc(2026, 3, 29, 1, 0, 0), "2026-03-29T03:00:00+02:00");
	check_format(utc(2026, 10, 25, 0, 59, 59), "2026-10-25T02:59:59+02:00");
	check_format(utc(2026, 10, 25, 1, 0, 0), "2026-10-25T02:00:00+01:00");
	check_format(utc(2026, 12, 31, 23, 0, 0), "2027-01-01T00:00:00+01:00");
	check_format(0, "1970-01-01T01:00:00+01:00");
	check_format(-3601, "1969-12-31T23:59:59+01:00");
	check_format(INT64_MAX, BAD_TIME_TEXT);
	check_format(INT64_MIN, BAD_TIME_TEXT);
}

/* format -> parse is the identity over the whole range (about every 2 hours). */
static void test_format_parse_roundtrip(void **state)
{
	char buf[26];

	(void)state;
	for (wms_time t = utc(2005, 1, 1, 0, 0, 0); t < utc(2199, 12, 31, 22, 0, 0); t += 7919) {
		wms_time back = 0;
		struct wms_error err = { 0 };

		wms_time_format(t, buf);
		if (wms_time_parse(buf, &back, &err) != 0)
			fail_msg("%s: %s", buf, err.msg);
		if (back != t)
			fail_msg("%lld -> %s -> %lld", (long long)t, buf, (long long)back);
	}
	/* and parse -> format for local times that exist */
	assert_string_equal(wms_time_format(P("2026-11-23T14:05"), buf), "2026-11-23T14:05:00+01:00");
	assert_string_equal(wms_time_format(P("2026-11-23 14:05:00Z"), buf),
	                    "2026-11-23T15:05:00+01:00");
	assert_string_equal(wms_time_format(P("2026-10-25T02:30"), buf), "2026-10-25T02:30:00+02:00");
	/* the spring gap: 02:30 with +02:00 is 01:30 winter time */
	assert_string_equal(wms_time_format(P("2026-03-29T02:30"), buf), "2026-03-29T01:30:00+01:00");
}

/* ---- WMS_NOW and TZ ------------------------------------------------------- */

static void test_wms_now(void **state)
{
	time_t before, after;
	wms_time now;

	(void)state;
	assert_int_equal(setenv("WMS_NOW", "2026-11-23T14:05:00+01:00", 1), 0);
	assert_int_equal(wms_now(), utc(2026, 11, 23, 13, 5, 0));
	assert_int_equal(setenv("WMS_NOW", "2026-04-02 16:30", 1), 0);
	assert_int_equal(wms_now(), utc(2026, 4, 2, 14, 30, 0));
	assert_int_equal(setenv("WMS_NOW", "2026-04-02", 1), 0);
	assert_int_equal(wms_now(), utc(2026, 4, 1, 22, 0, 0));

	/* unset, empty or unparsable: the real clock */
	assert_int_equal(unsetenv("WMS_NOW"), 0);
	before = time(NULL);
	now = wms_now();
	after = time(NULL);
	assert_in_range(now, before, after);
	assert_int_equal(setenv("WMS_NOW", "", 1), 0);
	assert_in_range(wms_now(), before, time(NULL));
	assert_int_equal(setenv("WMS_NOW", "yesterday", 1), 0);
	assert_in_range(wms_now(), before, time(NULL));
	assert_int_equal(unsetenv("WMS_NOW"), 0);
}

/* The process's time zone must change nothing. */
static void test_tz_independent(void **state)
{
	static const char *zones[] = { "UTC", "America/New_York", "Asia/Kolkata", "EST5EDT",
	                               "Europe/Stockholm", "<+14>-14" };
	char buf[26];

	(void)state;
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		assert_int_equal(setenv("TZ", zones[i], 1), 0);
		tzset();
		assert_int_equal(P("2026-11-23T14:05"), utc(2026, 11, 23, 13, 5, 0));
		assert_int_equal(P("2026-07-01"), utc(2026, 6, 30, 22, 0, 0));
		assert_string_equal(wms_time_format(utc(2026, 7, 1, 10, 0, 0), buf),
		                    "2026-07-01T12:00:00+02:00");
		assert_int_equal(wms_stockholm_offset(utc(2026, 3, 29, 1, 0, 0)), 7200);
		assert_int_equal(wms_local_day(utc(2026, 1, 1, 23, 0, 0), NULL),
		                 wms_date_from_ymd(2026, 1, 2));
	}
	assert_int_equal(unsetenv("TZ"), 0);
	tzset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offset_basic),
		cmocka_unit_test(test_offset_2026_boundaries),
		cmocka_unit_test(test_offset_every_year),
		cmocka_unit_test(test_offset_year_hops),
		cmocka_unit_test(test_local_day),
		cmocka_unit_test(test_local_to_utc),
		cmocka_unit_test(test_local_roundtrip_2026),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_parse_roundtrip),
		cmocka_unit_test(test_wms_now),
		cmocka_unit_test(test_tz_independent),
	};

	return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}
