/*
 * projection.c - how each event type changes devices, orders and rentals.
 *
 * The event alone (plus reference data) decides the change, never the
 * command that produced it: rebuild.c replays stored events through here.
 * An order's depot is its event's depot code; events written before depots
 * were entities name a depot in free text, and their orders go to the
 * default depot, as the migration put them.
 */
#include "projection.h"

#include "leadtime_hist.h"
#include "ledger_bulk.h"
#include "store_sql.h"

#include <stdio.h>
#include <string.h>

static const char *pl_str(const json_t *payload, const char *key)
{
	return json_string_value(json_object_get(payload, key));
}

static long long pl_int(const json_t *payload, const char *key)
{
	return json_integer_value(json_object_get(payload, key));
}

static void bind_opt_id(sqlite3_stmt *st, int idx, long long id)
{
	if (id > 0)
		sqlite3_bind_int64(st, idx, id);
	else
		sqlite3_bind_null(st, idx);
}

static int oom(struct wms_error *err)
{
	return wms_error_set(err, WMS_ENOMEM, "out of memory");
}

/* The bulk path's twin of each statement below: the same change to the session's rows. */
static int bulk_insert_device(struct wms_store *s, const struct wms_event *ev, struct wms_error *err)
{
	struct bulk_device *d = wms_bulk_device_add(s, ev->device_id, pl_str(ev->payload, "serial"));

	if (d == NULL || !wms_bulk_set_str(&d->gtin, pl_str(ev->payload, "gtin")) ||
	    !wms_bulk_set_str(&d->lot, pl_str(ev->payload, "lot")) ||
	    !wms_bulk_set_str(&d->expiry, pl_str(ev->payload, "expiry")) ||
	    !wms_bulk_set_str(&d->manufactured, pl_str(ev->payload, "manufactured")))
		return oom(err);
	d->product_id = pl_int(ev->payload, "product_id");
	d->state = ev->to;
	d->location_id = ev->location_id > 0 ? ev->location_id : 0;
	d->received = d->updated = ev->ts;
	d->last_event_id = ev->id;
	return 0;
}

static int insert_device(struct wms_store *s, const struct wms_event *ev, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO devices(id, serial, product_id, gtin, lot, expiry, manufactured, state,"
		" location_id, received_ts, updated_ts, last_event_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)";
	sqlite3_stmt *st;

	if (wms_bulk_of(s))
		return bulk_insert_device(s, ev, err);
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, ev->device_id);
	wms_bind_text_or_null(st, 2, pl_str(ev->payload, "serial"));
	sqlite3_bind_int64(st, 3, pl_int(ev->payload, "product_id"));
	wms_bind_text_or_null(st, 4, pl_str(ev->payload, "gtin"));
	wms_bind_text_or_null(st, 5, pl_str(ev->payload, "lot"));
	wms_bind_text_or_null(st, 6, pl_str(ev->payload, "expiry"));
	wms_bind_text_or_null(st, 7, pl_str(ev->payload, "manufactured"));
	sqlite3_bind_text(st, 8, wms_state_name(ev->to), -1, SQLITE_STATIC);
	bind_opt_id(st, 9, ev->location_id);
	sqlite3_bind_int64(st, 10, ev->ts);
	sqlite3_bind_int64(st, 11, ev->id);
	return wms_store_step_done(s, st, "registering the device", err);
}

enum order_link { ORDER_KEEP, ORDER_SET, ORDER_CLEAR };

