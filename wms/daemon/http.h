/*
 * http.h - wmsd's HTTP API (/api/v1, /metrics): what main.c and conf.c see.
 *
 *   [http]
 *   listen = 127.0.0.1:8080   ; ADDRESS:PORT (IPv4, or [IPv6]:PORT); "off" = no API
 *   session_minutes = 480     ; browser sessions end this long after login
 *   max_body = 65536          ; larger request bodies get 413 and change nothing
 *   secure_cookie = no        ; yes behind a TLS reverse proxy (see wms/daemon/HTTP.md)
 *   sse_keepalive_s = 15      ; an idle station screen's event stream gets a
 *                             ; ": keep-alive" comment this often (proxies cut idle streams)
 *   login_workers = 2         ; threads checking passwords (argon2id) off the loop
 *   login_delay_after = 3     ; failed logins of one user name or address before waits start
 *   login_delay_ms = 1000     ; the first wait, doubled per further failure ...
 *   login_delay_max_s = 60    ; ... up to this
 *   login_lockout_after = 10  ; failures of one user name in a row: locked out
 *   login_address_lockout_after = 100   ; failures from one client address: locked out
 *   login_lockout_s = 900     ; how long a lockout lasts (also: failures are forgotten after)
 *   trusted_proxies = 127.0.0.1 ::1   ; peers whose X-Forwarded-For names the client
 *   max_connections = 128     ; API connections (streams apart); more get 503
 *   max_connections_per_address = 32  ; from one peer (not a trusted proxy); more are refused
 *   max_streams = 64          ; station screens' event streams; more get 503
 *   request_timeout_s = 10    ; headers and body must arrive within this (slowloris)
 *
 * The server is libmicrohttpd in external-epoll mode inside the daemon's
 * poll() loop: no threads.  MHD's one epoll fd is watched in the loop and a
 * loop timer follows MHD_get_timeout(); both run MHD_run().  Users, tokens
 * and sessions are in the store (wms_users.h); who may call what is one
 * table (http_routes.c).
 */
#ifndef WMSD_HTTP_H
#define WMSD_HTTP_H

#include <stdbool.h>

#include "wms_error.h"
#include "wms_store.h"

struct loop;
struct wmsd_conf;

#define HTTP_MAX_TRUSTED 16

struct http_conf {
	bool enabled;
	char addr[64];              /* numeric address to bind */
	int port;                   /* 0: any free port (tests; the log says which) */
	long session_minutes;
	long max_body;
	bool secure_cookie;
	int sse_keepalive_s;        /* 1..3600 */
	int login_workers;          /* 1..16 */
	long login_delay_after;     /* failures before waits start */
	long login_delay_ms;        /* the first wait */
	long login_delay_max_s;
	long login_lockout_after;   /* of one user name */
	long login_address_lockout_after;
	long login_lockout_s;
	int n_trusted;              /* trusted_proxies */
	struct http_net {
		int family;             /* AF_INET, AF_INET6 */
		unsigned char addr[16];
		int bits;               /* prefix length */
	} trusted[HTTP_MAX_TRUSTED];
	long max_connections;
	long max_connections_per_address;
	long max_streams;
	long request_timeout_s;
};

/* http_conf.c: defaults, and one key of [http] (conf.c's extra callback). */
void http_conf_defaults(struct http_conf *c);
int  http_conf_key(struct http_conf *c, const char *key, const char *value, struct wms_error *err);

struct http_server;   /* opaque */

/*
 * Listen as conf->http says and serve from loop.  conf, store and loop are
 * borrowed and must outlive the server; after a reload, hand the new conf
 * over with http_set_conf() before the old one is freed.  OUT *out (NULL
 * when [http] listen = off, or on failure).
 */
int  http_start(const struct wmsd_conf *conf, struct wms_store *store, struct loop *loop,
                struct http_server **out, struct wms_error *err);
void http_set_conf(struct http_server *h, const struct wmsd_conf *conf);
void http_stop(struct http_server *h);                             /* NULL-safe */
/* The loop's commit step (turn.h) that the API's ledger writes go through, group-committed
 * with the scans of the same turn (http_turn.c); without one they commit one by one.  Set it
 * before http_start; http_stop drains it first so that no request stays suspended. */
struct turn;
void http_turn_set(struct turn *t);

#endif
