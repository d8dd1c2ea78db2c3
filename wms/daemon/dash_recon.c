/*
 * dash_recon.c - the dashboard's reconditioning panel (dash_panels.h): the
 * queue now (quarantine and in reconditioning) by state and product type
 * with the oldest wait in working days since the return, turnaround from
 * the return to back in stock (median and p90 in working days) per month
 * of approval as a chart and a table, and the outcomes with repair and
 * scrap rates per product type.  All of it is reconditioning's own report
 * (recon_report_depot), for the filter's period (approvals and outcomes
 * in it; the panel's months when no start is given), product type and
 * depot (each measured by its own calendar), with a table per depot.
 */
#include "dash_panels.h"

#include "dash_figures.h"
#include "dash_svg.h"
#include "recon.h"
#include "wms_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static long num(const json_t *o, const char *key)
{
	return (long)json_integer_value(json_object_get(o, key));
}

json_t *dash_recon_data(struct wms_store *s, const struct wms_config *cfg, const struct dash_filter *f,
                        wms_time now, struct wms_error *err)
{
	struct recon_report_opts o = { .cal = cfg->cal, .depot_cal = wms_config_calendar_cb,
	                               .depot_ctx = (void *)cfg, .product = f->product, .depot = f->depot };
	wms_day from, to = 0;
	int y, m, n;

	dash_panel_months(f, now, &y, &m, &n);
	from = wms_date_from_ymd(y, m, 1);
	if ((f->from[0] && wms_date_parse(f->from, &from, err) < 0) ||
	    (f->to[0] && wms_date_parse(f->to, &to, err) < 0))
		return NULL;
	o.from = from;
	o.to = to;
	return recon_report_depot(s, &o, err);
}

/* Repairs and scraps over every product type's outcomes: the share of finished runs. */
static void rates(const json_t *outcomes, long *finished, double *repair, double *scrap)
{
	long ap = 0, rp = 0, sc = 0;
	size_t i;
	json_t *r;

	json_array_foreach(outcomes, i, r) {
		ap += num(r, "approved");
		rp += num(r, "repair");
		sc += num(r, "scrapped");
	}
	*finished = ap + rp + sc;
	*repair = *finished ? (double)rp / (double)*finished : 0;
	*scrap = *finished ? (double)sc / (double)*finished : 0;
}

static void tiles(struct dash_buf *b, const char *lang, const json_t *d)
{
	const json_t *queue = json_object_get(json_object_get(d, "queue_age_workdays"), "total");
	const json_t *turn = json_object_get(json_object_get(d, "turnaround_workdays"), "total");
	double repair, scrap;
	long finished;
	char v[64], note[128];

	rates(json_object_get(d, "outcomes"), &finished, &repair, &scrap);
	dash_buf_puts(b, "<div class=\"kpis\">");
	snprintf(v, sizeof v, "%ld", dash_fig_recon_queue(d));
	dash_tile(b, "recon-queue", T("Waiting or in reconditioning"), v, (double)dash_fig_recon_queue(d), NULL);
	snprintf(v, sizeof v, "%ld", num(queue, "max"));
	dash_tile(b, "recon-oldest", T("Oldest wait (working days)"), v, (double)num(queue, "max"), NULL);
	snprintf(v, sizeof v, "%ld", num(turn, "median"));
	snprintf(note, sizeof note, T("%ld back in stock"), num(turn, "count"));
	dash_tile(b, "recon-median", T("Turnaround, median (working days)"), v, (double)num(turn, "median"), note);
	snprintf(v, sizeof v, "%ld", num(turn, "p90"));
	dash_tile(b, "recon-p90", T("Turnaround, 90th percentile (working days)"), v, (double)num(turn, "p90"),
	          NULL);
	snprintf(v, sizeof v, "%.1f %%", 100 * repair);
	snprintf(note, sizeof note, T("of %ld finished"), finished);
	dash_tile(b, "recon-repair-rate", T("Sent to repair"), v, repair, note);
	snprintf(v, sizeof v, "%.1f %%", 100 * scrap);
	dash_tile(b, "recon-scrap-rate", T("Scrapped"), v, scrap, note);
	dash_buf_puts(b, "</div>");
}

static const char *const month_cols[] = { N_("Month"), N_("Back in stock"), N_("Median"), "p90", N_("Longest") };

