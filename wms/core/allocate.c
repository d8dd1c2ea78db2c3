/*
 * allocate.c - the device for an open order: the unit's buffer first, then
 * the shelves, oldest received first (see wms_allocate.h).
 */
#include "wms_allocate.h"

#include "store_sql.h"
#include "wms_ledger.h"
#include "wms_lifecycle.h"
#include "wms_transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct order_info {
	long long id, customer_id, product_id;
	char status[16], product[WMS_CODE_MAX + 1], customer[WMS_CODE_MAX + 1];
	char mode[16], depot[16];
};

static int load_order(struct wms_store *s, const char *number, struct order_info *o,
                      struct wms_error *err)
{
	static const char sql[] =
		"SELECT o.id, o.customer_id, o.product_id, o.status, p.code, c.code, o.mode, o.depot FROM orders o"
		" JOIN products p ON p.id = o.product_id JOIN customers c ON c.id = o.customer_id"
		" WHERE o.number = ?1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, number, 0, &st, "looking up the order", err);

	if (rc <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND,
		                                   "unknown order \"%s\"; see `wms order list`", number);
	o->id = sqlite3_column_int64(st, 0);
	o->customer_id = sqlite3_column_int64(st, 1);
	o->product_id = sqlite3_column_int64(st, 2);
	snprintf(o->status, sizeof o->status, "%s", (const char *)sqlite3_column_text(st, 3));
	snprintf(o->product, sizeof o->product, "%s", (const char *)sqlite3_column_text(st, 4));
	snprintf(o->customer, sizeof o->customer, "%s", (const char *)sqlite3_column_text(st, 5));
	snprintf(o->mode, sizeof o->mode, "%s", (const char *)sqlite3_column_text(st, 6));
	snprintf(o->depot, sizeof o->depot, "%s", (const char *)sqlite3_column_text(st, 7));
	sqlite3_reset(st);
	return 0;
}

/* The candidate device: 1 found, 0 none, or WMS_EDB. */
static int pick_device(struct wms_store *s, const struct order_info *o, struct wms_alloc_result *r,
                       struct wms_error *err)
{
	/* the order's depot only; a unit's buffer only for what the unit hands out itself */
	static const char sql[] =
		"SELECT d.serial, l.kind = 'buffer' FROM devices d JOIN locations l ON l.id = d.location_id"
		" WHERE d.product_id = ?1 AND l.depot = ?3"
		" AND ((d.state = 'in_buffer' AND l.kind = 'buffer' AND l.customer_id = ?2 AND ?4)"
		"   OR (d.state = 'in_stock' AND l.kind = 'shelf'))"
		/* nor a device whose transfer consignment waits at the dispatch station */
		" AND NOT EXISTS (SELECT 1 FROM consignment_devices cd"
		"  JOIN consignments c ON c.id = cd.consignment_id WHERE cd.device_id = d.id"
		"  AND c.kind = 'transfer' AND c.state IN ('created','booked')"
		"  AND c.created_ts >= coalesce((SELECT max(ts) FROM events WHERE device_id = d.id"
		"   AND type = 'transfer_in'), 0))"
		" ORDER BY l.kind = 'buffer' DESC, d.received_ts, d.id LIMIT 1";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, o->product_id);
	sqlite3_bind_int64(st, 2, o->customer_id);
	sqlite3_bind_text(st, 3, o->depot, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, strcmp(o->mode, "buffer") == 0 || strcmp(o->mode, "unit") == 0);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(r->serial, sizeof r->serial, "%s", (const char *)sqlite3_column_text(st, 0));
		r->from_buffer = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "choosing a device");
}

int wms_allocate(struct wms_store *s, const char *number, const struct wms_alloc_opts *o,
                 struct wms_alloc_result *res, struct wms_error *err)
{
	static const struct wms_alloc_opts none = { 0 };
	struct order_info oi;
	struct wms_cmd cmd = { 0 };
	int rc;

