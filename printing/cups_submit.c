/*
 * cups_submit.c - CUPS submission and job tracking over one http_t (libcups).
 *
 * A job is Create-Job followed by one Send-Document (cupsSendRequest,
 * cupsWriteRequestData, cupsGetResponse), so the job id is known before any
 * data moves and a failed upload can be cancelled (Cancel-Job) instead of
 * leaving a half job behind.  Job state and the queue list are plain IPP
 * requests (Get-Job-Attributes, Get-Printer-Attributes, Get-Jobs,
 * CUPS-Get-Printers) through cupsDoRequest.  Every socket wait on the
 * connection is bounded by httpSetTimeout with a callback that gives up.
 *
 * Every request is built here, with its printer-uri / job-uri naming the
 * connection's own host and port.  libcups's convenience calls
 * (cupsCreateJob, cupsStartDocument, cupsCancelJob2) are not used.
 * cupsCreateJob goes through cupsGetNamedDest and cupsCopyDestInfo, and the
 * latter (libcups 2.4) takes a connection whose host:port is not the default
 * server (cupsServer()/ippPort(), i.e. CUPS_SERVER or client.conf) for a
 * connection to the printer itself and aims Create-Job at the queue's
 * device-uri, so a `server = host:port` other than the default one failed
 * with "queue does not exist" (issue 4); the others put the default port
 * into their URIs.
 *
 * libcups keeps its last error per thread; we read it right after the call
 * that failed and format it once into the caller's wms_error.
 */
#include "cups_submit.h"

#include <cups/cups.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct printq_conn {
	http_t *http;
	int timeout_ms;
	char server[272];   /* "[host]:port" or "/socket" (host: 255 bytes at most), for messages */
	char host[256];     /* host for request URIs ("localhost" for a domain socket) */
	int port;           /* port for request URIs (0 for a domain socket) */
};

const char *printq_job_state_name(enum printq_job_state s)
{
	switch (s) {
	case PRINTQ_JOB_PENDING:    return "pending";
	case PRINTQ_JOB_HELD:       return "held";
	case PRINTQ_JOB_PROCESSING: return "processing";
	case PRINTQ_JOB_STOPPED:    return "stopped";
	case PRINTQ_JOB_CANCELED:   return "canceled";
	case PRINTQ_JOB_ABORTED:    return "aborted";
	case PRINTQ_JOB_COMPLETED:  return "completed";
	}
	return "unknown";
}

const char *printq_printer_state_name(enum printq_printer_state s)
{
	switch (s) {
	case PRINTQ_PRINTER_IDLE:       return "idle";
	case PRINTQ_PRINTER_PROCESSING: return "processing";
	case PRINTQ_PRINTER_STOPPED:    return "stopped";
	}
	return "unknown";
}

int printq_job_state_is_final(enum printq_job_state s)
{
	return s == PRINTQ_JOB_CANCELED || s == PRINTQ_JOB_ABORTED || s == PRINTQ_JOB_COMPLETED;
}

/* httpSetTimeout callback: once the timeout has passed, stop waiting. */
static int give_up(http_t *http, void *user_data)
{
	(void)http;
	(void)user_data;
	return 0;
}

/* Split "host", "host:port", "[v6]:port" or "/path" into host and port. */
static int parse_server(const char *server, char *host, size_t hostlen, int *port,
			struct wms_error *err)
{
	const char *colon = NULL, *h = server;
	size_t n;

	if (server[0] == '/') {
		if (strlen(server) >= hostlen)
			return wms_error_set(err, WMS_EINVAL, "CUPS socket path too long: %s", server);
		strcpy(host, server);
		*port = 0;
		return 0;
	}
	if (server[0] == '[') {
		const char *close = strchr(server, ']');

		if (close == NULL)
			return wms_error_set(err, WMS_EINVAL, "bad CUPS server '%s': missing ']'", server);
		h = server + 1;
		n = (size_t)(close - h);
		if (close[1] == ':')
			colon = close + 1;
		else if (close[1] != '\0')
			return wms_error_set(err, WMS_EINVAL, "bad CUPS server '%s'", server);
	} else {
		colon = strrchr(server, ':');
		n = colon != NULL ? (size_t)(colon - server) : strlen(server);
	}
	if (n == 0 || n >= hostlen)
		return wms_error_set(err, WMS_EINVAL, "bad CUPS server '%s': bad host", server);
	memcpy(host, h, n);
	host[n] = '\0';
	*port = 631;
	if (colon != NULL) {
		char *end;
		long p;

		errno = 0;
		p = strtol(colon + 1, &end, 10);
		if (errno != 0 || end == colon + 1 || *end != '\0' || p < 1 || p > 65535)
			return wms_error_set(err, WMS_EINVAL,
					     "bad CUPS server '%s': port must be 1..65535", server);
		*port = (int)p;
	}
	return 0;
}

