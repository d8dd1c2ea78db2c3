/*
 * api_bench.c - requests per second on wmsd's HTTP API and their latency
 * (p50, p99), for three calls an integration makes:
 *
 *   GET  /api/v1/orders/{number}          a random one of N orders (bench_orders.h)
 *   GET  /api/v1/devices/{serial}         a random one of D devices (received through the ledger)
 *   POST /api/v1/devices/{serial}/events  {"type":"receive"}: a new device, one durable commit
 *
 * C connections (default 4), each a thread with its own libcurl handle kept
 * alive, sending requests back to back for S seconds (default 5), with an
 * API token (Authorization: Bearer; looked up for every request).  Also
 * how long after its start wmsd first answers (start-up work such as the
 * patient-data purge runs on the same loop before it).
 *
 * Baseline, in the same run with the same client: a minimal libmicrohttpd
 * server inside this process (one polling thread, as wmsd has one loop)
 * that answers every request with the body wmsd gave for the same call,
 * fixed, without looking at anything: the ratio is wmsd's own cost (routing,
 * token, SQLite, JSON; for the POST also the fsync of its commit).
 *
 * usage: api_bench [--orders N] [--devices D] [--connections C] [--seconds S]
 *                  [--wmsd PATH] [--dir DIR]
 */
#include "bench_http.h"
#include "bench_orders.h"
#include "bench_report.h"
#include "bench_wmsd.h"
#include "wms_calendar.h"
#include "wms_ledger.h"
#include "wms_rules.h"
#include "wms_store.h"
#include "wms_users.h"

#include <arpa/inet.h>
#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CONNECTIONS 32          /* wmsd allows 32 per address */
#define EVENT_BODY "{\"type\":\"receive\",\"product\":\"P0\"}"

enum call { CALL_ORDER, CALL_DEVICE, CALL_EVENT, CALLS };

static const struct {
	const char *name;
	long status;                    /* what a good reply has */
} calls[CALLS] = {
	{ "GET /api/v1/orders/{number}", 200 },
	{ "GET /api/v1/devices/{serial}", 200 },
	{ "POST /api/v1/devices/{serial}/events", 201 },
};

struct result {
	double rate, p50, p99;          /* requests/s, ms */
};

struct worker {
	enum call call;
	int port, index;
	const char *token;
	long orders, devices;
	double deadline;
	double *lat;                    /* ms, one per request */
	size_t n, cap;
	long bad;
	pthread_t thread;
};

/* What the baseline server answers: wmsd's body for each call. */
static struct {
	char *body[CALLS];
	size_t len[CALLS];
} fixed;

static void die(const char *what, const struct wms_error *err)
{
	fprintf(stderr, "api_bench: %s: %s\n", what, err ? err->msg : "");
	exit(1);
}

static void prepare(const char *db, long orders, long devices, char token[WMS_SECRET_HEX + 1])
{
	struct wms_error err = { 0 };
	struct wms_store_opts fast = { .fast_unsafe = true };
	struct wms_store *s = NULL;
	struct wms_calendar *cal = NULL;
	char serial[32];

	if (wms_calendar_new(NULL, &cal, &err) < 0 || wms_store_open(db, &fast, &s, &err) < 0 ||
	    bench_orders_fill(s, orders, cal, &err) < 0 ||
	    wms_token_create(s, "bench-api", WMS_ROLE_ADMIN, token, &err) < 0)
		die("preparing the store", &err);
	for (long i = 0; i < devices; i++) {
		struct wms_cmd rcv = { .role = WMS_ROLE_TRUSTED, .type = WMS_EV_RECEIVE, .serial = serial, .product = "P0",
		                       .at = 1735714800 + i, .station = "bench", .actor = "bench" };
		if (i % 10000 == 0 && wms_store_begin(s, &err) < 0)
			die("begin", &err);
		snprintf(serial, sizeof serial, "D%08ld", i);
		if (wms_ledger_apply(s, &rcv, NULL, &err) < 0)
			die("receiving the devices", &err);
		if ((i % 10000 == 9999 || i == devices - 1) && wms_store_commit(s, &err) < 0)
			die("commit", &err);
	}
	wms_store_close(s);
	wms_calendar_free(cal);
}

