/*
 * catalog_central.c - a depot's side of the catalogue maintained at the hub
 * (see wms_catalog_central.h): what flows down, the conflicts with what the
 * depot defines itself, applying a batch with its cursor, and the refusal
 * of a local change to a centrally owned row.
 */
#include "wms_catalog_central.h"

#include "store_sql.h"
#include "wms_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The body of each row as it flows down; ?1 ?2: only kind ?1 code ?2 (NULL: all).
 * json() keeps the lists JSON through the subquery. */
static const char export_sql[] =
	"SELECT 'customer', code, json_object('code', code, 'name', name, 'kind', kind,"
	"  'cost_centre', cost_centre, 'street', street, 'postcode', postcode, 'city', city)"
	" FROM customers WHERE ?1 IS NULL OR (?1 = 'customer' AND code = ?2)"
	" UNION ALL SELECT 'product', code, json_object('code', code, 'name_sv', name_sv, 'name_en', name_en,"
	"  'category', category, 'needs_training', needs_training, 'gtins', json((SELECT json_group_array(gtin)"
	"  FROM (SELECT gtin FROM product_gtins g WHERE g.product_id = p.id ORDER BY gtin))))"
	" FROM products p WHERE ?1 IS NULL OR (?1 = 'product' AND code = ?2)"
	" UNION ALL SELECT 'user', name, json_object('name', name, 'role', role, 'disabled', disabled,"
	"  'badges', json((SELECT json_group_array(badge)"
	"  FROM (SELECT badge FROM user_badges b WHERE b.user_id = u.id ORDER BY badge))))"
	" FROM users u WHERE ?1 IS NULL OR (?1 = 'user' AND name = ?2)"
	" ORDER BY 1, 2";

json_t *wms_catalog_export(struct wms_store *s, struct wms_error *err)
{
	sqlite3_stmt *st = wms_store_stmt(s, export_sql, err);
	json_t *out = st ? json_array() : NULL;
	int rc = SQLITE_DONE;

	while (out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *body = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
		if (body == NULL || json_array_append_new(out, json_pack("{s:s, s:s, s:o}",
		                  "kind", (const char *)sqlite3_column_text(st, 0),
		                  "code", (const char *)sqlite3_column_text(st, 1), "body", body)) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	if (st)
		sqlite3_reset(st);
	if (out && rc != SQLITE_DONE) {
		json_decref(out);
		out = NULL;
		if (rc == SQLITE_NOMEM)
			wms_error_set(err, WMS_ENOMEM, "out of memory");
		else
			wms_store_sql_error(s, err, "reading the catalogue");
	}
	return out;
}

int wms_catalog_pulled(struct wms_store *s, long long *seq, struct wms_error *err)
{
	sqlite3_stmt *st = wms_store_stmt(s, "SELECT seq FROM catalog_pulled WHERE id = 1", err);
	int rc;

	*seq = 0;
	if (st == NULL)
		return WMS_EDB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "reading the catalogue cursor");
}

static char *canonical(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
}

/* One text column of the first row of sql bound to (a, b, c); 1 with out
 * filled, 0 no row, < 0 error. */
static int first_text(struct wms_store *s, const char *sql, const char *a, const char *b, const char *c,
                      char *out, size_t size, struct wms_error *err)
{
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 3, c);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(out, size, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "comparing the catalogue");
	return rc == SQLITE_ROW;
}

/*
 * Whether the catalogue event row conflicts with what the depot defines
 * itself: 1 with detail, 0 no, < 0 error.  A row the hub already owns here
 * is updated in place; another row's GTIN or badge, or an API token's name,
 * is a conflict whoever owns the row.
 */
