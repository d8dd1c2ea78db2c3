/*
 * print_worker.c - the print queue's worker thread inside wmsd.
 *
 * Submitting to CUPS and following a job block for up to a request's
 * timeout, so they never run in the event loop: one thread runs
 * printq_worker_loop() with its own store connection and its own copy of
 * the printer configuration, and shares nothing else with the loop.  The
 * outbox rows in SQLite are the only channel between the two: a station
 * queues a label in the transaction of its scan; the worker prints it.  A
 * reload stops the thread and starts a new one with the new printers.
 */
#include "print_worker.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "printq_worker.h"

struct print_worker {
	pthread_t thread;
	atomic_int stop;
	struct printq_conf conf;         /* a copy: the daemon's may be freed by a reload */
	char db[4096];
};

static void report(void *ctx, const struct printq_worker_stats *st, const struct wms_error *err)
{
	(void)ctx;
	if (err && err->code)
		wmsd_log_warn("print queue: %s", err->msg);
	else if (st)
		wmsd_log_info("print queue: %d submitted, %d printed, %d retried later, %d failed, "
		              "%d waiting in CUPS", st->submitted, st->printed, st->retried, st->failed,
		              st->waiting);
}

static void *run(void *arg)
{
	struct print_worker *w = arg;
	struct wms_error err = { 0 };

	if (printq_worker_loop(w->db, &w->conf, NULL, 1000, &w->stop, report, w, &err) < 0)
		wmsd_log_err("print queue worker stopped: %s", err.msg);
	return NULL;
}

int print_worker_start(const struct printq_conf *conf, const char *db, struct print_worker **out,
                       struct wms_error *err)
{
	struct print_worker *w;
	int rc;

	*out = NULL;
	if (conf->n_printers == 0)
		return 0;                    /* nothing to print to: no thread */
	if ((w = calloc(1, sizeof *w)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory starting the print queue");
	w->conf = *conf;
	if (strlen(db) >= sizeof w->db) {
		free(w);
		return wms_error_set(err, WMS_EINVAL, "database path too long for the print queue");
	}
	strcpy(w->db, db);
	atomic_init(&w->stop, 0);
	if ((rc = pthread_create(&w->thread, NULL, run, w)) != 0) {
		free(w);
		return wms_error_set(err, WMS_EIO, "cannot start the print queue thread: %s",
		                     strerror(rc));
	}
	wmsd_log_info("print queue: worker started for %d printer(s)", conf->n_printers);
	*out = w;
	return 0;
}

void print_worker_stop(struct print_worker *w)
{
	if (w == NULL)
		return;
	atomic_store(&w->stop, 1);
	pthread_join(w->thread, NULL);       /* the loop checks stop every 100 ms */
	free(w);
}
