/*
 * printq_worker.c - the print queue worker: outbox -> render -> CUPS, with
 * job state followed and outcomes recorded (see printq_worker.h).
 */
#include "printq_worker.h"

#include "cups_submit.h"
#include "printq_payload.h"
#include "printq_render.h"
#include "wms_outbox.h"
#include "wms_time.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SERVERS 8
#define MAX_IN_FLIGHT 64

/* One pass: its connections (one per CUPS server, opened on first use). */
struct pass {
	struct wms_store *s;
	const struct printq_conf *conf;
	int timeout_ms;
	wms_time now;
	struct printq_worker_stats *stats;
	struct {                          /* the last job asked about: the rows of a batch */
		struct printq_conn *conn; /* follow one CUPS job, asked about once per pass */
		int cups_id, rc;
		struct printq_job_info info;
		struct wms_error e;
	} last;
	int n_servers;
	struct {
		char server[128];
		struct printq_conn *conn;     /* NULL if connecting failed */
		struct wms_error why;
	} servers[MAX_SERVERS];
};

/* The connection to server ("" = CUPS's default); NULL with *why set if unreachable. */
static struct printq_conn *conn_for(struct pass *p, const char *server, struct wms_error *why)
{
	int i;

	for (i = 0; i < p->n_servers; i++)
		if (strcmp(p->servers[i].server, server) == 0)
			break;
	if (i == p->n_servers) {
		if (i == MAX_SERVERS) {
			wms_error_set(why, WMS_EIO, "too many CUPS servers (at most %d)", MAX_SERVERS);
			return NULL;
		}
		snprintf(p->servers[i].server, sizeof p->servers[i].server, "%s", server);
		wms_error_clear(&p->servers[i].why);
		printq_connect(server[0] ? server : NULL, p->timeout_ms, &p->servers[i].conn,
			       &p->servers[i].why);
		p->n_servers++;
	}
	if (p->servers[i].conn == NULL)
		*why = p->servers[i].why;
	return p->servers[i].conn;
}

static void pass_close(struct pass *p)
{
	for (int i = 0; i < p->n_servers; i++)
		printq_close(p->servers[i].conn);
	p->n_servers = 0;
}

/*
 * Outcome updates.  A job that is no longer open (the operator cancelled it
 * meanwhile) is not an error of the pass; only store failures are.
 */
static int ok_unless_db(int rc)
{
	return rc == WMS_ESTATE ? 0 : rc;
}

static int retry(struct pass *p, long long id, const char *why, int forget, struct wms_error *err)
{
	p->stats->retried++;
	return ok_unless_db(wms_outbox_retry_later(p->s, id, p->now, why, forget, err));
}

static int give_up(struct pass *p, long long id, const char *why, struct wms_error *err)
{
	p->stats->failed++;
	return ok_unless_db(wms_outbox_fail(p->s, id, p->now, why, err));
}

/*
 * CUPS does not know job cups_id of outbox job id, or has given its number
 * to another job (renumbered).  Either CUPS lost it: cupsd was killed before
 * it saved the job (it saves every 30 s by default) and numbers jobs again
 * from its saved state, so it has older jobs but none as new as ours, or
 * ours is another job now; the job is submitted again (forgetting the CUPS
 * id; prepare() looks for the title first).  Or CUPS forgot it: finished and
 * purged from its history, oldest first, so newer jobs remain, or none at
 * all; it may have printed, so it fails with the reason, for the operator,
 * rather than print twice.  (A label CUPS printed and then lost, unsaved,
 * is printed again: nothing tells it from one that never printed.)
 */
static int lost(struct pass *p, long long id, int cups_id, bool renumbered,
		const struct printq_printer_conf *pr, struct printq_conn *c, struct wms_error *err)
{
	struct wms_error e = { 0 };
	char why[WMS_ERROR_MSG_MAX + 64];
	int newest = 0;

	if (!renumbered && printq_newest_job(c, &newest, &e) < 0) {
		p->stats->waiting++;
		return ok_unless_db(wms_outbox_note(p->s, id, e.msg, err));
	}
	if (renumbered || (newest > 0 && newest < cups_id)) {
		snprintf(why, sizeof why, "CUPS server %s lost job %d (restarted without its saved "
			 "jobs); submitting it again", printq_server(c), cups_id);
		return retry(p, id, why, 1, err);
	}
	snprintf(why, sizeof why, "CUPS server %s no longer knows job %d; check printer %s "
		 "and reprint if the label did not come out", printq_server(c), cups_id, pr->name);
	return give_up(p, id, why, err);
}

