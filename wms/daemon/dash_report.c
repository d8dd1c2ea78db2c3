/*
 * dash_report.c - the dashboard's filters (from, to, product, customer,
 * mode and, on paginated pages, page, as GET arguments, so that the URL
 * holds them) and the lead-time report they select (wms_leadtime.h).
 */
#include "dash_impl.h"

#include "wms_depot.h"
#include "wms_lifecycle.h"
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
	char page[8], c;

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
	if (arg(rq, "mode", f->mode, sizeof f->mode) < 0 || (f->mode[0] && wms_delivery_mode_index(f->mode) < 0)) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "mode: not a delivery mode",
		           "home, pickup_point, unit, buffer, or empty");
		return -1;
	}
	f->page = 1;
	if (arg(rq, "page", page, sizeof page) < 0 || (page[0] && (sscanf(page, "%d%c", &f->page, &c) != 1 ||
	                                                         f->page < 1 || f->page > 100000))) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "page: not a page number",
		           "1 to 100000, or empty");
		return -1;
	}
	return 0;
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void select_open(struct dash_buf *b, const char *lang, const char *name, const char *label)
{
	dash_buf_printf(b, "<p><label for=\"%s\">", name);
	dash_buf_html(b, label);
	dash_buf_printf(b, "</label><select id=\"%s\" name=\"%s\"><option value=\"\">", name, name);
	dash_buf_html(b, T("All"));
	dash_buf_puts(b, "</option>");
}

static void select_codes(struct dash_buf *b, const char *lang, const char *name, const char *label,
                         const json_t *rows, const char *name_key, const char *chosen)
{
	size_t i;
	json_t *r;

	select_open(b, lang, name, label);
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

/* A date as ISO text in every language (a browser's date input follows the
 * browser's locale, not the page's: 12/07/2026 on a Swedish page). */
static void date_input(struct dash_buf *b, const char *lang, const char *name, const char *label,
                       const char *value)
{
	dash_buf_printf(b, "<p><label for=\"%s\">", name);
	dash_buf_html(b, label);
	dash_buf_printf(b, "</label><input type=\"text\" class=\"date\" id=\"%s\" name=\"%s\" value=\"%s\" "
	                "inputmode=\"numeric\" pattern=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\" maxlength=\"10\" size=\"10\" "
	                "placeholder=\"", name, name, value);
	dash_buf_html(b, T("YYYY-MM-DD"));
	dash_buf_puts(b, "\" autocomplete=\"off\"></p>");
}

void dash_filter_form(struct dash_buf *b, const char *lang, const struct dash_filter *f,
                      const json_t *products, const json_t *customers, const json_t *depots,
                      const char *action)
{
	static const char *const modes[] = { N_("home"), N_("pickup_point"), N_("unit"), N_("buffer") };

	dash_buf_printf(b, "<form class=\"filter\" method=\"get\" action=\"%s\" role=\"search\"><fieldset><legend>",
	                action);
	dash_buf_html(b, T("Filter"));
	dash_buf_puts(b, "</legend>");
	date_input(b, lang, "from", T("Delivered from"), f->from);
	date_input(b, lang, "to", T("Delivered to"), f->to);
	select_codes(b, lang, "product", T("Product type"), products,
	             strcmp(lang, "en") == 0 ? "name_en" : "name_sv", f->product);
	select_codes(b, lang, "customer", T("Customer"), customers, "name", f->customer);
	select_codes(b, lang, "depot", T("Depot"), depots, "name", f->depot);
	select_open(b, lang, "mode", T("Delivery mode"));
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		dash_buf_printf(b, "<option value=\"%s\"%s>", modes[i], strcmp(modes[i], f->mode) == 0 ? " selected" : "");
		dash_buf_html(b, T(modes[i]));
		dash_buf_puts(b, "</option>");
	}
	dash_buf_puts(b, "</select></p>");
	if (strcmp(lang, "en") == 0)
		dash_buf_puts(b, "<input type=\"hidden\" name=\"lang\" value=\"en\">");
	dash_buf_puts(b, "<p><button type=\"submit\">");
	dash_buf_html(b, T("Show"));
	dash_buf_puts(b, "</button></p></fieldset></form>");
}

json_t *dash_report(const struct http_request *rq, const struct dash_filter *f, int late_offset,
                    int late_limit, struct wms_error *err)
{
	struct wms_leadtime_opts o = {
		.depot = f->depot[0] ? f->depot : NULL,
		.product = f->product[0] ? f->product : NULL,
		.customer = f->customer[0] ? f->customer : NULL,
		.mode = f->mode[0] ? f->mode : NULL,
		.late_offset = late_offset, .late_limit = late_limit,
	};

	wms_leadtime_rules_of(&o, rq->conf->core);
	if ((f->from[0] && wms_date_parse(f->from, &o.from, err) < 0) ||
	    (f->to[0] && wms_date_parse(f->to, &o.to, err) < 0))
		return NULL;
	return wms_leadtime_report(rq->store, &o, err);
}
