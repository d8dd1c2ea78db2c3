/*
 * serial_options.h - the SPEC of a serial scanner ("serial:SPEC" in
 * wmsd.conf), checked without touching any device:
 *
 *   PORT | usb=VID:PID [serial=SN]      the port: a device path, or the USB
 *                                       device behind it (found at each open)
 *   baud=9600                           a standard rate from 1200 to 921600
 *   framing=8N1                         data bits 7|8, parity N|E|O, stop bits 1|2
 *   terminator=cr|lf|crlf|none          what ends a scan (see serial_framer.h)
 *   timeout_ms=N                        pause that ends a scan (needed for none)
 *   aim=yes|no                          the scanner sends AIM prefixes
 *   good=BYTES bad=BYTES                sent to the scanner on the signal:
 *                                       C escapes (\x07, \r, \e ...) or hex:1b4731
 */
#ifndef SERIAL_OPTIONS_H
#define SERIAL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "serial_framer.h"
#include "wms_error.h"

#define SERIAL_SIGNAL_MAX 64   /* bytes of one good/bad command */

/* Plain data filled by serial_options_parse; nothing to free. */
struct serial_options {
	char port[128];                 /* "" when found by usb= */
	int vid, pid;                   /* -1 when the port is named */
	char usb_serial[104];           /* "" = any serial number */
	int baud;
	int data_bits;                  /* 7 or 8 */
	char parity;                    /* 'N', 'E' or 'O' */
	int stop_bits;                  /* 1 or 2 */
	enum serial_term term;
	long gap_ms;                    /* 0 = no inter-character timeout */
	bool aim;
	unsigned char good[SERIAL_SIGNAL_MAX], bad[SERIAL_SIGNAL_MAX];
	size_t good_len, bad_len;
	enum gs1_separators gs;         /* gs= (scan_spec.h) */
	char gs_substitute;
};

#define SERIAL_USAGE "serial:PORT|usb=VID:PID [serial=SN] [baud=9600] [framing=8N1] " \
                     "[terminator=cr|lf|crlf|none] [timeout_ms=N] [aim=yes|no] " \
                     "[good=\\x07|hex:07] [bad=...] [gs=sent|dropped|C]"

/* Parse and check spec (IN) into *o (OUT).  WMS_ECONFIG naming what was
 * wrong and what is allowed. */
int serial_options_parse(const char *spec, struct serial_options *o, struct wms_error *err);

/* Decode a good=/bad= value: "hex:1b4731" or C escapes (\xNN \a \b \e \f \n
 * \r \t \v \\ \0) and printable ASCII.  OUT out[0..*len), at most max bytes.
 * WMS_EINVAL with a message naming what was wrong. */
int serial_options_bytes(const char *text, unsigned char *out, size_t max, size_t *len,
                         struct wms_error *err);

#endif
