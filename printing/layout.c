/*
 * layout.c - from template + field set to pages of positioned items.
 *
 * Everything both renderers must agree on happens here once: required
 * fields, "if FIELD" conditions, {field} substitution, {page}/{pages},
 * pagination of item tables, and validation of barcode data (Code 128 is
 * printable ASCII, GS1 strings are parsed and check-digit verified).  Item
 * coordinates stay in mm; each renderer converts to its own units.
 */
#include "label_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE128_MAX 80
#define TABLE_RULE_MM 0.3
#define ROW_RULE_MM 0.1

long label_dots(double mm, int dpi)
{
	return lround(mm * dpi / 25.4);
}

long label_module_dots(double mm, int dpi)
{
	long d = label_dots(mm, dpi);

	return d < 1 ? 1 : d;
}

int label_check_dpi(int dpi, struct wms_error *err)
{
	if (dpi != 203 && dpi != 300 && dpi != 600)
		return wms_error_set(err, WMS_EINVAL, "unsupported resolution %d dpi; allowed: "
				     "203, 300, 600", dpi);
	return 0;
}

struct sbuf {
	char *p;
	size_t n, cap;
};

static int sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *np;

		while (cap < b->n + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (np == NULL)
			return -1;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

int label_tpl_expand(const char *s, const struct label_fields *f, const struct label_fields *row,
		     int page, int pages, char **out, struct wms_error *err)
{
	struct sbuf b = { NULL, 0, 0 };
	const char *c = s;
	int rc = 0;

	*out = NULL;
	if (sb_add(&b, "", 0) < 0)
		goto nomem;
	while (*c) {
		const char *end, *v = NULL;
		char name[64], num[16];
		size_t n;

		if ((c[0] == '{' && c[1] == '{') || (c[0] == '}' && c[1] == '}')) {
			if (sb_add(&b, c, 1) < 0)
				goto nomem;
			c += 2;
			continue;
		}
		if (c[0] != '{') {
			n = strcspn(c, "{}");
			if (n == 0)
				n = 1;
			if (sb_add(&b, c, n) < 0)
				goto nomem;
			c += n;
			continue;
		}
		end = strchr(c, '}');
		n = end ? (size_t)(end - c - 1) : 0;
		if (end == NULL || n == 0 || n >= sizeof name) {
			rc = wms_error_set(err, WMS_EINVAL, "bad placeholder in \"%s\"", s);
			goto out;
		}
		memcpy(name, c + 1, n);
		name[n] = '\0';
		if (strcmp(name, "page") == 0 || strcmp(name, "pages") == 0) {
			snprintf(num, sizeof num, "%d", name[4] == 's' ? pages : page);
			v = num;
		} else if (row != NULL && label_kind_find_field(label_fields_kind(row), name, 1)) {
			v = label_fields_get(row, name);
		} else {
			v = label_fields_get(f, name);
		}
		if (v != NULL && sb_add(&b, v, strlen(v)) < 0)
			goto nomem;
		c = end + 1;
	}
	*out = b.p;
	b.p = NULL;
	goto out;
nomem:
	rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
out:
	free(b.p);
	return rc;
}

static int push(struct lo_page *pg, const struct lo_item *it, struct wms_error *err)
{
	if (pg->n == pg->cap) {
		size_t cap = pg->cap ? pg->cap * 2 : 32;
		struct lo_item *ni = realloc(pg->items, cap * sizeof *ni);

		if (ni == NULL)
			return wms_error_set(err, WMS_ENOMEM, "out of memory");
		pg->items = ni;
		pg->cap = cap;
	}
	pg->items[pg->n++] = *it;
	return 0;
}

/* Push a text item; takes ownership of text (freed on failure or if empty). */
static int push_text(struct lo_page *pg, double x, double y, double w, double h, int bold,
		     char *text, struct wms_error *err)
{
	struct lo_item it;
	int rc;

	if (text[0] == '\0') {
		free(text);
		return 0;
	}
	memset(&it, 0, sizeof it);
	it.type = LO_TEXT;
	it.x = x;
	it.y = y;
	it.w = w;
	it.h = h;
	it.bold = bold;
	it.data = text;
	rc = push(pg, &it, err);
	if (rc < 0)
		free(text);
	return rc;
}

static int push_fill(struct lo_page *pg, double x, double y, double w, double h,
		     struct wms_error *err)
{
	struct lo_item it;

	memset(&it, 0, sizeof it);
	it.type = LO_FILL;
	it.x = x;
	it.y = y;
	it.w = w;
	it.h = h;
	return push(pg, &it, err);
}

static int code128_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > CODE128_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	return 1;
}

