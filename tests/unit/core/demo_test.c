/*
 * demo_test.c - unit tests of the demonstration data set (wms_demo.h).
 *
 * The demo is loaded once into a fresh SQLite file and its shape asserted
 * with SQL against the figures of the domain: the catalogue, ~50 ordering
 * units with the region placing ~80% of orders, ~3,000 devices, lead times
 * (median ~4 working days, ~90% within 7, the late ones mostly blood-pressure
 * monitors and medication dispensers, computed here independently with
 * wms_calendar_workdays), ~1.6% exchanges, open and cancelled orders, and a
 * ledger that is whole (integrity, per-device time order, projections equal
 * to the last event).  Further: the same seed gives the same ledger, and a
 * store that already holds events is refused and left as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store_sql.h"
#include "wms_catalog.h"
#include "wms_demo.h"
#include "wms_rules.h"
#include "wms_ids.h"
#include "wms_leadtime.h"
#include "wms_ledger.h"

#define END_TEXT "2026-03-16T12:00"   /* a fixed "now" so that every run is alike */
#define SEED 7

struct fixture {
	char dir[64];
	char path[128];
	struct wms_store *store;
	struct wms_calendar *cal;
	wms_time end;
	long progress_calls;
	long progress_last, progress_total;
	bool progress_backwards;
	double load_seconds;
};

static struct fixture fx;

/* ---- helpers ------------------------------------------------------------- */

static sqlite3 *db(void)
{
	return wms_store_db(fx.store);
}

