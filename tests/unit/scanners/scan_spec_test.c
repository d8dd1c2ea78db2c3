/*
 * scan_spec_test.c - the KIND:SPEC of a station's scanner: the registry
 * finds kinds and refuses unknown ones, and specs split into a first word
 * and checked key=value options.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "scan_source.h"

static void registry_finds_kinds(void **state)
{
	struct wms_error err = { 0 };
	const char *spec;
	(void)state;

	assert_ptr_equal(scan_source_find("fifo:/run/x", &spec, &err), &scan_source_fifo);
	assert_string_equal(spec, "/run/x");
	assert_null(scan_source_find("laser:/dev/x", &spec, &err));
	assert_non_null(strstr(err.msg, "unknown scanner kind \"laser\""));
	assert_non_null(strstr(err.msg, "kinds: fifo"));
	assert_null(scan_source_find("/dev/ttyACM0", &spec, &err));
	assert_non_null(strstr(err.msg, "not KIND:SPEC"));
}

static void spec_splits_and_checks(void **state)
{
	struct wms_error err = { 0 };
	struct scan_spec s;
	long v;
	(void)state;

	assert_int_equal(scan_spec_parse(" /dev/ttyACM0  baud=9600 terminator=cr", "baud terminator",
	                                 &s, &err), 0);
	assert_string_equal(s.first, "/dev/ttyACM0");
	assert_int_equal(s.n, 2);
	assert_string_equal(scan_spec_get(&s, "terminator"), "cr");
	assert_null(scan_spec_get(&s, "parity"));
	assert_int_equal(scan_spec_long(&s, "baud", 50, 921600, 9600, &v, &err), 0);
	assert_int_equal(v, 9600);
	assert_int_equal(scan_spec_long(&s, "timeout", 1, 10, 7, &v, &err), 0);
	assert_int_equal(v, 7);

	assert_int_equal(scan_spec_parse("x speed=1", "baud", &s, &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "unknown option \"speed\"; options: baud"));
	assert_int_equal(scan_spec_parse("x baud=1 baud=2", "baud", &s, &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "given twice"));
	assert_int_equal(scan_spec_parse("x baud=", "baud", &s, &err), WMS_ECONFIG);
	assert_int_equal(scan_spec_parse("x baud=1 loose", "baud", &s, &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "\"loose\" is not key=value"));
	assert_int_equal(scan_spec_parse("x baud=96k", "baud", &s, &err), 0);
	assert_int_equal(scan_spec_long(&s, "baud", 50, 921600, 9600, &v, &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "baud=96k: a whole number from 50 to 921600"));
}

/* gs=sent|dropped|C: does the scanner transmit the GS1 separator? */
static void spec_gs_option(void **state)
{
	struct scan_spec s;
	struct wms_error err = { 0 };
	enum gs1_separators gs;
	char sub;

	(void)state;
	assert_int_equal(scan_spec_parse("x", "gs", &s, &err), 0);
	assert_int_equal(scan_spec_gs(&s, GS1_SEP_DROPPED, &gs, &sub, &err), 0);
	assert_int_equal(gs, GS1_SEP_DROPPED);
	assert_int_equal(sub, 0);
	assert_int_equal(scan_spec_parse("x gs=sent", "gs", &s, &err), 0);
	assert_int_equal(scan_spec_gs(&s, GS1_SEP_DROPPED, &gs, &sub, &err), 0);
	assert_int_equal(gs, GS1_SEP_SENT);
	assert_int_equal(scan_spec_parse("x gs=dropped", "gs", &s, &err), 0);
	assert_int_equal(scan_spec_gs(&s, GS1_SEP_SENT, &gs, &sub, &err), 0);
	assert_int_equal(gs, GS1_SEP_DROPPED);
	assert_int_equal(scan_spec_parse("x gs=~", "gs", &s, &err), 0);
	assert_int_equal(scan_spec_gs(&s, GS1_SEP_DROPPED, &gs, &sub, &err), 0);
	assert_int_equal(gs, GS1_SEP_SENT);
	assert_int_equal(sub, '~');
	assert_int_equal(scan_spec_parse("x gs=A", "gs", &s, &err), 0);
	assert_int_equal(scan_spec_gs(&s, GS1_SEP_SENT, &gs, &sub, &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "gs=dropped"));
	assert_int_equal(scan_spec_parse("x gs=~~", "gs", &s, &err), 0);
	assert_int_equal(scan_spec_gs(&s, GS1_SEP_SENT, &gs, &sub, &err), WMS_ECONFIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(registry_finds_kinds),
		cmocka_unit_test(spec_splits_and_checks),
		cmocka_unit_test(spec_gs_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
