/*
 * ledger_bench.c - how fast the ledger ingests lifecycle events, against
 * plain SQLite measured in the same run on the same disk.
 *
 * Workload: devices going through receive, move, then cycles of
 * order_create, reserve, pick, dispatch, deliver, rent, return, recon_start,
 * recon_approve (20 events per device), interleaved over all devices as a
 * warehouse would, every event through wms_ledger_apply() (checks,
 * append, projections).  Figures:
 *   (a) batched: N events, B commands per wms_store_begin/commit
 *       (synchronous=FULL, so each batch is durable);
 *   (a') bulk: the same N events and batches through the bulk ledger path
 *       (wms_ledger_bulk_begin: state in memory, each projection row written
 *       once per batch, no savepoint per command), as imports and the demo;
 *   (b) durable: each command its own transaction with synchronous=FULL (one
 *       fsync per event, as the daemon does before it acknowledges a scan),
 *       measured on a smaller count because every commit waits for the disk;
 *   baseline: prepared INSERTs of the same number of rows into a one-table
 *       database with the same journal mode, synchronous setting and
 *       transaction sizes (narrow rows: time, type, device);
 *   same-rows baseline: prepared INSERTs of the very event rows the bulk run
 *       wrote (every column, payload and hash: the same bytes), read into
 *       memory first, into a table of the same columns without indexes or
 *       triggers, in the same transactions.  What the ledger adds to it is
 *       the checks, the chain, the projections and their indexes.
 * Plus database size, bytes per event, and the process's CPU time per event
 * (on a shared machine the wall clock measures the other load as much).  Usage:
 *   ledger_bench [--events N] [--durable N] [--batch N] [--dir DIR] [--keep]
 *                [--temp-store-memory] [--only batched|bulk]
 * The last sets PRAGMA temp_store = MEMORY on both databases: the per-command
 * savepoints inside a batch otherwise write SQLite's statement journal to a
 * temporary file, which costs more than half of the batched time.
 */
#include "bench_report.h"
#include "store_sql.h"
#include "wms_catalog.h"
#include "wms_ledger.h"
#include "wms_rules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EVENTS_PER_DEVICE 20
#define T0 1735714800          /* 2025-01-01T08:00+01:00 */

static const enum wms_event_type cycle[EVENTS_PER_DEVICE] = {
	WMS_EV_RECEIVE, WMS_EV_MOVE,
	WMS_EV_ORDER_CREATE, WMS_EV_RESERVE, WMS_EV_PICK, WMS_EV_DISPATCH, WMS_EV_DELIVER,
	WMS_EV_RENT, WMS_EV_RETURN, WMS_EV_RECON_START, WMS_EV_RECON_APPROVE,
	WMS_EV_ORDER_CREATE, WMS_EV_RESERVE, WMS_EV_PICK, WMS_EV_DISPATCH, WMS_EV_DELIVER,
	WMS_EV_RENT, WMS_EV_RETURN, WMS_EV_RECON_START, WMS_EV_RECON_APPROVE,
};

struct opts {
	long events, durable, batch;
	const char *dir;
	bool keep;
	bool temp_mem;             /* PRAGMA temp_store = MEMORY */
	const char *only;          /* "batched" or "bulk": that row alone (for a profiler) */
};

static bool temp_mem;