static void month_chart(struct dash_buf *b, const char *lang, const json_t *months)
{
	size_t n = json_array_size(months), i;
	struct dash_svg_point *pts = calloc(n + 1, sizeof *pts);
	json_t *r;

	if (pts == NULL) {
		b->oom = true;
		return;
	}
	json_array_foreach(months, i, r)
		pts[i] = (struct dash_svg_point){ .label = str(r, "month"), .value = (double)num(r, "median") };
	dash_buf_puts(b, "<section class=\"chart\" id=\"recon-by-month\"><h3>");
	dash_buf_html(b, T("Turnaround median per month of approval (working days)"));
	dash_buf_puts(b, "</h3>");
	dash_svg_bars(b, T("Turnaround median per month of approval (working days)"), pts, (int)n,
	              T("No device came back to stock in this selection"));
	dash_table(b, lang, " id=\"recon-months\"", month_cols, sizeof month_cols / sizeof month_cols[0]);
	json_array_foreach(months, i, r) {
		dash_row(b, str(r, "month"));
		dash_td_num(b, num(r, "count"));
		dash_td_num(b, num(r, "median"));
		dash_td_num(b, num(r, "p90"));
		dash_td_num(b, num(r, "max"));
		dash_buf_puts(b, "</tr>");
	}
	dash_table_end(b);
	dash_buf_puts(b, "</section>");
	free(pts);
}

static const char *const queue_cols[] = { N_("Product type"), N_("Waiting"), N_("Median wait"), N_("Oldest wait") };

static void queue_table(struct dash_buf *b, const char *lang, const json_t *rows)
{
	size_t i;
	json_t *r;

	dash_buf_puts(b, "<section class=\"breakdown\" id=\"recon-queue-by-product\"><h3>");
	dash_buf_html(b, T("Queue by product type"));
	dash_buf_puts(b, "</h3>");
	dash_table(b, lang, "", queue_cols, sizeof queue_cols / sizeof queue_cols[0]);
	json_array_foreach(rows, i, r) {
		dash_row(b, str(r, "product"));
		dash_td_value(b, num(r, "count"));
		dash_td_num(b, num(r, "median"));
		dash_td_value(b, num(r, "max"));
		dash_buf_puts(b, "</tr>");
	}
	dash_table_end(b);
	dash_buf_puts(b, "</section>");
}

static const char *const outcome_cols[] = {
	N_("Product type"), N_("Started"), N_("Back in stock"), N_("Sent to repair"), N_("Scrapped"),
	N_("Repair rate"), N_("Scrap rate"),
};

static void outcome_table(struct dash_buf *b, const char *lang, const json_t *rows)
{
	size_t i;
	json_t *r;

	dash_buf_puts(b, "<section class=\"breakdown\" id=\"recon-outcomes\"><h3>");
	dash_buf_html(b, T("Outcomes by product type"));
	dash_buf_puts(b, "</h3>");
	dash_table(b, lang, "", outcome_cols, sizeof outcome_cols / sizeof outcome_cols[0]);
	json_array_foreach(rows, i, r) {
		dash_row(b, str(r, "product"));
		dash_td_num(b, num(r, "started"));
		dash_td_num(b, num(r, "approved"));
		dash_td_num(b, num(r, "repair"));
		dash_td_num(b, num(r, "scrapped"));
		dash_td_share(b, json_real_value(json_object_get(r, "repair_rate")), 3);
		dash_td_share(b, json_real_value(json_object_get(r, "scrap_rate")), 3);
		dash_buf_puts(b, "</tr>");
	}
	dash_table_end(b);
	dash_buf_puts(b, "</section>");
}

static const char *const depot_cols[] = {
	N_("Depot"), N_("Waiting"), N_("Oldest wait"), N_("Back in stock"), N_("Median"), "p90",
	N_("Sent to repair"), N_("Scrapped"),
};

static void depot_table(struct dash_buf *b, const char *lang, const json_t *rows)
{
	size_t i;
	json_t *r;

	dash_buf_puts(b, "<section class=\"breakdown\" id=\"recon-by-depot\"><h3>");
	dash_buf_html(b, T("By depot"));
	dash_buf_puts(b, "</h3>");
	dash_table(b, lang, "", depot_cols, sizeof depot_cols / sizeof depot_cols[0]);
	json_array_foreach(rows, i, r) {
		const json_t *q = json_object_get(r, "queue"), *t = json_object_get(r, "turnaround");
		const json_t *o = json_object_get(r, "outcomes");
		dash_buf_puts(b, "<tr><th scope=\"row\">");
		dash_buf_html(b, str(r, "depot"));
		dash_buf_puts(b, " ");
		dash_buf_html(b, str(r, "name"));
		dash_buf_puts(b, "</th>");
		dash_td_num(b, num(q, "count"));
		dash_td_num(b, num(q, "max"));
		dash_td_num(b, num(t, "count"));
		dash_td_num(b, num(t, "median"));
		dash_td_num(b, num(t, "p90"));
		dash_td_num(b, num(o, "repair"));
		dash_td_num(b, num(o, "scrapped"));
		dash_buf_puts(b, "</tr>");
	}
	dash_table_end(b);
	dash_buf_puts(b, "</section>");
}

