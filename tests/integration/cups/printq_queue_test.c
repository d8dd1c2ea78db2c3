/*
 * printq_queue_test.c - the print queue end to end: outbox rows in a real
 * SQLite store drained by the worker to a private cupsd (cupsd_fixture.c)
 * with a raw socket:// queue served by the test's TCP sink and a Zebra
 * driver queue writing to a file.
 *
 * What must hold: every label arrives exactly once; a stopped queue or an
 * unreachable CUPS server keeps the jobs queued with their reason and a
 * backoff, and after recovery exactly N labels arrive for N jobs; a printer
 * that CUPS cannot reach shows CUPS's reason on the submitted job; a job whose
 * submission outcome was lost (crash after CUPS took it) is adopted by its
 * title, not printed twice; jobs that can never print fail with a reason.
 * The clock is moved with WMS_NOW (wms_now) instead of sleeping through
 * backoffs and leases.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "cups_submit.h"
#include "cupsd_fixture.h"
#include "label_render.h"
#include "printq_conf.h"
#include "printq_payload.h"
#include "printq_render.h"
#include "printq_worker.h"
#include "wms_outbox.h"
#include "wms_store.h"
#include "wms_time.h"

static struct cupsd_fixture fx;
static char zebra_out[600];
static char db_path[300];
static struct printq_conf conf;
static wms_time clock_shift;   /* seconds added to the real clock through WMS_NOW */

static int run(const char *a0, const char *a1, const char *a2, const char *a3)
{
	const char *const argv[] = { a0, a1, a2, a3, NULL };

	return cupsd_fixture_run(&fx, argv);
}

/* Move wms_now() forward by seconds (cumulative). */
static void advance(int seconds)
{
	char buf[40];
	time_t t;

	clock_shift += seconds;
	t = time(NULL) + (time_t)clock_shift;
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	setenv("WMS_NOW", buf, 1);
}

static void conf_set(const char *section, const char *key, const char *value)
{
	struct wms_error err;

	if (printq_conf_section(&conf, section, key, value, &err) < 0)
		fail_msg("[%s] %s = %s: %s", section, key, value, err.msg);
}

static int group_setup(void **state)
{
	char uri[700], sink[128];

	if (cupsd_fixture_start(&fx) < 0)
		return -1;
	snprintf(zebra_out, sizeof zebra_out, "%s/zebra.zpl", fx.dir);
	snprintf(uri, sizeof uri, "file://%s", zebra_out);
	snprintf(sink, sizeof sink, "socket://127.0.0.1:%d", fx.sink_port);
	{
		const char *const zebra[] = { "lpadmin", "-h", fx.server, "-p", "zebra", "-E", "-v", uri,
					      "-mdrv:///sample.drv/zebra.ppd", NULL };
		const char *const raw[] = { "lpadmin", "-h", fx.server, "-p", "raw", "-E", "-v", sink,
					    NULL };
		if (cupsd_fixture_run(&fx, zebra) != 0 || cupsd_fixture_run(&fx, raw) != 0) {
			fprintf(stderr, "lpadmin failed, see %s/log\n", fx.dir);
			return -1;
		}
	}
	snprintf(db_path, sizeof db_path, "%s/wms.db", fx.dir);
	printq_conf_init(&conf);
	conf_set("printer lager", "queue", "raw");
	conf_set("printer lager", "server", fx.server);
	conf_set("printer lager", "language", "zpl");
	conf_set("printer lager", "purposes", "device location");
	conf_set("printer kontor", "queue", "zebra");
	conf_set("printer kontor", "server", fx.server);
	conf_set("printer kontor", "language", "png");
	conf_set("printer kontor", "dpi", "203");
	conf_set("printer saknas", "queue", "nosuchq");
	conf_set("printer saknas", "server", fx.server);
	return 0;
}

static int group_teardown(void **state)
{
	cupsd_fixture_stop(&fx);
	label_render_finalise();
	unsetenv("WMS_NOW");
	return 0;
}

