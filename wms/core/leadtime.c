/*
 * leadtime.c - lead-time arithmetic, statistics and the managers' report
 * (see wms_leadtime.h).
 *
 * Statistics are kept as histograms of whole working days, so that a
 * million orders cost one pass and constant memory per group, and the
 * percentiles are exact (nearest rank) for lead times below 60 days; the
 * top bucket collects 60 and above and its percentile reads as the maximum.
 */
#include "wms_leadtime.h"
#include "wms_lifecycle.h"

#include "store_sql.h"
#include "wms_config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

void wms_lt_stats_add(struct wms_lt_stats *s, int days)
{
	if (days < 0)
		days = 0;
	s->count++;
	s->hist[days < WMS_LT_HIST_MAX ? days : WMS_LT_HIST_MAX]++;
	if (days > s->max)
		s->max = days;
}

/* Smallest d whose cumulative count reaches rank ceil(p/100 * n). */
static int percentile(const struct wms_lt_stats *s, int p)
{
	long rank = (s->count * p + 99) / 100;
	long seen = 0;

	if (rank < 1)
		rank = 1;
	for (int d = 0; d <= WMS_LT_HIST_MAX; d++) {
		seen += s->hist[d];
		if (seen >= rank)
			return d < WMS_LT_HIST_MAX ? d : s->max;
	}
	return s->max;
}

void wms_lt_stats_finish(struct wms_lt_stats *s, int target_days)
{
	s->within_target = 0;
	for (int d = 0; d <= WMS_LT_HIST_MAX && d <= target_days; d++)
		s->within_target += s->hist[d];
	if (s->count == 0) {
		s->share_within = 0;
		s->median = s->p90 = s->p95 = 0;
		return;
	}
	s->share_within = (double)s->within_target / (double)s->count;
	s->median = percentile(s, 50);
	s->p90 = percentile(s, 90);
	s->p95 = percentile(s, 95);
}

wms_day wms_leadtime_start(const struct wms_calendar *cal, wms_time registered, int cutoff_minute)
{
	int minute;
	wms_day d = wms_local_day(registered, &minute);

	if (!wms_calendar_is_workday(cal, d) || minute >= cutoff_minute)
		return wms_calendar_next_workday(cal, d);
	return d;
}

int wms_leadtime_days(const struct wms_calendar *cal, wms_time registered, wms_time delivered,
                      int cutoff_minute)
{
	wms_day start = wms_leadtime_start(cal, registered, cutoff_minute);
	int days = wms_calendar_workdays(cal, start, wms_local_day(delivered, NULL));

	return days < 0 ? 0 : days;
}

/* ---- grouping ------------------------------------------------------------ */

struct groups {
	size_t n;
	struct wms_lt_stats **slot;   /* indexed by key; NULL = no orders */
};

static struct wms_lt_stats *group_get(struct groups *g, long long key)
{
	if (key < 0)
		return NULL;
	if ((size_t)key >= g->n) {
		size_t n = (size_t)key + 64;
		struct wms_lt_stats **p = realloc(g->slot, n * sizeof *p);
		if (p == NULL)
			return NULL;
		memset(p + g->n, 0, (n - g->n) * sizeof *p);
		g->slot = p;
		g->n = n;
	}
	if (g->slot[key] == NULL)
		g->slot[key] = calloc(1, sizeof **g->slot);
	return g->slot[key];
}

static void groups_free(struct groups *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->slot[i]);
	free(g->slot);
}

json_t *wms_lt_stats_json(struct wms_lt_stats *s, int target)
{
	json_t *o, *h = json_array();
	int last = 0;

	wms_lt_stats_finish(s, target);
	for (int d = 0; d <= WMS_LT_HIST_MAX; d++)
		if (s->hist[d])
			last = d;
	for (int d = 0; d <= last; d++)
		json_array_append_new(h, json_integer(s->hist[d]));
	o = json_pack("{s:I, s:I, s:f, s:i, s:i, s:i, s:i, s:o}",
	              "count", (json_int_t)s->count, "within_target", (json_int_t)s->within_target,
	              "share_within", s->share_within, "median", s->median, "p90", s->p90,
	              "p95", s->p95, "max", s->max, "histogram", h);
	return o;
}

