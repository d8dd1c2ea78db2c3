/*
 * http_courier.c - the courier and order side of the API over the same core
 * calls as the CLI: the carriers' tracking webhook (`wms tracking add`), the
 * ordering system's CSV export (`wms order import`), consignments (`wms
 * consignment create|book|cancel|show|list`), pickup points (`wms
 * pickup-point list|nearest`) and the monthly rental report (`wms rental
 * report --json`).  A carrier is called from wmsd's loop, so every call waits
 * at most HTTP_CARRIER_TIMEOUT_MS for it, whatever [carrier NAME] says.
 */
#include "http_impl.h"
#include "http_label.h"

#include "courier_consignment.h"
#include "courier_pickup.h"
#include "courier_tracking.h"
#include "wms_order_import.h"
#include "wms_rental.h"
#include "wms_time.h"
#include "wmsd.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest a request waits for a carrier (the loop waits with it). */
#define HTTP_CARRIER_TIMEOUT_MS 3000L
#define HTTP_CARRIER_CONNECT_MS 1000L
/* Events in one webhook call. */
#define HTTP_TRACKING_BATCH_MAX 500

static const char *field(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* wmsd's courier configuration with every carrier's timeouts capped (cc is big: heap). */
static struct courier_config *carrier_conf(const struct http_request *rq, struct http_reply *rp)
{
	struct courier_config *cc = malloc(sizeof *cc);

	if (cc == NULL) {
		http_core_error(rp, WMS_ENOMEM, "out of memory");
		return NULL;
	}
	*cc = rq->conf->courier;
	for (int i = 0; i < cc->n_carriers; i++) {
		struct courier_carrier_conf *c = &cc->carriers[i];
		if (c->timeout_ms <= 0 || c->timeout_ms > HTTP_CARRIER_TIMEOUT_MS)
			c->timeout_ms = HTTP_CARRIER_TIMEOUT_MS;
		if (c->connect_timeout_ms <= 0 || c->connect_timeout_ms > HTTP_CARRIER_CONNECT_MS)
			c->connect_timeout_ms = HTTP_CARRIER_CONNECT_MS;
	}
	return cc;
}

/* A core error; the carrier's failure (WMS_EIO) is 502 Bad Gateway. */
static void courier_error(struct http_reply *rp, const struct wms_error *err, const char *allowed)
{
	if (err->code == WMS_EIO)
		http_error(rp, MHD_HTTP_BAD_GATEWAY, "carrier failed", err->msg, allowed);
	else
		http_core_error(rp, err->code ? err->code : WMS_EDB, err->msg[0] ? err->msg : "failed");
}

static json_t *booking_json(const struct courier_consignment_result *res)
{
	return json_pack("{s:I, s:s, s:s?, s:b, s:I, s:s?}", "id", (json_int_t)res->id, "sscc",
	                 res->sscc, "tracking", res->tracking[0] ? res->tracking : NULL, "booked",
	                 res->booked, "label_job", (json_int_t)res->label_job, "label_note",
	                 res->label_note[0] ? res->label_note : NULL);
}

/* --- the tracking webhook */

/* One event object of the webhook into in; 0, or a 400 reply is set. */
static int tracking_event(const json_t *o, const char *where, struct courier_tracking_input *in,
                          const char *source, struct http_reply *rp)
{
	const char *sscc = field(o, "sscc"), *tracking = field(o, "tracking");
	const char *event = field(o, "event"), *at = field(o, "at");
	char detail[WMS_ERROR_MSG_MAX], q[80];
	struct wms_error err = { 0 };
	int ev;

	if ((sscc == NULL) == (tracking == NULL)) {
		snprintf(detail, sizeof detail, "%s%s", where, sscc ? "give sscc or tracking, not both" :
		         "missing field \"sscc\" or \"tracking\"");
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, HTTP_TRACKING_KEYS);
		return -1;
	}
	if (event == NULL || (ev = courier_event_from_name(event)) < 0) {
		snprintf(detail, sizeof detail, event ? "%sunknown tracking event \"%s\"" :
		         "%smissing field \"event\"%s", where,
		         event ? wms_quote(q, sizeof q, event, strlen(event), 16) : "");
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, courier_event_names());
		return -1;
	}
	if (at == NULL) {
		snprintf(detail, sizeof detail, "%smissing field \"at\" (when it happened at the carrier: "
		         "a retried event must carry the same time)", where);
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]");
		return -1;
	}
	if (wms_time_parse(at, &in->at, &err) < 0) {
		snprintf(detail, sizeof detail, "%sat: %.400s", where, err.msg);
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]");
		return -1;
	}
	in->ref = sscc ? sscc : tracking;
	in->event = (enum courier_event)ev;
	in->source = source;
	return 0;
}

