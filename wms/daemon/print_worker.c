/*
 * print_worker.c - the outbox's worker thread inside wmsd: labels to the
 * printers and carrier bookings.
 *
 * Submitting to CUPS and following a job, or booking with a carrier over
 * HTTP, block for up to a request's timeout, so they never run in the event
 * loop: one thread makes a pass of the print queue (printq_worker_run_once)
 * and of the bookings (courier_booking_run_once) every second, with its own
 * store connection and its own copy of the printer and carrier
 * configuration, and shares nothing else with the loop.  The outbox rows in
 * SQLite are the only channel between the two: a station queues a label in
 * the transaction of its scan; the worker prints it.  A reload stops the
 * thread and starts a new one with the new configuration.
 */
#include "print_worker.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "courier_booking.h"
#include "log.h"
#include "printq_worker.h"

#define INTERVAL_MS 1000

struct print_worker {
	pthread_t thread;
	atomic_int stop;
	struct printq_conf conf;         /* copies: the daemon's may be freed by a reload */
	struct courier_config courier;
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

static void report_bookings(const struct courier_booking_stats *st, const struct wms_error *err)
{
	if (err && err->code)
		wmsd_log_warn("bookings: %s", err->msg);
	else if (st->booked || st->retried || st->failed || st->closed)
		wmsd_log_info("bookings: %d booked, %d retried later, %d failed, %d closed", st->booked,
		              st->retried, st->failed, st->closed);
}

static void *run(void *arg)
{
	struct print_worker *w = arg;
	struct wms_store *s = NULL;
	struct wms_error err = { 0 };
	/* the daemon's database, checked as the loop's own store is */
	struct wms_store_opts o = { .no_create = true, .check_identity = true };

	if (wms_store_open(w->db, &o, &s, &err) < 0) {
		wmsd_log_err("outbox worker stopped: %s", err.msg);
		return NULL;
	}
	while (!atomic_load(&w->stop)) {
		struct printq_worker_stats pst;
		struct courier_booking_stats bst;
		struct timespec step = { 0, 100 * 1000000L };
		int rc;

		if (w->conf.n_printers > 0) {
			wms_error_clear(&err);
			rc = printq_worker_run_once(s, &w->conf, NULL, &pst, &err);
			if (rc < 0 || pst.submitted || pst.adopted || pst.printed || pst.retried ||
			    pst.failed)
				report(w, &pst, rc < 0 ? &err : NULL);
		}
		if (w->courier.n_carriers > 0) {
			wms_error_clear(&err);
			rc = courier_booking_run_once(s, &w->courier, 0, &bst, &err);
			report_bookings(&bst, rc < 0 ? &err : NULL);
		}
		for (int waited = 0; waited < INTERVAL_MS && !atomic_load(&w->stop); waited += 100)
			nanosleep(&step, NULL);
	}
	wms_store_close(s);
	return NULL;
}

int print_worker_start(const struct printq_conf *conf, const struct courier_config *courier,
                       const char *db, struct print_worker **out, struct wms_error *err)
{
	struct print_worker *w;
	int rc;

	*out = NULL;
	if (conf->n_printers == 0 && courier->n_carriers == 0)
		return 0;                    /* nothing to print to or book with: no thread */
	if ((w = calloc(1, sizeof *w)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory starting the print queue");
	w->conf = *conf;
	w->courier = *courier;
	for (int i = 0; i < w->courier.n_carriers; i++)
		w->courier.carriers[i].cancel = &w->stop;     /* stop ends a booking in progress */
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
	wmsd_log_info("outbox: worker started for %d printer(s) and %d carrier(s)", conf->n_printers,
	              courier->n_carriers);
	*out = w;
	return 0;
}

void print_worker_stop(struct print_worker *w)
{
	if (w == NULL)
		return;
	atomic_store(&w->stop, 1);
	pthread_join(w->thread, NULL);       /* the loop checks stop every 100 ms, a carrier
	                                        request about every second */
	free(w);
}