static int lay_elem(const struct label_template *t, const struct tpl_elem *e,
		    const struct label_fields *f, int page, int pages, struct lo_page *pg,
		    struct wms_error *err)
{
	struct wms_error inner;
	struct lo_item it;
	char *s = NULL;
	int rc = 0;

	if (e->cond != NULL) {
		const char *v = label_fields_get(f, e->cond);

		if (v == NULL || v[0] == '\0')
			return 0;
	}
	memset(&it, 0, sizeof it);
	it.x = e->x;
	it.y = e->y;
	it.w = e->w;
	it.h = e->h;
	it.t = e->t;
	it.module = e->module;
	it.bold = e->bold;
	if (e->str != NULL && (rc = label_tpl_expand(e->str, f, NULL, page, pages, &s, err)) < 0)
		goto out;
	wms_error_clear(&inner);
	switch (e->type) {
	case TPL_TEXT:
		rc = push_text(pg, e->x, e->y, e->w, e->h, e->bold, s, err);
		s = NULL;
		goto out;
	case TPL_CODE128:
		if (!code128_ok(s)) {
			rc = wms_error_set(err, WMS_EINVAL, "%s:%d: Code 128 data \"%s\" must be 1-%d "
					   "printable ASCII characters", t->name, e->line, s,
					   CODE128_MAX);
			goto out;
		}
		it.type = LO_CODE128;
		it.data = s;
		s = NULL;
		break;
	case TPL_GS1_128:
	case TPL_DM_GS1:
		rc = label_gs1_parse(s, &it.gs1, &inner);
		if (rc < 0) {
			rc = wms_error_set(err, rc, "%s:%d: %s", t->name, e->line, inner.msg);
			goto out;
		}
		it.type = e->type == TPL_GS1_128 ? LO_GS1_128 : LO_DM_GS1;
		break;
	case TPL_LINE:
		it.type = LO_FILL;
		break;
	case TPL_BOX:
		it.type = LO_BOX;
		break;
	}
	rc = push(pg, &it, err);
	if (rc < 0)
		free(it.data);
out:
	free(s);
	return rc;
}

/* Room for column c's text: up to the next column (1.5 mm gap) or the margin. */
static double colw(const struct label_template *t, size_t c)
{
	double end = t->w_mm - t->tbl_x;

	if (c + 1 < t->ncols && t->cols[c + 1].x > t->cols[c].x)
		end = t->cols[c + 1].x - 1.5;
	return end > t->cols[c].x + 1 ? end - t->cols[c].x : 1;
}

/* A row's barcode (column-code128): bars 70% of the row high, centred;
 * takes s. */
static int push_code128(struct lo_page *pg, const struct label_template *t,
			const struct tpl_column *col, double y, char *s, struct wms_error *err)
{
	struct lo_item it;
	int rc;

	if (!code128_ok(s)) {
		rc = wms_error_set(err, WMS_EINVAL, "%s:%d: Code 128 data \"%s\" must be 1-%d "
				   "printable ASCII characters", t->name, col->line, s, CODE128_MAX);
		free(s);
		return rc;
	}
	memset(&it, 0, sizeof it);
	it.type = LO_CODE128;
	it.x = col->x;
	it.y = y + t->tbl_rowh * 0.15;
	it.h = t->tbl_rowh * 0.7;
	it.module = col->module;
	it.data = s;
	if ((rc = push(pg, &it, err)) < 0)
		free(s);
	return rc;
}

static int lay_table(const struct label_template *t, const struct label_fields *f, size_t first,
		     size_t count, int page, int pages, struct lo_page *pg,
		     struct wms_error *err)
{
	double pad = (t->tbl_rowh - t->tbl_texth) / 2, width = t->w_mm - 2 * t->tbl_x;
	size_t i, c;
	int rc;

