/*
 * http_recon.c - reconditioning and support cases over the API: the same
 * reconditioning/ calls as `wms recon start|step|finish|show|checklist(s)|
 * report` and `wms case open|list|show|close`.  The technician is the
 * logged-in user or token name, the station is "http".  The gate holds as
 * everywhere: approval only with every step passed, else 409 naming what is
 * allowed; a refused call writes nothing.  An approval queues the
 * "reconditioned" tag in its own transaction (the body's printer, else the
 * first [printer] with purpose recon); wmsd's print worker prints it.
 */
#include "http_impl.h"
#include "http_label.h"

#include "recon.h"
#include "recon_case.h"
#include "wms_config.h"
#include "wmsd.h"

#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *field(const struct http_request *rq, const char *key)
{
	return json_string_value(json_object_get(rq->json, key));
}

/* A required body field; NULL with a 400 reply set when it is missing or empty. */
static const char *need(const struct http_request *rq, struct http_reply *rp, const char *key,
                        const char *allowed)
{
	const char *v = field(rq, key);
	char detail[96];

	if (v == NULL || *v == '\0') {
		snprintf(detail, sizeof detail, "missing field \"%s\"", key);
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, allowed);
	}
	return v && *v ? v : NULL;
}

/* The technician, station and time of a call; 0, or a reply is set. */
static int who(struct http_request *rq, struct http_reply *rp, struct recon_who *w)
{
	struct wms_error err = { 0 };
	const char *at = field(rq, "at");

	memset(w, 0, sizeof *w);
	w->station = "http";
	w->actor = rq->user;
	w->role = rq->role;
	if (at && wms_time_parse(at, &w->at, &err) < 0) {
		http_core_error(rp, WMS_EINVAL, err.msg);
		return -1;
	}
	return 0;
}

static json_t *result_json(const char *serial, const char *action, const struct recon_result *r,
                           const char *actor)
{
	return json_pack("{s:s, s:s, s:I, s:I, s:s, s:b, s:i, s:i, s:i, s:s?, s:I, s:s}", "serial", serial,
	                 "action", action, "run", (json_int_t)r->run_id, "event", (json_int_t)r->event_id,
	                 "detail", r->detail, "passed", r->passed, "steps", r->steps_total,
	                 "steps_passed", r->steps_passed, "steps_failed", r->steps_failed,
	                 "scrap_proposed", r->scrap_proposal[0] ? r->scrap_proposal : NULL,
	                 "tag_job", (json_int_t)r->tag_job, "actor", actor);
}

void http_recon_start(struct http_request *rq, struct http_reply *rp)
{
	const char *serial = need(rq, rp, "serial", "serial at");
	struct wms_error err = { 0 };
	struct recon_result r;
	struct recon_who w;

	if (serial == NULL || who(rq, rp, &w) < 0)
		return;
	if (recon_start(rq->store, &rq->conf->recon, serial, &w, &r, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_CREATED, result_json(serial, "started", &r, rq->user), &err);
}

void http_recon_step(struct http_request *rq, struct http_reply *rp)
{
	const char *step = need(rq, rp, "step", "step result value note at");
	const char *result = field(rq, "result"), *value = field(rq, "value");
	struct wms_error err = { 0 };
	struct recon_result r;
	struct recon_who w;

	if (step == NULL)
		return;
	if ((result != NULL) == (value != NULL)) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "give exactly one of \"result\" (pass or "
		           "fail) and \"value\" (a measured value or a firmware version)", "result, value");
		return;
	}
	if (who(rq, rp, &w) < 0)
		return;
	if (recon_step(rq->store, rq->params[0], step, result ? result : value, field(rq, "note"), &w, &r,
	               &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_CREATED, result_json(rq->params[0], "step", &r, rq->user), &err);
}

void http_recon_finish(struct http_request *rq, struct http_reply *rp)
{
	static const char keys[] = "outcome location reason printer at";
	const char *outcome = need(rq, rp, "outcome", "approve, repair, scrap");
	const char *serial = rq->params[0];
	struct recon_finish_req req = { 0 };
	struct wms_error err = { 0 };
	struct recon_result r;
	struct recon_who w;
	json_t *o;

	if (outcome == NULL)
		return;
	if (strcmp(outcome, "approve") == 0) {
		req.outcome = RECON_APPROVE;
		if ((req.location = need(rq, rp, "location", keys)) == NULL || http_label_printer(rq, rp, LABEL_RECON, &req.tag_printer) < 0)
			return;
		if (field(rq, "reason")) {
			http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "an approval takes no \"reason\"",
			           "outcome location printer at");
			return;
		}
	} else if (strcmp(outcome, "repair") == 0 || strcmp(outcome, "scrap") == 0) {
		req.outcome = outcome[0] == 'r' ? RECON_REPAIR : RECON_SCRAP;
		if ((req.text = need(rq, rp, "reason", keys)) == NULL)
			return;
		if (field(rq, "location") || field(rq, "printer")) {
			http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "\"location\" and \"printer\" are for an "
			           "approval (the shelf and the tag's printer)", "outcome reason at");
			return;
		}
	} else {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "unknown outcome", "approve, repair, scrap");
		return;
	}
	if (who(rq, rp, &w) < 0)
		return;
	if (recon_finish(rq->store, &rq->conf->recon, serial, &req, &w, &r, &err) < 0) {
		if (err.code == WMS_ESTATE && req.outcome == RECON_APPROVE && strstr(err.msg, "cannot be approved"))
			http_error(rp, MHD_HTTP_CONFLICT, wms_status_name(err.code), err.msg,
			           "POST /api/v1/recon/{serial}/steps until every step passed, then approve; "
			           "or outcome repair or scrap");
		else
			http_core_error(rp, err.code, err.msg);
		return;
	}
	o = result_json(serial, "finished", &r, rq->user);
	json_object_set_new(o, "outcome", json_string(outcome));
	if (req.outcome == RECON_APPROVE)
		json_object_set_new(o, "tag_printer", req.tag_printer ? json_string(req.tag_printer) : json_null());
	http_json(rp, MHD_HTTP_OK, o, &err);
}

