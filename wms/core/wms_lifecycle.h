/*
 * wms_lifecycle.h - the lifecycle state machine of a serial-numbered device.
 *
 * This is the one place that says which event may move a device from which
 * state to which.  The ledger asks it before writing anything; the CLI and the
 * daemon use it to tell an operator what is allowed next.
 *
 *   receive -> received -> (move) in_stock <-> in_buffer (transfer)
 *   in_stock | in_buffer -> reserve -> reserved -> pick -> picked -> dispatch
 *   -> dispatched -> deliver -> delivered -> rent -> rented
 *   rented -> expect_return | exchange -> return_expected
 *   rented | return_expected | delivered -> return -> quarantine
 *   quarantine -> recon_start -> in_recon -> recon_approve -> in_stock
 *                                          -> recon_repair  -> repair -> repair_back -> quarantine
 *   received | in_stock | quarantine | in_recon | repair -> scrap -> scrapped
 *   reserved | picked -> unreserve -> in_stock | in_buffer (where it stands)
 *   received | in_stock -> transfer_out -> in_transfer -> transfer_in -> received
 *                          (between depots; wms_depot.h)
 */
#ifndef WMS_LIFECYCLE_H
#define WMS_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

enum wms_state {
	WMS_ST_NONE = 0,          /* not yet registered */
	WMS_ST_RECEIVED,
	WMS_ST_IN_STOCK,
	WMS_ST_IN_BUFFER,
	WMS_ST_RESERVED,
	WMS_ST_PICKED,
	WMS_ST_DISPATCHED,
	WMS_ST_DELIVERED,
	WMS_ST_RENTED,
	WMS_ST_RETURN_EXPECTED,
	WMS_ST_QUARANTINE,
	WMS_ST_IN_RECON,
	WMS_ST_REPAIR,
	WMS_ST_SCRAPPED,
	WMS_ST_IN_TRANSFER,       /* on its way from one depot to another */
	WMS_ST_COUNT
};

enum wms_event_type {
	WMS_EV_RECEIVE = 0,
	WMS_EV_MOVE,
	WMS_EV_TO_BUFFER,
	WMS_EV_FROM_BUFFER,
	WMS_EV_RESERVE,
	WMS_EV_UNRESERVE,
	WMS_EV_PICK,
	WMS_EV_DISPATCH,
	WMS_EV_DELIVER,
	WMS_EV_RENT,
	WMS_EV_EXPECT_RETURN,
	WMS_EV_EXCHANGE,
	WMS_EV_RETURN,
	WMS_EV_RECON_START,
	WMS_EV_RECON_APPROVE,
	WMS_EV_RECON_REPAIR,
	WMS_EV_REPAIR_BACK,
	WMS_EV_SCRAP,
	WMS_EV_TRANSFER_OUT,      /* leaves its depot for another (in_transfer) */
	WMS_EV_TRANSFER_IN,       /* scanned in at the receiving depot's goods-in (received) */
	WMS_EV_DEVICE_COUNT,      /* events above move a device; below concern orders */
	WMS_EV_ORDER_CREATE = WMS_EV_DEVICE_COUNT,
	WMS_EV_ORDER_CANCEL,
	WMS_EV_ORDER_NOTE,
	WMS_EV_VOID,              /* a mistaken receipt or move, while it is the device's latest
	                             event, treated as not having happened (the void is kept) */
	WMS_EV_COUNT
};

/* Stable lower-case names as stored in the ledger ("in_stock", "reserve"). */
const char *wms_state_name(enum wms_state s);
const char *wms_event_name(enum wms_event_type t);
/* Swedish words for an operator's screen ("i lager", "reserverad"). */
const char *wms_state_label_sv(enum wms_state s);
/* Words for a screen in the calling thread's language (wms_tr): "in stock",
 * "i lager"; never the stored name. */
const char *wms_state_label(enum wms_state s);

/* An event or a state in a message: the stored name, which is what a CLI
 * user types ("to_buffer"), or for a station's screen (wms_error_for_station)
 * its words in the calling thread's language ("moving to a buffer store",
 * "flytta till buffertförråd"; states as wms_state_label). */
const char *wms_event_word(enum wms_event_type t);
const char *wms_state_word(enum wms_state s);

/* An order's status (orders.status: "reserved") as words that follow "order
 * N " in a message, in the calling thread's language: "has a device reserved
 * for it already", "har redan en enhet reserverad"; never the stored word. */
const char *wms_order_status_words(const char *status);

/* Reverse lookups; return -1 when the name is unknown. */
int wms_state_from_name(const char *name);
int wms_event_from_name(const char *name);

/*
 * The state a device in `from` reaches by event `ev`, or WMS_ST_NONE when the
 * transition is not allowed.  Unreserve returns WMS_ST_IN_STOCK; the ledger
 * turns it into in_buffer when the device stands in a buffer store.
 */
enum wms_state wms_transition(enum wms_state from, enum wms_event_type ev);

/*
 * Comma-separated names of the events allowed from `from` ("reserve, move,
 * to_buffer, scrap"; at a station their words, wms_event_word), or "none"
 * (wms_tr) for a final state; written into buf.
 */
const char *wms_allowed_events(enum wms_state from, char *buf, size_t len);

/* The delivery modes of an order, in the order reports list them. */
#define WMS_DELIVERY_MODES 4
extern const char *const wms_delivery_modes[WMS_DELIVERY_MODES];

/* The index of a delivery mode in wms_delivery_modes, or -1 (also for NULL). */
int wms_delivery_mode_index(const char *mode);

#endif
