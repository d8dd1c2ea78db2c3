/*
 * patient.c - the personal data of orders: checks, storage with the order,
 * reading back on request, and the retention purge (see wms_patient.h).
 */
#include "wms_progress.h"
#include "wms_patient.h"

#include "store_sql.h"
#include "wms_query.h"

#include <string.h>

static bool given(const char *s)
{
	return s && *s;
}

bool wms_patient_empty(const struct wms_patient *p)
{
	return p == NULL || (!given(p->name) && !given(p->address) && !given(p->postal_code) &&
	                     !given(p->phone));
}

/* Printable text (no control bytes) of 1..max bytes. */
static bool text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool postal_code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 5)
		return strspn(s, "0123456789") == 5;
	return n == 6 && strspn(s, "0123456789") == 3 && s[3] == ' ' && strspn(s + 4, "0123456789") == 2;
}

static bool phone_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 6 && n <= 20 && strspn(s, "0123456789+- ") == n && strpbrk(s, "0123456789");
}

int wms_patient_check(const struct wms_patient *p, struct wms_error *err)
{
	/* The values are personal data: messages name the field, never the value. */
	if (p == NULL)
		return 0;
	if (given(p->name) && !text_ok(p->name, 100))
		return wms_error_set(err, WMS_EINVAL, "bad patient name: 1-100 bytes of text (value not shown: personal data)");
	if (given(p->address) && !text_ok(p->address, 200))
		return wms_error_set(err, WMS_EINVAL, "bad patient address: 1-200 bytes of text (value not shown: personal data)");
	if (given(p->postal_code) && !postal_code_ok(p->postal_code))
		return wms_error_set(err, WMS_EINVAL, "bad patient postal code: five digits, as 43130 or 431 30 "
		                     "(value not shown: personal data)");
	if (given(p->phone) && !phone_ok(p->phone))
		return wms_error_set(err, WMS_EINVAL, "bad patient phone: 6-20 characters 0-9 + - and space "
		                     "(value not shown: personal data)");
	return 0;
}

static int exec(struct wms_store *s, const char *sql, const char *what, struct wms_error *err)
{
	if (sqlite3_exec(wms_store_db(s), sql, NULL, NULL, NULL) != SQLITE_OK)
		return wms_store_sql_error(s, err, what);
	return 0;
}

static int insert_patient(struct wms_store *s, long long order_id, const struct wms_patient *p,
                          wms_time at, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO order_patients(order_id, name, address, postal_code, phone, created_ts)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(order_id) DO UPDATE SET name = excluded.name,"
		" address = excluded.address, postal_code = excluded.postal_code, phone = excluded.phone";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, order_id);
	wms_bind_text_or_null(st, 2, p->name);
	wms_bind_text_or_null(st, 3, p->address);
	wms_bind_text_or_null(st, 4, p->postal_code);
	wms_bind_text_or_null(st, 5, p->phone);
	sqlite3_bind_int64(st, 6, at);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	/* the message must not carry the values: SQLite's own text names only the table */
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "storing the patient data");
}

int wms_order_create_with_patient(struct wms_store *s, const struct wms_cmd *cmd,
                                  const struct wms_patient *p, struct wms_cmd_result *res,
                                  struct wms_error *err)
{
	struct wms_cmd_result r;
	bool own = sqlite3_get_autocommit(wms_store_db(s)) != 0;
	int rc;

	if (cmd->type != WMS_EV_ORDER_CREATE)
		return wms_error_set(err, WMS_EINVAL, "patient data goes with an order_create command");
	if ((rc = wms_patient_check(p, err)) < 0)
		return rc;
	if (wms_patient_empty(p))
		return wms_ledger_apply(s, cmd, res, err);
	rc = own ? wms_store_begin(s, err) : exec(s, "SAVEPOINT wms_patient", "starting a command", err);
	if (rc < 0)
		return rc;
	rc = wms_ledger_apply(s, cmd, &r, err);
	if (rc == 0)
		rc = insert_patient(s, r.order_id, p, cmd->at ? cmd->at : wms_now(), err);
	if (own) {
		if (rc == 0)
			rc = wms_store_commit(s, err);
		else
			wms_store_rollback(s);
	} else if (rc == 0) {
		rc = exec(s, "RELEASE wms_patient", "finishing a command", err);
	} else {
		sqlite3_exec(wms_store_db(s), "ROLLBACK TO wms_patient; RELEASE wms_patient", NULL, NULL, NULL);
	}
	if (rc == 0 && res)
		*res = r;
	return rc;
}

json_t *wms_patient_show(struct wms_store *s, const char *number, struct wms_error *err)
{
	const char *q[] = { number };
	json_t *rows, *one;

	rows = wms_query_rows(s,
		"SELECT o.id, p.order_id AS has_data, p.patient_ref, p.name, p.address, p.postal_code, p.phone"
		" FROM orders o"
		" LEFT JOIN order_patients p ON p.order_id = o.id WHERE o.number = ?1", q, 1, err);
	if (rows == NULL)
		return NULL;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		wms_error_set(err, WMS_ENOTFOUND, "unknown order \"%s\"", number);
		return NULL;
	}
	one = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (json_is_null(json_object_get(one, "has_data"))) {
		json_decref(one);
		return json_null();
	}
	json_object_del(one, "id");
	json_object_del(one, "has_data");
	return one;
}

int wms_patient_purge(struct wms_store *s, wms_time now, int retention_days, long long *purged,
                      struct wms_error *err)
{
	static const char sql[] =
		"DELETE FROM order_patients WHERE order_id IN (SELECT o.id FROM orders o WHERE"
		" (o.status = 'cancelled' AND (SELECT max(e.ts) FROM events e"
		"   WHERE e.order_id = o.id AND e.type = 'order_cancel') <= ?1)"
		" OR (o.status = 'delivered' AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.order_id = o.id)"
		"   AND (SELECT max(e.ts) FROM events e WHERE e.order_id = o.id AND e.type = 'return') <= ?1))";
	sqlite3_stmt *st;
	long long n = 0;
	int rc;

	if (purged)
		*purged = 0;
	if (retention_days < 0)
		return wms_error_set(err, WMS_EINVAL, "retention days must be 0 or more");
	if (!sqlite3_get_autocommit(wms_store_db(s)))
		return wms_error_set(err, WMS_EINVAL, "the purge runs on its own, not inside a batch");
	/* deleted cells and freed pages are overwritten with zeros */
	if ((rc = exec(s, "PRAGMA secure_delete = ON", "enabling secure delete", err)) < 0)
		return rc;
	if ((rc = wms_store_begin(s, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, sql, err)) == NULL) {
		rc = WMS_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, now - (wms_time)retention_days * 86400);
	wms_progress(0, 3);   /* three steps: delete, commit, checkpoint */
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		rc = wms_store_sql_error(s, err, "purging patient data");
		goto out;
	}
	n = sqlite3_changes64(wms_store_db(s));
	wms_progress(1, 3);
	rc = wms_store_commit(s, err);
	wms_progress(2, 3);
	/* the old pages still live in the WAL until it is checkpointed and cut */
	if (rc == 0)
		rc = exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", "checkpointing the purge", err);
	wms_progress(3, 3);
	if (rc == 0 && purged)
		*purged = n;
	return rc;
out:
	wms_store_rollback(s);
	return rc;
}