static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct bench_http h;
	uint64_t x = 0x9E3779B97F4A7C15ull + (uint64_t)w->index * 7919;
	char url[256];

	if (bench_http_open(&h, w->token) < 0) {
		w->bad++;
		return NULL;
	}
	for (long i = 0; bench_now() < w->deadline; i++) {
		const char *body = NULL;
		long status = 0;
		double t0;

		if (w->call == CALL_ORDER)
			snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/orders/B%ld", w->port,
			         1 + (long)(next(&x) % (uint64_t)w->orders));
		else if (w->call == CALL_DEVICE)
			snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/devices/D%08ld", w->port,
			         (long)(next(&x) % (uint64_t)w->devices));
		else {
			snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/devices/API-%d-%ld/events", w->port,
			         w->index, i);
			body = EVENT_BODY;
		}
		if (w->n == w->cap) {
			size_t cap = w->cap ? w->cap * 2 : 4096;
			double *p = realloc(w->lat, cap * sizeof *p);
			if (p == NULL)
				break;
			w->lat = p;
			w->cap = cap;
		}
		t0 = bench_now();
		if (bench_http_request(&h, url, body, &status) < 0) {
			w->bad++;
			break;
		}
		w->lat[w->n++] = (bench_now() - t0) * 1e3;
		if (status != calls[w->call].status && w->bad++ == 0)
			fprintf(stderr, "api_bench: %s %s: HTTP %ld: %.200s\n", body ? "POST" : "GET", url, status,
			        h.body);
	}
	bench_http_close(&h);
	return NULL;
}

/* C connections for S seconds against port; OUT r.  -1 when a request failed. */
static int load(enum call call, int port, const char *token, long orders, long devices, int conns,
                double seconds, struct result *r)
{
	struct worker w[MAX_CONNECTIONS];
	double *all = NULL, t0 = bench_now(), took;
	size_t n = 0;
	long bad = 0;

	for (int i = 0; i < conns; i++) {
		w[i] = (struct worker){ .call = call, .port = port, .index = i, .token = token,
		                        .orders = orders, .devices = devices, .deadline = t0 + seconds };
		if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0) {
			fprintf(stderr, "api_bench: cannot start a client thread\n");
			conns = i;
			bad++;
		}
	}
	for (int i = 0; i < conns; i++) {
		pthread_join(w[i].thread, NULL);
		n += w[i].n;
		bad += w[i].bad;
	}
	took = bench_now() - t0;
	all = malloc((n ? n : 1) * sizeof *all);
	n = 0;
	for (int i = 0; i < conns; i++) {
		if (all && w[i].n)
			memcpy(all + n, w[i].lat, w[i].n * sizeof *all);
		n += w[i].n;
		free(w[i].lat);
	}
	if (all == NULL) {
		fprintf(stderr, "api_bench: out of memory\n");
		return -1;
	}
	r->rate = (double)n / took;
	r->p50 = bench_percentile(all, n, 50);
	r->p99 = bench_percentile(all, n, 99);
	free(all);
	if (bad) {
		fprintf(stderr, "api_bench: %s: %ld of %zu requests failed\n", calls[call].name, bad, n);
		return -1;
	}
	return 0;
}

/* One request to wmsd whose reply becomes the baseline server's body for that call.  0 or -1. */
static int capture(enum call call, int port, const char *token)
{
	struct bench_http h;
	char url[256];
	long status = 0;

	if (call == CALL_ORDER)
		snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/orders/B1", port);
	else if (call == CALL_DEVICE)
		snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/devices/D00000000", port);
	else
		snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/devices/API-probe/events", port);
	if (bench_http_open(&h, token) < 0)
		return -1;
	if (bench_http_request(&h, url, call == CALL_EVENT ? EVENT_BODY : NULL, &status) < 0 ||
	    status != calls[call].status) {
		if (status)
			fprintf(stderr, "api_bench: %s: HTTP %ld: %.200s\n", url, status, h.body);
		bench_http_close(&h);
		return -1;
	}
	fixed.body[call] = h.body;      /* freed at the end of main */
	fixed.len[call] = h.len;
	h.body = NULL;
	bench_http_close(&h);
	return 0;
}

/* The baseline server: the fixed body of the call the URL names, nothing else. */
static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
	static int started;
	struct MHD_Response *resp;
	enum call call = strcmp(method, "POST") == 0 ? CALL_EVENT :
	                 strncmp(url, "/api/v1/orders/", 15) == 0 ? CALL_ORDER : CALL_DEVICE;
	enum MHD_Result rc;

	(void)cls, (void)version, (void)upload;
	if (*state == NULL) {           /* headers only: come back for the body */
		*state = &started;
		return MHD_YES;
	}
	if (*upload_size) {             /* the body is read and ignored */
		*upload_size = 0;
		return MHD_YES;
	}
	resp = MHD_create_response_from_buffer(fixed.len[call], fixed.body[call], MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(resp, "Content-Type", "application/json");
	rc = MHD_queue_response(conn, (unsigned)calls[call].status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static struct MHD_Daemon *baseline_start(int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = 0 };
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, answer, NULL,
	                     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	                     MHD_OPTION_CONNECTION_LIMIT, (unsigned)64, MHD_OPTION_END);
	if (d == NULL || (info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)) == NULL) {
		fprintf(stderr, "api_bench: cannot start the baseline server\n");
		if (d)
			MHD_stop_daemon(d);
		return NULL;
	}
	*port = info->port;
	return d;
}

