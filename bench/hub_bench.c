/*
 * hub_bench.c - central reporting on PostgreSQL: how fast a depot's ledger
 * ships to the hub, against a plain INSERT ... ON CONFLICT DO NOTHING of the
 * same rows from one connection, measured in the same run on the same server.
 *
 * Workload: a ledger made by ledger_bench (--keep), shipped whole by
 * hub_ship() in batches (one central transaction each: cursor row locked,
 * the last event checked, each event inserted with ON CONFLICT and a serial
 * check on receipts, the cursor advanced) as a depot catches up after a
 * backlog.  Baseline: the same events (read with the same export) inserted
 * into a one-table copy keyed the same way, one prepared INSERT ... ON
 * CONFLICT DO NOTHING each, one transaction per batch.  Then the hub's
 * projection over the shipped events (orders and lead times with the core's
 * code) and one central report.  Then (hub_bench_live.c) two depots at 50
 * scans/s each, without and with shipping (scan-to-ack, lag), and the
 * central report over 1M delivered orders against a plain SQL aggregate.
 * Usage:
 *   hub_bench --db LEDGER.db --conninfo CONNINFO [--batch N (1000)] [--seconds S (20)]
 *             [--orders N (1000000)]
 */
#include "bench_report.h"
#include "hub_bench.h"
#include "hub.h"
#include "wms_calendar.h"
#include "wms_export.h"
#include "wms_leadtime.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int pq_ok(PGconn *pg, PGresult *r, const char *what)
{
	int st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "hub_bench: %s: %s", what, PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* The baseline: the same rows, plain INSERT ... ON CONFLICT DO NOTHING. */
static double baseline(struct wms_store *s, const char *conninfo, int batch, long *rows)
{
	static const char ins[] =
		"INSERT INTO bench_plain(depot, epoch, seq, body) VALUES ($1, $2, $3, $4::jsonb)"
		" ON CONFLICT (depot, epoch, seq) DO NOTHING";
	PGconn *pg = PQconnectdb(conninfo);
	struct wms_error err = { 0 };
	long long after = 0;
	double t0, t = -1;
	json_t *evs, *ev;
	size_t i;

	*rows = 0;
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "hub_bench: baseline: %s", PQerrorMessage(pg));
		goto out;
	}
	PQsetNoticeProcessor(pg, quiet, NULL);
	if (pq_ok(pg, PQexec(pg, "DROP TABLE IF EXISTS bench_plain; CREATE TABLE bench_plain(depot text, epoch text,"
	                     " seq bigint, body jsonb NOT NULL, PRIMARY KEY (depot, epoch, seq))"), "baseline table") < 0 ||
	    pq_ok(pg, PQprepare(pg, "ins", ins, 4, NULL), "preparing") < 0)
		goto out;
	t0 = now_s();
	while ((evs = wms_ledger_export(s, after, batch, &err)) != NULL && json_array_size(evs) > 0) {
		if (pq_ok(pg, PQexec(pg, "BEGIN"), "BEGIN") < 0)
			goto fail;
		json_array_foreach(evs, i, ev) {
			char seq[24], *body = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
			const char *p[4] = { "BENCH", "baseline", seq, body };
			after = json_integer_value(json_object_get(ev, "seq"));
			snprintf(seq, sizeof seq, "%lld", after);
			if (pq_ok(pg, PQexecPrepared(pg, "ins", 4, p, NULL, NULL, 0), "insert") < 0) {
				free(body);
				goto fail;
			}
			free(body);
			(*rows)++;
		}
		if (pq_ok(pg, PQexec(pg, "COMMIT"), "COMMIT") < 0)
			goto fail;
		json_decref(evs);
	}
	if (evs == NULL) {
		fprintf(stderr, "hub_bench: baseline: %s\n", err.msg);
		goto out;
	}
	json_decref(evs);
	t = now_s() - t0;
	goto out;
fail:
	json_decref(evs);
out:
	PQfinish(pg);
	return t;
}

