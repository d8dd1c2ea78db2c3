/*
 * rules_test.c - the rules below every door (wms_rules.h, ledger_records.c,
 * wms_chain.h): the role table, patient references in every written form of
 * a personal identity number, events from the future, the reconditioning
 * gate in the database, the hash chain after a dropped trigger and an edited
 * row, and void then rebuild equals live.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "wms_chain.h"
#include "wms_patient.h"
#include "wms_rebuild.h"
#include "wms_rules.h"

static void every_action_has_a_role(void **state)
{
	for (int a = 0; a < WMS_ACT_COUNT; a++) {
		unsigned r = wms_rules_roles(a);
		if ((r & WMS_ROLE_ALL & ~(unsigned)WMS_ROLE_ADMIN) == 0)
			fail_msg("action %s has no role but admin in rules.c", wms_action_name(a));
		assert_true(r & WMS_ROLE_ADMIN);
		assert_true(r & WMS_ROLE_TRUSTED);
	}
	/* the table, spot checks */
	assert_int_equal(wms_rules_check_role(WMS_ROLE_WAREHOUSE, WMS_EV_RECON_APPROVE, "anna", NULL), WMS_EPERM);
	assert_int_equal(wms_rules_check_role(WMS_ROLE_WAREHOUSE, WMS_EV_SCRAP, "anna", NULL), WMS_EPERM);
	assert_int_equal(wms_rules_check_role(WMS_ROLE_TECHNICIAN, WMS_EV_SCRAP, "tove", NULL), 0);
	assert_int_equal(wms_rules_check_role(WMS_ROLE_DISPATCHER, WMS_EV_ORDER_CREATE, "d", NULL), 0);
	assert_int_equal(wms_rules_check_role(WMS_ROLE_MANAGER, WMS_EV_VOID, "m", NULL), 0);
	assert_int_equal(wms_rules_check_role(WMS_ROLE_WAREHOUSE, WMS_EV_VOID, "anna", NULL), WMS_EPERM);
	assert_int_equal(wms_rules_check_role(0, WMS_EV_RECEIVE, "x", NULL), WMS_EPERM);
	{
		enum wms_role r;
		assert_int_equal(wms_role_parse("trusted", &r, NULL), WMS_EINVAL);   /* nobody is given it */
	}
}

static void role_refused_writes_nothing(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "R1", .product = "BPM", .actor = "anna",
	                       .role = WMS_ROLE_TECHNICIAN), WMS_EPERM);
	assert_non_null(strstr(err.msg, "anna (technician) may not receive; allowed: warehouse, admin"));
	assert_int_equal(wms_store_event_count(f->s), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "R1", .product = "BPM",
	                       .role = WMS_ROLE_WAREHOUSE), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "needs the actor"));
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "R1", .product = "BPM", .actor = "anna",
	                       .role = WMS_ROLE_WAREHOUSE), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM events WHERE actor = 'anna'"), 1);
	fixture_free(f);
}

/* Every written form of a personnummer or samordningsnummer is refused; pseudonyms pass. */
static void patient_refs(void **state)
{
	static const char *const refused[] = {
		"19121212-1212", "191212121212", "121212-1212", "1212121212", "121212+1212",
		"19121212+1212", "121212 1212", "P-121212-1212", "12-121212-1212", "x191212121212y",
		"121272-1212",            /* samordningsnummer: day 12 + 60 */
		"200002291234",           /* 29 February of a leap year */
		"000229-1234",            /* 29 February, century unknown */
		"850101-1235",            /* check digit wrong: still someone's number, or a typo of one */
		"Tolvan", "Tolvan-Tolvansson", "P-anna", "Tolvan Tolvansson", "", "P 1", "P/1",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	static const char *const ok[] = {
		"P-000001", "P-1", "P-7f3a", "P-000123", "A1-B2-C3", "P_9", "1213121212",   /* month 13 */
		"121232-1212",            /* day 32 */
		"190229-1234x",           /* 1900 and 2019 are no leap years */
		"1212121212121",          /* 13 digits: no written form */
		"12121-21212",
	};
	struct wms_error err = { 0 };

	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		if (wms_patient_ref_check(refused[i], &err) != WMS_EINVAL)
			fail_msg("patient reference \"%s\" was accepted", refused[i]);
		assert_null(strstr(err.msg, refused[i][0] ? refused[i] : "\x01"));   /* never repeated */
	}
	assert_int_equal(wms_patient_ref_check("19121212-1212", &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "personnummer/samordningsnummer"));
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (wms_patient_ref_check(ok[i], &err) != 0 && strstr(err.msg, "identity") != NULL)
			fail_msg("pseudonym \"%s\" refused: %s", ok[i], err.msg);
}

/* The reference never enters the ledger: it lives in order_patients, purged with the order. */
static void patient_ref_apart(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "O-1", .customer = "BORAS",
	                       .product = "BPM", .mode = "unit", .patient_ref = "19121212-1212"), WMS_EINVAL);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "O-1", .customer = "BORAS",
	                       .product = "BPM", .mode = "unit", .patient_ref = "P-000042"), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM events WHERE payload LIKE '%P-000042%'"), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM order_patients WHERE patient_ref = 'P-000042'"), 1);
	fixture_free(f);
}

