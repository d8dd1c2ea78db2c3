/*
 * dash_html.c - the pieces every dashboard panel is built of (dash_impl.h):
 * a KPI tile with its exact value in data-value, the one writer of the
 * panels' tables (header row, row header and data cells), and a panel's CSV
 * link that keeps the page's filters.
 */
#include "dash_impl.h"

#include <string.h>

void dash_tile(struct dash_buf *b, const char *id, const char *label, const char *value, double exact,
               const char *note)
{
	dash_buf_printf(b, "<div class=\"kpi\" id=\"%s\"><h2>", id);
	dash_buf_html(b, label);
	dash_buf_printf(b, "</h2><p class=\"value\" data-value=\"%g\">", exact);
	dash_buf_html(b, value);
	dash_buf_puts(b, "</p>");
	if (note) {
		dash_buf_puts(b, "<p class=\"note\">");
		dash_buf_html(b, note);
		dash_buf_puts(b, "</p>");
	}
	dash_buf_puts(b, "</div>");
}

void dash_thead(struct dash_buf *b, const char *lang, const char *const *cols, size_t n, bool scope)
{
	dash_buf_puts(b, "<thead><tr>");
	for (size_t i = 0; i < n; i++) {
		dash_buf_puts(b, scope ? "<th scope=\"col\">" : "<th>");
		dash_buf_html(b, T(cols[i]));
		dash_buf_puts(b, "</th>");
	}
	dash_buf_puts(b, "</tr></thead>");
}

void dash_table(struct dash_buf *b, const char *lang, const char *attrs, const char *const *cols, size_t n)
{
	dash_buf_printf(b, "<div class=\"scroll\"><table%s>", attrs);
	dash_thead(b, lang, cols, n, true);
	dash_buf_puts(b, "<tbody>");
}

void dash_table_end(struct dash_buf *b)
{
	dash_buf_puts(b, "</tbody></table></div>");
}

void dash_row(struct dash_buf *b, const char *text)
{
	dash_buf_puts(b, "<tr><th scope=\"row\">");
	dash_buf_html(b, text);
	dash_buf_puts(b, "</th>");
}

void dash_td_text(struct dash_buf *b, const char *text)
{
	dash_buf_puts(b, "<td>");
	dash_buf_html(b, text);
	dash_buf_puts(b, "</td>");
}

void dash_td_num(struct dash_buf *b, long v)
{
	dash_buf_printf(b, "<td class=\"num\">%ld</td>", v);
}

void dash_td_value(struct dash_buf *b, long v)
{
	dash_buf_printf(b, "<td class=\"num\" data-value=\"%ld\">%ld</td>", v, v);
}

void dash_td_share(struct dash_buf *b, double share, int digits)
{
	dash_buf_printf(b, "<td class=\"num\" data-value=\"%.*f\">%.1f %%</td>", digits, share, 100 * share);
}

void dash_query_value(struct dash_buf *b, const char *value)
{
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-_.", *p))
			dash_buf_printf(b, "%c", *p);
		else
			dash_buf_printf(b, "%%%02X", *p);
}

void dash_filter_query(struct dash_buf *b, const struct dash_filter *f, const char *lang)
{
	const char *names[6] = { "from", "to", "product", "customer", "mode", "depot" };
	const char *vals[6] = { f->from, f->to, f->product, f->customer, f->mode, f->depot };
	bool first = true;

	for (int i = 0; i < 6; i++) {
		if (!vals[i][0])
			continue;
		dash_buf_printf(b, "%s%s=", first ? "?" : "&amp;", names[i]);
		dash_query_value(b, vals[i]);
		first = false;
	}
	if (f->page > 1) {
		dash_buf_printf(b, "%spage=%d", first ? "?" : "&amp;", f->page);
		first = false;
	}
	if (strcmp(lang, "en") == 0)
		dash_buf_printf(b, "%slang=en", first ? "?" : "&amp;");
}

void dash_panel_export(struct dash_buf *b, const char *lang, const char *id, const char *path,
                       const struct dash_filter *f)
{
	dash_buf_printf(b, "<p class=\"export\"><a id=\"%s\" href=\"%s", id, path);
	dash_filter_query(b, f, lang);
	dash_buf_puts(b, "\" download>");
	dash_buf_html(b, T("Export CSV"));
	dash_buf_puts(b, "</a></p>");
}