int printq_connect(const char *server, int timeout_ms, struct printq_conn **out,
		   struct wms_error *err)
{
	struct printq_conn *c = NULL;
	char host[256];
	int port, rc;

	*out = NULL;
	if (timeout_ms <= 0)
		timeout_ms = PRINTQ_DEFAULT_TIMEOUT_MS;
	if (server == NULL || server[0] == '\0') {
		/* cupsServer() has already split CUPS_SERVER's ":port" into ippPort(). */
		const char *def = cupsServer();

		if (strlen(def) >= sizeof host) {
			rc = wms_error_set(err, WMS_EINVAL, "CUPS server name too long: %s", def);
			goto out;
		}
		strcpy(host, def);
		port = host[0] == '/' ? 0 : ippPort();
	} else {
		rc = parse_server(server, host, sizeof host, &port, err);
		if (rc < 0)
			goto out;
	}
	c = calloc(1, sizeof *c);
	if (c == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	c->timeout_ms = timeout_ms;
	snprintf(c->host, sizeof c->host, "%s", host[0] == '/' ? "localhost" : host);
	c->port = port;
	if (host[0] == '/')
		snprintf(c->server, sizeof c->server, "%s", host);
	else if (strchr(host, ':') != NULL)
		snprintf(c->server, sizeof c->server, "[%s]:%d", host, port);
	else
		snprintf(c->server, sizeof c->server, "%s:%d", host, port);

	/* Probe first: httpConnect2's own failure leaves errno clobbered by its
	 * cleanup, and "connection refused" is the message an operator needs. */
	if (host[0] != '/') {
		char portstr[16];
		http_addrlist_t *addrs;
		int sock = -1;

		snprintf(portstr, sizeof portstr, "%d", port);
		addrs = httpAddrGetList(host, AF_UNSPEC, portstr);
		if (addrs == NULL) {
			rc = wms_error_set(err, WMS_EIO, "cannot reach CUPS server %s: unknown host",
					   c->server);
			goto out;
		}
		errno = 0;
		if (httpAddrConnect2(addrs, &sock, timeout_ms, NULL) == NULL) {
			int e = errno;

			httpAddrFreeList(addrs);
			rc = wms_error_set(err, WMS_EIO,
					   "cannot reach CUPS server %s: %s (connect timeout %d ms)",
					   c->server, e != 0 ? strerror(e) : "no answer", timeout_ms);
			goto out;
		}
		close(sock);
		httpAddrFreeList(addrs);
	}
	c->http = httpConnect2(host, port, NULL, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1,
			       timeout_ms, NULL);
	if (c->http == NULL) {
		rc = wms_error_set(err, WMS_EIO, "cannot reach CUPS server %s: %s", c->server,
				   cupsLastErrorString());
		goto out;
	}
	httpSetTimeout(c->http, timeout_ms / 1000.0, give_up, NULL);
	*out = c;
	c = NULL;
	rc = 0;
out:
	printq_close(c);
	return rc;
}

void printq_close(struct printq_conn *c)
{
	if (c == NULL)
		return;
	if (c->http != NULL)
		httpClose(c->http);
	free(c);
}

const char *printq_server(const struct printq_conn *c)
{
	return c->server;
}

/* "ipp://HOST:PORT/printers/QUEUE" of this connection's server into uri (HTTP_MAX_URI). */
static void printer_uri(const struct printq_conn *c, const char *queue, char *uri, size_t size)
{
	httpAssembleURIf(HTTP_URI_CODING_ALL, uri, (int)size, "ipp", NULL, c->host, c->port,
			 "/printers/%s", queue);
}

/* "ipp://HOST:PORT/jobs/ID" of this connection's server into uri (HTTP_MAX_URI). */
static void job_uri(const struct printq_conn *c, int job_id, char *uri, size_t size)
{
	httpAssembleURIf(HTTP_URI_CODING_ALL, uri, (int)size, "ipp", NULL, c->host, c->port,
			 "/jobs/%d", job_id);
}

/* Printer names: 1..127 printable characters, no space, '/', '#' (CUPS rules). */
static int check_queue(const char *queue, struct wms_error *err)
{
	size_t i, n = queue != NULL ? strlen(queue) : 0;

	if (n == 0 || n > 127)
		return wms_error_set(err, WMS_EINVAL, "bad queue name '%s'", queue ? queue : "");
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)queue[i];