struct run {
	double seconds;
	double cpu;                /* CPU seconds of the process over the same span */
	double *lat;               /* per-commit latencies (durable runs), seconds */
	long n;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double percentile(double *v, long n, int p)
{
	long rank = (n * p + 99) / 100;

	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[rank < 1 ? 0 : rank - 1];
}

static void remove_db(const char *path)
{
	char p[600];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

/* ---- the ledger ------------------------------------------------------------ */

static int setup_reference(struct wms_store *s, struct wms_error *err)
{
	struct wms_product p = { "BPM", "Digital blodtrycksmätare", "Digital blood-pressure monitor",
	                         "HoS", false };
	int rc;

	if ((rc = wms_store_begin(s, err)) < 0)
		return rc;
	if ((rc = wms_product_add(s, &p, err)) < 0 ||
	    (rc = wms_customer_add(s, "VGR-VC-MOLNDAL", "Vårdcentralen Mölndal", "region", NULL, err)) < 0 ||
	    (rc = wms_location_add(s, "ML-A01-1", "Mölndal gång A", "shelf", "ML", NULL, err)) < 0) {
		wms_store_rollback(s);
		return rc;
	}
	return wms_store_commit(s, err);
}

/* The bench's checklist snapshot (made once per database), its id. */
static long long bench_checklist(struct wms_store *s)
{
	static const char add[] =
		"INSERT OR IGNORE INTO recon_checklists(product_id, version, hash, body, steps)"
		" SELECT id, 1, 'bench', 'CLEAN', 1 FROM products WHERE code = 'BPM'";
	static const char get[] = "SELECT id FROM recon_checklists WHERE hash = 'bench'";
	sqlite3_stmt *st = wms_store_stmt(s, add, NULL);
	long long id = 0;

	if (st == NULL || sqlite3_step(st) != SQLITE_DONE || (st = wms_store_stmt(s, get, NULL)) == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* The passed step of the device's open run, as the technician's station records it. */
static int bench_pass(struct wms_store *s, const char *serial, long long ts)
{
	static const char sql[] =
		"INSERT INTO recon_results(run_id, step, result, detail, ts, technician)"
		" SELECT r.id, 'CLEAN', 'pass', 'bench', ?2, 'tk01' FROM recon_runs r JOIN devices d"
		" ON d.id = r.device_id WHERE d.serial = ?1 AND r.outcome IS NULL";
	sqlite3_stmt *st = wms_store_stmt(s, sql, NULL);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ts);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* Event i of a run over n_dev devices: wave i / n_dev, device i % n_dev. */
static int ledger_event(struct wms_store *s, long i, long n_dev, struct wms_error *err)
{
	long dev = i % n_dev, wave = i / n_dev;
	char serial[32], order[48];   /* room for any long, as gcc checks */
	struct wms_cmd c = { 0 };

	snprintf(serial, sizeof serial, "BT2-%08ld", dev);
	snprintf(order, sizeof order, "B%ld-%ld", dev, wave < 11 ? 1L : 2L);
	c.type = cycle[wave];
	c.at = T0 + i;             /* one event a second, every device forward in time */
	c.station = "ML-PLOCK-1";
	c.actor = "lg01";
	c.role = WMS_ROLE_TRUSTED;   /* the bench acts for the installation (wms_rules.h) */
	switch (c.type) {
	case WMS_EV_RECON_START:
		/* the gate's records (ledger_records.c): a one-step checklist snapshot */
		if ((c.checklist_id = bench_checklist(s)) <= 0)
			return wms_store_sql_error(s, err, "adding the bench's checklist");
		c.serial = serial;
		break;
	case WMS_EV_RECEIVE:
		c.serial = serial;
		c.product = "BPM";
		c.lot = "L2501-001";
		break;
	case WMS_EV_RECON_APPROVE:
		/* the checklist's one step passed (what the technician's station records) */
		if (bench_pass(s, serial, c.at) < 0)
			return wms_store_sql_error(s, err, "recording the bench's check");
		/* fall through */
	case WMS_EV_MOVE:
		c.serial = serial;
		c.location = "ML-A01-1";
		break;
	case WMS_EV_ORDER_CREATE:
		c.order = order;
		c.customer = "VGR-VC-MOLNDAL";
		c.product = "BPM";
		c.mode = "home";
		c.patient_ref = "P-000123";
		break;
	case WMS_EV_RESERVE:
		c.serial = serial;
		c.order = order;
		break;
	case WMS_EV_RETURN:
		c.serial = serial;
		c.reason = "Retur via beställande enhet";
		break;
	default:
		c.serial = serial;
		break;
	}
	return wms_ledger_apply(s, &c, NULL, err);
}

static int ledger_run(const char *path, long n, long batch, bool bulk, struct run *r,
                      struct wms_error *err)
{
	struct wms_store *s = NULL;
	long n_dev = (n + EVENTS_PER_DEVICE - 1) / EVENTS_PER_DEVICE;
	double t0, t;
	int rc;

	remove_db(path);
	if ((rc = wms_store_open(path, NULL, &s, err)) < 0)
		return rc;
	if (temp_mem && sqlite3_exec(wms_store_db(s), "PRAGMA temp_store = MEMORY", NULL, NULL, NULL)
	    != SQLITE_OK) {
		rc = wms_store_sql_error(s, err, "setting temp_store");
		goto out;
	}
	if ((rc = setup_reference(s, err)) < 0)
		goto out;
	r->n = 0;
	t0 = now_s();
	r->cpu = cpu_s();
	for (long i = 0; i < n; i += batch) {
		long end = i + batch < n ? i + batch : n;
		if (batch > 1 && (rc = wms_store_begin(s, err)) < 0)
			goto out;
		if (bulk && batch > 1 && (rc = wms_ledger_bulk_begin(s, err)) < 0) {
			wms_store_rollback(s);
			goto out;
		}
		t = now_s();
		for (long j = i; j < end; j++)
			if ((rc = ledger_event(s, j, n_dev, err)) < 0) {
				if (batch > 1)
					wms_store_rollback(s);
				goto out;
			}
		if (batch > 1 && (rc = wms_store_commit(s, err)) < 0)
			goto out;
		if (r->lat)
			r->lat[r->n++] = now_s() - t;
	}
	r->seconds = now_s() - t0;
	r->cpu = cpu_s() - r->cpu;
	if (wms_store_event_count(s) != n + 0)
		rc = wms_error_set(err, WMS_EDB, "expected %ld events, found %lld", n,
		                   wms_store_event_count(s));
	sqlite3_exec(wms_store_db(s), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
out:
	wms_store_close(s);
	return rc;
}

/* ---- the baseline: plain prepared INSERTs ---------------------------------- */

/* A plain database at path: table `schema`, then n rows by the prepared `insert`
 * (bind fills row j), batch rows per transaction; the same journal mode,
 * synchronous setting and temp store as the ledger's. */
typedef void bind_row(sqlite3_stmt *ins, long j, const void *ctx);

static int plain_run(const char *path, const char *schema, const char *insert, long n, long batch,
                     bind_row *bind, const void *ctx, struct run *r, struct wms_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	double t0, t;
	int rc = 0;

	remove_db(path);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, temp_mem ? "PRAGMA temp_store = MEMORY" : "PRAGMA temp_store = DEFAULT",
	                 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL", NULL, NULL, NULL)
	    != SQLITE_OK || sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, insert, -1, &ins, NULL) != SQLITE_OK) {
		rc = wms_error_set(err, WMS_EDB, "baseline %s: %s", path, sqlite3_errmsg(db));
		goto out;
	}
	r->n = 0;
	t0 = now_s();
	r->cpu = cpu_s();
	for (long i = 0; i < n; i += batch) {
		long end = i + batch < n ? i + batch : n;
		t = now_s();
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		for (long j = i; j < end; j++) {
			bind(ins, j, ctx);
			if (sqlite3_step(ins) != SQLITE_DONE) {
				rc = wms_error_set(err, WMS_EDB, "baseline insert: %s", sqlite3_errmsg(db));
				goto out;
			}
			sqlite3_reset(ins);
		}
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			rc = wms_error_set(err, WMS_EDB, "baseline commit: %s", sqlite3_errmsg(db));
			goto out;
		}
		if (r->lat)
			r->lat[r->n++] = now_s() - t;
	}
	r->seconds = now_s() - t0;
	r->cpu = cpu_s() - r->cpu;
	sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
out:
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return rc;
}

/* Narrow row j of n: the time, type and device of the ledger run's event j. */
static void bind_narrow(sqlite3_stmt *ins, long j, const void *ctx)
{
	long n = *(const long *)ctx;

	sqlite3_bind_int64(ins, 1, T0 + j);
	sqlite3_bind_text(ins, 2, wms_event_name(cycle[j / ((n + 19) / 20) % 20]), -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 3, j % ((n + 19) / 20));
	sqlite3_bind_null(ins, 4);
}

static int base_run(const char *path, long n, long batch, struct run *r, struct wms_error *err)
{
	return plain_run(path, "CREATE TABLE ev(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL,"
	                 " type TEXT NOT NULL, device_id INTEGER, payload TEXT)",
	                 "INSERT INTO ev(ts, type, device_id, payload) VALUES (?1, ?2, ?3, ?4)",
	                 n, batch, bind_narrow, &n, r, err);
}

/* ---- the same-rows baseline: the ledger's own event rows, plain -------------- */

#define EV_COLS 12

struct ev_rows {
	long n;
	sqlite3_int64 *num;        /* n * EV_COLS: integers (a text's or blob's offset in text) */
	signed char *type;         /* n * EV_COLS: SQLITE_INTEGER, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL */
	int *len;                  /* n * EV_COLS: a text's or blob's length */
	char *text;
	size_t used, cap;
};

static void ev_rows_free(struct ev_rows *r)
{
	free(r->num);
	free(r->type);
	free(r->len);
	free(r->text);
	memset(r, 0, sizeof *r);
}

/* Every row of the events table of the database at path, in id order, into memory. */
static int ev_rows_load(const char *path, long n, struct ev_rows *r, struct wms_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long i = 0;
	int rc = 0;

	r->num = calloc((size_t)n * EV_COLS, sizeof *r->num);
	r->type = calloc((size_t)n * EV_COLS, sizeof *r->type);
	r->len = calloc((size_t)n * EV_COLS, sizeof *r->len);
	if (r->num == NULL || r->type == NULL || r->len == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory for the same-rows baseline");
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id, ts, type, device_id, order_id, from_state, to_state,"
	                       " location_id, station, actor, payload, hash FROM events ORDER BY id",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = wms_error_set(err, WMS_EDB, "reading the ledger's events from %s: %s", path,
		                   sqlite3_errmsg(db));
		goto out;
	}
	while (rc == 0 && i < n && sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < EV_COLS; c++) {
			size_t k = (size_t)i * EV_COLS + (size_t)c;
			int t = sqlite3_column_type(st, c);
			r->type[k] = (signed char)t;
			if (t == SQLITE_INTEGER) {
				r->num[k] = sqlite3_column_int64(st, c);
			} else if (t == SQLITE_TEXT || t == SQLITE_BLOB) {
				const void *v = t == SQLITE_TEXT ? (const void *)sqlite3_column_text(st, c)
				                                 : sqlite3_column_blob(st, c);
				int len = sqlite3_column_bytes(st, c);
				if (r->used + (size_t)len + 1 > r->cap) {
					size_t cap = r->cap ? r->cap * 2 : 1 << 20;
					char *p;
					while (cap < r->used + (size_t)len + 1)
						cap *= 2;
					if ((p = realloc(r->text, cap)) == NULL) {
						rc = wms_error_set(err, WMS_ENOMEM, "out of memory for the same-rows baseline");
						break;
					}
					r->text = p;
					r->cap = cap;
				}
				if (len > 0)
					memcpy(r->text + r->used, v, (size_t)len);
				r->text[r->used + (size_t)len] = '\0';
				r->num[k] = (sqlite3_int64)r->used;
				r->len[k] = len;
				r->used += (size_t)len + 1;
			}
		}
		i++;
	}
	r->n = i;
	if (rc == 0 && i != n)
		rc = wms_error_set(err, WMS_EDB, "the ledger's database holds %ld events, expected %ld", i, n);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

/* Row j of the ledger's own events, as read. */
static void bind_same(sqlite3_stmt *ins, long j, const void *ctx)
{
	const struct ev_rows *rows = ctx;

	for (int c = 0; c < EV_COLS; c++) {
		size_t k = (size_t)j * EV_COLS + (size_t)c;
		const char *v = rows->text ? rows->text + rows->num[k] : NULL;
		switch (rows->type[k]) {
		case SQLITE_INTEGER:
			sqlite3_bind_int64(ins, c + 1, rows->num[k]);
			break;
		case SQLITE_TEXT:
			sqlite3_bind_text(ins, c + 1, v, rows->len[k], SQLITE_STATIC);
			break;
		case SQLITE_BLOB:
			sqlite3_bind_blob(ins, c + 1, v, rows->len[k], SQLITE_STATIC);
			break;
		default:
			sqlite3_bind_null(ins, c + 1);
		}
	}
}

static int same_rows_run(const char *path, const struct ev_rows *rows, long batch, struct run *r,
                         struct wms_error *err)
{
	return plain_run(path, "CREATE TABLE events(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL,"
	                 " type TEXT NOT NULL, device_id INTEGER, order_id INTEGER, from_state TEXT,"
	                 " to_state TEXT, location_id INTEGER, station TEXT, actor TEXT, payload TEXT,"
	                 " hash BLOB)",
	                 "INSERT INTO events(id, ts, type, device_id, order_id, from_state, to_state,"
	                 " location_id, station, actor, payload, hash)"
	                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	                 rows->n, batch, bind_same, rows, r, err);
}

/* The same-rows baseline of the events the run at ledger_path wrote. */
static int same_rows(const char *ledger_path, const char *path, long n, long batch, struct run *r,
                     long long *size, struct wms_error *err)
{
	struct ev_rows rows = { 0 };
	int rc = ev_rows_load(ledger_path, n, &rows, err);

	if (rc == 0)
		rc = same_rows_run(path, &rows, batch, r, err);
	if (rc == 0)
		*size = file_size(path);
	ev_rows_free(&rows);
	return rc;
}

/* ---- main ------------------------------------------------------------------- */

static long parse_count(const char *opt, const char *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v ? v : "", &end, 10);
	if (errno || end == v || *end || n < 1 || n > 100000000) {
		fprintf(stderr, "ledger_bench: %s needs a count 1..100000000, not \"%s\"\n", opt,
		        v ? v : "");
		return -1;
	}
	return n;
}

static void row(const char *figure, const char *unit, double value, double base, bool higher_better)
{
	double ratio = base > 0 ? value / base : 0;

	printf("%-34s %14.1f %14.1f %8.3f   %s%s\n", figure, value, base, ratio, unit,
	       higher_better ? "" : " (lower is better)");
}

int main(int argc, char **argv)
{
	struct opts o = { 1000000, 5000, 1000, ".", false, false, NULL };
	struct wms_error err = { 0 };
	struct run la = { 0 }, lb = { 0 }, ba = { 0 }, ld = { 0 }, bd = { 0 }, bs = { 0 };
	char dir[512], p_la[600], p_lb[600], p_ba[600], p_ld[600], p_bd[600], p_bs[600];
	long long sz_la, sz_ba, sz_bs = 0;
	int rc = 1;

	wms_store_process_init();   /* as wms and wmsd do, before SQLite's first use */

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--events") == 0 && (o.events = parse_count(a, v)) > 0)
			i++;
		else if (strcmp(a, "--durable") == 0 && (o.durable = parse_count(a, v)) > 0)
			i++;
		else if (strcmp(a, "--batch") == 0 && (o.batch = parse_count(a, v)) > 0)
			i++;
		else if (strcmp(a, "--dir") == 0 && v)
			o.dir = argv[++i];
		else if (strcmp(a, "--keep") == 0)
			o.keep = true;
		else if (strcmp(a, "--temp-store-memory") == 0)
			o.temp_mem = true;
		else if (strcmp(a, "--only") == 0 && v && (strcmp(v, "batched") == 0 || strcmp(v, "bulk") == 0))
			o.only = argv[++i];
		else {
			if (strcmp(a, "--help") && strcmp(a, "-h"))
				fprintf(stderr, "ledger_bench: unknown or incomplete option \"%s\"\n", a);
			fprintf(stderr, "usage: ledger_bench [--events N (1000000)] [--durable N (5000)]"
			        " [--batch N (1000)] [--dir DIR (.)] [--keep] [--temp-store-memory]"
			        " [--only batched|bulk]\n");
			return 2;
		}
		if (o.events < 0 || o.durable < 0 || o.batch < 0)
			return 2;
	}
	if (o.durable > o.events)
		o.durable = o.events;
	temp_mem = o.temp_mem;
	snprintf(dir, sizeof dir, "%s/ledger_bench.XXXXXX", o.dir);
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "ledger_bench: cannot create a directory in %s: %s\n", o.dir, strerror(errno));
		return 1;
	}
	snprintf(p_la, sizeof p_la, "%s/ledger_batched.db", dir);
	snprintf(p_ba, sizeof p_ba, "%s/plain_batched.db", dir);
	snprintf(p_lb, sizeof p_lb, "%s/ledger_bulk.db", dir);
	snprintf(p_ld, sizeof p_ld, "%s/ledger_durable.db", dir);
	snprintf(p_bd, sizeof p_bd, "%s/plain_durable.db", dir);
	snprintf(p_bs, sizeof p_bs, "%s/plain_same_rows.db", dir);
	ld.lat = malloc((size_t)o.durable * sizeof *ld.lat);
	bd.lat = malloc((size_t)o.durable * sizeof *bd.lat);
	if (ld.lat == NULL || bd.lat == NULL) {
		fprintf(stderr, "ledger_bench: out of memory\n");
		goto out;
	}

	printf("ledger_bench: %ld events, %ld per batch; durable run %ld events, one fsync each\n",
	       o.events, o.batch, o.durable);
	printf("databases in %s (figures are only as real as its disk)%s\n\n", dir,
	       o.temp_mem ? "; temp_store = MEMORY" : "");
	fflush(stdout);
	if (o.only) {
		bool bulk = strcmp(o.only, "bulk") == 0;
		if (base_run(p_ba, o.events, o.batch, &ba, &err) < 0 ||
		    ledger_run(bulk ? p_lb : p_la, o.events, o.batch, bulk, bulk ? &lb : &la, &err) < 0 ||
		    same_rows(bulk ? p_lb : p_la, p_bs, o.events, o.batch, &bs, &sz_bs, &err) < 0) {
			fprintf(stderr, "ledger_bench: %s\n", err.msg);
			goto out;
		}
		row(bulk ? "(a') bulk path ingest" : "(a) batched ingest", "events/s",
		    o.events / (bulk ? lb : la).seconds, o.events / ba.seconds, true);
		row(bulk ? "(a') bulk, against the same rows" : "(a) batched, against the same rows",
		    "events/s", o.events / (bulk ? lb : la).seconds, o.events / bs.seconds, true);
		row(bulk ? "(a') bulk, CPU per event" : "(a) batched, CPU per event", "us",
		    (bulk ? lb : la).cpu * 1e6 / o.events, bs.cpu * 1e6 / o.events, false);
		rc = 0;
		goto out;
	}
	if (base_run(p_ba, o.events, o.batch, &ba, &err) < 0 ||
	    ledger_run(p_la, o.events, o.batch, false, &la, &err) < 0 ||
	    ledger_run(p_lb, o.events, o.batch, true, &lb, &err) < 0 ||
	    same_rows(p_lb, p_bs, o.events, o.batch, &bs, &sz_bs, &err) < 0 ||
	    base_run(p_bd, o.durable, 1, &bd, &err) < 0 ||
	    ledger_run(p_ld, o.durable, 1, false, &ld, &err) < 0) {
		fprintf(stderr, "ledger_bench: %s\n", err.msg);
		goto out;
	}
	sz_la = file_size(p_la);
	sz_ba = file_size(p_ba);

	printf("%-34s %14s %14s %8s   %s\n", "figure", "ledger", "plain INSERT", "ratio", "unit");
	printf("%-34s %14s %14s %8s   %s\n", "------", "------", "------------", "-----", "----");
	row("(a) batched ingest", "events/s", o.events / la.seconds, o.events / ba.seconds, true);
	row("(a) batched, time per event", "us", la.seconds * 1e6 / o.events,
	    ba.seconds * 1e6 / o.events, false);
	row("(a) batched, total time", "s", la.seconds, ba.seconds, false);
	row("(a') bulk path ingest", "events/s", o.events / lb.seconds, o.events / ba.seconds, true);
	row("(a') bulk path, time per event", "us", lb.seconds * 1e6 / o.events,
	    ba.seconds * 1e6 / o.events, false);
	row("(a) batched, against the same rows", "events/s", o.events / la.seconds,
	    o.events / bs.seconds, true);
	row("(a') bulk, against the same rows", "events/s", o.events / lb.seconds,
	    o.events / bs.seconds, true);
	row("same rows, time per event", "us", lb.seconds * 1e6 / o.events, bs.seconds * 1e6 / o.events,
	    false);
	row("(a) batched, CPU per event", "us", la.cpu * 1e6 / o.events, bs.cpu * 1e6 / o.events, false);
	row("(a') bulk, CPU per event", "us", lb.cpu * 1e6 / o.events, bs.cpu * 1e6 / o.events, false);
	row("(b) durable commits", "commits/s", o.durable / ld.seconds, o.durable / bd.seconds, true);
	row("(b) durable, commit latency p50", "ms", percentile(ld.lat, ld.n, 50) * 1e3,
	    percentile(bd.lat, bd.n, 50) * 1e3, false);
	row("(b) durable, commit latency p99", "ms", percentile(ld.lat, ld.n, 99) * 1e3,
	    percentile(bd.lat, bd.n, 99) * 1e3, false);
	row("database file after (a)", "MiB", sz_la / 1048576.0, sz_ba / 1048576.0, false);
	row("bytes per event", "B", (double)sz_la / o.events, (double)sz_ba / o.events, false);
	row("bytes per event, same rows", "B", (double)sz_la / o.events, (double)sz_bs / o.events, false);
	bench_figure("ledger ingest, batched", o.events / la.seconds, o.events / ba.seconds, "events/s",
	             "plain INSERT, same batches");
	bench_figure("ledger ingest, bulk path (imports, demo)", o.events / lb.seconds,
	             o.events / ba.seconds, "events/s", "plain INSERT, same batches");
	bench_figure("ledger ingest, batched, against the same event rows", o.events / la.seconds,
	             o.events / bs.seconds, "events/s", "plain INSERT of the ledger's own event rows");
	bench_figure("ledger ingest, bulk path, against the same event rows", o.events / lb.seconds,
	             o.events / bs.seconds, "events/s", "plain INSERT of the ledger's own event rows");
	bench_figure("ledger durable commits", o.durable / ld.seconds, o.durable / bd.seconds, "commits/s",
	             "plain INSERT, one commit each");
	bench_figure("ledger durable commit p99", percentile(ld.lat, ld.n, 99) * 1e3,
	             percentile(bd.lat, bd.n, 99) * 1e3, "ms", "plain INSERT");
	bench_figure("ledger bytes per event", (double)sz_la / o.events, (double)sz_ba / o.events, "B",
	             "plain INSERT");
	printf("\nledger rows per event: events + devices/orders/rentals projections and their indexes;\n"
	       "plain INSERT: one narrow table, no index, no checks; same rows: the bulk run's event rows\n"
	       "(every column, payload and hash) into a table of the same columns, no index, no trigger.\n"
	       "1M events at the (a) rate: %.0f s; at the (b) rate one station could commit %.0f scans\n"
	       "per second.\n", 1e6 / (o.events / la.seconds), o.durable / ld.seconds);
	rc = 0;
out:
	if (!o.keep) {
		remove_db(p_la);
		remove_db(p_lb);
		remove_db(p_ba);
		remove_db(p_ld);
		remove_db(p_bd);
		remove_db(p_bs);
		rmdir(dir);
	}
	free(ld.lat);
	free(bd.lat);
	return rc;
}
