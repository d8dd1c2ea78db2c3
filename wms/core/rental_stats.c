/*
 * rental_stats.c - rentals for managers (see wms_rental.h): the devices out
 * on rent now by product type and customer, and rentals per month over a
 * run of months in one pass over the rentals, counted by the same rules as
 * the monthly rental report (wms_rental_report: Stockholm calendar days, the
 * start day charged and the end day not, an open rental up to today; a
 * device counts once per customer it was charged to in the month, as the
 * report's total sums its customers).
 */
#include "wms_rental.h"

#include "store_sql.h"
#include "wms_query.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

json_t *wms_rental_out(struct wms_store *s, wms_time now, const char *product, const char *customer,
                       struct wms_error *err)
{
	/* a device out is rented or expected back, and its latest rental is charged now */
#define OUT_ROWS \
	" FROM devices d JOIN rentals r ON r.id = (SELECT max(x.id) FROM rentals x WHERE x.device_id = d.id)" \
	" JOIN products p ON p.id = d.product_id JOIN customers c ON c.id = r.customer_id" \
	" WHERE d.state IN ('rented', 'return_expected') AND r.start_ts <= CAST(?1 AS INTEGER)" \
	" AND (r.end_ts IS NULL OR r.end_ts > CAST(?1 AS INTEGER))" \
	" AND (?2 IS NULL OR p.code = ?2) AND (?3 IS NULL OR c.code = ?3)"
	static const char by_product_sql[] =
		"SELECT p.code AS product, p.name_sv, p.name_en, count(*) AS devices" OUT_ROWS
		" GROUP BY p.code ORDER BY p.code";
	static const char by_customer_sql[] =
		"SELECT c.code AS customer, c.name, c.kind, count(*) AS devices" OUT_ROWS
		" GROUP BY c.code ORDER BY c.code";
#undef OUT_ROWS
	char at[24];
	const char *p[] = { at, product && product[0] ? product : NULL,
	                    customer && customer[0] ? customer : NULL };
	json_t *by_product, *by_customer = NULL, *row, *out;
	json_int_t total = 0;
	size_t i;

	snprintf(at, sizeof at, "%lld", (long long)now);
	if ((by_product = wms_query_rows(s, by_product_sql, p, 3, err)) == NULL ||
	    (by_customer = wms_query_rows(s, by_customer_sql, p, 3, err)) == NULL)
		goto fail;
	json_array_foreach(by_product, i, row)
		total += json_integer_value(json_object_get(row, "devices"));
	out = json_pack("{s:I, s:o, s:o}", "total", total, "by_product", by_product, "by_customer", by_customer);
	if (out == NULL)
		wms_error_set(err, WMS_ENOMEM, "out of memory");
	return out;
fail:
	json_decref(by_product);
	json_decref(by_customer);
	return NULL;
}

struct month_sums {
	wms_day first, next;
	long long devices, rental_days, started;
};

json_t *wms_rental_months(struct wms_store *s, int year, int month, int n, wms_time now,
                          const char *product, const char *customer, struct wms_error *err)
{
	static const char sql[] =
		"SELECT r.device_id, r.start_ts, r.end_ts, r.customer_id FROM rentals r"
		" JOIN devices d ON d.id = r.device_id JOIN products p ON p.id = d.product_id"
		" JOIN customers c ON c.id = r.customer_id"
		" WHERE r.start_ts < ?2 AND (r.end_ts IS NULL OR r.end_ts > ?1)"
		" AND (?3 IS NULL OR p.code = ?3) AND (?4 IS NULL OR c.code = ?4)"
		" ORDER BY r.customer_id, r.device_id, r.start_ts";
	struct month_sums m[WMS_RENTAL_MONTHS_MAX];
	wms_day tomorrow = wms_local_day(now, NULL) + 1;
	sqlite3_stmt *st = NULL;
	json_t *rows = NULL, *o;
	long long device = -1, cust = -1;
	uint64_t mask = 0;
	char label[8];
	int rc, y = year, mo = month;

	if (n < 1 || n > WMS_RENTAL_MONTHS_MAX || month < 1 || month > 12) {
		wms_error_set(err, WMS_EINVAL, "rental months: %d months from %04d-%02d; allowed 1..%d months",
		              n, year, month, WMS_RENTAL_MONTHS_MAX);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		m[i] = (struct month_sums){ .first = wms_date_from_ymd(y, mo, 1) };
		if (++mo > 12) {
			mo = 1;
			y++;
		}
		m[i].next = wms_date_from_ymd(y, mo, 1);
	}
	if ((rows = json_array()) == NULL) {
		wms_error_set(err, WMS_ENOMEM, "out of memory");
		return NULL;
	}
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, wms_local_to_utc(m[0].first, 0));
	sqlite3_bind_int64(st, 2, wms_local_to_utc(m[n - 1].next, 0));
	wms_bind_text_or_null(st, 3, product);
	wms_bind_text_or_null(st, 4, customer);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long dev = sqlite3_column_int64(st, 0), c = sqlite3_column_int64(st, 3);
		wms_day sd = wms_local_day(sqlite3_column_int64(st, 1), NULL);
		wms_day ed = sqlite3_column_type(st, 2) == SQLITE_NULL
		                     ? tomorrow : wms_local_day(sqlite3_column_int64(st, 2), NULL);

		if (dev != device || c != cust) {   /* once a month per customer, however many rentals */
			for (int i = 0; i < n; i++)
				m[i].devices += (mask >> i) & 1;
			mask = 0;
			device = dev;
			cust = c;
		}
		for (int i = 0; i < n; i++) {
			wms_day lo = sd > m[i].first ? sd : m[i].first;
			wms_day hi = ed < m[i].next ? ed : m[i].next;
			if (hi > tomorrow)
				hi = tomorrow;
			if (hi > lo) {
				m[i].rental_days += hi - lo;
				mask |= (uint64_t)1 << i;
			}
			if (sd >= m[i].first && sd < m[i].next && sd < tomorrow)
				m[i].started++;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		wms_store_sql_error(s, err, "reading rentals");
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		int yy, mm, dd;
		m[i].devices += (mask >> i) & 1;
		wms_date_to_ymd(m[i].first, &yy, &mm, &dd);
		snprintf(label, sizeof label, "%04d-%02d", yy, mm);
		o = json_pack("{s:s, s:I, s:I, s:I}", "month", label, "devices", (json_int_t)m[i].devices,
		              "rental_days", (json_int_t)m[i].rental_days, "started", (json_int_t)m[i].started);
		if (o == NULL || json_array_append_new(rows, o) < 0) {
			wms_error_set(err, WMS_ENOMEM, "out of memory");
			goto fail;
		}
	}
	return rows;
fail:
	json_decref(rows);
	return NULL;
}
