/*
 * turn.h - the loop's commit step: one durable commit per turn of the event
 * loop for everything that must be durable before it is answered.
 *
 * A door (a scanner station, an HTTP write) submits a job during a turn;
 * at the end of the turn (loop.h's end-of-turn hook calls turn_commit()):
 *
 *   phase 1  the jobs' journal callbacks (a scan's raw bytes) in one
 *            transaction, committed WITHOUT an fsync of its own: the raw
 *            input is in the WAL before anything interprets it, so a crash
 *            of wmsd in phase 2 keeps it;
 *   phase 2  the jobs' run callbacks in one transaction, in submission
 *            order -> ONE durable commit (its fsync makes phase 1 durable
 *            too);
 *   answer   each job's done callback, in submission order, with 0 when
 *            its work is durable, else why nothing of it holds.
 *
 * So a job is answered only after its commit, and one fsync serves every
 * job of the turn.  Power lost between the two phases can lose only phase-1
 * rows of jobs that were not answered yet.
 *
 * A job may say that its client is one of several that send their next
 * request as soon as they are answered (linger: an HTTP write).  Then a
 * turn whose commit answered k such jobs waits, before its next commit,
 * until k such jobs are there again or a while has passed (at most the
 * time a commit takes, never more than TURN_HOLD_MAX_US); meanwhile the
 * loop goes on reading.  So the clients answered together are committed
 * together again, rather than each one's request alone while the others'
 * are still on their way (one fsync for all of them, not one each).  Jobs
 * that do not linger (scans) never wait for anything but the hold that is
 * running already.
 *
 * Another process holding the database's write lock (a `wms db rebuild`
 * slice, an import) never blocks the loop: the turn keeps its jobs, retries
 * every TURN_RETRY_MS, calls each job's spill callback once (a scan keeps
 * its raw bytes in the side journal, scan_spill.c) and answers a job that
 * waited longer than wait_ms with WMS_EDB ("database busy").
 *
 * Usage (an HTTP write, say):
 *
 *   static int run(struct wms_store *s, void *ctx, struct wms_error *err)
 *   {   // inside the turn's transaction: wrap the work in
 *       // wms_store_cmd_begin()/cmd_end() (a savepoint) so that a refused
 *       // request rolls back only itself; record the refusal in ctx and
 *       // return 0; a negative return answers the job with it
 *   }
 *   static void done(void *ctx, int rc, bool journalled, const struct wms_error *err)
 *   {   // rc 0: durable -> reply now; else reply 503/500 with err->msg
 *   }
 *   struct turn_job job = { .run = run, .done = done, .ctx = req };
 *   if (turn_submit(turn, &job, &err) < 0) ...   // WMS_ENOMEM: queue full
 *
 * ctx is borrowed until done has been called.  Everything runs on the
 * loop's thread.
 */
#ifndef WMSD_TURN_H
#define WMSD_TURN_H

#include <stdbool.h>

#include "loop.h"
#include "wms_error.h"
#include "wms_store.h"

#define TURN_MAX_JOBS 4096
#define TURN_RETRY_MS 2
#define TURN_HOLD_MAX_US 2000

struct turn;   /* opaque */

struct turn_job {
	/* phase 1, may be NULL: write the raw input.  Negative: the job is
	 * answered with it at once (nothing of it holds). */
	int  (*journal)(struct wms_store *s, void *ctx, struct wms_error *err);
	/* may be NULL: the write lock is taken by another process; called at
	 * most once, before journal, to keep the raw input elsewhere. */
	void (*spill)(void *ctx);
	/* phase 2, may be NULL: the work, inside the turn's transaction. */
	int  (*run)(struct wms_store *s, void *ctx, struct wms_error *err);
	/* the answer: rc 0 = durable (run returned 0 and the commit held);
	 * else run's status or why the commit failed (err says).  journalled:
	 * phase 1 held (what journal wrote is in the database). */
	void (*done)(void *ctx, int rc, bool journalled, const struct wms_error *err);
	void *ctx;
	/* its client sends again when answered: the next commit may wait for it (see above) */
	bool linger;
};

/* Hooks around the jobs (each may be NULL):
 *   before     inside phase 1's transaction ahead of every job's journal
 *              (the side journal's merge); negative: phase 1 fails;
 *   committed  after phase 1's commit (the side journal emptied);
 *   run_end    inside phase 2's transaction after every job's run, before
 *              the commit (what one turn's jobs changed, written once: the
 *              stations' headers); a failure is the hook's to log;
 *   answered   after a commit attempt answered jobs (the stations' signals
 *              of the turn go out together). */
struct turn_hooks {
	int  (*before)(struct wms_store *s, void *ctx, struct wms_error *err);
	void (*committed)(void *ctx);
	void (*run_end)(struct wms_store *s, void *ctx);
	void (*answered)(void *ctx);
	void *ctx;
};

/* OUT *out (NULL on failure); store and loop are borrowed.  wait_ms: how
 * long a job may wait for another process's write lock. */
int  turn_new(struct wms_store *store, struct loop *loop, long wait_ms, struct turn **out,
              struct wms_error *err);
/* Answers what is still queued (turn_drain) and frees.  NULL-safe. */
void turn_free(struct turn *t);
void turn_set_hooks(struct turn *t, const struct turn_hooks *hooks);

/* Queue a job for this turn's commit.  WMS_ENOMEM when TURN_MAX_JOBS wait. */
int  turn_submit(struct turn *t, const struct turn_job *job, struct wms_error *err);
/* The end of a turn: commit what is queued, or keep it waiting. */
void turn_commit(struct turn *t);
/* Commit until nothing is queued (waiting for the lock up to wait_ms; the
 * rest is answered "database busy").  Blocks: for shutdown and reload. */
void turn_drain(struct turn *t);
int  turn_pending(const struct turn *t);
/* Durable commits so far (for benches and STATUS=). */
long turn_commits(const struct turn *t);
/* Jobs answered after a durable commit so far (jobs per commit = this / turn_commits). */
long turn_jobs_committed(const struct turn *t);

#endif
