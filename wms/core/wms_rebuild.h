/*
 * wms_rebuild.h - rebuilding the projections (devices, orders, rentals) from
 * the append-only ledger, and proving that the live projections equal them.
 */
#ifndef WMS_REBUILD_H
#define WMS_REBUILD_H

#include <stdbool.h>

#include "wms_error.h"
#include "wms_store.h"

/*
 * Replay every event in order into empty projections, in one transaction.
 * *differences (may be NULL) receives the number of rows that differ between
 * the projections before and after (0 when the live ones were right).  With
 * verify_only the rebuild is rolled back and the database is unchanged.
 */
int wms_rebuild(struct wms_store *s, bool verify_only, long *differences, struct wms_error *err);

#endif
