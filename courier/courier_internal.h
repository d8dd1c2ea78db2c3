/*
 * courier_internal.h - what the consignment files of the courier room share
 * (consignment.c, booking.c, label.c); not for callers outside courier/.
 * Every function runs in the caller's transaction (courier_tx.h) unless
 * said otherwise.
 */
#ifndef COURIER_INTERNAL_H
#define COURIER_INTERNAL_H

#include <stddef.h>

#include "carrier.h"
#include "courier_config.h"
#include "courier_sscc.h"
#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

/* One consignment as booking and labels need it (all strings "" when NULL). */
struct courier_cons {
	long long id, order_id, booking_job, label_job;
	char sscc[COURIER_SSCC_LEN + 1], state[24], carrier[32], service[32], kind[12];
	char tracking[COURIER_TRACKING_MAX + 1];
	char order[40], mode[16], pickup_point[24];   /* pickup_point: the carrier's id */
	char depot[9], to_depot[9];   /* where it leaves from; a transfer's receiving depot */
};

/* Load consignment id into *c; WMS_ENOTFOUND when there is none. */
int courier_cons_load(struct wms_store *s, long long id, struct courier_cons *c,
                      struct wms_error *err);

/* Append one of its own events (created, booked, booking_failed, cancelled). */
int courier_cons_event(struct wms_store *s, long long id, wms_time ts, const char *event,
                       const char *source, const char *actor, const char *detail,
                       struct wms_error *err);

/* WMS_EEXIST when carrier already uses tracking for another consignment. */
int courier_cons_tracking_taken(struct wms_store *s, const char *carrier, const char *tracking,
                                struct wms_error *err);

/*
 * The consignment is booked with tracking: state booked, event booked, its
 * booking job (if any, still open) done and its held label released with
 * the tracking number filled in.
 */
int courier_cons_booked(struct wms_store *s, const struct courier_cons *c, const char *tracking,
                        wms_time now, struct wms_error *err);

/*
 * The label payload of consignment c (printq_payload.h's form: a shipping
 * label, or a return label for a return consignment) with the sender from
 * [courier], the receiver from the order (patient or pickup point) - a
 * transfer's sender and receiver are its two depots (wms_depot_address;
 * the default depot without an address is [courier]'s) - and
 * tracking when known (NULL: filled in when the booking comes back).
 * Returns 0 with *payload (malloc'd, caller frees), or 0 with *payload NULL
 * when the label cannot be made and why (size bytes) saying what is missing
 * (no personal data in it), or a negative status.
 */
int courier_label_payload(struct wms_store *s, const struct courier_config *cc,
                          const struct courier_cons *c, const char *tracking, wms_time now,
                          char **payload, char *why, size_t size, struct wms_error *err);

#endif
