/*
 * scan_source.h - a scanner source: a device (or pipe) that delivers scans.
 *
 * Each kind of scanner is one file that fills a struct scan_source_ops and
 * one line in source_registry.c; the daemon only calls through the table
 * and never blocks on a source.  A station names its source in wmsd.conf as
 *
 *   scanner = KIND:SPEC        e.g.  fifo:/run/wmsd/goods-in
 *                                    serial:/dev/ttyACM0 baud=9600 terminator=cr
 *
 * SPEC is the kind's own: a first word (a path, a VID:PID ...) and then
 * key=value options, split by scan_spec_parse() (scan_spec.h) so that every
 * kind parses and refuses options the same way.  Every kind that passes on
 * a scanner's bytes takes gs=sent|dropped|C (scan_spec_gs()): whether the
 * scanner transmits the GS1 separator, and its printable stand-in.
 *
 * A source frames bytes into scans and checks them against its bounds; it
 * does not interpret them (barcode.h does) and knows nothing of the ledger.
 * Bytes from a device are untrusted: a frame that breaks the bounds is still
 * delivered, with `fault` saying what was wrong, so that the daemon can
 * journal it; the source then carries on with the next frame.
 *
 * A source may watch several descriptors (libusb has a few) and may need to
 * run without input (an inter-character timeout ends a serial scan): the
 * daemon polls what pollfds() returns, and calls dispatch() when one of them
 * is ready or timeout_ms() has passed, then asks pollfds() again.
 */
#ifndef SCAN_SOURCE_H
#define SCAN_SOURCE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "barcode.h"
#include "scan_spec.h"
#include "wms_error.h"

#define SCAN_SOURCE_MAX_FDS 16
#define SOURCE_SCAN_MAX SCAN_INPUT_MAX   /* bytes kept of one scan */

/* One framed scan, borrowed for the duration of the callback. */
struct scan {
	const char *station;          /* the station the source belongs to */
	const unsigned char *bytes;   /* raw bytes, framing removed (no terminator) */
	size_t len;                   /* <= SOURCE_SCAN_MAX */
	long long mono_ms;            /* scan_source_now_ms() when framed */
	const char *fault;            /* NULL, or why this frame is unusable
	                                 ("longer than 1024 bytes", "NUL byte") */
	enum gs1_separators gs;       /* does the source transmit GS? (gs= option) */
	char gs_substitute;           /* the scanner's printable stand-in for GS, or 0 */
};

typedef void (*scan_fn)(void *ctx, const struct scan *scan);

/* The operator's signal after a scan was handled. */
enum scan_signal { SCAN_SIGNAL_GOOD, SCAN_SIGNAL_BAD };

struct scan_source;

struct scan_source_ops {
	const char *name;             /* "fifo", "serial", "usb-pos" ... */
	const char *usage;            /* "PATH", "PORT|usb=VID:PID [baud=N] ..." for messages */
	/* Check spec without touching any device (wmsd -n, config reload).
	 * WMS_ECONFIG with what was wrong and what is allowed. */
	int  (*check)(const char *spec, struct wms_error *err);
	/* Open without blocking.  OUT *out (NULL on failure), freed with close.
	 * WMS_ENOTFOUND (device absent: the daemon retries), WMS_EIO, WMS_ECONFIG. */
	int  (*open)(const char *spec, const char *station, struct scan_source **out,
	             struct wms_error *err);
	/* OUT fds[0..n): the descriptors to poll now and their events; returns n. */
	int  (*pollfds)(const struct scan_source *src, struct pollfd *fds, int max);
	/* Milliseconds until dispatch() must run even without input, or -1.
	 * May be NULL (never). */
	long (*timeout_ms)(const struct scan_source *src, long long now_ms);
	/* Do what is ready without blocking and call fn once per complete scan.
	 * revents: the union of what poll() reported (0 on a timeout).
	 * 0, or WMS_EIO when the device is gone: the caller closes the source
	 * and reopens it later. */
	int  (*dispatch)(struct scan_source *src, short revents, scan_fn fn, void *ctx,
	                 struct wms_error *err);
	/* Give the operator the good or bad signal (beep/LED command).  May be
	 * NULL: the source has no way to signal.  Never blocks. */
	int  (*signal)(struct scan_source *src, enum scan_signal sig, struct wms_error *err);
	/* May be NULL: signal() sends at once.  Else signal() may keep what it
	 * sends until flush(), which the daemon calls once per loop turn after
	 * the turn's signals, so that the acknowledgements of many scans go out
	 * in one write.  Never blocks. */
	int  (*flush)(struct scan_source *src, struct wms_error *err);
	/* A source that decodes images: stop looking in a frame once n symbols
	 * are found (the station's `symbols` key; 0 = all).  Called after open,
	 * before the first dispatch.  NULL for scanners that send one scan per
	 * read; WMS_ECONFIG when n is out of range. */
	int  (*set_symbols)(struct scan_source *src, int n, struct wms_error *err);
	void (*close)(struct scan_source *src);   /* NULL-safe */
};

/* The common head of every source instance; drivers extend it privately. */
struct scan_source {
	const struct scan_source_ops *ops;
	char station[32];
	char spec[256];
	enum gs1_separators gs;       /* the gs= option (scan_spec_gs()) */
	char gs_substitute;
};

/* source_registry.c: the kind named by the text before ':' in "KIND:SPEC".
 * OUT *spec points into scanner (after the ':').  NULL with WMS_ECONFIG in
 * err (naming the kinds there are) when the kind is unknown. */
const struct scan_source_ops *scan_source_find(const char *scanner, const char **spec,
                                               struct wms_error *err);
/* "fifo, serial, ..." for messages. */
const char *scan_source_kinds(void);

/* Monotonic milliseconds (CLOCK_MONOTONIC), the clock of struct scan. */
long long scan_source_now_ms(void);

extern const struct scan_source_ops scan_source_fifo;
extern const struct scan_source_ops scan_source_serial;
extern const struct scan_source_ops scan_source_usb_pos;
extern const struct scan_source_ops scan_source_usb_kbd;
extern const struct scan_source_ops scan_source_evdev;
extern const struct scan_source_ops scan_source_camera;

#endif
