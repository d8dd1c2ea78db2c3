/*
 * wms_patient.h - the patient's personal data of an order (the patient
 * reference, and name, address, postal code, phone for the delivery notice),
 * kept apart from the ledger
 * and the orders projection in `order_patients`, so that it can be purged
 * once the order no longer needs it (GDPR: data minimisation).
 *
 * Personal data is never logged, never put in an event, an error message,
 * an export or a listing; only wms_patient_show() reads it back, for
 * `wms order show --personal`.  wms_patient_purge() deletes it a configured
 * number of days after the order closed, with SQLite's secure_delete on and
 * the WAL checkpointed and truncated, so the bytes are gone from the files.
 */
#ifndef WMS_PATIENT_H
#define WMS_PATIENT_H

#include <jansson.h>
#include <stdbool.h>

#include "wms_error.h"
#include "wms_ledger.h"
#include "wms_store.h"
#include "wms_time.h"

/* Borrowed strings; NULL or "" = not given. */
struct wms_patient {
	const char *name;          /* at most 100 bytes */
	const char *address;       /* at most 200 bytes */
	const char *postal_code;   /* Swedish: "43130" or "431 30" */
	const char *phone;         /* 6-20 characters 0-9 + - space */
};

/* True when no field is given. */
bool wms_patient_empty(const struct wms_patient *p);

/* Check the fields; a message names the field and what is allowed, never the value. */
int wms_patient_check(const struct wms_patient *p, struct wms_error *err);

/*
 * Create the order cmd (type WMS_EV_ORDER_CREATE) and store its patient data
 * (p may be NULL or empty) in one transaction, or in one savepoint when the
 * caller holds a batch (wms_store_begin).  res may be NULL.
 */
int wms_order_create_with_patient(struct wms_store *s, const struct wms_cmd *cmd,
                                  const struct wms_patient *p, struct wms_cmd_result *res,
                                  struct wms_error *err);

/*
 * The personal data of order `number` as an object {patient_ref, name,
 * address, postal_code, phone}, JSON null when there is none (never given or purged),
 * NULL with err set when the order is unknown or on error.  Caller owns it.
 */
json_t *wms_patient_show(struct wms_store *s, const char *number, struct wms_error *err);

/*
 * An order is closed when it was cancelled, or delivered and its device
 * returned (an exchanged device counts when it is back).  Delete the personal
 * data of orders closed at or before now - retention_days; *purged (may be
 * NULL) receives the number of orders whose data was deleted.  Must not be
 * called inside a batch.  The daemon calls this daily; `wms purge` by hand.
 */
int wms_patient_purge(struct wms_store *s, wms_time now, int retention_days, long long *purged,
                      struct wms_error *err);

#endif
