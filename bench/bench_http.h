/*
 * bench_http.h - the HTTP benchmarks' client: one libcurl easy handle per
 * connection (kept alive between requests), with an optional API token
 * (Authorization: Bearer) and a cookie jar in memory for a browser session;
 * and the nearest-rank percentile of a set of timings.  Used by
 * dashboard_bench and api_bench.  Call curl_global_init() first.
 */
#ifndef BENCH_HTTP_H
#define BENCH_HTTP_H

#include <curl/curl.h>
#include <stddef.h>

struct bench_http {
	CURL *curl;
	struct curl_slist *get_headers, *post_headers;
	char *body;                     /* the last reply's body, NUL-terminated */
	size_t len, cap;
	char error[CURL_ERROR_SIZE];
};

/* A client; token (may be NULL) goes in every request's Authorization header.
 * 0, or -1 with a message on stderr. */
int bench_http_open(struct bench_http *h, const char *token);

/* GET url, or POST json (Content-Type: application/json) when json is not
 * NULL.  OUT *status, the reply in h->body.  0, or -1 (no reply) with a
 * message on stderr. */
int bench_http_request(struct bench_http *h, const char *url, const char *json, long *status);

void bench_http_close(struct bench_http *h);

/* The p-th percentile (0-100, nearest rank) of the n values; sorts them.  0 when n is 0. */
double bench_percentile(double *v, size_t n, double p);

/* Monotonic seconds. */
double bench_now(void);

#endif