static int test_setup(void **state)
{
	struct wms_store *s = NULL;
	struct wms_error err;
	char side[320];

	unlink(db_path);
	snprintf(side, sizeof side, "%s-wal", db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db_path);
	unlink(side);
	if (wms_store_open(db_path, NULL, &s, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	cupsd_fixture_sink_reset(&fx);
	*state = s;
	return 0;
}

static int test_teardown(void **state)
{
	wms_store_close(*state);
	return 0;
}

/* Queue a device label for serial on printer; returns the job id. */
static long long enqueue(struct wms_store *s, const char *printer, const char *serial)
{
	const char *names[] = { "serial", "gtin", "product", "article" };
	const char *values[] = { serial, "07350012345679", "Duschstol Åsa", "123456" };
	struct wms_error err;
	char *payload = NULL;
	long long id = 0;

	if (printq_payload_text(LABEL_DEVICE, names, values, 4, &payload, &err) < 0 ||
	    wms_outbox_enqueue(s, &(struct wms_outbox_new){ .kind = "label", .target = printer,
			       .payload = payload }, wms_now(), &id, &err) < 0)
		fail_msg("enqueue: %s", err.msg);
	free(payload);
	return id;
}

static json_t *job(struct wms_store *s, long long id)
{
	struct wms_error err;
	json_t *j = wms_outbox_show(s, id, &err);

	if (j == NULL)
		fail_msg("show %lld: %s", id, err.msg);
	return j;
}

static void expect_state(struct wms_store *s, long long id, const char *state, const char *why)
{
	json_t *j = job(s, id);
	const char *st = json_string_value(json_object_get(j, "state"));
	const char *le = json_string_value(json_object_get(j, "last_error"));

	if (strcmp(st, state) != 0 || (why != NULL && (le == NULL || strstr(le, why) == NULL)))
		fail_msg("job %lld: %s (%s), wanted %s (%s)", id, st, le ? le : "-", state,
			 why ? why : "-");
	json_decref(j);
}

static void drain(struct wms_store *s, struct printq_worker_stats *st)
{
	struct wms_error err;
	int open = -1;

	if (printq_worker_drain(s, &conf, NULL, 20000, st, &open, &err) < 0)
		fail_msg("drain: %s", err.msg);
}

static size_t count(const unsigned char *hay, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	for (size_t i = 0; i + k <= len; i++)
		if (memcmp(hay + i, needle, k) == 0)
			n++;
	return n;
}

/*
 * The sink holds exactly one label per serial in serials (n of them), come
 * in docs connections (one per CUPS job: a batch of labels is one), or in
 * any number of them when docs is 0 (a worker thread batches what it found).
 */
static void expect_sink_labels(const char *const *serials, int n, int docs)
{
	unsigned char *got = NULL;
	size_t len = 0;
	int conns = 0;

	if (docs > 0) {
		assert_int_equal(cupsd_fixture_sink_wait(&fx, docs, 15000), 0);
		usleep(300 * 1000);   /* anything more would be a duplicate: give it time to come */
		cupsd_fixture_sink_take(&fx, &got, &len, &conns);
		assert_int_equal(conns, docs);
	} else {
		/* the sink's contents so far (a snapshot), until n labels came */
		for (int i = 0; i < 150; i++) {
			free(got);
			cupsd_fixture_sink_take(&fx, &got, &len, &conns);
			if (count(got, len, "^XZ") >= (size_t)n)
				break;
			usleep(100 * 1000);
		}
		usleep(300 * 1000);
		free(got);
		cupsd_fixture_sink_take(&fx, &got, &len, &conns);
		assert_true(conns >= 1 && conns <= n);
	}
	assert_int_equal(count(got, len, "^XA"), (size_t)n);
	for (int i = 0; i < n; i++) {
		char field[64];
		snprintf(field, sizeof field, "^FDIndividnr: %s^FS", serials[i]);
		assert_int_equal(count(got, len, field), 1);
	}
	free(got);
}

static void test_drain_raw_and_driver(void **state)
{
	struct wms_store *s = *state;
	struct printq_worker_stats st;
	static const char *const serials[] = { "HMC-1001", "HMC-1002", "HMC-1003" };
	long long ids[3], z;
	FILE *f;

	for (int i = 0; i < 3; i++)
		ids[i] = enqueue(s, "lager", serials[i]);
	z = enqueue(s, "kontor", "HMC-2001");
	drain(s, &st);
	assert_int_equal(st.submitted, 4);
	assert_int_equal(st.documents, 2);   /* the three ZPL labels went as one CUPS job */
	assert_int_equal(st.printed, 4);
	assert_int_equal(st.adopted + st.retried + st.failed, 0);
	for (int i = 0; i < 3; i++)
		expect_state(s, ids[i], "printed", NULL);
	expect_state(s, z, "printed", NULL);
	expect_sink_labels(serials, 3, 1);   /* one batch */
	/* The Zebra driver turned the PNG into a ZPL graphic in its file. */
	f = fopen(zebra_out, "rb");
	assert_non_null(f);
	{
		static char buf[1 << 20];
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		assert_true(n > 100);
		buf[n] = '\0';
		assert_true(count((unsigned char *)buf, n, "^XA") >= 1);
		assert_int_equal(count((unsigned char *)buf, n, "^XA"),
				 count((unsigned char *)buf, n, "^XZ"));
	}
	fclose(f);
	remove(zebra_out);
}

/*
 * More labels in flight than a pass follows (64): the drain goes on until
 * every one is printed, not until the first pass that settled some; the 70
 * labels are one batch of one claim commit.
 */
static void test_drain_many_in_flight(void **state)
{
	struct wms_store *s = *state;
	struct printq_worker_stats st;
	enum { N = 70 };
	static char names[N][16];
	const char *serials[N];
	long long ids[N];
	int open = -1;
	struct wms_error err;

	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "HMC-%d", 3000 + i);
		serials[i] = names[i];
		ids[i] = enqueue(s, "lager", serials[i]);
	}
	if (printq_worker_drain(s, &conf, NULL, 60000, &st, &open, &err) < 0)
		fail_msg("drain: %s", err.msg);
	assert_int_equal(open, 0);
	assert_int_equal(st.submitted, N);
	assert_int_equal(st.documents, 1);
	assert_int_equal(st.printed, N);
	for (int i = 0; i < N; i++)
		expect_state(s, ids[i], "printed", NULL);
	expect_sink_labels(serials, N, 1);
}

