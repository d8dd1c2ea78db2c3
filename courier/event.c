/*
 * event.c - names of the carriers' tracking events (see courier_event.h).
 */
#include "courier_event.h"

#include <string.h>

static const struct {
	const char *name, *state;
} events[COURIER_EV_COUNT] = {
	[COURIER_EV_IN_TRANSIT]      = { "in_transit", "in_transit" },
	[COURIER_EV_AT_PICKUP_POINT] = { "available_at_pickup_point", "at_pickup_point" },
	[COURIER_EV_DELIVERED]       = { "delivered", "delivered" },
	[COURIER_EV_COLLECTED]       = { "collected", "collected" },
	[COURIER_EV_RETURNED]        = { "returned_to_sender", "returned_to_sender" },
	[COURIER_EV_FAILED]          = { "failed_delivery", "failed" },
};

const char *courier_event_name(enum courier_event ev)
{
	return (unsigned)ev < COURIER_EV_COUNT ? events[ev].name : NULL;
}

int courier_event_from_name(const char *name)
{
	for (int i = 0; name && i < COURIER_EV_COUNT; i++)
		if (strcmp(events[i].name, name) == 0)
			return i;
	return -1;
}

const char *courier_event_state(enum courier_event ev)
{
	return (unsigned)ev < COURIER_EV_COUNT ? events[ev].state : NULL;
}

const char *courier_event_names(void)
{
	return "in_transit, available_at_pickup_point, delivered, collected, returned_to_sender, "
	       "failed_delivery";
}
