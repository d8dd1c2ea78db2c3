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
 * format of wms_time_parse, that is returned instead (tests, demos).  An empty
 * or unparsable WMS_NOW is ignored (the real clock is used), since this
 * function has no error path: a main() that honours WMS_NOW should check it
 * once with wms_time_parse at start and report the error. */
wms_time wms_now(void);

/* Offset of Stockholm local time from UTC at instant t, in seconds (3600 or 7200). */
int wms_stockholm_offset(wms_time t);

/* The Stockholm local date of t; if minute_of_day is not NULL it receives the
 * local minutes since midnight (0..1439). */
wms_day wms_local_day(wms_time t, int *minute_of_day);

/* The instant at which Stockholm wall clocks show day d, minute_of_day.  For a
 * wall time that does not exist (spring forward gap) the later offset is used;
 * for an ambiguous one (autumn) the earlier instant.  Both resolve to +02:00:
 * 2026-03-29 02:30 gives 00:30Z (which clocks show as 01:30+01:00), and
 * 2026-10-25 02:30 gives 00:30Z (the first of the two 02:30s).
 * minute_of_day is normally 0..1439; other values count on from midnight. */
wms_time wms_local_to_utc(wms_day d, int minute_of_day);

/*
 * Parse an instant: "YYYY-MM-DD" (local midnight), "YYYY-MM-DDTHH:MM[:SS]"
 * or with a space instead of T (Stockholm local time), optionally followed by
 * "Z" or "+HH:MM"/"-HH:MM" (explicit offset).  Strict: trailing text, bad
 * fields and dates outside the calendar range are refused with a message.
 * Details: an offset needs a time ("2026-11-23Z" is refused); hours 00..23,
 * minutes and seconds 00..59 (no leap second, no fraction); offsets up to
 * +-23:59; upper-case T and Z only.  Both the written date and the
 * instant's Stockholm day must be inside the calendar range, so that
 * wms_local_day() of a parsed instant may always be given to the calendar.
 * Errors are WMS_EINVAL; *out is left alone on failure.
 */
int wms_time_parse(const char *text, wms_time *out, struct wms_error *err);

/* Format t as Stockholm local "YYYY-MM-DDTHH:MM:SS+HH:MM" into buf (>= 26 bytes),
 * e.g. "2026-11-23T14:05:00+01:00"; returns buf.  Within the calendar range
 * wms_time_parse reads it back to t exactly.  For a year outside 0000..9999
 * every digit is a question mark. */
char *wms_time_format(wms_time t, char *buf);

#endif
