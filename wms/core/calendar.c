/*
 * calendar.c - dates and the Swedish working-day calendar (see wms_calendar.h).
 *
 * Dates are day numbers; conversion to and from year/month/day uses the
 * closed-form algorithms for the proleptic Gregorian calendar (eras of 400
 * years), so no table and no time-zone database is involved.
 *
 * Holidays are computed per year from their rule, never tabulated: fixed
 * dates, Easter-relative days (Gregorian computus), and "the Saturday
 * (Friday) in a given week" for midsommar and alla helgons dag.  A calendar
 * evaluates these rules once for every day of WMS_CAL_FIRST_YEAR..LAST_YEAR
 * (about 71,000 days) and keeps three arrays:
 *   reason[i]  why day i is closed (0 = working day),
 *   prefix[i]  working days among the first i days of the range,
 *   work[k]    the offset of the k-th working day of the range,
 * so that workdays() is a prefix difference and next_workday()/add_workdays()
 * are one lookup each.  Memory: about 640 KiB per calendar.
 */
#include "wms_calendar.h"

#include <jansson.h>

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Day numbers of 2005-01-01 and 2200-01-01 (checked in wms_calendar_new). */
#define CAL_FIRST_DAY 12784
#define CAL_END_DAY   84006
#define CAL_NDAYS     (CAL_END_DAY - CAL_FIRST_DAY)

/* Years that wms_date_valid accepts: those "YYYY" can spell. */
#define DATE_MIN_YEAR 1
#define DATE_MAX_YEAR 9999

/* What wms_date_format writes for years outside 0000..9999: the date shape
 * with every digit a question mark, escaped because ISO C has trigraphs. */
#define BAD_DATE_TEXT "\?\?\?\?-\?\?-\?\?"

/*
 * Why a day is closed.  The order of the holiday entries is also their
 * precedence when two coincide (första maj and Kristi himmelsfärdsdag in
 * 2008, nationaldagen and pingstdagen in 2049): the fixed-date holiday, which
 * is listed first, names the day.
 */
enum reason {
	R_WORK = 0,
	R_NYARSDAGEN,
	R_TRETTONDEDAG,
	R_FORSTA_MAJ,
	R_NATIONALDAGEN,
	R_JULDAGEN,
	R_ANNANDAG_JUL,
	R_LANGFREDAGEN,
	R_PASKDAGEN,
	R_ANNANDAG_PASK,
	R_HIMMELSFARD,
	R_PINGSTDAGEN,
	R_MIDSOMMARDAGEN,
	R_ALLA_HELGON,
	R_MIDSOMMARAFTON,    /* de-facto days from here on */
	R_JULAFTON,
	R_NYARSAFTON,
	R_SATURDAY,
	R_SUNDAY,
	R_CLOSED,
	R_COUNT
};

static const char *const reason_names[R_COUNT] = {
	[R_WORK] = NULL,
	[R_NYARSDAGEN] = "nyårsdagen",
	[R_TRETTONDEDAG] = "trettondedag jul",
	[R_FORSTA_MAJ] = "första maj",
	[R_NATIONALDAGEN] = "nationaldagen",
	[R_JULDAGEN] = "juldagen",
	[R_ANNANDAG_JUL] = "annandag jul",
	[R_LANGFREDAGEN] = "långfredagen",
	[R_PASKDAGEN] = "påskdagen",
	[R_ANNANDAG_PASK] = "annandag påsk",
	[R_HIMMELSFARD] = "Kristi himmelsfärdsdag",
	[R_PINGSTDAGEN] = "pingstdagen",
	[R_MIDSOMMARDAGEN] = "midsommardagen",
	[R_ALLA_HELGON] = "alla helgons dag",
	[R_MIDSOMMARAFTON] = "midsommarafton",
	[R_JULAFTON] = "julafton",
	[R_NYARSAFTON] = "nyårsafton",
	[R_SATURDAY] = "lördag",
	[R_SUNDAY] = "söndag",
	[R_CLOSED] = "stängt",
};

