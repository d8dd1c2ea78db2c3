/*
 * cmd_print.c - labels and printers: `wms printers`, `wms label print`,
 * `wms label preview`, `wms reprint` and `wms print-queue ...` over the
 * outbox (wms_outbox.h), the printer configuration ([printer NAME]) and the
 * print worker (printing/printq_worker.h).  Device and location labels take
 * their fields from the ledger (--device, --location); --set NAME=VALUE adds
 * or overrides any field of the label kind.
 */
#include "cli.h"

#include "cups_submit.h"
#include "label_render.h"
#include "printq_payload.h"
#include "printq_render.h"
#include "printq_worker.h"
#include "recon.h"
#include "wms_query.h"
#include "wms_outbox.h"
#include "wms_time.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WAIT_MS 30000

/* The configuration, with every [printer] complete. */
static int print_config(struct cli *c, struct wms_error *err)
{
	int rc = cli_config(c, err);

	if (rc == 0 && (rc = printq_conf_check(&c->printers, err)) < 0)
		wms_error_set(err, rc, "%s: %s", c->config_path ? c->config_path : "configuration",
		              err->msg);
	return rc;
}

static const char *printer_names(const struct cli *c, char *buf, size_t size)
{
	size_t used = 0;

	snprintf(buf, size, "none");
	for (int i = 0; i < c->printers.n_printers && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
		                         c->printers.printers[i].name);
	return buf;
}

/* The printer named by --printer, else the one for kind at --station. */
static int pick_printer(struct cli *c, const char *name, enum label_kind kind,
                        const struct printq_printer_conf **out, struct wms_error *err)
{
	char names[512];

	*out = NULL;
	if (c->printers.n_printers == 0)
		return wms_error_set(err, WMS_ECONFIG, "no printer is configured; add a [printer NAME] "
		                     "section with queue = <CUPS queue> to the configuration file");
	if (name != NULL) {
		if ((*out = printq_conf_find(&c->printers, name)) == NULL)
			return wms_error_set(err, WMS_ENOTFOUND, "unknown printer \"%s\"; configured: %s",
			                     name, printer_names(c, names, sizeof names));
		return 0;
	}
	if ((*out = printq_conf_for(&c->printers, kind, c->station)) == NULL) {
		char why[512];
		return wms_error_set(err, WMS_EINVAL, "%s; give --printer or --station (configured: %s)",
		                     printq_conf_why_none(&c->printers, kind, c->station, why, sizeof why),
		                     printer_names(c, names, sizeof names));
	}
	return 0;
}

int cli_label_printer(struct cli *c, enum label_kind kind, const char **name,
                      struct wms_error *err)
{
	const char *want = cli_opt(c, "printer");
	const struct printq_printer_conf *p;
	int rc;

	*name = NULL;
	if ((rc = cli_config(c, err)) < 0 || (rc = printq_conf_check(&c->printers, err)) < 0)
		return rc;
	if (want) {
		if ((p = printq_conf_find(&c->printers, want)) == NULL)
			return wms_error_set(err, WMS_ENOTFOUND, "unknown printer \"%s\"; see `wms printers`",
			                     want);
	} else {
		p = printq_conf_for(&c->printers, kind, c->station);
	}
	*name = p ? p->name : NULL;
	return 0;
}

/* The mode of station name in the configuration, else as wmsd last
 * recorded it, else NULL. */
static const char *station_mode(struct cli *c, const char *name, char *buf, size_t size)
{
	json_t *st;

	for (int i = 0; i < c->n_stations; i++)
		if (strcmp(c->stations[i].name, name) == 0 && c->stations[i].mode[0])
			return c->stations[i].mode;
	if (cli_store(c, NULL) < 0 || (st = wms_station_state(c->store, name, NULL)) == NULL)
		return NULL;
	snprintf(buf, size, "%s", json_string_value(json_object_get(st, "mode")));
	json_decref(st);
	return buf;
}

