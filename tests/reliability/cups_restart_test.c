/*
 * cups_restart_test.c - printer faults with labels pending, through the real
 * `wms` binary (`wms label print`, `wms print-queue work --once`) and a
 * private cupsd (tests/integration/cups/cupsd_fixture.c) whose raw queue
 * prints to a TCP sink, the Zebra's port 9100:
 *
 *   printer_off   the sink stops listening while the jobs are in CUPS; when
 *                 it is back, CUPS's socket backend delivers them;
 *   kept          cupsd is killed (SIGKILL, and its backends with it, as
 *                 systemd kills the service's cgroup) with the jobs pending,
 *                 having saved them (DirtyCleanInterval 0): the restarted
 *                 cupsd has them and prints them;
 *   lost          the same with CUPS's default DirtyCleanInterval (30 s): the
 *                 restarted cupsd has lost the jobs it had not saved (it keeps
 *                 the older, saved ones), and a job of someone else takes the
 *                 number of our first one; the worker notices (the number is
 *                 unknown and above CUPS's newest, or the title is not ours)
 *                 and submits them again;
 *   forgotten     printed jobs purged from CUPS's history before the worker
 *                 saw them finish are failed with the reason, not printed again.
 *
 * The first three end with every label exactly once at the sink (its serial
 * counted in the bytes received) and every outbox row `printed`.  The
 * worker's clock is moved with WMS_NOW past its retry backoff instead of
 * sleeping.  The tests run in this order (each leaves cupsd as the next needs).
 * usage: cups_restart_test PATH/TO/wms [LABELS]
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "cupsd_fixture.h"

#define LABELS_MAX 200

static struct cupsd_fixture fx;
static const char *wms_bin;
static int n_labels = 3;
static char env[1400];
static char db[400];
static long shift;   /* seconds added to the worker's clock */

