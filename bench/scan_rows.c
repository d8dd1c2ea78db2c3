/*
 * scan_rows.c - the baseline of scan_bench's pipelined figure: a batched raw
 * SQLite insert of exactly the rows wmsd writes for a receipt scan.
 *
 * The rows are taken from the database a pipelined wmsd run left behind, so
 * every column holds the same bytes (the event's payload JSON and its 32-byte
 * chain hash included); copying them into memory is not timed.  They go into
 * a fresh database made by wms_store_open() (the real schema: its indexes,
 * the append-only and hash triggers, the tallies triggers, foreign keys),
 * opened with plain sqlite3 and the PRAGMAs the store uses (WAL,
 * synchronous=FULL, foreign_keys, temp_store=MEMORY, secure_delete; no
 * connection mutex and no memory statistics, as wmsd runs).  Per
 * scan, plain prepared statements, as wmsd's path does it:
 *
 *   INSERT the journal row (ts, station, raw)        -> tallies trigger
 *   INSERT the event (all columns, hash included)    -> hash check, tallies
 *   INSERT the device (all columns)
 *   UPDATE the journal row's outcome and event id    -> tallies trigger
 *
 * and per commit each station's header row (station_state, which wmsd writes
 * once per loop turn).  With `whole`, the strictest reading of "the same
 * rows": the journal row is inserted once with its outcome, after the event
 * it names (3 statements, no UPDATE; wmsd cannot do that, its raw row must
 * be in the WAL before the scan is interpreted).  Not in it: what wmsd reads and decides (the scan's
 * interpretation, the device and product lookups, the lifecycle, the hash
 * computation, the JSON encoding): that is the work the ratio measures.
 */
#include "scan_rows.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wms_catalog.h"
#include "wms_store.h"

/* The columns of one scan, in the order of LOAD_SQL. */
enum { J_TS, J_STATION, J_RAW, J_RESULT, E_FIRST, E_LAST = E_FIRST + 11, D_FIRST, D_LAST = D_FIRST + 13,
       N_COLS };

#define LOAD_SQL \
	"SELECT j.ts, j.station, j.raw, j.result," \
	" e.id, e.ts, e.type, e.device_id, e.order_id, e.from_state, e.to_state, e.location_id," \
	" e.station, e.actor, e.payload, e.hash," \
	" d.id, d.serial, d.product_id, d.gtin, d.lot, d.expiry, d.manufactured, d.state," \
	" d.location_id, d.order_id, d.recon_cycles, d.received_ts, d.updated_ts, d.last_event_id" \
	" FROM scan_journal j JOIN events e ON e.id = j.event_id JOIN devices d ON d.id = e.device_id" \
	" ORDER BY j.id"

static const char *const sql_journal = "INSERT INTO scan_journal (ts, station, raw) VALUES (?1, ?2, ?3)";
static const char *const sql_journal_whole =
	"INSERT INTO scan_journal (ts, station, raw, result, event_id) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char *const sql_event =
	"INSERT INTO events (id, ts, type, device_id, order_id, from_state, to_state, location_id,"
	" station, actor, payload, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char *const sql_device =
	"INSERT INTO devices (id, serial, product_id, gtin, lot, expiry, manufactured, state,"
	" location_id, order_id, recon_cycles, received_ts, updated_ts, last_event_id)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
static const char *const sql_outcome = "UPDATE scan_journal SET result = ?1, event_id = ?2 WHERE id = ?3";
static const char *const sql_station =
	"INSERT INTO station_state (station, mode, language, actor, pending, updated_ts)"
	" VALUES (?1, 'receipt', 'en', NULL, NULL, ?2) ON CONFLICT (station) DO UPDATE SET"
	" mode = 'receipt', language = 'en', actor = NULL, pending = NULL, updated_ts = ?2";

struct rows {
	sqlite3_value **v;           /* n * N_COLS */
	long n;
};

static void rows_free(struct rows *r)
{
	for (long i = 0; r->v && i < r->n * N_COLS; i++)
		sqlite3_value_free(r->v[i]);
	free(r->v);
}

static int load(const char *src, struct rows *r)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long cap = 0;
	int rc = -1, step;

	if (sqlite3_open_v2(src, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, LOAD_SQL, -1, &st, NULL) != SQLITE_OK)
		goto out;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->n == cap) {
			sqlite3_value **v = realloc(r->v, (size_t)(cap = cap ? 2 * cap : 4096) * N_COLS * sizeof *v);
			if (v == NULL)
				goto out;
			r->v = v;
		}
		for (int c = 0; c < N_COLS; c++)
			if ((r->v[r->n * N_COLS + c] = sqlite3_value_dup(sqlite3_column_value(st, c))) == NULL)
				goto out;
		r->n++;
	}
	rc = step == SQLITE_DONE && r->n > 0 ? 0 : -1;
