/*
 * transfer.c - transfer requests between depots and where devices are (see
 * wms_transfer.h); the transfer events themselves are the ledger's.
 */
#include "wms_transfer.h"

#include "store_sql.h"
#include "wms_depot.h"
#include "wms_ids.h"
#include "wms_lifecycle.h"
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

int wms_transfer_link(struct wms_store *s, long long consignment, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE consignments SET transfer_request = ("
		" SELECT min(r.id) FROM transfer_requests r, consignments c"
		"  JOIN consignment_devices cd ON cd.consignment_id = c.id JOIN devices d ON d.id = cd.device_id"
		"  WHERE c.id = ?1 AND c.kind = 'transfer' AND c.state <> 'cancelled'"
		"  AND d.state IN ('received','in_stock') AND r.state = 'open'"
		"  AND r.product_id = d.product_id AND r.from_depot = c.depot AND r.to_depot = c.to_depot"
		"  AND NOT EXISTS (SELECT 1 FROM consignments o WHERE o.transfer_request = r.id"
		"   AND o.state <> 'cancelled'))"
		" WHERE id = ?1 AND transfer_request IS NULL";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, consignment);
	return wms_store_step_done(s, st, "linking the consignment to its transfer request", err);
}

/* A new request: the oldest transfer consignment waiting for dispatch with a
 * device of its product between its depots and no request is linked. */
static int link_waiting(struct wms_store *s, long long request, struct wms_error *err)
{
	static const char sql[] =
		"SELECT min(c.id) FROM transfer_requests r, consignments c"
		" JOIN consignment_devices cd ON cd.consignment_id = c.id JOIN devices d ON d.id = cd.device_id"
		" WHERE r.id = ?1 AND c.kind = 'transfer' AND c.state <> 'cancelled' AND c.transfer_request IS NULL"
		" AND c.depot = r.from_depot AND c.to_depot = r.to_depot AND d.product_id = r.product_id"
		" AND d.state IN ('received','in_stock')";
	sqlite3_stmt *st;
	long long waiting;
	int rc = wms_store_row(s, sql, NULL, request, &st, "looking for a waiting transfer consignment", err);

	if (rc <= 0)
		return rc;
	waiting = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return waiting ? wms_transfer_link(s, waiting, err) : 0;
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
	char to[WMS_DEPOT_CODE_MAX + 1], src[WMS_DEPOT_CODE_MAX + 1] = "", product[WMS_CODE_MAX + 1], status[16];
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
	snprintf(status, sizeof status, "%s", (const char *)sqlite3_column_text(st, 3));
	sqlite3_reset(st);
	if (strcmp(status, "open") != 0)
		return wms_error_set(err, WMS_ESTATE, "order %s %s; a transfer is asked for an open order",
		                     number, wms_order_status_words(status));
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
	return link_waiting(s, sqlite3_last_insert_rowid(wms_store_db(s)), err);
}

#define TS(x) "strftime('%Y-%m-%dT%H:%M:%SZ', " x ", 'unixepoch')"

/* Every transfer as one row (wms_transfer.h): requests (with the device and
 * SSCC of the consignment linked to them before it is sent), transfer_out
 * events without one, and transfer consignments of devices not yet sent that
 * answer no open request. */
static const char list_sql[] =
	"WITH moves AS ("
	" SELECT e.id AS out_id, e.device_id, e.ts AS sent_ts,"
	"  json_extract(e.payload, '$.from_depot') AS from_depot,"
	"  json_extract(e.payload, '$.to_depot') AS to_depot,"
	"  (SELECT min(i.id) FROM events i WHERE i.device_id = e.device_id AND i.type = 'transfer_in'"
	"   AND i.id > e.id) AS in_id,"
	"  coalesce((SELECT max(p.ts) FROM events p WHERE p.device_id = e.device_id"
	"   AND p.type = 'transfer_in' AND p.id < e.id), 0) AS after_ts"
	" FROM events e WHERE e.type = 'transfer_out'),"
	" t AS ("
	" SELECT r.id AS request, r.order_id, r.product_id,"
	"  coalesce(m.device_id, (SELECT min(cd.device_id) FROM consignments c"
	"   JOIN consignment_devices cd ON cd.consignment_id = c.id"
	"   WHERE c.transfer_request = r.id AND c.state <> 'cancelled')) AS device_id, r.from_depot, r.to_depot,"
	"  r.created_ts AS requested_ts, m.sent_ts, m.in_id, coalesce(m.after_ts, 0) AS after_ts, r.cancelled_ts,"
	"  CASE WHEN r.state = 'cancelled' THEN 'cancelled' WHEN m.out_id IS NULL THEN 'requested'"
	"   WHEN m.in_id IS NULL THEN 'in_transit' ELSE 'received' END AS state"
	" FROM transfer_requests r LEFT JOIN moves m ON m.out_id = r.sent_event_id"
	" UNION ALL"
	" SELECT NULL, NULL, d.product_id, m.device_id, m.from_depot, m.to_depot, NULL, m.sent_ts,"
	"  m.in_id, m.after_ts, NULL, CASE WHEN m.in_id IS NULL THEN 'in_transit' ELSE 'received' END"
	" FROM moves m JOIN devices d ON d.id = m.device_id"
	" WHERE NOT EXISTS (SELECT 1 FROM transfer_requests r WHERE r.sent_event_id = m.out_id)"
	" UNION ALL"
	" SELECT NULL, NULL, d.product_id, d.id, c.depot, c.to_depot, c.created_ts, NULL, NULL,"
	"  c.created_ts, NULL, 'requested'"
	" FROM consignments c JOIN consignment_devices cd ON cd.consignment_id = c.id"
	" JOIN devices d ON d.id = cd.device_id"
	" WHERE c.kind = 'transfer' AND c.state <> 'cancelled' AND d.state IN ('received','in_stock')"
	"  AND NOT EXISTS (SELECT 1 FROM transfer_requests r WHERE r.id = c.transfer_request"
	"   AND r.state = 'open')"
	"  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.device_id = d.id"
	"   AND e.type IN ('transfer_out','transfer_in') AND e.ts >= c.created_ts))"
	" SELECT t.request, o.number AS \"order\", p.code AS product, dv.serial,"
	"  t.from_depot AS \"from\", t.to_depot AS \"to\", t.state,"
	"  " TS("t.requested_ts") " AS requested, " TS("t.sent_ts") " AS sent,"
	"  " TS("i.ts") " AS received, " TS("t.cancelled_ts") " AS cancelled,"
	"  (SELECT c.sscc FROM consignments c JOIN consignment_devices cd ON cd.consignment_id = c.id"
	"   WHERE cd.device_id = t.device_id AND c.kind = 'transfer' AND c.state <> 'cancelled'"
	"   AND c.to_depot = t.to_depot AND c.created_ts >= t.after_ts"
	"   AND (i.ts IS NULL OR c.created_ts <= i.ts) ORDER BY c.id DESC LIMIT 1) AS consignment"
	" FROM t JOIN products p ON p.id = t.product_id LEFT JOIN orders o ON o.id = t.order_id"
	" LEFT JOIN devices dv ON dv.id = t.device_id LEFT JOIN events i ON i.id = t.in_id"
	" WHERE (?1 IS NULL OR ?1 IN (t.from_depot, t.to_depot)) AND (?2 IS NULL OR t.state = ?2)"
	" ORDER BY coalesce(t.requested_ts, t.sent_ts), t.request, dv.serial";