/* printq_job_query(), answered from the pass's cache for the rows of one batch. */
static int job_query(struct pass *p, struct printq_conn *c, int cups_id,
		     struct printq_job_info *info, struct wms_error *e)
{
	if (p->last.conn != c || p->last.cups_id != cups_id) {
		wms_error_clear(&p->last.e);
		p->last.rc = printq_job_query(c, cups_id, &p->last.info, &p->last.e);
		p->last.conn = c;
		p->last.cups_id = cups_id;
	}
	*info = p->last.info;
	*e = p->last.e;
	return p->last.rc;
}

/*
 * Record what CUPS says about job cups_id of outbox job id on printer pr.
 * The job is titled title or, when the label went in a batch, batch (may be
 * NULL); each row of a batch follows the batch's job and records its own
 * outcome, so an aborted or lost batch puts each label back once.
 */
static int follow(struct pass *p, long long id, int cups_id, const char *title,
		  const char *batch, const struct printq_printer_conf *pr, struct printq_conn *c,
		  struct wms_error *err)
{
	struct printq_job_info info;
	struct printq_printer q;
	struct wms_error e = { 0 };
	char why[WMS_ERROR_MSG_MAX + 64];
	int rc = job_query(p, c, cups_id, &info, &e);

	if (rc == WMS_ENOTFOUND)
		return lost(p, id, cups_id, false, pr, c, err);
	/* a title CUPS hides (a job of another user) proves nothing */
	if (rc == 0 && info.title[0] != '\0' && strcmp(info.title, title) != 0 &&
	    (batch == NULL || batch[0] == '\0' || strcmp(info.title, batch) != 0))
		return lost(p, id, cups_id, true, pr, c, err);
	if (rc < 0) {
		p->stats->waiting++;
		return ok_unless_db(wms_outbox_note(p->s, id, e.msg, err));
	}
	switch (info.state) {
	case PRINTQ_JOB_COMPLETED:
		p->stats->printed++;
		return ok_unless_db(wms_outbox_printed(p->s, id, p->now, err));
	case PRINTQ_JOB_ABORTED:
		snprintf(why, sizeof why, "CUPS aborted job %d on queue '%s' (%s)", cups_id,
			 pr->queue, info.reasons);
		return retry(p, id, why, 1, err);
	case PRINTQ_JOB_CANCELED:
		snprintf(why, sizeof why, "job %d was cancelled in CUPS (%s)", cups_id, info.reasons);
		return give_up(p, id, why, err);
	default:
		p->stats->waiting++;
		if (printq_printer_query(c, pr->queue, &q, &e) < 0)
			return ok_unless_db(wms_outbox_note(p->s, id, e.msg, err));
		/* What the operator needs to see: why it has not printed yet. */
		if (q.state == PRINTQ_PRINTER_STOPPED || q.message[0] != '\0') {
			snprintf(why, sizeof why, "CUPS job %d %s: queue '%s' is %s%s%s", cups_id,
				 printq_job_state_name(info.state), pr->queue,
				 printq_printer_state_name(q.state), q.message[0] ? ": " : "",
				 q.message);
			return ok_unless_db(wms_outbox_note(p->s, id, why, err));
		}
		return ok_unless_db(wms_outbox_note(p->s, id, NULL, err));
	}
}

