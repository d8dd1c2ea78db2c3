/*
 * http_impl.h - what the http_*.c files share (not for the rest of wmsd):
 * one request as the router sees it, one reply, the route table and the
 * handlers it names.
 *
 *   http_server.c  libmicrohttpd in the poll loop; bodies, limits, replies
 *   http_routes.c  the ONE table (method, path, roles) and authentication
 *   http_session.c login, logout, me
 *   http_login_guard.c the password check of a login: throttled, audited, off the loop
 *   http_pwpool.c  the login workers: argon2id on threads, answers back on the loop
 *   http_client.c  the client's address: the peer, or X-Forwarded-For from a trusted proxy
 *   http_conns.c   connections counted and timed: caps, streams apart, request deadlines
 *   http_read.c    read endpoints over the core's JSON read models
 *   http_write.c   ledger commands (wms_ledger_apply), actor = the user
 *   http_metrics.c /metrics in Prometheus text format
 *   http_courier.c tracking webhook, order import, consignments, pickup points, rentals
 *   http_recon.c   reconditioning, checklists, support cases
 *   http_print.c   printers, labels, the print queue (outbox)
 *   http_admin.c   purge of personal data, users, API tokens
 *   http_catalog.c reference data, allocation, return consignments, CSV imports, calendar
 *   dash_*.c       the browser's pages (dash.h)
 */
#ifndef WMSD_HTTP_IMPL_H
#define WMSD_HTTP_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <arpa/inet.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>

#include "http.h"
#include "wms_users.h"

struct MHD_Connection;

#define HTTP_MAX_PARAMS 2

/* A login's password check on the login workers (http_login_guard.c), kept with the connection
 * while the request waits suspended; the handler runs again when it is HTTP_PW_DONE. */
enum { HTTP_PW_NONE, HTTP_PW_QUEUED, HTTP_PW_DONE };
struct http_pwcheck {
	int state;
	bool match;
	enum wms_role role;             /* the user's, when match */
	struct MHD_Connection *conn;
};

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
	const char *client;             /* the client's address, numeric */
	struct http_pwcheck *pw;        /* the connection's password check; NULL: check inline */
	struct http_later *later;       /* the connection's later reply; NULL: answer now */
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
	long retry_after;               /* a Retry-After header (seconds), or 0 */
	bool suspend;                   /* no reply yet: the request waits for its password check */
	bool close;                     /* Connection: close */
};

/* A reply made later, kept with the connection while the request waits suspended: a ledger
 * write waiting for the loop turn's commit (http_turn.c).  When HTTP_LATER_DONE, the server
 * sends reply as it is, without routing the request again. */
