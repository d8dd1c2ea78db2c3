/*
 * outbox_test.c - the outbox against a real SQLite file: enqueue in the
 * caller's transaction (rolled back with it, committed with the ledger
 * event), claim with a lease, backoff doubling up to its cap, in-flight rows,
 * operator retry/cancel/reprint with refusals that write nothing (retry of a
 * held label among them), payload purge of finished jobs only, and two
 * stores claiming the same file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "wms_outbox.h"

#define T0 1767225600   /* 2026-01-01T00:00:00Z */

static const char payload[] =
	"{\"label\":\"device\",\"fields\":{\"serial\":\"SN-1\",\"gtin\":\"09506000134352\"}}";

static long long enqueue(struct fixture *f, const char *target, wms_time now)
{
	struct wms_outbox_new job = { .kind = "label", .target = target, .payload = payload };
	struct wms_error err = { 0 };
	long long id = 0;

	if (wms_outbox_enqueue(f->s, &job, now, &id, &err) < 0)
		fail_msg("enqueue: %s", err.msg);
	assert_true(id > 0);
	return id;
}

static long long rows(struct fixture *f)
{
	return fixture_count(f, "SELECT count(*) FROM outbox");
}

static void enqueue_rides_the_callers_transaction(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	struct wms_cmd_result res = { 0 };
	struct wms_outbox_new job = { .kind = "label", .target = "lager-1", .payload = payload };
	long long id = 0;

	/* Rolled back with the ledger event: neither exists. */
	assert_int_equal(wms_store_begin(f->s, &err), 0);
	assert_int_equal(wms_ledger_apply(f->s, &(struct wms_cmd){ .role = WMS_ROLE_TRUSTED, .type = WMS_EV_RECEIVE,
	                 .serial = "SN-1", .product = "BPM" }, &res, &err), 0);
	job.event_id = res.event_id;
	assert_int_equal(wms_outbox_enqueue(f->s, &job, T0, &id, &err), 0);
	wms_store_rollback(f->s);
	assert_int_equal(rows(f), 0);
	assert_int_equal(wms_store_event_count(f->s), 0);

	/* Committed with it: the row names its event. */
	assert_int_equal(wms_store_begin(f->s, &err), 0);
	assert_int_equal(wms_ledger_apply(f->s, &(struct wms_cmd){ .role = WMS_ROLE_TRUSTED, .type = WMS_EV_RECEIVE,
	                 .serial = "SN-1", .product = "BPM" }, &res, &err), 0);
	job.event_id = res.event_id;
	assert_int_equal(wms_outbox_enqueue(f->s, &job, T0, &id, &err), 0);
	assert_int_equal(wms_store_commit(f->s, &err), 0);
	assert_int_equal(rows(f), 1);
	assert_int_equal(fixture_count(f, "SELECT event_id FROM outbox"), res.event_id);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM outbox WHERE state = 'queued'"
	                              " AND attempts = 0 AND next_attempt_ts = 1767225600"), 1);
	fixture_free(f);
}

