/*
 * dash_drill.c - GET /dashboard/{page}: the drill-down pages behind the
 * overview's tiles, each with the overview's filters.
 *
 *   lead-time    breakdown tables by product type, customer, customer kind
 *                and delivery mode; the customer-set-date orders apart
 *   late         the late orders, newest delivery first, DASH_LATE_PAGE a page
 *   open         open orders past their target, and those at risk, apart
 *   rentals, recon, print-queue   the panels of dash_panels.h
 *
 * GET /dashboard/{panel}.csv goes to dash_panel_csv (dash_csv.c).
 */
#include "dash_figures.h"
#include "dash_panels.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define DASH_LATE_PAGE 50

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

/* A breakdown table of stats rows {key, name?, count, within_target, share_within, median, p90, max};
 * key_title is a msgid. */
static void breakdown(struct dash_buf *b, const char *lang, const char *id, const char *title,
                      const char *key_title, const json_t *rows, const json_t *products, bool key_names)
{
	const char *const cols[] = { key_title, N_("Name"), N_("Orders"), N_("Within target"), N_("Share"),
	                             N_("Median"), "p90", N_("Longest") };
	size_t i;
	json_t *r;

	dash_buf_printf(b, "<section class=\"breakdown\" id=\"%s\"><h2>", id);
	dash_buf_html(b, title);
	dash_buf_puts(b, "</h2>");
	dash_table(b, lang, "", cols, sizeof cols / sizeof cols[0]);
	json_array_foreach(rows, i, r) {
		const char *key = str(r, "key"), *name = str(r, "name");
		dash_row(b, key_names ? T(key) : key);
		dash_td_text(b, products ? product_name(products, key, name, lang) : name);
		dash_td_num(b, num(r, "count"));
		dash_td_num(b, num(r, "within_target"));
		dash_td_share(b, json_real_value(json_object_get(r, "share_within")), 4);
		dash_td_num(b, num(r, "median"));
		dash_td_num(b, num(r, "p90"));
		dash_td_num(b, num(r, "max"));
		dash_buf_puts(b, "</tr>");
	}
	dash_table_end(b);
	dash_buf_puts(b, "</section>");
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

static void page_lead_time(struct dash_buf *b, const char *lang, const struct dash_figures *fig)
{
	const json_t *rep = fig->report, *all = json_object_get(rep, "overall");
	char v[64];

	dash_buf_puts(b, "<div class=\"kpis\">");
	snprintf(v, sizeof v, "%ld", num(all, "count"));
	dash_tile(b, "lt-count", T("Deliveries"), v, (double)num(all, "count"), NULL);
	snprintf(v, sizeof v, "%.1f %%", 100 * json_real_value(json_object_get(all, "share_within")));
	dash_tile(b, "lt-share", T("Within target"), v, json_real_value(json_object_get(all, "share_within")), NULL);
	dash_buf_puts(b, "</div>");
	breakdown(b, lang, "by-product", T("By product type"), N_("Product type"),
	          json_object_get(rep, "by_product"), fig->products, false);
	breakdown(b, lang, "by-customer", T("By customer"), N_("Customer"),
	          json_object_get(rep, "by_customer"), NULL, false);
	breakdown(b, lang, "by-customer-kind", T("By customer kind"), N_("Customer kind"),
	          json_object_get(rep, "by_customer_kind"), NULL, true);
	breakdown(b, lang, "by-mode", T("By delivery mode"), N_("Delivery mode"),
	          json_object_get(rep, "by_mode"), NULL, true);
	breakdown(b, lang, "by-depot", T("By depot"), N_("Depot"), json_object_get(rep, "by_depot"), NULL,
	          false);
	customer_set(b, lang, rep);
}

/* Links to the previous and next page of the late list, keeping the filters. */
/* A link to page `page` of the late list (rel: "prev" or "next"), keeping the filters. */
static void page_link(struct dash_buf *b, const char *lang, const struct dash_filter *f, int page,
                      const char *rel, const char *label)
{
	struct dash_filter g = *f;

	g.page = page;
	dash_buf_printf(b, "<a id=\"page-%s\" rel=\"%s\" href=\"/dashboard/late", rel, rel);
	dash_filter_query(b, &g, lang);
	dash_buf_puts(b, "\">");
	dash_buf_html(b, label);
	dash_buf_puts(b, "</a>");
}

static void pager(struct dash_buf *b, const char *lang, const struct dash_filter *f, long total)
{
	long pages = (total + DASH_LATE_PAGE - 1) / DASH_LATE_PAGE;

	dash_buf_puts(b, "<nav class=\"pager\" aria-label=\"");
	dash_buf_html(b, T("Pages"));
	dash_buf_puts(b, "\">");
	if (f->page > 1) {
		page_link(b, lang, f, f->page - 1, "prev", T("Previous"));
		dash_buf_puts(b, " ");
	}
	dash_buf_printf(b, "<span id=\"page-of\">%d / %ld</span>", f->page, pages ? pages : 1);
	if (f->page < pages) {
		dash_buf_puts(b, " ");
		page_link(b, lang, f, f->page + 1, "next", T("Next"));
	}
	dash_buf_puts(b, "</nav>");
}

static const char *const late_cols[] = {
	N_("Order"), N_("Product type"), N_("Customer"), N_("Delivery mode"), N_("Registered"),
	N_("Delivered"), N_("Working days"), N_("Reason"),
};

static void page_late(struct dash_buf *b, const char *lang, const struct dash_filter *f, const json_t *rep)
{
	const json_t *late = json_object_get(rep, "late");
	long total = num(rep, "late_count"), first = (long)(f->page - 1) * DASH_LATE_PAGE;
	size_t i;
	json_t *r;
	char line[128];

	snprintf(line, sizeof line, T("Orders %ld–%ld of %ld, newest delivery first."),
	         json_array_size(late) ? first + 1 : 0, first + (long)json_array_size(late), total);
	dash_buf_printf(b, "<section id=\"late\"><p>");
	dash_buf_html(b, line);
	dash_buf_printf(b, " <span id=\"late-count\" hidden data-value=\"%ld\"></span></p>", total);
	pager(b, lang, f, total);
	dash_table(b, lang, " class=\"orders\"", late_cols, sizeof late_cols / sizeof late_cols[0]);
	json_array_foreach(late, i, r) {
		dash_row(b, str(r, "order"));
		dash_td_text(b, str(r, "product"));
		dash_td_text(b, str(r, "customer"));
		dash_td_text(b, T(str(r, "mode")));
		dash_td_text(b, str(r, "registered"));
		dash_td_text(b, str(r, "delivered"));
		dash_td_num(b, num(r, "days"));
		dash_td_text(b, str(r, "reason"));
		dash_buf_puts(b, "</tr>");
	}
	dash_table_end(b);
	dash_buf_puts(b, "</section>");
}

static const char *const open_cols[] = {
	N_("Order"), N_("Product type"), N_("Customer"), N_("Delivery mode"), N_("Status"),
	N_("Registered"), N_("Age (working days)"), N_("Days left"),
};

static void open_table(struct dash_buf *b, const char *lang, const char *id, const char *title,
                       const json_t *rep, bool breached, long n)
{
	size_t i;
	json_t *r;

	dash_buf_printf(b, "<section id=\"%s\"><h2>", id);
	dash_buf_html(b, title);
	dash_buf_printf(b, " <span class=\"count\" data-value=\"%ld\">(%ld)</span></h2>", n, n);
	dash_table(b, lang, " class=\"orders\"", open_cols, sizeof open_cols / sizeof open_cols[0]);
	json_array_foreach(json_object_get(rep, "at_risk"), i, r) {
		if (dash_fig_breached(r) != breached)
			continue;
		dash_row(b, str(r, "order"));
		dash_td_text(b, str(r, "product"));
		dash_td_text(b, str(r, "customer"));
		dash_td_text(b, T(str(r, "mode")));
		dash_td_text(b, T(str(r, "status")));
		dash_td_text(b, str(r, "registered"));
		dash_td_num(b, num(r, "age_days"));
		dash_buf_printf(b, "<td class=\"num%s\">%ld</td></tr>", breached ? " late" : "", num(r, "days_left"));
	}
	dash_table_end(b);
	dash_buf_puts(b, "</section>");
}

static const struct {
	const char *name, *title;
	unsigned want;
	bool filters;                  /* the filter form applies */
} pages[] = {
	{ "lead-time", N_("Lead time by product, customer, mode and depot"), 0, true },
	{ "late", N_("Late orders"), 0, true },
	{ "open", N_("Open orders past the target or at risk"), 0, true },
	{ "rentals", N_("Rentals"), DASH_FIG_RENTALS, true },
	{ "recon", N_("Reconditioning"), DASH_FIG_RECON, true },
	{ "print-queue", N_("Print queue"), DASH_FIG_PRINTQ, false },
};

void dash_drill(struct http_request *rq, struct http_reply *rp)
{
	const char *lang = dash_lang(rq), *name = rq->params[0];
	size_t len = strlen(name), k, n = sizeof pages / sizeof pages[0];
	struct wms_error err = { 0 };
	struct dash_figures fig;
	struct dash_filter f, first;
	struct dash_buf b = { 0 };
	char action[64];

	if (len > 4 && strcmp(name + len - 4, ".csv") == 0) {
		dash_panel_csv(rq, rp);
		return;
	}
	for (k = 0; k < n && strcmp(pages[k].name, name) != 0; k++)
		;
	if (k == n) {
		http_error(rp, MHD_HTTP_NOT_FOUND, "not found", "no such dashboard page",
		           "lead-time, late, open, rentals, recon, print-queue, "
		           "rentals.csv, recon.csv, print-queue.csv");
		return;
	}
	if (dash_filter_read(rq, rp, &f) < 0)
		return;
	if (dash_figures_read(rq, &f, pages[k].want, (f.page - 1) * DASH_LATE_PAGE, DASH_LATE_PAGE, &fig,
	                      &err) < 0) {
		http_core_error(rp, err.code ? err.code : WMS_EDB, err.msg[0] ? err.msg : "failed");
		return;
	}
	dash_head(&b, rq, lang, T(pages[k].title));
	first = f;
	first.page = 1;
	dash_buf_puts(&b, "<p class=\"back\"><a id=\"overview\" href=\"/");
	dash_filter_query(&b, &first, lang);
	dash_buf_puts(&b, "\">← ");
	dash_buf_html(&b, T("Overview"));
	dash_buf_puts(&b, "</a></p><div class=\"page-top\"><h1>");
	dash_buf_html(&b, T(pages[k].title));
	dash_buf_puts(&b, "</h1>");
	snprintf(action, sizeof action, "/dashboard/%s", pages[k].name);
	if (pages[k].filters)
		dash_filter_form(&b, lang, &f, fig.products, fig.customers, fig.depots, action);
	dash_buf_puts(&b, "</div>");
	switch (k) {
	case 0: page_lead_time(&b, lang, &fig); break;
	case 1: page_late(&b, lang, &f, fig.report); break;
	case 2:
		open_table(&b, lang, "breached", T("Past the target, not yet delivered"), fig.report, true,
		           dash_fig_open_breached(fig.report));
		open_table(&b, lang, "at-risk", T("At risk of passing the target"), fig.report, false,
		           dash_fig_open_at_risk(fig.report));
		break;
	case 3: dash_rentals_html(&b, lang, fig.rentals, &f); break;
	case 4: dash_recon_html(&b, lang, fig.recon, &f); break;
	default: dash_printq_html(&b, lang, fig.printq, &f); break;
	}
	dash_foot(&b);
	dash_reply_html(rp, MHD_HTTP_OK, &b);
	dash_buf_free(&b);
	dash_figures_free(&fig);
}
