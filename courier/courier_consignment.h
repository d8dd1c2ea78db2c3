/*
 * courier_consignment.h - consignments: one per parcel, with its order, its
 * device(s), SSCC, carrier, service, tracking number, state and events.
 *
 * States: created (numbered, not yet booked with the carrier) -> booked ->
 * in_transit | at_pickup_point | delivered | collected | returned_to_sender |
 * failed (a failed delivery, bomkörning), following the newest tracking
 * event (courier_tracking.h); cancelled.  The events of a consignment are
 * append-only (table consignment_events); the device's own history stays in
 * the ledger, where tracking events put dispatch and deliver events.
 *
 * Booking talks to the carrier (it may block), so it never runs inside a
 * transaction: create commits the numbered consignment together with its
 * booking job and its label job in the outbox (wms_outbox.h), and a worker
 * books it afterwards (courier_booking.h); a failed booking stays visible
 * (state created, the error kept, listed as a problem), is retried with the
 * outbox's backoff, and by hand with courier_consignment_book().  A manual
 * carrier's tracking number is typed at creation: booked at once, no job.
 *
 * A return consignment (kind "return") carries a device back from the
 * patient, handed in at a pickup point (postombud): it belongs to the order
 * the device was delivered for, has its own SSCC and a return label, and its
 * tracking events move only the consignment, never the ledger (the return
 * scan at intake puts the device in quarantine).
 *
 * A transfer consignment (kind "transfer") carries a device to another
 * depot (wms_transfer.h): made for a device still in stock (to_depot
 * given), whose transfer_out the dispatch station records when the SSCC is
 * scanned, as it dispatches an order's; or for a device already in
 * transfer.  No order, the device's depots, tracking that moves only the
 * consignment (the receiving depot's receipt station scans the SSCC or the
 * device: transfer_in, into its goods-in).  The carrier is given the
 * device's serial as its reference and mode "transfer"; its shipping label
 * goes from the sending depot to the receiving one (courier_internal.h).
 */
#ifndef COURIER_CONSIGNMENT_H
#define COURIER_CONSIGNMENT_H

#include <stdbool.h>
#include <jansson.h>

#include "carrier.h"
#include "courier_config.h"
#include "courier_sscc.h"
#include "wms_config.h"
#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

struct courier_consignment_req {
	const char *order;         /* order number; its device must be picked (a return:
	                              the order or the serial of a device delivered) */
	const char *carrier;       /* a configured carrier's name */
	const char *service;       /* NULL = the carrier's default */
	const char *tracking;      /* the typed or scanned number, for a manual carrier */
	bool is_return;            /* a return consignment via a pickup point */
	const char *transfer;      /* instead of order: the serial of a device in stock or in
	                              transfer, for a transfer consignment */
	const char *to_depot;      /* transfer of a device in stock: the depot it goes to */
	const char *pickup_point;  /* return: where the patient hands it in (location code,
	                              a pickup point of the carrier); NULL: the order's own */
	const char *label_printer; /* outbox target of its label; NULL: no label queued */
	wms_time at;               /* 0 = now */
	const char *station, *actor;
};

struct courier_consignment_result {
	long long id;
	char sscc[COURIER_SSCC_LEN + 1];
	char tracking[COURIER_TRACKING_MAX + 1];    /* "" until booked */
	bool booked;
	long long booking_job;     /* outbox job of the booking, 0 when none */
	long long label_job;       /* outbox job of the label, 0 when none was queued */
	char label_note[200];      /* why no label was queued ("" when one was, or none asked) */
};

/*
 * Create the consignment of an order's parcel, in one transaction with its
 * booking job (target: the carrier) and, when req->label_printer is given
 * and the label can be made, its label job (held until the booking gives
 * the tracking number; res->label_note says why there is no label
 * otherwise).  Refused, writing nothing, when the order is unknown or not
 * picked (a return: not delivered, or its device not out), already has a
 * consignment of that kind, the carrier is not configured, a manual carrier
 * lacks the tracking number, or no SSCC can be made.
 */
int courier_consignment_create(struct wms_store *s, const struct courier_config *cc,
                               const struct courier_consignment_req *req,
                               struct courier_consignment_result *res, struct wms_error *err);

/*
 * Book (again) a consignment that is still "created"; ref is its SSCC or id.
 * A manual carrier's tracking number is recorded at once; otherwise its
 * booking job becomes due now and one booking pass runs
 * (courier_booking_run_once): res->booked, or WMS_EIO with the carrier's
 * error while the job stays queued with backoff.
 */
int courier_consignment_book(struct wms_store *s, const struct courier_config *cc, const char *ref,
                             const char *tracking, struct courier_consignment_result *res,
                             struct wms_error *err);

/*
 * The same without the booking pass, for callers that must not wait for a
 * carrier (wmsd's HTTP API, whose worker thread books within a second): a
 * manual carrier's number is recorded (res->booked), else the booking job
 * is due now and res->booked stays false.
 */
int courier_consignment_book_soon(struct wms_store *s, const struct courier_config *cc,
                                  const char *ref, const char *tracking,
                                  struct courier_consignment_result *res, struct wms_error *err);

/*
 * Cancel a consignment not yet handed over (created or booked): the carrier
 * is told first (its cancel method), then the consignment becomes cancelled
 * with reason; the order may then get a new consignment.  Refused, writing
 * nothing, in any later state or when the carrier refuses.
 */
int courier_consignment_cancel(struct wms_store *s, const struct courier_config *cc, const char *ref,
                               const char *reason, struct wms_error *err);

/*
 * One consignment by SSCC, tracking number or id, with order, devices,
 * events and, once delivered, the order's lead time in working days
 * (measured with wcfg's calendar and cut-off).  Caller owns the result.
 */
json_t *courier_consignment_show(struct wms_store *s, const struct wms_config *wcfg, const char *ref,
                                 struct wms_error *err);

/*
 * Consignments, newest first (at most limit, <= 0: 100); with problems, only
 * those the dispatcher must act on, each with a "problem": failed delivery,
 * returned to sender, not booked (with the carrier's error), or late (open
 * and beyond [leadtime] target_days working days at now).
 */
json_t *courier_consignment_list(struct wms_store *s, const struct wms_config *wcfg, bool problems,
                                 wms_time now, int limit, struct wms_error *err);

/* Internal to the room: the consignment id of ref (SSCC, tracking number or id). */
int courier_consignment_find(struct wms_store *s, const char *ref, long long *id,
                             struct wms_error *err);

#endif