struct wms_calendar {
	uint8_t reason[CAL_NDAYS];
	int32_t prefix[CAL_NDAYS + 1];
	int32_t work[CAL_NDAYS];
	int32_t n_work;
	uint64_t fingerprint;   /* FNV-1a over the working-day flags of the range */
};

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* ---- pure date arithmetic ---------------------------------------------- */

static bool is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return month == 2 && is_leap(year) ? 29 : dim[month - 1];
}

/* Days since 1970-01-01 of a Gregorian date (H. Hinnant's days_from_civil). */
wms_day wms_date_from_ymd(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                                   /* 0..399 */
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;         /* 0..146096 */

	return (wms_day)(era * 146097 + doe - 719468);
}

void wms_date_to_ymd(wms_day d, int *year, int *month, int *day)
{
	int64_t z = (int64_t)d + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                      /* 0..146096 */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* 0..399 */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* 0..365 */
	int64_t mp = (5 * doy + 2) / 153;                                    /* 0..11 */
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);

	*year = (int)(yoe + era * 400 + (m <= 2));
	*month = m;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
}

int wms_date_weekday(wms_day d)
{
	/* 1970-01-01 was a Thursday (4). */
	int r = (int)(((int64_t)d % 7 + 7) % 7);

	return (r + 3) % 7 + 1;
}

/* Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
wms_day wms_easter_sunday(int year)
{
	int a = year % 19;
	int b = year / 100, c = year % 100;
	int d = b / 4, e = b % 4;
	int f = (b + 8) / 25;
	int g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;

	return wms_date_from_ymd(year, month, day);
}

bool wms_date_valid(int year, int month, int day)
{
	if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
		return false;
	if (month < 1 || month > 12)
		return false;
	return day >= 1 && day <= days_in_month(year, month);
}

/* Write v (>= 0) as exactly n decimal digits at p, without a terminator. */
static void put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

char *wms_date_format(wms_day d, char *buf)
{
	int y, m, dd;

	wms_date_to_ymd(d, &y, &m, &dd);
	if (y < 0 || y > 9999) {
		memcpy(buf, BAD_DATE_TEXT, 11);
		return buf;
	}
	/* Digits by hand: y, m, dd are known to fit, snprintf cannot know it. */
	memcpy(buf, "0000-00-00", 11);
	put_digits(buf, y, 4);
	put_digits(buf + 5, m, 2);
	put_digits(buf + 8, dd, 2);
	return buf;
}


static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int wms_date_parse(const char *text, wms_day *out, struct wms_error *err)
{
	char q[256];
	int y, m, d;
	size_t len;

	if (text == NULL)
		text = "";
	len = strnlen(text, 11);
	wms_quote(q, sizeof q, text, strlen(text), 40);
	if (len < 10 || text[4] != '-' || text[7] != '-' ||
	    (y = digits(text, 4)) < 0 || (m = digits(text + 5, 2)) < 0 ||
	    (d = digits(text + 8, 2)) < 0)
		return wms_error_set(err, WMS_EINVAL, "bad date \"%s\": expected YYYY-MM-DD", q);
	if (len > 10)
		return wms_error_set(err, WMS_EINVAL,
		                     "bad date \"%s\": expected YYYY-MM-DD with nothing after it", q);
	if (m < 1 || m > 12)
		return wms_error_set(err, WMS_EINVAL, "bad date \"%s\": month must be 01..12", q);
	if (y < WMS_CAL_FIRST_YEAR || y > WMS_CAL_LAST_YEAR)
		return wms_error_set(err, WMS_EINVAL, "bad date \"%s\": year must be %d..%d", q,
		                     WMS_CAL_FIRST_YEAR, WMS_CAL_LAST_YEAR);
	if (d < 1)
		return wms_error_set(err, WMS_EINVAL, "bad date \"%s\": %s %d has days 01..%02d", q,
		                     month_names[m - 1], y, days_in_month(y, m));
	if (d > days_in_month(y, m))
		return wms_error_set(err, WMS_EINVAL, "bad date \"%s\": %s %d has %d days", q,
		                     month_names[m - 1], y, days_in_month(y, m));
	*out = wms_date_from_ymd(y, m, d);
	return 0;
}

/* ---- the calendar ------------------------------------------------------ */

bool wms_calendar_covers(wms_day d)
{
	return d >= CAL_FIRST_DAY && d < CAL_END_DAY;
}