int main(int argc, char **argv)
{
	const char *db = NULL, *conninfo = NULL;
	long batch = 1000, shipped = 0, n, projected = 0, rows = 0, seconds = 20, orders = 1000000;
	struct wms_store *s = NULL;
	struct pg_conn *hub = NULL;
	struct wms_calendar *cal = NULL;
	struct wms_error err = { 0 };
	char epoch[17];
	double t0, t_ship, t_base, t_proj, t_rep;
	json_t *rep;
	long long upto;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--conninfo") == 0 && i + 1 < argc)
			conninfo = argv[++i];
		else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc)
			batch = atol(argv[++i]);
		else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			seconds = atol(argv[++i]);
		else if (strcmp(argv[i], "--orders") == 0 && i + 1 < argc)
			orders = atol(argv[++i]);
		else {
			fprintf(stderr, "usage: hub_bench --db LEDGER.db --conninfo CONNINFO [--batch N (1000)] "
			        "[--seconds S (20)] [--orders N (1000000)]\n");
			return 2;
		}
	}
	if (db == NULL || conninfo == NULL || batch < 1 || batch > 100000 || seconds < 1 || seconds > 3600 ||
	    orders < 1 || orders > 100000000) {
		fprintf(stderr, "usage: hub_bench --db LEDGER.db --conninfo CONNINFO [--batch N (1000)] "
		        "[--seconds S (20)] [--orders N (1000000)]\n");
		return 2;
	}
	struct wms_store_opts so = { .no_create = true };
	long long head = 0;

	if (wms_store_open(db, &so, &s, &err) < 0 || wms_ledger_epoch(s, epoch, &err) < 0 ||
	    wms_ledger_head(s, &head, &err) < 0 ||
	    hub_open(conninfo, NULL, &hub, &err) < 0 || wms_calendar_new(NULL, &cal, &err) < 0)
		goto fail;

	if (head == 0) {
		wms_error_set(&err, WMS_EINVAL, "%s holds no events (make one with ledger_bench --keep)", db);
		goto fail;
	}
	/* a depot catching up: its whole ledger, batch by batch */
	t0 = now_s();
	do {
		if ((rc = hub_ship(hub, s, "BENCH", epoch, (int)batch, &n, &upto, &err)) < 0)
			goto fail;
		shipped += n;
	} while (n > 0);
	t_ship = now_s() - t0;
	t_base = baseline(s, conninfo, (int)batch, &rows);
	if (t_base < 0 || rows != shipped) {
		fprintf(stderr, "hub_bench: the baseline stored %ld rows, the hub %ld\n", rows, shipped);
		goto fail;
	}

	/* the hub's projections over them, then one report */
	{
		struct wms_leadtime_opts o = { .cal = cal, .cutoff_minute = 900, .target_days = 7 };
		t0 = now_s();
		if (hub_project(hub, &o, &projected, &err) < 0)
			goto fail;
		t_proj = now_s() - t0;
	}
	t0 = now_s();
	if ((rep = hub_report(hub, 7, &err)) == NULL)
		goto fail;
	t_rep = now_s() - t0;

	printf("events shipped            %ld in %.2f s: %.0f/s (batch %ld)\n", shipped, t_ship, shipped / t_ship, batch);
	printf("plain INSERT ON CONFLICT  %ld in %.2f s: %.0f/s\n", rows, t_base, rows / t_base);
	printf("projection                %ld events in %.2f s: %.0f/s\n", projected, t_proj, projected / t_proj);
	printf("central report            %.1f ms over %lld delivered orders\n", t_rep * 1e3,
	       (long long)json_integer_value(json_object_get(json_object_get(json_object_get(rep, "leadtime"),
	                                                                      "overall"), "count")));
	bench_figure("hub: events shipped per second (catch-up, batch 1000)", shipped / t_ship, rows / t_base,
	             "events/s", "plain INSERT ... ON CONFLICT DO NOTHING, one connection");
	bench_figure("hub: projection (orders, lead times with the core's code)", projected / t_proj, 0, "events/s", NULL);
	bench_figure("hub: central report (histograms)", t_rep * 1e3, 0, "ms", NULL);
	json_decref(rep);
	hub_close(hub);
	wms_calendar_free(cal);
	wms_store_close(s);
	if (hub_bench_live(conninfo, 50, (int)seconds) < 0 || hub_bench_report(conninfo, orders) < 0)
		return 1;
	return 0;
fail:
	fprintf(stderr, "hub_bench: %s\n", err.msg);
	hub_close(hub);
	wms_calendar_free(cal);
	wms_store_close(s);
	return 1;
}
