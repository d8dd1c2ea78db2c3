/*
 * serial_framer_fuzz.c - libFuzzer target for the serial framer
 * (scanners/serial_framer.c).  The first byte picks the terminator and the
 * inter-character timeout; the rest is cut into chunks whose arrival times
 * come from the data too.  Beyond memory safety it checks the invariants:
 * frames are bounded, never carry a terminator in line modes, carry a
 * one-line printable fault exactly when they hold NUL or a byte above 0x7f
 * or were cut, and the timeout is -1 or within [0, gap].
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "serial_framer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		__builtin_trap();
}

struct ctx {
	enum serial_term term;
	size_t frames;
};

static void on_frame(void *opaque, const unsigned char *bytes, size_t len, const char *fault)
{
	struct ctx *c = opaque;
	int dirty = 0;

	check(len <= SOURCE_SCAN_MAX);
	for (size_t i = 0; i < len; i++) {
		if (c->term != SERIAL_TERM_NONE)
			check(bytes[i] != '\r' && bytes[i] != '\n');
		dirty |= bytes[i] == 0 || bytes[i] > 0x7f;
	}
	if (dirty)
		check(fault != NULL);
	if (fault) {
		size_t n = strlen(fault);
		check(n > 0 && n < 96);
		for (size_t i = 0; i < n; i++)
			check(fault[i] >= 0x20 && fault[i] < 0x7f);
	} else {
		check(len > 0);   /* empty frames are skipped, never delivered clean */
	}
	c->frames++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct serial_framer f;
	struct ctx c = { 0 };
	long long now = 1000;
	long gap;

	if (size < 1)
		return 0;
	c.term = (enum serial_term)(data[0] & 3);
	gap = (data[0] >> 2) * 4;   /* 0 .. 252 ms */
	if (c.term == SERIAL_TERM_NONE && gap == 0)
		gap = 1;
	serial_framer_init(&f, c.term, gap);
	data++;
	size--;
	while (size > 0) {
		/* a chunk: one byte of length (1..64), one of delay (0..255 ms), then bytes */
		size_t n = (size_t)(data[0] & 63) + 1;
		long delay = size > 1 ? data[1] : 0;
		size_t skip = size > 1 ? 2 : 1;
		long t;

		data += skip;
		size -= skip;
		if (n > size)
			n = size;
		now += delay;
		t = serial_framer_timeout_ms(&f, now);
		check(t >= -1 && t <= gap);
		if (t == 0)
			serial_framer_expire(&f, now, on_frame, &c);
		serial_framer_feed(&f, data, n, now, on_frame, &c);
		data += n;
		size -= n;
	}
	serial_framer_flush(&f, on_frame, &c);
	check(serial_framer_timeout_ms(&f, now) == -1);
	return 0;
}
