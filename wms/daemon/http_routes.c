/*
 * http_routes.c - the one table of the HTTP API: every route with its
 * method, the roles that may call it, the query arguments and JSON body keys
 * it accepts, and its handler; and the router that enforces it for every
 * request in the same order: route (404/405), who is calling (401), role
 * (403), CSRF for cookie sessions (403), query arguments and body (400, 415),
 * then the handler.  openapi.yaml describes the same routes (a test compares).
 * Browser pages (HTTP_PAGE, dash.h) take a form body, checked before the
 * login because it carries the CSRF token, and get their errors as HTML.
 */
#include "http_impl.h"

#include "dash.h"
#include "log.h"
#include "wms_audit.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define ALL   WMS_ROLE_ALL
#define WH    WMS_ROLE_WAREHOUSE
#define TECH  WMS_ROLE_TECHNICIAN
#define DISP  WMS_ROLE_DISPATCHER
#define MGR   WMS_ROLE_MANAGER
#define ADMIN WMS_ROLE_ADMIN
#define PAGE  HTTP_PAGE

const struct http_route http_routes[] = {
	{ "POST", "/api/v1/login",                   HTTP_PUBLIC,         "", "user password", http_login },
	{ "POST", "/api/v1/logout",                  ALL,                 "", "",            http_logout },
	{ "GET",  "/api/v1/me",                      ALL,                 "", NULL,          http_me },
	{ "GET",  "/api/v1/devices/{serial}",        ALL,                 "", NULL,          http_device_show },
	{ "POST", "/api/v1/devices/{serial}/events", WH | TECH | DISP | ADMIN, "", HTTP_EVENT_KEYS, http_device_event },
	{ "GET",  "/api/v1/stock",                   ALL, "product location depot by", NULL,          http_stock },
	{ "GET",  "/api/v1/transfers",               ALL,     "depot state", NULL,           http_transfer_list },
	{ "GET",  "/api/v1/orders",                  ALL,     "status limit", NULL,          http_order_list },
	{ "POST", "/api/v1/orders",                  DISP | MGR | ADMIN,  "", HTTP_ORDER_KEYS,    http_order_create },
	{ "GET",  "/api/v1/orders/{number}",         ALL,                 "", NULL,          http_order_show },
	{ "POST", "/api/v1/orders/{number}/cancel",  DISP | MGR | ADMIN,  "", "reason at",   http_order_cancel },
	{ "POST", "/api/v1/orders/{number}/notes",   DISP | MGR | ADMIN,  "", "note at",     http_order_note },
	{ "POST", "/api/v1/orders/{number}/pickup-point", DISP | MGR | ADMIN, "", "code at",  http_order_pickup_point },
	{ "GET",  "/api/v1/leadtime",                DISP | MGR | ADMIN,
	  "from to product customer mode depot now", NULL, http_leadtime },
	/* the region, on a hub ([central] role = hub; http_hub.c) */
	{ "GET",  "/api/v1/hub",                     DISP | MGR | ADMIN,  "depot", NULL,     http_hub },
	{ "GET",  "/api/v1/products",                ALL,                 "", NULL,          http_products },
	{ "GET",  "/api/v1/customers",               ALL,                 "", NULL,          http_customers },
	{ "GET",  "/api/v1/locations",               ALL,                 "", NULL,          http_locations },
	{ "GET",  "/metrics",                        ALL | HTTP_LOOPBACK, "", NULL,          http_metrics },
	{ "GET",  "/api/v1/audit",                   MGR | ADMIN,  "actor limit", NULL,          http_audit_list },
	/* reconditioning and support cases (http_recon.c) */
	{ "POST", "/api/v1/recon",                     TECH | ADMIN,        "", "serial at",   http_recon_start },
	{ "GET",  "/api/v1/recon/report",              TECH | MGR | ADMIN,  "from to product depot", NULL,   http_recon_report },
	{ "GET",  "/api/v1/recon/{serial}",            TECH | MGR | ADMIN,  "", NULL,          http_recon_show },
	{ "POST", "/api/v1/recon/{serial}/steps",      TECH | ADMIN,        "", "step result value note at",
	  http_recon_step },
	{ "POST", "/api/v1/recon/{serial}/finish",     TECH | ADMIN,        "", "outcome location reason printer at",
	  http_recon_finish },
	{ "GET",  "/api/v1/checklists",                TECH | MGR | ADMIN,  "", NULL,          http_checklists },
	{ "GET",  "/api/v1/checklists/{product}",      TECH | MGR | ADMIN,  "", NULL,          http_checklist_show },
	{ "POST", "/api/v1/cases",                     TECH | ADMIN,        "", "serial kind text order at",
	  http_case_open },
	{ "GET",  "/api/v1/cases",                     TECH | MGR | ADMIN,  "status serial", NULL, http_case_list },
	{ "GET",  "/api/v1/cases/{number}",            TECH | MGR | ADMIN,  "", NULL,          http_case_show },
	{ "POST", "/api/v1/cases/{number}/close",      TECH | ADMIN,        "", "text at",     http_case_close },
	/* printers, labels and the print queue (http_print.c) */
	{ "GET",  "/api/v1/printers",                  WH | DISP | MGR | ADMIN, "", NULL,      http_printers },
	{ "GET",  "/api/v1/print-jobs",                WH | DISP | MGR | ADMIN, "state limit", NULL, http_print_jobs },
	{ "GET",  "/api/v1/print-jobs/{id}",           WH | DISP | ADMIN,   "", NULL,          http_print_job_show },
	{ "POST", "/api/v1/print-jobs/{id}/retry",     WH | DISP | ADMIN,   "", "",            http_print_job_retry },
	{ "POST", "/api/v1/print-jobs/{id}/cancel",    WH | DISP | ADMIN,   "", "",            http_print_job_cancel },
	{ "POST", "/api/v1/print-jobs/{id}/reprint",   WH | DISP | ADMIN,   "", "printer",     http_print_job_reprint },
	{ "POST", "/api/v1/labels",                    WH | DISP | ADMIN,   "", "kind device location order printer set",
	  http_label_print },
	/* goods in against supplier deliveries (http_supplier.c) */
	{ "GET",  "/api/v1/suppliers",                 WH | MGR | ADMIN,    "", NULL,          http_suppliers },
	{ "POST", "/api/v1/suppliers",                 WH | ADMIN,          "", "code name",   http_supplier_add },
	{ "GET",  "/api/v1/supplier-deliveries",       WH | MGR | ADMIN,    "", NULL,          http_deliveries },
	{ "POST", "/api/v1/supplier-deliveries/import", WH | ADMIN,         "", HTTP_BODY_CSV, http_delivery_import },
	{ "GET",  "/api/v1/supplier-deliveries/{number}", WH | MGR | ADMIN, "", NULL,          http_delivery_show },
	{ "POST", "/api/v1/supplier-deliveries/{number}/close", WH | ADMIN, "", "",            http_delivery_close },
	/* a station's screen: what is typed on its keypad, handled as a scan (dash_station.c) */
	{ "POST", "/api/v1/stations/{name}/input",     WH | TECH | ADMIN,   "", "text",        dash_station_input },
	/* the admin's: purge of personal data, users, API tokens (http_admin.c) */
	{ "POST", "/api/v1/purge",                     ADMIN,               "", "retention_days", http_purge },
	{ "POST", "/api/v1/users",                     ADMIN,               "", "name role password", http_user_add },
	{ "POST", "/api/v1/tokens",                    ADMIN,               "", "name role",   http_token_create },
	{ "POST", "/api/v1/tokens/{name}/revoke",      ADMIN,               "", "",            http_token_revoke },
	/* browser pages (dash.h) */
	{ "GET",  "/login",                          PAGE,             "next lang", NULL,    dash_login_form },
	{ "POST", "/login",                          PAGE, "", "user password csrf next lang", dash_login },
	{ "POST", "/logout",                         PAGE | ALL,          "", "csrf lang",   dash_logout },
	{ "GET",  "/",                               PAGE | DISP | MGR | ADMIN,
	  "from to product customer mode depot page lang", NULL, dash_dashboard },
	{ "GET",  "/dashboard.csv",                  PAGE | DISP | MGR | ADMIN,
	  "from to product customer mode depot page lang", NULL, dash_csv },
	{ "GET",  "/dashboard/{panel}",              PAGE | DISP | MGR | ADMIN,
	  "from to product customer mode depot page lang", NULL, dash_drill },
	{ "GET",  "/hub",                            PAGE | DISP | MGR | ADMIN, "depot lang", NULL, dash_hub },
	{ "GET",  "/stations",                       PAGE | ALL,          "lang", NULL,      dash_stations },
	{ "GET",  "/stations/{name}",                PAGE | ALL,          "lang", NULL,      dash_station },
	{ "GET",  "/stations/{name}/events",         PAGE | ALL,         "after", NULL,      dash_station_events },
	{ "GET",  "/static/{name}",                  PAGE,                "", NULL,          dash_asset },
	/* couriers and orders (http_courier.c) */
	{ "POST", "/api/v1/tracking",                DISP | ADMIN,        "", HTTP_TRACKING_KEYS " events[]",
	  http_tracking_webhook },
	{ "POST", "/api/v1/orders/import",           DISP | MGR | ADMIN,  "", HTTP_BODY_CSV, http_order_import },
	{ "POST", "/api/v1/consignments",            DISP | ADMIN,        "", "order transfer to carrier service tracking at printer",
	  http_consignment_create },
	{ "GET",  "/api/v1/consignments",            DISP | MGR | ADMIN, "problems limit", NULL, http_consignment_list },
	{ "GET",  "/api/v1/consignments/{ref}",      DISP | MGR | ADMIN,  "", NULL,          http_consignment_show },
	{ "POST", "/api/v1/consignments/{ref}/book", DISP | ADMIN,        "", "tracking",    http_consignment_book },
	{ "POST", "/api/v1/consignments/{ref}/cancel", DISP | ADMIN,      "", "reason",      http_consignment_cancel },
	{ "GET",  "/api/v1/pickup-points",           DISP | MGR | ADMIN,  "carrier", NULL,   http_pickup_points },
	{ "GET",  "/api/v1/pickup-points/nearest",   DISP | MGR | ADMIN,
	  "postcode carrier limit", NULL, http_pickup_nearest },
	{ "GET",  "/api/v1/rentals/report",          DISP | MGR | ADMIN,  "month depot", NULL,     http_rental_report },
	/* reference data, allocation, return consignments, imports, calendar (http_catalog.c) */
	{ "POST", "/api/v1/products",                ADMIN,  "", "code name_sv name_en category needs_training",
	  http_product_add },
	{ "POST", "/api/v1/products/{code}/gtins",   ADMIN,               "", "gtin",        http_product_gtin_add },
	{ "POST", "/api/v1/customers",               MGR | ADMIN,         "", "code name kind cost_centre",
	  http_customer_add },
	{ "POST", "/api/v1/locations",               ADMIN,               "", "code name kind depot customer",
	  http_location_add },
	{ "POST", "/api/v1/orders/allocate",         DISP | ADMIN,        "", "at",          http_order_allocate_all },
	{ "POST", "/api/v1/orders/{number}/allocate", DISP | ADMIN,       "", "at",          http_order_allocate },
	{ "POST", "/api/v1/return-consignments",     DISP | ADMIN,        "",
	  "order serial carrier service tracking pickup_point printer at", http_return_consignment_create },
	{ "POST", "/api/v1/pickup-points/import",    DISP | ADMIN,        "", HTTP_BODY_CSV, http_pickup_import },
	{ "POST", "/api/v1/postcodes/import",        DISP | ADMIN,        "", HTTP_BODY_CSV, http_postcode_import },
	{ "GET",  "/api/v1/workdays",                ALL,       "from to depot", NULL,       http_workdays },
	{ "GET",  "/api/v1/calendar",                ALL,                 "year", NULL,      http_calendar },
	{ NULL, NULL, 0, NULL, NULL, NULL },
};

