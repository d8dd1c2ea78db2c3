/*
 * depot_test.c - depots as entities: add/list, unknown codes refused at
 * every core door (order, location, station-side ledger commands, config),
 * per-depot calendars and cut-off, stock that stays in its depot, transfer
 * requests, and the migration that puts existing rows into the default
 * depot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "schema.h"
#include "wms_allocate.h"
#include "wms_config.h"
#include "wms_depot.h"
#include "wms_export.h"
#include "wms_rebuild.h"
#include "wms_transfer.h"

static wms_time t(const char *text)
{
	wms_time v = 0;
	assert_int_equal(wms_time_parse(text, &v, NULL), 0);
	return v;
}

static struct fixture *two_depots(void)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	struct wms_depot_new sk = { .code = "SK", .name = "HMC Skövde", .address = "Badhusgatan 5, 541 30 Skövde",
	                            .cutoff = "14:00", .closed = "2026-07-20, 2026-07-21" };

	assert_int_equal(wms_depot_add(f->s, &sk, &err), 0);
	assert_int_equal(wms_location_add(f->s, "SK-A01-1", "Hylla SK", "shelf", "SK", NULL, &err), 0);
	return f;
}

static void add_and_refuse(void **state)
{
	struct fixture *f = two_depots();
	struct wms_error err = { 0 };
	struct wms_depot_new bad = { .code = "Skovde", .name = "x" };
	struct wms_depot_new dup = { .code = "SK", .name = "x" };
	char code[WMS_DEPOT_CODE_MAX + 1];
	json_t *list;

	assert_int_equal(wms_depot_add(f->s, &bad, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "bad depot code"));
	assert_int_equal(wms_depot_add(f->s, &dup, &err), WMS_EEXIST);
	assert_int_equal(wms_depot_default(f->s, code, &err), 0);
	assert_string_equal(code, "ML");
	assert_int_equal(wms_depot_known(f->s, "Skovde", &err), WMS_ENOTFOUND);
	assert_string_equal(err.msg, "unknown depot \"Skovde\"; known depots: ML (HMC Mölndal), SK (HMC Skövde)");
	/* the depot's own locations came with it */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM locations WHERE depot = 'SK'"), 6);
	list = wms_depot_list(f->s, &err);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "closed")),
	                    "2026-07-20, 2026-07-21");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "cutoff")), "14:00");
	json_decref(list);
	/* unknown depot: an order, a location, a receipt are refused and write nothing */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "O-1", .customer = "VC-MOLNDAL",
	                       .product = "BPM", .mode = "home", .depot = "Skovde"), WMS_ENOTFOUND);
	assert_non_null(strstr(err.msg, "known depots: ML"));
	assert_int_equal(wms_location_add(f->s, "X-1", "x", "shelf", "XX", NULL, &err), WMS_ENOTFOUND);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "S1", .product = "BPM",
	                       .depot = "XX"), WMS_ENOTFOUND);
	assert_int_equal(wms_store_event_count(f->s), 0);
	/* the database holds the rule too */
	assert_int_not_equal(sqlite3_exec(wms_store_db(f->s), "INSERT INTO locations(code, name, kind, depot)"
	                                  " VALUES ('Y', 'y', 'shelf', 'Skovde')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(wms_store_db(f->s), "INSERT INTO locations(code, name, kind)"
	                                  " VALUES ('Y', 'y', 'shelf')", NULL, NULL, NULL), SQLITE_OK);
	fixture_free(f);
}

