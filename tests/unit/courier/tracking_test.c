/*
 * tracking_test.c - tracking events against a real store: the tracking-file
 * line parser, lead time ended by the configured events through the
 * ledger's deliver event, idempotent duplicates, out-of-order events,
 * collection recorded apart, failed deliveries and late consignments listed
 * as problems, refused events writing nothing, and a transfer between
 * depots by carrier (a consignment without an order, tracked apart from
 * the ledger, the request received with the transfer_in scan).
 */
#include "wms_rules.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "courier_consignment.h"
#include "courier_fixture.h"
#include "courier_tracking.h"
#include "wms_depot.h"
#include "wms_query.h"
#include "wms_transfer.h"

struct parsed {
	int n;
	struct courier_tracking_line t[8];
	long line[8];
};

static int collect(void *ctx, long line, const struct courier_tracking_line *t, struct wms_error *err)
{
	struct parsed *p = ctx;

	if (p->n < 8) {
		p->t[p->n] = *t;
		p->line[p->n++] = line;
	}
	return 0;
}

static const char *problem(const struct courier_import_report *rep, size_t i, long *line)
{
	json_t *p = json_array_get(rep->problems, i);

	*line = (long)json_integer_value(json_object_get(p, "line"));
	return json_string_value(json_object_get(p, "error"));
}

static void parse_csv(void **state)
{
	static const char text[] =
		"\xEF\xBB\xBFref,event,time\r\n"
		"SE123,delivered,2026-03-04T10:00\r\n"
		"\"SE,1\",in_transit,2026-03-04T10:00\n"
		"SE1,teleported,2026-03-04\n"
		"\n"
		"SE1,delivered,2026-02-30\n"
		"SE1,delivered\n"
		"ref,event,time\n"
		"SE1,delivered,\"2026-03-04\n";
	struct parsed p = { 0 };
	struct courier_import_report rep;
	struct wms_error err = { 0 };
	long line;

	assert_int_equal(courier_tracking_parse(text, sizeof text - 1, collect, &p, &rep, &err), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.t[0].ref, "SE123");
	assert_int_equal(p.t[0].event, COURIER_EV_DELIVERED);
	assert_int_equal(p.t[0].at, at("2026-03-04T10:00"));
	assert_int_equal(p.line[0], 2);
	assert_int_equal(rep.bad, 6);
	assert_non_null(strstr(problem(&rep, 0, &line), "bad SSCC or tracking number"));
	assert_int_equal(line, 3);
	assert_non_null(strstr(problem(&rep, 1, &line), "allowed: in_transit"));
	assert_int_equal(line, 4);
	assert_non_null(strstr(problem(&rep, 2, &line), "2026-02-30"));
	assert_int_equal(line, 6);
	assert_non_null(strstr(problem(&rep, 3, &line), "2 fields; expected 3"));
	assert_int_equal(line, 7);
	assert_non_null(strstr(problem(&rep, 4, &line), "bad event"));   /* a header only on line 1 */
	assert_int_equal(line, 8);
	problem(&rep, 5, &line);
	assert_int_equal(line, 9);                  /* unclosed quote */
	courier_import_report_clear(&rep);
}

static void parse_json_lines(void **state)
{
	static const char text[] =
		"  {\"sscc\":\"373500123450000007\",\"event\":\"failed_delivery\",\"time\":\"2026-03-04T10:00:00Z\"}\n"
		"{\"sscc\":1,\"event\":\"delivered\",\"time\":\"2026-03-04\"}\n"
		"{\"sscc\":\"1\",\"tracking\":\"2\",\"event\":\"delivered\",\"time\":\"2026-03-04\"}\r\n"
		"{\"ref\":\"1\"\n"
		"\n"
		"[1,2]\n"
		"{\"tracking\":\"SE9\",\"event\":\"collected\",\"time\":\"2026-03-05T16:00\"}";
	struct parsed p = { 0 };
	struct courier_import_report rep;
	struct wms_error err = { 0 };
	long line;

	assert_int_equal(courier_tracking_parse(text, sizeof text - 1, collect, &p, &rep, &err), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.t[0].event, COURIER_EV_FAILED);
	assert_int_equal(p.t[0].at, at("2026-03-04T11:00"));
	assert_string_equal(p.t[1].ref, "SE9");
	assert_int_equal(p.line[1], 7);
	assert_int_equal(rep.bad, 4);
	assert_non_null(strstr(problem(&rep, 0, &line), "must be strings"));
	assert_non_null(strstr(problem(&rep, 1, &line), "not several"));
	assert_non_null(strstr(problem(&rep, 2, &line), "bad JSON line"));
	assert_non_null(strstr(problem(&rep, 3, &line), "not an object"));
	assert_int_equal(line, 6);
	courier_import_report_clear(&rep);
}

