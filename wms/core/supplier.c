/*
 * supplier.c - suppliers, their announced deliveries and goods in against
 * them (see wms_supplier.h).  Tables: suppliers, supplier_deliveries,
 * supplier_delivery_lines (product, expected), supplier_delivery_serials
 * (announced serials) and supplier_delivery_receipts (devices received).
 */
#include "wms_supplier.h"

#include "store_sql.h"
#include "wms_csv.h"
#include "wms_ids.h"
#include "wms_query.h"
#include "wms_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wms_supplier_add(struct wms_store *s, const char *code, const char *name, struct wms_error *err)
{
	static const char sql[] = "INSERT INTO suppliers(code, name) VALUES (?1, ?2)";
	sqlite3_stmt *st;
	int rc;

	if ((rc = wms_check_code("supplier code", code, err)) < 0)
		return rc;
	if (name == NULL || *name == '\0' || strlen(name) > 120)
		return wms_error_set(err, WMS_EINVAL, "a supplier needs a name (--name), 1-120 bytes");
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return wms_error_set(err, WMS_EEXIST, "supplier \"%s\" already exists", code);
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "adding a supplier");
}

json_t *wms_supplier_list(struct wms_store *s, struct wms_error *err)
{
	return wms_query_rows(s,
		"SELECT p.code, p.name, count(d.id) AS deliveries, coalesce(sum(d.status = 'open'), 0) AS open"
		" FROM suppliers p LEFT JOIN supplier_deliveries d ON d.supplier_id = p.id"
		" GROUP BY p.id ORDER BY p.code", NULL, 0, err);
}

/* The id of a text key (sql: ?1 -> id), or WMS_ENOTFOUND (err untouched). */
static int lookup(struct wms_store *s, const char *sql, const char *key, long long *id,
                  struct wms_error *err)
{
	return wms_store_lookup_id(s, sql, key, id, NULL, 0, err);
}

static const char product_sql[] =
	"SELECT id FROM products WHERE code = ?1"
	" UNION ALL SELECT product_id FROM product_gtins WHERE gtin = ?1 LIMIT 1";

/* One CSV record of an import, applied. */
static int import_record(struct wms_store *s, const char **f, int n, long line, int *deliveries,
                         struct wms_error *err)
{
	static const char find_delivery[] = "SELECT id FROM supplier_deliveries WHERE number = ?1";
	static const char add_delivery[] =
		"INSERT INTO supplier_deliveries(number, supplier_id, status, created_ts)"
		" VALUES (?1, ?2, 'open', ?3)";
	static const char add_line[] =
		"INSERT INTO supplier_delivery_lines(delivery_id, product_id, expected) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (delivery_id, product_id) DO UPDATE SET expected = expected + ?3";
	static const char add_serial[] =
		"INSERT INTO supplier_delivery_serials(delivery_id, serial, product_id) VALUES (?1, ?2, ?3)";
	long long supplier, product, delivery;
	char *end, serials[1024], *tok, *save;
	long expected;
	sqlite3_stmt *st;
	int rc;

