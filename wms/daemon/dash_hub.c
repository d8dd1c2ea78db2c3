/*
 * dash_hub.c - GET /hub on a hub ([central] role = hub): the region's page.
 * Per depot how far behind its data is (the last event the hub holds, the
 * depot's own head at its last contact, the backlog, how long since it last
 * shipped), the lead time of the region and of each depot (the region is
 * the sum of the depots' histograms), the devices at each depot by product
 * and state, those on their way between depots, how far each depot has
 * taken the hub's catalogue, and the open conflicts for a person.
 * A depot filter cuts every part to one depot (in transit: to or from it).
 * The data is the report of http_hub.c; no JavaScript, no PostgreSQL on the
 * loop.
 */
#include "dash_impl.h"

#include "http_impl.h"
#include "wms_lifecycle.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static long long num(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static void utc_text(char *buf, size_t size, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, size, "-");
	else
		strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static void filter_form(struct dash_buf *b, const char *lang, const json_t *all, const char *depot)
{
	const json_t *d;
	size_t i;

	dash_buf_puts(b, "<form method=\"get\" action=\"/hub\" class=\"filters\"><label>");
	dash_buf_html(b, T("Depot"));
	dash_buf_puts(b, " <select name=\"depot\"><option value=\"\">");
	dash_buf_html(b, T("All depots"));
	dash_buf_puts(b, "</option>");
	json_array_foreach(all, i, d) {
		if (!json_is_true(json_object_get(d, "current")))
			continue;
		dash_buf_puts(b, "<option value=\"");
		dash_buf_html(b, str(d, "depot"));
		dash_buf_printf(b, "\"%s>", strcmp(str(d, "depot"), depot) == 0 ? " selected" : "");
		dash_buf_html(b, str(d, "depot"));
		dash_buf_puts(b, "</option>");
	}
	dash_buf_printf(b, "</select></label>%s<button>", strcmp(lang, "en") == 0
	                ? "<input type=\"hidden\" name=\"lang\" value=\"en\">" : "");
	dash_buf_html(b, T("Show"));
	dash_buf_puts(b, "</button></form>");
}

static const char *const lag_cols[] = {
	N_("Depot"), N_("Epoch"), N_("Last event held"), N_("Depot's last event"), N_("Backlog"),
	N_("Time of the last event held"), N_("Last shipment"), N_("Seconds since"),
};

static const char *const lt_cols[] = { N_("Depot"), N_("Deliveries"), N_("within target"), N_("median"), "p90" };

static void depots_table(struct dash_buf *b, const char *lang, const json_t *depots)
{
	const json_t *d;
	size_t i;
	char t1[40], t2[40];

	dash_buf_puts(b, "<section id=\"lag\"><h2>");
	dash_buf_html(b, T("How far behind each depot's data is"));
	dash_buf_puts(b, "</h2><table>");
	dash_thead(b, lang, lag_cols, sizeof lag_cols / sizeof lag_cols[0], false);
	dash_buf_puts(b, "<tbody>");
	json_array_foreach(depots, i, d) {
		utc_text(t1, sizeof t1, num(d, "last_event"));
		utc_text(t2, sizeof t2, num(d, "contact_at"));
		dash_buf_printf(b, "<tr class=\"%s\" data-depot=\"", json_is_true(json_object_get(d, "current"))
		                ? "current" : "old-epoch");
		dash_buf_html(b, str(d, "depot"));
		dash_buf_puts(b, "\"><td>");
		dash_buf_html(b, str(d, "depot"));
		dash_buf_puts(b, "</td><td>");
		dash_buf_html(b, str(d, "epoch"));
		dash_buf_printf(b, "</td><td class=\"seq\" data-value=\"%lld\">%lld</td>"
		                "<td data-value=\"%lld\">%lld</td><td class=\"backlog\" data-value=\"%lld\">%lld</td>"
		                "<td>%s</td><td>%s</td><td class=\"age\" data-value=\"%lld\">%lld</td></tr>",
		                num(d, "seq"), num(d, "seq"), num(d, "head"), num(d, "head"),
		                num(d, "backlog"), num(d, "backlog"), t1, t2, num(d, "age_s"), num(d, "age_s"));
	}
	dash_buf_puts(b, "</tbody></table></section>");
}