		if (ch <= ' ' || ch == 127 || ch == '/' || ch == '#' || ch == '\\' || ch == '\'' ||
		    ch == '"')
			return wms_error_set(err, WMS_EINVAL,
					     "bad queue name '%s': no blanks, '/', '#' or quotes",
					     queue);
	}
	return 0;
}

/*
 * Turn CUPS's last error (after a failed request about queue) into one of
 * ours; `what` says what we were doing ("submitting to", "querying").
 */
static int cups_failure(const struct printq_conn *c, const char *what, const char *queue,
			struct wms_error *err)
{
	ipp_status_t st = cupsLastError();
	const char *msg = cupsLastErrorString();

	if (msg == NULL || msg[0] == '\0')
		msg = ippErrorString(st);
	/* A request to /printers/<name> that does not exist fails at the HTTP
	 * level (404) and libcups reports it as an internal error with errno's
	 * text; say what happened instead. */
	if (st != IPP_STATUS_ERROR_NOT_FOUND && httpGetStatus(c->http) == HTTP_STATUS_NOT_FOUND) {
		st = IPP_STATUS_ERROR_NOT_FOUND;
		msg = httpStatus(HTTP_STATUS_NOT_FOUND);
	}
	switch (st) {
	case IPP_STATUS_ERROR_NOT_FOUND:
		return wms_error_set(err, WMS_ENOTFOUND,
				     "queue '%s' does not exist on CUPS server %s (CUPS: %s)",
				     queue, c->server, msg);
	case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
		return wms_error_set(err, WMS_ESTATE,
				     "queue '%s' on CUPS server %s is not accepting jobs (CUPS: %s)",
				     queue, c->server, msg);
	case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE:
	case IPP_STATUS_ERROR_INTERNAL:
		/* Transport failures: the connection's errno says more than CUPS's text. */
		if (httpError(c->http) != 0)
			msg = strerror(httpError(c->http));
		return wms_error_set(err, WMS_EIO,
				     "%s queue '%s': CUPS server %s unreachable or failing (%s)",
				     what, queue, c->server, msg);
	default:
		return wms_error_set(err, WMS_EIO, "%s queue '%s' on CUPS server %s failed (CUPS: %s)",
				     what, queue, c->server, msg);
	}
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src != NULL ? src : "");
}

/* Fill p from the printer attributes from attr to the end of its group; returns
 * the first attribute after them. */
static ipp_attribute_t *read_printer(ipp_t *resp, ipp_attribute_t *attr, struct printq_printer *p)
{
	memset(p, 0, sizeof *p);
	for (; attr != NULL && ippGetGroupTag(attr) == IPP_TAG_PRINTER;
	     attr = ippNextAttribute(resp)) {
		const char *name = ippGetName(attr);

		if (name == NULL)
			break;
		if (strcmp(name, "printer-name") == 0)
			copy_str(p->name, sizeof p->name, ippGetString(attr, 0, NULL));
		else if (strcmp(name, "printer-state") == 0)
			p->state = (enum printq_printer_state)ippGetInteger(attr, 0);
		else if (strcmp(name, "printer-is-accepting-jobs") == 0)
			p->accepting = ippGetBoolean(attr, 0);
		else if (strcmp(name, "printer-state-message") == 0)
			copy_str(p->message, sizeof p->message, ippGetString(attr, 0, NULL));
		else if (strcmp(name, "device-uri") == 0)
			copy_str(p->device_uri, sizeof p->device_uri, ippGetString(attr, 0, NULL));
	}
	return attr;
}

