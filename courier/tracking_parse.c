/*
 * tracking_parse.c - a tracking file, CSV or JSON lines (see
 * courier_tracking.h).  The bytes come from outside: every field is checked
 * for type, length and alphabet before use (fuzzed by tests/fuzz).
 */
#include "courier_tracking.h"

#include "courier_import.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define JSON_LINE_MAX 4096

static int fill(const char *ref, const char *event, const char *time,
                struct courier_tracking_line *out, struct wms_error *err)
{
	char quoted[200];
	int ev;

	memset(out, 0, sizeof *out);
	if (ref == NULL || *ref == '\0')
		return wms_error_set(err, WMS_EINVAL, "missing SSCC or tracking number");
	if (courier_check_tracking(ref, NULL) < 0)
		return wms_error_set(err, WMS_EINVAL, "bad SSCC or tracking number \"%s\": 1-%d characters "
		                     "A-Z a-z 0-9 - _ .", wms_quote(quoted, sizeof quoted, ref, strlen(ref), 40),
		                     COURIER_TRACKING_MAX);
	if (event == NULL || (ev = courier_event_from_name(event)) < 0)
		return wms_error_set(err, WMS_EINVAL, "bad event \"%s\"; allowed: %s",
		                     event ? wms_quote(quoted, sizeof quoted, event, strlen(event), 40) : "",
		                     courier_event_names());
	if (time == NULL || *time == '\0')
		return wms_error_set(err, WMS_EINVAL, "missing time");
	if (wms_time_parse(time, &out->at, err) < 0)
		return WMS_EINVAL;
	snprintf(out->ref, sizeof out->ref, "%s", ref);
	out->event = (enum courier_event)ev;
	return 0;
}

static const char *json_field(json_t *o, const char *key, bool *bad)
{
	json_t *v = json_object_get(o, key);

	if (v && !json_is_string(v))
		*bad = true;
	return json_string_value(v);
}

static int parse_json(const char *line, size_t len, struct courier_tracking_line *out,
                      struct wms_error *err)
{
	json_error_t jerr;
	json_t *o;
	const char *ref, *sscc, *tracking, *event, *time;
	bool bad = false;
	int rc;

	if (len > JSON_LINE_MAX)
		return wms_error_set(err, WMS_EINVAL, "line longer than %d bytes", JSON_LINE_MAX);
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(o)) {
		json_decref(o);
		return wms_error_set(err, WMS_EINVAL, "bad JSON line: %s", o ? "not an object" : jerr.text);
	}
	ref = json_field(o, "ref", &bad);
	sscc = json_field(o, "sscc", &bad);
	tracking = json_field(o, "tracking", &bad);
	event = json_field(o, "event", &bad);
	time = json_field(o, "time", &bad);
	if (bad)
		rc = wms_error_set(err, WMS_EINVAL, "bad JSON line: ref, sscc, tracking, event and time "
		                   "must be strings");
	else if ((ref != NULL) + (sscc != NULL) + (tracking != NULL) > 1)
		rc = wms_error_set(err, WMS_EINVAL, "give one of ref, sscc or tracking, not several");
	else
		rc = fill(ref ? ref : sscc ? sscc : tracking, event, time, out, err);
	json_decref(o);
	return rc;
}

struct csv_ctx {
	courier_tracking_fn fn;
	void *ctx;
	bool first;
};

static int csv_record(void *ctx, long line, const char **f, int n, struct wms_error *err)
{
	struct csv_ctx *c = ctx;
	struct courier_tracking_line t;
	bool first = c->first;
	int rc;

	c->first = false;
	if (first && n > 0 && (!strcasecmp(f[0], "ref") || !strcasecmp(f[0], "sscc") ||
	                       !strcasecmp(f[0], "tracking")))
		return COURIER_LINE_SKIPPED;
	if (n != 3)
		return wms_error_set(err, WMS_EINVAL, "%d fields; expected 3: ref,event,time "
		                     "(or a JSON object per line)", n);
	if ((rc = fill(f[0], f[1], f[2], &t, err)) < 0)
		return rc;
	return c->fn(c->ctx, line, &t, err);
}

static int json_lines(const char *text, size_t len, courier_tracking_fn fn, void *ctx,
                      struct courier_import_report *rep, struct wms_error *err)
{
	const char *p = text, *end = text + len;
	long line = 0;
	int rc = 0;

	memset(rep, 0, sizeof *rep);
	if ((rep->problems = json_array()) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		struct courier_tracking_line t;
		struct wms_error e = { 0 };
		size_t n;
		int r;

		line++;
		if (line == 1 && end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
			p += 3;
		n = (size_t)(stop - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		if (n > 0) {
			r = parse_json(p, n, &t, &e);
			if (r == 0)
				r = fn(ctx, line, &t, &e);
			rc = courier_import_count(rep, line, r, &e, err);
		}
		p = nl ? nl + 1 : end;
	}
	return rc;
}

int courier_tracking_parse(const char *text, size_t len, courier_tracking_fn fn, void *ctx,
                           struct courier_import_report *rep, struct wms_error *err)
{
	struct csv_ctx c = { .fn = fn, .ctx = ctx, .first = true };
	size_t i = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

	while (i < len && strchr(" \t\r\n", text[i]) && text[i] != '\0')
		i++;
	if (i < len && text[i] == '{')
		return json_lines(text, len, fn, ctx, rep, err);
	return courier_import_csv(text, len, csv_record, &c, rep, err);
}