static int follow_submitted(struct pass *p, struct wms_error *err)
{
	struct wms_outbox_job jobs[MAX_IN_FLIGHT];
	int n = 0, rc;

	if ((rc = wms_outbox_in_flight(p->s, "label", jobs, MAX_IN_FLIGHT, &n, err)) < 0)
		return rc;
	for (int i = 0; i < n && rc == 0; i++) {
		const struct printq_printer_conf *pr = printq_conf_find(p->conf, jobs[i].target);
		struct printq_conn *c;
		struct wms_error why = { 0 };
		char note[WMS_ERROR_MSG_MAX + 64];

		if (pr == NULL) {
			snprintf(note, sizeof note, "printer '%s' is no longer configured; CUPS job "
				 "%lld cannot be followed", jobs[i].target, jobs[i].cups_job_id);
			p->stats->waiting++;
			rc = ok_unless_db(wms_outbox_note(p->s, jobs[i].id, note, err));
		} else if ((c = conn_for(p, pr->server, &why)) == NULL) {
			p->stats->waiting++;
			rc = ok_unless_db(wms_outbox_note(p->s, jobs[i].id, why.msg, err));
		} else {
			char title[48];

			snprintf(title, sizeof title, "wms-outbox-%lld-%s", jobs[i].id, jobs[i].nonce);
			rc = follow(p, jobs[i].id, (int)jobs[i].cups_job_id, title, jobs[i].batch,
				    pr, c, err);
		}
	}
	for (int i = 0; i < n; i++)
		wms_outbox_job_clear(&jobs[i]);
	return rc;
}

/*
 * A live CUPS job titled title on pr's queue (*cups_id > 0 then), or none
 * (*cups_id = 0): what an earlier attempt that crashed may have left.
 */
static int find_live(struct printq_conn *c, const struct printq_printer_conf *pr,
		     const char *title, int *cups_id, struct wms_error *e)
{
	struct printq_job_info info;
	int rc = printq_job_find(c, pr->queue, title, cups_id, &info, e);

	if (rc == 0 && *cups_id > 0 &&
	    (info.state == PRINTQ_JOB_ABORTED || info.state == PRINTQ_JOB_CANCELED))
		*cups_id = 0;
	return rc;
}

/* One claimed job, rendered, waiting to be submitted alone or in a batch. */
struct ready {
	const struct wms_outbox_job *job;
	const struct printq_printer_conf *pr;
	struct printq_conn *c;
	enum printq_format fmt;
	unsigned char *doc;
	size_t len;
};

/*
 * Render a claimed job and look for an earlier submission of it (its own
 * title, or the batch it was recorded in before a crash): adopted if live.
 * Returns 1 when r (OUT) is ready to submit, 0 when the job was dealt with
 * (adopted, failed, put back), or a negative store status.
 */
static int prepare(struct pass *p, const struct wms_outbox_job *job, struct ready *r,
		   struct wms_error *err)
{
	struct label_fields *f = NULL;
	struct wms_error e = { 0 };
	char title[48], why[WMS_ERROR_MSG_MAX + 64];
	int rc, cups_id = 0;

	memset(r, 0, sizeof *r);
	r->job = job;
	r->fmt = PRINTQ_RAW;
	if ((r->pr = printq_conf_find(p->conf, job->target)) == NULL) {
		snprintf(why, sizeof why, "printer '%s' is not configured ([printer %s] in the "
			 "configuration file)", job->target, job->target);
		return give_up(p, job->id, why, err);
	}
	if (printq_payload_fields(job->payload, &f, &e) < 0 ||
	    printq_render(printq_conf_templates(p->conf), f, r->pr->language, r->pr->dpi,
			  r->pr->media, &r->doc, &r->len, &r->fmt, &e) < 0) {
		label_fields_free(f);
		snprintf(why, sizeof why, "cannot render: %s", e.msg);
		return give_up(p, job->id, why, err);
	}
	label_fields_free(f);
	if ((r->c = conn_for(p, r->pr->server, &e)) == NULL)
		return retry(p, job->id, e.msg, 0, err);
	snprintf(title, sizeof title, "wms-outbox-%lld-%s", job->id, job->nonce);
	if (job->attempts > 1) {
		/* An earlier attempt may have reached CUPS: adopt a live job. */
		rc = job->batch[0] ? find_live(r->c, r->pr, job->batch, &cups_id, &e) : 0;
		if (rc == 0 && cups_id == 0)
			rc = find_live(r->c, r->pr, title, &cups_id, &e);
		if (rc < 0)
			return retry(p, job->id, e.msg, 0, err);
		if (cups_id > 0) {
			p->stats->adopted++;
			if ((rc = ok_unless_db(wms_outbox_submitted(p->s, job->id, cups_id, err))) == 0)
				rc = follow(p, job->id, cups_id, title, job->batch, r->pr, r->c, err);
			return rc < 0 ? rc : 0;
		}
	}
	return 1;
}