/*
 * A station's command sheet (--station NAME): every mode, cancel and done;
 * at a reconditioning station (or with --product) the checklist's steps and
 * the repair and scrap reason codes.  *payload (OUT, free()).
 */
static int command_sheet_payload(struct cli *c, char **payload, struct wms_error *err)
{
	static const char *const modes[] = { "receipt", "putaway", "transfer", "pick", "dispatch",
	                                     "return", "recon", "count" };
	const char *station = c->station, *product = cli_opt(c, "product"), *mode;
	const char *names[] = { "station", "mode", "date" }, *values[3];
	struct recon_checklist *cl = NULL;
	json_t *rows = NULL, *more;
	char buf[32], code[32], date[16];
	int rc = 0;

	*payload = NULL;
	if (station == NULL || station[0] == '\0')
		return wms_error_set(err, WMS_EINVAL, "a command sheet is for one station: give --station NAME");
	mode = station_mode(c, station, buf, sizeof buf);
	if ((rows = json_array()) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		char *up = code;
		snprintf(code, sizeof code, "CMD:%s", modes[i]);
		for (; *up; up++)
			*up = (char)toupper((unsigned char)*up);
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "code", code, "text",
		                                      wms_tr(modes[i]), "group", _("mode")));
	}
	json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "code", "CMD:CANCEL", "text",
	                                      _("forget what was scanned"), "group", _("command")));
	json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "code", "CMD:DONE", "text",
	                                      _("done (ends a count)"), "group", _("command")));
	if (product || (mode && strcmp(mode, "recon") == 0)) {
		if (product) {
			if ((cl = malloc(sizeof *cl)) == NULL) {
				rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
				goto out;
			}
			if ((rc = recon_checklist_load(recon_config_checklists(&c->recon), product, cl, NULL,
			                               err)) < 0)
				goto out;
		}
		if ((more = recon_sheet_rows(cl)) == NULL) {
			rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
			goto out;
		}
		json_array_extend(rows, more);
		json_decref(more);
	}
	wms_date_format(wms_local_day(wms_now(), NULL), date);
	values[0] = station;
	values[1] = mode ? wms_tr(mode) : "";
	values[2] = date;
	rc = printq_payload_text_rows(LABEL_COMMAND_SHEET, names, values, 3, rows, payload, err);
out:
	free(cl);
	json_decref(rows);
	return rc;
}

/*
 * The payload of a label of kind from --device / --location / --order (read
 * from the ledger) and every --set NAME=VALUE.  *payload (OUT, free()).
 */
static int build_payload(struct cli *c, enum label_kind kind, char **payload,
                         struct wms_error *err)
{
	struct printq_label_req req = { .kind = kind, .device = cli_opt(c, "device"),
	                                .location = cli_opt(c, "location"), .order = cli_opt(c, "order") };
	const char *set[CLI_MAX_OPTS];
	int rc;

	*payload = NULL;
	if (kind == LABEL_COMMAND_SHEET)
		return command_sheet_payload(c, payload, err);
	if ((req.device || req.location || req.order) && (rc = cli_store(c, err)) < 0)
		return rc;
	for (int i = 0; i < c->n_opts; i++)
		if (strcmp(c->opts[i].name, "set") == 0)
			set[req.n_set++] = c->opts[i].value;
	req.set = set;
	return printq_payload_label(c->store, &req, payload, err);
}

static int parse_job_id(const char *text, long long *id, struct wms_error *err)
{
	char *end;

	errno = 0;
	*id = strtoll(text, &end, 10);
	if (*text == '\0' || *end != '\0' || errno == ERANGE || *id <= 0)
		return wms_error_set(err, WMS_EINVAL, "bad print job \"%.40s\": expected a job number "
		                     "as `wms print-queue` lists it", text);
	return 0;
}