static void leadtime_table(struct dash_buf *b, const char *lang, const json_t *lt)
{
	const json_t *o = json_object_get(lt, "overall"), *d;
	size_t i;

	dash_buf_puts(b, "<section id=\"leadtime\"><h2>");
	dash_buf_html(b, T("Lead time in working days"));
	dash_buf_printf(b, "</h2><p class=\"overall\" data-count=\"%lld\">", num(o, "count"));
	dash_buf_html(b, T("Deliveries"));
	dash_buf_printf(b, ": %lld, ", num(o, "count"));
	dash_buf_html(b, T("within target"));
	dash_buf_printf(b, ": %.1f %%, ", 100.0 * json_real_value(json_object_get(o, "share_within")));
	dash_buf_html(b, T("median"));
	dash_buf_printf(b, " %lld, p90 %lld</p><table>", num(o, "median"), num(o, "p90"));
	dash_thead(b, lang, lt_cols, sizeof lt_cols / sizeof lt_cols[0], false);
	dash_buf_puts(b, "<tbody>");
	json_array_foreach(json_object_get(lt, "by_depot"), i, d) {
		dash_buf_puts(b, "<tr><td>");
		dash_buf_html(b, str(d, "key"));
		dash_buf_printf(b, "</td><td data-value=\"%lld\">%lld</td><td>%.1f %%</td><td>%lld</td><td>%lld</td></tr>",
		                num(d, "count"), num(d, "count"),
		                100.0 * json_real_value(json_object_get(d, "share_within")), num(d, "median"),
		                num(d, "p90"));
	}
	dash_buf_puts(b, "</tbody></table></section>");
}

/* A device state as the page's reader says it ("i lager"), never the stored name. */
static const char *state_text(const char *lang, const char *name)
{
	int st = wms_state_from_name(name);
	struct wmsd_lang_saved saved;
	const char *text;

	if (st < 0)
		return name;
	saved = wmsd_lang_enter(lang);
	text = wms_state_label((enum wms_state)st);
	wmsd_lang_leave(saved);
	return text;
}

/* A section's heading, and its text alone when the list is empty (true). */
static bool section(struct dash_buf *b, const char *lang, const char *id, const json_t *list,
                    const char *title, const char *none)
{
	dash_buf_printf(b, "<section id=\"%s\" data-count=\"%zu\"><h2>", id, json_array_size(list));
	dash_buf_html(b, title);
	dash_buf_puts(b, "</h2>");
	if (json_array_size(list) > 0)
		return false;
	dash_buf_puts(b, "<p>");
	dash_buf_html(b, none);
	dash_buf_puts(b, "</p></section>");
	return true;
}

static const char *const stock_cols[] = { N_("Depot"), N_("Product"), N_("State"), N_("Devices") };
static const char *const stock_keys[] = { "depot", "product", "state", "count" };
static const char *const transit_cols[] = { N_("From"), N_("To"), N_("Product"), N_("Devices") };
static const char *const transit_keys[] = { "from", "depot", "product", "count" };
static const char *const catalog_cols[] = {
	N_("Depot"), N_("Catalogue event taken"), N_("The hub's latest"), N_("Behind"), N_("Last taken"),
};

/* The rows of list as a table of n columns: keys[0] heads the row, then
 * text (a device state in words), the last key a number. */
static void list_table(struct dash_buf *b, const char *lang, const json_t *list, const char *const *cols,
                       const char *const *keys, size_t n)
{
	const json_t *r;
	size_t i;

	dash_table(b, lang, "", cols, n);
	json_array_foreach(list, i, r) {
		dash_row(b, str(r, keys[0]));
		for (size_t k = 1; k + 1 < n; k++)
			dash_td_text(b, strcmp(keys[k], "state") == 0 ? state_text(lang, str(r, keys[k]))
			                                               : str(r, keys[k]));
		dash_td_value(b, (long)num(r, keys[n - 1]));
		dash_buf_puts(b, "</tr>");
	}
	dash_table_end(b);
	dash_buf_puts(b, "</section>");
}

static void stock_table(struct dash_buf *b, const char *lang, const json_t *stock)
{
	if (!section(b, lang, "stock", stock, T("Devices at each depot"), T("No devices at any depot.")))
		list_table(b, lang, stock, stock_cols, stock_keys, sizeof stock_keys / sizeof stock_keys[0]);
}

