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
 * Then the scan path under a login flood (issue 17): wmsd again, now with a
 * FIFO receipt station with an ack pipe and login throttling off (every
 * login costs an argon2id check, as from many addresses).  One scanner
 * thread scans back to back for S seconds (scan-to-ack: write the UDI, read
 * "ok") while nothing else runs; then again while 30 clients post wrong
 * passwords to /api/v1/login back to back.  Figure: scan-to-ack p99 with the
 * flood, against p99 without it in the same run (goal <= 5 ms).
 *
 * usage: api_bench [--orders N] [--devices D] [--connections C] [--seconds S]
 *                  [--wmsd PATH] [--dir DIR] [--post-only]
 *
 * --post-only: only the POST row and its baseline (for profiling the write path).
 */
#include "bench_dir.h"
#include "bench_http.h"
#include "bench_orders.h"
#include "bench_report.h"
#include "bench_wmsd.h"
#include "wms_calendar.h"
#include "wms_catalog.h"
#include "wms_ledger.h"
#include "wms_rules.h"
#include "wms_store.h"
#include "wms_users.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
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
#define FLOOD_CLIENTS 30
#define GTIN "09506000134352"

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

	struct wms_product scanned = { "FLOOD", "Blodtrycksmätare", "Blood-pressure monitor", "HoS", false };

	if (wms_calendar_new(NULL, &cal, &err) < 0 || wms_store_open(db, &fast, &s, &err) < 0 ||
	    bench_orders_fill(s, orders, cal, &err) < 0 || wms_product_add(s, &scanned, &err) < 0 ||
	    wms_product_add_gtin(s, "FLOOD", GTIN, &err) < 0 ||
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

/* --- the scan path under a login flood */

struct scanner {
	const char *fifo, *ack;
	int round;
	double deadline, ended;
	double *lat;                    /* ms */
	size_t n, cap;
	long bad;
};

static void *play_scanner(void *arg)
{
	struct scanner *sc = arg;
	int in = open(sc->ack, O_RDWR | O_CLOEXEC);   /* RDWR: never blocks, never EOF */
	int out = open(sc->fifo, O_WRONLY | O_CLOEXEC);
	char line[128], ack[16];

	if (in < 0 || out < 0) {
		perror("api_bench: scanner pipes");
		sc->bad++;
		goto out;
	}
	for (long i = 0; i < 10 || bench_now() < sc->deadline; i++) {   /* a few, however short */
		size_t got = 0;
		int len = snprintf(line, sizeof line, "]d201" GTIN "17300630" "21FL%d-%06ld\x1d" "10LOT1\n",
		                   sc->round, i);
		double t0;
		if (sc->n == sc->cap) {
			size_t cap = sc->cap ? sc->cap * 2 : 4096;
			double *p = realloc(sc->lat, cap * sizeof *p);
			if (p == NULL)
				break;
			sc->lat = p;
			sc->cap = cap;
		}
		t0 = bench_now();
		if (write(out, line, (size_t)len) != len) {
			sc->bad++;
			break;
		}
		while (got < sizeof ack - 1 && read(in, ack + got, 1) == 1 && ack[got++] != '\n')
			;
		ack[got] = '\0';
		sc->lat[sc->n++] = (bench_now() - t0) * 1e3;
		if (strcmp(ack, "ok\n") != 0 && sc->bad++ == 0)
			fprintf(stderr, "api_bench: scan %ld acknowledged \"%s\"\n", i, ack);
	}
out:
	sc->ended = bench_now();
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return NULL;
}

struct flooder {
	int port, index;
	double deadline;
	long sent, bad;
	pthread_t thread;
};

static void *flood(void *arg)
{
	struct flooder *f = arg;
	struct bench_http h;
	char url[128], body[128];

	if (bench_http_open(&h, NULL) < 0) {
		f->bad++;
		return NULL;
	}
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/login", f->port);
	while (bench_now() < f->deadline) {
		long status = 0;
		snprintf(body, sizeof body, "{\"user\":\"flood-%d\",\"password\":\"wrong-%ld\"}", f->index, f->sent);
		if (bench_http_request(&h, url, body, &status) < 0) {
			f->bad++;
			break;
		}
		f->sent++;
		if (status != 401 && f->bad++ == 0)
			fprintf(stderr, "api_bench: a bad login got HTTP %ld: %.200s\n", status, h.body);
	}
	bench_http_close(&h);
	return NULL;
}

/* Scan back to back for S seconds with `flooders` bad-login clients; OUT r (ms), *logins. */
static int scan_under_flood(int port, const char *fifo, const char *ack, int flooders, double seconds,
                            int round, struct result *r, long *logins)
{
	struct flooder f[FLOOD_CLIENTS];
	struct scanner sc = { .fifo = fifo, .ack = ack, .round = round };
	double t0 = bench_now();
	long bad = 0;
	pthread_t th;

	*logins = 0;
	sc.deadline = t0 + seconds;
	for (int i = 0; i < flooders; i++) {
		f[i] = (struct flooder){ .port = port, .index = i, .deadline = t0 + seconds };
		if (pthread_create(&f[i].thread, NULL, flood, &f[i]) != 0) {
			flooders = i;
			bad++;
		}
	}
	if (pthread_create(&th, NULL, play_scanner, &sc) != 0)
		return -1;
	pthread_join(th, NULL);
	for (int i = 0; i < flooders; i++) {
		pthread_join(f[i].thread, NULL);
		*logins += f[i].sent;
		bad += f[i].bad;
	}
	r->rate = (double)sc.n / (sc.ended - t0);   /* not the wait for the flood's last logins */
	r->p50 = bench_percentile(sc.lat, sc.n, 50);
	r->p99 = bench_percentile(sc.lat, sc.n, 99);
	free(sc.lat);
	if (bad || sc.bad || sc.n == 0) {
		fprintf(stderr, "api_bench: scans under a flood of %d: %ld scans bad, %ld clients failed\n",
		        flooders, sc.bad, bad);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long orders = 100000, devices = 10000;
	int conns = 4, base_port = 0, first_call = 0;
	bool flood = true;
	double seconds = 5, fill_s, first_s = 0;
	char wmsd[PATH_MAX], dir[PATH_MAX] = "", db[PATH_MAX + 16], token[WMS_SECRET_HEX + 1];
	bool made;
	struct bench_wmsd w = { .pid = -1 };
	struct result got[CALLS], base[CALLS], quiet = { 0 }, flooded = { 0 };
	char fifo[PATH_MAX + 16], ack[PATH_MAX + 16], extra[3 * PATH_MAX];
	long logins_quiet = 0, logins = 0;
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
		else if (strcmp(argv[i], "--post-only") == 0)
			first_call = CALL_EVENT, flood = false;
		else {
			fprintf(stderr, "usage: api_bench [--orders N] [--devices D] [--connections C] "
			        "[--seconds S] [--wmsd PATH] [--dir DIR] [--post-only]\n");
			return 2;
		}
	}
	if (orders < 1 || devices < 1 || conns < 1 || conns > MAX_CONNECTIONS || !(seconds > 0 && seconds <= 3600)) {
		fprintf(stderr, "api_bench: --orders >= 1, --devices >= 1, --connections 1 to %d, "
		        "--seconds above 0 up to 3600\n", MAX_CONNECTIONS);
		return 2;
	}
	made = bench_dir_make(dir, sizeof dir, "api_bench");
	snprintf(db, sizeof db, "%s/wms.db", dir);
	unlink(db);
	printf("api_bench: %ld orders, %ld devices, %d connections, %.1f s per call, data in %s\n", orders,
	       devices, conns, seconds, dir);
	fill_s = bench_now();
	prepare(db, orders, devices, token);
	fill_s = bench_now() - fill_s;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (bench_wmsd_start(wmsd, dir, db, NULL, &w) < 0)
		return 1;
	for (int c = 0; c < CALLS && rc == 0; c++) {
		rc = capture((enum call)c, w.port, token);
		if (c == 0)
			first_s = bench_now() - w.started;
	}
	for (int c = first_call; c < CALLS && rc == 0; c++)
		rc = load((enum call)c, w.port, token, orders, devices, conns, seconds, &got[c]);
	bench_wmsd_stop(&w);
	if (!flood)
		goto baseline;

	/* the scan path, quiet and under a login flood: one wmsd with a FIFO station */
	snprintf(fifo, sizeof fifo, "%s/scan", dir);
	snprintf(ack, sizeof ack, "%s/scan.ack", dir);
	unlink(fifo);
	unlink(ack);
	if (rc == 0 && (mkfifo(fifo, 0600) < 0 || mkfifo(ack, 0600) < 0)) {
		perror("api_bench: mkfifo");
		rc = -1;
	}
	snprintf(extra, sizeof extra, "login_delay_after = 1000000\nlogin_lockout_after = 1000000\n"
	         "login_address_lockout_after = 1000000\n[station flood]\nmode = receipt\n"
	         "scanner = fifo:%s ack=%s\ndouble_read_ms = 0\n", fifo, ack);
	if (rc == 0 && bench_wmsd_start(wmsd, dir, db, extra, &w) < 0)
		rc = -1;
	if (rc == 0)
		rc = scan_under_flood(w.port, fifo, ack, 0, seconds, 0, &quiet, &logins_quiet);
	if (rc == 0)
		rc = scan_under_flood(w.port, fifo, ack, FLOOD_CLIENTS, seconds, 1, &flooded, &logins);
	bench_wmsd_stop(&w);
	unlink(fifo);
	unlink(ack);

baseline:
	if (rc == 0 && (mhd = baseline_start(&base_port)) != NULL) {
		for (int c = first_call; c < CALLS && rc == 0; c++)
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
	for (int c = first_call; c < CALLS; c++)
		printf("%-38s %10.0f %10.3f %10.3f %10.0f %10.3f %10.3f\n", calls[c].name, got[c].rate,
		       got[c].p50, got[c].p99, base[c].rate, base[c].p50, base[c].p99);
	if (flood) {
		printf("%-38s %10s %10s %10s %10s\n", "scan-to-ack (one FIFO scanner)", "scans/s", "p50 ms", "p99 ms",
		       "logins/s");
		printf("%-38s %10.0f %10.3f %10.3f %10s\n", "  quiet", quiet.rate, quiet.p50, quiet.p99, "-");
		printf("%-38s %10.0f %10.3f %10.3f %10.1f\n", "  30 clients posting wrong passwords", flooded.rate,
		       flooded.p50, flooded.p99, (double)logins / seconds);
		printf("%-38s %10.2f\n", "  p99 ratio flood / quiet", quiet.p99 > 0 ? flooded.p99 / quiet.p99 : 0);
	}
	printf("%-38s %10.1f s\n", "filling the store", fill_s);
	printf("%-38s %10.1f s\n", "wmsd start to its first API answer", first_s);
	for (int c = first_call; c < CALLS; c++) {
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
	if (flood) {
		bench_figure("scan-to-ack p99 with 30 bad-login clients (argon2id each, off the loop)",
		             flooded.p99, quiet.p99, "ms", "scan-to-ack p99 without the flood, same wmsd");
		bench_figure("bad logins answered during the flood", (double)logins / seconds, 0, "logins/s",
		             NULL);
	}
	for (int c = 0; c < CALLS; c++)
		free(fixed.body[c]);
	if (made)
		bench_dir_remove(dir);
	return 0;
}