void http_error(struct http_reply *rp, int status, const char *error, const char *detail,
                const char *allowed)
{
	json_decref(rp->json);
	rp->status = status;
	/* s? packs NULL as null: "allowed" is always there */
	rp->json = json_pack("{s:s, s:s, s:s?}", "error", error, "detail", detail, "allowed", allowed);
}

void http_core_error(struct http_reply *rp, int code, const char *msg)
{
	const char *allowed = strstr(msg, "allowed");
	int status;

	switch (code) {
	case WMS_EINVAL:    status = MHD_HTTP_BAD_REQUEST; break;
	case WMS_ENOTFOUND: status = MHD_HTTP_NOT_FOUND; break;
	case WMS_EEXIST:
	case WMS_ESTATE:    status = MHD_HTTP_CONFLICT; break;
	case WMS_EUNSUPP:   status = MHD_HTTP_NOT_IMPLEMENTED; break;
	case WMS_EPERM:     status = MHD_HTTP_FORBIDDEN; break;
	default:            status = MHD_HTTP_INTERNAL_SERVER_ERROR; break;
	}
	/* "...; allowed next: deliver" -> "deliver" */
	if (allowed && (allowed = strchr(allowed, ':')) != NULL)
		allowed += strspn(allowed, ": ");
	http_error(rp, status, wms_status_name(code), msg, allowed && *allowed ? allowed : NULL);
}

