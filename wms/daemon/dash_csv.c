/*
 * dash_csv.c - GET /dashboard.csv?filters: what the dashboard shows for the
 * same filters, as one CSV table (RFC 4180, UTF-8, CRLF) with a "section"
 * column: overall, month, histogram (key = working days), product,
 * customer, customer_kind, mode, customer_set, late (key = order) and
 * at_risk (key = order).  Column names are not translated (a file for
 * programs); the file name says the filters' period.
 *
 * GET /dashboard/{panel}.csv?filters: one CSV per further panel
 * (dash_panels.h), each with its own columns and a "section" column:
 * rentals.csv, recon.csv and print-queue.csv.
 */
#include "dash_panels.h"

#include "wmsd.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#define HEADER "section,key,name,orders,within_target,share_within,median,p90,max," \
               "days,days_left,reason\r\n"

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static long num(const json_t *o, const char *key)
{
	return (long)json_integer_value(json_object_get(o, key));
}

static void stats_row(struct dash_buf *b, const char *section, const char *key, const json_t *s)
{
	dash_buf_printf(b, "%s,", section);
	dash_buf_csv(b, key);
	dash_buf_puts(b, ",");
	dash_buf_csv(b, str(s, "name"));
	dash_buf_printf(b, ",%ld,%ld,%.4f,%ld,%ld,%ld,,,\r\n", num(s, "count"), num(s, "within_target"),
	                json_real_value(json_object_get(s, "share_within")), num(s, "median"),
	                num(s, "p90"), num(s, "max"));
}

static void stats_rows(struct dash_buf *b, const char *section, const json_t *rows)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r)
		stats_row(b, section, str(r, "key"), r);
}

void dash_csv(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	struct dash_filter f;
	struct dash_buf b = { 0 };
	const json_t *hist;
	json_t *rep, *r;
	char *text;
	size_t i;

	if (dash_filter_read(rq, rp, &f) < 0)
		return;
	if ((rep = dash_report(rq, &f, 0, 100, &err)) == NULL) {
		http_core_error(rp, err.code ? err.code : WMS_EDB, err.msg[0] ? err.msg : "failed");
		return;
	}
	dash_buf_puts(&b, HEADER);
	stats_row(&b, "overall", "", json_object_get(rep, "overall"));
	stats_rows(&b, "month", json_object_get(rep, "by_month"));
	hist = json_object_get(json_object_get(rep, "overall"), "histogram");
	for (i = 0; i < json_array_size(hist); i++)
		dash_buf_printf(&b, "histogram,%zu%s,,%ld,,,,,,%zu,,\r\n", i, i == WMS_LT_HIST_MAX ? "+" : "",
		                (long)json_integer_value(json_array_get(hist, i)), i);
	stats_rows(&b, "product", json_object_get(rep, "by_product"));
	stats_rows(&b, "customer", json_object_get(rep, "by_customer"));
	stats_rows(&b, "customer_kind", json_object_get(rep, "by_customer_kind"));
	stats_rows(&b, "mode", json_object_get(rep, "by_mode"));
	stats_row(&b, "customer_set", "", json_object_get(rep, "customer_set"));
	json_array_foreach(json_object_get(rep, "late"), i, r) {
		dash_buf_puts(&b, "late,");
		dash_buf_csv(&b, str(r, "order"));
		dash_buf_puts(&b, ",");
		dash_buf_csv(&b, str(r, "customer"));
		dash_buf_printf(&b, ",,,,,,,%ld,,", num(r, "days"));
		dash_buf_csv(&b, str(r, "reason"));
		dash_buf_puts(&b, "\r\n");
	}
	json_array_foreach(json_object_get(rep, "at_risk"), i, r) {
		dash_buf_puts(&b, "at_risk,");
		dash_buf_csv(&b, str(r, "order"));
		dash_buf_puts(&b, ",");
		dash_buf_csv(&b, str(r, "customer"));
		dash_buf_printf(&b, ",,,,,,,%ld,%ld,\r\n", num(r, "age_days"), num(r, "days_left"));
	}
	json_decref(rep);
	if ((text = dash_buf_take(&b)) == NULL) {
		http_error(rp, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error", "out of memory", NULL);
		return;
	}
	rp->status = MHD_HTTP_OK;
	rp->text = text;
	rp->ctype = "text/csv; charset=utf-8";
	rp->disposition = "attachment; filename=\"ledtid.csv\"";
}

void dash_panel_csv(struct http_request *rq, struct http_reply *rp)
{
	static const struct {
		const char *panel, *file;
	} panels[] = {
		{ "rentals.csv", "attachment; filename=\"uthyrning.csv\"" },
		{ "recon.csv", "attachment; filename=\"rekonditionering.csv\"" },
		{ "print-queue.csv", "attachment; filename=\"utskriftsko.csv\"" },
	};
	struct wms_error err = { 0 };
	struct dash_filter f;
	struct dash_buf b = { 0 };
	wms_time now = wms_now();
	json_t *d = NULL;
	char *text;
	int k;

	for (k = 0; k < 3 && strcmp(rq->params[0], panels[k].panel) != 0; k++)
		;
	if (k == 3) {
		http_error(rp, MHD_HTTP_NOT_FOUND, "not found", "no such dashboard panel",
		           "rentals.csv, recon.csv, print-queue.csv");
		return;
	}
	if (dash_filter_read(rq, rp, &f) < 0)
		return;
	if (k == 0)
		d = dash_rentals_data(rq->store, &f, now, &err);
	else if (k == 1)
		d = dash_recon_data(rq->store, rq->conf->core, &f, now, &err);
	else
		d = dash_printq_data(rq->store, now, &err);
	if (d == NULL) {
		http_core_error(rp, err.code ? err.code : WMS_EDB, err.msg[0] ? err.msg : "failed");
		return;
	}
	if (k == 0)
		dash_rentals_csv(&b, d);
	else if (k == 1)
		dash_recon_csv(&b, d);
	else
		dash_printq_csv(&b, d);
	json_decref(d);
	if ((text = dash_buf_take(&b)) == NULL) {
		http_error(rp, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error", "out of memory", NULL);
		return;
	}
	rp->status = MHD_HTTP_OK;
	rp->text = text;
	rp->ctype = "text/csv; charset=utf-8";
	rp->disposition = panels[k].file;
}
