/*
 * cmd_ledger.c - the subcommands that change devices and orders: one table
 * row per user task, all running through wms_ledger_apply().
 */
#include "cli.h"

#include "printq_payload.h"
#include "wms_ledger.h"
#include "wms_patient.h"
#include "wms_query.h"
#include "wms_rental.h"
#include "wms_time.h"

#include <stdio.h>
#include <string.h>

/*
 * wms dispatch: the dispatch and, for a unit or buffer delivery when a
 * printer has purpose delivery-note (--printer, else the one configured for
 * --station), its delivery note, in one transaction as at a dispatch
 * station.  *note (OUT, size bytes) the line to print about the note, ""
 * when none was wanted.
 */
static int dispatch(struct cli *c, const struct wms_cmd *w, struct wms_cmd_result *res, char *note,
                    size_t size, json_t **about, struct wms_error *err)
{
	char why[WMS_ERROR_MSG_MAX];
	const char *checked, *queued = NULL;
	json_t *d = NULL;
	int rc;

	note[0] = why[0] = '\0';
	/* the printers read, and an unknown --printer refused before anything is written */
	if ((rc = cli_label_printer(c, LABEL_DELIVERY_NOTE, &checked, err)) < 0 ||
	    (rc = wms_store_begin(c->store, err)) < 0)
		return rc;
	if ((rc = wms_ledger_apply(c->store, w, res, err)) == 0) {
		if ((d = wms_device_brief(c->store, w->serial, err)) == NULL)
			rc = err->code ? err->code : WMS_EDB;
		else
			rc = printq_dispatch_note(c->store, &c->printers, c->station, cli_opt(c, "printer"),
			                          json_string_value(json_object_get(d, "order")),
			                          cli_opt(c, "delivery-note-text"), res->event_id, &queued, why,
			                          sizeof why, err);
	}
	if (rc == 0)
		rc = wms_store_commit(c->store, err);
	else
		wms_store_rollback(c->store);
	/* --json: {"queued": true, "printer"} or {"queued": false, "why"}; null when none was wanted */
	if (rc == 0 && queued) {
		snprintf(note, size, _("%s: delivery note queued on printer %s\n"), w->serial, queued);
		*about = json_pack("{s:b, s:s}", "queued", 1, "printer", queued);
	} else if (rc == 0 && why[0]) {
		snprintf(note, size, _("%s: no delivery note: %s\n"), w->serial, why);
		*about = json_pack("{s:b, s:s}", "queued", 0, "why", why);
	}
	json_decref(d);
	return rc;
}

