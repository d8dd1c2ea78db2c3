/*
 * http_server.c - libmicrohttpd inside wmsd's poll() loop (see http.h).
 *
 * MHD runs in external-epoll mode: it owns one epoll fd, which the loop
 * watches for POLLIN, and tells how long it may wait (MHD_get_timeout),
 * which a loop timer follows; either one calls MHD_run(), which does all
 * the socket work without blocking and calls on_request() on this thread.
 * A request body is collected up to [http] max_body; a declared
 * Content-Length above it is answered with 413 before the body is read, a
 * chunked one is drained and then refused.  Nothing is written before the
 * whole request was checked (http_dispatch).  A login's password check runs
 * on a login worker (http_pwpool.c) while its connection is suspended; the
 * worker's answer resumes it and the handler runs again with the verdict.
 */
#include "http_impl.h"

#include "dash.h"

#include "log.h"
#include "loop.h"
#include "wmsd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IDLE_MS 1000     /* run MHD at least this often (connection timeouts) */
#define HEADROOM 64      /* connections beyond the caps that still get their 503 */

struct http_server {
	struct MHD_Daemon *mhd;
	const struct wmsd_conf *conf;    /* borrowed; http_set_conf() after a reload */
	struct wms_store *store;
	struct loop *loop;
	int epoll_fd;
	long long timer;
	bool woken;                      /* the timer is due now: http_wake() */
};

/* Per-request state (MHD's con_cls); freed in on_completed. */
struct body {
	char *data;
	size_t len, cap;
	bool too_big;
	struct http_pwcheck pw;         /* a login's password check while the request is suspended */
	struct http_later later;        /* a write's reply after the loop turn's commit */
	char client[INET6_ADDRSTRLEN];
};

static struct http_server *running;   /* the one server: the login workers' answers go to it */

static long answered[6];

long http_requests_answered(int c)
{
	return c >= 1 && c <= 5 ? answered[c] : 0;
}