void dash_recon_html(struct dash_buf *b, const char *lang, const json_t *d, const struct dash_filter *f)
{
	char note[512];

	dash_buf_puts(b, "<section class=\"panel\" id=\"recon\"><h2>");
	dash_buf_html(b, T("Reconditioning"));
	dash_buf_puts(b, "</h2><p class=\"note\">");
	snprintf(note, sizeof note, T("Queue: in quarantine or in reconditioning now (not at repair). "
	                              "Turnaround and outcomes: %s to %s. Working days from the return. "
	                              "The customer filter does not apply."),
	         str(d, "from"), json_is_string(json_object_get(d, "to")) ? str(d, "to") : T("today"));
	dash_buf_html(b, note);
	dash_buf_puts(b, "</p>");
	dash_panel_export(b, lang, "export-recon", "/dashboard/recon.csv", f);
	tiles(b, lang, d);
	month_chart(b, lang, json_object_get(json_object_get(d, "turnaround_workdays"), "by_month"));
	queue_table(b, lang, json_object_get(json_object_get(d, "queue_age_workdays"), "by_product"));
	outcome_table(b, lang, json_object_get(d, "outcomes"));
	depot_table(b, lang, json_object_get(d, "by_depot"));
	dash_buf_puts(b, "</section>");
}

/* A row of {count, median, p90, max}; count 0 leaves the rest empty. */
static void stats_row(struct dash_buf *b, const char *section, const char *key, const json_t *r)
{
	dash_buf_printf(b, "%s,", section);
	dash_buf_csv(b, key);
	if (num(r, "count") > 0)
		dash_buf_printf(b, ",%ld,%ld,%ld,%ld,,,,,,\r\n", num(r, "count"), num(r, "median"), num(r, "p90"),
		                num(r, "max"));
	else
		dash_buf_puts(b, ",0,,,,,,,,,\r\n");
}

void dash_recon_csv(struct dash_buf *b, const json_t *d)
{
	const json_t *turn = json_object_get(d, "turnaround_workdays");
	const json_t *queue = json_object_get(d, "queue_age_workdays");
	size_t i;
	json_t *r;

	dash_buf_puts(b, "section,key,count,median,p90,max,started,approved,repair,scrapped,repair_rate,"
	                 "scrap_rate\r\n");
	stats_row(b, "queue", "", json_object_get(queue, "total"));
	json_array_foreach(json_object_get(queue, "by_state"), i, r)
		stats_row(b, "queue_state", str(r, "state"), r);
	json_array_foreach(json_object_get(queue, "by_product"), i, r)
		stats_row(b, "queue_product", str(r, "product"), r);
	stats_row(b, "turnaround", "", json_object_get(turn, "total"));
	json_array_foreach(json_object_get(turn, "by_month"), i, r)
		stats_row(b, "turnaround_month", str(r, "month"), r);
	json_array_foreach(json_object_get(turn, "by_product"), i, r)
		stats_row(b, "turnaround_product", str(r, "product"), r);
	json_array_foreach(json_object_get(d, "outcomes"), i, r) {
		dash_buf_puts(b, "outcome,");
		dash_buf_csv(b, str(r, "product"));
		dash_buf_printf(b, ",,,,,%ld,%ld,%ld,%ld,%.3f,%.3f\r\n", num(r, "started"), num(r, "approved"),
		                num(r, "repair"), num(r, "scrapped"),
		                json_real_value(json_object_get(r, "repair_rate")),
		                json_real_value(json_object_get(r, "scrap_rate")));
	}
	/* per depot: its turnaround and its outcomes */
	json_array_foreach(json_object_get(d, "by_depot"), i, r) {
		const json_t *t = json_object_get(r, "turnaround"), *o = json_object_get(r, "outcomes");
		dash_buf_puts(b, "depot,");
		dash_buf_csv(b, str(r, "depot"));
		if (num(t, "count") > 0)
			dash_buf_printf(b, ",%ld,%ld,%ld,%ld", num(t, "count"), num(t, "median"), num(t, "p90"),
			                num(t, "max"));
		else
			dash_buf_puts(b, ",0,,,");
		dash_buf_printf(b, ",%ld,%ld,%ld,%ld,,\r\n", num(o, "started"), num(o, "approved"),
		                num(o, "repair"), num(o, "scrapped"));
	}
}
