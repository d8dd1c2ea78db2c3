/*
 * case.c - support cases and deviations against a device and an order
 * (see recon_case.h).
 */
#include "recon_case.h"

#include "store_sql.h"
#include "wms_ids.h"
#include "wms_query.h"

#include <stdio.h>
#include <string.h>

static int check_text(const char *what, const char *text, struct wms_error *err)
{
	if (text == NULL || *text == '\0')
		return wms_error_set(err, WMS_EINVAL, "a case needs %s (--text)", what);
	if (strlen(text) > RECON_CASE_TEXT_MAX)
		return wms_error_set(err, WMS_EINVAL, "%s too long: at most %d bytes", what, RECON_CASE_TEXT_MAX);
	return 0;
}

static int check_actor(const char *actor, struct wms_error *err)
{
	if (actor == NULL || *actor == '\0')
		return wms_error_set(err, WMS_EINVAL, "cases need who registers them (--actor ID)");
	if (strlen(actor) > 64)
		return wms_error_set(err, WMS_EINVAL, "actor id too long: at most 64 characters");
	return 0;
}

int recon_case_open(struct wms_store *s, const struct recon_case_req *req, long long *id,
                    struct wms_error *err)
{
	static const char dev_sql[] = "SELECT id FROM devices WHERE serial = ?1";
	static const char ord_sql[] = "SELECT id FROM orders WHERE number = ?1";
	static const char ins[] =
		"INSERT INTO cases(kind, device_id, order_id, status, text, opened_ts, opened_by)"
		" VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6)";
	long long device_id = 0, order_id = 0;
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	if (req->kind == NULL || (strcmp(req->kind, "support") && strcmp(req->kind, "deviation")))
		return wms_error_set(err, WMS_EINVAL, "bad case kind \"%.20s\": use --kind support or --kind deviation",
		                     req->kind ? req->kind : "");
	if ((rc = check_text("a description", req->text, err)) < 0 || (rc = check_actor(req->actor, err)) < 0 ||
	    (rc = wms_check_serial(req->serial, err)) < 0)
		return rc;
	if (req->order && (rc = wms_check_order_number(req->order, err)) < 0)
		return rc;
	rc = wms_store_lookup_id(s, dev_sql, req->serial, &device_id, NULL, 0, err);
	if (rc == WMS_ENOTFOUND)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown serial \"%s\": no such device has been received",
		                     req->serial);
	if (rc < 0)
		return rc;
	if (req->order) {
		rc = wms_store_lookup_id(s, ord_sql, req->order, &order_id, NULL, 0, err);
		if (rc == WMS_ENOTFOUND)
			return wms_error_set(err, WMS_ENOTFOUND, "unknown order \"%s\"", req->order);
		if (rc < 0)
			return rc;
	}
	if ((st = wms_store_stmt(s, ins, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, req->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, device_id);
	if (order_id)
		sqlite3_bind_int64(st, 3, order_id);
	sqlite3_bind_text(st, 4, req->text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, req->at ? req->at : wms_now());
	sqlite3_bind_text(st, 6, req->actor, -1, SQLITE_STATIC);
	if ((rc = wms_store_step_done(s, st, "opening the case", err)) < 0)
		return rc;
	*id = sqlite3_last_insert_rowid(wms_store_db(s));
	return 0;
}

int recon_case_close(struct wms_store *s, long long id, const char *resolution, wms_time at,
                     const char *actor, struct wms_error *err)
{
	static const char sel[] = "SELECT status, opened_ts FROM cases WHERE id = ?1";
	static const char upd[] =
		"UPDATE cases SET status = 'closed', closed_ts = ?1, closed_by = ?2, resolution = ?3"
		" WHERE id = ?4 AND status = 'open'";
	sqlite3_stmt *st;
	int rc;

	if ((rc = check_text("a resolution", resolution, err)) < 0 || (rc = check_actor(actor, err)) < 0)
		return rc;
	if (at == 0)
		at = wms_now();
	if ((st = wms_store_stmt(s, sel, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return wms_store_sql_error(s, err, "looking up the case");
		return wms_error_set(err, WMS_ENOTFOUND, "unknown case %lld; see `wms case list`", id);
	}
	if (strcmp((const char *)sqlite3_column_text(st, 0), "open") != 0) {
		sqlite3_reset(st);
		return wms_error_set(err, WMS_ESTATE, "case %lld is already closed", id);
	}
	if (at < sqlite3_column_int64(st, 1)) {
		sqlite3_reset(st);
		return wms_error_set(err, WMS_EINVAL, "closing time is before case %lld was opened", id);
	}
	sqlite3_reset(st);
	if ((st = wms_store_stmt(s, upd, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, resolution, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, id);
	if ((rc = wms_store_step_done(s, st, "closing the case", err)) < 0)
		return rc;
	return 0;
}

#define CASE_COLUMNS \
	"SELECT c.id AS \"case\", c.kind, c.status, d.serial, p.code AS product, o.number AS \"order\"," \
	" strftime('%Y-%m-%dT%H:%M:%SZ', c.opened_ts, 'unixepoch') AS opened, c.opened_by," \
	" strftime('%Y-%m-%dT%H:%M:%SZ', c.closed_ts, 'unixepoch') AS closed, c.closed_by," \
	" c.text, c.resolution" \
	" FROM cases c JOIN devices d ON d.id = c.device_id JOIN products p ON p.id = d.product_id" \
	" LEFT JOIN orders o ON o.id = c.order_id"

json_t *recon_case_list(struct wms_store *s, const char *status, const char *serial,
                        struct wms_error *err)
{
	const char *p[] = { status, serial };

	if (status && strcmp(status, "open") && strcmp(status, "closed")) {
		wms_error_set(err, WMS_EINVAL, "bad status \"%.20s\": use open or closed", status);
		return NULL;
	}
	return wms_query_rows(s, CASE_COLUMNS
		" WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR d.serial = ?2)"
		" ORDER BY c.id DESC", p, 2, err);
}

json_t *recon_case_show(struct wms_store *s, long long id, struct wms_error *err)
{
	char key[24];
	const char *p[] = { key };
	json_t *rows, *c, *ex;

	snprintf(key, sizeof key, "%lld", id);
	if ((rows = wms_query_rows(s, CASE_COLUMNS " WHERE c.id = CAST(?1 AS INTEGER)", p, 1, err)) == NULL)
		return NULL;
	c = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (c == NULL) {
		wms_error_set(err, WMS_ENOTFOUND, "unknown case %lld; see `wms case list`", id);
		return NULL;
	}
	/* exchanges of the case's device, or whose replacing order is the case's order */
	ex = wms_query_rows(s,
		"SELECT e.id AS event, strftime('%Y-%m-%dT%H:%M:%SZ', e.ts, 'unixepoch') AS at, d.serial,"
		" o.number AS replacing_order, json_extract(e.payload, '$.reason') AS reason"
		" FROM cases c JOIN events e ON e.type = 'exchange'"
		"  AND (e.device_id = c.device_id OR (c.order_id IS NOT NULL AND e.order_id = c.order_id))"
		" JOIN devices d ON d.id = e.device_id LEFT JOIN orders o ON o.id = e.order_id"
		" WHERE c.id = CAST(?1 AS INTEGER) ORDER BY e.id", p, 1, err);
	if (ex == NULL) {
		json_decref(c);
		return NULL;
	}
	json_object_set_new(c, "exchanges", ex);
	return c;
}
