/*
 * hub_bench_live.c - the hub's figures at a depot's working pace and at the
 * region's size (part of hub_bench, see hub_bench.c):
 *
 *  - two depots, each scanning at a steady rate (open loop: a receive every
 *    1/rate s into its own SQLite ledger), first without shipping, then with
 *    a shipping thread each that runs the ship worker's loop (hub_ship until
 *    up to date, the catalogue pull, 1 s pause): scan-to-ack p50/p99 (from
 *    the scan's due time to its durable commit) with and without shipping,
 *    and the lag of each event (from its local commit to the return of the
 *    central transaction that stored it) p50/p99;
 *  - the central report over a region of N delivered orders (hub_orders and
 *    hub_lt_hist filled as the projection leaves them) against the plain SQL
 *    aggregate of the same histograms over hub_orders.
 */
#include "hub_bench.h"

#include "bench_report.h"
#include "hub.h"
#include "wms_catalog.h"
#include "wms_export.h"
#include "wms_ledger.h"
#include "wms_rules.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEPOTS 2

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	double d = t - mono();

	if (d > 0) {
		struct timespec ts = { (time_t)d, (long)((d - (double)(time_t)d) * 1e9) };
		nanosleep(&ts, NULL);
	}
}

struct depot {
	char db[600], code[8];
	const char *conninfo;
	int rate;
	long scans;
	double *ack;                   /* per scan: due time to durable commit, s */
	_Atomic double *committed;     /* per event id: when it committed (0: not yet known) */
	long long last;                /* the last event id written */
	atomic_int done;
	double *lag;
	long n_lag;
	int failed;
};

static void *writer(void *arg)
{
	struct depot *d = arg;
	struct wms_store *s = NULL;
	struct wms_error err = { 0 };
	double t0;

	if (wms_store_open(d->db, NULL, &s, &err) < 0)
		goto fail;
	t0 = mono();
	for (long i = 0; i < d->scans; i++) {
		char serial[40];
		struct wms_cmd c = { .type = WMS_EV_RECEIVE, .station = "bench", .role = WMS_ROLE_TRUSTED,
		                     .serial = serial, .product = "BPM" };
		struct wms_cmd_result res;
		double due = t0 + (double)i / d->rate;

		snprintf(serial, sizeof serial, "%s-%ld", d->code, i);
		sleep_until(due);
		if (wms_ledger_apply(s, &c, &res, &err) < 0)
			goto fail;
		d->ack[i] = mono() - due;
		if (res.event_id > 0 && res.event_id <= d->scans + 8)
			atomic_store(&d->committed[res.event_id], mono());
		d->last = res.event_id;
	}
	wms_store_close(s);
	atomic_store(&d->done, 1);
	return NULL;
fail:
	fprintf(stderr, "hub_bench: depot %s: %s\n", d->code, err.msg);
	d->failed = 1;
	wms_store_close(s);
	atomic_store(&d->done, 1);
	return NULL;
}

/* The ship worker's loop (ship_worker.c): ship until up to date, pull the
 * catalogue, then a pause of 1 s; each event's lag when its batch returns. */
static void *shipper(void *arg)
{
	struct depot *d = arg;
	struct wms_store *s = NULL;
	struct pg_conn *hub = NULL;
	struct wms_error err = { 0 };
	char epoch[17];
	long long upto, seen = 0;

	if (wms_store_open(d->db, NULL, &s, &err) < 0 || wms_ledger_epoch(s, epoch, &err) < 0 ||
	    hub_open(d->conninfo, NULL, &hub, &err) < 0)
		goto fail;
	for (;;) {
		long n = 0, pulled = 0;
		bool finished = atomic_load(&d->done);

		if (hub_ship(hub, s, d->code, epoch, 1000, &n, &upto, &err) < 0 ||
		    hub_catalog_pull(hub, s, d->code, 1000, &pulled, NULL, &err) < 0)
			goto fail;
		if (n > 0) {
			double t = mono();
			for (long long q = seen + 1; q <= upto && q <= d->scans + 8; q++) {
				double c;
				while ((c = atomic_load(&d->committed[q])) == 0)   /* its writer is about to say */
					sched_yield();
				d->lag[d->n_lag++] = t - c;
			}
			seen = upto;
			continue;
		}
		if (finished && seen >= d->last)
			break;
		usleep(1000 * 1000);
	}
	hub_close(hub);
	wms_store_close(s);
	return NULL;
fail:
	fprintf(stderr, "hub_bench: shipping %s: %s\n", d->code, err.msg);
	d->failed = 1;
	hub_close(hub);
	wms_store_close(s);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* p (0..1) of v[0..n) (sorted here). */
static double pct(double *v, long n, double p)
{
	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof *v, cmp);
	return v[(long)(p * (double)(n - 1) + 0.5)];
}

/* Two depots scanning for seconds at rate, shipping or not: scan-to-ack
 * latencies of both in ack (2 x rate x seconds), lags in lag. */
