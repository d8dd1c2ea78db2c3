/*
 * http_catalog.c - the last CLI tasks' API calls, over the same core calls as
 * the CLI: reference data (`wms product add|add-gtin`, `customer add`,
 * `location add`), allocation (`wms allocate [ORDER|--all]`), return
 * consignments (`wms return-consignment create`), the pickup-point and
 * postal-code CSV imports (`wms pickup-point import`, `postcode import`) and
 * the calendar questions (`wms workdays`, `wms calendar`).
 *
 * Nothing here talks to a carrier: a return consignment is created with its
 * booking job in the outbox (courier_consignment.h), and wmsd's worker thread
 * books it.  Refusals are the core's messages (http_core_error) or the
 * router's; a refused request writes nothing.
 */
#include "http_impl.h"
#include "http_label.h"

#include "courier_consignment.h"
#include "courier_pickup.h"
#include "wms_allocate.h"
#include "wms_calendar.h"
#include "wms_catalog.h"
#include "wms_depot.h"
#include "wms_config.h"
#include "wms_query.h"
#include "wmsd.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

static const char *field(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The row of list whose "code" is code, taken out of list (the reply of an add: the
 * thing as the listing shows it), or NULL.  Frees list. */
static json_t *row_of(json_t *list, const char *code)
{
	json_t *row = NULL, *v;
	size_t i;

	json_array_foreach(list, i, v) {
		const char *c = json_string_value(json_object_get(v, "code"));
		if (c && strcmp(c, code) == 0) {
			row = json_incref(v);
			break;
		}
	}
	json_decref(list);
	return row;
}

/* After a successful add: 201 with the row as `GET list` shows it. */
static void added(struct http_reply *rp, json_t *(*list)(struct wms_store *, struct wms_error *),
                  struct http_request *rq, const char *code)
{
	struct wms_error err = { 0 };
	json_t *all = list(rq->store, &err);

	if (all == NULL) {
		http_core_error(rp, err.code ? err.code : WMS_EDB, err.msg[0] ? err.msg : "failed");
		return;
	}
	if ((all = row_of(all, code)) == NULL) {
		http_core_error(rp, WMS_EDB, "the new row is not listed");
		return;
	}
	http_json(rp, MHD_HTTP_CREATED, all, &err);
}

/* A yes/no body field; 0, or -1 with a 400 reply set. */
static int yes_no(const char *text, const char *name, bool *out, struct http_reply *rp)
{
	char detail[160], q[64];

	*out = false;
	if (text == NULL || !strcmp(text, "no") || !strcmp(text, "false") || !strcmp(text, "0"))
		return 0;
	if (!strcmp(text, "yes") || !strcmp(text, "true") || !strcmp(text, "1")) {
		*out = true;
		return 0;
	}
	snprintf(detail, sizeof detail, "bad value \"%s\" of field \"%s\"",
	         wms_quote(q, sizeof q, text, strlen(text), 20), name);
	http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, "yes, no, true, false, 1, 0");
	return -1;
}

/* --- reference data */

void http_product_add(struct http_request *rq, struct http_reply *rp)
{
	struct wms_product p = {
		.code = field(rq->json, "code"), .name_sv = field(rq->json, "name_sv"),
		.name_en = field(rq->json, "name_en"), .category = field(rq->json, "category"),
	};
	struct wms_error err = { 0 };

	if (yes_no(field(rq->json, "needs_training"), "needs_training", &p.needs_training, rp) < 0)
		return;
	if (wms_product_add(rq->store, &p, &err) < 0)
		http_core_error(rp, err.code, err.msg);
	else
		added(rp, wms_product_list, rq, p.code);
}

void http_product_gtin_add(struct http_request *rq, struct http_reply *rp)
{
	const char *gtin = field(rq->json, "gtin");
	struct wms_error err = { 0 };

	if (gtin == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "missing field \"gtin\"",
		           "gtin: 8, 12, 13 or 14 digits");
		return;
	}
	if (wms_product_add_gtin(rq->store, rq->params[0], gtin, &err) < 0)
		http_core_error(rp, err.code, err.msg);
	else
		added(rp, wms_product_list, rq, rq->params[0]);
}

void http_customer_add(struct http_request *rq, struct http_reply *rp)
{
	const char *code = field(rq->json, "code");
	struct wms_error err = { 0 };

	if (wms_customer_add(rq->store, code, field(rq->json, "name"), field(rq->json, "kind"),
	                     field(rq->json, "cost_centre"), &err) < 0)
		http_core_error(rp, err.code, err.msg);
	else
		added(rp, wms_customer_list, rq, code);
}

