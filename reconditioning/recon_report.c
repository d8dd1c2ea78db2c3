/*
 * recon_report.c - the managers' reconditioning figures (see recon.h):
 * turnaround in working days from the return to back in stock, the queue
 * waiting for reconditioning, outcomes with repair and scrap rates per
 * product type, and reconditioning cycles per device.  Everything is read
 * from the ledger (events) and the devices projection, so the figures cover
 * history recorded before runs existed too.
 */
#include "recon.h"

#include "store_sql.h"
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

/*
 * Rows (group TEXT, from_ts, to_ts) ordered by group: working days between
 * the two Stockholm dates, summarised per group and in total.
 */
static json_t *workday_groups(struct wms_store *s, const struct wms_calendar *cal, const char *sql,
                              wms_time from, wms_time to, const char *group_key, json_t **total,
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
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *g = (const char *)sqlite3_column_text(st, 0);
		int days;
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			continue;
		days = wms_calendar_workdays(cal, wms_local_day(sqlite3_column_int64(st, 1), NULL),
		                             wms_local_day(sqlite3_column_int64(st, 2), NULL));
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

json_t *recon_report(struct wms_store *s, const struct wms_calendar *cal, wms_day from,
                     wms_day to, struct wms_error *err)
{
	/* each approval against the latest return of the same device before it */
	static const char turnaround_sql[] =
		"SELECT p.code,"
		" (SELECT max(r.ts) FROM events r WHERE r.device_id = a.device_id AND r.type = 'return'"
		"   AND r.id < a.id) AS returned, a.ts"
		" FROM events a JOIN devices d ON d.id = a.device_id JOIN products p ON p.id = d.product_id"
		" WHERE a.type = 'recon_approve' AND a.ts >= ?1 AND a.ts < ?2 ORDER BY p.code";
	/* waiting devices: age since their latest return, up to now */
	static const char queue_sql[] =
		"SELECT d.state,"
		" (SELECT max(r.ts) FROM events r WHERE r.device_id = d.id AND r.type = 'return') AS returned,"
		" ?2 FROM devices d WHERE d.state IN ('quarantine', 'in_recon') ORDER BY d.state";
	static const char outcome_sql[] =
		"SELECT p.code AS product,"
		" sum(e.type = 'recon_start') AS started,"
		" sum(e.type = 'recon_approve') AS approved,"
		" sum(e.type = 'recon_repair') AS repair,"
		" sum(e.type = 'scrap' AND e.from_state IN ('quarantine', 'in_recon', 'repair')) AS scrapped"
		" FROM events e JOIN devices d ON d.id = e.device_id JOIN products p ON p.id = d.product_id"
		" WHERE e.type IN ('recon_start', 'recon_approve', 'recon_repair', 'scrap')"
		" AND e.ts >= CAST(?1 AS INTEGER) AND e.ts < CAST(?2 AS INTEGER)"
		" GROUP BY p.code ORDER BY p.code";
	static const char cycles_sql[] =
		"SELECT p.code AS product, count(*) AS devices, sum(d.recon_cycles) AS cycles,"
		" round(avg(d.recon_cycles), 2) AS mean, max(d.recon_cycles) AS max"
		" FROM devices d JOIN products p ON p.id = d.product_id GROUP BY p.code ORDER BY p.code";
	static const char histogram_sql[] =
		"SELECT recon_cycles AS cycles, count(*) AS devices FROM devices GROUP BY recon_cycles"
		" ORDER BY recon_cycles";
	wms_time t_from = from ? wms_local_to_utc(from, 0) : INT64_MIN / 2;
	wms_time t_to = to ? wms_local_to_utc(to + 1, 0) : INT64_MAX / 2;
	wms_time now = wms_now();
	char a[24], b[24], df[11], dt[11];
	const char *p[] = { a, b };
	json_t *rep = NULL, *turn, *turn_total, *queue, *queue_total, *outcomes, *cycles, *hist;
	size_t i;
	json_t *row;

	snprintf(a, sizeof a, "%lld", (long long)t_from);
	snprintf(b, sizeof b, "%lld", (long long)t_to);
	if ((turn = workday_groups(s, cal, turnaround_sql, t_from, t_to, "product", &turn_total, err)) == NULL)
		return NULL;
	queue = workday_groups(s, cal, queue_sql, 0, now, "state", &queue_total, err);
	outcomes = queue ? wms_query_rows(s, outcome_sql, p, 2, err) : NULL;
	cycles = outcomes ? wms_query_rows(s, cycles_sql, NULL, 0, err) : NULL;
	hist = cycles ? wms_query_rows(s, histogram_sql, NULL, 0, err) : NULL;
	if (hist == NULL)
		goto out;
	json_array_foreach(outcomes, i, row) {
		json_int_t ap = json_integer_value(json_object_get(row, "approved"));
		json_int_t rp = json_integer_value(json_object_get(row, "repair"));
		json_int_t sc = json_integer_value(json_object_get(row, "scrapped"));
		json_int_t n = ap + rp + sc;
		json_object_set_new(row, "repair_rate", json_real(n ? round(1000.0 * (double)rp / (double)n) / 1000 : 0));
		json_object_set_new(row, "scrap_rate", json_real(n ? round(1000.0 * (double)sc / (double)n) / 1000 : 0));
	}
	rep = json_pack("{s:s?, s:s?, s:{s:o, s:o}, s:{s:o, s:o}, s:o, s:{s:o, s:o}}",
	                "from", from ? wms_date_format(from, df) : NULL,
	                "to", to ? wms_date_format(to, dt) : NULL,
	                "turnaround_workdays", "total", turn_total, "by_product", turn,
	                "queue_age_workdays", "total", queue_total, "by_state", queue,
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
	return NULL;
}