static const char *const printer_attrs[] = {
	"printer-name", "printer-state", "printer-is-accepting-jobs", "printer-state-message",
	"device-uri",
};

int printq_printer_query(struct printq_conn *c, const char *queue, struct printq_printer *p,
			 struct wms_error *err)
{
	ipp_t *req, *resp = NULL;
	ipp_attribute_t *attr;
	char uri[HTTP_MAX_URI];
	int rc;

	memset(p, 0, sizeof *p);
	rc = check_queue(queue, err);
	if (rc < 0)
		goto out;
	printer_uri(c, queue, uri, sizeof uri);
	req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      (int)(sizeof printer_attrs / sizeof printer_attrs[0]), NULL, printer_attrs);
	resp = cupsDoRequest(c->http, req, "/");   /* frees req */
	if (resp == NULL || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
		rc = cups_failure(c, "querying", queue, err);
		goto out;
	}
	/* The first group is the operation group; skip to the printer group. */
	attr = ippFirstAttribute(resp);
	while (attr != NULL && ippGetGroupTag(attr) != IPP_TAG_PRINTER)
		attr = ippNextAttribute(resp);
	read_printer(resp, attr, p);
	if (p->name[0] == '\0')
		copy_str(p->name, sizeof p->name, queue);
	rc = 0;
out:
	ippDelete(resp);
	return rc;
}

int printq_list_printers(struct printq_conn *c, struct printq_printer **out, size_t *count,
			 struct wms_error *err)
{
	struct printq_printer *list = NULL;
	size_t n = 0, cap = 0;
	ipp_t *req, *resp = NULL;
	ipp_attribute_t *attr;
	int rc;

	*out = NULL;
	*count = 0;
	req = ippNewRequest(IPP_OP_CUPS_GET_PRINTERS);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      (int)(sizeof printer_attrs / sizeof printer_attrs[0]), NULL, printer_attrs);
	resp = cupsDoRequest(c->http, req, "/");
	if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) {
		rc = 0;   /* CUPS answers "not found" when there are no queues */
		goto out;
	}
	if (resp == NULL || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
		rc = wms_error_set(err, WMS_EIO, "listing the queues of CUPS server %s failed (CUPS: %s)",
				   c->server, cupsLastErrorString());
		goto out;
	}
	attr = ippFirstAttribute(resp);
	while (attr != NULL) {
		struct printq_printer p;

		while (attr != NULL && ippGetGroupTag(attr) != IPP_TAG_PRINTER)
			attr = ippNextAttribute(resp);
		if (attr == NULL)
			break;
		attr = read_printer(resp, attr, &p);
		if (attr != NULL && ippGetName(attr) == NULL)
			attr = ippNextAttribute(resp);   /* group separator */
		if (p.name[0] == '\0')
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct printq_printer *grown = realloc(list, ncap * sizeof *list);

			if (grown == NULL) {
				rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
				goto out;
			}
			list = grown;
			cap = ncap;
		}
		list[n++] = p;
	}
	*out = list;
	*count = n;
	list = NULL;
	rc = 0;
out:
	free(list);
	ippDelete(resp);
	return rc;
}

static const char *format_mime(enum printq_format fmt)
{
	switch (fmt) {
	case PRINTQ_RAW: return CUPS_FORMAT_RAW;
	case PRINTQ_PDF: return CUPS_FORMAT_PDF;
	case PRINTQ_PNG: return "image/png";
	}
	return NULL;
}