static int apply(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct wms_cmd w = { 0 };
	struct wms_cmd_result res;
	struct wms_patient patient = { 0 };
	char due[11], stop[11], note[2 * WMS_ERROR_MSG_MAX];
	json_t *about = NULL;        /* dispatch: what came of its delivery note, for --json */
	wms_time at = 0;
	bool order_cmd = cmd->event >= WMS_EV_DEVICE_COUNT;
	int rc;

	if (c->at && (rc = wms_time_parse(c->at, &at, err)) < 0)
		return rc;
	if ((rc = cli_store(c, err)) < 0)
		return rc;
	w.type = (enum wms_event_type)cmd->event;
	w.at = at;
	w.station = c->station ? c->station : "cli";
	w.actor = c->actor;
	w.role = c->role;
	if (order_cmd)
		w.order = c->args[0];
	else {
		w.serial = c->args[0];
		w.order = cli_opt(c, "order");
	}
	w.location = cli_opt(c, "location");
	w.reason = cli_opt(c, "reason") ? cli_opt(c, "reason") : w.reason;
	w.product = cli_opt(c, "product");
	w.gtin = cli_opt(c, "gtin");
	w.lot = cli_opt(c, "lot");
	w.expiry = cli_opt(c, "expiry");
	w.manufactured = cli_opt(c, "manufactured");
	w.delivery = cli_opt(c, "delivery");
	w.customer = cli_opt(c, "customer");
	w.patient_ref = cli_opt(c, "patient-ref");
	w.mode = cli_opt(c, "mode");
	w.pickup_point = cli_opt(c, "pickup-point");
	if (strcmp(cmd->name, "order set-pickup-point") == 0) {
		/* an order note that moves the delivery to a pickup point (ledger.c) */
		static char why[80];
		w.pickup_point = c->args[1];
		snprintf(why, sizeof why, "pickup point %.60s", c->args[1]);
		w.reason = why;
	}
	w.requested_date = cli_opt(c, "requested-date");
	w.depot = cli_opt(c, "depot");
	w.to_depot = cli_opt(c, "to");
	w.exchange_of = cli_opt(c, "exchange-of");
	w.external_id = cli_opt(c, "external-id");
	if (w.type == WMS_EV_EXPECT_RETURN || w.type == WMS_EV_EXCHANGE) {
		/* the pickup order's due day and rent stop, in working days from today */
		wms_day d, s;
		w.at = at ? at : wms_now();
		wms_return_plan(c->cfg->cal, w.at, c->cfg->pickup_due_days, c->cfg->rent_stop_days, &d, &s);
		w.pickup_due = cli_opt(c, "due") ? cli_opt(c, "due") : wms_date_format(d, due);
		w.rent_stop = cli_opt(c, "rent-stop") ? cli_opt(c, "rent-stop") : wms_date_format(s, stop);
	}
	patient.name = cli_opt(c, "patient-name");
	patient.address = cli_opt(c, "patient-address");
	patient.postal_code = cli_opt(c, "patient-postal-code");
	patient.phone = cli_opt(c, "patient-phone");
	note[0] = '\0';
	if (w.type == WMS_EV_ORDER_CREATE)
		rc = wms_order_create_with_patient(c->store, &w, &patient, &res, err);
	else if (w.type == WMS_EV_DISPATCH)
		rc = dispatch(c, &w, &res, note, sizeof note, &about, err);
	else
		rc = wms_ledger_apply(c->store, &w, &res, err);
	if (rc < 0)
		return rc;
	if (c->json) {
		json_t *o = json_pack("{s:I, s:s, s:s?, s:s?}", "event", (json_int_t)res.event_id,
		                      "type", wms_event_name(w.type),
		                      "from", order_cmd ? NULL : wms_state_name(res.from),
		                      "to", order_cmd ? NULL : wms_state_name(res.to));
		if (o && w.type == WMS_EV_DISPATCH)
			json_object_set_new(o, "delivery_note", about ? json_incref(about) : json_null());
		cli_print(c, o);
		json_decref(o);
	} else if (order_cmd) {
		printf(_("order %s: %s (event %lld)\n"), w.order, wms_event_name(w.type), res.event_id);
	} else {
		printf(_("%s: %s -> %s (event %lld)\n"), w.serial, wms_state_name(res.from),
		       wms_state_name(res.to), res.event_id);
		if (w.type == WMS_EV_EXPECT_RETURN || w.type == WMS_EV_EXCHANGE)
			printf(_("pickup due by %s; rent stops %s\n"), w.pickup_due, w.rent_stop);
		fputs(note, stdout);
	}
	json_decref(about);
	return 0;
}

/* wms void EVENT --reason TEXT: a mistaken receipt or move, while it is the device's latest event. */
static int void_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct wms_cmd w = { .type = WMS_EV_VOID };
	struct wms_cmd_result res;
	long id;
	int rc;

	if ((rc = wms_parse_int(c->args[0], 1, 2000000000L, &id, err)) < 0)
		return wms_error_set(err, WMS_EINVAL, "bad event \"%.20s\": the id of an event (see `wms device "
		                     "show SERIAL`)", c->args[0]);
	if (c->at && (rc = wms_time_parse(c->at, &w.at, err)) < 0)
		return rc;
	if ((rc = cli_store(c, err)) < 0)
		return rc;
	w.voids = id;
	w.reason = cli_opt(c, "reason");
	w.station = c->station ? c->station : "cli";
	w.actor = c->actor;
	w.role = c->role;
	if ((rc = wms_ledger_apply(c->store, &w, &res, err)) < 0)
		return rc;
	if (c->json) {
		json_t *o = json_pack("{s:I, s:s, s:I}", "event", (json_int_t)res.event_id, "type", "void",
		                      "voids", (json_int_t)id);
		cli_print(c, o);
		json_decref(o);
	} else {
		printf(_("event %ld voided (event %lld); the history keeps both\n"), id, res.event_id);
	}
	return 0;
}

