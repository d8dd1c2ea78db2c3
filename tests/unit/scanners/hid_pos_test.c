/*
 * hid_pos_test.c - HID POS report decoding: both vendor profiles, AIM
 * identifiers, continued reports reassembled, and every malformed report
 * delivered as a fault (never a crash, never a silent loss).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hid_pos.h"

struct got {
	int n;
	char bytes[8][SOURCE_SCAN_MAX + 1];
	size_t len[8];
	char fault[8][160];
};

static void collect(void *ctx, const struct scan *s)
{
	struct got *g = ctx;

	assert_true(g->n < 8);
	assert_true(s->len <= SOURCE_SCAN_MAX);
	memcpy(g->bytes[g->n], s->bytes, s->len);
	g->bytes[g->n][s->len] = '\0';
	g->len[g->n] = s->len;
	snprintf(g->fault[g->n], sizeof g->fault[0], "%s", s->fault ? s->fault : "");
	g->n++;
}

/* A honeywell report: id 2, length, AIM, data, more flag at 63. */
static void honeywell(unsigned char *r, const char *aim, const char *data, bool more)
{
	size_t n = strlen(data);

	memset(r, 0, 64);
	r[0] = 0x02;
	r[1] = (unsigned char)n;
	if (aim)
		memcpy(r + 2, aim, 3);
	memcpy(r + 5, data, n);
	r[63] = more ? 0x01 : 0x00;
}

/* A zebra report: id 0x22, more flag, symbology code, length, data. */
static void zebra(unsigned char *r, unsigned char sym, const char *data, bool more)
{
	size_t n = strlen(data);

	memset(r, 0, 64);
	r[0] = 0x22;
	r[1] = more ? 0x01 : 0x00;
	r[2] = sym;
	r[3] = (unsigned char)n;
	memcpy(r + 4, data, n);
}

static struct hid_pos dec(const char *profile)
{
	struct hid_pos d;

	assert_non_null(hid_pos_profile_find(profile));
	hid_pos_init(&d, hid_pos_profile_find(profile));
	return d;
}

static void profiles_are_named(void **state)
{
	(void)state;
	assert_non_null(hid_pos_profile_find("honeywell"));
	assert_non_null(hid_pos_profile_find("zebra"));
	assert_null(hid_pos_profile_find("Honeywell"));
	assert_null(hid_pos_profile_find(""));
	assert_string_equal(hid_pos_profiles(), "honeywell, zebra, newland");
	assert_int_equal(hid_pos_report_size(hid_pos_profile_find("zebra")), 64);
}

static void honeywell_single_report(void **state)
{
	struct hid_pos d = dec("honeywell");
	struct got g = { 0 };
	unsigned char r[64];
	(void)state;

	honeywell(r, "]d2", "0109506000134352\x1d" "21SN-1001", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.bytes[0], "]d20109506000134352\x1d" "21SN-1001");
	assert_string_equal(g.fault[0], "");
	/* the next scan starts afresh */
	honeywell(r, "]E0", "09506000134352", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.bytes[1], "]E009506000134352");
}

static void honeywell_continued_reports(void **state)
{
	struct hid_pos d = dec("honeywell");
	struct got g = { 0 };
	unsigned char r[64];
	char part1[57], part2[57];
	char want[200];
	(void)state;

	memset(part1, 'A', 56);
	part1[56] = '\0';
	memset(part2, 'B', 56);
	part2[56] = '\0';
	honeywell(r, "]Q1", part1, true);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	honeywell(r, "]Q1", part2, true);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 0);
	honeywell(r, "]Q1", "END", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 1);
	snprintf(want, sizeof want, "]Q1%s%sEND", part1, part2);
	assert_string_equal(g.bytes[0], want);
	assert_int_equal(g.len[0], 3 + 56 + 56 + 3);
}

static void honeywell_without_aim_and_empty(void **state)
{
	struct hid_pos d = dec("honeywell");
	struct got g = { 0 };
	unsigned char r[64];
	(void)state;

	honeywell(r, NULL, "LOC:A-01", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.bytes[0], "LOC:A-01");
	honeywell(r, "]C0", "", false);   /* an empty report: nothing scanned */
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 1);
	/* a short final packet that still holds all its data is fine */
	honeywell(r, "]C0", "ABC", false);
	hid_pos_report(&d, r, 8, collect, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.bytes[1], "]C0ABC");
}

static void honeywell_malformed(void **state)
{
	struct hid_pos d = dec("honeywell");
	struct got g = { 0 };
	unsigned char r[64];
	(void)state;

	honeywell(r, "]C1", "X", false);
	r[1] = 57;   /* more than 56 */
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 1);
	assert_non_null(strstr(g.fault[0], "data length 57 is beyond the 56 bytes"));

	honeywell(r, "]C1", "0123456789", false);
	hid_pos_report(&d, r, 10, collect, &g);   /* length says 10, 5 bytes came */
	assert_int_equal(g.n, 2);
	assert_non_null(strstr(g.fault[1], "data length 10 is beyond the 5 bytes"));

	hid_pos_report(&d, r, 3, collect, &g);
	assert_int_equal(g.n, 3);
	assert_non_null(strstr(g.fault[2], "report of 3 bytes is shorter than its 5-byte header"));

	r[0] = 0x04;
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.fault[3],
	                    "HID POS report id 0x04 is not the honeywell scan report (0x02)");

	hid_pos_report(&d, r, 0, collect, &g);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.fault[4], "empty HID POS report");

	honeywell(r, "xC1", "DATA", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 6);
	assert_string_equal(g.fault[5], "malformed AIM identifier in HID POS report");

	/* the decoder is usable again afterwards */
	honeywell(r, "]C0", "OK", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 7);
	assert_string_equal(g.bytes[6], "]C0OK");
	assert_string_equal(g.fault[6], "");
}

