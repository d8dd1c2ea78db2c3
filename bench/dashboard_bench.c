/*
 * dashboard_bench.c - what a manager waits for: the lead-time dashboard
 * served by a real wmsd over N delivered orders (default 1,000,000), p50
 * and p95 of R requests each (default 10) of
 *
 *   GET /                  the dashboard page (HTML + SVG), session cookie
 *   GET /dashboard.csv     the same as CSV, session cookie
 *   GET /api/v1/leadtime   the report as JSON, API token
 *   GET /metrics           Prometheus scrape (it carries the share within target)
 *   GET /?depot=SK and /api/v1/leadtime?depot=SK: one depot's (a quarter of the orders)
 *
 * one libcurl connection kept alive, one untimed request of each first.
 * The orders come from bench_orders.h (the same rows as leadtime_bench);
 * the session is a real POST /api/v1/login of a manager.
 *
 * Baseline, measured in the same run on the same file, timed the same way
 * (R runs after one untimed): plain SQLite answering the headline figures
 * with a single SQL query over the same rows (delivered, no customer-set
 * date: the report's "overall"): count, share delivered within 7 days and
 * the median (in calendar days: SQL has no working-day calendar, which is
 * part of what wmsd's answer costs).  The two counts are printed as a check.
 *
 * usage: dashboard_bench [--orders N] [--requests R] [--wmsd PATH] [--dir DIR]
 */
#include "bench_dir.h"
#include "bench_http.h"
#include "bench_orders.h"
#include "bench_report.h"
#include "bench_wmsd.h"
#include "wms_calendar.h"
#include "wms_store.h"
#include "wms_users.h"

#include <jansson.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USER     "bench-manager"
#define PASSWORD "bench-password-1"

#define BASELINE_SQL \
	"WITH d AS MATERIALIZED (SELECT (delivered_ts - registered_ts) / 86400 AS days FROM orders" \
	" WHERE status = 'delivered' AND requested_date IS NULL)" \
	" SELECT count(*), avg(days <= 7)," \
	" (SELECT days FROM d ORDER BY days LIMIT 1 OFFSET (SELECT count(*) FROM d) / 2) FROM d"

struct route {
	const char *name, *path;
	bool token;                     /* API token, else the session cookie */
	const char *must;               /* the reply contains this */
	double p50, p95;
};

static int prepare(const char *db, long orders, char token[WMS_SECRET_HEX + 1])
{
	struct wms_error err = { 0 };
	struct wms_store_opts fast = { .fast_unsafe = true };
	struct wms_store *s = NULL;
	struct wms_calendar *cal = NULL;
	int rc;

	if ((rc = wms_calendar_new(NULL, &cal, &err)) < 0 || (rc = wms_store_open(db, &fast, &s, &err)) < 0 ||
	    (rc = bench_orders_fill(s, orders, cal, &err)) < 0 ||
	    (rc = wms_user_add(s, USER, WMS_ROLE_MANAGER, PASSWORD, &err)) < 0 ||
	    (rc = wms_token_create(s, "bench-api", WMS_ROLE_MANAGER, token, &err)) < 0)
		fprintf(stderr, "dashboard_bench: preparing the store: %s\n", err.msg);
	wms_store_close(s);
	wms_calendar_free(cal);
	return rc;
}

/* One request that must answer 200 with `must` in its body; its seconds, or -1. */
static double timed_get(struct bench_http *h, const char *url, const char *must)
{
	double t0 = bench_now();
	long status = 0;

	if (bench_http_request(h, url, NULL, &status) < 0)
		return -1;
	t0 = bench_now() - t0;
	if (status != 200 || strstr(h->body, must) == NULL) {
		fprintf(stderr, "dashboard_bench: GET %s: HTTP %ld, %zu bytes without \"%s\": %.200s\n", url,
		        status, h->len, must, h->body ? h->body : "");
		return -1;
	}
	return t0;
}

static int run_route(int port, struct bench_http *session, struct bench_http *api, struct route *r,
                     int requests, double *t)
{
	char url[512];
	struct bench_http *h = r->token ? api : session;

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, r->path);
	for (int i = -1; i < requests; i++) {
		double s = timed_get(h, url, r->must);
		if (s < 0)
			return -1;
		if (i >= 0)
			t[i] = s * 1e3;
	}
	r->p50 = bench_percentile(t, (size_t)requests, 50);
	r->p95 = bench_percentile(t, (size_t)requests, 95);
	return 0;
}

static int login(int port, struct bench_http *h)
{
	char url[256];
	long status = 0;

	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/login", port);
	if (bench_http_request(h, url, "{\"user\":\"" USER "\",\"password\":\"" PASSWORD "\"}", &status) < 0)
		return -1;
	if (status != 200) {
		fprintf(stderr, "dashboard_bench: login: HTTP %ld: %.200s\n", status, h->body);
		return -1;
	}
	return 0;
}

