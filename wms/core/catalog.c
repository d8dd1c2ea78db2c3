/*
 * catalog.c - adding and listing reference data (see wms_catalog.h).
 */
#include "wms_catalog.h"
#include "wms_catalog_central.h"

#include "store_sql.h"
#include "wms_depot.h"
#include "wms_ids.h"
#include "wms_query.h"

#include <string.h>

static int step_insert(struct wms_store *s, sqlite3_stmt *st, const char *what, const char *code,
                       struct wms_error *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return wms_error_set(err, WMS_EEXIST, "%s \"%s\" already exists", what, code);
	return wms_store_sql_error(s, err, "adding reference data");
}

static int check_text(const char *what, const char *text, size_t max, struct wms_error *err)
{
	if (text == NULL || *text == '\0')
		return wms_error_set(err, WMS_EINVAL, "missing %s", what);
	if (strlen(text) > max)
		return wms_error_set(err, WMS_EINVAL, "%s too long: at most %zu bytes", what, max);
	return 0;
}

int wms_product_add(struct wms_store *s, const struct wms_product *p, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO products(code, name_sv, name_en, category, needs_training)"
		" VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st;
	int rc;

	if ((rc = wms_check_code("product code", p->code, err)) < 0 ||
	    (rc = check_text("Swedish name", p->name_sv, 100, err)) < 0 ||
	    (rc = check_text("English name", p->name_en, 100, err)) < 0)
		return rc;
	if (p->category == NULL || (strcmp(p->category, "HoS") && strcmp(p->category, "SoL")))
		return wms_error_set(err, WMS_EINVAL, "bad category \"%s\": use HoS or SoL",
		                     p->category ? p->category : "");
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, p->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->name_sv, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->name_en, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->category, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, p->needs_training ? 1 : 0);
	return step_insert(s, st, "product type", p->code, err);
}

