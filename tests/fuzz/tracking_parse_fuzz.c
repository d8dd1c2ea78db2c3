/*
 * tracking_parse_fuzz.c - libFuzzer target for the tracking-file parser
 * (courier_tracking_parse: CSV through the core's CSV reader, or JSON
 * lines).  Beyond memory safety it checks invariants: every line handed on
 * has a valid event and a tracking reference of the allowed alphabet, in
 * increasing line order; every bad line has a line number within the
 * input and a non-empty message; the counts add up.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "courier_import.h"
#include "courier_tracking.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		__builtin_trap();
}

struct seen {
	long good, last_line, lines;
};

static int on_line(void *ctx, long line, const struct courier_tracking_line *t, struct wms_error *err)
{
	struct seen *s = ctx;

	check((unsigned)t->event < COURIER_EV_COUNT);
	check(courier_check_tracking(t->ref, NULL) == 0);
	check(line >= 1 && line <= s->lines && line > s->last_line);
	s->last_line = line;
	s->good++;
	/* alternate outcomes so the counting paths are all taken */
	return (int)(s->good % 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct courier_import_report rep;
	struct wms_error err = { 0 };
	struct seen s = { 0 };
	size_t i;
	json_t *p;
	int rc;

	s.lines = 1;
	for (i = 0; i < size; i++)
		s.lines += data[i] == '\n';
	rc = courier_tracking_parse((const char *)data, size, on_line, &s, &rep, &err);
	check(rc == 0);
	check(rep.added + rep.updated + rep.unchanged == s.good);
	check((size_t)rep.bad == json_array_size(rep.problems));
	json_array_foreach(rep.problems, i, p) {
		const char *msg = json_string_value(json_object_get(p, "error"));
		json_int_t line = json_integer_value(json_object_get(p, "line"));
		check(msg != NULL && *msg != '\0' && strchr(msg, '\n') == NULL);
		check(line >= 1 && line <= s.lines);
	}
	courier_import_report_clear(&rep);
	return 0;
}
