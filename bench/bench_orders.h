/*
 * bench_orders.h - the benchmarks' delivered orders: N orders over two years
 * with a realistic lead-time spread, written straight into the orders
 * projection (a read workload; writing through the ledger is ledger_bench's
 * subject).  Shared by leadtime_bench, dashboard_bench and api_bench.
 *
 * What it makes: products P0..P8, customers C00..C49 (40 regional, 10
 * municipal), orders B1..Bn, three in four delivered from depot Mölndal
 * (ML), one in four from Skövde (SK, added here; the depot filters): registered
 * at a pseudo-random instant of 2024-2025, delivered 1-6 working days later
 * (nine in ten) or 8-17 (late), one in twenty with a customer-set date.  The
 * same n gives the same rows on every run.  The lead-time histograms are
 * counted afterwards (wms_leadtime_rebuild, default calendar, 15:00 cut-off).
 */
#ifndef BENCH_ORDERS_H
#define BENCH_ORDERS_H

#include "wms_calendar.h"
#include "wms_error.h"
#include "wms_store.h"

/* Add the products, customers and n orders to s in one transaction. */
int bench_orders_fill(struct wms_store *s, long n, const struct wms_calendar *cal,
                      struct wms_error *err);

#endif
