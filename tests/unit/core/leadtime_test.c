/*
 * leadtime_test.c - lead time on hand-computed cases: statistics, the
 * cut-off and holiday rules in Stockholm time, and the report over a real
 * store (groups, late orders with reasons, customer-set dates apart, open
 * orders at risk).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "wms_leadtime.h"

static wms_time at(const char *text)
{
	wms_time t;
	struct wms_error err = { 0 };

	if (wms_time_parse(text, &t, &err) < 0)
		fail_msg("%s", err.msg);
	return t;
}

static void stats_hand_computed(void **state)
{
	struct wms_lt_stats s = { 0 };
	const int days[] = { 8, 0, 3, 1, 20, 2, 5, 4, 7, 6 };

	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++)
		wms_lt_stats_add(&s, days[i]);
	wms_lt_stats_finish(&s, 7);
	assert_int_equal(s.count, 10);
	assert_int_equal(s.within_target, 8);          /* 0..7 */
	assert_true(s.share_within > 0.799 && s.share_within < 0.801);
	assert_int_equal(s.median, 4);                 /* rank ceil(5) = 5th smallest */
	assert_int_equal(s.p90, 8);                    /* rank 9 */
	assert_int_equal(s.p95, 20);                   /* rank ceil(9.5) = 10 */
	assert_int_equal(s.max, 20);
	assert_int_equal(s.hist[20], 1);

	struct wms_lt_stats one = { 0 };
	wms_lt_stats_add(&one, 75);                    /* beyond the histogram: top bucket, exact max */
	wms_lt_stats_add(&one, -2);                    /* clamped to 0 */
	wms_lt_stats_finish(&one, 7);
	assert_int_equal(one.hist[WMS_LT_HIST_MAX], 1);
	assert_int_equal(one.hist[0], 1);
	assert_int_equal(one.median, 0);
	assert_int_equal(one.p95, 75);

	struct wms_lt_stats none = { 0 };
	wms_lt_stats_finish(&none, 7);
	assert_int_equal(none.count, 0);
	assert_true(none.share_within == 0.0);
}

static void cutoff_and_holidays(void **state)
{
	struct wms_calendar *cal = NULL;
	struct wms_error err = { 0 };
	char buf[16];

	assert_int_equal(wms_calendar_new(NULL, &cal, &err), 0);
	/* Thursday before Easter 2026, 14:59 local: clock starts that day */
	assert_string_equal(wms_date_format(wms_leadtime_start(cal, at("2026-04-02T14:59"), 900), buf), "2026-04-02");
	/* 15:00 local: next working day is Tuesday after annandag påsk */
	assert_string_equal(wms_date_format(wms_leadtime_start(cal, at("2026-04-02T15:00"), 900), buf), "2026-04-07");
	assert_int_equal(wms_leadtime_days(cal, at("2026-04-02T14:59"), at("2026-04-08T10:00"), 900), 2);
	assert_int_equal(wms_leadtime_days(cal, at("2026-04-02T15:00"), at("2026-04-08T10:00"), 900), 1);
	/* Friday 14:30 UTC is 15:30 in Stockholm (CET): after the cut-off */
	assert_string_equal(wms_date_format(wms_leadtime_start(cal, at("2026-03-27T14:30Z"), 900), buf), "2026-03-30");
	/* 13:30 UTC on a summer Monday is 15:30 CEST: after the cut-off */
	assert_string_equal(wms_date_format(wms_leadtime_start(cal, at("2026-06-01T13:30Z"), 900), buf), "2026-06-02");
	/* an order placed on a Saturday starts on Monday */
	assert_string_equal(wms_date_format(wms_leadtime_start(cal, at("2026-05-02T09:00"), 900), buf), "2026-05-04");
	/* delivered before the clock started (after-cut-off order, same evening) counts as 0 */
	assert_int_equal(wms_leadtime_days(cal, at("2026-05-04T16:00"), at("2026-05-04T18:00"), 900), 0);
	/* midsommarafton is not a working day: Thu 18 June -> Mon 22 June = 1 */
	assert_int_equal(wms_leadtime_days(cal, at("2026-06-18T08:00"), at("2026-06-22T08:00"), 900), 1);
	wms_calendar_free(cal);
}

static void deliver_order(struct fixture *f, const char *serial, const char *order, const char *product,
                          const char *customer, const char *mode, const char *requested,
                          const char *registered, const char *delivered)
{
	struct wms_error err = { 0 };
	int rc = 0;

	rc |= APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = serial, .product = product, .at = at("2026-01-05T08:00"));
	rc |= APPLY(f, &err, .type = WMS_EV_MOVE, .serial = serial, .location = "A-01-01", .at = at("2026-01-05T09:00"));
	rc |= APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = order, .customer = customer, .product = product,
	            .mode = mode, .requested_date = requested, .pickup_point = strcmp(mode, "pickup_point") ? NULL : "PP-ICA-1",
	            .at = at(registered));
	if (delivered == NULL) {
		assert_int_equal(rc, 0);
		return;
	}
	rc |= APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = serial, .order = order, .at = at(registered));
	rc |= APPLY(f, &err, .type = WMS_EV_PICK, .serial = serial, .at = at(registered));
	rc |= APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = serial, .at = at(registered));
	rc |= APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = serial, .at = at(delivered));
	if (rc)
		fail_msg("%s: %s", order, err.msg);
}

