/*
 * station_modes.c - what a station does with an understood scan, mode by
 * mode.  Each mode is one function in the table at the bottom; it turns the
 * scan (and what the operator scanned before it) into ledger commands, or
 * says what it expected instead.
 *
 *   receipt    manufacturer's UDI                      -> receive
 *              device or SSCC arriving by a transfer   -> transfer_in
 *   putaway    device, then LOC: shelf                 -> move
 *   transfer   device, then LOC: buffer (or shelf)     -> to_buffer / from_buffer
 *   pick       ORD: order (the oldest device is allocated and suggested),
 *              then device                             -> (reserve +) pick
 *   dispatch   device, or SSCC of an order's consignment -> dispatch
 *              SSCC of a transfer consignment          -> transfer_out
 *   return     device                                  -> return (quarantine)
 *   recon      device (from quarantine: start), RCN: step results (or
 *              RCN:<STEP>: and then the measured value as a numeric scan or
 *              typed on the screen's keypad), then LOC: shelf (approve),
 *              RCN:REPAIR:<CODE> / RCN:SCRAP:<CODE> from the command sheet,
 *              or CMD:DONE                             -> the reconditioning room
 *   count      LOC:, then devices, then CMD:DONE       -> a count report (no event)
 *
 * A device is scanned as the manufacturer's UDI (its (21) serial) or as our
 * own device label (the serial as plain Code 128).  USR:<badge> signs a user
 * in at the station: the badge must be registered (`wms user badge`) and the
 * user's role must fit the station's mode (the core's role table, as for
 * every door); the ledger records them as the actor, with their role.
 * While nobody is signed in, the station scans as a warehouse worker (actor
 * "wmsd"); a recon station needs a signed-in technician.  CMD: barcodes change the
 * mode (refused when the signed-in user's role does not fit the new one),
 * cancel what was scanned, or finish a count.
 *
 * Lines are written in the station's language (wmsd_lang_enter around the
 * scan): every format goes through wms_tr(), state names through
 * wms_state_label(), never the stored English names.
 */
#include "station_impl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printq_payload.h"
#include "recon.h"
#include "wms_allocate.h"
#include "wms_label_data.h"
#include "wms_outbox.h"
#include "wms_ledger.h"
#include "wms_query.h"
#include "wms_rules.h"
#include "wms_supplier.h"
#include "wms_time.h"
#include "wms_users.h"

void station_reset(struct wmsd_station *st)
{
	st->device[0] = '\0';
	st->step[0] = '\0';
	st->delivery[0] = '\0';
	st->gtin[0] = '\0';
	st->order[0] = '\0';
	st->count_location[0] = '\0';
	st->n_counted = 0;
}

