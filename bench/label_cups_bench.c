/*
 * label_cups_bench.c - shipping labels per second through CUPS: printq_submit
 * (one libcups connection, Create-Job + Send-Document per label) against the
 * baseline `lp -h server -d raw -o raw file` per label, in the same run.
 *
 * Starts a private cupsd and a TCP sink (tests/integration/cups/cupsd_fixture.c),
 * creates a raw socket:// queue, renders N shipping labels to ZPL (distinct
 * SSCC per label) and counts a batch done when the sink has received every
 * job.  Then the print queue path: the same N labels enqueued into the
 * outbox of a SQLite store (one durable transaction each) and handed to the
 * print worker, which renders each from its payload and submits the due
 * labels of the printer as one CUPS document (printq_worker.c: up to its
 * max_jobs, 100, a pass).  Timed: the passes that render and submit (ms per
 * label, against `lp -o raw` per pre-rendered label until every lp returned),
 * until the printer has every label, and until CUPS reports the jobs
 * completed (labels/s, against lp until the printer had them all).
 * Usage: label_cups_bench [N]  (default 100).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/integration/cups/cupsd_fixture.h"
#include "bench_report.h"
#include "cups_submit.h"
#include "label.h"
#include "label_template.h"
#include "label_zpl.h"
#include "printq_payload.h"
#include "printq_worker.h"
#include "wms_outbox.h"
#include "wms_time.h"

/* The label templates: WMS_LABEL_TEMPLATES, else the source tree's
 * printing/templates (CMake passes its absolute path: __FILE__ is relative
 * when ccache rewrites paths, and the bench runs from any directory). */
static void template_dir(char *out, size_t size)
{
	if (getenv("WMS_LABEL_TEMPLATES") != NULL)
		snprintf(out, size, "%s", getenv("WMS_LABEL_TEMPLATES"));
	else
		snprintf(out, size, "%s", WMS_BENCH_TEMPLATES);
}

static const char *const shipping_kv[] = {
	"sender_name", "Hjälpmedelscentralen", "sender_street", "Förrådsvägen 4",
	"sender_postcode", "721 30", "sender_city", "Västerås",
	"receiver_name", "Kommunens hemtjänst Örebro", "receiver_street", "Järnvägsgatan 12",
	"receiver_postcode", "702 10", "receiver_city", "Örebro",
	"carrier", "PostNord", "tracking", "JJD000390007758437", "weight", "12,5 kg",
	"order_ref", "ORD-2024-00042", NULL };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait until the sink holds n labels (^XZ ends each; a batch is one
 * connection with many); 0, or -1 after ms. */
static int wait_labels(struct cupsd_fixture *fx, int n, int ms)
{
	double end = now_s() + ms / 1e3;

	for (;;) {
		unsigned char *got = NULL;
		size_t len = 0, labels = 0;
		int conns = 0;
		struct timespec pause = { 0, 2 * 1000 * 1000 };

		cupsd_fixture_sink_take(fx, &got, &len, &conns);
		for (size_t i = 0; got && i + 3 <= len; i++)
			labels += memcmp(got + i, "^XZ", 3) == 0;
		free(got);
		if (labels >= (size_t)n)
			return 0;
		if (now_s() > end) {
			fprintf(stderr, "sink has %zu of %d labels\n", labels, n);
			return -1;
		}
		nanosleep(&pause, NULL);
	}
}

