/*
 * recon.c - the reconditioning workflow: start, step results, finish
 * (see recon.h).  Ledger events go through wms_ledger_apply(); the run and
 * its results live in the tables of the reconditioning migration and change
 * in the same transaction as the event.
 */
#include "recon.h"

#include "recon_internal.h"

#include "store_sql.h"
#include "wms_ids.h"
#include "wms_ledger.h"
#include "wms_lifecycle.h"
#include "wms_outbox.h"
#include "wms_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTE_MAX   500
#define RESULT_MAX 40

struct device {
	long long id, product_id;
	enum wms_state state;
	int cycles;
	char product[33];
	char manufactured[11];
	wms_time received;
};

struct run {
	long long id;
	wms_time started;
	struct recon_checklist cl;
};

/* The "reconditioned" tag: a 'recon' label (printing/templates/recon.label)
 * queued in the print outbox inside the approving transaction, so the tag
 * exists exactly when the approval committed.  The payload has the form
 * the print queue reads (printq_payload.h): {"label", "fields": {...}}. */
static int queue_tag(struct wms_store *s, const char *printer, const char *serial,
                     const struct device *d, const struct recon_who *who, wms_time at,
                     long long event_id, long long *job, struct wms_error *err)
{
	char date[11];
	json_t *p = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s}}", "label", "recon", "fields",
	                      "serial", serial, "product", d->product,
	                      "date", wms_date_format(wms_local_day(at, NULL), date),
	                      "technician", who->actor, "result", "Godkänd");
	char *text = p ? json_dumps(p, JSON_COMPACT) : NULL;
	int rc;

	if (text == NULL)
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
	else
		rc = wms_outbox_enqueue(s, &(struct wms_outbox_new){ .kind = "label", .target = printer,
		                        .payload = text, .event_id = event_id }, at, job, err);
	free(text);
	json_decref(p);
	return rc;
}

static int need_actor(const struct recon_who *who, const char *what, struct wms_error *err)
{
	if (who == NULL || who->actor == NULL || *who->actor == '\0')
		return wms_error_set(err, WMS_EINVAL, "%s needs the technician (--actor ID)", what);
	if (strlen(who->actor) > 64)
		return wms_error_set(err, WMS_EINVAL, "technician id too long: at most 64 characters");
	return 0;
}

static int find_device(struct wms_store *s, const char *serial, struct device *d,
                       struct wms_error *err)
{
	static const char sql[] =
		"SELECT d.id, d.product_id, d.state, d.recon_cycles, p.code, d.manufactured, d.received_ts"
		" FROM devices d JOIN products p ON p.id = d.product_id WHERE d.serial = ?1";
	sqlite3_stmt *st;
	int rc;

	if ((rc = wms_check_serial(serial, err)) < 0)
		return rc;
	if ((rc = wms_store_row(s, sql, serial, 0, &st, "looking up the device", err)) <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND,
		                                   "unknown serial \"%s\": no such device has been received",
		                                   serial);
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(st, 0);
	d->product_id = sqlite3_column_int64(st, 1);
	d->state = (enum wms_state)wms_state_from_name((const char *)sqlite3_column_text(st, 2));
	d->cycles = sqlite3_column_int(st, 3);
	snprintf(d->product, sizeof d->product, "%s", (const char *)sqlite3_column_text(st, 4));
	if (sqlite3_column_text(st, 5))
		snprintf(d->manufactured, sizeof d->manufactured, "%s", (const char *)sqlite3_column_text(st, 5));
	d->received = sqlite3_column_int64(st, 6);
	sqlite3_reset(st);
	return 0;
}

