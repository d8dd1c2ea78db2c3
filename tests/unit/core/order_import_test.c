/*
 * order_import_test.c - the ordering system's CSV into orders on a real
 * store: good rows in, bad rows reported by line and skipped, re-imports
 * and overlapping files without duplicates, personal data kept apart from
 * the ledger, and projections still equal to a rebuild.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <time.h>

#include "core_fixture.h"
#include "wms_order_import.h"
#include "wms_rebuild.h"

struct bad_rows {
	int n;
	long lines[16];
	char msgs[16][WMS_ERROR_MSG_MAX];
};

static void collect(void *ctx, long line, const char *msg)
{
	struct bad_rows *b = ctx;

	if (b->n < 16) {
		b->lines[b->n] = line;
		snprintf(b->msgs[b->n], sizeof b->msgs[0], "%s", msg);
	}
	b->n++;
}

static int import(struct fixture *f, const char *text, struct wms_import_result *r, struct bad_rows *b,
                  struct wms_error *err)
{
	struct wms_import_opts o = { .station = "import", .role = WMS_ROLE_TRUSTED, .report = collect, .ctx = b };

	memset(b, 0, sizeof *b);
	wms_time_parse("2026-02-16T09:00", &o.at, NULL);
	return wms_order_import(f->s, text, strlen(text), &o, r, err);
}

static const char header[] =
	"external_id;customer;patient_ref;product;mode;pickup_point;requested_date;"
	"patient_name;patient_address;patient_postal_code;patient_phone\n";

static void good_and_bad_rows(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_import_result r;
	struct bad_rows b;
	struct wms_error err = { 0 };
	char text[2048];
	long diff = -1;

	snprintf(text, sizeof text, "%s%s", header,
	         "A-1;VC-MOLNDAL;P-1;BPM;home;;;Anna Andersson;Storgatan 1;431 30;031-123456\n"  /* 2 */
	         "A-2;BORAS;P-2;SCALE;unit;;;;;;\n"                                               /* 3 */
	         "A-3;VC-MOLNDAL;P-3;BPM;pickup_point;PP-ICA-1;2026-03-01;;;;\n"                   /* 4 */
	         "A-4;VC-MOLNDAL;Sven Svensson;BPM;home;;;;;;\n"                                  /* 5: ref */
	         "A-5;VC-MOLNDAL;P-5;BPM;home;;2026-02-30;;;;\n"                                  /* 6: date */
	         "A-6;VC-MOLNDAL;P-6;BPM;home;;;;;;070 1\n"                                       /* 7: phone */
	         "A 7;VC-MOLNDAL;P-7;BPM;home;;;;;;\n"                                            /* 8: id */
	         "A-8;VC-MOLNDAL;P-8;NOPE;home;;;;;;\n"                                           /* 9: product */
	         ";;;;;;;;;;\n"                                                                    /* 10: empty */
	         "A-9;VC-MOLNDAL;P-9;BPM;unit;PP-ICA-1;;;;;\n"                                    /* 11 */
	         "A-10;BORAS;P-10;BPM;buffer;;;;;;\n");                                           /* 12 */
	assert_int_equal(import(f, text, &r, &b, &err), 0);
	assert_int_equal(r.imported, 4);
	assert_int_equal(r.present, 0);
	assert_int_equal(r.bad, 6);
	assert_int_equal(b.n, 6);
	assert_int_equal(b.lines[0], 5);
	assert_non_null(strstr(b.msgs[0], "line 5: bad patient reference"));
	assert_non_null(strstr(b.msgs[1], "line 6: bad date \"2026-02-30\""));
	assert_non_null(strstr(b.msgs[2], "line 7: bad patient phone"));
	assert_null(strstr(b.msgs[2], "070 1"));        /* personal data never in a message */
	assert_non_null(strstr(b.msgs[3], "line 8: external_id: bad order number \"A 7\""));
	assert_non_null(strstr(b.msgs[4], "line 9: unknown product type \"NOPE\""));
	assert_non_null(strstr(b.msgs[5], "line 11: a pickup point is only for delivery mode pickup_point"));
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders WHERE external_id IS NOT NULL"), 4);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM order_patients WHERE name IS NOT NULL"
	                                  " OR address IS NOT NULL OR postal_code IS NOT NULL OR phone IS NOT NULL"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders WHERE number = 'A-3' AND"
	                                  " requested_date = '2026-03-01' AND pickup_point_id IS NOT NULL"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM events WHERE payload LIKE '%Anna%'"
	                                  " OR payload LIKE '%Storgatan%' OR payload LIKE '%123456%'"), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM events WHERE station = 'import'"), 4);

	/* the same file again: nothing new */
	assert_int_equal(import(f, text, &r, &b, &err), 0);
	assert_int_equal(r.imported, 0);
	assert_int_equal(r.present, 4);
	assert_int_equal(r.bad, 6);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders"), 4);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM order_patients WHERE name IS NOT NULL"), 1);

	/* an overlapping file, comma separated, quoted, CRLF; A-2 of another unit gets its own number */
	assert_int_equal(import(f, "\"external_id\",\"customer\",\"product\",\"mode\"\r\n"
	                           "\"A-1\",\"VC-MOLNDAL\",\"BPM\",\"home\"\r\n"
	                           "A-2,VC-MOLNDAL,BPM,home\r\n"
	                           "A-11,VC-MOLNDAL,BPM,home\r\n", &r, &b, &err), 0);
	assert_int_equal(r.imported, 2);
	assert_int_equal(r.present, 1);
	assert_int_equal(r.bad, 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id"
	                                  " WHERE o.number = 'VC-MOLNDAL/A-2' AND o.external_id = 'A-2'"
	                                  " AND c.code = 'VC-MOLNDAL'"), 1);

	/* the ledger itself refuses a second order with the same external id of a unit */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "Z-1", .customer = "BORAS",
	                       .product = "BPM", .mode = "unit", .external_id = "A-2"), WMS_EEXIST);
	assert_non_null(strstr(err.msg, "BORAS's order A-2 is already registered as order A-2"));

	assert_int_equal(wms_rebuild(f->s, true, &diff, &err), 0);
	assert_int_equal(diff, 0);
	fixture_free(f);
}

