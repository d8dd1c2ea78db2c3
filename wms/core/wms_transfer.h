/*
 * wms_transfer.h - moving devices between depots (HMC Mölndal <-> Skövde).
 *
 * Stock stays in its depot: allocation looks only at the order's depot.
 * When that depot has no device of the type, the dispatcher is told which
 * other depot has one (wms_transfer_sources) and asks it for one
 * (wms_transfer_request).  The sending depot scans the device out
 * (ledger event transfer_out: in_transfer, at the in-transit location
 * TRANSFER-<TO>, by carrier with a consignment when asked), the receiving
 * depot scans it in at its goods-in (transfer_in: received), then puts it
 * away as any receipt.  A transfer consignment made for a device still in
 * stock is linked to the oldest open request for its product between its
 * depots that no other live consignment answers (or a request made later
 * to such a waiting consignment): the two are one transfer.  A transfer_out
 * answers the request its device's consignment is linked to, else the
 * oldest open request for its product between the two depots that no
 * other device's consignment answers.  Devices in transfer count apart in
 * `wms stock` (state in_transfer, under the receiving depot).
 */
#ifndef WMS_TRANSFER_H
#define WMS_TRANSFER_H

#include <stddef.h>
#include <jansson.h>

#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

/*
 * The other depots that have devices of product_id in stock on a shelf,
 * most first: "SK (HMC Skövde): 3" into buf ("" when none).  0 or WMS_EDB.
 */
int wms_transfer_sources(struct wms_store *s, long long product_id, const char *except_depot,
                         char *buf, size_t len, struct wms_error *err);

/*
 * Ask another depot for a device for open order `number` (the order's
 * depot is the receiver).  from: the sending depot, NULL = the one with
 * the most in stock; refused when it has none.  *id (may be NULL) gets the
 * request's number.  at 0 = now; actor may be NULL.
 */
int wms_transfer_request(struct wms_store *s, const char *number, const char *from, const char *actor,
                         wms_time at, long long *id, struct wms_error *err);

/*
 * Link transfer consignment `consignment` (just made) to the oldest open
 * request for its device's product between its depots that no other live
 * consignment answers, when its device is still in stock or received (not
 * yet sent); nothing when there is none.  0 or WMS_EDB.
 */
int wms_transfer_link(struct wms_store *s, long long consignment, struct wms_error *err);

/*
 * Every transfer, oldest first: each request (its order, and its device
 * once sent or once a consignment linked to it is made), each transfer_out
 * without a request, and each transfer consignment made for a device still
 * in stock that answers no open request (the dispatch station sends it when
 * its SSCC is scanned): [{request, order, product, serial, from, to,
 * state, requested, sent, received, cancelled, consignment}], state one of
 * requested, in_transit, received, cancelled.  depot (sending or
 * receiving) and state (also "sent" for in_transit) filter; NULL or "" =
 * all.  An unknown depot or state is refused naming the allowed ones.
 * Caller owns the result.
 */
json_t *wms_transfer_list(struct wms_store *s, const char *depot, const char *state,
                          struct wms_error *err);

/*
 * Cancel transfer request id that nobody has sent yet (state requested):
 * by actor, at (0 = now), with reason (may be NULL).  A request in
 * transit, received or cancelled already, or with a live consignment
 * linked to it (cancel that first), is refused saying so.
 */
int wms_transfer_cancel(struct wms_store *s, long long id, const char *reason, const char *actor,
                        wms_time at, struct wms_error *err);

#endif
