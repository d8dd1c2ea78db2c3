/*
 * zpl.c - ZPL II output (see label_zpl.h for what is guaranteed).
 *
 * One command per line for readable jobs and diffable golden files; Zebra
 * printers ignore the line breaks between commands.
 */
#include "label_zpl.h"
#include "label_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct zbuf {
	char *p;
	size_t n, cap;
	int failed;
};

static void zb_printf(struct zbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void zb_reserve(struct zbuf *b, size_t more)
{
	size_t cap;
	char *np;

	if (b->failed || b->n + more + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 1024;
	while (cap < b->n + more + 1)
		cap *= 2;
	np = realloc(b->p, cap);
	if (np == NULL) {
		b->failed = 1;
		return;
	}
	b->p = np;
	b->cap = cap;
}

static void zb_printf(struct zbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	zb_reserve(b, (size_t)n);
	if (b->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

/*
 * Field data under ^FH: ^ ~ and the escape character _ itself as hex.
 * code128 = 1 also doubles '>' as "><", the literal '>' of ^BC mode N.
 */
static void zb_data(struct zbuf *b, const char *s, int code128)
{
	for (; *s; s++) {
		switch (*s) {
		case '^': zb_printf(b, "_5E"); break;
		case '~': zb_printf(b, "_7E"); break;
		case '_': zb_printf(b, "_5F"); break;
		case '>':
			zb_printf(b, code128 ? "><" : ">");
			break;
		default:
			zb_printf(b, "%c", *s);
			break;
		}
	}
}

/* Subset C (>;) packs an even run of digits two to a symbol; else subset B (>:). */
static int digits_even(const char *s)
{
	size_t n = strlen(s);

	return n >= 4 && n % 2 == 0 && strspn(s, "0123456789") == n;
}

static int all_digits_even(const struct label_gs1 *g)
{
	size_t i, j, run = 0;

	for (i = 0; i < g->n; i++) {
		const struct label_gs1_el *e = &g->el[i];

		for (j = 0; e->ai[j]; j++)
			run++;
		for (j = 0; e->value[j]; j++) {
			if (e->value[j] < '0' || e->value[j] > '9')
				return 0;
			run++;
		}
		if (e->variable || i + 1 == g->n) {
			if (run % 2)
				return 0;
			run = 0;
		}
	}
	return 1;
}

/* GS1 data with FNC1 written as fnc (">8" for ^BC, "_7E1" = ~1 for ^BX). */
static void zb_gs1(struct zbuf *b, const struct label_gs1 *g, const char *fnc, int code128)
{
	size_t i;

	zb_printf(b, "%s", fnc);
	for (i = 0; i < g->n; i++) {
		zb_printf(b, "%s", g->el[i].ai);
		zb_data(b, g->el[i].value, code128);
		if (g->el[i].variable && i + 1 < g->n)
			zb_printf(b, "%s", fnc);
	}
}

/*
 * Character width for ^A0: the height, or narrower when the text would not
 * fit its max width.  ^A0 averages about 0.55 h per character; count UTF-8
 * characters, not bytes.
 */
static long text_width(const struct lo_item *it, int dpi, long h)
{
	const unsigned char *c;
	double est, maxw;
	long n = 0, w;

	if (it->w <= 0)
		return h;
	for (c = (const unsigned char *)it->data; *c; c++)
		n += (*c & 0xc0) != 0x80;
	est = (double)n * 0.55 * (double)h;
	maxw = (double)label_dots(it->w, dpi);
	if (est <= maxw)
		return h;
	w = (long)((double)h * maxw / est);
	return w < 1 ? 1 : w;
}

static void zb_item(struct zbuf *b, const struct lo_item *it, int dpi)
{
	long x = label_dots(it->x, dpi), y = label_dots(it->y, dpi);
	long w = label_dots(it->w, dpi), h = label_dots(it->h, dpi);
	long t = label_dots(it->t, dpi);

	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	if (t < 1)
		t = 1;
	zb_printf(b, "^FO%ld,%ld", x, y);
	switch (it->type) {
	case LO_TEXT:
		zb_printf(b, "^A0N,%ld,%ld^FH^FD", h, text_width(it, dpi, h));
		zb_data(b, it->data, 0);
		break;
	case LO_CODE128:
		zb_printf(b, "^BY%ld^BCN,%ld,N,N,N,N^FH^FD%s", label_module_dots(it->module, dpi), h,
			  digits_even(it->data) ? ">;" : ">:");
		zb_data(b, it->data, 1);
		break;
	case LO_GS1_128:
		zb_printf(b, "^BY%ld^BCN,%ld,N,N,N,N^FH^FD%s", label_module_dots(it->module, dpi), h,
			  all_digits_even(&it->gs1) ? ">;" : ">:");
		zb_gs1(b, &it->gs1, ">8", 1);
		break;
	case LO_DM_GS1:
		zb_printf(b, "^BXN,%ld,200,0,0,6,~^FH^FD", label_module_dots(it->module, dpi));
		zb_gs1(b, &it->gs1, "_7E1", 0);
		break;
	case LO_FILL:
		zb_printf(b, "^GB%ld,%ld,%ld", w, h, w < h ? w : h);
		break;
	case LO_BOX:
		zb_printf(b, "^GB%ld,%ld,%ld", w, h, t);
		break;
	}
	zb_printf(b, "^FS\n");
}

int label_zpl_render(const struct label_template *t, const struct label_fields *f, int dpi,
		     char **out, size_t *len, struct wms_error *err)
{
	struct zbuf b = { NULL, 0, 0, 0 };
	struct lo_doc *doc = NULL;
	size_t p, i;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = label_check_dpi(dpi, err)) < 0 || (rc = label_layout(t, f, &doc, err)) < 0)
		goto out;
	for (p = 0; p < doc->npages; p++) {
		zb_printf(&b, "^XA\n^CI28\n^PW%ld\n^LL%ld\n^LH0,0\n", label_dots(doc->w_mm, dpi),
			  label_dots(doc->h_mm, dpi));
		for (i = 0; i < doc->pages[p].n; i++)
			zb_item(&b, &doc->pages[p].items[i], dpi);
		zb_printf(&b, "^XZ\n");
	}
	if (b.failed) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	*out = b.p;
	*len = b.n;
	b.p = NULL;
out:
	free(b.p);
	label_layout_free(doc);
	return rc;
}
