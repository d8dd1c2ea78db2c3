/*
 * http_write.c - the ledger commands of the API, one wms_ledger_apply() each,
 * as the CLI's device and order commands, group-committed with the loop's
 * turn (http_turn.c) and answered after that commit.  The actor of every event is the
 * logged-in user or token name, the station is "http"; a refused command
 * writes nothing and its reply names what was wrong and what is allowed.
 */
#include "http_impl.h"

#include "wms_ledger.h"
#include "wms_time.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

static const char *field(const struct http_request *rq, const char *key)
{
	return json_string_value(json_object_get(rq->json, key));
}

/* Fill the parts every command shares; 0, or a reply is set. */
static int command(struct http_request *rq, struct http_reply *rp, struct wms_cmd *w)
{
	struct wms_error err = { 0 };
	const char *at = field(rq, "at");

	w->station = "http";
	w->actor = rq->user;
	w->role = rq->role;   /* the token's or session's: the core's role table decides */
	if (at && wms_time_parse(at, &w->at, &err) < 0) {
		http_core_error(rp, WMS_EINVAL, err.msg);
		return -1;
	}
	return 0;
}

/* Through the loop's commit step (http_turn.c): answered after the turn's one commit.  Without
 * it (a test's server) the command is applied here with a commit of its own. */
static void apply(struct http_request *rq, struct http_reply *rp, const struct wms_cmd *w, int status)
{
	struct wms_error err = { 0 };
	struct wms_cmd_result res;

	if (http_write_submit(rq, rp, w, status) <= 0)
		return;
	if (wms_ledger_apply(rq->store, w, &res, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, status, http_write_result(w, &res, rq->user), &err);
}

int http_device_event_cmd(struct http_request *rq, struct http_reply *rp, struct wms_cmd *w)
{
	const char *type = field(rq, "type");
	char allowed[512] = "", detail[160], q[80];
	int ev = type ? wms_event_from_name(type) : -1;

	*w = (struct wms_cmd){ 0 };
	if (ev < 0 || ev >= WMS_EV_DEVICE_COUNT) {
		for (int t = 0; t < WMS_EV_DEVICE_COUNT; t++)
			snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s%s",
			         t ? ", " : "", wms_event_name((enum wms_event_type)t));
		snprintf(detail, sizeof detail, type ? "unknown device event type \"%s\"" :
		         "missing field \"type\"%s", type ? wms_quote(q, sizeof q, type, strlen(type), 16) : "");
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, allowed);
		return -1;
	}
	if (command(rq, rp, w) < 0)
		return -1;
	w->type = (enum wms_event_type)ev;
	w->serial = rq->params[0];
	w->order = field(rq, "order");
	w->location = field(rq, "location");
	w->reason = field(rq, "reason");
	w->product = field(rq, "product");
	w->gtin = field(rq, "gtin");
	w->lot = field(rq, "lot");
	w->expiry = field(rq, "expiry");
	w->manufactured = field(rq, "manufactured");
	w->delivery = field(rq, "delivery");
	return 0;
}

void http_device_event(struct http_request *rq, struct http_reply *rp)
{
	struct wms_cmd w;

	if (http_device_event_cmd(rq, rp, &w) == 0)
		apply(rq, rp, &w, MHD_HTTP_CREATED);
}

int http_order_create_cmd(struct http_request *rq, struct http_reply *rp, struct wms_cmd *w)
{
	*w = (struct wms_cmd){ .type = WMS_EV_ORDER_CREATE };
	if (command(rq, rp, w) < 0)
		return -1;
	w->order = field(rq, "number");
	w->customer = field(rq, "customer");
	w->product = field(rq, "product");
	w->mode = field(rq, "mode");
	w->pickup_point = field(rq, "pickup_point");
	w->requested_date = field(rq, "requested_date");
	w->patient_ref = field(rq, "patient_ref");
	w->depot = field(rq, "depot");
	w->exchange_of = field(rq, "exchange_of");
	if (w->order == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "missing field \"number\"", HTTP_ORDER_KEYS);
		return -1;
	}
	return 0;
}

void http_order_create(struct http_request *rq, struct http_reply *rp)
{
	struct wms_cmd w;

	if (http_order_create_cmd(rq, rp, &w) == 0)
		apply(rq, rp, &w, MHD_HTTP_CREATED);
}

int http_order_cancel_cmd(struct http_request *rq, struct http_reply *rp, struct wms_cmd *w)
{
	*w = (struct wms_cmd){ .type = WMS_EV_ORDER_CANCEL };
	if (command(rq, rp, w) < 0)
		return -1;
	w->order = rq->params[0];
	w->reason = field(rq, "reason");
	return 0;
}

/* The pickup point of an order that has not left yet (wms order set-pickup-point). */
void http_order_pickup_point(struct http_request *rq, struct http_reply *rp)
{
	struct wms_cmd w = { .type = WMS_EV_ORDER_NOTE };
	char why[80];

	if (command(rq, rp, &w) < 0)
		return;
	w.order = rq->params[0];
	w.pickup_point = field(rq, "code");
	if (w.pickup_point == NULL || w.pickup_point[0] == '\0') {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "missing field \"code\"",
		           "the pickup point's location code, e.g. from GET /api/v1/pickup-points/nearest");
		return;
	}
	snprintf(why, sizeof why, "pickup point %.60s", w.pickup_point);
	w.reason = why;
	apply(rq, rp, &w, MHD_HTTP_OK);
}

void http_order_cancel(struct http_request *rq, struct http_reply *rp)
{
	struct wms_cmd w;

	if (http_order_cancel_cmd(rq, rp, &w) == 0)
		apply(rq, rp, &w, MHD_HTTP_OK);
}

int http_order_note_cmd(struct http_request *rq, struct http_reply *rp, struct wms_cmd *w)
{
	*w = (struct wms_cmd){ .type = WMS_EV_ORDER_NOTE };
	if (command(rq, rp, w) < 0)
		return -1;
	w->order = rq->params[0];
	w->reason = field(rq, "note");
	return 0;
}

void http_order_note(struct http_request *rq, struct http_reply *rp)
{
	struct wms_cmd w;

	if (http_order_note_cmd(rq, rp, &w) == 0)
		apply(rq, rp, &w, MHD_HTTP_CREATED);
}