/* A depot's address as a shipping label needs it: "street, postal code city". */
static void addresses(void **state)
{
	static const struct { const char *text, *street, *postcode, *city; } good[] = {
		{ "Badhusgatan 5, 541 30 Skövde", "Badhusgatan 5", "541 30", "Skövde" },
		{ "Kommunhuset, Stora Torget 1,44980  Alafors ", "Kommunhuset, Stora Torget 1", "449 80", "Alafors" },
	};
	static const char *const bad[] = { "Skövde", "Badhusgatan 5, Skövde", "Badhusgatan 5, 5413 Skövde",
	                                   "Badhusgatan 5, 541301 Skövde", ", 541 30 Skövde",
	                                   "Badhusgatan 5, 541 30", "Badhusgatan 5, 54 130 Skövde" };
	struct wms_depot_address a;
	struct wms_depot_new sk = { .code = "SK", .name = "HMC Skövde" };
	struct fixture *f = fixture_new();
	struct wms_store *s = f->s;
	struct wms_error err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (wms_depot_parse_address(good[i].text, &a, &err) != 0)
			fail_msg("\"%s\": %s", good[i].text, err.msg);
		assert_string_equal(a.street, good[i].street);
		assert_string_equal(a.postcode, good[i].postcode);
		assert_string_equal(a.city, good[i].city);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (wms_depot_parse_address(bad[i], NULL, &err) != WMS_EINVAL)
			fail_msg("\"%s\" taken for an address", bad[i]);
		assert_non_null(strstr(err.msg, "give \"street, postal code city\""));
	}
	/* a depot without one says so (1); add and set refuse a bad one, writing nothing */
	assert_int_equal(wms_depot_add(s, &sk, &err), 0);
	assert_int_equal(wms_depot_address(s, "SK", &a, &err), 1);
	assert_string_equal(a.name, "HMC Skövde");
	assert_int_equal(wms_depot_set_address(s, "SK", "Skövde", &err), WMS_EINVAL);
	assert_int_equal(wms_depot_set_address(s, "XX", "Badhusgatan 5, 541 30 Skövde", &err), WMS_ENOTFOUND);
	assert_int_equal(wms_depot_address(s, "SK", &a, &err), 1);
	assert_int_equal(wms_depot_set_address(s, "SK", "Badhusgatan 5, 54130 Skövde", &err), 0);
	assert_int_equal(wms_depot_address(s, "SK", &a, &err), 0);
	assert_string_equal(a.postcode, "541 30");
	assert_int_equal(wms_depot_add(s, &(struct wms_depot_new){ .code = "GB", .name = "Göteborg",
	                 .address = "Göteborg" }, &err), WMS_EINVAL);
	assert_int_equal(wms_depot_known(s, "GB", &err), WMS_ENOTFOUND);
	fixture_free(f);
}

static void calendars_from_store(void **state)
{
	struct fixture *f = two_depots();
	struct wms_error err = { 0 };
	struct wms_config *cfg = NULL;
	char path[] = "/tmp/wms-depot-conf-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");

	fputs("[depot SK]\nclosed = 2026-07-22\n", fp);
	fclose(fp);
	assert_int_equal(wms_config_load(path, NULL, NULL, &cfg, &err), 0);
	assert_int_equal(wms_depot_calendars(f->s, cfg, &err), 0);
	/* the store's closed days and the file's together; ML keeps the plain calendar */
	assert_false(wms_calendar_is_workday(wms_config_calendar(cfg, "SK"), wms_date_from_ymd(2026, 7, 20)));
	assert_false(wms_calendar_is_workday(wms_config_calendar(cfg, "SK"), wms_date_from_ymd(2026, 7, 22)));
	assert_true(wms_calendar_is_workday(wms_config_calendar(cfg, "SK"), wms_date_from_ymd(2026, 7, 23)));
	assert_true(wms_calendar_is_workday(wms_config_calendar(cfg, "ML"), wms_date_from_ymd(2026, 7, 20)));
	assert_int_equal(wms_config_cutoff(cfg, "SK"), 14 * 60);
	assert_int_equal(wms_config_cutoff(cfg, "ML"), 15 * 60);
	{
		/* a depot added while the configuration is in use (wmsd): the refresh
		 * brings it, keeps the others' calendars, and does nothing more after */
		struct wms_depot_new gb = { .code = "GB", .name = "HMC Göteborg", .cutoff = "11:30",
		                            .closed = "2026-07-24" };
		const struct wms_calendar *sk_before = wms_config_calendar(cfg, "SK");
		int added = -1;

		assert_int_equal(wms_depot_calendars_refresh(f->s, cfg, &added, &err), 0);
		assert_int_equal(added, 0);
		assert_int_equal(wms_depot_add(f->s, &gb, &err), 0);
		assert_int_equal(wms_config_cutoff(cfg, "GB"), 15 * 60);     /* not yet known */
		assert_int_equal(wms_depot_calendars_refresh(f->s, cfg, &added, &err), 0);
		assert_int_equal(added, 1);
		assert_int_equal(wms_config_cutoff(cfg, "GB"), 11 * 60 + 30);
		assert_false(wms_calendar_is_workday(wms_config_calendar(cfg, "GB"), wms_date_from_ymd(2026, 7, 24)));
		assert_true(wms_calendar_is_workday(wms_config_calendar(cfg, "SK"), wms_date_from_ymd(2026, 7, 24)));
		assert_ptr_equal(wms_config_calendar(cfg, "SK"), sk_before);
		assert_int_equal(wms_depot_calendars_refresh(f->s, cfg, &added, &err), 0);
		assert_int_equal(added, 0);
	}
	wms_config_free(cfg);
	/* a [depot X] the store does not know is refused with file:line */
	fp = fopen(path, "w");
	fputs("[calendar]\ndefacto_holidays = yes\n[depot Skovde]\nclosed = 2026-07-22\n", fp);
	fclose(fp);
	assert_int_equal(wms_config_load(path, NULL, NULL, &cfg, &err), 0);
	assert_int_equal(wms_depot_calendars(f->s, cfg, &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, ":4: [depot Skovde]: unknown depot; known depots: GB (HMC Göteborg), ML (HMC Mölndal), SK"));
	wms_config_free(cfg);
	unlink(path);
	fixture_free(f);
}

