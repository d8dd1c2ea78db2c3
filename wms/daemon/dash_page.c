/*
 * dash_page.c - GET /: the managers' lead-time dashboard.  KPI tiles (share
 * within the target, median, p90, deliveries, late, at risk, rentals out,
 * reconditioning queue), the trend by month and the histogram by working
 * day as server-side SVG, breakdown tables by product type, customer,
 * customer kind and delivery mode, the late orders with their reasons, the
 * customer-set-date orders apart and the open orders at risk.  The filter
 * is a GET form (the URL holds it); "Export CSV" is the same URL as CSV.
 * Below, the panels of dash_panels.h: rentals, reconditioning, print queue.
 * No JavaScript.  Numbers carry data-value attributes with their exact value.
 */
#include "dash_panels.h"

#include "dash_svg.h"
#include "wms_catalog.h"
#include "wms_depot.h"
#include "wmsd.h"

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

/* The product's name in lang (the report names products in Swedish). */
static const char *product_name(const json_t *products, const char *code, const char *fallback,
                                const char *lang)
{
	size_t i;
	json_t *p;

	json_array_foreach(products, i, p)
		if (strcmp(str(p, "code"), code) == 0)
			return str(p, strcmp(lang, "en") == 0 ? "name_en" : "name_sv");
	return fallback;
}

/* A breakdown table of stats rows {key, name?, count, within_target, share_within, median, p90, max}. */
static void breakdown(struct dash_buf *b, const char *lang, const char *id, const char *title,
                      const char *key_title, const json_t *rows, const json_t *products, bool key_names)
{
	size_t i;
	json_t *r;

	dash_buf_printf(b, "<section class=\"breakdown\" id=\"%s\"><h2>", id);
	dash_buf_html(b, title);
	dash_buf_puts(b, "</h2><div class=\"scroll\"><table><thead><tr>");
	dash_th(b, key_title);
	dash_th(b, T("Name"));
	dash_th(b, T("Orders"));
	dash_th(b, T("Within target"));
	dash_th(b, T("Share"));
	dash_th(b, T("Median"));
	dash_th(b, "p90");
	dash_th(b, T("Longest"));
	dash_buf_puts(b, "</tr></thead><tbody>");
	json_array_foreach(rows, i, r) {
		const char *key = str(r, "key"), *name = str(r, "name");
		dash_buf_puts(b, "<tr><th scope=\"row\">");
		dash_buf_html(b, key_names ? T(key) : key);
		dash_buf_puts(b, "</th>");
		dash_td_text(b, products ? product_name(products, key, name, lang) : name);
		dash_td_num(b, num(r, "count"));
		dash_td_num(b, num(r, "within_target"));
		dash_buf_printf(b, "<td class=\"num\" data-value=\"%.4f\">%.1f %%</td>",
		                json_real_value(json_object_get(r, "share_within")),
		                100 * json_real_value(json_object_get(r, "share_within")));
		dash_td_num(b, num(r, "median"));
		dash_td_num(b, num(r, "p90"));
		dash_td_num(b, num(r, "max"));
		dash_buf_puts(b, "</tr>");
	}
	dash_buf_puts(b, "</tbody></table></div></section>");
}

static void select_codes(struct dash_buf *b, const char *lang, const char *name, const char *label,
                         const json_t *rows, const char *name_key, const char *chosen)
{
	size_t i;
	json_t *r;

	dash_buf_printf(b, "<p><label for=\"%s\">", name);
	dash_buf_html(b, label);
	dash_buf_printf(b, "</label><select id=\"%s\" name=\"%s\"><option value=\"\">", name, name);
	dash_buf_html(b, T("All"));
	dash_buf_puts(b, "</option>");
	json_array_foreach(rows, i, r) {
		dash_buf_puts(b, "<option value=\"");
		dash_buf_html(b, str(r, "code"));
		dash_buf_printf(b, "\"%s>", strcmp(str(r, "code"), chosen) == 0 ? " selected" : "");
		dash_buf_html(b, str(r, "code"));
		dash_buf_puts(b, " – ");
		dash_buf_html(b, str(r, name_key));
		dash_buf_puts(b, "</option>");
	}
	dash_buf_puts(b, "</select></p>");
}