void http_recon_show(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, recon_show(rq->store, &rq->conf->recon, rq->params[0], &err), &err);
}

void http_recon_report(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	wms_day from = 0, to = 0;
	const char *v;

	if (((v = http_query(rq, "from")) && wms_date_parse(v, &from, &err) < 0) ||
	    ((v = http_query(rq, "to")) && wms_date_parse(v, &to, &err) < 0)) {
		http_core_error(rp, WMS_EINVAL, err.msg);
		return;
	}
	if (from && to && to < from) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "\"to\" is before \"from\"",
		           "from <= to (YYYY-MM-DD)");
		return;
	}
	http_json(rp, MHD_HTTP_OK, recon_report_depot(rq->store, &(struct recon_report_opts){
		.cal = rq->conf->core->cal, .depot_cal = wms_config_calendar_cb,
		.depot_ctx = (void *)rq->conf->core, .from = from, .to = to,
		.product = http_query(rq, "product"), .depot = http_query(rq, "depot") }, &err), &err);
}

/* Every product type of the catalogue against its checklist (wms recon checklists). */
void http_checklists(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	json_t *rows = NULL;

	recon_checklists_check(rq->store, recon_config_checklists(&rq->conf->recon), &rows, &err);
	http_json(rp, MHD_HTTP_OK, rows, &err);
}

/* One product type's checklist with its steps and their barcodes (wms recon checklist). */
void http_checklist_show(struct http_request *rq, struct http_reply *rp)
{
	const char *dir = recon_config_checklists(&rq->conf->recon);
	struct recon_checklist *cl = malloc(sizeof *cl);
	struct wms_error err = { 0 };

	if (cl == NULL) {
		http_core_error(rp, WMS_ENOMEM, "out of memory");
		goto out;
	}
	if (recon_checklist_load(dir, rq->params[0], cl, NULL, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		goto out;
	}
	http_json(rp, MHD_HTTP_OK, json_pack("{s:s, s:i, s:s, s:o}", "product", cl->product, "version",
	          cl->version, "hash", cl->hash, "steps", recon_checklist_steps_json(cl)), &err);
out:
	free(cl);
}

/* A case number from the path; 0, or a reply is set. */
static int case_id(struct http_request *rq, struct http_reply *rp, long long *id)
{
	struct wms_error err = { 0 };
	char detail[96], q[48];
	long v;

	if (wms_parse_int(rq->params[0], 1, LONG_MAX, &v, &err) < 0) {
		snprintf(detail, sizeof detail, "bad case number \"%s\"",
		         wms_quote(q, sizeof q, rq->params[0], strlen(rq->params[0]), 8));
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail,
		           "a whole number from GET /api/v1/cases");
		return -1;
	}
	*id = v;
	return 0;
}

void http_case_open(struct http_request *rq, struct http_reply *rp)
{
	static const char keys[] = "serial kind text order at";
	struct recon_case_req req = { .actor = rq->user, .order = field(rq, "order") };
	struct wms_error err = { 0 };
	const char *at = field(rq, "at");
	long long id;

	if ((req.serial = need(rq, rp, "serial", keys)) == NULL || (req.kind = need(rq, rp, "kind", keys)) == NULL ||
	    (req.text = need(rq, rp, "text", keys)) == NULL)
		return;
	if ((at && wms_time_parse(at, &req.at, &err) < 0) || recon_case_open(rq->store, &req, &id, &err) < 0) {
		http_core_error(rp, err.code ? err.code : WMS_EINVAL, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_CREATED, json_pack("{s:I, s:s, s:s, s:s, s:s}", "case", (json_int_t)id,
	          "kind", req.kind, "serial", req.serial, "status", "open", "actor", rq->user), &err);
}

void http_case_list(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, recon_case_list(rq->store, http_query(rq, "status"),
	          http_query(rq, "serial"), &err), &err);
}

void http_case_show(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	long long id;

	if (case_id(rq, rp, &id) == 0)
		http_json(rp, MHD_HTTP_OK, recon_case_show(rq->store, id, &err), &err);
}

void http_case_close(struct http_request *rq, struct http_reply *rp)
{
	const char *text = need(rq, rp, "text", "text at"), *at = field(rq, "at");
	struct wms_error err = { 0 };
	wms_time t = 0;
	long long id;

	if (text == NULL || case_id(rq, rp, &id) < 0)
		return;
	if ((at && wms_time_parse(at, &t, &err) < 0) || recon_case_close(rq->store, id, text, t, rq->user, &err) < 0) {
		http_core_error(rp, err.code ? err.code : WMS_EINVAL, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, json_pack("{s:I, s:s, s:s}", "case", (json_int_t)id, "status", "closed",
	          "actor", rq->user), &err);
}