/* The queue is stopped: nothing is handed to CUPS, the jobs wait visibly. */
static void test_outage_stopped_queue(void **state)
{
	struct wms_store *s = *state;
	struct printq_worker_stats st;
	struct wms_error err;
	static const char *const serials[] = { "HMC-3001", "HMC-3002", "HMC-3003", "HMC-3004",
						"HMC-3005" };
	long long ids[5];

	assert_int_equal(run("cupsdisable", "-h", fx.server, "raw"), 0);
	for (int i = 0; i < 5; i++)
		ids[i] = enqueue(s, "lager", serials[i]);
	assert_int_equal(printq_worker_run_once(s, &conf, NULL, &st, &err), 0);
	assert_int_equal(st.submitted, 0);
	assert_int_equal(st.retried, 5);
	for (int i = 0; i < 5; i++)
		expect_state(s, ids[i], "queued", "queue 'raw' on CUPS server");
	expect_state(s, ids[0], "queued", "is stopped");
	/* Not due again before the backoff. */
	assert_int_equal(printq_worker_run_once(s, &conf, NULL, &st, &err), 0);
	assert_int_equal(st.retried, 0);
	advance(10);
	assert_int_equal(printq_worker_run_once(s, &conf, NULL, &st, &err), 0);
	assert_int_equal(st.retried, 5);
	assert_int_equal(cupsd_fixture_sink_wait(&fx, 1, 0), -1);

	assert_int_equal(run("cupsenable", "-h", fx.server, "raw"), 0);
	advance(30);
	drain(s, &st);
	assert_int_equal(st.submitted, 5);
	assert_int_equal(st.printed, 5);
	for (int i = 0; i < 5; i++)
		expect_state(s, ids[i], "printed", NULL);
	expect_sink_labels(serials, 5, 1);
}