static void filter_form(struct dash_buf *b, const char *lang, const struct dash_filter *f,
                        const json_t *products, const json_t *customers, const json_t *depots)
{
	dash_buf_puts(b, "<form class=\"filter\" method=\"get\" action=\"/\" role=\"search\"><fieldset><legend>");
	dash_buf_html(b, T("Filter"));
	dash_buf_puts(b, "</legend><p><label for=\"from\">");
	dash_buf_html(b, T("Delivered from"));
	dash_buf_printf(b, "</label><input type=\"date\" id=\"from\" name=\"from\" value=\"%s\"></p>"
	                "<p><label for=\"to\">", f->from);
	dash_buf_html(b, T("Delivered to"));
	dash_buf_printf(b, "</label><input type=\"date\" id=\"to\" name=\"to\" value=\"%s\"></p>", f->to);
	select_codes(b, lang, "product", T("Product type"), products,
	             strcmp(lang, "en") == 0 ? "name_en" : "name_sv", f->product);
	select_codes(b, lang, "customer", T("Customer"), customers, "name", f->customer);
	select_codes(b, lang, "depot", T("Depot"), depots, "name", f->depot);
	if (strcmp(lang, "en") == 0)
		dash_buf_puts(b, "<input type=\"hidden\" name=\"lang\" value=\"en\">");
	dash_buf_puts(b, "<p><button type=\"submit\">");
	dash_buf_html(b, T("Show"));
	dash_buf_puts(b, "</button></p></fieldset></form>");
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
	dash_buf_puts(b, "<section class=\"chart\" id=\"trend\"><h2>");
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
	dash_buf_puts(b, "</p></section>");
out:
	free(pts);
	free(labels);
}

static void late_table(struct dash_buf *b, const char *lang, const json_t *rep)
{
	const json_t *late = json_object_get(rep, "late");
	size_t i;
	json_t *r;

	dash_buf_puts(b, "<section id=\"late\"><h2>");
	dash_buf_html(b, T("Late orders"));
	dash_buf_printf(b, "</h2><p>%zu ", json_array_size(late));
	dash_buf_html(b, T("shown of"));
	dash_buf_printf(b, " <span id=\"late-count\" data-value=\"%ld\">%ld</span>.</p>",
	                num(rep, "late_count"), num(rep, "late_count"));
	dash_buf_puts(b, "<div class=\"scroll\"><table><thead><tr>");
	dash_th(b, T("Order"));
	dash_th(b, T("Product type"));
	dash_th(b, T("Customer"));
	dash_th(b, T("Delivery mode"));
	dash_th(b, T("Registered"));
	dash_th(b, T("Delivered"));
	dash_th(b, T("Working days"));
	dash_th(b, T("Reason"));
	dash_buf_puts(b, "</tr></thead><tbody>");
	json_array_foreach(late, i, r) {
		dash_buf_puts(b, "<tr><th scope=\"row\">");
		dash_buf_html(b, str(r, "order"));
		dash_buf_puts(b, "</th>");
		dash_td_text(b, str(r, "product"));
		dash_td_text(b, str(r, "customer"));
		dash_td_text(b, T(str(r, "mode")));
		dash_td_text(b, str(r, "registered"));
		dash_td_text(b, str(r, "delivered"));
		dash_td_num(b, num(r, "days"));
		dash_td_text(b, str(r, "reason"));
		dash_buf_puts(b, "</tr>");
	}
	dash_buf_puts(b, "</tbody></table></div></section>");
}

