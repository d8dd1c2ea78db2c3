/*
 * wms_rental.h - rental periods: the pickup order's dates and the monthly
 * rental report per customer and cost centre.
 *
 * A rental runs from the `rent` event to the `return`, or to the rent stop
 * that a pickup order (hämtorder, `expect_return`) sets a configured number
 * of working days ahead, whichever comes first.  Rental days are Stockholm
 * calendar days: the day a rental starts is charged, the day it ends is not
 * (so a device rented on the 3rd and returned on the 10th is charged 7
 * days); an open rental is charged up to and including today.
 */
#ifndef WMS_RENTAL_H
#define WMS_RENTAL_H

#include <jansson.h>

#include "wms_calendar.h"
#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

/*
 * The dates of a pickup order registered at `at`: *due = due_days working
 * days later (the pickup is due by then), *stop = stop_days working days
 * later (the first day not charged).
 */
void wms_return_plan(const struct wms_calendar *cal, wms_time at, int due_days, int stop_days,
                     wms_day *due, wms_day *stop);

/*
 * Rental report of month year-month as {month, days_in_month, customers:
 * [{customer, name, cost_centre, devices, rental_days}], total: {devices,
 * rental_days}}; customers sorted by code; `devices` counts the devices with
 * at least one charged day.  now limits open rentals.  Caller owns the
 * result; NULL with err set on failure.  No personal data.
 */
json_t *wms_rental_report(struct wms_store *s, int year, int month, wms_time now,
                          struct wms_error *err);
/* The same for the orders of one depot (NULL: all), with "by_depot":
 * [{depot, devices, rental_days}] (the depot of the rental's order). */
json_t *wms_rental_report_depot(struct wms_store *s, int year, int month, const char *depot,
                                wms_time now, struct wms_error *err);

/* Parse "YYYY-MM" (years of the calendar range). */
int wms_month_parse(const char *text, int *year, int *month, struct wms_error *err);

/*
 * Devices out on rent now: rented or expected back, their latest rental
 * charged at `now` (started, rent not stopped), as {total, by_product:
 * [{product, name_sv, name_en, devices}], by_customer: [{customer, name,
 * kind, devices}]}, sorted by code.  product and customer (codes, NULL or
 * "" = all) filter.  Caller owns the result; NULL with err set on failure.
 */
json_t *wms_rental_out(struct wms_store *s, wms_time now, const char *product, const char *customer,
                       struct wms_error *err);

#define WMS_RENTAL_MONTHS_MAX 36

/*
 * Rentals in n (1..WMS_RENTAL_MONTHS_MAX) months from year-month on, one
 * pass: [{month "YYYY-MM", devices, rental_days, started}], where devices
 * and rental_days are wms_rental_report's totals of that month (a device
 * rented to two customers in a month counts for each) and started counts
 * the rentals whose first charged day is in it.  product and
 * customer (codes, NULL or "" = all) filter.  Caller owns the result.
 */
json_t *wms_rental_months(struct wms_store *s, int year, int month, int n, wms_time now,
                          const char *product, const char *customer, struct wms_error *err);

#endif