/* The CUPS server cannot be reached: queued with the reason; then it comes back. */
static void test_outage_server_unreachable(void **state)
{
	struct wms_store *s = *state;
	struct printq_worker_stats st;
	struct wms_error err;
	static const char *const serials[] = { "HMC-4001", "HMC-4002", "HMC-4003" };
	long long ids[3];

	conf_set("printer lager", "server", "127.0.0.1:9");   /* discard port: nothing listens */
	for (int i = 0; i < 3; i++)
		ids[i] = enqueue(s, "lager", serials[i]);
	assert_int_equal(printq_worker_run_once(s, &conf, NULL, &st, &err), 0);
	assert_int_equal(st.retried, 3);
	for (int i = 0; i < 3; i++)
		expect_state(s, ids[i], "queued", "cannot reach CUPS server 127.0.0.1:9");
	conf_set("printer lager", "server", fx.server);
	advance(10);
	drain(s, &st);
	assert_int_equal(st.submitted, 3);
	assert_int_equal(st.adopted, 0);   /* looked for earlier jobs, found none */
	for (int i = 0; i < 3; i++)
		expect_state(s, ids[i], "printed", NULL);
	expect_sink_labels(serials, 3, 1);
}

/* Crash after CUPS took the job, before the outbox knew: adopted, printed once. */
static void test_crash_after_submit_adopts(void **state)
{
	struct wms_store *s = *state;
	struct printq_worker_stats st;
	struct wms_outbox_job j;
	struct label_fields *f = NULL;
	struct printq_conn *c = NULL;
	struct wms_error err;
	static const char *const serials[] = { "HMC-5001", "HMC-5002" };
	enum printq_format fmt;
	unsigned char *doc = NULL;
	size_t len = 0;
	char title[48];
	int cups_id = 0;
	long long a = enqueue(s, "lager", serials[0]), b = enqueue(s, "lager", serials[1]);
	json_t *row;

	/* What a worker does up to the crash, for job a: claim, render, submit. */
	assert_int_equal(wms_outbox_claim(s, "label", wms_now(), &j, &err), 1);
	assert_int_equal(j.id, a);
	assert_int_equal(printq_payload_fields(j.payload, &f, &err), 0);
	assert_int_equal(printq_render(printq_conf_templates(&conf), f, PRINTQ_LANG_ZPL, 203, "",
				       &doc, &len, &fmt, &err), 0);
	assert_int_equal(printq_connect(fx.server, 5000, &c, &err), 0);
	snprintf(title, sizeof title, "wms-outbox-%lld-%s", a, j.nonce);
	assert_int_equal(printq_submit(c, "raw", fmt, doc, len, title, 0, &cups_id, &err), 0);
	wms_outbox_job_clear(&j);
	/* ... and for job b a crash before submitting. */
	assert_int_equal(wms_outbox_claim(s, "label", wms_now(), &j, &err), 1);
	assert_int_equal(j.id, b);
	wms_outbox_job_clear(&j);

	/* Hidden during the lease; after it, the next worker adopts a and submits b. */
	assert_int_equal(printq_worker_run_once(s, &conf, NULL, &st, &err), 0);
	assert_int_equal(st.submitted + st.adopted, 0);
	advance(WMS_OUTBOX_LEASE + 1);
	drain(s, &st);
	assert_int_equal(st.adopted, 1);
	assert_int_equal(st.submitted, 1);
	expect_state(s, a, "printed", NULL);
	expect_state(s, b, "printed", NULL);
	row = job(s, a);
	assert_int_equal(json_integer_value(json_object_get(row, "cups_job_id")), cups_id);
	assert_int_equal(json_integer_value(json_object_get(row, "attempts")), 2);
	json_decref(row);
	expect_sink_labels(serials, 2, 2);
	free(doc);
	label_fields_free(f);
	printq_close(c);
}

/*
 * A crash between submitting a batch and recording it: the batch title was
 * recorded on every row first, so the next worker finds the batch's CUPS
 * job by that title and adopts it for every row; nothing prints twice.
 */
