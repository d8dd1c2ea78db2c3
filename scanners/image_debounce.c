/*
 * image_debounce.c - one scan per barcode held in front of a camera; see
 * image_debounce.h.  A full table forgets the barcode seen longest ago.
 */
#include "image_debounce.h"

#include <string.h>

void scan_debounce_init(struct scan_debounce *d, long hold_ms)
{
	memset(d, 0, sizeof *d);
	d->hold_ms = hold_ms;
}

bool scan_debounce_seen(struct scan_debounce *d, const unsigned char *bytes, size_t len,
                        long long now_ms)
{
	int oldest = 0;
	bool fresh;

	if (len == 0)
		return false;
	if (len > SCAN_INPUT_MAX)      /* compared on what is kept */
		len = SCAN_INPUT_MAX;
	for (int i = 0; i < SCAN_DEBOUNCE_SLOTS; i++) {
		if (d->slot[i].len == len && memcmp(d->slot[i].key, bytes, len) == 0) {
			fresh = now_ms - d->slot[i].last_ms > d->hold_ms;
			d->slot[i].last_ms = now_ms;
			return fresh;
		}
		if (d->slot[i].len == 0 || (d->slot[oldest].len != 0 &&
		                            d->slot[i].last_ms < d->slot[oldest].last_ms))
			oldest = i;
	}
	memcpy(d->slot[oldest].key, bytes, len);
	d->slot[oldest].len = len;
	d->slot[oldest].last_ms = now_ms;
	return true;
}
