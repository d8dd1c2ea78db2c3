/*
 * camera_test.c - what can be tested of the V4L2 camera source without a
 * camera (there is none here, and umockdev cannot script V4L2 ioctls):
 * spec checking and its messages, an absent device (WMS_ENOTFOUND, so the
 * daemon retries), a character device that is not V4L2, the registry, and
 * the debouncing that makes a barcode held in front of the camera one scan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "image_debounce.h"
#include "scan_source.h"

static struct wms_error err;

static int check(const char *spec)
{
	memset(&err, 0, sizeof err);
	return scan_source_camera.check(spec, &err);
}

static void expect_config(const char *spec, const char *msg_part)
{
	if (check(spec) != WMS_ECONFIG)
		fail_msg("\"%s\" was accepted", spec);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", spec, err.msg, msg_part);
}

static void test_spec(void **state)
{
	(void)state;
	assert_int_equal(check("/dev/video0"), 0);
	assert_int_equal(check("/dev/v4l/by-id/usb-Logitech-video-index0 width=1920 height=1080 fps=30 "
	                       "format=YUYV interval_ms=100 hold_ms=800 budget_ms=50"), 0);
	assert_int_equal(check("/dev/video0 format=GREY interval_ms=0"), 0);
	expect_config("/dev/video0 format=MJPG", "MJPG is not supported");
	expect_config("/dev/video0 format=MJPG", "allowed: GREY, YUYV");
	expect_config("/dev/video0 format=RGB3", "format=RGB3 is not known");
	expect_config("/dev/video0 width=8", "width");
	expect_config("/dev/video0 fps=0", "fps");
	expect_config("/dev/video0 budget_ms=5000", "budget_ms");
	/* a station's decoding: ZBar's density, libdmtx's shrink */
	assert_int_equal(check("/dev/video0 density=1 shrink=1"), 0);
	assert_int_equal(check("/dev/video0 density=8 shrink=4 budget_ms=10"), 0);
	expect_config("/dev/video0 density=0", "density");
	expect_config("/dev/video0 density=9", "from 1 to 8");
	expect_config("/dev/video0 shrink=5", "shrink");
	expect_config("/dev/video0 exposure=10", "exposure");
	expect_config("video0", "a device path is needed");
	expect_config("/dev/video0 width=640 width=800", "width");
}

static void test_open_absent_and_wrong(void **state)
{
	struct scan_source *src = (struct scan_source *)&err;

	(void)state;
	assert_int_equal(scan_source_camera.open("/dev/video97 width=640 height=480", "cam-1", &src, &err),
	                 WMS_ENOTFOUND);
	assert_null(src);
	assert_non_null(strstr(err.msg, "cannot open /dev/video97"));
	/* a character device that answers no V4L2 ioctl */
	assert_int_equal(scan_source_camera.open("/dev/null", "cam-1", &src, &err), WMS_EIO);
	assert_null(src);
	assert_non_null(strstr(err.msg, "/dev/null is not a V4L2 device"));
	/* refused before touching the device */
	assert_int_equal(scan_source_camera.open("/dev/null format=MJPG", "cam-1", &src, &err), WMS_ECONFIG);
	scan_source_camera.close(NULL);
}

static void test_registry(void **state)
{
	const char *spec = NULL;

	(void)state;
	assert_ptr_equal(scan_source_find("camera:/dev/video0 fps=5", &spec, &err), &scan_source_camera);
	/* the camera takes a station's expected symbols; a scanner sending one scan per read does not */
	assert_non_null(scan_source_camera.set_symbols);
	assert_null(scan_source_fifo.set_symbols);
	assert_string_equal(spec, "/dev/video0 fps=5");
	assert_ptr_equal(scan_source_find("evdev:/dev/input/event3", &spec, &err), &scan_source_evdev);
	assert_non_null(strstr(scan_source_kinds(), "camera"));
	assert_non_null(strstr(scan_source_kinds(), "evdev"));
}

static bool seen(struct scan_debounce *d, const char *s, long long now)
{
	return scan_debounce_seen(d, (const unsigned char *)s, strlen(s), now);
}

static void test_debounce(void **state)
{
	static struct scan_debounce d;
	char code[32];

	(void)state;
	scan_debounce_init(&d, 500);
	/* held in front of the camera for 2 s, a frame every 100 ms: one scan */
	assert_true(seen(&d, "]d2010950600013435221A", 0));
	for (long long t = 100; t <= 2000; t += 100)
		assert_false(seen(&d, "]d2010950600013435221A", t));
	/* a missed frame or two (under hold_ms) is not a new scan */
	assert_false(seen(&d, "]d2010950600013435221A", 2400));
	/* taken away for longer than hold_ms and shown again: a new scan */
	assert_true(seen(&d, "]d2010950600013435221A", 3000));
	/* a different barcode at once, even one differing in its last byte */
	assert_true(seen(&d, "]d2010950600013435221B", 3000));
	assert_true(seen(&d, "]C0LOC:A-01-01", 3000));
	assert_false(seen(&d, "]C0LOC:A-01-01", 3100));
	assert_false(seen(&d, "", 3100));
	/* more barcodes than slots: none is dropped, the oldest is forgotten */
	for (int i = 0; i < SCAN_DEBOUNCE_SLOTS + 4; i++) {
		snprintf(code, sizeof code, "]C0LOC:B-%02d", i);
		assert_true(seen(&d, code, 4000 + i));
	}
	assert_true(seen(&d, "]C0LOC:B-00", 4100));      /* forgotten, so new again */
	assert_false(seen(&d, "]C0LOC:B-19", 4101));     /* still remembered */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec),
		cmocka_unit_test(test_open_absent_and_wrong),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_debounce),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
