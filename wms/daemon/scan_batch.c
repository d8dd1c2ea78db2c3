/*
 * scan_batch.c - group commit of the scans that arrived in one turn of the
 * event loop, from every station at once.
 *
 *   1. one transaction: a scan_journal row per raw scan -> commit (durable
 *      before anything interprets the bytes);
 *   2. one transaction: per scan a savepoint around the station's commands
 *      and its journalled outcome (a refused scan rolls back only itself,
 *      and its refusal is journalled) -> commit;
 *   3. only then each scanner gets its good or bad signal, and one log line.
 *
 * With one scan waiting this is the same two durable commits as handling it
 * alone; with many stations busy, two fsyncs serve them all, which is what
 * keeps the scan-to-acknowledge time flat at peak hours.  Order is kept:
 * scans are handled in the order they were framed.
 *
 * Each scan is handled in its station's language (wmsd_lang_enter), and the
 * station's header (mode, user, what waits) is recorded with its outcome
 * (station_state, read by `wms station` and the web screen).
 *
 * The log line names the station, a serial number or location code and the
 * outcome; never the raw bytes of a scan that was not understood (a scan of
 * a paper could carry a personnummer): those stay in the journal table.
 */
#include "station_impl.h"

#include "dash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "wms_journal.h"

#define BATCH_MAX 64

struct pending {
	struct wmsd_station *st;
	unsigned char bytes[SOURCE_SCAN_MAX];
	size_t len;
	long long mono_ms;
	char fault[128];
	bool faulty;
	long long id;                    /* scan_journal id */
	int rc;                          /* outcome: 0 or a negative status */
	struct station_out out;
	struct wms_error err;
};

static struct pending batch[BATCH_MAX];
static int n_batch;
static long scans_total;

long wmsd_scans_total(void)
{
	return scans_total;
}

void scan_batch_add(struct wmsd_station *st, const struct scan *scan)
{
	struct pending *p;

	if (n_batch == BATCH_MAX)
		wmsd_scans_flush();
	p = &batch[n_batch++];
	p->st = st;
	p->len = scan->len < sizeof p->bytes ? scan->len : sizeof p->bytes;
	memcpy(p->bytes, scan->bytes, p->len);
	p->mono_ms = scan->mono_ms;
	p->faulty = scan->fault != NULL;
	snprintf(p->fault, sizeof p->fault, "%s", scan->fault ? scan->fault : "");
	p->id = 0;
	p->rc = 0;
	p->out = (struct station_out){ 0 };
	p->err = (struct wms_error){ 0 };
	scans_total++;
}

/* Phase 1: every raw scan durable in the journal. */
static int journal_all(struct wms_store *store, struct wms_error *err)
{
	int rc = wms_store_begin(store, err);

	for (int i = 0; rc == 0 && i < n_batch; i++)
		rc = wms_journal_add(store, batch[i].st->conf.name, batch[i].bytes, batch[i].len,
		                     &batch[i].id, err);
	if (rc == 0)
		return wms_store_commit(store, err);
	wms_store_rollback(store);
	return rc;
}

/* Record what the station's header shows now; a failure is logged, the
 * scan stands. */
void station_state_record(struct wmsd_station *st)
{
	char pending[STATION_LINE_MAX];
	struct wms_error err = { 0 };
	struct wmsd_lang_saved lang = wmsd_lang_enter(st->conf.language);

	station_pending(st, pending, sizeof pending);
	if (wms_station_state_put(st->store, &(struct wms_station_state){
	        .station = st->conf.name, .mode = wmsd_mode_name(st->mode),
	        .language = st->conf.language, .actor = st->actor, .pending = pending }, &err) < 0)
		wmsd_log_warn("station %s: header not recorded: %s", st->conf.name, err.msg);
	wmsd_lang_leave(lang);
}