static void bad_input_writes_nothing(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	long long id = 7;
	char longname[80];

	memset(longname, 'p', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	assert_int_equal(wms_outbox_enqueue(f->s, &(struct wms_outbox_new){ .kind = "fax",
	                 .target = "p", .payload = payload }, T0, &id, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "use label or booking"));
	assert_int_equal(id, 0);
	assert_int_equal(wms_outbox_enqueue(f->s, &(struct wms_outbox_new){ .kind = "label",
	                 .target = "", .payload = payload }, T0, NULL, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "missing target"));
	assert_int_equal(wms_outbox_enqueue(f->s, &(struct wms_outbox_new){ .kind = "label",
	                 .target = longname, .payload = payload }, T0, NULL, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "at most 64"));
	assert_int_equal(wms_outbox_enqueue(f->s, &(struct wms_outbox_new){ .kind = "label",
	                 .target = "p", .payload = "[1,2]" }, T0, NULL, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "not a JSON object"));
	assert_int_equal(wms_outbox_enqueue(f->s, &(struct wms_outbox_new){ .kind = "label",
	                 .target = "p", .payload = "{\"a\":" }, T0, NULL, &err), WMS_EINVAL);
	assert_int_equal(rows(f), 0);
	fixture_free(f);
}

static void claim_lease_and_backoff(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	struct wms_outbox_job job;
	long long a = enqueue(f, "lager-1", T0), b = enqueue(f, "lager-2", T0 + 1);
	wms_time now = T0 + 10;
	int expect[] = { 5, 10, 20, 40, 80, 160, 300, 300, 300 };

	/* Oldest first; a claimed row is hidden for the lease. */
	assert_int_equal(wms_outbox_claim(f->s, "label", now, &job, &err), 1);
	assert_int_equal(job.id, a);
	assert_int_equal(job.attempts, 1);
	assert_string_equal(job.target, "lager-1");
	assert_string_equal(job.payload, payload);
	assert_string_equal(job.state, "queued");
	wms_outbox_job_clear(&job);
	assert_int_equal(wms_outbox_claim(f->s, "label", now, &job, &err), 1);
	assert_int_equal(job.id, b);
	wms_outbox_job_clear(&job);
	assert_int_equal(wms_outbox_claim(f->s, "label", now, &job, &err), 0);
	assert_int_equal(wms_outbox_claim(f->s, "booking", now + 1000, &job, &err), 0);
	/* An unrecorded claim (crash) comes back after the lease, attempt counted. */
	assert_int_equal(wms_outbox_claim(f->s, NULL, now + WMS_OUTBOX_LEASE, &job, &err), 1);
	assert_int_equal(job.id, a);
	assert_int_equal(job.attempts, 2);
	wms_outbox_job_clear(&job);

	/* Failures back off 5 s doubling to the 5 min cap. */
	for (int i = 0; i < 9; i++)
		assert_int_equal(wms_outbox_backoff(i + 1), expect[i]);
	assert_int_equal(wms_outbox_retry_later(f->s, b, now, "printer stopped", 1, &err), 0);
	assert_int_equal(fixture_count(f, "SELECT next_attempt_ts - 1767225610 FROM outbox WHERE id = 2"), 5);
	assert_int_equal(wms_outbox_cancel(f->s, a, now, &err), 0);
	for (int attempt = 2; attempt <= 9; attempt++) {
		assert_int_equal(wms_outbox_claim(f->s, "label", now - 1, &job, &err), 0);
		assert_int_equal(wms_outbox_claim(f->s, "label", now + 100000, &job, &err), 1);
		assert_int_equal(job.id, b);
		assert_int_equal(job.attempts, attempt);
		assert_int_equal(wms_outbox_retry_later(f->s, b, now, "unreachable", 0, &err), 0);
		assert_int_equal(fixture_count(f, "SELECT next_attempt_ts FROM outbox WHERE id = 2") - now,
		                 expect[attempt - 1]);
		wms_outbox_job_clear(&job);
	}
	assert_int_equal(wms_outbox_backoff(40), WMS_OUTBOX_BACKOFF_MAX);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM outbox WHERE last_error = 'unreachable'"
	                              " AND state = 'queued'"), 1);
	fixture_free(f);
}

static void submitted_printed_failed(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	struct wms_outbox_job job, flight[4];
	long long a = enqueue(f, "p", T0), b = enqueue(f, "p", T0);
	int n = 0;

	assert_int_equal(wms_outbox_claim(f->s, "label", T0, &job, &err), 1);
	assert_int_equal(wms_outbox_submitted(f->s, job.id, 41, &err), 0);
	wms_outbox_job_clear(&job);
	assert_int_equal(wms_outbox_note(f->s, a, "printer stopped: paper out", &err), 0);
	assert_int_equal(wms_outbox_in_flight(f->s, "label", flight, 4, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(flight[0].id, a);
	assert_int_equal(flight[0].cups_job_id, 41);
	assert_string_equal(flight[0].state, "submitted");
	wms_outbox_job_clear(&flight[0]);

	assert_int_equal(wms_outbox_printed(f->s, a, T0 + 5, &err), 0);
	assert_int_equal(wms_outbox_printed(f->s, a, T0 + 6, &err), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "not open"));
	assert_int_equal(wms_outbox_fail(f->s, b, T0 + 5, "template missing", &err), 0);
	assert_int_equal(wms_outbox_in_flight(f->s, NULL, flight, 4, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM outbox WHERE state = 'printed'"
	                              " AND last_error IS NULL AND finished_ts = 1767225605"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM outbox WHERE state = 'failed'"
	                              " AND last_error = 'template missing'"), 1);
	fixture_free(f);
}

/* The operator's commands: refused ones write nothing and say what is allowed. */
static void operator_retry_cancel_reprint(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	struct wms_outbox_job job;
	long long a = enqueue(f, "p", T0), b = enqueue(f, "p", T0), c = 0;
	json_t *list, *one;

	assert_int_equal(wms_outbox_fail(f->s, a, T0, "aborted", &err), 0);
	assert_int_equal(wms_outbox_retry(f->s, a, T0 + 60, &err), 0);
	assert_int_equal(wms_outbox_cancel(f->s, b, T0, &err), 0);
	assert_int_equal(wms_outbox_claim(f->s, NULL, T0 + 60, &job, &err), 1);
	assert_int_equal(job.id, a);
	assert_int_equal(wms_outbox_submitted(f->s, a, 9, &err), 0);
	wms_outbox_job_clear(&job);
	assert_int_equal(wms_outbox_cancel(f->s, a, T0, &err), WMS_ESTATE);
	assert_string_equal(err.msg, "print job 1 is submitted; \"cancel\" is allowed only when it "
	                    "is queued failed");
	assert_int_equal(wms_outbox_cancel(f->s, 99, T0, &err), WMS_ENOTFOUND);
	assert_int_equal(wms_outbox_retry(f->s, b, T0, &err), WMS_ESTATE);
	assert_int_equal(wms_outbox_printed(f->s, a, T0 + 70, &err), 0);

	assert_int_equal(wms_outbox_reprint(f->s, a, NULL, T0 + 80, &c, &err), 0);
	assert_int_equal(c, 3);
	assert_int_equal(wms_outbox_reprint(f->s, 42, NULL, T0, NULL, &err), WMS_ENOTFOUND);
	one = wms_outbox_show(f->s, c, &err);
	assert_non_null(one);
	assert_int_equal(json_integer_value(json_object_get(one, "reprint_of")), a);
	assert_string_equal(json_string_value(json_object_get(one, "state")), "queued");
	assert_string_equal(json_string_value(json_object_get(one, "label")), "device");
	assert_string_equal(json_string_value(json_object_get(one, "payload")), payload);
	json_decref(one);

	list = wms_outbox_list(f->s, "open", 0, &err);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	list = wms_outbox_list(f->s, NULL, 2, &err);
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), 3);
	assert_null(json_object_get(json_array_get(list, 0), "payload"));
	json_decref(list);
	assert_null(wms_outbox_list(f->s, "done", 0, &err));
	assert_non_null(strstr(err.msg, "use queued, submitted"));
	fixture_free(f);
}

