/*
 * wms_query.h - read models for both doors (CLI and HTTP API): each query
 * returns a JSON value the caller owns (json_decref) or NULL with err set.
 * The CLI prints them as text or, with --json, as they are.
 */
#ifndef WMS_QUERY_H
#define WMS_QUERY_H

#include <jansson.h>

#include "wms_error.h"
#include "wms_store.h"

/*
 * Run sql with text parameters (NULL binds SQL NULL) and return the rows as an
 * array of objects keyed by column name; integers stay integers.
 */
json_t *wms_query_rows(struct wms_store *s, const char *sql, const char *const *params,
                       int n_params, struct wms_error *err);

/* One device with product, state, location, order and its full event history. */
json_t *wms_device_show(struct wms_store *s, const char *serial, struct wms_error *err);

/* Stock by depot, location, product type and state (devices in transfer
 * between depots under the receiving depot, state in_transfer); filters may
 * be NULL; an unknown depot is refused. */
json_t *wms_stock(struct wms_store *s, const char *product, const char *location, const char *depot,
                  struct wms_error *err);

/* Per depot and product type: received, in_stock, in_buffer, reserved
 * (and picked), arriving (in transfer to it).  Filters may be NULL. */
json_t *wms_stock_by_depot(struct wms_store *s, const char *product, const char *depot,
                           struct wms_error *err);

/* Orders, newest first; status may be NULL (all); limit <= 0 means 100. */
json_t *wms_order_list(struct wms_store *s, const char *status, int limit, struct wms_error *err);

/* One order with its events. */
json_t *wms_order_show(struct wms_store *s, const char *number, struct wms_error *err);

/* What a station needs to know of a device: serial, product, state,
 * location, location_kind, order.  NULL + WMS_ENOTFOUND when unknown. */
json_t *wms_device_brief(struct wms_store *s, const char *serial, struct wms_error *err);

/* Only a device's state: OUT state (size bytes, "" when unknown); 1 when
 * the device is known, 0 when not, or a negative error.  For a scan that
 * needs nothing else (a receipt asking whether the device is arriving by a
 * transfer), without building a brief or a "not found" message. */
int wms_device_state_of(struct wms_store *s, const char *serial, char *state, size_t size,
                        struct wms_error *err);

/* Devices a count expects at a location (received, in stock or buffer,
 * reserved): an array of {serial, product, state}, by serial. */
json_t *wms_devices_at(struct wms_store *s, const char *location, struct wms_error *err);

/* An order as a picker sees it: number, customer, product, mode, status,
 * and the reserved device's serial and location (null when none). */
json_t *wms_order_brief(struct wms_store *s, const char *number, struct wms_error *err);

/* A station's screen: the newest `limit` (<= 0: 20) handled scans after
 * journal id after_id, oldest first: [{id, ts (UTC seconds), result}].
 * Results never hold raw scan bytes. */
json_t *wms_station_lines(struct wms_store *s, const char *station, long long after_id, int limit,
                          struct wms_error *err);

/* The devices an order's or a transfer's consignment (by its 18-digit SSCC)
 * carries: its own device list, else its order's device: [{serial, state,
 * order, mode, kind, consignment (its state), depot, to_depot (a
 * transfer's), at_depot (the device's location's)}].  NULL with
 * WMS_ENOTFOUND naming the SSCC when no consignment has it. */
json_t *wms_consignment_devices(struct wms_store *s, const char *sscc, struct wms_error *err);

/* A station's header as wmsd last recorded it (wms_journal.h): {station,
 * mode, language, actor, pending, updated (UTC seconds)}, actor and pending
 * null when none.  NULL with WMS_ENOTFOUND when wmsd has not run it. */
json_t *wms_station_state(struct wms_store *s, const char *station, struct wms_error *err);

#endif