static const char *const kinds[] = { "region", "municipality", "private" };

static int index_of(const char *const *names, int n, const char *v)
{
	for (int i = 0; v && i < n; i++)
		if (strcmp(names[i], v) == 0)
			return i;
	return -1;
}

/* names: JSON object id -> name (NULL: keys are indexes into fixed names or months). */
static json_t *groups_json(struct groups *g, int target, json_t *names, const char *const *fixed,
                           bool months)
{
	json_t *arr = json_array();
	char key[32];

	for (size_t i = 0; i < g->n; i++) {
		json_t *o;
		if (g->slot[i] == NULL)
			continue;
		o = wms_lt_stats_json(g->slot[i], target);
		if (months)
			snprintf(key, sizeof key, "%04zu-%02zu", i / 12, i % 12 + 1);
		else if (fixed)
			snprintf(key, sizeof key, "%s", fixed[i]);
		else
			snprintf(key, sizeof key, "%zu", i);
		if (names) {
			json_t *n = json_object_get(names, key);
			json_object_set(o, "key", json_object_get(n, "code"));
			json_object_set(o, "name", json_object_get(n, "name"));
		} else {
			json_object_set_new(o, "key", json_string(key));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *id_names(struct wms_store *s, const char *sql, struct wms_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *map = json_object();
	char key[24];

	if (sqlite3_prepare_v2(wms_store_db(s), sql, -1, &st, NULL) != SQLITE_OK) {
		wms_store_sql_error(s, err, "reading names");
		json_decref(map);
		return NULL;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(key, sizeof key, "%lld", sqlite3_column_int64(st, 0));
		json_object_set_new(map, key, json_pack("{s:s, s:s}",
		                    "code", (const char *)sqlite3_column_text(st, 1),
		                    "name", (const char *)sqlite3_column_text(st, 2)));
	}
	sqlite3_finalize(st);
	return map;
}

struct late {
	long long order_id;
	wms_time delivered;
	int days;
};

static int late_cmp(const void *a, const void *b)
{
	const struct late *x = a, *y = b;

	if (x->delivered != y->delivered)
		return x->delivered < y->delivered ? 1 : -1;
	return x->order_id < y->order_id ? 1 : -1;
}

void wms_leadtime_rules_of(struct wms_leadtime_opts *o, const struct wms_config *cfg)
{
	o->cal = cfg->cal;
	o->depot_cal = wms_config_calendar_cb;
	o->depot_cutoff = wms_config_cutoff_cb;
	o->depot_ctx = (void *)cfg;
	o->cutoff_minute = cfg->cutoff_minute;
	o->target_days = cfg->target_days;
	o->at_risk_days = cfg->at_risk_days;
}

static const struct wms_calendar *calendar_of(const struct wms_leadtime_opts *o, const char *depot)
{
	const struct wms_calendar *c = o->depot_cal ? o->depot_cal(o->depot_ctx, depot) : NULL;

	return c ? c : o->cal;
}

static int cutoff_of(const struct wms_leadtime_opts *o, const char *depot)
{
	return o->depot_cutoff ? o->depot_cutoff(o->depot_ctx, depot) : o->cutoff_minute;
}

int wms_leadtime_order(const struct wms_leadtime_opts *o, const char *depot, wms_time registered,
                       wms_time delivered, const char *requested_date, bool *custset)
{
	const struct wms_calendar *cal = calendar_of(o, depot);
	wms_day req;
	int days;

	/* as the recount below and the histograms: a parsable customer-set date decides */
	*custset = requested_date && wms_date_parse(requested_date, &req, NULL) == 0;
	days = *custset ? wms_calendar_workdays(cal, req, wms_local_day(delivered, NULL))
	                : wms_leadtime_days(cal, registered, delivered, cutoff_of(o, depot));
	return days < 0 ? 0 : days;
}

static json_t *late_json(struct wms_store *s, struct late *late, size_t n, int offset, int limit,
                         struct wms_error *err)
{
	static const char sql[] =
		"SELECT o.number, p.code, c.code, o.mode, o.note, o.registered_ts, o.delivered_ts"
		" FROM orders o JOIN products p ON p.id = o.product_id"
		" JOIN customers c ON c.id = o.customer_id WHERE o.id = ?1";
	json_t *arr = json_array();

	if (n > 0)
		qsort(late, n, sizeof *late, late_cmp);
	for (size_t i = (size_t)offset; i < n && i < (size_t)offset + (size_t)limit; i++) {
		sqlite3_stmt *st = wms_store_stmt(s, sql, err);
		if (st == NULL) {
			json_decref(arr);
			return NULL;
		}
		sqlite3_bind_int64(st, 1, late[i].order_id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			char reg[16], del[16];
			wms_date_format(wms_local_day(sqlite3_column_int64(st, 5), NULL), reg);
			wms_date_format(wms_local_day(sqlite3_column_int64(st, 6), NULL), del);
			json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s}",
			        "order", (const char *)sqlite3_column_text(st, 0),
			        "product", (const char *)sqlite3_column_text(st, 1),
			        "customer", (const char *)sqlite3_column_text(st, 2),
			        "mode", (const char *)sqlite3_column_text(st, 3),
			        "days", late[i].days,
			        "registered", reg, "delivered", del);
			const unsigned char *note = sqlite3_column_text(st, 4);
			json_object_set_new(o, "reason", note ? json_string((const char *)note) : json_null());
			json_array_append_new(arr, o);
		}
		sqlite3_reset(st);
	}
	return arr;
}

static json_t *at_risk_json(struct wms_store *s, const struct wms_leadtime_opts *o, wms_day today,
                            struct wms_error *err)
{
	static const char sql[] =
		"SELECT o.number, p.code, c.code, o.mode, o.registered_ts, o.requested_date, o.depot,"
		" o.status FROM orders o JOIN products p ON p.id = o.product_id"
		" JOIN customers c ON c.id = o.customer_id"
		" WHERE o.status IN ('open','reserved','picked','dispatched')"
		" AND (?1 IS NULL OR p.code = ?1) AND (?2 IS NULL OR c.code = ?2)"
		" AND (?3 IS NULL OR o.mode = ?3) AND (?4 IS NULL OR o.depot = ?4)"
		" ORDER BY o.registered_ts, o.id";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	json_t *arr = json_array();

	if (st == NULL) {
		json_decref(arr);
		return NULL;
	}
	wms_bind_text_or_null(st, 1, o->product);
	wms_bind_text_or_null(st, 2, o->customer);
	wms_bind_text_or_null(st, 3, o->mode);
	wms_bind_text_or_null(st, 4, o->depot);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct wms_calendar *cal = calendar_of(o, (const char *)sqlite3_column_text(st, 6));
		const char *req = (const char *)sqlite3_column_text(st, 5);
		wms_time reg = sqlite3_column_int64(st, 4);
		wms_day start = wms_leadtime_start(cal, reg, cutoff_of(o, (const char *)sqlite3_column_text(st, 6))),
		        reqday;
		int age = today > start ? wms_calendar_workdays(cal, start, today) : 0;
		int left;
		char regbuf[32];

		if (req && wms_date_parse(req, &reqday, NULL) == 0) {
			left = wms_calendar_workdays(cal, today, reqday);
			if (left > o->target_days - o->at_risk_days)
				continue;
		} else {
			left = o->target_days - age;
			if (age < o->at_risk_days)
				continue;
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:i, s:i}",
		        "order", (const char *)sqlite3_column_text(st, 0),
		        "product", (const char *)sqlite3_column_text(st, 1),
		        "customer", (const char *)sqlite3_column_text(st, 2),
		        "mode", (const char *)sqlite3_column_text(st, 3),
		        "registered", wms_time_format(reg, regbuf),
		        "requested_date", req,
		        "status", (const char *)sqlite3_column_text(st, 7),
		        "age_days", age, "days_left", left));
	}
	sqlite3_reset(st);
	return arr;
}

