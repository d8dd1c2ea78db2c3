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
#define APPLY(f, err, ...) \
	wms_ledger_apply((f)->s, &(struct wms_cmd){ __VA_ARGS__ }, NULL, (err))

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
