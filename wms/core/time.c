/*
 * time.c - UTC instants and their Stockholm wall-clock reading (see wms_time.h).
 *
 * Europe/Stockholm follows the EU summer-time rule: +02:00 from 01:00 UTC on
 * the last Sunday of March to 01:00 UTC on the last Sunday of October, +01:00
 * otherwise.  The rule is computed here for every year, so nothing depends on
 * the process's TZ, on tzdata or on localtime(); the same rule is applied to
 * years before 1996, when it did not yet hold, which does not matter for a
 * ledger that starts in 2005.
 *
 * Instants further than a million years from 1970 are clamped to that bound
 * so that day numbers never overflow; no real input gets near it.
 */
#include "wms_time.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SECS_PER_DAY 86400
#define CET  3600
#define CEST 7200
#define TIME_LIMIT ((wms_time)365000000 * SECS_PER_DAY)

/* What wms_time_format writes for years outside 0000..9999: the time shape
 * with every digit a question mark, escaped because ISO C has trigraphs. */
#define BAD_TIME_TEXT "\?\?\?\?-\?\?-\?\?T\?\?:\?\?:\?\?+\?\?:\?\?"

static wms_time clamp_time(wms_time t)
{
	if (t < -TIME_LIMIT)
		return -TIME_LIMIT;
	if (t > TIME_LIMIT)
		return TIME_LIMIT;
	return t;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

/* The last Sunday of a month that has 31 days (March, October). */
static wms_day last_sunday(int year, int month)
{
	wms_day d = wms_date_from_ymd(year, month, 31);

	return d - wms_date_weekday(d) % 7;
}

/*
 * The summer-time switches of one year, cached per thread: a report reads
 * millions of instants of the same few years, and computing the two last
 * Sundays each time was a fifth of its cost.  [lo, hi) is the UTC span of the
 * cached year (its 1 January to the next, as UTC days); start/end the switches.
 */
struct dst_year {
	wms_time lo, hi, start, end;
};

static _Thread_local struct dst_year dst_cache = { 1, 0, 0, 0 };   /* empty: lo > hi */

static const struct dst_year *dst_year_of(wms_time t)
{
	struct dst_year *c = &dst_cache;
	wms_day day;
	int y, m, d;

	if (t >= c->lo && t < c->hi)
		return c;
	day = (wms_day)floor_div(t, SECS_PER_DAY);
	wms_date_to_ymd(day, &y, &m, &d);
	c->lo = (wms_time)wms_date_from_ymd(y, 1, 1) * SECS_PER_DAY;
	c->hi = (wms_time)wms_date_from_ymd(y + 1, 1, 1) * SECS_PER_DAY;
	c->start = (wms_time)last_sunday(y, 3) * SECS_PER_DAY + 3600;
	c->end = (wms_time)last_sunday(y, 10) * SECS_PER_DAY + 3600;
	return c;
}

int wms_stockholm_offset(wms_time t)
{
	const struct dst_year *y;

	t = clamp_time(t);
	y = dst_year_of(t);
	return t >= y->start && t < y->end ? CEST : CET;
}

wms_day wms_local_day(wms_time t, int *minute_of_day)
{
	wms_time local;
	wms_day day;

	t = clamp_time(t);
	local = t + wms_stockholm_offset(t);
	day = (wms_day)floor_div(local, SECS_PER_DAY);
	if (minute_of_day != NULL)
		*minute_of_day = (int)((local - (wms_time)day * SECS_PER_DAY) / 60);
	return day;
}

/* The instant of Stockholm local wall time `local` (seconds since 1970-01-01
 * local), resolved as wms_local_to_utc() promises. */
static wms_time local_to_utc_secs(wms_time local)
{
	wms_time summer = local - CEST, winter = local - CET;

	/*
	 * Both readings valid: the autumn overlap, take the earlier instant
	 * (summer time).  Neither valid: the spring gap, use the later offset,
	 * which is again summer time.  So winter time is taken only when it is
	 * the only valid reading.
	 */
	if (wms_stockholm_offset(summer) == CEST)
		return summer;
	if (wms_stockholm_offset(winter) == CET)
		return winter;
	return summer;
}

wms_time wms_local_to_utc(wms_day d, int minute_of_day)
{
	return local_to_utc_secs((wms_time)d * SECS_PER_DAY + (wms_time)minute_of_day * 60);
}


/* Two decimal digits at s, or -1. */
static int two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

#define TIME_FORMS "YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS " \
                   "(a space may replace T), optionally followed by Z, +HH:MM or -HH:MM"

int wms_time_parse(const char *text, wms_time *out, struct wms_error *err)
{
	char q[256], date[11], buf[11];
	const char *p;
	wms_day day = 0, local_day;
	wms_time t;
	int h, m, s = 0, rc;

	if (text == NULL)
		text = "";
	wms_quote(q, sizeof q, text, strlen(text), 40);

	/* The date: its shape here, its meaning by wms_date_parse. */
	for (int i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;

		if (dash ? text[i] != '-' : !is_digit(text[i]))
			return wms_error_set(err, WMS_EINVAL, "bad time \"%s\": expected %s", q,
			                     TIME_FORMS);
	}
	memcpy(date, text, 10);
	date[10] = '\0';
	rc = wms_date_parse(date, &day, err);
	if (rc < 0)
		return rc;
	p = text + 10;
	if (*p == '\0') {
		t = wms_local_to_utc(day, 0);
		goto check;
	}
	if (*p != 'T' && *p != ' ')
		return wms_error_set(err, WMS_EINVAL,
		                     "bad time \"%s\": after the date expected \"T\" or a space and "
		                     "HH:MM", q);
	p++;

	/* HH:MM[:SS] */
	if ((h = two_digits(p)) < 0 || p[2] != ':' || (m = two_digits(p + 3)) < 0)
		return wms_error_set(err, WMS_EINVAL, "bad time \"%s\": expected HH:MM or HH:MM:SS "
		                     "after the date", q);
	p += 5;
	if (*p == ':') {
		if ((s = two_digits(p + 1)) < 0)
			return wms_error_set(err, WMS_EINVAL, "bad time \"%s\": expected two digits of "
			                     "seconds after HH:MM:", q);
		p += 3;
	}
	if (is_digit(*p))
		return wms_error_set(err, WMS_EINVAL, "bad time \"%s\": expected HH:MM or HH:MM:SS "
		                     "after the date", q);
	if (h > 23)
		return wms_error_set(err, WMS_EINVAL, "bad time \"%s\": hour must be 00..23", q);
	if (m > 59)
		return wms_error_set(err, WMS_EINVAL, "bad time \"%s\": minute must be 00..59", q);
	if (s > 59)
		return wms_error_set(err, WMS_EINVAL, "bad time \"%s\": second must be 00..59", q);

	if (*p == '\0') {
		/* Stockholm local time. */
		t = wms_local_to_utc(day, h * 60 + m) + s;
		goto check;
	}

	/* Explicit offset: Z, +HH:MM, -HH:MM. */
	t = (wms_time)day * SECS_PER_DAY + h * 3600 + m * 60 + s;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh, om;

		if ((oh = two_digits(p + 1)) < 0 || p[3] != ':' || (om = two_digits(p + 4)) < 0)
			return wms_error_set(err, WMS_EINVAL, "bad time \"%s\": expected the offset as "
			                     "+HH:MM or -HH:MM", q);
		if (oh > 23 || om > 59)
			return wms_error_set(err, WMS_EINVAL, "bad time \"%s\": offset must be within "
			                     "-23:59..+23:59", q);
		t -= sign * (oh * 3600 + om * 60);
		p += 6;
	} else {
		return wms_error_set(err, WMS_EINVAL, "bad time \"%s\": after the time expected "
		                     "nothing, Z, +HH:MM or -HH:MM", q);
	}
	if (*p != '\0')
		return wms_error_set(err, WMS_EINVAL, "bad time \"%s\": unexpected text after the "
		                     "offset", q);

check:
	/* An explicit offset can move the instant's Stockholm day out of range. */
	local_day = wms_local_day(t, NULL);
	if (!wms_calendar_covers(local_day))
		return wms_error_set(err, WMS_EINVAL, "bad time \"%s\": that is %s in Stockholm, "
		                     "outside %d-01-01..%d-12-31", q, wms_date_format(local_day, buf),
		                     WMS_CAL_FIRST_YEAR, WMS_CAL_LAST_YEAR);
	*out = t;
	return 0;
}