/* The baseline, R timed runs after one untimed; OUT p50/p95 in ms and what it answered. */
static int baseline(const char *db, int requests, double *t, double *p50, double *p95, long *count,
                    double *share, long *median)
{
	sqlite3 *conn = NULL;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_open_v2(db, &conn, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto out;
	for (int i = -1; i < requests; i++) {
		double t0 = bench_now();
		if (sqlite3_prepare_v2(conn, BASELINE_SQL, -1, &st, NULL) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW)
			goto out;
		*count = (long)sqlite3_column_int64(st, 0);
		*share = sqlite3_column_double(st, 1);
		*median = (long)sqlite3_column_int64(st, 2);
		sqlite3_finalize(st);
		st = NULL;
		if (i >= 0)
			t[i] = (bench_now() - t0) * 1e3;
	}
	*p50 = bench_percentile(t, (size_t)requests, 50);
	*p95 = bench_percentile(t, (size_t)requests, 95);
	rc = 0;
out:
	if (rc < 0)
		fprintf(stderr, "dashboard_bench: baseline query: %s\n", sqlite3_errmsg(conn));
	sqlite3_finalize(st);
	sqlite3_close(conn);
	return rc;
}

/* The report's own overall figures, from /api/v1/leadtime's body; its count. */
static long report_check(const char *body, long orders)
{
	json_t *r = json_loads(body, 0, NULL), *o = json_object_get(r, "overall");
	long count = (long)json_integer_value(json_object_get(o, "count"));

	printf("check: wmsd overall count %ld of %ld, median %lld working days, share within target %.3f\n",
	       count, orders, json_integer_value(json_object_get(o, "median")),
	       json_real_value(json_object_get(o, "share_within")));
	json_decref(r);
	return count;
}

int main(int argc, char **argv)
{
	long orders = 1000000;
	int requests = 10, rc = 1;
	char wmsd[PATH_MAX], dir[PATH_MAX] = "", db[PATH_MAX + 16], token[WMS_SECRET_HEX + 1];
	bool made;
	struct bench_wmsd w = { .pid = -1 };
	struct bench_http session = { 0 }, api = { 0 };
	struct route routes[] = {
		{ "dashboard page GET /", "/", false, "</html>", 0, 0 },
		{ "dashboard CSV GET /dashboard.csv", "/dashboard.csv", false, "section,", 0, 0 },
		{ "lead-time API GET /api/v1/leadtime", "/api/v1/leadtime", true, "\"overall\"", 0, 0 },
		{ "one depot's page GET /?depot=SK", "/?depot=SK", false, "</html>", 0, 0 },
		{ "one depot's API GET /api/v1/leadtime?depot=SK", "/api/v1/leadtime?depot=SK", true,
		  "\"overall\"", 0, 0 },
		{ "Prometheus scrape GET /metrics", "/metrics", false, "wms_leadtime_share_within_target", 0, 0 },
	};
	double *t = NULL, fill_s, base50, base95, share;
	long count, median, measured = -1;

	bench_wmsd_path(argv[0], wmsd, sizeof wmsd);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--orders") == 0 && i + 1 < argc)
			orders = atol(argv[++i]);
		else if (strcmp(argv[i], "--requests") == 0 && i + 1 < argc)
			requests = atoi(argv[++i]);
		else if (strcmp(argv[i], "--wmsd") == 0 && i + 1 < argc)
			snprintf(wmsd, sizeof wmsd, "%s", argv[++i]);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			snprintf(dir, sizeof dir, "%s", argv[++i]);
		else {
			fprintf(stderr, "usage: dashboard_bench [--orders N] [--requests R] [--wmsd PATH] "
			        "[--dir DIR]\n");
			return 2;
		}
	}
	if (orders < 1 || requests < 1 || requests > 100000) {
		fprintf(stderr, "dashboard_bench: --orders >= 1, --requests 1 to 100000\n");
		return 2;
	}
	made = bench_dir_make(dir, sizeof dir, "dashboard_bench");
	snprintf(db, sizeof db, "%s/wms.db", dir);
	unlink(db);
	printf("dashboard_bench: %ld delivered orders, %d requests of each, data in %s\n", orders, requests,
	       dir);
	if ((t = calloc((size_t)requests, sizeof *t)) == NULL)
		return 1;
	fill_s = bench_now();
	if (prepare(db, orders, token) < 0)
		goto out;
	fill_s = bench_now() - fill_s;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (bench_wmsd_start(wmsd, dir, db, NULL, &w) < 0 || bench_http_open(&session, NULL) < 0 ||
	    bench_http_open(&api, token) < 0 || login(w.port, &session) < 0)
		goto out;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (run_route(w.port, &session, &api, &routes[i], requests, t) < 0)
			goto out;
		if (routes[i].token && strchr(routes[i].path, '?') == NULL)
			measured = report_check(api.body, orders);
		else if (routes[i].token)   /* one depot's: printed, not the baseline's rows */
			report_check(api.body, orders);
	}
	bench_wmsd_stop(&w);
	if (baseline(db, requests, t, &base50, &base95, &count, &share, &median) < 0)
		goto out;
	printf("check: plain SQLite count %ld, median %ld calendar days, share within 7 days %.3f\n", count,
	       median, share);
	if (count != measured || count < 1) {
		fprintf(stderr, "dashboard_bench: wmsd measured %ld orders, plain SQLite %ld: not the same rows\n",
		        measured, count);
		goto out;
	}

	printf("%-40s %12s %12s %12s %12s\n", "figure", "p50", "p95", "base p50", "base p95");
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
		printf("%-40s %9.1f ms %9.1f ms %9.1f ms %9.1f ms\n", routes[i].name, routes[i].p50,
		       routes[i].p95, base50, base95);
	printf("%-40s %9.1f ms %9.1f ms\n", "baseline: one SQL query, plain SQLite", base50, base95);
	printf("%-40s %9.1f s\n", "filling the orders table", fill_s);
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		char name[160];
		snprintf(name, sizeof name, "%s over %ld orders, p50", routes[i].name, orders);
		bench_figure(name, routes[i].p50, base50, "ms", "one SQL query: count, share within, median");
		snprintf(name, sizeof name, "%s over %ld orders, p95", routes[i].name, orders);
		bench_figure(name, routes[i].p95, base95, "ms", "one SQL query: count, share within, median");
	}
	rc = 0;
out:
	bench_wmsd_stop(&w);
	bench_http_close(&session);
	bench_http_close(&api);
	curl_global_cleanup();
	free(t);
	if (made && rc == 0)        /* a failed run's files stay for a look */
		bench_dir_remove(dir);
	return rc;
}
