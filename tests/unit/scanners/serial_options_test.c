/*
 * serial_options_test.c - the SPEC of a serial scanner: defaults, every
 * option read, and every bad value refused with a message naming it and
 * what is allowed; the registry knows kind "serial" and its check().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "scan_source.h"
#include "serial_options.h"

static void defaults_and_options(void **state)
{
	struct wms_error err = { 0 };
	struct serial_options o;
	(void)state;

	assert_int_equal(serial_options_parse("/dev/ttyACM0", &o, &err), 0);
	assert_string_equal(o.port, "/dev/ttyACM0");
	assert_int_equal(o.vid, -1);
	assert_int_equal(o.baud, 9600);
	assert_int_equal(o.data_bits, 8);
	assert_int_equal(o.parity, 'N');
	assert_int_equal(o.stop_bits, 1);
	assert_int_equal(o.term, SERIAL_TERM_CR);
	assert_int_equal(o.gap_ms, 0);
	assert_false(o.aim);
	assert_int_equal(o.good_len, 0);
	assert_int_equal(o.bad_len, 0);

	assert_int_equal(serial_options_parse("usb=0C2E:0b61 serial=SN-1 baud=115200 framing=7E2 "
	                                      "terminator=none timeout_ms=80 aim=yes "
	                                      "good=\\x07\\r\\e bad=hex:1B4731", &o, &err), 0);
	assert_string_equal(o.port, "");
	assert_int_equal(o.vid, 0x0c2e);
	assert_int_equal(o.pid, 0x0b61);
	assert_string_equal(o.usb_serial, "SN-1");
	assert_int_equal(o.baud, 115200);
	assert_int_equal(o.data_bits, 7);
	assert_int_equal(o.parity, 'E');
	assert_int_equal(o.stop_bits, 2);
	assert_int_equal(o.term, SERIAL_TERM_NONE);
	assert_int_equal(o.gap_ms, 80);
	assert_true(o.aim);
	assert_int_equal(o.good_len, 3);
	assert_memory_equal(o.good, "\x07\r\x1b", 3);
	assert_int_equal(o.bad_len, 3);
	assert_memory_equal(o.bad, "\x1bG1", 3);
}

static void signal_bytes(void **state)
{
	struct wms_error err = { 0 };
	unsigned char b[8];
	size_t n;
	(void)state;

	assert_int_equal(serial_options_bytes("a\\x7\\0\\\\\\t", b, sizeof b, &n, &err), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(b, "a\x07\0\\\t", 5);
	assert_int_equal(serial_options_bytes("\\q", b, sizeof b, &n, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "unknown escape \"\\q\""));
	assert_int_equal(serial_options_bytes("\\", b, sizeof b, &n, &err), WMS_EINVAL);
	assert_int_equal(serial_options_bytes("\\xg", b, sizeof b, &n, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "\\x needs one or two hex digits"));
	assert_int_equal(serial_options_bytes("123456789", b, sizeof b, &n, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "more than 8 bytes"));
	assert_int_equal(serial_options_bytes("hex:0", b, sizeof b, &n, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "even number of hex digits"));
	assert_int_equal(serial_options_bytes("hex:0g", b, sizeof b, &n, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "\"0g\" is not a hex byte"));
	assert_int_equal(serial_options_bytes("\xc3\xa5", b, sizeof b, &n, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "byte 0xc3: write it as \\xc3"));
}

static void refused(const char *spec, const char *why)
{
	struct wms_error err = { 0 };
	struct serial_options o;

	assert_int_equal(serial_options_parse(spec, &o, &err), WMS_ECONFIG);
	if (strstr(err.msg, why) == NULL)
		fail_msg("spec \"%s\": message \"%s\" lacks \"%s\"", spec, err.msg, why);
}

static void bad_specs_refused(void **state)
{
	(void)state;

	refused("", "name a port (e.g. /dev/ttyACM0) or usb=VID:PID");
	refused("/dev/ttyACM0 usb=0c2e:0b61", "name a port (/dev/ttyACM0) or usb=VID:PID, not both");
	refused("ttyACM0", "port \"ttyACM0\": an absolute device path is needed");
	refused("usb=c2e:b61", "usb=c2e:b61: VID:PID as two 4-digit hex numbers");
	refused("usb=0c2e-0b61", "VID:PID as two 4-digit hex numbers");
	refused("usb=0x2e:0b61", "VID:PID as two 4-digit hex numbers");
	refused("/dev/ttyS0 serial=X", "serial=X: only with usb=VID:PID");
	refused("/dev/ttyS0 baud=9601", "baud=9601: one of 1200, 2400");
	refused("/dev/ttyS0 baud=fast", "baud=fast: a whole number");
	refused("/dev/ttyS0 framing=8N3", "framing=8N3: data bits 7 or 8, parity N, E or O");
	refused("/dev/ttyS0 framing=9N1", "framing=9N1");
	refused("/dev/ttyS0 framing=8n1", "framing=8n1");
	refused("/dev/ttyS0 terminator=tab", "terminator=tab: cr, lf, crlf or none");
	refused("/dev/ttyS0 terminator=none", "terminator=none needs timeout_ms=N");
	refused("/dev/ttyS0 timeout_ms=0", "timeout_ms=0: a whole number from 1 to 10000");
	refused("/dev/ttyS0 aim=maybe", "aim=maybe: yes or no");
	refused("/dev/ttyS0 good=\\z", "good=\\z: unknown escape");
	refused("/dev/ttyS0 bad=hex:123", "bad=hex:123: hex:123: an even number of hex digits");
	refused("/dev/ttyS0 parity=E", "unknown option \"parity\"; options: usb serial baud framing");
}

static void registry_knows_serial(void **state)
{
	struct wms_error err = { 0 };
	const struct scan_source_ops *ops;
	const char *spec;
	(void)state;

	ops = scan_source_find("serial:usb=0c2e:0b61 terminator=crlf", &spec, &err);
	assert_ptr_equal(ops, &scan_source_serial);
	assert_int_equal(ops->check(spec, &err), 0);
	assert_int_equal(ops->check("/dev/ttyACM0 baud=12", &err), WMS_ECONFIG);
	assert_non_null(strstr(scan_source_kinds(), "serial"));
	assert_non_null(strstr(ops->usage, "usb=VID:PID"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_and_options),
		cmocka_unit_test(signal_bytes),
		cmocka_unit_test(bad_specs_refused),
		cmocka_unit_test(registry_knows_serial),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
