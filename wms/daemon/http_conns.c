/*
 * http_conns.c - the HTTP server's connections, counted and timed, so that
 * idle, trickling (slowloris) or streaming clients cannot take the API away:
 *
 *   - every connection is in a list from accept to close with its phase:
 *     WAIT (its request's headers and body are still arriving, or it is an
 *     idle keep-alive between requests), BUSY (the request is complete and
 *     being answered: a login waiting for its worker too) or STREAM (a
 *     station screen's event stream);
 *   - a WAIT connection gets [http] request_timeout_s from its start or the
 *     end of its previous request; past it, it is shut down, however slowly
 *     it keeps trickling (MHD's own timeout only notices silence); one that
 *     never had a request answered is sent "408 Request Timeout" first;
 *   - at accept, a peer that is not a trusted proxy may hold at most
 *     max_connections_per_address connections; more are refused;
 *   - streams are counted apart (max_streams, dash_station.c answers 503
 *     beyond it); the other connections are held to max_connections: a
 *     request arriving over it is answered 503 with Retry-After and the
 *     connection closed, not reset;
 *   - refused connections are logged at most once per 10 s, with a count;
 *     so are libmicrohttpd's own messages (one per cut connection).
 *
 * All on the loop's thread (MHD runs there).
 */
#include "http_impl.h"

#include "log.h"
#include "loop.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define REFUSED_LOG_MS 10000
#define TICK_MS 200                /* deadlines are checked at most this often */

enum phase { WAIT, BUSY, STREAM };

struct conn {
	struct conn *prev, *next;
	struct MHD_Connection *mc;
	int fd;
	struct sockaddr_storage peer;
	enum phase phase;
	bool served;                    /* a request was answered: now an idle keep-alive */
	long long since_ms;             /* WAIT: when the current request's clock started */
};

static struct conn *conns;
static long n_conns, n_streams;
static const struct http_conf *conf;   /* borrowed; http_conns_set_conf() */
static long refused_count;
static long long refused_logged_ms = -REFUSED_LOG_MS;

void http_conns_set_conf(const struct http_conf *c)
{
	conf = c;
}

long http_conns_streams(void)
{
	return n_streams;
}

void http_conns_refused(const char *why, const char *who)
{
	long long now = loop_now_ms();

	refused_count++;
	if (now - refused_logged_ms < REFUSED_LOG_MS)
		return;
	wmsd_log_warn("http: %ld connection(s) refused since the last such line; latest: %s (%s)",
	              refused_count, why, who);
	refused_count = 0;
	refused_logged_ms = now;
}

void http_conns_log_limited(const char *line)
{
	static long suppressed;
	static long long logged_ms = -REFUSED_LOG_MS;
	long long now = loop_now_ms();

	if (now - logged_ms < REFUSED_LOG_MS) {
		suppressed++;
		return;
	}
	if (suppressed)
		wmsd_log_warn("http: %s (and %ld more such lines left out)", line, suppressed);
	else
		wmsd_log_warn("http: %s", line);
	suppressed = 0;
	logged_ms = now;
}

static bool same_peer(const struct sockaddr_storage *a, const struct sockaddr *b)
{
	if (a->ss_family != b->sa_family)
		return false;
	if (b->sa_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (b->sa_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		              &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
	return false;
}

enum MHD_Result http_conns_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	char who[INET6_ADDRSTRLEN] = "?";
	long same = 0;

	(void)cls, (void)addrlen;
	if (conf == NULL || addr == NULL || http_peer_trusted(conf, addr))
		return MHD_YES;
	for (struct conn *c = conns; c; c = c->next)
		if (same_peer(&c->peer, addr))
			same++;
	if (same < conf->max_connections_per_address)
		return MHD_YES;
	if (addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)addr)->sin_addr, who, sizeof who);
	else if (addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)addr)->sin6_addr, who, sizeof who);
	http_conns_refused("max_connections_per_address reached", who);
	return MHD_NO;
}

static struct conn *of(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

void http_conns_notify(void *cls, struct MHD_Connection *mc, void **socket_context,
                       enum MHD_ConnectionNotificationCode toe)
{
	struct conn *c = *socket_context;

	(void)cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *ad = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if ((c = calloc(1, sizeof *c)) == NULL)
			return;               /* not counted, not timed: MHD's own timeout still applies */
		c->mc = mc;
		c->fd = fd ? fd->connect_fd : -1;
		if (ad && ad->client_addr)
			memcpy(&c->peer, ad->client_addr, ad->client_addr->sa_family == AF_INET6 ?
			       sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
		c->since_ms = loop_now_ms();
		c->next = conns;
		if (conns)
			conns->prev = c;
		conns = c;
		n_conns++;
		*socket_context = c;
		return;
	}
	if (c == NULL)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	n_conns--;
	if (c->phase == STREAM)
		n_streams--;
	free(c);
	*socket_context = NULL;
}

bool http_conns_over_cap(struct MHD_Connection *mc)
{
	struct conn *c = of(mc);

	return conf && c && c->phase != STREAM && n_conns - n_streams > conf->max_connections;
}

static void set_phase(struct MHD_Connection *mc, enum phase p)
{
	struct conn *c = of(mc);

	if (c == NULL || c->phase == p)
		return;
	if (c->phase == STREAM)
		n_streams--;
	if (p == STREAM)
		n_streams++;
	c->phase = p;
	c->since_ms = loop_now_ms();
}

void http_conns_busy(struct MHD_Connection *mc)
{
	set_phase(mc, BUSY);
}

void http_conns_stream(struct MHD_Connection *mc)
{
	set_phase(mc, STREAM);
}

void http_conns_done(struct MHD_Connection *mc)
{
	struct conn *c = of(mc);

	set_phase(mc, WAIT);
	if (c)
		c->served = true;
}

int http_conns_tick(void)
{
#define TIMEOUT_TEXT "request not complete within [http] request_timeout_s\n"
	static const char timeout[] = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
		"Content-Type: text/plain; charset=utf-8\r\nContent-Length: 53\r\n\r\n" TIMEOUT_TEXT;
	_Static_assert(sizeof TIMEOUT_TEXT - 1 == 53, "Content-Length of the 408 text");
	static long long last_ms;
	long long now = loop_now_ms();
	int cut = 0;

	if (conf == NULL || now - last_ms < TICK_MS)
		return 0;
	last_ms = now;
	for (struct conn *c = conns; c; c = c->next) {
		if (c->phase != WAIT || c->fd < 0 || now - c->since_ms < conf->request_timeout_s * 1000)
			continue;
		/* a new connection has no reply on it yet: the 408 is the first byte it gets.  An idle
		 * keep-alive is closed without a word, as servers do: a request the client sends at the
		 * same moment must not read our 408 as its answer (it retries on a new connection) */
		if (!c->served && send(c->fd, timeout, sizeof timeout - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
			/* full or gone: shut it down all the same */
		}
		shutdown(c->fd, SHUT_RDWR);
		c->fd = -1;                   /* MHD sees the end and closes it (NOTIFY_CLOSED) */
		cut++;
	}
	return cut;
}
