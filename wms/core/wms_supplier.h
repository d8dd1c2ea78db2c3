/*
 * wms_supplier.h - goods in against what a supplier announced: suppliers,
 * their deliveries (an announced list of products, quantities and perhaps
 * serials, imported from the supplier's CSV), the devices received against
 * a delivery, and its closing with a discrepancy report.
 *
 * A delivery is open until closed.  A receipt against it (a receive with
 * wms_cmd.delivery: the receipt station after DLV:<NUMBER>, `wms receive
 * --delivery`, the API's receive event with "delivery") is checked by the
 * ledger first (wms_delivery_check): a product the delivery did not
 * announce, one more than announced, or a serial outside an announced
 * serial list is refused, so that it is set aside and reported instead of
 * silently taken; a taken device is linked (wms_delivery_link) in the
 * receive's transaction.  A device without a manufacturer's UDI may be
 * received by its serial alone: its product is the delivery's
 * (wms_delivery_product).
 * Reference data and an operational record, like the scan journal: the
 * ledger's receive event stays the device's history.
 */
#ifndef WMS_SUPPLIER_H
#define WMS_SUPPLIER_H

#include <jansson.h>

#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

/* A supplier: code (the wms_check_code rules), name 1-120 bytes. */
int wms_supplier_add(struct wms_store *s, const char *code, const char *name, struct wms_error *err);
/* [{code, name, deliveries, open}]; caller owns. */
json_t *wms_supplier_list(struct wms_store *s, struct wms_error *err);

/*
 * Import announced deliveries from CSV text (len bytes) with a header and
 * the columns supplier, delivery, product (a product code or a GTIN),
 * expected (1-100000) and optionally serials (separated by blanks).  Lines
 * of one delivery number add up.  All or nothing: the first bad line is an
 * error naming it (WMS_EINVAL), an unknown supplier or product
 * WMS_ENOTFOUND, a delivery number known already WMS_EEXIST.  *deliveries
 * and *lines (OUT) count what was imported.
 */
int wms_delivery_import(struct wms_store *s, const char *text, size_t len, int *deliveries,
                        int *lines, struct wms_error *err);

/* [{number, supplier, status, expected, received}], newest first; caller owns. */
json_t *wms_delivery_list(struct wms_store *s, struct wms_error *err);

/*
 * One delivery: {number, supplier, status, expected, received, missing,
 * products: [{product, name, expected, received, missing, over}],
 * unexpected: [{product, received}] (received, not announced),
 * serials_missing: [...] (announced serials not received), closed, report}.
 * WMS_ENOTFOUND for an unknown number.  Caller owns.
 */
json_t *wms_delivery_show(struct wms_store *s, const char *number, struct wms_error *err);

/* Close an open delivery; *report (OUT, caller owns) is its show() at
 * closing, also stored with it.  WMS_ESTATE when closed already. */
int wms_delivery_close(struct wms_store *s, const char *number, const char *actor, json_t **report,
                       struct wms_error *err);

/*
 * May a device of product_id with serial be received against open delivery
 * number?  0, or WMS_ESTATE / WMS_ENOTFOUND saying why not (not announced,
 * over the announced quantity, a serial not on the list, closed).  The
 * ledger's receive calls it (wms_cmd.delivery), for every door.
 */
int wms_delivery_check(struct wms_store *s, const char *number, long long product_id,
                       const char *serial, struct wms_error *err);

/*
 * The product of a device received against delivery number by its serial
 * alone (our own label, no manufacturer's UDI to name it): the product the
 * serial is announced for, else the one product the delivery still
 * expects.  *product_id (OUT) 0 when none follows (nothing missing, an
 * unknown or closed delivery: wms_delivery_check says which); WMS_EINVAL
 * when several products are missing, listing them with their counts.
 */
int wms_delivery_product(struct wms_store *s, const char *number, const char *serial,
                         long long *product_id, struct wms_error *err);

/* Record the received device (device_id, of product_id) against delivery
 * number at ts, in the receive's transaction (the ledger does). */
int wms_delivery_link(struct wms_store *s, const char *number, long long device_id,
                      long long product_id, wms_time ts, struct wms_error *err);

/* A voided receipt is no receipt against its delivery either. */
int wms_delivery_unlink(struct wms_store *s, long long device_id, struct wms_error *err);

#endif
