/*
 * carrier_http_test.c - the http-json carrier adapter against a carrier
 * played by libmicrohttpd in this process (http_stub.h): what it sends
 * (method, path, bearer token, JSON body), and how it takes refusals,
 * garbage, wrong types, timeouts and a dead server; then a consignment
 * booked through it, a failed booking kept visible and retried.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "carrier.h"
#include "courier_booking.h"
#include "courier_consignment.h"
#include "courier_fixture.h"
#include "http_stub.h"
#include "wms_outbox.h"

struct ctx {
	struct stub stub;
	struct courier_config cc;
	struct courier_carrier *bring;
};

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof *c);
	struct wms_error err = { 0 };

	if (c == NULL || stub_start(&c->stub) < 0)
		return -1;
	courier_conf(&c->cc, c->stub.port);
	if (courier_carrier_open(&c->cc, "bring", &c->bring, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	courier_carrier_close(c->bring);
	stub_stop(&c->stub);
	free(c);
	return 0;
}

static const struct courier_parcel parcel = {
	.sscc = "373500123450000007", .order = "O-1", .mode = "pickup_point", .pickup_point = "1002",
};

static int book(struct ctx *c, struct courier_booking *b, struct wms_error *err)
{
	wms_error_clear(err);
	return courier_carrier_book(c->bring, &parcel, b, err);
}

static void booking_request_and_answer(void **state)
{
	struct ctx *c = *state;
	struct courier_booking b;
	struct wms_error err = { 0 };
	json_t *body;

	stub_queue(&c->stub, 201, "{\"tracking_number\":\"70712345SE\",\"extra\":[1,2]}", 0);
	assert_int_equal(book(c, &b, &err), 0);
	assert_string_equal(b.tracking, "70712345SE");
	assert_int_equal(c->stub.n_reqs, 1);
	assert_string_equal(c->stub.reqs[0].method, "POST");
	assert_string_equal(c->stub.reqs[0].url, "/v1/shipments");
	assert_string_equal(c->stub.reqs[0].auth, "Bearer s3cret");
	body = json_loads(c->stub.reqs[0].body, 0, NULL);
	assert_non_null(body);
	assert_string_equal(json_string_value(json_object_get(body, "sscc")), parcel.sscc);
	assert_string_equal(json_string_value(json_object_get(body, "order")), "O-1");
	assert_string_equal(json_string_value(json_object_get(json_object_get(body, "delivery"), "mode")),
	                    "pickup_point");
	assert_string_equal(json_string_value(json_object_get(json_object_get(body, "delivery"),
	                                                      "pickup_point")), "1002");
	assert_null(json_object_get(body, "service"));
	json_decref(body);
}

static void expect_eio(struct ctx *c, int status, const char *reply, int delay, const char *needle)
{
	struct courier_booking b;
	struct wms_error err = { 0 };

	stub_queue(&c->stub, status, reply, delay);
	assert_int_equal(book(c, &b, &err), WMS_EIO);
	if (strstr(err.msg, needle) == NULL || strstr(err.msg, "Bring") == NULL)
		fail_msg("wanted \"%s\" in: %s", needle, err.msg);
	assert_string_equal(b.tracking, "");
}

static void refusals_and_garbage(void **state)
{
	struct ctx *c = *state;
	int base = c->stub.n_reqs;

	expect_eio(c, 422, "{\"error\":\"postal code unknown\"}", 0, "HTTP 422: \"postal code unknown\"");
	expect_eio(c, 500, "<html>oops</html>", 0, "HTTP 500: \"<html>oops</html>\"");
	expect_eio(c, 401, "", 0, "HTTP 401");
	expect_eio(c, 201, "{\"tracking_number\": ", 0, "invalid JSON");
	expect_eio(c, 200, "[\"tracking_number\"]", 0, "without a \"tracking_number\"");
	expect_eio(c, 201, "{\"tracking_number\": 42}", 0, "without a \"tracking_number\"");
	expect_eio(c, 201, "{\"tracking_number\": \"bad number\\u0007\"}", 0, "unusable tracking number");
	expect_eio(c, 201, "{\"tracking_number\": \"\"}", 0, "unusable tracking number");
	expect_eio(c, 201, "\xff\xfe{}", 0, "invalid JSON");
	assert_int_equal(c->stub.n_reqs - base, 9);
}

static void timeout_and_dead_server(void **state)
{
	struct ctx *c = *state;
	struct courier_config cc;
	struct courier_carrier *dead = NULL;
	struct courier_booking b;
	struct wms_error err = { 0 };
	wms_time t0 = wms_now();

	expect_eio(c, 201, "{\"tracking_number\":\"LATE1\"}", 1500, "did not answer the booking within 700 ms");
	assert_true(wms_now() - t0 < 2 + 1);
	/* a port nobody listens on */
	courier_conf(&cc, 1);
	assert_int_equal(courier_carrier_open(&cc, "Bring", &dead, &err), 0);
	assert_int_equal(courier_carrier_book(dead, &parcel, &b, &err), WMS_EIO);
	assert_non_null(strstr(err.msg, "booking failed"));
	courier_carrier_close(dead);
}