static int run_depots(const char *dir, const char *tag, const char *conninfo, int rate, int seconds, bool ship,
                      double *ack, double *lag, long *n_lag)
{
	struct depot d[DEPOTS];
	pthread_t w[DEPOTS], sh[DEPOTS];
	int rc = 0;

	*n_lag = 0;
	for (int i = 0; i < DEPOTS; i++) {
		struct wms_store *s = NULL;
		struct wms_error err = { 0 };
		struct wms_product p = { "BPM", "B", "B", "HoS", false };

		memset(&d[i], 0, sizeof d[i]);
		snprintf(d[i].code, sizeof d[i].code, "%s%c", tag, 'A' + i);
		snprintf(d[i].db, sizeof d[i].db, "%s/%s.db", dir, d[i].code);
		unlink(d[i].db);
		d[i].conninfo = conninfo;
		d[i].rate = rate;
		d[i].scans = (long)rate * seconds;
		d[i].ack = ack + i * d[i].scans;
		d[i].lag = calloc((size_t)d[i].scans + 8, sizeof *d[i].lag);
		d[i].committed = calloc((size_t)d[i].scans + 9, sizeof *d[i].committed);
		if (d[i].lag == NULL || d[i].committed == NULL || wms_store_open(d[i].db, NULL, &s, &err) < 0 ||
		    wms_product_add(s, &p, &err) < 0) {
			fprintf(stderr, "hub_bench: depot %s: %s\n", d[i].code, err.msg);
			wms_store_close(s);
			return -1;
		}
		wms_store_close(s);
	}
	for (int i = 0; i < DEPOTS; i++) {
		pthread_create(&w[i], NULL, writer, &d[i]);
		if (ship)
			pthread_create(&sh[i], NULL, shipper, &d[i]);
	}
	for (int i = 0; i < DEPOTS; i++) {
		pthread_join(w[i], NULL);
		if (ship)
			pthread_join(sh[i], NULL);
		rc |= d[i].failed ? -1 : 0;
		memcpy(lag + *n_lag, d[i].lag, (size_t)d[i].n_lag * sizeof *lag);
		*n_lag += d[i].n_lag;
		free(d[i].lag);
		free((void *)d[i].committed);
	}
	return rc;
}

int hub_bench_live(const char *conninfo, int rate, int seconds)
{
	char dir[] = "/tmp/hub_bench.XXXXXX";
	long scans = (long)DEPOTS * rate * seconds, n_lag, n_none;
	double *ack0 = calloc((size_t)scans, sizeof *ack0), *ack1 = calloc((size_t)scans, sizeof *ack1);
	double *lag = calloc((size_t)scans + 16, sizeof *lag), *none = calloc((size_t)scans + 16, sizeof *none);
	double a50, a99, b50, b99, l50, l99;
	int rc = -1;

	if (!ack0 || !ack1 || !lag || !none || mkdtemp(dir) == NULL)
		goto out;
	if (run_depots(dir, "N", conninfo, rate, seconds, false, ack0, none, &n_none) < 0 ||
	    run_depots(dir, "S", conninfo, rate, seconds, true, ack1, lag, &n_lag) < 0)
		goto out;
	a50 = pct(ack0, scans, 0.5), a99 = pct(ack0, scans, 0.99);
	b50 = pct(ack1, scans, 0.5), b99 = pct(ack1, scans, 0.99);
	l50 = pct(lag, n_lag, 0.5), l99 = pct(lag, n_lag, 0.99);
	printf("scan-to-ack, no shipping   p50 %.2f ms  p99 %.2f ms (%d depots x %d scans/s x %d s)\n",
	       a50 * 1e3, a99 * 1e3, DEPOTS, rate, seconds);
	printf("scan-to-ack, shipping      p50 %.2f ms  p99 %.2f ms\n", b50 * 1e3, b99 * 1e3);
	printf("lag (commit to hub)        p50 %.0f ms  p99 %.0f ms over %ld events (1 s pause when up to date)\n",
	       l50 * 1e3, l99 * 1e3, n_lag);
	bench_figure("hub: depot scan-to-ack p99 while shipping (50 scans/s per depot)", b99 * 1e3, a99 * 1e3, "ms",
	             "the same without shipping");
	bench_figure("hub: depot scan-to-ack p50 while shipping (50 scans/s per depot)", b50 * 1e3, a50 * 1e3, "ms",
	             "the same without shipping");
	bench_figure("hub: lag p50, depot commit to hub (50 scans/s per depot)", l50 * 1e3, 0, "ms", NULL);
	bench_figure("hub: lag p99, depot commit to hub (50 scans/s per depot)", l99 * 1e3, 0, "ms", NULL);
	rc = n_lag == scans ? 0 : -1;
	if (rc < 0)
		fprintf(stderr, "hub_bench: %ld events reached the hub of %ld\n", n_lag, scans);
out:
	for (int i = 0; i < DEPOTS; i++) {
		char p[700];
		snprintf(p, sizeof p, "%s/N%c.db", dir, 'A' + i);
		unlink(p);
		snprintf(p, sizeof p, "%s/S%c.db", dir, 'A' + i);
		unlink(p);
		snprintf(p, sizeof p, "%s/S%c.db.shipped", dir, 'A' + i);
		unlink(p);
	}
	for (int i = 0; i < DEPOTS; i++) {    /* WAL leftovers */
		char p[700];
		snprintf(p, sizeof p, "%s/N%c.db-wal", dir, 'A' + i), unlink(p);
		snprintf(p, sizeof p, "%s/N%c.db-shm", dir, 'A' + i), unlink(p);
		snprintf(p, sizeof p, "%s/S%c.db-wal", dir, 'A' + i), unlink(p);
		snprintf(p, sizeof p, "%s/S%c.db-shm", dir, 'A' + i), unlink(p);
	}
	rmdir(dir);
	free(ack0);
	free(ack1);
	free(lag);
	free(none);
	return rc;
}

