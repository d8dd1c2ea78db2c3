/*
 * ledger_bulk.c - the bulk ledger path (see ledger_bulk.h and
 * wms_ledger_bulk_begin in wms_ledger.h): the session, its rows in memory
 * (found by serial or number and by id), and writing each changed row once.
 */
#include "ledger_bulk.h"

#include "leadtime_hist.h"
#include "store_sql.h"
#include "wms_ledger.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows held before the session writes them and starts afresh (memory bound,
 * about 300 bytes a row).  A row forgotten is read back and written again
 * (an UPDATE) at its next event: a 1M-order demo's 1.7M devices and orders
 * fit, where 400,000 wrote every living device up to four times. */
#define BULK_MAX_ROWS 2000000

/* ---- a map from a text or an id to a row ---------------------------------- */

struct slot {
	uint64_t hash;
	void *row;
};

struct map {
	size_t cap, used;          /* cap a power of two, 0 = empty */
	struct slot *slot;
};

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h | 1;              /* never 0: 0 marks a free slot */
}

static uint64_t hash_id(long long id)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;

	return (h ^ (h >> 31)) | 1;
}

static int map_put(struct map *m, uint64_t hash, void *row)
{
	size_t i;

	if ((m->used + 1) * 4 > m->cap * 3) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		struct slot *s = calloc(cap, sizeof *s);
		if (s == NULL)
			return WMS_ENOMEM;
		for (size_t k = 0; k < m->cap; k++) {
			if (!m->slot[k].hash)
				continue;
			for (i = m->slot[k].hash & (cap - 1); s[i].hash; i = (i + 1) & (cap - 1))
				;
			s[i] = m->slot[k];
		}
		free(m->slot);
		m->slot = s;
		m->cap = cap;
	}
	for (i = hash & (m->cap - 1); m->slot[i].hash; i = (i + 1) & (m->cap - 1))
		;
	m->slot[i] = (struct slot){ hash, row };
	m->used++;
	return 0;
}

/* The first row with this hash that `same` accepts. */
static void *map_get(const struct map *m, uint64_t hash, bool (*same)(const void *row, const void *key),
                     const void *key)
{
	if (m->cap == 0)
		return NULL;
	for (size_t i = hash & (m->cap - 1); m->slot[i].hash; i = (i + 1) & (m->cap - 1))
		if (m->slot[i].hash == hash && same(m->slot[i].row, key))
			return m->slot[i].row;
	return NULL;
}

static void map_clear(struct map *m)
{
	free(m->slot);
	memset(m, 0, sizeof *m);
}

static bool dev_serial(const void *row, const void *key)
{
	return strcmp(((const struct bulk_device *)row)->serial, key) == 0;
}

static bool dev_id(const void *row, const void *key)
{
	return ((const struct bulk_device *)row)->id == *(const long long *)key;
}

static bool ord_number(const void *row, const void *key)
{
	return strcmp(((const struct bulk_order *)row)->number, key) == 0;
}

static bool ord_id(const void *row, const void *key)
{
	return ((const struct bulk_order *)row)->id == *(const long long *)key;
}

static bool ord_external(const void *row, const void *key)
{
	const struct bulk_order *o = row, *k = key;

	return o->customer_id == k->customer_id && o->external_id &&
	       strcmp(o->external_id, k->external_id) == 0;
}

/* ---- the session -------------------------------------------------------- */

struct wms_bulk {
	struct map dev_by_serial, dev_by_id, ord_by_number, ord_by_id, ord_by_external;
	struct bulk_device **devs;
	struct bulk_order **ords;
	size_t n_devs, cap_devs, n_ords, cap_ords;
	long long next_device, next_order;
	struct lt_acc *lt;
	struct map refs;           /* struct ref_entry by key: reference lookups */
	long long last_id;         /* the last event written in the session (0: none yet) */
	unsigned char last_hash[32];
	bool failed;               /* a row could not be kept: the batch must roll back */
	bool complete;             /* every device and order is in memory (the session began on
	                              empty tables and forgot none): a miss is "not found" */
	char **deferred;           /* CREATE INDEX texts dropped for the session (an empty store) */
	size_t n_deferred;
	bool committed;            /* kept after its batch committed: changes and version valid */
	long long changes;         /* the connection's total changes when it ended (and committed) */
	long long version;         /* PRAGMA data_version then (other connections' commits) */
};