static int row_conflict(struct wms_store *s, const json_t *row, char *detail, size_t size, struct wms_error *err)
{
	static const char owned[] = "SELECT 'x' FROM catalog_central WHERE kind = ?1 AND code = ?2";
	static const char gtin[] =
		"SELECT j.value || ' (product ' || p.code || ')' FROM json_each(?3, '$.gtins') j"
		" JOIN product_gtins g ON g.gtin = j.value JOIN products p ON p.id = g.product_id"
		" WHERE p.code <> ?2 AND ?1 = 'product' LIMIT 1";
	static const char badge[] =
		"SELECT j.value || ' (user ' || u.name || ')' FROM json_each(?3, '$.badges') j"
		" JOIN user_badges b ON b.badge = j.value JOIN users u ON u.id = b.user_id"
		" WHERE u.name <> ?2 AND ?1 = 'user' LIMIT 1";
	static const char token[] = "SELECT name FROM api_tokens WHERE name = ?2 AND ?1 = 'user'";
	const char *kind = json_string_value(json_object_get(row, "kind"));
	const char *code = json_string_value(json_object_get(row, "code"));
	char *body = canonical(json_object_get(row, "body")), *mine = NULL, buf[160];
	sqlite3_stmt *st;
	int rc;

	if (kind == NULL || code == NULL || body == NULL) {
		free(body);
		return wms_error_set(err, WMS_EINVAL, "a catalogue event without kind, code or body");
	}
	detail[0] = '\0';
	if ((rc = first_text(s, gtin, kind, code, body, buf, sizeof buf, err)) == 1)
		snprintf(detail, size, "GTIN %s", buf);
	else if (rc == 0 && (rc = first_text(s, badge, kind, code, body, buf, sizeof buf, err)) == 1)
		snprintf(detail, size, "badge %s", buf);
	else if (rc == 0 && (rc = first_text(s, token, kind, code, NULL, buf, sizeof buf, err)) == 1)
		snprintf(detail, size, "an API token named %s", buf);
	if (rc == 1) {
		free(body);
		return 1;
	}
	if (rc == 0)
		rc = first_text(s, owned, kind, code, NULL, buf, sizeof buf, err);
	if (rc != 0) {                      /* owned by the hub (1): no conflict */
		free(body);
		return rc < 0 ? rc : 0;
	}
	if ((st = wms_store_stmt(s, export_sql, err)) == NULL) {
		free(body);
		return WMS_EDB;
	}
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		json_t *j = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
		mine = j ? canonical(j) : NULL;
		json_decref(j);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(body);
		return wms_store_sql_error(s, err, "comparing the catalogue");
	}
	/* defined here too: the same content is adopted, other content is a conflict */
	rc = rc == SQLITE_ROW && (mine == NULL || strcmp(mine, body) != 0);
	if (rc)
		snprintf(detail, size, "the depot's own %s %s", kind, mine ? mine : "");
	free(mine);
	free(body);
	return rc;
}

json_t *wms_catalog_conflicts(struct wms_store *s, const json_t *rows, struct wms_error *err)
{
	json_t *out = json_array(), *row;
	char detail[400];
	size_t i;
	int rc;

	json_array_foreach(rows, i, row) {
		if ((rc = row_conflict(s, row, detail, sizeof detail, err)) < 0) {
			json_decref(out);
			return NULL;
		}
		if (rc == 1)
			json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:s}", "seq", json_object_get(row, "seq"),
			                                     "kind", json_object_get(row, "kind"),
			                                     "code", json_object_get(row, "code"), "detail", detail));
	}
	return out;
}

static bool reported_has(const json_t *reported, json_int_t seq)
{
	const json_t *r;
	size_t i;

	json_array_foreach(reported, i, r)
		if (json_integer_value(json_object_get(r, "seq")) == seq)
			return true;
	return false;
}

/* Statements of one kind: the row, then its list (what is no longer in it
 * goes, what is new comes); ?1 code, ?2 body, ?3 now.  (Separate strings:
 * the store caches statements by their address.) */
static const struct { const char *kind, *sql[3]; } apply_sql[] = {
	{ "product", {
	  "INSERT INTO products(code, name_sv, name_en, category, needs_training) VALUES (?1,"
	  " json_extract(?2, '$.name_sv'), json_extract(?2, '$.name_en'), json_extract(?2, '$.category'),"
	  " json_extract(?2, '$.needs_training')) ON CONFLICT(code) DO UPDATE SET name_sv = excluded.name_sv,"
	  " name_en = excluded.name_en, category = excluded.category, needs_training = excluded.needs_training",
	  "DELETE FROM product_gtins WHERE product_id = (SELECT id FROM products WHERE code = ?1)"
	  " AND gtin NOT IN (SELECT value FROM json_each(?2, '$.gtins'))",
	  "INSERT INTO product_gtins(gtin, product_id) SELECT j.value, p.id FROM json_each(?2, '$.gtins') j,"
	  " products p WHERE p.code = ?1 ON CONFLICT(gtin) DO NOTHING" } },
	{ "customer", {
	  "INSERT INTO customers(code, name, kind, cost_centre, street, postcode, city) VALUES (?1,"
	  " json_extract(?2, '$.name'), json_extract(?2, '$.kind'), json_extract(?2, '$.cost_centre'),"
	  " json_extract(?2, '$.street'), json_extract(?2, '$.postcode'), json_extract(?2, '$.city'))"
	  " ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
	  " cost_centre = excluded.cost_centre, street = excluded.street, postcode = excluded.postcode,"
	  " city = excluded.city", NULL, NULL } },
	{ "user", {
	  /* no password: a user from the hub has none here until one is set here */
	  "INSERT INTO users(name, role, password_hash, created_ts, disabled) VALUES (?1,"
	  " json_extract(?2, '$.role'), '', ?3, json_extract(?2, '$.disabled'))"
	  " ON CONFLICT(name) DO UPDATE SET role = excluded.role, disabled = excluded.disabled",
	  "DELETE FROM user_badges WHERE user_id = (SELECT id FROM users WHERE name = ?1)"
	  " AND badge NOT IN (SELECT value FROM json_each(?2, '$.badges'))",
	  "INSERT INTO user_badges(badge, user_id, created_ts) SELECT j.value, u.id, ?3"
	  " FROM json_each(?2, '$.badges') j, users u WHERE u.name = ?1 ON CONFLICT(badge) DO NOTHING" } },
};