static void risk_table(struct dash_buf *b, const char *lang, const json_t *rep)
{
	const json_t *risk = json_object_get(rep, "at_risk");
	size_t i;
	json_t *r;

	dash_buf_puts(b, "<section id=\"at-risk\"><h2>");
	dash_buf_html(b, T("Open orders at risk"));
	dash_buf_puts(b, "</h2><div class=\"scroll\"><table><thead><tr>");
	dash_th(b, T("Order"));
	dash_th(b, T("Product type"));
	dash_th(b, T("Customer"));
	dash_th(b, T("Status"));
	dash_th(b, T("Registered"));
	dash_th(b, T("Age (working days)"));
	dash_th(b, T("Days left"));
	dash_buf_puts(b, "</tr></thead><tbody>");
	json_array_foreach(risk, i, r) {
		long left = num(r, "days_left");
		dash_buf_puts(b, "<tr><th scope=\"row\">");
		dash_buf_html(b, str(r, "order"));
		dash_buf_puts(b, "</th>");
		dash_td_text(b, str(r, "product"));
		dash_td_text(b, str(r, "customer"));
		dash_td_text(b, T(str(r, "status")));
		dash_td_text(b, str(r, "registered"));
		dash_td_num(b, num(r, "age_days"));
		dash_buf_printf(b, "<td class=\"num%s\">%ld</td></tr>", left < 0 ? " late" : "", left);
	}
	dash_buf_puts(b, "</tbody></table></div></section>");
}

static void customer_set(struct dash_buf *b, const char *lang, const json_t *rep)
{
	const json_t *cs = json_object_get(rep, "customer_set");
	char v[64];

	dash_buf_puts(b, "<section id=\"customer-set\"><h2>");
	dash_buf_html(b, T("Orders with a customer-set delivery date"));
	dash_buf_puts(b, "</h2><p>");
	dash_buf_html(b, T("Measured against the date the customer asked for, not the 7 working days."));
	dash_buf_puts(b, "</p><div class=\"kpis\">");
	snprintf(v, sizeof v, "%ld", num(cs, "count"));
	dash_tile(b, "cs-count", T("Delivered"), v, (double)num(cs, "count"), NULL);
	snprintf(v, sizeof v, "%.1f %%", 100 * json_real_value(json_object_get(cs, "share_within")));
	dash_tile(b, "cs-share", T("On the date"), v, json_real_value(json_object_get(cs, "share_within")), NULL);
	snprintf(v, sizeof v, "%ld", num(cs, "max"));
	dash_tile(b, "cs-max", T("Most days late"), v, (double)num(cs, "max"), NULL);
	dash_buf_puts(b, "</div></section>");
}

