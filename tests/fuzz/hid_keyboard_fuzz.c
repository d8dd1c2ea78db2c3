/*
 * hid_keyboard_fuzz.c - libFuzzer target for the keyboard decoder
 * (scanners/hid_keyboard.c, keymap.c).  Input: byte 0 picks the layout and
 * the feed (bit 0: sv; bit 1: single key presses as an evdev source does,
 * else boot reports), then boot reports of a length byte (0..15) and that
 * many bytes, or (usage, modifiers) pairs.  Checks: no memory errors, every
 * scan bounded, every fault a printable line, no scan holds CR or LF
 * (Enter ends a scan, it is never part of one).
 */
#include <stddef.h>
#include <stdint.h>

#include "hid_keyboard.h"
#include "hid_report_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_kbd_scan(void *ctx, const struct scan *s)
{
	check_scan(ctx, s);
	for (size_t i = 0; i < s->len; i++)
		check(s->bytes[i] != '\r' && s->bytes[i] != '\n');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hid_kbd k;
	int scans = 0;
	size_t i = 1;

	if (size == 0)
		return 0;
	hid_kbd_init(&k, data[0] & 1 ? KEYMAP_SV : KEYMAP_US);
	if (data[0] & 2) {
		for (; i + 1 < size; i += 2) {
			hid_kbd_modifiers(&k, data[i + 1], check_kbd_scan, &scans);
			hid_kbd_press(&k, data[i], check_kbd_scan, &scans);
		}
		hid_kbd_press(&k, KEYMAP_USAGE_ENTER, check_kbd_scan, &scans);
		return 0;
	}
	while (i < size) {
		size_t n = data[i++] & 0x0f;
		if (n > size - i)
			n = size - i;
		hid_kbd_report(&k, data + i, n, check_kbd_scan, &scans);
		i += n;
	}
	return 0;
}
