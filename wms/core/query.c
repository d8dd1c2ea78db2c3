/*
 * query.c - read models as JSON (see wms_query.h).
 */
#include "wms_query.h"

#include "store_sql.h"
#include "wms_depot.h"

#include <stdio.h>

/* The rows of st (bound, not stepped yet) as an array of objects; st is
 * reset, not finalized.  NULL with err. */
static json_t *collect(struct wms_store *s, sqlite3_stmt *st, struct wms_error *err)
{
	json_t *rows = json_array();
	int rc;

	if (rows == NULL) {
		sqlite3_reset(st);
		wms_error_set(err, WMS_ENOMEM, "out of memory");
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *row = json_object();
		for (int c = 0; row && c < sqlite3_column_count(st); c++) {
			json_t *v;
			switch (sqlite3_column_type(st, c)) {
			case SQLITE_INTEGER: v = json_integer(sqlite3_column_int64(st, c)); break;
			case SQLITE_FLOAT:   v = json_real(sqlite3_column_double(st, c)); break;
			case SQLITE_NULL:    v = json_null(); break;
			default:             v = json_string((const char *)sqlite3_column_text(st, c)); break;
			}
			/* Text that is not valid UTF-8 cannot be a JSON string: show it as null. */
			json_object_set_new(row, sqlite3_column_name(st, c), v ? v : json_null());
		}
		if (row == NULL || json_array_append_new(rows, row) != 0) {
			wms_error_set(err, WMS_ENOMEM, "out of memory");
			goto fail;
		}
	}
	if (rc != SQLITE_DONE) {
		wms_store_sql_error(s, err, "reading");
		goto fail;
	}
	sqlite3_reset(st);
	return rows;
fail:
	sqlite3_reset(st);
	json_decref(rows);
	return NULL;
}

json_t *wms_query_rows(struct wms_store *s, const char *sql, const char *const *params,
                       int n_params, struct wms_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *rows;

	if (sqlite3_prepare_v2(wms_store_db(s), sql, -1, &st, NULL) != SQLITE_OK) {
		wms_store_sql_error(s, err, "preparing a query");
		sqlite3_finalize(st);
		return NULL;
	}
	for (int i = 0; i < n_params; i++)
		wms_bind_text_or_null(st, i + 1, params[i]);
	rows = collect(s, st, err);
	sqlite3_finalize(st);
	return rows;
}

/* wms_query_rows for the lookups a station makes per scan: sql is static
 * text, prepared once per store (wms_store_stmt). */
static json_t *cached_rows(struct wms_store *s, const char *sql, const char *const *params,
                           int n_params, struct wms_error *err)
{
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return NULL;
	for (int i = 0; i < n_params; i++)
		wms_bind_text_or_null(st, i + 1, params[i]);
	return collect(s, st, err);
}

static json_t *first_or_notfound(json_t *rows, const char *what, const char *key, struct wms_error *err)
{
	json_t *one;

	if (rows == NULL)
		return NULL;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		/* what in the caller's language: the WMS_N_ words below */
		wms_error_set(err, WMS_ENOTFOUND, "unknown %s \"%s\"", wms_tr(what), key);
		return NULL;
	}
	one = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return one;
}

static const char history_sql[] =
	"SELECT e.id, strftime('%Y-%m-%dT%H:%M:%SZ', e.ts, 'unixepoch') AS time, e.type,"
	" e.from_state, e.to_state, l.code AS location, o.number AS \"order\", e.station, e.actor,"
	" json_extract(e.payload, '$.reason') AS reason"
	" FROM events e LEFT JOIN locations l ON l.id = e.location_id"
	" LEFT JOIN orders o ON o.id = e.order_id";

/* Attach the events whose `column` equals obj's id as obj["history"]; consumes obj on failure. */
static json_t *with_history(struct wms_store *s, json_t *obj, const char *column, struct wms_error *err)
{
	char sql[1024], id[24];
	const char *q[1] = { id };
	json_t *hist;

	if (obj == NULL)
		return NULL;
	snprintf(id, sizeof id, "%lld", json_integer_value(json_object_get(obj, "id")));
	snprintf(sql, sizeof sql, "%s WHERE %s = ?1 ORDER BY e.id", history_sql, column);
	hist = wms_query_rows(s, sql, q, 1, err);
	if (hist == NULL) {
		json_decref(obj);
		return NULL;
	}
	json_object_set_new(obj, "history", hist);
	return obj;
}

