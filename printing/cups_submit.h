/*
 * cups_submit.h - handing finished label documents to CUPS and following them.
 *
 * A printq connection is one http_t to a CUPS server (the one CUPS_SERVER or
 * client.conf names, or an explicit "host:port" / "/path/to/socket").  Over
 * it the print queue worker submits a document to a named queue (raw ZPL for
 * Zebra-compatible printers, PDF or PNG for queues with a CUPS driver),
 * gets the CUPS job id back, asks for the job's state by IPP
 * Get-Job-Attributes, and lists the queues with their state.
 *
 * Nothing here blocks forever: connecting, every request and every write
 * give up after the connection's timeout (milliseconds, given at connect)
 * with WMS_EIO.  The calls do block for up to that long, so the daemon calls
 * them from its print worker, never from the event loop.
 *
 * Errors name the queue and carry CUPS's own message (cupsLastErrorString):
 *   WMS_ENOTFOUND  the queue does not exist (or the job id is unknown)
 *   WMS_ESTATE     the queue is not accepting jobs (cupsreject), or it is
 *                  stopped (cupsdisable) and PRINTQ_FAIL_IF_STOPPED was given
 *   WMS_EIO        the server is unreachable, timed out, or refused the job
 *   WMS_EINVAL     bad arguments (empty queue name, bad "host:port", no data)
 *   WMS_ENOMEM
 * A job submitted to a stopped queue is NOT an error by default: CUPS keeps
 * it pending and prints it when the queue is enabled again, which is what the
 * outbox wants (decided once, delivered later).
 *
 * Ownership: printq_connect() returns a connection the caller closes with
 * printq_close() (NULL-safe).  A connection is not thread-safe: one per
 * worker thread.  printq_list_printers() returns an array the caller frees
 * with free().  On failure every OUT pointer is NULL / zero.
 */
#ifndef CUPS_SUBMIT_H
#define CUPS_SUBMIT_H

#include <stddef.h>

#include "wms_error.h"

struct printq_conn;   /* opaque: one http_t and its timeout */

/* Document formats the queues take. */
enum printq_format {
	PRINTQ_RAW,        /* printer language as is (ZPL), CUPS_FORMAT_RAW */
	PRINTQ_PDF,        /* application/pdf, through the queue's driver */
	PRINTQ_PNG,        /* image/png, through the queue's driver */
};

/* Job states: the IPP job-state values (RFC 8011 5.3.7). */
enum printq_job_state {
	PRINTQ_JOB_PENDING    = 3,
	PRINTQ_JOB_HELD       = 4,
	PRINTQ_JOB_PROCESSING = 5,
	PRINTQ_JOB_STOPPED    = 6,
	PRINTQ_JOB_CANCELED   = 7,
	PRINTQ_JOB_ABORTED    = 8,
	PRINTQ_JOB_COMPLETED  = 9,
};

/* Printer (queue) states: the IPP printer-state values. */
enum printq_printer_state {
	PRINTQ_PRINTER_IDLE       = 3,
	PRINTQ_PRINTER_PROCESSING = 4,
	PRINTQ_PRINTER_STOPPED    = 5,
};

/* Submission flags. */
#define PRINTQ_FAIL_IF_STOPPED 0x1u   /* refuse (WMS_ESTATE) instead of queueing */

/* Default timeout for printq_connect() when timeout_ms <= 0. */
#define PRINTQ_DEFAULT_TIMEOUT_MS 10000

/* "pending", "held", ..., "completed"; "unknown" for other values. */
const char *printq_job_state_name(enum printq_job_state s);

/* "idle", "processing", "stopped"; "unknown" for other values. */
const char *printq_printer_state_name(enum printq_printer_state s);

/* Whether a job in state s is finished (canceled, aborted, completed). */
int printq_job_state_is_final(enum printq_job_state s);

/*
 * Connect to server (IN): "host", "host:port", "[v6addr]:port" or a
 * "/path" of a domain socket; NULL means CUPS's default (CUPS_SERVER,
 * client.conf, else localhost:631).  timeout_ms (IN) bounds the connect and
 * every later request on the connection.  *out (OUT): the connection.
 * Errors: WMS_EINVAL, WMS_EIO (unreachable: message names host:port).
 */