static long long create_manual(struct fixture *f, struct courier_config *cc, const char *order,
                               const char *tracking, char sscc[19])
{
	struct courier_consignment_req req = { .order = order, .carrier = "PostNord",
	                                       .tracking = tracking, .at = at("2026-03-02T12:00") };
	struct courier_consignment_result res;
	struct wms_error err = { 0 };

	if (courier_consignment_create(f->s, cc, &req, &res, &err) < 0)
		fixture_fail("consignment", &err);
	snprintf(sscc, 19, "%s", res.sscc);
	return res.id;
}

static int track(struct fixture *f, struct courier_config *cc, const char *ref, enum courier_event ev,
                 const char *when, struct courier_tracking_result *res, struct wms_error *err)
{
	struct courier_tracking_input in = { .ref = ref, .event = ev, .at = at(when), .source = "test",
	                                     .role = WMS_ROLE_DISPATCHER };

	wms_error_clear(err);
	return courier_tracking_apply(f->s, cc, &in, res, err);
}

static void delivered_ends_lead_time(void **state)
{
	struct fixture *f = fixture_new();
	struct courier_config cc;
	struct courier_tracking_result r;
	struct wms_error err = { 0 };
	struct wms_config *wcfg = NULL;
	char sscc[19];
	json_t *shown;

	courier_conf(&cc, 1);
	assert_int_equal(wms_config_load(NULL, NULL, NULL, &wcfg, &err), 0);
	picked_order(f, "SN-1", "O-1", NULL);    /* home delivery, registered Mon 2026-03-02 09:00 */
	create_manual(f, &cc, "O-1", "SE100", sscc);

	assert_int_equal(track(f, &cc, "SE100", COURIER_EV_IN_TRANSIT, "2026-03-03T07:00", &r, &err), 0);
	assert_string_equal(r.state, "in_transit");
	assert_false(r.delivered);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices WHERE state = 'dispatched'"), 1);
	/* a failed delivery is recorded and listed, the device stays out */
	assert_int_equal(track(f, &cc, sscc, COURIER_EV_FAILED, "2026-03-04T14:00", &r, &err), 0);
	assert_string_equal(r.state, "failed");
	{
		json_t *p = courier_consignment_list(f->s, wcfg, true, at("2026-03-04T15:00"), 0, &err);
		assert_int_equal(json_array_size(p), 1);
		assert_non_null(strstr(json_string_value(json_object_get(json_array_get(p, 0), "problem")),
		                       "failed delivery"));
		json_decref(p);
	}
	assert_int_equal(track(f, &cc, "SE100", COURIER_EV_DELIVERED, "2026-03-05T10:30", &r, &err), 0);
	assert_true(r.delivered);
	assert_string_equal(r.state, "delivered");
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices WHERE state = 'delivered'"), 1);
	assert_int_equal(fixture_count(f, "SELECT delivered_ts FROM orders WHERE number = 'O-1'"),
	                 at("2026-03-05T10:30"));
	/* the same event again: nothing changes */
	{
		long long events = wms_store_event_count(f->s);
		long long cev = fixture_count(f, "SELECT count(*) FROM consignment_events");
		assert_int_equal(track(f, &cc, "SE100", COURIER_EV_DELIVERED, "2026-03-05T10:30", &r, &err), 0);
		assert_true(r.duplicate);
		assert_false(r.delivered);
		assert_int_equal(wms_store_event_count(f->s), events);
		assert_int_equal(fixture_count(f, "SELECT count(*) FROM consignment_events"), cev);
	}
	/* an older event arriving late is recorded but does not move the state back */
	assert_int_equal(track(f, &cc, "SE100", COURIER_EV_IN_TRANSIT, "2026-03-04T08:00", &r, &err), 0);
	assert_string_equal(r.state, "delivered");
	/* registered Monday 09:00, delivered Thursday: 3 working days */
	shown = courier_consignment_show(f->s, wcfg, "SE100", &err);
	assert_non_null(shown);
	assert_int_equal(json_integer_value(json_object_get(shown, "lead_time_days")), 3);
	assert_int_equal(json_array_size(json_object_get(shown, "events")), 6);
	json_decref(shown);
	wms_config_free(wcfg);
	fixture_free(f);
}

