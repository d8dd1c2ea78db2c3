/*
 * rental.c - pickup-order dates and the monthly rental report (see
 * wms_rental.h).  Days are counted in C from Stockholm local dates, since
 * SQLite knows no Stockholm time.
 */
#include "wms_rental.h"

#include "store_sql.h"
#include "wms_depot.h"
#include "wms_ids.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void wms_return_plan(const struct wms_calendar *cal, wms_time at, int due_days, int stop_days,
                     wms_day *due, wms_day *stop)
{
	wms_day today = wms_local_day(at, NULL);

	*due = wms_calendar_add_workdays(cal, today, due_days);
	*stop = wms_calendar_add_workdays(cal, today, stop_days);
}

int wms_month_parse(const char *text, int *year, int *month, struct wms_error *err)
{
	int y, m, used = 0;

	if (text == NULL || sscanf(text, "%4d-%2d%n", &y, &m, &used) != 2 || used != 7 ||
	    strlen(text) != 7 || text[4] != '-' || m < 1 || m > 12 || y < WMS_CAL_FIRST_YEAR ||
	    y >= WMS_CAL_LAST_YEAR)
		return wms_error_set(err, WMS_EINVAL, "bad month \"%.40s\": expected YYYY-MM (%d-01..%d-12)",
		                     text ? text : "", WMS_CAL_FIRST_YEAR, WMS_CAL_LAST_YEAR - 1);
	*year = y;
	*month = m;
	return 0;
}

static wms_day max_day(wms_day a, wms_day b) { return a > b ? a : b; }
static wms_day min_day(wms_day a, wms_day b) { return a < b ? a : b; }

/* Append the finished group to rows; 0 or WMS_ENOMEM. */
static int flush(json_t *rows, const char *code, const char *name, const char *cc, long long devices,
                 long long days)
{
	json_t *o = json_pack("{s:s, s:s, s:s?, s:I, s:I}", "customer", code, "name", name,
	                      "cost_centre", cc, "devices", (json_int_t)devices, "rental_days",
	                      (json_int_t)days);

	return o && json_array_append_new(rows, o) == 0 ? 0 : WMS_ENOMEM;
}

/* The report of one depot's orders (depot NULL: every order). */
static json_t *report(struct wms_store *s, int year, int month, const char *depot, wms_time now,
                      struct wms_error *err)
{
	static const char sql[] =
		"SELECT c.code, c.name, c.cost_centre, r.device_id, r.start_ts, r.end_ts"
		" FROM rentals r JOIN customers c ON c.id = r.customer_id"
		" LEFT JOIN orders o ON o.id = r.order_id"
		" WHERE r.start_ts < ?2 AND (r.end_ts IS NULL OR r.end_ts > ?1)"
		" AND (?3 IS NULL OR o.depot = ?3)"
		" ORDER BY c.code, r.device_id, r.start_ts";
	wms_day first = wms_date_from_ymd(year, month, 1);
	wms_day next = month == 12 ? wms_date_from_ymd(year + 1, 1, 1) : wms_date_from_ymd(year, month + 1, 1);
	wms_day tomorrow = wms_local_day(now, NULL) + 1;
	sqlite3_stmt *st;
	json_t *out = NULL, *rows = json_array();
	char code[WMS_CODE_MAX + 1] = "", name[256] = "", cc[64] = "", label[8];
	bool have_cc = false, group = false;
	long long devices = 0, days = 0, last_device = -1, device_days = 0;
	long long tot_devices = 0, tot_days = 0;
	int rc;

	if (rows == NULL || (st = wms_store_stmt(s, sql, err)) == NULL) {
		if (rows == NULL)
			wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto fail;
	}
	sqlite3_bind_int64(st, 1, wms_local_to_utc(first, 0));
	sqlite3_bind_int64(st, 2, wms_local_to_utc(next, 0));
	wms_bind_text_or_null(st, 3, depot);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		long long dev = sqlite3_column_int64(st, 3);
		wms_day sd = wms_local_day(sqlite3_column_int64(st, 4), NULL);
		wms_day ed = sqlite3_column_type(st, 5) == SQLITE_NULL
		                     ? tomorrow : wms_local_day(sqlite3_column_int64(st, 5), NULL);
		wms_day lo = max_day(sd, first), hi = min_day(min_day(ed, next), tomorrow);
		long long d = hi > lo ? (long long)(hi - lo) : 0;

		if (!group || strcmp(c, code) != 0) {
			if (group && flush(rows, code, name, have_cc ? cc : NULL, devices, days) < 0)
				goto nomem;
			snprintf(code, sizeof code, "%s", c);
			snprintf(name, sizeof name, "%s", (const char *)sqlite3_column_text(st, 1));
			have_cc = sqlite3_column_type(st, 2) != SQLITE_NULL;
			snprintf(cc, sizeof cc, "%s", have_cc ? (const char *)sqlite3_column_text(st, 2) : "");
			devices = days = device_days = 0;
			last_device = -1;
			group = true;
		}
		if (dev != last_device) {
			last_device = dev;
			device_days = 0;
		}
		if (d > 0 && device_days == 0) {
			devices++;
			tot_devices++;
		}
		device_days += d;
		days += d;
		tot_days += d;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		wms_store_sql_error(s, err, "reading rentals");
		goto fail;
	}
	if (group && flush(rows, code, name, have_cc ? cc : NULL, devices, days) < 0)
		goto nomem;
	snprintf(label, sizeof label, "%04d-%02d", year, month);
	out = json_pack("{s:s, s:i, s:o, s:{s:I, s:I}}", "month", label, "days_in_month",
	                (int)(next - first), "customers", rows, "total", "devices", (json_int_t)tot_devices,
	                "rental_days", (json_int_t)tot_days);
	if (out == NULL)
		wms_error_set(err, WMS_ENOMEM, "out of memory");
	return out;
nomem:
	sqlite3_reset(st);
	wms_error_set(err, WMS_ENOMEM, "out of memory");
fail:
	json_decref(rows);
	return NULL;
}

json_t *wms_rental_report(struct wms_store *s, int year, int month, wms_time now,
                          struct wms_error *err)
{
	return wms_rental_report_depot(s, year, month, NULL, now, err);
}

json_t *wms_rental_report_depot(struct wms_store *s, int year, int month, const char *depot,
                                wms_time now, struct wms_error *err)
{
	json_t *out, *depots, *by, *d;
	size_t i;

	if (depot && *depot) {
		if (wms_depot_known(s, depot, err) < 0)
			return NULL;
	} else {
		depot = NULL;
	}
	if ((out = report(s, year, month, depot, now, err)) == NULL)
		return NULL;
	if ((depots = wms_depot_list(s, err)) == NULL || (by = json_array()) == NULL)
		goto fail;
	json_object_set_new(out, "by_depot", by);
	json_array_foreach(depots, i, d) {
		const char *code = json_string_value(json_object_get(d, "code"));
		json_t *one;
		if (depot && strcmp(code, depot) != 0)
			continue;
		if ((one = report(s, year, month, code, now, err)) == NULL)
			goto fail;
		json_array_append_new(by, json_pack("{s:s, s:O, s:O}", "depot", code,
		        "devices", json_object_get(json_object_get(one, "total"), "devices"),
		        "rental_days", json_object_get(json_object_get(one, "total"), "rental_days")));
		json_decref(one);
	}
	json_decref(depots);
	return out;
fail:
	json_decref(depots);
	json_decref(out);
	return NULL;
}
