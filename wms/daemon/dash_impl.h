/*
 * dash_impl.h - what the dash_*.c files share (not for the rest of wmsd):
 * the language of a request and its translations, the HTML skeleton of a
 * page, the browser's session cookies and the dashboard's filters and data.
 */
#ifndef WMSD_DASH_IMPL_H
#define WMSD_DASH_IMPL_H

#include "dash.h"
#include "dash_buf.h"
#include "wms_leadtime.h"

/* dash_lang.c: "sv" (default) or "en" from ?lang=, else Accept-Language. */
const char *dash_lang(const struct http_request *rq);
/* msgid (English) in lang: gettext's Swedish catalogue (domain "wmsd") for "sv". */
const char *dash_tr(const char *lang, const char *msgid) __attribute__((format_arg(2)));
#define T(s) dash_tr(lang, s)      /* needs a `lang` in scope; xgettext --keyword=T --keyword=N_ */
#define N_(s) s                    /* a msgid translated later with T(variable) */

/* The cookies of a browser (besides HTTP_COOKIE, the session) */
#define DASH_COOKIE_CSRF  "wms_csrf"    /* the session's CSRF token, for the page's forms */
#define DASH_COOKIE_LOGIN "wms_login"   /* the login form's own CSRF token */

/* dash_form.c: the start of a page up to <main> (title escaped here; the
 * nav and logout form when a user is logged in), and its end. */
void dash_head(struct dash_buf *b, const struct http_request *rq, const char *lang, const char *title);
void dash_foot(struct dash_buf *b);
/* Reply with b as text/html (b is emptied), or 500 when out of memory. */
void dash_reply_html(struct http_reply *rp, int status, struct dash_buf *b);
/* The session's CSRF token (from its cookie, checked against the session), or "". */
const char *dash_csrf(const struct http_request *rq);
/* "&lang=en" when lang is English, else "" (links keep the language). */
const char *dash_lang_arg(const char *lang);
/* "?lang=en" when lang is English, else "". */
const char *dash_lang_query(const char *lang);

/* dash_report.c: the filters of a dashboard URL (from, to, product,
 * customer, mode; page for the paginated lists) */
struct dash_filter {
	char from[11], to[11];             /* YYYY-MM-DD or "" */
	char product[64], customer[64];    /* code or "" */
	char mode[16];                     /* delivery mode or "" */
	int page;                          /* 1.. on paginated pages, else 1 */
	char depot[16];                    /* depot code or "" (all depots) */
};
/* Read and check the filters; a bad one: -1 with rp set (400, what is allowed). */
int dash_filter_read(const struct http_request *rq, struct http_reply *rp, struct dash_filter *f);
/* The filter form (a GET form to `action`, so that the URL holds the
 * filters): dates as YYYY-MM-DD text, product, customer and delivery mode. */
void dash_filter_form(struct dash_buf *b, const char *lang, const struct dash_filter *f,
                      const json_t *products, const json_t *customers, const json_t *depots,
                      const char *action);
/* The lead-time report for f (wms_leadtime_report) listing late orders
 * [late_offset, late_offset + late_limit) newest first, or NULL with err. */
json_t *dash_report(const struct http_request *rq, const struct dash_filter *f, int late_offset,
                    int late_limit, struct wms_error *err);

/* dash_html.c: the pieces of every panel.  A KPI tile (its exact value in
 * data-value; note may be NULL).  A table: dash_table opens
 * <div class="scroll"><table ATTRS> (attrs "" or e.g. " class=\"orders\"")
 * with the header row of the n column titles cols (msgids, translated to
 * lang) and <tbody>; each row is dash_row (<tr> and its header cell, text
 * escaped), cells, and "</tr>"; dash_table_end closes it.  dash_thead is the
 * header row alone (scope: <th scope="col"> rather than <th>).  Cells: text
 * (escaped), a number, a number with its data-value, a share (0..1) shown
 * as a percentage with its data-value to `digits` decimals.  The query string
 * of f (with page when > 1) for a link (escaped for an attribute), and a
 * panel's "Export CSV" link to path with f's filters. */
void dash_tile(struct dash_buf *b, const char *id, const char *label, const char *value, double exact,
               const char *note);
void dash_thead(struct dash_buf *b, const char *lang, const char *const *cols, size_t n, bool scope);
void dash_table(struct dash_buf *b, const char *lang, const char *attrs, const char *const *cols, size_t n);
void dash_table_end(struct dash_buf *b);
void dash_row(struct dash_buf *b, const char *text);
void dash_td_text(struct dash_buf *b, const char *text);
void dash_td_num(struct dash_buf *b, long v);
void dash_td_value(struct dash_buf *b, long v);
void dash_td_share(struct dash_buf *b, double share, int digits);
void dash_filter_query(struct dash_buf *b, const struct dash_filter *f, const char *lang);
/* A query argument's value percent-encoded for a link (all but A-Z a-z 0-9 - _ .). */
void dash_query_value(struct dash_buf *b, const char *value);
void dash_panel_export(struct dash_buf *b, const char *lang, const char *id, const char *path,
                       const struct dash_filter *f);

/* web_assets.c, generated at build time from web/ (web/embed.cmake) */
struct dash_asset_file {
	const char *name;                  /* "dash.css" */
	const unsigned char *data;
	size_t len;
};
extern const struct dash_asset_file dash_asset_files[];   /* ends with a NULL name */

#endif