/* Drain the queue for up to WAIT_MS and say what became of job id. */
static int print_now(struct cli *c, long long id, struct wms_error *err)
{
	struct printq_worker_stats st;
	json_t *job;
	const char *state, *why;
	int rc;

	rc = printq_worker_drain(c->store, &c->printers, NULL, WAIT_MS, &st, NULL, err);
	label_render_finalise();   /* the command ends here: release cairo's caches */
	if (rc < 0)
		return rc;
	if ((job = wms_outbox_show(c->store, id, err)) == NULL)
		return err->code ? err->code : WMS_EDB;
	state = json_string_value(json_object_get(job, "state"));
	why = json_string_value(json_object_get(job, "last_error"));
	printf(_("print job %lld: %s%s%s%s\n"), id, state, why ? " (" : "", why ? why : "", why ? ")" : "");
	if (strcmp(state, "failed") == 0)
		rc = wms_error_set(err, WMS_EIO, "print job %lld failed: %s", id, why ? why : "");
	else if (strcmp(state, "printed") != 0)
		printf(_("print job %lld stays %s and is retried by the print worker\n"), id, state);
	json_decref(job);
	return rc;
}

static int label_print(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	const struct printq_printer_conf *pr;
	struct wms_outbox_new job = { .kind = "label" };
	enum label_kind kind;
	char *payload = NULL;
	long long id = 0;
	int rc;

	if ((rc = label_kind_from_name(c->args[0], &kind, err)) < 0 ||
	    (rc = print_config(c, err)) < 0 ||
	    (rc = pick_printer(c, cli_opt(c, "printer"), kind, &pr, err)) < 0 ||
	    (rc = build_payload(c, kind, &payload, err)) < 0 || (rc = cli_store(c, err)) < 0)
		goto out;
	job.target = pr->name;
	job.payload = payload;
	if ((rc = wms_outbox_enqueue(c->store, &job, wms_now(), &id, err)) < 0)
		goto out;
	printf(_("print job %lld queued for printer %s (%s label)\n"), id, pr->name,
	       label_kind_name(kind));
	if (cli_opt(c, "wait"))
		rc = print_now(c, id, err);
out:
	free(payload);
	return rc;
}

