/*
 * source_usb.h - what the USB scanner sources (source_usb.c: kinds
 * "usb-pos" and "usb-kbd") offer beyond struct scan_source_ops.
 */
#ifndef WMS_SCANNERS_SOURCE_USB_H
#define WMS_SCANNERS_SOURCE_USB_H

#include <stdbool.h>

#include "scan_source.h"

/*
 * Whether src (an open usb-pos or usb-kbd source, nothing else) holds its
 * device now.  false while the scanner is unplugged and the source waits
 * for it to come back (hotplug): a screen can say "scanner unplugged".
 */
bool scan_source_usb_attached(const struct scan_source *src);

#endif
