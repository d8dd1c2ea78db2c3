/*
 * dash.h - wmsd's browser side: the managers' lead-time dashboard, the
 * station screens with live scans (server-sent events), the login form and
 * the embedded web assets.  The handlers are routes of the one table in
 * http_routes.c (flagged HTTP_PAGE: HTML replies, a login redirect instead
 * of 401, form bodies with the CSRF token as a field); scan_batch.c calls
 * dash_station_publish() for every handled scan.
 *
 *   dash_login.c    GET/POST /login, POST /logout
 *   dash_report.c   the filters of a dashboard URL and the data they select
 *   dash_page.c     GET /: the overview on one screen: KPI tiles and charts
 *   dash_drill.c    GET /dashboard/{page}: the drill-down pages behind the tiles
 *   dash_figures.c  every figure of the tiles and panels, read once per request
 *   dash_csv.c      GET /dashboard.csv: the same data as CSV; GET /dashboard/{panel}.csv
 *   dash_rentals.c, dash_recon.c, dash_printq.c  the further panels (dash_panels.h)
 *   dash_html.c     the pieces of a panel: tiles, table cells, CSV links
 *   dash_station.c  GET /stations, /stations/{name}, /stations/{name}/events; publishing
 *   dash_form.c     form bodies, same-origin check, error pages, page head/foot
 *   dash_assets.c   GET /static/{name} from web/ (embedded at build time)
 *   dash_i18n.c     gettext: Swedish by default, English with ?lang=en or Accept-Language
 *                   (dash_lang.c: which one a request asks for)
 *   dash_svg.c      server-side SVG charts; dash_buf.c the text buffer
 */
#ifndef WMSD_DASH_H
#define WMSD_DASH_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>

#include "http_impl.h"

/* Page handlers (routes in http_routes.c) */
void dash_login_form(struct http_request *rq, struct http_reply *rp);
void dash_login(struct http_request *rq, struct http_reply *rp);
void dash_logout(struct http_request *rq, struct http_reply *rp);
void dash_dashboard(struct http_request *rq, struct http_reply *rp);
void dash_csv(struct http_request *rq, struct http_reply *rp);
void dash_panel_csv(struct http_request *rq, struct http_reply *rp);
void dash_drill(struct http_request *rq, struct http_reply *rp);
void dash_stations(struct http_request *rq, struct http_reply *rp);
void dash_hub(struct http_request *rq, struct http_reply *rp);       /* GET /hub (dash_hub.c) */
void dash_station(struct http_request *rq, struct http_reply *rp);
void dash_station_events(struct http_request *rq, struct http_reply *rp);
void dash_station_input(struct http_request *rq, struct http_reply *rp);   /* API: JSON */
void dash_asset(struct http_request *rq, struct http_reply *rp);

/*
 * dash_form.c, for the router: parse an application/x-www-form-urlencoded
 * body into *out (an object of strings; keys must be in the space-separated
 * `allowed`).  0, or a negative status with detail filled.
 */
int dash_form_parse(const char *body, size_t len, const char *allowed, json_t **out,
                    char *detail, size_t size);
/* The request's Origin (when sent) is this server (Host): 0, else -1. */
int dash_same_origin(const struct http_request *rq);
/* Turn an error reply of a page route into an HTML page (401: a redirect to /login). */
void dash_error_page(const struct http_request *rq, struct http_reply *rp);

/* dash_i18n.c: speak as a station in lang ("sv"; anything else is English)
 * in the calling thread until wmsd_lang_leave(): wms_error_set() and wms_tr()
 * translate with the CLI's catalogue, and the core names events and states
 * in words (wms_error_at_station), in either language.  wmsd_lang_init() binds the catalogues and sets
 * LANGUAGE once (call it before threads start).  Never fails: without a
 * catalogue the text stays English. */
struct wmsd_lang_saved {
	bool on;
	bool at_station;                 /* wms_error_for_station() before */
	locale_t locale;
};
void wmsd_lang_init(void);
struct wmsd_lang_saved wmsd_lang_enter(const char *lang);
void wmsd_lang_leave(struct wmsd_lang_saved saved);

/* dash_station.c: show a handled scan (journal id, its outcome line) on the
 * station's connected screens.  Never blocks; drops a slow screen's backlog. */
struct wmsd_station;
void dash_station_publish(struct wmsd_station *st, long long journal_id, const char *line, bool ok);
/* End every event stream (before MHD_stop_daemon: none may stay suspended). */
void dash_station_stop(void);
/* Send ": keep-alive" on every stream that sent nothing for keepalive_s
 * seconds (so that proxies keep idle streams open); http_server.c calls it
 * at least once a second.  Never blocks. */
void dash_station_keepalive(int keepalive_s);

#endif
