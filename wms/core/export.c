/*
 * export.c - events with region-wide keys, in commit order (see wms_export.h).
 */
#include "wms_export.h"

#include "store_sql.h"

#include <stdio.h>
#include <string.h>

/* payload keys holding a row id, and the code that replaces each */
static const struct {
	const char *key, *as, *sql;
} id_keys[] = {
	{ "product_id", "product", "SELECT code FROM products WHERE id = ?1" },
	{ "customer_id", "customer", "SELECT code FROM customers WHERE id = ?1" },
	{ "pickup_point_id", "pickup_point", "SELECT code FROM locations WHERE id = ?1" },
	{ "exchange_of", "exchange_of", "SELECT serial FROM devices WHERE id = ?1" },
};

static int code_of(struct wms_store *s, const char *sql, long long id, json_t *payload, const char *as,
                   struct wms_error *err)
{
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, NULL, id, &st, "exporting an event", err);

	if (rc < 0)
		return rc;
	json_object_set_new(payload, as, rc ? json_string((const char *)sqlite3_column_text(st, 0)) : json_null());
	if (rc)
		sqlite3_reset(st);
	return 0;
}

static void set_text(json_t *o, const char *key, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) != SQLITE_NULL)
		json_object_set_new(o, key, json_string((const char *)sqlite3_column_text(st, col)));
}

json_t *wms_ledger_export(struct wms_store *s, long long after, int limit, struct wms_error *err)
{
	static const char sql[] =
		"SELECT e.id, e.ts, e.type, d.serial, o.number, l.code,"
		" coalesce(l.depot, o.depot, (SELECT code FROM depots WHERE is_default = 1)),"
		" e.from_state, e.to_state, e.station, e.actor, e.payload"
		" FROM events e LEFT JOIN devices d ON d.id = e.device_id LEFT JOIN orders o ON o.id = e.order_id"
		" LEFT JOIN locations l ON l.id = e.location_id WHERE e.id > ?1 ORDER BY e.id LIMIT ?2";
	sqlite3_stmt *st;
	json_t *out = json_array();
	int rc = 0, step;

	if (limit < 1 || limit > 100000) {
		json_decref(out);
		wms_error_set(err, WMS_EINVAL, "bad export limit %d: 1..100000", limit);
		return NULL;
	}
	if (out == NULL || (st = wms_store_stmt(s, sql, err)) == NULL) {
		json_decref(out);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit);
	/* collect the rows first: the code lookups below use other cached statements */
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *ev = json_pack("{s:I, s:I, s:s}", "seq", (json_int_t)sqlite3_column_int64(st, 0),
		                       "ts", (json_int_t)sqlite3_column_int64(st, 1),
		                       "type", (const char *)sqlite3_column_text(st, 2));
		json_t *payload = NULL;
		if (ev == NULL)
			break;
		set_text(ev, "serial", st, 3);
		set_text(ev, "order", st, 4);
		set_text(ev, "location", st, 5);
		set_text(ev, "depot", st, 6);
		set_text(ev, "from", st, 7);
		set_text(ev, "to", st, 8);
		set_text(ev, "station", st, 9);
		set_text(ev, "actor", st, 10);
		if (sqlite3_column_type(st, 11) != SQLITE_NULL)
			payload = json_loads((const char *)sqlite3_column_text(st, 11), 0, NULL);
		json_object_set_new(ev, "payload", payload ? payload : json_object());
		json_array_append_new(out, ev);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		wms_store_sql_error(s, err, "exporting events");
		json_decref(out);
		return NULL;
	}
	for (size_t i = 0; rc == 0 && i < json_array_size(out); i++) {
		json_t *payload = json_object_get(json_array_get(out, i), "payload");
		for (size_t k = 0; rc == 0 && k < sizeof id_keys / sizeof id_keys[0]; k++) {
			json_t *v = json_object_get(payload, id_keys[k].key);
			long long id = json_integer_value(v);
			if (v == NULL)
				continue;
			json_incref(v);
			json_object_del(payload, id_keys[k].key);
			rc = code_of(s, id_keys[k].sql, id, payload, id_keys[k].as, err);
			json_decref(v);
		}
	}
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int wms_ledger_epoch(struct wms_store *s, char *buf, struct wms_error *err)
{
	static const char sql[] = "SELECT value FROM ledger_meta WHERE key = 'epoch'";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, NULL, 0, &st, "reading the ledger's epoch", err);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return wms_error_set(err, WMS_EDB, "the ledger has no epoch");
	snprintf(buf, 17, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

int wms_ledger_new_epoch(struct wms_store *s, char *buf, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE ledger_meta SET value = lower(hex(randomblob(8))) WHERE key = 'epoch'";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	if ((rc = wms_store_step_done(s, st, "starting a new epoch", err)) < 0)
		return rc;
	return wms_ledger_epoch(s, buf, err);
}
