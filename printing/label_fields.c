/*
 * label_fields.c - a label's field set: named UTF-8 values checked against
 * the kind's field table, plus item rows for the list documents.
 *
 * Values are validated on entry (UTF-8, no control characters, bounded
 * length), so the renderers never see bytes that could break a ZPL stream
 * or a cairo text run.
 */
#include "label_internal.h"

#include <stdlib.h>
#include <string.h>

struct label_fields {
	enum label_kind kind;
	int is_row;
	const char **names;    /* point into the static kind table */
	char **values;
	size_t n, cap;
	struct label_fields **rows;
	size_t nrows, rowcap;
};

static int fields_alloc(enum label_kind kind, int is_row, struct label_fields **out,
			struct wms_error *err)
{
	struct label_fields *f;

	*out = NULL;
	if (label_kind_def(kind) == NULL)
		return wms_error_set(err, WMS_EINVAL, "bad label kind %d", (int)kind);
	f = calloc(1, sizeof *f);
	if (f == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	f->kind = kind;
	f->is_row = is_row;
	*out = f;
	return 0;
}

int label_fields_new(enum label_kind kind, struct label_fields **out, struct wms_error *err)
{
	return fields_alloc(kind, 0, out, err);
}

void label_fields_free(struct label_fields *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		free(f->values[i]);
	for (i = 0; i < f->nrows; i++)
		label_fields_free(f->rows[i]);
	free(f->names);
	free(f->values);
	free(f->rows);
	free(f);
}

enum label_kind label_fields_kind(const struct label_fields *f)
{
	return f->kind;
}

/* Valid UTF-8 (no overlongs, no surrogates), no C0/DEL/C1 control characters. */
static int value_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned cp;
		int extra, i;

		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			cp = *p & 0x1f;
			extra = 1;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = *p & 0x0f;
			extra = 2;
		} else if ((*p & 0xf8) == 0xf0) {
			cp = *p & 0x07;
			extra = 3;
		} else {
			return 0;
		}
		for (i = 1; i <= extra; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
		    (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
			return 0;
		p += extra + 1;
	}
	return 1;
}

int label_fields_set(struct label_fields *f, const char *name, const char *value,
		     struct wms_error *err)
{
	const struct label_field_def *def;
	char *copy;
	size_t i;

	if (f == NULL || name == NULL || value == NULL)
		return wms_error_set(err, WMS_EINVAL, "label_fields_set: NULL argument");
	def = label_kind_find_field(f->kind, name, f->is_row);
	if (def == NULL) {
		if (f->is_row)
			return wms_error_set(err, WMS_EINVAL,
					     "unknown row field '%s' for %s; known: %s", name,
					     label_kind_name(f->kind), label_kind_field_list(f->kind));
		return wms_error_set(err, WMS_EINVAL, "unknown field '%s' for %s label; known: %s",
				     name, label_kind_name(f->kind), label_kind_field_list(f->kind));
	}
	if (strlen(value) > LABEL_VALUE_MAX)
		return wms_error_set(err, WMS_EINVAL, "field '%s': value longer than %d bytes",
				     name, LABEL_VALUE_MAX);
	if (!value_ok(value))
		return wms_error_set(err, WMS_EINVAL,
				     "field '%s': not valid UTF-8 or contains a control character",
				     name);
	copy = strdup(value);
	if (copy == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	for (i = 0; i < f->n; i++) {
		if (f->names[i] == def->name) {
			free(f->values[i]);
			f->values[i] = copy;
			return 0;
		}
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		const char **nn = realloc(f->names, cap * sizeof *nn);
		char **nv;

		if (nn == NULL)
			goto nomem;
		f->names = nn;
		nv = realloc(f->values, cap * sizeof *nv);
		if (nv == NULL)
			goto nomem;
		f->values = nv;
		f->cap = cap;
	}
	f->names[f->n] = def->name;
	f->values[f->n] = copy;
	f->n++;
	return 0;
nomem:
	free(copy);
	return wms_error_set(err, WMS_ENOMEM, "out of memory");
}

const char *label_fields_get(const struct label_fields *f, const char *name)
{
	const struct label_field_def *def;
	size_t i;

	if (f == NULL || name == NULL)
		return NULL;
	def = label_kind_find_field(f->kind, name, f->is_row);
	if (def == NULL)
		return NULL;
	for (i = 0; i < f->n; i++)
		if (f->names[i] == def->name)
			return f->values[i];
	return def->def;
}

int label_fields_add_row(struct label_fields *f, struct label_fields **row,
			 struct wms_error *err)
{
	struct label_fields *r;
	int rc;

	*row = NULL;
	if (f->is_row || !label_kind_has_rows(f->kind))
		return wms_error_set(err, WMS_EUNSUPP, "a %s label has no item rows",
				     label_kind_name(f->kind));
	if (f->nrows == f->rowcap) {
		size_t cap = f->rowcap ? f->rowcap * 2 : 16;
		struct label_fields **nr = realloc(f->rows, cap * sizeof *nr);

		if (nr == NULL)
			return wms_error_set(err, WMS_ENOMEM, "out of memory");
		f->rows = nr;
		f->rowcap = cap;
	}
	rc = fields_alloc(f->kind, 1, &r, err);
	if (rc < 0)
		return rc;
	f->rows[f->nrows++] = r;
	*row = r;
	return 0;
}

size_t label_fields_row_count(const struct label_fields *f)
{
	return f ? f->nrows : 0;
}

const struct label_fields *label_fields_row(const struct label_fields *f, size_t i)
{
	return (f && i < f->nrows) ? f->rows[i] : NULL;
}

static int check_one(const struct label_fields *f, size_t rowno, struct wms_error *err)
{
	const struct label_kind_def *k = label_kind_def(f->kind);
	const struct label_field_def *defs = f->is_row ? k->rows : k->fields;
	size_t n = f->is_row ? k->nrows : k->nfields, i;

	for (i = 0; i < n; i++) {
		const char *v;

		if (!defs[i].required)
			continue;
		v = label_fields_get(f, defs[i].name);
		if (v != NULL && v[0] != '\0')
			continue;
		if (f->is_row)
			return wms_error_set(err, WMS_EINVAL,
					     "missing required field '%s' in row %zu of %s",
					     defs[i].name, rowno + 1, k->name);
		return wms_error_set(err, WMS_EINVAL, "missing required field '%s' for %s label",
				     defs[i].name, k->name);
	}
	return 0;
}

int label_fields_check(const struct label_fields *f, struct wms_error *err)
{
	size_t i;
	int rc;

	if (f == NULL)
		return wms_error_set(err, WMS_EINVAL, "no label fields");
	rc = check_one(f, 0, err);
	for (i = 0; rc == 0 && i < f->nrows; i++)
		rc = check_one(f->rows[i], i, err);
	return rc;
}
