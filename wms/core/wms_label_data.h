/*
 * wms_label_data.h - what the ledger knows that goes on a label, so that no
 * one types it: a device's serial, GTIN, product name and article number; a
 * location's code and name.  Returned as a JSON object of label field name ->
 * string (the field names of printing/label.h), which the caller owns
 * (json_decref), or NULL with err set (WMS_ENOTFOUND naming the serial or
 * code).  No personal data is read here.
 */
#ifndef WMS_LABEL_DATA_H
#define WMS_LABEL_DATA_H

#include <jansson.h>

#include "wms_error.h"
#include "wms_store.h"

/* serial, gtin (the device's own, else its product's first), product, article;
 * lot and expiry (YYYY-MM-DD) when the receipt knew them. */
json_t *wms_label_device_fields(struct wms_store *s, const char *serial, struct wms_error *err);

/* code, text (the location's name). */
json_t *wms_label_location_fields(struct wms_store *s, const char *code, struct wms_error *err);

/* A pick list for order `number`: {"fields": {order_ref, customer, note},
 * "rows": [{location, article, description, qty, serial}]} with the
 * reserved device and where it stands (no serial and location "-" while
 * none is reserved). */
json_t *wms_label_picklist(struct wms_store *s, const char *number, struct wms_error *err);

/* A delivery note (följesedel) for order `number`: {"fields": {order_ref,
 * date, customer_name, customer_street, customer_postcode, customer_city,
 * customer_number (the ordering unit's code), delivery_method (in words),
 * pickup_point (name and code, when the order has one), patient_ref (the
 * pseudonym only: never a name or address)}, "rows": [{article, description,
 * qty, serial}] one per device of the order (its product without a serial
 * while none is reserved)}.  WMS_EINVAL when the customer has no address
 * (saying how to set it).  The order's note is not among the fields: it is
 * the centre's own (why it is late, ...) and the paper goes to the customer;
 * a text for the customer is given where the note is printed (note=). */
json_t *wms_label_delivery_note(struct wms_store *s, const char *number, struct wms_error *err);

#endif