int main(int argc, char **argv)
{
	long orders = 100000, devices = 10000;
	int conns = 4, base_port = 0;
	double seconds = 5, fill_s, first_s = 0;
	char wmsd[PATH_MAX], dir[PATH_MAX] = "", db[PATH_MAX + 16], token[WMS_SECRET_HEX + 1];
	struct bench_wmsd w = { .pid = -1 };
	struct result got[CALLS], base[CALLS];
	struct MHD_Daemon *mhd = NULL;
	int rc = 0;

	bench_wmsd_path(argv[0], wmsd, sizeof wmsd);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--orders") == 0 && i + 1 < argc)
			orders = atol(argv[++i]);
		else if (strcmp(argv[i], "--devices") == 0 && i + 1 < argc)
			devices = atol(argv[++i]);
		else if (strcmp(argv[i], "--connections") == 0 && i + 1 < argc)
			conns = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (strcmp(argv[i], "--wmsd") == 0 && i + 1 < argc)
			snprintf(wmsd, sizeof wmsd, "%s", argv[++i]);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			snprintf(dir, sizeof dir, "%s", argv[++i]);
		else {
			fprintf(stderr, "usage: api_bench [--orders N] [--devices D] [--connections C] "
			        "[--seconds S] [--wmsd PATH] [--dir DIR]\n");
			return 2;
		}
	}
	if (orders < 1 || devices < 1 || conns < 1 || conns > MAX_CONNECTIONS || !(seconds > 0 && seconds <= 3600)) {
		fprintf(stderr, "api_bench: --orders >= 1, --devices >= 1, --connections 1 to %d, "
		        "--seconds above 0 up to 3600\n", MAX_CONNECTIONS);
		return 2;
	}
	if (dir[0] == '\0') {
		snprintf(dir, sizeof dir, "/var/tmp/api_bench.XXXXXX");
		if (mkdtemp(dir) == NULL) {
			perror(dir);
			return 1;
		}
	}
	snprintf(db, sizeof db, "%s/wms.db", dir);
	unlink(db);
	printf("api_bench: %ld orders, %ld devices, %d connections, %.1f s per call, data in %s\n", orders,
	       devices, conns, seconds, dir);
	fill_s = bench_now();
	prepare(db, orders, devices, token);
	fill_s = bench_now() - fill_s;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (bench_wmsd_start(wmsd, dir, db, &w) < 0)
		return 1;
	for (int c = 0; c < CALLS && rc == 0; c++) {
		rc = capture((enum call)c, w.port, token);
		if (c == 0)
			first_s = bench_now() - w.started;
	}
	for (int c = 0; c < CALLS && rc == 0; c++)
		rc = load((enum call)c, w.port, token, orders, devices, conns, seconds, &got[c]);
	bench_wmsd_stop(&w);
	if (rc == 0 && (mhd = baseline_start(&base_port)) != NULL) {
		for (int c = 0; c < CALLS && rc == 0; c++)
			rc = load((enum call)c, base_port, token, orders, devices, conns, seconds, &base[c]);
		MHD_stop_daemon(mhd);
	} else {
		rc = -1;
	}
	curl_global_cleanup();
	if (rc < 0) {
		fprintf(stderr, "api_bench: failed; wmsd's log and the database are in %s\n", dir);
		return 1;
	}

	printf("%-38s %10s %10s %10s %10s %10s %10s\n", "call", "req/s", "p50 ms", "p99 ms", "base req/s",
	       "base p50", "base p99");
	for (int c = 0; c < CALLS; c++)
		printf("%-38s %10.0f %10.3f %10.3f %10.0f %10.3f %10.3f\n", calls[c].name, got[c].rate,
		       got[c].p50, got[c].p99, base[c].rate, base[c].p50, base[c].p99);
	printf("%-38s %10.1f s\n", "filling the store", fill_s);
	printf("%-38s %10.1f s\n", "wmsd start to its first API answer", first_s);
	for (int c = 0; c < CALLS; c++) {
		char name[128];
		snprintf(name, sizeof name, "API %s, %d connections", calls[c].name, conns);
		bench_figure(name, got[c].rate, base[c].rate, "requests/s",
		             "libmicrohttpd answering a fixed body, same client");
		snprintf(name, sizeof name, "API %s p99", calls[c].name);
		bench_figure(name, got[c].p99, base[c].p99, "ms", "libmicrohttpd, fixed body");
	}
	{
		char name[128];
		snprintf(name, sizeof name, "wmsd start to first API answer, %ld orders, %ld devices", orders,
		         devices);
		bench_figure(name, first_s * 1e3, 0, "ms", NULL);
	}
	for (int c = 0; c < CALLS; c++)
		free(fixed.body[c]);
	{
		char path[PATH_MAX + 32];
		static const char *const files[] = { "wms.db", "wms.db-wal", "wms.db-shm", "wmsd.conf", "wmsd.log" };
		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			snprintf(path, sizeof path, "%s/%s", dir, files[i]);
			unlink(path);
		}
		rmdir(dir);
	}
	return 0;
}
