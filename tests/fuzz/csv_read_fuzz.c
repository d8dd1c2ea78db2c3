/*
 * csv_read_fuzz.c - libFuzzer target for the CSV record reader that the
 * order import (and any other CSV import) reads through.  Beyond memory
 * safety (ASan/UBSan) it checks invariants: every call returns a record, the
 * end, or WMS_EINVAL with a one-line "line N: ..." message; a record has
 * 1..WMS_CSV_MAX_FIELDS fields of valid UTF-8 text; line numbers never go
 * back; the reader always makes progress, so reading ends.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wms_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wms_csv r;
	const char *f[WMS_CSV_MAX_FIELDS];
	char sep = size > 0 && (data[0] & 1) ? ';' : 0;   /* detected or given */
	long last_line = 0;
	int n, rc;

	wms_csv_init(&r, (const char *)data, size, sep);
	for (size_t calls = 0;; calls++) {
		struct wms_error err = { 0 };
		const char *before = r.p;
		check(calls <= size + 1);
		rc = wms_csv_next(&r, f, &n, &err);
		if (rc == 0) {
			check(r.p == r.end);
			break;
		}
		check(r.record_line >= last_line && r.record_line >= 1);
		last_line = r.record_line;
		check(r.p > before);
		if (rc < 0) {
			check(rc == WMS_EINVAL);
			check(strncmp(err.msg, "line ", 5) == 0);
			check(strchr(err.msg, '\n') == NULL);
			continue;
		}
		check(rc == 1 && n >= 1 && n <= WMS_CSV_MAX_FIELDS);
		for (int i = 0; i < n; i++)
			check(wms_csv_text_ok(f[i], strlen(f[i])));
	}
	return 0;
}