void http_location_add(struct http_request *rq, struct http_reply *rp)
{
	const char *code = field(rq->json, "code");
	struct wms_error err = { 0 };

	if (wms_location_add(rq->store, code, field(rq->json, "name"), field(rq->json, "kind"),
	                     field(rq->json, "depot"), field(rq->json, "customer"), &err) < 0)
		http_core_error(rp, err.code, err.msg);
	else
		added(rp, wms_location_list, rq, code);
}

/* --- allocation */

static json_t *alloc_json(const struct wms_alloc_result *r, const char *msg)
{
	return json_pack("{s:s, s:s?, s:b, s:s?}", "order", r->order, "serial", r->serial[0] ? r->serial : NULL,
	                 "from_buffer", r->from_buffer, "unavailable", msg);
}

/* The body's "at" into o; 0, or -1 with a 400 reply set. */
static int alloc_opts(struct http_request *rq, struct http_reply *rp, struct wms_alloc_opts *o)
{
	const char *at = field(rq->json, "at");
	struct wms_error err = { 0 };

	*o = (struct wms_alloc_opts){ .station = "http", .actor = rq->user, .role = rq->role };
	if (at && wms_time_parse(at, &o->at, &err) < 0) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", err.msg, "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]");
		return -1;
	}
	return 0;
}

void http_order_allocate(struct http_request *rq, struct http_reply *rp)
{
	struct wms_alloc_result r = { 0 };
	struct wms_alloc_opts o;
	struct wms_error err = { 0 }, e2 = { 0 };
	json_t *order = NULL;

	if (alloc_opts(rq, rp, &o) < 0)
		return;
	if (wms_allocate(rq->store, rq->params[0], &o, &r, &err) == 0) {
		http_json(rp, MHD_HTTP_OK, alloc_json(&r, NULL), &err);
	} else if (err.code == WMS_ENOTFOUND && (order = wms_order_show(rq->store, rq->params[0],
	                                                                 &e2)) != NULL) {
		/* wms_allocate.h: the order is known and open, but no device can be had:
		 * a conflict with the stock now, not an unknown thing */
		http_error(rp, MHD_HTTP_CONFLICT, wms_status_name(WMS_ESTATE), err.msg,
		           "receive or recondition a device of the product, then allocate again");
	} else {
		http_core_error(rp, err.code, err.msg);
	}
	json_decref(order);
}

static void collect_alloc(void *ctx, const struct wms_alloc_result *r, int rc, const char *msg)
{
	json_array_append_new(ctx, alloc_json(r, rc ? msg : NULL));
}

void http_order_allocate_all(struct http_request *rq, struct http_reply *rp)
{
	struct wms_alloc_opts o;
	struct wms_error err = { 0 };
	json_t *rows = json_array();
	long ok = 0, none = 0;

	if (rows == NULL) {
		http_core_error(rp, WMS_ENOMEM, "out of memory");
		return;
	}
	if (alloc_opts(rq, rp, &o) == 0) {
		if (wms_allocate_all(rq->store, &o, collect_alloc, rows, &ok, &none, &err) < 0)
			http_core_error(rp, err.code, err.msg);
		else
			http_json(rp, MHD_HTTP_OK, json_pack("{s:I, s:I, s:O}", "allocated", (json_int_t)ok,
			          "unavailable", (json_int_t)none, "orders", rows), &err);
	}
	json_decref(rows);
}

/* --- return consignments: created with their booking job; the worker books */