/* key is one of HTTP_TRACKING_KEYS */
static bool tracking_key(const char *key)
{
	size_t n = strlen(key), w;

	for (const char *p = HTTP_TRACKING_KEYS; *p; p += w + strspn(p + w, " "))
		if ((w = strcspn(p, " ")) == n && n > 0 && strncmp(p, key, n) == 0)
			return true;
	return false;
}

/* An item of a batch: an object of strings with the webhook's keys; 0, or a 400 reply is set. */
static int batch_item(const json_t *o, const char *where, struct http_reply *rp)
{
	char detail[WMS_ERROR_MSG_MAX], q[80];
	const char *key;
	json_t *v;

	if (!json_is_object(o)) {
		snprintf(detail, sizeof detail, "%snot an object", where);
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, HTTP_TRACKING_KEYS);
		return -1;
	}
	json_object_foreach((json_t *)o, key, v) {
		wms_quote(q, sizeof q, key, strlen(key), 60);
		if (!tracking_key(key)) {
			snprintf(detail, sizeof detail, "%sunknown field \"%s\"", where, q);
			http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, HTTP_TRACKING_KEYS);
			return -1;
		}
		if (!json_is_string(v)) {
			snprintf(detail, sizeof detail, "%sfield \"%s\" must be a string", where, q);
			http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, HTTP_TRACKING_KEYS);
			return -1;
		}
	}
	return 0;
}

/* The webhook's events: the body itself, or the items of "events"; 0, or a 400 reply is set. */
static int tracking_inputs(struct http_request *rq, struct http_reply *rp, const char *source,
                           struct courier_tracking_input **out, size_t *n)
{
	json_t *events = json_object_get(rq->json, "events"), *o;
	char where[32] = "", detail[160];
	size_t i;

	*out = NULL;
	*n = 1;
	if (events) {
		if (json_object_size(rq->json) != 1) {
			http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "a batch is {\"events\": [...]} "
			           "with no other field", "{\"events\": [{" HTTP_TRACKING_KEYS "}, ...]}");
			return -1;
		}
		*n = json_array_size(events);
		if (*n == 0 || *n > HTTP_TRACKING_BATCH_MAX) {
			snprintf(detail, sizeof detail, "\"events\" holds %zu events; 1 to %d per request",
			         *n, HTTP_TRACKING_BATCH_MAX);
			http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail,
			           "{\"events\": [{" HTTP_TRACKING_KEYS "}, ...]}");
			return -1;
		}
	}
	if ((*out = calloc(*n, sizeof **out)) == NULL) {
		http_core_error(rp, WMS_ENOMEM, "out of memory");
		return -1;
	}
	for (i = 0; i < *n; i++) {
		o = events ? json_array_get(events, i) : rq->json;
		if (events)
			snprintf(where, sizeof where, "events[%zu]: ", i);
		if ((events && batch_item(o, where, rp) < 0) ||
		    tracking_event(o, where, &(*out)[i], source, rp) < 0) {
			free(*out);
			*out = NULL;
			return -1;
		}
	}
	return 0;
}

