/*
 * pickup_test.c - the pickup point registry: CSV import with bad lines
 * reported by line, re-import updating without duplicates, each entry's
 * location usable by an order, postal codes, the nearest active points by
 * haversine distance.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "courier_fixture.h"
#include "courier_pickup.h"

static void distances_and_postcodes(void **state)
{
	struct wms_error err = { 0 };
	char pc[6];

	/* Stockholm central - Göteborg central: about 398 km as the crow flies */
	double km = courier_haversine_km(59.3300, 18.0586, 57.7089, 11.9734);
	assert_true(km > 395 && km < 400);
	assert_true(courier_haversine_km(57.7, 11.9, 57.7, 11.9) < 1e-9);
	assert_int_equal(courier_postcode_normalise("411 01", pc, &err), 0);
	assert_string_equal(pc, "41101");
	assert_int_equal(courier_postcode_normalise("41101", pc, &err), 0);
	assert_int_equal(courier_postcode_normalise("4110", pc, &err), WMS_EINVAL);
	assert_int_equal(courier_postcode_normalise("411011", pc, &err), WMS_EINVAL);
	assert_int_equal(courier_postcode_normalise("41 101", pc, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "5 digits"));
}

static const char points_v1[] =
	"id,carrier,name,address,postal_code,city,opening_hours,active\n"
	"1001,PostNord,ICA Nära Lindome,Göteborgsvägen 1,437 30,Lindome,\"Mån-Fre 9-20, Lör 10-16\",yes\n"
	"1002,PostNord,Pressbyrån Mölndal,Storgatan 2,43130,Mölndal,,1\n"
	"1003,Bring,Coop Kållered,Kållered torg 3,42834,Kållered,,yes\n"
	"1004,Bring,Closed shop,Gatan 4,41101,Göteborg,,no\n"
	"bad id!,PostNord,X,Y,41101,Z,,yes\n"
	"1005,PostNord,X,Y,4110,Z,,yes\n"
	"1006,PostNord,X,Y,41101,Z,,maybe\n"
	"1002,PostNord,Twice,Storgatan 2,43130,Mölndal,,1\n"
	"1008,PostNord,X\n"
	"1007,PostNord,\"unclosed,Y,41101,Z,,yes\n";

static const char points_v2[] =
	"1001,PostNord,ICA Nära Lindome,Göteborgsvägen 1,43730,Lindome,\"Mån-Fre 9-21\",yes\n"
	"1002,postnord,Pressbyrån Mölndal,Storgatan 2,43130,Mölndal,,1\n";

static const char postcodes[] =
	"postal_code,lat,lon\n"
	"43730,57.5617,12.0760\n"
	"43130,57.6554,12.0138\n"
	"42834,57.6105,12.0485\n"
	"41101,57.7089,11.9746\n"
	"41102,91,11\n"
	"41103,57.7,east\n";

static void import_and_nearest(void **state)
{
	struct fixture *f = fixture_new();
	struct courier_import_report rep;
	struct wms_error err = { 0 };
	char path[64];
	json_t *near;
	static const long want_bad[] = { 6, 7, 8, 9, 10, 11 };

	write_temp(path, points_v1);
	assert_int_equal(courier_pickup_import(f->s, path, &rep, &err), 0);
	assert_int_equal(rep.added, 4);
	assert_int_equal(rep.bad, 6);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(json_integer_value(json_object_get(json_array_get(rep.problems, i), "line")),
		                 want_bad[i]);
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(rep.problems, 3), "error")),
	                       "already given on line 3"));
	courier_import_report_clear(&rep);
	unlink(path);
	/* again, changed: updated, not duplicated; carrier matched case-insensitively */
	write_temp(path, points_v2);
	assert_int_equal(courier_pickup_import(f->s, path, &rep, &err), 0);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.unchanged, 1);
	assert_int_equal(rep.added, 0);
	courier_import_report_clear(&rep);
	unlink(path);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM pickup_points"), 4);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM locations WHERE code LIKE 'PP-POSTNORD-%'"
	                                  " OR code LIKE 'PP-BRING-%'"), 4);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM pickup_points WHERE opening_hours = 'Mån-Fre 9-21'"), 1);
	/* the registry's location is what an order's pickup point names */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "O-PP", .customer = "VC-MOLNDAL",
	                       .product = "BPM", .mode = "pickup_point", .pickup_point = "PP-POSTNORD-1002"), 0);

	write_temp(path, postcodes);
	assert_int_equal(courier_postcode_import(f->s, path, &rep, &err), 0);
	assert_int_equal(rep.added, 4);
	assert_int_equal(rep.bad, 2);
	courier_import_report_clear(&rep);
	unlink(path);

	near = courier_pickup_nearest(f->s, "411 01", NULL, 5, &err);
	assert_non_null(near);
	assert_int_equal(json_array_size(near), 3);            /* the inactive 1004 is left out */
	assert_string_equal(json_string_value(json_object_get(json_array_get(near, 0), "pickup_point")),
	                    "PP-POSTNORD-1002");
	assert_string_equal(json_string_value(json_object_get(json_array_get(near, 1), "pickup_point")),
	                    "PP-BRING-1003");
	assert_true(json_real_value(json_object_get(json_array_get(near, 0), "distance_km")) <
	            json_real_value(json_object_get(json_array_get(near, 1), "distance_km")));
	json_decref(near);
	near = courier_pickup_nearest(f->s, "41101", "POSTNORD", 1, &err);
	assert_int_equal(json_array_size(near), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(near, 0), "id")), "1002");
	json_decref(near);
	assert_null(courier_pickup_nearest(f->s, "99999", NULL, 5, &err));
	assert_int_equal(err.code, WMS_ENOTFOUND);
	assert_non_null(strstr(err.msg, "postcode import"));
	assert_null(courier_pickup_nearest(f->s, "41101", NULL, 0, &err));
	assert_int_equal(err.code, WMS_EINVAL);
	assert_int_equal(courier_pickup_import(f->s, "/nonexistent/pp.csv", &rep, &err), WMS_EIO);
	courier_import_report_clear(&rep);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(distances_and_postcodes),
		cmocka_unit_test(import_and_nearest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
