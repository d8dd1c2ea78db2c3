/*
 * http_stub.h - a carrier's HTTP API played by libmicrohttpd inside the test
 * (header-only; the unit test and the integration's carrier_stub program
 * include it).  It records every request it receives (method, URL,
 * Authorization header, body) and answers from a queue of scripted replies
 * (status, body, delay), or, when the queue is empty, as a well-behaved
 * carrier: a booking gets 201 {"tracking_number": "TN" + the SSCC's serial
 * serial reference}, an order number starting with "ERR" gets 503, events and labels 200.
 * While the file down_path (when set) exists, every request gets 503: the
 * carrier is down.  The log line ends with the Idempotency-Key and the status.
 */
#ifndef HTTP_STUB_H
#define HTTP_STUB_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STUB_MAX_REPLIES 64
#define STUB_MAX_REQUESTS 64
#define STUB_BODY_MAX 4096

struct stub_reply {
	int status;
	const char *body;      /* static text */
	int delay_ms;
};

struct stub_request {
	char method[8];
	char url[256];
	char auth[256];
	char key[64];          /* Idempotency-Key */
	char body[STUB_BODY_MAX];
};

struct stub {
	struct MHD_Daemon *d;
	uint16_t port;
	pthread_mutex_t mu;
	struct stub_reply replies[STUB_MAX_REPLIES];
	int n_replies, next_reply;
	struct stub_request reqs[STUB_MAX_REQUESTS];
	int n_reqs;
	FILE *log;             /* optional: one line per request */
	const char *down_path; /* optional: while this file exists, answer 503 */
};

struct stub_upload {
	char body[STUB_BODY_MAX];
	size_t len;
};

static inline void stub_queue(struct stub *s, int status, const char *body, int delay_ms)
{
	pthread_mutex_lock(&s->mu);
	if (s->n_replies < STUB_MAX_REPLIES)
		s->replies[s->n_replies++] = (struct stub_reply){ status, body, delay_ms };
	pthread_mutex_unlock(&s->mu);
}

/* The default answer of a well-behaved carrier into buf. */
static inline int stub_default(const struct stub_request *r, char *buf, size_t size)
{
	const char *sscc = strstr(r->body, "\"sscc\":\"");
	const char *order = strstr(r->body, "\"order\":\"");

	if (strcmp(r->method, "POST") == 0) {
		if (order && strncmp(order + 9, "ERR", 3) == 0) {
			snprintf(buf, size, "{\"error\":\"booking service unavailable\"}");
			return 503;
		}
		if (sscc == NULL || strlen(sscc) < 8 + 18) {
			snprintf(buf, size, "{\"error\":\"sscc missing\"}");
			return 400;
		}
		snprintf(buf, size, "{\"tracking_number\":\"TN%.6s\"}", sscc + 8 + 11);
		return 201;
	}
	if (strcmp(r->method, "DELETE") == 0) {
		buf[0] = '\0';
		return 204;
	}
	if (strstr(r->url, "/label")) {
		snprintf(buf, size, "{\"format\":\"zpl\",\"data\":\"^XA^FDstub^FS^XZ\"}");
		return 200;
	}
	snprintf(buf, size, "{\"events\":[{\"event\":\"in_transit\",\"time\":\"2026-03-04T07:00:00Z\"}]}");
	return 200;
}

static enum MHD_Result stub_handler(void *cls, struct MHD_Connection *conn, const char *url,
                                    const char *method, const char *version,
                                    const char *upload, size_t *upload_size, void **con_cls)
{
	struct stub *s = cls;
	struct stub_upload *u = *con_cls;
	struct stub_request r;
	struct stub_reply reply = { 0 };
	struct MHD_Response *resp;
	char body[1024];
	const char *auth;
	enum MHD_Result ret;

	if (u == NULL) {
		if ((u = calloc(1, sizeof *u)) == NULL)
			return MHD_NO;
		*con_cls = u;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		if (u->len + n >= sizeof u->body)
			n = sizeof u->body - 1 - u->len;
		memcpy(u->body + u->len, upload, n);
		u->len += n;
		*upload_size = 0;
		return MHD_YES;
	}
	memset(&r, 0, sizeof r);
	snprintf(r.method, sizeof r.method, "%s", method);
	snprintf(r.url, sizeof r.url, "%s", url);
	auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	snprintf(r.auth, sizeof r.auth, "%s", auth ? auth : "");
	auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Idempotency-Key");
	snprintf(r.key, sizeof r.key, "%s", auth ? auth : "");
	memcpy(r.body, u->body, u->len);
	pthread_mutex_lock(&s->mu);
	if (s->n_reqs < STUB_MAX_REQUESTS)
		s->reqs[s->n_reqs++] = r;
	if (s->next_reply < s->n_replies)
		reply = s->replies[s->next_reply++];
	pthread_mutex_unlock(&s->mu);
	if (reply.status == 0 && s->down_path && access(s->down_path, F_OK) == 0) {
		reply.status = 503;
		reply.body = "{\"error\":\"carrier down for maintenance\"}";
	}
	if (reply.status == 0) {
		reply.status = stub_default(&r, body, sizeof body);
		reply.body = body;
	}
	if (s->log) {
		pthread_mutex_lock(&s->mu);
		fprintf(s->log, "%s %s auth=[%s] body=%s key=[%s] -> %d\n", r.method, r.url, r.auth,
		        r.body, r.key, reply.status);
		fflush(s->log);
		pthread_mutex_unlock(&s->mu);
	}
	if (reply.delay_ms)
		usleep((useconds_t)reply.delay_ms * 1000);
	resp = MHD_create_response_from_buffer(strlen(reply.body), (void *)reply.body,
	                                       MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(resp, "Content-Type", "application/json");
	ret = MHD_queue_response(conn, (unsigned)reply.status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void stub_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                           enum MHD_RequestTerminationCode toe)
{
	free(*con_cls);
	*con_cls = NULL;
}

/* Start on a free port of 127.0.0.1; 0 or -1. */
static inline int stub_start(struct stub *s)
{
	const union MHD_DaemonInfo *info;

	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->mu, NULL);
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
	                        MHD_USE_ERROR_LOG, 0, NULL, NULL, stub_handler, s,
	                        MHD_OPTION_NOTIFY_COMPLETED, stub_completed, s,
	                        MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
	if (s->d == NULL)
		return -1;
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	if (info == NULL)
		return -1;
	s->port = info->port;
	return 0;
}

static inline void stub_stop(struct stub *s)
{
	if (s->d)
		MHD_stop_daemon(s->d);
	s->d = NULL;
	pthread_mutex_destroy(&s->mu);
}

#endif