static int update_device(struct wms_store *s, const struct wms_event *ev, enum order_link link,
                         int recon_cycle, struct wms_error *err)
{
	/* location_id and order_id only when they change (or may: a replay) */
#define SET_DEV "UPDATE devices SET state = ?1, recon_cycles = recon_cycles + ?5, updated_ts = ?6," \
                " last_event_id = ?7"
#define LOC ", location_id = ?2"
#define ORD ", order_id = CASE ?3 WHEN 0 THEN order_id WHEN 1 THEN ?4 ELSE NULL END"
	static const char same[] = SET_DEV " WHERE id = ?8", loc[] = SET_DEV LOC " WHERE id = ?8",
	                  ord[] = SET_DEV ORD " WHERE id = ?8", both[] = SET_DEV LOC ORD " WHERE id = ?8";
#undef SET_DEV
#undef LOC
#undef ORD
	static const char *const sql_of[4] = { same, loc, ord, both };
	long long loc_to = ev->location_id > 0 ? ev->location_id : 0;
	long long ord_to = link == ORDER_SET && ev->order_id > 0 ? ev->order_id : 0;
	bool moved = !ev->prior_known || loc_to != ev->prior_location;
	bool linked = link != ORDER_KEEP && (!ev->prior_known || ord_to != ev->prior_order);
	const char *sql = sql_of[moved | linked << 1];
	sqlite3_stmt *st;

	if (wms_bulk_of(s)) {
		struct bulk_device *d;
		int rc = wms_bulk_device(s, NULL, ev->device_id, &d, err);
		if (rc == WMS_ENOTFOUND)
			return 0;                       /* as an UPDATE of no row */
		if (rc < 0)
			return rc;
		d->state = ev->to;
		d->location_id = ev->location_id > 0 ? ev->location_id : 0;
		if (link != ORDER_KEEP)
			d->order_id = link == ORDER_SET && ev->order_id > 0 ? ev->order_id : 0;
		d->recon_cycles += recon_cycle;
		d->updated = ev->ts;
		d->last_event_id = ev->id;
		d->dirty = true;
		return 0;
	}
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, wms_state_name(ev->to), -1, SQLITE_STATIC);
	bind_opt_id(st, 2, ev->location_id);
	sqlite3_bind_int(st, 3, (int)link);
	bind_opt_id(st, 4, ev->order_id);
	sqlite3_bind_int(st, 5, recon_cycle);
	sqlite3_bind_int64(st, 6, ev->ts);
	sqlite3_bind_int64(st, 7, ev->id);
	sqlite3_bind_int64(st, 8, ev->device_id);
	return wms_store_step_done(s, st, "updating the device", err);
}

