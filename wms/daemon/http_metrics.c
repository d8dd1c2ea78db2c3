/*
 * http_metrics.c - /metrics in the Prometheus text exposition format
 * (version 0.0.4): scans by station and outcome from the scan journal, ledger
 * events by type, orders by status, outbox jobs (print queue) by kind and
 * state (these four from the counters of wms_tallies.h), open orders at risk and the share delivered within the target,
 * and the API's own requests by status class.
 *
 * Without a login from the loopback interface only (route table); counts
 * only, never a serial, order number or name.
 */
#include "http_impl.h"

#include "wms_leadtime.h"
#include "wms_query.h"
#include "wmsd.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>

/* A label value with \, " and newline escaped as the format asks. */
static void label(FILE *f, const char *v)
{
	for (; v && *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(f, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

static void header(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One sample per row of sql: labels are the text columns named in l1, l2. */
static int family(FILE *f, struct wms_store *s, const char *name, const char *type, const char *help,
                  const char *sql, const char *l1, const char *l2, struct wms_error *err)
{
	json_t *rows = wms_query_rows(s, sql, NULL, 0, err), *row;
	size_t i;

	if (rows == NULL)
		return err->code ? err->code : WMS_EDB;
	header(f, name, type, help);
	json_array_foreach(rows, i, row) {
		fprintf(f, "%s{%s=\"", name, l1);
		label(f, json_string_value(json_object_get(row, l1)));
		if (l2) {
			fprintf(f, "\",%s=\"", l2);
			label(f, json_string_value(json_object_get(row, l2)));
		}
		fprintf(f, "\"} %lld\n", (long long)json_integer_value(json_object_get(row, "n")));
	}
	json_decref(rows);
	return 0;
}

/*
 * The counters of one family, kept in step by triggers (wms_tallies.h): a
 * scrape reads a few rows however large the store.
 */
#define TALLY(family, l1, l2) \
	"SELECT k1 AS " l1 ", k2 AS " l2 ", n FROM tallies WHERE family = '" family "' AND n <> 0" \
	" ORDER BY k1, k2"

/*
 * The lead-time figures are the whole report (read from the histograms, a few
 * milliseconds at 1M orders, but it also lists every order at risk, in
 * wmsd's loop where scans wait meanwhile), so a scrape reuses them for
 * METRICS_LEADTIME_MAX_AGE seconds: Prometheus scrapes every 15-60 s and
 * these figures move over days.
 */
#define METRICS_LEADTIME_MAX_AGE 60

static struct {
	wms_time at;                  /* 0: never computed */
	const struct wmsd_conf *conf; /* the configuration they were computed with */
	long long measured;
	double share_within;
	size_t at_risk;
} lt_cache;

static int leadtime(FILE *f, const struct http_request *rq, struct wms_error *err)
{
	struct wms_leadtime_opts o = { .late_limit = 1 };
	wms_time now = wms_now();

	wms_leadtime_rules_of(&o, rq->conf->core);

	if (lt_cache.at == 0 || lt_cache.conf != rq->conf || now - lt_cache.at >= METRICS_LEADTIME_MAX_AGE ||
	    now < lt_cache.at) {
		json_t *r = wms_leadtime_report(rq->store, &o, err), *overall;
		if (r == NULL)
			return err->code ? err->code : WMS_EDB;
		overall = json_object_get(r, "overall");
		lt_cache.at = now;
		lt_cache.conf = rq->conf;
		lt_cache.measured = (long long)json_integer_value(json_object_get(overall, "count"));
		lt_cache.share_within = json_number_value(json_object_get(overall, "share_within"));
		lt_cache.at_risk = json_array_size(json_object_get(r, "at_risk"));
		json_decref(r);
	}
	header(f, "wms_leadtime_target_days", "gauge", "Contracted lead time in working days.");
	fprintf(f, "wms_leadtime_target_days %d\n", o.target_days);
	header(f, "wms_leadtime_orders_measured", "gauge", "Delivered orders measured against the target.");
	fprintf(f, "wms_leadtime_orders_measured %lld\n", lt_cache.measured);
	header(f, "wms_leadtime_share_within_target", "gauge",
	       "Share of measured orders delivered within the target (0..1).");
	fprintf(f, "wms_leadtime_share_within_target %.6f\n", lt_cache.share_within);
	header(f, "wms_orders_at_risk", "gauge", "Open orders at or past the at-risk age.");
	fprintf(f, "wms_orders_at_risk %zu\n", lt_cache.at_risk);
	return 0;
}

void http_metrics(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (f == NULL) {
		http_core_error(rp, WMS_ENOMEM, "out of memory");
		return;
	}
	rc = family(f, rq->store, "wms_scans_total", "counter",
	            "Scans journalled by wmsd, by station and outcome (ok, refused, pending).",
	            TALLY("scans", "station", "result"), "station", "result", &err);
	if (rc == 0)
		rc = family(f, rq->store, "wms_events_total", "counter", "Ledger events by type.",
		            TALLY("events", "type", "unused"), "type", NULL, &err);
	if (rc == 0)
		rc = family(f, rq->store, "wms_orders", "gauge", "Orders by status.",
		            TALLY("orders", "status", "unused"), "status", NULL, &err);
	if (rc == 0)
		rc = family(f, rq->store, "wms_outbox_jobs", "gauge",
		            "Outbox jobs (print labels, carrier bookings) by kind and state.",
		            TALLY("outbox", "kind", "state"), "kind", "state", &err);
	if (rc == 0)
		rc = leadtime(f, rq, &err);
	if (rc == 0) {
		header(f, "wms_http_requests_total", "counter", "API requests answered, by status class.");
		for (int c = 1; c <= 5; c++)
			fprintf(f, "wms_http_requests_total{code=\"%dxx\"} %ld\n", c, http_requests_answered(c));
	}
	if (fclose(f) != 0 && rc == 0)
		rc = wms_error_set(&err, WMS_ENOMEM, "out of memory");
	if (rc < 0) {
		free(text);
		http_core_error(rp, rc, err.msg);
		return;
	}
	rp->status = MHD_HTTP_OK;
	rp->text = text;
}
