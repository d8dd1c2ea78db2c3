/*
 * calendar_test.c - unit tests of the working-day calendar (wms_calendar.h).
 *
 * Two kinds of evidence: hand-written facts (known Easter dates, the full
 * holiday lists of 2024-2026, lead-time examples), and an independent
 * reference, tests/fixtures/se-holidays.tsv, generated from the npm package
 * date-holidays (types public + bank = the days we close by default) by
 * tests/fixtures/gen-se-holidays.mjs.  Every year 2005..2199 of the fixture
 * must give exactly our set of non-working holidays and our Easter Sunday.
 *
 * Where date-holidays and Swedish law might differ we follow the law (lag
 * 1989:253 om allmänna helgdagar, with nationaldagen a holiday and annandag
 * pingst none since 2005).  For 2005..2199 the two agree completely; the
 * package also lists annandag pingst, Marie bebådelsedag and the like, but
 * only as "observance", which the fixture leaves out, as it should.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wms_calendar.h"

#define FIXTURE WMS_FIXTURES "/se-holidays.tsv"

/* What wms_date_format writes for years outside 0000..9999: the date shape
 * with every digit a question mark, escaped because ISO C has trigraphs. */
#define BAD_DATE_TEXT "\?\?\?\?-\?\?-\?\?"

struct cals {
	struct wms_calendar *std;      /* defaults: de-facto days closed */
	struct wms_calendar *plain;    /* defacto_days = false */
};

static wms_day D(const char *text)
{
	struct wms_error err = { 0 };
	wms_day d = 0;

	if (wms_date_parse(text, &d, &err) != 0)
		fail_msg("test date %s: %s", text, err.msg);
	return d;
}

static const char *fmt(wms_day d, char *buf)
{
	return wms_date_format(d, buf);
}

/* Deterministic pseudo-random numbers (the test must be reproducible). */
static uint32_t rng_state = 20260401u;

static uint32_t rng(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return rng_state >> 8;
}

#define FIRST_DAY wms_date_from_ymd(WMS_CAL_FIRST_YEAR, 1, 1)
#define LAST_DAY  wms_date_from_ymd(WMS_CAL_LAST_YEAR, 12, 31)

static wms_day random_day(void)
{
	return FIRST_DAY + (wms_day)(rng() % (uint32_t)(LAST_DAY - FIRST_DAY + 1));
}

static bool is_holiday_name(const char *r)
{
	return r != NULL && strcmp(r, "lördag") != 0 && strcmp(r, "söndag") != 0 &&
	       strcmp(r, "stängt") != 0;
}

static int setup_cals(void **state)
{
	static struct cals c;
	struct wms_calendar_opts plain = { .defacto_days = false };
	struct wms_error err = { 0 };

	if (wms_calendar_new(NULL, &c.std, &err) != 0 ||
	    wms_calendar_new(&plain, &c.plain, &err) != 0) {
		fprintf(stderr, "calendar: %s\n", err.msg);
		return -1;
	}
	*state = &c;
	return 0;
}

static int teardown_cals(void **state)
{
	struct cals *c = *state;

	wms_calendar_free(c->std);
	wms_calendar_free(c->plain);
	return 0;
}

/* ---- pure date arithmetic ---------------------------------------------- */

