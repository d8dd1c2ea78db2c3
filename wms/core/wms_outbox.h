/*
 * wms_outbox.h - the outbox: work that a command decides (a label to print,
 * a carrier booking: courier/courier_booking.h) and a worker delivers
 * afterwards.  A booking's "printed" state means delivered (booked).
 *
 * A row is written by wms_outbox_enqueue() inside the caller's transaction,
 * so a label exists exactly when the ledger event that needs it committed.
 * Workers then take due rows (wms_outbox_claim), hand them to the outside
 * world and record the outcome.  States:
 *
 *   queued -> (claim) -> submitted -> printed          delivered
 *   queued | submitted -> queued (retry with backoff: 5 s, 10 s, ... 5 min)
 *   queued | submitted -> failed                       given up; operator retries
 *   queued | failed -> cancelled                       by the operator
 *
 * A claim does not change the state: it counts the attempt and moves
 * next_attempt_ts one lease ahead, committed before the worker talks to the
 * outside world.  So a second worker never takes the same row at once, and a
 * worker that crashed after handing a job over leaves a row with
 * attempts > 0 that the next claim returns again: the worker must then ask
 * the outside world (CUPS: a job titled wms-outbox-<id>-<nonce>) before
 * submitting a second time.  That is how each job is delivered once.
 *
 * Payloads may carry personal data (a patient's address on a shipping
 * label): wms_outbox_purge_payloads() blanks them once a job is finished.
 * Times are UTC seconds (wms_time); every function takes `now` so that
 * tests and the daemon decide what "now" is.
 *
 * Ownership: payload strings returned in struct wms_outbox_job are malloc'd
 * and freed by wms_outbox_job_clear(); JSON lists are json_decref'd by the
 * caller.
 */
#ifndef WMS_OUTBOX_H
#define WMS_OUTBOX_H

#include <jansson.h>

#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

#define WMS_OUTBOX_BACKOFF_MIN 5         /* seconds before the first retry */
#define WMS_OUTBOX_BACKOFF_MAX 300       /* cap: 5 minutes */
#define WMS_OUTBOX_LEASE 120             /* a claim hides the row this long */
#define WMS_OUTBOX_TARGET_MAX 64
#define WMS_OUTBOX_PAYLOAD_MAX 65536
#define WMS_OUTBOX_BATCH_MAX 63
#define WMS_OUTBOX_HELD 253402300799LL /* next_attempt_ts of a held row: 9999-12-31 */

/* What to enqueue (all IN). */
struct wms_outbox_new {
	const char *kind;          /* "label" (or "booking") */
	const char *target;        /* printer name (carrier name) */
	const char *payload;       /* JSON text, <= WMS_OUTBOX_PAYLOAD_MAX bytes */
	long long event_id;        /* the ledger event that needs it, 0 if none */
	long long reprint_of;      /* the job this one repeats, 0 if none */
	const char *held;          /* NULL: due at once; else held (never claimed) until
	                              wms_outbox_release(), with this reason shown */
};

/* One row as a worker sees it. */
struct wms_outbox_job {
	long long id;
	char kind[16];
	char target[WMS_OUTBOX_TARGET_MAX + 1];
	char state[16];
	char *payload;             /* malloc'd, NULL once purged */
	int attempts;              /* including the claim that returned it */
	long long cups_job_id;     /* 0 if never handed over */
	char nonce[17];            /* random hex, part of the job's name outside */
	char batch[WMS_OUTBOX_BATCH_MAX + 1]; /* title of the batch it was last submitted
	                              in ("" if alone): wms_outbox_set_batch() */
};

/* Free job->payload and zero the struct.  NULL-safe. */
void wms_outbox_job_clear(struct wms_outbox_job *job);

/*
 * Add a queued row, due at once, in the caller's transaction (or as its own
 * statement when none is open).  *id (OUT, may be NULL) gets the new id.
 * WMS_EINVAL for a bad kind, an empty or too long target, or a payload that
 * is not a JSON object.
 */
int wms_outbox_enqueue(struct wms_store *s, const struct wms_outbox_new *job, wms_time now,
                       long long *id, struct wms_error *err);

/*
 * Take the oldest due queued row of `kind` (NULL: any), count the attempt
 * and hide it for WMS_OUTBOX_LEASE seconds; committed before returning.
 * Returns 1 with *job filled, 0 when nothing is due, or a negative status.
 */
