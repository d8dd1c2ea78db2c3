/*
 * wms_allocate.h - choosing the device for an open order (allokering).
 *
 * From the ordering unit's own buffer store when it holds a device of the
 * product, else from the warehouse shelves; within each, the device received
 * earliest goes first (ersättningskedja: the oldest device of the product
 * type leaves first).  Only devices in stock (in_stock on a shelf, in_buffer
 * in the unit's buffer) are candidates: the lifecycle puts a device there
 * only after receipt or an approved reconditioning, so a returned device in
 * quarantine, reconditioning or repair is never chosen.  The choice is
 * recorded as the ledger's ordinary `reserve` event.
 */
#ifndef WMS_ALLOCATE_H
#define WMS_ALLOCATE_H

#include <stdbool.h>

#include "wms_error.h"
#include "wms_ids.h"
#include "wms_store.h"
#include "wms_time.h"

struct wms_alloc_opts {
	wms_time at;               /* 0 = now */
	const char *station;       /* borrowed; NULL = "cli" is the caller's choice */
	const char *actor;
	unsigned role;             /* the actor's role bits (wms_rules.h) */
};

/* One order's outcome. */
struct wms_alloc_result {
	char order[WMS_CODE_MAX + 1];
	char serial[WMS_SERIAL_MAX + 1];   /* "" when nothing was reserved */
	bool from_buffer;
};

/*
 * Reserve a device for open order `number`; o may be NULL.  0 with *res
 * filled, or: WMS_ENOTFOUND for an unknown order and, with the message
 * "no ... available", when no device can be had (the order stays open);
 * WMS_ESTATE when the order is not open.
 */
int wms_allocate(struct wms_store *s, const char *number, const struct wms_alloc_opts *o,
                 struct wms_alloc_result *res, struct wms_error *err);

/* Called once per open order by wms_allocate_all: rc 0 (reserved) or the
 * status and message of why not. */
typedef void (*wms_alloc_report_fn)(void *ctx, const struct wms_alloc_result *r, int rc,
                                    const char *msg);

/*
 * Allocate every open order, oldest registration first, in one transaction.
 * *allocated and *unavailable (may be NULL) receive the counts.  An order
 * for which nothing is available stays open and is reported; a database
 * error stops and rolls everything back.
 */
int wms_allocate_all(struct wms_store *s, const struct wms_alloc_opts *o, wms_alloc_report_fn report,
                     void *ctx, long *allocated, long *unavailable, struct wms_error *err);

#endif
