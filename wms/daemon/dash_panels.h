/*
 * dash_panels.h - the dashboard's panels besides lead time (GET /, below
 * the lead-time part): rentals, reconditioning and the print queue.  Each
 * panel is one file with three jobs: its data for the dashboard's filters
 * from the core's read models (JSON, the caller json_decref's it, or NULL
 * with err), the HTML <section> of GET / and the CSV of GET
 * /dashboard/{panel}.csv (dash_csv.c), both rendered from that data.
 *
 *   dash_rentals.c  devices out on rent now by product type and customer;
 *                   devices rented per month (wms_rental.h)
 *   dash_recon.c    the queue by state and product type, turnaround median
 *                   and p90 per month, repair and scrap rates (recon_report)
 *   dash_printq.c   print jobs by state per printer, the failed ones with
 *                   their reason, the oldest queued job's age (the outbox)
 *
 * Which filters apply: rentals take all (the period chooses the months),
 * reconditioning takes the period (approvals and outcomes in it) and the
 * product, never the customer; the print queue is the state now and takes
 * none.  Each panel says so on the page.
 */
#ifndef WMSD_DASH_PANELS_H
#define WMSD_DASH_PANELS_H

#include "dash_impl.h"
#include "wms_calendar.h"
#include "wms_time.h"

/* The months a panel's chart shows for f: from the month of f->to (else of
 * now) back to the month of f->from (else 12 months), at most the latest
 * WMS_RENTAL_MONTHS_MAX.  OUT: *year, *month of the first, *n months. */
void dash_panel_months(const struct dash_filter *f, wms_time now, int *year, int *month, int *n);

/* dash_rentals.c: {out: wms_rental_out, months: wms_rental_months} */
json_t *dash_rentals_data(struct wms_store *s, const struct dash_filter *f, wms_time now,
                          struct wms_error *err);
void dash_rentals_html(struct dash_buf *b, const char *lang, const json_t *d, const struct dash_filter *f);
void dash_rentals_csv(struct dash_buf *b, const json_t *d);

/* dash_recon.c: recon_report_product for the panel's period and product */
json_t *dash_recon_data(struct wms_store *s, const struct wms_config *cfg, const struct dash_filter *f,
                        wms_time now, struct wms_error *err);
void dash_recon_html(struct dash_buf *b, const char *lang, const json_t *d, const struct dash_filter *f);
void dash_recon_csv(struct dash_buf *b, const json_t *d);

/* dash_printq.c: {now, by_printer: [{printer, queued, submitted, printed,
 * failed, cancelled, oldest_queued_ts, waiting_reason}], failed: [{id,
 * printer, attempts, reason, created_ts}] (newest first, at most
 * DASH_PRINTQ_FAILED_SHOWN), totals: {queued, submitted, printed, failed,
 * cancelled, oldest_queued_ts}}: label jobs of the outbox */
#define DASH_PRINTQ_FAILED_SHOWN 50
json_t *dash_printq_data(struct wms_store *s, wms_time now, struct wms_error *err);
void dash_printq_html(struct dash_buf *b, const char *lang, const json_t *d, const struct dash_filter *f);
void dash_printq_csv(struct dash_buf *b, const json_t *d);

#endif
