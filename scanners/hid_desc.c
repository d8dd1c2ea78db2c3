/*
 * hid_desc.c - walk the short items of a HID report descriptor (HID 1.11
 * section 6.2.2) up to the first application collection; long items are
 * skipped.  Usage Page is a global item, Usage a local one (a 4-byte Usage
 * carries its own page in the high half).
 */
#include "hid_desc.h"

bool hid_desc_application(const unsigned char *d, size_t len, unsigned *page, unsigned *usage)
{
	unsigned cur_page = 0, cur_usage = 0, usage_page = 0;
	bool have_usage = false;
	size_t i = 0;

	while (i < len) {
		unsigned char prefix = d[i];
		size_t size, k;
		unsigned long v = 0;

		if (prefix == 0xFE) { /* long item: size, tag, data */
			if (i + 2 >= len)
				return false;
			i += 3 + d[i + 1];
			continue;
		}
		size = (size_t[]){ 0, 1, 2, 4 }[prefix & 3];
		if (i + 1 + size > len)
			return false;
		for (k = 0; k < size; k++)
			v |= (unsigned long)d[i + 1 + k] << (8 * k);
		switch (prefix & 0xFC) {
		case 0x04: /* Usage Page */
			cur_page = (unsigned)v;
			break;
		case 0x08: /* Usage */
			if (!have_usage) {
				cur_usage = (unsigned)(v & 0xFFFF);
				usage_page = size == 4 ? (unsigned)(v >> 16) : 0;
				have_usage = true;
			}
			break;
		case 0xA0: /* Collection */
			if (v == 0x01) {
				*page = usage_page != 0 ? usage_page : cur_page;
				*usage = cur_usage;
				return true;
			}
			have_usage = false;
			break;
		case 0x80: case 0x90: case 0xB0: case 0xC0: /* other main items */
			have_usage = false;
			break;
		default:
			break;
		}
		i += 1 + size;
	}
	return false;
}