	for (c = 0; c < t->ncols; c++) {
		char *s;

		if ((rc = label_tpl_expand(t->cols[c].header, f, NULL, page, pages, &s, err)) < 0 ||
		    (rc = push_text(pg, t->cols[c].x, t->tbl_y + pad, colw(t, c), t->tbl_texth, 1, s,
				       err)) < 0)
			return rc;
	}
	rc = push_fill(pg, t->tbl_x, t->tbl_y + t->tbl_rowh - TABLE_RULE_MM, width, TABLE_RULE_MM,
		       err);
	for (i = 0; rc == 0 && i < count; i++) {
		const struct label_fields *row = label_fields_row(f, first + i);
		double y = t->tbl_y + t->tbl_rowh * (double)(i + 1);

		for (c = 0; rc == 0 && c < t->ncols; c++) {
			char *s;

			rc = label_tpl_expand(t->cols[c].str, f, row, page, pages, &s, err);
			if (rc == 0 && t->cols[c].module > 0)
				rc = push_code128(pg, t, &t->cols[c], y, s, err);
			else if (rc == 0)
				rc = push_text(pg, t->cols[c].x, y + pad, colw(t, c), t->tbl_texth, 0,
					       s, err);
		}
		if (rc == 0)
			rc = push_fill(pg, t->tbl_x, y + t->tbl_rowh - ROW_RULE_MM, width,
				       ROW_RULE_MM, err);
	}
	return rc;
}

int label_layout(const struct label_template *t, const struct label_fields *f,
		 struct lo_doc **out, struct wms_error *err)
{
	struct lo_doc *doc = NULL;
	size_t nrows, per_page = 0, p, i;
	int rc;

	*out = NULL;
	if (t == NULL || f == NULL)
		return wms_error_set(err, WMS_EINVAL, "label_layout: NULL argument");
	if (label_fields_kind(f) != t->kind)
		return wms_error_set(err, WMS_EINVAL, "template %s is for %s labels, not %s",
				     t->name, label_kind_name(t->kind),
				     label_kind_name(label_fields_kind(f)));
	if ((rc = label_fields_check(f, err)) < 0)
		return rc;
	nrows = label_fields_row_count(f);
	if (nrows > 0 && !t->has_table)
		return wms_error_set(err, WMS_EINVAL, "template %s has no table for %zu item rows",
				     t->name, nrows);
	doc = calloc(1, sizeof *doc);
	if (doc == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	doc->w_mm = t->w_mm;
	doc->h_mm = t->h_mm;
	doc->npages = 1;
	if (t->has_table) {
		per_page = (size_t)floor((t->tbl_bottom - t->tbl_y - t->tbl_rowh) / t->tbl_rowh + 1e-9);
		if (nrows > per_page)
			doc->npages = (nrows + per_page - 1) / per_page;
	}
	doc->pages = calloc(doc->npages, sizeof *doc->pages);
	if (doc->pages == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	for (p = 0; p < doc->npages; p++) {
		for (i = 0; i < t->nelems; i++) {
			rc = lay_elem(t, &t->elems[i], f, (int)p + 1, (int)doc->npages,
				      &doc->pages[p], err);
			if (rc < 0)
				goto out;
		}
		if (t->has_table) {
			size_t first = p * per_page;
			size_t count = nrows - first < per_page ? nrows - first : per_page;

			rc = lay_table(t, f, first, count, (int)p + 1, (int)doc->npages,
				       &doc->pages[p], err);
			if (rc < 0)
				goto out;
		}
	}
	*out = doc;
	doc = NULL;
out:
	label_layout_free(doc);
	return rc;
}

void label_layout_free(struct lo_doc *doc)
{
	size_t p, i;

	if (doc == NULL)
		return;
	for (p = 0; p < doc->npages && doc->pages; p++) {
		for (i = 0; i < doc->pages[p].n; i++)
			free(doc->pages[p].items[i].data);
		free(doc->pages[p].items);
	}
	free(doc->pages);
	free(doc);
}
