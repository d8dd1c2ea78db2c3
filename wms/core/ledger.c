/*
 * ledger.c - the single writer of the event ledger (see wms_ledger.h).
 *
 * A command is checked against the projections and the lifecycle, turned
 * into one resolved event, appended to `events`, and projected - all inside
 * one transaction, so a refused command leaves the database untouched.
 */
#include "wms_ledger.h"
#include "wms_lifecycle.h"

#include "chain.h"
#include "ledger_bulk.h"
#include "ledger_records.h"
#include "projection.h"
#include "store_sql.h"
#include "wms_depot.h"
#include "wms_ids.h"
#include "wms_rules.h"
#include "wms_supplier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct device_row {
	long long id, product_id, location_id, order_id, buffer_customer;
	enum wms_state state;
	wms_time updated;
	char location_kind[20];
	char depot[WMS_DEPOT_CODE_MAX + 1];   /* its location's, else its order's, else the default */
};

struct order_row {
	long long id, customer_id, product_id, pickup_point_id, device_id;
	wms_time registered;
	char status[16];
	char mode[16];
	char depot[WMS_DEPOT_CODE_MAX + 1];
};

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* v in decimal into buf (as "%lld" writes it, without the cost of printf: an event's
 * chain fields are numbers written for every event); returns buf. */
static const char *decimal(char buf[24], long long v)
{
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	char tmp[24];
	size_t n = 0, i = 0;

	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		buf[i++] = '-';
	while (n > 0)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
	return buf;
}

/*
 * Reference lookups (locations, products, depots) remembered by a bulk
 * session: reference data does not change while one runs, and these were
 * most of the statements of a bulk command.  The key is "what:value"; one
 * too long for the buffer is simply not remembered.
 */
static bool memo_key(struct wms_store *s, char *key, size_t n, const char *what, const char *v1,
                     const char *v2)
{
	const char *part[5] = { what, ":", v1 ? v1 : "", ":", v2 ? v2 : "" };
	size_t len = 0;

	if (!wms_bulk_of(s))
		return false;
	/* "what:v1:v2", put together by hand: this runs several times per command */
	for (int i = 0; i < 5; i++) {
		size_t k = strlen(part[i]);
		if (len + k >= n)
			return false;
		memcpy(key + len, part[i], k);
		len += k;
	}
	key[len] = '\0';
	return true;
}

static const struct bulk_ref *memo_get(struct wms_store *s, bool keyed, const char *key)
{
	return keyed ? wms_bulk_ref(s, key) : NULL;
}

/* A location by code: id, kind and depot ("" outside any depot);
 * 0, WMS_ENOTFOUND (err untouched) or WMS_EDB. */
static int location_by_code(struct wms_store *s, const char *code, long long *id, char kind[20],
                            char depot[WMS_DEPOT_CODE_MAX + 1], struct wms_error *err)
{
	static const char sql[] = "SELECT id, kind, coalesce(depot, '') FROM locations WHERE code = ?1";
	char key[96];
	bool keyed = memo_key(s, key, sizeof key, "loc", code, NULL);
	const struct bulk_ref *m = memo_get(s, keyed, key);
	struct bulk_ref r = { 0 };
	sqlite3_stmt *st;
	int rc;

	if (m == NULL) {
		if ((rc = wms_store_row(s, sql, code, 0, &st, "looking up the location", err)) <= 0)
			return rc < 0 ? rc : WMS_ENOTFOUND;
		r.id = sqlite3_column_int64(st, 0);
		snprintf(r.kind, sizeof r.kind, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(r.depot, sizeof r.depot, "%s", (const char *)sqlite3_column_text(st, 2));
		sqlite3_reset(st);
		if (keyed)
			wms_bulk_ref_keep(s, key, &r);
		m = &r;
	}
	*id = m->id;
	snprintf(kind, 20, "%s", m->kind);
	snprintf(depot, WMS_DEPOT_CODE_MAX + 1, "%s", m->depot);
	return 0;
}

/* A location kind in a message: the stored word (`wms location add --kind`),
 * or at a station words in its language ("a buffer store", "ett buffertförråd"). */
static const char *kind_word(const char *kind)
{
	static const struct { const char *kind, *words; } k[] = {
		{ "goods_in", WMS_N_("a goods-in area") }, { "shelf", WMS_N_("a shelf") },
		{ "buffer", WMS_N_("a buffer store") }, { "pickup_point", WMS_N_("a pickup point") },
		{ "transit", WMS_N_("the transport location") }, { "home", WMS_N_("a patient's home") },
		{ "unit", WMS_N_("an ordering unit") }, { "quarantine", WMS_N_("a quarantine area") },
		{ "reconditioning", WMS_N_("a reconditioning bench") },
		{ "repair", WMS_N_("a repair location") }, { "scrapped", WMS_N_("the scrap location") },
	};

	for (size_t i = 0; wms_error_for_station() && i < sizeof k / sizeof k[0]; i++)
		if (strcmp(k[i].kind, kind) == 0)
			return wms_tr(k[i].words);
	return kind;
}

/* "location X is a K location; a W location is needed here", in a station's words too. */
static int wrong_kind(struct wms_error *err, const char *code, const char *kind, const char *want)
{
	if (wms_error_for_station())
		return wms_error_set(err, WMS_EINVAL, "location \"%s\" is %s; %s is needed here", code,
		                     kind_word(kind), kind_word(want));
	return wms_error_set(err, WMS_EINVAL, "location \"%s\" is a %s location; a %s location is needed here",
	                     code, kind, want);
}

/* A location with its depot ("" for one outside any depot). */
static int find_location_at(struct wms_store *s, const char *code, const char *want_kind,
                            long long *id, char *depot, struct wms_error *err)
{
	char kind[20];
	int rc = location_by_code(s, code, id, kind, depot, err);

	if (rc == WMS_ENOTFOUND)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown location \"%s\"; see `wms location list`",
		                     code);
	if (rc == 0 && want_kind && strcmp(kind, want_kind) != 0)
		return wrong_kind(err, code, kind, want_kind);
	return rc;
}

static int find_location(struct wms_store *s, const char *code, const char *want_kind,
                         long long *id, struct wms_error *err)
{
	char depot[WMS_DEPOT_CODE_MAX + 1];

	return find_location_at(s, code, want_kind, id, depot, err);
}

/* The depot lookups of depot.c, remembered likewise. */
static int depot_known(struct wms_store *s, const char *code, struct wms_error *err)
{
	char key[64];
	bool keyed = memo_key(s, key, sizeof key, "depot", code, NULL);
	int rc;

	if (memo_get(s, keyed, key))
		return 0;
	if ((rc = wms_depot_known(s, code, err)) == 0 && keyed)
		wms_bulk_ref_keep(s, key, &(struct bulk_ref){ .n = 1 });
	return rc;
}

