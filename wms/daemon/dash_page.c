/*
 * dash_page.c - GET /: the managers' overview, one 1920x1080 screen (or a laptop's
 * 1366x768: dash.css has less space around things on a low screen).  The
 * filter form, ten KPI tiles (share within the target, median, p90,
 * deliveries, late, open orders past the target, open orders at risk,
 * rentals out, reconditioning queue, failed print jobs), the trend by month
 * and the histogram by working day as server-side SVG, side by side.  Each
 * tile links to its drill-down page (dash_drill.c), whose panel shows the
 * same figure from the same accessor (dash_figures.h).  No JavaScript;
 * numbers carry data-value attributes with their exact value.
 */
#include "dash_figures.h"

#include "dash_svg.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long num(const json_t *o, const char *key)
{
	return (long)json_integer_value(json_object_get(o, key));
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void charts(struct dash_buf *b, const char *lang, const json_t *rep)
{
	const json_t *months = json_object_get(rep, "by_month");
	const json_t *hist = json_object_get(json_object_get(rep, "overall"), "histogram");
	int target = (int)num(rep, "target_days");
	size_t nm = json_array_size(months), nh = json_array_size(hist);
	struct dash_svg_point *pts = calloc(nm + nh + 1, sizeof *pts);
	char (*labels)[16] = calloc(nh + 1, sizeof *labels);

	if (pts == NULL || labels == NULL) {
		b->oom = true;
		goto out;
	}
	for (size_t i = 0; i < nm; i++) {
		json_t *m = json_array_get(months, i);
		pts[i] = (struct dash_svg_point){ .label = str(m, "key"),
		                                  .value = json_real_value(json_object_get(m, "share_within")) };
	}
	dash_buf_puts(b, "<div class=\"charts\"><section class=\"chart\" id=\"trend\"><h2>");
	dash_buf_html(b, T("Share within target by month of delivery"));
	dash_buf_puts(b, "</h2>");
	dash_svg_line(b, T("Share within target by month of delivery"), pts, (int)nm, 0.9,
	              T("No deliveries in this selection"));
	dash_buf_puts(b, "<p class=\"legend\">");
	dash_buf_html(b, T("Dashed line: 90 %."));
	dash_buf_puts(b, "</p></section>");
	for (size_t i = 0; i < nh; i++) {
		snprintf(labels[i], sizeof labels[i], i == WMS_LT_HIST_MAX ? "%zu+" : "%zu", i);
		pts[i] = (struct dash_svg_point){ .label = labels[i],
		                                  .value = (double)json_integer_value(json_array_get(hist, i)),
		                                  .mark = (int)i > target };
	}
	dash_buf_puts(b, "<section class=\"chart\" id=\"histogram\"><h2>");
	dash_buf_html(b, T("Deliveries by lead time in working days"));
	dash_buf_puts(b, "</h2>");
	dash_svg_bars(b, T("Deliveries by lead time in working days"), pts, (int)nh,
	              T("No deliveries in this selection"));
	dash_buf_puts(b, "<p class=\"legend\">");
	dash_buf_html(b, T("Red bars: over the target."));
	dash_buf_puts(b, "</p></section></div>");
out:
	free(pts);
	free(labels);
}

/* A tile that links to its drill-down page, keeping the filters. */
static void tile(struct dash_buf *b, const char *lang, const struct dash_filter *f, const char *page,
                 const char *id, const char *label, const char *value, double exact, const char *note)
{
	dash_buf_printf(b, "<a class=\"tile-link\" href=\"/dashboard/%s", page);
	dash_filter_query(b, f, lang);
	dash_buf_puts(b, "\">");
	dash_tile(b, id, label, value, exact, note);
	dash_buf_puts(b, "</a>");
}

static void tile_count(struct dash_buf *b, const char *lang, const struct dash_filter *f, const char *page,
                       const char *id, const char *label, long n)
{
	char v[32];

	snprintf(v, sizeof v, "%ld", n);
	tile(b, lang, f, page, id, label, v, (double)n, NULL);
}

static void tiles(struct dash_buf *b, const char *lang, const struct dash_filter *f,
                  const struct dash_figures *fig)
{
	const json_t *rep = fig->report, *all = json_object_get(rep, "overall");
	double share = json_real_value(json_object_get(all, "share_within"));
	char v[64], note[128];

	dash_buf_puts(b, "<section class=\"kpis overview\" aria-label=\"");
	dash_buf_html(b, T("Key figures"));
	dash_buf_puts(b, "\">");
	snprintf(v, sizeof v, "%.1f %%", 100 * share);
	snprintf(note, sizeof note, T("%ld of %ld deliveries"), num(all, "within_target"), num(all, "count"));
	tile(b, lang, f, "lead-time", "kpi-share", T("Within target"), v, share, note);
	tile_count(b, lang, f, "lead-time", "kpi-median", T("Median (working days)"), num(all, "median"));
	tile_count(b, lang, f, "lead-time", "kpi-p90", T("90th percentile (working days)"), num(all, "p90"));
	tile_count(b, lang, f, "lead-time", "kpi-count", T("Deliveries"), num(all, "count"));
	tile_count(b, lang, f, "late", "kpi-late", T("Late"), num(rep, "late_count"));
	tile_count(b, lang, f, "open", "kpi-breached", T("Open orders past the target"),
	           dash_fig_open_breached(rep));
	tile_count(b, lang, f, "open", "kpi-risk", T("Open orders at risk"), dash_fig_open_at_risk(rep));
	tile_count(b, lang, f, "rentals", "kpi-rented", T("Devices out on rental"), dash_fig_rented(fig->rentals));
	tile_count(b, lang, f, "recon", "kpi-recon", T("Reconditioning queue"), dash_fig_recon_queue(fig->recon));
	tile_count(b, lang, f, "print-queue", "kpi-printq-failed", T("Failed print jobs"),
	           dash_fig_printq_failed(fig->printq));
	dash_buf_puts(b, "</section>");
}

void dash_dashboard(struct http_request *rq, struct http_reply *rp)
{
	const char *lang = dash_lang(rq);
	struct wms_error err = { 0 };
	struct dash_figures fig;
	struct dash_filter f;
	struct dash_buf b = { 0 };
	char note[128];

	if (dash_filter_read(rq, rp, &f) < 0)
		return;
	if (dash_figures_read(rq, &f, DASH_FIG_ALL, 0, 1, &fig, &err) < 0) {
		http_core_error(rp, err.code ? err.code : WMS_EDB, err.msg[0] ? err.msg : "failed");
		return;
	}
	dash_head(&b, rq, lang, T("Lead time"));
	dash_buf_puts(&b, "<div class=\"page-top\"><div><h1>");
	dash_buf_html(&b, T("Lead time"));
	dash_buf_puts(&b, "</h1><p class=\"lead\">");
	snprintf(note, sizeof note, T("Target: delivery within %d working days of the order."),
	         (int)num(fig.report, "target_days"));
	dash_buf_html(&b, note);
	dash_buf_puts(&b, " <a id=\"export-csv\" href=\"/dashboard.csv");
	dash_filter_query(&b, &f, lang);
	dash_buf_puts(&b, "\" download>");
	dash_buf_html(&b, T("Export CSV"));
	dash_buf_puts(&b, "</a></p></div>");
	dash_filter_form(&b, lang, &f, fig.products, fig.customers, fig.depots, "/");
	dash_buf_puts(&b, "</div>");
	tiles(&b, lang, &f, &fig);
	charts(&b, lang, fig.report);
	dash_foot(&b);
	dash_reply_html(rp, MHD_HTTP_OK, &b);
	dash_buf_free(&b);
	dash_figures_free(&fig);
}
