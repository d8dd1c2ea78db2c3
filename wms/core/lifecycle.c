/*
 * lifecycle.c - the transition table of the device lifecycle (see wms_lifecycle.h).
 *
 * A table, not a switch: one row per event, listing the states it may start
 * from and the state it leads to.  Adding an event is adding one row.
 */
#include "wms_lifecycle.h"

#include "wms_error.h"

#include <stdio.h>
#include <string.h>

#define BIT(s) (1u << (s))

static const char *const state_names[WMS_ST_COUNT] = {
	[WMS_ST_NONE] = "none",
	[WMS_ST_RECEIVED] = "received",
	[WMS_ST_IN_STOCK] = "in_stock",
	[WMS_ST_IN_BUFFER] = "in_buffer",
	[WMS_ST_RESERVED] = "reserved",
	[WMS_ST_PICKED] = "picked",
	[WMS_ST_DISPATCHED] = "dispatched",
	[WMS_ST_DELIVERED] = "delivered",
	[WMS_ST_RENTED] = "rented",
	[WMS_ST_RETURN_EXPECTED] = "return_expected",
	[WMS_ST_QUARANTINE] = "quarantine",
	[WMS_ST_IN_RECON] = "in_recon",
	[WMS_ST_REPAIR] = "repair",
	[WMS_ST_SCRAPPED] = "scrapped",
	[WMS_ST_IN_TRANSFER] = "in_transfer",
};

static const char *const state_labels_sv[WMS_ST_COUNT] = {
	[WMS_ST_NONE] = "ej registrerad",
	[WMS_ST_RECEIVED] = "inlevererad",
	[WMS_ST_IN_STOCK] = "i lager",
	[WMS_ST_IN_BUFFER] = "i buffertförråd",
	[WMS_ST_RESERVED] = "reserverad",
	[WMS_ST_PICKED] = "plockad",
	[WMS_ST_DISPATCHED] = "skickad",
	[WMS_ST_DELIVERED] = "levererad",
	[WMS_ST_RENTED] = "uthyrd",
	[WMS_ST_RETURN_EXPECTED] = "retur väntas",
	[WMS_ST_QUARANTINE] = "karantän",
	[WMS_ST_IN_RECON] = "under rekonditionering",
	[WMS_ST_REPAIR] = "på reparation",
	[WMS_ST_SCRAPPED] = "kasserad",
	[WMS_ST_IN_TRANSFER] = "på väg mellan depåer",
};

/* The words of a screen line in English; wms_state_label() gives them in the
 * calling thread's language (the Swedish catalogue has state_labels_sv's). */
static const char *const state_labels[WMS_ST_COUNT] = {
	[WMS_ST_NONE] = WMS_N_("not registered"),
	[WMS_ST_RECEIVED] = WMS_N_("received"),
	[WMS_ST_IN_STOCK] = WMS_N_("in stock"),
	[WMS_ST_IN_BUFFER] = WMS_N_("in a buffer store"),
	[WMS_ST_RESERVED] = WMS_N_("reserved"),
	[WMS_ST_PICKED] = WMS_N_("picked"),
	[WMS_ST_DISPATCHED] = WMS_N_("dispatched"),
	[WMS_ST_DELIVERED] = WMS_N_("delivered"),
	[WMS_ST_RENTED] = WMS_N_("rented out"),
	[WMS_ST_RETURN_EXPECTED] = WMS_N_("return expected"),
	[WMS_ST_QUARANTINE] = WMS_N_("in quarantine"),
	[WMS_ST_IN_RECON] = WMS_N_("in reconditioning"),
	[WMS_ST_REPAIR] = WMS_N_("at repair"),
	[WMS_ST_SCRAPPED] = WMS_N_("scrapped"),
	[WMS_ST_IN_TRANSFER] = WMS_N_("in transfer between depots"),
};

/* An event as a worker at a station reads it (wms_event_word): English
 * gerunds that read both alone and in a list ("scrapping is not possible
 * now"); the Swedish catalogue has infinitives ("att kassera går inte"). */