static void track_label_cancel(void **state)
{
	struct ctx *c = *state;
	struct courier_track_event ev[8];
	struct wms_error err = { 0 };
	json_t *label = NULL;
	size_t n;
	int base = c->stub.n_reqs;

	stub_queue(&c->stub, 200, "{\"events\":[{\"event\":\"in_transit\",\"time\":\"2026-03-03T07:00:00Z\"},"
	           "{\"event\":\"failed_delivery\",\"time\":\"2026-03-04T12:00:00+01:00\"}]}", 0);
	assert_int_equal(courier_carrier_track(c->bring, "70712345SE", ev, 8, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].event, COURIER_EV_IN_TRANSIT);
	assert_int_equal(ev[0].at, at("2026-03-03T07:00:00Z"));
	assert_int_equal(ev[1].event, COURIER_EV_FAILED);
	assert_string_equal(c->stub.reqs[base].url, "/v1/shipments/70712345SE/events");
	assert_string_equal(c->stub.reqs[base].method, "GET");

	stub_queue(&c->stub, 200, "{\"events\":[{\"event\":\"beamed_up\",\"time\":\"2026-03-03T07:00:00Z\"}]}", 0);
	assert_int_equal(courier_carrier_track(c->bring, "70712345SE", ev, 8, &n, &err), WMS_EIO);
	assert_non_null(strstr(err.msg, "tracking event 1"));
	stub_queue(&c->stub, 200, "{\"events\":{}}", 0);
	assert_int_equal(courier_carrier_track(c->bring, "70712345SE", ev, 8, &n, &err), WMS_EIO);

	assert_int_equal(courier_carrier_label(c->bring, "70712345SE", &label, &err), 0);
	assert_string_equal(json_string_value(json_object_get(label, "format")), "zpl");
	json_decref(label);
	assert_string_equal(c->stub.reqs[base + 3].url, "/v1/shipments/70712345SE/label");

	assert_int_equal(courier_carrier_cancel(c->bring, "70712345SE", &err), 0);
	assert_string_equal(c->stub.reqs[base + 4].method, "DELETE");
	assert_string_equal(c->stub.reqs[base + 4].url, "/v1/shipments/70712345SE");
	stub_queue(&c->stub, 409, "{\"message\":\"already handed over\"}", 0);
	assert_int_equal(courier_carrier_cancel(c->bring, "70712345SE", &err), WMS_EIO);
	assert_non_null(strstr(err.msg, "already handed over"));
}

static void consignment_booked_over_http(void **state)
{
	struct ctx *c = *state;
	struct fixture *f = fixture_new();
	struct courier_consignment_result res;
	struct wms_error err = { 0 };
	struct courier_consignment_req req = { .order = "O-1", .carrier = "bring", .service = "PARCEL",
	                                       .at = at("2026-03-02T12:00") };
	struct courier_booking_stats st;
	json_t *list, *shown;
	int sent;

	picked_order(f, "SN-1", "O-1", NULL);
	picked_order(f, "SN-2", "O-2", NULL);
	/* creation only queues the booking: the carrier is not called in its transaction */
	sent = c->stub.n_reqs;
	assert_int_equal(courier_consignment_create(f->s, &c->cc, &req, &res, &err), 0);
	assert_false(res.booked);
	assert_true(res.booking_job > 0);
	assert_int_equal(res.label_job, 0);
	assert_true(courier_sscc_valid(res.sscc));
	assert_int_equal(c->stub.n_reqs, sent);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM outbox WHERE kind = 'booking'"
	                                  " AND target = 'Bring' AND state = 'queued'"), 1);
	/* the worker books it; a second pass has nothing to do */
	assert_int_equal(courier_booking_run_once(f->s, &c->cc, 0, &st, &err), 0);
	assert_int_equal(st.booked, 1);
	assert_int_equal(courier_booking_run_once(f->s, &c->cc, 0, &st, &err), 0);
	assert_int_equal(st.booked + st.retried + st.failed + st.closed, 0);
	assert_int_equal(c->stub.n_reqs, sent + 1);
	assert_non_null(strstr(c->stub.reqs[sent].key, res.sscc));
	assert_non_null(strstr(c->stub.reqs[c->stub.n_reqs - 1].body, "\"service\":\"PARCEL\""));
	assert_non_null(strstr(c->stub.reqs[c->stub.n_reqs - 1].body, res.sscc));
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM consignments WHERE state = 'booked'"
	                                  " AND tracking = 'TN000000'"), 1);

	/* the carrier is down: the consignment stays, not booked, and is a problem;
	 * its job waits for the backoff */
	stub_queue(&c->stub, 503, "{\"error\":\"maintenance\"}", 0);
	req.order = "O-2";
	assert_int_equal(courier_consignment_create(f->s, &c->cc, &req, &res, &err), 0);
	assert_int_equal(courier_booking_run_once(f->s, &c->cc, 0, &st, &err), 0);
	assert_int_equal(st.retried, 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM outbox WHERE kind = 'booking'"
	                                  " AND state = 'queued' AND last_error LIKE '%maintenance%'"
	                                  " AND next_attempt_ts > strftime('%s','now')"), 1);
	assert_false(res.booked);
	assert_true(res.id > 0);
	list = courier_consignment_list(f->s, NULL, true, 0, 0, &err);
	assert_int_equal(json_array_size(list), 1);
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(list, 0), "problem")),
	                       "not booked: carrier Bring refused the booking: HTTP 503"));
	json_decref(list);
	/* retried: booked */
	if (courier_consignment_book(f->s, &c->cc, res.sscc, NULL, &res, &err) != 0)
		fail_msg("book: %s", err.msg);
	assert_true(res.booked);
	assert_string_equal(res.tracking, "TN000001");
	assert_int_equal(courier_consignment_book(f->s, &c->cc, res.sscc, NULL, &res, &err), WMS_ESTATE);
	shown = courier_consignment_show(f->s, NULL, res.sscc, &err);
	assert_non_null(shown);
	assert_int_equal(json_array_size(json_object_get(shown, "events")), 3);   /* created, failed, booked */
	json_decref(shown);
	/* cancelled: the carrier is told (DELETE) before the consignment is */
	if (courier_consignment_cancel(f->s, &c->cc, "TN000001", "wrong parcel", &err) != 0)
		fail_msg("cancel: %s", err.msg);
	assert_string_equal(c->stub.reqs[c->stub.n_reqs - 1].method, "DELETE");
	assert_string_equal(c->stub.reqs[c->stub.n_reqs - 1].url, "/v1/shipments/TN000001");
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM consignments WHERE state = 'cancelled'"), 1);
	stub_queue(&c->stub, 409, "{\"error\":\"already on its way\"}", 0);
	assert_int_equal(courier_consignment_cancel(f->s, &c->cc, "TN000000", "late", &err), WMS_EIO);
	assert_non_null(strstr(err.msg, "already on its way"));
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM consignments WHERE state = 'cancelled'"), 1);
	fixture_free(f);
}