static void stock_stays_in_its_depot(void **state)
{
	struct fixture *f = two_depots();
	struct wms_error err = { 0 };
	struct wms_alloc_result r;
	char others[200];
	long long req;

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "SK1", .product = "BPM", .depot = "SK",
	                       .at = t("2026-03-02T08:00")), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices d JOIN locations l ON l.id = d.location_id"
	                                  " WHERE l.code = 'SK-GOODS-IN'"), 1);
	/* put away on the other depot's shelf: refused; on its own: fine */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "SK1", .location = "A-01-01",
	                       .at = t("2026-03-02T08:10")), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "a device changes depot only by a transfer"));
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "SK1", .location = "SK-A01-1",
	                       .at = t("2026-03-02T08:10")), 0);
	/* a Mölndal station cannot act on it */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_SCRAP, .serial = "SK1", .reason = "x", .depot = "ML",
	                       .at = t("2026-03-02T08:20")), WMS_EINVAL);
	/* a Mölndal order is not served from Skövde's shelf; the dispatcher is told where one is */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "O-1", .customer = "VC-MOLNDAL",
	                       .product = "BPM", .mode = "home", .at = t("2026-03-02T09:00")), 0);
	assert_int_equal(wms_allocate(f->s, "O-1", &(struct wms_alloc_opts){ .role = WMS_ROLE_TRUSTED, .at = t("2026-03-02T09:10") }, &r, &err),
	                 WMS_ENOTFOUND);
	assert_non_null(strstr(err.msg, "in stock at depot SK (HMC Skövde): 1: request a transfer"));
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = "SK1", .order = "O-1",
	                       .at = t("2026-03-02T09:10")), WMS_EINVAL);
	assert_int_equal(wms_transfer_sources(f->s, 1, "ML", others, sizeof others, &err), 0);
	assert_string_equal(others, "depot SK (HMC Skövde): 1");
	assert_int_equal(wms_transfer_request(f->s, "O-1", NULL, "disp", t("2026-03-02T09:20"), &req, &err), 0);
	assert_int_equal(wms_transfer_request(f->s, "O-1", "ML", "disp", 0, NULL, &err), WMS_EINVAL);
	/* transfer: out at Skövde, in at Mölndal, counted apart on the way */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_TRANSFER_OUT, .serial = "SK1", .to_depot = "SK",
	                       .at = t("2026-03-02T10:00")), WMS_EINVAL);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_TRANSFER_OUT, .serial = "SK1", .to_depot = "ML",
	                       .depot = "SK", .at = t("2026-03-02T10:00")), 0);
	assert_int_equal(fixture_count(f, "SELECT state = 'sent' FROM transfer_requests"), 1);
	assert_int_equal(fixture_count(f, "SELECT devices FROM stock WHERE depot = 'ML' AND state = 'in_transfer'"), 1);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_TRANSFER_IN, .serial = "SK1", .depot = "SK",
	                       .at = t("2026-03-03T10:00")), WMS_EINVAL);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_TRANSFER_IN, .serial = "SK1", .depot = "ML",
	                       .at = t("2026-03-03T10:00")), 0);
	/* the request is received with the device's transfer_in */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM transfer_requests r JOIN events e"
	                                  " ON e.id = r.received_event_id WHERE r.state = 'received'"
	                                  " AND e.type = 'transfer_in'"), 1);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "SK1", .location = "A-01-01",
	                       .at = t("2026-03-03T10:10")), 0);
	assert_int_equal(wms_allocate(f->s, "O-1", &(struct wms_alloc_opts){ .role = WMS_ROLE_TRUSTED, .at = t("2026-03-03T10:20") }, &r, &err), 0);
	assert_string_equal(r.serial, "SK1");
	/* a return is handed in where it is scanned: Skövde's quarantine */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_PICK, .serial = "SK1", .at = t("2026-03-03T11:00")), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = "SK1", .at = t("2026-03-03T12:00")), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = "SK1", .at = t("2026-03-04T12:00")), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RETURN, .serial = "SK1", .depot = "SK",
	                       .at = t("2026-03-05T12:00")), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices d JOIN locations l ON l.id = d.location_id"
	                                  " WHERE l.code = 'SK-QUARANTINE'"), 1);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECON_START, .serial = "SK1", .checklist_id = fixture_checklist(f, "BPM"),
	                       .at = t("2026-03-05T13:00")), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices d JOIN locations l ON l.id = d.location_id"
	                                  " WHERE l.code = 'SK-RECON'"), 1);
	{
		/* exported with region-wide keys: codes and numbers, never row ids */
		json_t *evs = wms_ledger_export(f->s, 0, 1000, &err), *ev;
		size_t i;
		long long prev = 0;
		char *text;
		assert_non_null(evs);
		assert_int_equal((long long)json_array_size(evs), wms_store_event_count(f->s));
		json_array_foreach(evs, i, ev) {
			assert_true(json_integer_value(json_object_get(ev, "seq")) > prev);
			prev = json_integer_value(json_object_get(ev, "seq"));
			assert_non_null(json_object_get(ev, "depot"));
		}
		ev = json_array_get(evs, 0);
		assert_string_equal(json_string_value(json_object_get(ev, "serial")), "SK1");
		assert_string_equal(json_string_value(json_object_get(ev, "depot")), "SK");
		assert_string_equal(json_string_value(json_object_get(ev, "location")), "SK-GOODS-IN");
		assert_string_equal(json_string_value(json_object_get(json_object_get(ev, "payload"), "product")), "BPM");
		text = json_dumps(evs, JSON_COMPACT);
		assert_null(strstr(text, "_id\""));
		assert_non_null(strstr(text, "\"order\":\"O-1\""));
		assert_non_null(strstr(text, "\"to_depot\":\"ML\""));
		free(text);
		json_decref(evs);
		assert_null(wms_ledger_export(f->s, 0, 0, &err));
	}
	fixture_free(f);
}

