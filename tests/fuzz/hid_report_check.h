/*
 * hid_report_check.h - what the HID report fuzz targets check of every scan
 * a decoder delivers (beyond ASan/UBSan): bounded, and a fault is one
 * printable line.  Header-only, for the *_fuzz.c targets of this directory.
 */
#ifndef WMS_FUZZ_HID_REPORT_CHECK_H
#define WMS_FUZZ_HID_REPORT_CHECK_H

#include <string.h>

#include "scan_source.h"

static void check(int cond)
{
	if (!cond)
		__builtin_trap();
}

/* The scan_fn given to the decoders; ctx counts scans (an int). */
static void check_scan(void *ctx, const struct scan *s)
{
	size_t n;

	++*(int *)ctx;
	check(s->len <= SOURCE_SCAN_MAX);
	check(s->len == 0 || s->bytes != NULL);
	if (s->len) {   /* read the first and last byte: ASan sees a bad pointer or length */
		volatile unsigned char edge = s->bytes[0];
		edge = s->bytes[s->len - 1];
		(void)edge;
	}
	if (s->fault == NULL) {
		check(s->len > 0);
		return;
	}
	n = strlen(s->fault);
	check(n > 0 && n < 200);
	for (size_t i = 0; i < n; i++)
		check((unsigned char)s->fault[i] >= 0x20 && (unsigned char)s->fault[i] < 0x7f);
}

#endif
