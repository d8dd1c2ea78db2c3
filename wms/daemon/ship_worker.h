/*
 * ship_worker.h - the thread in wmsd that ships the depot's ledger to the
 * hub (wms/hub/hub.h), beside the print worker, never on the loop.
 *
 *   [central]
 *   conninfo = host=hub.example dbname=wms user=wms   ; libpq; empty: no shipping
 *   batch = 1000                                      ; events per central transaction
 *   timeout = 30                                      ; seconds one exchange with the hub may take
 *   role = depot                                      ; hub: this wmsd serves the region
 *
 * In the hub role the same thread keeps the hub's projections up to date
 * (hub_project, with this wmsd's calendars) and makes a fresh report every
 * second (hub_report), which the HTTP handlers read with central_report():
 * PostgreSQL is never asked from the loop.
 */
#ifndef WMSD_SHIP_WORKER_H
#define WMSD_SHIP_WORKER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "wms_config.h"
#include "wms_error.h"

struct central_conf {
	char conninfo[1024];           /* "" = this depot ships nowhere */
	long batch;
	long timeout;                  /* 0 = HUB_TIMEOUT_S */
	bool hub;                      /* role = hub */
};

/* A key of [central]; 0 or a negative status with err filled. */
int central_conf_key(struct central_conf *c, const char *key, const char *value, struct wms_error *err);

struct ship_worker;   /* opaque */

/* Start the thread (its own store connection to db and its own hub
 * connection): ships until up to date, then every second; after a failure it
 * waits 1 s, 2 s, 4 s ... up to 60 s.  OUT *out NULL when no conninfo. */
int  ship_worker_start(const struct central_conf *conf, const struct wms_config *core, const char *db,
                       struct ship_worker **out, struct wms_error *err);
/* The hub role's latest report (hub_report in hub.h), a copy the caller
 * owns; NULL before the first one.  why gets "" or what went wrong last
 * (the report is then the last good one, or NULL). */
json_t *central_report(char *why, size_t size);

/* Stop and join (a wait for the hub ends within 0.1 s); NULL-safe. */
void ship_worker_stop(struct ship_worker *w);

#endif