static int depot_location(struct wms_store *s, const char *depot, const char *kind, long long *id,
                          struct wms_error *err)
{
	char key[96];
	bool keyed = memo_key(s, key, sizeof key, "dloc", depot, kind);
	const struct bulk_ref *m = memo_get(s, keyed, key);
	int rc;

	if (m) {
		*id = m->id;
		return 0;
	}
	if ((rc = wms_depot_location(s, depot, kind, id, err)) == 0 && keyed)
		wms_bulk_ref_keep(s, key, &(struct bulk_ref){ .id = *id });
	return rc;
}

static int depot_resolve(struct wms_store *s, const char *code, char *out, struct wms_error *err)
{
	char key[64];
	bool keyed = memo_key(s, key, sizeof key, "dres", code, NULL);
	const struct bulk_ref *m = memo_get(s, keyed, key);
	struct bulk_ref r = { 0 };
	int rc;

	if (m) {
		snprintf(out, WMS_DEPOT_CODE_MAX + 1, "%s", m->depot);
		return 0;
	}
	if ((rc = wms_depot_resolve(s, code, out, err)) == 0 && keyed) {
		snprintf(r.depot, sizeof r.depot, "%s", out);
		wms_bulk_ref_keep(s, key, &r);
	}
	return rc;
}

/* A shelf or buffer store of the device's own depot: stock stays in its depot. */
static int find_location_in(struct wms_store *s, const char *code, const char *kind,
                            const char *serial, const char *depot, long long *id,
                            struct wms_error *err)
{
	char at[WMS_DEPOT_CODE_MAX + 1];
	int rc = find_location_at(s, code, kind, id, at, err);

	if (rc == 0 && strcmp(at, depot) != 0)
		return wms_error_set(err, WMS_EINVAL,
		                     "location %s is in depot %s; device %s is at depot %s: a device changes "
		                     "depot only by a transfer (%s, then %s there)", code, at, serial, depot,
		                     wms_event_word(WMS_EV_TRANSFER_OUT), wms_event_word(WMS_EV_TRANSFER_IN));
	return rc;
}

static int find_product(struct wms_store *s, const char *code, long long *id, struct wms_error *err)
{
	static const char sql[] = "SELECT id FROM products WHERE code = ?1";
	char key[96];
	bool keyed = memo_key(s, key, sizeof key, "prod", code, NULL);
	const struct bulk_ref *m = memo_get(s, keyed, key);
	int rc;

	if (m) {
		*id = m->id;
		return 0;
	}
	rc = wms_store_lookup_id(s, sql, code, id, NULL, 0, err);
	if (rc == WMS_ENOTFOUND)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown product type \"%s\"; see `wms product list`",
		                     code);
	if (rc == 0 && keyed)
		wms_bulk_ref_keep(s, key, &(struct bulk_ref){ .id = *id });
	return rc;
}

/* The kind, depot and buffer customer of location id into d (the bulk path's
 * devices hold only the location's id); the depot is "" when it has none. */