/* The open run of a device and its checklist snapshot; WMS_ESTATE when none. */
static int open_run(struct wms_store *s, const char *serial, const struct device *d, struct run *r,
                    struct wms_error *err)
{
	static const char sql[] =
		"SELECT r.id, r.started_ts, c.body, c.version FROM recon_runs r"
		" JOIN recon_checklists c ON c.id = r.checklist_id"
		" WHERE r.device_id = ?1 AND r.outcome IS NULL";
	sqlite3_stmt *st;
	char name[80];
	int rc;

	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, d->id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return wms_store_sql_error(s, err, "looking up the reconditioning");
		if (wms_error_for_station())
			return wms_error_set(err, WMS_ESTATE, "device %s has no reconditioning in progress (it "
			                     "is %s); scan it while it is %s to start one", serial,
			                     wms_state_word(d->state), wms_state_word(WMS_ST_QUARANTINE));
		return wms_error_set(err, WMS_ESTATE, "device %s has no reconditioning in progress (it is %s, %s); "
		                     "start one with `wms recon start %s`", serial, wms_state_name(d->state),
		                     wms_state_label_sv(d->state), serial);
	}
	r->id = sqlite3_column_int64(st, 0);
	r->started = sqlite3_column_int64(st, 1);
	snprintf(name, sizeof name, "checklist %s version %d (stored)", d->product, sqlite3_column_int(st, 3));
	rc = recon_checklist_parse(name, (const char *)sqlite3_column_text(st, 2),
	                           (size_t)sqlite3_column_bytes(st, 2), d->product, &r->cl, err);
	sqlite3_reset(st);
	return rc;
}

void recon_scrap_proposal(const struct recon_config *cfg, int cycles, const char *manufactured,
                          wms_time received, wms_time now, char *buf, size_t len)
{
	int max_cycles = cfg && cfg->max_cycles ? cfg->max_cycles : RECON_DEFAULT_MAX_CYCLES;
	int max_age = cfg && cfg->max_age_years ? cfg->max_age_years : RECON_DEFAULT_MAX_AGE_YEARS;
	wms_day born = wms_local_day(received, NULL), today = wms_local_day(now, NULL);
	bool made = manufactured && *manufactured && wms_date_parse(manufactured, &born, NULL) == 0;
	int years = (int)((today - born) / 365.25);

	buf[0] = '\0';
	if (cycles >= max_cycles)
		snprintf(buf, len, "%d reconditioning cycles (limit %d)", cycles, max_cycles);
	else if (years >= max_age)
		snprintf(buf, len, "%d years old since %s (limit %d years)", years,
		         made ? "manufacture" : "receipt", max_age);
}

/* Latest result of every step of the run's checklist: counts, and the codes not passed. */
static int progress(struct wms_store *s, const struct run *r, struct recon_result *res,
                    char *failed, size_t failed_len, char *pending, size_t pending_len,
                    struct wms_error *err)
{
	static const char sql[] =
		"SELECT result FROM recon_results WHERE run_id = ?1 AND step = ?2 ORDER BY id DESC LIMIT 1";
	size_t fu = 0, pu = 0;

	res->steps_total = r->cl.n_steps;
	res->steps_passed = res->steps_failed = 0;
	failed[0] = pending[0] = '\0';
	for (int i = 0; i < r->cl.n_steps; i++) {
		sqlite3_stmt *st = wms_store_stmt(s, sql, err);
		const char *code = r->cl.steps[i].code;
		int rc;
		if (st == NULL)
			return WMS_EDB;
		sqlite3_bind_int64(st, 1, r->id);
		sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "pass") == 0) {
			res->steps_passed++;
		} else if (rc == SQLITE_ROW) {
			res->steps_failed++;
			fu += (size_t)snprintf(failed + fu, fu < failed_len ? failed_len - fu : 0, "%s%s",
			                       fu ? ", " : "", code);
		} else if (rc == SQLITE_DONE) {
			pu += (size_t)snprintf(pending + pu, pu < pending_len ? pending_len - pu : 0, "%s%s",
			                       pu ? ", " : "", code);
		} else {
			sqlite3_reset(st);
			return wms_store_sql_error(s, err, "reading step results");
		}
		sqlite3_reset(st);
		if (fu >= failed_len)
			fu = failed_len - 1;
		if (pu >= pending_len)
			pu = pending_len - 1;
	}
	return 0;
}

/* Store the checklist text once per (product, hash); its id in *id. */
static int snapshot_checklist(struct wms_store *s, const struct device *d,
                              const struct recon_checklist *cl, const char *body, long long *id,
                              struct wms_error *err)
{
	static const char ins[] =
		"INSERT OR IGNORE INTO recon_checklists(product_id, version, hash, body, steps)"
		" VALUES (?1, ?2, ?3, ?4, ?5)";
	static const char sel[] = "SELECT id FROM recon_checklists WHERE product_id = ?1 AND hash = ?2";
	/* a snapshot stored before checklists kept their number of steps */
	static const char steps[] = "UPDATE recon_checklists SET steps = ?2 WHERE id = ?1 AND steps IS NULL";
	sqlite3_stmt *st;
	int rc;

