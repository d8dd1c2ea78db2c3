/*
 * wms_journal.h - the scan journal: every raw scan a station received,
 * written durably before anything interprets it, then its outcome.  An
 * operational log beside the ledger (a refused or crashing scan can always be
 * found again); wms_query.h lists it.
 */
#ifndef WMS_JOURNAL_H
#define WMS_JOURNAL_H

#include <stddef.h>

#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

/* Append one raw scan (len bytes, any content) of station; OUT *id (0 on
 * failure).  Runs in the caller's transaction, or as its own. */
int wms_journal_add(struct wms_store *s, const char *station, const void *bytes, size_t len,
                    long long *id, struct wms_error *err);

/* The same, received at ts (a scan kept in wmsd's side journal meanwhile). */
int wms_journal_add_at(struct wms_store *s, wms_time ts, const char *station, const void *bytes,
                       size_t len, long long *id, struct wms_error *err);
/* 1 when one of the last 10,000 rows is this very scan, 0 when none, or
 * WMS_EDB (a side journal merged again after a crash). */
int wms_journal_has(struct wms_store *s, wms_time ts, const char *station, const void *bytes,
                    size_t len, struct wms_error *err);

/* Record the outcome of scan id: result text, the ledger event (0: none). */
int wms_journal_result(struct wms_store *s, long long id, const char *result, long long event_id,
                       struct wms_error *err);

/* What a station shows in its header (all IN; NULL or "" actor/pending =
 * nobody / nothing waiting).  pending is already in the station's language. */
struct wms_station_state {
	const char *station;
	const char *mode;             /* "receipt", ... */
	const char *language;         /* "sv" | "en" */
	const char *actor;            /* the signed-in user */
	const char *pending;          /* "SN-1 waits for its shelf (LOC:)" */
};

/* Record a station's header (replacing the last), in the caller's
 * transaction or as its own.  wms_query.h's wms_station_state() reads it. */
int wms_station_state_put(struct wms_store *s, const struct wms_station_state *st,
                          struct wms_error *err);

#endif
