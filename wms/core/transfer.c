/*
 * transfer.c - transfer requests between depots and where devices are (see
 * wms_transfer.h); the transfer events themselves are the ledger's.
 */
#include "wms_transfer.h"

#include "store_sql.h"
#include "wms_depot.h"
#include "wms_ids.h"
#include "wms_query.h"

#include <stdio.h>
#include <string.h>

#define SOURCES_SQL \
	"SELECT l.depot, dp.name, count(*) AS n FROM devices d" \
	" JOIN locations l ON l.id = d.location_id JOIN depots dp ON dp.code = l.depot" \
	" WHERE d.product_id = ?1 AND d.state = 'in_stock' AND l.kind = 'shelf' AND l.depot <> ?2" \
	" GROUP BY l.depot ORDER BY n DESC, l.depot"

int wms_transfer_sources(struct wms_store *s, long long product_id, const char *except_depot,
                         char *buf, size_t len, struct wms_error *err)
{
	static const char sql[] = SOURCES_SQL;
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	size_t used = 0;
	int rc;

	if (len)
		buf[0] = '\0';
	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, product_id);
	sqlite3_bind_text(st, 2, except_depot, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int n = snprintf(buf + used, len - used, "%sdepot %s (%s): %d", used ? ", " : "",
		                 (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
		                 sqlite3_column_int(st, 2));
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "looking for stock elsewhere");
}

int wms_transfer_request(struct wms_store *s, const char *number, const char *from, const char *actor,
                         wms_time at, long long *id, struct wms_error *err)
{
	static const char order_sql[] =
		"SELECT o.id, o.product_id, o.depot, o.status, p.code FROM orders o"
		" JOIN products p ON p.id = o.product_id WHERE o.number = ?1";
	static const char have_sql[] =
		"SELECT count(*) FROM devices d JOIN locations l ON l.id = d.location_id"
		" WHERE d.product_id = ?1 AND d.state = 'in_stock' AND l.kind = 'shelf' AND l.depot = ?2";
	static const char best_sql[] = SOURCES_SQL " LIMIT 1";
	static const char ins[] =
		"INSERT INTO transfer_requests(product_id, from_depot, to_depot, order_id, created_ts, requested_by)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	char to[WMS_DEPOT_CODE_MAX + 1], src[WMS_DEPOT_CODE_MAX + 1] = "", product[WMS_CODE_MAX + 1];
	long long order_id, product_id;
	sqlite3_stmt *st;
	int rc, have = 0;

	if (id)
		*id = 0;
	if ((rc = wms_check_order_number(number, err)) < 0)
		return rc;
	rc = wms_store_row(s, order_sql, number, 0, &st, "looking up the order", err);
	if (rc <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND, "unknown order \"%s\"", number);
	order_id = sqlite3_column_int64(st, 0);
	product_id = sqlite3_column_int64(st, 1);
	snprintf(to, sizeof to, "%s", (const char *)sqlite3_column_text(st, 2));
	snprintf(product, sizeof product, "%s", (const char *)sqlite3_column_text(st, 4));
	rc = strcmp((const char *)sqlite3_column_text(st, 3), "open") != 0;
	sqlite3_reset(st);
	if (rc)
		return wms_error_set(err, WMS_ESTATE, "order %s is not open; a transfer is asked for an open order",
		                     number);
	if (from && *from) {
		if ((rc = wms_depot_known(s, from, err)) < 0)
			return rc;
		if (strcmp(from, to) == 0)
			return wms_error_set(err, WMS_EINVAL, "order %s is served from depot %s itself; ask another depot",
			                     number, to);
		snprintf(src, sizeof src, "%s", from);
		if ((st = wms_store_stmt(s, have_sql, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_int64(st, 1, product_id);
		sqlite3_bind_text(st, 2, src, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			have = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
	} else {
		if ((st = wms_store_stmt(s, best_sql, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_int64(st, 1, product_id);
		sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(src, sizeof src, "%s", (const char *)sqlite3_column_text(st, 0));
			have = sqlite3_column_int(st, 2);
		}
		sqlite3_reset(st);
	}
	if (have == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "no depot %s%shas a device of product %s in stock to send "
		                     "to depot %s", src[0] ? src : "", src[0] ? " " : "other than the order's ",
		                     product, to);
	if ((st = wms_store_stmt(s, ins, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, product_id);
	sqlite3_bind_text(st, 2, src, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, order_id);
	sqlite3_bind_int64(st, 5, at ? at : wms_now());
	wms_bind_text_or_null(st, 6, actor);
	if ((rc = wms_store_step_done(s, st, "recording the transfer request", err)) < 0)
		return rc;
	if (id)
		*id = sqlite3_last_insert_rowid(wms_store_db(s));
	return 0;
}

json_t *wms_transfer_list(struct wms_store *s, const char *depot, struct wms_error *err)
{
	const char *p[1] = { depot && *depot ? depot : NULL };
	json_t *req, *moving;

	if (p[0] && wms_depot_known(s, p[0], err) < 0)
		return NULL;
	req = wms_query_rows(s,
		"SELECT r.id, o.number AS \"order\", pr.code AS product, r.from_depot AS \"from\","
		" r.to_depot AS \"to\", strftime('%Y-%m-%dT%H:%M:%SZ', r.created_ts, 'unixepoch') AS created,"
		" r.state FROM transfer_requests r JOIN products pr ON pr.id = r.product_id"
		" LEFT JOIN orders o ON o.id = r.order_id"
		" WHERE r.state = 'open' AND (?1 IS NULL OR ?1 IN (r.from_depot, r.to_depot)) ORDER BY r.id",
		p, 1, err);
	if (req == NULL)
		return NULL;
	moving = wms_query_rows(s,
		"SELECT d.serial, pr.code AS product, json_extract(e.payload, '$.from_depot') AS \"from\","
		" l.depot AS \"to\", strftime('%Y-%m-%dT%H:%M:%SZ', d.updated_ts, 'unixepoch') AS since"
		" FROM devices d JOIN products pr ON pr.id = d.product_id JOIN locations l ON l.id = d.location_id"
		" JOIN events e ON e.id = d.last_event_id"
		" WHERE d.state = 'in_transfer' AND (?1 IS NULL OR ?1 IN (l.depot, json_extract(e.payload, '$.from_depot')))"
		" ORDER BY d.updated_ts, d.serial", p, 1, err);
	if (moving == NULL) {
		json_decref(req);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "requests", req, "in_transfer", moving);
}