json_t *wms_transfer_list(struct wms_store *s, const char *depot, const char *state,
                          struct wms_error *err)
{
	static const char *const states[] = { "requested", "in_transit", "received", "cancelled" };
	const char *p[2] = { depot && *depot ? depot : NULL, NULL };

	if (p[0] && wms_depot_known(s, p[0], err) < 0)
		return NULL;
	if (state && *state) {
		for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
			if (strcmp(state, states[i]) == 0)
				p[1] = states[i];
		if (strcmp(state, "sent") == 0)
			p[1] = "in_transit";
		if (p[1] == NULL) {
			char q[64];
			wms_error_set(err, WMS_EINVAL, "unknown transfer state \"%s\"; allowed: requested, "
			              "in_transit (or sent), received, cancelled",
			              wms_quote(q, sizeof q, state, strlen(state), 20));
			return NULL;
		}
	}
	return wms_query_rows(s, list_sql, p, 2, err);
}

int wms_transfer_cancel(struct wms_store *s, long long id, const char *reason, const char *actor,
                        wms_time at, struct wms_error *err)
{
	static const char sql[] = "SELECT state FROM transfer_requests WHERE id = ?1";
	static const char waiting_sql[] =
		"SELECT sscc FROM consignments WHERE transfer_request = ?1 AND state <> 'cancelled'";
	static const char upd[] =
		"UPDATE transfer_requests SET state = 'cancelled', cancelled_ts = ?2, cancelled_by = ?3,"
		" cancel_reason = ?4 WHERE id = ?1 AND state = 'open'";
	sqlite3_stmt *st;
	char state[16];
	int rc;

	if (reason && (strlen(reason) > 200 || strpbrk(reason, "\n\r") != NULL))
		return wms_error_set(err, WMS_EINVAL, "bad reason: one line of at most 200 bytes");
	if ((rc = wms_store_row(s, sql, NULL, id, &st, "looking up the transfer request", err)) < 0)
		return rc;
	if (rc == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown transfer request %lld; see `wms transfer "
		                     "list --state requested`", id);
	snprintf(state, sizeof state, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (strcmp(state, "sent") == 0)
		return wms_error_set(err, WMS_ESTATE, "transfer request %lld is in transit: its device is "
		                     "scanned in at the receiving depot; only a requested transfer is "
		                     "cancelled", id);
	if (strcmp(state, "received") == 0)
		return wms_error_set(err, WMS_ESTATE, "transfer request %lld was received already; only a "
		                     "requested transfer is cancelled", id);
	if (strcmp(state, "cancelled") == 0)
		return wms_error_set(err, WMS_ESTATE, "transfer request %lld is cancelled already", id);
	if ((rc = wms_store_row(s, waiting_sql, NULL, id, &st, "looking up the request's consignment", err)) < 0)
		return rc;
	if (rc > 0) {
		wms_error_set(err, WMS_ESTATE, "transfer request %lld has consignment %s waiting for dispatch; "
		              "cancel the consignment first (wms consignment cancel %s)", id,
		              (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
		return WMS_ESTATE;
	}
	if ((st = wms_store_stmt(s, upd, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at ? at : wms_now());
	wms_bind_text_or_null(st, 3, actor);
	wms_bind_text_or_null(st, 4, reason && *reason ? reason : NULL);
	return wms_store_step_done(s, st, "cancelling the transfer request", err);
}
