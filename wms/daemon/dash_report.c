/*
 * dash_report.c - the dashboard's filters (from, to, product, customer as
 * GET arguments, so that the URL holds them) and the data they select: the
 * core's lead-time report (wms_leadtime.h) and device counts by state.
 */
#include "dash_impl.h"

#include "wms_depot.h"
#include "wms_query.h"
#include "wmsd.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

/* One filter argument into buf ("" when absent or empty); -1 when too long or not printable. */
static int arg(const struct http_request *rq, const char *name, char *buf, size_t size)
{
	const char *v = http_query(rq, name);

	buf[0] = '\0';
	if (v == NULL || v[0] == '\0')
		return 0;
	if (strlen(v) >= size)
		return -1;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return -1;
	snprintf(buf, size, "%s", v);
	return 0;
}

int dash_filter_read(const struct http_request *rq, struct http_reply *rp, struct dash_filter *f)
{
	struct wms_error err = { 0 };
	char detail[WMS_ERROR_MSG_MAX];
	wms_day from = 0, to = 0;

	*f = (struct dash_filter){ 0 };
	if (arg(rq, "from", f->from, sizeof f->from) < 0 || (f->from[0] && wms_date_parse(f->from, &from, &err) < 0)) {
		snprintf(detail, sizeof detail, "from: not a date");
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, "YYYY-MM-DD, or empty");
		return -1;
	}
	if (arg(rq, "to", f->to, sizeof f->to) < 0 || (f->to[0] && wms_date_parse(f->to, &to, &err) < 0)) {
		snprintf(detail, sizeof detail, "to: not a date");
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, "YYYY-MM-DD, or empty");
		return -1;
	}
	if (from && to && from > to) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "from is after to", "from <= to");
		return -1;
	}
	if (arg(rq, "product", f->product, sizeof f->product) < 0 ||
	    arg(rq, "customer", f->customer, sizeof f->customer) < 0 ||
	    arg(rq, "depot", f->depot, sizeof f->depot) < 0 ||
	    (f->depot[0] && wms_depot_known(rq->store, f->depot, &err) < 0)) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", err.msg[0] ? err.msg : "product or customer: not a code",
		           "a product or customer code (under 64 printable characters), or empty");
		return -1;
	}
	return 0;
}

static const struct wms_calendar *depot_calendar(void *ctx, const char *depot)
{
	return wms_config_calendar(ctx, depot);
}

json_t *dash_report(const struct http_request *rq, const struct dash_filter *f, struct wms_error *err)
{
	const struct wms_config *cfg = rq->conf->core;
	struct wms_leadtime_opts o = {
		.cal = cfg->cal, .depot_cal = depot_calendar, .depot_ctx = (void *)cfg,
		.depot_cutoff = wms_config_cutoff_cb, .depot = f->depot[0] ? f->depot : NULL,
		.cutoff_minute = cfg->cutoff_minute, .target_days = cfg->target_days,
		.at_risk_days = cfg->at_risk_days,
		.product = f->product[0] ? f->product : NULL,
		.customer = f->customer[0] ? f->customer : NULL,
		.late_limit = 100,
	};

	if ((f->from[0] && wms_date_parse(f->from, &o.from, err) < 0) ||
	    (f->to[0] && wms_date_parse(f->to, &o.to, err) < 0))
		return NULL;
	return wms_leadtime_report(rq->store, &o, err);
}

int dash_device_counts(const struct http_request *rq, long *rented, long *recon, struct wms_error *err)
{
	json_t *rows = wms_query_rows(rq->store,
		"SELECT coalesce(sum(state = 'rented'), 0) AS rented,"
		" coalesce(sum(state IN ('quarantine', 'in_recon', 'repair')), 0) AS recon FROM devices",
		NULL, 0, err);
	json_t *row = json_array_get(rows, 0);

	if (row == NULL) {
		json_decref(rows);
		return err->code ? err->code : wms_error_set(err, WMS_EDB, "no device counts");
	}
	*rented = (long)json_integer_value(json_object_get(row, "rented"));
	*recon = (long)json_integer_value(json_object_get(row, "recon"));
	json_decref(rows);
	return 0;
}
