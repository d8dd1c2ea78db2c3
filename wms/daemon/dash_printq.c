/*
 * dash_printq.c - the dashboard's print-queue panel (dash_panels.h): the
 * label jobs of the outbox (wms_outbox.h) by state per printer with the
 * reason the newest waiting job gave (printer stopped, unreachable ...),
 * the failed jobs with their reason, and the age of the oldest queued job.
 * The state now: the dashboard's filters do not apply.  Read-only queries
 * over the outbox table; no payload (it may hold personal data) is read.
 */
#include "dash_panels.h"

#include "dash_figures.h"

#include "wms_query.h"

#include <stdio.h>
#include <string.h>

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static long long num(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

json_t *dash_printq_data(struct wms_store *s, wms_time now, struct wms_error *err)
{
	static const char printers_sql[] =
		"SELECT o.target AS printer, sum(o.state = 'queued') AS queued,"
		" sum(o.state = 'submitted') AS submitted, sum(o.state = 'printed') AS printed,"
		" sum(o.state = 'failed') AS failed, sum(o.state = 'cancelled') AS cancelled,"
		" min(CASE WHEN o.state = 'queued' THEN o.created_ts END) AS oldest_queued_ts,"
		" (SELECT w.last_error FROM outbox w WHERE w.kind = 'label' AND w.target = o.target"
		"   AND w.state IN ('queued', 'submitted') AND w.last_error IS NOT NULL"
		"   ORDER BY w.id DESC LIMIT 1) AS waiting_reason"
		" FROM outbox o WHERE o.kind = 'label' GROUP BY o.target ORDER BY o.target";
	static const char failed_sql[] =
		"SELECT id, target AS printer, attempts, coalesce(last_error, '') AS reason, created_ts"
		" FROM outbox WHERE kind = 'label' AND state = 'failed' ORDER BY id DESC LIMIT 50";
	static const char *const states[] = { "queued", "submitted", "printed", "failed", "cancelled" };
	json_t *printers, *failed = NULL, *totals = NULL, *r, *oldest;
	long long sum[5] = { 0 }, first = 0;
	size_t i;

	_Static_assert(DASH_PRINTQ_FAILED_SHOWN == 50, "failed_sql's LIMIT");
	if ((printers = wms_query_rows(s, printers_sql, NULL, 0, err)) == NULL ||
	    (failed = wms_query_rows(s, failed_sql, NULL, 0, err)) == NULL)
		goto fail;
	json_array_foreach(printers, i, r) {
		for (int k = 0; k < 5; k++)
			sum[k] += num(r, states[k]);
		oldest = json_object_get(r, "oldest_queued_ts");
		if (json_is_integer(oldest) && (first == 0 || json_integer_value(oldest) < first))
			first = json_integer_value(oldest);
	}
	totals = json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}", "queued", (json_int_t)sum[0], "submitted",
	                   (json_int_t)sum[1], "printed", (json_int_t)sum[2], "failed", (json_int_t)sum[3],
	                   "cancelled", (json_int_t)sum[4], "oldest_queued_ts",
	                   first ? json_integer(first) : json_null());
	if (totals == NULL) {
		wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto fail;
	}
	return json_pack("{s:I, s:o, s:o, s:o}", "now", (json_int_t)now, "by_printer", printers, "failed", failed,
	                 "totals", totals);
fail:
	json_decref(printers);
	json_decref(failed);
	return NULL;
}

/* An age in seconds as "3 d 4 h", "2 h 5 min" or "7 min". */
static void age_text(char *buf, size_t size, long long s)
{
	if (s < 0)
		s = 0;
	if (s >= 86400)
		snprintf(buf, size, "%lld d %lld h", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, size, "%lld h %lld min", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, size, "%lld min", s / 60);
}

/* A Stockholm local time "YYYY-MM-DD HH:MM". */
static void local_text(char *buf, size_t size, long long t)
{
	char iso[32];

	wms_time_format((wms_time)t, iso);
	iso[10] = ' ';
	snprintf(buf, size, "%.16s", iso);
}

static void age_cell(struct dash_buf *b, long long now, const json_t *ts)
{
	char text[48];

	if (!json_is_integer(ts)) {
		dash_buf_puts(b, "<td class=\"num\" data-value=\"\"></td>");
		return;
	}
	age_text(text, sizeof text, now - json_integer_value(ts));
	dash_buf_printf(b, "<td class=\"num\" data-value=\"%lld\">", now - json_integer_value(ts));
	dash_buf_html(b, text);
	dash_buf_puts(b, "</td>");
}

static const char *const printer_cols[] = {
	N_("Printer"), N_("Queued"), N_("Sent to the printer"), N_("Printed"), N_("Failed"), N_("Cancelled"),
	N_("Oldest queued"), N_("Waiting because"),
};