/* Create-Job on queue (printer-uri uri, posted to resource): *id (OUT) the new job's id. */
static int create_job(struct printq_conn *c, const char *queue, const char *uri,
		      const char *resource, const char *title, int *id, struct wms_error *err)
{
	ipp_t *req, *resp = NULL;
	ipp_attribute_t *attr;
	int rc;

	*id = 0;
	req = ippNewRequest(IPP_OP_CREATE_JOB);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", NULL, title);
	resp = cupsDoRequest(c->http, req, resource);   /* frees req */
	if (resp == NULL || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
		rc = cups_failure(c, "submitting to", queue, err);
		goto out;
	}
	attr = ippFindAttribute(resp, "job-id", IPP_TAG_INTEGER);
	if (attr == NULL || ippGetInteger(attr, 0) <= 0) {
		rc = wms_error_set(err, WMS_EIO, "CUPS server %s sent no job id for queue '%s'",
				   c->server, queue);
		goto out;
	}
	*id = ippGetInteger(attr, 0);
	rc = 0;
out:
	ippDelete(resp);
	return rc;
}

/* Send-Document: len bytes of data (mime) as the one and last document of job id. */
static int send_document(struct printq_conn *c, const char *queue, const char *uri,
			 const char *resource, int id, const char *title, const char *mime,
			 const char *data, size_t len, struct wms_error *err)
{
	ipp_t *req, *resp = NULL;
	http_status_t hst;
	int rc;

	req = ippNewRequest(IPP_OP_SEND_DOCUMENT);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
	ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", id);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "document-name", NULL, title);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", NULL, mime);
	ippAddBoolean(req, IPP_TAG_OPERATION, "last-document", 1);
	hst = cupsSendRequest(c->http, req, resource, CUPS_LENGTH_VARIABLE);
	ippDelete(req);
	if (hst != HTTP_STATUS_CONTINUE) {
		rc = cups_failure(c, "sending a document to", queue, err);
		goto out;
	}
	while (len > 0) {
		size_t chunk = len > 65536 ? 65536 : len;

		if (cupsWriteRequestData(c->http, data, chunk) != HTTP_STATUS_CONTINUE) {
			rc = wms_error_set(err, WMS_EIO,
					   "sending job %d to queue '%s' on CUPS server %s failed (CUPS: %s)",
					   id, queue, c->server, cupsLastErrorString());
			ippDelete(cupsGetResponse(c->http, resource));
			goto out;
		}
		data += chunk;
		len -= chunk;
	}
	resp = cupsGetResponse(c->http, resource);
	if (resp == NULL || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
		rc = cups_failure(c, "sending a document to", queue, err);
		goto out;
	}
	rc = 0;
out:
	ippDelete(resp);
	return rc;
}

/* Cancel-Job for job id (best effort: the caller already has its error). */
static void cancel_job(struct printq_conn *c, int id)
{
	char uri[HTTP_MAX_URI];
	ipp_t *req;

	job_uri(c, id, uri, sizeof uri);
	req = ippNewRequest(IPP_OP_CANCEL_JOB);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
	ippDelete(cupsDoRequest(c->http, req, "/jobs/"));   /* frees req */
}

int printq_submit(struct printq_conn *c, const char *queue, enum printq_format fmt,
		  const void *data, size_t len, const char *title, unsigned flags,
		  int *job_id, struct wms_error *err)
{
	const char *mime = format_mime(fmt);
	char uri[HTTP_MAX_URI], resource[160];
	int id = 0, rc;

	*job_id = 0;
	rc = check_queue(queue, err);
	if (rc < 0)
		goto out;
	if (mime == NULL || data == NULL || len == 0) {
		rc = wms_error_set(err, WMS_EINVAL, "queue '%s': nothing to print or bad format", queue);
		goto out;
	}
	if (title == NULL || title[0] == '\0')
		title = "wms label";
	if (flags & PRINTQ_FAIL_IF_STOPPED) {
		struct printq_printer pr;

		rc = printq_printer_query(c, queue, &pr, err);
		if (rc < 0)
			goto out;
		if (pr.state == PRINTQ_PRINTER_STOPPED) {
			rc = wms_error_set(err, WMS_ESTATE, "queue '%s' on CUPS server %s is stopped%s%s",
					   queue, c->server, pr.message[0] ? ": " : "", pr.message);
			goto out;
		}
	}

	printer_uri(c, queue, uri, sizeof uri);
	snprintf(resource, sizeof resource, "/printers/%s", queue);
	rc = create_job(c, queue, uri, resource, title, &id, err);
	if (rc < 0) {
		struct wms_error why;
		struct printq_printer pr;

		/* A transport-level failure can hide a missing queue; ask the
		 * server about the queue itself. */
		if (rc == WMS_EIO && printq_printer_query(c, queue, &pr, &why) == WMS_ENOTFOUND)
			rc = wms_error_set(err, WMS_ENOTFOUND, "%s", why.msg);
		goto out;
	}
	rc = send_document(c, queue, uri, resource, id, title, mime, data, len, err);
	if (rc < 0)
		goto out;
	*job_id = id;
	id = 0;
	rc = 0;
out:
	if (id > 0)   /* created but not delivered: do not leave a half job */
		cancel_job(c, id);
	return rc;
}

