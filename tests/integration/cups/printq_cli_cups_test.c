/*
 * printq_cli_cups_test.c - the real `wms` binary printing through a private
 * cupsd (cupsd_fixture.c): `wms label print --wait` delivers exactly the ZPL
 * that `wms label preview --zpl` shows to the raw queue's TCP sink;
 * `wms printers` shows the queues' CUPS state; with the queue stopped the
 * jobs stay queued with the reason, and after `cupsenable` the worker
 * (`wms print-queue work --once`) prints each exactly once.
 * usage: printq_cli_cups_test PATH/TO/wms
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "cupsd_fixture.h"

static struct cupsd_fixture fx;
static const char *wms_bin;
static char env[1400];
static char now_env[96];   /* "WMS_NOW=..." or "" */

/* Run `wms ARGS` (a shell word list the test controls); output into out, exit status returned. */
static int wms(char *out, size_t size, const char *args)
{
	char cmd[2000];
	size_t used = 0;
	FILE *p;
	int st;

	snprintf(cmd, sizeof cmd, "%s %s '%s' %s 2>&1", env, now_env, wms_bin, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	out[0] = '\0';
	while (used + 1 < size && fgets(out + used, (int)(size - used), p) != NULL)
		used += strlen(out + used);
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void expect(int code, const char *needle, const char *args)
{
	char out[8192];
	int rc = wms(out, sizeof out, args);

	if (rc != code || strstr(out, needle) == NULL)
		fail_msg("wms %s: exit %d (wanted %d), output lacks \"%s\":\n%s", args, rc, code,
			 needle, out);
}

static int run(const char *a0, const char *a1)
{
	const char *const argv[] = { a0, "-h", fx.server, a1, NULL };

	return cupsd_fixture_run(&fx, argv);
}

static int group_setup(void **state)
{
	char sink[128], path[400];
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
	snprintf(path, sizeof path, "%s/wms.conf", fx.dir);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "[store]\ndatabase = %s/wms.db\n"
		   "[printer lager]\nqueue = raw\nserver = %s\nlanguage = zpl\ndpi = 203\n"
		   "purposes = device location\n", fx.dir, fx.server);
	fclose(f);
	snprintf(env, sizeof env, "env -u WMS_DB -u WMS_NOW WMS_CONFIG='%s'", path);
	return 0;
}

static int group_teardown(void **state)
{
	cupsd_fixture_stop(&fx);
	return 0;
}

static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static size_t count(const unsigned char *hay, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	for (size_t i = 0; i + k <= len; i++)
		if (memcmp(hay + i, needle, k) == 0)
			n++;
	return n;
}

static void test_print_now_delivers_the_preview(void **state)
{
	char args[600];
	unsigned char *zpl, *got = NULL;
	size_t len, glen = 0;
	int conns = 0;

	expect(0, "added", "product add BPM --name-sv 'Digital blodtrycksmätare' --name-en BPM "
	       "--category HoS");
	expect(0, "added", "product add-gtin BPM 09506000134352");
	expect(0, "received", "receive SN-7001 --gtin 09506000134352");
	expect(0, "received", "receive SN-7002 --gtin 09506000134352");
	expect(0, "received", "receive SN-7003 --gtin 09506000134352");
	expect(0, "idle", "printers");
	snprintf(args, sizeof args, "label preview device --device SN-7001 --zpl %s/p.zpl", fx.dir);
	expect(0, "written", args);
	snprintf(args, sizeof args, "%s/p.zpl", fx.dir);
	zpl = read_all(args, &len);

	cupsd_fixture_sink_reset(&fx);
	expect(0, "print job 1: printed", "label print device --device SN-7001 --wait");
	assert_int_equal(cupsd_fixture_sink_wait(&fx, 1, 10000), 0);
	cupsd_fixture_sink_take(&fx, &got, &glen, &conns);
	assert_int_equal(conns, 1);
	assert_int_equal(glen, len);
	assert_memory_equal(got, zpl, len);
	free(got);
	free(zpl);
	expect(0, "printed", "print-queue show 1");
}

static void test_stopped_queue_then_each_once(void **state)
{
	unsigned char *got = NULL;
	size_t glen = 0;
	int conns = 0;
	char out[8192], now[64], args[200];
	time_t t;

	cupsd_fixture_sink_reset(&fx);
	assert_int_equal(run("cupsdisable", "raw"), 0);
	expect(0, "stopped", "printers");
	expect(0, "stays queued", "label print device --device SN-7002 --wait");
	expect(0, "print job 3 queued", "label print device --device SN-7003");
	expect(0, "submitted 0", "print-queue work --once");
	expect(0, "is stopped", "print-queue show 2");
	expect(0, "is stopped", "print-queue show 3");
	assert_int_equal(cupsd_fixture_sink_wait(&fx, 1, 0), -1);

	assert_int_equal(run("cupsenable", "raw"), 0);
	t = time(NULL) + 600;   /* past every backoff */
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	snprintf(args, sizeof args, "print-queue work --once");
	{
		snprintf(now_env, sizeof now_env, "WMS_NOW=%s", now);
		expect(0, "submitted 2", args);
		for (int i = 0; i < 50 && wms(out, sizeof out, "print-queue --state open") == 0 &&
				strstr(out, "(none)") == NULL; i++) {
			expect(0, "adopted 0", args);
			usleep(200 * 1000);
		}
		now_env[0] = '\0';
	}
	expect(0, "(none)", "print-queue --state open");
	/* both labels, in one batch or two (whatever the passes found due) */
	for (int i = 0; i < 100; i++) {
		cupsd_fixture_sink_take(&fx, &got, &glen, &conns);
		if (count(got, glen, "^XZ") >= 2)
			break;
		free(got);
		got = NULL;
		usleep(100 * 1000);
	}
	free(got);
	usleep(300 * 1000);
	cupsd_fixture_sink_take(&fx, &got, &glen, &conns);
	assert_true(conns >= 1 && conns <= 2);
	assert_int_equal(count(got, glen, "^XA"), 2);
	assert_int_equal(count(got, glen, "Individnr: SN-7002"), 1);
	assert_int_equal(count(got, glen, "Individnr: SN-7003"), 1);
	free(got);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_print_now_delivers_the_preview),
		cmocka_unit_test(test_stopped_queue_then_each_once),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH/TO/wms\n", argv[0]);
		return 2;
	}
	wms_bin = argv[1];
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
