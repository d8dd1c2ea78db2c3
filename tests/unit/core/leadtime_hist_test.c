/*
 * leadtime_hist_test.c - the lead-time histograms against the full recount:
 * over the demo data set (two depots, customer-set dates, open orders), for
 * random delivery windows (whole months, partial months, one day, empty,
 * unbounded), filters (product, customer, mode, unknown codes) and pages of
 * the late list, the
 * report read from the histograms is byte for byte the report that reads
 * every order.  Also: other rules are noticed and served by the recount, a
 * rebuild under them makes the histograms serve again, live deliveries keep
 * them right, and the check finds a tampered cell.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core_fixture.h"

#define at(text) fixture_at(text)
#include "wms_demo.h"
#include "wms_leadtime.h"
#include "wms_rebuild.h"

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static char *report_text(struct wms_store *s, const struct wms_leadtime_opts *o, bool recount)
{
	struct wms_leadtime_opts x = *o;
	struct wms_error err = { 0 };
	json_t *r;
	char *text;

	x.recount = recount;
	r = wms_leadtime_report(s, &x, &err);
	if (r == NULL)
		fail_msg("report: %s", err.msg);
	text = json_dumps(r, JSON_INDENT(1));
	json_decref(r);
	return text;
}

/* A code of column 1 of sql's rows, chosen at random (or an unknown one, or none). */
static const char *random_code(struct wms_store *s, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt *st = NULL;
	long n = 0, pick;
	uint64_t r = next() % 8;

	if (r < 4)
		return NULL;
	if (r == 4) {
		snprintf(buf, len, "NO-SUCH-CODE");
		return buf;
	}
	assert_int_equal(sqlite3_prepare_v2(wms_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		n++;
	pick = (long)(next() % (uint64_t)n);
	sqlite3_reset(st);
	for (long i = 0; i <= pick; i++)
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

/* A random window over [first, last]: unbounded, whole months, partial, one day, empty. */
static void random_window(wms_day first, wms_day last, struct wms_leadtime_opts *o)
{
	wms_day span = last - first + 1, a = first + (wms_day)(next() % (uint64_t)span),
	        b = first + (wms_day)(next() % (uint64_t)span);
	int y, m, d;

	switch (next() % 6) {
	case 0:
		o->from = o->to = 0;
		return;
	case 1:     /* whole months */
		wms_date_to_ymd(a < b ? a : b, &y, &m, &d);
		o->from = wms_date_from_ymd(y, m, 1);
		wms_date_to_ymd(a < b ? b : a, &y, &m, &d);
		o->to = wms_date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
		return;
	case 2:     /* one day */
		o->from = o->to = a;
		return;
	case 3:     /* open at one end */
		if (next() & 1) {
			o->from = a;
			o->to = 0;
		} else {
			o->from = 0;
			o->to = a;
		}
		return;
	case 4:     /* reversed: empty */
		o->from = a > b ? a : b;
		o->to = a > b ? b : a;
		if (o->from == o->to)
			o->to--;
		return;
	default:
		o->from = a < b ? a : b;
		o->to = a < b ? b : a;
	}
}

static void compare_random(struct wms_store *s, const struct wms_leadtime_opts *base, int rounds,
                           wms_day first, wms_day last)
{
	char pbuf[64], cbuf[64];

	for (int i = 0; i < rounds; i++) {
		struct wms_leadtime_opts o = *base;
		static const int limits[] = { 0, 1, 3, 100 };
		static const char *const modes[] = { "home", "pickup_point", "unit", "buffer" };
		char *fast, *slow;

		random_window(first, last, &o);
		o.product = random_code(s, "SELECT code FROM products ORDER BY id", pbuf, sizeof pbuf);
		o.customer = random_code(s, "SELECT code FROM customers ORDER BY id", cbuf, sizeof cbuf);
		o.late_limit = limits[next() % 4];
		o.late_offset = next() % 3 == 0 ? (int)(next() % 40) : 0;
		o.mode = next() % 3 == 0 ? modes[next() % 4] : NULL;
		fast = report_text(s, &o, false);
		slow = report_text(s, &o, true);
		if (strcmp(fast, slow) != 0) {
			char a[16], b[16];
			fail_msg("round %d: from %s to %s product %s customer %s mode %s: histograms "
			         "differ from the recount:\n%s\n----\n%s", i, wms_date_format(o.from, a),
			         wms_date_format(o.to, b), o.product ? o.product : "-",
			         o.customer ? o.customer : "-", o.mode ? o.mode : "-", fast, slow);
		}
		free(fast);
		free(slow);
	}
}

static const struct wms_calendar *skovde_cal;

static const struct wms_calendar *depot_cal(void *ctx, const char *depot)
{
	(void)ctx;
	return depot && strcmp(depot, "Skövde") == 0 ? skovde_cal : NULL;
}

static long check(struct wms_store *s)
{
	struct wms_error err = { 0 };
	long diff = -1;

	if (wms_leadtime_check(s, &diff, &err) < 0)
		fail_msg("check: %s", err.msg);
	return diff;
}

static void histograms_equal_recount(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_calendar *cal = NULL, *sk = NULL;
	struct wms_error err = { 0 };
	struct wms_demo_opts demo = { .seed = 7, .devices = 1200, .end = at("2026-03-10T16:00") };
	struct wms_leadtime_opts o = { 0 };
	wms_day closed[] = { wms_date_from_ymd(2025, 6, 2), wms_date_from_ymd(2025, 9, 15),
	                     wms_date_from_ymd(2025, 12, 29), wms_date_from_ymd(2026, 2, 2) };
	struct wms_calendar_opts sko = { .defacto_days = true, .closed = closed, .n_closed = 4 };
	wms_day first, last;
	bool match = false;
	long n = 0;

	(void)state;
	/* the fixture's catalogue is not the demo's: start from an empty store */
	fixture_free(f);
	f = calloc(1, sizeof *f);
	snprintf(f->path, sizeof f->path, "/tmp/wms-lthist-XXXXXX");
	close(mkstemp(f->path));
	unlink(f->path);
	assert_int_equal(wms_store_open(f->path, NULL, &f->s, &err), 0);
	assert_int_equal(wms_calendar_new(NULL, &cal, &err), 0);
	assert_int_equal(wms_calendar_new(&sko, &sk, &err), 0);
	skovde_cal = sk;
	demo.cal = cal;
	if (wms_demo_load(f->s, &demo, &err) < 0)
		fail_msg("demo: %s", err.msg);
	assert_true(fixture_count(f, "SELECT count(*) FROM orders WHERE status = 'delivered'") > 500);
	assert_true(fixture_count(f, "SELECT count(*) FROM orders WHERE lead_set = 1") > 5);
	assert_true(fixture_count(f, "SELECT count(DISTINCT depot) FROM orders") == 2);
	first = wms_local_day(fixture_count(f, "SELECT min(delivered_ts) FROM orders"), NULL) - 3;
	last = wms_local_day(fixture_count(f, "SELECT max(delivered_ts) FROM orders"), NULL) + 3;

	/* the demo went through the live path under the default rules */
	o.cal = cal;
	o.now = demo.end;
	assert_int_equal(wms_leadtime_rules_match(f->s, &o, &match, &err), 0);
	assert_true(match);
	assert_int_equal(check(f->s), 0);
	compare_random(f->s, &o, 150, first, last);

	/* other rules (a depot's closed days, a 14:00 cut-off): noticed, served by the recount */
	o.depot_cal = depot_cal;
	o.cutoff_minute = 14 * 60;
	assert_int_equal(wms_leadtime_rules_match(f->s, &o, &match, &err), 0);
	assert_false(match);
	compare_random(f->s, &o, 10, first, last);
	/* a rebuild under them makes the histograms serve again, with the same output */
	assert_int_equal(wms_leadtime_rebuild(f->s, &o, &n, &err), 0);
	assert_int_equal(n, fixture_count(f, "SELECT count(*) FROM orders WHERE status = 'delivered'"));
	assert_int_equal(wms_leadtime_rules_match(f->s, &o, &match, &err), 0);
	assert_true(match);
	compare_random(f->s, &o, 100, first, last);

	/* live deliveries count under the database's rules; a replay of the ledger agrees */
	{
		long diff = -1;
		const char *serial = NULL;
		sqlite3_stmt *st = NULL;
		char order[32];

		assert_int_equal(sqlite3_prepare_v2(wms_store_db(f->s),
		        "SELECT d.serial, p.code FROM devices d JOIN products p ON p.id = d.product_id"
		        " WHERE d.state = 'in_stock' LIMIT 1", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		serial = (const char *)sqlite3_column_text(st, 0);
		snprintf(order, sizeof order, "LIVE-1");
		if (APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = order, .customer = "VGR-VC-SKOVDE",
		          .product = (const char *)sqlite3_column_text(st, 1), .mode = "home",
		          .depot = "ML", .at = at("2026-03-10T16:10")) ||
		    APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = serial, .order = order,
		          .at = at("2026-03-10T16:11")) ||
		    APPLY(f, &err, .type = WMS_EV_PICK, .serial = serial, .at = at("2026-03-10T16:12")) ||
		    APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = serial, .at = at("2026-03-10T16:13")) ||
		    APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = serial, .at = at("2026-03-24T10:00")))
			fail_msg("live order: %s", err.msg);
		sqlite3_finalize(st);
		assert_int_equal(check(f->s), 0);
		assert_int_equal(wms_rebuild(f->s, true, &diff, &err), 0);
		assert_int_equal(diff, 0);
		compare_random(f->s, &o, 30, first, last + 20);
	}

	/* a tampered cell is found */
	assert_int_equal(sqlite3_exec(wms_store_db(f->s),
	        "UPDATE lt_cells SET n = n + 1 WHERE product_id = 0 AND customer_id = 0 AND mode = ''"
	        " AND depot = '' AND custset = 0 AND days = 2", NULL, NULL, NULL), SQLITE_OK);
	assert_true(check(f->s) > 0);

	wms_calendar_free(cal);
	wms_calendar_free(sk);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(histograms_equal_recount),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