static int write_file(const char *path, const void *data, size_t len, struct wms_error *err)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (f == NULL)
		return wms_error_set(err, WMS_EIO, "cannot write %s: %s", path, strerror(errno));
	ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	if (!ok)
		return wms_error_set(err, WMS_EIO, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

static int label_preview(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	const char *png = cli_opt(c, "png"), *zpl = cli_opt(c, "zpl"), *pdf = cli_opt(c, "pdf");
	const char *path = png ? png : zpl ? zpl : pdf, *dpi_text = cli_opt(c, "dpi");
	enum printq_lang lang = png ? PRINTQ_LANG_PNG : zpl ? PRINTQ_LANG_ZPL : PRINTQ_LANG_PDF;
	struct label_fields *f = NULL;
	enum printq_format fmt;
	enum label_kind kind;
	unsigned char *doc = NULL;
	char *payload = NULL;
	size_t len = 0;
	int rc, dpi = 203;

	if ((rc = label_kind_from_name(c->args[0], &kind, err)) < 0)
		goto out;
	if (!!png + !!zpl + !!pdf != 1 || *path == '\0') {
		rc = wms_error_set(err, WMS_EINVAL, "give exactly one of --png FILE, --zpl FILE, --pdf FILE");
		goto out;
	}
	if (dpi_text && strcmp(dpi_text, "203") && strcmp(dpi_text, "300")) {
		rc = wms_error_set(err, WMS_EINVAL, "bad --dpi \"%.20s\": use 203 or 300", dpi_text);
		goto out;
	}
	if (dpi_text)
		dpi = atoi(dpi_text);
	if ((rc = print_config(c, err)) < 0 || (rc = build_payload(c, kind, &payload, err)) < 0 ||
	    (rc = printq_payload_fields(payload, &f, err)) < 0 ||
	    (rc = printq_render(printq_conf_templates(&c->printers), f, lang, dpi, cli_opt(c, "media"),
	                        &doc, &len, &fmt, err)) < 0)
		goto out;
	if (lang == PRINTQ_LANG_PNG && fmt != PRINTQ_PNG) {
		rc = wms_error_set(err, WMS_EINVAL, "this %s has several pages; a PNG holds one: use --pdf",
		                   label_kind_name(kind));
		goto out;
	}
	if ((rc = write_file(path, doc, len, err)) == 0)
		printf(_("%s label written to %s (%zu bytes, %d dpi)\n"), label_kind_name(kind), path, len, dpi);
out:
	free(doc);
	free(payload);
	label_fields_free(f);
	label_render_finalise();   /* the command ends here: release cairo's caches */
	return rc;
}

static int reprint(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	const struct printq_printer_conf *pr = NULL;
	const char *name = cli_opt(c, "printer");
	long long id, new_id = 0;
	int rc;

	if ((rc = parse_job_id(c->args[0], &id, err)) < 0 || (rc = print_config(c, err)) < 0 ||
	    (name && (rc = pick_printer(c, name, LABEL_DEVICE, &pr, err)) < 0) ||
	    (rc = cli_store(c, err)) < 0 ||
	    (rc = wms_outbox_reprint(c->store, id, name, wms_now(), &new_id, err)) < 0)
		return rc;
	printf(_("print job %lld queued as a reprint of job %lld\n"), new_id, id);
	return cli_opt(c, "wait") ? print_now(c, new_id, err) : 0;
}

static int printers(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	json_t *rows = json_array();
	int rc = print_config(c, err);

	for (int i = 0; rc == 0 && i < c->printers.n_printers; i++) {
		const struct printq_printer_conf *p = &c->printers.printers[i];
		struct printq_conn *conn = NULL;
		struct printq_printer q = { 0 };
		struct wms_error why = { 0 };
		char purposes[256];
		const char *state;
		json_t *row;

		if (printq_connect(p->server[0] ? p->server : NULL, 5000, &conn, &why) < 0)
			state = "unreachable";
		else if (printq_printer_query(conn, p->queue, &q, &why) < 0)
			state = why.code == WMS_ENOTFOUND ? "no such queue" : "unreachable";
		else
			state = printq_printer_state_name(q.state);
		row = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s}",
		                "name", p->name, "queue", p->queue,
		                "server", p->server[0] ? p->server : conn ? printq_server(conn) : "(CUPS default)",
		                "language", printq_lang_name(p->language), "dpi", p->dpi,
		                "media", p->media,
		                "purposes", printq_purposes_text(p->purposes, purposes, sizeof purposes),
		                "state", state,
		                "accepting", why.code ? "-" : (q.accepting ? "yes" : "no"),
		                "message", why.code ? why.msg : q.message);
		printq_close(conn);
		if (row == NULL || json_array_append_new(rows, row) < 0)
			rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
	}
	if (rc == 0)
		cli_print(c, rows);
	json_decref(rows);
	return rc;
}

static int queue_list(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	const char *limit = cli_opt(c, "limit");
	long n = 100;
	int rc;

	if (limit && (rc = wms_parse_int(limit, 1, 100000, &n, err)) < 0)
		return rc;
	if ((rc = cli_store(c, err)) < 0)
		return rc;
	return cli_show(c, wms_outbox_list(c->store, cli_opt(c, "state"), (int)n, err), err);
}

static int queue_show(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	long long id;
	int rc;

	if ((rc = parse_job_id(c->args[0], &id, err)) < 0 || (rc = cli_store(c, err)) < 0)
		return rc;
	return cli_show(c, wms_outbox_show(c->store, id, err), err);
}

static int queue_retry(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	long long id;
	int rc;

	if ((rc = parse_job_id(c->args[0], &id, err)) < 0 || (rc = cli_store(c, err)) < 0 ||
	    (rc = wms_outbox_retry(c->store, id, wms_now(), err)) < 0)
		return rc;
	printf(_("print job %lld queued again\n"), id);
	return 0;
}