void http_json(struct http_reply *rp, int status, json_t *v, const struct wms_error *err)
{
	if (v == NULL) {
		http_core_error(rp, err->code ? err->code : WMS_EDB, err->msg[0] ? err->msg : "failed");
		return;
	}
	json_decref(rp->json);
	rp->status = status;
	rp->json = v;
}

const char *http_query(const struct http_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* word is one of the space-separated words of list */
static bool in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	if (n == 0)
		return false;   /* an empty key ("" in a body, "?=x"): strstr would find it forever */
	for (const char *p = list; p && (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* Match path against pattern, collecting the {x} parts into rq->params. */
static bool match(const char *pattern, const char *path, struct http_request *rq)
{
	rq->n_params = 0;
	while (*pattern && *path) {
		if (*pattern == '{') {
			size_t n = strcspn(path, "/");
			if (n == 0 || n >= sizeof rq->params[0] || rq->n_params == HTTP_MAX_PARAMS)
				return false;
			memcpy(rq->params[rq->n_params], path, n);
			rq->params[rq->n_params++][n] = '\0';
			path += n;
			pattern = strchr(pattern, '}') + 1;
			continue;
		}
		if (*pattern++ != *path++)
			return false;
	}
	return *pattern == '\0' && *path == '\0';
}

static void roles_text(int roles, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int bit = 1; bit <= WMS_ROLE_ADMIN; bit <<= 1)
		if (roles & bit)
			used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
			                         used ? ", " : "", wms_role_name((enum wms_role)bit));
}

/* Who is calling: a bearer token, else the session cookie.  0, or a reply is set. */
static int authenticate(struct http_request *rq, struct http_reply *rp, bool *via_cookie, bool *csrf_ok,
                        const char *form_csrf)
{
	const char *auth = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Authorization");
	const char *sid = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, HTTP_COOKIE);
	struct wms_error err = { 0 };

	*via_cookie = *csrf_ok = false;
	if (auth) {
		if (strncmp(auth, "Bearer ", 7) != 0) {
			http_error(rp, MHD_HTTP_UNAUTHORIZED, "unauthorized", "the Authorization header is not "
			           "\"Bearer TOKEN\"", "Authorization: Bearer TOKEN, or the session cookie");
			return -1;
		}
		if (wms_token_check(rq->store, auth + 7, rq->user, &rq->role, &err) < 0) {
			if (err.code == WMS_ENOTFOUND)
				http_error(rp, MHD_HTTP_UNAUTHORIZED, "unauthorized", err.msg, "a valid API token");
			else
				http_core_error(rp, err.code, err.msg);
			return -1;
		}
		return 0;
	}
	if (sid) {
		const char *csrf = form_csrf ? form_csrf :
		                   MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-CSRF-Token");
		wms_time now = wms_now();
		if (wms_session_check(rq->store, sid, csrf, now, rq->user, &rq->role, csrf_ok, &err) < 0) {
			if (err.code == WMS_ENOTFOUND)
				http_error(rp, MHD_HTTP_UNAUTHORIZED, "unauthorized", err.msg, "POST /api/v1/login");
			else
				http_core_error(rp, err.code, err.msg);
			return -1;
		}
		*via_cookie = true;
		return 0;
	}
	http_error(rp, MHD_HTTP_UNAUTHORIZED, "unauthorized", "this route needs a login",
	           "POST /api/v1/login (session cookie), or Authorization: Bearer TOKEN");
	return -1;
}

