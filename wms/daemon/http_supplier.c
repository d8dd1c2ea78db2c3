/*
 * http_supplier.c - goods in against supplier deliveries through the API
 * (wms_supplier.h), the same as `wms supplier` and `wms supplier-delivery`:
 * suppliers, the import of announced deliveries (CSV body), a delivery's
 * expected / received / missing / unexpected, and its closing with the
 * discrepancy report.  Receipts against a delivery are scans (DLV:).
 */
#include "http_impl.h"

#include "wms_supplier.h"

#include <microhttpd.h>

static const char *body_text(const struct http_request *rq, const char *key)
{
	return json_string_value(json_object_get(rq->json, key));
}

void http_suppliers(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, wms_supplier_list(rq->store, &err), &err);
}

void http_supplier_add(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	const char *code = body_text(rq, "code");

	if (wms_supplier_add(rq->store, code ? code : "", body_text(rq, "name"), &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_CREATED, json_pack("{s:s}", "code", code), &err);
}

void http_deliveries(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, wms_delivery_list(rq->store, &err), &err);
}

void http_delivery_import(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	int deliveries, lines;

	if (wms_delivery_import(rq->store, rq->body, rq->body_len, &deliveries, &lines, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_CREATED, json_pack("{s:i, s:i}", "deliveries", deliveries, "lines", lines),
	          &err);
}

void http_delivery_show(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	json_t *d = wms_delivery_show(rq->store, rq->params[0], &err);

	if (d == NULL) {
		http_core_error(rp, err.code ? err.code : WMS_EDB, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, d, &err);
}

void http_delivery_close(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	json_t *report = NULL;

	if (wms_delivery_close(rq->store, rq->params[0], rq->user, &report, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, report, &err);
}