/* Write v (>= 0) as exactly n decimal digits at p, without a terminator. */
static void put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

char *wms_time_format(wms_time t, char *buf)
{
	int off, y, mo, d, sod;
	wms_time local;
	wms_day day;

	t = clamp_time(t);
	off = wms_stockholm_offset(t);
	local = t + off;
	day = (wms_day)floor_div(local, SECS_PER_DAY);
	sod = (int)(local - (wms_time)day * SECS_PER_DAY);
	wms_date_to_ymd(day, &y, &mo, &d);
	if (y < 0 || y > 9999) {
		memcpy(buf, BAD_TIME_TEXT, 26);
		return buf;
	}
	/* The date as wms_date_format writes it, then the time by hand. */
	wms_date_format(day, buf);
	memcpy(buf + 10, "T00:00:00+00:00", 16);
	put_digits(buf + 11, sod / 3600, 2);
	put_digits(buf + 14, sod / 60 % 60, 2);
	put_digits(buf + 17, sod % 60, 2);
	put_digits(buf + 20, off / 3600, 2);
	return buf;
}

wms_time wms_now(void)
{
	const char *env = getenv("WMS_NOW");
	wms_time t = 0;

	if (env != NULL && *env != '\0' && wms_time_parse(env, &t, NULL) == 0)
		return t;
	return (wms_time)time(NULL);
}