/*
 * Index of d in the calendar's arrays.  Out-of-range days are a caller's bug
 * (asserted); in builds without asserts they are clamped so that the answer
 * is wrong but memory stays safe.
 */
static size_t day_index(wms_day d)
{
	assert(wms_calendar_covers(d));
	if (d < CAL_FIRST_DAY)
		return 0;
	if (d >= CAL_END_DAY)
		return CAL_NDAYS - 1;
	return (size_t)(d - CAL_FIRST_DAY);
}

/* The first day with weekday wd (ISO) on or after d. */
static wms_day weekday_on_or_after(wms_day d, int wd)
{
	return d + (wd - wms_date_weekday(d) + 7) % 7;
}

static void mark(uint8_t *reason, wms_day d, enum reason r)
{
	size_t i = (size_t)(d - CAL_FIRST_DAY);

	/* Lower enum values take precedence (see enum reason). */
	if (reason[i] == R_WORK || reason[i] > r)
		reason[i] = (uint8_t)r;
}

static void mark_year(uint8_t *reason, int y, bool defacto)
{
	wms_day easter = wms_easter_sunday(y);

	mark(reason, wms_date_from_ymd(y, 1, 1), R_NYARSDAGEN);
	mark(reason, wms_date_from_ymd(y, 1, 6), R_TRETTONDEDAG);
	mark(reason, wms_date_from_ymd(y, 5, 1), R_FORSTA_MAJ);
	mark(reason, wms_date_from_ymd(y, 6, 6), R_NATIONALDAGEN);
	mark(reason, wms_date_from_ymd(y, 12, 25), R_JULDAGEN);
	mark(reason, wms_date_from_ymd(y, 12, 26), R_ANNANDAG_JUL);
	mark(reason, easter - 2, R_LANGFREDAGEN);
	mark(reason, easter, R_PASKDAGEN);
	mark(reason, easter + 1, R_ANNANDAG_PASK);
	mark(reason, easter + 39, R_HIMMELSFARD);
	mark(reason, easter + 49, R_PINGSTDAGEN);
	/* The Saturday of 20-26 June; the Saturday of 31 October - 6 November. */
	mark(reason, weekday_on_or_after(wms_date_from_ymd(y, 6, 20), 6), R_MIDSOMMARDAGEN);
	mark(reason, weekday_on_or_after(wms_date_from_ymd(y, 10, 31), 6), R_ALLA_HELGON);
	if (defacto) {
		mark(reason, weekday_on_or_after(wms_date_from_ymd(y, 6, 19), 5), R_MIDSOMMARAFTON);
		mark(reason, wms_date_from_ymd(y, 12, 24), R_JULAFTON);
		mark(reason, wms_date_from_ymd(y, 12, 31), R_NYARSAFTON);
	}
}

int wms_calendar_new(const struct wms_calendar_opts *opts, struct wms_calendar **out,
                     struct wms_error *err)
{
	struct wms_calendar *cal = NULL;
	bool defacto = opts == NULL || opts->defacto_days;
	int rc = 0;

	assert(out != NULL);
	*out = NULL;
	assert(wms_date_from_ymd(WMS_CAL_FIRST_YEAR, 1, 1) == CAL_FIRST_DAY);
	assert(wms_date_from_ymd(WMS_CAL_LAST_YEAR + 1, 1, 1) == CAL_END_DAY);

	if (opts != NULL && opts->n_closed > 0 && opts->closed == NULL) {
		rc = wms_error_set(err, WMS_EINVAL, "calendar: %zu closed days given but no array",
		                   opts->n_closed);
		goto out;
	}
	if (opts != NULL) {
		for (size_t i = 0; i < opts->n_closed; i++) {
			char buf[11];

			if (!wms_calendar_covers(opts->closed[i])) {
				rc = wms_error_set(err, WMS_EINVAL,
				                   "calendar: closed day %s (day number %d) is outside "
				                   "%d-01-01..%d-12-31",
				                   wms_date_format(opts->closed[i], buf), (int)opts->closed[i],
				                   WMS_CAL_FIRST_YEAR, WMS_CAL_LAST_YEAR);
				goto out;
			}
		}
	}