static void transit_table(struct dash_buf *b, const char *lang, const json_t *moving)
{
	if (!section(b, lang, "in-transit", moving, T("On their way between depots"),
	             T("No device is on its way between depots.")))
		list_table(b, lang, moving, transit_cols, transit_keys, sizeof transit_keys / sizeof transit_keys[0]);
}

static void catalog_table(struct dash_buf *b, const char *lang, const json_t *pulls)
{
	const json_t *r;
	size_t i;
	char when[40];

	if (section(b, lang, "catalog", pulls, T("The hub's catalogue at each depot"),
	            T("No depot has taken the hub's catalogue yet.")))
		return;
	dash_table(b, lang, "", catalog_cols, sizeof catalog_cols / sizeof catalog_cols[0]);
	json_array_foreach(pulls, i, r) {
		utc_text(when, sizeof when, num(r, "pulled_at"));
		dash_row(b, str(r, "depot"));
		dash_td_value(b, (long)num(r, "seq"));
		dash_td_value(b, (long)num(r, "head"));
		dash_td_value(b, (long)(num(r, "head") - num(r, "seq")));
		dash_td_text(b, when);
		dash_buf_puts(b, "</tr>");
	}
	dash_table_end(b);
	dash_buf_puts(b, "</section>");
}

static void conflicts_table(struct dash_buf *b, const char *lang, const json_t *cf)
{
	const json_t *c;
	size_t i;

	dash_buf_printf(b, "<section id=\"conflicts\" data-count=\"%zu\"><h2>", json_array_size(cf));
	dash_buf_html(b, T("Conflicts for a person to resolve"));
	dash_buf_puts(b, "</h2>");
	if (json_array_size(cf) == 0) {
		dash_buf_puts(b, "<p>");
		dash_buf_html(b, T("No conflicts."));
		dash_buf_puts(b, "</p></section>");
		return;
	}
	dash_buf_puts(b, "<table><tbody>");
	json_array_foreach(cf, i, c) {
		dash_buf_puts(b, "<tr class=\"conflict\" data-kind=\"");
		dash_buf_html(b, str(c, "kind"));
		dash_buf_puts(b, "\"><td>");
		dash_buf_html(b, str(c, "depot"));
		dash_buf_puts(b, "</td><td>");
		dash_buf_html(b, str(c, "kind"));
		dash_buf_puts(b, "</td><td>");
		dash_buf_html(b, str(c, "detail"));
		dash_buf_puts(b, "</td></tr>");
	}
	dash_buf_puts(b, "</tbody></table></section>");
}

void dash_hub(struct http_request *rq, struct http_reply *rp)
{
	const char *lang = dash_lang(rq), *depot = http_query(rq, "depot");
	struct wms_error err = { 0 };
	struct dash_buf b = { 0 };
	json_t *all, *rep;

	if (depot && depot[0] == '\0')
		depot = NULL;
	if ((all = http_hub_report(rq, NULL, &err)) == NULL ||
	    (rep = depot ? http_hub_report(rq, depot, &err) : json_incref(all)) == NULL) {
		json_decref(all);
		http_core_error(rp, err.code, err.msg);
		return;
	}
	dash_head(&b, rq, lang, T("Region"));
	dash_buf_puts(&b, "<h1>");
	dash_buf_html(&b, T("Region"));
	dash_buf_puts(&b, "</h1>");
	if (json_object_get(rep, "stale")) {
		dash_buf_puts(&b, "<p class=\"stale\">");
		dash_buf_html(&b, T("The hub's database did not answer; the figures are from its last answer."));
		dash_buf_puts(&b, "</p>");
	}
	filter_form(&b, lang, json_object_get(all, "depots"), depot ? depot : "");
	depots_table(&b, lang, json_object_get(rep, "depots"));
	leadtime_table(&b, lang, json_object_get(rep, "leadtime"));
	stock_table(&b, lang, json_object_get(rep, "stock"));
	transit_table(&b, lang, json_object_get(rep, "in_transit"));
	catalog_table(&b, lang, json_object_get(rep, "catalog"));
	conflicts_table(&b, lang, json_object_get(rep, "conflicts"));
	dash_foot(&b);
	json_decref(all);
	json_decref(rep);
	dash_reply_html(rp, MHD_HTTP_OK, &b);
}
