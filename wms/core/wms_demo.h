/*
 * wms_demo.h - a realistic demonstration data set, written through the same
 * ledger commands that operators use (so it obeys every rule they obey).
 *
 * Two years of a Hjälpmedelscentral's digital assistive devices: the nine
 * product types of the catalogue, about 50 ordering units (region units and
 * municipalities; the region places ~80% of orders), shelves, buffer stores
 * and pickup points, ~3,000 devices received, ordered, delivered with lead
 * times like the real ones (median ~4 working days, ~90% within 7, the late
 * ones mostly blood-pressure monitors and medication dispensers, dispensers
 * partly with training-aligned customer-set dates), rentals, returns,
 * reconditioning and ~1.6% exchanges.  Deterministic for a given seed.
 */
#ifndef WMS_DEMO_H
#define WMS_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "wms_calendar.h"
#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

struct wms_demo_opts {
	uint64_t seed;             /* 0 = 1 */
	int devices;               /* 0 = 3000 */
	long orders;               /* > 0: about this many delivered orders instead (within 2%);
	                              the devices follow from them (a large store) */
	wms_time end;              /* the data ends at this instant; 0 = now */
	int days;                  /* history length in calendar days; 0 = 730 */
	const struct wms_calendar *cal;   /* working days; NULL = default calendar */
	bool live;                 /* every command on the live path, one savepoint each (the
	                              reference the bulk path is tested against; slower) */
	long batch;                /* commands per transaction (and bulk session); 0 = all in one */
	/* Called now and then with work done so far (0..total); may be NULL. */
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
};

/*
 * Load the demo into an empty store (refused, writing nothing, if the store
 * already holds events).  Runs in one batch transaction through the bulk
 * ledger path (wms_ledger_bulk_begin): the same rules and events as
 * commands applied one by one.
 */
int wms_demo_load(struct wms_store *s, const struct wms_demo_opts *opts, struct wms_error *err);

#endif
