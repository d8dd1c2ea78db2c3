/*
 * chain.c - the hash chain over the event ledger (see wms_chain.h): the
 * canonical encoding of an event, SHA-256 with libsodium, the verification
 * an auditor runs, and hashing the events of a database from before it.
 */
#include "chain.h"

#include "store_sql.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char columns[] =
	"id, ts, type, device_id, order_id, from_state, to_state, location_id, station, actor, payload";

void wms_chain_hash(const unsigned char *prev, const char *const fields[CHAIN_FIELDS],
                    unsigned char out[WMS_CHAIN_HASH_BYTES])
{
	static const unsigned char zero[WMS_CHAIN_HASH_BYTES];
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)"wms-event-v1", 12);
	crypto_hash_sha256_update(&st, prev ? prev : zero, WMS_CHAIN_HASH_BYTES);
	for (int i = 0; i < CHAIN_FIELDS; i++) {
		unsigned char head[5] = { 0 };
		size_t n = fields[i] ? strlen(fields[i]) : 0;

		if (fields[i] == NULL) {
			crypto_hash_sha256_update(&st, head, 1);
			continue;
		}
		head[0] = 1;
		head[1] = (unsigned char)(n >> 24);
		head[2] = (unsigned char)(n >> 16);
		head[3] = (unsigned char)(n >> 8);
		head[4] = (unsigned char)n;
		crypto_hash_sha256_update(&st, head, sizeof head);
		crypto_hash_sha256_update(&st, (const unsigned char *)fields[i], n);
	}
	crypto_hash_sha256_final(&st, out);
}

/* The fields of the row st is on (columns in the order of `columns`). */
static void row_fields(sqlite3_stmt *st, const char *f[CHAIN_FIELDS])
{
	for (int i = 0; i < CHAIN_FIELDS; i++)
		f[i] = (const char *)sqlite3_column_text(st, i);
}

/* The stored hash of the newest event before id (none: *have = false). */
static int hash_before(struct wms_store *s, long long id, unsigned char prev[WMS_CHAIN_HASH_BYTES],
                       long long *prev_id, bool *have, struct wms_error *err)
{
	static const char sql[] = "SELECT id, hash FROM events WHERE id < ?1 ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, NULL, id, &st, "reading the hash chain", err);

	*have = false;
	*prev_id = 0;
	memset(prev, 0, WMS_CHAIN_HASH_BYTES);
	if (rc <= 0)
		return rc;
	*prev_id = sqlite3_column_int64(st, 0);
	if (sqlite3_column_bytes(st, 1) == WMS_CHAIN_HASH_BYTES) {
		memcpy(prev, sqlite3_column_blob(st, 1), WMS_CHAIN_HASH_BYTES);
		*have = true;
	}
	sqlite3_reset(st);
	return 0;
}

int wms_chain_verify(struct wms_store *s, long long from, struct wms_chain_report *r,
                     struct wms_error *err)
{
	char sql[256];
	unsigned char prev[WMS_CHAIN_HASH_BYTES], h[WMS_CHAIN_HASH_BYTES];
	sqlite3_stmt *st = NULL;
	bool have = false;
	int rc, step;

	memset(r, 0, sizeof *r);
	if (from < 1)
		from = 1;
	if ((rc = hash_before(s, from, prev, &r->anchor_id, &have, err)) < 0)
		return rc;
	if (r->anchor_id && !have) {
		r->first_bad = r->anchor_id;
		snprintf(r->why, sizeof r->why, "event %lld has no hash", r->anchor_id);
		return 0;
	}
	if (r->anchor_id)
		sodium_bin2hex(r->anchor_hex, sizeof r->anchor_hex, prev, sizeof prev);
	snprintf(sql, sizeof sql, "SELECT %s, hash FROM events WHERE id >= ?1 ORDER BY id", columns);
	if (sqlite3_prepare_v2(wms_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		return wms_store_sql_error(s, err, "reading the ledger");
	sqlite3_bind_int64(st, 1, from);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *f[CHAIN_FIELDS];
		long long id = sqlite3_column_int64(st, 0);

		row_fields(st, f);
		wms_chain_hash(r->anchor_id || r->checked ? prev : NULL, f, h);
		if (sqlite3_column_bytes(st, CHAIN_FIELDS) != WMS_CHAIN_HASH_BYTES ||
		    sodium_memcmp(h, sqlite3_column_blob(st, CHAIN_FIELDS), WMS_CHAIN_HASH_BYTES) != 0) {
			r->first_bad = id;
			snprintf(r->why, sizeof r->why, sqlite3_column_bytes(st, CHAIN_FIELDS) == 0
			         ? "event %lld has no hash" : "event %lld does not match its hash: it was changed, "
			         "or an event before it was removed or inserted", id);
			break;
		}
		memcpy(prev, h, sizeof prev);
		r->checked++;
		r->head_id = id;
	}
	if (r->first_bad == 0 && step != SQLITE_DONE)
		rc = wms_store_sql_error(s, err, "reading the ledger");
	sqlite3_finalize(st);
	if (r->checked)
		sodium_bin2hex(r->head_hex, sizeof r->head_hex, prev, sizeof prev);
	return rc;
}

int wms_chain_backfill(struct wms_store *s, struct wms_error *err)
{
	static const char first[] = "SELECT min(id) FROM events WHERE hash IS NULL";
	static const char upd[] = "UPDATE events SET hash = ?1 WHERE id = ?2";
	unsigned char prev[WMS_CHAIN_HASH_BYTES], h[WMS_CHAIN_HASH_BYTES];
	char sql[256];
	sqlite3_stmt *st = NULL, *up;
	long long from = 0, prev_id;
	bool have;
	int rc, step;

	if ((rc = wms_store_row(s, first, NULL, 0, &st, "reading the hash chain", err)) < 0)
		return rc;
	if (rc == 1) {
		from = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	if (from == 0)
		return 0;
	if ((rc = wms_store_begin(s, err)) < 0)
		return rc;
	if ((rc = hash_before(s, from, prev, &prev_id, &have, err)) < 0)
		goto out;
	snprintf(sql, sizeof sql, "SELECT %s FROM events WHERE id >= ?1 ORDER BY id", columns);
	if (sqlite3_prepare_v2(wms_store_db(s), sql, -1, &st, NULL) != SQLITE_OK) {
		rc = wms_store_sql_error(s, err, "reading the ledger");
		goto out;
	}
	sqlite3_bind_int64(st, 1, from);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *f[CHAIN_FIELDS];

		row_fields(st, f);
		wms_chain_hash(have ? prev : NULL, f, h);
		if ((up = wms_store_stmt(s, upd, err)) == NULL) {
			rc = WMS_EDB;
			break;
		}
		sqlite3_bind_blob(up, 1, h, sizeof h, SQLITE_STATIC);
		sqlite3_bind_int64(up, 2, sqlite3_column_int64(st, 0));
		rc = wms_store_step_done(s, up, "hashing the ledger", err);
		memcpy(prev, h, sizeof prev);
		have = true;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = wms_store_sql_error(s, err, "reading the ledger");
	sqlite3_finalize(st);
out:
	if (rc == 0)
		return wms_store_commit(s, err);
	wms_store_rollback(s);
	return rc;
}