int printq_job_query(struct printq_conn *c, int job_id, struct printq_job_info *info,
		     struct wms_error *err)
{
	static const char *const attrs[] = { "job-state", "job-state-reasons", "job-printer-uri",
					     "job-name" };
	ipp_t *req, *resp = NULL;
	ipp_attribute_t *attr;
	char uri[HTTP_MAX_URI];
	int rc, i, n;

	memset(info, 0, sizeof *info);
	if (job_id <= 0) {
		rc = wms_error_set(err, WMS_EINVAL, "bad CUPS job id %d", job_id);
		goto out;
	}
	job_uri(c, job_id, uri, sizeof uri);
	req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      (int)(sizeof attrs / sizeof attrs[0]), NULL, attrs);
	resp = cupsDoRequest(c->http, req, "/");
	if (resp == NULL || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
		ipp_status_t st = cupsLastError();

		if (st == IPP_STATUS_ERROR_NOT_FOUND)
			rc = wms_error_set(err, WMS_ENOTFOUND,
					   "CUPS server %s does not know job %d (CUPS: %s)", c->server,
					   job_id, cupsLastErrorString());
		else
			rc = wms_error_set(err, WMS_EIO,
					   "querying job %d on CUPS server %s failed (CUPS: %s)", job_id,
					   c->server, cupsLastErrorString());
		goto out;
	}
	attr = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);
	if (attr == NULL) {
		rc = wms_error_set(err, WMS_EIO, "CUPS server %s sent no job-state for job %d",
				   c->server, job_id);
		goto out;
	}
	info->state = (enum printq_job_state)ippGetInteger(attr, 0);
	attr = ippFindAttribute(resp, "job-state-reasons", IPP_TAG_KEYWORD);
	n = attr != NULL ? ippGetCount(attr) : 0;
	for (i = 0; i < n; i++) {
		size_t used = strlen(info->reasons);

		snprintf(info->reasons + used, sizeof info->reasons - used, "%s%s", i ? "," : "",
			 ippGetString(attr, i, NULL));
	}
	attr = ippFindAttribute(resp, "job-printer-uri", IPP_TAG_URI);
	if (attr != NULL) {
		const char *u = ippGetString(attr, 0, NULL);
		const char *slash = u != NULL ? strrchr(u, '/') : NULL;

		copy_str(info->queue, sizeof info->queue, slash != NULL ? slash + 1 : u);
	}
	attr = ippFindAttribute(resp, "job-name", IPP_TAG_ZERO);
	if (attr != NULL && ippGetString(attr, 0, NULL) != NULL)
		copy_str(info->title, sizeof info->title, ippGetString(attr, 0, NULL));
	rc = 0;
out:
	ippDelete(resp);
	return rc;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int printq_job_wait(struct printq_conn *c, int job_id, int wait_ms,
		    struct printq_job_info *info, struct wms_error *err)
{
	long long deadline = now_ms() + (wait_ms > 0 ? wait_ms : 0);
	int rc;

	for (;;) {
		struct timespec pause = { 0, 50 * 1000000L };

		rc = printq_job_query(c, job_id, info, err);
		if (rc < 0 || printq_job_state_is_final(info->state) || now_ms() >= deadline)
			return rc;
		nanosleep(&pause, NULL);
	}
}

