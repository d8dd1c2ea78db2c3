/*
 * usb_source_test.c - the usb-pos and usb-kbd sources with the real libusb
 * against devices emulated by umockdev (run under umockdev-wrapper): HID
 * POS scans of both vendor profiles including a scan in three reports,
 * boot-keyboard scans on the US and Swedish layouts, the scan bytes
 * interpreted by scan_interpret(), absent devices and bad SPECs refused, a
 * stalled endpoint reported, and the scanner unplugged and plugged back
 * while the source stays open.
 *
 * The fixtures (tests/fixtures/usb, written by gen.py) replay interrupt
 * reports; umockdev starts a replay over when it ends, so a test reads the
 * first round only.  umockdev's ioctl replay (.ioctl) keeps one URB at a
 * time, so those tests read with transfers=1; its pcap replay (.pcap, usbmon
 * records) takes several in flight, and transfers_in_flight reads one with
 * the sources' default of four.  The loop in pump() is the daemon's: poll what
 * pollfds() returns, dispatch, ask again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <umockdev.h>

#include "barcode.h"
#include "source_usb.h"

#define FIX WMS_FIXTURES "/usb/"
#define SYSPATH "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1"
#define NODE "/dev/bus/usb/001/002"
#define GS "\x1d"
#define UDI "0109506000134352" "17300630" "1010D9T" GS "21SN-1001"
#define MAX_GOT 16

struct got {
	int n;                        /* scans seen; the first MAX_GOT are kept */
	char bytes[MAX_GOT][SOURCE_SCAN_MAX + 1];
	char fault[MAX_GOT][160];
	char station[MAX_GOT][32];
};

static void collect(void *ctx, const struct scan *s)
{
	struct got *g = ctx;

	assert_true(s->len <= SOURCE_SCAN_MAX);
	assert_true(s->mono_ms > 0);
	if (g->n < MAX_GOT) {
		memcpy(g->bytes[g->n], s->bytes, s->len);
		g->bytes[g->n][s->len] = '\0';
		snprintf(g->fault[g->n], sizeof g->fault[0], "%s", s->fault ? s->fault : "");
		snprintf(g->station[g->n], sizeof g->station[0], "%s", s->station);
	}
	g->n++;
}

static UMockdevTestbed *plug(UMockdevTestbed *tb, const char *device, const char *replay)
{
	GError *gerr = NULL;

	if (tb == NULL)
		tb = umockdev_testbed_new();
	if (!umockdev_testbed_add_from_file(tb, device, &gerr) ||
	    !umockdev_testbed_load_ioctl(tb, NODE, replay, &gerr))
		fail_msg("umockdev: %s", gerr->message);
	return tb;
}

/*
 * The daemon's loop for up to ms milliseconds: until want scans were seen
 * (want > 0), or until the source's attached state is attached (want 0).
 */
static int pump(struct scan_source *src, struct got *g, int want, bool attached, int ms)
{
	long long end = scan_source_now_ms() + ms;
	struct wms_error err = { 0 };

	while (scan_source_now_ms() < end) {
		struct pollfd fds[SCAN_SOURCE_MAX_FDS];
		int n = src->ops->pollfds(src, fds, SCAN_SOURCE_MAX_FDS);
		long t = src->ops->timeout_ms ? src->ops->timeout_ms(src, scan_source_now_ms()) : -1;
		short revents = 0;
		int rc;

		if (want > 0 && g->n >= want)
			return 0;
		if (want == 0 && scan_source_usb_attached(src) == attached)
			return 0;
		rc = poll(fds, (nfds_t)n, t < 0 || t > 20 ? 20 : (int)t);
		for (int i = 0; rc > 0 && i < n; i++)
			revents |= fds[i].revents;
		if ((rc = src->ops->dispatch(src, revents, collect, g, &err)) < 0) {
			print_error("dispatch: %s\n", err.msg);
			return rc;
		}
	}
	return -1;
}