static void pickup_point_and_collection(void **state)
{
	struct fixture *f = fixture_new();
	struct courier_config cc;
	struct courier_tracking_result r;
	struct wms_error err = { 0 };
	char sscc[19];

	courier_conf(&cc, 1);
	picked_order(f, "SN-1", "O-1", "PP-ICA-1");
	picked_order(f, "SN-2", "O-2", "PP-ICA-1");
	create_manual(f, &cc, "O-1", "SE200", sscc);
	assert_int_equal(track(f, &cc, "SE200", COURIER_EV_AT_PICKUP_POINT, "2026-03-04T09:00", &r, &err), 0);
	assert_true(r.delivered);
	assert_string_equal(r.state, "at_pickup_point");
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices d JOIN locations l ON l.id ="
	                                  " d.location_id WHERE d.state = 'delivered' AND l.code = 'PP-ICA-1'"), 1);
	/* collection is recorded apart: no second delivery in the ledger */
	{
		long long events = wms_store_event_count(f->s);
		assert_int_equal(track(f, &cc, "SE200", COURIER_EV_COLLECTED, "2026-03-05T17:00", &r, &err), 0);
		assert_string_equal(r.state, "collected");
		assert_false(r.delivered);
		assert_int_equal(wms_store_event_count(f->s), events);
	}
	/* lead_time_ends = delivered only: available at the pickup point does not end it */
	assert_int_equal(courier_config_key(&cc, "courier", "lead_time_ends", "delivered", &err), 0);
	create_manual(f, &cc, "O-2", "SE201", sscc);
	assert_int_equal(track(f, &cc, "SE201", COURIER_EV_AT_PICKUP_POINT, "2026-03-04T09:00", &r, &err), 0);
	assert_false(r.delivered);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices WHERE serial = 'SN-2'"
	                                  " AND state = 'dispatched'"), 1);
	assert_int_equal(courier_config_key(&cc, "courier", "lead_time_ends", "teleported", &err),
	                 WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "allowed: in_transit"));
	fixture_free(f);
}

