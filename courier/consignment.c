/*
 * consignment.c - creating, cancelling and showing consignments (see
 * courier_consignment.h); booking is booking.c, labels label.c.
 */
#include "courier_consignment.h"

#include "courier_internal.h"
#include "courier_tx.h"
#include "store_sql.h"
#include "wms_depot.h"
#include "wms_leadtime.h"
#include "wms_lifecycle.h"
#include "wms_outbox.h"
#include "wms_query.h"
#include "wms_transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct order_info {
	long long id, device_id;
	char number[40], status[16], mode[16], device_state[24];
	char pp_carrier[32], pp_id[24], pp_code[40];
};

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static int load_order(struct wms_store *s, const char *number, struct order_info *o,
                      struct wms_error *err)
{
	static const char sql[] =
		"SELECT o.id, o.status, o.device_id, o.mode, pp.carrier, pp.ext_id, l.code, o.number,"
		" d.state FROM orders o LEFT JOIN pickup_points pp ON pp.location_id = o.pickup_point_id"
		" LEFT JOIN locations l ON l.id = o.pickup_point_id"
		" LEFT JOIN devices d ON d.id = o.device_id WHERE o.number = ?1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, number, 0, &st, "looking up the order", err);

	if (rc <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND, "unknown order \"%.40s\"", number);
	o->id = sqlite3_column_int64(st, 0);
	snprintf(o->status, sizeof o->status, "%s", col(st, 1));
	o->device_id = sqlite3_column_int64(st, 2);
	snprintf(o->mode, sizeof o->mode, "%s", col(st, 3));
	snprintf(o->pp_carrier, sizeof o->pp_carrier, "%s", col(st, 4));
	snprintf(o->pp_id, sizeof o->pp_id, "%s", col(st, 5));
	snprintf(o->pp_code, sizeof o->pp_code, "%s", col(st, 6));
	snprintf(o->number, sizeof o->number, "%s", col(st, 7));
	snprintf(o->device_state, sizeof o->device_state, "%s", col(st, 8));
	sqlite3_reset(st);
	return 0;
}

/* A return's order: the order number, else the latest delivered order of a serial. */
static int load_return_order(struct wms_store *s, const char *ref, struct order_info *o,
                             struct wms_error *err)
{
	static const char by_serial[] =
		"SELECT o.number FROM orders o JOIN devices d ON d.id = o.device_id"
		" WHERE d.serial = ?1 AND o.status = 'delivered' ORDER BY o.delivered_ts DESC, o.id DESC"
		" LIMIT 1";
	struct wms_error none = { 0 };
	char number[40];
	sqlite3_stmt *st;
	int rc = load_order(s, ref, o, &none);

	if (rc != WMS_ENOTFOUND)
		return rc < 0 ? wms_error_set(err, rc, "%s", none.msg) : 0;
	if ((rc = wms_store_row(s, by_serial, ref, 0, &st, "looking up the device's order", err)) < 0)
		return rc;
	if (rc == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "no order \"%.40s\" and no delivered device with "
		                     "that serial", ref);
	snprintf(number, sizeof number, "%s", col(st, 0));
	sqlite3_reset(st);
	return load_order(s, number, o, err);
}

/* The pickup point (location code) where a return is handed in: its location id. */
static int return_point(struct wms_store *s, const char *code, const char *carrier, long long *id,
                        struct wms_error *err)
{
	static const char sql[] =
		"SELECT pp.location_id, pp.carrier, pp.active FROM pickup_points pp"
		" JOIN locations l ON l.id = pp.location_id WHERE l.code = ?1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, code, 0, &st, "looking up the pickup point", err);

	if (rc <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND, "unknown pickup point \"%.40s\"; "
		                                   "see `wms pickup-point list`", code);
	*id = sqlite3_column_int64(st, 0);
	if (strcasecmp(col(st, 1), carrier) != 0)
		rc = wms_error_set(err, WMS_EINVAL, "pickup point %s belongs to %s, not %s; choose one of "
		                   "%s (`wms pickup-point list --carrier %s`)", code, col(st, 1), carrier,
		                   carrier, carrier);
	else if (sqlite3_column_int(st, 2) == 0)
		rc = wms_error_set(err, WMS_EINVAL, "pickup point %s is not active; choose another", code);
	else
		rc = 0;
	sqlite3_reset(st);
	return rc;
}

