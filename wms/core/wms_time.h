/*
 * wms_time.h - instants in UTC and their Stockholm wall-clock reading.
 *
 * The ledger stores instants as UTC seconds since the epoch.  Working days and
 * cut-off times are judged in Europe/Stockholm, whose offset is computed from
 * the EU rule (CET +01:00; CEST +02:00 from the last Sunday of March 01:00 UTC
 * to the last Sunday of October 01:00 UTC), not read from the process's TZ,
 * so results never depend on the machine's time-zone settings.
 */
#ifndef WMS_TIME_H
#define WMS_TIME_H

#include <stdint.h>

#include "wms_calendar.h"
#include "wms_error.h"

typedef int64_t wms_time;   /* seconds since 1970-01-01T00:00:00Z */

/* Current time.  If the environment variable WMS_NOW holds an instant in the
 * format of wms_time_parse, that is returned instead (tests, demos). */
wms_time wms_now(void);

/* Offset of Stockholm local time from UTC at instant t, in seconds (3600 or 7200). */
int wms_stockholm_offset(wms_time t);

/* The Stockholm local date of t; if minute_of_day is not NULL it receives the
 * local minutes since midnight (0..1439). */
wms_day wms_local_day(wms_time t, int *minute_of_day);

/* The instant at which Stockholm wall clocks show day d, minute_of_day.  For a
 * wall time that does not exist (spring forward gap) the later offset is used;
 * for an ambiguous one (autumn) the earlier instant. */
wms_time wms_local_to_utc(wms_day d, int minute_of_day);

/*
 * Parse an instant: "YYYY-MM-DD" (local midnight), "YYYY-MM-DDTHH:MM[:SS]"
 * or with a space instead of T (Stockholm local time), optionally followed by
 * "Z" or "+HH:MM"/"-HH:MM" (explicit offset).  Strict: trailing text, bad
 * fields and dates outside the calendar range are refused with a message.
 */
int wms_time_parse(const char *text, wms_time *out, struct wms_error *err);

/* Format t as Stockholm local "YYYY-MM-DDTHH:MM:SS+HH:MM" into buf (>= 26 bytes). */
char *wms_time_format(wms_time t, char *buf);

#endif
