/*
 * bench_orders.c - the benchmarks' delivered orders (bench_orders.h).
 */
#include "bench_orders.h"

#include "store_sql.h"
#include "wms_catalog.h"
#include "wms_depot.h"
#include "wms_leadtime.h"
#include "wms_time.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int reference_data(struct wms_store *s, struct wms_error *err)
{
	char code[32], name[64];
	int rc = 0;

	for (int p = 0; p < 9 && rc == 0; p++) {
		struct wms_product prod = { code, name, name, "HoS", false };
		snprintf(code, sizeof code, "P%d", p);
		snprintf(name, sizeof name, "Produkt %d", p);
		rc = wms_product_add(s, &prod, err);
	}
	if (rc == 0)
		rc = wms_depot_add(s, &(struct wms_depot_new){ .code = "SK", .name = "HMC Skövde" }, err);
	for (int c = 0; c < 50 && rc == 0; c++) {
		snprintf(code, sizeof code, "C%02d", c);
		snprintf(name, sizeof name, "Enhet %d", c);
		rc = wms_customer_add(s, code, name, c < 40 ? "region" : "municipality", NULL, err);
	}
	return rc;
}

/*
 * The orders' secondary indexes, dropped for the fill and built again after
 * it from their own text (one sort each instead of millions of inserts at
 * random places: 10M orders took hours with them in place).  UNIQUE ones
 * stay.  *SQL gets the CREATE statements joined by ';' (sqlite3_free).
 */
static int indexes_aside(struct wms_store *s, char **sql, struct wms_error *err)
{
	sqlite3 *db = wms_store_db(s);
	sqlite3_stmt *st = NULL;
	char *drops = NULL;
	int rc = 0;

	*sql = NULL;
	if (sqlite3_prepare_v2(db, "SELECT sql, 'DROP INDEX \"' || replace(name, '\"', '\"\"') || '\"'"
	                       " FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders'"
	                       " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'", -1, &st, NULL) != SQLITE_OK)
		return wms_store_sql_error(s, err, "listing the orders' indexes");
	while (sqlite3_step(st) == SQLITE_ROW) {
		*sql = sqlite3_mprintf("%z%s;", *sql, sqlite3_column_text(st, 0));
		drops = sqlite3_mprintf("%z%s;", drops, sqlite3_column_text(st, 1));
		if (*sql == NULL || drops == NULL) {
			rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc == 0 && drops && sqlite3_exec(db, drops, NULL, NULL, NULL) != SQLITE_OK)
		rc = wms_store_sql_error(s, err, "dropping the orders' indexes for the fill");
	sqlite3_free(drops);
	return rc;
}

int bench_orders_fill(struct wms_store *s, long n, const struct wms_calendar *cal,
                      struct wms_error *err)
{
	static const char *const modes[] = { "home", "pickup_point", "unit", "buffer" };
	sqlite3_stmt *st = NULL;
	uint64_t x = 0x9E3779B97F4A7C15ull;
	wms_time base = wms_local_to_utc(wms_date_from_ymd(2024, 1, 1), 8 * 60);
	bool open = false;
	char *indexes = NULL;
	int rc;

	if ((rc = reference_data(s, err)) < 0 || (rc = wms_store_begin(s, err)) < 0)
		goto out;
	open = true;
	/* one transaction of millions of rows whose indexes take them at random
	 * places: with SQLite's 2 MB cache every miss was a read back from the
	 * log (10M orders: hours); up to 1 GiB while filling */
	sqlite3_exec(wms_store_db(s), "PRAGMA cache_size = -1048576", NULL, NULL, NULL);
	if ((rc = indexes_aside(s, &indexes, err)) < 0)
		goto out;
	if (sqlite3_prepare_v2(wms_store_db(s),
	        "INSERT INTO orders(id, number, customer_id, product_id, mode, depot, registered_ts,"
	        " status, delivered_ts, requested_date, last_event_id)"
	        " VALUES (?1, 'B' || ?1, ?2, ?3, ?4, ?8, ?5, 'delivered', ?6, ?7, ?1)",
	        -1, &st, NULL) != SQLITE_OK) {
		rc = wms_store_sql_error(s, err, "preparing the orders insert");
		goto out;
	}
	for (long i = 1; i <= n; i++) {
		wms_time reg;
		wms_day start, del;
		int days;
		char req[16];

		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		reg = base + (wms_time)(x % (2 * 365 * 86400ull));
		start = wms_leadtime_start(cal, reg, 900);
		days = (int)((x >> 24) % 10) < 9 ? 1 + (int)((x >> 32) % 6) : 8 + (int)((x >> 40) % 10);
		del = wms_calendar_add_workdays(cal, start, days);
		sqlite3_bind_int64(st, 1, i);
		sqlite3_bind_int64(st, 2, 1 + (long)((x >> 8) % 50));
		sqlite3_bind_int64(st, 3, 1 + (long)((x >> 16) % 9));
		sqlite3_bind_text(st, 4, modes[(x >> 48) % 4], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, reg);
		sqlite3_bind_text(st, 8, (x >> 4) % 4 == 0 ? "SK" : "ML", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, wms_local_to_utc(del, 13 * 60));
		if ((x >> 56) % 20 == 0)
			sqlite3_bind_text(st, 7, wms_date_format(del, req), -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 7);
		if (sqlite3_step(st) != SQLITE_DONE) {
			rc = wms_store_sql_error(s, err, "inserting an order");
			goto out;
		}
		sqlite3_reset(st);
	}
	if (indexes && sqlite3_exec(wms_store_db(s), indexes, NULL, NULL, NULL) != SQLITE_OK) {
		rc = wms_store_sql_error(s, err, "building the orders' indexes after the fill");
		goto out;
	}
	open = false;
	rc = wms_store_commit(s, err);
	/* the rows bypassed the ledger: count their lead times as a delivery would */
	if (rc == 0) {
		struct wms_leadtime_opts rules = { .cal = cal, .cutoff_minute = 900 };
		rc = wms_leadtime_rebuild(s, &rules, NULL, err);
	}
out:
	sqlite3_finalize(st);
	sqlite3_free(indexes);
	if (open)
		wms_store_rollback(s);
	sqlite3_exec(wms_store_db(s), "PRAGMA cache_size = -2000", NULL, NULL, NULL);
	return rc;
}