/* Set an order's status; device: 1 = link ev's device, -1 = unlink, 0 = keep. */
static int update_order(struct wms_store *s, const struct wms_event *ev, const char *status,
                        int device, struct wms_error *err)
{
	/* the indexed columns (status, delivered_ts, the pickup point and mode) only
	 * when the event sets them */
#define SET_ORD "UPDATE orders SET" \
                " device_id = CASE ?2 WHEN 1 THEN ?3 WHEN -1 THEN NULL ELSE device_id END," \
                " dispatched_ts = CASE WHEN ?1 = 'dispatched' THEN ?4 ELSE dispatched_ts END," \
                " note = coalesce(?5, note), last_event_id = ?6"
#define STATUS ", status = ?1"
#define DELIV ", delivered_ts = ?4"
#define PICKUP ", pickup_point_id = ?8, mode = ?9"
	static const char s0[] = SET_ORD " WHERE id = ?7", s1[] = SET_ORD STATUS " WHERE id = ?7",
	                  s2[] = SET_ORD DELIV " WHERE id = ?7", s3[] = SET_ORD STATUS DELIV " WHERE id = ?7",
	                  s4[] = SET_ORD PICKUP " WHERE id = ?7", s5[] = SET_ORD STATUS PICKUP " WHERE id = ?7",
	                  s6[] = SET_ORD DELIV PICKUP " WHERE id = ?7",
	                  s7[] = SET_ORD STATUS DELIV PICKUP " WHERE id = ?7";
#undef SET_ORD
#undef STATUS
#undef DELIV
#undef PICKUP
	static const char *const sql_of[8] = { s0, s1, s2, s3, s4, s5, s6, s7 };
	sqlite3_stmt *st;

	if (wms_bulk_of(s)) {
		struct bulk_order *o;
		/* as the UPDATE below: a note that sets the pickup point sets it, not the note */
		long long pickup = ev->type == WMS_EV_ORDER_NOTE ? pl_int(ev->payload, "pickup_point_id") : 0;
		const char *note = ev->type == WMS_EV_ORDER_NOTE && pickup <= 0 ? pl_str(ev->payload, "reason")
		                                                                 : NULL;
		int rc = wms_bulk_order(s, NULL, ev->order_id, &o, err);
		if (rc == WMS_ENOTFOUND)
			return 0;                       /* as an UPDATE of no row */
		if (rc < 0)
			return rc;
		if (status)
			snprintf(o->status, sizeof o->status, "%s", status);
		if (device == 1)
			o->device_id = ev->device_id > 0 ? ev->device_id : 0;
		else if (device == -1)
			o->device_id = 0;
		if (status && strcmp(status, "dispatched") == 0)
			o->dispatched = ev->ts;
		if (status && strcmp(status, "delivered") == 0)
			o->delivered = ev->ts;
		if (note && *note && !wms_bulk_set_str(&o->note, note))
			return oom(err);
		if (pickup > 0) {
			o->pickup_point_id = pickup;
			snprintf(o->mode, sizeof o->mode, "pickup_point");
		}
		o->last_event_id = ev->id;
		o->dirty = true;
		return 0;
	}
	/* a note that sets the pickup point (ledger.c) is no reason for lateness */
	bool pickup = ev->type == WMS_EV_ORDER_NOTE && pl_int(ev->payload, "pickup_point_id") > 0;
	bool delivered = status && strcmp(status, "delivered") == 0;

	if ((st = wms_store_stmt(s, sql_of[(status != NULL) | delivered << 1 | pickup << 2], err)) == NULL)
		return WMS_EDB;
	wms_bind_text_or_null(st, 1, status);
	sqlite3_bind_int(st, 2, device);
	bind_opt_id(st, 3, ev->device_id);
	sqlite3_bind_int64(st, 4, ev->ts);
	wms_bind_text_or_null(st, 5, ev->type == WMS_EV_ORDER_NOTE && !pickup
	                             ? pl_str(ev->payload, "reason") : NULL);
	sqlite3_bind_int64(st, 6, ev->id);
	sqlite3_bind_int64(st, 7, ev->order_id);
	bind_opt_id(st, 8, pickup ? pl_int(ev->payload, "pickup_point_id") : 0);
	wms_bind_text_or_null(st, 9, pickup ? "pickup_point" : NULL);
	return wms_store_step_done(s, st, "updating the order", err);
}

static int insert_order(struct wms_store *s, const struct wms_event *ev, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO orders(id, number, customer_id, product_id, mode,"
		" pickup_point_id, requested_date, depot, registered_ts, status, exchange_of,"
		" last_event_id, external_id)"
		" VALUES (?1, ?2, ?3, ?5, ?6, ?7, ?8,"
		"  coalesce((SELECT code FROM depots WHERE code = ?9), (SELECT code FROM depots WHERE is_default = 1)),"
		"  ?10, 'open', ?11, ?12, ?13)";
	sqlite3_stmt *st;

	if (wms_bulk_of(s)) {
		struct bulk_order *o = wms_bulk_order_add(s, ev->order_id, pl_str(ev->payload, "number"),
		                                          pl_int(ev->payload, "customer_id"),
		                                          pl_str(ev->payload, "external_id"));
		if (o == NULL || !wms_bulk_set_str(&o->requested_date, pl_str(ev->payload, "requested_date")) ||
		    !wms_bulk_set_str(&o->depot, pl_str(ev->payload, "depot")))
			return oom(err);
		o->product_id = pl_int(ev->payload, "product_id");
		snprintf(o->mode, sizeof o->mode, "%s", pl_str(ev->payload, "mode") ? pl_str(ev->payload, "mode") : "");
		o->pickup_point_id = pl_int(ev->payload, "pickup_point_id") > 0 ? pl_int(ev->payload, "pickup_point_id") : 0;
		o->registered = ev->ts;
		snprintf(o->status, sizeof o->status, "open");
		o->exchange_of = pl_int(ev->payload, "exchange_of") > 0 ? pl_int(ev->payload, "exchange_of") : 0;
		o->last_event_id = ev->id;
		return 0;
	}
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, ev->order_id);
	wms_bind_text_or_null(st, 2, pl_str(ev->payload, "number"));
	sqlite3_bind_int64(st, 3, pl_int(ev->payload, "customer_id"));
	sqlite3_bind_int64(st, 5, pl_int(ev->payload, "product_id"));
	wms_bind_text_or_null(st, 6, pl_str(ev->payload, "mode"));
	bind_opt_id(st, 7, pl_int(ev->payload, "pickup_point_id"));
	wms_bind_text_or_null(st, 8, pl_str(ev->payload, "requested_date"));
	wms_bind_text_or_null(st, 9, pl_str(ev->payload, "depot"));
	sqlite3_bind_int64(st, 10, ev->ts);
	bind_opt_id(st, 11, pl_int(ev->payload, "exchange_of"));
	sqlite3_bind_int64(st, 12, ev->id);
	wms_bind_text_or_null(st, 13, pl_str(ev->payload, "external_id"));
	return wms_store_step_done(s, st, "registering the order", err);
}

