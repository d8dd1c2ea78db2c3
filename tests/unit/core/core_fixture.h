/*
 * core_fixture.h - a fresh store in a temporary file with a small catalogue,
 * shared by the core's unit tests (header-only, included by one test each).
 */
#ifndef CORE_FIXTURE_H
#define CORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_sql.h"
#include "wms_catalog.h"
#include "wms_rules.h"
#include "wms_ledger.h"
#include "wms_store.h"

struct fixture {
	char path[64];
	struct wms_store *s;
};

static inline void fixture_fail(const char *what, const struct wms_error *err)
{
	fprintf(stderr, "fixture: %s: %s\n", what, err->msg);
	abort();
}

/* Open a fresh store with products BPM and SCALE, two customers, shelves, a
 * buffer store and a pickup point. */
static inline struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct wms_error err = { 0 };
	struct wms_product bpm = { "BPM", "Digital blodtrycksmätare", "Digital blood-pressure monitor", "HoS", false };
	struct wms_product scale = { "SCALE", "Digital våg", "Digital scale", "HoS", false };
	int fd;

	snprintf(f->path, sizeof f->path, "/tmp/wms-test-XXXXXX");
	fd = mkstemp(f->path);
	close(fd);
	unlink(f->path);
	if (wms_store_open(f->path, NULL, &f->s, &err) < 0)
		fixture_fail("open", &err);
	if (wms_product_add(f->s, &bpm, &err) || wms_product_add(f->s, &scale, &err) ||
	    wms_product_add_gtin(f->s, "BPM", "09506000134352", &err) ||
	    wms_customer_add(f->s, "VC-MOLNDAL", "Vårdcentralen Mölndal", "region", "K100", &err) ||
	    wms_customer_add(f->s, "BORAS", "Borås stad", "municipality", NULL, &err) ||
	    wms_location_add(f->s, "A-01-01", "Hylla A1", "shelf", "ML", NULL, &err) ||
	    wms_location_add(f->s, "A-01-02", "Hylla A2", "shelf", "ML", NULL, &err) ||
	    wms_location_add(f->s, "BUF-BORAS", "Buffertförråd Borås", "buffer", NULL, "BORAS", &err) ||
	    wms_location_add(f->s, "PP-ICA-1", "ICA Nära Lindome postombud", "pickup_point", NULL, NULL, &err))
		fixture_fail("catalogue", &err);
	return f;
}

static inline void fixture_free(struct fixture *f)
{
	char wal[80];

	wms_store_close(f->s);
	unlink(f->path);
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", f->path);
	unlink(wal);
	free(f);
}

/* Apply a command; a test acts for the installation (WMS_ROLE_TRUSTED) unless it names a role. */
static inline int fixture_apply(struct fixture *f, struct wms_cmd c, struct wms_error *err)
{
	if (c.role == 0)
		c.role = WMS_ROLE_TRUSTED;
	return wms_ledger_apply(f->s, &c, NULL, err);
}

/* The reconditioning records the gate asks for (ledger_records.c), as the
 * reconditioning room makes them: a one-step checklist snapshot of product
 * (its id, for recon_start's checklist_id), and a result of that step for the
 * device's open run. */
static inline long long fixture_checklist(struct fixture *f, const char *product)
{
	char sql[256];
	sqlite3_stmt *st = NULL;
	long long id = -1;

	snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO recon_checklists(product_id, version, hash, body, steps)"
	         " SELECT id, 1, 'fixture', 'CLEAN', 1 FROM products WHERE code = '%s'", product);
	sqlite3_exec(wms_store_db(f->s), sql, NULL, NULL, NULL);
	snprintf(sql, sizeof sql, "SELECT c.id FROM recon_checklists c JOIN products p ON p.id = c.product_id"
	         " WHERE p.code = '%s' AND c.hash = 'fixture'", product);
	if (sqlite3_prepare_v2(wms_store_db(f->s), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static inline int fixture_step(struct fixture *f, const char *serial, const char *result)
{
	char sql[320];

	snprintf(sql, sizeof sql, "INSERT INTO recon_results(run_id, step, result, detail, ts, technician)"
	         " SELECT r.id, 'CLEAN', '%s', 'fixture', 0, 'tek' FROM recon_runs r JOIN devices d"
	         " ON d.id = r.device_id WHERE d.serial = '%s' AND r.outcome IS NULL", result, serial);
	return sqlite3_exec(wms_store_db(f->s), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* The instant of a wms_time_parse text (aborts on a bad one: a test's own typo). */
static inline wms_time fixture_at(const char *text)
{
	wms_time t = 0;
	struct wms_error err = { 0 };

	if (wms_time_parse(text, &t, &err) < 0)
		fixture_fail("time", &err);
	return t;
}

/* Apply a command built from designated initialisers; returns the status. */
#define APPLY(f, err, ...) fixture_apply((f), (struct wms_cmd){ __VA_ARGS__ }, (err))

static inline long long fixture_count(struct fixture *f, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;

	if (sqlite3_prepare_v2(wms_store_db(f->s), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

#endif
