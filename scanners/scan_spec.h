/*
 * scan_spec.h - the SPEC of a station's "scanner = KIND:SPEC": a first word
 * (a device path, VID:PID ...) and then key=value options, no spaces inside
 * a value.  One parser so that every source kind refuses a bad option with
 * the same kind of message.
 */
#ifndef SCAN_SPEC_H
#define SCAN_SPEC_H

#include "wms_error.h"

#define SCAN_SPEC_MAX_OPTS 12

struct scan_spec {
	char first[128];                 /* "" when the spec starts with an option */
	int n;
	struct { char key[24]; char value[104]; } opt[SCAN_SPEC_MAX_OPTS];
};

/* Split spec (IN) into *out (OUT).  Every key must be one of the
 * space-separated words of allowed; a key given twice is refused.
 * WMS_ECONFIG naming the bad word and the allowed keys. */
int  scan_spec_parse(const char *spec, const char *allowed, struct scan_spec *out,
                     struct wms_error *err);
/* The value of key, or NULL when absent.  Owned by s. */
const char *scan_spec_get(const struct scan_spec *s, const char *key);
/* A decimal option within [min, max]; *out = def when absent.  WMS_ECONFIG. */
int  scan_spec_long(const struct scan_spec *s, const char *key, long min, long max, long def,
                    long *out, struct wms_error *err);

#endif
