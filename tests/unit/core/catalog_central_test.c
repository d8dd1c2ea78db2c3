/*
 * catalog_central_test.c - a depot applying the hub's catalogue
 * (wms_catalog_central.h): rows from the hub become read-only here, a row the
 * depot defines otherwise is a conflict (kept, never merged) and one defined
 * the same is adopted, a conflict not yet reported ends the batch before it,
 * applying again changes nothing, users come without a password.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "wms_catalog_central.h"
#include "wms_users.h"

static json_t *product(json_int_t seq, const char *code, const char *name_sv, const char *gtin)
{
	return json_pack("{s:I, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:i, s:[s*]}}", "seq", seq, "kind", "product",
	                 "code", code, "body", "code", code, "name_sv", name_sv, "name_en", "x",
	                 "category", "HoS", "needs_training", 0, "gtins", gtin);
}

static void conflicts_kept_and_batches_end_before_unreported(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	struct wms_product mine = { "MINE", "Egen", "x", "HoS", false };
	json_t *rows = json_pack("[o, o, o]", product(1, "HUB1", "Navets", NULL),
	                         product(2, "MINE", "Navets egen", NULL), product(3, "HUB2", "Andra", "07350000000016"));
	json_t *found, *none = json_array();
	long long upto;
	long applied;

	assert_int_equal(wms_product_add(f->s, &mine, &err), 0);
	found = wms_catalog_conflicts(f->s, rows, &err);
	assert_non_null(found);
	assert_int_equal(json_array_size(found), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(found, 0), "seq")), 2);
	/* the hub has not heard of it yet: the batch ends before it */
	assert_int_equal(wms_catalog_apply(f->s, rows, none, &upto, &applied, &err), 0);
	assert_int_equal(upto, 1);
	assert_int_equal(applied, 1);
	/* reported: skipped, the depot's own kept, the rest applied */
	assert_int_equal(wms_catalog_apply(f->s, rows, found, &upto, &applied, &err), 0);
	assert_int_equal(upto, 3);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM products WHERE code = 'MINE' AND name_sv = 'Egen'"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM catalog_central"), 2);
	assert_int_equal(wms_catalog_pulled(f->s, &upto, &err), 0);
	assert_int_equal(upto, 3);
	/* read-only here, naming the hub; the depot's own row is its own */
	assert_int_equal(wms_product_add_gtin(f->s, "HUB1", "09506000134369", &err), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "product HUB1 is maintained at the hub"));
	assert_int_equal(wms_product_add_gtin(f->s, "MINE", "09506000134369", &err), 0);
	/* a GTIN the depot gave its own product is a conflict for a hub row too */
	json_decref(found);
	json_decref(rows);
	rows = json_pack("[o]", product(4, "HUB1", "Navets", "09506000134369"));
	found = wms_catalog_conflicts(f->s, rows, &err);
	assert_int_equal(json_array_size(found), 1);
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(found, 0), "detail")), "MINE"));
	json_decref(found);
	json_decref(rows);
	json_decref(none);
	fixture_free(f);
}

static void same_adopted_again_idempotent_users_without_password(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	/* BPM as the fixture defines it: the same content is adopted */
	json_t *rows = json_pack("[o, {s:i, s:s, s:s, s:{s:s, s:s, s:i, s:[s]}}]",
	                         product(1, "BPM", "Digital blodtrycksmätare", "09506000134352"),
	                         "seq", 2, "kind", "user", "code", "maja", "body", "name", "maja", "role", "warehouse",
	                         "disabled", 0, "badges", "B-MAJA");
	json_t *found = NULL, *none = json_array();
	char hash[WMS_PASSWORD_HASH_MAX], name[WMS_USER_NAME_MAX + 1];
	enum wms_role role;
	long long upto;
	long applied;

	json_object_set_new(json_object_get(json_array_get(rows, 0), "body"), "name_en",
	                    json_string("Digital blood-pressure monitor"));
	found = wms_catalog_conflicts(f->s, rows, &err);
	assert_int_equal(json_array_size(found), 0);
	for (int round = 0; round < 2; round++) {      /* the second time changes nothing */
		assert_int_equal(wms_catalog_apply(f->s, rows, none, &upto, &applied, &err), 0);
		assert_int_equal(upto, 2);
		assert_int_equal(applied, 2);
		assert_int_equal(fixture_count(f, "SELECT count(*) FROM catalog_central"), 2);
		assert_int_equal(fixture_count(f, "SELECT count(*) FROM product_gtins"), 1);
		assert_int_equal(fixture_count(f, "SELECT count(*) FROM user_badges"), 1);
	}
	assert_int_equal(wms_badge_user(f->s, "B-MAJA", name, &role, &err), 0);
	assert_string_equal(name, "maja");
	/* no password here: a login finds none, as for an unknown name */
	assert_int_equal(wms_user_password_hash(f->s, "maja", hash, &role, &err), 0);
	assert_string_equal(hash, "");
	assert_false(wms_password_matches(hash, ""));
	assert_int_equal(wms_badge_add(f->s, "maja", "B-2", &err), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "user maja is maintained at the hub"));
	json_decref(found);
	json_decref(rows);
	json_decref(none);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conflicts_kept_and_batches_end_before_unreported),
		cmocka_unit_test(same_adopted_again_idempotent_users_without_password),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
