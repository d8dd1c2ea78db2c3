/*
 * dash_figures.c - the dashboard's figures, read once per request
 * (dash_figures.h): the lead-time report, the catalogue and the panels'
 * data, and the accessors every tile and panel reads its number with.
 */
#include "dash_figures.h"

#include "dash_panels.h"
#include "wms_catalog.h"
#include "wms_depot.h"
#include "wmsd.h"

void dash_figures_free(struct dash_figures *fig)
{
	json_decref(fig->report);
	json_decref(fig->products);
	json_decref(fig->customers);
	json_decref(fig->depots);
	json_decref(fig->rentals);
	json_decref(fig->recon);
	json_decref(fig->printq);
	*fig = (struct dash_figures){ 0 };
}

int dash_figures_read(const struct http_request *rq, const struct dash_filter *f, unsigned want,
                      int late_offset, int late_limit, struct dash_figures *fig, struct wms_error *err)
{
	wms_time now = wms_now();

	*fig = (struct dash_figures){ 0 };
	if ((fig->report = dash_report(rq, f, late_offset, late_limit, err)) == NULL ||
	    (fig->products = wms_product_list(rq->store, err)) == NULL ||
	    (fig->customers = wms_customer_list(rq->store, err)) == NULL ||
	    (fig->depots = wms_depot_list(rq->store, err)) == NULL ||
	    ((want & DASH_FIG_RENTALS) && (fig->rentals = dash_rentals_data(rq->store, f, now, err)) == NULL) ||
	    ((want & DASH_FIG_RECON) &&
	     (fig->recon = dash_recon_data(rq->store, rq->conf->core, f, now, err)) == NULL) ||
	    ((want & DASH_FIG_PRINTQ) && (fig->printq = dash_printq_data(rq->store, now, err)) == NULL)) {
		dash_figures_free(fig);
		return -1;
	}
	return 0;
}

static long num(const json_t *o, const char *key)
{
	return (long)json_integer_value(json_object_get(o, key));
}

long dash_fig_rented(const json_t *rentals)
{
	return num(json_object_get(rentals, "out"), "total");
}

long dash_fig_recon_queue(const json_t *recon)
{
	return num(json_object_get(json_object_get(recon, "queue_age_workdays"), "total"), "count");
}

long dash_fig_printq_failed(const json_t *printq)
{
	return num(json_object_get(printq, "totals"), "failed");
}

bool dash_fig_breached(const json_t *order)
{
	return num(order, "days_left") < 0;
}

static long open_orders(const json_t *report, bool breached)
{
	const json_t *rows = json_object_get(report, "at_risk");
	size_t i;
	json_t *r;
	long n = 0;

	json_array_foreach(rows, i, r)
		if (dash_fig_breached(r) == breached)
			n++;
	return n;
}

long dash_fig_open_breached(const json_t *report)
{
	return open_orders(report, true);
}

long dash_fig_open_at_risk(const json_t *report)
{
	return open_orders(report, false);
}