/* SSCC with GS1 check digit: extension 3, prefix 7350012340, serial i. */
static void make_sscc(int i, char out[19])
{
	int k, sum = 0;

	snprintf(out, 19, "37350012340%06d", i % 1000000);
	for (k = 0; k < 17; k++)
		sum += (out[k] - '0') * ((k % 2 == 0) ? 3 : 1);
	out[17] = (char)('0' + (10 - sum % 10) % 10);
	out[18] = '\0';
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100, i, rc = 1;
	struct cupsd_fixture fx;
	struct label_template *t = NULL;
	struct printq_conn *c = NULL;
	struct wms_error err = { 0 };
	char **zpl = NULL;
	size_t *len = NULL;
	char sink[64], tdir[512];
	double t0, api_s, lp_s, lp_submit_s, enq_s = 0, queue_s = 0, pass_s = 0, deliver_s = 0;
	int documents = 0;
	struct wms_store *store = NULL;

	if (n < 1 || n > 100000) {
		fprintf(stderr, "usage: label_cups_bench [N 1..100000]\n");
		return 2;
	}
	if (cupsd_fixture_start(&fx) < 0)
		return 1;
	zpl = calloc((size_t)n, sizeof *zpl);
	len = calloc((size_t)n, sizeof *len);
	if (zpl == NULL || len == NULL)
		goto out;
	snprintf(sink, sizeof sink, "socket://127.0.0.1:%d", fx.sink_port);
	{
		const char *const argv_l[] = { "lpadmin", "-h", fx.server, "-p", "raw", "-E", "-v",
					       sink, NULL };

		if (cupsd_fixture_run(&fx, argv_l) != 0) {
			fprintf(stderr, "lpadmin failed\n");
			goto out;
		}
	}
	template_dir(tdir, sizeof tdir);
	if (label_template_load(tdir, "shipping-107x190", &t, &err) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		struct label_fields *f = NULL;
		char sscc[19];
		int k;

		if (label_fields_new(LABEL_SHIPPING, &f, &err) < 0)
			goto out;
		for (k = 0; shipping_kv[k] != NULL; k += 2)
			label_fields_set(f, shipping_kv[k], shipping_kv[k + 1], &err);
		make_sscc(i, sscc);
		label_fields_set(f, "sscc", sscc, &err);
		k = label_zpl_render(t, f, 203, &zpl[i], &len[i], &err);
		label_fields_free(f);
		if (k < 0)
			goto out;
	}

	/* printq_submit over one connection. */
	if (printq_connect(fx.server, 5000, &c, &err) < 0)
		goto out;
	cupsd_fixture_sink_reset(&fx);
	t0 = now_s();
	for (i = 0; i < n; i++) {
		int id;

		if (printq_submit(c, "raw", PRINTQ_RAW, zpl[i], len[i], "bench", 0, &id, &err) < 0)
			goto out;
	}
	if (cupsd_fixture_sink_wait(&fx, n, 120000) < 0) {
		fprintf(stderr, "printq: sink saw only %d of %d jobs\n", fx.connections, n);
		goto out;
	}
	api_s = now_s() - t0;

	/* Baseline: lp per label from files. */
	for (i = 0; i < n; i++) {
		char path[600];
		FILE *f;

		snprintf(path, sizeof path, "%s/tmp/label%d.zpl", fx.dir, i);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(zpl[i], 1, len[i], f) != len[i]) {
			if (f)
				fclose(f);
			goto out;
		}
		fclose(f);
	}
	cupsd_fixture_sink_reset(&fx);
	t0 = now_s();
	for (i = 0; i < n; i++) {
		char path[600];
		const char *const argv_lp[] = { "lp", "-h", fx.server, "-d", "raw", "-o", "raw", path,
						NULL };

		snprintf(path, sizeof path, "%s/tmp/label%d.zpl", fx.dir, i);
		if (cupsd_fixture_run(&fx, argv_lp) != 0) {
			fprintf(stderr, "lp failed\n");
			goto out;
		}
	}
	lp_submit_s = now_s() - t0;
	if (cupsd_fixture_sink_wait(&fx, n, 120000) < 0) {
		fprintf(stderr, "lp: sink saw only %d of %d jobs\n", fx.connections, n);
		goto out;
	}
	lp_s = now_s() - t0;

	/* The print queue: enqueue into the outbox, then the worker drains it. */
	{
		static struct printq_conf pc;
		struct printq_worker_stats st;
		const char *names[32], *values[32];
		char db[600], sscc[19];
		int k, m = 0, open = 0;

		printq_conf_init(&pc);
		if (printq_conf_section(&pc, "printer lager", "queue", "raw", &err) < 0 ||
		    printq_conf_section(&pc, "printer lager", "server", fx.server, &err) < 0 ||
		    printq_conf_section(&pc, "printer lager", "media", "107x190", &err) < 0)
			goto out;
		snprintf(db, sizeof db, "%s/bench.db", fx.dir);
		if (wms_store_open(db, NULL, &store, &err) < 0)
			goto out;
		for (k = 0; shipping_kv[k] != NULL; k += 2, m++) {
			names[m] = shipping_kv[k];
			values[m] = shipping_kv[k + 1];
		}
		names[m] = "sscc";
		values[m++] = sscc;
		cupsd_fixture_sink_reset(&fx);
		t0 = now_s();
		for (i = 0; i < n; i++) {
			char *payload = NULL;

			make_sscc(i, sscc);
			if (printq_payload_text(LABEL_SHIPPING, names, values, m, &payload, &err) < 0)
				goto out;
			k = wms_outbox_enqueue(store, &(struct wms_outbox_new){ .kind = "label",
					       .target = "lager", .payload = payload }, wms_now(),
					       NULL, &err);
			free(payload);
			if (k < 0)
				goto out;
		}
		enq_s = now_s() - t0;
		/* render + submit: the worker's passes until every label is in CUPS
		 * (one document per pass of up to max_jobs labels) */
		t0 = now_s();
		for (int submitted = 0; submitted < n;) {
			if (printq_worker_run_once(store, &pc, NULL, &st, &err) < 0)
				goto out;
			if (st.submitted == 0) {
				fprintf(stderr, "queue: a pass submitted nothing (%d of %d so far)\n",
					submitted, n);
				goto out;
			}
			submitted += st.submitted;
			documents += st.documents;
		}
		pass_s = now_s() - t0;
		if (wait_labels(&fx, n, 120000) < 0)
			goto out;
		deliver_s = now_s() - t0;
		if (printq_worker_drain(store, &pc, NULL, 120000, &st, &open, &err) < 0)
			goto out;
		if (open != 0) {
			fprintf(stderr, "queue: %d jobs still open (last drain: printed %d, retried %d, "
				"failed %d, waiting %d)\n", open, st.printed, st.retried, st.failed,
				st.waiting);
			goto out;
		}
		queue_s = now_s() - t0;
	}

	printf("labels: %d shipping labels (ZPL, %zu bytes each), submitted until the sink had all\n",
	       n, len[0]);
	printf("printq_submit (libcups, one connection): %8.1f labels/s\n", n / api_s);
	printf("lp -o raw per label (baseline):          %8.1f labels/s\n", n / lp_s);
	printf("ratio printq/lp: %.2fx\n", lp_s / api_s);
	printf("outbox enqueue (one durable commit each):  %8.1f labels/s\n", n / enq_s);
	printf("print worker render+submit, %d document(s): %8.3f ms/label (lp -o raw: %.3f ms/label "
	       "until it returned), %.2fx\n", documents, pass_s / n * 1e3, lp_submit_s / n * 1e3,
	       lp_submit_s / pass_s);
	printf("print worker until the printer had all:    %8.1f labels/s\n", n / deliver_s);
	printf("print queue worker (render+submit+follow): %8.1f labels/s\n", n / queue_s);
	printf("ratio queue/lp: %.2fx\n", lp_s / queue_s);
	bench_figure("labels submitted to CUPS, one job each", n / api_s, n / lp_s, "labels/s",
		     "lp -o raw per label");
	bench_figure("label render + submit, batched, per label", pass_s / n * 1e3,
		     lp_submit_s / n * 1e3, "ms", "lp -o raw per rendered label");
	bench_figure("labels through the print queue until printed", n / deliver_s, n / lp_s,
		     "labels/s", "lp -o raw per label");
	bench_figure("labels through the print queue until CUPS completed them", n / queue_s,
		     n / lp_s, "labels/s", "lp -o raw per label");
	rc = 0;
out:
	if (rc != 0 && err.msg[0] != '\0')
		fprintf(stderr, "label_cups_bench: %s\n", err.msg);
	printq_close(c);
	wms_store_close(store);
	label_template_free(t);
	if (zpl != NULL)
		for (i = 0; i < n; i++)
			free(zpl[i]);
	free(zpl);
	free(len);
	cupsd_fixture_stop(&fx);
	return rc;
}