static void test_crash_after_batch_submit_adopts(void **state)
{
	struct wms_store *s = *state;
	struct printq_worker_stats st;
	struct wms_outbox_job j[3];
	struct printq_conn *c = NULL;
	struct wms_error err;
	static const char *const serials[] = { "HMC-5101", "HMC-5102", "HMC-5103" };
	unsigned char *doc = NULL;
	size_t len = 0;
	char title[WMS_OUTBOX_BATCH_MAX + 1];
	long long ids[3];
	int cups_id = 0;

	for (int i = 0; i < 3; i++)
		ids[i] = enqueue(s, "lager", serials[i]);
	/* What a worker does up to the crash: claim, render, record the batch, submit. */
	for (int i = 0; i < 3; i++) {
		struct label_fields *f = NULL;
		enum printq_format fmt;
		unsigned char *one = NULL;
		size_t one_len = 0;

		assert_int_equal(wms_outbox_claim(s, "label", wms_now(), &j[i], &err), 1);
		assert_int_equal(j[i].id, ids[i]);
		assert_int_equal(printq_payload_fields(j[i].payload, &f, &err), 0);
		assert_int_equal(printq_render(printq_conf_templates(&conf), f, PRINTQ_LANG_ZPL, 203,
					       "", &one, &one_len, &fmt, &err), 0);
		doc = realloc(doc, len + one_len);
		assert_non_null(doc);
		memcpy(doc + len, one, one_len);
		len += one_len;
		free(one);
		label_fields_free(f);
	}
	snprintf(title, sizeof title, "wms-batch-%lld-%s-1", ids[0], j[0].nonce);
	assert_int_equal(wms_outbox_set_batch(s, ids, 3, title, &err), 0);
	assert_int_equal(printq_connect(fx.server, 5000, &c, &err), 0);
	assert_int_equal(printq_submit(c, "raw", PRINTQ_RAW, doc, len, title, 0, &cups_id, &err), 0);
	for (int i = 0; i < 3; i++)
		wms_outbox_job_clear(&j[i]);

	advance(WMS_OUTBOX_LEASE + 1);
	drain(s, &st);
	assert_int_equal(st.adopted, 3);
	assert_int_equal(st.submitted, 0);
	assert_int_equal(st.documents, 0);
	assert_int_equal(st.printed, 3);
	for (int i = 0; i < 3; i++) {
		json_t *row = job(s, ids[i]);

		expect_state(s, ids[i], "printed", NULL);
		assert_int_equal(json_integer_value(json_object_get(row, "cups_job_id")), cups_id);
		json_decref(row);
	}
	expect_sink_labels(serials, 3, 1);
	free(doc);
	printq_close(c);
}

/*
 * CUPS aborts a batch (the queue's device fails and its error policy is
 * abort-job): each label is queued again exactly once, and after the
 * printer is back each prints exactly once.
 */
static void test_aborted_batch_requeues_each_once(void **state)
{
	struct wms_store *s = *state;
	struct printq_worker_stats st;
	struct wms_error err;
	static const char *const serials[] = { "HMC-5201", "HMC-5202", "HMC-5203", "HMC-5204" };
	char sink[64];
	long long ids[4];
	int retried = 0, queued = 0;
	/* serial:/dev/full: every write of the backend fails (ENOSPC) */
	const char *const add[] = { "lpadmin", "-h", fx.server, "-p", "abort", "-E", "-v",
				    "serial:/dev/full",
				    "-o", "printer-error-policy=abort-job", NULL };
	const char *const back[] = { "lpadmin", "-h", fx.server, "-p", "abort", "-v", sink, NULL };

	snprintf(sink, sizeof sink, "socket://127.0.0.1:%d", fx.sink_port);
	assert_int_equal(cupsd_fixture_run(&fx, add), 0);
	conf_set("printer avbryt", "queue", "abort");
	conf_set("printer avbryt", "server", fx.server);
	conf_set("printer avbryt", "language", "zpl");
	for (int i = 0; i < 4; i++)
		ids[i] = enqueue(s, "avbryt", serials[i]);
	assert_int_equal(printq_worker_run_once(s, &conf, NULL, &st, &err), 0);
	assert_int_equal(st.submitted, 4);
	assert_int_equal(st.documents, 1);
	/* Follow until CUPS gives its verdict on the batch (a generous deadline). */
	for (int i = 0; i < 300 && queued < 4; i++) {
		usleep(100 * 1000);
		assert_int_equal(printq_worker_run_once(s, &conf, NULL, &st, &err), 0);
		assert_int_equal(st.submitted + st.printed + st.failed, 0);
		retried += st.retried;
		queued = 0;
		for (int k = 0; k < 4; k++) {
			json_t *row = job(s, ids[k]);

			queued += strcmp(json_string_value(json_object_get(row, "state")),
					 "queued") == 0;
			json_decref(row);
		}
	}
	assert_int_equal(queued, 4);
	assert_int_equal(retried, 4);   /* each label put back once, not once per row */
	for (int k = 0; k < 4; k++)
		expect_state(s, ids[k], "queued", "CUPS aborted job");

	assert_int_equal(cupsd_fixture_run(&fx, back), 0);
	assert_int_equal(run("cupsenable", "-h", fx.server, "abort"), 0);
	advance(30);
	drain(s, &st);
	assert_int_equal(st.submitted, 4);
	assert_int_equal(st.documents, 1);
	assert_int_equal(st.adopted, 0);   /* the aborted job is not adopted */
	for (int k = 0; k < 4; k++)
		expect_state(s, ids[k], "printed", NULL);
	expect_sink_labels(serials, 4, 1);
}