static struct scan_source *open_source(const char *scanner)
{
	struct wms_error err = { 0 };
	struct scan_source *src = NULL;
	const char *spec;
	const struct scan_source_ops *ops = scan_source_find(scanner, &spec, &err);

	assert_non_null(ops);
	assert_int_equal(ops->check(spec, &err), 0);
	if (ops->open(spec, "goods-in", &src, &err) < 0)
		fail_msg("open %s: %s", scanner, err.msg);
	assert_true(scan_source_usb_attached(src));
	return src;
}

/* The scan means what the barcode says: a UDI with serial and lot. */
static void assert_udi(const char *bytes, const char *serial)
{
	struct scan_options opt = { .ref_year = 2026 };
	struct scan_result r;
	struct wms_error err = { 0 };

	assert_int_equal(scan_interpret(bytes, strlen(bytes), &opt, &r, &err), 0);
	assert_int_equal(r.kind, SCAN_UDI);
	assert_string_equal(r.udi.gtin, "09506000134352");
	assert_string_equal(r.udi.serial, serial);
	assert_string_equal(r.udi.lot, "10D9T");
}

static void honeywell_pos_scans(void **state)
{
	UMockdevTestbed *tb = plug(NULL, FIX "honeywell.umockdev", FIX "honeywell.ioctl");
	struct scan_source *src = open_source("usb-pos:0c2e:0b87 serial=HW-0001 profile=honeywell transfers=1");
	struct got g = { 0 };
	(void)state;

	assert_int_equal(pump(src, &g, 3, true, 5000), 0);
	assert_string_equal(g.bytes[0], "]d2" UDI);
	/* three reports, the last one empty, make one scan */
	assert_string_equal(g.bytes[1], "]C1" "0109506000134352" "17300630" "1010D9T" GS "21SN-1002");
	assert_string_equal(g.bytes[2], "]C0LOC:A-01-01");
	for (int i = 0; i < 3; i++) {
		assert_string_equal(g.fault[i], "");
		assert_string_equal(g.station[i], "goods-in");
	}
	assert_udi(g.bytes[0], "SN-1001");
	assert_udi(g.bytes[1], "SN-1002");
	src->ops->close(src);
	g_object_unref(tb);
}

/* The real reports of a Honeywell Voyager 1602g (tests/fixtures/scanners/
 * honeywell-1602g-revinf.txt) through libusb and the source, byte for byte:
 * six reports (continuation byte 63 = 1, code id 0x3F at 61) make one
 * message, the seventh (code id '6') another. */
static void honeywell_1602g_real_reports(void **state)
{
	UMockdevTestbed *tb = plug(NULL, FIX "honeywell-1602g.umockdev", FIX "honeywell-1602g.ioctl");
	struct scan_source *src = open_source("usb-pos:0c2e:0db3 transfers=1");
	struct got g = { 0 };
	(void)state;

	assert_int_equal(pump(src, &g, 2, true, 5000), 0);
	assert_string_equal(g.fault[0], "");
	assert_int_equal(strncmp(g.bytes[0], "]X0Product Name: Voyager 1602g\r\n", 32), 0);
	assert_non_null(strstr(g.bytes[0], "Checksum: N/A\r\n"));
	assert_int_equal(strlen(g.bytes[0]), 3 + 5 * 56 + 9);
	assert_string_equal(g.bytes[1], "]Z6REVINF\x06.");
	src->ops->close(src);
	g_object_unref(tb);
}

/*
 * Four interrupt URBs in flight (the default): the usbmon recording submits
 * four before the first report completes, and umockdev's pcap replay goes
 * on only when the source has submitted as many (with one it would wait
 * for the second submission forever).  The scans come whole and in order,
 * the one split over three reports too, though its reports complete in
 * different transfers; closing cancels the four still in flight.
 */
