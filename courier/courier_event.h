/*
 * courier_event.h - the tracking events a carrier reports for a consignment,
 * and the consignment states they lead to.
 */
#ifndef COURIER_EVENT_H
#define COURIER_EVENT_H

enum courier_event {
	COURIER_EV_IN_TRANSIT,            /* "in_transit" */
	COURIER_EV_AT_PICKUP_POINT,       /* "available_at_pickup_point" (utlämningsställe) */
	COURIER_EV_DELIVERED,             /* "delivered" (home or ordering unit) */
	COURIER_EV_COLLECTED,             /* "collected" by the patient at the pickup point */
	COURIER_EV_RETURNED,              /* "returned_to_sender" */
	COURIER_EV_FAILED,                /* "failed_delivery" (bomkörning) */
	COURIER_EV_COUNT
};

/* "in_transit", ...; NULL when out of range. */
const char *courier_event_name(enum courier_event ev);

/* The event called name, or -1. */
int courier_event_from_name(const char *name);

/* The consignment state after ev: "in_transit", "at_pickup_point", "delivered",
 * "collected", "returned_to_sender", "failed". */
const char *courier_event_state(enum courier_event ev);

/* "in_transit, available_at_pickup_point, ..." (static text). */
const char *courier_event_names(void);

#endif