/* Phase 2, one scan: its commands and outcome in a savepoint. */
static void handle_one(struct wms_store *store, struct pending *p, struct scan_result *r)
{
	struct scan s = { .station = p->st->conf.name, .bytes = p->bytes, .len = p->len,
	                  .mono_ms = p->mono_ms, .fault = p->faulty ? p->fault : NULL };
	struct wms_error jerr = { 0 };
	struct wmsd_lang_saved lang = wmsd_lang_enter(p->st->conf.language);

	if ((p->rc = wms_store_cmd_begin(store, &p->err)) == 0) {
		p->rc = station_process(p->st, &s, r, &p->out, &p->err);
		if (p->rc == 0)
			p->rc = wms_journal_result(store, p->id, p->out.line, p->out.event_id, &p->err);
		wms_store_cmd_end(store, p->rc == 0, &jerr);
	}
	if (p->rc < 0) {
		p->out.event_id = 0;
		snprintf(p->out.line, sizeof p->out.line, "refused: %s", p->err.msg);
		if (wms_journal_result(store, p->id, p->out.line, 0, &jerr) < 0)
			wmsd_log_err("station %s: scan #%lld: %s", p->st->conf.name, p->id, jerr.msg);
	}
	wmsd_lang_leave(lang);
	station_state_record(p->st);
}

/* The database took nothing of this scan (why: err): the operator scans
 * again.  Storage that refuses writes gets a line of its own on the screen;
 * the log has the database's full reason once per batch. */
static void not_recorded(struct pending *p, const struct wms_error *err)
{
	p->rc = WMS_EDB;
	p->out.event_id = 0;
	if (wms_store_error_readonly(err))
		wms_error_set(&p->err, WMS_EDB, "database is read-only: scan not recorded");
	else
		wms_error_set(&p->err, WMS_EDB, "database error: scan not recorded");
	snprintf(p->out.line, sizeof p->out.line, "refused: %s", p->err.msg);
}

static void report(struct pending *p)
{
	const char *name = p->st->conf.name;

	dash_station_publish(p->st, p->id, p->out.line, p->rc == 0);   /* the station screens */
	if (p->rc < 0) {
		station_signal(p->st, SCAN_SIGNAL_BAD);
		if (p->id > 0)
			wmsd_log_warn("station %s: refused: %s (scan #%lld)", name, p->err.msg, p->id);
		else
			wmsd_log_warn("station %s: refused: %s", name, p->err.msg);
		return;
	}
	station_signal(p->st, SCAN_SIGNAL_GOOD);
	if (strncmp(p->out.line, "ok: ", 4) == 0)
		wmsd_log_info("station %s: %s", name, p->out.line + 4);
	else
		wmsd_log_info("station %s: %s (scan #%lld)", name, p->out.line, p->id);
}

void wmsd_scans_flush(void)
{
	struct wms_store *store;
	struct scan_result *r = NULL;
	struct wms_error err = { 0 };
	int rc;

	if (n_batch == 0)
		return;
	store = batch[0].st->store;         /* every station shares the daemon's store */
	if ((rc = journal_all(store, &err)) < 0) {
		/* no journal, no command: the operators must scan again */
		wmsd_log_err("%d scan(s) not journalled, refused: %s", n_batch, err.msg);
		for (int i = 0; i < n_batch; i++) {
			batch[i].id = 0;
			not_recorded(&batch[i], &err);
			report(&batch[i]);
		}
		n_batch = 0;
		return;
	}
	/* a scan_result holds a 1 KB text copy and the GS1 elements: keep it off the stack */
	if ((r = malloc(sizeof *r)) == NULL)
		rc = wms_error_set(&err, WMS_ENOMEM, "out of memory");
	else if ((rc = wms_store_begin(store, &err)) == 0) {
		for (int i = 0; i < n_batch; i++)
			handle_one(store, &batch[i], r);
		rc = wms_store_commit(store, &err);
	}
	if (rc < 0) {
		/* nothing of phase 2 holds: the journal rows stay without an outcome */
		wmsd_log_err("%d scan(s) journalled but not handled: %s", n_batch, err.msg);
		for (int i = 0; i < n_batch; i++)
			not_recorded(&batch[i], &err);
	}
	for (int i = 0; i < n_batch; i++)
		report(&batch[i]);
	n_batch = 0;
	free(r);
}