static double timed(PGconn *pg, const char *sql, long *rows)
{
	double t0 = mono();
	PGresult *r = PQexec(pg, sql);
	double t = mono() - t0;

	if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "hub_bench: %s", PQresultErrorMessage(r));
		t = -1;
	}
	if (rows)
		*rows = PQntuples(r);
	PQclear(r);
	return t;
}

int hub_bench_report(const char *conninfo, long orders)
{
	char conn[1200], fill[1400];
	PGconn *pg = PQconnectdb(conninfo), *rp = NULL;
	struct pg_conn *hub = NULL;
	struct wms_error err = { 0 };
	double best_rep = 1e9, best_sql = 1e9;
	long long counted = 0;
	long rows;
	int rc = -1;

	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "hub_bench: %s", PQerrorMessage(pg));
		goto out;
	}
	if (timed(pg, "DROP DATABASE IF EXISTS hub_bench_report", NULL) < 0 ||
	    timed(pg, "CREATE DATABASE hub_bench_report", NULL) < 0)
		goto out;
	snprintf(conn, sizeof conn, "%s dbname=hub_bench_report", conninfo);
	if (hub_open(conn, NULL, &hub, &err) < 0) {
		fprintf(stderr, "hub_bench: %s\n", err.msg);
		goto out;
	}
	rp = PQconnectdb(conn);
	/* what the projection leaves: the delivered orders of two depots over
	 * some years, and their histograms per depot, month and customer-set */
	snprintf(fill, sizeof fill,
	         "INSERT INTO hub_orders(depot, number, registered_ts, status, delivered_ts, lead_days, lead_set)"
	         " SELECT CASE WHEN i %% 3 = 0 THEN 'SK' ELSE 'ML' END, 'O-' || i, 1600000000 + i * 90, 'delivered',"
	         " 1600000000 + i * 90 + ((i * 7919) %% 12) * 86400, (i * 7919) %% 12, i %% 10 = 0"
	         " FROM generate_series(1::bigint, %ld) i;"
	         "INSERT INTO hub_lt_hist(depot, month, custset, days, n) SELECT depot, delivered_ts / 2629800,"
	         " lead_set, lead_days, count(*) FROM hub_orders GROUP BY 1, 2, 3, 4;"
	         "ANALYZE hub_orders; ANALYZE hub_lt_hist", orders);
	if (PQstatus(rp) != CONNECTION_OK || timed(rp, fill, NULL) < 0)
		goto out;
	for (int i = 0; i < 5; i++) {
		double t0 = mono();
		json_t *rep = hub_report(hub, 7, &err);
		double t = mono() - t0, ts;

		if (rep == NULL) {
			fprintf(stderr, "hub_bench: %s\n", err.msg);
			goto out;
		}
		counted = json_integer_value(json_object_get(json_object_get(json_object_get(rep, "leadtime"),
		                                                             "overall"), "count"));
		json_decref(rep);
		best_rep = t < best_rep ? t : best_rep;
		/* the plain way: the same histograms aggregated from the orders */
		ts = timed(rp, "SELECT depot, lead_days, count(*) FROM hub_orders WHERE status = 'delivered'"
		           " AND NOT lead_set GROUP BY depot, lead_days ORDER BY depot, lead_days", &rows);
		if (ts < 0)
			goto out;
		best_sql = ts < best_sql ? ts : best_sql;
	}
	printf("central report             %.1f ms over %ld orders (%lld counted; best of 5)\n", best_rep * 1e3,
	       orders, counted);
	printf("plain SQL aggregate        %.1f ms (the same histograms from hub_orders, %ld rows)\n",
	       best_sql * 1e3, rows);
	bench_figure("hub: central report at 1M orders (histograms)", best_rep * 1e3, best_sql * 1e3, "ms",
	             "plain SQL aggregate of the orders on PostgreSQL");
	rc = 0;
out:
	hub_close(hub);
	PQfinish(rp);
	if (PQstatus(pg) == CONNECTION_OK)
		timed(pg, "DROP DATABASE IF EXISTS hub_bench_report", NULL);
	PQfinish(pg);
	return rc;
}
