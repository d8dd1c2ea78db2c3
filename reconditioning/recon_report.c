/*
 * recon_report.c - the managers' reconditioning figures (see recon.h):
 * turnaround in working days from the return to back in stock, the queue
 * waiting for reconditioning, outcomes with repair and scrap rates per
 * product type, and reconditioning cycles per device.  Everything is read
 * from the ledger (events) and the devices projection, so the figures cover
 * history recorded before runs existed too.  recon_report_product() is the
 * same report for one product type (the dashboard's filter),
 * recon_report_depot() for one depot, with the figures of each depot.
 */
#include "recon.h"

#include "store_sql.h"
#include "wms_depot.h"
#include "wms_query.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ints {
	int *v;
	size_t n, cap;
};

static int ints_push(struct ints *a, int x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		int *v = realloc(a->v, cap * sizeof *v);
		if (v == NULL)
			return WMS_ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* count, median, p90 (nearest rank), max, mean of a group; a->n > 0. */
static json_t *stats(const char *key, const char *name, struct ints *a)
{
	double sum = 0;

	qsort(a->v, a->n, sizeof a->v[0], cmp_int);
	for (size_t i = 0; i < a->n; i++)
		sum += a->v[i];
	return json_pack("{s:s, s:I, s:i, s:i, s:i, s:f}", key, name, "count", (json_int_t)a->n,
	                 "median", a->v[(a->n + 1) / 2 - 1],
	                 "p90", a->v[(size_t)ceil(0.9 * (double)a->n) - 1],
	                 "max", a->v[a->n - 1], "mean", round(sum / (double)a->n * 10) / 10);
}

/* A row's working days and the Stockholm month of its end, as one sortable
 * int: months since 1900 * MONTH_KEY + days (days capped below MONTH_KEY). */
#define MONTH_KEY 100000

/* The month_days of workday_groups summarised per month, in month order
 * (key "month": "YYYY-MM").  a is sorted here. */
static json_t *month_groups(struct ints *a, struct wms_error *err)
{
	json_t *out = json_array(), *o;
	struct ints grp = { 0 };
	char label[16];

	if (out == NULL)
		goto nomem;
	if (a->n)
		qsort(a->v, a->n, sizeof a->v[0], cmp_int);
	for (size_t i = 0; i < a->n; i++) {
		int month = a->v[i] / MONTH_KEY;
		grp.n = 0;
		while (i < a->n && a->v[i] / MONTH_KEY == month)
			if (ints_push(&grp, a->v[i++] % MONTH_KEY) < 0)
				goto nomem;
		i--;
		snprintf(label, sizeof label, "%04d-%02d", 1900 + month / 12, month % 12 + 1);
		if ((o = stats("month", label, &grp)) == NULL || json_array_append_new(out, o) < 0)
			goto nomem;
	}
	free(grp.v);
	return out;
nomem:
	free(grp.v);
	json_decref(out);
	wms_error_set(err, WMS_ENOMEM, "out of memory");
	return NULL;
}

/*
 * Rows (group TEXT, from_ts, to_ts) ordered by group: working days between
 * the two Stockholm dates, summarised per group and in total; month_days
 * (may be NULL) collects each row's days and month of to_ts for
 * month_groups().  ?1, ?2 = from, to; ?3 = product code or NULL; ?4 = depot
 * code or NULL.
 */
static json_t *workday_groups(struct wms_store *s, const struct wms_calendar *cal, const char *sql,
                              wms_time from, wms_time to, const char *product, const char *depot,
                              struct ints *month_days, const char *group_key, json_t **total,
                              struct wms_error *err)
{
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	struct ints all = { 0 }, grp = { 0 };
	json_t *out = json_array(), *o;
	char cur[64] = "";
	int rc;

	*total = NULL;
	if (st == NULL || out == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	wms_bind_text_or_null(st, 3, product);
	wms_bind_text_or_null(st, 4, depot);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *g = (const char *)sqlite3_column_text(st, 0);
		wms_day end;
		int days, y, m, d;
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			continue;
		end = wms_local_day(sqlite3_column_int64(st, 2), NULL);
		days = wms_calendar_workdays(cal, wms_local_day(sqlite3_column_int64(st, 1), NULL), end);
		if (month_days) {
			wms_date_to_ymd(end, &y, &m, &d);
			if (ints_push(month_days, ((y - 1900) * 12 + m - 1) * MONTH_KEY +
			                          (days < MONTH_KEY ? days : MONTH_KEY - 1)) < 0)
				goto nomem;
		}
		if (grp.n && strcmp(cur, g) != 0) {
			if ((o = stats(group_key, cur, &grp)) == NULL || json_array_append_new(out, o) < 0)
				goto nomem;
			grp.n = 0;
		}
		snprintf(cur, sizeof cur, "%s", g);
		if (ints_push(&grp, days) < 0 || ints_push(&all, days) < 0)
			goto nomem;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		wms_store_sql_error(s, err, "reading the ledger");
		goto fail;
	}
	if (grp.n && ((o = stats(group_key, cur, &grp)) == NULL || json_array_append_new(out, o) < 0))
		goto nomem;
	*total = all.n ? stats(group_key, "all", &all) : json_pack("{s:s, s:i}", group_key, "all", "count", 0);
	free(all.v);
	free(grp.v);
	return out;
nomem:
	sqlite3_reset(st);
	wms_error_set(err, WMS_ENOMEM, "out of memory");
fail:
	free(all.v);
	free(grp.v);
	json_decref(out);
	return NULL;
}

/* The depot of event e: its location's, else the device's last depot before it. */
#define EVENT_DEPOT(e) \
	"coalesce((SELECT l.depot FROM locations l WHERE l.id = " e ".location_id)," \
	" (SELECT l.depot FROM events x JOIN locations l ON l.id = x.location_id" \
	"  WHERE x.device_id = " e ".device_id AND x.id < " e ".id AND l.depot IS NOT NULL" \
	"  ORDER BY x.id DESC LIMIT 1))"
/* The depot of device d: its location's, else its last depot. */
#define DEVICE_DEPOT(d) \
	"coalesce((SELECT l.depot FROM locations l WHERE l.id = " d ".location_id)," \
	" (SELECT l.depot FROM events x JOIN locations l ON l.id = x.location_id" \
	"  WHERE x.device_id = " d ".id AND l.depot IS NOT NULL ORDER BY x.id DESC LIMIT 1))"

/* The report of one product type (prod) and depot (NULL: all) under cal. */
static json_t *report(struct wms_store *s, const struct wms_calendar *cal, wms_day from,
                      wms_day to, const char *prod, const char *depot, struct wms_error *err)
{
	/* each approval against the latest return of the same device before it */
	static const char turnaround_sql[] =
		"SELECT p.code,"
		" (SELECT max(r.ts) FROM events r WHERE r.device_id = a.device_id AND r.type = 'return'"
		"   AND r.id < a.id) AS returned, a.ts"
		" FROM events a JOIN devices d ON d.id = a.device_id JOIN products p ON p.id = d.product_id"
		" WHERE a.type = 'recon_approve' AND a.ts >= ?1 AND a.ts < ?2 AND (?3 IS NULL OR p.code = ?3)"
		" AND (?4 IS NULL OR " EVENT_DEPOT("a") " = ?4)"
		" ORDER BY p.code";
	/* waiting devices: age since their latest return, up to now */
	static const char queue_sql[] =
		"SELECT d.state,"
		" (SELECT max(r.ts) FROM events r WHERE r.device_id = d.id AND r.type = 'return') AS returned,"
		" ?2 FROM devices d JOIN products p ON p.id = d.product_id"
		" WHERE d.state IN ('quarantine', 'in_recon') AND (?3 IS NULL OR p.code = ?3)"
		" AND (?4 IS NULL OR " DEVICE_DEPOT("d") " = ?4) ORDER BY d.state";
	static const char queue_product_sql[] =
		"SELECT p.code,"
		" (SELECT max(r.ts) FROM events r WHERE r.device_id = d.id AND r.type = 'return') AS returned,"
		" ?2 FROM devices d JOIN products p ON p.id = d.product_id"
		" WHERE d.state IN ('quarantine', 'in_recon') AND (?3 IS NULL OR p.code = ?3)"
		" AND (?4 IS NULL OR " DEVICE_DEPOT("d") " = ?4) ORDER BY p.code";
	static const char outcome_sql[] =
		"SELECT p.code AS product,"
		" sum(e.type = 'recon_start') AS started,"
		" sum(e.type = 'recon_approve') AS approved,"
		" sum(e.type = 'recon_repair') AS repair,"
		" sum(e.type = 'scrap' AND e.from_state IN ('quarantine', 'in_recon', 'repair')) AS scrapped"
		" FROM events e JOIN devices d ON d.id = e.device_id JOIN products p ON p.id = d.product_id"
		" WHERE e.type IN ('recon_start', 'recon_approve', 'recon_repair', 'scrap')"
		" AND e.ts >= CAST(?1 AS INTEGER) AND e.ts < CAST(?2 AS INTEGER) AND (?3 IS NULL OR p.code = ?3)"
		" AND (?4 IS NULL OR " EVENT_DEPOT("e") " = ?4)"
		" GROUP BY p.code ORDER BY p.code";
	static const char cycles_sql[] =
		"SELECT p.code AS product, count(*) AS devices, sum(d.recon_cycles) AS cycles,"
		" round(avg(d.recon_cycles), 2) AS mean, max(d.recon_cycles) AS max"
		" FROM devices d JOIN products p ON p.id = d.product_id WHERE (?1 IS NULL OR p.code = ?1)"
		" AND (?2 IS NULL OR " DEVICE_DEPOT("d") " = ?2)"
		" GROUP BY p.code ORDER BY p.code";
	static const char histogram_sql[] =
		"SELECT d.recon_cycles AS cycles, count(*) AS devices FROM devices d"
		" JOIN products p ON p.id = d.product_id WHERE (?1 IS NULL OR p.code = ?1)"
		" AND (?2 IS NULL OR " DEVICE_DEPOT("d") " = ?2)"
		" GROUP BY d.recon_cycles ORDER BY d.recon_cycles";
	wms_time t_from = from ? wms_local_to_utc(from, 0) : INT64_MIN / 2;
	wms_time t_to = to ? wms_local_to_utc(to + 1, 0) : INT64_MAX / 2;
	wms_time now = wms_now();
	char a[24], b[24], df[11], dt[11];
	const char *p[] = { a, b, prod, depot };
	json_t *rep = NULL, *turn, *turn_total, *queue, *queue_total, *outcomes, *cycles, *hist;
	json_t *months = NULL, *queue_prod = NULL, *queue_prod_total = NULL;
	struct ints month_days = { 0 };
	size_t i;
	json_t *row;

	snprintf(a, sizeof a, "%lld", (long long)t_from);
	snprintf(b, sizeof b, "%lld", (long long)t_to);
	turn = workday_groups(s, cal, turnaround_sql, t_from, t_to, prod, depot, &month_days, "product",
	                      &turn_total, err);
	months = turn ? month_groups(&month_days, err) : NULL;
	free(month_days.v);
	if (months == NULL) {
		json_decref(turn);
		json_decref(turn_total);
		return NULL;
	}
	queue = workday_groups(s, cal, queue_sql, 0, now, prod, depot, NULL, "state", &queue_total, err);
	outcomes = queue ? wms_query_rows(s, outcome_sql, p, 4, err) : NULL;
	cycles = outcomes ? wms_query_rows(s, cycles_sql, p + 2, 2, err) : NULL;
	hist = cycles ? wms_query_rows(s, histogram_sql, p + 2, 2, err) : NULL;
	queue_prod = hist ? workday_groups(s, cal, queue_product_sql, 0, now, prod, depot, NULL, "product",
	                                   &queue_prod_total, err) : NULL;
	json_decref(queue_prod_total);   /* the same as queue_age_workdays.total */
	if (queue_prod == NULL)
		goto out;
	json_array_foreach(outcomes, i, row) {
		json_int_t ap = json_integer_value(json_object_get(row, "approved"));
		json_int_t rp = json_integer_value(json_object_get(row, "repair"));
		json_int_t sc = json_integer_value(json_object_get(row, "scrapped"));
		json_int_t n = ap + rp + sc;
		json_object_set_new(row, "repair_rate", json_real(n ? round(1000.0 * (double)rp / (double)n) / 1000 : 0));
		json_object_set_new(row, "scrap_rate", json_real(n ? round(1000.0 * (double)sc / (double)n) / 1000 : 0));
	}
	rep = json_pack("{s:s?, s:s?, s:s?, s:s?, s:{s:o, s:o, s:o}, s:{s:o, s:o, s:o}, s:o, s:{s:o, s:o}}",
	                "from", from ? wms_date_format(from, df) : NULL,
	                "to", to ? wms_date_format(to, dt) : NULL, "product", prod, "depot", depot,
	                "turnaround_workdays", "total", turn_total, "by_product", turn, "by_month", months,
	                "queue_age_workdays", "total", queue_total, "by_state", queue, "by_product", queue_prod,
	                "outcomes", outcomes,
	                "cycles", "by_product", cycles, "devices_by_cycles", hist);
	if (rep == NULL)
		wms_error_set(err, WMS_ENOMEM, "out of memory");
	return rep;
out:
	json_decref(turn);
	json_decref(turn_total);
	json_decref(queue);
	json_decref(queue_total);
	json_decref(outcomes);
	json_decref(cycles);
	json_decref(hist);
	json_decref(months);
	return NULL;
}

json_t *recon_report(struct wms_store *s, const struct wms_calendar *cal, wms_day from,
                     wms_day to, struct wms_error *err)
{
	return recon_report_product(s, cal, from, to, NULL, err);
}

json_t *recon_report_product(struct wms_store *s, const struct wms_calendar *cal, wms_day from,
                             wms_day to, const char *product, struct wms_error *err)
{
	struct recon_report_opts o = { .cal = cal, .from = from, .to = to, .product = product };

	return recon_report_depot(s, &o, err);
}

static const struct wms_calendar *calendar_of(const struct recon_report_opts *o, const char *depot)
{
	const struct wms_calendar *c = o->depot_cal && depot ? o->depot_cal(o->depot_ctx, depot) : NULL;

	return c ? c : o->cal;
}

/* The outcome counts of a report's rows summed over its product types. */
static json_t *outcome_sums(const json_t *rows)
{
	static const char *const keys[] = { "started", "approved", "repair", "scrapped" };
	json_t *out = json_object(), *row;
	size_t i;

	for (size_t k = 0; out && k < sizeof keys / sizeof keys[0]; k++) {
		json_int_t n = 0;
		json_array_foreach(rows, i, row)
			n += json_integer_value(json_object_get(row, keys[k]));
		json_object_set_new(out, keys[k], json_integer(n));
	}
	return out;
}

json_t *recon_report_depot(struct wms_store *s, const struct recon_report_opts *o, struct wms_error *err)
{
	const char *prod = o->product && o->product[0] ? o->product : NULL;
	const char *depot = o->depot && o->depot[0] ? o->depot : NULL;
	json_t *rep, *depots = NULL, *by, *d;
	size_t i;

	if (depot && wms_depot_known(s, depot, err) < 0)
		return NULL;
	if ((rep = report(s, calendar_of(o, depot), o->from, o->to, prod, depot, err)) == NULL)
		return NULL;
	if ((depots = wms_depot_list(s, err)) == NULL || (by = json_array()) == NULL)
		goto fail;
	json_object_set_new(rep, "by_depot", by);
	json_array_foreach(depots, i, d) {
		const char *code = json_string_value(json_object_get(d, "code"));
		json_t *one;
		if (depot && strcmp(code, depot) != 0)
			continue;
		if ((one = report(s, calendar_of(o, code), o->from, o->to, prod, code, err)) == NULL)
			goto fail;
		json_array_append_new(by, json_pack("{s:s, s:O, s:O, s:O, s:o}", "depot", code,
		        "name", json_object_get(d, "name"),
		        "turnaround", json_object_get(json_object_get(one, "turnaround_workdays"), "total"),
		        "queue", json_object_get(json_object_get(one, "queue_age_workdays"), "total"),
		        "outcomes", outcome_sums(json_object_get(one, "outcomes"))));
		json_decref(one);
	}
	json_decref(depots);
	return rep;
fail:
	json_decref(depots);
	json_decref(rep);
	return NULL;
}
