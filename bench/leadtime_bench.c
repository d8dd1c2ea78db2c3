/*
 * leadtime_bench.c - the managers' lead-time report over N delivered orders
 * (default 1,000,000), against a baseline measured in the same run: one
 * plain SQL aggregate (count and average per product) over the same rows.
 *
 * The orders projection is filled with direct INSERTs by bench_orders.h (a
 * read benchmark; writing through the ledger is ledger_bench's subject), and
 * the lead-time histograms counted once after (wms_leadtime_rebuild), as the
 * delivery transactions would have.  The report reads the histograms; its
 * p95 over 20 runs is the figure (the dashboard, GET /api/v1/leadtime and
 * /metrics call the same function).  The full recount that reads every order
 * (what the report did before the histograms) is measured once for context.
 * The same with a depot filter (depot=SK, a quarter of the orders): p95 of
 * 20 from the histograms, checked against its recount.
 *
 * usage: leadtime_bench [--orders N] [--db FILE]
 */
#include "bench_orders.h"
#include "bench_report.h"
#include "store_sql.h"
#include "wms_calendar.h"
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

#define REPS 20

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
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

/* The recount of o's report (every order read again) must equal r, from the
 * histograms; how long it took (ms). */
static double same_as_recount(struct wms_store *s, const struct wms_leadtime_opts *o, json_t *r,
                              const char *what)
{
	struct wms_leadtime_opts full = *o;
	struct wms_error err = { 0 };
	double t0 = now_ms(), ms;
	json_t *rr;
	char *a, *b;

	full.recount = true;
	if ((rr = wms_leadtime_report(s, &full, &err)) == NULL)
		die("recount", &err);
	ms = now_ms() - t0;
	a = json_dumps(r, JSON_SORT_KEYS);
	b = json_dumps(rr, JSON_SORT_KEYS);
	if (a == NULL || b == NULL || strcmp(a, b) != 0) {
		fprintf(stderr, "leadtime_bench: %s from the histograms differs from the recount\n", what);
		exit(1);
	}
	free(a);
	free(b);
	json_decref(rr);
	return ms;
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
	double fill_ms, best = 1e18, base = 1e18, times[REPS], p95, recount_ms, depot_p95;
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
	if (bench_orders_fill(s, n, cal, &err) < 0)
		die("filling the orders", &err);
	fill_ms = now_ms() - fill_ms;
	o.cal = cal;
	o.now = wms_local_to_utc(wms_date_from_ymd(2026, 1, 15), 12 * 60);
	for (int rep = 0; rep < 3; rep++) {
		double b = baseline(s);
		if (b < base)
			base = b;
	}
	for (int rep = 0; rep < REPS; rep++) {
		double t0 = now_ms();
		json_decref(r);
		r = wms_leadtime_report(s, &o, &err);
		if (r == NULL)
			die("report", &err);
		times[rep] = now_ms() - t0;
		if (times[rep] < best)
			best = times[rep];
	}
	qsort(times, REPS, sizeof *times, cmp_double);
	p95 = times[(REPS * 95 + 99) / 100 - 1];
	recount_ms = same_as_recount(s, &o, r, "the report");
	{
		/* one depot's report (the depot cells), equal to its recount */
		struct wms_leadtime_opts one = o;
		double dt[REPS];
		json_t *rd = NULL;

		one.depot = "SK";
		for (int rep = 0; rep < REPS; rep++) {
			double t0 = now_ms();
			json_decref(rd);
			if ((rd = wms_leadtime_report(s, &one, &err)) == NULL)
				die("depot report", &err);
			dt[rep] = now_ms() - t0;
		}
		qsort(dt, REPS, sizeof *dt, cmp_double);
		depot_p95 = dt[(REPS * 95 + 99) / 100 - 1];
		same_as_recount(s, &one, rd, "depot SK's report");
		json_decref(rd);
	}
	stat(path, &sb);
	printf("lead-time report over %ld orders (p95 of %d; baseline best of 3)\n", n, REPS);
	printf("%-40s %12s %12s %8s\n", "figure", "value", "baseline", "ratio");
	printf("%-40s %10.1f ms %10.1f ms %8.4f\n", "report p95 (all groups, late, at risk)", p95, base,
	       p95 / base);
	printf("%-40s %10.1f ms %10.1f ms %8.4f\n", "report, best", best, base, best / base);
	printf("%-40s %10.1f ms %10.1f ms %8.4f\n", "report p95, depot=SK (a quarter)", depot_p95, base,
	       depot_p95 / base);
	printf("%-40s %10.1f ms %10.1f ms %8.2f\n", "full recount (before the histograms)", recount_ms,
	       base, recount_ms / base);
	printf("%-40s %10.0f /s\n", "orders per second through the report", n / (best / 1e3));
	printf("%-40s %10.1f ms\n", "filling the orders table", fill_ms);
	printf("%-40s %10.1f MB\n", "database size", sb.st_size / 1e6);
	{
		char name[96];
		snprintf(name, sizeof name, "lead-time report p95 over %ld orders", n);
		bench_figure(name, p95, base, "ms", "one plain aggregate over the same rows");
		snprintf(name, sizeof name, "lead-time report p95 of one depot over %ld orders", n);
		bench_figure(name, depot_p95, base, "ms", "one plain aggregate over the same rows");
		snprintf(name, sizeof name, "lead-time full recount over %ld orders", n);
		bench_figure(name, recount_ms, base, "ms", "one plain aggregate over the same rows");
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