struct query_check {
	const char *allowed;
	char bad[64];
};

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct query_check *q = cls;

	if (in_list(q->allowed, key))
		return MHD_YES;
	snprintf(q->bad, sizeof q->bad, "%s", key);
	return MHD_NO;
}

/* A CSV body (HTTP_BODY_CSV), handed to the handler as it is.  0, or a reply is set. */
static int csv_body(struct http_request *rq, struct http_reply *rp, const char *ctype)
{
	char detail[WMS_ERROR_MSG_MAX];

	if (ctype == NULL || strncmp(ctype, "text/csv", 8) != 0 || (ctype[8] != '\0' && ctype[8] != ';')) {
		snprintf(detail, sizeof detail, "Content-Type \"%.60s\" is not CSV", ctype ? ctype : "");
		http_error(rp, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported media type", detail, "text/csv");
		return -1;
	}
	if (rq->body_len == 0 || memchr(rq->body, '\0', rq->body_len) != NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", rq->body_len ? "a NUL byte in the CSV body" :
		           "this route needs a CSV body", "text/csv: a header row, then one row per record");
		return -1;
	}
	return 0;
}

/* The JSON body of a POST: an object of strings with known keys.  0, or a reply is set. */
static int parse_body(struct http_request *rq, const struct http_route *r, struct http_reply *rp)
{
	const char *ctype = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Content-Type");
	char detail[WMS_ERROR_MSG_MAX];

	if (r->body && strcmp(r->body, HTTP_BODY_CSV) == 0)
		return csv_body(rq, rp, ctype);
	if (rq->body_len > 0 && r->body != NULL &&
	    (ctype == NULL || strncmp(ctype, "application/json", 16) != 0 ||
	     (ctype[16] != '\0' && ctype[16] != ';'))) {
		snprintf(detail, sizeof detail, "Content-Type \"%.60s\" is not JSON", ctype ? ctype : "");
		http_error(rp, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported media type", detail,
		           "application/json");
		return -1;
	}
	return http_body_check(r, rq->body, rq->body_len, &rq->json, rp);
}

