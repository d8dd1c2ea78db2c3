/*
 * ledger_bulk.h - the bulk ledger path's in-memory projections (internal to
 * wms/core; the public side is wms_ledger_bulk_begin/end in wms_ledger.h).
 *
 * While a bulk session is open on a store, wms_ledger_apply checks each
 * command against these rows instead of reading the devices and orders
 * tables, appends its event with the live path's own insert, and
 * projection.c applies the event to these rows instead of updating the
 * tables; each changed row is written once when the session ends (or when
 * it holds too many rows).  Rows not yet in memory are read from the
 * tables on first use.
 */
#ifndef WMS_LEDGER_BULK_H
#define WMS_LEDGER_BULK_H

#include <stdbool.h>

#include "wms_depot.h"
#include "wms_error.h"
#include "wms_lifecycle.h"
#include "wms_store.h"
#include "wms_time.h"

struct lt_acc;

struct bulk_device {
	long long id, product_id, location_id, order_id, last_event_id;   /* 0 = NULL */
	enum wms_state state;
	int recon_cycles;
	wms_time received, updated;
	char *serial, *gtin, *lot, *expiry, *manufactured;                /* owned, may be NULL */
	long long location0, order0;   /* as the table holds them (a row read from it) */
	bool dirty, fresh;             /* fresh: not in the table yet (received in the session) */
};

struct bulk_order {
	long long id, customer_id, product_id, pickup_point_id, device_id, exchange_of, last_event_id;
	wms_time registered, dispatched, delivered;                      /* 0 = NULL */
	char status[12], mode[16];
	char *number, *requested_date, *depot, *note, *external_id;  /* owned */
	int lead_days, lead_set;
	char status0[12];               /* as the table holds them (a row read from it) */
	long long pickup0;
	wms_time delivered0;
	bool has_lead, dirty, fresh;   /* fresh: not in the table yet (created in the session) */
};

struct wms_bulk;

/* A reference lookup the session remembers (locations, products, depots do not
 * change while it runs): an id, a number and two texts, as the caller keyed it. */
struct bulk_ref {
	long long id, n;
	char kind[20];
	char depot[WMS_DEPOT_CODE_MAX + 1];
};

/* The store's open session, or NULL (store.c keeps the slot). */
struct wms_bulk **wms_store_bulk(struct wms_store *s);
static inline struct wms_bulk *wms_bulk_of(struct wms_store *s)
{
	return *wms_store_bulk(s);
}

/* The session kept after its batch's bulk_end, until the commit says whether
 * it holds (store.c keeps the slot and calls wms_bulk_committed after COMMIT:
 * ok false, or a rollback, discards it).  The next wms_ledger_bulk_begin
 * takes it up when nothing changed the database in between. */
struct wms_bulk **wms_store_bulk_kept(struct wms_store *s);
void wms_bulk_committed(struct wms_store *s, bool ok);

/* A device by serial (id 0) or by id, from memory or the table: 0 and *out set,
 * WMS_ENOTFOUND (err untouched) or WMS_EDB. */
int wms_bulk_device(struct wms_store *s, const char *serial, long long id,
                    struct bulk_device **out, struct wms_error *err);
/* An order by number (NULL: by id), likewise. */
int wms_bulk_order(struct wms_store *s, const char *number, long long id,
                   struct bulk_order **out, struct wms_error *err);
/* Whether a new order of this batch already has (customer, external id). */
bool wms_bulk_external_taken(struct wms_store *s, long long customer_id, const char *external_id);

/* New rows (id from wms_bulk_next_id), added to memory and marked dirty. */
struct bulk_device *wms_bulk_device_add(struct wms_store *s, long long id, const char *serial);
struct bulk_order *wms_bulk_order_add(struct wms_store *s, long long id, const char *number,
                                      long long customer_id, const char *external_id);
/* The next device (devices = true) or order id. */
long long wms_bulk_next_id(struct wms_store *s, bool devices);

/* A remembered lookup by key ("loc:CODE", ...), or NULL. */
const struct bulk_ref *wms_bulk_ref(struct wms_store *s, const char *key);
/* Remember one (a failure to remember only costs the next lookup). */
void wms_bulk_ref_keep(struct wms_store *s, const char *key, const struct bulk_ref *r);

/* The ledger's last event as the session wrote it: true with its id and hash, or
 * false before the session's first event (read it from the table). */
bool wms_bulk_last_event(struct wms_store *s, long long *id, unsigned char hash[32]);
void wms_bulk_set_last_event(struct wms_store *s, long long id, const unsigned char hash[32]);

/* The lead-time cells of the session (flushed with the rows). */
struct lt_acc *wms_bulk_lt(struct wms_store *s);

/* After each applied command: 0, or an error when the session broke (the batch must be
 * rolled back); writes the rows when memory holds too many. */
int wms_bulk_after_command(struct wms_store *s, struct wms_error *err);
/* A command failed after writing its event: the batch can only be rolled back. */
void wms_bulk_fail(struct wms_store *s);
/* Discard a session without writing (store.c, on rollback and close); NULL-safe. */
void wms_bulk_free(struct wms_bulk *b);

/* Strings for the rows: a copy (NULL for NULL or ""), false without memory. */
bool wms_bulk_set_str(char **dst, const char *src);

#endif
