/*
 * serial_framer.c - bytes from a serial scanner into frames: terminators,
 * the inter-character timeout and the bounds of one frame (serial_framer.h).
 */
#include "serial_framer.h"

#include <stdio.h>
#include <string.h>

void serial_framer_init(struct serial_framer *f, enum serial_term term, long gap_ms)
{
	memset(f, 0, sizeof *f);
	f->term = term;
	f->gap_ms = gap_ms > 0 ? gap_ms : 0;
	f->high = -1;
	f->last_ms = -1;
}

static bool pending(const struct serial_framer *f)
{
	return f->len || f->dropped || f->nul || f->high >= 0;
}

static void deliver(struct serial_framer *f, bool cut, serial_frame_fn fn, void *ctx)
{
	f->fault[0] = '\0';
	if (f->dropped)
		snprintf(f->fault, sizeof f->fault, "scan longer than %d bytes (%zu bytes), discarded",
		         SOURCE_SCAN_MAX, f->len + f->dropped);
	else if (f->nul)
		snprintf(f->fault, sizeof f->fault, "NUL byte in scan, discarded");
	else if (f->high >= 0)
		snprintf(f->fault, sizeof f->fault, "byte 0x%02x is not ASCII (wrong baud rate or "
		         "framing?), discarded", f->high);
	else if (cut)
		snprintf(f->fault, sizeof f->fault, "scan cut short (the port went away), discarded");
	fn(ctx, f->buf, f->len, f->fault[0] ? f->fault : NULL);
	f->len = 0;
	f->dropped = 0;
	f->nul = false;
	f->high = -1;
	f->last_ms = -1;
}

void serial_framer_feed(struct serial_framer *f, const unsigned char *bytes, size_t n,
                        long long now_ms, serial_frame_fn fn, void *ctx)
{
	/* bytes that arrive after the gap start a new frame */
	serial_framer_expire(f, now_ms, fn, ctx);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = bytes[i];
		if (f->term != SERIAL_TERM_NONE && (c == '\r' || c == '\n')) {
			if (pending(f))
				deliver(f, false, fn, ctx);
			continue;
		}
		if (c == '\0')
			f->nul = true;
		else if (c > 0x7f && f->high < 0)
			f->high = c;
		if (f->len < sizeof f->buf)
			f->buf[f->len++] = c;
		else
			f->dropped++;
		f->last_ms = now_ms;
	}
}

long serial_framer_timeout_ms(const struct serial_framer *f, long long now_ms)
{
	long long left;

	if (f->gap_ms == 0 || !pending(f))
		return -1;
	left = f->last_ms + f->gap_ms - now_ms;
	if (left < 0)
		return 0;
	return left > f->gap_ms ? f->gap_ms : (long)left;   /* a clock step back is no reason to wait */
}

void serial_framer_expire(struct serial_framer *f, long long now_ms, serial_frame_fn fn,
                          void *ctx)
{
	if (serial_framer_timeout_ms(f, now_ms) == 0)
		deliver(f, false, fn, ctx);
}

void serial_framer_flush(struct serial_framer *f, serial_frame_fn fn, void *ctx)
{
	if (pending(f))
		deliver(f, true, fn, ctx);
}