static void transfers_in_flight(void **state)
{
	UMockdevTestbed *tb = umockdev_testbed_new();
	GError *gerr = NULL;
	struct scan_source *src;
	struct got g = { 0 };
	(void)state;

	if (!umockdev_testbed_add_from_file(tb, FIX "honeywell.umockdev", &gerr) ||
	    !umockdev_testbed_load_pcap(tb, SYSPATH, FIX "honeywell-inflight.pcap", &gerr))
		fail_msg("umockdev: %s", gerr->message);
	src = open_source("usb-pos:0c2e:0b87 serial=HW-0001");
	assert_int_equal(pump(src, &g, 3, true, 5000), 0);
	assert_string_equal(g.bytes[0], "]d2" UDI);
	assert_string_equal(g.bytes[1], "]C1" "0109506000134352" "17300630" "1010D9T" GS "21SN-1002");
	assert_string_equal(g.bytes[2], "]C0LOC:A-01-01");
	for (int i = 0; i < 3; i++)
		assert_string_equal(g.fault[i], "");
	assert_int_equal(pump(src, &g, 4, true, 300), -1);   /* nothing more */
	assert_int_equal(g.n, 3);
	src->ops->close(src);
	g_object_unref(tb);
}

static void zebra_pos_scans(void **state)
{
	UMockdevTestbed *tb = plug(NULL, FIX "zebra.umockdev", FIX "zebra.ioctl");
	struct scan_source *src = open_source("usb-pos:05e0:1300 profile=zebra endpoint=0x81 transfers=1");
	struct got g = { 0 };
	(void)state;

	assert_int_equal(pump(src, &g, 2, true, 5000), 0);
	assert_string_equal(g.bytes[0], "]d2" UDI);
	assert_string_equal(g.bytes[1], "]C0LOC:A-01-01");
	assert_udi(g.bytes[0], "SN-1001");
	src->ops->close(src);
	g_object_unref(tb);
}

static void keyboard_scans(const char *scanner, const char *replay)
{
	UMockdevTestbed *tb = plug(NULL, FIX "keyboard.umockdev", replay);
	struct scan_source *src = open_source(scanner);
	struct got g = { 0 };

	assert_int_equal(pump(src, &g, 2, true, 5000), 0);
	assert_string_equal(g.bytes[0], UDI);
	assert_string_equal(g.bytes[1], "LOC:A-01-01");
	assert_string_equal(g.fault[0], "");
	assert_udi(g.bytes[0], "SN-1001");
	src->ops->close(src);
	g_object_unref(tb);
}

static void keyboard_us(void **state)
{
	(void)state;
	keyboard_scans("usb-kbd:05e0:1200 transfers=1", FIX "keyboard-us.ioctl");
}

static void keyboard_sv(void **state)
{
	(void)state;
	keyboard_scans("usb-kbd:05e0:1200 keymap=sv serial=KB-0001 interface=0 transfers=1", FIX "keyboard-sv.ioctl");
}