int wms_product_add_gtin(struct wms_store *s, const char *product_code, const char *gtin,
                         struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO product_gtins(gtin, product_id) SELECT ?1, id FROM products WHERE code = ?2";
	char norm[15];
	sqlite3_stmt *st;
	int rc;

	if ((rc = wms_gtin_normalise(gtin, norm, err)) < 0 ||
	    (rc = wms_catalog_local_only(s, "product", product_code, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, product_code ? product_code : "", -1, SQLITE_STATIC);
	if ((rc = step_insert(s, st, "GTIN", norm, err)) < 0)
		return rc;
	if (sqlite3_changes(wms_store_db(s)) == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown product type \"%s\"",
		                     product_code ? product_code : "");
	return 0;
}

int wms_customer_add(struct wms_store *s, const char *code, const char *name, const char *kind,
                     const char *cost_centre, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO customers(code, name, kind, cost_centre) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st;
	int rc;

	if ((rc = wms_check_code("customer code", code, err)) < 0 ||
	    (rc = check_text("customer name", name, 120, err)) < 0)
		return rc;
	if (kind == NULL || (strcmp(kind, "region") && strcmp(kind, "municipality") &&
	                     strcmp(kind, "private")))
		return wms_error_set(err, WMS_EINVAL,
		                     "bad customer kind \"%s\": use region, municipality or private",
		                     kind ? kind : "");
	if (cost_centre && strlen(cost_centre) > 32)
		return wms_error_set(err, WMS_EINVAL, "cost centre too long: at most 32 bytes");
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 4, cost_centre);
	return step_insert(s, st, "customer", code, err);
}

int wms_location_add(struct wms_store *s, const char *code, const char *name, const char *kind,
                     const char *depot, const char *customer_code, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO locations(code, name, kind, depot, customer_id)"
		" VALUES (?1, ?2, ?3, ?4, (SELECT id FROM customers WHERE code = ?5))";
	static const char customer_sql[] = "SELECT id FROM customers WHERE code = ?1";
	sqlite3_stmt *st;
	bool buffer = kind && strcmp(kind, "buffer") == 0;
	char at[WMS_DEPOT_CODE_MAX + 1] = "";
	int rc;

	if ((rc = wms_check_code("location code", code, err)) < 0 ||
	    (rc = check_text("location name", name, 120, err)) < 0)
		return rc;
	if (kind == NULL || (strcmp(kind, "shelf") && !buffer && strcmp(kind, "pickup_point")))
		return wms_error_set(err, WMS_EINVAL,
		                     "bad location kind \"%s\": use shelf, buffer or pickup_point",
		                     kind ? kind : "");
	if (buffer && (customer_code == NULL || *customer_code == '\0'))
		return wms_error_set(err, WMS_EINVAL,
		                     "a buffer store needs the ordering unit it belongs to (--customer)");
	if (!buffer && customer_code != NULL && *customer_code)
		return wms_error_set(err, WMS_EINVAL, "only a buffer store belongs to an ordering unit");
	if (strcmp(kind, "pickup_point") == 0 && depot && *depot)
		return wms_error_set(err, WMS_EINVAL, "a pickup point belongs to no depot (it is the carrier's); "
		                     "leave out --depot");
	if (strcmp(kind, "pickup_point") != 0 && (rc = wms_depot_resolve(s, depot, at, err)) < 0)
		return rc;
	if (buffer) {
		if ((st = wms_store_stmt(s, customer_sql, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_text(st, 1, customer_code, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			return wms_error_set(err, WMS_ENOTFOUND, "unknown ordering unit \"%s\"", customer_code);
	}
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 4, at);
	wms_bind_text_or_null(st, 5, customer_code);
	return step_insert(s, st, "location", code, err);
}

json_t *wms_product_list(struct wms_store *s, struct wms_error *err)
{
	return wms_query_rows(s,
		"SELECT p.code, p.name_sv, p.name_en, p.category, p.needs_training,"
		" (SELECT group_concat(gtin, ' ') FROM product_gtins g WHERE g.product_id = p.id) AS gtins"
		" FROM products p ORDER BY p.code", NULL, 0, err);
}

json_t *wms_customer_list(struct wms_store *s, struct wms_error *err)
{
	return wms_query_rows(s, "SELECT code, name, kind, cost_centre, street, postcode, city"
	                      " FROM customers ORDER BY code", NULL, 0, err);
}

int wms_customer_set_address(struct wms_store *s, const char *code, const char *street,
                             const char *postcode, const char *city, struct wms_error *err)
{
	static const char sql[] = "UPDATE customers SET street = ?2, postcode = ?3, city = ?4 WHERE code = ?1";
	sqlite3_stmt *st;
	char pc[8];
	int rc, digits = 0;

	if ((rc = check_text("street", street, 120, err)) < 0 || (rc = check_text("city", city, 60, err)) < 0 ||
	    (rc = wms_catalog_local_only(s, "customer", code, err)) < 0)
		return rc;
	for (const char *p = postcode ? postcode : ""; *p; p++) {
		if (*p >= '0' && *p <= '9' && digits < 5)
			pc[digits < 3 ? digits : digits + 1] = *p, digits++;
		else if (!(*p == ' ' && digits == 3 && p[1] != ' '))
			goto bad_postcode;
	}
	if (digits != 5)
		goto bad_postcode;
	pc[3] = ' ';
	pc[6] = '\0';
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, street, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, pc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, city, -1, SQLITE_STATIC);
	if ((rc = wms_store_step_done(s, st, "setting a customer's address", err)) < 0)
		return rc;
	if (sqlite3_changes(wms_store_db(s)) == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown customer \"%s\"", code);
	return 0;
bad_postcode:
	return wms_error_set(err, WMS_EINVAL, "bad postcode \"%.20s\": five digits, e.g. 431 41 or 43141",
	                     postcode ? postcode : "");
}

json_t *wms_location_list(struct wms_store *s, struct wms_error *err)
{
	return wms_query_rows(s,
		"SELECT l.code, l.name, l.kind, l.depot, c.code AS customer"
		" FROM locations l LEFT JOIN customers c ON c.id = l.customer_id ORDER BY l.kind, l.code",
		NULL, 0, err);
}