static void refused_events_write_nothing(void **state)
{
	struct fixture *f = fixture_new();
	struct courier_config cc;
	struct courier_tracking_result r;
	struct wms_error err = { 0 };
	long long events, cev;
	char sscc[19], bad[19];
	struct wms_config *wcfg = NULL;
	json_t *p;

	courier_conf(&cc, 1);
	assert_int_equal(wms_config_load(NULL, NULL, NULL, &wcfg, &err), 0);
	picked_order(f, "SN-1", "O-1", NULL);
	create_manual(f, &cc, "O-1", "SE300", sscc);
	events = wms_store_event_count(f->s);
	cev = fixture_count(f, "SELECT count(*) FROM consignment_events");
	assert_int_equal(track(f, &cc, "SE999", COURIER_EV_DELIVERED, "2026-03-05T10:00", &r, &err),
	                 WMS_ENOTFOUND);
	snprintf(bad, sizeof bad, "%s", sscc);
	bad[17] = (char)('0' + (bad[17] - '0' + 1) % 10);
	assert_int_equal(track(f, &cc, bad, COURIER_EV_DELIVERED, "2026-03-05T10:00", &r, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "check digit"));
	assert_int_equal(track(f, &cc, "SE300", COURIER_EV_DELIVERED, "2026-03-01T10:00", &r, &err),
	                 WMS_EINVAL);
	assert_non_null(strstr(err.msg, "before consignment"));
	/* the ledger refuses (the device was unreserved meanwhile): the event is refused whole */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_UNRESERVE, .serial = "SN-1",
	                       .at = at("2026-03-02T13:00")), 0);
	events = wms_store_event_count(f->s);
	assert_int_equal(track(f, &cc, "SE300", COURIER_EV_DELIVERED, "2026-03-05T10:00", &r, &err),
	                 WMS_ESTATE);
	assert_non_null(strstr(err.msg, "SE300") ? strstr(err.msg, "SE300") : strstr(err.msg, "delivered"));
	assert_int_equal(wms_store_event_count(f->s), events);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM consignment_events"), cev);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM consignments WHERE state = 'booked'"), 1);
	/* open and beyond 7 working days: late */
	p = courier_consignment_list(f->s, wcfg, true, at("2026-03-13T12:00"), 0, &err);
	assert_int_equal(json_array_size(p), 1);
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(p, 0), "problem")),
	                       "late: 9 working days, target 7"));
	json_decref(p);
	p = courier_consignment_list(f->s, wcfg, true, at("2026-03-05T12:00"), 0, &err);
	assert_int_equal(json_array_size(p), 0);
	json_decref(p);
	wms_config_free(wcfg);
	fixture_free(f);
}

static void file_import(void **state)
{
	struct fixture *f = fixture_new();
	struct courier_config cc;
	struct courier_import_report rep;
	struct wms_error err = { 0 };
	char path[64], sscc[19], text[1024];

	courier_conf(&cc, 1);
	picked_order(f, "SN-1", "O-1", NULL);
	create_manual(f, &cc, "O-1", "SE400", sscc);
	snprintf(text, sizeof text,
	         "\xEF\xBB\xBFref,event,time\r\n"
	         "SE400,in_transit,2026-03-03T07:00\r\n"
	         "\n\n"
	         "%s,delivered,2026-03-04T12:00\n"
	         "SE400,in_transit,2026-03-03T07:00\n"
	         "NOPE,delivered,2026-03-04T12:00\n"
	         "SE400,delivered\n", sscc);
	write_temp(path, text);
	assert_int_equal(courier_tracking_import(f->s, &cc, path, WMS_ROLE_DISPATCHER, &rep, &err), 0);
	assert_int_equal(rep.added, 2);
	assert_int_equal(rep.unchanged, 1);
	assert_int_equal(rep.bad, 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rep.problems, 0), "line")), 7);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rep.problems, 1), "line")), 8);
	courier_import_report_clear(&rep);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices WHERE state = 'delivered'"), 1);
	/* imported again: all unchanged */
	assert_int_equal(courier_tracking_import(f->s, &cc, path, WMS_ROLE_DISPATCHER, &rep, &err), 0);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.unchanged, 3);
	courier_import_report_clear(&rep);
	unlink(path);
	assert_int_equal(courier_tracking_import(f->s, &cc, path, WMS_ROLE_DISPATCHER, &rep, &err), WMS_EIO);
	courier_import_report_clear(&rep);
	fixture_free(f);
}