/* Jobs that cannot print fail with the reason or wait for a queue that is missing. */
static void test_unprintable_jobs(void **state)
{
	struct wms_store *s = *state;
	struct printq_worker_stats st;
	struct wms_error err;
	long long ghost = enqueue(s, "ghost", "HMC-6001"), missing = enqueue(s, "saknas", "HMC-6002");
	long long bad = 0, again = 0;

	assert_int_equal(wms_outbox_enqueue(s, &(struct wms_outbox_new){ .kind = "label",
			 .target = "lager", .payload = "{\"label\":\"device\",\"fields\":{\"serial\":\"X\"}}" },
			 wms_now(), &bad, &err), 0);
	assert_int_equal(printq_worker_run_once(s, &conf, NULL, &st, &err), 0);
	assert_int_equal(st.failed, 2);
	assert_int_equal(st.retried, 1);
	expect_state(s, ghost, "failed", "printer 'ghost' is not configured");
	expect_state(s, bad, "failed", "cannot render");
	expect_state(s, missing, "queued", "'nosuchq' does not exist");
	assert_int_equal(cupsd_fixture_sink_wait(&fx, 1, 0), -1);

	/* The operator fixes the target by reprinting on a configured printer. */
	assert_int_equal(wms_outbox_reprint(s, ghost, "lager", wms_now(), &again, &err), 0);
	assert_int_equal(wms_outbox_cancel(s, missing, wms_now(), &err), 0);
	drain(s, &st);
	expect_state(s, again, "printed", NULL);
	{
		static const char *const serials[] = { "HMC-6001" };
		expect_sink_labels(serials, 1, 1);
	}
}

/*
 * The printer itself is unreachable (a network Zebra switched off: the raw
 * queue's socket:// device refuses): CUPS took the job and keeps retrying;
 * the outbox shows it submitted with CUPS's reason.  Cancelled in CUPS it
 * fails visibly; the operator retries once the printer is back, and it
 * prints exactly once.
 */