enum { HTTP_LATER_NONE, HTTP_LATER_QUEUED, HTTP_LATER_DONE };
struct http_later {
	int state;
	struct http_reply reply;
	struct MHD_Connection *conn;
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
#define HTTP_EVENT_KEYS "type at location order reason product gtin lot expiry manufactured delivery"
#define HTTP_ORDER_KEYS "number at customer product mode pickup_point requested_date patient_ref " \
                        "depot exchange_of"
/* A route's body key "NAME[]" takes a JSON array (its handler checks the items); a route whose
 * body is HTTP_BODY_CSV takes Content-Type text/csv, handed over as rq->body (rq->json NULL). */
#define HTTP_BODY_CSV "text/csv"
/* The fields of one carrier tracking event (http_courier.c); a batch is {"events": [...]}. */
#define HTTP_TRACKING_KEYS "sscc tracking event at location note"

/* Route, authenticate, check role, CSRF and body, then call the handler. */
void http_dispatch(struct http_request *rq, struct http_reply *rp);

/* The body of a request for route r, as the router checks it after the Content-Type, without
 * the connection (so tests/fuzz/http_json_fuzz.c can call it): none where r takes none, else a
 * JSON object of strings with r's keys.  0 with *json set (NULL: no body; the caller frees it),
 * or -1 with a 400 reply set and *json NULL. */
int http_body_check(const struct http_route *r, const char *body, size_t len, json_t **json,
                    struct http_reply *rp);

/* http_write.c: the ledger command of a write route's checked body (rq->json, rq->params,
 * rq->user), not applied: 0 with w filled (strings borrowed from rq), or -1 with a 400 reply
 * set.  The handlers apply it; the fuzz target stops here. */
struct wms_cmd;
int http_device_event_cmd(struct http_request *rq, struct http_reply *rp, struct wms_cmd *w);
int http_order_create_cmd(struct http_request *rq, struct http_reply *rp, struct wms_cmd *w);
int http_order_cancel_cmd(struct http_request *rq, struct http_reply *rp, struct wms_cmd *w);
int http_order_note_cmd(struct http_request *rq, struct http_reply *rp, struct wms_cmd *w);
void http_order_pickup_point(struct http_request *rq, struct http_reply *rp);
/* http_supplier.c: goods in against supplier deliveries */
void http_suppliers(struct http_request *rq, struct http_reply *rp);
void http_supplier_add(struct http_request *rq, struct http_reply *rp);
void http_deliveries(struct http_request *rq, struct http_reply *rp);
void http_delivery_import(struct http_request *rq, struct http_reply *rp);
void http_delivery_show(struct http_request *rq, struct http_reply *rp);
void http_delivery_close(struct http_request *rq, struct http_reply *rp);

/* Handlers */
void http_login(struct http_request *rq, struct http_reply *rp);
void http_logout(struct http_request *rq, struct http_reply *rp);
void http_me(struct http_request *rq, struct http_reply *rp);
void http_device_show(struct http_request *rq, struct http_reply *rp);
void http_stock(struct http_request *rq, struct http_reply *rp);
void http_transfer_list(struct http_request *rq, struct http_reply *rp);
void http_order_list(struct http_request *rq, struct http_reply *rp);
void http_order_show(struct http_request *rq, struct http_reply *rp);
void http_audit_list(struct http_request *rq, struct http_reply *rp);
void http_leadtime(struct http_request *rq, struct http_reply *rp);
/* http_hub.c: the region's report on a hub, cut to depot (NULL: all); NULL with err
 * (not a hub, no report yet, a depot the hub does not hold). */
json_t *http_hub_report(const struct http_request *rq, const char *depot, struct wms_error *err);
void http_hub(struct http_request *rq, struct http_reply *rp);
void http_products(struct http_request *rq, struct http_reply *rp);
void http_customers(struct http_request *rq, struct http_reply *rp);
void http_locations(struct http_request *rq, struct http_reply *rp);
void http_device_event(struct http_request *rq, struct http_reply *rp);
void http_order_create(struct http_request *rq, struct http_reply *rp);
void http_order_cancel(struct http_request *rq, struct http_reply *rp);
void http_order_note(struct http_request *rq, struct http_reply *rp);
void http_metrics(struct http_request *rq, struct http_reply *rp);
/* http_courier.c: tracking webhook, order CSV import, consignments, pickup points, rentals */
void http_tracking_webhook(struct http_request *rq, struct http_reply *rp);
void http_order_import(struct http_request *rq, struct http_reply *rp);
void http_consignment_create(struct http_request *rq, struct http_reply *rp);
void http_consignment_list(struct http_request *rq, struct http_reply *rp);
void http_consignment_show(struct http_request *rq, struct http_reply *rp);
void http_consignment_book(struct http_request *rq, struct http_reply *rp);
void http_consignment_cancel(struct http_request *rq, struct http_reply *rp);
void http_pickup_points(struct http_request *rq, struct http_reply *rp);
void http_pickup_nearest(struct http_request *rq, struct http_reply *rp);
void http_rental_report(struct http_request *rq, struct http_reply *rp);
/* http_recon.c: reconditioning, checklists, support cases */
void http_recon_start(struct http_request *rq, struct http_reply *rp);
void http_recon_step(struct http_request *rq, struct http_reply *rp);
void http_recon_finish(struct http_request *rq, struct http_reply *rp);
void http_recon_show(struct http_request *rq, struct http_reply *rp);
void http_recon_report(struct http_request *rq, struct http_reply *rp);
void http_checklists(struct http_request *rq, struct http_reply *rp);
void http_checklist_show(struct http_request *rq, struct http_reply *rp);
void http_case_open(struct http_request *rq, struct http_reply *rp);
void http_case_list(struct http_request *rq, struct http_reply *rp);
void http_case_show(struct http_request *rq, struct http_reply *rp);
void http_case_close(struct http_request *rq, struct http_reply *rp);
/* http_print.c: printers, labels, the print queue (the outbox; wmsd's worker prints) */
void http_printers(struct http_request *rq, struct http_reply *rp);
void http_print_jobs(struct http_request *rq, struct http_reply *rp);
void http_print_job_show(struct http_request *rq, struct http_reply *rp);
void http_print_job_retry(struct http_request *rq, struct http_reply *rp);
void http_print_job_cancel(struct http_request *rq, struct http_reply *rp);
void http_print_job_reprint(struct http_request *rq, struct http_reply *rp);
void http_label_print(struct http_request *rq, struct http_reply *rp);
/* http_admin.c: purge of personal data, users, API tokens */
void http_purge(struct http_request *rq, struct http_reply *rp);
void http_user_add(struct http_request *rq, struct http_reply *rp);
void http_token_create(struct http_request *rq, struct http_reply *rp);
void http_token_revoke(struct http_request *rq, struct http_reply *rp);
/* http_catalog.c: reference data, allocation, return consignments, pickup-point and
 * postal-code imports, the working-day calendar */
void http_product_add(struct http_request *rq, struct http_reply *rp);
void http_product_gtin_add(struct http_request *rq, struct http_reply *rp);
void http_customer_add(struct http_request *rq, struct http_reply *rp);
void http_location_add(struct http_request *rq, struct http_reply *rp);
void http_order_allocate(struct http_request *rq, struct http_reply *rp);
void http_order_allocate_all(struct http_request *rq, struct http_reply *rp);
void http_return_consignment_create(struct http_request *rq, struct http_reply *rp);
void http_pickup_import(struct http_request *rq, struct http_reply *rp);
void http_postcode_import(struct http_request *rq, struct http_reply *rp);
void http_workdays(struct http_request *rq, struct http_reply *rp);
void http_calendar(struct http_request *rq, struct http_reply *rp);

/* http_login_guard.c: check a login's password, throttled per user name and client address
 * ([http] login_*).  1: the check runs on a login worker and rp->suspend is set: return at
 * once, the handler is called again with the verdict.  0: v says how it ended: status 200
 * (v->role), 401 wrong, 429 throttled or locked out (v->retry_s, v->locked), 5xx; failures are
 * audited and logged already.  http_pw_refusal() makes the JSON error of a refusal. */
struct http_pw_verdict {
	int status;
	enum wms_role role;
	long retry_s;
	bool locked;
	char detail[200];
};
int  http_password_check(struct http_request *rq, struct http_reply *rp, const char *user,
                         const char *password, struct http_pw_verdict *v);
void http_pw_refusal(struct http_reply *rp, const struct http_pw_verdict *v);

/* http_pwpool.c: argon2id checks on worker threads (wms_password_matches); done(ctx, match)
 * runs on the loop's thread for every submitted check, also those http_pwpool_stop() waits for. */
struct loop;
typedef void (*http_pw_done_fn)(void *ctx, bool match);
int  http_pwpool_start(struct loop *loop, int threads, http_pw_done_fn done, struct wms_error *err);
int  http_pwpool_submit(const char *hash, const char *password, void *ctx);   /* 0, or -1 */
long http_pwpool_pending(void);
void http_pwpool_stop(void);

/* http_client.c: whether the peer is one of [http] trusted_proxies; the client's address
 * (OUT client, numeric: the peer's, or from a trusted proxy X-Forwarded-For's) and whether it is
 * loopback. */
bool http_peer_trusted(const struct http_conf *c, const struct sockaddr *sa);
bool http_client_address(const struct http_conf *c, struct MHD_Connection *conn,
                         char client[INET6_ADDRSTRLEN]);

/* http_conns.c: MHD's accept policy and connection notifier (see there); the phases a
 * connection goes through (busy: its request is complete; stream: an event stream; done: the
 * request ended), whether a request's connection is over max_connections, the streams open,
 * closing connections past request_timeout_s (how many), the rate-limited refusal log line. */
void http_conns_set_conf(const struct http_conf *c);
enum MHD_Result http_conns_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
void http_conns_notify(void *cls, struct MHD_Connection *mc, void **socket_context,
                       enum MHD_ConnectionNotificationCode toe);
void http_conns_busy(struct MHD_Connection *mc);
void http_conns_stream(struct MHD_Connection *mc);
void http_conns_done(struct MHD_Connection *mc);
bool http_conns_over_cap(struct MHD_Connection *mc);
long http_conns_streams(void);
int  http_conns_tick(void);
void http_conns_refused(const char *why, const char *who);
void http_conns_log_limited(const char *line);

/* http_turn.c: submit a checked ledger command w to the loop's commit step (http_turn_set):
 * 0 = queued, rp->suspend set, the reply (ok_status with the result, or the refusal) follows
 * after the turn's commit; 1 = no commit step or no connection: apply it yourself; -1 = a 503
 * reply is set.  http_write_result() is the reply body of an applied command. */
struct wms_cmd;
struct wms_cmd_result;
int http_write_submit(struct http_request *rq, struct http_reply *rp, const struct wms_cmd *w,
                      int ok_status);
json_t *http_write_result(const struct wms_cmd *w, const struct wms_cmd_result *res, const char *user);
void http_turn_drain(void);
/* An audit row committed with the loop's turn: 0, or 1 when there is no commit step (write it
 * yourself). */
int http_turn_audit(const char *actor, const char *action, int status);
/* A write route's handler fn run inside the loop turn's commit (its own savepoint; a reply of 400
 * or more rolls it back, a good one is audited), answered after the commit: 0 = queued,
 * rp->suspend set; 1 = no commit step: call fn yourself; -1 = a 503 reply is set.
 * http_turn_in_job(): such a handler runs now (the turn's transaction is open: no batch of
 * its own). */
int  http_turn_defer(struct http_request *rq, struct http_reply *rp, http_handler fn);
bool http_turn_in_job(void);
/* http_routes.c: the audit row of a POST that changed something (its status below 400). */
void http_audit_post(const struct http_request *rq, const struct http_reply *rp);

/* http_server.c: replies sent so far with status class c (1..5, "2xx" = 2).  http_wake(): a
 * suspended connection was resumed; MHD runs as soon as the loop's current turn is over (to send
 * its reply: libmicrohttpd in external-epoll mode does not wake the loop for a resume). */
long http_requests_answered(int c);
void http_wake(void);

/* Session cookie name */
#define HTTP_COOKIE "wms_session"

#endif