static void printers_table(struct dash_buf *b, const char *lang, const json_t *d)
{
	static const char *const states[] = { "queued", "submitted", "printed", "failed", "cancelled" };
	long long now = num(d, "now");
	size_t i;
	json_t *r;

	dash_buf_puts(b, "<section class=\"breakdown\" id=\"printq-by-printer\"><h3>");
	dash_buf_html(b, T("Jobs by state per printer"));
	dash_buf_puts(b, "</h3>");
	dash_table(b, lang, "", printer_cols, sizeof printer_cols / sizeof printer_cols[0]);
	json_array_foreach(json_object_get(d, "by_printer"), i, r) {
		dash_row(b, str(r, "printer"));
		for (int k = 0; k < 5; k++)
			dash_buf_printf(b, "<td class=\"num%s\" data-state=\"%s\">%lld</td>",
			                k == 3 && num(r, states[k]) > 0 ? " late" : "", states[k], num(r, states[k]));
		age_cell(b, now, json_object_get(r, "oldest_queued_ts"));
		dash_td_text(b, str(r, "waiting_reason"));
		dash_buf_puts(b, "</tr>");
	}
	dash_table_end(b);
	dash_buf_puts(b, "</section>");
}

static const char *const failed_cols[] = { N_("Job"), N_("Printer"), N_("Attempts"), N_("Queued at"), N_("Reason") };

static void failed_table(struct dash_buf *b, const char *lang, const json_t *d)
{
	const json_t *failed = json_object_get(d, "failed");
	char when[32];
	size_t i;
	json_t *r;

	dash_buf_puts(b, "<section class=\"breakdown\" id=\"printq-failed\"><h3>");
	dash_buf_html(b, T("Failed jobs"));
	dash_buf_printf(b, "</h3><p>%zu ", json_array_size(failed));
	dash_buf_html(b, T("shown of"));
	dash_buf_printf(b, " %lld.</p>", num(json_object_get(d, "totals"), "failed"));
	dash_table(b, lang, "", failed_cols, sizeof failed_cols / sizeof failed_cols[0]);
	json_array_foreach(failed, i, r) {
		dash_buf_printf(b, "<tr><th scope=\"row\">%lld</th>", num(r, "id"));
		dash_td_text(b, str(r, "printer"));
		dash_td_num(b, (long)num(r, "attempts"));
		local_text(when, sizeof when, num(r, "created_ts"));
		dash_td_text(b, when);
		dash_td_text(b, str(r, "reason"));
		dash_buf_puts(b, "</tr>");
	}
	dash_table_end(b);
	dash_buf_puts(b, "</section>");
}

void dash_printq_html(struct dash_buf *b, const char *lang, const json_t *d, const struct dash_filter *f)
{
	const json_t *t = json_object_get(d, "totals"), *oldest = json_object_get(t, "oldest_queued_ts");
	long long age = json_is_integer(oldest) ? num(d, "now") - json_integer_value(oldest) : 0;
	char v[64];

	dash_buf_puts(b, "<section class=\"panel\" id=\"print-queue\"><h2>");
	dash_buf_html(b, T("Print queue"));
	dash_buf_puts(b, "</h2><p class=\"note\">");
	dash_buf_html(b, T("Label jobs now; the filters do not apply."));
	dash_buf_puts(b, "</p>");
	dash_panel_export(b, lang, "export-printq", "/dashboard/print-queue.csv", f);
	dash_buf_puts(b, "<div class=\"kpis\">");
	snprintf(v, sizeof v, "%lld", num(t, "queued"));
	dash_tile(b, "printq-queued", T("Queued"), v, (double)num(t, "queued"), NULL);
	snprintf(v, sizeof v, "%ld", dash_fig_printq_failed(d));
	dash_tile(b, "printq-failed", T("Failed"), v, (double)dash_fig_printq_failed(d), NULL);
	if (json_is_integer(oldest))
		age_text(v, sizeof v, age);
	else
		snprintf(v, sizeof v, "–");
	dash_tile(b, "printq-oldest", T("Oldest queued job"), v, (double)age, NULL);
	dash_buf_puts(b, "</div>");
	printers_table(b, lang, d);
	failed_table(b, lang, d);
	dash_buf_puts(b, "</section>");
}

void dash_printq_csv(struct dash_buf *b, const json_t *d)
{
	static const char *const states[] = { "queued", "submitted", "printed", "failed", "cancelled" };
	long long now = num(d, "now");
	size_t i;
	json_t *r, *ts;

	dash_buf_puts(b, "section,printer,job,queued,submitted,printed,failed,cancelled,oldest_queued_age_s,"
	                 "attempts,reason\r\n");
	json_array_foreach(json_object_get(d, "by_printer"), i, r) {
		dash_buf_puts(b, "printer,");
		dash_buf_csv(b, str(r, "printer"));
		dash_buf_puts(b, ",");
		for (int k = 0; k < 5; k++)
			dash_buf_printf(b, ",%lld", num(r, states[k]));
		ts = json_object_get(r, "oldest_queued_ts");
		if (json_is_integer(ts))
			dash_buf_printf(b, ",%lld", now - json_integer_value(ts));
		else
			dash_buf_puts(b, ",");
		dash_buf_puts(b, ",,");
		dash_buf_csv(b, str(r, "waiting_reason"));
		dash_buf_puts(b, "\r\n");
	}
	json_array_foreach(json_object_get(d, "failed"), i, r) {
		dash_buf_puts(b, "failed,");
		dash_buf_csv(b, str(r, "printer"));
		dash_buf_printf(b, ",%lld,,,,,,,%lld,", num(r, "id"), num(r, "attempts"));
		dash_buf_csv(b, str(r, "reason"));
		dash_buf_puts(b, "\r\n");
	}
}