json_t *wms_device_show(struct wms_store *s, const char *serial, struct wms_error *err)
{
	const char *p[] = { serial };
	json_t *dev;

	dev = first_or_notfound(wms_query_rows(s,
		"SELECT d.id, d.serial, p.code AS product, p.name_sv AS product_name, d.gtin, d.lot,"
		" d.expiry, d.manufactured, d.state, l.code AS location, o.number AS \"order\","
		" d.recon_cycles,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', d.received_ts, 'unixepoch') AS received,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', d.updated_ts, 'unixepoch') AS updated"
		" FROM devices d JOIN products p ON p.id = d.product_id"
		" LEFT JOIN locations l ON l.id = d.location_id LEFT JOIN orders o ON o.id = d.order_id"
		" WHERE d.serial = ?1", p, 1, err), "serial", serial, err);
	return with_history(s, dev, "e.device_id", err);
}

json_t *wms_stock(struct wms_store *s, const char *product, const char *location, const char *depot,
                  struct wms_error *err)
{
	const char *p[] = { product, location, depot && *depot ? depot : NULL };

	if (p[2] && wms_depot_known(s, p[2], err) < 0)
		return NULL;
	return wms_query_rows(s,
		"SELECT depot, location, product, state, devices FROM stock"
		" WHERE (?1 IS NULL OR product = ?1) AND (?2 IS NULL OR location = ?2)"
		" AND (?3 IS NULL OR depot = ?3)"
		" ORDER BY depot, location, product, state", p, 3, err);
}

json_t *wms_stock_by_depot(struct wms_store *s, const char *product, const char *depot,
                           struct wms_error *err)
{
	const char *p[] = { product, depot && *depot ? depot : NULL };

	if (p[1] && wms_depot_known(s, p[1], err) < 0)
		return NULL;
	return wms_query_rows(s,
		"SELECT depot, product,"
		" sum(CASE WHEN state = 'received' THEN devices ELSE 0 END) AS received,"
		" sum(CASE WHEN state = 'in_stock' THEN devices ELSE 0 END) AS in_stock,"
		" sum(CASE WHEN state = 'in_buffer' THEN devices ELSE 0 END) AS in_buffer,"
		" sum(CASE WHEN state IN ('reserved','picked') THEN devices ELSE 0 END) AS reserved,"
		" sum(CASE WHEN state = 'in_transfer' THEN devices ELSE 0 END) AS arriving"
		" FROM stock WHERE depot IS NOT NULL AND (?1 IS NULL OR product = ?1) AND (?2 IS NULL OR depot = ?2)"
		" GROUP BY depot, product ORDER BY depot, product", p, 2, err);
}

json_t *wms_order_list(struct wms_store *s, const char *status, int limit, struct wms_error *err)
{
	char lim[16];
	const char *p[] = { status, lim };

	snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 100);
	return wms_query_rows(s,
		"SELECT o.number, c.code AS customer, p.code AS product, o.mode, o.status,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', o.registered_ts, 'unixepoch') AS registered,"
		" o.requested_date, d.serial,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', o.delivered_ts, 'unixepoch') AS delivered"
		" FROM orders o JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = o.product_id"
		" LEFT JOIN devices d ON d.id = o.device_id"
		" WHERE ?1 IS NULL OR o.status = ?1 ORDER BY o.registered_ts DESC, o.id DESC"
		" LIMIT CAST(?2 AS INTEGER)", p, 2, err);
}

json_t *wms_order_show(struct wms_store *s, const char *number, struct wms_error *err)
{
	const char *p[] = { number };
	json_t *o;

	o = first_or_notfound(wms_query_rows(s,
		"SELECT o.id, o.number, c.code AS customer, c.kind AS customer_kind, p.code AS product,"
		" o.mode, pp.code AS pickup_point, o.requested_date, o.depot, o.status, d.serial,"
		" x.serial AS exchange_of, o.note,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', o.registered_ts, 'unixepoch') AS registered,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', o.dispatched_ts, 'unixepoch') AS dispatched,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', o.delivered_ts, 'unixepoch') AS delivered"
		" FROM orders o JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = o.product_id"
		" LEFT JOIN locations pp ON pp.id = o.pickup_point_id LEFT JOIN devices d ON d.id = o.device_id"
		" LEFT JOIN devices x ON x.id = o.exchange_of WHERE o.number = ?1", p, 1, err),
		WMS_N_("order"), number, err);
	return with_history(s, o, "e.order_id", err);
}

json_t *wms_device_brief(struct wms_store *s, const char *serial, struct wms_error *err)
{
	const char *p[] = { serial };

	return first_or_notfound(cached_rows(s,
		"SELECT d.serial, p.code AS product, d.state, l.code AS location, l.kind AS location_kind,"
		" o.number AS 'order'"
		" FROM devices d JOIN products p ON p.id = d.product_id"
		" LEFT JOIN locations l ON l.id = d.location_id LEFT JOIN orders o ON o.id = d.order_id"
		" WHERE d.serial = ?1", p, 1, err),
		WMS_N_("device"), serial, err);
}

