/*
 * http_print.c - printers, labels and the print queue over the API: the
 * same outbox calls (wms_outbox.h) as `wms printers`, `wms label print`,
 * `wms reprint` and `wms print-queue list|show|retry|cancel`.  A handler
 * only decides: a label becomes a queued outbox row and wmsd's print worker
 * thread prints it.  Nothing here talks to CUPS (that would block the loop),
 * so a printer's state is what its queued jobs say (their last error).
 */
#include "http_impl.h"
#include "http_label.h"

#include "printq_payload.h"
#include "wms_config.h"
#include "wms_outbox.h"
#include "wmsd.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *field(const struct http_request *rq, const char *key)
{
	return json_string_value(json_object_get(rq->json, key));
}

static const char *printer_names(const struct printq_conf *pc, char *buf, size_t size)
{
	size_t used = 0;

	snprintf(buf, size, "none configured");
	for (int i = 0; i < pc->n_printers && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", pc->printers[i].name);
	return buf;
}

/* The configured printers with their open jobs and the newest reason one waits. */
/* The printer of an automatic label (the recon tag, a shipping label): the
 * body's "printer", else the first with the kind's purpose, else none (*name
 * NULL: the change goes on without a label).  0, or an error reply is set. */
int http_label_printer(struct http_request *rq, struct http_reply *rp, enum label_kind kind,
                       const char **name)
{
	const char *want = json_string_value(json_object_get(rq->json, "printer"));
	const struct printq_printer_conf *p;
	char detail[160];

	*name = NULL;
	if (want) {
		if ((p = printq_conf_find(&rq->conf->printers, want)) == NULL) {
			snprintf(detail, sizeof detail, "unknown printer \"%.60s\"", want);
			http_error(rp, MHD_HTTP_NOT_FOUND, "not found", detail, "the printers of GET /api/v1/printers");
			return -1;
		}
	} else {
		p = printq_conf_for(&rq->conf->printers, kind, NULL);
	}
	*name = p ? p->name : NULL;
	return 0;
}

void http_printers(struct http_request *rq, struct http_reply *rp)
{
	const struct printq_conf *pc = &rq->conf->printers;
	struct wms_error err = { 0 };
	json_t *open = wms_outbox_list(rq->store, "open", 10000, &err), *rows = NULL, *job;
	size_t j;

	if (open == NULL) {
		http_json(rp, MHD_HTTP_OK, NULL, &err);
		return;
	}
	rows = json_array();
	for (int i = 0; rows && i < pc->n_printers; i++) {
		const struct printq_printer_conf *p = &pc->printers[i];
		const char *waiting = NULL;
		char purposes[256];
		int n = 0;

		json_array_foreach(open, j, job) {
			const char *why = json_string_value(json_object_get(job, "last_error"));
			const char *target = json_string_value(json_object_get(job, "target"));
			if (target == NULL || strcmp(target, p->name) != 0)
				continue;
			n++;
			if (waiting == NULL && why && *why)
				waiting = why;   /* newest first */
		}
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:i, s:s?}",
		                      "name", p->name, "queue", p->queue,
		                      "server", p->server[0] ? p->server : "(CUPS default)",
		                      "language", printq_lang_name(p->language), "dpi", p->dpi, "media", p->media,
		                      "purposes", printq_purposes_text(p->purposes, purposes, sizeof purposes),
		                      "stations", p->stations, "open_jobs", n, "waiting", waiting));
	}
	http_json(rp, MHD_HTTP_OK, rows, &err);
	json_decref(open);
}

void http_print_jobs(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	const char *v = http_query(rq, "limit");
	long limit = 100;

	if (v && wms_parse_int(v, 1, 100000, &limit, &err) < 0) {
		http_core_error(rp, WMS_EINVAL, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, wms_outbox_list(rq->store, http_query(rq, "state"), (int)limit, &err), &err);
}

/* The job number of the path; 0, or a reply is set. */
static int job_id(struct http_request *rq, struct http_reply *rp, long long *id)
{
	const char *text = rq->params[0];
	char detail[96], q[48];
	char *end;

	errno = 0;
	*id = strtoll(text, &end, 10);
	if (*end != '\0' || errno == ERANGE || *id <= 0 || text[0] < '0' || text[0] > '9') {
		snprintf(detail, sizeof detail, "bad print job \"%s\"", wms_quote(q, sizeof q, text, strlen(text), 8));
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, "a job number from GET /api/v1/print-jobs");
		return -1;
	}
	return 0;
}

void http_print_job_show(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	long long id;

	if (job_id(rq, rp, &id) == 0)
		http_json(rp, MHD_HTTP_OK, wms_outbox_show(rq->store, id, &err), &err);
}