/* A database from before depots: its locations and orders go to ML. */
static void migration_puts_rows_in_default(void **state)
{
	char path[] = "/tmp/wms-depot-mig-XXXXXX";
	int fd = mkstemp(path), mine = 0;
	sqlite3 *db;
	struct wms_store *s;
	struct wms_error err = { 0 };
	char sql[64];

	close(fd);
	for (int v = 1; v <= wms_schema_count(); v++)
		if (strstr(wms_schema_migration(v), "CREATE TABLE depots(") != NULL)
			mine = v;
	assert_true(mine > 1);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (int v = 1; v < mine; v++)
		assert_int_equal(sqlite3_exec(db, wms_schema_migration(v), NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO products(code, name_sv, name_en, category) VALUES ('BPM', 'b', 'b', 'HoS');"
		"INSERT INTO customers(code, name, kind) VALUES ('VC', 'v', 'region');"
		"INSERT INTO locations(code, name, kind, depot) VALUES ('A-1', 'a', 'shelf', 'Skövde');"
		"INSERT INTO events(id, ts, type, order_id, payload) VALUES (1, 1767225600, 'order_create', 1,"
		" '{\"number\":\"O-1\",\"customer_id\":1,\"product_id\":1,\"mode\":\"home\",\"depot\":\"Mölndal\"}');"
		"INSERT INTO orders(id, number, customer_id, product_id, mode, depot, registered_ts, status,"
		" last_event_id) VALUES (1, 'O-1', 1, 1, 'home', 'Mölndal', 1767225600, 'open', 1);"
		"INSERT INTO consignments(id, sscc, order_id, carrier, state, created_ts, updated_ts)"
		" VALUES (7, '735001234500000017', 1, 'PostNord', 'created', 1767225600, 1767225600);"
		"INSERT INTO consignment_devices(consignment_id, device_id) VALUES (7, 1);"
		"INSERT INTO consignment_events(consignment_id, ts, event, recorded_ts)"
		" VALUES (7, 1767225600, 'created', 1767225600);",
		NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", mine - 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(wms_store_open(path, NULL, &s, &err), 0);
	{
		struct fixture f = { .s = s };
		assert_int_equal(fixture_count(&f, "SELECT count(*) FROM orders WHERE depot = 'ML'"), 1);
		assert_int_equal(fixture_count(&f, "SELECT count(*) FROM locations WHERE code = 'A-1' AND depot = 'ML'"), 1);
		assert_int_equal(fixture_count(&f, "SELECT count(*) FROM locations WHERE code = 'GOODS-IN' AND depot = 'ML'"), 1);
		assert_int_equal(fixture_count(&f, "SELECT count(*) FROM locations WHERE code = 'HOME' AND depot IS NULL"), 1);
		/* the consignments' rebuild (transfers by carrier) kept the row, its children and the
		 * foreign keys, which are on again */
		assert_int_equal(fixture_count(&f, "SELECT count(*) FROM consignments WHERE id = 7 AND order_id = 1"
		                                   " AND kind = 'outbound' AND depot = 'ML' AND to_depot IS NULL"), 1);
		assert_int_equal(fixture_count(&f, "SELECT count(*) FROM consignment_events e JOIN consignment_devices d"
		                                   " USING (consignment_id) WHERE consignment_id = 7"), 1);
		assert_int_equal(fixture_count(&f, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
		assert_int_equal(fixture_count(&f, "SELECT foreign_keys FROM pragma_foreign_keys"), 1);
		assert_int_equal(fixture_count(&f, "SELECT count(*) FROM sqlite_master WHERE name = 'consignment_events'"
		                                   " AND sql LIKE '%REFERENCES consignments(id)%'"), 1);
		assert_int_not_equal(sqlite3_exec(wms_store_db(s), "INSERT INTO consignment_events(consignment_id, ts,"
		                                  " event, recorded_ts) VALUES (99, 1, 'created', 1)", NULL, NULL, NULL),
		                     SQLITE_OK);
	}
	/* a rebuild from the old events gives the same: free text goes to the default depot */
	{
		long diff = -1;
		assert_int_equal(wms_rebuild(s, true, &diff, &err), 0);
		assert_int_equal(diff, 0);
	}
	wms_store_close(s);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_and_refuse),
		cmocka_unit_test(addresses),
		cmocka_unit_test(calendars_from_store),
		cmocka_unit_test(stock_stays_in_its_depot),
		cmocka_unit_test(migration_puts_rows_in_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
