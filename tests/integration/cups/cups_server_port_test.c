/*
 * cups_server_port_test.c - printing to a CUPS server named by host:port
 * (a `[printer] server =` line) that is not CUPS's default server (issue 4).
 *
 * The private cupsd (cupsd_fixture.c) listens on its own port; here
 * CUPS_SERVER points elsewhere (127.0.0.1:1, where nothing listens) or is
 * unset, so anything that still asks the default server fails.  Through
 * printing/cups_submit with the explicit "127.0.0.1:PORT": list and query
 * the queues, submit raw ZPL and follow it to completed (the sink gets
 * exactly those bytes), find it again by its title (the worker's adopt
 * lookup), the newest job id, and a missing queue is WMS_ENOTFOUND.
 * Through the real `wms` binary with `server = 127.0.0.1:PORT`:
 * `wms printers` and `wms label print --wait` to printed, once with
 * CUPS_SERVER unset and once with it pointing at 127.0.0.1:1.
 * usage: cups_server_port_test PATH/TO/wms
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "cups_submit.h"
#include "cupsd_fixture.h"

#define ELSEWHERE "127.0.0.1:1"   /* nothing listens there */

static struct cupsd_fixture fx;
static const char *wms_bin;
static char conf[400];

static int group_setup(void **state)
{
	char sink[128];
	FILE *f;

	if (cupsd_fixture_start(&fx) < 0)
		return -1;
	snprintf(sink, sizeof sink, "socket://127.0.0.1:%d", fx.sink_port);
	{
		const char *const raw[] = { "lpadmin", "-h", fx.server, "-p", "raw", "-E", "-v", sink,
					    NULL };
		if (cupsd_fixture_run(&fx, raw) != 0)
			return -1;
	}
	/* The fixture sets CUPS_SERVER to its cupsd; point it away before
	 * libcups reads it in this process (it caches the default server). */
	setenv("CUPS_SERVER", ELSEWHERE, 1);
	snprintf(conf, sizeof conf, "%s/wms.conf", fx.dir);
	f = fopen(conf, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "[store]\ndatabase = %s/wms.db\n"
		   "[printer lager]\nqueue = raw\nserver = %s\nlanguage = zpl\ndpi = 203\n"
		   "purposes = device location\n"
		   "[printer ghost]\nqueue = nosuchq\nserver = %s\nlanguage = zpl\ndpi = 203\n"
		   "purposes = recon\n", fx.dir, fx.server, fx.server);
	fclose(f);
	return 0;
}

static int group_teardown(void **state)
{
	cupsd_fixture_stop(&fx);
	return 0;
}

static struct printq_conn *conn(void)
{
	struct printq_conn *c = NULL;
	struct wms_error err;