int http_body_check(const struct http_route *r, const char *body, size_t len, json_t **json,
                    struct http_reply *rp)
{
	char detail[WMS_ERROR_MSG_MAX], q[80];
	json_error_t jerr;
	const char *key;
	json_t *v;

	*json = NULL;
	if (len == 0) {
		if (strcmp(r->method, "GET") == 0 || (r->body && r->body[0] == '\0'))
			return 0;
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "this route needs a JSON object body",
		           r->body);
		return -1;
	}
	if (r->body == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "this route takes no request body", NULL);
		return -1;
	}
	if (memchr(body, '\0', len) != NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "malformed JSON: a NUL byte in the body",
		           "a JSON object");
		return -1;
	}
	if ((*json = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		snprintf(detail, sizeof detail, "malformed JSON at line %d column %d: %s", jerr.line,
		         jerr.column, jerr.text);
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, "a JSON object");
		return -1;
	}
	if (!json_is_object(*json)) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "the body is JSON but not an object",
		           "a JSON object");
		goto bad;
	}
	json_object_foreach(*json, key, v) {
		/* the key is quoted to ASCII: cut at 60 bytes it could end inside a UTF-8 sequence */
		wms_quote(q, sizeof q, key, strlen(key), 60);
		snprintf(detail, sizeof detail, "%s[]", key);
		if (in_list(r->body, detail)) {   /* "key[]": an array; its handler checks the items */
			if (json_is_array(v))
				continue;
			snprintf(detail, sizeof detail, "field \"%s\" must be an array", q);
			http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, r->body);
			goto bad;
		}
		if (!in_list(r->body, key)) {
			snprintf(detail, sizeof detail, "unknown field \"%s\"", q);
			http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, r->body[0] ? r->body : "none");
			goto bad;
		}
		if (!json_is_string(v)) {
			snprintf(detail, sizeof detail, "field \"%s\" must be a string", q);
			http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, r->body);
			goto bad;
		}
	}
	return 0;
