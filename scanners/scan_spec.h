/*
 * scan_spec.h - the SPEC of a station's "scanner = KIND:SPEC": a first word
 * (a device path, VID:PID ...) and then key=value options, no spaces inside
 * a value.  One parser so that every source kind refuses a bad option with
 * the same kind of message.
 */
#ifndef SCAN_SPEC_H
#define SCAN_SPEC_H

#include "gs1.h"
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

/*
 * The gs= option every source kind that delivers scanner bytes takes:
 *   gs=sent      the scanner transmits FNC1 as GS (0x1D): GS1 data is read
 *                literally (the default of every source but keyboards)
 *   gs=dropped   the scanner drops FNC1 (a keyboard wedge without a GS
 *                mapping): a missing separator is inferred, and a scan
 *                that reads validly in two ways is refused (the default of
 *                usb-kbd and evdev)
 *   gs=C         one printable character other than a letter, digit or
 *                space that the scanner sends for FNC1 (e.g. gs=~): read
 *                as GS in GS1 data
 * OUT *gs, *substitute (0 = none).  WMS_ECONFIG naming what is allowed.
 */
int  scan_spec_gs(const struct scan_spec *s, enum gs1_separators def, enum gs1_separators *gs,
                  char *substitute, struct wms_error *err);

#endif
