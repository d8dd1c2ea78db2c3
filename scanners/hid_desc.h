/*
 * hid_desc.h - the one fact we need from a HID report descriptor: the
 * usage page and usage of its first application collection, which says
 * what an interface is (0x8C/0x02 a HID POS bar code scanner, 0x01/0x06 a
 * keyboard, 0xFF8C a Honeywell vendor "ReM" interface, ...).  Pure parsing
 * of untrusted bytes, no I/O.
 */
#ifndef WMS_SCANNERS_HID_DESC_H
#define WMS_SCANNERS_HID_DESC_H

#include <stdbool.h>
#include <stddef.h>

#define HID_PAGE_DESKTOP 0x01
#define HID_USAGE_KEYBOARD 0x06
#define HID_PAGE_POS     0x8C  /* HID Point of Sale: bar code scanner */

/*
 * The usage page (*page) and usage (*usage) in effect at the first
 * Collection (Application) of desc (len bytes).  False if there is none or
 * the descriptor is malformed before it.
 */
bool hid_desc_application(const unsigned char *desc, size_t len, unsigned *page,
                          unsigned *usage);

#endif