int wms_device_state_of(struct wms_store *s, const char *serial, char *state, size_t size,
                        struct wms_error *err)
{
	sqlite3_stmt *st = wms_store_stmt(s, "SELECT state FROM devices WHERE serial = ?1", err);
	int rc;

	if (size > 0)
		state[0] = '\0';
	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(state, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "looking a device up");
}

json_t *wms_devices_at(struct wms_store *s, const char *location, struct wms_error *err)
{
	const char *p[] = { location };

	return wms_query_rows(s,
		"SELECT d.serial, p.code AS product, d.state"
		" FROM devices d JOIN products p ON p.id = d.product_id JOIN locations l ON l.id = d.location_id"
		" WHERE l.code = ?1 AND d.state IN ('received','in_stock','in_buffer','reserved')"
		" ORDER BY d.serial", p, 1, err);
}

json_t *wms_order_brief(struct wms_store *s, const char *number, struct wms_error *err)
{
	const char *p[] = { number };

	return first_or_notfound(cached_rows(s,
		"SELECT o.number, c.code AS customer, p.code AS product, o.mode, o.status,"
		" d.serial, l.code AS location"
		" FROM orders o JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = o.product_id"
		" LEFT JOIN devices d ON d.id = o.device_id LEFT JOIN locations l ON l.id = d.location_id"
		" WHERE o.number = ?1", p, 1, err),
		WMS_N_("order"), number, err);
}

json_t *wms_station_lines(struct wms_store *s, const char *station, long long after_id, int limit,
                          struct wms_error *err)
{
	char after[24], lim[16];
	const char *p[] = { station, after, lim };

	snprintf(after, sizeof after, "%lld", after_id);
	snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 20);
	/* the newest `limit` lines after after_id, returned oldest first */
	return wms_query_rows(s,
		"SELECT id, ts, result FROM (SELECT id, ts, result FROM scan_journal"
		"  WHERE station = ?1 AND id > CAST(?2 AS INTEGER) AND result IS NOT NULL"
		"  ORDER BY id DESC LIMIT CAST(?3 AS INTEGER)) ORDER BY id", p, 3, err);
}

json_t *wms_station_state(struct wms_store *s, const char *station, struct wms_error *err)
{
	const char *p[] = { station };
	json_t *rows = wms_query_rows(s, "SELECT station, mode, language, actor, pending,"
	                              " updated_ts AS updated FROM station_state WHERE station = ?1",
	                              p, 1, err);

	if (rows != NULL && json_array_size(rows) == 0) {
		json_decref(rows);
		wms_error_set(err, WMS_ENOTFOUND, "station %s has not been run by wmsd yet: no mode, "
		              "no user", station);
		return NULL;
	}
	return first_or_notfound(rows, WMS_N_("station"), station, err);
}

json_t *wms_consignment_devices(struct wms_store *s, const char *sscc, struct wms_error *err)
{
	const char *p[] = { sscc };
	json_t *rows = wms_query_rows(s,
		"SELECT d.serial, d.state, o.number AS \"order\", o.mode, c.kind, c.state AS consignment,"
		" c.depot, c.to_depot, l.depot AS at_depot FROM consignments c"
		" LEFT JOIN orders o ON o.id = c.order_id"
		" JOIN devices d ON d.id IN (SELECT device_id FROM consignment_devices"
		"                             WHERE consignment_id = c.id"
		"                            UNION SELECT o.device_id WHERE NOT EXISTS"
		"                             (SELECT 1 FROM consignment_devices WHERE consignment_id = c.id))"
		" LEFT JOIN locations l ON l.id = d.location_id"
		" WHERE c.sscc = ?1 AND c.kind IN ('outbound','transfer') ORDER BY d.serial", p, 1, err);

	if (rows != NULL && json_array_size(rows) == 0) {
		json_t *c = wms_query_rows(s, "SELECT id FROM consignments WHERE sscc = ?1", p, 1, err);
		bool known = c && json_array_size(c) > 0;
		json_decref(c);
		json_decref(rows);
		/* two calls, not a conditional format: each is a message of the catalogue */
		if (known)
			wms_error_set(err, WMS_ESTATE, "consignment SSCC %s has no device to dispatch (a "
			              "return, or its order has no device reserved)", sscc);
		else
			wms_error_set(err, WMS_ENOTFOUND, "SSCC %s is not one of our consignments; scan a "
			              "device, or create the consignment first (wms consignment create)", sscc);
		return NULL;
	}
	return rows;
}
