/*
 * wms_tallies.h - counters kept in step with the tables they count (table
 * `tallies`, maintained by triggers): scans by station and outcome, events
 * by type, orders by status, outbox jobs by kind and state.  /metrics reads
 * them instead of counting millions of rows; `wms db check` compares them
 * with a recount and `wms db rebuild` counts them again.
 */
#ifndef WMS_TALLIES_H
#define WMS_TALLIES_H

#include "wms_store.h"

/* Rows of the counters that differ from a recount (0: they agree). */
int wms_tallies_check(struct wms_store *s, long *differences, struct wms_error *err);

/* Counts them again from the tables, in one transaction. */
int wms_tallies_recount(struct wms_store *s, struct wms_error *err);

#endif
