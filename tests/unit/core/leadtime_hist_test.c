/*
 * leadtime_hist_test.c - the lead-time histograms against the full recount:
 * over the demo data set (two depots, customer-set dates, open orders), for
 * random delivery windows (whole months, partial months, one day, empty,
 * unbounded), filters (product, customer, mode, depot, unknown codes) and
 * pages of the late list, the report read from the histograms is byte for
 * byte the report that reads every order.  Also: other rules (each depot its
 * own closed days and cut-off) are noticed and served by the recount, a
 * rebuild under them makes the histograms serve again, a depot added later
 * brings its own calendar and cut-off into the rules without a rebuild, live
 * deliveries keep them right, and the check finds a tampered cell.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core_fixture.h"

#define at(text) fixture_at(text)
#include "wms_demo.h"
#include "wms_depot.h"
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
	char pbuf[64], cbuf[64], dbuf[64];

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
		o.depot = random_code(s, "SELECT code FROM depots ORDER BY code", dbuf, sizeof dbuf);
		fast = report_text(s, &o, false);
		slow = report_text(s, &o, true);
		if (strcmp(fast, slow) != 0) {
			char a[16], b[16];
			fail_msg("round %d: from %s to %s product %s customer %s mode %s depot %s: "
			         "histograms differ from the recount:\n%s\n----\n%s", i,
			         wms_date_format(o.from, a), wms_date_format(o.to, b),
			         o.product ? o.product : "-", o.customer ? o.customer : "-",
			         o.mode ? o.mode : "-", o.depot ? o.depot : "-", fast, slow);
		}
		free(fast);
		free(slow);
	}
}

static const struct wms_calendar *skovde_cal, *gb_cal;

/* The doors' depot rules: Skövde closes extra days and cuts off at 12:30,
 * Mölndal at 16:00, GB (added later) closes a day and cuts off at 11:00. */
static const struct wms_calendar *depot_cal(void *ctx, const char *depot)
{
	(void)ctx;
	if (depot && strcmp(depot, "SK") == 0)
		return skovde_cal;
	return depot && strcmp(depot, "GB") == 0 ? gb_cal : NULL;
}

static int depot_cutoff(void *ctx, const char *depot)
{
	(void)ctx;
	if (depot && strcmp(depot, "SK") == 0)
		return 12 * 60 + 30;
	if (depot && strcmp(depot, "GB") == 0)
		return 11 * 60;
	return depot && strcmp(depot, "ML") == 0 ? 16 * 60 : 14 * 60;
}

static void must(int rc, const char *what, const struct wms_error *err)
{
	if (rc < 0)
		fail_msg("%s: %s", what, err->msg);
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
	struct wms_calendar *cal = NULL, *sk = NULL, *gb = NULL;
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

	/* a depot's own cut-off alone is other rules */
	o.depot_cutoff = depot_cutoff;
	assert_int_equal(wms_leadtime_rules_match(f->s, &o, &match, &err), 0);
	assert_false(match);
	compare_random(f->s, &o, 10, first, last);
	/* other rules (a depot's closed days, each depot its cut-off, 14:00 for the
	 * rest): noticed, served by the recount */
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
	/* the figures differ by depot: each order was measured by its own rules */
	{
		struct wms_leadtime_opts plain = o;
		char *a, *b;
		plain.depot_cal = NULL;
		plain.depot_cutoff = NULL;
		a = report_text(f->s, &o, true);
		b = report_text(f->s, &plain, true);
		assert_string_not_equal(a, b);
		free(a);
		free(b);
	}

	/* a depot added now brings its calendar and cut-off into the rules: the
	 * histograms still serve the doors that know them, and its orders count
	 * by them */
	{
		struct wms_depot_new gb_new = { .code = "GB", .name = "HMC Göteborg", .cutoff = "11:00",
		                            .closed = "2026-03-16" };
		wms_day gbday = wms_date_from_ymd(2026, 3, 16);
		struct wms_calendar_opts gbo = { .defacto_days = true, .closed = &gbday, .n_closed = 1 };
		const char *serial = "GB-0001", *prod;
		sqlite3_stmt *st = NULL;

		assert_int_equal(wms_calendar_new(&gbo, &gb, &err), 0);
		gb_cal = gb;
		must(wms_depot_add(f->s, &gb_new, &err), "depot add", &err);
		must(wms_location_add(f->s, "GB-A1", "Hylla GB", "shelf", "GB", NULL, &err), "shelf", &err);
		assert_int_equal(wms_leadtime_rules_match(f->s, &o, &match, &err), 0);
		assert_true(match);
		assert_int_equal(sqlite3_prepare_v2(wms_store_db(f->s), "SELECT code FROM products LIMIT 1",
		                                    -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		prod = (const char *)sqlite3_column_text(st, 0);
		/* registered 12:00 (after GB's cut-off) on Friday, delivered Wednesday over
		 * GB's closed Monday: 1 working day (Tuesday does not count: the clock starts then) */
		must(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = serial, .product = prod, .depot = "GB",
		           .at = at("2026-03-12T08:00")), "receive", &err);
		must(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = serial, .location = "GB-A1",
		           .at = at("2026-03-12T08:10")), "putaway", &err);
		must(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "GB-1", .customer = "VGR-VC-SKOVDE",
		           .product = prod, .mode = "home", .depot = "GB", .at = at("2026-03-13T12:00")),
		     "order", &err);
		sqlite3_finalize(st);
		must(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = serial, .order = "GB-1",
		           .at = at("2026-03-13T12:10")), "reserve", &err);
		must(APPLY(f, &err, .type = WMS_EV_PICK, .serial = serial, .at = at("2026-03-13T12:20")),
		     "pick", &err);
		must(APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = serial, .at = at("2026-03-13T12:30")),
		     "dispatch", &err);
		must(APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = serial, .at = at("2026-03-18T10:00")),
		     "deliver", &err);
		assert_int_equal(fixture_count(f, "SELECT lead_days FROM orders WHERE number = 'GB-1'"), 1);
		assert_int_equal(wms_leadtime_rules_match(f->s, &o, &match, &err), 0);
		assert_true(match);
		assert_int_equal(check(f->s), 0);
		compare_random(f->s, &o, 40, first, last + 20);
	}

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
	/* a migration asking for a recount under the rules held (stale = 2): the
	 * next opening counts again and keeps every depot's rules */
	assert_int_equal(sqlite3_exec(wms_store_db(f->s), "UPDATE lt_rules SET stale = 2", NULL, NULL,
	                              NULL), SQLITE_OK);
	wms_store_close(f->s);
	must(wms_store_open(f->path, NULL, &f->s, &err), "reopen", &err);
	assert_int_equal(check(f->s), 0);
	assert_int_equal(fixture_count(f, "SELECT stale FROM lt_rules"), 0);
	assert_int_equal(wms_leadtime_rules_match(f->s, &o, &match, &err), 0);
	assert_true(match);
	assert_int_equal(fixture_count(f, "SELECT lead_days FROM orders WHERE number = 'GB-1'"), 1);

	wms_calendar_free(cal);
	wms_calendar_free(sk);
	wms_calendar_free(gb);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(histograms_equal_recount),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
