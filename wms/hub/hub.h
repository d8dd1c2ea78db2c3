/*
 * hub.h - central reporting on PostgreSQL (issue 18, phase 2): the hub's
 * schema and a depot's shipping step.
 *
 * A depot ships its ledger to the hub in commit order, in batches, each in
 * one central transaction: the events after the hub's cursor for (depot,
 * epoch) are inserted keyed by (depot, epoch, seq) with ON CONFLICT DO
 * NOTHING and the cursor is advanced in the same transaction, so a crash
 * anywhere (before the central commit, between it and any local record)
 * ships nothing twice and loses nothing: the next step starts from the
 * hub's own cursor.  A key that is already there with other content (a
 * depot restored from a backup without a new epoch) is refused and listed
 * in hub_conflicts for a person, nothing overwritten; a serial received at
 * two depots is listed there too.  hub_events refuses UPDATE and DELETE.
 *
 * Blocking (network): never call from wmsd's loop.  One connection is used
 * by one thread at a time.
 */
#ifndef WMS_HUB_H
#define WMS_HUB_H

#include <jansson.h>
#include <stdatomic.h>

#include "wms_error.h"
#include "wms_store.h"

struct pg_conn;

#define HUB_TIMEOUT_S 30

/* How long one exchange with the hub may take, and a flag that ends any
 * wait within 0.1 s (a daemon stopping); NULL: HUB_TIMEOUT_S, no flag. */
struct hub_link {
	int timeout_s;                 /* <= 0: HUB_TIMEOUT_S */
	const atomic_int *stop;        /* may be NULL */
};

/* Connect to conninfo (libpq syntax; TCP keepalives on unless it says
 * otherwise) and create the hub's tables when missing.  Every exchange,
 * the connection's included, ends within link's timeout (WMS_EIO: "no
 * answer from the hub within N s"), so a hanging link blocks no thread
 * for long; after such a failure close the connection.  OUT *out (NULL on
 * failure), closed with hub_close(). */
int  hub_open(const char *conninfo, const struct hub_link *link, struct pg_conn **out,
              struct wms_error *err);
void hub_close(struct pg_conn *c);                      /* NULL-safe */

/*
 * Ship at most batch events of store's ledger (identified by depot and
 * epoch) after the hub's cursor, in one central transaction.  *shipped
 * (may be NULL) gets how many were sent (already stored ones count, they
 * are not stored twice); 0 when the hub is up to date.  *upto (may be
 * NULL): the last sequence the hub holds after a batch that shipped (0 otherwise).
 * A new epoch of a depot that has older ones is listed in hub_conflicts
 * (kind new_epoch): the older epoch's events after the restored point are
 * not in the new one.  A conflicting key:
 * WMS_ESTATE with the conflict recorded (alarm).  WMS_EIO for a link or
 * server failure (retry with backoff).
 */
int hub_ship(struct pg_conn *c, struct wms_store *store, const char *depot, const char *epoch,
             int batch, long *shipped, long long *upto, struct wms_error *err);

/*
 * Per depot and epoch, how far the hub has it: [{depot, epoch, seq (last
 * event stored), last_event (its time, UTC seconds), shipped_at (when the
 * cursor last moved, UTC seconds), age_s (now - shipped_at)}], depot order.
 * How far behind a depot is: its own ledger's count minus seq.  Caller owns it.
 */
json_t *hub_status(struct pg_conn *c, struct wms_error *err);

#endif
