/*
 * cups_submit_test.c - printing/cups_submit against a private cupsd.
 *
 * Two queues: "zebra" (CUPS's Zebra ZPL driver, drv:///sample.drv/zebra.ppd,
 * to a file:// device) turns a rendered PNG/PDF label into ZPL with a
 * downloaded graphic; "raw" sends raw ZPL to a socket:// device served by
 * the fixture's TCP sink, which must receive exactly the rendered bytes.
 * Every job is followed to "completed" through printq_job_wait.  Error
 * cases: unknown queue, stopped queue (job kept pending, printed exactly
 * once after cupsenable), rejecting queue, server down.  The last test stops
 * cupsd; the group teardown removes everything even when a test failed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cups_submit.h"
#include "cupsd_fixture.h"
#include "label.h"
#include "label_render.h"
#include "label_template.h"
#include "label_zpl.h"

static struct cupsd_fixture fx;
static char zebra_out[600];

static struct label_fields *fill(enum label_kind kind, const char *const *kv)
{
	struct label_fields *f = NULL;
	struct wms_error err;

	assert_int_equal(label_fields_new(kind, &f, &err), 0);
	for (; *kv != NULL; kv += 2)
		assert_int_equal(label_fields_set(f, kv[0], kv[1], &err), 0);
	return f;
}

static const char *const device_kv[] = {
	"serial", "HMC-000123", "gtin", "07350012345679",
	"product", "Duschstol Åsa, höj- och sänkbar", "article", "123456", NULL };
static const char *const shipping_kv[] = {
	"sender_name", "Hjälpmedelscentralen", "sender_street", "Förrådsvägen 4",
	"sender_postcode", "721 30", "sender_city", "Västerås",
	"receiver_name", "Kommunens hemtjänst Örebro", "receiver_street", "Järnvägsgatan 12",
	"receiver_postcode", "702 10", "receiver_city", "Örebro", "sscc", "373500123400000019",
	"carrier", "PostNord", "tracking", "JJD000390007758437", "weight", "12,5 kg",
	"order_ref", "ORD-2024-00042", NULL };

/* ZPL for the shipping label: the raw queue's payload. */
static char *shipping_zpl(size_t *len)
{
	struct label_template *t = NULL;
	struct label_fields *f = fill(LABEL_SHIPPING, shipping_kv);
	struct wms_error err;
	char *zpl = NULL;

	assert_int_equal(label_template_load(WMS_LABEL_TEMPLATES, "shipping-107x190", &t, &err), 0);
	assert_int_equal(label_zpl_render(t, f, 203, &zpl, len, &err), 0);
	label_template_free(t);
	label_fields_free(f);
	return zpl;
}

static struct printq_conn *conn(void)
{
	struct printq_conn *c = NULL;
	struct wms_error err;
	int rc = printq_connect(NULL, 5000, &c, &err);   /* CUPS_SERVER from the fixture */

	if (rc < 0)
		fail_msg("%s", err.msg);
	return c;
}

static int run(const char *a0, const char *a1, const char *a2, const char *a3,
	       const char *a4, const char *a5, const char *a6, const char *a7, const char *a8)
{
	const char *const argv[] = { a0, a1, a2, a3, a4, a5, a6, a7, a8, NULL };

	return cupsd_fixture_run(&fx, argv);
}

static int group_setup(void **state)
{
	char uri[700], sink[128];

	if (cupsd_fixture_start(&fx) < 0)
		return -1;
	snprintf(zebra_out, sizeof zebra_out, "%s/zebra.zpl", fx.dir);
	snprintf(uri, sizeof uri, "file://%s", zebra_out);
	snprintf(sink, sizeof sink, "socket://127.0.0.1:%d", fx.sink_port);
	if (run("lpadmin", "-h", fx.server, "-p", "zebra", "-E", "-v", uri,
		"-mdrv:///sample.drv/zebra.ppd") != 0 ||
	    run("lpadmin", "-h", fx.server, "-p", "raw", "-E", "-v", sink, NULL) != 0) {
		fprintf(stderr, "lpadmin failed, see %s/log\n", fx.dir);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	cupsd_fixture_stop(&fx);
	label_render_finalise();
	return 0;
}

static void test_list_printers(void **state)
{
	struct printq_conn *c = conn();
	struct printq_printer *list = NULL, one;
	struct wms_error err;
	size_t n = 0, i;
	int seen = 0;

	assert_int_equal(printq_list_printers(c, &list, &n, &err), 0);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		assert_int_equal(list[i].state, PRINTQ_PRINTER_IDLE);
		assert_true(list[i].accepting);
		if (strcmp(list[i].name, "raw") == 0) {
			seen |= 1;
			assert_non_null(strstr(list[i].device_uri, "socket://127.0.0.1:"));
		} else if (strcmp(list[i].name, "zebra") == 0) {
			seen |= 2;
		}
	}
	assert_int_equal(seen, 3);
	assert_int_equal(printq_printer_query(c, "zebra", &one, &err), 0);
	assert_string_equal(one.name, "zebra");
	assert_string_equal(printq_printer_state_name(one.state), "idle");
	free(list);
	printq_close(c);
}