bad:
	json_decref(*json);
	*json = NULL;
	return -1;
}

/* A page's form body (before authentication: it holds the CSRF token).  0, or a reply is set. */
static int parse_form(struct http_request *rq, const struct http_route *r, struct http_reply *rp)
{
	const char *ctype = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Content-Type");
	char detail[WMS_ERROR_MSG_MAX];

	if (dash_same_origin(rq) < 0) {
		http_error(rp, MHD_HTTP_FORBIDDEN, "forbidden", "the form was sent from another site",
		           "forms of this server");
		return -1;
	}
	if (ctype == NULL || strncmp(ctype, "application/x-www-form-urlencoded", 33) != 0 ||
	    (ctype[33] != '\0' && ctype[33] != ';')) {
		snprintf(detail, sizeof detail, "Content-Type \"%.60s\" is not a form", ctype ? ctype : "");
		http_error(rp, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported media type", detail,
		           "application/x-www-form-urlencoded");
		return -1;
	}
	if (dash_form_parse(rq->body, rq->body_len, r->body, &rq->json, detail, sizeof detail) < 0) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, r->body);
		return -1;
	}
	return 0;
}

static bool is_page(const struct http_route *r)
{
	return r->roles != HTTP_PUBLIC && (r->roles & HTTP_PAGE);
}

/*
 * The write routes whose handler runs inside the loop turn's commit (http_turn_defer): one fsync
 * for every write of a turn, the reply after it.  Not here: the ledger writes (http_write.c
 * submits their command itself), logins (a password worker first), the station input (a scan),
 * the purge (it checkpoints the log: never inside a transaction), the order import (its core
 * call opens a batch of its own: wms_order_import, in ledger2's order_import.c), and consignment
 * create/cancel (a carrier is called, and a consignment the carrier did not book is kept with a
 * refusal).
 */
static bool group_committed(const struct http_route *r)
{
	static const http_handler fns[] = {
		http_logout, http_tracking_webhook, http_consignment_book, http_recon_start, http_recon_step,
		http_recon_finish, http_case_open, http_case_close, http_print_job_retry,
		http_print_job_cancel, http_print_job_reprint, http_label_print, http_supplier_add,
		http_delivery_import, http_delivery_close, http_user_add, http_token_create,
		http_token_revoke, http_product_add, http_product_gtin_add, http_customer_add,
		http_location_add, http_order_allocate, http_order_allocate_all, http_pickup_import,
		http_postcode_import,
	};

	if (strcmp(r->method, "POST") != 0)
		return false;
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (r->fn == fns[i])
			return true;
	return false;
}