static void future_events(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	wms_time now = wms_now();

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "F1", .product = "BPM",
	                       .at = now + 24 * 3600), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "is in the future: the server clock says"));
	assert_int_equal(wms_store_event_count(f->s), 0);
	/* within the skew: a clock a little ahead is tolerated */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "F1", .product = "BPM",
	                       .at = now + 60), 0);
	wms_rules_set_future_skew(0);
	assert_int_equal(wms_rules_check_time(now + 1, now, &err), WMS_EINVAL);
	wms_rules_set_future_skew(WMS_FUTURE_SKEW_DEFAULT);
	fixture_free(f);
}

/* The database holds the gate too: a recon_approve row without a passed run is refused, whoever writes it. */
static void gate_trigger(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	char *msg = NULL;

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "G1", .product = "BPM"), 0);
	assert_int_equal(sqlite3_exec(wms_store_db(f->s), "INSERT INTO events(ts, type, device_id, hash)"
	                              " VALUES (1, 'recon_approve', 1, zeroblob(32))", NULL, NULL, &msg) & 0xff,
	                 SQLITE_CONSTRAINT);
	assert_non_null(strstr(msg, "recon_approve refused"));
	sqlite3_free(msg);
	/* and an event row without its hash (written around the ledger) */
	assert_int_equal(sqlite3_exec(wms_store_db(f->s), "INSERT INTO events(ts, type) VALUES (1, 'move')",
	                              NULL, NULL, &msg) & 0xff, SQLITE_CONSTRAINT);
	assert_non_null(strstr(msg, "an event needs its hash"));
	sqlite3_free(msg);
	/* both checks run after the row (one trigger, events_insert): a refusal leaves neither the
	 * row nor its count behind */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM events"), 1);
	assert_int_equal(fixture_count(f, "SELECT sum(n) FROM tallies WHERE family = 'events'"), 1);
	fixture_free(f);
}

/* Drop the append-only trigger, edit a row: the chain names the event. */
static void chain_detects_an_edit(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	struct wms_chain_report r;

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "C1", .product = "BPM"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "C1", .location = "A-01-01"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "C1", .location = "A-01-02"), 0);
	assert_int_equal(wms_chain_verify(f->s, 1, &r, &err), 0);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(r.checked, 3);
	assert_int_equal(r.head_id, 3);
	/* an auditor checking from event 2 starts from event 1's stored hash */
	assert_int_equal(wms_chain_verify(f->s, 2, &r, &err), 0);
	assert_int_equal(r.anchor_id, 1);
	assert_int_equal(r.checked, 2);
	assert_int_equal(sqlite3_exec(wms_store_db(f->s), "DROP TRIGGER events_append_only_update;"
	                              "UPDATE events SET actor = 'x' WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(wms_chain_verify(f->s, 1, &r, &err), 0);
	assert_int_equal(r.first_bad, 2);
	assert_non_null(strstr(r.why, "event 2 does not match its hash"));
	/* a removed event breaks the chain at the one after it */
	assert_int_equal(sqlite3_exec(wms_store_db(f->s), "UPDATE events SET actor = NULL WHERE id = 2;"
	                              "DROP TRIGGER events_append_only_delete; DELETE FROM events WHERE id = 2",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(wms_chain_verify(f->s, 1, &r, &err), 0);
	assert_int_equal(r.first_bad, 3);
	fixture_free(f);
}

/* A mistaken receipt and a mistaken move, voided: the projection as if they never happened,
 * the history keeps both, and a rebuild equals the live projection. */
static void void_then_rebuild(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	long diff = -1;

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "TYPO-1", .product = "BPM"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "V1", .product = "BPM"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "V1", .location = "A-01-01"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "V1", .location = "A-01-02"), 0);
	/* a warehouse worker may not; no reason; not the latest; not a receipt or move */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_VOID, .voids = 4, .reason = "x", .actor = "anna",
	                       .role = WMS_ROLE_WAREHOUSE), WMS_EPERM);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_VOID, .voids = 4), WMS_EINVAL);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_VOID, .voids = 3, .reason = "x"), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "not device V1's latest event (latest: 4)"));
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_VOID, .voids = 4, .reason = "wrong shelf", .actor = "chef",
	                       .role = WMS_ROLE_MANAGER), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices d JOIN locations l ON l.id = d.location_id"
	                                  " WHERE d.serial = 'V1' AND l.code = 'A-01-01' AND d.state = 'in_stock'"), 1);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_VOID, .voids = 5, .reason = "x"), WMS_ESTATE);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_VOID, .voids = 1, .reason = "typo in the serial"), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM devices WHERE serial = 'TYPO-1'"), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM events WHERE device_id = 1"), 2);   /* both kept */
	/* the right serial is received anew, with a device id of its own */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "RIGHT-1", .product = "BPM"), 0);
	assert_int_equal(fixture_count(f, "SELECT id FROM devices WHERE serial = 'RIGHT-1'"), 3);
	assert_int_equal(wms_rebuild(f->s, true, &diff, &err), 0);
	assert_int_equal(diff, 0);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_action_has_a_role),
		cmocka_unit_test(role_refused_writes_nothing),
		cmocka_unit_test(patient_refs),
		cmocka_unit_test(patient_ref_apart),
		cmocka_unit_test(future_events),
		cmocka_unit_test(gate_trigger),
		cmocka_unit_test(chain_detects_an_edit),
		cmocka_unit_test(void_then_rebuild),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