out:
	if (rc < 0)
		fprintf(stderr, "scan_bench: reading wmsd's rows from %s: %s\n", src,
		        r->n == 0 && db ? "no scans" : sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

int scan_rows_store(const char *dst)
{
	struct wms_error err = { 0 };
	struct wms_store *s = NULL;
	struct wms_product p = { "BPM", "Blodtrycksmätare", "Blood-pressure monitor", "HoS", false };
	int rc;

	remove(dst);
	if ((rc = wms_store_open(dst, NULL, &s, &err)) == 0 && (rc = wms_product_add(s, &p, &err)) == 0)
		rc = wms_product_add_gtin(s, "BPM", "09506000134352", &err);
	if (rc < 0)
		fprintf(stderr, "scan_bench: %s\n", err.msg);
	wms_store_close(s);
	return rc;
}

static int run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int bind_range(sqlite3_stmt *st, sqlite3_value **v, int first, int last)
{
	for (int c = first; c <= last; c++)
		if (sqlite3_bind_value(st, c - first + 1, v[c]) != SQLITE_OK)
			return -1;
	return 0;
}

/* The stations of scans [from, to) get their header row once. */
static int stations(sqlite3_stmt *st, const struct rows *r, long from, long to)
{
	char seen[64][64];
	int n = 0;

	for (long i = from; i < to; i++) {
		const char *name = (const char *)sqlite3_value_text(r->v[i * N_COLS + J_STATION]);
		int k = 0;
		while (k < n && strcmp(seen[k], name) != 0)
			k++;
		if (k < n || n == 64)
			continue;
		snprintf(seen[n++], sizeof seen[0], "%s", name);
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
		if (run(st) < 0)
			return -1;
	}
	return 0;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int scan_rows_insert(const char *src, const char *dst, int batch, bool whole, double *secs,
                     double *cpu, long *scans)
{
	struct rows r = { 0 };
	sqlite3 *db = NULL;
	sqlite3_stmt *st[5] = { 0 };
	const char *sql[5] = { whole ? sql_journal_whole : sql_journal, sql_event, sql_device, sql_outcome,
	                       sql_station };
	double t0, c0;
	int rc = -1;

	if (load(src, &r) < 0 || scan_rows_store(dst) < 0)
		goto out;
	if (sqlite3_open_v2(dst, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;"
	                 " PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;"
	                 " PRAGMA secure_delete = ON", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	for (int k = 0; k < 5; k++)
		if (sqlite3_prepare_v3(db, sql[k], -1, SQLITE_PREPARE_PERSISTENT, &st[k], NULL) != SQLITE_OK)
			goto out;
	c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	t0 = clock_s(CLOCK_MONOTONIC);
	for (long i = 0; i < r.n; i++) {
		sqlite3_value **v = r.v + i * N_COLS;
		long long journal_id;
		if (i % batch == 0 && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
			goto out;
		if (whole) {                 /* the event first: the journal row refers to it */
			if (bind_range(st[1], v, E_FIRST, E_LAST) < 0 || run(st[1]) < 0 ||
			    bind_range(st[2], v, D_FIRST, D_LAST) < 0 || run(st[2]) < 0 ||
			    bind_range(st[0], v, J_TS, J_RESULT) < 0 ||
			    sqlite3_bind_value(st[0], 5, v[E_FIRST]) != SQLITE_OK || run(st[0]) < 0)
				goto out;
		} else {
			if (bind_range(st[0], v, J_TS, J_RAW) < 0 || run(st[0]) < 0)
				goto out;
			journal_id = sqlite3_last_insert_rowid(db);
			if (bind_range(st[1], v, E_FIRST, E_LAST) < 0 || run(st[1]) < 0 ||
			    bind_range(st[2], v, D_FIRST, D_LAST) < 0 || run(st[2]) < 0)
				goto out;
			sqlite3_bind_value(st[3], 1, v[J_RESULT]);
			sqlite3_bind_value(st[3], 2, v[E_FIRST]);
			sqlite3_bind_int64(st[3], 3, journal_id);
			if (run(st[3]) < 0)
				goto out;
		}
		if (i % batch == batch - 1 || i == r.n - 1) {
			if (stations(st[4], &r, i - i % batch, i + 1) < 0 ||
			    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
				goto out;
		}
	}
	*secs = clock_s(CLOCK_MONOTONIC) - t0;
	*cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
	*scans = r.n;
	rc = 0;
out:
	if (rc < 0 && db)
		fprintf(stderr, "scan_bench: the real rows' baseline: %s\n", sqlite3_errmsg(db));
	for (int k = 0; k < 5; k++)
		sqlite3_finalize(st[k]);
	sqlite3_close(db);
	rows_free(&r);
	return rc;
}