void http_tracking_webhook(struct http_request *rq, struct http_reply *rp)
{
	struct courier_tracking_input *in = NULL;
	struct courier_tracking_result res;
	struct wms_error err = { 0 };
	struct courier_config *cc = NULL;
	char source[WMS_USER_NAME_MAX + 16];
	json_t *results = NULL;
	long recorded = 0, duplicates = 0;
	size_t n = 0, i;
	bool own_tx = !http_turn_in_job();
	int rc;

	snprintf(source, sizeof source, "webhook:%s", rq->user);
	if (tracking_inputs(rq, rp, source, &in, &n) < 0 || (cc = carrier_conf(rq, rp)) == NULL)
		goto out;
	if ((results = json_array()) == NULL) {
		http_core_error(rp, WMS_ENOMEM, "out of memory");
		goto out;
	}
	/* the whole call is one transaction: a refused event leaves nothing of the others (in the
	 * loop turn's commit its savepoint is that: a refusal rolls it back) */
	if (own_tx && (rc = wms_store_begin(rq->store, &err)) < 0) {
		http_core_error(rp, rc, err.msg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		in[i].role = rq->role;
		if (courier_tracking_apply(rq->store, cc, &in[i], &res, &err) < 0) {
			if (own_tx)
				wms_store_rollback(rq->store);
			if (n > 1)
				wms_error_set(&err, err.code, "events[%zu]: %s; no event of this request was "
				              "recorded", i, err.msg);
			courier_error(rp, &err, NULL);
			goto out;
		}
		if (res.duplicate)
			duplicates++;
		else
			recorded++;
		json_array_append_new(results, json_pack("{s:s, s:s, s:I, s:s, s:b, s:b}", "ref", in[i].ref,
		                      "event", courier_event_name(in[i].event), "consignment",
		                      (json_int_t)res.consignment_id, "state", res.state, "duplicate",
		                      res.duplicate, "delivered", res.delivered));
	}
	if (own_tx && (rc = wms_store_commit(rq->store, &err)) < 0) {
		http_core_error(rp, rc, err.msg);
		goto out;
	}
	http_json(rp, MHD_HTTP_OK, json_pack("{s:I, s:I, s:O}", "recorded", (json_int_t)recorded,
	          "duplicates", (json_int_t)duplicates, "events", results), &err);
out:
	json_decref(results);
	free(cc);
	free(in);
}

/* --- the ordering system's CSV export */

static void import_problem(void *ctx, long line, const char *msg)
{
	const char *text = msg;

	/* msg is "line N: reason" and holds no personal data */
	if (strncmp(text, "line ", 5) == 0 && strstr(text, ": "))
		text = strstr(text, ": ") + 2;
	json_array_append_new(ctx, json_pack("{s:I, s:s}", "line", (json_int_t)line, "error", text));
}

void http_order_import(struct http_request *rq, struct http_reply *rp)
{
	struct wms_import_opts o = { .station = "http", .actor = rq->user, .role = rq->role,
	                             .report = import_problem };
	struct wms_import_result res;
	struct wms_error err = { 0 };
	json_t *problems = json_array();

	if ((o.ctx = problems) == NULL) {
		http_core_error(rp, WMS_ENOMEM, "out of memory");
		return;
	}
	if (wms_order_import(rq->store, rq->body, rq->body_len, &o, &res, &err) < 0)
		http_core_error(rp, err.code, err.msg);
	else
		http_json(rp, MHD_HTTP_OK, json_pack("{s:I, s:I, s:I, s:O}", "imported",
		          (json_int_t)res.imported, "present", (json_int_t)res.present, "bad",
		          (json_int_t)res.bad, "problems", problems), &err);
	json_decref(problems);
}

/* --- consignments */

void http_consignment_create(struct http_request *rq, struct http_reply *rp)
{
	struct courier_consignment_req req = {
		.order = field(rq->json, "order"), .carrier = field(rq->json, "carrier"),
		.service = field(rq->json, "service"), .tracking = field(rq->json, "tracking"),
		.transfer = field(rq->json, "transfer"), .to_depot = field(rq->json, "to"),
		.station = "http", .actor = rq->user,
	};
	struct courier_consignment_result res = { 0 };
	struct wms_error err = { 0 };
	struct courier_config *cc;
	const char *at = field(rq->json, "at");
	char allowed[96];

	if ((req.order == NULL) == (req.transfer == NULL) || req.carrier == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request",
		           req.order && req.transfer ? "\"order\" or \"transfer\", not both"
		           : req.order || req.transfer ? "missing field \"carrier\"" : "missing field \"order\"",
		           "order (or transfer: the serial of a device in stock with to, or in transfer) carrier "
		           "service tracking at printer");
		return;
	}
	if (at && wms_time_parse(at, &req.at, &err) < 0) {
		http_core_error(rp, WMS_EINVAL, err.msg);
		return;
	}
	if (http_label_printer(rq, rp, LABEL_SHIPPING, &req.label_printer) < 0 ||
	    (cc = carrier_conf(rq, rp)) == NULL)
		return;
	if (courier_consignment_create(rq->store, cc, &req, &res, &err) == 0) {
		http_json(rp, MHD_HTTP_CREATED, booking_json(&res), &err);
	} else if (res.id) {
		/* numbered and kept, but the carrier did not book it: a problem to retry */
		snprintf(allowed, sizeof allowed, "POST /api/v1/consignments/%s/book", res.sscc);
		courier_error(rp, &err, allowed);
		json_object_set_new(rp->json, "consignment", booking_json(&res));
	} else {
		courier_error(rp, &err, NULL);
	}
	free(cc);
}