static int location_of(struct wms_store *s, long long id, struct device_row *d, struct wms_error *err)
{
	static const char sql[] = "SELECT kind, coalesce(depot, ''), customer_id FROM locations WHERE id = ?1";
	char key[48], num[24];
	bool keyed;
	const struct bulk_ref *m;
	struct bulk_ref r = { 0 };
	sqlite3_stmt *st;
	int rc;

	d->location_kind[0] = d->depot[0] = '\0';
	d->buffer_customer = 0;
	if (id <= 0)
		return 0;
	keyed = memo_key(s, key, sizeof key, "locid", decimal(num, id), NULL);
	if ((m = memo_get(s, keyed, key)) == NULL) {
		if ((rc = wms_store_row(s, sql, NULL, id, &st, "looking up the location", err)) <= 0)
			return rc;
		snprintf(r.kind, sizeof r.kind, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(r.depot, sizeof r.depot, "%s", (const char *)sqlite3_column_text(st, 1));
		r.n = sqlite3_column_int64(st, 2);
		sqlite3_reset(st);
		if (keyed)
			wms_bulk_ref_keep(s, key, &r);
		m = &r;
	}
	snprintf(d->location_kind, sizeof d->location_kind, "%s", m->kind);
	snprintf(d->depot, sizeof d->depot, "%s", m->depot);
	d->buffer_customer = m->n;
	return 0;
}

/* The default depot's code into code, "" when there is none (as find_device's
 * query gives it); only a database error fails. */
static int default_depot(struct wms_store *s, char *code, struct wms_error *err)
{
	struct wms_error e = { 0 };
	char key[16];
	bool keyed = memo_key(s, key, sizeof key, "ddef", NULL, NULL);
	const struct bulk_ref *m = memo_get(s, keyed, key);
	struct bulk_ref r = { 0 };
	int rc;

	if (m) {
		snprintf(code, WMS_DEPOT_CODE_MAX + 1, "%s", m->depot);
		return 0;
	}
	rc = wms_depot_default(s, code, &e);
	if (rc == WMS_ENOTFOUND) {
		code[0] = '\0';
		rc = 0;
	}
	if (rc < 0 && err)
		*err = e;
	if (rc == 0 && keyed) {
		snprintf(r.depot, sizeof r.depot, "%s", code);
		wms_bulk_ref_keep(s, key, &r);
	}
	return rc;
}

/* find_device of the bulk path: the device as the session holds it. */
static int find_bulk_device(struct wms_store *s, const char *serial, struct device_row *d,
                            struct wms_error *err)
{
	struct bulk_device *b;
	int rc = wms_bulk_device(s, serial, 0, &b, err);

	if (rc == WMS_ENOTFOUND)
		return wms_error_set(err, WMS_ENOTFOUND,
		                     "unknown serial \"%s\": no such device has been received", serial);
	if (rc < 0)
		return rc;
	d->id = b->id;
	d->product_id = b->product_id;
	d->location_id = b->location_id;
	d->order_id = b->order_id;
	d->state = b->state;
	d->updated = b->updated;
	/* as find_device: its location's depot, else its order's, else the default */
	if ((rc = location_of(s, b->location_id, d, err)) < 0)
		return rc;
	if (d->depot[0] == '\0' && b->order_id > 0) {
		struct bulk_order *o;
		if (wms_bulk_order(s, NULL, b->order_id, &o, err) == 0 && o->depot)
			snprintf(d->depot, sizeof d->depot, "%s", o->depot);
	}
	return d->depot[0] ? 0 : default_depot(s, d->depot, err);
}

static int find_device(struct wms_store *s, const char *serial, struct device_row *d,
                       struct wms_error *err)
{
	static const char sql[] =
		"SELECT d.id, d.product_id, d.location_id, d.order_id, d.state, d.updated_ts, l.kind,"
		" coalesce(l.depot, o.depot, (SELECT code FROM depots WHERE is_default = 1), ''),"
		" l.customer_id"
		" FROM devices d LEFT JOIN locations l ON l.id = d.location_id"
		" LEFT JOIN orders o ON o.id = d.order_id WHERE d.serial = ?1";
	sqlite3_stmt *st;
	int rc;

	if (wms_bulk_of(s))
		return find_bulk_device(s, serial, d, err);
	rc = wms_store_row(s, sql, serial, 0, &st, "looking up the device", err);
	if (rc <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND,
		                                   "unknown serial \"%s\": no such device has been received",
		                                   serial);
	d->id = sqlite3_column_int64(st, 0);
	d->product_id = sqlite3_column_int64(st, 1);
	d->location_id = sqlite3_column_int64(st, 2);
	d->order_id = sqlite3_column_int64(st, 3);
	d->state = (enum wms_state)wms_state_from_name((const char *)sqlite3_column_text(st, 4));
	d->updated = sqlite3_column_int64(st, 5);
	snprintf(d->location_kind, sizeof d->location_kind, "%s",
	         sqlite3_column_text(st, 6) ? (const char *)sqlite3_column_text(st, 6) : "");
	snprintf(d->depot, sizeof d->depot, "%s", (const char *)sqlite3_column_text(st, 7));
	d->buffer_customer = sqlite3_column_int64(st, 8);
	sqlite3_reset(st);
	return 0;
}

static int load_order(struct wms_store *s, const char *number, long long id, struct order_row *o,
                      struct wms_error *err)
{
	static const char by_number[] =
		"SELECT id, customer_id, product_id, pickup_point_id, device_id, registered_ts, status, mode,"
		" depot FROM orders WHERE number = ?1";
	static const char by_id[] =
		"SELECT id, customer_id, product_id, pickup_point_id, device_id, registered_ts, status, mode,"
		" depot FROM orders WHERE id = ?1";
	sqlite3_stmt *st;
	int rc;

	if (wms_bulk_of(s)) {
		struct bulk_order *b;
		rc = wms_bulk_order(s, number, id, &b, err);
		if (rc == WMS_ENOTFOUND)
			return wms_error_set(err, WMS_ENOTFOUND, "unknown order \"%s\"", number ? number : "?");
		if (rc < 0)
			return rc;
		o->id = b->id;
		o->customer_id = b->customer_id;
		o->product_id = b->product_id;
		o->pickup_point_id = b->pickup_point_id;
		o->device_id = b->device_id;
		o->registered = b->registered;
		snprintf(o->status, sizeof o->status, "%s", b->status);
		snprintf(o->mode, sizeof o->mode, "%s", b->mode);
		o->depot[0] = '\0';
		if (b->depot && depot_known(s, b->depot, NULL) == 0)
			snprintf(o->depot, sizeof o->depot, "%s", b->depot);
		/* as the orders table does: an order of no known depot is the default depot's */
		return o->depot[0] ? 0 : default_depot(s, o->depot, err);
	}
	rc = wms_store_row(s, number ? by_number : by_id, number, id, &st, "looking up the order", err);
	if (rc <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND, "unknown order \"%s\"",
		                                   number ? number : "?");
	o->id = sqlite3_column_int64(st, 0);
	o->customer_id = sqlite3_column_int64(st, 1);
	o->product_id = sqlite3_column_int64(st, 2);
	o->pickup_point_id = sqlite3_column_int64(st, 3);
	o->device_id = sqlite3_column_int64(st, 4);
	o->registered = sqlite3_column_int64(st, 5);
	snprintf(o->status, sizeof o->status, "%s", (const char *)sqlite3_column_text(st, 6));
	snprintf(o->mode, sizeof o->mode, "%s", (const char *)sqlite3_column_text(st, 7));
	snprintf(o->depot, sizeof o->depot, "%s", (const char *)sqlite3_column_text(st, 8));
	sqlite3_reset(st);
	return 0;
}

/*
 * The one place an event row is written (the live path, and any bulk path
 * that reuses it): the row with its id and its hash chained to the event
 * before it (wms_chain.h).  Its statements are the store's cached ones, so
 * a caller may call it many times inside one transaction.
 */
static int insert_event(struct wms_store *s, struct wms_event *ev, const char *station,
                        const char *actor, struct wms_error *err)
{
	static const char last[] = "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1";
	static const char sql[] =
		"INSERT INTO events(id, ts, type, device_id, order_id, from_state, to_state, location_id,"
		" station, actor, payload, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	unsigned char prev[WMS_CHAIN_HASH_BYTES], hash[WMS_CHAIN_HASH_BYTES];
	char num[4][24];
	const char *f[CHAIN_FIELDS] = { 0 };
	sqlite3_stmt *st;
	char *payload = NULL;
	bool have_prev = false;
	int rc;

	/* a bulk session knows the event it wrote last */
	if (wms_bulk_of(s) && wms_bulk_last_event(s, &ev->id, prev)) {
		ev->id++;
		have_prev = true;
		rc = 0;
	} else if ((rc = wms_store_row(s, last, NULL, 0, &st, "reading the ledger's last event", err)) < 0) {
		return rc;
	} else {
		ev->id = 1;
	}
	if (rc == 1) {
		ev->id = sqlite3_column_int64(st, 0) + 1;
		if ((have_prev = sqlite3_column_bytes(st, 1) == WMS_CHAIN_HASH_BYTES))
			memcpy(prev, sqlite3_column_blob(st, 1), sizeof prev);
		sqlite3_reset(st);
		if (!have_prev)
			return wms_error_set(err, WMS_EDB, "event %lld has no hash: the ledger's chain is "
			                     "broken; see `wms db check`", ev->id - 1);
	}
	if (json_object_size(ev->payload) > 0) {
		payload = json_dumps(ev->payload, JSON_COMPACT | JSON_SORT_KEYS);
		if (payload == NULL)
			return wms_error_set(err, WMS_ENOMEM, "out of memory encoding an event");
	}
	f[CHAIN_ID] = decimal(num[0], ev->id);
	f[CHAIN_TS] = decimal(num[1], (long long)ev->ts);
	f[CHAIN_TYPE] = wms_event_name(ev->type);
	if (ev->device_id)
		f[CHAIN_DEVICE] = decimal(num[2], ev->device_id);
	if (ev->order_id)
		f[CHAIN_ORDER] = decimal(num[3], ev->order_id);
	if (ev->type < WMS_EV_DEVICE_COUNT) {
		if (ev->from != WMS_ST_NONE)
			f[CHAIN_FROM] = wms_state_name(ev->from);
		f[CHAIN_TO] = wms_state_name(ev->to);
	}
	f[CHAIN_STATION] = nz(station);
	f[CHAIN_ACTOR] = nz(actor);
	f[CHAIN_PAYLOAD] = payload;
	{
		char loc[24];
		if (ev->location_id)
			f[CHAIN_LOCATION] = decimal(loc, ev->location_id);
		wms_chain_hash(have_prev ? prev : NULL, f, hash);
	}
	if ((st = wms_store_stmt(s, sql, err)) == NULL) {
		free(payload);
		return WMS_EDB;
	}
	sqlite3_bind_int64(st, 1, ev->id);
	sqlite3_bind_int64(st, 2, ev->ts);
	sqlite3_bind_text(st, 3, f[CHAIN_TYPE], -1, SQLITE_STATIC);
	if (ev->device_id) sqlite3_bind_int64(st, 4, ev->device_id);
	if (ev->order_id) sqlite3_bind_int64(st, 5, ev->order_id);
	wms_bind_text_or_null(st, 6, f[CHAIN_FROM]);
	wms_bind_text_or_null(st, 7, f[CHAIN_TO]);
	if (ev->location_id) sqlite3_bind_int64(st, 8, ev->location_id);
	wms_bind_text_or_null(st, 9, f[CHAIN_STATION]);
	wms_bind_text_or_null(st, 10, f[CHAIN_ACTOR]);
	if (payload)
		sqlite3_bind_text(st, 11, payload, -1, free);
	sqlite3_bind_blob(st, 12, hash, sizeof hash, SQLITE_TRANSIENT);
	if ((rc = wms_store_step_done(s, st, "appending the event", err)) == 0 && wms_bulk_of(s))
		wms_bulk_set_last_event(s, ev->id, hash);
	return rc;
}

static long long next_id(struct wms_store *s, const char *sql, struct wms_error *err)
{
	sqlite3_stmt *st;
	long long id = -1;

	if (wms_bulk_of(s))   /* the session counts on from the tables' max */
		return wms_bulk_next_id(s, strstr(sql, "devices") != NULL);
	st = wms_store_stmt(s, sql, err);

	if (st && sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	if (id < 0)
		wms_store_sql_error(s, err, "allocating an id");
	return id;
}

static int json_set_str(json_t *o, const char *key, const char *value)
{
	if (value == NULL || *value == '\0')
		return 0;
	return json_object_set_new(o, key, json_string(value)) == 0 ? 0 : WMS_ENOMEM;
}

static int json_set_int(json_t *o, const char *key, long long v)
{
	if (v == 0)
		return 0;
	return json_object_set_new(o, key, json_integer(v)) == 0 ? 0 : WMS_ENOMEM;
}

static int need(const char *value, const char *what, const char *cmd, struct wms_error *err)
{
	if (nz(value) == NULL)
		return wms_error_set(err, WMS_EINVAL, "%s needs %s", cmd, what);
	return 0;
}

/* receive: a new device enters the ledger. */
static int prepare_receive(struct wms_store *s, const struct wms_cmd *c, struct wms_event *ev,
                           struct wms_error *err)
{
	static const char by_gtin[] = "SELECT product_id FROM product_gtins WHERE gtin = ?1";
	static const char by_serial[] =
		"SELECT p.code FROM devices d JOIN products p ON p.id = d.product_id WHERE d.serial = ?1";
	/* a voided receipt's device id stays its own: its events keep it */
	static const char max_device[] =
		"SELECT max(coalesce((SELECT max(id) FROM devices), 0),"
		" coalesce((SELECT max(device_id) FROM events WHERE device_id IS NOT NULL), 0)) + 1";
	char gtin[15] = "";
	long long product_id = 0, gtin_product = 0;
	int rc;

	if ((rc = wms_check_serial(c->serial, err)) < 0)
		return rc;
	if (nz(c->gtin) && (rc = wms_gtin_normalise(c->gtin, gtin, err)) < 0)
		return rc;
	if (nz(c->lot) && strlen(c->lot) > 20)
		return wms_error_set(err, WMS_EINVAL, "bad lot \"%.40s\": at most 20 characters", c->lot);
	if (nz(c->expiry) && (rc = wms_check_plain_date("expiry date", c->expiry, err)) < 0)
		return rc;
	if (nz(c->manufactured) &&
	    (rc = wms_check_plain_date("manufacture date", c->manufactured, err)) < 0)
		return rc;
	if (nz(c->product) && (rc = find_product(s, c->product, &product_id, err)) < 0)
		return rc;
	if (gtin[0]) {
		rc = wms_store_lookup_id(s, by_gtin, gtin, &gtin_product, NULL, 0, err);
		if (rc == WMS_EDB)
			return rc;
		if (rc == WMS_ENOTFOUND && product_id == 0)
			return wms_error_set(err, WMS_ENOTFOUND,
			                     "unknown GTIN %s: register it with `wms product add-gtin` or name the product",
			                     gtin);
		if (gtin_product && product_id && gtin_product != product_id)
			return wms_error_set(err, WMS_EINVAL,
			                     "GTIN %s belongs to another product type than \"%s\"", gtin, c->product);
		if (product_id == 0)
			product_id = gtin_product;
	}
	if (product_id == 0 && nz(c->delivery) &&
	    (rc = wms_delivery_product(s, c->delivery, c->serial, &product_id, err)) < 0)
		return rc;
	if (product_id == 0)
		return wms_error_set(err, WMS_EINVAL, "receive needs a product type, a registered GTIN or "
		                     "the supplier delivery it came with");
	if (wms_bulk_of(s)) {
		struct bulk_device *have;
		static const char code[] = "SELECT code FROM products WHERE id = ?1";
		sqlite3_stmt *st;
		rc = wms_bulk_device(s, c->serial, 0, &have, err);
		if (rc == 0) {
			if (wms_store_row(s, code, NULL, have->product_id, &st, "looking up the product", err) <= 0)
				return WMS_EDB;
			wms_error_set(err, WMS_EEXIST, "serial \"%s\" is already registered (product %s)",
			              c->serial, sqlite3_column_text(st, 0));
			sqlite3_reset(st);
			return WMS_EEXIST;
		}
		if (rc != WMS_ENOTFOUND)
			return rc;
	} else {
		sqlite3_stmt *st = wms_store_stmt(s, by_serial, err);
		if (st == NULL)
			return WMS_EDB;
		sqlite3_bind_text(st, 1, c->serial, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			wms_error_set(err, WMS_EEXIST, "serial \"%s\" is already registered (product %s)",
			              c->serial, sqlite3_column_text(st, 0));
			sqlite3_reset(st);
			return WMS_EEXIST;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return wms_store_sql_error(s, err, "looking up the serial");
	}
	if (nz(c->delivery) && (rc = wms_delivery_check(s, c->delivery, product_id, c->serial, err)) < 0)
		return rc;
	if (nz(c->location)) {
		char at[WMS_DEPOT_CODE_MAX + 1];
		if ((rc = find_location_at(s, c->location, NULL, &ev->location_id, at, err)) < 0)
			return rc;
		if (nz(c->depot) && (rc = depot_known(s, c->depot, err)) < 0)
			return rc;
		if (nz(c->depot) && strcmp(at, c->depot) != 0)
			return wms_error_set(err, WMS_EINVAL, "location %s is not in depot %s", c->location, c->depot);
	} else {
		char depot[WMS_DEPOT_CODE_MAX + 1];
		if ((rc = depot_resolve(s, c->depot, depot, err)) < 0 ||
		    (rc = depot_location(s, depot, "goods_in", &ev->location_id, err)) < 0)
			return rc;
	}
	ev->device_id = next_id(s, max_device, err);
	if (ev->device_id < 0)
		return WMS_EDB;
	ev->from = WMS_ST_NONE;
	ev->to = WMS_ST_RECEIVED;
	if (json_set_str(ev->payload, "serial", c->serial) || json_set_int(ev->payload, "product_id", product_id) ||
	    json_set_str(ev->payload, "gtin", gtin) || json_set_str(ev->payload, "lot", c->lot) ||
	    json_set_str(ev->payload, "delivery", c->delivery) ||
	    json_set_str(ev->payload, "expiry", c->expiry) ||
	    json_set_str(ev->payload, "manufactured", c->manufactured))
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	return 0;
}

static int prepare_order_create(struct wms_store *s, const struct wms_cmd *c, struct wms_event *ev,
                                struct wms_error *err)
{
	static const char by_customer[] = "SELECT id FROM customers WHERE code = ?1";
	static const char by_number[] = "SELECT id FROM orders WHERE number = ?1";
	static const char max_order[] = "SELECT coalesce(max(id), 0) + 1 FROM orders";
	long long customer_id = 0, product_id = 0, pickup_id = 0, existing = 0;
	char depot[WMS_DEPOT_CODE_MAX + 1];
	int rc;

	if ((rc = wms_check_order_number(c->order, err)) < 0)
		return rc;
	if ((rc = need(c->customer, "an ordering unit (--customer)", "order create", err)) < 0 ||
	    (rc = need(c->product, "a product type (--product)", "order create", err)) < 0 ||
	    (rc = need(c->mode, "a delivery mode (--mode)", "order create", err)) < 0)
		return rc;
	if (wms_delivery_mode_index(c->mode) < 0)
		return wms_error_set(err, WMS_EINVAL,
		                     "bad delivery mode \"%.40s\": use home, pickup_point, unit or buffer", c->mode);
	if (c->patient_ref && (rc = wms_patient_ref_check(c->patient_ref, err)) < 0)
		return rc;
	rc = wms_store_lookup_id(s, by_customer, c->customer, &customer_id, NULL, 0, err);
	if (rc == WMS_ENOTFOUND)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown ordering unit \"%s\"; see `wms customer list`",
		                     c->customer);
	if (rc < 0 || (rc = find_product(s, c->product, &product_id, err)) < 0)
		return rc;
	if (strcmp(c->mode, "pickup_point") == 0) {
		if ((rc = need(c->pickup_point, "a pickup point (--pickup-point) for mode pickup_point",
		               "order create", err)) < 0 ||
		    (rc = find_location(s, c->pickup_point, "pickup_point", &pickup_id, err)) < 0)
			return rc;
	} else if (nz(c->pickup_point)) {
		return wms_error_set(err, WMS_EINVAL, "a pickup point is only for delivery mode pickup_point");
	}
	if (nz(c->requested_date)) {
		wms_day d;
		if ((rc = wms_date_parse(c->requested_date, &d, err)) < 0)
			return rc;
		if (d < wms_local_day(ev->ts, NULL))
			return wms_error_set(err, WMS_EINVAL, "requested date %s is before the order date",
			                     c->requested_date);
	}
	if ((rc = depot_resolve(s, c->depot, depot, err)) < 0)
		return rc;
	if (nz(c->exchange_of)) {
		struct device_row d;
		if ((rc = find_device(s, c->exchange_of, &d, err)) < 0)
			return rc;
		if (json_set_int(ev->payload, "exchange_of", d.id))
			return WMS_ENOMEM;
	}
	if (wms_bulk_of(s)) {
		struct bulk_order *have;
		rc = wms_bulk_order(s, c->order, 0, &have, err);
	} else {
		rc = wms_store_lookup_id(s, by_number, c->order, &existing, NULL, 0, err);
	}
	if (rc == 0)
		return wms_error_set(err, WMS_EEXIST, "order \"%s\" already exists", c->order);
	if (rc != WMS_ENOTFOUND)
		return rc;
	if (nz(c->external_id)) {
		static const char by_external[] =
			"SELECT o.number FROM orders o WHERE o.customer_id = ?1 AND o.external_id = ?2";
		sqlite3_stmt *st;
		if ((rc = wms_check_order_number(c->external_id, err)) < 0)
			return wms_error_set(err, WMS_EINVAL, "bad external order id: %s", err ? err->msg : "");
		if (wms_bulk_of(s) && wms_bulk_external_taken(s, customer_id, c->external_id))
			return wms_error_set(err, WMS_EEXIST, "ordering unit %s's order %s is already registered",
			                     c->customer, c->external_id);
		if ((st = wms_store_stmt(s, by_external, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_int64(st, 1, customer_id);
		sqlite3_bind_text(st, 2, c->external_id, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			wms_error_set(err, WMS_EEXIST, "ordering unit %s's order %s is already registered as order %s",
			              c->customer, c->external_id, (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
		if (rc == SQLITE_ROW)
			return WMS_EEXIST;
		if (rc != SQLITE_DONE)
			return wms_store_sql_error(s, err, "looking up the external order id");
	}
	ev->order_id = next_id(s, max_order, err);
	if (ev->order_id < 0)
		return WMS_EDB;
	if (json_set_str(ev->payload, "number", c->order) ||
	    json_set_int(ev->payload, "customer_id", customer_id) ||
	    json_set_int(ev->payload, "product_id", product_id) ||
	    json_set_str(ev->payload, "mode", c->mode) ||
	    json_set_int(ev->payload, "pickup_point_id", pickup_id) ||
	    json_set_str(ev->payload, "requested_date", c->requested_date) ||
	    json_set_str(ev->payload, "depot", depot) ||
	    json_set_str(ev->payload, "external_id", c->external_id))
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	return 0;
}

static int prepare_order_change(struct wms_store *s, const struct wms_cmd *c, struct wms_event *ev,
                                struct wms_error *err)
{
	struct order_row o;
	int rc;

	if ((rc = wms_check_order_number(c->order, err)) < 0 ||
	    (rc = load_order(s, c->order, 0, &o, err)) < 0)
		return rc;
	if ((rc = need(c->reason, "a reason (--reason)", wms_event_word(c->type), err)) < 0)
		return rc;
	if (c->type == WMS_EV_ORDER_CANCEL && strcmp(o.status, "open") != 0)
		return wms_error_set(err, WMS_ESTATE,
		                     "order %s %s; only an open order can be cancelled%s", c->order,
		                     wms_order_status_words(o.status),
		                     strcmp(o.status, "reserved") == 0 || strcmp(o.status, "picked") == 0
		                             ? " (unreserve its device first)" : "");
	if (ev->ts < o.registered)
		return wms_error_set(err, WMS_EINVAL, "event time is before the order was registered");
	ev->order_id = o.id;
	if (c->type == WMS_EV_ORDER_NOTE && nz(c->pickup_point)) {
		/* a note that sets (or changes) the pickup point: the order is then
		 * delivered to that point; only before it leaves the warehouse */
		long long pp;
		if (strcmp(o.status, "open") && strcmp(o.status, "reserved") && strcmp(o.status, "picked"))
			return wms_error_set(err, WMS_ESTATE, "order %s %s; its pickup point can be set only "
			                     "before its device leaves the warehouse", c->order,
			                     wms_order_status_words(o.status));
		if ((rc = find_location(s, c->pickup_point, "pickup_point", &pp, err)) < 0)
			return rc;
		if (json_set_int(ev->payload, "pickup_point_id", pp) ||
		    json_set_str(ev->payload, "mode", "pickup_point"))
			return WMS_ENOMEM;
	}
	return json_set_str(ev->payload, "reason", c->reason) ? WMS_ENOMEM : 0;
}

/* expect_return (hämtorder) and exchange: the pickup's due day and the day the rent stops. */
static int prepare_expect_return(const struct wms_cmd *c, struct wms_event *ev, struct wms_error *err)
{
	wms_day today = wms_local_day(ev->ts, NULL), due = 0, stop = 0;
	int rc;

	if (nz(c->pickup_due) && (rc = wms_date_parse(c->pickup_due, &due, err)) < 0)
		return rc;
	if (nz(c->rent_stop) && (rc = wms_date_parse(c->rent_stop, &stop, err)) < 0)
		return rc;
	if (due && due < today)
		return wms_error_set(err, WMS_EINVAL, "pickup due date %s is before the pickup order (%s)",
		                     c->pickup_due, wms_date_format(today, (char[11]){ 0 }));
	if (stop && stop < today)
		return wms_error_set(err, WMS_EINVAL, "rent stop date %s is before the pickup order (%s)",
		                     c->rent_stop, wms_date_format(today, (char[11]){ 0 }));
	if (json_set_str(ev->payload, "pickup_due", c->pickup_due) ||
	    json_set_str(ev->payload, "rent_stop", c->rent_stop))
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	return 0;
}

/* Reserve: the order's depot, and buffer stock only for the unit that hands it out itself. */
static int check_reserve(const struct wms_cmd *c, const struct device_row *d, const struct order_row *o,
                         struct wms_error *err)
{
	if (strcmp(o->depot, d->depot) != 0)
		return wms_error_set(err, WMS_EINVAL,
		                     "device %s is at depot %s; order %s is served from depot %s: reserve a "
		                     "device of depot %s, or request a transfer (`wms transfer request %s`)",
		                     c->serial, d->depot, c->order, o->depot, o->depot, c->order);
	if (strcmp(d->location_kind, "buffer") != 0)
		return 0;
	if (strcmp(o->mode, "buffer") != 0 && strcmp(o->mode, "unit") != 0)
		return wms_error_set(err, WMS_EINVAL,
		                     "device %s stands in a buffer store; buffer stock serves only orders the "
		                     "unit hands out itself (mode buffer or unit), not a %s delivery",
		                     c->serial, o->mode);
	if (d->buffer_customer != o->customer_id)
		return wms_error_set(err, WMS_EINVAL,
		                     "device %s stands in another ordering unit's buffer store than order %s's",
		                     c->serial, c->order);
	return 0;
}

/* transfer_out: to the in-transit location of the receiving depot. */
static int prepare_transfer_out(struct wms_store *s, const struct wms_cmd *c, const struct device_row *d,
                                struct wms_event *ev, struct wms_error *err)
{
	int rc;

	if ((rc = need(c->to_depot, "the receiving depot (--to)", "transfer_out", err)) < 0 ||
	    (rc = depot_known(s, c->to_depot, err)) < 0)
		return rc;
	if (strcmp(c->to_depot, d->depot) == 0)
		return wms_error_set(err, WMS_EINVAL, "device %s is already at depot %s; a transfer goes to "
		                     "another depot", c->serial, d->depot);
	if ((rc = depot_location(s, c->to_depot, "transit", &ev->location_id, err)) < 0)
		return rc;
	if (json_set_str(ev->payload, "from_depot", d->depot) ||
	    json_set_str(ev->payload, "to_depot", c->to_depot))
		return WMS_ENOMEM;
	return 0;
}

/* Where a device stands after a device event, and the checks particular to it. */
static int prepare_device_event(struct wms_store *s, const struct wms_cmd *c,
                                const struct device_row *d, struct wms_event *ev,
                                struct wms_error *err)
{
	struct order_row o;
	const char *name = wms_event_word(c->type);
	int rc;

	ev->location_id = d->location_id;
	ev->order_id = d->order_id;
	/* a station acts on the devices of its own depot; a return and a
	 * transfer_in are what bring a device into it */
	if (nz(c->depot)) {
		if ((rc = depot_known(s, c->depot, err)) < 0)
			return rc;
		if (c->type == WMS_EV_TRANSFER_IN && strcmp(c->depot, d->depot) != 0)
			return wms_error_set(err, WMS_EINVAL, "device %s is on its way to depot %s; it is scanned "
			                     "in there, not at depot %s", c->serial, d->depot, c->depot);
		if (c->type != WMS_EV_RETURN && strcmp(c->depot, d->depot) != 0)
			return wms_error_set(err, WMS_EINVAL,
			                     "device %s is at depot %s, not at depot %s where \"%s\" was done: a "
			                     "device changes depot only by a transfer", c->serial, d->depot, c->depot,
			                     name);
	}
	switch (c->type) {
	case WMS_EV_MOVE:
	case WMS_EV_FROM_BUFFER:
	case WMS_EV_RECON_APPROVE:
		if ((rc = need(c->location, "a shelf location (--location)", name, err)) < 0)
			return rc;
		return find_location_in(s, c->location, "shelf", c->serial, d->depot, &ev->location_id, err);
	case WMS_EV_TO_BUFFER:
		if ((rc = need(c->location, "a buffer store location (--location)", name, err)) < 0)
			return rc;
		return find_location_in(s, c->location, "buffer", c->serial, d->depot, &ev->location_id, err);
	case WMS_EV_RESERVE:
		if ((rc = need(c->order, "an order (--order)", name, err)) < 0 ||
		    (rc = load_order(s, c->order, 0, &o, err)) < 0)
			return rc;
		if (strcmp(o.status, "open") != 0)
			return wms_error_set(err, WMS_ESTATE, "order %s %s; only an open order can be reserved for",
			                     c->order, wms_order_status_words(o.status));
		if (o.product_id != d->product_id)
			return wms_error_set(err, WMS_EINVAL,
			                     "device %s is of another product type than order %s asks for",
			                     c->serial, c->order);
		if ((rc = check_reserve(c, d, &o, err)) < 0)
			return rc;
		ev->order_id = o.id;
		return 0;
	case WMS_EV_UNRESERVE:
		if (strcmp(d->location_kind, "buffer") == 0)
			ev->to = WMS_ST_IN_BUFFER;
		return 0;
	case WMS_EV_DISPATCH:
		return find_location(s, "TRANSIT", NULL, &ev->location_id, err);
	case WMS_EV_DELIVER:
		if ((rc = load_order(s, NULL, d->order_id, &o, err)) < 0)
			return rc;
		if (strcmp(o.mode, "home") == 0)
			return find_location(s, "HOME", NULL, &ev->location_id, err);
		if (strcmp(o.mode, "pickup_point") == 0) {
			ev->location_id = o.pickup_point_id;
			return 0;
		}
		return find_location(s, "UNIT", NULL, &ev->location_id, err);
	case WMS_EV_EXCHANGE:
		if ((rc = need(c->order, "the replacing order (--order)", name, err)) < 0 ||
		    (rc = need(c->reason, "a reason (--reason)", name, err)) < 0 ||
		    (rc = load_order(s, c->order, 0, &o, err)) < 0)
			return rc;
		if (strcmp(o.status, "cancelled") == 0)
			return wms_error_set(err, WMS_ESTATE, "replacing order %s is cancelled", c->order);
		ev->order_id = o.id;
		return prepare_expect_return(c, ev, err);   /* the old device is collected too */
	case WMS_EV_EXPECT_RETURN:
		return prepare_expect_return(c, ev, err);
	case WMS_EV_RETURN:
		/* into the quarantine of the depot where it is handed in */
		return depot_location(s, nz(c->depot) ? c->depot : d->depot, "quarantine",
		                          &ev->location_id, err);
	case WMS_EV_REPAIR_BACK:
		return depot_location(s, d->depot, "quarantine", &ev->location_id, err);
	case WMS_EV_RECON_START:
		return depot_location(s, d->depot, "reconditioning", &ev->location_id, err);
	case WMS_EV_RECON_REPAIR:
		if ((rc = need(c->reason, "a fault description (--reason)", name, err)) < 0)
			return rc;
		return depot_location(s, d->depot, "repair", &ev->location_id, err);
	case WMS_EV_SCRAP:
		if ((rc = need(c->reason, "a reason (--reason)", name, err)) < 0)
			return rc;
		return find_location(s, "SCRAPPED", NULL, &ev->location_id, err);
	case WMS_EV_TRANSFER_OUT:
		return prepare_transfer_out(s, c, d, ev, err);
	case WMS_EV_TRANSFER_IN:
		return depot_location(s, d->depot, "goods_in", &ev->location_id, err);
	default:
		return 0;
	}
}

/* Buffer stock handed out by the ordering unit itself: reserved -> delivered. */
static bool buffer_handout(struct wms_store *s, const struct device_row *d, enum wms_event_type t)
{
	struct order_row o;

	if (t != WMS_EV_DELIVER || d->state != WMS_ST_RESERVED || strcmp(d->location_kind, "buffer") != 0)
		return false;
	return load_order(s, NULL, d->order_id, &o, NULL) == 0 &&
	       (strcmp(o.mode, "buffer") == 0 || strcmp(o.mode, "unit") == 0);
}

/* void: the receive or move c->voids, while it is its device's latest event. */
static int prepare_void(struct wms_store *s, const struct wms_cmd *c, struct wms_event *ev,
                        struct wms_error *err)
{
	static const char target[] =
		"SELECT e.type, e.device_id, e.from_state, e.ts, d.last_event_id, d.serial FROM events e"
		" LEFT JOIN devices d ON d.id = e.device_id WHERE e.id = ?1";
	static const char before[] =
		"SELECT location_id FROM events WHERE device_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT 1";
	char type[24], from[24], serial[WMS_SERIAL_MAX + 1];
	long long latest;
	sqlite3_stmt *st;
	wms_time ts;
	int rc;

	if ((rc = need(c->reason, "a reason (--reason)", "void", err)) < 0)
		return rc;
	/* the bulk session keeps devices in memory (ledger_bulk.c) and has no
	 * projection of a void: a correction is one command, never a batch */
	if (wms_bulk_of(s))
		return wms_error_set(err, WMS_ESTATE, "void is not accepted in a bulk import; void the "
		                     "event on its own with `wms void`");
	if (c->voids <= 0)
		return wms_error_set(err, WMS_EINVAL, "void needs the id of the event to void");
	if ((rc = wms_store_row(s, target, NULL, c->voids, &st, "looking up the event", err)) < 0)
		return rc;
	if (rc == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown event %lld", c->voids);
	snprintf(type, sizeof type, "%s", (const char *)sqlite3_column_text(st, 0));
	ev->device_id = sqlite3_column_int64(st, 1);
	snprintf(from, sizeof from, "%s", sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "");
	ts = sqlite3_column_int64(st, 3);
	latest = sqlite3_column_int64(st, 4);
	snprintf(serial, sizeof serial, "%s", sqlite3_column_text(st, 5) ? (const char *)sqlite3_column_text(st, 5) : "");
	sqlite3_reset(st);
	if (strcmp(type, "receive") != 0 && strcmp(type, "move") != 0)
		return wms_error_set(err, WMS_ESTATE, "event %lld is a %s; only a receipt or a move can be voided "
		                     "(other mistakes have their own reverse: unreserve, return, ...)", c->voids, type);
	if (latest != c->voids)
		return wms_error_set(err, WMS_ESTATE, "event %lld is not device %s's latest event (latest: %lld); "
		                     "only the latest event of a device can be voided", c->voids,
		                     serial[0] ? serial : "?", latest);
	if (ev->ts < ts)
		return wms_error_set(err, WMS_EINVAL, "void time is before the event it voids");
	if (strcmp(type, "move") == 0) {
		if ((st = wms_store_stmt(s, before, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_int64(st, 1, ev->device_id);
		sqlite3_bind_int64(st, 2, c->voids);
		if (sqlite3_step(st) == SQLITE_ROW)
			ev->location_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	if (json_set_int(ev->payload, "voids", c->voids) || json_set_str(ev->payload, "voided", type) ||
	    json_set_str(ev->payload, "state", from) || json_set_str(ev->payload, "serial", serial) ||
	    json_set_str(ev->payload, "reason", c->reason))
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	return 0;
}

static int prepare(struct wms_store *s, const struct wms_cmd *c, struct wms_event *ev,
                   struct wms_error *err)
{
	struct device_row d;
	char allowed[256], when[32];
	int rc;

	if (c->type == WMS_EV_RECEIVE)
		return prepare_receive(s, c, ev, err);
	if (c->type == WMS_EV_ORDER_CREATE)
		return prepare_order_create(s, c, ev, err);
	if (c->type == WMS_EV_ORDER_CANCEL || c->type == WMS_EV_ORDER_NOTE)
		return prepare_order_change(s, c, ev, err);
	if (c->type == WMS_EV_VOID)
		return prepare_void(s, c, ev, err);

	if ((rc = wms_check_serial(c->serial, err)) < 0 || (rc = find_device(s, c->serial, &d, err)) < 0)
		return rc;
	ev->device_id = d.id;
	ev->from = d.state;
	ev->prior_known = true;
	ev->prior_location = d.location_id;
	ev->prior_order = d.order_id;
	ev->to = wms_transition(d.state, c->type);
	if (ev->to == WMS_ST_NONE && buffer_handout(s, &d, c->type))
		ev->to = WMS_ST_DELIVERED;
	if (ev->to == WMS_ST_NONE && wms_error_for_station())
		/* a worker reads words, not the commands a CLI user types */
		return wms_error_set(err, WMS_ESTATE, "device %s is %s: %s is not possible now; possible "
		                     "next: %s", c->serial, wms_state_word(d.state), wms_event_word(c->type),
		                     wms_allowed_events(d.state, allowed, sizeof allowed));
	if (ev->to == WMS_ST_NONE)
		return wms_error_set(err, WMS_ESTATE, "device %s is %s (%s); \"%s\" is not allowed; allowed next: %s",
		                     c->serial, wms_state_name(d.state), wms_state_label_sv(d.state),
		                     wms_event_name(c->type), wms_allowed_events(d.state, allowed, sizeof allowed));
	if (ev->ts < d.updated)
		return wms_error_set(err, WMS_EINVAL, "event time %s is before the device's previous event",
		                     wms_time_format(ev->ts, when));
	if ((rc = prepare_device_event(s, c, &d, ev, err)) < 0 ||
	    (rc = wms_records_check(s, c, ev, d.product_id, err)) < 0)
		return rc;
	if (nz(c->reason) && json_set_str(ev->payload, "reason", c->reason))
		return WMS_ENOMEM;
	return 0;
}

/* Who acts, with which role, and when: the rules of wms_rules.h for every door. */
static int check_actor(const struct wms_cmd *cmd, wms_time now, const char **actor,
                       struct wms_error *err)
{
	int rc;

	*actor = nz(cmd->actor);
	if ((rc = wms_rules_check_role(cmd->role, cmd->type, *actor, err)) < 0)
		return rc;
	if (*actor == NULL) {
		if (!(cmd->role & WMS_ROLE_TRUSTED))
			return wms_error_set(err, WMS_EINVAL, "%s needs the actor: who did it (--actor, a "
			                     "signed-in user)", wms_event_word(cmd->type));
		*actor = "system";
	}
	if (strlen(*actor) > 64)
		return wms_error_set(err, WMS_EINVAL, "actor too long: at most 64 characters");
	return cmd->at ? wms_rules_check_time(cmd->at, now, err) : 0;
}

/* A transfer_out answers the open transfer request its device's consignment is linked
 * to, else the oldest one for its product between its depots that no other device's
 * consignment answers (wms_transfer.h); the transfer_in of its device marks that
 * request received. */
static int fulfil_request(struct wms_store *s, const struct wms_event *ev, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE transfer_requests SET state = 'sent', sent_event_id = ?1 WHERE id = ("
		" SELECT r.id FROM transfer_requests r JOIN devices d ON d.product_id = r.product_id"
		" LEFT JOIN consignments c ON c.transfer_request = r.id AND c.state <> 'cancelled'"
		" WHERE r.state = 'open' AND r.from_depot = ?2 AND r.to_depot = ?3 AND d.id = ?4"
		" AND (c.id IS NULL OR EXISTS (SELECT 1 FROM consignment_devices cd"
		"  WHERE cd.consignment_id = c.id AND cd.device_id = ?4))"
		" ORDER BY c.id IS NULL, r.id LIMIT 1)";
	static const char received[] =
		"UPDATE transfer_requests SET state = 'received', received_event_id = ?1"
		" WHERE state = 'sent' AND sent_event_id = (SELECT max(id) FROM events"
		"   WHERE device_id = ?2 AND type = 'transfer_out' AND id < ?1)";
	sqlite3_stmt *st = wms_store_stmt(s, ev->type == WMS_EV_TRANSFER_IN ? received : sql, err);

	if (st == NULL)
		return WMS_EDB;
	if (ev->type == WMS_EV_TRANSFER_IN) {
		sqlite3_bind_int64(st, 1, ev->id);
		sqlite3_bind_int64(st, 2, ev->device_id);
		return wms_store_step_done(s, st, "marking a transfer request received", err);
	}
	sqlite3_bind_int64(st, 1, ev->id);
	wms_bind_text_or_null(st, 2, json_string_value(json_object_get(ev->payload, "from_depot")));
	wms_bind_text_or_null(st, 3, json_string_value(json_object_get(ev->payload, "to_depot")));
	sqlite3_bind_int64(st, 4, ev->device_id);
	return wms_store_step_done(s, st, "answering a transfer request", err);
}

int wms_ledger_apply(struct wms_store *s, const struct wms_cmd *cmd, struct wms_cmd_result *res,
                     struct wms_error *err)
{
	struct wms_event ev = { 0 };
	const char *actor;
	wms_time now;
	int rc;

	if (res)
		memset(res, 0, sizeof *res);
	if ((unsigned)cmd->type >= WMS_EV_COUNT)
		return wms_error_set(err, WMS_EINVAL, "unknown command type %d", (int)cmd->type);
	if (nz(cmd->reason) && strlen(cmd->reason) > 500)
		return wms_error_set(err, WMS_EINVAL, "reason too long: at most 500 characters");
	now = wms_now();
	if ((rc = check_actor(cmd, now, &actor, err)) < 0)
		return rc;
	ev.type = cmd->type;
	ev.ts = cmd->at ? cmd->at : now;
	ev.payload = json_object();
	if (ev.payload == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	if (wms_bulk_of(s)) {
		/* the bulk path: nothing is written before the checks pass, so no savepoint */
		rc = prepare(s, cmd, &ev, err);
		if (rc == 0 && ((rc = insert_event(s, &ev, cmd->station, actor, err)) < 0 ||
		                (rc = wms_project_event(s, &ev, err)) < 0 ||
		                (rc = wms_records_write(s, cmd, &ev, actor, err)) < 0))
			wms_bulk_fail(s);
		if (rc == 0)
			rc = wms_bulk_after_command(s, err);
		goto done;
	}
	if ((rc = wms_store_cmd_begin(s, err)) < 0)
		goto out;
	rc = prepare(s, cmd, &ev, err);
	if (rc == 0)
		rc = insert_event(s, &ev, cmd->station, actor, err);
	if (rc == 0)
		rc = wms_project_event(s, &ev, err);
	if (rc == 0)
		rc = wms_records_write(s, cmd, &ev, actor, err);
	if (rc == 0 && (ev.type == WMS_EV_TRANSFER_OUT || ev.type == WMS_EV_TRANSFER_IN))
		rc = fulfil_request(s, &ev, err);
	{
		int end = wms_store_cmd_end(s, rc == 0, err);
		if (rc == 0)
			rc = end;
	}
done:
	if (rc == 0 && res) {
		res->event_id = ev.id;
		res->device_id = ev.device_id;
		res->order_id = ev.order_id;
		res->from = ev.from;
		res->to = ev.to;
	}
out:
	json_decref(ev.payload);
	return rc;
}
