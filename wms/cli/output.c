/*
 * output.c - printing read models: JSON as it is with --json, otherwise a
 * table (arrays of objects) or "key: value" lines (objects).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static void scalar(const json_t *v, char *buf, size_t len)
{
	switch (json_typeof(v)) {
	case JSON_STRING:  snprintf(buf, len, "%s", json_string_value(v)); break;
	case JSON_INTEGER: snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
	case JSON_REAL:    snprintf(buf, len, "%.3f", json_real_value(v)); break;
	case JSON_TRUE:    snprintf(buf, len, "yes"); break;
	case JSON_FALSE:   snprintf(buf, len, "no"); break;
	case JSON_NULL:    snprintf(buf, len, "-"); break;
	default:           snprintf(buf, len, "[...]"); break;
	}
}

/* Display width of UTF-8 text: count the bytes that start a character. */
static int width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void table(FILE *f, json_t *rows)
{
	enum { MAXCOL = 24 };
	const char *keys[MAXCOL];
	int w[MAXCOL], ncol = 0;
	size_t i;
	json_t *row;
	const char *k;
	json_t *v;
	char buf[256];

	if (json_array_size(rows) == 0) {
		fprintf(f, "%s\n", _("(none)"));
		return;
	}
	json_object_foreach(json_array_get(rows, 0), k, v) {
		if (ncol == MAXCOL)
			break;
		keys[ncol] = k;
		w[ncol++] = width(k);
	}
	json_array_foreach(rows, i, row) {
		for (int c = 0; c < ncol; c++) {
			scalar(json_object_get(row, keys[c]), buf, sizeof buf);
			if (width(buf) > w[c])
				w[c] = width(buf);
		}
	}
	for (int c = 0; c < ncol; c++)
		fprintf(f, "%s%-*s", c ? "  " : "", w[c] + (int)strlen(keys[c]) - width(keys[c]), keys[c]);
	fputc('\n', f);
	json_array_foreach(rows, i, row) {
		for (int c = 0; c < ncol; c++) {
			scalar(json_object_get(row, keys[c]), buf, sizeof buf);
			fprintf(f, "%s%-*s", c ? "  " : "", w[c] + (int)strlen(buf) - width(buf), buf);
		}
		fputc('\n', f);
	}
}

static void object(FILE *f, json_t *obj)
{
	const char *k;
	json_t *v;
	char buf[512];

	json_object_foreach(obj, k, v) {
		if (json_is_array(v) || json_is_object(v))
			continue;
		scalar(v, buf, sizeof buf);
		fprintf(f, "%-14s %s\n", k, buf);
	}
	json_object_foreach(obj, k, v) {
		if (json_is_array(v)) {
			fprintf(f, "\n%s:\n", k);
			table(f, v);
		} else if (json_is_object(v)) {
			fprintf(f, "\n%s:\n", k);
			object(f, v);
		}
	}
}

void cli_print(const struct cli *c, json_t *value)
{
	if (c->json) {
		json_dumpf(value, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else if (json_is_array(value)) {
		table(stdout, value);
	} else {
		object(stdout, value);
	}
}

int cli_show(const struct cli *c, json_t *value, struct wms_error *err)
{
	if (value == NULL)
		return err->code ? err->code : WMS_EDB;
	cli_print(c, value);
	json_decref(value);
	return 0;
}
