/*
 * courier_tracking.h - carriers' tracking events applied to consignments.
 *
 * courier_tracking_apply() takes one event (from the file import now, the
 * HTTP webhook later) and, in one transaction: records it in the
 * consignment's append-only events (the same event at the same time again is
 * a no-op, so re-imports and webhook retries are harmless), moves the
 * consignment to the state of its newest event, and drives the ledger: the
 * first carrier event puts a still-picked device in dispatched (handover),
 * and an event listed in [courier] lead_time_ends (default delivered and
 * available_at_pickup_point) applies the ledger's deliver event at the
 * event's time, which ends the order's lead time.  Collection at the pickup
 * point is recorded as a consignment event, not a second delivery.  The
 * events of a return consignment move only the consignment: the device
 * enters the ledger again when it is scanned in at return intake.
 */
#ifndef COURIER_TRACKING_H
#define COURIER_TRACKING_H

#include <stdbool.h>

#include "carrier.h"
#include "courier_config.h"
#include "courier_event.h"
#include "courier_pickup.h"
#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

struct courier_tracking_input {
	const char *ref;           /* SSCC (18 digits) or the carrier's tracking number */
	enum courier_event event;
	wms_time at;               /* when it happened at the carrier */
	const char *source;        /* "file", "webhook", ...; may be NULL */
	unsigned role;             /* role bits of whoever feeds the event (wms_rules.h): the
	                              ledger events it causes (dispatch, deliver) are theirs */
};

struct courier_tracking_result {
	long long consignment_id;
	bool duplicate;            /* already recorded: nothing changed */
	bool delivered;            /* this event ended the lead time (ledger deliver applied) */
	char state[24];            /* the consignment's state afterwards */
};

int courier_tracking_apply(struct wms_store *s, const struct courier_config *cc,
                           const struct courier_tracking_input *in,
                           struct courier_tracking_result *res, struct wms_error *err);

/* One event read from a tracking file. */
struct courier_tracking_line {
	char ref[COURIER_TRACKING_MAX + 1];
	enum courier_event event;
	wms_time at;
};

/* Called for every good line; returns what courier_import.h's record functions return. */
typedef int (*courier_tracking_fn)(void *ctx, long line, const struct courier_tracking_line *t,
                                   struct wms_error *err);

/*
 * Parse a tracking file of len bytes: JSON lines when its first non-blank
 * character is '{' - one object per line {"ref"|"sscc"|"tracking": "...",
 * "event": "...", "time": "..."} - else CSV ref,event,time (a header line
 * starting with ref, sscc or tracking is skipped).  Times as wms_time_parse
 * (ISO 8601, Stockholm time unless Z or an offset).  Bad lines go into rep
 * (reset first) by line number; fn gets the good ones.  0 or the status fn
 * stopped with.
 */
int courier_tracking_parse(const char *text, size_t len, courier_tracking_fn fn, void *ctx,
                           struct courier_import_report *rep, struct wms_error *err);

/*
 * Import a tracking file (format as above): every good line applied
 * (duplicates counted as unchanged), bad lines and refused events reported
 * by line in rep, all in one transaction.  0 or a negative status when the file cannot be read or
 * the database fails (nothing imported).
 */
int courier_tracking_import(struct wms_store *s, const struct courier_config *cc, const char *path,
                            unsigned role, struct courier_import_report *rep, struct wms_error *err);

#endif
