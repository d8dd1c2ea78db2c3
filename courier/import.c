/*
 * import.c - reading, splitting and counting the courier room's file
 * imports (see courier_import.h).
 */
#include "courier_import.h"

#include "wms_csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int courier_read_file(const char *path, char **text, size_t *len, struct wms_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	*text = NULL;
	*len = 0;
	if (f == NULL)
		return wms_error_set(err, WMS_EIO, "cannot read %s: %s", path, strerror(errno));
	for (;;) {
		size_t got;
		if (n + 1 >= cap) {
			char *p;
			if (cap >= (size_t)COURIER_IMPORT_MAX) {
				rc = wms_error_set(err, WMS_EINVAL, "%s is larger than %ld MiB", path,
				                   COURIER_IMPORT_MAX >> 20);
				goto out;
			}
			cap = cap ? cap * 2 : 65536;
			if ((p = realloc(buf, cap)) == NULL) {
				rc = wms_error_set(err, WMS_ENOMEM, "out of memory reading %s", path);
				goto out;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = wms_error_set(err, WMS_EIO, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	fclose(f);
	return rc;
}

int courier_import_count(struct courier_import_report *rep, long line, int r,
                         const struct wms_error *e, struct wms_error *err)
{
	json_t *p;
	const char *msg = e->msg;
	char prefix[32];
	int n = snprintf(prefix, sizeof prefix, "line %ld: ", line);

	switch (r) {
	case COURIER_LINE_ADDED:     rep->added++; return 0;
	case COURIER_LINE_UPDATED:   rep->updated++; return 0;
	case COURIER_LINE_UNCHANGED: rep->unchanged++; return 0;
	case COURIER_LINE_SKIPPED:   return 0;
	case WMS_EINVAL: case WMS_ENOTFOUND: case WMS_EEXIST: case WMS_ESTATE:
		break;
	default:
		return wms_error_set(err, r < 0 ? r : WMS_EINVAL, "line %ld: %s", line, e->msg);
	}
	if (strncmp(msg, prefix, (size_t)n) == 0)     /* the CSV reader names the line itself */
		msg += n;
	rep->bad++;
	p = json_pack("{s:I, s:s}", "line", (json_int_t)line, "error", msg);
	if (p == NULL || json_array_append_new(rep->problems, p) != 0)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	return 0;
}

int courier_import_csv(const char *text, size_t len, courier_record_fn fn, void *ctx,
                       struct courier_import_report *rep, struct wms_error *err)
{
	struct wms_csv *r = malloc(sizeof *r);
	const char *fields[WMS_CSV_MAX_FIELDS];
	int n, got, rc = 0;

	memset(rep, 0, sizeof *rep);
	if (r == NULL || (rep->problems = json_array()) == NULL) {
		free(r);
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	}
	wms_csv_init(r, text, len, ',');
	for (;;) {
		struct wms_error e = { 0 };
		got = wms_csv_next(r, fields, &n, &e);
		if (got == 0)
			break;
		if (got == 1)
			got = fn(ctx, r->record_line, fields, n, &e);
		if ((rc = courier_import_count(rep, r->record_line, got, &e, err)) < 0)
			break;
	}
	free(r);
	return rc;
}

void courier_import_report_clear(struct courier_import_report *rep)
{
	if (rep == NULL)
		return;
	json_decref(rep->problems);
	memset(rep, 0, sizeof *rep);
}
