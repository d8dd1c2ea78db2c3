/*
 * rental_test.c - pickup-order dates in working days, the rent stop in the
 * rentals projection (and its rebuild), and the monthly rental report
 * counted in Stockholm days.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "wms_rebuild.h"
#include "wms_rental.h"

static wms_time t(const char *text)
{
	wms_time v = 0;

	assert_int_equal(wms_time_parse(text, &v, NULL), 0);
	return v;
}

static void ok(int rc, const struct wms_error *err)
{
	if (rc != 0)
		fail_msg("expected success: %s", err->msg);
}

static void return_plan_in_working_days(void **state)
{
	struct wms_calendar *cal = NULL;
	wms_day due, stop;
	char a[11], b[11];

	assert_int_equal(wms_calendar_new(NULL, &cal, NULL), 0);
	/* Thursday before Easter: Good Friday and Easter Monday are not working days */
	wms_return_plan(cal, t("2026-04-02T10:00"), 7, 3, &due, &stop);
	assert_string_equal(wms_date_format(due, a), "2026-04-15");
	assert_string_equal(wms_date_format(stop, b), "2026-04-09");
	/* 23:30 UTC on a Friday is Saturday in Stockholm: counted from Saturday */
	wms_return_plan(cal, t("2026-03-06T23:30Z"), 1, 0, &due, &stop);
	assert_string_equal(wms_date_format(due, a), "2026-03-09");
	assert_string_equal(wms_date_format(stop, b), "2026-03-07");
	wms_calendar_free(cal);
}

static void rent(struct fixture *f, const char *serial, const char *customer, const char *at)
{
	struct wms_error err = { 0 };
	char number[16];

	snprintf(number, sizeof number, "O-%s", serial);
	ok(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = serial, .product = "BPM", .at = t("2026-01-01T08:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = serial, .location = "A-01-01", .at = t("2026-01-01T09:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = number, .customer = customer, .product = "BPM",
	         .mode = "unit", .at = t("2026-01-02T08:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = serial, .order = number, .at = t("2026-01-02T09:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_PICK, .serial = serial, .at = t("2026-01-02T10:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = serial, .at = t("2026-01-02T11:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = serial, .at = t("2026-01-03T11:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_RENT, .serial = serial, .at = t(at)), &err);
}

static json_t *customer_row(json_t *report, const char *code)
{
	size_t i;
	json_t *row;

	json_array_foreach(json_object_get(report, "customers"), i, row)
		if (strcmp(json_string_value(json_object_get(row, "customer")), code) == 0)
			return row;
	fail_msg("no row for %s", code);
	return NULL;
}

static long long num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static void rent_stop_and_monthly_report(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	json_t *r, *row;
	long diff = -1;

	rent(f, "A", "VC-MOLNDAL", "2026-03-31T22:30Z");      /* 1 April 00:30 in Stockholm */
	rent(f, "B", "BORAS", "2026-03-15T10:00");
	rent(f, "C", "BORAS", "2026-04-01T10:00");
	/* B: pickup order on 7 April, rent stops 10 April; fetched later, on the 20th */
	ok(APPLY(f, &err, .type = WMS_EV_EXPECT_RETURN, .serial = "B", .pickup_due = "2026-04-16",
	         .rent_stop = "2026-04-10", .at = t("2026-04-07T10:00")), &err);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM rentals r JOIN devices d ON d.id = r.device_id"
	                                  " WHERE d.serial = 'B' AND r.end_ts IS NOT NULL"), 1);
	ok(APPLY(f, &err, .type = WMS_EV_RETURN, .serial = "B", .at = t("2026-04-20T10:00")), &err);
	/* C: rent stop 20 April, but back on the 5th: the return ends it */
	ok(APPLY(f, &err, .type = WMS_EV_EXPECT_RETURN, .serial = "C", .rent_stop = "2026-04-20",
	         .at = t("2026-04-02T10:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_RETURN, .serial = "C", .at = t("2026-04-05T10:00")), &err);
	/* a rent stop before the pickup order is refused */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_EXPECT_RETURN, .serial = "A", .rent_stop = "2026-04-01",
	                       .at = t("2026-04-02T10:00")), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "rent stop date 2026-04-01 is before the pickup order (2026-04-02)"));
	assert_int_equal(wms_rebuild(f->s, true, &diff, &err), 0);
	assert_int_equal(diff, 0);

	r = wms_rental_report(f->s, 2026, 4, t("2026-05-10T12:00"), &err);
	assert_non_null(r);
	assert_string_equal(json_string_value(json_object_get(r, "month")), "2026-04");
	assert_int_equal(num(r, "days_in_month"), 30);
	row = customer_row(r, "VC-MOLNDAL");
	assert_int_equal(num(row, "devices"), 1);
	assert_int_equal(num(row, "rental_days"), 30);
	assert_string_equal(json_string_value(json_object_get(row, "cost_centre")), "K100");
	row = customer_row(r, "BORAS");
	assert_int_equal(num(row, "devices"), 2);
	assert_int_equal(num(row, "rental_days"), 9 + 4);      /* B: 1-9 April; C: 1-4 April */
	assert_true(json_is_null(json_object_get(row, "cost_centre")));
	assert_int_equal(num(json_object_get(r, "total"), "rental_days"), 43);
	assert_int_equal(num(json_object_get(r, "total"), "devices"), 3);
	json_decref(r);

	/* March: only B (15-31); A began in April, Stockholm time */
	r = wms_rental_report(f->s, 2026, 3, t("2026-05-10T12:00"), &err);
	assert_int_equal(json_array_size(json_object_get(r, "customers")), 1);
	assert_int_equal(num(customer_row(r, "BORAS"), "rental_days"), 17);
	json_decref(r);
	/* mid-April "today": open rentals up to and including today */
	r = wms_rental_report(f->s, 2026, 4, t("2026-04-03T12:00"), &err);
	assert_int_equal(num(customer_row(r, "VC-MOLNDAL"), "rental_days"), 3);
	assert_int_equal(num(customer_row(r, "BORAS"), "rental_days"), 3 + 3);
	json_decref(r);
	/* December and a month without rentals */
	r = wms_rental_report(f->s, 2026, 12, t("2027-01-10T12:00"), &err);
	assert_int_equal(num(customer_row(r, "VC-MOLNDAL"), "rental_days"), 31);
	json_decref(r);
	r = wms_rental_report(f->s, 2025, 12, t("2027-01-10T12:00"), &err);
	assert_int_equal(json_array_size(json_object_get(r, "customers")), 0);
	assert_int_equal(num(json_object_get(r, "total"), "rental_days"), 0);
	json_decref(r);
	fixture_free(f);
}

static void month_parse(void **state)
{
	int y, m;
	struct wms_error err = { 0 };

	assert_int_equal(wms_month_parse("2026-02", &y, &m, &err), 0);
	assert_int_equal(y * 100 + m, 202602);
	assert_int_equal(wms_month_parse("2026-13", &y, &m, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "bad month \"2026-13\": expected YYYY-MM"));
	assert_int_equal(wms_month_parse("2026-2", &y, &m, &err), WMS_EINVAL);
	assert_int_equal(wms_month_parse("2026-02-01", &y, &m, &err), WMS_EINVAL);
	assert_int_equal(wms_month_parse(NULL, &y, &m, &err), WMS_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(return_plan_in_working_days),
		cmocka_unit_test(rent_stop_and_monthly_report),
		cmocka_unit_test(month_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