struct ref_entry {
	struct bulk_ref r;
	char key[];
};

static bool ref_key(const void *row, const void *key)
{
	return strcmp(((const struct ref_entry *)row)->key, key) == 0;
}

const struct bulk_ref *wms_bulk_ref(struct wms_store *s, const char *key)
{
	const struct ref_entry *e = map_get(&wms_bulk_of(s)->refs, hash_text(key), ref_key, key);

	return e ? &e->r : NULL;
}

void wms_bulk_ref_keep(struct wms_store *s, const char *key, const struct bulk_ref *r)
{
	struct wms_bulk *b = wms_bulk_of(s);
	size_t n = strlen(key) + 1;
	struct ref_entry *e = malloc(sizeof *e + n);

	if (e == NULL)
		return;
	e->r = *r;
	memcpy(e->key, key, n);
	if (map_put(&b->refs, hash_text(key), e) < 0)
		free(e);
}

static void refs_free(struct map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].hash)
			free(m->slot[i].row);
	map_clear(m);
}

bool wms_bulk_last_event(struct wms_store *s, long long *id, unsigned char hash[32])
{
	struct wms_bulk *b = wms_bulk_of(s);

	if (b->last_id <= 0)
		return false;
	*id = b->last_id;
	memcpy(hash, b->last_hash, sizeof b->last_hash);
	return true;
}

void wms_bulk_set_last_event(struct wms_store *s, long long id, const unsigned char hash[32])
{
	struct wms_bulk *b = wms_bulk_of(s);

	b->last_id = id;
	memcpy(b->last_hash, hash, sizeof b->last_hash);
}

bool wms_bulk_set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = NULL;
	if (src == NULL || *src == '\0')
		return true;
	return (*dst = strdup(src)) != NULL;
}

static void device_free(struct bulk_device *d)
{
	if (d == NULL)
		return;
	free(d->serial);
	free(d->gtin);
	free(d->lot);
	free(d->expiry);
	free(d->manufactured);
	free(d);
}

static void order_free(struct bulk_order *o)
{
	if (o == NULL)
		return;
	free(o->number);
	free(o->requested_date);
	free(o->depot);
	free(o->note);
	free(o->external_id);
	free(o);
}

static void forget_rows(struct wms_bulk *b)
{
	for (size_t i = 0; i < b->n_devs; i++)
		device_free(b->devs[i]);
	for (size_t i = 0; i < b->n_ords; i++)
		order_free(b->ords[i]);
	b->n_devs = b->n_ords = 0;
	b->complete = false;       /* the rows forgotten are only in the tables now */
	map_clear(&b->dev_by_serial);
	map_clear(&b->dev_by_id);
	map_clear(&b->ord_by_number);
	map_clear(&b->ord_by_id);
	map_clear(&b->ord_by_external);
}

static void bulk_free(struct wms_bulk *b)
{
	if (b == NULL)
		return;
	forget_rows(b);
	refs_free(&b->refs);
	for (size_t i = 0; i < b->n_deferred; i++)
		sqlite3_free(b->deferred[i]);
	free(b->deferred);
	free(b->devs);
	free(b->ords);
	wms_lt_acc_free(b->lt);
	free(b);
}

static int keep_device(struct wms_bulk *b, struct bulk_device *d)
{
	if (b->n_devs == b->cap_devs) {
		size_t cap = b->cap_devs ? b->cap_devs * 2 : 1024;
		struct bulk_device **p = realloc(b->devs, cap * sizeof *p);
		if (p == NULL)
			return WMS_ENOMEM;
		b->devs = p;
		b->cap_devs = cap;
	}
	if (map_put(&b->dev_by_serial, hash_text(d->serial), d) < 0 ||
	    map_put(&b->dev_by_id, hash_id(d->id), d) < 0)
		return WMS_ENOMEM;
	b->devs[b->n_devs++] = d;
	return 0;
}

