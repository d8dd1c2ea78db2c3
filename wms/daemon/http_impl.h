/*
 * http_impl.h - what the http_*.c files share (not for the rest of wmsd):
 * one request as the router sees it, one reply, the route table and the
 * handlers it names.
 *
 *   http_server.c  libmicrohttpd in the poll loop; bodies, limits, replies
 *   http_routes.c  the ONE table (method, path, roles) and authentication
 *   http_session.c login, logout, me
 *   http_read.c    read endpoints over the core's JSON read models
 *   http_write.c   ledger commands (wms_ledger_apply), actor = the user
 *   http_metrics.c /metrics in Prometheus text format
 *   dash_*.c       the browser's pages (dash.h)
 */
#ifndef WMSD_HTTP_IMPL_H
#define WMSD_HTTP_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "http.h"
#include "wms_users.h"

struct MHD_Connection;

#define HTTP_MAX_PARAMS 2

/* One request, filled by http_server.c; everything is borrowed for the call. */
struct http_request {
	struct MHD_Connection *conn;
	const struct wmsd_conf *conf;
	struct wms_store *store;
	const char *method;
	const char *path;
	const char *body;               /* NUL-terminated; "" when none */
	size_t body_len;
	bool from_loopback;             /* the client is 127.0.0.0/8 or ::1 */
	/* filled by the router */
	int n_params;
	char params[HTTP_MAX_PARAMS][128];   /* the {x} parts of the path, in order */
	char user[WMS_USER_NAME_MAX + 1];    /* "" when not authenticated */
	enum wms_role role;
	json_t *json;                   /* the parsed body object of a POST (borrowed) */
};

/* One reply; http_server.c sends and frees it. */
struct http_reply {
	int status;
	json_t *json;                   /* owned: sent as application/json */
	char *text;                     /* owned (malloc): sent as text/plain, when json is NULL */
	char set_cookie[256];           /* a Set-Cookie header, or "" */
	/* pages (dash.h) */
	const char *ctype;              /* Content-Type of text (static); NULL: text/plain */
	char set_cookie2[256];          /* a second Set-Cookie header, or "" */
	char location[256];             /* a Location header (303 See Other), or "" */
	const char *disposition;        /* a Content-Disposition header (static), or NULL */
	struct MHD_Response *stream;    /* owned: a streaming reply (server-sent events), sent as is */
};

/* Fill an error reply {"error", "detail", "allowed"} (allowed may be NULL). */
void http_error(struct http_reply *rp, int status, const char *error, const char *detail,
                const char *allowed);
/* An error reply for a core status and message (404 unknown, 409 state, ...). */
void http_core_error(struct http_reply *rp, int code, const char *msg);
/* Take ownership of a JSON result: 200/201 with it, or the core error in err. */
void http_json(struct http_reply *rp, int status, json_t *v, const struct wms_error *err);

/* A query-string argument, or NULL. */
const char *http_query(const struct http_request *rq, const char *name);

typedef void (*http_handler)(struct http_request *rq, struct http_reply *rp);

/* Public: no login.  Loopback: no login from 127.0.0.0/8 or ::1, roles otherwise. */
#define HTTP_PUBLIC   (-1)
#define HTTP_LOOPBACK (1 << 30)
/* Page: a browser page of dash.h (HTML errors, 401 becomes a redirect to
 * /login, a POST has a form body with its CSRF token in the field "csrf");
 * public when it names no role. */
#define HTTP_PAGE     (1 << 29)

struct http_route {
	const char *method;             /* "GET" or "POST" */
	const char *pattern;            /* "/api/v1/orders/{number}" */
	int roles;                      /* enum wms_role bits, HTTP_PUBLIC, or | HTTP_LOOPBACK */
	const char *query;              /* accepted query arguments, space-separated */
	const char *body;               /* accepted JSON body keys, space-separated; NULL = no body */
	http_handler fn;
};

extern const struct http_route http_routes[];     /* ends with a NULL method */

/* The JSON body keys of the ledger commands */
#define HTTP_EVENT_KEYS "type at location order reason product gtin lot expiry manufactured"
#define HTTP_ORDER_KEYS "number at customer product mode pickup_point requested_date patient_ref " \
                        "depot exchange_of"

/* Route, authenticate, check role, CSRF and body, then call the handler. */
void http_dispatch(struct http_request *rq, struct http_reply *rp);

/* Handlers */
void http_login(struct http_request *rq, struct http_reply *rp);
void http_logout(struct http_request *rq, struct http_reply *rp);
void http_me(struct http_request *rq, struct http_reply *rp);
void http_device_show(struct http_request *rq, struct http_reply *rp);
void http_stock(struct http_request *rq, struct http_reply *rp);
void http_order_list(struct http_request *rq, struct http_reply *rp);
void http_order_show(struct http_request *rq, struct http_reply *rp);
void http_leadtime(struct http_request *rq, struct http_reply *rp);
void http_products(struct http_request *rq, struct http_reply *rp);
void http_customers(struct http_request *rq, struct http_reply *rp);
void http_locations(struct http_request *rq, struct http_reply *rp);
void http_device_event(struct http_request *rq, struct http_reply *rp);
void http_order_create(struct http_request *rq, struct http_reply *rp);
void http_order_cancel(struct http_request *rq, struct http_reply *rp);
void http_order_note(struct http_request *rq, struct http_reply *rp);
void http_metrics(struct http_request *rq, struct http_reply *rp);

/* http_server.c: replies sent so far with status class c (1..5, "2xx" = 2). */
long http_requests_answered(int c);

/* Session cookie name */
#define HTTP_COOKIE "wms_session"

#endif
