/*
 * print_worker.h - the outbox's worker thread in wmsd (print_worker.c):
 * labels to the printers and bookings with the carriers.
 */
#ifndef WMSD_PRINT_WORKER_H
#define WMSD_PRINT_WORKER_H

#include "courier_config.h"
#include "printq_conf.h"
#include "wms_error.h"

struct print_worker;   /* opaque */

/* Start a thread that drains the outbox to the printers of conf and the
 * carriers of courier (both copied) through its own connection to db.  OUT
 * *out: the worker, or NULL when neither a printer nor a carrier is
 * configured (then no thread runs).  0 or a negative status. */
int  print_worker_start(const struct printq_conf *conf, const struct courier_config *courier,
                        const char *db, struct print_worker **out, struct wms_error *err);
/* Stop and join the thread (at most a CUPS request's timeout); NULL-safe. */
void print_worker_stop(struct print_worker *w);

#endif
