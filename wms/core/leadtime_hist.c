/*
 * leadtime_hist.c - keeping the lead-time histograms (see leadtime_hist.h):
 * the database's rules and their cache, the measure of one order, the
 * in-memory accumulator of cells, the live delivery hook, the rebuild under
 * new rules (wms_leadtime_rebuild) and the check against a recount
 * (wms_leadtime_check).
 *
 * The rules are data, not configuration, so that any writer (wmsd, the CLI,
 * an import, a replay) counts a delivery the same way.  Each calendar is
 * stored as its non-working weekdays and its fingerprint; the cache in the
 * store is read again when lt_rules.generation moved.
 */
#include "leadtime_hist.h"

#include "ledger_bulk.h"
#include "store_sql.h"
#include "wms_leadtime.h"
#include "wms_lifecycle.h"

#include <stdlib.h>
#include <string.h>

#define LT_DEPOT_NAME 64
#define LT_DEFAULT_CUTOFF (15 * 60)

struct lt_depot_cal {
	char name[LT_DEPOT_NAME];
	struct wms_calendar *cal;
	int cutoff_minute;       /* its own, else the rules' */
};

struct lt_state {
	long long generation;
	int cutoff_minute;
	struct wms_calendar *def;
	int n_depots;
	struct lt_depot_cal *depots;
};

void wms_lt_state_free(struct lt_state *st)
{
	if (st == NULL)
		return;
	wms_calendar_free(st->def);
	for (int i = 0; i < st->n_depots; i++)
		wms_calendar_free(st->depots[i].cal);
	free(st->depots);
	free(st);
}

static const struct lt_depot_cal *rules_depot(const struct lt_state *r, const char *depot)
{
	for (int i = 0; depot && i < r->n_depots; i++)
		if (strcmp(r->depots[i].name, depot) == 0)
			return &r->depots[i];
	return NULL;
}

static const struct wms_calendar *rules_calendar(const struct lt_state *r, const char *depot)
{
	const struct lt_depot_cal *d = rules_depot(r, depot);

	return d ? d->cal : r->def;
}

static int rules_cutoff(const struct lt_state *r, const char *depot)
{
	const struct lt_depot_cal *d = rules_depot(r, depot);

	return d ? d->cutoff_minute : r->cutoff_minute;
}

/* A calendar from its stored non-working weekdays. */
static int calendar_from_blob(const void *blob, int bytes, struct wms_calendar **out,
                              struct wms_error *err)
{
	size_t n = bytes > 0 ? (size_t)bytes / sizeof(int32_t) : 0;
	wms_day *days = malloc((n ? n : 1) * sizeof *days);
	struct wms_calendar_opts o = { .defacto_days = false, .closed = days, .n_closed = n };
	int rc;

	if (days == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory reading a lead-time calendar");
	if (n)
		memcpy(days, blob, n * sizeof *days);
	rc = wms_calendar_new(&o, out, err);
	free(days);
	return rc;
}

static int load_rules(struct wms_store *s, long long generation, int cutoff,
                      struct lt_state **out, struct wms_error *err)
{
	static const char sql[] = "SELECT depot, closed, cutoff_minute FROM lt_calendars ORDER BY depot";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	struct lt_state *r = calloc(1, sizeof *r);
	int rc = 0, step;

	if (r == NULL || st == NULL) {
		wms_lt_state_free(r);
		return st ? wms_error_set(err, WMS_ENOMEM, "out of memory") : WMS_EDB;
	}
	r->generation = generation;
	r->cutoff_minute = cutoff;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *depot = (const char *)sqlite3_column_text(st, 0);
		struct wms_calendar *cal = NULL;

