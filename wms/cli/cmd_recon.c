/*
 * cmd_recon.c - the technician's reconditioning commands (wms recon ...)
 * and support cases/deviations (wms case ...), over reconditioning/.
 */
#include "cli.h"

#include "recon.h"
#include "recon_case.h"
#include "wms_time.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int who(struct cli *c, struct recon_who *w, struct wms_error *err)
{
	int rc;

	memset(w, 0, sizeof *w);
	if (c->at && (rc = wms_time_parse(c->at, &w->at, err)) < 0)
		return rc;
	w->station = c->station ? c->station : "cli";
	if ((rc = cli_store(c, err)) < 0)
		return rc;
	w->actor = c->actor;
	w->role = c->role;
	return 0;
}

static void print_result(struct cli *c, const char *serial, const char *what,
                         const struct recon_result *r)
{
	if (c->json) {
		json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s, s:i, s:i, s:i, s:s?, s:I}", "serial", serial,
		                      "action", what, "run", (json_int_t)r->run_id, "event", (json_int_t)r->event_id,
		                      "detail", r->detail, "steps", r->steps_total, "passed", r->steps_passed,
		                      "failed", r->steps_failed,
		                      "scrap_proposed", r->scrap_proposal[0] ? r->scrap_proposal : NULL,
		                      "tag_job", (json_int_t)r->tag_job);
		cli_print(c, o);
		json_decref(o);
		return;
	}
	printf("%s: %s: %s\n", serial, what, r->detail);
	if (strcmp(what, "step") == 0)
		printf(_("%s: %d of %d steps passed, %d failed\n"), serial, r->steps_passed, r->steps_total,
		       r->steps_failed);
	if (r->scrap_proposal[0])
		printf(_("%s: scrapping proposed: %s\n"), serial, r->scrap_proposal);
}

/* A recorded step: PASS or FAIL first (not with --json), then the run so far. */
static void print_step(struct cli *c, const char *serial, const struct recon_result *r)
{
	if (!c->json)
		printf("%s: %s\n", serial, r->passed ? "PASS" : "FAIL");
	print_result(c, serial, "step", r);
}

static int recon_start_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct recon_who w;
	struct recon_result r;
	int rc;

	if ((rc = who(c, &w, err)) < 0 || (rc = recon_start(c->store, &c->recon, c->args[0], &w, &r, err)) < 0)
		return rc;
	print_result(c, c->args[0], "started", &r);
	return 0;
}

static int recon_step_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct recon_who w;
	struct recon_result r;
	int rc;

	if ((rc = who(c, &w, err)) < 0 ||
	    (rc = recon_step(c->store, c->args[0], c->args[1], c->args[2], cli_opt(c, "note"), &w, &r, err)) < 0)
		return rc;
	print_step(c, c->args[0], &r);
	return 0;
}

static int recon_scan_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct recon_who w;
	struct recon_result r;
	int rc;

	if ((rc = who(c, &w, err)) < 0 || (rc = recon_scan(c->store, c->args[0], c->args[1], &w, &r, err)) < 0)
		return rc;
	print_step(c, c->args[0], &r);
	return 0;
}

static int recon_finish_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	const char *loc = cli_opt(c, "location"), *repair = cli_opt(c, "repair"), *scrap = cli_opt(c, "scrap");
	struct recon_finish_req req = { 0 };
	struct recon_who w;
	struct recon_result r;
	int rc;

	if ((loc != NULL) + (repair != NULL) + (scrap != NULL) != 1)
		return wms_error_set(err, WMS_EINVAL, "give exactly one outcome: --location SHELF (approved), "
		                     "--repair \"fault\" or --scrap \"reason\"");
	req.outcome = loc ? RECON_APPROVE : repair ? RECON_REPAIR : RECON_SCRAP;
	req.location = loc;
	req.text = repair ? repair : scrap;
	if ((rc = who(c, &w, err)) < 0)
		return rc;
	if (req.outcome == RECON_APPROVE &&
	    (rc = cli_label_printer(c, LABEL_RECON, &req.tag_printer, err)) < 0)
		return rc;
	if (req.outcome != RECON_APPROVE && cli_opt(c, "printer"))
		return wms_error_set(err, WMS_EINVAL, "--printer is for the tag of an approved device (--location)");
	if ((rc = recon_finish(c->store, &c->recon, c->args[0], &req, &w, &r, err)) < 0)
		return rc;
	print_result(c, c->args[0], "finished", &r);
	if (!c->json && r.tag_job)
		printf(_("%s: \"reconditioned\" tag queued on printer %s (outbox job %lld)\n"), c->args[0],
		       req.tag_printer, r.tag_job);
	else if (!c->json && req.outcome == RECON_APPROVE)
	{
		char why[512];
		printf(_("%s: %s: no tag queued; give --printer or configure one\n"), c->args[0],
		       printq_conf_why_none(&c->printers, LABEL_RECON, c->station, why, sizeof why));
	}
	return 0;
}

static int recon_show_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	return rc ? rc : cli_show(c, recon_show(c->store, &c->recon, c->args[0], err), err);
}

static int recon_checklist_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct recon_checklist cl;
	json_t *o;
	int rc;

	if ((rc = cli_config(c, err)) < 0 ||
	    (rc = recon_checklist_load(recon_config_checklists(&c->recon), c->args[0], &cl, NULL, err)) < 0)
		return rc;
	o = json_pack("{s:s, s:i, s:s, s:s, s:o}", "product", cl.product, "version", cl.version, "hash", cl.hash,
	              "directory", recon_config_checklists(&c->recon), "steps", recon_checklist_steps_json(&cl));
	return cli_show(c, o, err);
}

