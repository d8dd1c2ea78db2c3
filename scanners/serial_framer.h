/*
 * serial_framer.h - turning the byte stream of a serial scanner into scans.
 *
 * Pure: no port, no clock of its own (the caller passes monotonic
 * milliseconds), so that it can be unit-tested and fuzzed.  A scan ends at
 * a line terminator or when no byte came for the inter-character timeout.
 *
 * Line terminators are tolerant of what scanners really send: with
 * terminator cr, lf or crlf, any CR or LF ends a scan and the empty frame
 * between the two bytes of a CRLF (or LFCR, or a blank line) is skipped, so
 * a scanner set to CRLF on a station configured for CR still frames right.
 * With terminator none only the timeout ends a scan (CR and LF are data).
 *
 * A frame keeps at most SOURCE_SCAN_MAX bytes; the rest up to its end is
 * skipped and the frame is delivered with a fault, as is a frame holding a
 * NUL byte or a byte above 0x7f (noise, a wrong baud rate or framing).
 */
#ifndef SERIAL_FRAMER_H
#define SERIAL_FRAMER_H

#include <stdbool.h>
#include <stddef.h>

#include "scan_source.h"

enum serial_term { SERIAL_TERM_CR, SERIAL_TERM_LF, SERIAL_TERM_CRLF, SERIAL_TERM_NONE };

/* One frame, borrowed for the duration of the callback.  fault: NULL or
 * why the frame is unusable (one printable line). */
typedef void (*serial_frame_fn)(void *ctx, const unsigned char *bytes, size_t len,
                                const char *fault);

/* Caller-allocated (it is large); no resources, nothing to free. */
struct serial_framer {
	enum serial_term term;
	long gap_ms;                    /* inter-character timeout, 0 = none */
	unsigned char buf[SOURCE_SCAN_MAX];
	size_t len;
	size_t dropped;                 /* bytes skipped of an over-long frame */
	bool nul;                       /* the frame held a NUL byte */
	int high;                       /* the first byte > 0x7f, or -1 */
	long long last_ms;              /* when the last byte of the frame came */
	char fault[96];
};

/* gap_ms: 0 (none) or the inter-character timeout; terminator none needs it. */
void serial_framer_init(struct serial_framer *f, enum serial_term term, long gap_ms);
/* Feed n bytes that arrived at now_ms; fn is called once per complete frame. */
void serial_framer_feed(struct serial_framer *f, const unsigned char *bytes, size_t n,
                        long long now_ms, serial_frame_fn fn, void *ctx);
/* Milliseconds from now_ms until a buffered partial frame times out (0 when
 * it already has), or -1 when nothing is buffered or there is no timeout. */
long serial_framer_timeout_ms(const struct serial_framer *f, long long now_ms);
/* Deliver a buffered partial frame whose timeout has passed at now_ms. */
void serial_framer_expire(struct serial_framer *f, long long now_ms, serial_frame_fn fn,
                          void *ctx);
/* Deliver whatever is buffered now, as a fault: the port went away
 * mid-scan, and a cut GS1 string can still parse (a shorter serial). */
void serial_framer_flush(struct serial_framer *f, serial_frame_fn fn, void *ctx);

#endif