static json_t *group(json_t *report, const char *by, const char *key)
{
	size_t i;
	json_t *g;

	json_array_foreach(json_object_get(report, by), i, g)
		if (strcmp(json_string_value(json_object_get(g, "key")), key) == 0)
			return g;
	fail_msg("no group %s in %s", key, by);
	return NULL;
}

#define INT(obj, key) json_integer_value(json_object_get((obj), (key)))

static void report_over_store(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_calendar *cal = NULL;
	struct wms_error err = { 0 };
	struct wms_leadtime_opts o = { 0 };
	json_t *r;

	assert_int_equal(wms_calendar_new(NULL, &cal, &err), 0);
	/* Monday 2 March 2026, before cut-off: 2, 4, 9 (late) working days */
	deliver_order(f, "S1", "O1", "BPM", "VC-MOLNDAL", "home", NULL, "2026-03-02T10:00", "2026-03-04T12:00");
	deliver_order(f, "S2", "O2", "BPM", "BORAS", "pickup_point", NULL, "2026-03-02T10:00", "2026-03-06T12:00");
	deliver_order(f, "S3", "O3", "SCALE", "BORAS", "home", NULL, "2026-03-02T10:00", "2026-03-13T12:00");
	/* customer-set date: delivered on the requested day, measured apart (not late) */
	deliver_order(f, "S4", "O4", "SCALE", "VC-MOLNDAL", "unit", "2026-03-20", "2026-03-02T10:00", "2026-03-20T09:00");
	/* delivered in April */
	deliver_order(f, "S5", "O5", "BPM", "VC-MOLNDAL", "home", NULL, "2026-03-31T10:00", "2026-04-01T09:00");
	/* open orders: one 6 working days old (at risk), one fresh */
	deliver_order(f, "S6", "O6", "BPM", "BORAS", "home", NULL, "2026-04-01T10:00", NULL);
	deliver_order(f, "S7", "O7", "BPM", "BORAS", "home", NULL, "2026-04-09T10:00", NULL);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_NOTE, .order = "O3", .reason = "supplier delay"), 0);

	o.cal = cal;
	o.now = at("2026-04-10T12:00");   /* Friday; O6 started Wed 1 April: 5 working days (Easter) */
	r = wms_leadtime_report(f->s, &o, &err);
	assert_non_null(r);
	json_t *all = json_object_get(r, "overall");
	assert_int_equal(INT(all, "count"), 4);
	assert_int_equal(INT(all, "within_target"), 3);
	assert_int_equal(INT(all, "median"), 2);        /* 1, 2, 4, 9 -> rank 2 */
	assert_int_equal(INT(all, "max"), 9);
	assert_int_equal(INT(json_object_get(r, "customer_set"), "count"), 1);
	assert_int_equal(INT(json_object_get(r, "customer_set"), "within_target"), 1);
	assert_int_equal(INT(group(r, "by_product", "BPM"), "count"), 3);
	assert_int_equal(INT(group(r, "by_product", "SCALE"), "max"), 9);
	assert_int_equal(INT(group(r, "by_customer_kind", "municipality"), "count"), 2);
	assert_int_equal(INT(group(r, "by_mode", "pickup_point"), "median"), 4);
	assert_int_equal(INT(group(r, "by_month", "2026-03"), "count"), 3);
	assert_int_equal(INT(group(r, "by_month", "2026-04"), "count"), 1);
	assert_int_equal(INT(r, "late_count"), 1);
	json_t *late = json_array_get(json_object_get(r, "late"), 0);
	assert_string_equal(json_string_value(json_object_get(late, "order")), "O3");
	assert_string_equal(json_string_value(json_object_get(late, "reason")), "supplier delay");
	assert_int_equal(json_array_size(json_object_get(r, "at_risk")), 1);
	json_t *risk = json_array_get(json_object_get(r, "at_risk"), 0);
	assert_string_equal(json_string_value(json_object_get(risk, "order")), "O6");
	assert_int_equal(INT(risk, "age_days"), 5);
	assert_int_equal(INT(risk, "days_left"), 2);
	json_decref(r);

	/* filters: one product, one delivery window */
	o.product = "SCALE";
	r = wms_leadtime_report(f->s, &o, &err);
	assert_int_equal(INT(json_object_get(r, "overall"), "count"), 1);
	json_decref(r);
	o.product = NULL;
	assert_int_equal(wms_date_parse("2026-04-01", &o.from, &err), 0);
	assert_int_equal(wms_date_parse("2026-04-30", &o.to, &err), 0);
	r = wms_leadtime_report(f->s, &o, &err);
	assert_int_equal(INT(json_object_get(r, "overall"), "count"), 1);
	json_decref(r);
	wms_calendar_free(cal);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stats_hand_computed),
		cmocka_unit_test(cutoff_and_holidays),
		cmocka_unit_test(report_over_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
