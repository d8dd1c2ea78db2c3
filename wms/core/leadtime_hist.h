/*
 * leadtime_hist.h - the lead-time histograms kept in the ledger's
 * transactions (internal to wms/core; the public side is wms_leadtime.h).
 *
 * Every delivered order is counted once per combination of product,
 * customer and mode (each either itself or "all") and once per depot, in its
 * delivery month, by its whole working days (lt_cells, schema.c).  The
 * figures are computed under the rules the database holds (lt_rules,
 * lt_calendars), not the caller's configuration: the report uses the cells
 * only when both agree, and `wms leadtime rebuild` makes them agree.
 *
 * An accumulator gathers the cells of many orders in memory and writes each
 * cell once (a batch: the bulk ledger path, a rebuild); the live path
 * accumulates one order and writes at once.
 */
#ifndef WMS_LEADTIME_HIST_H
#define WMS_LEADTIME_HIST_H

#include <stdbool.h>
#include <stddef.h>

#include "wms_calendar.h"
#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

struct lt_state;   /* the database's rules, cached in the store */
struct lt_acc;     /* cells gathered in memory */

/* The store's cache slot (store.c); the state is freed with wms_lt_state_free. */
struct lt_state **wms_store_lt_state(struct wms_store *s);
void wms_lt_state_free(struct lt_state *st);   /* NULL-safe */

/* The rules the database holds, read again when another writer changed them. */
int wms_lt_rules(struct wms_store *s, const struct lt_state **out, struct wms_error *err);

/* An order's figure under rules: *days >= 0 working days, *custset true when it is
 * measured as days late against its customer-set date (req, YYYY-MM-DD or NULL). */
void wms_lt_measure(const struct lt_state *rules, const char *depot, wms_time registered,
                    wms_time delivered, const char *req, int *days, bool *custset);

/* Delivery month key of an instant: year * 12 + month - 1 (Stockholm). */
int wms_lt_month(wms_time t);

struct lt_acc *wms_lt_acc_new(void);                  /* NULL without memory */
void wms_lt_acc_free(struct lt_acc *a);               /* NULL-safe */
/* Count one delivered order; mode is the orders.mode text. */
int wms_lt_acc_add(struct lt_acc *a, int month, long long product_id, long long customer_id,
                   const char *mode, const char *depot, bool custset, int days,
                   struct wms_error *err);
/* Add the gathered cells to lt_cells (one statement per cell) and empty a. */
int wms_lt_acc_flush(struct wms_store *s, struct lt_acc *a, struct wms_error *err);

/* The live path: order_id was just delivered; store its figure and count it. */
int wms_lt_on_deliver(struct wms_store *s, long long order_id, struct wms_error *err);

/* Count every delivered order again under the database's rules (inside the
 * caller's write transaction); *orders (may be NULL): how many. */
int wms_lt_recount(struct wms_store *s, long *orders, struct wms_error *err);

/* A depot was just added (in the caller's transaction): its calendar (the
 * database's default with closed[] of n_closed days) and cut-off (minutes;
 * < 0: the rules' own) join the rules.  No order has the depot yet, so no
 * figure changes. */
int wms_lt_depot_added(struct wms_store *s, const char *code, int cutoff, const wms_day *closed,
                       size_t n_closed, struct wms_error *err);

/* After migrating: compute the figures under the default rules when a
 * migration asked for it (lt_rules.stale). */
int wms_lt_refresh_stale(struct wms_store *s, struct wms_error *err);

#endif
