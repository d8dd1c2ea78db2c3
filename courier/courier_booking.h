/*
 * courier_booking.h - the booking worker: drains "booking" jobs of the
 * outbox (wms_outbox.h, target = carrier name, payload {"consignment": id,
 * "sscc": ...}) to the carriers and records what became of each.
 *
 * One pass (courier_booking_run_once) claims due booking jobs one at a
 * time (the claim counts the attempt and hides the job for
 * WMS_OUTBOX_LEASE seconds, committed before the carrier is called), books
 * the consignment with its carrier outside any transaction, then records
 * the outcome in one transaction:
 *   booked          consignment booked with its tracking number, the job
 *                   done (state "printed": delivered), the held label
 *                   released with the tracking number filled in;
 *   carrier error   (WMS_EIO: unreachable, timeout, 5xx, nonsense) the
 *                   consignment keeps state created with the error and a
 *                   booking_failed event, the job queued again with the
 *                   outbox's backoff (5 s doubling to 5 min);
 *   refused for good (carrier no longer configured, bad parcel) the job
 *                   fails; the dispatcher retries (`wms consignment book`)
 *                   or cancels.
 * A job whose consignment is no longer "created" (booked by hand,
 * cancelled) is closed without calling the carrier.
 *
 * Never two bookings for one consignment: a worker that dies after the
 * carrier took the booking but before the outcome committed leaves the job
 * claimed and the consignment created; after the lease the job is claimed
 * again and the parcel is sent again with the same Idempotency-Key
 * (wms-<SSCC>, carrier_http_json.c), so the carrier answers with the
 * booking it already made instead of a second one; and the state check
 * above stops any second call once a booking is recorded.
 *
 * Blocks on the carriers (each request bounded by the carrier's
 * timeout_ms): run it in a worker thread (wmsd) or `wms consignment work`,
 * never in the daemon's event loop.  cc and s are the caller's.
 */
#ifndef COURIER_BOOKING_H
#define COURIER_BOOKING_H

#include "courier_config.h"
#include "wms_error.h"
#include "wms_store.h"

/* What one pass did (OUT, zeroed by each call). */
struct courier_booking_stats {
	int booked;      /* consignments booked */
	int retried;     /* carrier errors: jobs put back with backoff */
	int failed;      /* jobs given up */
	int closed;      /* jobs whose consignment was already booked or cancelled */
};

/* One pass over the due booking jobs (at most max, <= 0: 100).  0, or a
 * negative status when the store fails (job outcomes are in the outbox). */
int courier_booking_run_once(struct wms_store *s, const struct courier_config *cc, int max,
                             struct courier_booking_stats *stats, struct wms_error *err);

#endif