void http_consignment_book(struct http_request *rq, struct http_reply *rp)
{
	struct courier_consignment_result res = { 0 };
	struct wms_error err = { 0 };
	struct courier_config *cc = carrier_conf(rq, rp);

	if (cc == NULL)
		return;
	/* never a carrier call on wmsd's loop: the job is due, the worker thread books it */
	if (courier_consignment_book_soon(rq->store, cc, rq->params[0], field(rq->json, "tracking"),
	                                  &res, &err) < 0)
		courier_error(rp, &err, NULL);
	else
		http_json(rp, res.booked ? MHD_HTTP_OK : MHD_HTTP_ACCEPTED, booking_json(&res), &err);
	free(cc);
}

void http_consignment_cancel(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	struct courier_config *cc = carrier_conf(rq, rp);

	if (cc == NULL)
		return;
	if (courier_consignment_cancel(rq->store, cc, rq->params[0], field(rq->json, "reason"), &err) < 0)
		courier_error(rp, &err, NULL);
	else
		http_json(rp, MHD_HTTP_OK, courier_consignment_show(rq->store, rq->conf->core, rq->params[0],
		          &err), &err);
	free(cc);
}

void http_consignment_show(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, courier_consignment_show(rq->store, rq->conf->core, rq->params[0], &err),
	          &err);
}

void http_consignment_list(struct http_request *rq, struct http_reply *rp)
{
	const char *problems = http_query(rq, "problems"), *v = http_query(rq, "limit");
	struct wms_error err = { 0 };
	bool only = false;
	long limit = 100;

	if (problems) {
		only = !strcmp(problems, "") || !strcmp(problems, "yes") || !strcmp(problems, "true") ||
		       !strcmp(problems, "1");
		if (!only && strcmp(problems, "no") && strcmp(problems, "false") && strcmp(problems, "0")) {
			http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "bad value of problems",
			           "problems=yes|no|true|false|1|0");
			return;
		}
	}
	if (v && wms_parse_int(v, 1, 1000000, &limit, &err) < 0) {
		http_core_error(rp, WMS_EINVAL, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, courier_consignment_list(rq->store, rq->conf->core, only, 0, (int)limit,
	          &err), &err);
}

/* --- pickup points */

void http_pickup_points(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, courier_pickup_list(rq->store, http_query(rq, "carrier"), &err), &err);
}

void http_pickup_nearest(struct http_request *rq, struct http_reply *rp)
{
	const char *postcode = http_query(rq, "postcode"), *v = http_query(rq, "limit");
	struct wms_error err = { 0 };
	long limit = 5;

	if (postcode == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "missing query argument \"postcode\"",
		           "postcode carrier limit");
		return;
	}
	if (v && wms_parse_int(v, 1, 100, &limit, &err) < 0) {
		http_core_error(rp, WMS_EINVAL, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, courier_pickup_nearest(rq->store, postcode, http_query(rq, "carrier"),
	          (int)limit, &err), &err);
}

/* --- rentals */

void http_rental_report(struct http_request *rq, struct http_reply *rp)
{
	const char *month = http_query(rq, "month");
	struct wms_error err = { 0 };
	int year, mon;

	if (month == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "missing query argument \"month\"",
		           "month=YYYY-MM");
		return;
	}
	if (wms_month_parse(month, &year, &mon, &err) < 0) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", err.msg, "month=YYYY-MM");
		return;
	}
	http_json(rp, MHD_HTTP_OK, wms_rental_report_depot(rq->store, year, mon, http_query(rq, "depot"),
	          wms_now(), &err), &err);
}