static void continued_scan_broken_midway(void **state)
{
	struct hid_pos d = dec("honeywell");
	struct got g = { 0 };
	unsigned char r[64];
	(void)state;

	honeywell(r, "]C1", "0109506000134352", true);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	honeywell(r, "]Q1", "21X", false);   /* another symbology: a new scan */
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.bytes[0], "]C10109506000134352");
	assert_string_equal(g.fault[0], "symbology changed within a continued HID POS scan");
	assert_string_equal(g.bytes[1], "]Q121X");
	assert_string_equal(g.fault[1], "");

	honeywell(r, "]C1", "0109506000134352", true);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	r[0] = 0x09;
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.bytes[2], "]C10109506000134352");
	assert_non_null(strstr(g.fault[2], "report id 0x09"));
}

static void over_long_scan_is_bounded(void **state)
{
	struct hid_pos d = dec("honeywell");
	struct got g = { 0 };
	unsigned char r[64];
	char part[57];
	int i;
	(void)state;

	memset(part, '7', 56);
	part[56] = '\0';
	for (i = 0; i < 40; i++) {   /* 40 * 56 = 2240 bytes */
		honeywell(r, "]C0", part, true);
		hid_pos_report(&d, r, sizeof r, collect, &g);
	}
	assert_int_equal(g.n, 0);
	honeywell(r, "]C0", "", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.len[0], SOURCE_SCAN_MAX);
	assert_string_equal(g.fault[0], "scan longer than 1024 bytes (2243 bytes), discarded");
}

static void zebra_symbologies(void **state)
{
	struct hid_pos d = dec("zebra");
	struct got g = { 0 };
	unsigned char r[64];
	(void)state;

	zebra(r, 0xc1, "0109506000134352\x1d" "10D9T", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	zebra(r, 0x0b, "9506000134352", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	zebra(r, 0x03, "LOC:A-01", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	zebra(r, 0x77, "unknown symbology", false);   /* not in the table: no identifier */
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.bytes[0], "]d20109506000134352\x1d" "10D9T");
	assert_string_equal(g.bytes[1], "]E09506000134352");
	assert_string_equal(g.bytes[2], "]C0LOC:A-01");
	assert_string_equal(g.bytes[3], "unknown symbology");
	for (int i = 0; i < 4; i++)
		assert_string_equal(g.fault[i], "");
}

static void zebra_continued_and_malformed(void **state)
{
	struct hid_pos d = dec("zebra");
	struct got g = { 0 };
	unsigned char r[64];
	(void)state;

	zebra(r, 0x0f, "0109506000134352", true);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	zebra(r, 0x0f, "17300630", true);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	zebra(r, 0x0f, "21SN-1", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.bytes[0], "]C1010950600013435217300630" "21SN-1");

	zebra(r, 0x0f, "A", true);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	zebra(r, 0x03, "B", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.bytes[1], "]C1A");
	assert_string_equal(g.fault[1], "symbology changed within a continued HID POS scan");
	assert_string_equal(g.bytes[2], "]C0B");

	zebra(r, 0x03, "X", false);
	r[3] = 61;
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 4);
	assert_non_null(strstr(g.fault[3], "data length 61 is beyond the 60 bytes"));
	/* a honeywell report sent to a zebra profile is refused, not misread */
	honeywell(r, "]C0", "X", false);
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 5);
	assert_non_null(strstr(g.fault[4], "report id 0x02 is not the zebra scan report (0x22)"));
}

/* Newland: [1] length, data from [2], [62] symbology id, [63] more; no AIM. */
static void newland_reports(void **state)
{
	unsigned char r[64] = { 0x02, 10 };
	struct hid_pos d;
	struct got g = { 0 };

	(void)state;
	hid_pos_init(&d, hid_pos_profile_find("newland"));
	assert_int_equal(hid_pos_report_size(hid_pos_profile_find("newland")), 64);
	memcpy(r + 2, "LOC:A-01-0", 10);
	r[62] = 0x32;
	r[63] = 1;
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 0);
	memset(r + 2, 0, 60);
	r[1] = 1;
	r[2] = '1';
	r[63] = 0;
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.bytes[0], "LOC:A-01-01");
	assert_string_equal(g.fault[0], "");
	/* 57 data bytes do not fit a Newland report */
	r[1] = 57;
	hid_pos_report(&d, r, sizeof r, collect, &g);
	assert_int_equal(g.n, 2);
	assert_non_null(strstr(g.fault[1], "beyond"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(profiles_are_named),
		cmocka_unit_test(honeywell_single_report),
		cmocka_unit_test(honeywell_continued_reports),
		cmocka_unit_test(honeywell_without_aim_and_empty),
		cmocka_unit_test(honeywell_malformed),
		cmocka_unit_test(continued_scan_broken_midway),
		cmocka_unit_test(over_long_scan_is_bounded),
		cmocka_unit_test(zebra_symbologies),
		cmocka_unit_test(zebra_continued_and_malformed),
		cmocka_unit_test(newland_reports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
