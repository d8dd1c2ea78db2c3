/*
 * ledger_records.h - the records some events need beside their ledger row
 * (internal to wms/core, used by ledger.c only).
 *
 *   recon_start     needs a checklist snapshot; opens the reconditioning run
 *   recon_approve   needs the device's open run with every checklist step
 *                   passed (latest result of each); ends the run 'approved'
 *   recon_repair    ends the open run 'repair' with the fault description
 *   scrap           of a device in reconditioning ends its run 'scrapped'
 *   order_create    keeps the patient reference in order_patients
 *   receive         against a supplier delivery: the device is linked to it
 *                   (wms_supplier.h; checked in ledger.c's prepare_receive)
 *   void            of a receive: no longer a receipt against its delivery
 *
 * The check runs before the event is written, the write after it, in the
 * same transaction.  A trigger (schema.c) refuses a recon_approve row whose
 * run did not pass, whoever writes it.
 */
#ifndef WMS_LEDGER_RECORDS_H
#define WMS_LEDGER_RECORDS_H

#include "projection.h"
#include "wms_ledger.h"

/* Before the event: 0, or why the record it needs is missing. */
int wms_records_check(struct wms_store *s, const struct wms_cmd *c, const struct wms_event *ev,
                      long long product_id, struct wms_error *err);

/* After the event ev (its id known) was written by actor. */
int wms_records_write(struct wms_store *s, const struct wms_cmd *c, const struct wms_event *ev,
                      const char *actor, struct wms_error *err);

#endif
