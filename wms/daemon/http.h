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

struct http_conf {
	bool enabled;
	char addr[64];              /* numeric address to bind */
	int port;                   /* 0: any free port (tests; the log says which) */
	long session_minutes;
	long max_body;
	bool secure_cookie;
	int sse_keepalive_s;        /* 1..3600 */
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

#endif