static int keep_order(struct wms_bulk *b, struct bulk_order *o)
{
	if (b->n_ords == b->cap_ords) {
		size_t cap = b->cap_ords ? b->cap_ords * 2 : 1024;
		struct bulk_order **p = realloc(b->ords, cap * sizeof *p);
		if (p == NULL)
			return WMS_ENOMEM;
		b->ords = p;
		b->cap_ords = cap;
	}
	if (map_put(&b->ord_by_number, hash_text(o->number), o) < 0 ||
	    map_put(&b->ord_by_id, hash_id(o->id), o) < 0)
		return WMS_ENOMEM;
	if (o->external_id && map_put(&b->ord_by_external,
	                              hash_text(o->external_id) ^ hash_id(o->customer_id), o) < 0)
		return WMS_ENOMEM;
	b->ords[b->n_ords++] = o;
	return 0;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int wms_bulk_device(struct wms_store *s, const char *serial, long long id,
                    struct bulk_device **out, struct wms_error *err)
{
	static const char by_serial[] =
		"SELECT id, serial, product_id, gtin, lot, expiry, manufactured, state, location_id,"
		" order_id, recon_cycles, received_ts, updated_ts, last_event_id FROM devices WHERE serial = ?1";
	static const char by_id[] =
		"SELECT id, serial, product_id, gtin, lot, expiry, manufactured, state, location_id,"
		" order_id, recon_cycles, received_ts, updated_ts, last_event_id FROM devices WHERE id = ?1";
	struct wms_bulk *b = wms_bulk_of(s);
	struct bulk_device *d;
	sqlite3_stmt *st;
	int rc;

	*out = serial ? map_get(&b->dev_by_serial, hash_text(serial), dev_serial, serial)
	              : map_get(&b->dev_by_id, hash_id(id), dev_id, &id);
	if (*out)
		return 0;
	if (b->complete)
		return WMS_ENOTFOUND;
	rc = wms_store_row(s, serial ? by_serial : by_id, serial, id, &st, "looking up the device", err);
	if (rc <= 0)
		return rc < 0 ? rc : WMS_ENOTFOUND;
	d = calloc(1, sizeof *d);
	if (d == NULL || !wms_bulk_set_str(&d->serial, col_text(st, 1)) ||
	    !wms_bulk_set_str(&d->gtin, col_text(st, 3)) || !wms_bulk_set_str(&d->lot, col_text(st, 4)) ||
	    !wms_bulk_set_str(&d->expiry, col_text(st, 5)) ||
	    !wms_bulk_set_str(&d->manufactured, col_text(st, 6)) || d->serial == NULL) {
		sqlite3_reset(st);
		device_free(d);
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	}
	d->id = sqlite3_column_int64(st, 0);
	d->product_id = sqlite3_column_int64(st, 2);
	d->state = (enum wms_state)wms_state_from_name(col_text(st, 7) ? col_text(st, 7) : "");
	d->location_id = sqlite3_column_int64(st, 8);
	d->order_id = sqlite3_column_int64(st, 9);
	d->recon_cycles = sqlite3_column_int(st, 10);
	d->received = sqlite3_column_int64(st, 11);
	d->updated = sqlite3_column_int64(st, 12);
	d->last_event_id = sqlite3_column_int64(st, 13);
	d->location0 = d->location_id;
	d->order0 = d->order_id;
	sqlite3_reset(st);
	if (keep_device(b, d) < 0) {
		device_free(d);
		b->failed = true;
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	}
	*out = d;
	return 0;
}

int wms_bulk_order(struct wms_store *s, const char *number, long long id,
                   struct bulk_order **out, struct wms_error *err)
{
#define ORDER_COLS "id, number, customer_id, product_id, mode, pickup_point_id," \
                   " requested_date, depot, registered_ts, status, device_id, exchange_of," \
                   " dispatched_ts, delivered_ts, note, last_event_id, external_id, lead_days, lead_set"
	static const char by_number[] = "SELECT " ORDER_COLS " FROM orders WHERE number = ?1";
	static const char by_id[] = "SELECT " ORDER_COLS " FROM orders WHERE id = ?1";
#undef ORDER_COLS
	struct wms_bulk *b = wms_bulk_of(s);
	struct bulk_order *o;
	sqlite3_stmt *st;
	int rc;

	*out = number ? map_get(&b->ord_by_number, hash_text(number), ord_number, number)
	              : map_get(&b->ord_by_id, hash_id(id), ord_id, &id);
	if (*out)
		return 0;
	if (b->complete)
		return WMS_ENOTFOUND;
	rc = wms_store_row(s, number ? by_number : by_id, number, id, &st, "looking up the order", err);
	if (rc <= 0)
		return rc < 0 ? rc : WMS_ENOTFOUND;
	o = calloc(1, sizeof *o);
	if (o == NULL || !wms_bulk_set_str(&o->number, col_text(st, 1)) ||
	    !wms_bulk_set_str(&o->requested_date, col_text(st, 6)) ||
	    !wms_bulk_set_str(&o->depot, col_text(st, 7)) || !wms_bulk_set_str(&o->note, col_text(st, 14)) ||
	    !wms_bulk_set_str(&o->external_id, col_text(st, 16)) || o->number == NULL) {
		sqlite3_reset(st);
		order_free(o);
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	}
	o->id = sqlite3_column_int64(st, 0);
	o->customer_id = sqlite3_column_int64(st, 2);
	o->product_id = sqlite3_column_int64(st, 3);
	snprintf(o->mode, sizeof o->mode, "%s", col_text(st, 4) ? col_text(st, 4) : "");
	o->pickup_point_id = sqlite3_column_int64(st, 5);
	o->registered = sqlite3_column_int64(st, 8);
	snprintf(o->status, sizeof o->status, "%s", col_text(st, 9) ? col_text(st, 9) : "");
	o->device_id = sqlite3_column_int64(st, 10);
	o->exchange_of = sqlite3_column_int64(st, 11);
	o->dispatched = sqlite3_column_int64(st, 12);
	o->delivered = sqlite3_column_int64(st, 13);
	o->last_event_id = sqlite3_column_int64(st, 15);
	o->has_lead = sqlite3_column_type(st, 17) != SQLITE_NULL;
	o->lead_days = sqlite3_column_int(st, 17);
	o->lead_set = sqlite3_column_int(st, 18);
	memcpy(o->status0, o->status, sizeof o->status0);
	o->pickup0 = o->pickup_point_id;
	o->delivered0 = o->delivered;
	sqlite3_reset(st);
	if (keep_order(b, o) < 0) {
		order_free(o);
		b->failed = true;
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	}
	*out = o;
	return 0;
}

bool wms_bulk_external_taken(struct wms_store *s, long long customer_id, const char *external_id)
{
	struct wms_bulk *b = wms_bulk_of(s);
	struct bulk_order key = { .customer_id = customer_id, .external_id = (char *)external_id };

	return map_get(&b->ord_by_external, hash_text(external_id) ^ hash_id(customer_id),
	               ord_external, &key) != NULL;
}

struct bulk_device *wms_bulk_device_add(struct wms_store *s, long long id, const char *serial)
{
	struct wms_bulk *b = wms_bulk_of(s);
	struct bulk_device *d = calloc(1, sizeof *d);

	if (d == NULL || !wms_bulk_set_str(&d->serial, serial) || d->serial == NULL ||
	    (d->id = id, keep_device(b, d)) < 0) {
		device_free(d);
		b->failed = true;
		return NULL;
	}
	d->dirty = d->fresh = true;
	return d;
}

struct bulk_order *wms_bulk_order_add(struct wms_store *s, long long id, const char *number,
                                      long long customer_id, const char *external_id)
{
	struct wms_bulk *b = wms_bulk_of(s);
	struct bulk_order *o = calloc(1, sizeof *o);

	if (o == NULL || !wms_bulk_set_str(&o->number, number) || o->number == NULL ||
	    !wms_bulk_set_str(&o->external_id, external_id) ||
	    (o->id = id, o->customer_id = customer_id, keep_order(b, o)) < 0) {
		order_free(o);
		b->failed = true;
		return NULL;
	}
	o->dirty = o->fresh = true;
	return o;
}

long long wms_bulk_next_id(struct wms_store *s, bool devices)
{
	struct wms_bulk *b = wms_bulk_of(s);

	return devices ? b->next_device++ : b->next_order++;
}

struct lt_acc *wms_bulk_lt(struct wms_store *s)
{
	return wms_bulk_of(s)->lt;
}

/* ---- writing the rows ------------------------------------------------------ */

static void bind_id(sqlite3_stmt *st, int i, long long id)
{
	if (id > 0)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

static void bind_ts(sqlite3_stmt *st, int i, wms_time t)
{
	if (t != 0)
		sqlite3_bind_int64(st, i, t);
	else
		sqlite3_bind_null(st, i);
}

/* A device received in the session: one INSERT of its final values. */
static int insert_device(struct wms_store *s, const struct bulk_device *d, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO devices(id, serial, product_id, gtin, lot, expiry, manufactured, state,"
		" location_id, order_id, recon_cycles, received_ts, updated_ts, last_event_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, d->id);
	wms_bind_text_or_null(st, 2, d->serial);
	sqlite3_bind_int64(st, 3, d->product_id);
	wms_bind_text_or_null(st, 4, d->gtin);
	wms_bind_text_or_null(st, 5, d->lot);
	wms_bind_text_or_null(st, 6, d->expiry);
	wms_bind_text_or_null(st, 7, d->manufactured);
	sqlite3_bind_text(st, 8, wms_state_name(d->state), -1, SQLITE_STATIC);
	bind_id(st, 9, d->location_id);
	bind_id(st, 10, d->order_id);
	sqlite3_bind_int(st, 11, d->recon_cycles);
	sqlite3_bind_int64(st, 12, d->received);
	sqlite3_bind_int64(st, 13, d->updated);
	sqlite3_bind_int64(st, 14, d->last_event_id);
	return wms_store_step_done(s, st, "writing a device", err);
}

/*
 * A device read from the table: an UPDATE that names location_id and
 * order_id only when they changed, so that their indexes are not rewritten
 * for nothing (SQLite maintains an index only when its columns are SET).
 */
static int update_device(struct wms_store *s, const struct bulk_device *d, struct wms_error *err)
{
#define SET_DEV "UPDATE devices SET state = ?1, recon_cycles = ?2, updated_ts = ?3, last_event_id = ?4"
	static const char same[] = SET_DEV " WHERE id = ?5";
	static const char loc[] = SET_DEV ", location_id = ?6 WHERE id = ?5";
	static const char ord[] = SET_DEV ", order_id = ?7 WHERE id = ?5";
	static const char both[] = SET_DEV ", location_id = ?6, order_id = ?7 WHERE id = ?5";
#undef SET_DEV
	static const char *const sql[4] = { same, loc, ord, both };
	bool moved = d->location_id != d->location0, linked = d->order_id != d->order0;
	sqlite3_stmt *st = wms_store_stmt(s, sql[moved | linked << 1], err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, wms_state_name(d->state), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, d->recon_cycles);
	sqlite3_bind_int64(st, 3, d->updated);
	sqlite3_bind_int64(st, 4, d->last_event_id);
	sqlite3_bind_int64(st, 5, d->id);
	if (moved)
		bind_id(st, 6, d->location_id);
	if (linked)
		bind_id(st, 7, d->order_id);
	return wms_store_step_done(s, st, "writing a device", err);
}

/* An order created in the session: one INSERT of its final values. */
static int insert_order(struct wms_store *s, const struct bulk_order *o, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO orders(id, number, customer_id, product_id, mode,"
		" pickup_point_id, requested_date, depot, registered_ts, status, device_id, exchange_of,"
		" dispatched_ts, delivered_ts, note, last_event_id, external_id, lead_days, lead_set)"
		" VALUES (?1, ?2, ?3, ?5, ?6, ?7, ?8,"   /* ?4 was the patient reference, now in order_patients */
		" coalesce((SELECT code FROM depots WHERE code = ?9), (SELECT code FROM depots WHERE is_default = 1)),"
		" ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, o->id);
	wms_bind_text_or_null(st, 2, o->number);
	sqlite3_bind_int64(st, 3, o->customer_id);
	sqlite3_bind_int64(st, 5, o->product_id);
	wms_bind_text_or_null(st, 6, o->mode);
	bind_id(st, 7, o->pickup_point_id);
	wms_bind_text_or_null(st, 8, o->requested_date);
	wms_bind_text_or_null(st, 9, o->depot);
	sqlite3_bind_int64(st, 10, o->registered);
	sqlite3_bind_text(st, 11, o->status, -1, SQLITE_STATIC);
	bind_id(st, 12, o->device_id);
	bind_id(st, 13, o->exchange_of);
	bind_ts(st, 14, o->dispatched);
	bind_ts(st, 15, o->delivered);
	wms_bind_text_or_null(st, 16, o->note);
	sqlite3_bind_int64(st, 17, o->last_event_id);
	wms_bind_text_or_null(st, 18, o->external_id);
	if (o->has_lead) {
		sqlite3_bind_int(st, 19, o->lead_days);
		sqlite3_bind_int(st, 20, o->lead_set);
	}
	return wms_store_step_done(s, st, "writing an order", err);
}

/*
 * An order read from the table: a plain UPDATE (no INSERT attempt first,
 * whose trigger and depot lookups an upsert paid) that names the indexed
 * columns - status, delivered_ts with the lead time, the pickup point (a
 * foreign key) and mode - only when they changed.
 */
static int update_order(struct wms_store *s, const struct bulk_order *o, struct wms_error *err)
{
#define SET_ORD "UPDATE orders SET device_id = ?3, dispatched_ts = ?4, note = ?6, last_event_id = ?7"
#define STATUS ", status = ?2"
#define DELIV ", delivered_ts = ?5, lead_days = ?8, lead_set = ?9"
#define PICKUP ", pickup_point_id = ?10, mode = ?11"
	static const char s0[] = SET_ORD " WHERE id = ?1", s1[] = SET_ORD STATUS " WHERE id = ?1",
	                  s2[] = SET_ORD DELIV " WHERE id = ?1", s3[] = SET_ORD STATUS DELIV " WHERE id = ?1",
	                  s4[] = SET_ORD PICKUP " WHERE id = ?1", s5[] = SET_ORD STATUS PICKUP " WHERE id = ?1",
	                  s6[] = SET_ORD DELIV PICKUP " WHERE id = ?1",
	                  s7[] = SET_ORD STATUS DELIV PICKUP " WHERE id = ?1";
#undef SET_ORD
#undef STATUS
#undef DELIV
#undef PICKUP
	static const char *const sql[8] = { s0, s1, s2, s3, s4, s5, s6, s7 };
	bool status = strcmp(o->status, o->status0) != 0, delivered = o->delivered != o->delivered0,
	     pickup = o->pickup_point_id != o->pickup0;
	sqlite3_stmt *st = wms_store_stmt(s, sql[status | delivered << 1 | pickup << 2], err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, o->id);
	if (status)
		sqlite3_bind_text(st, 2, o->status, -1, SQLITE_STATIC);
	bind_id(st, 3, o->device_id);
	bind_ts(st, 4, o->dispatched);
	if (delivered) {
		bind_ts(st, 5, o->delivered);
		if (o->has_lead) {
			sqlite3_bind_int(st, 8, o->lead_days);
			sqlite3_bind_int(st, 9, o->lead_set);
		}
	}
	wms_bind_text_or_null(st, 6, o->note);
	sqlite3_bind_int64(st, 7, o->last_event_id);
	if (pickup) {
		bind_id(st, 10, o->pickup_point_id);
		wms_bind_text_or_null(st, 11, o->mode);
	}
	return wms_store_step_done(s, st, "writing an order", err);
}

/* Write every changed row once and the lead-time cells; the rows stay in
 * memory, now as the tables hold them. */
static int bulk_write(struct wms_store *s, struct wms_bulk *b, struct wms_error *err)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < b->n_devs; i++) {
		struct bulk_device *d = b->devs[i];
		if (!d->dirty)
			continue;
		rc = d->fresh ? insert_device(s, d, err) : update_device(s, d, err);
		d->dirty = d->fresh = false;
		d->location0 = d->location_id;
		d->order0 = d->order_id;
	}
	for (size_t i = 0; rc == 0 && i < b->n_ords; i++) {
		struct bulk_order *o = b->ords[i];
		if (!o->dirty)
			continue;
		rc = o->fresh ? insert_order(s, o, err) : update_order(s, o, err);
		o->dirty = o->fresh = false;
		memcpy(o->status0, o->status, sizeof o->status0);
		o->pickup0 = o->pickup_point_id;
		o->delivered0 = o->delivered;
	}
	if (rc == 0)
		rc = wms_lt_acc_flush(s, b->lt, err);
	if (rc < 0)
		b->failed = true;
	return rc;
}

void wms_bulk_fail(struct wms_store *s)
{
	wms_bulk_of(s)->failed = true;
}

int wms_bulk_after_command(struct wms_store *s, struct wms_error *err)
{
	struct wms_bulk *b = wms_bulk_of(s);
	int rc;

	if (b->failed)
		return wms_error_set(err, WMS_ENOMEM, "out of memory in the bulk ledger path");
	if (b->n_devs + b->n_ords < BULK_MAX_ROWS)
		return 0;
	rc = bulk_write(s, b, err);
	forget_rows(b);
	return rc;
}

static long long max_id(struct wms_store *s, const char *sql)
{
	sqlite3_stmt *st = wms_store_stmt(s, sql, NULL);
	long long id = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return id;
}

/*
 * Loading into an empty store (the demo, a first import): the secondary
 * indexes of events, devices and orders are dropped for the session and
 * created again at its end from their own text, so that SQLite builds each
 * by one sort instead of millions of inserts at random places.  Nothing the
 * session reads goes through them (rows by id, serial and number: the
 * primary keys and the UNIQUE indexes, which stay).  A rollback brings them
 * back with the rest of the batch.
 */
static int defer_indexes(struct wms_store *s, struct wms_bulk *b, struct wms_error *err)
{
	static const char empty[] = "SELECT NOT EXISTS (SELECT 1 FROM events)";
	static const char list[] =
		"SELECT sql, 'DROP INDEX \"' || replace(name, '\"', '\"\"') || '\"' FROM sqlite_master"
		" WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('events', 'devices', 'orders')"
		" AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY rowid";
	sqlite3_stmt *st;
	char *drops = NULL;
	int rc = 0;

	if (max_id(s, empty) != 1)
		return 0;
	if ((st = wms_store_stmt(s, list, err)) == NULL)
		return WMS_EDB;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		char **p = realloc(b->deferred, (b->n_deferred + 1) * sizeof *p);
		char *more = sqlite3_mprintf("%z%s;", drops, sqlite3_column_text(st, 1));
		drops = more;
		if (p)
			b->deferred = p;
		if (p == NULL || more == NULL ||
		    (b->deferred[b->n_deferred] = sqlite3_mprintf("%s", sqlite3_column_text(st, 0))) == NULL)
			rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
		else
			b->n_deferred++;
	}
	sqlite3_reset(st);
	/* dropped once the listing ended: not while a read of the schema is open */
	if (rc == 0 && drops && sqlite3_exec(wms_store_db(s), drops, NULL, NULL, NULL) != SQLITE_OK)
		rc = wms_store_sql_error(s, err, "setting indexes aside for a bulk load");
	sqlite3_free(drops);
	return rc;
}

/* The indexes defer_indexes set aside, built again. */
static int restore_indexes(struct wms_store *s, struct wms_bulk *b, struct wms_error *err)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < b->n_deferred; i++)
		if (sqlite3_exec(wms_store_db(s), b->deferred[i], NULL, NULL, NULL) != SQLITE_OK)
			rc = wms_store_sql_error(s, err, "building an index after a bulk load");
	for (size_t i = 0; i < b->n_deferred; i++)
		sqlite3_free(b->deferred[i]);
	free(b->deferred);
	b->deferred = NULL;
	b->n_deferred = 0;
	return rc;
}

