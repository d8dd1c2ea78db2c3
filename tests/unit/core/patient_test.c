/*
 * patient_test.c - personal data of orders: stored apart with the order in
 * one transaction, never in messages or the ledger, shown on request, and
 * purged after the retention period so that its bytes are gone from the
 * database files (also after VACUUM).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "wms_patient.h"

static wms_time t(const char *text)
{
	wms_time v = 0;

	assert_int_equal(wms_time_parse(text, &v, NULL), 0);
	return v;
}

static void ok(int rc, const struct wms_error *err)
{
	if (rc != 0)
		fail_msg("expected success: %s", err->msg);
}

/* Occurrences of needle in the database file and its WAL. */
static int in_files(struct fixture *f, const char *needle)
{
	const char *suffix[] = { "", "-wal" };
	int n = 0;

	for (int i = 0; i < 2; i++) {
		char path[96];
		FILE *fp;
		char *buf;
		long len;
		snprintf(path, sizeof path, "%s%s", f->path, suffix[i]);
		if ((fp = fopen(path, "rb")) == NULL)
			continue;
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		rewind(fp);
		buf = malloc((size_t)len + 1);
		assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
		fclose(fp);
		for (char *p = buf; (p = memmem(p, (size_t)(len - (p - buf)), needle, strlen(needle))) != NULL; p++)
			n++;
		free(buf);
	}
	return n;
}

static int create(struct fixture *f, const char *number, const char *name, const char *phone,
                  const char *customer, struct wms_error *err)
{
	struct wms_patient p = { .name = name, .address = "Storgatan 1", .postal_code = "431 30", .phone = phone };

	return wms_order_create_with_patient(f->s, &(struct wms_cmd){ .role = WMS_ROLE_TRUSTED, .type = WMS_EV_ORDER_CREATE,
	        .order = number, .customer = customer, .product = "BPM", .mode = "home",
	        .at = t("2026-02-02T08:00") }, &p, NULL, err);
}

static void stored_apart_shown_on_request(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	json_t *p;

	ok(create(f, "O1", "Anna Andersson", "031-123456", "VC-MOLNDAL", &err), &err);
	ok(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "O2", .customer = "BORAS", .product = "BPM",
	         .mode = "unit"), &err);
	p = wms_patient_show(f->s, "O1", &err);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "name")), "Anna Andersson");
	assert_string_equal(json_string_value(json_object_get(p, "postal_code")), "431 30");
	assert_null(json_object_get(p, "id"));
	json_decref(p);
	p = wms_patient_show(f->s, "O2", &err);
	assert_true(json_is_null(p));
	json_decref(p);
	assert_null(wms_patient_show(f->s, "NOPE", &err));
	assert_int_equal(err.code, WMS_ENOTFOUND);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM events WHERE payload LIKE '%Anna%'"), 0);

	/* a bad field: named, its value not shown, nothing written */
	assert_int_equal(create(f, "O3", "Bo Ek", "phone 1234", "VC-MOLNDAL", &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "bad patient phone"));
	assert_null(strstr(err.msg, "1234"));
	/* a refused order stores no patient data */
	assert_int_equal(create(f, "O3", "Bo Ek", "031-999999", "NOPE", &err), WMS_ENOTFOUND);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders"), 2);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM order_patients"), 1);
	/* inside a batch the order and its data are one savepoint */
	ok(wms_store_begin(f->s, &err), &err);
	ok(create(f, "O4", "Cia Dahl", "031-555555", "BORAS", &err), &err);
	assert_int_equal(create(f, "O4", "Cia Dahl", "031-555555", "BORAS", &err), WMS_EEXIST);
	ok(wms_store_commit(f->s, &err), &err);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM order_patients"), 2);
	fixture_free(f);
}

/* Take order `number` (mode home) through delivery with device serial; return it unless rented_only. */
static void deliver(struct fixture *f, const char *serial, const char *number, bool ret, const char *ret_at)
{
	struct wms_error err = { 0 };

	ok(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = serial, .product = "BPM", .at = t("2026-01-01T08:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = serial, .location = "A-01-01", .at = t("2026-01-01T09:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = serial, .order = number, .at = t("2026-02-03T08:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_PICK, .serial = serial, .at = t("2026-02-03T09:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = serial, .at = t("2026-02-03T10:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = serial, .at = t("2026-02-04T10:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_RENT, .serial = serial, .at = t("2026-02-04T10:00")), &err);
	if (ret)
		ok(APPLY(f, &err, .type = WMS_EV_RETURN, .serial = serial, .at = t(ret_at)), &err);
}

static void purge_after_retention(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	long long n = -1;

	ok(create(f, "CANCELLED", "Xantippa Cancelled", "031-100000", "VC-MOLNDAL", &err), &err);
	ok(create(f, "RETURNED", "Ymer Returned", "031-200000", "VC-MOLNDAL", &err), &err);
	ok(create(f, "RENTED", "Zelda Rented", "031-300000", "VC-MOLNDAL", &err), &err);
	ok(create(f, "OPEN", "Åke Open", "031-400000", "VC-MOLNDAL", &err), &err);
	ok(APPLY(f, &err, .type = WMS_EV_ORDER_CANCEL, .order = "CANCELLED", .reason = "duplicate",
	         .at = t("2026-03-01T09:00Z")), &err);
	deliver(f, "D-RET", "RETURNED", true, "2026-03-10T10:00");
	deliver(f, "D-RENT", "RENTED", false, NULL);
	sqlite3_exec(wms_store_db(f->s), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	assert_true(in_files(f, "Xantippa Cancelled") >= 1);

	/* 30 days after the cancellation, not a second earlier */
	ok(wms_patient_purge(f->s, t("2026-03-31T08:59:59Z"), 30, &n, &err), &err);
	assert_int_equal(n, 0);
	ok(wms_patient_purge(f->s, t("2026-03-31T09:00Z"), 30, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_int_equal(in_files(f, "Xantippa Cancelled"), 0);
	assert_int_equal(in_files(f, "031-100000"), 0);
	assert_true(in_files(f, "Ymer Returned") >= 1);
	ok(wms_patient_purge(f->s, t("2026-04-09T09:00Z"), 30, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_int_equal(in_files(f, "Ymer Returned"), 0);
	/* a device still with the patient, an open order: kept whatever the retention */
	ok(wms_patient_purge(f->s, t("2027-01-01T10:00"), 0, &n, &err), &err);
	assert_int_equal(n, 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM order_patients"), 2);
	/* VACUUM rewrites the file: still gone */
	assert_int_equal(sqlite3_exec(wms_store_db(f->s), "VACUUM", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_exec(wms_store_db(f->s), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	assert_int_equal(in_files(f, "Xantippa") + in_files(f, "Ymer"), 0);
	assert_true(in_files(f, "Zelda Rented") >= 1);
	/* the orders themselves and their history stay */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders"), 4);
	/* not inside a batch; not with a negative retention */
	ok(wms_store_begin(f->s, &err), &err);
	assert_int_equal(wms_patient_purge(f->s, t("2027-01-01T10:00"), 0, &n, &err), WMS_EINVAL);
	wms_store_rollback(f->s);
	assert_int_equal(wms_patient_purge(f->s, t("2027-01-01T10:00"), -1, &n, &err), WMS_EINVAL);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stored_apart_shown_on_request),
		cmocka_unit_test(purge_after_retention),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