int wms_outbox_claim(struct wms_store *s, const char *kind, wms_time now,
                     struct wms_outbox_job *job, struct wms_error *err);

/*
 * Submitted rows of `kind` (NULL: any), oldest first, at most max: *n (OUT)
 * entries of jobs (caller's array) are filled; clear each with
 * wms_outbox_job_clear().
 */
int wms_outbox_in_flight(struct wms_store *s, const char *kind, struct wms_outbox_job *jobs,
                         int max, int *n, struct wms_error *err);

/*
 * Record title (IN, <= WMS_OUTBOX_BATCH_MAX bytes) as the batch of the n
 * rows ids (IN), committed before returning: done BEFORE the batch is handed
 * over, so that after a crash the rows' next claim finds the batch by its
 * title (and adopts it) instead of submitting the labels again.
 */
int wms_outbox_set_batch(struct wms_store *s, const long long *ids, int n, const char *title,
                         struct wms_error *err);

/* The outside world took the job: state submitted with its id there. */
int wms_outbox_submitted(struct wms_store *s, long long id, long long cups_job_id,
                         struct wms_error *err);

/* Delivered: state printed, finished at now. */
int wms_outbox_printed(struct wms_store *s, long long id, wms_time now, struct wms_error *err);

/*
 * Not delivered this time: back to queued with the reason, due after the
 * backoff for its attempt count (WMS_OUTBOX_BACKOFF_MIN doubling, capped at
 * WMS_OUTBOX_BACKOFF_MAX); forget_job drops the outside world's job id
 * (that job is dead, the next attempt submits anew).
 */
int wms_outbox_retry_later(struct wms_store *s, long long id, wms_time now, const char *reason,
                           int forget_job, struct wms_error *err);

/*
 * A held row (enqueued with .held) becomes due now, its payload merged with
 * the JSON object text patch (RFC 7396, e.g. {"fields":{"tracking":"..."}}):
 * a shipping label decided when its consignment was made, printable once
 * the carrier gave the tracking number.  In the caller's transaction.
 * WMS_ESTATE when the row is not queued any more (cancelled meanwhile).
 */
int wms_outbox_release(struct wms_store *s, long long id, const char *patch, wms_time now,
                       struct wms_error *err);

/* The backoff after `attempts` attempts, in seconds. */
int wms_outbox_backoff(int attempts);

/* Record what a submitted job is waiting for (e.g. "printer stopped: ..."); NULL clears. */
int wms_outbox_note(struct wms_store *s, long long id, const char *note, struct wms_error *err);

/* Given up (bad payload, job aborted for good): state failed with the reason. */
int wms_outbox_fail(struct wms_store *s, long long id, wms_time now, const char *reason,
                    struct wms_error *err);

/*
 * Operator actions.  retry: a failed or queued row becomes due now (the
 * attempt count stays); cancel: a queued or failed row is cancelled.
 * WMS_ENOTFOUND for an unknown id, WMS_ESTATE (naming the state and what is
 * allowed) otherwise.  retry refuses a held row (WMS_ESTATE, writing
 * nothing): made due it would print without what it waits for; the message
 * names the consignment whose booking to retry instead.
 */
int wms_outbox_retry(struct wms_store *s, long long id, wms_time now, struct wms_error *err);
int wms_outbox_cancel(struct wms_store *s, long long id, wms_time now, struct wms_error *err);

/*
 * A new queued row repeating job id's payload, target (or new_target when
 * not NULL) and event, with reprint_of = id.  WMS_ESTATE if the payload was
 * purged.  *new_id (OUT, may be NULL).
 */
int wms_outbox_reprint(struct wms_store *s, long long id, const char *new_target, wms_time now,
                       long long *new_id, struct wms_error *err);

/*
 * Blank the payloads of finished rows (printed, failed, cancelled) created
 * before before_ts.  *count (OUT, may be NULL) gets the number blanked.
 */
int wms_outbox_purge_payloads(struct wms_store *s, wms_time before_ts, long long *count,
                              struct wms_error *err);

/* One row (with payload) for the operator, or NULL with WMS_ENOTFOUND. */
json_t *wms_outbox_show(struct wms_store *s, long long id, struct wms_error *err);

/*
 * Rows newest first, without payloads; state may be NULL (all) or one of
 * the states, "open" = queued and submitted; limit <= 0 means 100.
 */
json_t *wms_outbox_list(struct wms_store *s, const char *state, int limit, struct wms_error *err);

#endif
