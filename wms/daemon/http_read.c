/*
 * http_read.c - the read endpoints: the same read models as the CLI's
 * `wms device show`, `stock`, `order list|show`, `leadtime report` and the
 * catalogue lists, with the same filters as query arguments.
 */
#include "http_impl.h"

#include "wms_audit.h"
#include "wms_catalog.h"
#include "wms_depot.h"
#include "wms_leadtime.h"
#include "wms_query.h"
#include "wms_transfer.h"
#include "wmsd.h"

#include <microhttpd.h>
#include <string.h>

void http_device_show(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, wms_device_show(rq->store, rq->params[0], &err), &err);
}

void http_stock(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	const char *by = http_query(rq, "by");

	if (by && strcmp(by, "depot") != 0) {
		http_core_error(rp, WMS_EINVAL, "bad by: only by=depot (one row per depot and product type)");
		return;
	}
	if (by)
		http_json(rp, MHD_HTTP_OK, wms_stock_by_depot(rq->store, http_query(rq, "product"),
		          http_query(rq, "depot"), &err), &err);
	else
		http_json(rp, MHD_HTTP_OK, wms_stock(rq->store, http_query(rq, "product"),
		          http_query(rq, "location"), http_query(rq, "depot"), &err), &err);
}

/* Every transfer between depots (wms transfer list), by depot and state. */
void http_transfer_list(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, wms_transfer_list(rq->store, http_query(rq, "depot"),
	          http_query(rq, "state"), &err), &err);
}

void http_order_list(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	const char *v = http_query(rq, "limit");
	long limit = 100;

	if (v && wms_parse_int(v, 1, 1000000, &limit, &err) < 0) {
		http_core_error(rp, WMS_EINVAL, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, wms_order_list(rq->store, http_query(rq, "status"), (int)limit, &err),
	          &err);
}

void http_audit_list(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };
	const char *v = http_query(rq, "limit");
	long limit = 100;

	if (v && wms_parse_int(v, 1, 1000, &limit, &err) < 0) {
		http_core_error(rp, WMS_EINVAL, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, wms_audit_list(rq->store, (int)limit, http_query(rq, "actor"), &err),
	          &err);
}

void http_order_show(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, wms_order_show(rq->store, rq->params[0], &err), &err);
}

void http_leadtime(struct http_request *rq, struct http_reply *rp)
{
	struct wms_leadtime_opts o = {
		.product = http_query(rq, "product"), .customer = http_query(rq, "customer"),
		.mode = http_query(rq, "mode"),
		.depot = http_query(rq, "depot"),
	};
	struct wms_error err = { 0 };
	const char *v;

	wms_leadtime_rules_of(&o, rq->conf->core);

	if (((v = http_query(rq, "from")) && wms_date_parse(v, &o.from, &err) < 0) ||
	    ((v = http_query(rq, "to")) && wms_date_parse(v, &o.to, &err) < 0) ||
	    ((v = http_query(rq, "now")) && wms_time_parse(v, &o.now, &err) < 0)) {
		http_core_error(rp, WMS_EINVAL, err.msg);
		return;
	}
	if (o.depot && wms_depot_known(rq->store, o.depot, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, wms_leadtime_report(rq->store, &o, &err), &err);
}

void http_products(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, wms_product_list(rq->store, &err), &err);
}

void http_customers(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, wms_customer_list(rq->store, &err), &err);
}

void http_locations(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, wms_location_list(rq->store, &err), &err);
}
