/*
 * wms_export.h - the ledger's events with region-wide keys, in commit order:
 * what a depot ships to the hub (central reporting on PostgreSQL, issue 18
 * phase 2) and what `wms ledger export` prints.
 *
 * An exported event never carries a depot's internal row ids: the device is
 * its serial, the order its number, a location its code, a product or an
 * ordering unit its code, and every event names its depot (the depot of its
 * location, else of its order, else the default).  seq is the local ledger
 * position (events.id), increasing in commit order: with the depot code and
 * the ledger epoch it is the idempotency key on the hub.  Nothing personal
 * is exported: patients are in order_patients, which is never read here,
 * and personal keys (patient_ref, name, address, postal_code, phone) are
 * dropped from payloads of events written before they left the ledger.
 */
#ifndef WMS_EXPORT_H
#define WMS_EXPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "wms_error.h"
#include "wms_store.h"

/*
 * At most limit (1..100000) events with seq > after, oldest first, as a JSON
 * array of {seq, depot, ts (UTC seconds), type, serial?, order?, location?,
 * from?, to?, station?, actor?, payload: {...} with ids turned into codes}.
 * The caller owns the result; NULL with err set on failure.
 */
json_t *wms_ledger_export(struct wms_store *s, long long after, int limit, struct wms_error *err);

/* The ledger's last sequence (0 when empty) into *seq. */
int wms_ledger_head(struct wms_store *s, long long *seq, struct wms_error *err);

/* The ledger's epoch (16 hex digits) into buf (at least 17 bytes). */
int wms_ledger_epoch(struct wms_store *s, char *buf, struct wms_error *err);

/* Start a new epoch (after restoring the database from a backup): events
 * after this are shipped under it; returns it in buf like wms_ledger_epoch. */
int wms_ledger_new_epoch(struct wms_store *s, char *buf, struct wms_error *err);

/*
 * The shipped mark: a small file beside the database (<database>.shipped) saying which
 * event of which epoch the hub is known to hold ("EPOCH SEQ DIGEST").  A
 * database restored from an older backup no longer has that event (or has
 * another one there), and would ship other events under keys the hub holds.
 * wms_ledger_mark records event seq (after a successful shipment).
 * wms_ledger_check_mark (at start, before shipping): when the database's
 * epoch is the mark's and its event seq is missing or differs, starts a new
 * epoch and sets *renewed.  No mark: nothing to check (0).
 */
int wms_ledger_mark(struct wms_store *s, long long seq, struct wms_error *err);
int wms_ledger_check_mark(struct wms_store *s, bool *renewed, struct wms_error *err);

#endif
