/*
 * hid_pos_fuzz.c - libFuzzer target for the HID POS report decoder
 * (scanners/hid_pos.c).  Input: byte 0 picks the profile, then reports, each
 * a length byte and that many bytes (the last one cut short by the input's
 * end).  Checks: no memory errors, every scan bounded, every fault a
 * printable line, a fault-free scan never empty, and a well-formed report
 * after anything at all still decodes (the decoder never gets stuck).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hid_pos.h"
#include "hid_report_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char last[SOURCE_SCAN_MAX];
static size_t last_len;

static void keep_last(void *ctx, const struct scan *s)
{
	check_scan(ctx, s);
	memcpy(last, s->bytes, s->len);
	last_len = s->fault ? 0 : s->len;
}

/* After any input, two well-formed single-report scans: the second
 * decodes to exactly "]C0OK" (the first may end what was pending). */
static void check_recovers(struct hid_pos *d, bool zebra)
{
	unsigned char r[64] = { 0 };
	int scans = 0;

	if (zebra) {
		r[0] = 0x22, r[2] = 0x03, r[3] = 2, r[4] = 'O', r[5] = 'K';
	} else {
		r[0] = 0x02, r[1] = 2, r[2] = ']', r[3] = 'C', r[4] = '0', r[5] = 'O', r[6] = 'K';
	}
	hid_pos_report(d, r, sizeof r, keep_last, &scans);
	check(scans >= 1 && scans <= 2);
	last_len = 0;
	scans = 0;
	hid_pos_report(d, r, sizeof r, keep_last, &scans);
	check(scans == 1);
	check(last_len == 5 && memcmp(last, "]C0OK", 5) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hid_pos d;
	bool zebra = size && (data[0] & 1);
	size_t i = 1;
	int scans = 0;

	hid_pos_init(&d, hid_pos_profile_find(zebra ? "zebra" : "honeywell"));
	while (i < size) {
		size_t n = data[i++];
		if (n > size - i)
			n = size - i;
		hid_pos_report(&d, data + i, n, check_scan, &scans);
		i += n;
	}
	check_recovers(&d, zebra);
	return 0;
}
