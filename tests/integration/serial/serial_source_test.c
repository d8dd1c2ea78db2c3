/*
 * serial_source_test.c - the serial scanner source (scanners/source_serial.c)
 * with the real libserialport against an emulated USB CDC ACM scanner
 * (acm_testbed.h; run with LD_PRELOAD=<tty_modem_shim>:libumockdev-preload.so.0).
 *
 * The test plays the scanner on the other side of the port: it finds the
 * port by usb=VID:PID (and serial number), frames CR/LF/CRLF and timeout
 * scans, survives garbage, NUL bytes and over-long lines, writes the
 * good/bad command strings back, reports unplug as WMS_EIO, an absent port
 * as WMS_ENOTFOUND, and reopens the scanner replugged as ttyACM1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include "acm_testbed.h"
#include "scan_source.h"

#define MAX_SCANS 16

struct got {
	int n;
	char text[MAX_SCANS][SOURCE_SCAN_MAX + 1];
	size_t len[MAX_SCANS];
	char fault[MAX_SCANS][96];
	char station[32];
};

static UMockdevTestbed *tb;
static struct acm_dev acm;
static struct got got;   /* large: not on the stack */

static void collect(void *ctx, const struct scan *scan)
{
	struct got *g = ctx;

	assert_true(g->n < MAX_SCANS);
	assert_true(scan->len <= SOURCE_SCAN_MAX);
	assert_true(scan->mono_ms > 0);
	memcpy(g->text[g->n], scan->bytes, scan->len);
	g->text[g->n][scan->len] = '\0';
	g->len[g->n] = scan->len;
	snprintf(g->fault[g->n], sizeof g->fault[0], "%s", scan->fault ? scan->fault : "");
	snprintf(g->station, sizeof g->station, "%s", scan->station);
	g->n++;
}

static void scanner_sends(const void *bytes, size_t len)
{
	assert_int_equal(write(acm.master, bytes, len), (ssize_t)len);
}