static void absent_and_refused(void **state)
{
	UMockdevTestbed *tb = plug(NULL, FIX "honeywell.umockdev", FIX "honeywell.ioctl");
	struct wms_error err = { 0 };
	struct scan_source *src = (struct scan_source *)1;
	(void)state;

	assert_int_equal(scan_source_usb_pos.open("0c2e:0b87 serial=OTHER", "s", &src, &err),
	                 WMS_ENOTFOUND);
	assert_null(src);
	assert_string_equal(err.msg, "usb-pos:0c2e:0b87 serial=OTHER: no such USB device attached");
	assert_int_equal(scan_source_usb_kbd.open("1234:5678", "s", &src, &err), WMS_ENOTFOUND);
	assert_int_equal(scan_source_usb_pos.open("0c2e:0b87 interface=3", "s", &src, &err),
	                 WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "no interface 3 (it has 1)"));
	assert_int_equal(scan_source_usb_pos.open("0c2e:0b87 endpoint=0x82", "s", &src, &err),
	                 WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "no interrupt IN endpoint with that address"));

	assert_int_equal(scan_source_usb_pos.check("c2e:b87", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "VID:PID, four hex digits each"));
	assert_int_equal(scan_source_usb_pos.check("0c2e:0b8g", &err), WMS_ECONFIG);
	assert_int_equal(scan_source_usb_pos.check("0c2e", &err), WMS_ECONFIG);
	assert_int_equal(scan_source_usb_pos.check("+c2e:0b87", &err), WMS_ECONFIG);
	assert_int_equal(scan_source_usb_pos.check("0x0c:0b87", &err), WMS_ECONFIG);
	assert_int_equal(scan_source_usb_pos.check("0C2E:0B87", &err), 0);
	assert_int_equal(scan_source_usb_pos.check("0c2e:0b87 profile=acme", &err), WMS_ECONFIG);
	assert_string_equal(err.msg, "usb-pos: profile=acme: one of honeywell, zebra, newland");
	assert_int_equal(scan_source_usb_pos.check("0c2e:0b87 keymap=sv", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "unknown option \"keymap\""));
	assert_int_equal(scan_source_usb_kbd.check("0c2e:0b87 keymap=de", &err), WMS_ECONFIG);
	assert_string_equal(err.msg, "usb-kbd: keymap=de: one of us, sv");
	assert_int_equal(scan_source_usb_kbd.check("0c2e:0b87 endpoint=0x01", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "an IN endpoint address from 0x81 to 0x8f"));
	assert_int_equal(scan_source_usb_kbd.check("0c2e:0b87 interface=32", &err), WMS_ECONFIG);
	assert_int_equal(scan_source_usb_pos.check("0c2e:0b87 transfers=0", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "transfers"));
	assert_int_equal(scan_source_usb_kbd.check("0c2e:0b87 transfers=17", &err), WMS_ECONFIG);
	assert_int_equal(scan_source_usb_pos.check("0c2e:0b87 transfers=16", &err), 0);
	assert_int_equal(scan_source_usb_kbd.check("0c2e:0b87 serial=X interface=1 endpoint=0x83",
	                                           &err), 0);
	/* Zebra's USB mode is in its product id: each kind refuses the modes it cannot read */
	assert_int_equal(scan_source_usb_pos.check("05e0:1200", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "HID keyboard emulation mode"));
	assert_non_null(strstr(err.msg, "use usb-kbd: or evdev:"));
	assert_int_equal(scan_source_usb_pos.check("05e0:1900", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "SNAPI"));
	assert_int_equal(scan_source_usb_pos.check("05e0:0600", &err), WMS_ECONFIG);
	assert_int_equal(scan_source_usb_kbd.check("05e0:1300", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "USB OPOS"));
	assert_int_equal(scan_source_usb_kbd.check("05e0:1200", &err), 0);
	assert_int_equal(scan_source_usb_pos.check("05e0:1300", &err), 0);
	g_object_unref(tb);
}

/*
 * A Honeywell that shows a boot keyboard and HID POS under one VID:PID (the
 * real 0c2e:0901 enumeration in /work/shared/scanner-captures.md 1.3), here
 * with the firmware's vendor-page "ReM" interface put before the HID POS
 * one: without interface=N, usb-pos takes the interface whose report
 * descriptor says usage page 0x8C, never 0xFF8C, and reads its endpoint 0x82.
 */
static void composite_honeywell(void **state)
{
	UMockdevTestbed *tb = umockdev_testbed_new();
	struct scan_source *src = NULL;
	struct wms_error err = { 0 };
	struct got g = { 0 };
	GError *gerr = NULL;
	(void)state;

	if (!umockdev_testbed_add_from_file(tb, FIX "honeywell-composite.umockdev", &gerr) ||
	    !umockdev_testbed_load_ioctl(tb, NODE, FIX "honeywell-composite.ioctl", &gerr))
		fail_msg("umockdev: %s", gerr->message);
	if (scan_source_usb_pos.open("0c2e:0901 transfers=1", "goods-in", &src, &err) != 0)
		fail_msg("open: %s", err.msg);
	assert_int_equal(pump(src, &g, 1, true, 5000), 0);
	assert_string_equal(g.fault[0], "");
	assert_string_equal(g.bytes[0], "]d2" UDI);
	src->ops->close(src);
	g_object_unref(tb);
}