/* Retry or cancel: the operator's actions on one job. */
static void job_action(struct http_request *rq, struct http_reply *rp, bool retry)
{
	struct wms_error err = { 0 };
	long long id;
	int rc;

	if (job_id(rq, rp, &id) < 0)
		return;
	rc = retry ? wms_outbox_retry(rq->store, id, wms_now(), &err)
	           : wms_outbox_cancel(rq->store, id, wms_now(), &err);
	if (rc < 0 && err.code == WMS_ESTATE) {
		http_error(rp, MHD_HTTP_CONFLICT, wms_status_name(err.code), err.msg,
		           retry ? "retry a queued or failed job; POST /api/v1/print-jobs/{id}/reprint prints "
		           "any other again" : "cancel a queued or failed job");
		return;
	}
	if (rc < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, json_pack("{s:I, s:s, s:s}", "job", (json_int_t)id, "state",
	          retry ? "queued" : "cancelled", "actor", rq->user), &err);
}

void http_print_job_retry(struct http_request *rq, struct http_reply *rp)
{
	job_action(rq, rp, true);
}

void http_print_job_cancel(struct http_request *rq, struct http_reply *rp)
{
	job_action(rq, rp, false);
}

/* A printer by name; NULL with a 404 reply set when it is not configured. */
static const struct printq_printer_conf *find_printer(struct http_request *rq, struct http_reply *rp,
                                                      const char *name)
{
	const struct printq_printer_conf *p = printq_conf_find(&rq->conf->printers, name);
	char detail[96], names[512];

	if (p == NULL) {
		snprintf(detail, sizeof detail, "unknown printer \"%.60s\"", name);
		http_error(rp, MHD_HTTP_NOT_FOUND, "not found", detail,
		           printer_names(&rq->conf->printers, names, sizeof names));
	}
	return p;
}

void http_print_job_reprint(struct http_request *rq, struct http_reply *rp)
{
	const char *name = field(rq, "printer");
	struct wms_error err = { 0 };
	long long id, new_id = 0;

	if (job_id(rq, rp, &id) < 0 || (name && find_printer(rq, rp, name) == NULL))
		return;
	if (wms_outbox_reprint(rq->store, id, name, wms_now(), &new_id, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_CREATED, json_pack("{s:I, s:I, s:s, s:s}", "job", (json_int_t)new_id,
	          "reprint_of", (json_int_t)id, "state", "queued", "actor", rq->user), &err);
}

/*
 * The payload of a label of kind: the ledger's fields of the body's device,
 * location or order (pick list), then "set", lines NAME=VALUE, split in
 * place in *set_copy (OUT, malloc'd, freed by the caller).  *payload (OUT).
 */
static int build_payload(struct http_request *rq, enum label_kind kind, char **set_copy, char **payload,
                         struct wms_error *err)
{
	struct printq_label_req req = { .kind = kind, .device = field(rq, "device"),
	                                .location = field(rq, "location"), .order = field(rq, "order"),
	                                .api = true };
	const char *set = field(rq, "set");
	const char **lines = NULL;
	int rc;

	*payload = NULL;
	if ((req.device != NULL) + (req.location != NULL) + (req.order != NULL) > 1)
		return wms_error_set(err, WMS_EINVAL, "give at most one of \"device\", \"location\" and \"order\"");
	if (set && ((*set_copy = strdup(set)) == NULL ||
	            (lines = calloc(strlen(set) + 1, sizeof *lines)) == NULL)) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	for (char *line = set ? *set_copy : NULL, *next; line && *line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		lines[req.n_set++] = line;
	}
	req.set = lines;
	rc = printq_payload_label(rq->store, &req, payload, err);
out:
	free(lines);
	return rc;
}

/* Queue a label through the outbox (wms label print); the print worker prints it. */
void http_label_print(struct http_request *rq, struct http_reply *rp)
{
	const char *kind_name = field(rq, "kind"), *name = field(rq, "printer");
	const struct printq_printer_conf *pr;
	struct wms_outbox_new job = { .kind = "label" };
	struct wms_error err = { 0 };
	char *set_copy = NULL, *payload = NULL, names[512], detail[512];
	enum label_kind kind;
	long long id = 0;

	if (kind_name == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "missing field \"kind\"",
		           "device, location, recon, shipping, return, picklist, delivery-note");
		goto out;
	}
	if (label_kind_from_name(kind_name, &kind, &err) < 0) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", err.msg,
		           "device, location, recon, shipping, return, picklist, delivery-note");
		goto out;
	}
	if (name) {
		if ((pr = find_printer(rq, rp, name)) == NULL)
			goto out;
	} else if ((pr = printq_conf_for(&rq->conf->printers, kind, NULL)) == NULL) {
		char why[400];
		snprintf(detail, sizeof detail, "%s; give \"printer\"",
		         printq_conf_why_none(&rq->conf->printers, kind, NULL, why, sizeof why));
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail,
		           printer_names(&rq->conf->printers, names, sizeof names));
		goto out;
	}
	if (build_payload(rq, kind, &set_copy, &payload, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		goto out;
	}
	job.target = pr->name;
	job.payload = payload;
	if (wms_outbox_enqueue(rq->store, &job, wms_now(), &id, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		goto out;
	}
	http_json(rp, MHD_HTTP_CREATED, json_pack("{s:I, s:s, s:s, s:s, s:s}", "job", (json_int_t)id,
	          "printer", pr->name, "label", label_kind_name(kind), "state", "queued", "actor", rq->user),
	          &err);
out:
	free(payload);
	free(set_copy);
}
