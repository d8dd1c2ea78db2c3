/*
 * bench_http.c - the HTTP benchmarks' libcurl client and percentiles
 * (bench_http.h).
 */
#include "bench_http.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct bench_http *h = ctx;
	size_t n = size * nmemb;

	if (h->len + n + 1 > h->cap) {
		size_t cap = (h->len + n + 1) * 2;
		char *p = realloc(h->body, cap);
		if (p == NULL)
			return 0;                  /* curl reports a write error */
		h->body = p;
		h->cap = cap;
	}
	memcpy(h->body + h->len, data, n);
	h->len += n;
	h->body[h->len] = '\0';
	return n;
}

int bench_http_open(struct bench_http *h, const char *token)
{
	char auth[256];

	*h = (struct bench_http){ 0 };
	if ((h->curl = curl_easy_init()) == NULL)
		goto fail;
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		if ((h->get_headers = curl_slist_append(NULL, auth)) == NULL ||
		    (h->post_headers = curl_slist_append(NULL, auth)) == NULL)
			goto fail;
	}
	if ((h->post_headers = curl_slist_append(h->post_headers, "Content-Type: application/json")) == NULL)
		goto fail;
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->error);
	curl_easy_setopt(h->curl, CURLOPT_COOKIEFILE, "");      /* cookie engine on, nothing read */
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT, 600L);
	return 0;
fail:
	fprintf(stderr, "bench: cannot set up a libcurl handle\n");
	bench_http_close(h);
	return -1;
}

int bench_http_request(struct bench_http *h, const char *url, const char *json, long *status)
{
	CURLcode rc;

	h->len = 0;
	if (h->body)
		h->body[0] = '\0';
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	if (json) {
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, json);
		curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->post_headers);
	} else {
		curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->get_headers);
	}
	if ((rc = curl_easy_perform(h->curl)) != CURLE_OK) {
		fprintf(stderr, "bench: %s %s: %s\n", json ? "POST" : "GET", url,
		        h->error[0] ? h->error : curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

void bench_http_close(struct bench_http *h)
{
	if (h->curl)
		curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->get_headers);
	curl_slist_free_all(h->post_headers);
	free(h->body);
	*h = (struct bench_http){ 0 };
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_percentile(double *v, size_t n, double p)
{
	size_t rank;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	rank = (size_t)ceil(p / 100.0 * (double)n);
	return v[rank == 0 ? 0 : rank - 1];
}

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
