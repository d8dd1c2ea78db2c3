/*
 * csv.c - the CSV record reader (see wms_csv.h).
 *
 * A bad record is read to its end before it is reported, so that one broken
 * line (a stray quote, bad UTF-8, too many fields) costs that line only.  The
 * one exception is an unterminated quote, which runs to the end of the text.
 */
#include "wms_progress.h"
#include "wms_csv.h"

#include <stdbool.h>
#include <string.h>

int wms_csv_text_ok(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s, *e = u + len;

	while (u < e) {
		unsigned c = *u;
		size_t need;
		unsigned cp, min;
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				return 0;
			u++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; min = 0x80; }
		else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; min = 0x800; }
		else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; min = 0x10000; }
		else return 0;
		if ((size_t)(e - u) <= need)
			return 0;
		for (size_t i = 1; i <= need; i++) {
			if ((u[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (u[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		u += need + 1;
	}
	return 1;
}

void wms_csv_init(struct wms_csv *r, const char *text, size_t len, char sep)
{
	r->start = r->p = text;
	r->end = text + len;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		r->p += 3;
	r->sep = sep;
	r->line = 1;
	r->record_line = 0;
	r->buf[0] = '\0';
}

/* The separator of the first record: the more frequent of ';' and ',' outside quotes. */
static char detect_sep(const char *p, const char *end)
{
	size_t semi = 0, comma = 0;
	bool quoted = false;

	for (; p < end && (quoted || *p != '\n'); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == ';')
			semi++;
		else if (!quoted && *p == ',')
			comma++;
	}
	return comma > semi ? ',' : ';';
}

int wms_csv_next(struct wms_csv *r, const char **fields, int *n, struct wms_error *err)
{
	const char *bad = NULL;
	size_t used = 0;
	int nf = 0;

	wms_progress(r->p - r->start, r->end - r->start);   /* every CSV import's progress */
	*n = 0;
	/* skip empty lines */
	for (;;) {
		if (r->p < r->end && *r->p == '\n') {
			r->p++;
			r->line++;
		} else if (r->end - r->p >= 2 && r->p[0] == '\r' && r->p[1] == '\n') {
			r->p += 2;
			r->line++;
		} else {
			break;
		}
	}
	if (r->p >= r->end)
		return 0;
	r->record_line = r->line;
	if (r->sep == 0)
		r->sep = detect_sep(r->p, r->end);
	for (;;) {
		size_t start = used;
		if (nf == WMS_CSV_MAX_FIELDS && !bad)
			bad = "more than 32 fields";
		if (r->p < r->end && *r->p == '"') {
			r->p++;
			for (;;) {
				char c;
				if (r->p >= r->end)
					return wms_error_set(err, WMS_EINVAL,
					                     "line %ld: a quoted field is not closed (a lone \" runs to the end of "
					                     "the file); write a quote inside quotes as \"\"", r->record_line);
				c = *r->p;
				if (c == '"') {
					if (r->end - r->p >= 2 && r->p[1] == '"') {
						r->p += 2;
					} else {
						r->p++;
						break;
					}
				} else if (c == '\r' && r->end - r->p >= 2 && r->p[1] == '\n') {
					r->p++;    /* a CRLF inside quotes is kept as LF */
					continue;
				} else {
					r->p++;
					if (c == '\n')
						r->line++;
				}
				if (used < WMS_CSV_MAX_RECORD)
					r->buf[used++] = c;
				else if (!bad)
					bad = "record longer than 65536 bytes";
			}
			if (r->p < r->end && *r->p != r->sep && *r->p != '\n' &&
			    !(*r->p == '\r' && r->end - r->p >= 2 && r->p[1] == '\n')) {
				if (!bad)
					bad = "text after a closing quote; quote the whole field";
				while (r->p < r->end && *r->p != r->sep && *r->p != '\n')
					r->p++;
			}
		} else {
			while (r->p < r->end && *r->p != r->sep && *r->p != '\n') {
				if (*r->p == '"' && !bad)
					bad = "a quote inside an unquoted field; quote the whole field and double the quote";
				if (used < WMS_CSV_MAX_RECORD)
					r->buf[used++] = *r->p;
				else if (!bad)
					bad = "record longer than 65536 bytes";
				r->p++;
			}
			if (used > start && r->buf[used - 1] == '\r' && (r->p >= r->end || *r->p == '\n'))
				used--;
		}
		if (!bad && !wms_csv_text_ok(r->buf + start, used - start))
			bad = "not valid UTF-8 text (or a control character); save the file as UTF-8";
		if (nf < WMS_CSV_MAX_FIELDS) {
			r->buf[used++] = '\0';
			fields[nf++] = r->buf + start;
		} else {
			used = start;
		}
		if (r->p < r->end && *r->p == r->sep) {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '\r')
			r->p++;
		if (r->p < r->end && *r->p == '\n') {
			r->p++;
			r->line++;
		}
		break;
	}
	if (bad)
		return wms_error_set(err, WMS_EINVAL, "line %ld: %s", r->record_line, bad);
	*n = nf;
	return 1;
}
