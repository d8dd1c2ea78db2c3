/*
 * projection.h - applying one ledger event to the current-state tables
 * (internal to wms/core).  The live path (ledger.c) and the rebuild
 * (rebuild.c) call the same function, so the projections can only ever be
 * what the events say.
 */
#ifndef WMS_PROJECTION_H
#define WMS_PROJECTION_H

#include <jansson.h>

#include "wms_error.h"
#include "wms_lifecycle.h"
#include "wms_store.h"
#include "wms_time.h"

struct wms_event {
	long long id;
	wms_time ts;
	enum wms_event_type type;
	long long device_id;       /* 0 = none */
	long long order_id;        /* 0 = none */
	long long location_id;     /* device events: where the device is afterwards */
	enum wms_state from, to;
	json_t *payload;           /* borrowed; type-specific fields, never personal data */
	/* the device as the writer found it (the ledger knows, a replay does not):
	 * the projection then leaves columns that do not change out of its
	 * UPDATE, so their indexes are not rewritten for nothing */
	bool prior_known;
	long long prior_location, prior_order;   /* 0 = NULL */
};

int wms_project_event(struct wms_store *s, const struct wms_event *ev, struct wms_error *err);

#endif