static int queue_cancel(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	long long id;
	int rc;

	if ((rc = parse_job_id(c->args[0], &id, err)) < 0 || (rc = cli_store(c, err)) < 0 ||
	    (rc = wms_outbox_cancel(c->store, id, wms_now(), err)) < 0)
		return rc;
	printf(_("print job %lld cancelled\n"), id);
	return 0;
}

static int queue_purge(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	const char *before = cli_opt(c, "before");
	wms_time t;
	long long n = 0;
	int rc;

	if ((rc = cli_config(c, err)) < 0)
		return rc;
	if (before) {
		if ((rc = wms_time_parse(before, &t, err)) < 0)
			return rc;
	} else {
		t = wms_now() - (wms_time)c->cfg->retention_days * 86400;
	}
	if ((rc = cli_store(c, err)) < 0 || (rc = wms_outbox_purge_payloads(c->store, t, &n, err)) < 0)
		return rc;
	printf(_("%lld finished print job%s purged of their contents\n"), n, n == 1 ? "" : "s");
	return 0;
}

static volatile sig_atomic_t work_stop;

static void on_signal(int sig)
{
	(void)sig;
	work_stop = 1;
}

static void print_stats(const struct printq_worker_stats *st)
{
	printf(_("submitted %d, adopted %d, printed %d, retried %d, failed %d, waiting %d\n"),
	       st->submitted, st->adopted, st->printed, st->retried, st->failed, st->waiting);
	fflush(stdout);
}

static int queue_work(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct printq_worker_stats st;
	struct sigaction sa = { .sa_handler = on_signal };
	int rc;

	if ((rc = print_config(c, err)) < 0 || (rc = cli_store(c, err)) < 0)
		return rc;
	if (cli_opt(c, "once")) {
		if ((rc = printq_worker_run_once(c->store, &c->printers, NULL, &st, err)) == 0)
			print_stats(&st);
		label_render_finalise();
		return rc;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!work_stop) {
		struct timespec second = { 1, 0 };
		if ((rc = printq_worker_run_once(c->store, &c->printers, NULL, &st, err)) < 0)
			break;
		if (st.submitted || st.adopted || st.printed || st.retried || st.failed)
			print_stats(&st);
		nanosleep(&second, NULL);
	}
	label_render_finalise();
	return rc;
}

const struct cli_command cli_print_commands[] = {
	{ "printers", printers, "", "", N_("configured printers ([printer NAME]) with their CUPS state"), -1 },
	{ "label print", label_print, "KIND", "device location order set printer station product wait",
	  N_("queue a label; --device/--location/--order (pick list) fill it from the ledger, "
	  "--set NAME=VALUE adds fields, --wait prints it now"), -1 },
	{ "label preview", label_preview, "KIND", "device location order set station product png zpl pdf "
	  "dpi media",
	  N_("render a label to --png FILE, --zpl FILE or --pdf FILE without printing"), -1 },
	{ "reprint", reprint, "JOB", "printer wait", N_("print job JOB again (a new job, optionally "
	  "on another --printer)"), -1 },
	{ "print-queue", queue_list, "", "state limit", N_("the print queue, newest first "
	  "(--state queued|submitted|printed|failed|cancelled|open)"), -1 },
	{ "print-queue list", queue_list, "", "state limit", N_("the same as print-queue"), -1 },
	{ "print-queue show", queue_show, "JOB", "", N_("one print job with its contents"), -1 },
	{ "print-queue retry", queue_retry, "JOB", "", N_("queue a failed job again, due now"), -1 },
	{ "print-queue cancel", queue_cancel, "JOB", "", N_("cancel a queued or failed job"), -1 },
	{ "print-queue work", queue_work, "", "once", N_("print what is due (--once: one pass; "
	  "else until interrupted)"), -1 },
	{ "print-queue purge", queue_purge, "", "before", N_("blank the contents (personal data) of "
	  "finished jobs older than --before TIME (default: [privacy] retention_days)"), -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