/* Other connections' commits since this connection's last look (PRAGMA data_version). */
static long long data_version(struct wms_store *s)
{
	static const char sql[] = "PRAGMA data_version";

	return max_id(s, sql);
}

/*
 * The session of the previous batch, when nothing can have changed since it
 * committed: no change on this connection (total changes) and no commit by
 * another (data_version).  Its rows, reference lookups and last event are
 * then still the tables' and need not be read again.
 */
static struct wms_bulk *still_valid(struct wms_store *s)
{
	struct wms_bulk **kept = wms_store_bulk_kept(s), *b = *kept;

	*kept = NULL;
	if (b && b->committed && !b->failed && sqlite3_total_changes64(wms_store_db(s)) == b->changes &&
	    data_version(s) == b->version) {
		b->committed = false;
		return b;
	}
	bulk_free(b);
	return NULL;
}

void wms_bulk_committed(struct wms_store *s, bool ok)
{
	struct wms_bulk **kept = wms_store_bulk_kept(s), *b = *kept;

	if (b == NULL)
		return;
	if (!ok) {
		bulk_free(b);
		*kept = NULL;
		return;
	}
	/* anything written after the session ended, before this commit, is not in its rows */
	if (sqlite3_total_changes64(wms_store_db(s)) != b->changes) {
		bulk_free(b);
		*kept = NULL;
		return;
	}
	b->version = data_version(s);
	b->committed = b->version >= 0;
}