static const char *const event_words[WMS_EV_COUNT] = {
	[WMS_EV_RECEIVE] = WMS_N_("receiving"),
	[WMS_EV_MOVE] = WMS_N_("moving to a shelf"),
	[WMS_EV_TO_BUFFER] = WMS_N_("moving to a buffer store"),
	[WMS_EV_FROM_BUFFER] = WMS_N_("moving back from a buffer store"),
	[WMS_EV_RESERVE] = WMS_N_("reserving for an order"),
	[WMS_EV_UNRESERVE] = WMS_N_("releasing the reservation"),
	[WMS_EV_PICK] = WMS_N_("picking"),
	[WMS_EV_DISPATCH] = WMS_N_("dispatching"),
	[WMS_EV_DELIVER] = WMS_N_("delivering"),
	[WMS_EV_RENT] = WMS_N_("renting out"),
	[WMS_EV_EXPECT_RETURN] = WMS_N_("ordering its collection"),
	[WMS_EV_EXCHANGE] = WMS_N_("exchanging"),
	[WMS_EV_RETURN] = WMS_N_("taking back as a return"),
	[WMS_EV_RECON_START] = WMS_N_("starting reconditioning"),
	[WMS_EV_RECON_APPROVE] = WMS_N_("approving after reconditioning"),
	[WMS_EV_RECON_REPAIR] = WMS_N_("sending to repair"),
	[WMS_EV_REPAIR_BACK] = WMS_N_("taking back from repair"),
	[WMS_EV_SCRAP] = WMS_N_("scrapping"),
	[WMS_EV_TRANSFER_OUT] = WMS_N_("sending to another depot"),
	[WMS_EV_TRANSFER_IN] = WMS_N_("receiving from another depot"),
	[WMS_EV_ORDER_CREATE] = WMS_N_("registering an order"),
	[WMS_EV_ORDER_CANCEL] = WMS_N_("cancelling an order"),
	[WMS_EV_ORDER_NOTE] = WMS_N_("noting on an order"),
	[WMS_EV_VOID] = WMS_N_("voiding an event"),
};

struct transition {
	const char *name;
	unsigned from;           /* bit set of allowed start states */
	enum wms_state to;
};

static const struct transition table[WMS_EV_COUNT] = {
	[WMS_EV_RECEIVE]       = { "receive", BIT(WMS_ST_NONE), WMS_ST_RECEIVED },
	[WMS_EV_MOVE]          = { "move", BIT(WMS_ST_RECEIVED) | BIT(WMS_ST_IN_STOCK), WMS_ST_IN_STOCK },
	[WMS_EV_TO_BUFFER]     = { "to_buffer", BIT(WMS_ST_IN_STOCK), WMS_ST_IN_BUFFER },
	[WMS_EV_FROM_BUFFER]   = { "from_buffer", BIT(WMS_ST_IN_BUFFER), WMS_ST_IN_STOCK },
	[WMS_EV_RESERVE]       = { "reserve", BIT(WMS_ST_IN_STOCK) | BIT(WMS_ST_IN_BUFFER), WMS_ST_RESERVED },
	[WMS_EV_UNRESERVE]     = { "unreserve", BIT(WMS_ST_RESERVED) | BIT(WMS_ST_PICKED), WMS_ST_IN_STOCK },
	[WMS_EV_PICK]          = { "pick", BIT(WMS_ST_RESERVED), WMS_ST_PICKED },
	[WMS_EV_DISPATCH]      = { "dispatch", BIT(WMS_ST_PICKED), WMS_ST_DISPATCHED },
	[WMS_EV_DELIVER]       = { "deliver", BIT(WMS_ST_DISPATCHED), WMS_ST_DELIVERED },
	[WMS_EV_RENT]          = { "rent", BIT(WMS_ST_DELIVERED), WMS_ST_RENTED },
	[WMS_EV_EXPECT_RETURN] = { "expect_return", BIT(WMS_ST_RENTED), WMS_ST_RETURN_EXPECTED },
	[WMS_EV_EXCHANGE]      = { "exchange", BIT(WMS_ST_RENTED), WMS_ST_RETURN_EXPECTED },
	[WMS_EV_RETURN]        = { "return", BIT(WMS_ST_RENTED) | BIT(WMS_ST_RETURN_EXPECTED) |
	                                     BIT(WMS_ST_DELIVERED), WMS_ST_QUARANTINE },
	[WMS_EV_RECON_START]   = { "recon_start", BIT(WMS_ST_QUARANTINE), WMS_ST_IN_RECON },
	[WMS_EV_RECON_APPROVE] = { "recon_approve", BIT(WMS_ST_IN_RECON), WMS_ST_IN_STOCK },
	[WMS_EV_RECON_REPAIR]  = { "recon_repair", BIT(WMS_ST_IN_RECON), WMS_ST_REPAIR },
	[WMS_EV_REPAIR_BACK]   = { "repair_back", BIT(WMS_ST_REPAIR), WMS_ST_QUARANTINE },
	[WMS_EV_SCRAP]         = { "scrap", BIT(WMS_ST_RECEIVED) | BIT(WMS_ST_IN_STOCK) |
	                                    BIT(WMS_ST_QUARANTINE) | BIT(WMS_ST_IN_RECON) |
	                                    BIT(WMS_ST_REPAIR), WMS_ST_SCRAPPED },
	[WMS_EV_TRANSFER_OUT]  = { "transfer_out", BIT(WMS_ST_RECEIVED) | BIT(WMS_ST_IN_STOCK),
	                           WMS_ST_IN_TRANSFER },
	[WMS_EV_TRANSFER_IN]   = { "transfer_in", BIT(WMS_ST_IN_TRANSFER), WMS_ST_RECEIVED },
	[WMS_EV_ORDER_CREATE]  = { "order_create", 0, WMS_ST_NONE },
	[WMS_EV_ORDER_CANCEL]  = { "order_cancel", 0, WMS_ST_NONE },
	[WMS_EV_ORDER_NOTE]    = { "order_note", 0, WMS_ST_NONE },
	[WMS_EV_VOID]          = { "void", 0, WMS_ST_NONE },
};