/*
 * Whether the delivery window [from, to) covers more than a quarter of the
 * time over which orders were delivered: then reading the whole orders
 * table in order beats a random row lookup per index entry (at 100k orders
 * 0.57 s against 3.5 s; SQLite's planner, without statistics, takes the
 * index).  The min and max come from the partial index orders_by_delivery.
 */
static bool wide_window(struct wms_store *s, wms_time from, wms_time to)
{
	static const char sql[] =
		"SELECT min(delivered_ts), max(delivered_ts) FROM orders WHERE delivered_ts IS NOT NULL";
	sqlite3_stmt *st;
	double lo, hi, span, a, b;
	bool wide = false;

	if (wms_store_row(s, sql, NULL, 0, &st, "reading the delivery span", NULL) != 1)
		return false;
	if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
		lo = (double)sqlite3_column_int64(st, 0);
		hi = (double)sqlite3_column_int64(st, 1);
		span = hi - lo + 1;
		a = (double)from > lo ? (double)from : lo;
		b = (double)to < hi + 1 ? (double)to : hi + 1;
		wide = b > a && (b - a) > span / 4;
	}
	sqlite3_reset(st);
	return wide;
}

/* ---- tallying ----------------------------------------------------------- */

/* What both paths fill: the statistics and the late orders found. */
struct tally {
	struct wms_lt_stats overall, custset;
	struct groups by_product, by_customer, by_kind, by_mode, by_month, by_depot;
	struct late *late;
	size_t n_late, cap_late;
	long long late_count;
};