int wms_ledger_bulk_begin(struct wms_store *s, struct wms_error *err)
{
	/* as the live path (ledger.c): a voided receipt's device id is never reused */
	static const char max_device[] =
		"SELECT max(coalesce((SELECT max(id) FROM devices), 0),"
		" coalesce((SELECT max(device_id) FROM events WHERE device_id IS NOT NULL), 0)) + 1";
	static const char max_order[] = "SELECT coalesce(max(id), 0) + 1 FROM orders";
	static const char no_rows[] =
		"SELECT NOT EXISTS (SELECT 1 FROM devices) AND NOT EXISTS (SELECT 1 FROM orders)";
	struct wms_bulk **slot = wms_store_bulk(s), *b;

	if (*slot != NULL)
		return wms_error_set(err, WMS_ESTATE, "a bulk ledger session is already open");
	if (sqlite3_get_autocommit(wms_store_db(s)))
		return wms_error_set(err, WMS_ESTATE, "the bulk ledger path runs inside a batch "
		                     "(wms_store_begin)");
	/* a batch of many commands touches more pages than SQLite's default 2 MiB
	 * cache: spilling them to the log and reading them back was a third of the
	 * time (the size goes back to the default when the session ends) */
	sqlite3_exec(wms_store_db(s), "PRAGMA cache_size = -262144", NULL, NULL, NULL);
	if ((b = still_valid(s)) != NULL) {
		*slot = b;
		return 0;
	}
	if ((b = calloc(1, sizeof *b)) == NULL || (b->lt = wms_lt_acc_new()) == NULL) {
		bulk_free(b);
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	}
	b->next_device = max_id(s, max_device);
	b->next_order = max_id(s, max_order);
	b->complete = max_id(s, no_rows) == 1;
	if (b->next_device < 0 || b->next_order < 0) {
		bulk_free(b);
		return wms_store_sql_error(s, err, "allocating ids");
	}
	if (defer_indexes(s, b, err) < 0) {
		bulk_free(b);
		return WMS_EDB;
	}
	*slot = b;
	return 0;
}

int wms_ledger_bulk_end(struct wms_store *s, bool ok, struct wms_error *err)
{
	struct wms_bulk **slot = wms_store_bulk(s), *b = *slot, **kept = wms_store_bulk_kept(s);
	int rc = 0;

	if (b == NULL)
		return 0;
	if (ok && b->failed)
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory in the bulk ledger path");
	else if (ok && (rc = bulk_write(s, b, err)) == 0)
		rc = restore_indexes(s, b, err);
	*slot = NULL;
	bulk_free(*kept);
	*kept = NULL;
	if (ok && rc == 0) {
		*kept = b;                 /* for the next batch, once this one commits */
		b->changes = sqlite3_total_changes64(wms_store_db(s));
	}
	else
		bulk_free(b);
	sqlite3_exec(wms_store_db(s), "PRAGMA cache_size = -2000", NULL, NULL, NULL);
	return rc;
}

void wms_bulk_free(struct wms_bulk *b)
{
	bulk_free(b);
}