static void purge_blanks_finished_payloads_only(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	long long a = enqueue(f, "p", T0), b = enqueue(f, "p", T0), c = enqueue(f, "p", T0 + 500);
	long long n = -1;

	assert_int_equal(wms_outbox_printed(f->s, a, T0 + 1, &err), 0);
	assert_int_equal(wms_outbox_cancel(f->s, c, T0 + 501, &err), 0);
	assert_int_equal(wms_outbox_purge_payloads(f->s, T0 + 100, &n, &err), 0);
	assert_int_equal(n, 1);   /* a; b is still queued, c is newer */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM outbox WHERE payload IS NULL"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM outbox WHERE payload IS NULL AND id = 1"), 1);
	assert_int_equal(wms_outbox_reprint(f->s, a, NULL, T0, NULL, &err), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "purged"));
	assert_int_equal(wms_outbox_purge_payloads(f->s, T0 + 1000, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM outbox WHERE payload IS NULL"), 2);
	assert_int_equal(b, 2);
	fixture_free(f);
}

/* Two connections (a daemon worker and `wms print-queue work`) never take the same row. */
/* A held row (a shipping label waiting for its tracking number) is never
 * claimed until released with the missing fields merged in. */
static void held_until_released(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	struct wms_outbox_job job;
	struct wms_outbox_new held = { .kind = "label", .target = "lager-1", .payload = payload,
	                               .held = "waiting for the booking" };
	long long id = 0, other = 0;

	assert_int_equal(wms_outbox_enqueue(f->s, &held, T0, &id, &err), 0);
	assert_int_equal(wms_outbox_claim(f->s, NULL, T0 + 86400 * 365, &job, &err), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM outbox WHERE state = 'queued'"
	                                  " AND last_error = 'waiting for the booking'"), 1);
	/* refused: a patch that is not a JSON object, a row not queued; nothing written */
	assert_int_equal(wms_outbox_release(f->s, id, "[1]", T0, &err), WMS_EINVAL);
	other = enqueue(f, "lager-1", T0);
	assert_int_equal(wms_outbox_cancel(f->s, other, T0, &err), 0);
	assert_int_equal(wms_outbox_release(f->s, other, "{}", T0, &err), WMS_ESTATE);
	assert_int_equal(wms_outbox_release(f->s, id, "{\"fields\":{\"tracking\":\"TN1\"}}", T0 + 10,
	                                    &err), 0);
	assert_int_equal(wms_outbox_claim(f->s, NULL, T0 + 10, &job, &err), 1);
	assert_int_equal(job.id, id);
	assert_non_null(strstr(job.payload, "\"serial\":\"SN-1\""));
	assert_non_null(strstr(job.payload, "\"tracking\":\"TN1\""));
	wms_outbox_job_clear(&job);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM outbox WHERE last_error IS NULL"
	                                  " AND id = (SELECT min(id) FROM outbox)"), 1);
	fixture_free(f);
}

