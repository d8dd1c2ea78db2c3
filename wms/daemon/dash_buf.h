/*
 * dash_buf.h - a growing text buffer for the dashboard's HTML, SVG and CSV
 * (dash_*.c), with HTML and CSV escaping.  Out of memory is sticky: the
 * buffer remembers it and dash_buf_take() returns NULL.  Owned by the
 * dashboard (dash_*.c); nothing else uses it.
 */
#ifndef WMSD_DASH_BUF_H
#define WMSD_DASH_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct dash_buf {
	char *p;                /* NUL-terminated once anything was added */
	size_t len, cap;
	bool oom;
};

void dash_buf_printf(struct dash_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dash_buf_puts(struct dash_buf *b, const char *s);
/* s with & < > " ' escaped for HTML text and attribute values (NULL: nothing). */
void dash_buf_html(struct dash_buf *b, const char *s);
/* s as one CSV field: quoted when it holds , " CR or LF; a leading = + - @
 * gets a ' so that spreadsheets never run it as a formula. */
void dash_buf_csv(struct dash_buf *b, const char *s);
/* The text (malloc'd, the caller frees), or NULL after out of memory; b is emptied. */
char *dash_buf_take(struct dash_buf *b);
void dash_buf_free(struct dash_buf *b);

#endif