static void dispatch(struct http_request *rq, struct http_reply *rp, const struct http_route **chosen)
{
	const struct http_route *r = NULL;
	char methods[32] = "", buf[WMS_ERROR_MSG_MAX];
	bool via_cookie = false, csrf_ok = false, page, public;
	const char *form_csrf = NULL;
	struct query_check q;

	for (const struct http_route *t = http_routes; t->method; t++) {
		if (!match(t->pattern, rq->path, rq))
			continue;
		if (strcmp(t->method, rq->method) == 0) {
			r = t;
			break;
		}
		snprintf(methods + strlen(methods), sizeof methods - strlen(methods), "%s%s",
		         methods[0] ? ", " : "", t->method);
	}
	if (r == NULL) {
		if (methods[0]) {
			snprintf(buf, sizeof buf, "method %.10s is not allowed here", rq->method);
			http_error(rp, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed", buf, methods);
		} else {
			http_error(rp, MHD_HTTP_NOT_FOUND, "not found", "no such route",
			           "the routes of /api/v1 in openapi.yaml, and /metrics");
		}
		return;
	}
	match(r->pattern, rq->path, rq);   /* params of the chosen route */
	*chosen = r;
	page = is_page(r);
	public = r->roles == HTTP_PUBLIC || (page && (r->roles & WMS_ROLE_ALL) == 0);
	if (page && strcmp(rq->method, "POST") == 0) {
		if (parse_form(rq, r, rp) < 0)
			return;
		form_csrf = json_string_value(json_object_get(rq->json, "csrf"));
		if (form_csrf == NULL)
			form_csrf = "";
	}
	if (!public && !((r->roles & HTTP_LOOPBACK) && rq->from_loopback)) {
		if (authenticate(rq, rp, &via_cookie, &csrf_ok, form_csrf) < 0)
			return;
		if ((r->roles & rq->role) == 0) {
			roles_text(r->roles, buf, sizeof buf);
			http_error(rp, MHD_HTTP_FORBIDDEN, "forbidden", "your role may not use this route", buf);
			return;
		}
		if (via_cookie && strcmp(rq->method, "GET") != 0 && !csrf_ok) {
			http_error(rp, MHD_HTTP_FORBIDDEN, "forbidden", "CSRF token missing or wrong",
			           "an X-CSRF-Token header with the csrf value that login returned");
			return;
		}
	}
	q = (struct query_check){ .allowed = r->query };
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, query_arg, &q);
	if (q.bad[0]) {
		snprintf(buf, sizeof buf, "unknown query argument \"%s\"", q.bad);
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", buf, r->query[0] ? r->query : "none");
		return;
	}
	if (rq->json == NULL && parse_body(rq, r, rp) < 0)
		return;
	if (group_committed(r) && http_turn_defer(rq, rp, r->fn) != 1)
		return;                        /* answered after the turn's commit (or a 503 is set) */
	r->fn(rq, rp);
}

/*
 * Every POST that changed something goes into the audit trail (wms_audit.h):
 * who (the user; for a login, the name that logged in), which request, its
 * status.  A refused request writes nothing, not even here.  A failure to
 * record it is logged, not answered: the change itself has committed.
 */
void http_audit_post(const struct http_request *rq, const struct http_reply *rp)
{
	const char *actor = rq->user;
	char action[WMS_AUDIT_ACTION_MAX + 1];
	struct wms_error err = { 0 };

	if (actor[0] == '\0' && rq->json && json_is_string(json_object_get(rq->json, "user")))
		actor = json_string_value(json_object_get(rq->json, "user"));
	snprintf(action, sizeof action, "%s %s", rq->method, rq->path);
	if (wms_audit_add(rq->store, wms_now(), actor, "http", action, rp->status, &err) < 0)
		wmsd_log_err("audit trail: %s", err.msg);
}

void http_dispatch(struct http_request *rq, struct http_reply *rp)
{
	const struct http_route *r = NULL;

	dispatch(rq, rp, &r);
	if (rp->suspend)
		return;                        /* no reply yet: a login worker checks the password */
	if (r && strcmp(rq->method, "POST") == 0 && rp->status < 400)
		http_audit_post(rq, rp);
	if (r && is_page(r) && rp->json && rp->status >= 400)
		dash_error_page(rq, rp);   /* a page's error as HTML; 401: to the login */
}
