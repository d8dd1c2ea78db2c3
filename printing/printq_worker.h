/*
 * printq_worker.h - the print queue worker: drains label jobs from the
 * outbox (wms_outbox.h) to CUPS and records what became of them.
 *
 * One pass (printq_worker_run_once):
 *  1. every submitted job: ask CUPS for its state; completed -> printed,
 *     aborted -> queued again with backoff, cancelled in CUPS or forgotten by
 *     CUPS -> failed (the operator decides); lost by CUPS (a cupsd restarted
 *     without having saved it: CUPS knows older jobs but none numbered that
 *     high, or the number is now another title's) -> queued again; still
 *     pending -> the reason it waits (queue stopped, server unreachable) is
 *     in last_error;
 *  2. every due queued job (at most max_jobs): claim them all, render each
 *     for its printer ([printer NAME] of the configuration), and submit to a
 *     queue that must be running (PRINTQ_FAIL_IF_STOPPED): the raw (ZPL)
 *     labels of one printer as ONE CUPS job (several ^XA..^XZ in one
 *     document: cupsd's cost is per document) titled
 *     wms-batch-<first id>-<nonce>-<attempt>, that title recorded on every
 *     row (wms_outbox_set_batch) before submitting; a lone label or a
 *     PDF/PNG one alone, titled wms-outbox-<id>-<nonce> (unique even if ids
 *     are reused).  Each row keeps its own state and follows the batch's
 *     job, so an aborted or lost batch puts each label back once.  A stopped,
 *     rejecting, missing or unreachable queue or cupsd leaves the job queued
 *     with the reason and a backoff (5 s doubling to 5 min).  A job that
 *     cannot be rendered (unknown printer, bad template, bad fields) fails.
 * Each job prints once: a job claimed before (attempts > 1: an earlier
 * worker may have crashed or timed out after CUPS took it) is first looked
 * up by its batch's title and its own with IPP Get-Jobs, and a live job
 * found there is adopted (for every row of the batch) instead of submitted
 * again.
 *
 * The calls block on CUPS (each request bounded by timeout_ms), so the
 * worker runs in its own thread or process with its own store connection
 * (printq_worker_loop opens one), never in the daemon's event loop.
 *
 * Ownership: conf and the store are the caller's and must outlive the call;
 * conf is only read.
 */
#ifndef PRINTQ_WORKER_H
#define PRINTQ_WORKER_H

#include <stdatomic.h>

#include "printq_conf.h"
#include "wms_error.h"
#include "wms_store.h"

/* What one pass did (OUT, zeroed by each call). */
struct printq_worker_stats {
	int submitted;       /* labels handed to CUPS in new jobs */
	int documents;       /* new CUPS jobs (a batch of labels is one) */
	int adopted;         /* earlier CUPS jobs found by title and taken over */
	int printed;         /* jobs CUPS reported completed */
	int retried;         /* jobs put back with backoff */
	int failed;          /* jobs given up */
	int waiting;         /* submitted jobs still pending in CUPS */
};

struct printq_worker_opts {
	int timeout_ms;      /* per CUPS request; <= 0: PRINTQ_DEFAULT_TIMEOUT_MS */
	int max_jobs;        /* new jobs per pass; <= 0: 100 */
};

/*
 * One pass over the outbox as described above.  opts may be NULL.  Returns 0
 * (job outcomes are recorded in the outbox, not returned) or a negative
 * status when the store fails.
 */
int printq_worker_run_once(struct wms_store *s, const struct printq_conf *conf,
			   const struct printq_worker_opts *opts,
			   struct printq_worker_stats *stats, struct wms_error *err);

/*
 * Passes until nothing is due or in flight, or wait_ms pass (for `wms label
 * print --wait` and tests).  *stats (OUT) sums the passes.  *open (OUT, may
 * be NULL): jobs still queued or submitted at the end.
 */
int printq_worker_drain(struct wms_store *s, const struct printq_conf *conf,
			const struct printq_worker_opts *opts, int wait_ms,
			struct printq_worker_stats *stats, int *open, struct wms_error *err);

/* Called by the loop after a pass that failed (err) or did something (stats). */
typedef void (*printq_worker_report_fn)(void *ctx, const struct printq_worker_stats *stats,
					const struct wms_error *err);

/*
 * The worker thread's body: open db_path, then a pass every interval_ms
 * (<= 0: 1000) until *stop becomes non-zero (checked every 100 ms); report
 * may be NULL.  Returns 0 when stopped, or a negative status if the store
 * cannot be opened.  A failing pass does not end the loop.
 */
int printq_worker_loop(const char *db_path, const struct printq_conf *conf,
		       const struct printq_worker_opts *opts, int interval_ms,
		       const atomic_int *stop, printq_worker_report_fn report, void *ctx,
		       struct wms_error *err);

#endif