/* What the source wrote to the scanner within ms milliseconds. */
static size_t scanner_reads(unsigned char *buf, size_t size, int ms)
{
	struct pollfd p = { .fd = acm.master, .events = POLLIN };
	size_t n = 0;

	while (n < size && poll(&p, 1, ms) == 1) {
		ssize_t r = read(acm.master, buf + n, size - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		ms = 50;   /* the rest of a command comes at once */
	}
	return n;
}

/* Run the source as the daemon does until `want` scans arrived, or an
 * error, or max_ms passed.  Returns dispatch's result. */
/* The line settings the source put on the port (a pty master reports its
 * slave's termios; a pty forces CS8 without parity, so data bits and
 * parity cannot be seen here: serial_options_test checks their parsing). */
static void line_is(speed_t speed, bool two_stop)
{
	struct termios t;

	assert_int_equal(tcgetattr(acm.master, &t), 0);
	assert_int_equal(cfgetispeed(&t), speed);
	assert_int_equal(cfgetospeed(&t), speed);
	assert_int_equal(!!(t.c_cflag & CSTOPB), two_stop);
	assert_int_equal(t.c_cflag & CRTSCTS, 0);            /* no flow control */
	assert_int_equal(t.c_lflag & (ICANON | ECHO), 0);   /* raw: bytes as they come */
	assert_int_equal(t.c_iflag & (ICRNL | IXON), 0);
}

static int pump(struct scan_source *src, int want, int max_ms)
{
	long long end = scan_source_now_ms() + max_ms;
	struct wms_error err = { 0 };

	while (got.n < want && scan_source_now_ms() < end) {
		struct pollfd fds[SCAN_SOURCE_MAX_FDS];
		int n = src->ops->pollfds(src, fds, SCAN_SOURCE_MAX_FDS), rc;
		long t = src->ops->timeout_ms(src, scan_source_now_ms());
		short revents = 0;

		assert_int_equal(n, 1);
		assert_true(t >= 0 && t <= 1000);   /* at least the unplug check */
		if (poll(fds, (nfds_t)n, (int)(t > 20 ? 20 : t)) < 0 && errno != EINTR)
			fail_msg("poll: %s", strerror(errno));
		revents = fds[0].revents;
		if ((rc = src->ops->dispatch(src, revents, collect, &got, &err)) < 0) {
			print_message("dispatch: %s\n", err.msg);
			return rc;
		}
	}
	return 0;
}

static struct scan_source *open_ok(const char *scanner)
{
	struct wms_error err = { 0 };
	struct scan_source *src = NULL;
	const struct scan_source_ops *ops;
	const char *spec;

	ops = scan_source_find(scanner, &spec, &err);
	assert_ptr_equal(ops, &scan_source_serial);
	assert_int_equal(ops->check(spec, &err), 0);
	if (ops->open(spec, "goods-in", &src, &err) != 0)
		fail_msg("open %s: %s", scanner, err.msg);
	assert_non_null(src);
	memset(&got, 0, sizeof got);
	return src;
}

static void open_refused(const char *spec, int code, const char *why)
{
	struct wms_error err = { 0 };
	struct scan_source *src = (struct scan_source *)&err;   /* must become NULL */

	assert_int_equal(scan_source_serial.open(spec, "goods-in", &src, &err), code);
	assert_null(src);
	if (strstr(err.msg, why) == NULL)
		fail_msg("open %s: \"%s\" lacks \"%s\"", spec, err.msg, why);
}

static int setup(void **state)
{
	(void)state;
	tb = umockdev_testbed_new();
	return tb && acm_plug(tb, &acm, "ttyACM0", 2) == 0 ? 0 : -1;
}

static void finds_by_usb_and_frames_lines(void **state)
{
	static char longline[2001];
	unsigned char back[16];
	struct wms_error err = { 0 };
	struct scan_source *src;
	(void)state;

	open_refused("usb=0c2e:0b62", WMS_ENOTFOUND, "no serial port with USB 0c2e:0b62 is plugged in");
	open_refused("usb=" ACM_VID_PID " serial=OTHER", WMS_ENOTFOUND,
	             "no serial port with USB 0c2e:0b61 serial OTHER is plugged in");
	open_refused("/dev/ttyACM7", WMS_ENOTFOUND, "serial port /dev/ttyACM7 is not there");
	open_refused("/dev/ttyACM0 baud=7", WMS_ECONFIG, "baud=7: one of 1200");

	src = open_ok("serial:usb=" ACM_VID_PID " serial=" ACM_SERIAL " baud=9600 framing=8N1 "
	              "terminator=cr good=\\x07 bad=hex:1b4231");
	assert_string_equal(src->station, "goods-in");
	line_is(B9600, false);

	/* CR, LF, CRLF and a blank line, in pieces */
	scanner_sends("]C101095060001343", 17);
	assert_int_equal(pump(src, 1, 100), 0);
	assert_int_equal(got.n, 0);                 /* no terminator yet: nothing */
	scanner_sends("52\r\nLOC:ML-A01-1\n\r\nX\r", 21);
	assert_int_equal(pump(src, 3, 2000), 0);
	assert_int_equal(got.n, 3);
	assert_string_equal(got.text[0], "]C10109506000134352");
	assert_string_equal(got.text[1], "LOC:ML-A01-1");
	assert_string_equal(got.text[2], "X");
	assert_string_equal(got.fault[0], "");
	assert_string_equal(got.station, "goods-in");

	/* garbage: NUL, bytes above 0x7f, an over-long line; then a clean scan */
	memset(longline, 'A', 2000);
	longline[2000] = '\r';
	scanner_sends("ab\0cd\r\xff\xfe\x80\r", 10);
	scanner_sends(longline, sizeof longline);
	scanner_sends("OK\r", 3);
	assert_int_equal(pump(src, 7, 2000), 0);
	assert_int_equal(got.n, 7);
	assert_int_equal(got.len[3], 5);
	assert_memory_equal(got.text[3], "ab\0cd", 5);
	assert_string_equal(got.fault[3], "NUL byte in scan, discarded");
	assert_non_null(strstr(got.fault[4], "byte 0xff is not ASCII"));
	assert_int_equal(got.len[5], SOURCE_SCAN_MAX);
	assert_string_equal(got.fault[5], "scan longer than 1024 bytes (2000 bytes), discarded");
	assert_string_equal(got.text[6], "OK");
	assert_string_equal(got.fault[6], "");

	/* the good and bad command strings reach the scanner */
	assert_int_equal(src->ops->signal(src, SCAN_SIGNAL_GOOD, &err), 0);
	assert_int_equal(scanner_reads(back, sizeof back, 1000), 1);
	assert_int_equal(back[0], 0x07);
	assert_int_equal(src->ops->signal(src, SCAN_SIGNAL_BAD, &err), 0);
	assert_int_equal(scanner_reads(back, sizeof back, 1000), 3);
	assert_memory_equal(back, "\x1b" "B1", 3);
	src->ops->close(src);
}

static void timeout_framing_by_port_name(void **state)
{
	struct scan_source *src;
	long long t0;
	long t;
	(void)state;

	src = open_ok("serial:/dev/ttyACM0 baud=19200 framing=7E2 terminator=none timeout_ms=150");
	line_is(B19200, true);
	assert_int_equal(src->ops->signal(src, SCAN_SIGNAL_GOOD, NULL), 0);   /* none configured */
	scanner_sends("4711", 4);
	assert_int_equal(pump(src, 1, 60), 0);
	assert_int_equal(got.n, 0);
	t = src->ops->timeout_ms(src, scan_source_now_ms());
	assert_true(t > 0 && t <= 150);               /* the inter-character deadline */
	scanner_sends("\r0815", 5);                   /* CR is data without a terminator */
	t0 = scan_source_now_ms();
	assert_int_equal(pump(src, 1, 2000), 0);
	assert_int_equal(got.n, 1);
	assert_true(scan_source_now_ms() - t0 >= 140);
	assert_string_equal(got.text[0], "4711\r0815");
	assert_string_equal(got.fault[0], "");
	src->ops->close(src);
}

static void unplug_then_replug(void **state)
{
	struct wms_error err = { 0 };
	struct scan_source *src;
	int rc;
	(void)state;

	src = open_ok("serial:usb=" ACM_VID_PID " terminator=crlf timeout_ms=5000");
	scanner_sends("1234\r\n56", 8);
	assert_int_equal(pump(src, 1, 2000), 0);
	assert_string_equal(got.text[0], "1234");

	acm_unplug(tb, &acm);
	rc = pump(src, 99, 3000);
	assert_int_equal(rc, WMS_EIO);
	assert_int_equal(got.n, 2);                   /* the cut scan, as a fault */
	assert_string_equal(got.text[1], "56");
	assert_string_equal(got.fault[1], "scan cut short (the port went away), discarded");
	src->ops->close(src);

	open_refused("usb=" ACM_VID_PID, WMS_ENOTFOUND, "no serial port with USB 0c2e:0b61");
	open_refused("/dev/ttyACM0", WMS_ENOTFOUND, "serial port /dev/ttyACM0 is not there");

	/* replugged while the old node was still held: the kernel names it ttyACM1 */
	assert_int_equal(acm_plug(tb, &acm, "ttyACM1", 3), 0);
	src = open_ok("serial:usb=" ACM_VID_PID " serial=" ACM_SERIAL " terminator=crlf");
	scanner_sends("AGAIN\r\n", 7);
	assert_int_equal(pump(src, 1, 2000), 0);
	assert_int_equal(got.n, 1);
	assert_string_equal(got.text[0], "AGAIN");
	assert_int_equal(src->ops->dispatch(src, 0, collect, &got, &err), 0);   /* still there */
	src->ops->close(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_by_usb_and_frames_lines),
		cmocka_unit_test(timeout_framing_by_port_name),
		cmocka_unit_test(unplug_then_replug),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
