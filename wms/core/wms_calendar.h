/*
 * wms_calendar.h - dates and the Swedish working-day calendar.
 *
 * A date is a day number (days since 1970-01-01, proleptic Gregorian), so
 * that date arithmetic is integer arithmetic.  The calendar knows Sweden's
 * public holidays, computed (Easter by the Gregorian computus, midsommar and
 * alla helgons dag by rule), plus the de-facto non-working days midsommarafton,
 * julafton and nyårsafton (switchable), plus extra closed days of a depot.
 * Saturdays and Sundays are never working days.
 *
 * Calendar queries are O(1): a calendar precomputes a prefix count of working
 * days over its whole range WMS_CAL_FIRST_YEAR..WMS_CAL_LAST_YEAR.  Callers
 * must only pass days inside that range (wms_calendar_covers()); input parsing
 * (wms_date_parse, wms_time_parse) already refuses dates outside it.  A day
 * outside the range is a caller's bug: it fails an assert(), and in builds
 * without asserts (NDEBUG) it is clamped to the range, giving a wrong answer
 * but never touching memory outside the calendar.
 */
#ifndef WMS_CALENDAR_H
#define WMS_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wms_error.h"

typedef int32_t wms_day;   /* days since 1970-01-01 */

#define WMS_CAL_FIRST_YEAR 2005
#define WMS_CAL_LAST_YEAR  2199

/*
 * Pure date arithmetic (valid for any Gregorian date whose day number fits a
 * wms_day, i.e. years within about +-5 million; no range check, no calendar).
 * wms_date_from_ymd expects a valid month and day (see wms_date_valid).
 * wms_date_valid: a real date of a year 1..9999 (the years "YYYY" spells).
 */
wms_day wms_date_from_ymd(int year, int month, int day);
void    wms_date_to_ymd(wms_day d, int *year, int *month, int *day);
int     wms_date_weekday(wms_day d);          /* ISO: 1 = Monday .. 7 = Sunday */
wms_day wms_easter_sunday(int year);          /* Gregorian computus */
bool    wms_date_valid(int year, int month, int day);

/*
 * Parse strictly "YYYY-MM-DD" (no trailing characters) into *out.  Refuses
 * impossible dates (2026-02-30) and years outside the calendar range, with a
 * message naming the text and what is allowed, for example
 *   bad date "2026-02-30": February 2026 has 28 days
 *   bad date "26-1-1": expected YYYY-MM-DD
 * (text may be NULL or hold any bytes: it is quoted with control characters
 * escaped and cut after 40 characters).  *out is left alone on failure.
 */
int  wms_date_parse(const char *text, wms_day *out, struct wms_error *err);

/* Format d as "YYYY-MM-DD" into buf (at least 11 bytes); returns buf.  For a
 * year outside 0000..9999 every digit is written as a question mark. */
char *wms_date_format(wms_day d, char *buf);

/* Note: a zero-initialised struct has defacto_days false; pass opts == NULL to
 * wms_calendar_new for the defaults. */
struct wms_calendar_opts {
	bool defacto_days;        /* midsommarafton, julafton, nyårsafton closed (default true) */
	const wms_day *closed;    /* extra closed days of the depot, any order, may repeat */
	size_t n_closed;
};

/* Opaque; immutable after creation, so it may be shared freely. */
struct wms_calendar;

/*
 * Build a calendar.  opts may be NULL for the defaults (de-facto days closed,
 * no extra closed days).  On success *out owns a calendar freed with
 * wms_calendar_free(); on failure *out is NULL.  Errors: WMS_EINVAL for a
 * closed day outside the range or n_closed > 0 with closed == NULL,
 * WMS_ENOMEM.  A calendar takes about 640 KiB and well under a millisecond
 * to build; build one per process (or per configuration), not per query.
 */
int  wms_calendar_new(const struct wms_calendar_opts *opts, struct wms_calendar **out,
                      struct wms_error *err);
void wms_calendar_free(struct wms_calendar *cal);     /* NULL-safe */

bool wms_calendar_covers(wms_day d);   /* d within WMS_CAL_FIRST_YEAR..LAST_YEAR */

bool wms_calendar_is_workday(const struct wms_calendar *cal, wms_day d);

/*
 * Why d is not a working day: the holiday's Swedish name ("långfredagen",
 * "midsommarafton", ...), "stängt" for an extra closed day, "lördag"/"söndag"
 * for a weekend day that is no holiday; NULL for a working day.  A holiday on
 * a weekend is named by the holiday.  Static storage, never freed.
 * Precedence when several apply: holiday, then weekend, then "stängt" (an
 * extra closed day on a holiday or a Saturday is named by those).  When two
 * holidays coincide (första maj and Kristi himmelsfärdsdag in 2008,
 * nationaldagen and pingstdagen in 2049) the fixed-date one names the day.
 */
const char *wms_calendar_reason(const struct wms_calendar *cal, wms_day d);

/*
 * Working days after `from` up to and including `to`: 0 when to == from,
 * 1 from a Monday to the next Tuesday, negative when to < from
 * (workdays(a, b) == -workdays(b, a)).  This is the lead time in working days
 * of an order whose clock starts on `from` and that is delivered on `to`.
 */
int  wms_calendar_workdays(const struct wms_calendar *cal, wms_day from, wms_day to);

/* The first working day strictly after d.  O(1).  The result must lie in the
 * range too (asserted), so d may not be in the last days of 2199. */
wms_day wms_calendar_next_workday(const struct wms_calendar *cal, wms_day d);

/* The day n >= 0 working days after d (n == 0 gives d itself, even if d is
 * no working day; n >= 1 gives the working day e with workdays(d, e) == n).
 * O(1).  The result must lie in the range too (asserted). */
wms_day wms_calendar_add_workdays(const struct wms_calendar *cal, wms_day d, int n);

/*
 * What identifies a calendar's working days, for figures computed under it
 * (the lead-time histograms, wms_leadtime.h): two calendars with the same
 * working days have the same fingerprint, whatever names their closed days
 * carry.  O(1).
 */
uint64_t wms_calendar_fingerprint(const struct wms_calendar *cal);

/*
 * Every weekday (Monday..Friday) of the whole range that is not a working day,
 * in date order: the first min(count, cap) go to out (may be NULL with cap 0);
 * returns the count.  A calendar built with defacto_days false and these days
 * closed has the same working days (and fingerprint) as cal.
 */
size_t wms_calendar_closed_weekdays(const struct wms_calendar *cal, wms_day *out, size_t cap);

/* Every weekday (Monday..Friday) of year that is not a working day, in date order: a JSON
 * array of {"date": "YYYY-MM-DD", "name": wms_calendar_reason()} (what `wms calendar` and
 * wmsd's GET /api/v1/calendar show).  year must lie in WMS_CAL_FIRST_YEAR..LAST_YEAR; NULL
 * outside it or without memory.  The caller owns the result (json_decref). */
struct json_t;
struct json_t *wms_calendar_closed_days(const struct wms_calendar *cal, int year);

#endif
