/*
 * dash_rentals.c - the dashboard's rentals panel (dash_panels.h): devices
 * out on rent now by product type and customer, and the devices rented in
 * each month of the filter's period as a bar chart, from the core's rental
 * model (wms_rental_out, wms_rental_months: the monthly rental report's
 * rules).  Also the months every panel's chart covers.
 */
#include "dash_panels.h"

#include "dash_figures.h"
#include "dash_svg.h"
#include "wms_rental.h"

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

void dash_panel_months(const struct dash_filter *f, wms_time now, int *year, int *month, int *n)
{
	struct wms_error err = { 0 };
	wms_day last = wms_local_day(now, NULL), first;
	int y0, m0, y1, m1, d, months;

	if (f->to[0])
		wms_date_parse(f->to, &last, &err);        /* checked by dash_filter_read */
	wms_date_to_ymd(last, &y1, &m1, &d);
	months = 12;
	if (f->from[0] && wms_date_parse(f->from, &first, &err) == 0) {
		wms_date_to_ymd(first, &y0, &m0, &d);
		months = (y1 - y0) * 12 + (m1 - m0) + 1;
	}
	if (months < 1)
		months = 1;
	if (months > WMS_RENTAL_MONTHS_MAX)
		months = WMS_RENTAL_MONTHS_MAX;
	m0 = m1 - (months - 1);
	y0 = y1;
	while (m0 < 1) {
		m0 += 12;
		y0--;
	}
	*year = y0;
	*month = m0;
	*n = months;
}

json_t *dash_rentals_data(struct wms_store *s, const struct dash_filter *f, wms_time now,
                          struct wms_error *err)
{
	const char *product = f->product[0] ? f->product : NULL, *customer = f->customer[0] ? f->customer : NULL;
	json_t *out, *months;
	int y, m, n;

	dash_panel_months(f, now, &y, &m, &n);
	if ((out = wms_rental_out(s, now, product, customer, err)) == NULL)
		return NULL;
	if ((months = wms_rental_months(s, y, m, n, now, product, customer, err)) == NULL) {
		json_decref(out);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "out", out, "months", months);
}

/* A table of {key, name, devices} rows; key_title is a msgid. */
static void out_table(struct dash_buf *b, const char *lang, const char *id, const char *title,
                      const char *key_title, const json_t *rows, const char *key, const char *name_key)
{
	const char *const cols[] = { key_title, N_("Name"), N_("Devices out") };
	size_t i;
	json_t *r;

	dash_buf_printf(b, "<section class=\"breakdown\" id=\"%s\"><h3>", id);
	dash_buf_html(b, title);
	dash_buf_puts(b, "</h3>");
	dash_table(b, lang, "", cols, sizeof cols / sizeof cols[0]);
	json_array_foreach(rows, i, r) {
		dash_row(b, str(r, key));
		dash_td_text(b, str(r, name_key));
		dash_td_value(b, num(r, "devices"));
		dash_buf_puts(b, "</tr>");
	}
	dash_table_end(b);
	dash_buf_puts(b, "</section>");
}

void dash_rentals_html(struct dash_buf *b, const char *lang, const json_t *d, const struct dash_filter *f)
{
	const json_t *out = json_object_get(d, "out"), *months = json_object_get(d, "months");
	size_t n = json_array_size(months);
	struct dash_svg_point *pts = calloc(n + 1, sizeof *pts);
	const json_t *last = json_array_get(months, n ? n - 1 : 0);
	char v[64], note[128];

	if (pts == NULL) {
		b->oom = true;
		return;
	}
	dash_buf_puts(b, "<section class=\"panel\" id=\"rentals\"><h2>");
	dash_buf_html(b, T("Rentals"));
	dash_buf_puts(b, "</h2><p class=\"note\">");
	dash_buf_html(b, T("Out on rent: rented or expected back, the rent not yet stopped. "
	                   "The filters apply; the period chooses the months."));
	dash_buf_puts(b, "</p>");
	dash_panel_export(b, lang, "export-rentals", "/dashboard/rentals.csv", f);
	dash_buf_puts(b, "<div class=\"kpis\">");
	snprintf(v, sizeof v, "%ld", dash_fig_rented(d));
	dash_tile(b, "rent-out", T("Out on rent now"), v, (double)dash_fig_rented(d), NULL);
	snprintf(v, sizeof v, "%ld", num(last, "devices"));
	snprintf(note, sizeof note, T("%ld rentals started"), num(last, "started"));
	dash_tile(b, "rent-month", T("Rented in the last month shown"), v, (double)num(last, "devices"), note);
	dash_buf_puts(b, "</div>");
	for (size_t i = 0; i < n; i++) {
		const json_t *m = json_array_get(months, i);
		pts[i] = (struct dash_svg_point){ .label = str(m, "month"), .value = (double)num(m, "devices") };
	}
	dash_buf_puts(b, "<section class=\"chart\" id=\"rentals-by-month\"><h3>");
	dash_buf_html(b, T("Devices rented per month"));
	dash_buf_puts(b, "</h3>");
	dash_svg_bars(b, T("Devices rented per month"), pts, (int)n, T("No rentals in these months"));
	dash_buf_puts(b, "<p class=\"legend\">");
	dash_buf_html(b, T("A device counts in a month when at least one day of it was charged."));
	dash_buf_puts(b, "</p></section>");
	out_table(b, lang, "rentals-by-product", T("Out on rent by product type"), N_("Product type"),
	          json_object_get(out, "by_product"), "product",
	          strcmp(lang, "en") == 0 ? "name_en" : "name_sv");
	out_table(b, lang, "rentals-by-customer", T("Out on rent by customer"), N_("Customer"),
	          json_object_get(out, "by_customer"), "customer", "name");
	dash_buf_puts(b, "</section>");
	free(pts);
}

void dash_rentals_csv(struct dash_buf *b, const json_t *d)
{
	const json_t *out = json_object_get(d, "out");
	size_t i;
	json_t *r;

	dash_buf_puts(b, "section,key,name,devices,rental_days,started\r\n");
	dash_buf_printf(b, "out_total,,,%ld,,\r\n", num(out, "total"));
	json_array_foreach(json_object_get(out, "by_product"), i, r) {
		dash_buf_puts(b, "out_product,");
		dash_buf_csv(b, str(r, "product"));
		dash_buf_puts(b, ",");
		dash_buf_csv(b, str(r, "name_sv"));
		dash_buf_printf(b, ",%ld,,\r\n", num(r, "devices"));
	}
	json_array_foreach(json_object_get(out, "by_customer"), i, r) {
		dash_buf_puts(b, "out_customer,");
		dash_buf_csv(b, str(r, "customer"));
		dash_buf_puts(b, ",");
		dash_buf_csv(b, str(r, "name"));
		dash_buf_printf(b, ",%ld,,\r\n", num(r, "devices"));
	}
	json_array_foreach(json_object_get(d, "months"), i, r)
		dash_buf_printf(b, "month,%s,,%ld,%ld,%ld\r\n", str(r, "month"), num(r, "devices"),
		                num(r, "rental_days"), num(r, "started"));
}