const char *wms_state_name(enum wms_state s)
{
	return (unsigned)s < WMS_ST_COUNT ? state_names[s] : "invalid";
}

const char *wms_state_label_sv(enum wms_state s)
{
	return (unsigned)s < WMS_ST_COUNT ? state_labels_sv[s] : "ogiltig";
}

const char *wms_state_label(enum wms_state s)
{
	return wms_tr((unsigned)s < WMS_ST_COUNT ? state_labels[s] : "invalid");
}

const char *wms_event_name(enum wms_event_type t)
{
	return (unsigned)t < WMS_EV_COUNT ? table[t].name : "invalid";
}

const char *wms_event_word(enum wms_event_type t)
{
	if (!wms_error_for_station())
		return wms_event_name(t);
	return wms_tr((unsigned)t < WMS_EV_COUNT ? event_words[t] : "invalid");
}

const char *wms_state_word(enum wms_state s)
{
	return wms_error_for_station() ? wms_state_label(s) : wms_state_name(s);
}

/* An order's stored status as what it says about the order, to follow
 * "order N " in a refusal (wms_lifecycle.h). */
const char *wms_order_status_words(const char *status)
{
	static const struct { const char *status, *words; } w[] = {
		{ "open", WMS_N_("is open") },
		{ "reserved", WMS_N_("has a device reserved for it already") },
		{ "picked", WMS_N_("has its device picked already") },
		{ "dispatched", WMS_N_("has left the warehouse") },
		{ "delivered", WMS_N_("is delivered") },
		{ "cancelled", WMS_N_("is cancelled") },
	};

	for (size_t i = 0; status && i < sizeof w / sizeof w[0]; i++)
		if (strcmp(status, w[i].status) == 0)
			return wms_tr(w[i].words);
	return status ? status : "";
}

int wms_state_from_name(const char *name)
{
	for (int s = 0; s < WMS_ST_COUNT; s++)
		if (strcmp(state_names[s], name) == 0)
			return s;
	return -1;
}

int wms_event_from_name(const char *name)
{
	for (int t = 0; t < WMS_EV_COUNT; t++)
		if (strcmp(table[t].name, name) == 0)
			return t;
	return -1;
}

enum wms_state wms_transition(enum wms_state from, enum wms_event_type ev)
{
	if ((unsigned)ev >= WMS_EV_DEVICE_COUNT || (unsigned)from >= WMS_ST_COUNT)
		return WMS_ST_NONE;
	return (table[ev].from & BIT(from)) ? table[ev].to : WMS_ST_NONE;
}

const char *wms_allowed_events(enum wms_state from, char *buf, size_t len)
{
	size_t used = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (int t = 0; t < WMS_EV_DEVICE_COUNT; t++) {
		if (wms_transition(from, (enum wms_event_type)t) == WMS_ST_NONE)
			continue;
		int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
		                 wms_event_word((enum wms_event_type)t));
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	if (used == 0)
		snprintf(buf, len, "%s", wms_tr("none"));
	return buf;
}

const char *const wms_delivery_modes[WMS_DELIVERY_MODES] = { "home", "pickup_point", "unit", "buffer" };

int wms_delivery_mode_index(const char *mode)
{
	for (int i = 0; mode && i < WMS_DELIVERY_MODES; i++)
		if (strcmp(wms_delivery_modes[i], mode) == 0)
			return i;
	return -1;
}