static void test_date_known_days(void **state)
{
	int y, m, d;

	(void)state;
	assert_int_equal(wms_date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(wms_date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(wms_date_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(wms_date_from_ymd(2005, 1, 1), 12784);
	assert_int_equal(wms_date_from_ymd(2200, 1, 1), 84006);
	wms_date_to_ymd(-719468, &y, &m, &d);          /* 0000-03-01 */
	assert_int_equal(y, 0);
	assert_int_equal(m, 3);
	assert_int_equal(d, 1);
	assert_int_equal(wms_date_weekday(0), 4);      /* Thursday */
	assert_int_equal(wms_date_weekday(-1), 3);
	assert_int_equal(wms_date_weekday(-7), 4);
	assert_int_equal(wms_date_weekday(D("2026-11-23")), 1);
	assert_int_equal(wms_date_weekday(D("2026-11-29")), 7);
	assert_int_equal(wms_date_weekday(D("2024-02-29")), 4);
}

static void test_date_roundtrip(void **state)
{
	wms_day first = wms_date_from_ymd(1600, 1, 1), last = wms_date_from_ymd(2400, 12, 31);
	int py = 1599, pm = 12, pd = 31, pw = wms_date_weekday(first - 1);

	(void)state;
	for (wms_day x = first; x <= last; x++) {
		int y, m, d, w = wms_date_weekday(x);

		wms_date_to_ymd(x, &y, &m, &d);
		assert_true(wms_date_valid(y, m, d));
		assert_int_equal(wms_date_from_ymd(y, m, d), x);
		/* consecutive: either next day of the month or the 1st of the next */
		if (d != 1) {
			assert_int_equal(y, py);
			assert_int_equal(m, pm);
			assert_int_equal(d, pd + 1);
		} else {
			assert_false(wms_date_valid(py, pm, pd + 1));
			assert_int_equal(m, pm % 12 + 1);
			assert_int_equal(y, pm == 12 ? py + 1 : py);
		}
		assert_int_equal(w, pw % 7 + 1);
		py = y, pm = m, pd = d, pw = w;
	}
}

static void test_date_valid(void **state)
{
	(void)state;
	assert_true(wms_date_valid(2024, 2, 29));
	assert_false(wms_date_valid(2023, 2, 29));
	assert_true(wms_date_valid(2000, 2, 29));
	assert_false(wms_date_valid(1900, 2, 29));
	assert_false(wms_date_valid(2100, 2, 29));
	assert_true(wms_date_valid(2026, 4, 30));
	assert_false(wms_date_valid(2026, 4, 31));
	assert_false(wms_date_valid(2026, 0, 1));
	assert_false(wms_date_valid(2026, 13, 1));
	assert_false(wms_date_valid(2026, 1, 0));
	assert_false(wms_date_valid(2026, 1, 32));
	assert_false(wms_date_valid(0, 1, 1));
	assert_false(wms_date_valid(10000, 1, 1));
	assert_true(wms_date_valid(9999, 12, 31));
}

static void test_easter_known(void **state)
{
	static const struct { int year, month, day; } known[] = {
		{ 2000, 4, 23 }, { 2005, 3, 27 }, { 2008, 3, 23 }, { 2011, 4, 24 },
		{ 2019, 4, 21 }, { 2024, 3, 31 }, { 2025, 4, 20 }, { 2026, 4, 5 },
		{ 2027, 3, 28 }, { 2038, 4, 25 }, { 2100, 3, 28 }, { 2160, 3, 23 },
	};
	char buf[11];

	(void)state;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		wms_day e = wms_easter_sunday(known[i].year);

		if (e != wms_date_from_ymd(known[i].year, known[i].month, known[i].day))
			fail_msg("Easter %d: got %s, expected %04d-%02d-%02d", known[i].year, fmt(e, buf),
			         known[i].year, known[i].month, known[i].day);
	}
	/* Outside the calendar range too: the extremes of the computus. */
	assert_int_equal(wms_easter_sunday(1818), wms_date_from_ymd(1818, 3, 22));
	assert_int_equal(wms_easter_sunday(2285), wms_date_from_ymd(2285, 3, 22));
	assert_int_equal(wms_easter_sunday(1943), wms_date_from_ymd(1943, 4, 25));
}

static void test_easter_always_sunday_in_window(void **state)
{
	(void)state;
	for (int y = 1583; y <= 4099; y++) {
		wms_day e = wms_easter_sunday(y);

		assert_int_equal(wms_date_weekday(e), 7);
		assert_in_range(e, wms_date_from_ymd(y, 3, 22), wms_date_from_ymd(y, 4, 25));
	}
}

/* ---- parsing and formatting --------------------------------------------- */

static void test_date_parse_ok(void **state)
{
	struct wms_error err = { 0 };
	wms_day d = -1;

	(void)state;
	assert_int_equal(wms_date_parse("2024-02-29", &d, &err), 0);
	assert_int_equal(d, wms_date_from_ymd(2024, 2, 29));
	assert_int_equal(wms_date_parse("2005-01-01", &d, &err), 0);
	assert_int_equal(d, FIRST_DAY);
	assert_int_equal(wms_date_parse("2199-12-31", &d, NULL), 0);
	assert_int_equal(d, LAST_DAY);
	assert_int_equal(err.code, 0);
}

static void test_date_parse_errors(void **state)
{
	static const struct { const char *text; const char *msg; } bad[] = {
		{ "2026-02-30", "bad date \"2026-02-30\": February 2026 has 28 days" },
		{ "2023-02-29", "bad date \"2023-02-29\": February 2023 has 28 days" },
		{ "2100-02-29", "bad date \"2100-02-29\": February 2100 has 28 days" },
		{ "2026-04-31", "bad date \"2026-04-31\": April 2026 has 30 days" },
		{ "2026-01-00", "bad date \"2026-01-00\": January 2026 has days 01..31" },
		{ "2026-13-01", "bad date \"2026-13-01\": month must be 01..12" },
		{ "2026-00-10", "bad date \"2026-00-10\": month must be 01..12" },
		{ "2004-12-31", "bad date \"2004-12-31\": year must be 2005..2199" },
		{ "2200-01-01", "bad date \"2200-01-01\": year must be 2005..2199" },
		{ "0000-01-01", "bad date \"0000-01-01\": year must be 2005..2199" },
		{ "26-1-1", "bad date \"26-1-1\": expected YYYY-MM-DD" },
		{ "2026-1-1", "bad date \"2026-1-1\": expected YYYY-MM-DD" },
		{ "2026-01-1", "bad date \"2026-01-1\": expected YYYY-MM-DD" },
		{ "2026/01/01", "bad date \"2026/01/01\": expected YYYY-MM-DD" },
		{ " 2026-01-01", "bad date \" 2026-01-01\": expected YYYY-MM-DD" },
		{ "+026-01-01", "bad date \"+026-01-01\": expected YYYY-MM-DD" },
		{ "", "bad date \"\": expected YYYY-MM-DD" },
		{ "2026-01-01x", "bad date \"2026-01-01x\": expected YYYY-MM-DD with nothing after it" },
		{ "2026-01-01 ", "bad date \"2026-01-01 \": expected YYYY-MM-DD with nothing after it" },
		{ "2026-01-01T00:00", "bad date \"2026-01-01T00:00\": expected YYYY-MM-DD with nothing "
		                      "after it" },
		/* control characters never reach the one-line message raw */
		{ "2026-01-01\n", "bad date \"2026-01-01\\x0a\": expected YYYY-MM-DD with nothing "
		                  "after it" },
		{ "2026-\"1-01", "bad date \"2026-\\x221-01\": expected YYYY-MM-DD" },
		/* long input is cut */
		{ "2026-01-01-0123456789012345678901234567890123456789",
		  "bad date \"2026-01-01-01234567890123456789012345678...\": expected YYYY-MM-DD "
		  "with nothing after it" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct wms_error err = { 0 };
		wms_day d = 4242;

		assert_int_equal(wms_date_parse(bad[i].text, &d, &err), WMS_EINVAL);
		assert_int_equal(err.code, WMS_EINVAL);
		assert_string_equal(err.msg, bad[i].msg);
		assert_int_equal(d, 4242);      /* untouched on failure */
		assert_int_equal(wms_date_parse(bad[i].text, &d, NULL), WMS_EINVAL);
	}
	{
		struct wms_error err = { 0 };
		wms_day d;

		assert_int_equal(wms_date_parse(NULL, &d, &err), WMS_EINVAL);
		assert_string_equal(err.msg, "bad date \"\": expected YYYY-MM-DD");
	}
}

static void test_date_format(void **state)
{
	char buf[11];

	(void)state;
	assert_string_equal(wms_date_format(0, buf), "1970-01-01");
	assert_string_equal(wms_date_format(D("2026-11-23"), buf), "2026-11-23");
	assert_string_equal(wms_date_format(wms_date_from_ymd(10000, 1, 1), buf), BAD_DATE_TEXT);
	for (wms_day x = FIRST_DAY; x <= LAST_DAY; x++) {
		wms_day back = -1;

		assert_int_equal(wms_date_parse(wms_date_format(x, buf), &back, NULL), 0);
		assert_int_equal(back, x);
	}
}

/* ---- the reference fixture ---------------------------------------------- */

#define NYEARS (WMS_CAL_LAST_YEAR - WMS_CAL_FIRST_YEAR + 1)
#define MAXPERYEAR 24

struct ref_day {
	wms_day day;
	char name[48];
};

struct ref {
	struct ref_day days[NYEARS][MAXPERYEAR];
	int n[NYEARS];
};

/* Read the fixture into r; fails the test on any malformed line. */
static void read_fixture(struct ref *r)
{
	FILE *f = fopen(FIXTURE, "r");
	char line[256];
	int lineno = 0, comments = 0;

	if (f == NULL)
		fail_msg("cannot open %s (regenerate with tests/fixtures/gen-se-holidays.mjs)",
		         FIXTURE);
	memset(r, 0, sizeof *r);
	while (fgets(line, sizeof line, f) != NULL) {
		char *tab, *nl;
		struct wms_error err = { 0 };
		wms_day d;
		int y, m, dd, i;

		lineno++;
		if (line[0] == '#') {
			comments++;
			continue;
		}
		if (line[0] == '\n')
			continue;
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		tab = strchr(line, '\t');
		if (tab == NULL)
			fail_msg("%s:%d: no tab in \"%s\"", FIXTURE, lineno, line);
		*tab = '\0';
		if (wms_date_parse(line, &d, &err) != 0)
			fail_msg("%s:%d: %s", FIXTURE, lineno, err.msg);
		wms_date_to_ymd(d, &y, &m, &dd);
		i = y - WMS_CAL_FIRST_YEAR;
		if (r->n[i] >= MAXPERYEAR)
			fail_msg("%s:%d: too many holidays in %d", FIXTURE, lineno, y);
		r->days[i][r->n[i]].day = d;
		snprintf(r->days[i][r->n[i]].name, sizeof r->days[i][r->n[i]].name, "%s", tab + 1);
		r->n[i]++;
	}
	fclose(f);
	assert_true(comments >= 1);     /* the header that says how it was made */
}

/* The fixture, read once; static so that a failing test leaks nothing. */
static struct ref *load_fixture(void)
{
	static struct ref r;
	static bool loaded;

	if (!loaded) {
		read_fixture(&r);
		loaded = true;
	}
	return &r;
}

static void test_fixture_easter(void **state)
{
	struct ref *r = load_fixture();
	int checked = 0;
	char a[11], b[11];

	(void)state;
	for (int i = 0; i < NYEARS; i++) {
		int y = WMS_CAL_FIRST_YEAR + i;
		bool found = false;

		for (int k = 0; k < r->n[i]; k++) {
			if (strcmp(r->days[i][k].name, "påskdagen") != 0)
				continue;
			found = true;
			if (r->days[i][k].day != wms_easter_sunday(y))
				fail_msg("Easter %d: date-holidays says %s, wms_easter_sunday says %s", y,
				         fmt(r->days[i][k].day, a), fmt(wms_easter_sunday(y), b));
		}
		if (!found)
			fail_msg("%s has no påskdagen in %d", FIXTURE, y);
		checked++;
	}
	assert_int_equal(checked, NYEARS);
	assert_true(checked >= 100);
}

static void test_fixture_holidays(void **state)
{
	struct cals *c = *state;
	struct ref *r = load_fixture();
	char buf[11];

	for (int i = 0; i < NYEARS; i++) {
		int y = WMS_CAL_FIRST_YEAR + i;
		wms_day first = wms_date_from_ymd(y, 1, 1), last = wms_date_from_ymd(y, 12, 31);
		int k = 0;

		if (r->n[i] == 0)
			fail_msg("%s has no holidays in %d", FIXTURE, y);
		/* Walk the year and the fixture's sorted list of that year together. */
		for (wms_day x = first; x <= last; x++) {
			const char *mine = wms_calendar_reason(c->std, x);
			bool theirs = k < r->n[i] && r->days[i][k].day == x;
			bool name_ok = false;

			if (is_holiday_name(mine) && !theirs)
				fail_msg("%s: wms closes it for %s, date-holidays (public+bank) has no "
				         "holiday that day", fmt(x, buf), mine);
			if (!is_holiday_name(mine) && theirs)
				fail_msg("%s: date-holidays says %s, wms says %s", fmt(x, buf),
				         r->days[i][k].name, mine != NULL ? mine : "working day");
			/* Coinciding holidays appear twice in the fixture; ours names one. */
			for (; k < r->n[i] && r->days[i][k].day == x; k++)
				name_ok |= strcmp(r->days[i][k].name, mine) == 0;
			if (theirs && !name_ok)
				fail_msg("%s: wms names it %s, date-holidays %s", fmt(x, buf), mine,
				         r->days[i][k - 1].name);
		}
		if (k != r->n[i])
			fail_msg("%s: date-holidays lists %s, not in year %d", FIXTURE,
			         fmt(r->days[i][k].day, buf), y);
	}
}

/* ---- hand-written holiday lists ----------------------------------------- */

struct named { const char *date, *name; };

static void check_year(const struct wms_calendar *cal, int y, const struct named *want,
                       size_t n)
{
	wms_day first = wms_date_from_ymd(y, 1, 1), last = wms_date_from_ymd(y, 12, 31);
	size_t k = 0;
	char buf[11];

	for (wms_day x = first; x <= last; x++) {
		const char *r = wms_calendar_reason(cal, x);

		if (!is_holiday_name(r))
			continue;
		if (k >= n)
			fail_msg("%d: unexpected holiday %s %s", y, fmt(x, buf), r);
		if (x != D(want[k].date) || strcmp(r, want[k].name) != 0)
			fail_msg("%d: got %s %s, expected %s %s", y, fmt(x, buf), r, want[k].date,
			         want[k].name);
		k++;
	}
	if (k != n)
		fail_msg("%d: missing %s %s", y, want[k].date, want[k].name);
}

#define CHECK_YEAR(cal, y, list) check_year(cal, y, list, sizeof list / sizeof list[0])

static void test_year_2024(void **state)
{
	struct cals *c = *state;
	static const struct named y2024[] = {
		{ "2024-01-01", "nyårsdagen" }, { "2024-01-06", "trettondedag jul" },
		{ "2024-03-29", "långfredagen" }, { "2024-03-31", "påskdagen" },
		{ "2024-04-01", "annandag påsk" }, { "2024-05-01", "första maj" },
		{ "2024-05-09", "Kristi himmelsfärdsdag" }, { "2024-05-19", "pingstdagen" },
		{ "2024-06-06", "nationaldagen" }, { "2024-06-21", "midsommarafton" },
		{ "2024-06-22", "midsommardagen" }, { "2024-11-02", "alla helgons dag" },
		{ "2024-12-24", "julafton" }, { "2024-12-25", "juldagen" },
		{ "2024-12-26", "annandag jul" }, { "2024-12-31", "nyårsafton" },
	};

	CHECK_YEAR(c->std, 2024, y2024);
}

static void test_year_2025(void **state)
{
	struct cals *c = *state;
	static const struct named y2025[] = {
		{ "2025-01-01", "nyårsdagen" }, { "2025-01-06", "trettondedag jul" },
		{ "2025-04-18", "långfredagen" }, { "2025-04-20", "påskdagen" },
		{ "2025-04-21", "annandag påsk" }, { "2025-05-01", "första maj" },
		{ "2025-05-29", "Kristi himmelsfärdsdag" }, { "2025-06-06", "nationaldagen" },
		{ "2025-06-08", "pingstdagen" }, { "2025-06-20", "midsommarafton" },
		{ "2025-06-21", "midsommardagen" }, { "2025-11-01", "alla helgons dag" },
		{ "2025-12-24", "julafton" }, { "2025-12-25", "juldagen" },
		{ "2025-12-26", "annandag jul" }, { "2025-12-31", "nyårsafton" },
	};

	CHECK_YEAR(c->std, 2025, y2025);
}

static void test_year_2026(void **state)
{
	struct cals *c = *state;
	static const struct named y2026[] = {
		{ "2026-01-01", "nyårsdagen" }, { "2026-01-06", "trettondedag jul" },
		{ "2026-04-03", "långfredagen" }, { "2026-04-05", "påskdagen" },
		{ "2026-04-06", "annandag påsk" }, { "2026-05-01", "första maj" },
		{ "2026-05-14", "Kristi himmelsfärdsdag" }, { "2026-05-24", "pingstdagen" },
		{ "2026-06-06", "nationaldagen" }, { "2026-06-19", "midsommarafton" },
		{ "2026-06-20", "midsommardagen" }, { "2026-10-31", "alla helgons dag" },
		{ "2026-12-24", "julafton" }, { "2026-12-25", "juldagen" },
		{ "2026-12-26", "annandag jul" }, { "2026-12-31", "nyårsafton" },
	};
	static const struct named y2026_plain[] = {
		{ "2026-01-01", "nyårsdagen" }, { "2026-01-06", "trettondedag jul" },
		{ "2026-04-03", "långfredagen" }, { "2026-04-05", "påskdagen" },
		{ "2026-04-06", "annandag påsk" }, { "2026-05-01", "första maj" },
		{ "2026-05-14", "Kristi himmelsfärdsdag" }, { "2026-05-24", "pingstdagen" },
		{ "2026-06-06", "nationaldagen" }, { "2026-06-20", "midsommardagen" },
		{ "2026-10-31", "alla helgons dag" }, { "2026-12-25", "juldagen" },
		{ "2026-12-26", "annandag jul" },
	};

	CHECK_YEAR(c->std, 2026, y2026);
	CHECK_YEAR(c->plain, 2026, y2026_plain);
}

static bool reason_is(const struct wms_calendar *cal, wms_day d, const char *name)
{
	const char *r = wms_calendar_reason(cal, d);

	return r != NULL && strcmp(r, name) == 0;
}

/* Rules that hold in every year: the by-rule days land where the law says. */
static void test_rule_windows(void **state)
{
	struct cals *c = *state;

	for (int y = WMS_CAL_FIRST_YEAR; y <= WMS_CAL_LAST_YEAR; y++) {
		int n_eve = 0, n_day = 0, n_saints = 0;
		wms_day e;
		char buf[11];

		for (int d = 19; d <= 26; d++) {
			const char *r = wms_calendar_reason(c->std, wms_date_from_ymd(y, 6, d));

			if (r != NULL && strcmp(r, "midsommarafton") == 0) {
				n_eve++;
				assert_in_range(d, 19, 25);
				assert_int_equal(wms_date_weekday(wms_date_from_ymd(y, 6, d)), 5);
			}
			if (r != NULL && strcmp(r, "midsommardagen") == 0) {
				n_day++;
				assert_in_range(d, 20, 26);
				assert_int_equal(wms_date_weekday(wms_date_from_ymd(y, 6, d)), 6);
			}
		}
		for (wms_day x = wms_date_from_ymd(y, 10, 31); x <= wms_date_from_ymd(y, 11, 6); x++) {
			const char *r = wms_calendar_reason(c->std, x);

			if (r != NULL && strcmp(r, "alla helgons dag") == 0) {
				n_saints++;
				assert_int_equal(wms_date_weekday(x), 6);
			}
		}
		if (n_eve != 1 || n_day != 1 || n_saints != 1)
			fail_msg("%d: %d midsommarafton, %d midsommardagen, %d alla helgons dag", y, n_eve,
			         n_day, n_saints);
		/* Easter-relative days */
		e = wms_easter_sunday(y);
		if (!reason_is(c->std, e - 2, "långfredagen") || !reason_is(c->std, e, "påskdagen") ||
		    !reason_is(c->std, e + 1, "annandag påsk") ||
		    wms_calendar_is_workday(c->std, e + 39) || wms_calendar_is_workday(c->std, e + 49))
			fail_msg("%d: Easter-relative holidays wrong around %s", y, fmt(e, buf));
		/* annandag pingst is an ordinary working day since 2005 */
		if (!wms_calendar_is_workday(c->std, e + 50) && !reason_is(c->std, e + 50, "nationaldagen"))
			fail_msg("%d: annandag pingst %s is closed", y, fmt(e + 50, buf));
	}
}

/* ---- reasons and precedence --------------------------------------------- */

static void test_reason(void **state)
{
	struct cals *c = *state;

	assert_null(wms_calendar_reason(c->std, D("2026-11-23")));
	assert_true(wms_calendar_is_workday(c->std, D("2026-11-23")));
	assert_string_equal(wms_calendar_reason(c->std, D("2026-11-28")), "lördag");
	assert_string_equal(wms_calendar_reason(c->std, D("2026-11-29")), "söndag");
	/* a holiday on a weekend is named by the holiday */
	assert_string_equal(wms_calendar_reason(c->std, D("2026-06-06")), "nationaldagen");
	assert_string_equal(wms_calendar_reason(c->std, D("2026-04-05")), "påskdagen");
	/* coinciding holidays: the fixed-date one names the day */
	assert_string_equal(wms_calendar_reason(c->std, D("2008-05-01")), "första maj");
	assert_string_equal(wms_calendar_reason(c->std, D("2049-06-06")), "nationaldagen");
	/* de-facto days off: those are ordinary working days (or weekend days) */
	assert_null(wms_calendar_reason(c->plain, D("2026-12-24")));
	assert_true(wms_calendar_is_workday(c->plain, D("2026-12-24")));
	assert_null(wms_calendar_reason(c->plain, D("2026-06-19")));
	assert_string_equal(wms_calendar_reason(c->plain, D("2022-12-24")), "lördag");
	assert_string_equal(wms_calendar_reason(c->std, D("2022-12-24")), "julafton");
}

static void test_covers(void **state)
{
	(void)state;
	assert_false(wms_calendar_covers(D("2005-01-01") - 1));
	assert_true(wms_calendar_covers(D("2005-01-01")));
	assert_true(wms_calendar_covers(D("2199-12-31")));
	assert_false(wms_calendar_covers(D("2199-12-31") + 1));
	assert_false(wms_calendar_covers(0));
}

/* ---- workdays() ---------------------------------------------------------- */

static void test_workdays_basic(void **state)
{
	struct cals *c = *state;
	const struct wms_calendar *s = c->std;

	assert_int_equal(wms_calendar_workdays(s, D("2026-11-23"), D("2026-11-23")), 0);
	assert_int_equal(wms_calendar_workdays(s, D("2026-11-28"), D("2026-11-28")), 0);
	assert_int_equal(wms_calendar_workdays(s, D("2026-11-23"), D("2026-11-24")), 1); /* Mon->Tue */
	assert_int_equal(wms_calendar_workdays(s, D("2026-11-27"), D("2026-11-30")), 1); /* Fri->Mon */
	assert_int_equal(wms_calendar_workdays(s, D("2026-11-27"), D("2026-11-28")), 0); /* Fri->Sat */
	assert_int_equal(wms_calendar_workdays(s, D("2026-11-28"), D("2026-11-30")), 1); /* Sat->Mon */
	assert_int_equal(wms_calendar_workdays(s, D("2026-11-23"), D("2026-11-30")), 5);
	assert_int_equal(wms_calendar_workdays(s, D("2026-11-30"), D("2026-11-23")), -5);
	/* Easter 2026: Fri 3 April and Mon 6 April closed */
	assert_int_equal(wms_calendar_workdays(s, D("2026-04-02"), D("2026-04-07")), 1);
	assert_int_equal(wms_calendar_workdays(s, D("2026-03-30"), D("2026-04-10")), 7);
	assert_int_equal(wms_calendar_workdays(s, D("2026-04-10"), D("2026-03-30")), -7);
	/* midsommar, jul, nyår with and without the de-facto days */
	assert_int_equal(wms_calendar_workdays(s, D("2026-06-18"), D("2026-06-22")), 1);
	assert_int_equal(wms_calendar_workdays(c->plain, D("2026-06-18"), D("2026-06-22")), 2);
	assert_int_equal(wms_calendar_workdays(s, D("2026-12-23"), D("2026-12-28")), 1);
	assert_int_equal(wms_calendar_workdays(c->plain, D("2026-12-23"), D("2026-12-28")), 2);
	assert_int_equal(wms_calendar_workdays(s, D("2026-12-30"), D("2027-01-04")), 1);
	assert_int_equal(wms_calendar_workdays(c->plain, D("2026-12-30"), D("2027-01-04")), 2);
	/* whole year 2026: 261 weekdays, 10 (7 without de-facto days) closed */
	assert_int_equal(wms_calendar_workdays(s, D("2025-12-31"), D("2026-12-31")), 251);
	assert_int_equal(wms_calendar_workdays(c->plain, D("2025-12-31"), D("2026-12-31")), 254);
	/* the ends of the range */
	assert_int_equal(wms_calendar_workdays(s, FIRST_DAY, FIRST_DAY), 0);
	assert_int_equal(wms_calendar_workdays(s, LAST_DAY, LAST_DAY), 0);
	assert_int_equal(wms_calendar_workdays(s, FIRST_DAY, D("2005-01-03")), 1);
	assert_int_equal(wms_calendar_workdays(s, FIRST_DAY, LAST_DAY),
	                 -wms_calendar_workdays(s, LAST_DAY, FIRST_DAY));
}

/* Brute force against is_workday(), antisymmetry and additivity at random. */
static void test_workdays_properties(void **state)
{
	struct cals *c = *state;
	const struct wms_calendar *cals[2] = { c->std, c->plain };

	for (int k = 0; k < 2; k++) {
		const struct wms_calendar *s = cals[k];

		for (int i = 0; i < 20000; i++) {
			wms_day a = random_day(), b, m;
			int brute = 0;

			b = a + (wms_day)(rng() % 800) - 400;
			if (b < FIRST_DAY)
				b = FIRST_DAY;
			if (b > LAST_DAY)
				b = LAST_DAY;
			for (wms_day x = (a < b ? a : b) + 1; x <= (a < b ? b : a); x++)
				brute += wms_calendar_is_workday(s, x);
			if (b < a)
				brute = -brute;
			assert_int_equal(wms_calendar_workdays(s, a, b), brute);
			assert_int_equal(wms_calendar_workdays(s, a, b), -wms_calendar_workdays(s, b, a));
			m = random_day();
			assert_int_equal(wms_calendar_workdays(s, a, m) + wms_calendar_workdays(s, m, b),
			                 wms_calendar_workdays(s, a, b));
		}
		/* weekends never work; a day is a working day iff the step onto it counts */
		for (wms_day x = FIRST_DAY + 1; x <= LAST_DAY; x++) {
			bool w = wms_calendar_is_workday(s, x);

			assert_int_equal(wms_calendar_workdays(s, x - 1, x), w);
			assert_int_equal(w, wms_calendar_reason(s, x) == NULL);
			if (wms_date_weekday(x) >= 6)
				assert_false(w);
		}
	}
}

/* ---- next_workday() and add_workdays() ----------------------------------- */

static void test_next_workday(void **state)
{
	struct cals *c = *state;
	const struct wms_calendar *s = c->std;
	char buf[11];

	assert_int_equal(wms_calendar_next_workday(s, D("2026-11-23")), D("2026-11-24"));
	assert_int_equal(wms_calendar_next_workday(s, D("2026-11-27")), D("2026-11-30"));
	assert_int_equal(wms_calendar_next_workday(s, D("2026-11-28")), D("2026-11-30"));
	assert_int_equal(wms_calendar_next_workday(s, D("2026-04-02")), D("2026-04-07"));
	assert_int_equal(wms_calendar_next_workday(s, D("2026-12-23")), D("2026-12-28"));
	assert_int_equal(wms_calendar_next_workday(c->plain, D("2026-12-23")), D("2026-12-24"));
	assert_int_equal(wms_calendar_next_workday(s, D("2026-12-30")), D("2027-01-04"));
	assert_int_equal(wms_calendar_next_workday(s, FIRST_DAY), D("2005-01-03"));
	for (int i = 0; i < 20000; i++) {
		wms_day d = random_day(), n, e;

		if (d > LAST_DAY - 14)
			continue;
		n = wms_calendar_next_workday(s, d);
		for (e = d + 1; !wms_calendar_is_workday(s, e); e++)
			;
		if (n != e)
			fail_msg("next_workday(%s) = %s", fmt(d, buf), fmt(n, buf));
		assert_int_equal(wms_calendar_workdays(s, d, n), 1);
	}
}

static void test_add_workdays(void **state)
{
	struct cals *c = *state;
	const struct wms_calendar *s = c->std;

	/* n == 0 gives d itself, working day or not */
	assert_int_equal(wms_calendar_add_workdays(s, D("2026-04-03"), 0), D("2026-04-03"));
	assert_int_equal(wms_calendar_add_workdays(s, D("2026-11-23"), 0), D("2026-11-23"));
	/* the contract: 7 working days from an order on Mon 30 March 2026 */
	assert_int_equal(wms_calendar_add_workdays(s, D("2026-03-30"), 7), D("2026-04-10"));
	assert_int_equal(wms_calendar_add_workdays(s, D("2026-11-23"), 7), D("2026-12-02"));
	assert_int_equal(wms_calendar_add_workdays(s, D("2026-12-18"), 7), D("2027-01-04"));
	assert_int_equal(wms_calendar_add_workdays(c->plain, D("2026-12-18"), 7), D("2026-12-30"));
	/* 17 working days (supplier items) across midsommar */
	assert_int_equal(wms_calendar_add_workdays(s, D("2026-06-01"), 17), D("2026-06-25"));
	assert_int_equal(wms_calendar_add_workdays(s, D("2026-01-01"), 251), D("2026-12-30"));
	for (int i = 0; i < 20000; i++) {
		wms_day d = random_day(), e;
		int n = (int)(rng() % 60);

		if (d > LAST_DAY - 120)
			continue;
		e = wms_calendar_add_workdays(s, d, n);
		assert_int_equal(wms_calendar_workdays(s, d, e), n);
		if (n > 0) {
			assert_true(wms_calendar_is_workday(s, e));
			assert_int_equal(wms_calendar_workdays(s, d, e - 1), n - 1);
			assert_int_equal(wms_calendar_add_workdays(s, d, 1),
			                 wms_calendar_next_workday(s, d));
		}
	}
}

/* ---- options ------------------------------------------------------------- */

static void test_closed_days(void **state)
{
	wms_day closed[] = { D("2026-07-01"), D("2026-07-04"), D("2026-12-24"), D("2026-07-01"),
	                     D("2026-06-30") };
	struct wms_calendar_opts o = { .defacto_days = true, .closed = closed, .n_closed = 5 };
	struct wms_calendar *cal = NULL, *plain = NULL;
	struct wms_error err = { 0 };

	(void)state;
	assert_int_equal(wms_calendar_new(&o, &cal, &err), 0);
	assert_string_equal(wms_calendar_reason(cal, D("2026-07-01")), "stängt");
	assert_string_equal(wms_calendar_reason(cal, D("2026-06-30")), "stängt");
	assert_string_equal(wms_calendar_reason(cal, D("2026-07-04")), "lördag");
	assert_string_equal(wms_calendar_reason(cal, D("2026-12-24")), "julafton");
	assert_false(wms_calendar_is_workday(cal, D("2026-07-01")));
	/* Mon 29 June -> Fri 3 July: Tue 30 and Wed 1 closed */
	assert_int_equal(wms_calendar_workdays(cal, D("2026-06-29"), D("2026-07-03")), 2);
	assert_int_equal(wms_calendar_next_workday(cal, D("2026-06-29")), D("2026-07-02"));
	assert_int_equal(wms_calendar_add_workdays(cal, D("2026-06-26"), 3), D("2026-07-03"));

	o.defacto_days = false;
	assert_int_equal(wms_calendar_new(&o, &plain, &err), 0);
	assert_string_equal(wms_calendar_reason(plain, D("2026-12-24")), "stängt");
	assert_null(wms_calendar_reason(plain, D("2026-12-31")));
	assert_int_equal(wms_calendar_workdays(plain, D("2026-12-23"), D("2026-12-28")), 1);
	wms_calendar_free(cal);
	wms_calendar_free(plain);
	wms_calendar_free(NULL);
}

static void test_new_errors(void **state)
{
	wms_day out_of_range[] = { D("2026-07-01"), wms_date_from_ymd(2204, 1, 1) };
	wms_day before[] = { wms_date_from_ymd(2004, 12, 31) };
	struct wms_calendar_opts o = { .defacto_days = true, .closed = out_of_range, .n_closed = 2 };
	struct wms_calendar *cal = (struct wms_calendar *)&o;   /* must be reset to NULL */
	struct wms_error err = { 0 };

	(void)state;
	assert_int_equal(wms_calendar_new(&o, &cal, &err), WMS_EINVAL);
	assert_null(cal);
	assert_int_equal(err.code, WMS_EINVAL);
	assert_string_equal(err.msg, "calendar: closed day 2204-01-01 (day number 85466) is outside "
	                             "2005-01-01..2199-12-31");
	o.closed = before;
	o.n_closed = 1;
	assert_int_equal(wms_calendar_new(&o, &cal, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "2004-12-31"));
	o.closed = NULL;
	o.n_closed = 3;
	assert_int_equal(wms_calendar_new(&o, &cal, NULL), WMS_EINVAL);
	assert_null(cal);
	o.n_closed = 0;                 /* NULL array with no days is fine */
	assert_int_equal(wms_calendar_new(&o, &cal, NULL), 0);
	assert_non_null(cal);
	wms_calendar_free(cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_known_days),
		cmocka_unit_test(test_date_roundtrip),
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_easter_known),
		cmocka_unit_test(test_easter_always_sunday_in_window),
		cmocka_unit_test(test_date_parse_ok),
		cmocka_unit_test(test_date_parse_errors),
		cmocka_unit_test(test_date_format),
		cmocka_unit_test(test_fixture_easter),
		cmocka_unit_test(test_fixture_holidays),
		cmocka_unit_test(test_year_2024),
		cmocka_unit_test(test_year_2025),
		cmocka_unit_test(test_year_2026),
		cmocka_unit_test(test_rule_windows),
		cmocka_unit_test(test_reason),
		cmocka_unit_test(test_covers),
		cmocka_unit_test(test_workdays_basic),
		cmocka_unit_test(test_workdays_properties),
		cmocka_unit_test(test_next_workday),
		cmocka_unit_test(test_add_workdays),
		cmocka_unit_test(test_closed_days),
		cmocka_unit_test(test_new_errors),
	};

	return cmocka_run_group_tests_name("calendar", tests, setup_cals, teardown_cals);
}