static int open_rental(struct wms_store *s, const struct wms_event *ev, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO rentals(device_id, customer_id, order_id, start_ts)"
		" SELECT ?1, customer_id, id, ?2 FROM orders WHERE id = ?3";
	static const char bulk_sql[] =
		"INSERT INTO rentals(device_id, customer_id, order_id, start_ts) VALUES (?1, ?4, ?3, ?2)";
	sqlite3_stmt *st;
	struct bulk_order *o = NULL;

	if (wms_bulk_of(s)) {
		/* the order may not be in the table yet: its customer from the session */
		int rc = wms_bulk_order(s, NULL, ev->order_id, &o, err);
		if (rc == WMS_ENOTFOUND)
			return 0;                       /* as the INSERT ... SELECT of no row */
		if (rc < 0)
			return rc;
	}
	if ((st = wms_store_stmt(s, o ? bulk_sql : sql, err)) == NULL)
		return WMS_EDB;
	if (o)
		sqlite3_bind_int64(st, 4, o->customer_id);
	sqlite3_bind_int64(st, 1, ev->device_id);
	sqlite3_bind_int64(st, 2, ev->ts);
	sqlite3_bind_int64(st, 3, ev->order_id);
	return wms_store_step_done(s, st, "opening the rental", err);
}

/*
 * End the device's latest rental at `end` unless it already ends earlier: a
 * return ends it when it comes before the rent stop that a pickup order
 * (expect_return) set.
 */
static int end_rental(struct wms_store *s, const struct wms_event *ev, wms_time end,
                      struct wms_error *err)
{
	static const char sql[] =
		"UPDATE rentals SET end_ts = ?1 WHERE id = (SELECT max(id) FROM rentals WHERE device_id = ?2)"
		" AND (end_ts IS NULL OR end_ts > ?1)";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, end);
	sqlite3_bind_int64(st, 2, ev->device_id);
	return wms_store_step_done(s, st, "closing the rental", err);
}

static int close_rental(struct wms_store *s, const struct wms_event *ev, struct wms_error *err)
{
	return end_rental(s, ev, ev->ts, err);
}

/* A pickup order stops the rent at the start (Stockholm midnight) of its rent_stop day. */
static int stop_rental(struct wms_store *s, const struct wms_event *ev, struct wms_error *err)
{
	const char *stop = pl_str(ev->payload, "rent_stop");
	wms_day d;

	if (stop == NULL)
		return 0;
	if (wms_date_parse(stop, &d, err) < 0)
		return wms_error_set(err, WMS_EDB, "event %lld has a bad rent_stop", ev->id);
	return end_rental(s, ev, wms_local_to_utc(d, 0), err);
}

/* A void: a voided receipt removes the device, a voided move puts it back where and as it was
 * (the payload's state, the event's location); the void becomes its latest event. */