/* Append one event of the consignment (not a tracking event: those are in tracking.c). */
int courier_cons_event(struct wms_store *s, long long id, wms_time ts, const char *event,
                       const char *source, const char *actor, const char *detail,
                       struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO consignment_events(consignment_id, ts, event, source, actor, recorded_ts, detail)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, ts);
	sqlite3_bind_text(st, 3, event, -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 4, source);
	wms_bind_text_or_null(st, 5, actor);
	sqlite3_bind_int64(st, 6, wms_now());
	wms_bind_text_or_null(st, 7, detail);
	return wms_store_step_done(s, st, "recording a consignment event", err);
}

int courier_cons_tracking_taken(struct wms_store *s, const char *carrier, const char *tracking,
                                struct wms_error *err)
{
	static const char sql[] = "SELECT sscc FROM consignments WHERE carrier = ?1 AND tracking = ?2";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, carrier, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tracking, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		wms_error_set(err, WMS_EEXIST, "tracking number %s of %s is already used by consignment %s",
		              tracking, carrier, col(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return WMS_EEXIST;
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "looking up a tracking number");
}

/*
 * A transfer consignment's device: in transfer (after `wms transfer out`,
 * to_depot NULL or its destination), or still in stock or received at its
 * depot with to_depot another depot (the dispatch station's scan of the
 * SSCC sends it); and without a live transfer consignment since it last
 * came in by a transfer.  o gets its id and serial (as number), from and to
 * the depots it leaves and goes to.
 */
static int load_transfer(struct wms_store *s, const char *serial, const char *to_depot,
                         struct order_info *o, char from[16], char to[16], struct wms_error *err)
{
	static const char sql[] =
		"SELECT d.id, d.state, l.depot, json_extract(e.payload, '$.from_depot'),"
		" (SELECT c.sscc FROM consignments c JOIN consignment_devices cd ON cd.consignment_id = c.id"
		"  WHERE cd.device_id = d.id AND c.kind = 'transfer' AND c.state <> 'cancelled'"
		"  AND c.created_ts >= coalesce((SELECT max(ts) FROM events WHERE device_id = d.id"
		"   AND type = 'transfer_in'), 0) ORDER BY c.id DESC LIMIT 1)"
		" FROM devices d LEFT JOIN locations l ON l.id = d.location_id"
		" LEFT JOIN events e ON e.id = (SELECT max(id) FROM events WHERE device_id = d.id"
		"   AND type = 'transfer_out') WHERE d.serial = ?1";
	bool moving, here;
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, serial, 0, &st, "looking up the device", err);

	if (rc <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND, "unknown device \"%.40s\"", serial);
	memset(o, 0, sizeof *o);
	o->device_id = sqlite3_column_int64(st, 0);
	snprintf(o->number, sizeof o->number, "%s", serial);
	snprintf(o->device_state, sizeof o->device_state, "%s", col(st, 1));
	moving = strcmp(o->device_state, "in_transfer") == 0;
	here = strcmp(o->device_state, "in_stock") == 0 || strcmp(o->device_state, "received") == 0;
	snprintf(to, 16, "%s", moving ? col(st, 2) : to_depot ? to_depot : "");
	snprintf(from, 16, "%s", col(st, moving ? 3 : 2));
	if (!moving && !here)
		rc = wms_error_set(err, WMS_ESTATE, "device %s is %s; a transfer consignment is for a device "
		                   "in stock or received at its depot (with --to CODE), or in transfer", serial,
		                   o->device_state);
	else if (moving && to_depot && strcmp(to_depot, to) != 0)
		rc = wms_error_set(err, WMS_EINVAL, "device %s is on its way to depot %s already, not to %s; "
		                   "leave out --to", serial, to, to_depot);
	else if (here && to[0] == '\0')
		rc = wms_error_set(err, WMS_EINVAL, "device %s is %s at depot %s: name the depot it goes to "
		                   "(--to CODE)", serial, o->device_state, from);
	else if (here && (rc = wms_depot_known(s, to_depot, err)) < 0)
		;
	else if (here && strcmp(from, to) == 0)
		rc = wms_error_set(err, WMS_EINVAL, "device %s is at depot %s already; a transfer goes to "
		                   "another depot", serial, to);
	else if (sqlite3_column_type(st, 4) != SQLITE_NULL)
		rc = wms_error_set(err, WMS_EEXIST, "device %s already has transfer consignment %s", serial,
		                   col(st, 4));
	else
		rc = 0;
	sqlite3_reset(st);
	return rc;
}