int printq_job_find(struct printq_conn *c, const char *queue, const char *title, int *job_id,
		    struct printq_job_info *info, struct wms_error *err)
{
	static const char *const attrs[] = { "job-id", "job-name", "job-state",
					     "job-state-reasons" };
	ipp_t *req, *resp = NULL;
	ipp_attribute_t *attr;
	char uri[HTTP_MAX_URI];
	struct printq_job_info cur, best;
	int rc, id = 0, best_id = 0, match = 0;

	*job_id = 0;
	if (info != NULL)
		memset(info, 0, sizeof *info);
	memset(&cur, 0, sizeof cur);
	memset(&best, 0, sizeof best);
	rc = check_queue(queue, err);
	if (rc < 0)
		goto out;
	if (title == NULL || title[0] == '\0') {
		rc = wms_error_set(err, WMS_EINVAL, "queue '%s': no job title to look for", queue);
		goto out;
	}
	printer_uri(c, queue, uri, sizeof uri);
	req = ippNewRequest(IPP_OP_GET_JOBS);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", NULL, "all");
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      (int)(sizeof attrs / sizeof attrs[0]), NULL, attrs);
	resp = cupsDoRequest(c->http, req, "/");   /* frees req */
	if (resp == NULL || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
		rc = cups_failure(c, "listing the jobs of", queue, err);
		goto out;
	}
	/* One job group per job; a group ends at a separator (no name). */
	for (attr = ippFirstAttribute(resp);; attr = ippNextAttribute(resp)) {
		const char *name = attr != NULL ? ippGetName(attr) : NULL;

		if (attr == NULL || name == NULL || ippGetGroupTag(attr) != IPP_TAG_JOB) {
			if (match && id > best_id) {
				best_id = id;
				best = cur;
			}
			id = 0;
			match = 0;
			memset(&cur, 0, sizeof cur);
			if (attr == NULL)
				break;
			continue;
		}
		if (strcmp(name, "job-id") == 0) {
			id = ippGetInteger(attr, 0);
		} else if (strcmp(name, "job-name") == 0) {
			const char *v = ippGetString(attr, 0, NULL);

			match = v != NULL && strcmp(v, title) == 0;
			if (match)
				copy_str(cur.title, sizeof cur.title, v);
		} else if (strcmp(name, "job-state") == 0) {
			cur.state = (enum printq_job_state)ippGetInteger(attr, 0);
		} else if (strcmp(name, "job-state-reasons") == 0) {
			int i, n = ippGetCount(attr);

			for (i = 0; i < n; i++) {
				size_t used = strlen(cur.reasons);

				snprintf(cur.reasons + used, sizeof cur.reasons - used, "%s%s",
					 i ? "," : "", ippGetString(attr, i, NULL));
			}
		}
	}
	if (best_id > 0) {
		*job_id = best_id;
		copy_str(best.queue, sizeof best.queue, queue);
		if (info != NULL)
			*info = best;
	}
	rc = 0;
out:
	ippDelete(resp);
	return rc;
}

int printq_newest_job(struct printq_conn *c, int *job_id, struct wms_error *err)
{
	static const char *const attrs[] = { "job-id" };
	ipp_t *req, *resp = NULL;
	ipp_attribute_t *attr;
	char uri[HTTP_MAX_URI];
	int rc;

	*job_id = 0;
	httpAssembleURI(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", NULL, c->host, c->port, "/");
	req = ippNewRequest(IPP_OP_GET_JOBS);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", NULL, "all");
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      (int)(sizeof attrs / sizeof attrs[0]), NULL, attrs);
	resp = cupsDoRequest(c->http, req, "/");   /* frees req */
	if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) {
		rc = 0;   /* no jobs at all */
		goto out;
	}
	if (resp == NULL || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
		rc = wms_error_set(err, WMS_EIO, "listing the jobs of CUPS server %s failed (CUPS: %s)",
				   c->server, cupsLastErrorString());
		goto out;
	}
	for (attr = ippFindAttribute(resp, "job-id", IPP_TAG_INTEGER); attr != NULL;
	     attr = ippFindNextAttribute(resp, "job-id", IPP_TAG_INTEGER))
		if (ippGetInteger(attr, 0) > *job_id)
			*job_id = ippGetInteger(attr, 0);
	rc = 0;
out:
	ippDelete(resp);
	return rc;
}