static int apply_row(struct wms_store *s, const json_t *row, struct wms_error *err)
{
	static const char own[] =
		"INSERT INTO catalog_central(kind, code, seq) VALUES (?1, ?2, ?3)"
		" ON CONFLICT(kind, code) DO UPDATE SET seq = excluded.seq";
	const char *kind = json_string_value(json_object_get(row, "kind"));
	const char *code = json_string_value(json_object_get(row, "code"));
	char *body = json_dumps(json_object_get(row, "body"), JSON_COMPACT);
	sqlite3_stmt *st;
	size_t k;
	int rc = 0;

	for (k = 0; k < sizeof apply_sql / sizeof apply_sql[0]; k++)
		if (kind && strcmp(kind, apply_sql[k].kind) == 0)
			break;
	if (k == sizeof apply_sql / sizeof apply_sql[0] || code == NULL || body == NULL) {
		free(body);
		return wms_error_set(err, WMS_EINVAL, "unknown catalogue kind \"%.20s\" from the hub; known: product, "
		                     "customer, user", kind ? kind : "");
	}
	for (int i = 0; rc == 0 && i < 3 && apply_sql[k].sql[i]; i++) {
		if ((st = wms_store_stmt(s, apply_sql[k].sql[i], err)) == NULL) {
			rc = WMS_EDB;
			break;
		}
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, wms_now());
		rc = wms_store_step_done(s, st, "applying the hub's catalogue", err);
	}
	free(body);
	if (rc < 0 || (st = wms_store_stmt(s, own, err)) == NULL)
		return rc < 0 ? rc : WMS_EDB;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, json_integer_value(json_object_get(row, "seq")));
	return wms_store_step_done(s, st, "applying the hub's catalogue", err);
}

int wms_catalog_apply(struct wms_store *s, const json_t *rows, const json_t *reported, long long *upto,
                      long *applied, struct wms_error *err)
{
	static const char cursor[] =
		"INSERT INTO catalog_pulled(id, seq) VALUES (1, ?1) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq";
	const json_t *row;
	char detail[400];
	sqlite3_stmt *st;
	size_t i;
	int rc;

	*applied = 0;
	if ((rc = wms_catalog_pulled(s, upto, err)) < 0 || (rc = wms_store_begin(s, err)) < 0)
		return rc;
	json_array_foreach(rows, i, row) {
		json_int_t seq = json_integer_value(json_object_get(row, "seq"));

		if ((rc = row_conflict(s, row, detail, sizeof detail, err)) < 0)
			goto fail;
		/* defined here since the hub was told: the next pull tells it first */
		if (rc == 1 && !reported_has(reported, seq))
			break;
		if (rc == 0 && (rc = apply_row(s, row, err)) < 0)
			goto fail;
		*upto = seq;
		++*applied;
	}
	if ((st = wms_store_stmt(s, cursor, err)) == NULL) {
		rc = WMS_EDB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, *upto);
	if ((rc = wms_store_step_done(s, st, "storing the catalogue cursor", err)) < 0)
		goto fail;
	return wms_store_commit(s, err);
fail:
	wms_store_rollback(s);
	*applied = 0;
	return rc;
}

int wms_catalog_local_only(struct wms_store *s, const char *kind, const char *code, struct wms_error *err)
{
	char buf[8];
	int rc = first_text(s, "SELECT 'x' FROM catalog_central WHERE kind = ?1 AND code = ?2", kind, code ? code : "",
	                    NULL, buf, sizeof buf, err);

	if (rc <= 0)
		return rc;
	if (strcmp(kind, "product") == 0)
		return wms_error_set(err, WMS_ESTATE, "product %s is maintained at the hub (the central catalogue) "
		                     "and read-only at this depot: change it at the hub", code);
	if (strcmp(kind, "customer") == 0)
		return wms_error_set(err, WMS_ESTATE, "customer %s is maintained at the hub (the central catalogue) "
		                     "and read-only at this depot: change it at the hub", code);
	return wms_error_set(err, WMS_ESTATE, "user %s is maintained at the hub (the central catalogue) "
	                     "and read-only at this depot: change it at the hub", code);
}