static void transfer_by_carrier(void **state)
{
	struct fixture *f = fixture_new();
	struct courier_config cc;
	struct courier_tracking_result r;
	struct courier_consignment_result res;
	struct wms_error err = { 0 };
	struct wms_depot_new sk = { .code = "SK", .name = "HMC Skövde" };
	struct courier_consignment_req req = { .transfer = "SN-T1", .carrier = "PostNord",
	                                       .tracking = "SE900", .at = at("2026-03-03T10:05") };
	json_t *list;

	(void)state;
	courier_conf(&cc, 1);
	assert_int_equal(wms_depot_add(f->s, &sk, &err), 0);
	if (APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "SN-T1", .product = "BPM",
	          .at = at("2026-03-02T08:00")) ||
	    APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "SN-T1", .location = "A-01-01",
	          .at = at("2026-03-02T08:05")) ||
	    APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "O-SK", .customer = "VC-MOLNDAL",
	          .product = "BPM", .mode = "home", .depot = "SK", .at = at("2026-03-02T09:00")))
		fixture_fail("setup", &err);
	assert_int_equal(wms_transfer_request(f->s, "O-SK", "ML", "disp", at("2026-03-02T09:10"), NULL, &err), 0);
	/* in stock without the depot it goes to: refused, nothing written */
	assert_int_equal(courier_consignment_create(f->s, &cc, &req, &res, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "device SN-T1 is in_stock at depot ML: name the depot it goes to (--to CODE)"));
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM consignments"), 0);
	if (APPLY(f, &err, .type = WMS_EV_TRANSFER_OUT, .serial = "SN-T1", .to_depot = "SK", .depot = "ML",
	          .at = at("2026-03-03T10:00")))
		fixture_fail("transfer out", &err);
	/* by carrier: its own SSCC, no order, from Mölndal to Skövde, booked (manual carrier) */
	assert_int_equal(courier_consignment_create(f->s, &cc, &req, &res, &err), 0);
	assert_true(res.booked);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM consignments WHERE kind = 'transfer'"
	                                  " AND order_id IS NULL AND depot = 'ML' AND to_depot = 'SK'"
	                                  " AND state = 'booked' AND tracking = 'SE900'"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM consignment_devices cd JOIN devices d"
	                                  " ON d.id = cd.device_id WHERE d.serial = 'SN-T1'"), 1);
	req.tracking = "SE901";
	assert_int_equal(courier_consignment_create(f->s, &cc, &req, &res, &err), WMS_EEXIST);
	assert_non_null(strstr(err.msg, "already has transfer consignment"));
	/* the database holds the rule too: a transfer names its depot, an order consignment its order */
	assert_int_not_equal(sqlite3_exec(wms_store_db(f->s), "INSERT INTO consignments(sscc, carrier, state,"
	                                  " created_ts, updated_ts, kind) VALUES ('735001234500000999',"
	                                  " 'PostNord', 'created', 0, 0, 'transfer')", NULL, NULL, NULL), SQLITE_OK);
	/* the carrier's events move the consignment, never the ledger */
	assert_int_equal(track(f, &cc, "SE900", COURIER_EV_DELIVERED, "2026-03-04T10:00", &r, &err), 0);
	assert_false(r.delivered);
	assert_string_equal(r.state, "delivered");
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices WHERE serial = 'SN-T1'"
	                                  " AND state = 'in_transfer'"), 1);
	list = courier_consignment_list(f->s, NULL, false, at("2026-03-04T12:00"), 10, &err);
	assert_non_null(list);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "kind")), "transfer");
	assert_true(json_is_null(json_object_get(json_array_get(list, 0), "order")));
	json_decref(list);
	/* scanned in at Skövde: the request is received */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM transfer_requests WHERE state = 'sent'"), 1);
	if (APPLY(f, &err, .type = WMS_EV_TRANSFER_IN, .serial = "SN-T1", .depot = "SK",
	          .at = at("2026-03-04T11:00")))
		fixture_fail("transfer in", &err);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM transfer_requests WHERE state = 'received'"), 1);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_csv),
		cmocka_unit_test(parse_json_lines),
		cmocka_unit_test(delivered_ends_lead_time),
		cmocka_unit_test(pickup_point_and_collection),
		cmocka_unit_test(refused_events_write_nothing),
		cmocka_unit_test(file_import),
		cmocka_unit_test(transfer_by_carrier),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