/* Submit the n ready jobs r[] (same printer and format) as one CUPS job titled title. */
static int submit(struct pass *p, struct ready *r, int n, const char *title, struct wms_error *err)
{
	struct wms_error e = { 0 };
	unsigned char *doc = r[0].doc, *joined = NULL;
	size_t len = r[0].len;
	int rc = 0, r2, cups_id = 0;

	if (n > 1) {
		len = 0;
		for (int i = 0; i < n; i++)
			len += r[i].len;
		if ((joined = malloc(len)) == NULL) {
			wms_error_set(&e, WMS_ENOMEM, "out of memory joining %d labels", n);
			rc = WMS_ENOMEM;
		}
		for (size_t i = 0, at = 0; joined && i < (size_t)n; at += r[i].len, i++)
			memcpy(joined + at, r[i].doc, r[i].len);
		doc = joined;
	}
	if (rc == 0)
		rc = printq_submit(r[0].c, r[0].pr->queue, r[0].fmt, doc, len, title,
				   PRINTQ_FAIL_IF_STOPPED, &cups_id, &e);
	free(joined);
	if (rc == 0)
		p->stats->documents++;
	/* every row's outcome in one commit (no CUPS call inside: the write
	 * lock is not held over the network); a crash before it leaves the rows
	 * claimed, and the next claim adopts the batch by its title */
	if ((r2 = wms_store_begin(p->s, err)) < 0)
		return r2;
	for (int i = 0; i < n && r2 >= 0; i++) {
		if (rc == WMS_EINVAL) {
			r2 = give_up(p, r[i].job->id, e.msg, err);
		} else if (rc < 0) {
			r2 = retry(p, r[i].job->id, e.msg, 0, err);
		} else {
			p->stats->submitted++;
			r2 = ok_unless_db(wms_outbox_submitted(p->s, r[i].job->id, cups_id, err));
		}
	}
	if (r2 < 0) {
		wms_store_rollback(p->s);
		return r2;
	}
	return wms_store_commit(p->s, err);
}

/*
 * Submit the ready jobs: raw (ZPL) labels of one printer go together as one
 * CUPS document (cupsd pays per document: spool file, backend run), titled
 * wms-batch-<first id>-<nonce>-<attempt> and recorded on every row first;
 * PDF/PNG labels go one job each (one document per file format: joining
 * them would need the renderer to emit pages of one surface).
 */