static void check_zebra_output(void)
{
	FILE *f = fopen(zebra_out, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	assert_true(n > 100);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	/* The driver downloads the label as a graphic and recalls it in a format. */
	assert_true(strstr(buf, "~DG") != NULL || strstr(buf, "^GF") != NULL);
	assert_non_null(strstr(buf, "^XA"));
	assert_non_null(strstr(buf, "^XZ"));
	assert_true(strstr(buf, "^XG") != NULL || strstr(buf, "^GF") != NULL);
	assert_true(strstr(buf, "^XA") < strstr(buf, "^XZ"));
	free(buf);
	remove(zebra_out);
}

static void print_to_zebra(enum printq_format fmt)
{
	struct label_template *t = NULL;
	struct label_fields *f = fill(LABEL_DEVICE, device_kv);
	struct printq_job_info info;
	struct printq_conn *c = conn();
	struct wms_error err;
	unsigned char *doc = NULL;
	size_t len = 0;
	int id = 0;

	assert_int_equal(label_template_load(WMS_LABEL_TEMPLATES, "device", &t, &err), 0);
	if (fmt == PRINTQ_PNG)
		assert_int_equal(label_render_png_buffer(t, f, 203, 0, &doc, &len, &err), 0);
	else
		assert_int_equal(label_render_pdf_buffer(t, f, 203, &doc, &len, &err), 0);
	assert_int_equal(printq_submit(c, "zebra", fmt, doc, len, "device label", 0, &id, &err), 0);
	assert_true(id > 0);
	assert_int_equal(printq_job_wait(c, id, 20000, &info, &err), 0);
	if (info.state != PRINTQ_JOB_COMPLETED)
		fail_msg("job %d is %s (%s), see %s/log", id, printq_job_state_name(info.state),
			 info.reasons, fx.dir);
	assert_string_equal(info.queue, "zebra");
	check_zebra_output();
	free(doc);
	label_template_free(t);
	label_fields_free(f);
	printq_close(c);
}

static void test_png_through_zebra_driver(void **state)
{
	print_to_zebra(PRINTQ_PNG);
}

static void test_pdf_through_zebra_driver(void **state)
{
	print_to_zebra(PRINTQ_PDF);
}

static void expect_sink(const char *zpl, size_t len, int connections)
{
	unsigned char *got = NULL;
	size_t glen = 0;
	int conns = 0;

	assert_int_equal(cupsd_fixture_sink_wait(&fx, connections, 10000), 0);
	cupsd_fixture_sink_take(&fx, &got, &glen, &conns);
	assert_int_equal(conns, connections);
	assert_int_equal(glen, len);
	assert_memory_equal(got, zpl, len);
	free(got);
}

static void test_raw_zpl_exact_bytes(void **state)
{
	struct printq_conn *c = conn();
	struct printq_job_info info;
	struct wms_error err;
	size_t len = 0;
	char *zpl = shipping_zpl(&len);
	int id = 0;

	cupsd_fixture_sink_reset(&fx);
	assert_int_equal(printq_submit(c, "raw", PRINTQ_RAW, zpl, len, "SSCC 373500123400000019",
				       0, &id, &err), 0);
	assert_int_equal(printq_job_wait(c, id, 15000, &info, &err), 0);
	assert_string_equal(printq_job_state_name(info.state), "completed");
	expect_sink(zpl, len, 1);
	free(zpl);
	printq_close(c);
}

static void test_unknown_queue(void **state)
{
	struct printq_conn *c = conn();
	struct printq_printer p;
	struct wms_error err;
	int id = 99;

	int rc = printq_submit(c, "nosuchq", PRINTQ_RAW, "^XA^XZ", 6, NULL, 0, &id, &err);

	if (rc != WMS_ENOTFOUND)
		fail_msg("rc %d: %s", rc, err.msg);
	assert_int_equal(id, 0);
	print_message("unknown queue: %s\n", err.msg);
	assert_non_null(strstr(err.msg, "'nosuchq'"));
	assert_non_null(strstr(err.msg, "does not exist"));
	assert_non_null(strstr(err.msg, "CUPS: "));
	assert_int_equal(printq_printer_query(c, "nosuchq", &p, &err), WMS_ENOTFOUND);
	assert_int_equal(printq_submit(c, "bad/name", PRINTQ_RAW, "x", 1, NULL, 0, &id, &err),
			 WMS_EINVAL);
	printq_close(c);
}

static void test_stopped_queue_keeps_job(void **state)
{
	struct printq_conn *c = conn();
	struct printq_job_info info;
	struct printq_printer p;
	struct wms_error err;
	size_t len = 0;
	char *zpl = shipping_zpl(&len);
	int id = 0, refused = 0;

	cupsd_fixture_sink_reset(&fx);
	assert_int_equal(run("cupsdisable", "-h", fx.server, "raw", NULL, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(printq_printer_query(c, "raw", &p, &err), 0);
	assert_int_equal(p.state, PRINTQ_PRINTER_STOPPED);

	assert_int_equal(printq_submit(c, "raw", PRINTQ_RAW, zpl, len, NULL,
				       PRINTQ_FAIL_IF_STOPPED, &refused, &err), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "'raw'"));
	assert_non_null(strstr(err.msg, "stopped"));
	print_message("stopped queue: %s\n", err.msg);

	/* Default: CUPS keeps the job until the queue runs again. */
	assert_int_equal(printq_submit(c, "raw", PRINTQ_RAW, zpl, len, NULL, 0, &id, &err), 0);
	assert_int_equal(printq_job_wait(c, id, 1500, &info, &err), 0);
	assert_false(printq_job_state_is_final(info.state));
	assert_true(info.state == PRINTQ_JOB_PENDING || info.state == PRINTQ_JOB_STOPPED ||
		    info.state == PRINTQ_JOB_HELD);
	assert_int_equal(cupsd_fixture_sink_wait(&fx, 1, 0), -1);

	assert_int_equal(run("cupsenable", "-h", fx.server, "raw", NULL, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(printq_job_wait(c, id, 15000, &info, &err), 0);
	assert_int_equal(info.state, PRINTQ_JOB_COMPLETED);
	expect_sink(zpl, len, 1);
	free(zpl);
	printq_close(c);
}

static void test_rejecting_queue(void **state)
{
	struct printq_conn *c = conn();
	struct wms_error err;
	int id = 0;

	assert_int_equal(run("cupsreject", "-h", fx.server, "raw", NULL, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(printq_submit(c, "raw", PRINTQ_RAW, "^XA^XZ", 6, NULL, 0, &id, &err),
			 WMS_ESTATE);
	assert_non_null(strstr(err.msg, "'raw'"));
	assert_non_null(strstr(err.msg, "not accepting"));
	assert_int_equal(run("cupsaccept", "-h", fx.server, "raw", NULL, NULL, NULL, NULL, NULL), 0);
	printq_close(c);
}

static void test_job_unknown(void **state)
{
	struct printq_conn *c = conn();
	struct printq_job_info info;
	struct wms_error err;

	assert_int_equal(printq_job_query(c, 987654, &info, &err), WMS_ENOTFOUND);
	assert_non_null(strstr(err.msg, "987654"));
	printq_close(c);
}

/* Last: stops cupsd. */
static void test_server_down(void **state)
{
	struct printq_conn *c = conn(), *c2 = NULL;
	struct printq_job_info info;
	struct wms_error err;
	char server[80];
	int id = 0;

	cupsd_fixture_kill_cupsd(&fx);
	snprintf(server, sizeof server, "%s", fx.server);
	assert_int_equal(printq_connect(server, 2000, &c2, &err), WMS_EIO);
	assert_null(c2);
	print_message("server down: %s\n", err.msg);
	assert_non_null(strstr(err.msg, "cannot reach CUPS server"));
	assert_non_null(strstr(err.msg, server));

	assert_int_equal(printq_submit(c, "raw", PRINTQ_RAW, "^XA^XZ", 6, NULL, 0, &id, &err),
			 WMS_EIO);
	assert_int_equal(id, 0);
	print_message("server down: %s\n", err.msg);
	assert_non_null(strstr(err.msg, "'raw'"));
	assert_non_null(strstr(err.msg, server));
	assert_int_equal(printq_job_query(c, 1, &info, &err), WMS_EIO);
	printq_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_printers),
		cmocka_unit_test(test_raw_zpl_exact_bytes),
		cmocka_unit_test(test_png_through_zebra_driver),
		cmocka_unit_test(test_pdf_through_zebra_driver),
		cmocka_unit_test(test_unknown_queue),
		cmocka_unit_test(test_stopped_queue_keeps_job),
		cmocka_unit_test(test_rejecting_queue),
		cmocka_unit_test(test_job_unknown),
		cmocka_unit_test(test_server_down),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
