/*
 * export.c - events with region-wide keys, in commit order (see wms_export.h).
 */
#include "wms_export.h"

#include "store_sql.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* payload keys holding a row id, and the code that replaces each */
static const struct {
	const char *key, *as, *sql;
} id_keys[] = {
	{ "product_id", "product", "SELECT code FROM products WHERE id = ?1" },
	{ "customer_id", "customer", "SELECT code FROM customers WHERE id = ?1" },
	{ "pickup_point_id", "pickup_point", "SELECT code FROM locations WHERE id = ?1" },
	{ "exchange_of", "exchange_of", "SELECT serial FROM devices WHERE id = ?1" },
};

/* Personal data lives in order_patients (purgeable, never shipped) and is
 * kept out of payloads by the ledger; an older payload that still holds a
 * key of it loses the key here, so nothing personal leaves the depot. */
static const char *const personal_keys[] = {
	"patient_ref", "patient", "name", "address", "postal_code", "phone",
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
		for (size_t k = 0; payload && k < sizeof personal_keys / sizeof personal_keys[0]; k++)
			json_object_del(payload, personal_keys[k]);
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

int wms_ledger_head(struct wms_store *s, long long *seq, struct wms_error *err)
{
	sqlite3_stmt *st;
	int rc = wms_store_row(s, "SELECT max(id) FROM events", NULL, 0, &st, "reading the ledger's head", err);

	*seq = 0;
	if (rc <= 0)
		return rc;
	*seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
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

/* ---- the shipped mark: a restored database found at start -------------- */

/* FNV-1a 64 of an event as it is shipped (a fingerprint, not a secret). */
static int event_digest(struct wms_store *s, long long seq, unsigned long long *out, struct wms_error *err)
{
	json_t *one = wms_ledger_export(s, seq - 1, 1, err), *ev;
	char *body;
	unsigned long long h = 1469598103934665603ULL;

	if (one == NULL)
		return err && err->code ? err->code : WMS_EDB;
	ev = json_array_get(one, 0);
	if (ev == NULL || json_integer_value(json_object_get(ev, "seq")) != seq) {
		json_decref(one);
		return 1;                                   /* no such event */
	}
	body = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(one);
	if (body == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	for (const unsigned char *p = (const unsigned char *)body; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	free(body);
	*out = h;
	return 0;
}

/* <database>.shipped */
static int mark_path(struct wms_store *s, char *buf, size_t size, struct wms_error *err)
{
	const char *db = sqlite3_db_filename(wms_store_db(s), "main");

	if (db == NULL || db[0] == '\0')
		return wms_error_set(err, WMS_EINVAL, "a database in memory has no shipped mark");
	if ((size_t)snprintf(buf, size, "%s.shipped", db) >= size)
		return wms_error_set(err, WMS_EINVAL, "path of the shipped mark too long: %.60s...", db);
	return 0;
}

int wms_ledger_mark(struct wms_store *s, long long seq, struct wms_error *err)
{
	char epoch[17], path[4096], tmp[4200];
	unsigned long long h;
	FILE *f;
	int rc;

	if ((rc = mark_path(s, path, sizeof path, err)) < 0)
		return rc;
	if ((rc = wms_ledger_epoch(s, epoch, err)) < 0 || (rc = event_digest(s, seq, &h, err)) < 0)
		return rc;
	if (rc == 1)
		return wms_error_set(err, WMS_ENOTFOUND, "no event %lld in the ledger to mark as shipped", seq);
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
		return wms_error_set(err, WMS_EINVAL, "path of the shipped mark too long: %.60s...", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return wms_error_set(err, WMS_EIO, "cannot write %s: %s", tmp, strerror(errno));
	fprintf(f, "%s %lld %016llx\n", epoch, seq, h);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		return wms_error_set(err, WMS_EIO, "cannot write %s: %s", tmp, strerror(errno));
	}
	fclose(f);
	if (rename(tmp, path) != 0)
		return wms_error_set(err, WMS_EIO, "cannot rename %s: %s", tmp, strerror(errno));
	return 0;
}

int wms_ledger_check_mark(struct wms_store *s, bool *renewed, struct wms_error *err)
{
	char epoch[17], was[17], fresh[17], path[4096];
	long long seq;
	unsigned long long want, h = 0;
	FILE *f;
	int rc, n;

	*renewed = false;
	if ((rc = mark_path(s, path, sizeof path, err)) < 0)
		return rc;
	if ((f = fopen(path, "r")) == NULL)
		return errno == ENOENT ? 0 : wms_error_set(err, WMS_EIO, "cannot read %s: %s", path, strerror(errno));
	n = fscanf(f, "%16s %lld %16llx", was, &seq, &want);
	fclose(f);
	if (n != 3 || seq < 1)
		return wms_error_set(err, WMS_EINVAL, "%s: not a shipped mark (\"EPOCH SEQ DIGEST\"); "
		                     "remove it if the database is the one that was shipping", path);
	if ((rc = wms_ledger_epoch(s, epoch, err)) < 0)
		return rc;
	if (strcmp(epoch, was) != 0)
		return 0;           /* a new epoch already: the hub checks its first event */
	if ((rc = event_digest(s, seq, &h, err)) < 0)
		return rc;
	if (rc == 0 && h == want)
		return 0;
	/* the hub holds event seq of this epoch, and this database has not got it
	 * (or another one there): it was restored from an older backup */
	if ((rc = wms_ledger_new_epoch(s, fresh, err)) < 0)
		return rc;
	*renewed = true;
	return 0;
}