void http_return_consignment_create(struct http_request *rq, struct http_reply *rp)
{
	const char *order = field(rq->json, "order"), *serial = field(rq->json, "serial");
	const char *at = field(rq->json, "at");
	struct courier_consignment_req req = {
		.order = order ? order : serial, .carrier = field(rq->json, "carrier"),
		.service = field(rq->json, "service"), .tracking = field(rq->json, "tracking"),
		.pickup_point = field(rq->json, "pickup_point"), .is_return = true,
		.station = "http", .actor = rq->user,
	};
	struct courier_consignment_result res = { 0 };
	struct wms_error err = { 0 };

	if ((order == NULL) == (serial == NULL)) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", order ? "give order or serial, not both" :
		           "missing field \"order\" or \"serial\"",
		           "order (delivered) or serial (of a device out), carrier, pickup_point, printer");
		return;
	}
	if (req.carrier == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "missing field \"carrier\"",
		           "a configured carrier's name");
		return;
	}
	if (at && wms_time_parse(at, &req.at, &err) < 0) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", err.msg, "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]");
		return;
	}
	if (http_label_printer(rq, rp, LABEL_RETURN, &req.label_printer) < 0)
		return;
	if (courier_consignment_create(rq->store, &rq->conf->courier, &req, &res, &err) < 0) {
		http_core_error(rp, err.code ? err.code : WMS_EDB, err.msg[0] ? err.msg : "failed");
		return;
	}
	http_json(rp, MHD_HTTP_CREATED, json_pack("{s:I, s:s, s:s?, s:b, s:I, s:I, s:s?}", "id",
	          (json_int_t)res.id, "sscc", res.sscc, "tracking", res.tracking[0] ? res.tracking : NULL,
	          "booked", res.booked, "booking_job", (json_int_t)res.booking_job, "label_job",
	          (json_int_t)res.label_job, "label_note", res.label_note[0] ? res.label_note : NULL), &err);
}

/* --- the pickup-point registry and postal-code coordinates (CSV bodies) */

static void import_reply(struct http_reply *rp, int rc, struct courier_import_report *rep,
                         const struct wms_error *err)
{
	if (rc < 0)
		http_core_error(rp, err->code, err->msg);
	else
		http_json(rp, MHD_HTTP_OK, json_pack("{s:I, s:I, s:I, s:I, s:O}", "added",
		          (json_int_t)rep->added, "updated", (json_int_t)rep->updated, "unchanged",
		          (json_int_t)rep->unchanged, "bad", (json_int_t)rep->bad, "problems",
		          rep->problems), err);
	courier_import_report_clear(rep);
}

void http_pickup_import(struct http_request *rq, struct http_reply *rp)
{
	struct courier_import_report rep = { 0 };
	struct wms_error err = { 0 };
	int rc = courier_pickup_import_text(rq->store, rq->body, rq->body_len, &rep, &err);

	import_reply(rp, rc, &rep, &err);
}

void http_postcode_import(struct http_request *rq, struct http_reply *rp)
{
	struct courier_import_report rep = { 0 };
	struct wms_error err = { 0 };
	int rc = courier_postcode_import_text(rq->store, rq->body, rq->body_len, &rep, &err);

	import_reply(rp, rc, &rep, &err);
}

/* --- the working-day calendar ([calendar] of the configuration) */

void http_workdays(struct http_request *rq, struct http_reply *rp)
{
	const char *from = http_query(rq, "from"), *to = http_query(rq, "to");
	struct wms_error err = { 0 };
	wms_day f, t;

	if (from == NULL || to == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", from ? "missing query argument \"to\"" :
		           "missing query argument \"from\"", "from=YYYY-MM-DD&to=YYYY-MM-DD[&depot=CODE]");
		return;
	}
	if (wms_date_parse(from, &f, &err) < 0 || wms_date_parse(to, &t, &err) < 0) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", err.msg,
		           "from=YYYY-MM-DD&to=YYYY-MM-DD[&depot=CODE]");
		return;
	}
	if (http_query(rq, "depot") && wms_depot_known(rq->store, http_query(rq, "depot"), &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, json_pack("{s:s, s:s, s:i}", "from", from, "to", to, "workdays",
	          wms_calendar_workdays(wms_config_calendar(rq->conf->core, http_query(rq, "depot")), f, t)),
	          &err);
}

void http_calendar(struct http_request *rq, struct http_reply *rp)
{
	const char *text = http_query(rq, "year");
	struct wms_error err = { 0 };
	char detail[120], q[40], allowed[32];
	json_t *days;
	long year;

	snprintf(allowed, sizeof allowed, "year=%d..%d", WMS_CAL_FIRST_YEAR, WMS_CAL_LAST_YEAR);
	if (text == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "missing query argument \"year\"", allowed);
		return;
	}
	if (wms_parse_int(text, WMS_CAL_FIRST_YEAR, WMS_CAL_LAST_YEAR, &year, &err) < 0) {
		snprintf(detail, sizeof detail, "bad year \"%s\"", wms_quote(q, sizeof q, text, strlen(text), 20));
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", detail, allowed);
		return;
	}
	if ((days = wms_calendar_closed_days(rq->conf->core->cal, (int)year)) == NULL)
		http_core_error(rp, WMS_ENOMEM, "out of memory");
	else
		http_json(rp, MHD_HTTP_OK, days, &err);
}