static int void_event(struct wms_store *s, const struct wms_event *ev, struct wms_error *err)
{
	static const char del[] = "DELETE FROM devices WHERE id = ?1";
	static const char upd[] =
		"UPDATE devices SET state = ?1, location_id = ?2, updated_ts = ?3, last_event_id = ?4 WHERE id = ?5";
	const char *voided = pl_str(ev->payload, "voided");
	const char *state = pl_str(ev->payload, "state");
	sqlite3_stmt *st;

	if (voided && strcmp(voided, "receive") == 0) {
		if ((st = wms_store_stmt(s, del, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_int64(st, 1, ev->device_id);
		return wms_store_step_done(s, st, "voiding the receipt", err);
	}
	if (voided == NULL || strcmp(voided, "move") != 0 || state == NULL)
		return wms_error_set(err, WMS_EDB, "void event %lld has a bad payload", ev->id);
	if ((st = wms_store_stmt(s, upd, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
	bind_opt_id(st, 2, ev->location_id);
	sqlite3_bind_int64(st, 3, ev->ts);
	sqlite3_bind_int64(st, 4, ev->id);
	sqlite3_bind_int64(st, 5, ev->device_id);
	return wms_store_step_done(s, st, "voiding the move", err);
}

int wms_project_event(struct wms_store *s, const struct wms_event *ev, struct wms_error *err)
{
	int rc;

	switch (ev->type) {
	case WMS_EV_RECEIVE:
		return insert_device(s, ev, err);
	case WMS_EV_ORDER_CREATE:
		return insert_order(s, ev, err);
	case WMS_EV_ORDER_CANCEL:
		return update_order(s, ev, "cancelled", 0, err);
	case WMS_EV_ORDER_NOTE:
		return update_order(s, ev, NULL, 0, err);
	case WMS_EV_VOID:
		return void_event(s, ev, err);
	case WMS_EV_RESERVE:
		rc = update_device(s, ev, ORDER_SET, 0, err);
		return rc ? rc : update_order(s, ev, "reserved", 1, err);
	case WMS_EV_UNRESERVE:
		rc = update_device(s, ev, ORDER_CLEAR, 0, err);
		return rc ? rc : update_order(s, ev, "open", -1, err);
	case WMS_EV_PICK:
		rc = update_device(s, ev, ORDER_KEEP, 0, err);
		return rc ? rc : update_order(s, ev, "picked", 0, err);
	case WMS_EV_DISPATCH:
		rc = update_device(s, ev, ORDER_KEEP, 0, err);
		return rc ? rc : update_order(s, ev, "dispatched", 0, err);
	case WMS_EV_DELIVER:
		rc = update_device(s, ev, ORDER_KEEP, 0, err);
		rc = rc ? rc : update_order(s, ev, "delivered", 0, err);
		return rc ? rc : wms_lt_on_deliver(s, ev->order_id, err);
	case WMS_EV_RENT:
		rc = update_device(s, ev, ORDER_KEEP, 0, err);
		return rc ? rc : open_rental(s, ev, err);
	case WMS_EV_RETURN:
		rc = update_device(s, ev, ORDER_CLEAR, 0, err);
		return rc ? rc : close_rental(s, ev, err);
	case WMS_EV_RECON_APPROVE:
		return update_device(s, ev, ORDER_KEEP, 1, err);
	case WMS_EV_EXPECT_RETURN:
	case WMS_EV_EXCHANGE:
		rc = update_device(s, ev, ORDER_KEEP, 0, err);
		return rc ? rc : stop_rental(s, ev, err);
	case WMS_EV_MOVE:
	case WMS_EV_TO_BUFFER:
	case WMS_EV_FROM_BUFFER:
	case WMS_EV_RECON_START:
	case WMS_EV_RECON_REPAIR:
	case WMS_EV_REPAIR_BACK:
	case WMS_EV_SCRAP:
	case WMS_EV_TRANSFER_OUT:
	case WMS_EV_TRANSFER_IN:
		return update_device(s, ev, ORDER_KEEP, 0, err);
	case WMS_EV_COUNT:   /* not an event */
		break;
	}
	return wms_error_set(err, WMS_EINVAL, "event %lld has an unknown type", ev->id);
}