static void tally_free(struct tally *t)
{
	groups_free(&t->by_product);
	groups_free(&t->by_customer);
	groups_free(&t->by_kind);
	groups_free(&t->by_mode);
	groups_free(&t->by_month);
	groups_free(&t->by_depot);
	free(t->late);
}

/* n orders of `days` (>= 0) working days, as n calls of wms_lt_stats_add. */
static void stats_add_n(struct wms_lt_stats *s, int days, long long n)
{
	if (s == NULL || n <= 0)
		return;
	s->count += n;
	s->hist[days < WMS_LT_HIST_MAX ? days : WMS_LT_HIST_MAX] += n;
	if (days > s->max)
		s->max = days;
}

static int late_push(struct tally *t, long long order_id, wms_time delivered, int days)
{
	if (t->n_late == t->cap_late) {
		size_t cap = t->cap_late ? t->cap_late * 2 : 256;
		struct late *p = realloc(t->late, cap * sizeof *p);
		if (p == NULL)
			return WMS_ENOMEM;
		t->late = p;
		t->cap_late = cap;
	}
	t->late[t->n_late++] = (struct late){ order_id, delivered, days };
	return 0;
}

/* The recount: every delivered order in [from, to) read and measured. */
static int tally_recount(struct wms_store *s, const struct wms_leadtime_opts *o, wms_time from,
                         wms_time to, struct tally *t, struct wms_error *err)
{
#define LT_ROWS_SQL(orders) \
		"SELECT o.id, o.product_id, o.customer_id, c.kind, o.mode, o.registered_ts," \
		" o.delivered_ts, o.requested_date, o.depot, dp.id" \
		" FROM " orders " JOIN customers c ON c.id = o.customer_id" \
		" JOIN products p ON p.id = o.product_id LEFT JOIN depots dp ON dp.code = o.depot" \
		" WHERE o.status = 'delivered' AND o.delivered_ts >= ?1 AND o.delivered_ts < ?2" \
		" AND (?3 IS NULL OR p.code = ?3) AND (?4 IS NULL OR c.code = ?4)" \
		" AND (?5 IS NULL OR o.mode = ?5) AND (?6 IS NULL OR o.depot = ?6)"
	static const char sql_index[] = LT_ROWS_SQL("orders o");
	static const char sql_scan[] = LT_ROWS_SQL("orders o NOT INDEXED");
#undef LT_ROWS_SQL
	sqlite3_stmt *st;
	int rc;

	if ((st = wms_store_stmt(s, wide_window(s, from, to) ? sql_scan : sql_index, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	wms_bind_text_or_null(st, 3, o->product);
	wms_bind_text_or_null(st, 4, o->customer);
	wms_bind_text_or_null(st, 5, o->mode);
	wms_bind_text_or_null(st, 6, o->depot);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		wms_time del = sqlite3_column_int64(st, 6);
		wms_day delday = wms_local_day(del, NULL);
		int y, m, d, days;
		bool custset;
		struct wms_lt_stats *g[6];

		days = wms_leadtime_order(o, (const char *)sqlite3_column_text(st, 8), sqlite3_column_int64(st, 5), del,
		                          (const char *)sqlite3_column_text(st, 7), &custset);
		if (custset) {
			wms_lt_stats_add(&t->custset, days);
			continue;
		}
		wms_date_to_ymd(delday, &y, &m, &d);
		g[0] = group_get(&t->by_product, sqlite3_column_int64(st, 1));
		g[1] = group_get(&t->by_customer, sqlite3_column_int64(st, 2));
		g[2] = group_get(&t->by_kind, index_of(kinds, 3, (const char *)sqlite3_column_text(st, 3)));
		g[3] = group_get(&t->by_mode, wms_delivery_mode_index((const char *)sqlite3_column_text(st, 4)));
		g[4] = group_get(&t->by_month, (long long)y * 12 + m - 1);
		g[5] = sqlite3_column_type(st, 9) == SQLITE_NULL ? NULL
		       : group_get(&t->by_depot, sqlite3_column_int64(st, 9));
		wms_lt_stats_add(&t->overall, days);
		for (int i = 0; i < 6; i++)
			if (g[i])
				wms_lt_stats_add(g[i], days);
		if (days > o->target_days) {
			t->late_count++;
			if (late_push(t, sqlite3_column_int64(st, 0), del, days) < 0) {
				sqlite3_reset(st);
				return wms_error_set(err, WMS_ENOMEM, "out of memory");
			}
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "reading delivered orders");
	return 0;
}

/* ---- the histograms ------------------------------------------------------- */

/* The id of a product or customer code: 0 for no filter, -1 for an unknown code. */
static int filter_id(struct wms_store *s, const char *sql, const char *code, long long *id,
                     struct wms_error *err)
{
	int rc;

	*id = 0;
	if (code == NULL || *code == '\0')
		return 0;
	rc = wms_store_lookup_id(s, sql, code, id, NULL, 0, err);
	if (rc == WMS_ENOTFOUND) {
		*id = -1;
		return 0;
	}
	return rc;
}

/* customer id -> index into kinds[] (or -1), for by_customer_kind */
struct kind_map {
	size_t n;
	signed char *kind;
};

static int kind_map_load(struct wms_store *s, struct kind_map *k, struct wms_error *err)
{
	static const char sql[] = "SELECT id, kind FROM customers";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		if (id < 0)
			continue;
		if ((size_t)id >= k->n) {
			size_t n = (size_t)id + 64;
			signed char *p = realloc(k->kind, n);
			if (p == NULL) {
				sqlite3_reset(st);
				return wms_error_set(err, WMS_ENOMEM, "out of memory");
			}
			memset(p + k->n, -1, n - k->n);
			k->kind = p;
			k->n = n;
		}
		k->kind[id] = (signed char)index_of(kinds, 3, (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "reading the customers");
}

static int kind_of(const struct kind_map *k, long long customer)
{
	return customer >= 0 && (size_t)customer < k->n ? k->kind[customer] : -1;
}

static int month_key(wms_day d)
{
	int y, m, dd;

	wms_date_to_ymd(d, &y, &m, &dd);
	return y * 12 + m - 1;
}

static wms_day month_first(int key)
{
	return wms_date_from_ymd(key / 12, key % 12 + 1, 1);
}

/* The cells of whole months [lo, hi] under the filter (product p, customer c: 0 = all;
 * mode and depot: NULL = all), by_depot included. */
static int tally_cells(struct wms_store *s, const struct wms_leadtime_opts *o, long long p,
                       long long c, int lo, int hi, const struct kind_map *km, struct tally *t,
                       struct wms_error *err)
{
	static const char overall[] =
		"SELECT custset, month, days, n FROM lt_cells WHERE product_id = ?1 AND customer_id = ?2"
		" AND mode = ?5 AND depot = ?6 AND month BETWEEN ?3 AND ?4";
	static const char by_product[] =
		"SELECT product_id, days, n FROM lt_cells"
		" WHERE product_id IN (SELECT id FROM products WHERE ?1 = 0 OR id = ?1)"
		" AND customer_id = ?2 AND mode = ?5 AND depot = ?6 AND custset = 0"
		" AND month BETWEEN ?3 AND ?4";
	static const char by_customer[] =
		"SELECT customer_id, days, n FROM lt_cells WHERE product_id = ?1"
		" AND customer_id IN (SELECT id FROM customers WHERE ?2 = 0 OR id = ?2)"
		" AND mode = ?5 AND depot = ?6 AND custset = 0 AND month BETWEEN ?3 AND ?4";
	static const char by_mode[] =
		"SELECT mode, days, n FROM lt_cells WHERE product_id = ?1 AND customer_id = ?2"
		" AND mode IN ('home', 'pickup_point', 'unit', 'buffer') AND (?5 = '' OR mode = ?5)"
		" AND depot = ?6 AND custset = 0 AND month BETWEEN ?3 AND ?4";
	/* by_depot: the depots' cells under the same filter */
	static const char by_depot[] =
		"SELECT d.id, l.days, l.n FROM lt_cells l JOIN depots d ON d.code = l.depot"
		" WHERE l.product_id = ?1 AND l.customer_id = ?2 AND l.mode = ?5"
		" AND l.depot <> '' AND (?6 = '' OR l.depot = ?6)"
		" AND l.custset = 0 AND l.month BETWEEN ?3 AND ?4";
	const char *const sqls[] = { overall, by_product, by_customer, by_mode, by_depot };

	for (int q = 0; q < 5; q++) {
		sqlite3_stmt *st = wms_store_stmt(s, sqls[q], err);
		int rc;

		if (st == NULL)
			return WMS_EDB;
		sqlite3_bind_int64(st, 1, p);
		sqlite3_bind_int64(st, 2, c);
		sqlite3_bind_int(st, 3, lo);
		sqlite3_bind_int(st, 4, hi);
		sqlite3_bind_text(st, 5, o->mode ? o->mode : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, o->depot ? o->depot : "", -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			long long key = sqlite3_column_int64(st, 0), n;
			int col = q == 0 ? 2 : 1, days = sqlite3_column_int(st, col);

			n = sqlite3_column_int64(st, col + 1);
			switch (q) {
			case 0:
				if (key) {
					stats_add_n(&t->custset, days, n);
					break;
				}
				stats_add_n(&t->overall, days, n);
				stats_add_n(group_get(&t->by_month, sqlite3_column_int64(st, 1)), days, n);
				if (days > o->target_days)
					t->late_count += n;
				break;
			case 1:
				stats_add_n(group_get(&t->by_product, key), days, n);
				break;
			case 2:
				stats_add_n(group_get(&t->by_customer, key), days, n);
				stats_add_n(group_get(&t->by_kind, kind_of(km, key)), days, n);
				break;
			case 3:
				stats_add_n(group_get(&t->by_mode,
				                      wms_delivery_mode_index((const char *)sqlite3_column_text(st, 0))),
				            days, n);
				break;
			default:
				stats_add_n(group_get(&t->by_depot, key), days, n);
			}
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return wms_store_sql_error(s, err, "reading the lead-time histograms");
	}
	return 0;
}

/* The window and filters of the orders_by_lead statements: ?1 from, ?2 to, ?3 product id,
 * ?4 customer id (0 = all), ?5 mode and ?6 depot ('' = all). */
static void bind_window(sqlite3_stmt *st, const struct wms_leadtime_opts *o, long long p,
                        long long c, wms_time from, wms_time to)
{
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int64(st, 3, p);
	sqlite3_bind_int64(st, 4, c);
	sqlite3_bind_text(st, 5, o->mode ? o->mode : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, o->depot ? o->depot : "", -1, SQLITE_STATIC);
}

/* Orders delivered in [from, to) by their stored figures (a window's partial months). */
static int tally_edge(struct wms_store *s, const struct wms_leadtime_opts *o, long long p,
                      long long c, wms_time from, wms_time to, const struct kind_map *km,
                      struct tally *t, struct wms_error *err)
{
	static const char sql[] =
		"SELECT product_id, customer_id, mode, lead_set, lead_days, delivered_ts,"
		" (SELECT id FROM depots WHERE code = orders.depot)"
		" FROM orders INDEXED BY orders_by_lead"
		" WHERE delivered_ts >= ?1 AND delivered_ts < ?2 AND lead_days IS NOT NULL"
		" AND (?3 = 0 OR product_id = ?3) AND (?4 = 0 OR customer_id = ?4)"
		" AND (?5 = '' OR mode = ?5) AND (?6 = '' OR depot = ?6)";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	bind_window(st, o, p, c, from, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long cust = sqlite3_column_int64(st, 1);
		int days = sqlite3_column_int(st, 4);

		if (sqlite3_column_int(st, 3)) {
			stats_add_n(&t->custset, days, 1);
			continue;
		}
		stats_add_n(&t->overall, days, 1);
		stats_add_n(group_get(&t->by_product, sqlite3_column_int64(st, 0)), days, 1);
		stats_add_n(group_get(&t->by_customer, cust), days, 1);
		stats_add_n(group_get(&t->by_kind, kind_of(km, cust)), days, 1);
		stats_add_n(group_get(&t->by_mode,
		                      wms_delivery_mode_index((const char *)sqlite3_column_text(st, 2))), days, 1);
		stats_add_n(group_get(&t->by_month,
		                      month_key(wms_local_day(sqlite3_column_int64(st, 5), NULL))), days, 1);
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			stats_add_n(group_get(&t->by_depot, sqlite3_column_int64(st, 6)), days, 1);
		if (days > o->target_days)
			t->late_count++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "reading delivered orders");
}

/* The latest late orders in [from, to): at least `limit`, and every one delivered at the
 * same instant as the last of those (late_json orders ties by order id). */
static int tally_late(struct wms_store *s, const struct wms_leadtime_opts *o, long long p,
                      long long c, wms_time from, wms_time to, struct tally *t,
                      struct wms_error *err)
{
	static const char sql[] =
		"SELECT id, delivered_ts, lead_days FROM orders INDEXED BY orders_by_lead"
		" WHERE delivered_ts >= ?1 AND delivered_ts < ?2 AND lead_days IS NOT NULL"
		" AND lead_set = 0 AND lead_days > ?7"
		" AND (?3 = 0 OR product_id = ?3) AND (?4 = 0 OR customer_id = ?4)"
		" AND (?5 = '' OR mode = ?5) AND (?6 = '' OR depot = ?6)"
		" ORDER BY delivered_ts DESC";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	bind_window(st, o, p, c, from, to);
	sqlite3_bind_int(st, 7, o->target_days);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		wms_time del = sqlite3_column_int64(st, 1);

		if ((int)t->n_late >= o->late_offset + o->late_limit && t->late[t->n_late - 1].delivered != del)
			break;
		if (late_push(t, sqlite3_column_int64(st, 0), del, sqlite3_column_int(st, 2)) < 0) {
			sqlite3_reset(st);
			return wms_error_set(err, WMS_ENOMEM, "out of memory");
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0
	       : wms_store_sql_error(s, err, "reading the late orders");
}

/* The report's figures from the histograms: whole months from the cells, the
 * partial months at the window's edges from the orders' stored figures. */
static int tally_hist(struct wms_store *s, const struct wms_leadtime_opts *o, wms_time from,
                      wms_time to, struct tally *t, struct wms_error *err)
{
	long long p, c;
	struct kind_map km = { 0 };
	int lo = INT_MIN, hi = INT_MAX, rc;

	if ((rc = filter_id(s, "SELECT id FROM products WHERE code = ?1", o->product, &p, err)) < 0 ||
	    (rc = filter_id(s, "SELECT id FROM customers WHERE code = ?1", o->customer, &c, err)) < 0)
		return rc;
	if ((rc = kind_map_load(s, &km, err)) < 0)
		goto out;
	if (o->from)
		lo = month_key(o->from) + (month_first(month_key(o->from)) != o->from);
	if (o->to)
		hi = month_key(o->to) - (month_first(month_key(o->to) + 1) - 1 != o->to);
	if (lo > hi) {
		/* no whole month: every order of the window from its stored figure */
		rc = tally_edge(s, o, p, c, from, to, &km, t, err);
	} else {
		rc = tally_cells(s, o, p, c, lo, hi, &km, t, err);
		if (rc == 0 && o->from && lo != month_key(o->from))
			rc = tally_edge(s, o, p, c, from, wms_local_to_utc(month_first(lo), 0), &km, t, err);
		if (rc == 0 && o->to && hi != month_key(o->to))
			rc = tally_edge(s, o, p, c, wms_local_to_utc(month_first(hi + 1), 0), to, &km, t, err);
	}
	if (rc == 0)
		rc = tally_late(s, o, p, c, from, to, t, err);
out:
	free(km.kind);
	return rc;
}

/* ---- the report ----------------------------------------------------------- */

json_t *wms_leadtime_report(struct wms_store *s, const struct wms_leadtime_opts *opts,
                            struct wms_error *err)
{
	wms_time from, to;
	struct wms_leadtime_opts o = *opts;
	struct tally t = { 0 };
	json_t *report = NULL, *pnames = NULL, *cnames = NULL, *dnames = NULL, *late_arr = NULL, *risk = NULL;
	bool hist = false;

	if (o.cal == NULL) {
		wms_error_set(err, WMS_EINVAL, "lead-time report needs a calendar");
		return NULL;
	}
	if (o.mode && wms_delivery_mode_index(o.mode) < 0) {
		wms_error_set(err, WMS_EINVAL, "unknown delivery mode '%s': home, pickup_point, unit or buffer",
		              o.mode);
		return NULL;
	}
	/* an empty filter is no filter, on both paths */
	if (o.product && !*o.product) o.product = NULL;
	if (o.customer && !*o.customer) o.customer = NULL;
	if (o.depot && !*o.depot) o.depot = NULL;
	if (o.target_days <= 0) o.target_days = 7;
	if (o.at_risk_days <= 0) o.at_risk_days = 5;
	if (o.cutoff_minute <= 0 || o.cutoff_minute > 24 * 60) o.cutoff_minute = 15 * 60;
	if (o.late_limit <= 0) o.late_limit = 50;
	if (o.late_offset < 0) o.late_offset = 0;
	if (o.now == 0) o.now = wms_now();

	from = o.from ? wms_local_to_utc(o.from, 0) : INT64_MIN;
	to = o.to ? wms_local_to_utc(o.to + 1, 0) : INT64_MAX;
	if (!o.recount && wms_leadtime_rules_match(s, &o, &hist, err) < 0)
		goto out;
	if ((hist ? tally_hist : tally_recount)(s, &o, from, to, &t, err) < 0)
		goto out;
	pnames = id_names(s, "SELECT id, code, name_sv FROM products", err);
	cnames = id_names(s, "SELECT id, code, name FROM customers", err);
	dnames = id_names(s, "SELECT id, code, name FROM depots", err);
	if (pnames == NULL || cnames == NULL || dnames == NULL)
		goto out;
	late_arr = late_json(s, t.late, t.n_late, o.late_offset, o.late_limit, err);
	risk = late_arr ? at_risk_json(s, &o, wms_local_day(o.now, NULL), err) : NULL;
	if (risk == NULL)
		goto out;
	report = json_pack("{s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:O}",
	        "target_days", o.target_days, "cutoff_minute", o.cutoff_minute,
	        "at_risk_days", o.at_risk_days,
	        "overall", wms_lt_stats_json(&t.overall, o.target_days),
	        "customer_set", wms_lt_stats_json(&t.custset, 0),
	        "by_product", groups_json(&t.by_product, o.target_days, pnames, NULL, false),
	        "by_customer", groups_json(&t.by_customer, o.target_days, cnames, NULL, false),
	        "by_customer_kind", groups_json(&t.by_kind, o.target_days, NULL, kinds, false),
	        "by_mode", groups_json(&t.by_mode, o.target_days, NULL, wms_delivery_modes, false),
	        "by_month", groups_json(&t.by_month, o.target_days, NULL, NULL, true),
	        "by_depot", groups_json(&t.by_depot, o.target_days, dnames, NULL, false),
	        "late_count", (json_int_t)t.late_count, "late", late_arr, "at_risk", risk);
	late_arr = NULL;
	if (report == NULL)
		wms_error_set(err, WMS_ENOMEM, "out of memory building the report");
out:
	json_decref(late_arr);
	json_decref(risk);
	json_decref(pnames);
	json_decref(cnames);
	json_decref(dnames);
	tally_free(&t);
	return report;
}
