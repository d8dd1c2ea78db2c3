/*
 * dash_buf.c - the dashboard's growing text buffer (dash_buf.h).
 */
#include "dash_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(struct dash_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *p;

	if (b->oom)
		return false;
	while (cap < b->len + more + 1)
		cap *= 2;
	if (cap == b->cap)
		return true;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

static void put(struct dash_buf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void dash_buf_printf(struct dash_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void dash_buf_puts(struct dash_buf *b, const char *s)
{
	if (s)
		put(b, s, strlen(s));
}

void dash_buf_html(struct dash_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':  put(b, "&amp;", 5); break;
		case '<':  put(b, "&lt;", 4); break;
		case '>':  put(b, "&gt;", 4); break;
		case '"':  put(b, "&quot;", 6); break;
		case '\'': put(b, "&#39;", 5); break;
		default:   put(b, s, 1); break;
		}
	}
}

void dash_buf_csv(struct dash_buf *b, const char *s)
{
	bool formula, quote;

	if (s == NULL)
		return;
	formula = strchr("=+-@", s[0]) != NULL && s[0] != '\0';
	quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		put(b, "\"", 1);
	if (formula)
		put(b, "'", 1);
	for (; *s; s++) {
		if (*s == '"')
			put(b, "\"", 1);
		put(b, s, 1);
	}
	if (quote)
		put(b, "\"", 1);
}

char *dash_buf_take(struct dash_buf *b)
{
	char *p = NULL;

	if (!b->oom && reserve(b, 0)) {
		p = b->p;
		p[b->len] = '\0';
		b->p = NULL;
	}
	dash_buf_free(b);
	return p;
}

void dash_buf_free(struct dash_buf *b)
{
	free(b->p);
	*b = (struct dash_buf){ 0 };
}