/* Every column of every outbox row, as one text (malloc'd), to show a refusal wrote nothing. */
static char *outbox_rows_text(struct fixture *f)
{
	sqlite3_stmt *st = NULL;
	char *text = NULL;

	if (sqlite3_prepare_v2(wms_store_db(f->s), "SELECT group_concat(quote(id) || quote(kind) ||"
	                       " quote(target) || quote(state) || quote(payload) || quote(attempts) ||"
	                       " quote(next_attempt_ts) || quote(finished_ts) || quote(cups_job_id) ||"
	                       " quote(last_error), '|') FROM (SELECT * FROM outbox ORDER BY id)",
	                       -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		text = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_non_null(text);
	return text;
}

/* A held label made due would print without its tracking number: retry is
 * refused, naming the consignment whose booking to retry, and writes nothing;
 * a held row may still be cancelled, and once released it is an ordinary row. */
static void retry_refuses_a_held_row(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	struct wms_outbox_job job;
	struct wms_outbox_new held = { .kind = "label", .target = "pack-1", .payload = payload,
	                               .held = "waiting for the booking with PostNord (tracking number)" };
	long long a = 0, b = 0;
	char *before, *after;

	assert_int_equal(wms_outbox_enqueue(f->s, &held, T0, &a, &err), 0);
	assert_int_equal(wms_outbox_enqueue(f->s, &held, T0, &b, &err), 0);
	assert_int_equal(sqlite3_exec(wms_store_db(f->s), "INSERT INTO consignments(sscc, order_id,"
	                              " carrier, state, created_ts, updated_ts, label_job) VALUES"
	                              " ('373500123450000017', 1, 'PostNord', 'created', 0, 0, 1)",
	                              NULL, NULL, NULL), SQLITE_OK);
	before = outbox_rows_text(f);
	assert_int_equal(wms_outbox_retry(f->s, a, T0 + 60, &err), WMS_ESTATE);
	assert_string_equal(err.msg, "print job 1 is the label of consignment 373500123450000017 and "
	                    "waits for its booking with PostNord (the tracking number); retry the "
	                    "booking: wms consignment book 373500123450000017");
	/* held without a consignment: the reason it was held is named */
	assert_int_equal(wms_outbox_retry(f->s, b, T0 + 60, &err), WMS_ESTATE);
	assert_string_equal(err.msg, "print job 2 is held (waiting for the booking with PostNord "
	                    "(tracking number)); it becomes due when that is done, not by \"retry\"");
	after = outbox_rows_text(f);
	assert_string_equal(after, before);
	free(after);
	assert_int_equal(wms_outbox_claim(f->s, NULL, T0 + 86400, &job, &err), 0);

	/* cancel is still allowed; released, retry is the ordinary one again */
	assert_int_equal(wms_outbox_cancel(f->s, b, T0 + 60, &err), 0);
	assert_int_equal(wms_outbox_release(f->s, a, "{\"fields\":{\"tracking\":\"TN1\"}}", T0 + 70,
	                                    &err), 0);
	assert_int_equal(wms_outbox_retry(f->s, a, T0 + 80, &err), 0);
	assert_int_equal(wms_outbox_claim(f->s, NULL, T0 + 80, &job, &err), 1);
	assert_int_equal(job.id, a);
	wms_outbox_job_clear(&job);
	free(before);
	fixture_free(f);
}

static void two_stores_never_claim_the_same_row(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_store *other = NULL;
	struct wms_error err = { 0 };
	struct wms_outbox_job j1, j2;
	int taken[11] = { 0 };

	for (int i = 0; i < 10; i++)
		enqueue(f, "p", T0);
	assert_int_equal(wms_store_open(f->path, NULL, &other, &err), 0);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(wms_outbox_claim(f->s, NULL, T0, &j1, &err), 1);
		assert_int_equal(wms_outbox_claim(other, NULL, T0, &j2, &err), 1);
		taken[j1.id]++;
		taken[j2.id]++;
		wms_outbox_job_clear(&j1);
		wms_outbox_job_clear(&j2);
	}
	assert_int_equal(wms_outbox_claim(other, NULL, T0, &j2, &err), 0);
	for (int i = 1; i <= 10; i++)
		assert_int_equal(taken[i], 1);
	wms_store_close(other);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enqueue_rides_the_callers_transaction),
		cmocka_unit_test(bad_input_writes_nothing),
		cmocka_unit_test(claim_lease_and_backoff),
		cmocka_unit_test(submitted_printed_failed),
		cmocka_unit_test(operator_retry_cancel_reprint),
		cmocka_unit_test(purge_blanks_finished_payloads_only),
		cmocka_unit_test(held_until_released),
		cmocka_unit_test(retry_refuses_a_held_row),
		cmocka_unit_test(two_stores_never_claim_the_same_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
