/*
 * wms_ledger.h - every change to a device or an order, as one command.
 *
 * wms_ledger_apply() is the only writer of the ledger.  In one transaction it
 * checks the command against the current projections and the lifecycle
 * (wms_lifecycle.h), appends one event to the append-only `events` table and
 * updates the projections (devices, orders, rentals).  A refused command
 * writes nothing and says what was wrong and what is allowed.
 *
 * The rules of wms_rules.h hold here for every door: the actor's role must
 * allow the event, the time may not be ahead of the clock, a patient
 * reference is a pseudonym (stored apart, never in the event).  Events that
 * need a record keep it in the same transaction (ledger_records.c): the
 * reconditioning run that recon_start opens and recon_approve, recon_repair
 * or a scrap ends; recon_approve only for a run whose every checklist step
 * passed (a trigger holds the same rule in the database).  The commit is
 * durable (synchronous=FULL) when the command is not inside a batch.
 */
#ifndef WMS_LEDGER_H
#define WMS_LEDGER_H

#include <stdbool.h>

#include "wms_error.h"
#include "wms_lifecycle.h"
#include "wms_store.h"
#include "wms_time.h"

/*
 * A command; the caller fills what its type needs and leaves the rest NULL/0.
 * All strings are borrowed for the duration of the call.
 */
struct wms_cmd {
	enum wms_event_type type;
	wms_time at;               /* when it happened; 0 = now */
	const char *station;       /* where it was done (scanner station, "cli") */
	const char *actor;         /* who did it (user id, not a name); required unless role is
	                              WMS_ROLE_TRUSTED (then "system" when NULL) */
	unsigned role;             /* the actor's role bits (wms_rules.h), as the door established
	                              it; 0 is refused: a door must say who acts */

	const char *serial;        /* every device event */
	const char *order;         /* order number: reserve, order_*, exchange (the new order) */
	const char *location;      /* location code: receive (default GOODS-IN), move, to_buffer,
	                              from_buffer, recon_approve */
	const char *reason;        /* required for scrap, exchange, recon_repair, order_cancel,
	                              order_note; optional elsewhere (unreserve, return, ...) */

	/* receive */
	const char *product;       /* product code; may be omitted when gtin is registered */
	const char *gtin;          /* 8, 12, 13 or 14 digits with a valid check digit */
	const char *lot;
	const char *expiry;        /* YYYY-MM-DD */
	const char *manufactured;  /* YYYY-MM-DD */
	const char *delivery;      /* the open supplier delivery it is received against (wms_supplier.h):
	                              checked, linked, and the product when neither product nor gtin */

	/* order_create */
	const char *customer;      /* ordering unit code */
	const char *patient_ref;   /* pseudonymised patient reference (wms_patient_ref_check); kept
	                              in the purgeable order_patients, never in the event */
	const char *mode;          /* home | pickup_point | unit | buffer */
	const char *pickup_point;  /* location code of kind pickup_point, for mode pickup_point */
	const char *requested_date;/* customer-set delivery date (anpassad leverans), YYYY-MM-DD */
	const char *depot;         /* order_create: the depot serving the order; device events:
	                              the depot where it is done (a station's depot; a device of
	                              another depot is refused, a return lands in its quarantine);
	                              NULL = the default depot / the device's own (wms_depot.h) */
	const char *to_depot;      /* transfer_out: the receiving depot */
	const char *exchange_of;   /* serial of the rented device this order replaces */
	const char *external_id;   /* the ordering system's order id, unique per ordering unit */

	/* expect_return (hämtorder) and exchange: both YYYY-MM-DD, optional, computed by the caller from
	 * the configured working days (wms_rental.h: wms_return_plan) */
	const char *pickup_due;    /* the day the pickup is due by */
	const char *rent_stop;     /* the first day no longer charged; the rental ends then */

	/* recon_start: the checklist snapshot (recon_checklists.id) the run follows; only the
	 * reconditioning room (recon.h) knows checklists, so recon_start needs it */
	long long checklist_id;

	/* void: the id of the mistaken receive or move (with reason); only while it is its
	 * device's latest event.  The projections treat it as not having happened. */
	long long voids;
};

struct wms_cmd_result {
	long long event_id;
	long long device_id;       /* 0 when none */
	long long order_id;        /* 0 when none */
	enum wms_state from, to;   /* device states; WMS_ST_NONE for order events */
};

/* Apply cmd; res may be NULL.  0 or a negative wms_status with err filled. */
int wms_ledger_apply(struct wms_store *s, const struct wms_cmd *cmd,
                     struct wms_cmd_result *res, struct wms_error *err);

/*
 * The bulk path, for imports and the demo: between wms_ledger_bulk_begin and
 * the end of the batch, wms_ledger_apply checks each command against the
 * devices and orders it touches held in memory (read from the tables on first
 * use), appends the event with the same insert as ever, and keeps the new
 * state in memory, without a savepoint per command; each changed device and
 * order row is written once, when wms_store_commit (or bulk_end with ok)
 * ends the session.  The rules and the lifecycle are those of the live path,
 * and a refused command writes nothing, as there.  A command that fails after
 * its event was written (a database error) leaves the batch only to be rolled
 * back.  begin needs an open batch (wms_store_begin); wms_store_rollback
 * discards the session.  Nothing else may read or write devices and orders
 * of the store meanwhile.
 */
int wms_ledger_bulk_begin(struct wms_store *s, struct wms_error *err);
int wms_ledger_bulk_end(struct wms_store *s, bool ok, struct wms_error *err);

#endif