/* Every product type of the catalogue against its checklist: a product type
 * without a valid checklist cannot be reconditioned, so say so up front. */
static int recon_checklists_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	json_t *rows = NULL;
	int rc;

	if ((rc = cli_store(c, err)) < 0)
		return rc;
	rc = recon_checklists_check(c->store, recon_config_checklists(&c->recon), &rows, err);
	if (rows != NULL)
		cli_print(c, rows);
	json_decref(rows);
	return rc;
}

static int recon_report_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	wms_day from = 0, to = 0;
	const char *v;
	int rc;

	if ((v = cli_opt(c, "from")) && (rc = wms_date_parse(v, &from, err)) < 0)
		return rc;
	if ((v = cli_opt(c, "to")) && (rc = wms_date_parse(v, &to, err)) < 0)
		return rc;
	if (from && to && to < from)
		return wms_error_set(err, WMS_EINVAL, "--to %s is before --from %s", cli_opt(c, "to"),
		                     cli_opt(c, "from"));
	if ((rc = cli_store(c, err)) < 0)
		return rc;
	return cli_show(c, recon_report_depot(c->store, &(struct recon_report_opts){
		.cal = c->cfg->cal, .depot_cal = wms_config_calendar_cb, .depot_ctx = c->cfg,
		.from = from, .to = to, .product = cli_opt(c, "product"), .depot = cli_opt(c, "depot") },
		err), err);
}

static int case_id(const char *text, long long *id, struct wms_error *err)
{
	long v;

	if (wms_parse_int(text, 1, LONG_MAX, &v, err) < 0)
		return wms_error_set(err, WMS_EINVAL, "bad case number \"%.20s\": a whole number from `wms case list`",
		                     text);
	*id = v;
	return 0;
}

static int case_open_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct recon_case_req req = { 0 };
	long long id;
	int rc;

	req.serial = c->args[0];
	req.order = cli_opt(c, "order");
	req.kind = cli_opt(c, "kind");
	req.text = cli_opt(c, "text");
	req.actor = c->actor;
	if (c->at && (rc = wms_time_parse(c->at, &req.at, err)) < 0)
		return rc;
	if ((rc = cli_store(c, err)) < 0 || (rc = recon_case_open(c->store, &req, &id, err)) < 0)
		return rc;
	if (c->json) {
		json_t *o = json_pack("{s:I, s:s, s:s}", "case", (json_int_t)id, "kind", req.kind, "status", "open");
		cli_print(c, o);
		json_decref(o);
	} else {
		printf(_("case %lld opened (%s, %s)\n"), id, req.kind, req.serial);
	}
	return 0;
}

static int case_close_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	wms_time at = 0;
	long long id = 0;
	int rc;

	if ((rc = case_id(c->args[0], &id, err)) < 0)
		return rc;
	if (c->at && (rc = wms_time_parse(c->at, &at, err)) < 0)
		return rc;
	if ((rc = cli_store(c, err)) < 0 ||
	    (rc = recon_case_close(c->store, id, cli_opt(c, "text"), at, c->actor, err)) < 0)
		return rc;
	printf(_("case %lld closed\n"), id);
	return 0;
}

static int case_list_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	return rc ? rc : cli_show(c, recon_case_list(c->store, cli_opt(c, "status"), cli_opt(c, "serial"), err), err);
}

static int case_show_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	long long id = 0;
	int rc;

	if ((rc = case_id(c->args[0], &id, err)) < 0 || (rc = cli_store(c, err)) < 0)
		return rc;
	return cli_show(c, recon_case_show(c->store, id, err), err);
}

const struct cli_command cli_recon_commands[] = {
	{ "recon start", recon_start_cmd, "SERIAL", "at station actor",
	  N_("start reconditioning a device from quarantine against its product type's checklist"), -1 },
	{ "recon step", recon_step_cmd, "SERIAL STEP RESULT", "note at station actor",
	  N_("record a checklist step: pass, fail, a measured value or a firmware version"), -1 },
	{ "recon scan", recon_scan_cmd, "SERIAL BARCODE", "at station actor",
	  N_("record a step from a step barcode RCN:<STEP>:<RESULT>"), -1 },
	{ "recon finish", recon_finish_cmd, "SERIAL", "location repair scrap printer at station actor",
	  N_("end reconditioning: --location SHELF (approved, every step passed; tag printed), --repair FAULT or --scrap REASON"),
	  -1 },
	{ "recon show", recon_show_cmd, "SERIAL", "",
	  N_("a device's reconditioning step by step, earlier runs and any scrap proposal"), -1 },
	{ "recon checklist", recon_checklist_cmd, "PRODUCT", "",
	  N_("check and show the checklist of a product type"), -1 },
	{ "recon checklists", recon_checklists_cmd, "", "",
	  N_("every product type of the catalogue against its checklist: ok, missing or invalid"), -1 },
	{ "recon report", recon_report_cmd, "", "from to product depot",
	  N_("turnaround in working days, queue, repair and scrap rates, cycles per device; by depot"), -1 },
	{ "case open", case_open_cmd, "SERIAL", "kind text order at actor",
	  N_("register a support case or deviation (avvikelse); --kind support|deviation, no personal data"), -1 },
	{ "case list", case_list_cmd, "", "status serial", N_("support cases and deviations, newest first"), -1 },
	{ "case show", case_show_cmd, "NUMBER", "", N_("a case with the exchanges of its device or order"), -1 },
	{ "case close", case_close_cmd, "NUMBER", "text at actor", N_("close a case with its resolution (--text)"), -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