static void bad_files(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_import_result r;
	struct bad_rows b;
	struct wms_error err = { 0 };

	assert_int_equal(import(f, "", &r, &b, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "the file is empty"));
	assert_int_equal(import(f, "external_id;customer;product;mode;color\nA;VC-MOLNDAL;BPM;home;red\n",
	                        &r, &b, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "line 1: unknown column \"color\"; allowed: external_id"));
	assert_int_equal(import(f, "external_id;customer;product\n", &r, &b, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "the header lacks column mode"));
	assert_int_equal(import(f, "external_id;customer;product;mode;MODE\n", &r, &b, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "column mode appears twice"));
	assert_int_equal(import(f, "external_id;customer;product;\"mode\n", &r, &b, &err), WMS_EINVAL);
	assert_int_equal(wms_store_event_count(f->s), 0);
	/* an unterminated quote in a data row costs the rest of the file, nothing before it */
	assert_int_equal(import(f, "external_id;customer;product;mode\nB-1;BORAS;BPM;unit\n\"B-2;BORAS;BPM;unit\n"
	                           "B-3;BORAS;BPM;unit\n", &r, &b, &err), 0);
	assert_int_equal(r.imported, 1);
	assert_int_equal(r.bad, 1);
	assert_int_equal(b.lines[0], 3);
	assert_int_equal(wms_order_import_file(f->s, "/nonexistent/x.csv", NULL, &r, &err), WMS_EIO);
	/* a depot column: a known code, or the row is refused naming the known ones */
	assert_int_equal(import(f, "external_id;customer;product;mode;depot\nD-1;BORAS;BPM;unit;ML\n"
	                           "D-2;BORAS;BPM;unit;Skovde\n", &r, &b, &err), 0);
	assert_int_equal(r.imported, 1);
	assert_int_equal(r.bad, 1);
	assert_int_equal(b.lines[0], 3);
	assert_non_null(strstr(b.msgs[0], "unknown depot \"Skovde\"; known depots: ML (HMC Mölndal)"));
	fixture_free(f);
}

static void import_speed(void **state)
{
	struct fixture *f = fixture_new();
	struct wms_import_result r;
	struct bad_rows b;
	struct wms_error err = { 0 };
	enum { ROWS = 5000 };
	size_t cap = ROWS * 96 + 256, len;
	char *text = malloc(cap);
	struct timespec t0, t1;

	len = (size_t)snprintf(text, cap, "external_id;customer;product;mode;patient_ref;patient_name\n");
	for (int i = 0; i < ROWS; i++)
		len += (size_t)snprintf(text + len, cap - len, "S-%d;%s;BPM;home;P-%d;Namn Nummer %d\n", i,
		                        i % 2 ? "BORAS" : "VC-MOLNDAL", i, i);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(import(f, text, &r, &b, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(r.imported, ROWS);
	print_message("imported %d rows in %.0f ms\n", ROWS,
	              (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	assert_int_equal(import(f, text, &r, &b, &err), 0);
	assert_int_equal(r.present, ROWS);
	free(text);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_and_bad_rows),
		cmocka_unit_test(bad_files),
		cmocka_unit_test(import_speed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