/* Number and insert the consignment inside tx; checks the order first. */
static int insert_consignment(struct wms_store *s, const struct courier_config *cc,
                              const struct courier_carrier_conf *carrier,
                              const struct courier_consignment_req *req, wms_time at,
                              struct courier_consignment_result *res, struct wms_error *err)
{
	static const char existing[] =
		"SELECT sscc FROM consignments WHERE order_id = ?1 AND kind = ?2 AND state <> 'cancelled'";
	static const char insert[] =
		"INSERT INTO consignments(sscc, order_id, carrier, service, state, created_ts, updated_ts,"
		" kind, pickup_point_id, depot, to_depot) VALUES (?1, ?2, ?3, ?4, 'created', ?5, ?5, ?6, ?7,"
		" ?8, ?9)";
	static const char device[] =
		"INSERT INTO consignment_devices(consignment_id, device_id) VALUES (?1, ?2)";
	const char *kind = req->transfer ? "transfer" : req->is_return ? "return" : "outbound";
	struct order_info o;
	long long point = 0;
	char from[16] = "", to[16] = "";
	sqlite3_stmt *st;
	int rc;

	if (req->transfer) {
		if ((rc = load_transfer(s, req->transfer, req->to_depot, &o, from, to, err)) < 0)
			return rc;
		goto number;
	}
	if ((rc = req->is_return ? load_return_order(s, req->order, &o, err)
	                         : load_order(s, req->order, &o, err)) < 0)
		return rc;
	if (req->is_return) {
		if (strcmp(o.status, "delivered") != 0)
			return wms_error_set(err, WMS_ESTATE, "order %s %s; a return consignment is for a "
			                     "delivered order whose device is still out", o.number,
			                     wms_order_status_words(o.status));
		if (strcmp(o.device_state, "delivered") != 0 && strcmp(o.device_state, "rented") != 0 &&
		    strcmp(o.device_state, "return_expected") != 0)
			return wms_error_set(err, WMS_ESTATE, "order %s is delivered and its device is %s now; a "
			                     "return consignment is for a device still out (delivered, rented out "
			                     "or return expected)", o.number,
			                     wms_state_label((enum wms_state)wms_state_from_name(o.device_state)));
		if (req->pickup_point && (rc = return_point(s, req->pickup_point, carrier->name, &point,
		                                            err)) < 0)
			return rc;
	} else {
		if (strcmp(o.status, "picked") != 0 && strcmp(o.status, "dispatched") != 0)
			return wms_error_set(err, WMS_ESTATE, "order %s %s; a consignment is made once its "
			                     "device is picked", req->order, wms_order_status_words(o.status));
		if (o.pp_carrier[0] && strcasecmp(o.pp_carrier, carrier->name) != 0)
			return wms_error_set(err, WMS_EINVAL, "order %s goes to pickup point %s of %s; book it "
			                     "with --carrier %s or change the order's pickup point", req->order,
			                     o.pp_code, o.pp_carrier, o.pp_carrier);
	}
	if ((st = wms_store_stmt(s, existing, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, o.id);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		wms_error_set(err, WMS_EEXIST, "order %s already has %sconsignment %s", o.number,
		              req->is_return ? "return " : "", col(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return WMS_EEXIST;
	if (rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "looking up consignments");
number:
	if (req->tracking && *req->tracking &&
	    (rc = courier_cons_tracking_taken(s, carrier->name, req->tracking, err)) < 0)
		return rc;
	if ((rc = courier_sscc_next(s, cc->extension, cc->company_prefix, res->sscc, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, insert, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, res->sscc, -1, SQLITE_STATIC);
	if (o.id)
		sqlite3_bind_int64(st, 2, o.id);
	sqlite3_bind_text(st, 3, carrier->name, -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 4, req->service && *req->service ? req->service : carrier->service);
	sqlite3_bind_int64(st, 5, at);
	sqlite3_bind_text(st, 6, kind, -1, SQLITE_STATIC);
	if (point)
		sqlite3_bind_int64(st, 7, point);
	if (req->transfer) {
		wms_bind_text_or_null(st, 8, from[0] ? from : NULL);
		sqlite3_bind_text(st, 9, to, -1, SQLITE_STATIC);
	}
	if ((rc = wms_store_step_done(s, st, "adding the consignment", err)) < 0)
		return rc;
	res->id = sqlite3_last_insert_rowid(wms_store_db(s));
	if ((st = wms_store_stmt(s, device, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, res->id);
	sqlite3_bind_int64(st, 2, o.device_id);
	if ((rc = wms_store_step_done(s, st, "adding the consignment's device", err)) < 0 ||
	    (req->transfer && (rc = wms_transfer_link(s, res->id, err)) < 0))
		return rc;
	return courier_cons_event(s, res->id, at, "created", req->station, req->actor,
	                          req->transfer ? "transfer" : req->is_return ? "return" : NULL, err);
}

/* Remember the outbox job of the consignment's booking or label. */
static int set_job(struct wms_store *s, long long id, bool label, long long job,
                   struct wms_error *err)
{
	static const char booking_sql[] = "UPDATE consignments SET booking_job = ?2 WHERE id = ?1";
	static const char label_sql[] = "UPDATE consignments SET label_job = ?2 WHERE id = ?1";
	sqlite3_stmt *st = wms_store_stmt(s, label ? label_sql : booking_sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, job);
	return wms_store_step_done(s, st, "linking the consignment's outbox job", err);
}

/*
 * In the creating transaction: a manual carrier's booking is recorded at
 * once, any other gets a booking job; then the label job, held until the
 * tracking number is known.  No personal data in the booking job.
 */
static int queue_jobs(struct wms_store *s, const struct courier_config *cc, bool manual,
                      const struct courier_consignment_req *req, wms_time at,
                      struct courier_consignment_result *res, struct wms_error *err)
{
	struct courier_cons c;
	char *text = NULL, held[96];
	json_t *p = NULL;
	int rc;

	if ((rc = courier_cons_load(s, res->id, &c, err)) < 0)
		return rc;
	if (manual) {
		if ((rc = courier_cons_booked(s, &c, req->tracking, at, err)) < 0)
			return rc;
		snprintf(res->tracking, sizeof res->tracking, "%s", req->tracking);
		res->booked = true;
	} else {
		p = json_pack("{s:I, s:s}", "consignment", (json_int_t)c.id, "sscc", c.sscc);
		if (p == NULL || (text = json_dumps(p, JSON_COMPACT)) == NULL) {
			rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = wms_outbox_enqueue(s, &(struct wms_outbox_new){ .kind = "booking",
		                             .target = c.carrier, .payload = text }, at, &res->booking_job,
		                             err)) < 0 ||
		    (rc = set_job(s, c.id, false, res->booking_job, err)) < 0)
			goto out;
		free(text);
		text = NULL;
	}
	if (req->label_printer == NULL)
		goto out;
	if ((rc = courier_label_payload(s, cc, &c, manual ? req->tracking : NULL, at, &text,
	                                res->label_note, sizeof res->label_note, err)) < 0 ||
	    text == NULL)
		goto out;
	snprintf(held, sizeof held, "waiting for the booking with %s (tracking number)", c.carrier);
	if ((rc = wms_outbox_enqueue(s, &(struct wms_outbox_new){ .kind = "label",
	                             .target = req->label_printer, .payload = text,
	                             .held = manual ? NULL : held }, at, &res->label_job, err)) < 0)
		goto out;
	rc = set_job(s, c.id, true, res->label_job, err);
out:
	free(text);
	json_decref(p);
	return rc;
}

int courier_consignment_create(struct wms_store *s, const struct courier_config *cc,
                               const struct courier_consignment_req *req,
                               struct courier_consignment_result *res, struct wms_error *err)
{
	const struct courier_carrier_conf *carrier;
	struct courier_tx tx;
	wms_time at = req->at ? req->at : wms_now();
	bool manual;
	int rc, end;

	memset(res, 0, sizeof *res);
	if (!req->transfer && (req->order == NULL || *req->order == '\0'))
		return wms_error_set(err, WMS_EINVAL, "%s needs an order number%s",
		                     req->is_return ? "return-consignment create" : "consignment create",
		                     req->is_return ? " or a serial" : "");
	if ((carrier = courier_config_carrier(cc, req->carrier)) == NULL) {
		struct courier_carrier *probe = NULL;
		rc = courier_carrier_open(cc, req->carrier, &probe, err);   /* names the configured ones */
		courier_carrier_close(probe);
		return rc < 0 ? rc : WMS_ENOTFOUND;
	}
	if (req->service && *req->service && strlen(req->service) > 31)
		return wms_error_set(err, WMS_EINVAL, "service too long: at most 31 bytes");
	if (req->to_depot && !req->transfer)
		return wms_error_set(err, WMS_EINVAL, "--to is for transfer consignments; an order goes to "
		                     "its patient, unit or pickup point");
	if (req->pickup_point && !req->is_return)
		return wms_error_set(err, WMS_EINVAL, "--pickup-point is for return consignments; an "
		                     "order's own pickup point is set on the order");
	manual = strcmp(carrier->adapter, "manual") == 0;
	if (manual) {
		if (req->tracking == NULL || *req->tracking == '\0')
			return wms_error_set(err, WMS_EINVAL, "carrier %s is booked by hand: type or scan the "
			                     "tracking number from its label (--tracking)", carrier->name);
		if ((rc = courier_check_tracking(req->tracking, err)) < 0)
			return rc;
	} else if (req->tracking && *req->tracking) {
		return wms_error_set(err, WMS_EINVAL, "carrier %s gives its own tracking numbers; "
		                     "--tracking is only for manual carriers", carrier->name);
	}
	if ((rc = courier_tx_begin(s, &tx, err)) < 0)
		return rc;
	rc = insert_consignment(s, cc, carrier, req, at, res, err);
	if (rc == 0)
		rc = queue_jobs(s, cc, manual, req, at, res, err);
	end = courier_tx_end(s, &tx, rc == 0, err);
	if (rc == 0)
		rc = end;
	if (rc < 0)
		memset(res, 0, sizeof *res);
	return rc;
}

int courier_consignment_find(struct wms_store *s, const char *ref, long long *id,
                             struct wms_error *err)
{
	static const char by_sscc[] = "SELECT id FROM consignments WHERE sscc = ?1";
	static const char by_tracking[] = "SELECT id FROM consignments WHERE tracking = ?1 LIMIT 2";
	static const char by_id[] = "SELECT id FROM consignments WHERE id = ?1";
	size_t n = ref ? strlen(ref) : 0;
	bool digits = n > 0 && strspn(ref, "0123456789") == n;
	const char *sql = digits && n == COURIER_SSCC_LEN ? by_sscc : digits && n <= 12 ? by_id : by_tracking;
	sqlite3_stmt *st;
	char quoted[200];
	int rc, rows = 0;

	*id = 0;
	if (n == 0 || n > 64)
		return wms_error_set(err, WMS_EINVAL, "bad consignment reference \"%s\": an SSCC (18 digits), "
		                     "tracking number or id", wms_quote(quoted, sizeof quoted, ref ? ref : "",
		                     n, 40));
	if (sql == by_sscc && !courier_sscc_valid(ref))
		return wms_error_set(err, WMS_EINVAL, "bad SSCC %s: the check digit is wrong", ref);
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	if (sql == by_id)
		sqlite3_bind_int64(st, 1, strtoll(ref, NULL, 10));
	else
		sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rows++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "looking up the consignment");
	if (rows == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "no consignment with %s \"%s\"",
		                     sql == by_sscc ? "SSCC" : sql == by_id ? "id" : "tracking number",
		                     wms_quote(quoted, sizeof quoted, ref, n, 40));
	if (rows > 1)
		return wms_error_set(err, WMS_EINVAL, "tracking number %s is used by several carriers; "
		                     "give the SSCC instead", ref);
	return 0;
}

int courier_cons_load(struct wms_store *s, long long id, struct courier_cons *c,
                      struct wms_error *err)
{
	static const char sql[] =
		"SELECT c.sscc, c.state, c.carrier, c.service, c.kind, c.tracking, c.order_id,"
		" c.booking_job, c.label_job,"
		" coalesce(o.number, (SELECT d.serial FROM consignment_devices cd JOIN devices d"
		"   ON d.id = cd.device_id WHERE cd.consignment_id = c.id)),"
		" coalesce(o.mode, c.kind), pp.ext_id, c.depot, c.to_depot"
		" FROM consignments c LEFT JOIN orders o ON o.id = c.order_id"
		" LEFT JOIN pickup_points pp ON pp.location_id = coalesce(c.pickup_point_id, o.pickup_point_id)"
		" WHERE c.id = ?1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, NULL, id, &st, "loading the consignment", err);

	memset(c, 0, sizeof *c);
	if (rc <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND, "no consignment %lld", id);
	c->id = id;
	snprintf(c->sscc, sizeof c->sscc, "%s", col(st, 0));
	snprintf(c->state, sizeof c->state, "%s", col(st, 1));
	snprintf(c->carrier, sizeof c->carrier, "%s", col(st, 2));
	snprintf(c->service, sizeof c->service, "%s", col(st, 3));
	snprintf(c->kind, sizeof c->kind, "%s", col(st, 4));
	snprintf(c->tracking, sizeof c->tracking, "%s", col(st, 5));
	c->order_id = sqlite3_column_int64(st, 6);
	c->booking_job = sqlite3_column_int64(st, 7);
	c->label_job = sqlite3_column_int64(st, 8);
	snprintf(c->order, sizeof c->order, "%s", col(st, 9));
	snprintf(c->mode, sizeof c->mode, "%s", col(st, 10));
	snprintf(c->pickup_point, sizeof c->pickup_point, "%s", col(st, 11));
	snprintf(c->depot, sizeof c->depot, "%s", col(st, 12));
	snprintf(c->to_depot, sizeof c->to_depot, "%s", col(st, 13));
	sqlite3_reset(st);
	return 0;
}

int courier_cons_booked(struct wms_store *s, const struct courier_cons *c, const char *tracking,
                        wms_time now, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE consignments SET state = 'booked', tracking = ?2, booking_error = NULL,"
		" updated_ts = ?3 WHERE id = ?1 AND state = 'created'";
	char patch[COURIER_TRACKING_MAX + 40];
	sqlite3_stmt *st;
	int rc;

	if ((rc = courier_cons_tracking_taken(s, c->carrier, tracking, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_text(st, 2, tracking, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = wms_store_step_done(s, st, "recording the booking", err)) < 0)
		return rc;
	if (sqlite3_changes(wms_store_db(s)) == 0)
		return wms_error_set(err, WMS_ESTATE, "consignment %s is no longer created; booking not "
		                     "recorded", c->sscc);
	if ((rc = courier_cons_event(s, c->id, now, "booked", c->carrier, NULL, tracking, err)) < 0)
		return rc;
	/* a job no longer open (the operator cancelled it) is left as it is */
	if (c->booking_job && (rc = wms_outbox_printed(s, c->booking_job, now, err)) < 0 &&
	    rc != WMS_ESTATE)
		return rc;
	snprintf(patch, sizeof patch, "{\"fields\":{\"tracking\":\"%s\"}}", tracking);  /* checked chars */
	if (c->label_job && (rc = wms_outbox_release(s, c->label_job, patch, now, err)) < 0 &&
	    rc != WMS_ESTATE)
		return rc;
	wms_error_clear(err);
	return 0;
}

/* Replace integer field key of every row by its Stockholm time text. */
static void format_times(json_t *rows, const char *key)
{
	size_t i;
	json_t *row;
	char buf[32];

	json_array_foreach(rows, i, row) {
		json_t *v = json_object_get(row, key);
		if (json_is_integer(v))
			json_object_set_new(row, key, json_string(wms_time_format(json_integer_value(v), buf)));
	}
}

/* Lead time so far (open) or at delivery of an order row; -1 when unknown. */
static int order_days(const struct wms_config *wcfg, json_t *row, wms_time now)
{
	json_t *reg = json_object_get(row, "registered_ts");
	json_t *del = json_object_get(row, "delivered_ts");
	const char *depot = json_string_value(json_object_get(row, "depot"));

	if (wcfg == NULL || !json_is_integer(reg))
		return -1;
	return wms_leadtime_days(wms_config_calendar(wcfg, depot), json_integer_value(reg),
	                         json_is_integer(del) ? json_integer_value(del) : now,
	                         wms_config_cutoff(wcfg, depot));
}

json_t *courier_consignment_show(struct wms_store *s, const struct wms_config *wcfg, const char *ref,
                                 struct wms_error *err)
{
	static const char head[] =
		"SELECT c.id, c.sscc, c.kind, o.number AS 'order', o.mode, l.code AS pickup_point,"
		" c.carrier, c.service, c.tracking, c.state, c.booking_error, c.booking_job, c.label_job,"
		" c.created_ts AS created, c.updated_ts AS updated, o.registered_ts,"
		" CASE WHEN c.kind = 'outbound' THEN o.delivered_ts END AS delivered_ts,"
		" coalesce(o.depot, c.depot) AS depot, c.to_depot"
		" FROM consignments c LEFT JOIN orders o ON o.id = c.order_id"
		" LEFT JOIN locations l ON l.id = coalesce(c.pickup_point_id, o.pickup_point_id)"
		" WHERE c.id = ?1";
	static const char devices[] =
		"SELECT d.serial, p.code AS product, d.state FROM consignment_devices cd"
		" JOIN devices d ON d.id = cd.device_id JOIN products p ON p.id = d.product_id"
		" WHERE cd.consignment_id = ?1 ORDER BY d.serial";
	static const char events[] =
		"SELECT ts AS time, event, source, actor, detail, ledger_event_id AS ledger_event"
		" FROM consignment_events WHERE consignment_id = ?1 ORDER BY ts, id";
	long long id;
	char idtext[32];
	const char *params[1] = { idtext };
	json_t *rows = NULL, *one = NULL, *list;
	int days;

	if (courier_consignment_find(s, ref, &id, err) < 0)
		return NULL;
	snprintf(idtext, sizeof idtext, "%lld", id);
	if ((rows = wms_query_rows(s, head, params, 1, err)) == NULL)
		return NULL;
	if ((one = json_incref(json_array_get(rows, 0))) == NULL) {
		wms_error_set(err, WMS_ENOTFOUND, "no consignment %lld", id);
		goto out;
	}
	days = json_is_integer(json_object_get(one, "delivered_ts")) ? order_days(wcfg, one, 0) : -1;
	if (days >= 0) {
		json_object_set_new(one, "lead_time_days", json_integer(days));
		json_object_set_new(one, "target_days", json_integer(wcfg->target_days));
	}
	json_object_del(one, "registered_ts");
	json_object_del(one, "delivered_ts");
	json_object_del(one, "depot");
	{
		json_t *wrap = json_pack("[O]", one);
		format_times(wrap, "created");
		format_times(wrap, "updated");
		json_decref(wrap);
	}
	if ((list = wms_query_rows(s, devices, params, 1, err)) == NULL)
		goto fail;
	json_object_set_new(one, "devices", list);
	if ((list = wms_query_rows(s, events, params, 1, err)) == NULL)
		goto fail;
	format_times(list, "time");
	json_object_set_new(one, "events", list);
	goto out;
fail:
	json_decref(one);
	one = NULL;
out:
	json_decref(rows);
	return one;
}

json_t *courier_consignment_list(struct wms_store *s, const struct wms_config *wcfg, bool problems,
                                 wms_time now, int limit, struct wms_error *err)
{
	static const char all[] =
		"SELECT c.sscc, c.kind, o.number AS 'order', c.carrier, c.tracking, c.state,"
		" c.updated_ts AS updated,"
		" c.booking_error, o.registered_ts, o.delivered_ts, coalesce(o.depot, c.depot) AS depot,"
		" o.requested_date FROM consignments c LEFT JOIN orders o ON o.id = c.order_id"
		" ORDER BY c.id DESC LIMIT ?1";
	static const char open[] =
		"SELECT c.sscc, c.kind, o.number AS 'order', c.carrier, c.tracking, c.state,"
		" c.updated_ts AS updated,"
		" c.booking_error, o.registered_ts, o.delivered_ts, coalesce(o.depot, c.depot) AS depot,"
		" o.requested_date FROM consignments c LEFT JOIN orders o ON o.id = c.order_id"
		" WHERE c.state IN ('created', 'booked', 'in_transit', 'failed', 'returned_to_sender')"
		" ORDER BY c.id DESC";
	char lim[16];
	const char *params[1] = { lim };
	json_t *rows, *out = NULL, *row;
	size_t i;

	snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 100);
	if ((rows = wms_query_rows(s, problems ? open : all, params, problems ? 0 : 1, err)) == NULL)
		return NULL;
	if ((out = json_array()) == NULL) {
		wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(rows, i, row) {
		const char *state = json_string_value(json_object_get(row, "state"));
		const char *booking = json_string_value(json_object_get(row, "booking_error"));
		const char *requested = json_string_value(json_object_get(row, "requested_date"));
		int days = order_days(wcfg, row, now ? now : wms_now());
		bool delivered = json_is_integer(json_object_get(row, "delivered_ts"));
		char problem[400] = "";

		if (state && strcmp(state, "failed") == 0)
			snprintf(problem, sizeof problem, "failed delivery (bomkörning)");
		else if (state && strcmp(state, "returned_to_sender") == 0)
			snprintf(problem, sizeof problem, "returned to sender");
		else if (state && strcmp(state, "created") == 0)
			snprintf(problem, sizeof problem, "not booked%s%s", booking ? ": " : "",
			         booking ? booking : "");
		if (!delivered && wcfg && days >= 0) {
			size_t n = strlen(problem);
			wms_day req = 0;
			if (requested && wms_date_parse(requested, &req, NULL) == 0 &&
			    wms_local_day(now ? now : wms_now(), NULL) > req)
				snprintf(problem + n, sizeof problem - n, "%slate: past the customer-set date %s",
				         n ? "; " : "", requested);
			else if (requested == NULL && days > wcfg->target_days)
				snprintf(problem + n, sizeof problem - n, "%slate: %d working days, target %d",
				         n ? "; " : "", days, wcfg->target_days);
		}
		if (problems && problem[0] == '\0')
			continue;
		json_object_set_new(row, "working_days", days >= 0 ? json_integer(days) : json_null());
		json_object_set_new(row, "problem", problem[0] ? json_string(problem) : json_null());
		json_object_del(row, "registered_ts");
		json_object_del(row, "delivered_ts");
		json_object_del(row, "depot");
		json_object_del(row, "requested_date");
		json_object_del(row, "booking_error");
		json_array_append(out, row);
		if (problems && limit > 0 && (int)json_array_size(out) >= limit)
			break;
	}
	format_times(out, "updated");
out:
	json_decref(rows);
	return out;
}

int courier_consignment_cancel(struct wms_store *s, const struct courier_config *cc, const char *ref,
                               const char *reason, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE consignments SET state = 'cancelled', updated_ts = ?2 WHERE id = ?1"
		" AND state IN ('created', 'booked')";
	struct courier_carrier *carrier = NULL;
	struct courier_cons c;
	struct courier_tx tx;
	wms_time now = wms_now();
	sqlite3_stmt *st;
	long long id, jobs[2];
	int rc, end;

	if (reason == NULL || *reason == '\0')
		return wms_error_set(err, WMS_EINVAL, "consignment cancel needs a reason (--reason)");
	if (strlen(reason) > 200)
		return wms_error_set(err, WMS_EINVAL, "reason too long: at most 200 bytes");
	if ((rc = courier_consignment_find(s, ref, &id, err)) < 0 ||
	    (rc = courier_cons_load(s, id, &c, err)) < 0)
		return rc;
	if (strcmp(c.state, "created") != 0 && strcmp(c.state, "booked") != 0)
		return wms_error_set(err, WMS_ESTATE, "consignment %s is %s; only a created or booked "
		                     "consignment (not yet with the carrier) can be cancelled", c.sscc, c.state);
	/* tell the carrier first: a booking it still holds must not be forgotten here */
	if (c.tracking[0]) {
		if ((rc = courier_carrier_open(cc, c.carrier, &carrier, err)) < 0)
			return rc;
		rc = courier_carrier_cancel(carrier, c.tracking, err);
		courier_carrier_close(carrier);
		if (rc < 0)
			return rc;
	}
	if ((rc = courier_tx_begin(s, &tx, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		rc = WMS_EDB;
	else {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, now);
		rc = wms_store_step_done(s, st, "cancelling the consignment", err);
	}
	if (rc == 0)
		rc = courier_cons_event(s, id, now, "cancelled", c.carrier, NULL, reason, err);
	/* its booking and label jobs go too, unless already done */
	jobs[0] = c.booking_job;
	jobs[1] = c.label_job;
	for (int i = 0; i < 2 && rc == 0; i++)
		if (jobs[i] && (rc = wms_outbox_cancel(s, jobs[i], now, err)) == WMS_ESTATE) {
			wms_error_clear(err);
			rc = 0;
		}
	end = courier_tx_end(s, &tx, rc == 0, err);
	return rc ? rc : end;
}
