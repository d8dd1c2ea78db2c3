/*
 * dash_figures.h - every figure of the managers' dashboard, read once per
 * request by one function.  The overview's tiles (GET /) and the panels of
 * the drill-down pages (GET /dashboard/{page}) take their numbers from the
 * same accessors below, so that a tile always equals its panel.
 */
#ifndef WMSD_DASH_FIGURES_H
#define WMSD_DASH_FIGURES_H

#include "dash_impl.h"

/* What a page needs besides the lead-time report (always read). */
enum {
	DASH_FIG_RENTALS = 1 << 0,
	DASH_FIG_RECON = 1 << 1,
	DASH_FIG_PRINTQ = 1 << 2,
	DASH_FIG_ALL = DASH_FIG_RENTALS | DASH_FIG_RECON | DASH_FIG_PRINTQ,
};

struct dash_figures {
	json_t *report;                 /* wms_leadtime_report for the filter */
	json_t *products, *customers, *depots;   /* for names and the filter form */
	json_t *rentals, *recon, *printq;   /* the panels' data (dash_panels.h), or NULL */
};

/* Read the figures for f, listing the late orders [late_offset, late_offset
 * + late_limit).  0, or -1 with err (fig freed). */
int dash_figures_read(const struct http_request *rq, const struct dash_filter *f, unsigned want,
                      int late_offset, int late_limit, struct dash_figures *fig, struct wms_error *err);
void dash_figures_free(struct dash_figures *fig);

/* The figures of the tiles and panels */
long dash_fig_rented(const json_t *rentals);        /* out on rent now (rent charged) */
long dash_fig_recon_queue(const json_t *recon);     /* waiting for or in reconditioning */
long dash_fig_printq_failed(const json_t *printq);  /* failed label jobs */
/* Open orders past their target and still within it but at risk. */
long dash_fig_open_breached(const json_t *report);
long dash_fig_open_at_risk(const json_t *report);
/* An open order of the report's at_risk list is past its target (days_left < 0). */
bool dash_fig_breached(const json_t *order);

#endif
