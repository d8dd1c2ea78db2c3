/*
 * wms_csv.h - a strict reader of CSV text as exported by ordering systems
 * and spreadsheets (RFC 4180 with the habits of Swedish Excel).
 *
 * One record at a time from a buffer the caller keeps alive: ';' or ','
 * separated (detected from the header line unless given), fields optionally
 * in double quotes ("" inside quotes is one quote, quoted fields may span
 * lines), CRLF or LF line ends, a UTF-8 byte-order mark at the start is
 * skipped.  Every field must be valid UTF-8 without control characters
 * (tab and, in a quoted field, line feed excepted).  A bad record is reported with its line number and skipped,
 * so the caller can go on with the next one.
 */
#ifndef WMS_CSV_H
#define WMS_CSV_H

#include <stddef.h>

#include "wms_error.h"

#define WMS_CSV_MAX_FIELDS 32
#define WMS_CSV_MAX_RECORD 65536    /* bytes of one record's field text */

/* A reader; fill it with wms_csv_init, no cleanup needed (no heap). */
struct wms_csv {
	const char *start;              /* borrowed: the text (progress: wms_progress.h) */
	const char *p, *end;            /* borrowed: the unread rest of the text */
	char sep;                       /* ';' or ',' (0 until detected) */
	long line;                      /* the next record starts on this line (1-based) */
	long record_line;               /* the line the last record (or bad record) started on */
	char buf[WMS_CSV_MAX_RECORD + WMS_CSV_MAX_FIELDS];   /* fields of the last record */
};

/* Start reading len bytes of text (borrowed until reading ends); sep 0 = detect. */
void wms_csv_init(struct wms_csv *r, const char *text, size_t len, char sep);

/*
 * Read the next record into fields[0..*n-1] (NUL-terminated, owned by r,
 * valid until the next call).  Empty lines are skipped.  Returns 1 for a
 * record, 0 at the end of the text, or WMS_EINVAL for a bad record (message
 * "line N: what is wrong; what is allowed" in err; the record is skipped and
 * the next call reads on after it).  r->record_line is the record's line.
 */
int wms_csv_next(struct wms_csv *r, const char **fields, int *n, struct wms_error *err);

/* Valid UTF-8 (no overlongs, no surrogates) of len bytes with no control
 * characters except tab and line feed. */
int wms_csv_text_ok(const char *s, size_t len);

#endif
