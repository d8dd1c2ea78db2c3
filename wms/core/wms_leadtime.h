/*
 * wms_leadtime.h - delivery lead time in Swedish working days, the headline
 * measure of the contract (delivery within 7 working days of the order).
 *
 * The clock of an order starts on the day it was registered, Stockholm time;
 * an order registered at or after the cut-off time (default 15:00) or on a
 * non-working day starts on the next working day.  Its lead time is the
 * number of working days after the start day up to and including the
 * delivery day (wms_calendar_workdays), never below 0.
 *
 * Orders with a customer-set delivery date (anpassad leverans) are measured
 * against that date instead and reported apart: their deviation is the
 * working days from the requested date to the delivery (<= 0 is on time).
 */
#ifndef WMS_LEADTIME_H
#define WMS_LEADTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "wms_calendar.h"
#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

#define WMS_LT_HIST_MAX 60          /* histogram buckets 0..59 and "60 or more" */

struct wms_lt_stats {
	long count;
	long within_target;             /* lead time <= target */
	double share_within;            /* within_target / count, 0 when count == 0 */
	int median, p90, p95, max;      /* nearest-rank percentiles of working days */
	long hist[WMS_LT_HIST_MAX + 1]; /* hist[d] = orders with d working days; last = 60+ */
};

/* Add one lead time (>= 0) to s; the percentiles are valid after finish. */
void wms_lt_stats_add(struct wms_lt_stats *s, int days);
void wms_lt_stats_finish(struct wms_lt_stats *s, int target_days);

/* The working day on which an order's clock starts (see above). */
wms_day wms_leadtime_start(const struct wms_calendar *cal, wms_time registered, int cutoff_minute);

/* Lead time in working days of an order registered and delivered at these instants. */
int wms_leadtime_days(const struct wms_calendar *cal, wms_time registered, wms_time delivered,
                      int cutoff_minute);

/* Looks up the calendar of a depot (NULL or unknown depot: the default). */
typedef const struct wms_calendar *(*wms_calendar_for_depot)(void *ctx, const char *depot);

struct wms_leadtime_opts {
	const struct wms_calendar *cal;     /* default calendar (required) */
	wms_calendar_for_depot depot_cal;   /* optional per-depot calendars */
	int (*depot_cutoff)(void *depot_ctx, const char *depot);   /* optional per-depot cut-off */
	void *depot_ctx;
	int cutoff_minute;                  /* minutes after local midnight; 900 = 15:00 */
	int target_days;                    /* 7 */
	int at_risk_days;                   /* open orders this old or older are at risk; 5 */
	wms_day from, to;                   /* delivery days, inclusive; 0 = unbounded */
	const char *product;                /* product code filter, NULL = all */
	const char *customer;               /* customer code filter, NULL = all */
	const char *depot;                  /* depot code filter (orders' depot), NULL = all */
	wms_time now;                       /* for the age of open orders; 0 = wms_now() */
	int late_limit;                     /* how many late orders to list; 0 = 50 */
	bool recount;                       /* read every delivered order instead of the
	                                       histograms (the reference they are tested by) */
	int late_offset;                    /* skip this many late orders (newest first): pages */
	const char *mode;                   /* delivery mode filter (home, pickup_point, unit,
	                                       buffer), NULL = all */
};

/*
 * One delivered order's figure under opts' rules (its depot's calendar and
 * cut-off through depot_cal/depot_cutoff, else cal/cutoff_minute): working
 * days >= 0, measured against requested_date (YYYY-MM-DD, may be NULL) when
 * it parses (*custset true), else from registration.  The figure a depot
 * stores per order and the hub computes from shipped events.
 */
int wms_leadtime_order(const struct wms_leadtime_opts *o, const char *depot, wms_time registered,
                       wms_time delivered, const char *requested_date, bool *custset);

/* A stats object as the report writes it (finishes s; target_days for within_target). */
json_t *wms_lt_stats_json(struct wms_lt_stats *s, int target_days);

/* The rules part of o from a configuration: the default calendar, each
 * depot's calendar and cut-off (wms_config_calendar, wms_config_cutoff), the
 * cut-off, target and at-risk days.  cfg is borrowed and must outlive o. */
struct wms_config;
void wms_leadtime_rules_of(struct wms_leadtime_opts *o, const struct wms_config *cfg);

/* Whether mode is a delivery mode the report knows. */

/*
 * The report as JSON: {"target_days", "overall": stats, "customer_set": stats
 * of the anpassad-leverans orders (deviation >= 0 counted as days late),
 * "by_product", "by_customer", "by_customer_kind", "by_mode", "by_month"
 * (delivery month), "by_depot" (the order's depot, its own calendar and
 * cut-off): arrays of {"key", "name"?, stats}, "late": the late
 * orders with their notes, "at_risk": open orders with age and days left}.
 * A stats object has count, within_target, share_within, median, p90, p95,
 * max and histogram (array).  The caller owns the result.
 */
json_t *wms_leadtime_report(struct wms_store *s, const struct wms_leadtime_opts *opts,
                            struct wms_error *err);

/*
 * The histograms.  Every delivery counts its order, in the ledger's
 * transaction, under the rules (calendars, cut-off) the database holds; the
 * report reads them when those rules are the caller's (cal, depot_cal and
 * cutoff_minute of opts) and otherwise reads every order, with the same
 * output either way.
 *
 * wms_leadtime_rebuild makes the caller's rules the database's and counts
 * every delivered order again (after a change of calendar, cut-off or depot
 * days); *orders (may be NULL) gets how many.  One transaction (a savepoint
 * inside the caller's).
 * wms_leadtime_rules_match: whether the histograms serve these rules.
 * wms_leadtime_check: recount under the database's rules and compare, changing
 * nothing; *differences = cells and orders that differ (0 when right).
 */
int wms_leadtime_rebuild(struct wms_store *s, const struct wms_leadtime_opts *rules, long *orders,
                         struct wms_error *err);
int wms_leadtime_rules_match(struct wms_store *s, const struct wms_leadtime_opts *rules,
                             bool *match, struct wms_error *err);
int wms_leadtime_check(struct wms_store *s, long *differences, struct wms_error *err);

#endif