	if (n < 4 || n > 5)
		return wms_error_set(err, WMS_EINVAL, "line %ld: %d fields; expected supplier, delivery, "
		                     "product or GTIN, expected quantity[, serials]", line, n);
	if ((rc = lookup(s, "SELECT id FROM suppliers WHERE code = ?1", f[0], &supplier, err)) < 0)
		return rc == WMS_ENOTFOUND ? wms_error_set(err, rc, "line %ld: unknown supplier \"%.40s\"; "
		                                           "add it with `wms supplier add`", line, f[0]) : rc;
	if ((rc = wms_check_code("delivery number", f[1], err)) < 0)
		return wms_error_set(err, WMS_EINVAL, "line %ld: %s", line, err->msg);
	if ((rc = lookup(s, product_sql, f[2], &product, err)) < 0)
		return rc == WMS_ENOTFOUND ? wms_error_set(err, rc, "line %ld: unknown product or GTIN "
		                                           "\"%.40s\"", line, f[2]) : rc;
	expected = strtol(f[3], &end, 10);
	if (*f[3] == '\0' || *end != '\0' || expected < 1 || expected > 100000)
		return wms_error_set(err, WMS_EINVAL, "line %ld: expected quantity \"%.20s\": a whole number "
		                     "1-100000", line, f[3]);
	rc = lookup(s, find_delivery, f[1], &delivery, err);
	if (rc == WMS_ENOTFOUND) {
		if ((st = wms_store_stmt(s, add_delivery, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_text(st, 1, f[1], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, supplier);
		sqlite3_bind_int64(st, 3, wms_now());
		if ((rc = wms_store_step_done(s, st, "adding a delivery", err)) < 0)
			return rc;
		delivery = sqlite3_last_insert_rowid(wms_store_db(s));
		(*deliveries)++;
	} else if (rc < 0) {
		return rc;
	}
	if ((st = wms_store_stmt(s, add_line, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, delivery);
	sqlite3_bind_int64(st, 2, product);
	sqlite3_bind_int64(st, 3, expected);
	if ((rc = wms_store_step_done(s, st, "adding a delivery line", err)) < 0)
		return rc;
	snprintf(serials, sizeof serials, "%s", n == 5 ? f[4] : "");
	for (tok = strtok_r(serials, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if ((rc = wms_check_serial(tok, err)) < 0)
			return wms_error_set(err, WMS_EINVAL, "line %ld: %s", line, err->msg);
		if ((st = wms_store_stmt(s, add_serial, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_int64(st, 1, delivery);
		sqlite3_bind_text(st, 2, tok, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, product);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if ((rc & 0xff) == SQLITE_CONSTRAINT)
			return wms_error_set(err, WMS_EEXIST, "line %ld: serial %s twice in delivery %s", line,
			                     tok, f[1]);
		if (rc != SQLITE_DONE)
			return wms_store_sql_error(s, err, "adding an announced serial");
	}
	return 0;
}

int wms_delivery_import(struct wms_store *s, const char *text, size_t len, int *deliveries,
                        int *lines, struct wms_error *err)
{
	struct wms_csv *r = malloc(sizeof *r);
	const char *f[WMS_CSV_MAX_FIELDS];
	int n, rc, got;
	bool own;

	*deliveries = *lines = 0;
	if (r == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	wms_csv_init(r, text, len, 0);
	if ((rc = wms_store_outer_begin(s, &own, err)) < 0) {
		free(r);
		return rc;
	}
	/* the header first: supplier;delivery;product;expected[;serials] */
	if ((got = wms_csv_next(r, f, &n, err)) <= 0)
		rc = got < 0 ? got : wms_error_set(err, WMS_EINVAL, "empty file: expected a header line "
		                                   "supplier;delivery;product;expected;serials");
	while (rc == 0 && (got = wms_csv_next(r, f, &n, err)) != 0) {
		if (got < 0)
			rc = got;
		else if ((rc = import_record(s, f, n, r->record_line, deliveries, err)) == 0)
			(*lines)++;
	}
	if (rc == 0 && *lines == 0)
		rc = wms_error_set(err, WMS_EINVAL, "no delivery lines after the header");
	{
		/* all or nothing: a bad line rolls every line back */
		int end = wms_store_outer_end(s, own, rc == 0, rc == 0 ? err : NULL);
		if (rc == 0)
			rc = end;
	}
	if (rc < 0)
		*deliveries = *lines = 0;
	free(r);
	return rc;
}

json_t *wms_delivery_list(struct wms_store *s, struct wms_error *err)
{
	return wms_query_rows(s,
		"SELECT d.number, p.code AS supplier, d.status,"
		" (SELECT coalesce(sum(expected), 0) FROM supplier_delivery_lines WHERE delivery_id = d.id)"
		"  AS expected,"
		" (SELECT count(*) FROM supplier_delivery_receipts WHERE delivery_id = d.id) AS received"
		" FROM supplier_deliveries d JOIN suppliers p ON p.id = d.supplier_id ORDER BY d.id DESC",
		NULL, 0, err);
}

json_t *wms_delivery_show(struct wms_store *s, const char *number, struct wms_error *err)
{
	const char *p[] = { number };
	json_t *head = wms_query_rows(s,
		"SELECT d.number, s.code AS supplier, d.status, d.closed_ts AS closed, d.closed_by"
		" FROM supplier_deliveries d JOIN suppliers s ON s.id = d.supplier_id WHERE d.number = ?1",
		p, 1, err), *o, *products, *unexpected, *missing, *row;
	long long expected = 0, received = 0, short_ = 0;
	size_t i;

	if (head == NULL)
		return NULL;
	if (json_array_size(head) == 0) {
		json_decref(head);
		wms_error_set(err, WMS_ENOTFOUND, "unknown supplier delivery \"%s\"; see `wms "
		              "supplier-delivery list`", number);
		return NULL;
	}
	o = json_incref(json_array_get(head, 0));
	json_decref(head);
	products = wms_query_rows(s,
		"SELECT pr.code AS product, pr.name_sv AS name, l.expected,"
		" (SELECT count(*) FROM supplier_delivery_receipts r WHERE r.delivery_id = d.id"
		"  AND r.product_id = l.product_id) AS received"
		" FROM supplier_deliveries d JOIN supplier_delivery_lines l ON l.delivery_id = d.id"
		" JOIN products pr ON pr.id = l.product_id WHERE d.number = ?1 ORDER BY pr.code", p, 1, err);
	unexpected = wms_query_rows(s,
		"SELECT pr.code AS product, count(*) AS received FROM supplier_deliveries d"
		" JOIN supplier_delivery_receipts r ON r.delivery_id = d.id"
		" JOIN products pr ON pr.id = r.product_id WHERE d.number = ?1 AND r.product_id NOT IN"
		" (SELECT product_id FROM supplier_delivery_lines WHERE delivery_id = d.id)"
		" GROUP BY pr.code ORDER BY pr.code", p, 1, err);
	missing = wms_query_rows(s,
		"SELECT a.serial FROM supplier_deliveries d JOIN supplier_delivery_serials a"
		" ON a.delivery_id = d.id WHERE d.number = ?1 AND a.serial NOT IN"
		" (SELECT dv.serial FROM supplier_delivery_receipts r JOIN devices dv ON dv.id = r.device_id"
		"  WHERE r.delivery_id = d.id) ORDER BY a.serial", p, 1, err);
	if (products == NULL || unexpected == NULL || missing == NULL) {
		json_decref(o);
		json_decref(products);
		json_decref(unexpected);
		json_decref(missing);
		return NULL;
	}
	json_array_foreach(products, i, row) {
		long long e = json_integer_value(json_object_get(row, "expected"));
		long long r = json_integer_value(json_object_get(row, "received"));
		json_object_set_new(row, "missing", json_integer(e > r ? e - r : 0));
		json_object_set_new(row, "over", json_integer(r > e ? r - e : 0));
		expected += e;
		received += r;
		short_ += e > r ? e - r : 0;
	}
	json_array_foreach(unexpected, i, row)
		received += json_integer_value(json_object_get(row, "received"));
	json_object_set_new(o, "expected", json_integer(expected));
	json_object_set_new(o, "received", json_integer(received));
	json_object_set_new(o, "missing", json_integer(short_));
	json_object_set_new(o, "products", products);
	json_object_set_new(o, "unexpected", unexpected);
	json_object_set_new(o, "serials_missing", missing);
	return o;
}

int wms_delivery_close(struct wms_store *s, const char *number, const char *actor, json_t **report,
                       struct wms_error *err)
{
	static const char sql[] =
		"UPDATE supplier_deliveries SET status = 'closed', closed_ts = ?2, closed_by = ?3, report = ?4"
		" WHERE number = ?1 AND status = 'open'";
	json_t *o = wms_delivery_show(s, number, err);
	sqlite3_stmt *st;
	char *text;
	int rc;

	*report = NULL;
	if (o == NULL)
		return err->code ? err->code : WMS_EDB;
	if (strcmp(json_string_value(json_object_get(o, "status")), "open") != 0) {
		json_decref(o);
		return wms_error_set(err, WMS_ESTATE, "supplier delivery %s is closed already", number);
	}
	json_object_set_new(o, "status", json_string("closed"));
	if ((text = json_dumps(o, JSON_COMPACT)) == NULL || (st = wms_store_stmt(s, sql, err)) == NULL) {
		free(text);
		json_decref(o);
		return text ? WMS_EDB : wms_error_set(err, WMS_ENOMEM, "out of memory");
	}
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, wms_now());
	sqlite3_bind_text(st, 3, actor ? actor : "cli", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	rc = wms_store_step_done(s, st, "closing a supplier delivery", err);
	free(text);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*report = o;
	return 0;
}

int wms_delivery_check(struct wms_store *s, const char *number, long long product_id,
                       const char *serial, struct wms_error *err)
{
	static const char sql[] =
		"SELECT d.status, l.expected,"
		" (SELECT count(*) FROM supplier_delivery_receipts r WHERE r.delivery_id = d.id"
		"  AND r.product_id = pr.id),"
		" (SELECT count(*) FROM supplier_delivery_serials a WHERE a.delivery_id = d.id"
		"  AND a.product_id = pr.id),"
		" (SELECT count(*) FROM supplier_delivery_serials a WHERE a.delivery_id = d.id"
		"  AND a.product_id = pr.id AND a.serial = ?3), pr.code"
		" FROM supplier_deliveries d JOIN products pr ON pr.id = ?2"
		" LEFT JOIN supplier_delivery_lines l ON l.delivery_id = d.id AND l.product_id = pr.id"
		" WHERE d.number = ?1";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	long long expected, received, listed, on_list;
	char product[64];
	bool open, announced;
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, product_id);
	sqlite3_bind_text(st, 3, serial, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return wms_store_sql_error(s, err, "checking a supplier delivery");
		return wms_error_set(err, WMS_ENOTFOUND, "unknown supplier delivery \"%s\"", number);
	}
	open = strcmp((const char *)sqlite3_column_text(st, 0), "open") == 0;
	announced = sqlite3_column_type(st, 1) != SQLITE_NULL;
	expected = sqlite3_column_int64(st, 1);
	received = sqlite3_column_int64(st, 2);
	listed = sqlite3_column_int64(st, 3);
	on_list = sqlite3_column_int64(st, 4);
	snprintf(product, sizeof product, "%s", (const char *)sqlite3_column_text(st, 5));
	sqlite3_reset(st);
	if (!open)
		return wms_error_set(err, WMS_ESTATE, "supplier delivery %s is closed: nothing more is "
		                     "received against it", number);
	if (!announced)
		return wms_error_set(err, WMS_ESTATE, "unannounced: delivery %s has no %s; set %s aside "
		                     "and report it to the supplier", number, product, serial);
	if (received >= expected)
		return wms_error_set(err, WMS_ESTATE, "over-receipt: delivery %s announced %lld %s, all "
		                     "received; set %s aside and report it", number, expected, product, serial);
	if (listed > 0 && on_list == 0)
		return wms_error_set(err, WMS_ESTATE, "serial %s is not on delivery %s's list of %s; set "
		                     "it aside and report it", serial, number, product);
	return 0;
}

/* Why no product follows from delivery number: unknown, closed, or everything received. */
static int nothing_missing(struct wms_store *s, const char *number, const char *serial,
                           struct wms_error *err)
{
	static const char sql[] = "SELECT status = 'open' FROM supplier_deliveries WHERE number = ?1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, number, 0, &st, "looking up a supplier delivery", err), open;

	if (rc < 0)
		return rc;
	if (rc == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown supplier delivery \"%s\"", number);
	open = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (!open)
		return wms_error_set(err, WMS_ESTATE, "supplier delivery %s is closed: nothing more is "
		                     "received against it", number);
	return wms_error_set(err, WMS_ESTATE, "over-receipt: delivery %s has received every device it "
	                     "announced; set %s aside and report it", number, serial);
}

int wms_delivery_product(struct wms_store *s, const char *number, const char *serial,
                         long long *product_id, struct wms_error *err)
{
	static const char listed[] =
		"SELECT a.product_id FROM supplier_delivery_serials a JOIN supplier_deliveries d"
		" ON d.id = a.delivery_id WHERE d.number = ?1 AND a.serial = ?2";
	/* the products still missing, with their counts for the message */
	static const char open_lines[] =
		"SELECT l.product_id, p.code, l.expected,"
		" (SELECT count(*) FROM supplier_delivery_receipts r WHERE r.delivery_id = d.id"
		"  AND r.product_id = l.product_id) AS got"
		" FROM supplier_deliveries d JOIN supplier_delivery_lines l ON l.delivery_id = d.id"
		" JOIN products p ON p.id = l.product_id WHERE d.number = ?1 AND got < l.expected"
		" ORDER BY p.code";
	char missing[200] = "";
	sqlite3_stmt *st;
	int rc, n = 0;

	*product_id = 0;
	if ((st = wms_store_stmt(s, listed, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, serial, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*product_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "looking up an announced serial");
	if ((st = wms_store_stmt(s, open_lines, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ == 0)
			*product_id = sqlite3_column_int64(st, 0);
		if (strlen(missing) < sizeof missing - 60)
			snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s %d of %d",
			         n > 1 ? ", " : "", (const char *)sqlite3_column_text(st, 1),
			         sqlite3_column_int(st, 3), sqlite3_column_int(st, 2));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "looking up a supplier delivery's products");
	if (n == 1)
		return 0;
	*product_id = 0;
	if (n > 1)
		return wms_error_set(err, WMS_EINVAL, "delivery %s still expects several products (%s): "
		                     "name the product of %s (scan its barcode, the GTIN, first; --product; "
		                     "\"product\")", number, missing, serial);
	return nothing_missing(s, number, serial, err);
}

int wms_delivery_link(struct wms_store *s, const char *number, long long device_id,
                      long long product_id, wms_time ts, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO supplier_delivery_receipts(delivery_id, device_id, product_id, ts)"
		" SELECT id, ?2, ?3, ?4 FROM supplier_deliveries WHERE number = ?1";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, device_id);
	sqlite3_bind_int64(st, 3, product_id);
	sqlite3_bind_int64(st, 4, ts);
	return wms_store_step_done(s, st, "recording a receipt against a delivery", err);
}

int wms_delivery_unlink(struct wms_store *s, long long device_id, struct wms_error *err)
{
	static const char sql[] = "DELETE FROM supplier_delivery_receipts WHERE device_id = ?1";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, device_id);
	return wms_store_step_done(s, st, "undoing a receipt against a delivery", err);
}
