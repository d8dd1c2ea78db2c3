/*
 * source.h - a scanner source: something with a file descriptor that
 * delivers scans.  Each kind of scanner (line stream / FIFO today; serial,
 * USB HID POS, evdev keyboard wedge later) is one file that fills a
 * struct source_ops; the daemon only ever calls through the table.
 *
 * A source frames bytes into scans and checks them against its bounds; it
 * does not interpret them (scanners/barcode.h does) and knows nothing of the
 * ledger.  Bytes from a device are untrusted: a frame that breaks the bounds
 * is still delivered, with `fault` saying what was wrong, so that the daemon
 * can journal it; the source then carries on with the next frame.
 */
#ifndef WMSD_SOURCE_H
#define WMSD_SOURCE_H

#include <stddef.h>

#include "barcode.h"
#include "wms_error.h"

#define SOURCE_SCAN_MAX SCAN_INPUT_MAX   /* bytes kept of one scan */

/* One framed scan, borrowed for the duration of the callback. */
struct scan {
	const char *station;          /* the station the source belongs to */
	const unsigned char *bytes;   /* raw bytes, framing removed (no '\n') */
	size_t len;                   /* <= SOURCE_SCAN_MAX */
	long long mono_ms;            /* loop_now_ms() when framed */
	const char *fault;            /* NULL, or why this frame is unusable
	                                 ("longer than 1024 bytes", "NUL byte") */
};

typedef void (*source_scan_fn)(void *ctx, const struct scan *scan);

struct source;

struct source_ops {
	const char *name;             /* "fifo" */
	/* Open the device at path without blocking.  OUT *out (NULL on failure),
	 * freed with close.  WMS_EIO/WMS_ENOTFOUND with a message. */
	int  (*open)(const char *path, const char *station, struct source **out,
	             struct wms_error *err);
	/* The descriptor to poll for reading; never blocks. */
	int  (*fd)(const struct source *src);
	/* Read what is available (non-blocking) and call fn once per complete
	 * scan.  Returns 0, or WMS_EIO when the device is gone (end of input,
	 * read error): the caller then closes the source and may reopen it. */
	int  (*read)(struct source *src, source_scan_fn fn, void *ctx, struct wms_error *err);
	void (*close)(struct source *src);   /* NULL-safe */
};

/* The common head of every source instance; drivers extend it privately. */
struct source {
	const struct source_ops *ops;
	char station[32];
	char path[256];
};

extern const struct source_ops source_fifo_ops;

#endif