static void say(struct station_out *out, const char *cls, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* "CLS: " and fmt in the station's language. */
static void say(struct station_out *out, const char *cls, const char *fmt, va_list ap)
{
	int n = snprintf(out->line, sizeof out->line, "%s: ", cls);

	vsnprintf(out->line + n, sizeof out->line - (size_t)n, wms_tr(fmt), ap);
}

static void ok(struct station_out *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void failed(struct station_out *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warning(struct station_out *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void ok(struct station_out *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(out, "ok", fmt, ap);
	va_end(ap);
}

static void failed(struct station_out *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(out, "failed", fmt, ap);
	va_end(ap);
}

static void warning(struct station_out *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(out, "warning", fmt, ap);
	va_end(ap);
}

void station_pending(const struct wmsd_station *st, char *buf, size_t size)
{
	buf[0] = '\0';
	if (st->step[0])
		snprintf(buf, size, wms_tr("%s: the measured value of step %s (scan it or type it)"),
		         st->device, st->step);
	else if (st->count_location[0])
		snprintf(buf, size, wms_tr("counting %s: %d devices so far"), st->count_location,
		         st->n_counted);
	else if (st->gtin[0])
		snprintf(buf, size, wms_tr("the serial number of a device of GTIN %s"), st->gtin);
	else if (st->delivery[0])
		snprintf(buf, size, wms_tr("the devices of supplier delivery %s"), st->delivery);
	else if (st->order[0])
		snprintf(buf, size, wms_tr("order %s: its device"), st->order);
	else if (st->device[0] && st->mode == WMSD_MODE_RECON)
		snprintf(buf, size, wms_tr("%s: its step results, a shelf or an outcome"), st->device);
	else if (st->device[0] && st->mode == WMSD_MODE_TRANSFER)
		snprintf(buf, size, wms_tr("%s: the buffer store's LOC: label"), st->device);
	else if (st->device[0] && st->mode == WMSD_MODE_PUTAWAY)
		snprintf(buf, size, wms_tr("%s: the shelf's LOC: label"), st->device);
}

/* Nobody signed in: the station's own name stands for whoever scans there,
 * as a warehouse worker; reconditioning always needs a signed-in technician. */
static const char *actor(const struct wmsd_station *st)
{
	return st->actor[0] ? st->actor : "wmsd";
}

static unsigned role(const struct wmsd_station *st)
{
	return st->actor[0] ? st->role : WMS_ROLE_WAREHOUSE;
}

/* The action that stands for a mode in the role table: who may work there.
 * A stock count writes nothing; it is the work of those who move devices. */
static int mode_action(enum wmsd_mode mode)
{
	switch (mode) {
	case WMSD_MODE_RECEIPT:  return WMS_EV_RECEIVE;
	case WMSD_MODE_PUTAWAY:  return WMS_EV_MOVE;
	case WMSD_MODE_TRANSFER: return WMS_EV_TO_BUFFER;
	case WMSD_MODE_PICK:     return WMS_EV_PICK;
	case WMSD_MODE_DISPATCH: return WMS_EV_DISPATCH;
	case WMSD_MODE_RETURN:   return WMS_EV_RETURN;
	case WMSD_MODE_RECON:    return WMS_ACT_RECON_STEP;
	default:                 return WMS_EV_MOVE;
	}
}

/* Does role fit mode?  0, or WMS_EPERM with a station message. */
static int fits_mode(const char *user, unsigned role, enum wmsd_mode mode, struct wms_error *err)
{
	if (wms_rules_check_role(role, mode_action(mode), user, NULL) == 0)
		return 0;
	return wms_error_set(err, WMS_EPERM, "user %s (%s) may not work in mode %s", user,
	                     wms_tr(wms_role_name((enum wms_role)role)), wms_tr(wmsd_mode_name(mode)));
}

/* USR:<badge>: a registered badge whose user's role fits the mode. */
static int sign_in(struct wmsd_station *st, const char *badge, struct station_out *out,
                   struct wms_error *err)
{
	char name[WMS_USER_NAME_MAX + 1];
	enum wms_role role;
	int rc;

	if ((rc = wms_badge_user(st->store, badge, name, &role, err)) < 0)
		return rc;
	if ((rc = fits_mode(name, role, st->mode, err)) < 0)
		return rc;
	snprintf(st->actor, sizeof st->actor, "%s", name);
	st->role = role;
	station_reset(st);
	ok(out, "user %s signed in", st->actor);
	return 0;
}

/* The device a scan names: a UDI's serial, or our own label's plain serial. */
static int scan_serial(const struct scan_result *r, const char **serial, struct wms_error *err)
{
	*serial = NULL;
	if (r->kind == SCAN_UDI) {
		if (r->udi.serial[0] == '\0')
			return wms_error_set(err, WMS_EINVAL, "UDI of GTIN %s has no serial number (21): "
			                     "scan the label with the serial number", r->udi.gtin);
		*serial = r->udi.serial;
		return 0;
	}
	if (r->kind == SCAN_TEXT && r->text_len > 0 && r->text_len <= STATION_SERIAL_MAX) {
		for (size_t i = 0; i < r->text_len; i++)
			if (!isalnum((unsigned char)r->text[i]) && !strchr("-_./", r->text[i]))
				goto not_serial;
		*serial = r->text;
		return 0;
	}
not_serial:
	return wms_error_set(err, WMS_EINVAL, "a device is expected here (its UDI or our device label), "
	                     "got %s", wms_tr(scan_kind_name(r->kind)));
}

static int apply(struct wmsd_station *st, struct wms_cmd *cmd, struct wms_cmd_result *res,
                 struct station_out *out, struct wms_error *err)
{
	int rc;

	cmd->station = st->conf.name;
	cmd->actor = actor(st);
	cmd->role = role(st);
	cmd->depot = st->conf.depot[0] ? st->conf.depot : NULL;   /* stock stays in its depot */
	if ((rc = wms_ledger_apply(st->store, cmd, res, err)) < 0)
		return rc;
	out->event_id = res->event_id;
	return 0;
}

static void format_date(char *buf, size_t size, const struct scan_date *d)
{
	/* day 00 without end_of_month cannot be a ledger date: the first of the month */
	snprintf(buf, size, "%04d-%02d-%02d", d->year, d->month, d->day ? d->day : 1);
}

/* Queue our own device label (serial as Code 128 and GS1 DataMatrix) for
 * the station's device printer, in the scan's transaction: the label
 * exists exactly when the receipt committed.  No printer: no label. */
static int queue_device_label(struct wmsd_station *st, const char *serial, long long event_id,
                              bool *queued, struct wms_error *err)
{
	const struct printq_printer_conf *pr =
		printq_conf_for(&st->all->printers, LABEL_DEVICE, st->conf.name);
	json_t *fields, *payload;
	char *text;
	int rc;

	*queued = false;
	if (pr == NULL)
		return 0;
	if ((fields = wms_label_device_fields(st->store, serial, err)) == NULL)
		return err->code;
	payload = json_pack("{s:s, s:o}", "label", "device", "fields", fields);
	text = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
	if (text == NULL)
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory queueing a label");
	else
		rc = wms_outbox_enqueue(st->store, &(struct wms_outbox_new){ .kind = "label",
		                        .target = pr->name, .payload = text, .event_id = event_id },
		                        wms_now(), NULL, err);
	free(text);
	json_decref(payload);
	*queued = rc == 0;
	return rc;
}

/* DLV:<NUMBER>: the supplier delivery the next devices are received against. */
static int select_delivery(struct wmsd_station *st, const char *number, struct station_out *out,
                           struct wms_error *err)
{
	json_t *d = wms_delivery_show(st->store, number, err);
	int rc = 0;

	if (d == NULL)
		return err->code ? err->code : WMS_EDB;
	if (strcmp(json_string_value(json_object_get(d, "status")), "open") != 0) {
		rc = wms_error_set(err, WMS_ESTATE, "supplier delivery %s is closed: nothing more is "
		                   "received against it", number);
	} else {
		snprintf(st->delivery, sizeof st->delivery, "%s", number);
		ok(out, "delivery %s from %s: %lld of %lld received; scan its devices", number,
		   json_string_value(json_object_get(d, "supplier")),
		   (long long)json_integer_value(json_object_get(d, "received")),
		   (long long)json_integer_value(json_object_get(d, "expected")));
	}
	json_decref(d);
	return rc;
}

/* After a receipt against st->delivery (checked and linked by the ledger):
 * the running count of the device's product and of the delivery, for the
 * screen; product (OUT, size bytes) the device's product code. */
static int delivery_count(struct wmsd_station *st, const char *serial, char *product, size_t psize,
                          char *count, size_t size, struct wms_error *err)
{
	json_t *d = wms_device_brief(st->store, serial, err), *all, *line;
	long long got = 0, want = 0;
	size_t i;

	if (d == NULL)
		return err->code ? err->code : WMS_EDB;
	snprintf(product, psize, "%s", json_string_value(json_object_get(d, "product")));
	json_decref(d);
	if (!st->delivery[0])
		return 0;
	if ((all = wms_delivery_show(st->store, st->delivery, err)) == NULL)
		return err->code ? err->code : WMS_EDB;
	json_array_foreach(json_object_get(all, "products"), i, line)
		if (strcmp(json_string_value(json_object_get(line, "product")), product) == 0) {
			got = json_integer_value(json_object_get(line, "received"));
			want = json_integer_value(json_object_get(line, "expected"));
		}
	snprintf(count, size, wms_tr("; delivery %s: %s %lld of %lld, %lld of %lld in all"), st->delivery,
	         product, got, want, (long long)json_integer_value(json_object_get(all, "received")),
	         (long long)json_integer_value(json_object_get(all, "expected")));
	json_decref(all);
	return 0;
}

/* A product's barcode alone (EAN-13, GTIN without a serial): the serial of
 * one device of it comes next, for a device without a manufacturer's UDI. */
static int select_gtin(struct wmsd_station *st, const char *gtin, struct station_out *out,
                       struct wms_error *err)
{
	const char *params[1] = { gtin };
	json_t *rows = wms_query_rows(st->store, "SELECT p.code, p.name_sv FROM product_gtins g"
	                              " JOIN products p ON p.id = g.product_id WHERE g.gtin = ?1",
	                              params, 1, err), *p;
	int rc = 0;

	if (rows == NULL)
		return err->code ? err->code : WMS_EDB;
	if ((p = json_array_get(rows, 0)) == NULL) {
		rc = wms_error_set(err, WMS_ENOTFOUND, "unknown GTIN %s: register it with `wms product "
		                   "add-gtin` or name the product", gtin);
	} else {
		snprintf(st->gtin, sizeof st->gtin, "%s", gtin);
		ok(out, "%s (%s, GTIN %s): scan the device's serial number",
		   json_string_value(json_object_get(p, "code")), json_string_value(json_object_get(p, "name_sv")),
		   gtin);
	}
	json_decref(rows);
	return rc;
}

static const char *str_of(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

/*
 * The SSCC of a consignment whose devices devs (wms_consignment_devices) a
 * station sends or receives: a transfer's when transfer, not cancelled, and
 * (sending) leaving from or (receiving) going to the station's own depot.
 */
static int consignment_usable(const struct wmsd_station *st, const char *sscc, json_t *devs,
                              bool transfer, bool receiving, struct wms_error *err)
{
	json_t *c = json_array_get(devs, 0);
	bool is_transfer = strcmp(str_of(c, "kind"), "transfer") == 0;
	const char *here = st->conf.depot;

	if (transfer && !is_transfer)
		return wms_error_set(err, WMS_EINVAL, "SSCC %s is the consignment of order %s, not a transfer: "
		                     "receipt takes the SSCC of a transfer consignment, or a device", sscc,
		                     str_of(c, "order"));
	if (strcmp(str_of(c, "consignment"), "cancelled") == 0)
		return is_transfer
		       ? wms_error_set(err, WMS_ESTATE, "transfer consignment %s is cancelled: nothing goes "
		                       "with it; make a new one (wms transfer-consignment create)", sscc)
		       : wms_error_set(err, WMS_ESTATE, "consignment %s is cancelled: nothing goes with it; "
		                       "make a new one for order %s (wms consignment create)", sscc,
		                       str_of(c, "order"));
	if (is_transfer && !receiving && strcmp(str_of(c, "depot"), here) != 0)
		return wms_error_set(err, WMS_EINVAL, "transfer consignment %s leaves from depot %s, not from "
		                     "this station's depot %s", sscc, str_of(c, "depot"), here);
	if (is_transfer && receiving && strcmp(str_of(c, "to_depot"), here) != 0)
		return wms_error_set(err, WMS_EINVAL, "transfer consignment %s goes to depot %s, not to this "
		                     "station's depot %s", sscc, str_of(c, "to_depot"), here);
	return 0;
}

/* Receipt of a transfer consignment's SSCC: each of its devices on its way
 * here is scanned in (transfer_in) in this scan's transaction. */
static int arriving_consignment(struct wmsd_station *st, const char *sscc, struct station_out *out,
                                struct wms_error *err)
{
	struct wms_cmd cmd;
	struct wms_cmd_result res = { 0 };
	json_t *devs = wms_consignment_devices(st->store, sscc, err), *d;
	char done[160] = "";
	int rc, n = 0, here = 0;
	size_t i;

	if (devs == NULL)
		return err->code;
	if ((rc = consignment_usable(st, sscc, devs, true, true, err)) < 0)
		goto out;
	json_array_foreach(devs, i, d) {
		if (strcmp(str_of(d, "state"), "in_transfer") != 0) {
			here += strcmp(str_of(d, "at_depot"), st->conf.depot) == 0;
			continue;
		}
		cmd = (struct wms_cmd){ .type = WMS_EV_TRANSFER_IN, .serial = str_of(d, "serial") };
		if ((rc = apply(st, &cmd, &res, out, err)) < 0)
			goto out;
		snprintf(done + strlen(done), sizeof done - strlen(done), "%s%s", n++ ? ", " : "", cmd.serial);
	}
	if (n == 0 && here == 0)
		rc = wms_error_set(err, WMS_ESTATE, "transfer consignment %s has not been sent: it is "
		                   "scanned at depot %s's dispatch station first", sscc,
		                   str_of(json_array_get(devs, 0), "depot"));
	else if (n == 0)
		rc = wms_error_set(err, WMS_ESTATE, "transfer consignment %s: its %d device(s) are received "
		                   "already", sscc, here);
	else
		ok(out, "transfer consignment %s from depot %s: %s arrived (%s -> %s); put it away", sscc,
		   str_of(json_array_get(devs, 0), "depot"), done, wms_state_label(res.from),
		   wms_state_label(res.to));
out:
	json_decref(devs);
	return rc;
}

/* Dispatch of a transfer consignment's SSCC: each of its devices still at
 * this depot goes on its way (transfer_out to the receiving depot). */
static int sending_consignment(struct wmsd_station *st, const char *sscc, json_t *devs,
                               struct station_out *out, struct wms_error *err)
{
	struct wms_cmd cmd;
	struct wms_cmd_result res = { 0 };
	const char *to = str_of(json_array_get(devs, 0), "to_depot");
	char done[160] = "";
	int rc, n = 0, already = 0;
	size_t i;
	json_t *d;

	json_array_foreach(devs, i, d) {
		if (strcmp(str_of(d, "state"), "in_transfer") == 0) {
			already++;
			continue;
		}
		cmd = (struct wms_cmd){ .type = WMS_EV_TRANSFER_OUT, .serial = str_of(d, "serial"),
		                        .to_depot = to };
		if ((rc = apply(st, &cmd, &res, out, err)) < 0)
			return rc;
		snprintf(done + strlen(done), sizeof done - strlen(done), "%s%s", n++ ? ", " : "", cmd.serial);
	}
	if (n == 0)
		return wms_error_set(err, WMS_ESTATE, "transfer consignment %s: its %d device(s) are on their "
		                     "way to depot %s already", sscc, already, to);
	ok(out, "transfer consignment %s: %s sent to depot %s (%s -> %s)", sscc, done, to,
	   wms_state_label(res.from), wms_state_label(res.to));
	return 0;
}

/* A device arriving from another depot is scanned in, not received anew;
 * *done (OUT) whether it was one. */
static int arriving(struct wmsd_station *st, const char *serial, bool *done, struct station_out *out,
                    struct wms_error *err)
{
	struct wms_cmd cmd = { .type = WMS_EV_TRANSFER_IN, .serial = serial };
	struct wms_cmd_result res = { 0 };
	struct wms_error none = { 0 };
	char state[24];
	int rc;

	/* a lookup that fails is no arrival: the receipt itself says why */
	*done = wms_device_state_of(st->store, serial, state, sizeof state, &none) == 1 &&
	        strcmp(state, "in_transfer") == 0;
	if (!*done)
		return 0;
	if ((rc = apply(st, &cmd, &res, out, err)) < 0)
		return rc;
	snprintf(st->device, sizeof st->device, "%s", serial);
	ok(out, "%s arrived from another depot (%s -> %s); put it away", serial,
	   wms_state_label(res.from), wms_state_label(res.to));
	return 0;
}

/* Receipt: the manufacturer's UDI with a serial number registers the device,
 * or a device's own serial (no UDI on it: it gets our label), its product
 * from the product's barcode scanned just before or from the supplier
 * delivery; after DLV:<NUMBER> against that delivery (the ledger checks it
 * and refuses an over-receipt or an unannounced product). */
static int mode_receipt(struct wmsd_station *st, const struct scan_result *r, struct station_out *out,
                        struct wms_error *err)
{
	struct wms_cmd cmd = { .type = WMS_EV_RECEIVE };
	struct wms_cmd_result res = { 0 };
	char expiry[16], made[16], gtin[sizeof st->gtin], count[200] = "", product[40] = "";
	bool label = false, done, own = r->kind == SCAN_TEXT;   /* own: no manufacturer's UDI read */
	int rc;

	if (r->kind == SCAN_TEXT && strncmp(r->text, "DLV:", 4) == 0 && r->text[4])
		return select_delivery(st, r->text + 4, out, err);
	if (r->kind == SCAN_UDI && r->udi.serial[0] == '\0')
		return select_gtin(st, r->udi.gtin, out, err);
	if (r->kind == SCAN_SSCC)
		return arriving_consignment(st, r->sscc, out, err);
	if ((r->kind != SCAN_UDI && r->kind != SCAN_TEXT) || scan_serial(r, &cmd.serial, err) < 0)
		return wms_error_set(err, WMS_EINVAL, "receipt expects the manufacturer's UDI (GS1 (01) "
		                     "GTIN + (21) serial), or the product's barcode and then the device's "
		                     "serial number, DLV: a supplier delivery, or a transfer consignment's SSCC; "
		                     "got %s", wms_tr(scan_kind_name(r->kind)));
	if ((rc = arriving(st, cmd.serial, &done, out, err)) < 0 || done)
		return rc;
	/* a product's barcode names the one device scanned after it */
	snprintf(gtin, sizeof gtin, "%s", st->gtin);
	st->gtin[0] = '\0';
	if (own && gtin[0])
		cmd.gtin = gtin;
	else if (own && !st->delivery[0])
		return wms_error_set(err, WMS_EINVAL, "%s: a serial number alone does not say which product "
		                     "it is; scan the product's barcode (its GTIN) first, or DLV: the supplier "
		                     "delivery it came with", cmd.serial);
	if (!own) {
		cmd.gtin = r->udi.gtin;
		cmd.lot = r->udi.lot[0] ? r->udi.lot : NULL;
		if (r->udi.has_expiry) {
			format_date(expiry, sizeof expiry, &r->udi.expiry);
			cmd.expiry = expiry;
		}
		if (r->udi.has_manufactured) {
			format_date(made, sizeof made, &r->udi.manufactured);
			cmd.manufactured = made;
		}
	}
	cmd.delivery = st->delivery[0] ? st->delivery : NULL;
	/* label = when-missing (the default): our label only for a device whose
	 * manufacturer's UDI was not read */
	/* the product's code is shown for a device of our own label, the count
	 * against a delivery: a UDI receipt without one needs neither lookup */
	if ((rc = apply(st, &cmd, &res, out, err)) < 0 ||
	    ((own || st->delivery[0]) &&
	     (rc = delivery_count(st, cmd.serial, product, sizeof product, count, sizeof count, err)) < 0) ||
	    ((st->conf.label_always || own) &&
	     (rc = queue_device_label(st, cmd.serial, res.event_id, &label, err)) < 0))
		return rc;
	snprintf(st->device, sizeof st->device, "%s", cmd.serial);
	if (own)
		ok(out, "%s received as %s (%s -> %s)%s%s", cmd.serial, product, wms_state_label(res.from),
		   wms_state_label(res.to), count, label ? wms_tr("; label queued") : "");
	else
		ok(out, "%s received (%s -> %s)%s%s", cmd.serial, wms_state_label(res.from),
		   wms_state_label(res.to), count, label ? wms_tr("; label queued") : "");
	return 0;
}

/* A device scan remembered; its location comes next. */
static int select_device(struct wmsd_station *st, const char *serial, const char *next,
                         struct station_out *out, struct wms_error *err)
{
	json_t *d = wms_device_brief(st->store, serial, err);
	int state;
	char before[STATION_SERIAL_MAX + 1];

	if (d == NULL)
		return err->code;
	snprintf(before, sizeof before, "%s", st->device);
	snprintf(st->device, sizeof st->device, "%s", serial);
	state = wms_state_from_name(json_string_value(json_object_get(d, "state")));
	if (before[0] && strcmp(before, serial) != 0)
		/* a second device replaces the first, which stays where it was */
		warning(out, "%s (%s, %s) selected instead of %s, which was waiting and is not moved; "
		        "scan %s", serial, json_string_value(json_object_get(d, "product")),
		        wms_state_label((enum wms_state)state), before, wms_tr(next));
	else
		ok(out, "%s (%s, %s) selected; scan %s", serial,
		   json_string_value(json_object_get(d, "product")),
		   wms_state_label((enum wms_state)state), wms_tr(next));
	json_decref(d);
	return 0;
}

/* Putaway and transfer: a device, then the LOC: label of where it goes. */
static int device_then_location(struct wmsd_station *st, const struct scan_result *r,
                                struct station_out *out, struct wms_error *err, bool transfer)
{
	struct wms_cmd cmd = { .type = WMS_EV_MOVE };
	struct wms_cmd_result res = { 0 };
	const char *serial;
	int rc;

	if (r->kind != SCAN_LOCATION) {
		if ((rc = scan_serial(r, &serial, err)) < 0)
			return wms_error_set(err, WMS_EINVAL, "%s expects a device, then a LOC: label; got %s",
			                     wms_tr(transfer ? "transfer" : "putaway"), wms_tr(scan_kind_name(r->kind)));
		return select_device(st, serial, transfer ? WMS_N_("the buffer store's LOC: label")
		                                            : WMS_N_("the shelf's LOC: label"), out, err);
	}
	if (st->device[0] == '\0')
		return wms_error_set(err, WMS_EINVAL, "scan a device before its location %s", r->code);
	cmd.serial = st->device;
	cmd.location = r->code;
	if (transfer && strncmp(r->code, "TRANSFER-", 9) == 0) {
		/* to another depot: its in-transit location TRANSFER-<CODE> (wms_depot.h) */
		cmd.type = WMS_EV_TRANSFER_OUT;
		cmd.location = NULL;
		cmd.to_depot = r->code + 9;
	} else if (transfer) {
		/* into a buffer store from stock, or back from one onto a shelf */
		json_t *d = wms_device_brief(st->store, st->device, err);
		if (d == NULL)
			return err->code;
		cmd.type = strcmp(json_string_value(json_object_get(d, "state")), "in_buffer") == 0
		               ? WMS_EV_FROM_BUFFER : WMS_EV_TO_BUFFER;
		json_decref(d);
	}
	if ((rc = apply(st, &cmd, &res, out, err)) < 0)
		return rc;
	ok(out, "%s moved to %s (%s -> %s)", st->device, r->code, wms_state_label(res.from),
	   wms_state_label(res.to));
	st->device[0] = '\0';
	return 0;
}

static int mode_putaway(struct wmsd_station *st, const struct scan_result *r, struct station_out *out,
                        struct wms_error *err)
{
	return device_then_location(st, r, out, err, false);
}

static int mode_transfer(struct wmsd_station *st, const struct scan_result *r, struct station_out *out,
                         struct wms_error *err)
{
	return device_then_location(st, r, out, err, true);
}

/* Pick: the order's ORD: label, then the device taken off the shelf.  A
 * device reserved for the order is picked; any other device of the order's
 * product type in stock is reserved and picked in the same transaction. */
static int mode_pick(struct wmsd_station *st, const struct scan_result *r, struct station_out *out,
                     struct wms_error *err)
{
	struct wms_cmd cmd = { 0 };
	struct wms_cmd_result res = { 0 };
	const char *serial, *reserved, *where;
	json_t *o, *d;
	int rc;

	if (r->kind == SCAN_ORDER) {
		if ((o = wms_order_brief(st->store, r->code, err)) == NULL)
			return err->code;
		reserved = json_string_value(json_object_get(o, "serial"));
		where = json_string_value(json_object_get(o, "location"));
		if (strcmp(json_string_value(json_object_get(o, "status")), "open") != 0 &&
		    strcmp(json_string_value(json_object_get(o, "status")), "reserved") != 0) {
			/* the status in the station's words: picked, dispatched, delivered
			 * are the device states' (wms_state_label) */
			if (strcmp(json_string_value(json_object_get(o, "status")), "cancelled") == 0)
				rc = wms_error_set(err, WMS_ESTATE, "order %s is cancelled: nothing to pick",
				                   r->code);
			else
				rc = wms_error_set(err, WMS_ESTATE, "order %s is %s: nothing to pick", r->code,
				                   wms_tr(json_string_value(json_object_get(o, "status"))));
			json_decref(o);
			return rc;
		}
		snprintf(st->order, sizeof st->order, "%s", r->code);
		if (reserved == NULL) {
			/* suggest by allocating: the unit's buffer first, else the oldest on a shelf */
			struct wms_alloc_opts ao = { .station = st->conf.name, .actor = actor(st),
			                             .role = role(st) };
			struct wms_alloc_result ar = { 0 };
			struct wms_error aerr = { 0 };
			if (wms_allocate(st->store, r->code, &ao, &ar, &aerr) == 0) {
				json_decref(o);
				if ((o = wms_order_brief(st->store, r->code, err)) == NULL)
					return err->code;
				reserved = json_string_value(json_object_get(o, "serial"));
				where = json_string_value(json_object_get(o, "location"));
				out->event_id = 0;   /* the reserve is the pick's business, not this line's */
			}
		}
		if (reserved)
			ok(out, "order %s: %s for %s; pick %s at %s", r->code,
			   json_string_value(json_object_get(o, "product")),
			   json_string_value(json_object_get(o, "customer")), reserved, where ? where : "?");
		else
			ok(out, "order %s: %s for %s; scan a %s device", r->code,
			   json_string_value(json_object_get(o, "product")),
			   json_string_value(json_object_get(o, "customer")),
			   json_string_value(json_object_get(o, "product")));
		json_decref(o);
		return 0;
	}
	if ((rc = scan_serial(r, &serial, err)) < 0)
		return wms_error_set(err, WMS_EINVAL, "pick expects an ORD: label, then a device; got %s",
		                     wms_tr(scan_kind_name(r->kind)));
	if (st->order[0] == '\0')
		return wms_error_set(err, WMS_EINVAL, "scan the order's ORD: label before the device %s",
		                     serial);
	if ((d = wms_device_brief(st->store, serial, err)) == NULL)
		return err->code;
	if (strcmp(json_string_value(json_object_get(d, "state")), "reserved") != 0) {
		/* another device of the type than the one suggested: the suggested one
		 * goes back, this one is reserved (the checks of reserve still apply) */
		const char *other;
		o = wms_order_brief(st->store, st->order, err);
		other = o ? json_string_value(json_object_get(o, "serial")) : NULL;
		rc = o ? 0 : err->code;
		if (rc == 0 && other) {
			cmd = (struct wms_cmd){ .type = WMS_EV_UNRESERVE, .serial = other,
			                        .reason = "another device picked" };
			rc = apply(st, &cmd, &res, out, err);
		}
		json_decref(o);
		if (rc == 0) {
			cmd = (struct wms_cmd){ .type = WMS_EV_RESERVE, .serial = serial, .order = st->order };
			rc = apply(st, &cmd, &res, out, err);
		}
		if (rc < 0) {
			json_decref(d);
			return rc;
		}
	}
	json_decref(d);
	cmd = (struct wms_cmd){ .type = WMS_EV_PICK, .serial = serial, .order = st->order };
	if ((rc = apply(st, &cmd, &res, out, err)) < 0)
		return rc;
	ok(out, "%s picked for order %s", serial, st->order);
	st->order[0] = '\0';
	return 0;
}

/* Dispatch, return and reconditioning intake: one device, one event. */
static int device_event(struct wmsd_station *st, const struct scan_result *r, enum wms_event_type type,
                        const char *verb, struct station_out *out, struct wms_error *err)
{
	struct wms_cmd cmd = { .type = type };
	struct wms_cmd_result res = { 0 };
	int rc;

	if ((rc = scan_serial(r, &cmd.serial, err)) < 0)
		return rc;
	if ((rc = apply(st, &cmd, &res, out, err)) < 0)
		return rc;
	ok(out, "%s %s (%s -> %s)", cmd.serial, wms_tr(verb), wms_state_label(res.from),
	   wms_state_label(res.to));
	return 0;
}

/* A delivery note (följesedel) for order, queued in the dispatch's
 * transaction when a printer has purpose delivery-note here and the order
 * goes to its ordering unit or a buffer store (printq_dispatch_note).
 * *note (OUT) says what came of it, for the screen: "" when none was wanted. */
static int queue_delivery_note(struct wmsd_station *st, const char *order, long long event_id,
                               char *note, size_t size, struct wms_error *err)
{
	char why[WMS_ERROR_MSG_MAX];
	const char *printer;
	int rc;

	note[0] = '\0';
	/* a station has no text for the customer; the order's own note stays in the centre */
	if ((rc = printq_dispatch_note(st->store, &st->all->printers, st->conf.name, NULL, order, NULL,
	                               event_id, &printer, why, sizeof why, err)) < 0)
		return rc;
	if (printer)
		snprintf(note, size, wms_tr("; delivery note queued on %s"), printer);
	else if (why[0])
		snprintf(note, size, wms_tr("; no delivery note: %s"), why);
	return 0;
}

/* Dispatch: a device, or the SSCC of its consignment (every device it
 * carries); a delivery note goes with unit and buffer deliveries.  The SSCC
 * of a transfer consignment sends its devices to the other depot. */
static int mode_dispatch(struct wmsd_station *st, const struct scan_result *r, struct station_out *out,
                         struct wms_error *err)
{
	struct wms_cmd cmd = { .type = WMS_EV_DISPATCH };
	struct wms_cmd_result res = { 0 };
	char note[STATION_LINE_MAX / 2], done[160] = "";
	const char *order = NULL;
	json_t *devs, *d, *brief;
	size_t i;
	int rc, n = 0, already = 0;

	if (r->kind == SCAN_SSCC) {
		if ((devs = wms_consignment_devices(st->store, r->sscc, err)) == NULL)
			return err->code;
		if ((rc = consignment_usable(st, r->sscc, devs, false, false, err)) < 0 ||
		    strcmp(str_of(json_array_get(devs, 0), "kind"), "transfer") == 0) {
			if (rc == 0)
				rc = sending_consignment(st, r->sscc, devs, out, err);
			json_decref(devs);
			return rc;
		}
		json_array_foreach(devs, i, d) {
			if (strcmp(json_string_value(json_object_get(d, "state")), "dispatched") == 0) {
				already++;
				continue;
			}
			cmd = (struct wms_cmd){ .type = WMS_EV_DISPATCH,
			                        .serial = json_string_value(json_object_get(d, "serial")) };
			if ((rc = apply(st, &cmd, &res, out, err)) < 0) {
				json_decref(devs);
				return rc;
			}
			order = json_string_value(json_object_get(d, "order"));
			snprintf(done + strlen(done), sizeof done - strlen(done), "%s%s", n++ ? ", " : "",
			         cmd.serial);
		}
		rc = n ? queue_delivery_note(st, order, out->event_id, note, sizeof note, err) : 0;
		if (rc == 0 && n == 0)
			rc = wms_error_set(err, WMS_ESTATE, "consignment %s: its %d device(s) are dispatched already",
			                   r->sscc, already);
		if (rc == 0)
			ok(out, "consignment %s: %s handed over for transport%s", r->sscc, done, note);
		json_decref(devs);
		return rc;
	}
	if ((rc = device_event(st, r, WMS_EV_DISPATCH, WMS_N_("handed over for transport"), out, err)) < 0)
		return rc;
	if ((brief = wms_device_brief(st->store, r->kind == SCAN_UDI ? r->udi.serial : r->text, err)) == NULL)
		return err->code;
	rc = queue_delivery_note(st, json_string_value(json_object_get(brief, "order")), out->event_id,
	                         note, sizeof note, err);
	if (rc == 0 && note[0])
		snprintf(out->line + strlen(out->line), sizeof out->line - strlen(out->line), "%s", note);
	json_decref(brief);
	return rc;
}

static int mode_return(struct wmsd_station *st, const struct scan_result *r, struct station_out *out,
                       struct wms_error *err)
{
	return device_event(st, r, WMS_EV_RETURN, WMS_N_("returned into quarantine"), out, err);
}

/* A measured value as a scan or typed on the keypad: digits with at most
 * one decimal point or comma and an optional sign ("101.5", "3,7"). */
static bool numeric(const struct scan_result *r, char *out, size_t size)
{
	size_t digits = 0, points = 0;

	if (r->kind != SCAN_TEXT || r->text_len == 0 || r->text_len >= size)
		return false;
	for (size_t i = 0; i < r->text_len; i++) {
		char c = r->text[i];
		if (isdigit((unsigned char)c))
			digits++;
		else if (c == '.' || c == ',')
			points++;
		else if (!(i == 0 && (c == '-' || c == '+')))
			return false;
		out[i] = c == ',' ? '.' : c;
	}
	out[r->text_len] = '\0';
	return digits > 0 && points <= 1;
}

/* A step's result recorded: green when it passed, red "failed" when not
 * (recorded all the same: the run cannot be approved until it passes). */
static void step_line(const struct wmsd_station *st, const struct recon_result *res,
                      struct station_out *out)
{
	if (res->passed)
		ok(out, "%s %s (%d of %d steps passed)", st->device, res->detail, res->steps_passed,
		   res->steps_total);
	else
		failed(out, "%s %s (%d of %d steps passed; the step must be done again)", st->device,
		       res->detail, res->steps_passed, res->steps_total);
}

/* RCN:REPAIR:<CODE> or RCN:SCRAP:<CODE> from the command sheet: the run
 * ends with that outcome and the code's words as the reason. */
static int recon_outcome(struct wmsd_station *st, enum recon_outcome outcome, const char *code,
                         const struct recon_who *who, struct station_out *out, struct wms_error *err)
{
	const struct recon_reason *why = recon_reason_find(outcome, code);
	struct recon_finish_req req = { .outcome = outcome };
	struct recon_result res = { 0 };
	char text[200];
	int rc;

	if (why == NULL && outcome == RECON_REPAIR)
		return wms_error_set(err, WMS_EINVAL, "unknown repair reason code \"%.20s\": scan one from "
		                     "the station's command sheet (wms label print command-sheet)", code);
	if (why == NULL)
		return wms_error_set(err, WMS_EINVAL, "unknown scrap reason code \"%.20s\": scan one from "
		                     "the station's command sheet (wms label print command-sheet)", code);
	if (st->device[0] == '\0')
		return wms_error_set(err, WMS_EINVAL, "scan the device before its outcome");
	snprintf(text, sizeof text, "%s: %s", why->code, why->text);
	req.text = text;
	if ((rc = recon_finish(st->store, &st->all->recon, st->device, &req, who, &res, err)) < 0)
		return rc;
	out->event_id = res.event_id;
	if (outcome == RECON_REPAIR)
		ok(out, "%s sent to repair: %s", st->device, why->code);
	else
		ok(out, "%s scrapped: %s", st->device, why->code);
	st->device[0] = '\0';
	st->step[0] = '\0';
	return 0;
}

/* Reconditioning at a technician's bench: a device from quarantine starts
 * its checklist run; RCN:<STEP>:<RESULT> barcodes record steps (RCN:<STEP>:
 * alone waits for the measured value as the next, numeric, scan); a LOC:
 * shelf label approves it (refused unless every step passed, and the
 * "reconditioned" tag is queued for the station's printer in the same
 * transaction); RCN:REPAIR:<CODE> and RCN:SCRAP:<CODE> end it otherwise;
 * CMD:DONE leaves it in reconditioning for later. */
static int mode_recon(struct wmsd_station *st, const struct scan_result *r, struct station_out *out,
                      struct wms_error *err)
{
	struct recon_who who = { .station = st->conf.name, .actor = st->actor, .role = st->role };
	struct recon_result res = { 0 };
	const char *serial;
	char value[32];
	json_t *d;
	int rc;

	if (st->step[0] && numeric(r, value, sizeof value)) {
		if ((rc = recon_step(st->store, st->device, st->step, value, NULL, &who, &res, err)) < 0)
			return rc;
		step_line(st, &res, out);
		st->step[0] = '\0';
		return 0;
	}
	if (r->kind == SCAN_TEXT && strncmp(r->text, "RCN:", 4) == 0) {
		const char *step = r->text + 4, *colon = strchr(step, ':');
		if (st->device[0] == '\0')
			return wms_error_set(err, WMS_EINVAL, "scan the device before its step results");
		if (colon && strncmp(step, "REPAIR:", 7) == 0)
			return recon_outcome(st, RECON_REPAIR, colon + 1, &who, out, err);
		if (colon && strncmp(step, "SCRAP:", 6) == 0)
			return recon_outcome(st, RECON_SCRAP, colon + 1, &who, out, err);
		if (colon && colon[1] == '\0' && colon > step && (size_t)(colon - step) < sizeof st->step) {
			/* the value comes next: a numeric scan or the keypad */
			snprintf(st->step, sizeof st->step, "%.*s", (int)(colon - step), step);
			ok(out, "%s step %s: scan or type the measured value", st->device, st->step);
			return 0;
		}
		st->step[0] = '\0';
		if ((rc = recon_scan(st->store, st->device, r->text, &who, &res, err)) < 0)
			return rc;
		step_line(st, &res, out);
		return 0;
	}
	st->step[0] = '\0';   /* anything else than its value: the step is forgotten */
	if (r->kind == SCAN_LOCATION) {
		const struct printq_printer_conf *pr =
			printq_conf_for(&st->all->printers, LABEL_RECON, st->conf.name);
		struct recon_finish_req req = { .outcome = RECON_APPROVE, .location = r->code,
		                                .tag_printer = pr ? pr->name : NULL };
		if (st->device[0] == '\0')
			return wms_error_set(err, WMS_EINVAL, "scan the device before its shelf %s", r->code);
		if ((rc = recon_finish(st->store, &st->all->recon, st->device, &req, &who, &res, err)) < 0)
			return rc;
		out->event_id = res.event_id;
		ok(out, "%s approved onto %s%s%s", st->device, r->code,
		   res.tag_job ? wms_tr("; tag queued") : (pr ? "" : wms_tr("; no recon printer: no tag")),
		   res.scrap_proposal[0] ? wms_tr("; scrapping proposed") : "");
		st->device[0] = '\0';
		return 0;
	}
	if ((rc = scan_serial(r, &serial, err)) < 0)
		return wms_error_set(err, WMS_EINVAL, "recon expects a device, RCN: step results, then a "
		                     "LOC: shelf; got %s", wms_tr(scan_kind_name(r->kind)));
	if ((d = wms_device_brief(st->store, serial, err)) == NULL)
		return err->code;
	if (strcmp(json_string_value(json_object_get(d, "state")), "quarantine") == 0) {
		json_decref(d);
		if ((rc = recon_start(st->store, &st->all->recon, serial, &who, &res, err)) < 0)
			return rc;
		out->event_id = res.event_id;
		snprintf(st->device, sizeof st->device, "%s", serial);
		ok(out, "%s reconditioning started: %s", serial, res.detail);
		return 0;
	}
	json_decref(d);
	if (st->device[0] && strcmp(st->device, serial) != 0)
		warning(out, "%s selected instead of %s; scan its step results", serial, st->device);
	else
		ok(out, "%s selected; scan its step results", serial);
	snprintf(st->device, sizeof st->device, "%s", serial);
	return 0;
}

static bool counted(const struct wmsd_station *st, const char *serial)
{
	for (int i = 0; i < st->n_counted; i++)
		if (strcmp(st->counted[i], serial) == 0)
			return true;
	return false;
}

/* The end of a count: what was expected at the location against what was seen. */
static int count_done(struct wmsd_station *st, struct station_out *out, struct wms_error *err)
{
	json_t *expected = wms_devices_at(st->store, st->count_location, err), *row;
	char missing[256] = "", unexpected[256] = "";
	int n_missing = 0, n_unexpected = 0;
	size_t i;

	if (expected == NULL)
		return err->code;
	json_array_foreach(expected, i, row) {
		const char *serial = json_string_value(json_object_get(row, "serial"));
		if (!counted(st, serial) && n_missing++ < 8)
			snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s", serial);
	}
	for (int k = 0; k < st->n_counted; k++) {
		bool found = false;
		json_array_foreach(expected, i, row)
			found |= strcmp(json_string_value(json_object_get(row, "serial")), st->counted[k]) == 0;
		if (!found && n_unexpected++ < 8)
			snprintf(unexpected + strlen(unexpected), sizeof unexpected - strlen(unexpected), " %s",
			         st->counted[k]);
	}
	ok(out, "count %s: %d counted, %zu expected, %d missing%s%s, %d not registered here%s%s",
	   st->count_location, st->n_counted, json_array_size(expected), n_missing,
	   n_missing ? ":" : "", missing, n_unexpected, n_unexpected ? ":" : "", unexpected);
	json_decref(expected);
	st->count_location[0] = '\0';
	st->n_counted = 0;
	return 0;
}

/* Count: a LOC: label starts counting a location, devices are counted (each
 * once), CMD:DONE compares them with the ledger.  Nothing is written to the
 * ledger: a difference is for a person to look into. */
static int mode_count(struct wmsd_station *st, const struct scan_result *r, struct station_out *out,
                      struct wms_error *err)
{
	const char *serial;
	int rc;

	if (r->kind == SCAN_LOCATION) {
		json_t *expected = wms_devices_at(st->store, r->code, err);
		if (expected == NULL)
			return err->code;
		if (st->counted == NULL &&
		    (st->counted = calloc(STATION_COUNT_MAX, sizeof *st->counted)) == NULL) {
			json_decref(expected);
			return wms_error_set(err, WMS_ENOMEM, "out of memory starting a count");
		}
		snprintf(st->count_location, sizeof st->count_location, "%s", r->code);
		st->n_counted = 0;
		ok(out, "counting %s: %zu devices expected; scan each, then CMD:DONE", r->code,
		   json_array_size(expected));
		json_decref(expected);
		return 0;
	}
	if ((rc = scan_serial(r, &serial, err)) < 0)
		return wms_error_set(err, WMS_EINVAL, "count expects a LOC: label, devices, then CMD:DONE; "
		                     "got %s", wms_tr(scan_kind_name(r->kind)));
	if (st->count_location[0] == '\0')
		return wms_error_set(err, WMS_EINVAL, "scan the LOC: label of the location to count first");
	if (counted(st, serial)) {
		ok(out, "%s already counted (%d so far)", serial, st->n_counted);
		return 0;
	}
	if (st->n_counted == STATION_COUNT_MAX)
		return wms_error_set(err, WMS_EINVAL, "a count holds at most %d devices: CMD:DONE and "
		                     "count the rest as another location", STATION_COUNT_MAX);
	snprintf(st->counted[st->n_counted++], STATION_SERIAL_MAX + 1, "%s", serial);
	ok(out, "%s counted (%d so far)", serial, st->n_counted);
	return 0;
}

/* CMD: barcodes change the mode, cancel what was scanned, or finish. */
static int command(struct wmsd_station *st, const struct scan_result *r, struct station_out *out,
                   struct wms_error *err)
{
	static const enum wmsd_mode modes[] = {
		[SCAN_CMD_RECEIPT] = WMSD_MODE_RECEIPT, [SCAN_CMD_PUTAWAY] = WMSD_MODE_PUTAWAY,
		[SCAN_CMD_TRANSFER] = WMSD_MODE_TRANSFER, [SCAN_CMD_PICK] = WMSD_MODE_PICK,
		[SCAN_CMD_DISPATCH] = WMSD_MODE_DISPATCH, [SCAN_CMD_RETURN] = WMSD_MODE_RETURN,
		[SCAN_CMD_RECON] = WMSD_MODE_RECON, [SCAN_CMD_COUNT] = WMSD_MODE_COUNT,
	};

	if (r->command == SCAN_CMD_DONE && st->mode == WMSD_MODE_COUNT && st->count_location[0])
		return count_done(st, out, err);
	station_reset(st);
	if (r->command == SCAN_CMD_CANCEL || r->command == SCAN_CMD_DONE) {
		ok(out, "%s", r->command == SCAN_CMD_CANCEL ? wms_tr("cancelled") : wms_tr("done"));
		return 0;
	}
	st->mode = modes[r->command];
	/* a user whose role does not fit the new mode is signed out: the next one signs in */
	if (st->actor[0] && fits_mode(st->actor, st->role, st->mode, NULL) < 0) {
		ok(out, "mode %s; %s signed out (%s may not work in it): scan your badge", wms_tr(wmsd_mode_name(st->mode)),
		   st->actor, wms_tr(wms_role_name((enum wms_role)st->role)));
		st->actor[0] = '\0';
		st->role = 0;
		return 0;
	}
	ok(out, "mode %s", wms_tr(wmsd_mode_name(st->mode)));
	return 0;
}

typedef int (*mode_fn)(struct wmsd_station *, const struct scan_result *, struct station_out *,
                       struct wms_error *);

static const mode_fn mode_table[] = {
	[WMSD_MODE_RECEIPT] = mode_receipt, [WMSD_MODE_PUTAWAY] = mode_putaway,
	[WMSD_MODE_TRANSFER] = mode_transfer, [WMSD_MODE_PICK] = mode_pick,
	[WMSD_MODE_DISPATCH] = mode_dispatch, [WMSD_MODE_RETURN] = mode_return,
	[WMSD_MODE_RECON] = mode_recon, [WMSD_MODE_COUNT] = mode_count,
};

int station_handle(struct wmsd_station *st, const struct scan_result *r, struct station_out *out,
                   struct wms_error *err)
{
	if (r->kind == SCAN_COMMAND)
		return command(st, r, out, err);
	if (r->kind == SCAN_USER)
		return sign_in(st, r->code, out, err);
	if (st->mode <= WMSD_MODE_NONE || st->mode > WMSD_MODE_COUNT || mode_table[st->mode] == NULL)
		return wms_error_set(err, WMS_ESTATE, "the station has no mode; scan a CMD: mode barcode");
	if (st->actor[0] == '\0' && st->mode == WMSD_MODE_RECON)
		return wms_error_set(err, WMS_EPERM, "nobody is signed in: a technician scans their badge "
		                     "(USR:...) first");
	return mode_table[st->mode](st, r, out, err);
}