/* Run the shell command built from fmt; its output into out (may be NULL); exit status. */
static int sh(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int sh(char *out, size_t size, const char *fmt, ...)
{
	char cmd[3000], line[1024];
	size_t used = 0;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (out != NULL)
		out[0] = '\0';
	while (fgets(line, sizeof line, p) != NULL)
		if (out != NULL && used + strlen(line) < size) {
			strcpy(out + used, line);
			used += strlen(line);
		}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* `wms ARGS` with the test's configuration and clock; fails the test unless it exits 0 with needle. */
static void wms(const char *needle, const char *args)
{
	char out[8192], now[40];
	time_t t = time(NULL) + shift;
	int rc;

	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	rc = sh(out, sizeof out, "%s WMS_NOW=%s '%s' %s 2>&1", env, now, wms_bin, args);
	if (rc != 0 || strstr(out, needle) == NULL)
		fail_msg("wms %s: exit %d, output lacks \"%s\":\n%s", args, rc, needle, out);
}

static long long sql_int(const char *query)
{
	char out[256];

	assert_int_equal(sh(out, sizeof out, "sqlite3 '%s' \"%s\"", db, query), 0);
	return atoll(out);
}

/* How many jobs CUPS lists on queue raw (which: "not-completed" or "completed"). */
static int cups_jobs(const char *which)
{
	char out[16];

	sh(out, sizeof out, "lpstat -h %s -W %s -o raw 2>/dev/null | wc -l", fx.server, which);
	return atoi(out);
}

/* cupsd stopped gracefully (it saves everything) and started again. */
static void restart_cupsd(void)
{
	cupsd_fixture_kill_cupsd(&fx);
	assert_int_equal(cupsd_fixture_restart_cupsd(&fx), 0);
}

/*
 * cupsd dies as in a crash: SIGKILL to it and to the backends it started
 * (systemd kills the service's whole cgroup; an orphaned socket backend would
 * deliver its job when the printer comes back, behind the new cupsd's back).
 */
static void crash_cupsd(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	assert_non_null(d);
	kill(fx.pid, SIGSTOP);   /* it starts nothing more */
	while ((e = readdir(d)) != NULL) {
		char path[300], stat[512], *close_paren;
		FILE *f;
		int ppid = 0;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(stat, sizeof stat, f) != NULL && (close_paren = strrchr(stat, ')')) != NULL)
			sscanf(close_paren + 2, "%*c %d", &ppid);
		fclose(f);
		if (ppid == fx.pid)
			kill(atoi(e->d_name), SIGKILL);
	}
	closedir(d);
	kill(fx.pid, SIGKILL);
	waitpid(fx.pid, NULL, 0);
	fx.pid = 0;
}

/* Queue n labels with serials PREFIX-1..n and let one worker pass hand them to CUPS. */
static void queue_and_submit(const char *prefix, int n)
{
	char args[300], want[64];

	for (int i = 1; i <= n; i++) {
		snprintf(args, sizeof args, "label print device --set serial=%s-%d "
			 "--set gtin=09506000134352 --set product=Blodtrycksmätare --printer lager",
			 prefix, i);
		wms("queued for printer lager", args);
	}
	snprintf(want, sizeof want, "submitted %d,", n);
	wms(want, "print-queue work --once");
	assert_int_equal(sql_int("SELECT count(*) FROM outbox WHERE state = 'submitted'"), n);
}

/* Worker passes (the clock moved past every backoff) until no job is open, at most 60 s. */
static void work_until_done(void)
{
	for (int i = 0; i < 300; i++) {
		shift += 600;
		wms("submitted", "print-queue work --once");
		if (sql_int("SELECT count(*) FROM outbox WHERE state IN ('queued', 'submitted')") == 0)
			return;
		usleep(200 * 1000);
	}
	fail_msg("jobs still open after 60 s: %lld",
		 sql_int("SELECT count(*) FROM outbox WHERE state IN ('queued', 'submitted')"));
}

static size_t count(const unsigned char *hay, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	for (size_t i = 0; i + k <= len; i++)
		if (memcmp(hay + i, needle, k) == 0)
			n++;
	return n;
}

/* The sink got n labels PREFIX-1..n, each exactly once, and extra other documents. */
static void expect_printed_once(const char *prefix, int n, int extra)
{
	unsigned char *got = NULL;
	size_t len = 0;
	int conns = 0;

	/* labels go in batches (one CUPS job, one connection, several labels) */
	for (int i = 0; i < 300; i++) {
		cupsd_fixture_sink_take(&fx, &got, &len, &conns);
		if (count(got, len, "^XZ") >= (size_t)(n + extra))
			break;
		free(got);
		got = NULL;
		usleep(100 * 1000);
	}
	free(got);
	usleep(500 * 1000);   /* a duplicate would come now */
	cupsd_fixture_sink_take(&fx, &got, &len, &conns);
	assert_true(conns >= 1 && conns <= n + extra);
	assert_int_equal(count(got, len, "^XA"), (size_t)(n + extra));
	for (int i = 1; i <= n; i++) {
		char field[80];

		snprintf(field, sizeof field, "^FDIndividnr: %s-%d^FS", prefix, i);
		if (count(got, len, field) != 1)
			fail_msg("label %s-%d arrived %zu times", prefix, i, count(got, len, field));
	}
	free(got);
	assert_int_equal(sql_int("SELECT count(*) FROM outbox WHERE state <> 'printed'"), 0);
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
	snprintf(db, sizeof db, "%s/wms.db", fx.dir);
	snprintf(path, sizeof path, "%s/wms.conf", fx.dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "[store]\ndatabase = %s\n"
		   "[printer lager]\nqueue = raw\nserver = %s\nlanguage = zpl\ndpi = 203\n"
		   "purposes = device\n", db, fx.server);
	fclose(f);
	snprintf(env, sizeof env, "env -u WMS_DB WMS_CONFIG='%s'", path);
	return 0;
}

static int group_teardown(void **state)
{
	cupsd_fixture_stop(&fx);
	return 0;
}

static int test_setup(void **state)
{
	cupsd_fixture_sink_reset(&fx);
	return sh(NULL, 0, "rm -f '%s' '%s-wal' '%s-shm'", db, db, db);
}

/* The printer is switched off with labels in CUPS, then on again. */
static void test_printer_off(void **state)
{
	cupsd_fixture_sink_off(&fx);
	queue_and_submit("OFF", n_labels);
	sleep(2);   /* CUPS's socket backend tries and waits */
	wms("waiting", "print-queue work --once");
	assert_int_equal(cupsd_fixture_sink_wait(&fx, 1, 0), -1);
	/* the operator sees why (CUPS's printer-state-message) */
	{
		char out[600];

		assert_int_equal(sh(out, sizeof out, "sqlite3 '%s' \"SELECT last_error FROM outbox WHERE "
				    "last_error LIKE '%%queue ''raw''%%' LIMIT 1\"", db), 0);
		if (out[0] == '\0')
			fail_msg("no job shows why it waits");
		print_message("printer off: %s", out);
	}
	assert_int_equal(cupsd_fixture_sink_on(&fx), 0);
	work_until_done();
	expect_printed_once("OFF", n_labels, 0);
}

/* cupsd killed with the jobs saved: the new cupsd still has them. */
static void test_cupsd_killed_jobs_kept(void **state)
{
	char conf[400];

	snprintf(conf, sizeof conf, "%s/root/cupsd.conf", fx.dir);
	assert_int_equal(sh(NULL, 0, "echo 'DirtyCleanInterval 0' >> '%s'", conf), 0);
	restart_cupsd();
	cupsd_fixture_sink_off(&fx);
	queue_and_submit("KEPT", n_labels);
	crash_cupsd();
	assert_int_equal(cupsd_fixture_restart_cupsd(&fx), 0);
	assert_int_equal(cups_jobs("not-completed"), 1);   /* CUPS kept them (one batch) */
	assert_int_equal(cupsd_fixture_sink_on(&fx), 0);
	work_until_done();
	expect_printed_once("KEPT", n_labels, 0);
	assert_int_equal(sql_int("SELECT count(*) FROM outbox WHERE attempts <> 1"), 0);
	assert_int_equal(sh(NULL, 0, "sed -i '/^DirtyCleanInterval 0$/d' '%s'", conf), 0);
	restart_cupsd();   /* saved: the queue and the job numbers so far */
}

/* cupsd killed before it saved the jobs: the new cupsd lost them; submitted again. */
static void test_cupsd_killed_jobs_lost(void **state)
{
	char file[400], out[200];
	const char *id;

	cupsd_fixture_sink_off(&fx);
	queue_and_submit("LOST", n_labels);
	crash_cupsd();
	assert_int_equal(cupsd_fixture_restart_cupsd(&fx), 0);
	assert_int_equal(cups_jobs("not-completed"), 0);   /* CUPS lost them ... */
	assert_true(cups_jobs("completed") > 0);           /* ... not the older ones it saved */
	/* someone else prints first: that job gets the number CUPS gave our first */
	snprintf(file, sizeof file, "%s/foreign.zpl", fx.dir);
	assert_int_equal(sh(out, sizeof out, "printf '^XA^FDforeign^FS^XZ\\n' > '%s' && "
			    "lp -h %s -d raw -o raw -t foreign '%s'", file, fx.server, file), 0);
	assert_non_null(id = strstr(out, "raw-"));   /* "request id is raw-N (1 file(s))" */
	assert_int_equal(atoll(id + 4), sql_int("SELECT min(cups_job_id) FROM outbox"));
	assert_int_equal(cupsd_fixture_sink_on(&fx), 0);
	work_until_done();
	expect_printed_once("LOST", n_labels, 1);
	assert_int_equal(sql_int("SELECT count(*) FROM outbox WHERE attempts < 2"), 0);
}

/*
 * Jobs CUPS forgot (printed, then purged from its history before the worker
 * looked: here every job of the server, with `cancel -a -x`) are not lost:
 * they may have printed, so they fail with the reason for the operator
 * instead of printing a second time.
 */
static void test_jobs_forgotten_not_resubmitted(void **state)
{
	char out[600];

	queue_and_submit("GONE", 2);
	assert_int_equal(cupsd_fixture_sink_wait(&fx, 1, 30000), 0);   /* both came out: one batch */
	for (int i = 0; i < 100 && cups_jobs("not-completed") > 0; i++)
		usleep(100 * 1000);
	assert_int_equal(sh(NULL, 0, "cancel -h %s -a -x", fx.server), 0);
	assert_int_equal(cups_jobs("all"), 0);
	work_until_done();
	assert_int_equal(sh(out, sizeof out, "sqlite3 '%s' \"SELECT state || ': ' || last_error FROM "
			    "outbox LIMIT 1\"", db), 0);
	if (strstr(out, "failed: ") == NULL || strstr(out, "no longer knows job") == NULL)
		fail_msg("a forgotten job: %s", out);
	assert_int_equal(sql_int("SELECT count(*) FROM outbox WHERE state = 'failed'"), 2);
	assert_int_equal(cupsd_fixture_sink_wait(&fx, 2, 1000), -1);   /* not printed again */
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_printer_off, test_setup),
		cmocka_unit_test_setup(test_cupsd_killed_jobs_kept, test_setup),
		cmocka_unit_test_setup(test_cupsd_killed_jobs_lost, test_setup),
		cmocka_unit_test_setup(test_jobs_forgotten_not_resubmitted, test_setup),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: cups_restart_test PATH/TO/wms [LABELS]\n");
		return 2;
	}
	wms_bin = argv[1];
	if (argc > 2)
		n_labels = atoi(argv[2]);
	if (n_labels < 1 || n_labels > LABELS_MAX) {
		fprintf(stderr, "LABELS: 1 to %d\n", LABELS_MAX);
		return 2;
	}
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
