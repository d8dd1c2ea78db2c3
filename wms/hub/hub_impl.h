/*
 * hub_impl.h - what the files of wms/hub share (not an interface): the
 * connection and the one way to talk over it, with a deadline (hub.c).
 */
#ifndef WMS_HUB_IMPL_H
#define WMS_HUB_IMPL_H

#include <libpq-fe.h>
#include <stdatomic.h>

#include "wms_error.h"

struct pg_conn {
	PGconn *pg;
	int timeout_ms;
	const atomic_int *stop;
	char why[120];          /* a deadline or a stop: what libpq cannot say */
};

/* One statement with n text parameters (n == 0: a script), waited for with
 * the connection's deadline; NULL with c->why when it passed (see hub.c). */
PGresult *hub_ask(struct pg_conn *c, const char *sql, int n, const char *const *p);
/* hub_ask for a command: 0, or WMS_EIO with "hub: WHAT: reason" in err. */
int hub_exec(struct pg_conn *c, const char *sql, const char *what, struct wms_error *err);
/* WMS_EIO with "hub: WHAT: reason" in err; clears r (may be NULL). */
int hub_pg_error(struct pg_conn *c, PGresult *r, const char *what, struct wms_error *err);

#endif