static void stall_is_an_error(void **state)
{
	UMockdevTestbed *tb = plug(NULL, FIX "honeywell.umockdev", FIX "honeywell-stall.ioctl");
	struct scan_source *src = open_source("usb-pos:0c2e:0b87 transfers=1");
	struct wms_error err = { 0 };
	struct got g = { 0 };
	int rc = 0;
	(void)state;

	/* the scan before the stall is delivered; then dispatch says the device failed */
	for (int i = 0; i < 500 && rc == 0; i++) {
		struct pollfd fds[SCAN_SOURCE_MAX_FDS];
		int n = src->ops->pollfds(src, fds, SCAN_SOURCE_MAX_FDS);
		poll(fds, (nfds_t)n, 10);
		rc = src->ops->dispatch(src, 0, collect, &g, &err);
	}
	assert_int_equal(rc, WMS_EIO);
	assert_string_equal(err.msg, "usb-pos:0c2e:0b87 transfers=1: interrupt transfer failed: "
	                             "LIBUSB_TRANSFER_STALL");
	assert_int_equal(g.n, 1);
	assert_string_equal(g.bytes[0], "]C0LOC:A-01-01");
	src->ops->close(src);
	g_object_unref(tb);
}

static void unplug_and_replug(void **state)
{
	UMockdevTestbed *tb = plug(NULL, FIX "honeywell.umockdev", FIX "honeywell.ioctl");
	struct scan_source *src = open_source("usb-pos:0c2e:0b87 serial=HW-0001 transfers=1");
	struct got g = { 0 };
	(void)state;

	assert_int_equal(pump(src, &g, 1, true, 5000), 0);
	assert_string_equal(g.bytes[0], "]d2" UDI);

	umockdev_testbed_uevent(tb, SYSPATH, "remove");
	umockdev_testbed_remove_device(tb, SYSPATH);
	assert_int_equal(pump(src, &g, 0, false, 5000), 0);   /* released, still open */
	g.n = 0;
	assert_int_equal(pump(src, &g, 1, false, 300), -1);   /* nothing while unplugged */
	assert_int_equal(g.n, 0);
	assert_false(scan_source_usb_attached(src));

	plug(tb, FIX "honeywell.umockdev", FIX "honeywell.ioctl");
	umockdev_testbed_uevent(tb, SYSPATH, "add");
	assert_int_equal(pump(src, &g, 0, true, 5000), 0);    /* back by itself */
	assert_int_equal(pump(src, &g, 3, true, 5000), 0);    /* and scanning */
	assert_string_equal(g.bytes[0], "]d2" UDI);
	assert_string_equal(g.bytes[2], "]C0LOC:A-01-01");
	src->ops->close(src);
	g_object_unref(tb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(honeywell_pos_scans),
		cmocka_unit_test(transfers_in_flight),
		cmocka_unit_test(zebra_pos_scans),
		cmocka_unit_test(keyboard_us),
		cmocka_unit_test(keyboard_sv),
		cmocka_unit_test(honeywell_1602g_real_reports),
		cmocka_unit_test(absent_and_refused),
		cmocka_unit_test(composite_honeywell),
		cmocka_unit_test(stall_is_an_error),
		cmocka_unit_test(unplug_and_replug),
	};

	if (getenv("LD_PRELOAD") == NULL || strstr(getenv("LD_PRELOAD"), "umockdev") == NULL) {
		fprintf(stderr, "usb_source_test: run me under umockdev-wrapper\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
