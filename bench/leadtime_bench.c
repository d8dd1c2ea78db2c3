/*
 * leadtime_bench.c - the managers' lead-time report over N delivered orders
 * (default 1,000,000), against a baseline measured in the same run: one
 * plain SQL aggregate (count and average per product) over the same rows.
 *
 * The orders projection is filled with direct INSERTs (a read benchmark;
 * writing through the ledger is ledger_bench's subject).
 *
 * usage: leadtime_bench [--orders N] [--db FILE]
 */
#include "bench_report.h"
#include "store_sql.h"
#include "wms_calendar.h"
#include "wms_catalog.h"
#include "wms_leadtime.h"
#include "wms_store.h"
#include "wms_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const struct wms_error *err)
{
	fprintf(stderr, "leadtime_bench: %s: %s\n", what, err ? err->msg : "");
	exit(1);
}

static void fill(struct wms_store *s, long n, const struct wms_calendar *cal)
{
	struct wms_error err = { 0 };
	sqlite3_stmt *st = NULL;
	uint64_t x = 0x9E3779B97F4A7C15ull;
	char code[32], name[64];
	wms_time base = wms_local_to_utc(wms_date_from_ymd(2024, 1, 1), 8 * 60);

	for (int p = 0; p < 9; p++) {
		struct wms_product prod = { code, name, name, "HoS", false };
		snprintf(code, sizeof code, "P%d", p);
		snprintf(name, sizeof name, "Produkt %d", p);
		if (wms_product_add(s, &prod, &err) < 0)
			die("product", &err);
	}
	for (int c = 0; c < 50; c++) {
		snprintf(code, sizeof code, "C%02d", c);
		snprintf(name, sizeof name, "Enhet %d", c);
		if (wms_customer_add(s, code, name, c < 40 ? "region" : "municipality", NULL, &err) < 0)
			die("customer", &err);
	}
	if (wms_store_begin(s, &err) < 0)
		die("begin", &err);
	if (sqlite3_prepare_v2(wms_store_db(s),
	        "INSERT INTO orders(id, number, customer_id, product_id, mode, depot, registered_ts,"
	        " status, delivered_ts, requested_date, last_event_id)"
	        " VALUES (?1, 'B' || ?1, ?2, ?3, ?4, 'Mölndal', ?5, 'delivered', ?6, ?7, ?1)",
	        -1, &st, NULL) != SQLITE_OK)
		die("prepare", NULL);
	for (long i = 1; i <= n; i++) {
		static const char *const modes[] = { "home", "pickup_point", "unit", "buffer" };
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		wms_time reg = base + (wms_time)(x % (2 * 365 * 86400ull));
		wms_day start = wms_leadtime_start(cal, reg, 900);
		int days = (int)((x >> 24) % 10) < 9 ? 1 + (int)((x >> 32) % 6) : 8 + (int)((x >> 40) % 10);
		wms_day del = wms_calendar_add_workdays(cal, start, days);
		char req[16];
		sqlite3_bind_int64(st, 1, i);
		sqlite3_bind_int64(st, 2, 1 + (long)((x >> 8) % 50));
		sqlite3_bind_int64(st, 3, 1 + (long)((x >> 16) % 9));
		sqlite3_bind_text(st, 4, modes[(x >> 48) % 4], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, reg);
		sqlite3_bind_int64(st, 6, wms_local_to_utc(del, 13 * 60));
		if ((x >> 56) % 20 == 0)
			sqlite3_bind_text(st, 7, wms_date_format(del, req), -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 7);
		if (sqlite3_step(st) != SQLITE_DONE)
			die("insert", NULL);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (wms_store_commit(s, &err) < 0)
		die("commit", &err);
}

static double baseline(struct wms_store *s)
{
	sqlite3_stmt *st = NULL;
	double t0 = now_ms();
	long rows = 0;

	sqlite3_prepare_v2(wms_store_db(s),
	        "SELECT product_id, count(*), avg(delivered_ts - registered_ts) FROM orders"
	        " WHERE status = 'delivered' GROUP BY product_id", -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW)
		rows += sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	(void)rows;
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	long n = 1000000;
	char path[256] = "";
	struct wms_store *s = NULL;
	struct wms_calendar *cal = NULL;
	struct wms_error err = { 0 };
	struct wms_store_opts fast = { .fast_unsafe = true };
	struct wms_leadtime_opts o = { 0 };
	double fill_ms, best = 1e18, base = 1e18;
	struct stat sb;
	json_t *r = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--orders") && i + 1 < argc)
			n = atol(argv[++i]);
		else if (!strcmp(argv[i], "--db") && i + 1 < argc)
			snprintf(path, sizeof path, "%s", argv[++i]);
		else {
			fprintf(stderr, "usage: leadtime_bench [--orders N] [--db FILE]\n");
			return 2;
		}
	}
	if (n < 1)
		n = 1;
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/wms-leadtime-bench-%d.db", (int)getpid());
	unlink(path);
	if (wms_calendar_new(NULL, &cal, &err) < 0 || wms_store_open(path, &fast, &s, &err) < 0)
		die("open", &err);
	fill_ms = now_ms();
	fill(s, n, cal);
	fill_ms = now_ms() - fill_ms;
	o.cal = cal;
	o.now = wms_local_to_utc(wms_date_from_ymd(2026, 1, 15), 12 * 60);
	for (int rep = 0; rep < 3; rep++) {
		double t0 = now_ms(), b;
		json_decref(r);
		r = wms_leadtime_report(s, &o, &err);
		if (r == NULL)
			die("report", &err);
		if (now_ms() - t0 < best)
			best = now_ms() - t0;
		b = baseline(s);
		if (b < base)
			base = b;
	}
	stat(path, &sb);
	printf("lead-time report over %ld orders (best of 3)\n", n);
	printf("%-40s %12s %12s %8s\n", "figure", "value", "baseline", "ratio");
	printf("%-40s %10.1f ms %10.1f ms %8.2f\n", "report (all groups, late, at risk)", best, base, best / base);
	printf("%-40s %10.0f /s\n", "orders per second through the report", n / (best / 1e3));
	printf("%-40s %10.1f ms\n", "filling the orders table", fill_ms);
	printf("%-40s %10.1f MB\n", "database size", sb.st_size / 1e6);
	{
		char name[64];
		snprintf(name, sizeof name, "lead-time report over %ld orders", n);
		bench_figure(name, best, base, "ms", "one plain aggregate over the same rows");
	}
	printf("check: overall count %lld, median %lld, share within 7 %.3f\n",
	       json_integer_value(json_object_get(json_object_get(r, "overall"), "count")),
	       json_integer_value(json_object_get(json_object_get(r, "overall"), "median")),
	       json_real_value(json_object_get(json_object_get(r, "overall"), "share_within")));
	json_decref(r);
	wms_store_close(s);
	wms_calendar_free(cal);
	unlink(path);
	return 0;
}