void dash_dashboard(struct http_request *rq, struct http_reply *rp)
{
	const char *lang = dash_lang(rq);
	struct wms_error err = { 0 };
	struct dash_filter f;
	struct dash_buf b = { 0 };
	json_t *rep = NULL, *products = NULL, *customers = NULL, *rentals = NULL, *recon = NULL, *printq = NULL;
	json_t *depots = NULL;
	const json_t *all;
	wms_time now = wms_now();
	long rented = 0, recon_n = 0;
	char v[64], note[128];

	if (dash_filter_read(rq, rp, &f) < 0)
		return;
	if ((rep = dash_report(rq, &f, &err)) == NULL ||
	    (products = wms_product_list(rq->store, &err)) == NULL ||
	    (customers = wms_customer_list(rq->store, &err)) == NULL ||
	    (depots = wms_depot_list(rq->store, &err)) == NULL ||
	    dash_device_counts(rq, &rented, &recon_n, &err) < 0 ||
	    (rentals = dash_rentals_data(rq->store, &f, now, &err)) == NULL ||
	    (recon = dash_recon_data(rq->store, rq->conf->core->cal, &f, now, &err)) == NULL ||
	    (printq = dash_printq_data(rq->store, now, &err)) == NULL) {
		http_core_error(rp, err.code ? err.code : WMS_EDB, err.msg[0] ? err.msg : "failed");
		goto out;
	}
	all = json_object_get(rep, "overall");
	dash_head(&b, rq, lang, T("Lead time"));
	dash_buf_puts(&b, "<h1>");
	dash_buf_html(&b, T("Lead time"));
	dash_buf_puts(&b, "</h1><p class=\"lead\">");
	snprintf(note, sizeof note, T("Target: delivery within %d working days of the order."),
	         (int)num(rep, "target_days"));
	dash_buf_html(&b, note);
	dash_buf_puts(&b, "</p>");
	filter_form(&b, lang, &f, products, customers, depots);
	dash_buf_puts(&b, "<p class=\"export\"><a id=\"export-csv\" href=\"/dashboard.csv");
	dash_filter_query(&b, &f, lang);
	dash_buf_puts(&b, "\" download>");
	dash_buf_html(&b, T("Export CSV"));
	dash_buf_puts(&b, "</a></p><section class=\"kpis\" aria-label=\"");
	dash_buf_html(&b, T("Key figures"));
	dash_buf_puts(&b, "\">");
	snprintf(v, sizeof v, "%.1f %%", 100 * json_real_value(json_object_get(all, "share_within")));
	snprintf(note, sizeof note, T("%ld of %ld deliveries"), num(all, "within_target"), num(all, "count"));
	dash_tile(&b, "kpi-share", T("Within target"), v, json_real_value(json_object_get(all, "share_within")), note);
	snprintf(v, sizeof v, "%ld", num(all, "median"));
	dash_tile(&b, "kpi-median", T("Median (working days)"), v, (double)num(all, "median"), NULL);
	snprintf(v, sizeof v, "%ld", num(all, "p90"));
	dash_tile(&b, "kpi-p90", T("90th percentile (working days)"), v, (double)num(all, "p90"), NULL);
	snprintf(v, sizeof v, "%ld", num(all, "count"));
	dash_tile(&b, "kpi-count", T("Deliveries"), v, (double)num(all, "count"), NULL);
	snprintf(v, sizeof v, "%ld", num(rep, "late_count"));
	dash_tile(&b, "kpi-late", T("Late"), v, (double)num(rep, "late_count"), NULL);
	snprintf(v, sizeof v, "%zu", json_array_size(json_object_get(rep, "at_risk")));
	dash_tile(&b, "kpi-risk", T("Open orders at risk"), v,
	     (double)json_array_size(json_object_get(rep, "at_risk")), NULL);
	snprintf(v, sizeof v, "%ld", rented);
	dash_tile(&b, "kpi-rented", T("Devices out on rental"), v, (double)rented, NULL);
	snprintf(v, sizeof v, "%ld", recon_n);
	dash_tile(&b, "kpi-recon", T("Reconditioning queue"), v, (double)recon_n, NULL);
	dash_buf_puts(&b, "</section>");
	charts(&b, lang, rep);
	breakdown(&b, lang, "by-product", T("By product type"), T("Product type"),
	          json_object_get(rep, "by_product"), products, false);
	breakdown(&b, lang, "by-customer", T("By customer"), T("Customer"),
	          json_object_get(rep, "by_customer"), NULL, false);
	breakdown(&b, lang, "by-customer-kind", T("By customer kind"), T("Customer kind"),
	          json_object_get(rep, "by_customer_kind"), NULL, true);
	breakdown(&b, lang, "by-mode", T("By delivery mode"), T("Delivery mode"),
	          json_object_get(rep, "by_mode"), NULL, true);
	breakdown(&b, lang, "by-depot", T("By depot"), T("Depot"),
	          json_object_get(rep, "by_depot"), NULL, false);
	late_table(&b, lang, rep);
	customer_set(&b, lang, rep);
	risk_table(&b, lang, rep);
	dash_rentals_html(&b, lang, rentals, &f);
	dash_recon_html(&b, lang, recon, &f);
	dash_printq_html(&b, lang, printq, &f);
	dash_foot(&b);
	dash_reply_html(rp, MHD_HTTP_OK, &b);
out:
	dash_buf_free(&b);
	json_decref(rep);
	json_decref(products);
	json_decref(customers);
	json_decref(depots);
	json_decref(rentals);
	json_decref(recon);
	json_decref(printq);
}
