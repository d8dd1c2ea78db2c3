/*
 * config_test.c - the INI configuration: defaults, every key, line-numbered
 * errors, depot calendars, and sections handed to the caller.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wms_config.h"

static char path[64];

static const char *write_conf(const char *text)
{
	FILE *f;
	int fd;

	snprintf(path, sizeof path, "/tmp/wms-conf-XXXXXX");
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void expect_error(const char *text, const char *needle)
{
	struct wms_config *c = (struct wms_config *)1;
	struct wms_error err = { 0 };

	assert_int_equal(wms_config_load(write_conf(text), NULL, NULL, &c, &err), WMS_ECONFIG);
	assert_null(c);
	if (strstr(err.msg, needle) == NULL)
		fail_msg("wanted \"%s\" in \"%s\"", needle, err.msg);
	unlink(path);
}

static void defaults(void **state)
{
	struct wms_config *c = NULL;
	struct wms_error err = { 0 };

	assert_int_equal(wms_config_load(NULL, NULL, NULL, &c, &err), 0);
	assert_int_equal(c->cutoff_minute, 900);
	assert_int_equal(c->target_days, 7);
	assert_int_equal(c->at_risk_days, 5);
	assert_true(c->defacto_holidays);
	assert_string_equal(c->database, "wms.db");
	assert_false(wms_calendar_is_workday(c->cal, wms_date_from_ymd(2026, 12, 24)));
	wms_config_free(c);
}

static void every_key(void **state)
{
	struct wms_config *c = NULL;
	struct wms_error err = { 0 };

	assert_int_equal(wms_config_load(write_conf(
		"# comment\n[store]\ndatabase = /var/lib/wmsd/wms.db\n\n[calendar]\ndefacto_holidays = no ; inline\n"
		"[leadtime]\ncutoff = 14:30\ntarget_days = 5\nat_risk_days = 3\n"
		"[depot Skövde]\nclosed = 2026-07-20, 2026-07-21\n"), NULL, NULL, &c, &err), 0);
	assert_string_equal(c->database, "/var/lib/wmsd/wms.db");
	assert_false(c->defacto_holidays);
	assert_int_equal(c->cutoff_minute, 14 * 60 + 30);
	assert_int_equal(c->target_days, 5);
	assert_int_equal(c->at_risk_days, 3);
	assert_true(wms_calendar_is_workday(c->cal, wms_date_from_ymd(2026, 12, 24)));
	assert_false(wms_calendar_is_workday(wms_config_calendar(c, "Skövde"), wms_date_from_ymd(2026, 7, 20)));
	assert_true(wms_calendar_is_workday(wms_config_calendar(c, "Mölndal"), wms_date_from_ymd(2026, 7, 20)));
	assert_true(wms_calendar_is_workday(wms_config_calendar(c, NULL), wms_date_from_ymd(2026, 7, 20)));
	wms_config_free(c);
	unlink(path);
}

static void errors_name_the_line(void **state)
{
	expect_error("[leadtime]\n\ncutoff = 25:00\n", ":3: bad time \"25:00\"");
	expect_error("[leadtime]\ntarget_days = seven\n", ":2: bad number \"seven\"");
	expect_error("[leadtime]\ntarget_days = 0\n", "1..60");
	expect_error("[calendar]\ndefacto_holidays = maybe\n", ":2: bad yes/no");
	expect_error("[kalender]\nx = 1\n", ":2: unknown section [kalender]; allowed: store, paths, calendar");
	expect_error("[store]\ndb = x\n", "unknown key \"db\" in [store]; allowed: database");
	expect_error("cutoff = 15:00\n", ":1: key \"cutoff\" outside a section");
	expect_error("[leadtime\n", ":1: bad section header");
	expect_error("[leadtime]\njust words\n", ":2: expected key = value");
	expect_error("[depot X]\nclosed = 2026-02-30\n", ":2: bad date \"2026-02-30\"");
}

static void missing_file(void **state)
{
	struct wms_config *c = NULL;
	struct wms_error err = { 0 };

	assert_int_equal(wms_config_load("/nonexistent/wmsd.conf", NULL, NULL, &c, &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "cannot read /nonexistent/wmsd.conf"));
}

static int extra(void *ctx, const char *section, const char *key, const char *value, struct wms_error *err)
{
	int *seen = ctx;

	if (strcmp(section, "station pack-1") != 0)
		return wms_error_set(err, WMS_ECONFIG, "unknown section [%s]", section);
	(*seen)++;
	return strcmp(key, "mode") == 0 ? 0 : wms_error_set(err, WMS_ECONFIG, "unknown key \"%s\"", key);
}

static void extra_sections_go_to_the_caller(void **state)
{
	struct wms_config *c = NULL;
	struct wms_error err = { 0 };
	int seen = 0;

	assert_int_equal(wms_config_load(write_conf("[station pack-1]\nmode = receipt\n"), extra, &seen, &c, &err), 0);
	assert_int_equal(seen, 1);
	wms_config_free(c);
	unlink(path);
	assert_int_equal(wms_config_load(write_conf("[station pack-1]\ncolour = red\n"), extra, &seen, &c, &err),
	                 WMS_ECONFIG);
	assert_non_null(strstr(err.msg, ":2: unknown key \"colour\""));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(every_key),
		cmocka_unit_test(errors_name_the_line),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(extra_sections_go_to_the_caller),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