	if (printq_connect(fx.server, 5000, &c, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(printq_server(c), fx.server);
	return c;
}

/* The default server really is elsewhere in this process. */
static void test_default_server_is_elsewhere(void **state)
{
	struct printq_conn *c = NULL;
	struct wms_error err;

	assert_int_equal(printq_connect(NULL, 2000, &c, &err), WMS_EIO);
	assert_null(c);
	assert_non_null(strstr(err.msg, ELSEWHERE));
}

static void test_api_queues(void **state)
{
	struct printq_conn *c = conn();
	struct printq_printer *list = NULL, one;
	struct wms_error err;
	size_t n = 0;

	assert_int_equal(printq_list_printers(c, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "raw");
	assert_non_null(strstr(list[0].device_uri, "socket://127.0.0.1:"));
	assert_int_equal(printq_printer_query(c, "raw", &one, &err), 0);
	assert_string_equal(one.name, "raw");
	assert_int_equal(one.state, PRINTQ_PRINTER_IDLE);
	assert_true(one.accepting);
	assert_int_equal(printq_printer_query(c, "nosuchq", &one, &err), WMS_ENOTFOUND);
	assert_non_null(strstr(err.msg, "'nosuchq'"));
	free(list);
	printq_close(c);
}

static void test_api_submit_follow_find(void **state)
{
	static const char zpl[] = "^XA^FO50,50^A0N,40,40^FDport test^FS^XZ\n";
	struct printq_conn *c = conn();
	struct printq_job_info info;
	struct wms_error err;
	unsigned char *got = NULL;
	size_t glen = 0;
	int id = 0, found = 0, newest = 0, conns = 0;

	cupsd_fixture_sink_reset(&fx);
	if (printq_submit(c, "raw", PRINTQ_RAW, zpl, strlen(zpl), "port test 1",
			  PRINTQ_FAIL_IF_STOPPED, &id, &err) < 0)
		fail_msg("submit: %s", err.msg);
	assert_true(id > 0);
	assert_int_equal(printq_job_wait(c, id, 15000, &info, &err), 0);
	assert_string_equal(printq_job_state_name(info.state), "completed");
	assert_string_equal(info.queue, "raw");
	assert_int_equal(cupsd_fixture_sink_wait(&fx, 1, 10000), 0);
	cupsd_fixture_sink_take(&fx, &got, &glen, &conns);
	assert_int_equal(conns, 1);
	assert_int_equal(glen, strlen(zpl));
	assert_memory_equal(got, zpl, glen);
	free(got);

	assert_int_equal(printq_job_find(c, "raw", "port test 1", &found, &info, &err), 0);
	assert_int_equal(found, id);
	assert_string_equal(info.title, "port test 1");
	assert_int_equal(info.state, PRINTQ_JOB_COMPLETED);
	assert_int_equal(printq_job_find(c, "raw", "never printed", &found, NULL, &err), 0);
	assert_int_equal(found, 0);
	assert_int_equal(printq_newest_job(c, &newest, &err), 0);
	assert_int_equal(newest, id);

	assert_int_equal(printq_submit(c, "nosuchq", PRINTQ_RAW, "^XA^XZ", 6, NULL, 0, &id, &err),
			 WMS_ENOTFOUND);
	assert_int_equal(id, 0);
	assert_non_null(strstr(err.msg, "'nosuchq'"));
	assert_non_null(strstr(err.msg, fx.server));
	printq_close(c);
}

/* Run `wms ARGS` with CUPS_SERVER as `cups_env` says; output into out, exit status returned. */
static int wms(const char *cups_env, char *out, size_t size, const char *args)
{
	char cmd[2000];
	size_t used = 0;
	FILE *p;
	int st;

	snprintf(cmd, sizeof cmd, "env -u WMS_DB -u WMS_NOW %s WMS_CONFIG='%s' '%s' %s 2>&1",
		 cups_env, conf, wms_bin, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	out[0] = '\0';
	while (used + 1 < size && fgets(out + used, (int)(size - used), p) != NULL)
		used += strlen(out + used);
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void expect(const char *cups_env, int code, const char *needle, const char *args)
{
	char out[8192];
	int rc = wms(cups_env, out, sizeof out, args);

	if (rc != code || strstr(out, needle) == NULL)
		fail_msg("%s wms %s: exit %d (wanted %d), output lacks \"%s\":\n%s", cups_env, args,
			 rc, code, needle, out);
}

/* wms printers and label print --wait under one CUPS_SERVER setting; serial is received first. */
static void cli_flow(const char *cups_env, const char *serial, int job)
{
	char out[8192], args[200], want[64];
	unsigned char *got = NULL;
	size_t glen = 0;
	int conns = 0;

	assert_int_equal(wms(cups_env, out, sizeof out, "printers"), 0);
	if (strstr(out, "lager") == NULL || strstr(out, fx.server) == NULL ||
	    strstr(out, "idle") == NULL || strstr(out, "no such queue") == NULL)
		fail_msg("%s wms printers:\n%s", cups_env, out);

	snprintf(args, sizeof args, "receive %s --gtin 09506000134352", serial);
	expect(cups_env, 0, "received", args);
	cupsd_fixture_sink_reset(&fx);
	snprintf(args, sizeof args, "label print device --device %s --wait", serial);
	snprintf(want, sizeof want, "print job %d: printed", job);
	expect(cups_env, 0, want, args);
	assert_int_equal(cupsd_fixture_sink_wait(&fx, 1, 10000), 0);
	cupsd_fixture_sink_take(&fx, &got, &glen, &conns);
	assert_int_equal(conns, 1);
	snprintf(want, sizeof want, "Individnr: %s", serial);
	assert_non_null(strstr((const char *)got, want));
	free(got);
	snprintf(args, sizeof args, "print-queue show %d", job);
	expect(cups_env, 0, "printed", args);
}

static void test_cli_without_cups_server(void **state)
{
	expect("-u CUPS_SERVER", 0, "added", "product add BPM --name-sv 'Digital blodtrycksmätare' "
	       "--name-en BPM --category HoS");
	expect("-u CUPS_SERVER", 0, "added", "product add-gtin BPM 09506000134352");
	cli_flow("-u CUPS_SERVER", "SN-8001", 1);
}

static void test_cli_cups_server_elsewhere(void **state)
{
	cli_flow("CUPS_SERVER=" ELSEWHERE, "SN-8002", 2);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_server_is_elsewhere),
		cmocka_unit_test(test_api_queues),
		cmocka_unit_test(test_api_submit_follow_find),
		cmocka_unit_test(test_cli_without_cups_server),
		cmocka_unit_test(test_cli_cups_server_elsewhere),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH/TO/wms\n", argv[0]);
		return 2;
	}
	wms_bin = argv[1];
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