int printq_connect(const char *server, int timeout_ms, struct printq_conn **out,
		   struct wms_error *err);

/* NULL-safe. */
void printq_close(struct printq_conn *c);

/* The "host:port" (or socket path) this connection talks to; owned by c. */
const char *printq_server(const struct printq_conn *c);

/*
 * Submit len bytes of data (IN, len > 0) in format fmt to queue (IN) as one
 * job titled title (IN, may be NULL).  Create-Job + Send-Document; if the
 * document cannot be sent the half-created job is cancelled.  flags: 0 or
 * PRINTQ_FAIL_IF_STOPPED.  *job_id (OUT) is CUPS's job id (> 0), 0 on
 * failure.
 */
int printq_submit(struct printq_conn *c, const char *queue, enum printq_format fmt,
		  const void *data, size_t len, const char *title, unsigned flags,
		  int *job_id, struct wms_error *err);

/* What Get-Job-Attributes says about one job. */
struct printq_job_info {
	enum printq_job_state state;
	char reasons[256];        /* job-state-reasons, comma-separated */
	char queue[128];          /* the queue (job-printer-uri's last part) */
	char title[128];          /* job-name ("" when CUPS hides it: not our job) */
};

/*
 * Ask the server for job job_id's state (*info, OUT; zeroed on failure).
 * WMS_ENOTFOUND if the server does not know the job (CUPS forgets old
 * completed jobs after its PreserveJobHistory time).
 */
int printq_job_query(struct printq_conn *c, int job_id, struct printq_job_info *info,
		     struct wms_error *err);

/*
 * Poll printq_job_query() every 50 ms until the job reaches a final state or
 * wait_ms passes.  Returns 0 with *info holding the last state seen (final
 * or not: the caller compares).  For tests and the CLI's `--wait`, not for
 * the daemon's loop.
 */
int printq_job_wait(struct printq_conn *c, int job_id, int wait_ms,
		    struct printq_job_info *info, struct wms_error *err);

/* One queue as CUPS-Get-Printers reports it. */
struct printq_printer {
	char name[128];
	enum printq_printer_state state;
	int accepting;            /* printer-is-accepting-jobs */
	char message[256];        /* printer-state-message, may be empty */
	char device_uri[256];     /* device-uri, empty if the server hides it */
};

/*
 * All queues of the server: *out (OUT) a malloc'd array of *count (OUT)
 * entries, freed by the caller with free(); *out is NULL when there are
 * none.
 */
int printq_list_printers(struct printq_conn *c, struct printq_printer **out, size_t *count,
			 struct wms_error *err);

/*
 * One queue's state (*p, OUT).  WMS_ENOTFOUND naming the queue if the server
 * has no such queue.
 */
int printq_printer_query(struct printq_conn *c, const char *queue, struct printq_printer *p,
			 struct wms_error *err);

/*
 * Find a job by its title (job-name) on queue (IN): IPP Get-Jobs with
 * which-jobs=all, newest first.  *job_id (OUT) is the newest matching job's
 * id and *info (OUT, may be NULL) its state, or 0 when the server has no
 * such job (returns 0 then too).  Used before re-submitting a job whose
 * earlier submission has an unknown outcome, so that it is adopted instead
 * of printed twice.  CUPS shows job names only to their owner and to admins.
 */
int printq_job_find(struct printq_conn *c, const char *queue, const char *title, int *job_id,
		    struct printq_job_info *info, struct wms_error *err);

/*
 * The highest job id (*job_id, OUT; 0 when none) among all the jobs the
 * server knows on every queue, finished ones included (Get-Jobs which-jobs=
 * all).  CUPS numbers jobs upwards and purges its history oldest first, so
 * a job it does not know with an id above this (while it knows some) was
 * lost (cupsd restarted without having saved it), not purged.
 */
int printq_newest_job(struct printq_conn *c, int *job_id, struct wms_error *err);

#endif
