/*
 * scan_spec.c - splitting a scanner SPEC into its first word and key=value
 * options, with the bounds and messages every source kind shares.
 */
#include "scan_spec.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool word_in(const char *word, size_t len, const char *list)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, " ");
		if (n == len && strncmp(p, word, len) == 0)
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

int scan_spec_parse(const char *spec, const char *allowed, struct scan_spec *out,
                    struct wms_error *err)
{
	const char *p = spec;
	bool first = true;

	memset(out, 0, sizeof *out);
	for (;;) {
		p += strspn(p, " \t");
		if (*p == '\0')
			return 0;
		size_t len = strcspn(p, " \t");
		const char *eq = memchr(p, '=', len);
		if (eq == NULL) {
			if (!first)
				return wms_error_set(err, WMS_ECONFIG, "\"%.*s\" is not key=value; options: %s",
				                     (int)(len > 60 ? 60 : len), p, allowed);
			if (len >= sizeof out->first)
				return wms_error_set(err, WMS_ECONFIG, "\"%.40s...\" is longer than %zu bytes",
				                     p, sizeof out->first - 1);
			memcpy(out->first, p, len);
		} else {
			size_t klen = (size_t)(eq - p), vlen = len - klen - 1;
			if (!word_in(p, klen, allowed))
				return wms_error_set(err, WMS_ECONFIG, "unknown option \"%.*s\"; %s%s",
				                     (int)(klen > 30 ? 30 : klen), p,
				                     *allowed ? "options: " : "this kind takes no options",
				                     allowed);
			if (klen >= sizeof out->opt[0].key || vlen >= sizeof out->opt[0].value || vlen == 0)
				return wms_error_set(err, WMS_ECONFIG, "option \"%.*s\" needs a value of 1 to "
				                     "%zu bytes", (int)klen, p, sizeof out->opt[0].value - 1);
			for (int i = 0; i < out->n; i++)
				if (strlen(out->opt[i].key) == klen && strncmp(out->opt[i].key, p, klen) == 0)
					return wms_error_set(err, WMS_ECONFIG, "option \"%.*s\" given twice",
					                     (int)klen, p);
			if (out->n == SCAN_SPEC_MAX_OPTS)
				return wms_error_set(err, WMS_ECONFIG, "more than %d options",
				                     SCAN_SPEC_MAX_OPTS);
			memcpy(out->opt[out->n].key, p, klen);
			memcpy(out->opt[out->n].value, eq + 1, vlen);
			out->n++;
		}
		first = false;
		p += len;
	}
}

const char *scan_spec_get(const struct scan_spec *s, const char *key)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->opt[i].key, key) == 0)
			return s->opt[i].value;
	return NULL;
}

int scan_spec_long(const struct scan_spec *s, const char *key, long min, long max, long def,
                   long *out, struct wms_error *err)
{
	const char *v = scan_spec_get(s, key);
	char *end;
	long n;

	*out = def;
	if (v == NULL)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || end == v || n < min || n > max)
		return wms_error_set(err, WMS_ECONFIG, "%s=%.30s: a whole number from %ld to %ld", key, v,
		                     min, max);
	*out = n;
	return 0;
}

int scan_spec_gs(const struct scan_spec *s, enum gs1_separators def, enum gs1_separators *gs,
                 char *substitute, struct wms_error *err)
{
	const char *v = scan_spec_get(s, "gs");
	unsigned char c;

	*gs = def;
	*substitute = 0;
	if (v == NULL)
		return 0;
	if (strcmp(v, "sent") == 0) {
		*gs = GS1_SEP_SENT;
		return 0;
	}
	if (strcmp(v, "dropped") == 0) {
		*gs = GS1_SEP_DROPPED;
		return 0;
	}
	c = (unsigned char)v[0];
	if (v[0] != '\0' && v[1] == '\0' && c > 0x20 && c < 0x7f &&
	    !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z')) {
		*gs = GS1_SEP_SENT;
		*substitute = (char)c;
		return 0;
	}
	return wms_error_set(err, WMS_ECONFIG, "gs=%.20s: allowed are gs=sent (the scanner "
	                     "sends FNC1 as GS), gs=dropped (it drops FNC1) or gs=C, the one "
	                     "printable character other than a letter or digit that it sends "
	                     "for FNC1 (e.g. gs=~)", v);
}
