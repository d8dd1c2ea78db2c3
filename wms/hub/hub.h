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
#include "wms_leadtime.h"
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
 * Per depot and epoch, how far the hub has it: [{depot, epoch, current (the
 * depot's latest epoch), seq (last event stored), head (the depot's own last
 * sequence at its last contact), backlog (head - seq), last_event (time of
 * event seq, UTC seconds), shipped_at (when seq last moved), contact_at (the
 * depot's last shipment, even of nothing), age_s (now - contact_at)}], depot
 * order.  A cut link shows as a growing age_s.  Caller owns it.
 */
json_t *hub_status(struct pg_conn *c, struct wms_error *err);

/*
 * Bring the projections up to date: for each depot's current epoch, the
 * devices (state, place, product after their last event; a void undoes its
 * event; in transfer between depots), the
 * orders (created, delivered, cancelled) and their lead times, computed with
 * the core's wms_leadtime_order under o's calendars and cut-offs (the same
 * figures as the depots'), counted into histograms per depot and delivery
 * month.  A depot's new epoch is projected afresh.  *projected: events read.
 */
int hub_project(struct pg_conn *c, const struct wms_leadtime_opts *o, long *projected, struct wms_error *err);

/*
 * The region's report: {depots: hub_status, conflicts: open ones [{id, kind
 * (key, serial_twice, new_epoch, catalog), depot, epoch (for catalog: the
 * row's kind), seq (catalog: the hub's catalogue event), serial?, detail,
 * found_at}], catalog: [{depot, seq (pulled up to), head (the hub's last
 * catalogue event), pulled_at}], stock: devices at each depot [{depot,
 * product, state, count}] (those in transfer not counted), in_transit:
 * [{from, depot (where it goes), product, count}], orders: the latest delivered [{depot, number, registered,
 * delivered, lead_days, customer_set}], leadtime: {target_days, overall (the
 * region: the sum of the depots' histograms), by_depot [{key, stats}]}}
 * (lists at most 1000 rows).  Caller owns it.
 */
json_t *hub_report(struct pg_conn *c, int target_days, struct wms_error *err);

/*
 * The catalogue maintained at the hub (wms_catalog_central.h).  The hub's
 * own database is where products, customers and users are maintained (the
 * usual `wms product|customer|user` commands and API on the hub's wmsd);
 * hub_catalog_publish appends each row that differs from the hub's latest
 * version of it to hub_catalog with the next hub sequence (writers one at a
 * time, so a reader never sees a gap that a later commit fills).  *mark
 * (may be NULL): a fingerprint of what was last published, nothing is sent
 * while it is unchanged (0: always).  *published: rows appended.
 */
int hub_catalog_publish(struct pg_conn *c, struct wms_store *store, unsigned long long *mark, long *published,
                        struct wms_error *err);

/*
 * A depot's pull: at most batch catalogue events after its own cursor,
 * applied in one local transaction with the cursor (wms_catalog_apply).  A
 * row the depot defines otherwise is listed in hub_conflicts (kind catalog)
 * before the cursor passes it, and the depot keeps its own.  The depot's
 * cursor is recorded on the hub (hub_catalog_pulls) as a hint for the
 * report.  *pulled: events consumed (0: up to date); *conflicts (may be
 * NULL): how many of them conflicted.  WMS_EIO: link or server (retry).
 */
int hub_catalog_pull(struct pg_conn *c, struct wms_store *store, const char *depot, int batch, long *pulled,
                     long *conflicts, struct wms_error *err);

#endif