		rc = calendar_from_blob(sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1), &cal, err);
		if (rc < 0)
			break;
		if (depot == NULL || *depot == '\0') {
			wms_calendar_free(r->def);
			r->def = cal;
		} else {
			struct lt_depot_cal *p = realloc(r->depots, (size_t)(r->n_depots + 1) * sizeof *p);
			if (p == NULL) {
				wms_calendar_free(cal);
				rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
				break;
			}
			r->depots = p;
			snprintf(p[r->n_depots].name, LT_DEPOT_NAME, "%s", depot);
			p[r->n_depots].cutoff_minute = sqlite3_column_type(st, 2) == SQLITE_NULL
			                               ? cutoff : sqlite3_column_int(st, 2);
			p[r->n_depots++].cal = cal;
		}
	}
	sqlite3_reset(st);
	if (rc == 0 && r->def == NULL)   /* never rebuilt yet: the default calendar */
		rc = wms_calendar_new(NULL, &r->def, err);
	if (rc < 0) {
		wms_lt_state_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int wms_lt_rules(struct wms_store *s, const struct lt_state **out, struct wms_error *err)
{
	static const char sql[] = "SELECT generation, cutoff_minute FROM lt_rules WHERE id = 1";
	struct lt_state **slot = wms_store_lt_state(s), *fresh = NULL;
	sqlite3_stmt *st;
	long long gen = 0;
	int cutoff = LT_DEFAULT_CUTOFF, rc;

	rc = wms_store_row(s, sql, NULL, 0, &st, "reading the lead-time rules", err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		gen = sqlite3_column_int64(st, 0);
		cutoff = sqlite3_column_int(st, 1);
		sqlite3_reset(st);
	}
	if (*slot == NULL || (*slot)->generation != gen || (*slot)->cutoff_minute != cutoff) {
		if ((rc = load_rules(s, gen, cutoff, &fresh, err)) < 0)
			return rc;
		wms_lt_state_free(*slot);
		*slot = fresh;
	}
	*out = *slot;
	return 0;
}

void wms_lt_measure(const struct lt_state *rules, const char *depot, wms_time registered,
                    wms_time delivered, const char *req, int *days, bool *custset)
{
	const struct wms_calendar *cal = rules_calendar(rules, depot);
	wms_day reqday;

	/* As the recount in leadtime.c: a parsable customer-set date decides. */
	if (req && wms_date_parse(req, &reqday, NULL) == 0) {
		*days = wms_calendar_workdays(cal, reqday, wms_local_day(delivered, NULL));
		*custset = true;
	} else {
		*days = wms_leadtime_days(cal, registered, delivered, rules_cutoff(rules, depot));
		*custset = false;
	}
	if (*days < 0)
		*days = 0;
}

int wms_lt_month(wms_time t)
{
	int y, m, d;

	wms_date_to_ymd(wms_local_day(t, NULL), &y, &m, &d);
	return y * 12 + m - 1;
}

/* ---- the accumulator ----------------------------------------------------- */


struct lt_cell {
	long long product, customer, n;
	int month, days;
	signed char mode;        /* -1 = all */
	signed char custset;
	short depot;             /* -1 = all; else index into depots */
	bool used;
};

struct lt_acc {
	size_t used, cap;        /* cap a power of two */
	struct lt_cell *slot;
	int n_depots;
	char (*depots)[LT_DEPOT_NAME];
};

struct lt_acc *wms_lt_acc_new(void)
{
	struct lt_acc *a = calloc(1, sizeof *a);

	if (a == NULL)
		return NULL;
	a->cap = 64;
	a->slot = calloc(a->cap, sizeof *a->slot);
	if (a->slot == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

void wms_lt_acc_free(struct lt_acc *a)
{
	if (a == NULL)
		return;
	free(a->slot);
	free(a->depots);
	free(a);
}

static size_t cell_hash(const struct lt_cell *c)
{
	unsigned long long h = 1469598103934665603ull;
	long long parts[7] = { c->product, c->customer, c->month, c->days, c->mode, c->custset,
	                       c->depot };

	for (int i = 0; i < 7; i++)
		h = (h ^ (unsigned long long)parts[i]) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

static bool cell_same(const struct lt_cell *a, const struct lt_cell *b)
{
	return a->product == b->product && a->customer == b->customer && a->month == b->month &&
	       a->days == b->days && a->mode == b->mode && a->custset == b->custset &&
	       a->depot == b->depot;
}

static int acc_grow(struct lt_acc *a)
{
	size_t cap = a->cap * 2;
	struct lt_cell *slot = calloc(cap, sizeof *slot);

	if (slot == NULL)
		return WMS_ENOMEM;
	for (size_t i = 0; i < a->cap; i++) {
		size_t j;
		if (!a->slot[i].used)
			continue;
		for (j = cell_hash(&a->slot[i]) & (cap - 1); slot[j].used; j = (j + 1) & (cap - 1))
			;
		slot[j] = a->slot[i];
	}
	free(a->slot);
	a->slot = slot;
	a->cap = cap;
	return 0;
}

static int acc_bump(struct lt_acc *a, const struct lt_cell *key)
{
	size_t i;

	if ((a->used + 1) * 4 > a->cap * 3 && acc_grow(a) < 0)
		return WMS_ENOMEM;
	for (i = cell_hash(key) & (a->cap - 1); a->slot[i].used; i = (i + 1) & (a->cap - 1)) {
		if (cell_same(&a->slot[i], key)) {
			a->slot[i].n++;
			return 0;
		}
	}
	a->slot[i] = *key;
	a->slot[i].used = true;
	a->slot[i].n = 1;
	a->used++;
	return 0;
}

static int acc_depot(struct lt_acc *a, const char *depot)
{
	for (int i = 0; i < a->n_depots; i++)
		if (strcmp(a->depots[i], depot) == 0)
			return i;
	if (a->n_depots == 32767)
		return -1;
	char (*p)[LT_DEPOT_NAME] = realloc(a->depots, (size_t)(a->n_depots + 1) * sizeof *p);
	if (p == NULL)
		return -1;
	a->depots = p;
	snprintf(p[a->n_depots], LT_DEPOT_NAME, "%s", depot);
	return a->n_depots++;
}

int wms_lt_acc_add(struct lt_acc *a, int month, long long product_id, long long customer_id,
                   const char *mode, const char *depot, bool custset, int days,
                   struct wms_error *err)
{
	struct lt_cell c = { .month = month, .days = days, .custset = custset ? 1 : 0 };
	int m = wms_delivery_mode_index(mode), d = acc_depot(a, depot ? depot : "");

	if (d < 0)
		return wms_error_set(err, WMS_ENOMEM, "out of memory counting lead times");
	/* every combination of product, customer, mode and depot, each itself
	 * or "all" ('' stands for "all": an order without a depot has no depot
	 * cells of its own) */
	for (int mask = 0; mask < 16; mask++) {
		c.product = mask & 1 ? product_id : 0;
		c.customer = mask & 2 ? customer_id : 0;
		c.mode = (signed char)(mask & 4 ? m : -1);
		c.depot = (short)(mask & 8 ? d : -1);
		if (((mask & 4) && m < 0) || ((mask & 8) && a->depots[d][0] == '\0'))
			continue;
		if (acc_bump(a, &c) < 0)
			return wms_error_set(err, WMS_ENOMEM, "out of memory counting lead times");
	}
	return 0;
}

/* The cells in the table's key order (product, customer, mode, depot, custset,
 * month, days), so that the upserts walk the WITHOUT ROWID tree from left to
 * right instead of seeking to random pages.  Modes and depots compare by
 * their names' rank among the accumulator's (as strcmp orders the texts,
 * "" for all first), worked out once per flush: a flush can sort millions. */
struct cell_sort {
	int mode_rank[WMS_DELIVERY_MODES];
	int *depot_rank;
};

static _Thread_local const struct cell_sort *sorting;

static const char *cell_mode(const struct lt_cell *c)
{
	return c->mode < 0 ? "" : wms_delivery_modes[(int)c->mode];
}

static const char *cell_depot(const struct lt_acc *a, const struct lt_cell *c)
{
	return c->depot < 0 ? "" : a->depots[c->depot];
}

static int name_rank(const char *name, const char *const *names, int n)
{
	int rank = 1;

	if (name[0] == '\0')
		return 0;
	for (int i = 0; i < n; i++)
		if (names[i][0] != '\0' && strcmp(names[i], name) < 0)
			rank++;
	return rank;
}

static int cell_order(const void *x, const void *y)
{
	const struct lt_cell *a = x, *b = y;
	int ma = a->mode < 0 ? 0 : sorting->mode_rank[(int)a->mode];
	int mb = b->mode < 0 ? 0 : sorting->mode_rank[(int)b->mode];
	int da = a->depot < 0 ? 0 : sorting->depot_rank[a->depot];
	int db = b->depot < 0 ? 0 : sorting->depot_rank[b->depot];

	if (a->product != b->product)
		return a->product < b->product ? -1 : 1;
	if (a->customer != b->customer)
		return a->customer < b->customer ? -1 : 1;
	if (ma != mb)
		return ma - mb;
	if (da != db)
		return da - db;
	if (a->custset != b->custset)
		return a->custset - b->custset;
	if (a->month != b->month)
		return a->month - b->month;
	return (a->days > b->days) - (a->days < b->days);
}

/* The ranks of a's modes and depots into o (false without memory). */
static bool sort_ranks(const struct lt_acc *a, struct cell_sort *o)
{
	const char **names = calloc((size_t)a->n_depots + 1, sizeof *names);

	o->depot_rank = calloc((size_t)a->n_depots + 1, sizeof *o->depot_rank);
	if (names == NULL || o->depot_rank == NULL) {
		free(names);
		free(o->depot_rank);
		return false;
	}
	for (int i = 0; i < WMS_DELIVERY_MODES; i++)
		o->mode_rank[i] = name_rank(wms_delivery_modes[i], (const char *const *)wms_delivery_modes,
		                            WMS_DELIVERY_MODES);
	for (int i = 0; i < a->n_depots; i++)
		names[i] = a->depots[i];
	for (int i = 0; i < a->n_depots; i++)
		o->depot_rank[i] = name_rank(names[i], names, a->n_depots);
	free(names);
	return true;
}

int wms_lt_acc_flush(struct wms_store *s, struct lt_acc *a, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO lt_cells(product_id, customer_id, mode, depot, custset, month, days, n)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT DO UPDATE SET n = n + excluded.n";
	struct cell_sort o;
	sqlite3_stmt *st;
	int rc = 0;

	if (a->used == 0)
		return 0;
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	if (!sort_ranks(a, &o))
		return wms_error_set(err, WMS_ENOMEM, "out of memory counting lead times");
	/* the table is emptied below: its used cells move to the front to be sorted */
	for (size_t i = 0, k = 0; i < a->cap; i++)
		if (a->slot[i].used)
			a->slot[k++] = a->slot[i];
	sorting = &o;
	qsort(a->slot, a->used, sizeof *a->slot, cell_order);
	sorting = NULL;
	free(o.depot_rank);
	for (size_t i = 0; rc == 0 && i < a->used; i++) {
		const struct lt_cell *c = &a->slot[i];
		sqlite3_bind_int64(st, 1, c->product);
		sqlite3_bind_int64(st, 2, c->customer);
		sqlite3_bind_text(st, 3, cell_mode(c), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, cell_depot(a, c), -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, c->custset);
		sqlite3_bind_int(st, 6, c->month);
		sqlite3_bind_int(st, 7, c->days);
		sqlite3_bind_int64(st, 8, c->n);
		rc = wms_store_step_done(s, st, "counting lead times", err);
	}
	memset(a->slot, 0, a->cap * sizeof *a->slot);
	a->used = 0;
	return rc;
}

/* ---- one order --------------------------------------------------------- */

/* Measure order row st (columns as in ORDER_COLS), store its figure, count it in a. */
#define ORDER_COLS "id, product_id, customer_id, mode, depot, registered_ts, delivered_ts," \
                   " requested_date"

static int count_order(struct wms_store *s, const struct lt_state *r, sqlite3_stmt *row,
                       struct lt_acc *a, struct wms_error *err)
{
	static const char upd[] = "UPDATE orders SET lead_days = ?1, lead_set = ?2 WHERE id = ?3";
	const char *depot = (const char *)sqlite3_column_text(row, 4);
	wms_time del = sqlite3_column_int64(row, 6);
	sqlite3_stmt *st;
	int days, rc;
	bool custset;

	wms_lt_measure(r, depot, sqlite3_column_int64(row, 5), del,
	               (const char *)sqlite3_column_text(row, 7), &days, &custset);
	if ((st = wms_store_stmt(s, upd, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int(st, 1, days);
	sqlite3_bind_int(st, 2, custset);
	sqlite3_bind_int64(st, 3, sqlite3_column_int64(row, 0));
	if ((rc = wms_store_step_done(s, st, "storing an order's lead time", err)) < 0)
		return rc;
	return wms_lt_acc_add(a, wms_lt_month(del), sqlite3_column_int64(row, 1),
	                      sqlite3_column_int64(row, 2), (const char *)sqlite3_column_text(row, 3),
	                      depot, custset, days, err);
}

int wms_lt_on_deliver(struct wms_store *s, long long order_id, struct wms_error *err)
{
	static const char sql[] = "SELECT " ORDER_COLS " FROM orders WHERE id = ?1";
	const struct lt_state *r;
	struct lt_acc *a;
	sqlite3_stmt *row;
	int rc;

	if (wms_bulk_of(s)) {
		/* the bulk path: the order is in the session; its cells wait for the end */
		struct bulk_order *o;
		int days;
		bool custset;

		/* the rules do not change while a session runs: read once per session */
		if (wms_bulk_ref(s, "lt-rules") && *wms_store_lt_state(s)) {
			r = *wms_store_lt_state(s);
		} else {
			if ((rc = wms_lt_rules(s, &r, err)) < 0)
				return rc;
			wms_bulk_ref_keep(s, "lt-rules", &(struct bulk_ref){ 0 });
		}
		if ((rc = wms_bulk_order(s, NULL, order_id, &o, err)) < 0)
			return rc == WMS_ENOTFOUND ? wms_error_set(err, WMS_ENOTFOUND,
			                                           "delivered order %lld not found", order_id) : rc;
		wms_lt_measure(r, o->depot, o->registered, o->delivered, o->requested_date, &days, &custset);
		o->lead_days = days;
		o->lead_set = custset;
		o->has_lead = true;
		o->dirty = true;
		return wms_lt_acc_add(wms_bulk_lt(s), wms_lt_month(o->delivered), o->product_id,
		                      o->customer_id, o->mode, o->depot, custset, days, err);
	}
	if ((rc = wms_lt_rules(s, &r, err)) < 0)
		return rc;
	if ((rc = wms_store_row(s, sql, NULL, order_id, &row, "reading a delivered order", err)) <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND, "delivered order %lld not found",
		                                   order_id);
	if ((a = wms_lt_acc_new()) == NULL) {
		sqlite3_reset(row);
		return wms_error_set(err, WMS_ENOMEM, "out of memory counting lead times");
	}
	rc = count_order(s, r, row, a, err);
	sqlite3_reset(row);
	if (rc == 0)
		rc = wms_lt_acc_flush(s, a, err);
	wms_lt_acc_free(a);
	return rc;
}

/* ---- recomputing every figure ------------------------------------------ */

/* Recount every delivered order under the rules the database holds. */
int wms_lt_recount(struct wms_store *s, long *orders, struct wms_error *err)
{
	static const char sql[] = "SELECT " ORDER_COLS " FROM orders WHERE status = 'delivered'";
	const struct lt_state *r;
	struct lt_acc *a = NULL;
	sqlite3_stmt *st = NULL;
	long n = 0;
	int rc, step = SQLITE_DONE;

	if ((rc = wms_lt_rules(s, &r, err)) < 0)
		return rc;
	/* delivered orders get their figure again below; others have none */
	if (sqlite3_exec(wms_store_db(s), "DELETE FROM lt_cells;"
	                 " UPDATE orders SET lead_days = NULL, lead_set = NULL"
	                 " WHERE status <> 'delivered' AND (lead_days IS NOT NULL OR lead_set IS NOT NULL)",
	                 NULL, NULL, NULL)
	    != SQLITE_OK)
		return wms_store_sql_error(s, err, "clearing the lead-time figures");
	if ((a = wms_lt_acc_new()) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory counting lead times");
	if (sqlite3_prepare_v2(wms_store_db(s), sql, -1, &st, NULL) != SQLITE_OK) {
		rc = wms_store_sql_error(s, err, "reading the delivered orders");
		goto out;
	}
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		rc = count_order(s, r, st, a, err);
		n++;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = wms_store_sql_error(s, err, "reading the delivered orders");
	if (rc == 0)
		rc = wms_lt_acc_flush(s, a, err);
	if (rc == 0 && orders)
		*orders = n;
out:
	sqlite3_finalize(st);
	wms_lt_acc_free(a);
	return rc;
}

/* Store a calendar and cut-off (< 0: the rules' own) of depot ('' = the default). */
static int put_calendar(struct wms_store *s, const char *depot, const struct wms_calendar *cal,
                        int cutoff, struct wms_error *err)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO lt_calendars(depot, fingerprint, closed, cutoff_minute)"
		" VALUES (?1, ?2, ?3, ?4)";
	size_t n = wms_calendar_closed_weekdays(cal, NULL, 0);
	wms_day *days = malloc((n ? n : 1) * sizeof *days);
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (days == NULL || st == NULL) {
		free(days);
		return st ? wms_error_set(err, WMS_ENOMEM, "out of memory") : WMS_EDB;
	}
	wms_calendar_closed_weekdays(cal, days, n);
	sqlite3_bind_text(st, 1, depot, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)wms_calendar_fingerprint(cal));
	sqlite3_bind_blob(st, 3, days, (int)(n * sizeof *days), SQLITE_TRANSIENT);
	if (cutoff >= 0)
		sqlite3_bind_int(st, 4, cutoff);
	else
		sqlite3_bind_null(st, 4);
	rc = wms_store_step_done(s, st, "storing a lead-time calendar", err);
	free(days);
	return rc;
}

static const struct wms_calendar *door_calendar(const struct wms_leadtime_opts *o, const char *depot)
{
	const struct wms_calendar *c = o->depot_cal ? o->depot_cal(o->depot_ctx, depot) : NULL;

	return c ? c : o->cal;
}

static int cutoff_of(const struct wms_leadtime_opts *o)
{
	return o->cutoff_minute <= 0 || o->cutoff_minute > 24 * 60 ? LT_DEFAULT_CUTOFF
	                                                            : o->cutoff_minute;
}

/* The door's cut-off of a depot, as leadtime.c measures by it. */
static int door_cutoff(const struct wms_leadtime_opts *o, const char *depot)
{
	return o->depot_cutoff ? o->depot_cutoff(o->depot_ctx, depot) : cutoff_of(o);
}

/* Store rules as the database's, in the caller's transaction. */
static int put_rules(struct wms_store *s, const struct wms_leadtime_opts *rules,
                     struct wms_error *err)
{
	/* every depot, also one without orders yet: its deliveries count right from the first */
	static const char depots[] = "SELECT code FROM depots UNION SELECT depot FROM orders";
	static const char upd[] =
		"UPDATE lt_rules SET generation = generation + 1, cutoff_minute = ?1, stale = 0 WHERE id = 1";
	sqlite3_stmt *st = NULL, *u;
	int rc, step;

	if (sqlite3_exec(wms_store_db(s), "DELETE FROM lt_calendars", NULL, NULL, NULL) != SQLITE_OK)
		return wms_store_sql_error(s, err, "clearing the lead-time calendars");
	if ((rc = put_calendar(s, "", rules->cal, -1, err)) < 0)
		return rc;
	if (sqlite3_prepare_v2(wms_store_db(s), depots, -1, &st, NULL) != SQLITE_OK)
		return wms_store_sql_error(s, err, "reading the depots");
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 0);
		const struct wms_calendar *c = door_calendar(rules, d);
		int cut = d ? door_cutoff(rules, d) : cutoff_of(rules);
		if (d && *d && ((c != rules->cal &&
		                 wms_calendar_fingerprint(c) != wms_calendar_fingerprint(rules->cal)) ||
		                cut != cutoff_of(rules)))
			rc = put_calendar(s, d, c, cut == cutoff_of(rules) ? -1 : cut, err);
	}
	sqlite3_finalize(st);
	if (rc < 0)
		return rc;
	if ((u = wms_store_stmt(s, upd, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int(u, 1, cutoff_of(rules));
	return wms_store_step_done(s, u, "storing the lead-time rules", err);
}

int wms_lt_depot_added(struct wms_store *s, const char *code, int cutoff, const wms_day *closed,
                       size_t n_closed, struct wms_error *err)
{
	static const char stale_sql[] = "SELECT stale FROM lt_rules WHERE id = 1";
	static const char bump[] = "UPDATE lt_rules SET generation = generation + 1 WHERE id = 1";
	const struct lt_state *r;
	struct wms_calendar_opts o = { .defacto_days = false };
	struct wms_calendar *cal = NULL;
	wms_day *days = NULL;
	sqlite3_stmt *st;
	size_t n;
	int rc;

	if ((rc = wms_store_row(s, stale_sql, NULL, 0, &st, "reading the lead-time rules", err)) < 0)
		return rc;
	if (rc == 1) {
		bool stale = sqlite3_column_int(st, 0) != 0;
		sqlite3_reset(st);
		if (stale)   /* the coming recount puts every depot's rules */
			return 0;
	}
	if ((rc = wms_lt_rules(s, &r, err)) < 0)
		return rc;
	if (cutoff == r->cutoff_minute)
		cutoff = -1;
	/* the database's default calendar with the depot's own closed days */
	n = wms_calendar_closed_weekdays(r->def, NULL, 0);
	if ((days = malloc((n + n_closed + 1) * sizeof *days)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	wms_calendar_closed_weekdays(r->def, days, n);
	if (n_closed)
		memcpy(days + n, closed, n_closed * sizeof *days);
	o.closed = days;
	o.n_closed = n + n_closed;
	rc = wms_calendar_new(&o, &cal, err);
	free(days);
	if (rc < 0)
		return rc;
	if (cutoff >= 0 || wms_calendar_fingerprint(cal) != wms_calendar_fingerprint(r->def)) {
		rc = put_calendar(s, code, cal, cutoff, err);
		if (rc == 0 && (st = wms_store_stmt(s, bump, err)) == NULL)
			rc = WMS_EDB;
		else if (rc == 0)
			rc = wms_store_step_done(s, st, "storing the lead-time rules", err);
	}
	wms_calendar_free(cal);
	return rc;
}

int wms_leadtime_rebuild(struct wms_store *s, const struct wms_leadtime_opts *rules, long *orders,
                         struct wms_error *err)
{
	bool own = false;
	int rc;

	if (rules == NULL || rules->cal == NULL)
		return wms_error_set(err, WMS_EINVAL, "lead-time rebuild needs a calendar");
	if ((rc = wms_store_outer_begin(s, &own, err)) < 0)
		return rc;
	rc = put_rules(s, rules, err);
	if (rc == 0)
		rc = wms_lt_recount(s, orders, err);
	{
		int end = wms_store_outer_end(s, own, rc == 0, err);
		return rc < 0 ? rc : end;
	}
}

int wms_lt_refresh_stale(struct wms_store *s, struct wms_error *err)
{
	static const char sql[] = "SELECT stale FROM lt_rules WHERE id = 1";
	struct wms_leadtime_opts defaults = { .cutoff_minute = LT_DEFAULT_CUTOFF };
	struct wms_calendar *cal = NULL;
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, NULL, 0, &st, "reading the lead-time rules", err), stale;

	if (rc <= 0)
		return rc;
	stale = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (!stale)
		return 0;
	if (stale == 2) {
		/* the rules stay; the cells' shape changed: count again under them */
		bool own = false;
		if ((rc = wms_store_outer_begin(s, &own, err)) < 0)
			return rc;
		rc = wms_lt_recount(s, NULL, err);
		if (rc == 0 && sqlite3_exec(wms_store_db(s), "UPDATE lt_rules SET stale = 0 WHERE id = 1",
		                            NULL, NULL, NULL) != SQLITE_OK)
			rc = wms_store_sql_error(s, err, "storing the lead-time rules");
		{
			int end = wms_store_outer_end(s, own, rc == 0, err);
			return rc < 0 ? rc : end;
		}
	}
	if ((rc = wms_calendar_new(NULL, &cal, err)) < 0)
		return rc;
	defaults.cal = cal;
	rc = wms_leadtime_rebuild(s, &defaults, NULL, err);
	wms_calendar_free(cal);
	return rc;
}

int wms_leadtime_rules_match(struct wms_store *s, const struct wms_leadtime_opts *rules,
                             bool *match, struct wms_error *err)
{
	static const char stale_sql[] = "SELECT stale FROM lt_rules WHERE id = 1";
	static const char depots[] =
		"SELECT depot FROM lt_cells WHERE product_id = 0 AND customer_id = 0 AND mode = ''"
		" AND depot > '' GROUP BY depot";
	const struct lt_state *r;
	sqlite3_stmt *st;
	int rc;

	*match = false;
	if ((rc = wms_store_row(s, stale_sql, NULL, 0, &st, "reading the lead-time rules", err)) < 0)
		return rc;
	if (rc == 1) {
		bool stale = sqlite3_column_int(st, 0) != 0;
		sqlite3_reset(st);
		if (stale)
			return 0;
	}
	if ((rc = wms_lt_rules(s, &r, err)) < 0)
		return rc;
	if (r->cutoff_minute != cutoff_of(rules) ||
	    wms_calendar_fingerprint(r->def) != wms_calendar_fingerprint(rules->cal))
		return 0;
	/* every depot that has deliveries must be measured by the door's calendar and cut-off */
	if ((st = wms_store_stmt(s, depots, err)) == NULL)
		return WMS_EDB;
	*match = true;
	while (*match && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 0);
		*match = wms_calendar_fingerprint(rules_calendar(r, d)) ==
		         wms_calendar_fingerprint(door_calendar(rules, d)) &&
		         rules_cutoff(r, d) == door_cutoff(rules, d);
	}
	if (*match && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		*match = false;
		return wms_store_sql_error(s, err, "reading the depots of the lead-time figures");
	}
	sqlite3_reset(st);
	return 0;
}

int wms_leadtime_check(struct wms_store *s, long *differences, struct wms_error *err)
{
	static const char keep[] =
		"DROP TABLE IF EXISTS temp.lt_live_cells; DROP TABLE IF EXISTS temp.lt_live_orders;"
		" CREATE TEMP TABLE lt_live_cells AS SELECT * FROM main.lt_cells;"
		" CREATE TEMP TABLE lt_live_orders AS SELECT id, lead_days, lead_set FROM main.orders;";
	static const char diff[] =
		"SELECT (SELECT count(*) FROM (SELECT * FROM main.lt_cells EXCEPT SELECT * FROM temp.lt_live_cells))"
		" + (SELECT count(*) FROM (SELECT * FROM temp.lt_live_cells EXCEPT SELECT * FROM main.lt_cells))"
		" + (SELECT count(*) FROM (SELECT id, lead_days, lead_set FROM main.orders"
		"    EXCEPT SELECT * FROM temp.lt_live_orders))";
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = wms_store_begin(s, err)) < 0)
		return rc;
	if (sqlite3_exec(wms_store_db(s), keep, NULL, NULL, NULL) != SQLITE_OK)
		rc = wms_store_sql_error(s, err, "copying the lead-time figures");
	if (rc == 0)
		rc = wms_lt_recount(s, NULL, err);
	if (rc == 0) {
		if (sqlite3_prepare_v2(wms_store_db(s), diff, -1, &st, NULL) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW)
			rc = wms_store_sql_error(s, err, "comparing the lead-time figures");
		else if (differences)
			*differences = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	wms_store_rollback(s);
	sqlite3_exec(wms_store_db(s), "DROP TABLE IF EXISTS temp.lt_live_cells;"
	             " DROP TABLE IF EXISTS temp.lt_live_orders", NULL, NULL, NULL);
	return rc;
}