static void test_outage_printer_unreachable(void **state)
{
	struct wms_store *s = *state;
	struct printq_worker_stats st;
	struct wms_error err;
	char sink[64];
	const char *le = NULL;
	long long id;
	json_t *row = NULL;
	const char *const add[] = { "lpadmin", "-h", fx.server, "-p", "dead", "-E", "-v",
				    "socket://127.0.0.1:9", NULL };
	const char *const cancel[] = { "cancel", "-h", fx.server, "-a", "dead", NULL };
	const char *const back[] = { "lpadmin", "-h", fx.server, "-p", "dead", "-v", sink, NULL };

	assert_int_equal(cupsd_fixture_run(&fx, add), 0);
	conf_set("printer dod", "queue", "dead");
	conf_set("printer dod", "server", fx.server);
	id = enqueue(s, "dod", "HMC-8001");
	assert_int_equal(printq_worker_run_once(s, &conf, NULL, &st, &err), 0);
	assert_int_equal(st.submitted, 1);
	for (int i = 0; i < 100; i++) {
		usleep(100 * 1000);
		assert_int_equal(printq_worker_run_once(s, &conf, NULL, &st, &err), 0);
		json_decref(row);
		row = job(s, id);
		if ((le = json_string_value(json_object_get(row, "last_error"))) != NULL)
			break;
	}
	assert_non_null(le);
	print_message("printer unreachable: %s\n", le);
	assert_non_null(strstr(le, "queue 'dead'"));
	assert_string_equal(json_string_value(json_object_get(row, "state")), "submitted");
	json_decref(row);

	assert_int_equal(cupsd_fixture_run(&fx, cancel), 0);
	assert_int_equal(printq_worker_run_once(s, &conf, NULL, &st, &err), 0);
	assert_int_equal(st.failed, 1);
	expect_state(s, id, "failed", "was cancelled in CUPS");

	snprintf(sink, sizeof sink, "socket://127.0.0.1:%d", fx.sink_port);
	assert_int_equal(cupsd_fixture_run(&fx, back), 0);
	assert_int_equal(wms_outbox_retry(s, id, wms_now(), &err), 0);
	drain(s, &st);
	assert_int_equal(st.submitted, 1);   /* the cancelled CUPS job is not adopted */
	assert_int_equal(st.adopted, 0);
	expect_state(s, id, "printed", NULL);
	{
		static const char *const serials[] = { "HMC-8001" };
		expect_sink_labels(serials, 1, 1);
	}
}

/* The daemon's way: printq_worker_loop in its own thread with its own store. */
struct loop_arg {
	atomic_int stop;
	int rc;
	int reports;
	struct wms_error err;
};

static void on_report(void *ctx, const struct printq_worker_stats *st, const struct wms_error *e)
{
	struct loop_arg *a = ctx;

	a->reports++;
}

static void *loop_main(void *p)
{
	struct loop_arg *a = p;

	a->rc = printq_worker_loop(db_path, &conf, NULL, 200, &a->stop, on_report, a, &a->err);
	return NULL;
}

static void test_worker_thread(void **state)
{
	struct wms_store *s = *state;
	struct loop_arg a = { .rc = -99 };
	static const char *const serials[] = { "HMC-9001", "HMC-9002", "HMC-9003" };
	long long ids[3];
	pthread_t t;

	atomic_init(&a.stop, 0);
	assert_int_equal(pthread_create(&t, NULL, loop_main, &a), 0);
	for (int i = 0; i < 3; i++)
		ids[i] = enqueue(s, "lager", serials[i]);   /* committed by this thread's store */
	expect_sink_labels(serials, 3, 0);
	for (int i = 0; i < 100; i++) {
		json_t *open = wms_outbox_list(s, "open", 0, NULL);
		size_t n = json_array_size(open);

		json_decref(open);
		if (n == 0)
			break;
		usleep(100 * 1000);
	}
	atomic_store(&a.stop, 1);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(a.rc, 0);
	assert_true(a.reports >= 2);   /* submitted, then printed */
	for (int i = 0; i < 3; i++)
		expect_state(s, ids[i], "printed", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_drain_raw_and_driver, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_drain_many_in_flight, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_outage_stopped_queue, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_outage_server_unreachable, test_setup,
						test_teardown),
		cmocka_unit_test_setup_teardown(test_crash_after_batch_submit_adopts, test_setup,
						test_teardown),
		cmocka_unit_test_setup_teardown(test_aborted_batch_requeues_each_once, test_setup,
						test_teardown),
		cmocka_unit_test_setup_teardown(test_crash_after_submit_adopts, test_setup,
						test_teardown),
		cmocka_unit_test_setup_teardown(test_unprintable_jobs, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_outage_printer_unreachable, test_setup,
						test_teardown),
		cmocka_unit_test_setup_teardown(test_worker_thread, test_setup, test_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
