/*
 * scan_batch.c - the scans of one loop turn, from every station at once,
 * through the loop's commit step (turn.h):
 *
 *   1. journal: a scan_journal row per raw scan, committed without its own
 *      fsync before anything interprets the bytes (while another process
 *      holds the write lock, the raw scan goes to the side journal first,
 *      scan_spill.c, and is merged from there);
 *   2. run: per scan a savepoint around the station's commands and its
 *      journalled outcome (a refused scan rolls back only itself, and its
 *      refusal is journalled); one durable commit for the whole turn;
 *   3. done: only then each scanner gets its good or bad signal, and one
 *      log line.
 *
 * What is per turn rather than per scan: each station's header row
 * (station_state) is written once, after the turn's last scan ran; a
 * station's signals (a FIFO's ack lines) go out in one write after every
 * scan of the turn was answered; the log lines of the turn in one write
 * (log.h).  Nothing is allocated per scan: scans wait in a fixed pool.
 *
 * One fsync serves every scan of the turn, whatever the number of stations
 * and of scans each has in flight.  Order is kept: scans are handled in the
 * order they were framed.
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
#include "turn.h"
#include "wms_journal.h"

struct pending {
	struct wmsd_station *st;
	unsigned char bytes[SOURCE_SCAN_MAX];
	size_t len;
	long long mono_ms;
	char fault[128];
	bool faulty;
	enum gs1_separators gs;          /* the source's gs= (scan_source.h) */
	char gs_substitute;
	long long spill_seq;             /* > 0: kept in the side journal */
	long long id;                    /* scan_journal id */
	int rc;                          /* outcome: 0 or a negative status */
	struct station_out out;
	struct wms_error err;
};

static struct turn *turn;
static struct pending pool[TURN_MAX_JOBS];
static int free_slots[TURN_MAX_JOBS], n_free = -1;
static long scans_total;
static struct scan_result *scratch;  /* 1 KB text copy and GS1 elements: off the stack */

long wmsd_scans_total(void)
{
	return scans_total;
}

static void run_end(struct wms_store *s, void *ctx)
{
	(void)s;
	(void)ctx;
	stations_record_states();
}

static void answered(void *ctx)
{
	(void)ctx;
	stations_flush_signals();
}

void wmsd_scans_init(struct turn *t)
{
	static const struct turn_hooks hooks = {
		.before = scan_spill_merge, .committed = scan_spill_clear,
		.run_end = run_end, .answered = answered };

	turn = t;
	turn_set_hooks(t, &hooks);
	n_free = 0;
	for (int i = TURN_MAX_JOBS - 1; i >= 0; i--)
		free_slots[n_free++] = i;
}

static void spill(void *ctx)
{
	struct pending *p = ctx;

	p->spill_seq = scan_spill_append(p->st->conf.name, p->bytes, p->len);
}

/* Phase 1: the raw scan in the journal (merged from the side journal when
 * it was kept there). */
static int journal(struct wms_store *store, void *ctx, struct wms_error *err)
{
	struct pending *p = ctx;

	if (p->spill_seq > 0 && (p->id = scan_spill_id(p->spill_seq)) > 0)
		return 0;
	return wms_journal_add(store, p->st->conf.name, p->bytes, p->len, &p->id, err);
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
static int run(struct wms_store *store, void *ctx, struct wms_error *err)
{
	struct pending *p = ctx;
	struct scan s = { .station = p->st->conf.name, .bytes = p->bytes, .len = p->len,
	                  .mono_ms = p->mono_ms, .fault = p->faulty ? p->fault : NULL,
	                  .gs = p->gs, .gs_substitute = p->gs_substitute };
	struct wms_error jerr = { 0 };
	struct wmsd_lang_saved lang = wmsd_lang_enter(p->st->conf.language);

	if (scratch == NULL && (scratch = malloc(sizeof *scratch)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	if ((p->rc = wms_store_cmd_begin(store, &p->err)) == 0) {
		p->rc = station_process(p->st, &s, scratch, &p->out, &p->err);
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
	p->st->state_dirty = true;       /* recorded once per turn: run_end */
	return 0;
}

/* The database took nothing of this scan (why: err): the operator scans
 * again.  Storage that refuses writes, a file deleted or replaced and a
 * database busy too long each get a line of their own on the screen. */
static void not_recorded(struct pending *p, const struct wms_error *err)
{
	p->rc = WMS_EDB;
	p->out.event_id = 0;
	if (wms_store_lost(p->st->store))
		wms_error_set(&p->err, WMS_EDB, "database file deleted or replaced: scan not recorded; "
		              "wmsd restarts");
	else if (wms_store_error_readonly(err))
		wms_error_set(&p->err, WMS_EDB, "database is read-only: scan not recorded");
	else if (strncmp(err->msg, "database busy", 13) == 0)
		wms_error_set(&p->err, WMS_EDB, "database busy (another program writes): scan not "
		              "recorded, scan again");
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

/* The answer: rc 0 = the outcome is durable. */
static void done(void *ctx, int rc, bool journalled, const struct wms_error *err)
{
	struct pending *p = ctx;

	if (rc < 0) {
		if (!journalled)
			p->id = 0;               /* its journal row was rolled back (or never written) */
		wmsd_log_err("station %s: scan %s: %s", p->st->conf.name,
		             journalled ? "journalled but not handled" : "not journalled, refused",
		             err->msg);
		not_recorded(p, err);
	}
	report(p);
	free_slots[n_free++] = (int)(p - pool);
}

void scan_batch_add(struct wmsd_station *st, const struct scan *scan)
{
	struct turn_job job = { .journal = journal, .spill = spill, .run = run, .done = done };
	struct wms_error err = { 0 };
	struct pending *p;

	if (n_free == 0) {               /* 4096 scans waiting: the loop waits with them */
		wmsd_log_hold();             /* their log lines in one write, as at a turn's end */
		turn_drain(turn);
		wmsd_log_release();
	}
	p = &pool[free_slots[--n_free]];
	/* field by field: zeroing the whole slot (its 1 KB buffers) costs more
	 * than the scan's own work */
	p->st = st;
	p->mono_ms = scan->mono_ms;
	p->faulty = scan->fault != NULL;
	p->gs = scan->gs;
	p->gs_substitute = scan->gs_substitute;
	p->spill_seq = 0;
	p->id = 0;
	p->rc = 0;
	p->out.line[0] = '\0';
	p->out.event_id = 0;
	p->err.code = 0;
	p->err.msg[0] = '\0';
	p->len = scan->len < sizeof p->bytes ? scan->len : sizeof p->bytes;
	memcpy(p->bytes, scan->bytes, p->len);
	if (scan->fault)
		snprintf(p->fault, sizeof p->fault, "%s", scan->fault);
	else
		p->fault[0] = '\0';
	scans_total++;
	job.ctx = p;
	if (turn_submit(turn, &job, &err) < 0) {     /* cannot happen: a slot was free */
		not_recorded(p, &err);
		report(p);
		stations_flush_signals();
		free_slots[n_free++] = (int)(p - pool);
	}
}

void wmsd_scans_flush(void)
{
	if (turn == NULL)
		return;
	wmsd_log_hold();                 /* the turn's log lines in one write */
	turn_commit(turn);
	wmsd_log_release();
}

void wmsd_scans_drain(void)
{
	if (turn)
		turn_drain(turn);
}

void wmsd_scans_fini(void)
{
	wmsd_scans_drain();
	turn = NULL;
	free(scratch);
	scratch = NULL;
}