static int submit_ready(struct pass *p, struct ready *r, int n, struct wms_error *err)
{
	long long *ids = malloc(sizeof *ids * (size_t)(n > 0 ? n : 1));
	int rc = 0;

	if (ids == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory batching labels");
	/* r[0..i) are submitted; r[i] starts the next document */
	for (int i = 0, k; i < n && rc == 0; i += k) {
		const struct printq_printer_conf *pr = r[i].pr;
		char title[WMS_OUTBOX_BATCH_MAX + 1];

		k = 1;
		if (r[i].fmt == PRINTQ_RAW) {
			/* move the printer's other raw labels up behind r[i] */
			for (int j = i + 1; j < n; j++) {
				if (r[j].fmt == PRINTQ_RAW && r[j].pr == pr) {
					struct ready t = r[i + k];

					r[i + k++] = r[j];
					r[j] = t;
				}
			}
		}
		for (int j = 0; j < k; j++)
			ids[j] = r[i + j].job->id;
		if (k == 1) {
			snprintf(title, sizeof title, "wms-outbox-%lld-%s", r[i].job->id,
				 r[i].job->nonce);
		} else {
			snprintf(title, sizeof title, "wms-batch-%lld-%s-%d", r[i].job->id,
				 r[i].job->nonce, r[i].job->attempts);
			if ((rc = wms_outbox_set_batch(p->s, ids, k, title, err)) < 0)
				break;
		}
		rc = submit(p, &r[i], k, title, err);
	}
	free(ids);
	return rc;
}

int printq_worker_run_once(struct wms_store *s, const struct printq_conf *conf,
			   const struct printq_worker_opts *opts,
			   struct printq_worker_stats *stats, struct wms_error *err)
{
	struct pass p = { .s = s, .conf = conf, .stats = stats, .now = wms_now() };
	int max = opts && opts->max_jobs > 0 ? opts->max_jobs : 100, rc, n = 0, nready = 0;
	struct wms_outbox_job *jobs;
	struct ready *ready;

	memset(stats, 0, sizeof *stats);
	p.timeout_ms = opts && opts->timeout_ms > 0 ? opts->timeout_ms : PRINTQ_DEFAULT_TIMEOUT_MS;
	jobs = calloc((size_t)max, sizeof *jobs);
	ready = calloc((size_t)max, sizeof *ready);
	if (jobs == NULL || ready == NULL) {
		free(jobs);
		free(ready);
		return wms_error_set(err, WMS_ENOMEM, "out of memory for %d print jobs", max);
	}
	rc = follow_submitted(&p, err);
	/* Every due job is claimed (leased) first, in one commit, then printed. */
	if (rc == 0)
		rc = wms_store_begin(s, err);
	while (rc == 0 && n < max) {
		if ((rc = wms_outbox_claim(s, "label", p.now, &jobs[n], err)) <= 0)
			break;
		n++;
		rc = 0;
	}
	if (rc == 0)
		rc = wms_store_commit(s, err);
	if (rc < 0) {
		wms_store_rollback(s);   /* nothing claimed after all (no-op without a batch) */
		for (int i = 0; i < n; i++)
			wms_outbox_job_clear(&jobs[i]);
		n = 0;
	}
	for (int i = 0; rc >= 0 && i < n; i++) {
		rc = prepare(&p, &jobs[i], &ready[nready], err);
		if (rc > 0)
			nready++;
		else
			free(ready[nready].doc);
	}
	if (rc >= 0)
		rc = submit_ready(&p, ready, nready, err);
	for (int i = 0; i < nready; i++)
		free(ready[i].doc);
	for (int i = 0; i < n; i++)
		wms_outbox_job_clear(&jobs[i]);
	free(jobs);
	free(ready);
	pass_close(&p);
	return rc < 0 ? rc : 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int printq_worker_drain(struct wms_store *s, const struct printq_conf *conf,
			const struct printq_worker_opts *opts, int wait_ms,
			struct printq_worker_stats *stats, int *open, struct wms_error *err)
{
	long long deadline = mono_ms() + (wait_ms > 0 ? wait_ms : 0);
	struct printq_worker_stats one;
	int rc;

	memset(stats, 0, sizeof *stats);
	if (open)
		*open = 0;
	for (;;) {
		if ((rc = printq_worker_run_once(s, conf, opts, &one, err)) < 0)
			return rc;
		stats->submitted += one.submitted;
		stats->documents += one.documents;
		stats->adopted += one.adopted;
		stats->printed += one.printed;
		stats->retried += one.retried;
		stats->failed += one.failed;
		stats->waiting = one.waiting;
		/* a pass follows at most MAX_IN_FLIGHT jobs: one that settled some
		 * may have left others unasked, so only a pass that did nothing ends */
		if ((one.submitted == 0 && one.adopted == 0 && one.waiting == 0 && one.printed == 0 &&
		     one.retried == 0 && one.failed == 0) ||
		    mono_ms() >= deadline)
			break;
		sleep_ms(100);
	}
	if (open) {
		json_t *rows = wms_outbox_list(s, "open", 100000, err);

		if (rows == NULL)
			return err && err->code ? err->code : WMS_EDB;
		*open = (int)json_array_size(rows);
		json_decref(rows);
	}
	return 0;
}

int printq_worker_loop(const char *db_path, const struct printq_conf *conf,
		       const struct printq_worker_opts *opts, int interval_ms,
		       const atomic_int *stop, printq_worker_report_fn report, void *ctx,
		       struct wms_error *err)
{
	struct wms_store *s = NULL;
	int rc;

	if (interval_ms <= 0)
		interval_ms = 1000;
	if ((rc = wms_store_open(db_path, NULL, &s, err)) < 0)
		return rc;
	while (!atomic_load(stop)) {
		struct printq_worker_stats st;
		struct wms_error e = { 0 };

		rc = printq_worker_run_once(s, conf, opts, &st, &e);
		if (report && (rc < 0 || st.submitted || st.adopted || st.printed || st.retried ||
			       st.failed))
			report(ctx, &st, rc < 0 ? &e : NULL);
		for (int waited = 0; waited < interval_ms && !atomic_load(stop); waited += 100)
			sleep_ms(interval_ms - waited < 100 ? interval_ms - waited : 100);
	}
	wms_store_close(s);
	return 0;
}