const struct cli_command cli_ledger_commands[] = {
	{ "receive", apply, "SERIAL", "product gtin lot expiry manufactured location depot delivery",
	  N_("register a device at receipt (inleverans); its product comes from --product or --gtin, or "
	  "from the supplier delivery it came with (--delivery: over-receipts and unannounced products "
	  "are refused)"),
	  WMS_EV_RECEIVE },
	{ "move", apply, "SERIAL", "location",
	  N_("put a received device away on a shelf, or move it between shelves"), WMS_EV_MOVE },
	{ "to-buffer", apply, "SERIAL", "location",
	  N_("transfer a device from stock to a customer's buffer store (buffertförråd)"), WMS_EV_TO_BUFFER },
	{ "from-buffer", apply, "SERIAL", "location",
	  N_("take a device back from a buffer store onto a shelf"), WMS_EV_FROM_BUFFER },
	{ "reserve", apply, "SERIAL", "order", N_("reserve a device in stock for an open order"),
	  WMS_EV_RESERVE },
	{ "unreserve", apply, "SERIAL", "reason", N_("release a reserved or picked device"),
	  WMS_EV_UNRESERVE },
	{ "pick", apply, "SERIAL", "", N_("pick a reserved device (plock)"), WMS_EV_PICK },
	{ "dispatch", apply, "SERIAL", "printer delivery-note-text",
	  N_("hand a picked device over for transport (utleverans); a unit or buffer delivery's delivery "
	  "note is queued on the printer with purpose delivery-note (--printer, or the one for --station), "
	  "with --delivery-note-text for the customer (the order's own note is never on it)"),
	  WMS_EV_DISPATCH },
	{ "deliver", apply, "SERIAL", "",
	  N_("record delivery to the patient, pickup point or ordering unit; ends the lead time"),
	  WMS_EV_DELIVER },
	{ "rent", apply, "SERIAL", "", N_("start the rental (uthyrd) of a delivered device"), WMS_EV_RENT },
	{ "expect-return", apply, "SERIAL", "reason due rent-stop",
	  N_("pickup order (hämtorder) for a rented device: due in [returns] pickup_due_days working days, "
	  "rent stops after rent_stop_days (or --due, --rent-stop YYYY-MM-DD)"),
	  WMS_EV_EXPECT_RETURN },
	{ "exchange", apply, "SERIAL", "order reason due rent-stop",
	  N_("exchange (byte) a faulty rented device; --order names the replacing order; the old one is "
	  "collected and its rent stops as for expect-return"), WMS_EV_EXCHANGE },
	{ "return", apply, "SERIAL", "reason depot",
	  N_("receive a returned device into quarantine (retur), at --depot (default: its order's)"),
	  WMS_EV_RETURN },
	{ "transfer out", apply, "SERIAL", "to depot",
	  N_("send a device in stock to another depot (--to CODE); it is in transfer until scanned in there"),
	  WMS_EV_TRANSFER_OUT },
	{ "transfer in", apply, "SERIAL", "depot",
	  N_("scan in a device arriving from another depot at its goods-in (then put it away)"),
	  WMS_EV_TRANSFER_IN },
	/* reconditioning starts, approves and sends to repair only through
	 * `wms recon` (reconditioning/): its checklist is the gate */
	{ "repair-back", apply, "SERIAL", "", N_("receive a device back from repair into quarantine"),
	  WMS_EV_REPAIR_BACK },
	{ "scrap", apply, "SERIAL", "reason", N_("scrap a device (kassation)"), WMS_EV_SCRAP },
	{ "order create", apply, "NUMBER",
	  "customer product mode pickup-point requested-date patient-ref depot exchange-of external-id "
	  "patient-name patient-address patient-postal-code patient-phone",
	  N_("register an order (beställning); mode is home, pickup_point, unit or buffer"),
	  WMS_EV_ORDER_CREATE },
	{ "order cancel", apply, "NUMBER", "reason", N_("cancel an open order"), WMS_EV_ORDER_CANCEL },
	{ "order set-pickup-point", apply, "NUMBER CODE", "",
	  N_("deliver an order that has not left yet to pickup point CODE (see `wms pickup-point "
	  "nearest`)"), WMS_EV_ORDER_NOTE },
	{ "order note", apply, "NUMBER", "reason",
	  N_("note on an order, e.g. why it is late (shown in the lead-time report)"), WMS_EV_ORDER_NOTE },
	{ "void", void_cmd, "EVENT", "reason",
	  N_("void a mistaken receipt or move while it is its device's latest event (manager; --reason); "
	  "the device is as if it had not happened, the history shows both"), WMS_EV_VOID },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
