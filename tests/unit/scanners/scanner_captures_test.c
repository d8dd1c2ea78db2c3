/*
 * scanner_captures_test.c - real scanner captures published by others
 * (tests/fixtures/scanners/, each file citing its source) through our
 * decoders byte for byte: a Honeywell Voyager 1602g's HID POS input
 * reports, a keyboard wedge in Alt+keypad mode, and the report descriptors
 * that tell a HID POS interface from a keyboard or Honeywell's vendor
 * "ReM" interface.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hid_desc.h"
#include "hid_keyboard.h"
#include "hid_pos.h"

#define MAX_REPORTS 32

struct capture {
	int n;
	unsigned char r[MAX_REPORTS][64];
	size_t len[MAX_REPORTS];
};

/* Reports of a fixture: "Data received: [2, 56, ...]" (decimal) or
 * "data:  <Buffer 04 00 ...>" (hex) lines; '#' lines are comments. */
static void load(const char *name, struct capture *c)
{
	char path[512], line[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/scanners/%s", WMS_FIXTURES, name);
	f = fopen(path, "r");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	memset(c, 0, sizeof *c);
	while (fgets(line, sizeof line, f) != NULL) {
		const char *p;
		bool hex;
		char *end;

		if (line[0] == '#')
			continue;
		if ((p = strchr(line, '[')) != NULL)
			hex = false;
		else if ((p = strstr(line, "<Buffer")) != NULL)
			p += 7, hex = true;
		else
			continue;
		assert_true(c->n < MAX_REPORTS);
		p++;
		for (;;) {
			unsigned long v = strtoul(p, &end, hex ? 16 : 10);

			if (end == p)
				break;
			assert_true(v <= 255 && c->len[c->n] < 64);
			c->r[c->n][c->len[c->n]++] = (unsigned char)v;
			p = end + strspn(end, ", ");
		}
		c->n++;
	}
	fclose(f);
}

struct got {
	int n;
	char bytes[8][SOURCE_SCAN_MAX + 1];
	size_t len[8];
	const char *fault[8];
};

static void collect(void *ctx, const struct scan *s)
{
	struct got *g = ctx;

	assert_true(g->n < 8);
	memcpy(g->bytes[g->n], s->bytes, s->len);
	g->bytes[g->n][s->len] = '\0';
	g->len[g->n] = s->len;
	g->fault[g->n] = s->fault;
	g->n++;
}

/* Honeywell 1602g: five full continued reports and a short last one make one
 * message; the menu-command status report after it another. */
static void honeywell_1602g_reports(void **state)
{
	static const char text[] =
		"]X0"
		"Product Name: Voyager 1602g\r\nBoot Revision: : 8992\r\n"
		"Software Part Number: CW000082BBA\r\nSoftware Revision: $ProjectRevision: 16345 \r\n"
		"Serial Number: 15232B1F0C\r\nSupported IF: Bluetooth\r\nPCB Assembly ID: 000000\r\n"
		"Engine Firmware Type: N/A   Revision: N/A   Serial Number: N/A   Checksum: N/A\r\n";
	struct capture c;
	struct hid_pos d;
	struct got g = { 0 };

	(void)state;
	load("honeywell-1602g-revinf.txt", &c);
	assert_int_equal(c.n, 7);
	for (int i = 0; i < c.n; i++)
		assert_int_equal(c.len[i], 64);
	hid_pos_init(&d, hid_pos_profile_find("honeywell"));
	for (int i = 0; i < c.n; i++)
		hid_pos_report(&d, c.r[i], c.len[i], collect, &g);
	assert_int_equal(g.n, 2);
	assert_null(g.fault[0]);
	assert_int_equal(g.len[0], strlen(text));
	assert_memory_equal(g.bytes[0], text, strlen(text));
	assert_null(g.fault[1]);
	assert_int_equal(g.len[1], 3 + 8);
	assert_memory_equal(g.bytes[1], "]Z6REVINF\x06.", 11);
}

/* Alt+keypad: three digits in one report, "080" as 62 60 62. */
static void alt_keypad_wedge(void **state)
{
	struct capture c;
	struct hid_kbd k;
	struct got g = { 0 };

	(void)state;
	load("alt-keypad-sip-4-1.txt", &c);
	assert_int_equal(c.n, 16);
	hid_kbd_init(&k, KEYMAP_US);
	for (int i = 0; i < c.n; i++)
		hid_kbd_report(&k, c.r[i], c.len[i], collect, &g);
	assert_int_equal(g.n, 1);
	assert_null(g.fault[0]);
	assert_string_equal(g.bytes[0], "SIP-4-1");
}

static void descriptor(const char *name, unsigned char *out, size_t *len)
{
	char path[512], line[1024];
	FILE *f;
	bool found = false;

	snprintf(path, sizeof path, "%s/scanners/descriptors.txt", WMS_FIXTURES);
	assert_non_null(f = fopen(path, "r"));
	while (!found && fgets(line, sizeof line, f) != NULL) {
		size_t n = strlen(name);

		if (strncmp(line, name, n) != 0 || line[n] != ':')
			continue;
		*len = 0;
		for (const char *p = line + n + 1; p[0] && p[1]; ) {
			unsigned v;

			if (sscanf(p, " %2x", &v) != 1)
				break;
			p += strspn(p, " ") + 2;
			out[(*len)++] = (unsigned char)v;
		}
		found = true;
	}
	fclose(f);
	assert_true(found);
}

static void descriptors_name_the_interface(void **state)
{
	unsigned char d[512];
	size_t len = 0;
	unsigned page, usage;

	(void)state;
	descriptor("honeywell-pos", d, &len);
	assert_int_equal(len, 144);
	assert_true(hid_desc_application(d, len, &page, &usage));
	assert_int_equal(page, HID_PAGE_POS);
	assert_int_equal(usage, 0x02);
	descriptor("honeywell-rem", d, &len);
	assert_true(hid_desc_application(d, len, &page, &usage));
	assert_int_equal(page, 0xFF8C);
	descriptor("datalogic-kbd", d, &len);
	assert_int_equal(len, 65);
	assert_true(hid_desc_application(d, len, &page, &usage));
	assert_int_equal(page, HID_PAGE_DESKTOP);
	assert_int_equal(usage, HID_USAGE_KEYBOARD);
	/* cut short, or no application collection: no answer */
	assert_false(hid_desc_application(d, 3, &page, &usage));
	assert_false(hid_desc_application((const unsigned char *)"\x05\x01\x09", 3, &page, &usage));
}

/* The Datalogic descriptor allows key usages up to 0xFF: such keys type nothing. */
static void datalogic_wide_key_array(void **state)
{
	static const unsigned char r[][8] = {
		{ 0, 0, 0x0f, 0, 0, 0, 0, 0 }, { 0, 0, 0xa5, 0, 0, 0, 0, 0 },
		{ 0, 0, 0xff, 0x12, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0, 0, 0, 0 },
		{ 0, 0, 0x28, 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0, 0, 0, 0 },
	};
	struct hid_kbd k;
	struct got g = { 0 };

	(void)state;
	hid_kbd_init(&k, KEYMAP_US);
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
		hid_kbd_report(&k, r[i], 8, collect, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.bytes[0], "lo");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(honeywell_1602g_reports),
		cmocka_unit_test(alt_keypad_wedge),
		cmocka_unit_test(descriptors_name_the_interface),
		cmocka_unit_test(datalogic_wide_key_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