static long long q_int(sqlite3 *d, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(d, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("SQL %s: %s", sql, sqlite3_errmsg(d));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static double q_real(sqlite3 *d, const char *sql)
{
	sqlite3_stmt *st = NULL;
	double v = -1;

	if (sqlite3_prepare_v2(d, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("SQL %s: %s", sql, sqlite3_errmsg(d));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The first column of the first row as text (malloc'd; "" when no row). */
static char *q_text(sqlite3 *d, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *v;

	if (sqlite3_prepare_v2(d, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("SQL %s: %s", sql, sqlite3_errmsg(d));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	else
		v = strdup("");
	sqlite3_finalize(st);
	assert_non_null(v);
	return v;
}

static void assert_between_ll(long long v, long long lo, long long hi, const char *what)
{
	if (v < lo || v > hi)
		fail_msg("%s = %lld, expected %lld..%lld", what, v, lo, hi);
}

static void assert_between_d(double v, double lo, double hi, const char *what)
{
	if (v < lo || v > hi)
		fail_msg("%s = %.4f, expected %.4f..%.4f", what, v, lo, hi);
}

static void on_progress(void *ctx, long done, long total)
{
	struct fixture *f = ctx;

	if (done < f->progress_last || done > total)
		f->progress_backwards = true;
	f->progress_calls++;
	f->progress_last = done;
	f->progress_total = total;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct wms_store *open_store(const char *path)
{
	struct wms_error err = { 0 };
	struct wms_store *s = NULL;

	unlink(path);
	if (wms_store_open(path, NULL, &s, &err) != 0)
		fail_msg("opening %s: %s", path, err.msg);
	return s;
}

static int group_setup(void **state)
{
	struct wms_error err = { 0 };
	struct wms_demo_opts o = { 0 };
	double t0;

	snprintf(fx.dir, sizeof fx.dir, "/tmp/wms-demo-test-XXXXXX");
	if (mkdtemp(fx.dir) == NULL)
		return -1;
	snprintf(fx.path, sizeof fx.path, "%s/demo.db", fx.dir);
	if (wms_calendar_new(NULL, &fx.cal, &err) != 0 || wms_time_parse(END_TEXT, &fx.end, &err) != 0) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	fx.store = open_store(fx.path);
	o.seed = SEED;
	o.end = fx.end;
	o.cal = fx.cal;
	o.progress = on_progress;
	o.progress_ctx = &fx;
	t0 = now_seconds();
	if (wms_demo_load(fx.store, &o, &err) != 0) {
		fprintf(stderr, "setup: demo load failed: %s\n", err.msg);
		return -1;
	}
	fx.load_seconds = now_seconds() - t0;
	*state = &fx;
	return 0;
}

static void remove_db(const char *path)
{
	char p[4200];

	unlink(path);
	snprintf(p, sizeof p, "%.4096s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%.4096s-shm", path);
	unlink(p);
}

static int group_teardown(void **state)
{
	wms_store_close(fx.store);
	wms_calendar_free(fx.cal);
	remove_db(fx.path);
	rmdir(fx.dir);
	return 0;
}

/* ---- the catalogue and reference data ----------------------------------- */

static void test_products(void **state)
{
	sqlite3 *d = db();
	sqlite3_stmt *st = NULL;

	/* Every product type the domain lists (it says "about nine" and names ten). */
	assert_int_equal(q_int(d, "SELECT count(*) FROM products"), 10);
	assert_int_equal(q_int(d, "SELECT count(*) FROM products WHERE category = 'HoS'"), 7);
	assert_int_equal(q_int(d, "SELECT count(*) FROM products WHERE category = 'SoL'"), 3);
	assert_int_equal(q_int(d, "SELECT count(*) FROM products WHERE needs_training = 1"), 1);
	assert_int_equal(q_int(d, "SELECT needs_training FROM products WHERE name_sv = 'Läkemedelsautomat'"),
	                 1);
	assert_int_equal(q_int(d, "SELECT count(*) FROM products WHERE name_sv = '' OR name_en = ''"
	                          " OR name_sv = name_en AND name_sv <> 'Spirometer'"), 0);
	/* One or two GTINs per product, each with a valid GS1 check digit. */
	assert_int_equal(q_int(d, "SELECT count(*) FROM products p WHERE (SELECT count(*) FROM"
	                          " product_gtins g WHERE g.product_id = p.id) NOT BETWEEN 1 AND 2"), 0);
	assert_int_equal(sqlite3_prepare_v2(d, "SELECT gtin FROM product_gtins", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char norm[15];
		struct wms_error err = { 0 };
		if (wms_gtin_normalise((const char *)sqlite3_column_text(st, 0), norm, &err) != 0)
			fail_msg("%s", err.msg);
	}
	sqlite3_finalize(st);
}

static void test_customers_and_locations(void **state)
{
	sqlite3 *d = db();

	assert_between_ll(q_int(d, "SELECT count(*) FROM customers"), 45, 60, "customers");
	assert_true(q_int(d, "SELECT count(*) FROM customers WHERE kind = 'region'") >= 20);
	assert_true(q_int(d, "SELECT count(*) FROM customers WHERE kind = 'municipality'") >= 15);
	assert_int_equal(q_int(d, "SELECT count(*) FROM customers WHERE name = 'Borås stad'"), 1);
	assert_int_equal(q_int(d, "SELECT count(*) FROM customers WHERE name = 'Kungälvs kommun'"), 1);
	assert_int_equal(q_int(d, "SELECT count(*) FROM customers WHERE name = 'Vårdcentralen Mölndal'"), 1);
	assert_true(q_int(d, "SELECT count(*) FROM customers WHERE name LIKE 'Sahlgrenska%'") >= 1);
	assert_true(q_int(d, "SELECT count(*) FROM locations WHERE kind = 'shelf'") >= 20);
	assert_true(q_int(d, "SELECT count(*) FROM locations WHERE kind = 'buffer'"
	                     " AND customer_id IS NOT NULL") >= 3);
	assert_between_ll(q_int(d, "SELECT count(*) FROM locations WHERE kind = 'pickup_point'"), 15, 25,
	                  "pickup points");
	assert_int_equal(q_int(d, "SELECT count(*) FROM locations WHERE kind = 'pickup_point'"
	                          " AND name NOT LIKE '%ombud%'"), 0);
}

/* ---- devices, orders, rentals ------------------------------------------- */

static void test_devices(void **state)
{
	sqlite3 *d = db();

	assert_int_equal(q_int(d, "SELECT count(*) FROM devices"), 3000);
	assert_int_equal(q_int(d, "SELECT count(DISTINCT serial) FROM devices"), 3000);
	assert_int_equal(q_int(d, "SELECT count(*) FROM events WHERE type = 'receive'"), 3000);
	assert_int_equal(q_int(d, "SELECT count(*) FROM devices WHERE gtin IS NULL OR lot IS NULL"), 0);
	/* Every product type has devices; most devices are out with patients. */
	assert_int_equal(q_int(d, "SELECT count(*) FROM products p WHERE NOT EXISTS"
	                          " (SELECT 1 FROM devices v WHERE v.product_id = p.id)"), 0);
	assert_true(q_int(d, "SELECT count(*) FROM devices WHERE state = 'rented'") > 1200);
	assert_true(q_int(d, "SELECT count(*) FROM devices WHERE state = 'in_buffer'") > 0);
	assert_true(q_int(d, "SELECT count(*) FROM devices WHERE state = 'scrapped'") > 0);
	assert_true(q_int(d, "SELECT count(*) FROM devices WHERE recon_cycles > 0") > 300);
	/* Reconditioning outcomes all occur. */
	assert_true(q_int(d, "SELECT count(*) FROM events WHERE type = 'recon_approve'") > 300);
	assert_true(q_int(d, "SELECT count(*) FROM events WHERE type = 'recon_repair'") >= 5);
	assert_true(q_int(d, "SELECT count(*) FROM events WHERE type = 'repair_back'") >= 5);
	assert_true(q_int(d, "SELECT count(*) FROM events WHERE type = 'scrap'") >= 5);
	assert_true(q_int(d, "SELECT count(*) FROM events WHERE type = 'to_buffer'") > 20);
}

static void test_orders(void **state)
{
	sqlite3 *d = db();
	long long orders = q_int(d, "SELECT count(*) FROM orders");
	long long delivered = q_int(d, "SELECT count(*) FROM orders WHERE status = 'delivered'");
	long long cancelled = q_int(d, "SELECT count(*) FROM orders WHERE status = 'cancelled'");
	long long open = q_int(d, "SELECT count(*) FROM orders WHERE status NOT IN ('delivered','cancelled')");
	long long rented = q_int(d, "SELECT count(*) FROM rentals");
	double region = q_real(d, "SELECT avg(c.kind = 'region') FROM orders o"
	                          " JOIN customers c ON c.id = o.customer_id");

	print_message("orders %lld: delivered %lld, open %lld, cancelled %lld; region share %.3f;"
	              " rentals %lld (open %lld)\n", orders, delivered, open, cancelled, region, rented,
	              q_int(d, "SELECT count(*) FROM rentals WHERE end_ts IS NULL"));
	assert_between_ll(delivered, 3300, 5000, "delivered orders");
	assert_between_d(region, 0.75, 0.85, "region share of orders");
	assert_between_ll(open, 5, 80, "open orders");
	assert_between_ll(cancelled, 5, orders / 30, "cancelled orders");
	assert_true(q_int(d, "SELECT count(*) FROM events WHERE type = 'unreserve'") > 0);
	/* Most delivered devices are rented. */
	assert_between_d((double)rented / (double)delivered, 0.93, 1.0, "rented / delivered");
	/* Patient references are pseudonyms P-nnnnnn, never names. */
	/* open orders keep their pseudonym with the purgeable patient data */
	assert_int_equal(q_int(d, "SELECT count(*) FROM orders o LEFT JOIN order_patients p ON p.order_id = o.id"
	                          " WHERE o.status = 'open' AND (p.patient_ref IS NULL"
	                          " OR p.patient_ref NOT GLOB 'P-[0-9][0-9][0-9][0-9][0-9][0-9]')"), 0);
	/* never in the ledger (wms_rules.h) */
	assert_int_equal(q_int(d, "SELECT count(*) FROM events WHERE json_extract(payload, '$.patient_ref') IS NOT NULL"), 0);
	/* Some patients have had more than one device. */
	assert_true(q_int(d, "SELECT count(DISTINCT patient_ref) FROM order_patients") < orders * 95 / 100);
	/* Delivery modes in plausible shares. */
	assert_between_d(q_real(d, "SELECT avg(mode = 'home') FROM orders"), 0.30, 0.60, "home share");
	assert_between_d(q_real(d, "SELECT avg(mode = 'pickup_point') FROM orders"), 0.10, 0.40,
	                 "pickup-point share");
	assert_between_d(q_real(d, "SELECT avg(mode = 'unit') FROM orders"), 0.15, 0.45, "unit share");
	assert_between_d(q_real(d, "SELECT avg(mode = 'buffer') FROM orders"), 0.02, 0.15, "buffer share");
	assert_int_equal(q_int(d, "SELECT count(*) FROM orders WHERE (mode = 'pickup_point')"
	                          " <> (pickup_point_id IS NOT NULL)"), 0);
	/* Both depots dispatch. */
	assert_true(q_int(d, "SELECT count(*) FROM orders WHERE depot = 'SK'") > 100);
}

static void test_exchanges(void **state)
{
	sqlite3 *d = db();
	long long delivered = q_int(d, "SELECT count(*) FROM orders WHERE status = 'delivered'");
	long long exchanges = q_int(d, "SELECT count(*) FROM events WHERE type = 'exchange'");
	double share = (double)exchanges / (double)delivered;

	print_message("exchanges %lld = %.2f%% of delivered orders\n", exchanges, share * 100);
	assert_between_d(share, 0.010, 0.025, "exchange share");
	/* Each exchange names the replacing order, which was created for that very device. */
	assert_int_equal(q_int(d, "SELECT count(*) FROM events e JOIN orders o ON o.id = e.order_id"
	                          " WHERE e.type = 'exchange' AND o.exchange_of = e.device_id"), exchanges);
	/* ... and the exchanged device comes back as a return (unless it is still on its way). */
	assert_true(q_int(d, "SELECT count(*) FROM events e WHERE e.type = 'exchange' AND EXISTS"
	                     " (SELECT 1 FROM events r WHERE r.device_id = e.device_id AND r.type = 'return'"
	                     " AND r.id > e.id)") >= exchanges * 8 / 10);
}

/* ---- lead time ------------------------------------------------------------ */

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The clock's start day: registration day, or the next working day if registered
 * at/after 15:00 Stockholm time or on a non-working day. */
static wms_day start_day(wms_time reg)
{
	int minute;
	wms_day d = wms_local_day(reg, &minute);

	if (!wms_calendar_is_workday(fx.cal, d) || minute >= 15 * 60)
		d = wms_calendar_next_workday(fx.cal, d);
	return d;
}

static void test_leadtime(void **state)
{
	sqlite3 *d = db();
	sqlite3_stmt *st = NULL;
	int *days = NULL, n = 0, cap = 0, within = 0, late = 0, late_bpm_disp = 0;
	struct wms_leadtime_opts lo = { 0 };
	struct wms_error err = { 0 };
	json_t *report;

	assert_int_equal(sqlite3_prepare_v2(d,
		"SELECT o.registered_ts, o.delivered_ts, p.code FROM orders o"
		" JOIN products p ON p.id = o.product_id"
		" WHERE o.status = 'delivered' AND o.requested_date IS NULL", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		wms_time reg = sqlite3_column_int64(st, 0), del = sqlite3_column_int64(st, 1);
		const char *prod = (const char *)sqlite3_column_text(st, 2);
		int k = wms_calendar_workdays(fx.cal, start_day(reg), wms_local_day(del, NULL));
		if (k < 0)
			k = 0;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			days = realloc(days, (size_t)cap * sizeof *days);
			assert_non_null(days);
		}
		days[n++] = k;
		if (k <= 7) {
			within++;
		} else {
			late++;
			late_bpm_disp += strcmp(prod, "BPM") == 0 || strcmp(prod, "MEDDISP") == 0;
		}
	}
	sqlite3_finalize(st);
	assert_true(n > 2000);
	qsort(days, (size_t)n, sizeof *days, cmp_int);
	print_message("lead time: %d orders, median %d, p90 %d, within 7: %.1f%%, late %d of which"
	              " BPM/dispenser %.0f%%\n", n, days[(n - 1) / 2], days[(n * 9 - 1) / 10],
	              100.0 * within / n, late, 100.0 * late_bpm_disp / (late ? late : 1));
	assert_between_ll(days[(n - 1) / 2], 3, 5, "median lead time");
	assert_between_d((double)within / n, 0.85, 0.95, "share within 7 working days");
	assert_between_d((double)late_bpm_disp / late, 0.75, 1.0, "late share of BPM + dispensers");
	free(days);

	/* Dispenser orders with a customer-set date (anpassad leverans) exist and only for them. */
	assert_true(q_int(d, "SELECT count(*) FROM orders WHERE requested_date IS NOT NULL") > 20);
	assert_int_equal(q_int(d, "SELECT count(*) FROM orders o JOIN products p ON p.id = o.product_id"
	                          " WHERE o.requested_date IS NOT NULL AND p.code <> 'MEDDISP'"), 0);
	/* Late orders mostly carry a note saying why. */
	assert_true(q_int(d, "SELECT count(*) FROM orders WHERE note IS NOT NULL") > late / 2);

	/* The core's report agrees, and its at-risk list is not empty. */
	lo.cal = fx.cal;
	lo.now = fx.end;
	report = wms_leadtime_report(fx.store, &lo, &err);
	if (report == NULL)
		fail_msg("report: %s", err.msg);
	assert_between_ll(json_integer_value(json_object_get(json_object_get(report, "overall"), "median")),
	                  3, 5, "report median");
	assert_between_d(json_real_value(json_object_get(json_object_get(report, "overall"), "share_within")),
	                 0.85, 0.95, "report share within");
	print_message("report: at risk %zu, customer-set %lld\n",
	              json_array_size(json_object_get(report, "at_risk")),
	              (long long)json_integer_value(json_object_get(json_object_get(report, "customer_set"),
	                                                            "count")));
	assert_true(json_array_size(json_object_get(report, "at_risk")) > 0);
	json_decref(report);
}

/* ---- the ledger is whole ---------------------------------------------------- */

static void test_integrity(void **state)
{
	sqlite3 *d = db();
	struct wms_error err = { 0 };
	char *ok = q_text(d, "PRAGMA integrity_check");

	assert_string_equal(ok, "ok");
	free(ok);
	if (wms_store_check(fx.store, &err) != 0)
		fail_msg("%s", err.msg);
	/* Per device, events never go back in time. */
	assert_int_equal(q_int(d, "SELECT count(*) FROM (SELECT ts, lag(ts) OVER"
	                          " (PARTITION BY device_id ORDER BY id) AS prev FROM events"
	                          " WHERE device_id IS NOT NULL) WHERE ts < prev"), 0);
	/* The projection of every device is its last event. */
	assert_int_equal(q_int(d, "SELECT count(*) FROM devices v JOIN events e ON e.id = v.last_event_id"
	                          " WHERE e.device_id <> v.id OR e.to_state <> v.state OR e.ts <> v.updated_ts"),
	                 0);
	assert_int_equal(q_int(d, "SELECT count(*) FROM devices v WHERE last_event_id <>"
	                          " (SELECT max(id) FROM events e WHERE e.device_id = v.id)"), 0);
	/* Nothing lies after the data set's end. */
	{
		char sql[96];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE ts > %lld", (long long)fx.end);
		assert_int_equal(q_int(d, sql), 0);
	}
}

static void test_progress_and_speed(void **state)
{
	print_message("demo: %lld events in %.2f s, %ld progress calls\n",
	              wms_store_event_count(fx.store), fx.load_seconds, fx.progress_calls);
	assert_false(fx.progress_backwards);
	assert_between_ll(fx.progress_calls, 50, 120, "progress calls");
	assert_true(fx.progress_last == fx.progress_total);
	assert_true(fx.progress_total >= wms_store_event_count(fx.store));
}

/* ---- determinism and refusal ------------------------------------------------- */

static char *load_small(const char *name, uint64_t seed, long long *events)
{
	struct wms_error err = { 0 };
	struct wms_demo_opts o = { 0 };
	struct wms_store *s;
	char path[160];
	char *all;

	snprintf(path, sizeof path, "%s/%s", fx.dir, name);
	s = open_store(path);
	o.seed = seed;
	o.devices = 300;
	o.days = 365;
	o.end = fx.end;
	if (wms_demo_load(s, &o, &err) != 0)
		fail_msg("demo load (300 devices): %s", err.msg);
	*events = wms_store_event_count(s);
	all = q_text(wms_store_db(s), "SELECT group_concat(type || ':' || ts || ':' ||"
	                              " coalesce(device_id, '') || ':' || coalesce(order_id, ''), ',')"
	                              " FROM (SELECT * FROM events ORDER BY id)");
	wms_store_close(s);
	remove_db(path);
	return all;
}

static void test_deterministic(void **state)
{
	long long n1, n2, n3;
	char *a = load_small("a.db", 42, &n1);
	char *b = load_small("b.db", 42, &n2);
	char *c = load_small("c.db", 43, &n3);

	assert_true(n1 > 1000);
	assert_int_equal(n1, n2);
	assert_string_equal(a, b);
	assert_true(strcmp(a, c) != 0);
	free(a);
	free(b);
	free(c);
}

static void test_refuses_non_empty(void **state)
{
	struct wms_error err = { 0 };
	struct wms_demo_opts o = { .seed = 9, .end = fx.end };
	long long events = wms_store_event_count(fx.store);
	long long products = q_int(db(), "SELECT count(*) FROM products");
	struct wms_store *s;
	char path[160];

	assert_int_equal(wms_demo_load(fx.store, &o, &err), WMS_EEXIST);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(wms_store_event_count(fx.store), events);
	assert_int_equal(q_int(db(), "SELECT count(*) FROM products"), products);

	/* A store with a single event is no more empty than a full one. */
	snprintf(path, sizeof path, "%s/one.db", fx.dir);
	s = open_store(path);
	{
		struct wms_product p = { "X1", "Prov", "Sample", "HoS", false };
		struct wms_cmd c = { .role = WMS_ROLE_TRUSTED, .type = WMS_EV_RECEIVE, .serial = "S-1", .product = "X1",
		                     .at = fx.end - 86400 };
		assert_int_equal(wms_product_add(s, &p, &err), 0);
		if (wms_ledger_apply(s, &c, NULL, &err) != 0)
			fail_msg("%s", err.msg);
	}
	err = (struct wms_error){ 0 };
	assert_int_equal(wms_demo_load(s, &o, &err), WMS_EEXIST);
	assert_int_equal(wms_store_event_count(s), 1);
	assert_int_equal(q_int(wms_store_db(s), "SELECT count(*) FROM products"), 1);
	assert_int_equal(q_int(wms_store_db(s), "SELECT count(*) FROM customers"), 0);
	wms_store_close(s);
	remove_db(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_products),
		cmocka_unit_test(test_customers_and_locations),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_exchanges),
		cmocka_unit_test(test_leadtime),
		cmocka_unit_test(test_integrity),
		cmocka_unit_test(test_progress_and_speed),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_refuses_non_empty),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