/*
 * A worker dies after the carrier took the booking and before the outcome
 * committed: the job stays claimed, the consignment created.  After the
 * lease the next pass sends the parcel again with the same Idempotency-Key,
 * the carrier answers with the booking it made, and one booking is recorded.
 */
static void crash_after_booking_books_once(void **state)
{
	struct ctx *c = *state;
	struct fixture *f = fixture_new();
	struct courier_consignment_result res;
	struct courier_booking_stats st;
	struct courier_booking first;
	struct wms_outbox_job job;
	struct wms_error err = { 0 };
	struct courier_consignment_req req = { .order = "O-9", .carrier = "Bring",
	                                       .at = at("2026-03-02T12:00") };
	struct courier_parcel p = { .order = "O-9", .mode = "home" };
	int sent;

	picked_order(f, "SN-9", "O-9", NULL);
	assert_int_equal(courier_consignment_create(f->s, &c->cc, &req, &res, &err), 0);
	/* the dead worker: claimed (committed), booked at the carrier, never recorded */
	assert_int_equal(wms_outbox_claim(f->s, "booking", wms_now(), &job, &err), 1);
	wms_outbox_job_clear(&job);
	p.sscc = res.sscc;
	sent = c->stub.n_reqs;
	assert_int_equal(courier_carrier_book(c->bring, &p, &first, &err), 0);
	/* within the lease nobody takes the job again */
	assert_int_equal(courier_booking_run_once(f->s, &c->cc, 0, &st, &err), 0);
	assert_int_equal(st.booked + st.retried + st.failed + st.closed, 0);
	/* after it the next worker books again under the same key: the same booking */
	setenv("WMS_NOW", "2030-01-01T00:00:00Z", 1);
	assert_int_equal(courier_booking_run_once(f->s, &c->cc, 0, &st, &err), 0);
	unsetenv("WMS_NOW");
	assert_int_equal(st.booked, 1);
	assert_int_equal(c->stub.n_reqs, sent + 2);
	assert_string_equal(c->stub.reqs[sent].key, c->stub.reqs[sent + 1].key);
	assert_non_null(strstr(c->stub.reqs[sent].key, res.sscc));
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM consignment_events e"
	                                  " JOIN consignments c ON c.id = e.consignment_id"
	                                  " WHERE e.event = 'booked' AND c.tracking IS NOT NULL"
	                                  " AND c.state = 'booked'"), 1);
	/* its job is done: it cannot be made due again */
	assert_int_equal(wms_outbox_retry(f->s, res.booking_job, wms_now(), &err), WMS_ESTATE);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(booking_request_and_answer),
		cmocka_unit_test(refusals_and_garbage),
		cmocka_unit_test(timeout_and_dead_server),
		cmocka_unit_test(track_label_cancel),
		cmocka_unit_test(consignment_booked_over_http),
		cmocka_unit_test(crash_after_booking_books_once),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