	if ((st = wms_store_stmt(s, ins, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, d->product_id);
	sqlite3_bind_int(st, 2, cl->version);
	sqlite3_bind_text(st, 3, cl->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, cl->n_steps);
	if ((rc = wms_store_step_done(s, st, "storing the checklist", err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, sel, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, d->product_id);
	sqlite3_bind_text(st, 2, cl->hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return wms_store_sql_error(s, err, "storing the checklist");
	if ((st = wms_store_stmt(s, steps, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int(st, 2, cl->n_steps);
	return wms_store_step_done(s, st, "storing the checklist", err);
}

int recon_start(struct wms_store *s, const struct recon_config *cfg, const char *serial,
                const struct recon_who *who, struct recon_result *res, struct wms_error *err)
{
	static const char run_sql[] = "SELECT id FROM recon_runs WHERE start_event_id = ?1";
	struct recon_result local;
	struct recon_checklist *cl = NULL;
	struct wms_cmd_result ev;
	struct device d;
	char *body = NULL, allowed[256];
	long long checklist_id = 0;
	wms_time at = who && who->at ? who->at : wms_now();
	bool own = false;
	int rc, end;

	if (res == NULL)
		res = &local;
	memset(res, 0, sizeof *res);
	/* the role first, as the ledger does: every door refuses the same way */
	if ((rc = need_actor(who, "recon start", err)) < 0 ||
	    (rc = wms_rules_check_role(who->role, WMS_EV_RECON_START, who->actor, err)) < 0 ||
	    (rc = find_device(s, serial, &d, err)) < 0)
		return rc;
	if (wms_transition(d.state, WMS_EV_RECON_START) == WMS_ST_NONE && wms_error_for_station())
		return wms_error_set(err, WMS_ESTATE, "device %s is %s; reconditioning starts when it "
		                     "is %s; possible next: %s", serial, wms_state_word(d.state),
		                     wms_state_word(WMS_ST_QUARANTINE),
		                     wms_allowed_events(d.state, allowed, sizeof allowed));
	if (wms_transition(d.state, WMS_EV_RECON_START) == WMS_ST_NONE)
		return wms_error_set(err, WMS_ESTATE, "device %s is %s (%s); reconditioning starts from "
		                     "quarantine; allowed next: %s", serial, wms_state_name(d.state),
		                     wms_state_label_sv(d.state),
		                     wms_allowed_events(d.state, allowed, sizeof allowed));
	if ((cl = malloc(sizeof *cl)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	if ((rc = recon_checklist_load(recon_config_checklists(cfg), d.product, cl, &body, err)) < 0)
		goto out;
	if ((rc = wms_store_outer_begin(s, &own, err)) < 0)
		goto out;
	/* the ledger opens the run on the snapshot (wms_ledger.h: checklist_id) */
	rc = snapshot_checklist(s, &d, cl, body, &checklist_id, err);
	if (rc == 0)
		rc = wms_ledger_apply(s, &(struct wms_cmd){ .type = WMS_EV_RECON_START, .at = at,
		                      .station = who->station, .actor = who->actor, .role = who->role,
		                      .serial = serial, .checklist_id = checklist_id }, &ev, err);
	if (rc == 0) {
		sqlite3_stmt *st;
		if (wms_store_row(s, run_sql, NULL, ev.event_id, &st, "reading the reconditioning run", err) == 1) {
			res->run_id = sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
		} else {
			rc = WMS_EDB;
		}
	}
	if ((end = wms_store_outer_end(s, own, rc == 0, err)) < 0 && rc == 0)
		rc = end;
	if (rc < 0)
		goto out;
	res->event_id = ev.event_id;
	res->steps_total = cl->n_steps;
	snprintf(res->detail, sizeof res->detail, wms_tr("checklist %s version %d (%s), %d steps"), cl->product,
	         cl->version, cl->hash, cl->n_steps);
	recon_scrap_proposal(cfg, d.cycles, d.manufactured, d.received, at, res->scrap_proposal,
	                     sizeof res->scrap_proposal);
out:
	free(body);
	free(cl);
	return rc;
}

int recon_step(struct wms_store *s, const char *serial, const char *step, const char *result,
               const char *note, const struct recon_who *who, struct recon_result *res,
               struct wms_error *err)
{
	static const char ins[] =
		"INSERT INTO recon_results(run_id, step, result, value, detail, note, ts, station, technician)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	struct recon_result local;
	const struct recon_step *st_def;
	struct device d;
	struct run *r = NULL;
	char failed[256], pending[256], steps[RECON_MAX_STEPS * (RECON_CODE_MAX + 2) + 1];
	wms_time at = who && who->at ? who->at : wms_now();
	sqlite3_stmt *st;
	int rc;

	if (res == NULL)
		res = &local;
	memset(res, 0, sizeof *res);
	if ((rc = need_actor(who, "recon step", err)) < 0 ||
	    (rc = wms_rules_check_role(who->role, WMS_ACT_RECON_STEP, who->actor, err)) < 0)
		return rc;
	if (result == NULL || *result == '\0' || strlen(result) > RESULT_MAX)
		return wms_error_set(err, WMS_EINVAL, "bad result: pass, fail, a measured value or a version "
		                     "(1-%d characters)", RESULT_MAX);
	if (note && strlen(note) > NOTE_MAX)
		return wms_error_set(err, WMS_EINVAL, "note too long: at most %d characters", NOTE_MAX);
	if ((rc = find_device(s, serial, &d, err)) < 0)
		return rc;
	if ((r = malloc(sizeof *r)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	if ((rc = open_run(s, serial, &d, r, err)) < 0)
		goto out;
	if ((st_def = recon_checklist_find(&r->cl, step)) == NULL) {
		size_t used = 0;
		steps[0] = '\0';
		for (int i = 0; i < r->cl.n_steps; i++)
			used += (size_t)snprintf(steps + used, sizeof steps - used, "%s%s", i ? ", " : "",
			                         r->cl.steps[i].code);
		rc = wms_error_set(err, WMS_EINVAL, "unknown step \"%.20s\" for the %s checklist version %d; "
		                   "steps: %s", step, d.product, r->cl.version, steps);
		goto out;
	}
	if (at < r->started) {
		rc = wms_error_set(err, WMS_EINVAL, "step time is before the reconditioning started");
		goto out;
	}
	if ((rc = recon_step_judge(st_def, result, &res->passed, res->detail, sizeof res->detail, err)) < 0)
		goto out;
	if ((st = wms_store_stmt(s, ins, err)) == NULL) {
		rc = WMS_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_text(st, 2, st_def->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, res->passed ? "pass" : "fail", -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 4, st_def->kind == RECON_STEP_CHECK ? NULL : result);
	sqlite3_bind_text(st, 5, res->detail, -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 6, note);
	sqlite3_bind_int64(st, 7, at);
	wms_bind_text_or_null(st, 8, who->station);
	sqlite3_bind_text(st, 9, who->actor, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		rc = wms_store_sql_error(s, err, "recording the step result");
		goto out;
	}
	res->run_id = r->id;
	rc = progress(s, r, res, failed, sizeof failed, pending, sizeof pending, err);
out:
	free(r);
	return rc;
}

int recon_scan(struct wms_store *s, const char *serial, const char *barcode,
               const struct recon_who *who, struct recon_result *res, struct wms_error *err)
{
	char step[RECON_CODE_MAX + 1], result[RESULT_MAX + 1], q[200];
	const char *p, *colon;

	if (barcode == NULL || strncmp(barcode, "RCN:", 4) != 0)
		goto bad;
	p = barcode + 4;
	colon = strchr(p, ':');
	if (colon == NULL || colon == p || (size_t)(colon - p) > RECON_CODE_MAX || colon[1] == '\0' ||
	    strlen(colon + 1) > RESULT_MAX)
		goto bad;
	snprintf(step, sizeof step, "%.*s", (int)(colon - p), p);
	snprintf(result, sizeof result, "%s", colon + 1);
	return recon_step(s, serial, step, result, NULL, who, res, err);
bad:
	return wms_error_set(err, WMS_EINVAL, "bad step barcode \"%s\": expected RCN:<STEP>:<RESULT>, "
	                     "e.g. RCN:CLEAN:PASS or RCN:P100:101.5",
	                     wms_quote(q, sizeof q, barcode ? barcode : "", barcode ? strlen(barcode) : 0, 40));
}

int recon_finish(struct wms_store *s, const struct recon_config *cfg, const char *serial,
                 const struct recon_finish_req *req, const struct recon_who *who,
                 struct recon_result *res, struct wms_error *err)
{
	static const char *const outcome_names[] = { "approved", "repair", "scrapped" };
	struct recon_result local;
	struct wms_cmd cmd = { 0 };
	struct wms_cmd_result ev;
	struct device d;
	struct run *r = NULL;
	char failed[256], pending[256];
	wms_time at = who && who->at ? who->at : wms_now();
	bool own = false;
	int rc, end;

	if (res == NULL)
		res = &local;
	memset(res, 0, sizeof *res);
	if ((rc = need_actor(who, "recon finish", err)) < 0 ||
	    (rc = wms_rules_check_role(who->role, req->outcome == RECON_APPROVE ? WMS_EV_RECON_APPROVE
	                               : req->outcome == RECON_REPAIR ? WMS_EV_RECON_REPAIR : WMS_EV_SCRAP,
	                               who->actor, err)) < 0)
		return rc;
	if (req->outcome == RECON_APPROVE && (req->location == NULL || *req->location == '\0'))
		return wms_error_set(err, WMS_EINVAL, "approving needs the shelf to put the device on (--location)");
	if (req->outcome != RECON_APPROVE && (req->text == NULL || *req->text == '\0'))
		return wms_error_set(err, WMS_EINVAL, "%s", req->outcome == RECON_REPAIR
		                     ? "repair needs a fault description (--repair \"fault\")"
		                     : "scrapping needs a reason (--scrap \"reason\")");
	if ((rc = find_device(s, serial, &d, err)) < 0)
		return rc;
	if ((r = malloc(sizeof *r)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	if ((rc = open_run(s, serial, &d, r, err)) < 0 ||
	    (rc = progress(s, r, res, failed, sizeof failed, pending, sizeof pending, err)) < 0)
		goto out;
	if (req->outcome == RECON_APPROVE && res->steps_passed != res->steps_total &&
	    wms_error_for_station()) {
		/* a technician at the bench scans, and has no command line */
		rc = wms_error_set(err, WMS_ESTATE, "device %s cannot be approved: %d of %d steps passed%s%s%s%s; "
		                   "scan their results (RCN:), or end with a repair or scrap code from the "
		                   "command sheet", serial, res->steps_passed, res->steps_total,
		                   failed[0] ? wms_tr("; failed: ") : "", failed,
		                   pending[0] ? wms_tr("; not done: ") : "", pending);
		goto out;
	}
	if (req->outcome == RECON_APPROVE && res->steps_passed != res->steps_total) {
		rc = wms_error_set(err, WMS_ESTATE, "device %s cannot be approved: %d of %d steps passed%s%s%s%s; "
		                   "record them with `wms recon step`, or finish with --repair or --scrap",
		                   serial, res->steps_passed, res->steps_total,
		                   failed[0] ? wms_tr("; failed: ") : "", failed,
		                   pending[0] ? wms_tr("; not done: ") : "", pending);
		goto out;
	}
	cmd.type = req->outcome == RECON_APPROVE ? WMS_EV_RECON_APPROVE
	         : req->outcome == RECON_REPAIR ? WMS_EV_RECON_REPAIR : WMS_EV_SCRAP;
	cmd.at = at;
	cmd.station = who->station;
	cmd.actor = who->actor;
	cmd.role = who->role;
	cmd.serial = serial;
	cmd.location = req->outcome == RECON_APPROVE ? req->location : NULL;
	cmd.reason = req->outcome == RECON_APPROVE ? NULL : req->text;
	if ((rc = wms_store_outer_begin(s, &own, err)) < 0)
		goto out;
	/* the ledger checks the run passed and ends it with the event (wms_ledger.h) */
	rc = wms_ledger_apply(s, &cmd, &ev, err);
	if (rc == 0 && req->outcome == RECON_APPROVE && req->tag_printer)
		rc = queue_tag(s, req->tag_printer, serial, &d, who, at, ev.event_id, &res->tag_job, err);
	if ((end = wms_store_outer_end(s, own, rc == 0, err)) < 0 && rc == 0)
		rc = end;
	if (rc < 0)
		goto out;
	res->event_id = ev.event_id;
	res->run_id = r->id;
	snprintf(res->detail, sizeof res->detail, "%s", outcome_names[req->outcome]);
	if (req->outcome != RECON_SCRAP)
		recon_scrap_proposal(cfg, d.cycles + (req->outcome == RECON_APPROVE), d.manufactured,
		                     d.received, at, res->scrap_proposal, sizeof res->scrap_proposal);
out:
	free(r);
	return rc;
}