/* The headers of every reply, and those a reply asks for. */
static void add_headers(struct MHD_Response *resp, const struct http_reply *rp)
{
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	if (rp->set_cookie[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, rp->set_cookie);
	if (rp->set_cookie2[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, rp->set_cookie2);
	if (rp->location[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, rp->location);
	if (rp->disposition)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, rp->disposition);
	if (rp->retry_after > 0) {
		char v[24];
		snprintf(v, sizeof v, "%ld", rp->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, v);
	}
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, struct http_reply *rp)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	const char *ctype = "application/json; charset=utf-8";
	char *text = rp->text;
	bool json = rp->json != NULL;
	size_t len;

	if (rp->stream) {                 /* dash_station.c's event stream: its own Content-Type */
		resp = rp->stream;
		rp->stream = NULL;
		free(rp->text);
		rp->text = NULL;
		json_decref(rp->json);
		rp->json = NULL;
		add_headers(resp, rp);
		ret = MHD_queue_response(conn, (unsigned)rp->status, resp);
		MHD_destroy_response(resp);
		answered[2]++;
		http_conns_stream(conn);      /* counted apart from the API's connections */
		return ret;
	}
	if (rp->json) {
		text = json_dumps(rp->json, JSON_INDENT(1));
		free(rp->text);
		json_decref(rp->json);
		rp->json = NULL;
		if (text == NULL) {
			rp->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
			text = strdup("{\"error\": \"internal error\", \"detail\": \"out of memory\", \"allowed\": null}");
		}
	} else {
		ctype = rp->ctype ? rp->ctype : "text/plain; version=0.0.4; charset=utf-8";
	}
	rp->text = NULL;
	if (text == NULL)
		return MHD_NO;
	len = strlen(text);
	if (json)
		text[len++] = '\n';   /* json_dumps leaves room: replace the NUL, length is explicit */
	resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (rp->close)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	add_headers(resp, rp);
	ret = MHD_queue_response(conn, (unsigned)rp->status, resp);
	MHD_destroy_response(resp);
	if (rp->status >= 100 && rp->status < 600)
		answered[rp->status / 100]++;
	return ret;
}

static enum MHD_Result too_big(struct MHD_Connection *conn, long max)
{
	struct http_reply rp = { 0 };
	char detail[96];

	snprintf(detail, sizeof detail, "request body larger than %ld bytes", max);
	http_error(&rp, MHD_HTTP_CONTENT_TOO_LARGE, "payload too large", detail, "a smaller body");
	return send_reply(conn, &rp);
}

/* A request over [http] max_connections: 503, and the connection closes. */
static enum MHD_Result over_cap(struct MHD_Connection *conn, long max)
{
	struct http_reply rp = { .retry_after = 1, .close = true };
	char detail[128];

	snprintf(detail, sizeof detail, "more than %ld connections are open ([http] max_connections)", max);
	http_error(&rp, MHD_HTTP_SERVICE_UNAVAILABLE, "service unavailable", detail, "a try after Retry-After seconds");
	http_conns_refused("max_connections reached: 503", "any address");
	return send_reply(conn, &rp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	struct http_server *h = cls;
	struct body *b = *con_cls;
	long max = h->conf->http.max_body;
	struct http_request rq = { 0 };
	struct http_reply rp = { 0 };
	enum MHD_Result ret;

	if (b == NULL) {
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
		if ((b = calloc(1, sizeof *b)) == NULL)
			return MHD_NO;
		b->pw.conn = conn;
		b->later.conn = conn;
		*con_cls = b;
		if (http_conns_over_cap(conn))
			return over_cap(conn, h->conf->http.max_connections);
		if (cl && strtoull(cl, NULL, 10) > (unsigned long long)max)
			return too_big(conn, max);   /* before reading it; MHD closes the connection */
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (b->too_big || b->len + n > (size_t)max) {
			b->too_big = true;           /* drain the rest, refuse at the end */
			return MHD_YES;
		}
		if (b->len + n + 1 > b->cap) {
			size_t cap = b->len + n + 1 > 4096 ? (size_t)max + 1 : 4096;
			char *p = realloc(b->data, cap);
			if (p == NULL)
				return MHD_NO;
			b->data = p;
			b->cap = cap;
		}
		memcpy(b->data + b->len, upload_data, n);
		b->len += n;
		b->data[b->len] = '\0';
		return MHD_YES;
	}
	http_conns_busy(conn);             /* complete: no request deadline while it is answered */
	if (b->later.state == HTTP_LATER_DONE) {   /* committed with the loop's turn: send it */
		rp = b->later.reply;
		b->later = (struct http_later){ .conn = conn };
		if (rp.status >= 500)
			wmsd_log_warn("http: %s %s: %d", method, url, rp.status);
		return send_reply(conn, &rp);
	}
	if (b->too_big)
		return too_big(conn, max);
	rq = (struct http_request){
		.conn = conn, .conf = h->conf, .store = h->store, .method = method, .path = url,
		.body = b->data ? b->data : "", .body_len = b->len, .client = b->client, .pw = &b->pw,
		.later = &b->later,
	};
	rq.from_loopback = http_client_address(&h->conf->http, conn, b->client);
	http_dispatch(&rq, &rp);
	json_decref(rq.json);
	if (rp.suspend) {                  /* a login worker, or the turn's commit: come back then */
		json_decref(rp.json);
		free(rp.text);
		MHD_suspend_connection(conn);
		return MHD_YES;
	}
	if (rp.json == NULL && rp.text == NULL && rp.stream == NULL)
		http_error(&rp, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error", "no reply", NULL);
	if (rp.status >= 500)
		wmsd_log_warn("http: %s %s: %d", method, url, rp.status);
	ret = send_reply(conn, &rp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct body *b = *con_cls;

	http_conns_done(conn);             /* the next request's deadline starts now */
	if (b) {
		free(b->data);
		free(b);
		*con_cls = NULL;
	}
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[256];

	vsnprintf(buf, sizeof buf, fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	/* a flood (connections over the limit, cut slowloris clients) must not flood the log */
	if (strstr(buf, "onnection limit"))
		http_conns_refused(buf, "libmicrohttpd");
	else
		http_conns_log_limited(buf);
}

/* How long MHD may sleep, capped at IDLE_MS. */
static long next_ms(struct http_server *h)
{
	MHD_UNSIGNED_LONG_LONG t;

	if (MHD_get_timeout(h->mhd, &t) == MHD_YES && t < IDLE_MS)
		return (long)t;
	return IDLE_MS;
}

static long on_timer(struct loop *l, long long id, void *ctx)
{
	struct http_server *h = ctx;

	h->woken = false;
	dash_station_keepalive(h->conf->http.sse_keepalive_s);
	http_conns_tick();                /* slowloris: past request_timeout_s, closed */
	MHD_run(h->mhd);
	return next_ms(h);
}

static void on_ready(struct loop *l, int fd, short revents, void *ctx)
{
	struct http_server *h = ctx;

	dash_station_keepalive(h->conf->http.sse_keepalive_s);
	http_conns_tick();                /* here too: trickling clients keep pushing the timer back */
	MHD_run(h->mhd);
	/* MHD may have more to do at once (its epoll is edge-triggered): follow its timeout */
	loop_del_timer(l, h->timer);
	h->woken = false;
	h->timer = loop_add_timer(l, next_ms(h), on_timer, h, NULL);
	if (h->timer < 0)
		wmsd_log_err("http: no loop timer left");
}

void http_wake(void)
{
	struct http_server *h = running;

	if (h == NULL || h->woken)
		return;
	loop_del_timer(h->loop, h->timer);
	h->timer = loop_add_timer(h->loop, 0, on_timer, h, NULL);
	if (h->timer < 0)
		wmsd_log_err("http: no loop timer left");
	else
		h->woken = true;
}

/* A login worker's verdict (on the loop's thread): the request goes on where it stopped. */
static void on_password_checked(void *ctx, bool match)
{
	struct http_pwcheck *pw = ctx;

	pw->match = match;
	pw->state = HTTP_PW_DONE;
	MHD_resume_connection(pw->conn);
	if (running)
		on_ready(running->loop, running->epoll_fd, POLLIN, running);
}

int http_start(const struct wmsd_conf *conf, struct wms_store *store, struct loop *loop,
               struct http_server **out, struct wms_error *err)
{
	const struct http_conf *hc = &conf->http;
	struct sockaddr_storage ss = { 0 };
	struct http_server *h = NULL;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;   /* SSE: dash.h */
	int rc = 0;

	*out = NULL;
	if (!hc->enabled)
		return 0;
	if (inet_pton(AF_INET, hc->addr, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)hc->port);
	} else if (inet_pton(AF_INET6, hc->addr, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)hc->port);
		flags |= MHD_USE_IPv6;
	} else {
		return wms_error_set(err, WMS_ECONFIG, "http: bad listen address %s", hc->addr);
	}
	if ((h = calloc(1, sizeof *h)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory starting the HTTP API");
	*h = (struct http_server){ .conf = conf, .store = store, .loop = loop, .epoll_fd = -1 };
	http_conns_set_conf(hc);
	/* no per-address limit of MHD's: http_conns_accept() has one that spares trusted proxies */
	h->mhd = MHD_start_daemon(flags, (uint16_t)hc->port, http_conns_accept, NULL, on_request, h,
	                          MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
	                          MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	                          MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
	                          MHD_OPTION_NOTIFY_CONNECTION, http_conns_notify, NULL,
	                          /* room above the two caps to answer 503 rather than reset */
	                          MHD_OPTION_CONNECTION_LIMIT,
	                          (unsigned)(hc->max_connections + hc->max_streams + HEADROOM),
	                          MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	                          MHD_OPTION_END);
	if (h->mhd == NULL) {
		rc = wms_error_set(err, WMS_EIO, "http: cannot listen on %s:%d (in use, or not an address "
		                   "of this host?)", hc->addr, hc->port);
		goto out;
	}
	if ((info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD)) == NULL) {
		rc = wms_error_set(err, WMS_EIO, "http: libmicrohttpd gave no epoll fd");
		goto out;
	}
	h->epoll_fd = info->epoll_fd;
	if ((rc = http_pwpool_start(loop, hc->login_workers, on_password_checked, err)) < 0)
		goto out;
	if ((rc = loop_add_fd(loop, h->epoll_fd, POLLIN, on_ready, h, err)) < 0) {
		http_pwpool_stop();
		goto out;
	}
	if ((h->timer = loop_add_timer(loop, 0, on_timer, h, err)) < 0) {
		rc = (int)h->timer;
		loop_del_fd(loop, h->epoll_fd);
		http_pwpool_stop();
		goto out;
	}
	running = h;
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
	wmsd_log_info("http: listening on %s%s%s:%u", ss.ss_family == AF_INET6 ? "[" : "", hc->addr,
	              ss.ss_family == AF_INET6 ? "]" : "", info ? (unsigned)info->port : (unsigned)hc->port);
out:
	if (rc < 0) {
		if (h->mhd)
			MHD_stop_daemon(h->mhd);
		free(h);
		return rc;
	}
	*out = h;
	return 0;
}

void http_set_conf(struct http_server *h, const struct wmsd_conf *conf)
{
	if (h == NULL)
		return;
	if (strcmp(conf->http.addr, h->conf->http.addr) != 0 || conf->http.port != h->conf->http.port ||
	    conf->http.enabled != h->conf->http.enabled)
		wmsd_log_warn("reload: [http] listen changed; restart wmsd to listen there");
	h->conf = conf;
	http_conns_set_conf(&conf->http);
}

void http_stop(struct http_server *h)
{
	if (h == NULL)
		return;
	loop_del_fd(h->loop, h->epoll_fd);
	loop_del_timer(h->loop, h->timer);
	dash_station_stop();              /* no connection may stay suspended */
	http_pwpool_stop();               /* the logins being checked get their answers */
	http_turn_drain();                /* so do the writes waiting for their commit */
	MHD_run(h->mhd);
	running = NULL;
	MHD_stop_daemon(h->mhd);
	http_conns_set_conf(NULL);
	free(h);
}