	if (o == NULL)
		o = &none;
	memset(res, 0, sizeof *res);
	if ((rc = wms_check_order_number(number, err)) < 0)
		return rc;
	snprintf(res->order, sizeof res->order, "%s", number);
	if ((rc = load_order(s, number, &oi, err)) < 0)
		return rc;
	if (strcmp(oi.status, "open") != 0)
		return wms_error_set(err, WMS_ESTATE, "order %s %s; only an open order is allocated", number,
		                     wms_order_status_words(oi.status));
	if ((rc = pick_device(s, &oi, res, err)) < 0)
		return rc;
	if (rc == 0) {
		char others[200];
		if ((rc = wms_transfer_sources(s, oi.product_id, oi.depot, others, sizeof others, err)) < 0)
			return rc;
		if (others[0])
			return wms_error_set(err, WMS_ENOTFOUND,
			                     "no device of product %s available for order %s at depot %s; in stock at "
			                     "%s: request a transfer with `wms transfer request %s`; the order stays open",
			                     oi.product, number, oi.depot, others, number);
		if (strcmp(oi.mode, "buffer") == 0 || strcmp(oi.mode, "unit") == 0)
			snprintf(others, sizeof others, " nor in %s's buffer store", oi.customer);
		return wms_error_set(err, WMS_ENOTFOUND,
		                     "no device of product %s available for order %s: none in stock on a shelf "
		                     "of depot %s%s (returned devices count once reconditioned), nor at another "
		                     "depot; the order stays open", oi.product, number, oi.depot, others);
	}
	cmd.type = WMS_EV_RESERVE;
	cmd.at = o->at;
	cmd.station = o->station;
	cmd.actor = o->actor;
	cmd.role = o->role;
	cmd.serial = res->serial;
	cmd.order = number;
	if ((rc = wms_ledger_apply(s, &cmd, NULL, err)) < 0)
		res->serial[0] = '\0';
	return rc;
}

int wms_allocate_all(struct wms_store *s, const struct wms_alloc_opts *o, wms_alloc_report_fn report,
                     void *ctx, long *allocated, long *unavailable, struct wms_error *err)
{
	static const char sql[] =
		"SELECT number FROM orders WHERE status = 'open' ORDER BY registered_ts, id";
	sqlite3_stmt *st = NULL;
	char **numbers = NULL;
	size_t n = 0, cap = 0;
	long ok = 0, none = 0;
	bool own = false, open = false;
	int rc, step;

	if (allocated)
		*allocated = 0;
	if (unavailable)
		*unavailable = 0;
	/* a batch of its own, or a savepoint in the caller's (wmsd's loop turn) */
	if ((rc = wms_store_outer_begin(s, &own, err)) < 0)
		return rc;
	open = true;
	/* collect first: reserving changes the rows the query walks */
	if ((st = wms_store_stmt(s, sql, err)) == NULL) {
		rc = WMS_EDB;
		goto out;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **p = realloc(numbers, ncap * sizeof *p);
			if (p == NULL) {
				rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
				goto out;
			}
			numbers = p;
			cap = ncap;
		}
		if ((numbers[n] = strdup((const char *)sqlite3_column_text(st, 0))) == NULL) {
			rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
			goto out;
		}
		n++;
	}
	if (step != SQLITE_DONE) {
		rc = wms_store_sql_error(s, err, "listing open orders");
		goto out;
	}
	sqlite3_reset(st);
	st = NULL;
	for (size_t i = 0; i < n; i++) {
		struct wms_alloc_result r;
		struct wms_error e = { 0 };
		int one = wms_allocate(s, numbers[i], o, &r, &e);
		if (one == WMS_EDB || one == WMS_ENOMEM) {
			rc = wms_error_set(err, one, "order %s: %s", numbers[i], e.msg);
			goto out;
		}
		if (one == 0)
			ok++;
		else
			none++;
		if (report)
			report(ctx, &r, one, e.msg);
	}
	rc = wms_store_outer_end(s, own, true, err);     /* a failed commit rolls back itself */
	st = NULL;
	open = false;
out:
	if (st)
		sqlite3_reset(st);
	if (rc < 0 && open)
		wms_store_outer_end(s, own, false, NULL);
	for (size_t i = 0; i < n; i++)
		free(numbers[i]);
	free(numbers);
	if (rc == 0 && allocated)
		*allocated = ok;
	if (rc == 0 && unavailable)
		*unavailable = none;
	return rc;
}
