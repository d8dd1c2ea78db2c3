/*
 * image_debounce.h - a camera sees the same barcode in frame after frame;
 * it is one scan.  A barcode (its bytes) is reported when it appears, and
 * again only after it has been out of sight for hold_ms (taken away and
 * shown again), so that a frame in which the decoder missed it does not
 * make a second scan.  Different barcodes are never held back.
 *
 * The struct is the caller's (embed it); plain values, no allocation.
 */
#ifndef WMS_SCANNERS_IMAGE_DEBOUNCE_H
#define WMS_SCANNERS_IMAGE_DEBOUNCE_H

#include <stdbool.h>
#include <stddef.h>

#include "barcode.h"

#define SCAN_DEBOUNCE_SLOTS 16

struct scan_debounce {
	long hold_ms;
	struct {
		unsigned char key[SCAN_INPUT_MAX];
		size_t len;               /* 0 = free slot */
		long long last_ms;        /* last frame it was seen in */
	} slot[SCAN_DEBOUNCE_SLOTS];
};

void scan_debounce_init(struct scan_debounce *d, long hold_ms);
/* Seen (bytes, at most SCAN_INPUT_MAX) in the frame of now_ms: true when it
 * is a new scan. */
bool scan_debounce_seen(struct scan_debounce *d, const unsigned char *bytes, size_t len,
                        long long now_ms);

#endif