	cal = calloc(1, sizeof *cal);
	if (cal == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "calendar: out of memory (%zu bytes)", sizeof *cal);
		goto out;
	}

	for (int y = WMS_CAL_FIRST_YEAR; y <= WMS_CAL_LAST_YEAR; y++)
		mark_year(cal->reason, y, defacto);
	for (wms_day d = CAL_FIRST_DAY; d < CAL_END_DAY; d++) {
		int wd = wms_date_weekday(d);

		if (wd >= 6)
			mark(cal->reason, d, wd == 6 ? R_SATURDAY : R_SUNDAY);
	}
	if (opts != NULL) {
		for (size_t i = 0; i < opts->n_closed; i++)
			mark(cal->reason, opts->closed[i], R_CLOSED);
	}

	cal->prefix[0] = 0;
	for (size_t i = 0; i < CAL_NDAYS; i++) {
		bool working = cal->reason[i] == R_WORK;

		cal->prefix[i + 1] = cal->prefix[i] + working;
		if (working)
			cal->work[cal->n_work++] = (int32_t)i;
	}
	cal->fingerprint = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < CAL_NDAYS; i++)
		cal->fingerprint = (cal->fingerprint ^ (cal->reason[i] == R_WORK)) * 0x100000001b3ull;
	*out = cal;
	cal = NULL;
out:
	free(cal);
	return rc;
}

void wms_calendar_free(struct wms_calendar *cal)
{
	free(cal);
}

bool wms_calendar_is_workday(const struct wms_calendar *cal, wms_day d)
{
	return cal->reason[day_index(d)] == R_WORK;
}

const char *wms_calendar_reason(const struct wms_calendar *cal, wms_day d)
{
	return reason_names[cal->reason[day_index(d)]];
}

uint64_t wms_calendar_fingerprint(const struct wms_calendar *cal)
{
	return cal->fingerprint;
}

size_t wms_calendar_closed_weekdays(const struct wms_calendar *cal, wms_day *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < CAL_NDAYS; i++) {
		wms_day d = (wms_day)(CAL_FIRST_DAY + (wms_day)i);

		if (cal->reason[i] == R_WORK || wms_date_weekday(d) >= 6)
			continue;
		if (out != NULL && n < cap)
			out[n] = d;
		n++;
	}
	return n;
}

json_t *wms_calendar_closed_days(const struct wms_calendar *cal, int year)
{
	json_t *days = json_array(), *row;
	char buf[16];

	if (days == NULL || year < WMS_CAL_FIRST_YEAR || year > WMS_CAL_LAST_YEAR)
		goto fail;
	for (wms_day d = wms_date_from_ymd(year, 1, 1); d < wms_date_from_ymd(year + 1, 1, 1); d++) {
		if (wms_date_weekday(d) > 5 || wms_calendar_is_workday(cal, d))
			continue;
		row = json_pack("{s:s, s:s}", "date", wms_date_format(d, buf), "name",
		                wms_calendar_reason(cal, d));
		if (row == NULL || json_array_append_new(days, row) < 0)
			goto fail;
	}
	return days;
fail:
	json_decref(days);
	return NULL;
}

int wms_calendar_workdays(const struct wms_calendar *cal, wms_day from, wms_day to)
{
	return cal->prefix[day_index(to) + 1] - cal->prefix[day_index(from) + 1];
}

wms_day wms_calendar_add_workdays(const struct wms_calendar *cal, wms_day d, int n)
{
	size_t i = day_index(d);
	int64_t k;

	assert(n >= 0);
	if (n <= 0 || cal->n_work == 0)
		return d;
	/* prefix[i + 1] working days lie on or before d; the n-th after it is
	 * work[prefix[i + 1] + n - 1]. */
	k = (int64_t)cal->prefix[i + 1] + n - 1;
	assert(k < cal->n_work);    /* the result must lie inside the range */
	if (k >= cal->n_work)
		k = cal->n_work - 1;
	return CAL_FIRST_DAY + cal->work[k];
}

wms_day wms_calendar_next_workday(const struct wms_calendar *cal, wms_day d)
{
	return wms_calendar_add_workdays(cal, d, 1);
}
