/*
 * cmd_admin.c - calendar questions, the demo data set and database upkeep.
 */
#include "cli.h"

#include "wms_depot.h"

#include "wms_calendar.h"
#include "wms_chain.h"
#include "wms_dblock.h"
#include "wms_demo.h"
#include "wms_leadtime.h"
#include "wms_rebuild.h"
#include "wms_tallies.h"

#include <stdio.h>
#include <unistd.h>

static int calendar_year(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	long year;
	json_t *days;
	int rc;

	if ((rc = wms_parse_int(c->args[0], WMS_CAL_FIRST_YEAR, WMS_CAL_LAST_YEAR, &year, err)) < 0)
		return wms_error_set(err, WMS_EINVAL, "bad year \"%.20s\": expected %d..%d", c->args[0],
		                     WMS_CAL_FIRST_YEAR, WMS_CAL_LAST_YEAR);
	if ((rc = cli_config(c, err)) < 0)
		return rc;
	if ((days = wms_calendar_closed_days(c->cfg->cal, (int)year)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	if (c->json)
		cli_print(c, days);
	else
		for (size_t i = 0; i < json_array_size(days); i++)
			printf("%s\t%s\n", json_string_value(json_object_get(json_array_get(days, i), "date")),
			       json_string_value(json_object_get(json_array_get(days, i), "name")));
	json_decref(days);
	return 0;
}

static int workdays(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	wms_day from, to;
	int rc, n;

	if ((rc = wms_date_parse(c->args[0], &from, err)) < 0 || (rc = wms_date_parse(c->args[1], &to, err)) < 0)
		return rc;
	if ((rc = cli_config(c, err)) < 0)
		return rc;
	/* a depot's calendar lives in the store: open it and refuse an unknown depot */
	if (cli_opt(c, "depot") && ((rc = cli_store(c, err)) < 0 ||
	                            (rc = wms_depot_known(c->store, cli_opt(c, "depot"), err)) < 0))
		return rc;
	n = wms_calendar_workdays(wms_config_calendar(c->cfg, cli_opt(c, "depot")), from, to);
	if (c->json) {
		json_t *o = json_pack("{s:s, s:s, s:i}", "from", c->args[0], "to", c->args[1], "workdays", n);
		cli_print(c, o);
		json_decref(o);
	} else {
		printf("%d\n", n);
	}
	return 0;
}

static void progress(void *ctx, long done, long total)
{
	if (isatty(STDERR_FILENO)) {
		fputc('\r', stderr);
		fprintf(stderr, _("loading demo data: %3ld%%"), total ? done * 100 / total : 100);
		if (done >= total)
			fputc('\n', stderr);
	}
}

static int demo(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct wms_demo_opts o = { 0 };
	long v;
	int rc;

	if (cli_opt(c, "seed") && (rc = wms_parse_int(cli_opt(c, "seed"), 1, 1000000000, &v, err)) < 0)
		return rc;
	o.seed = cli_opt(c, "seed") ? (uint64_t)v : 1;
	if (cli_opt(c, "devices") && (rc = wms_parse_int(cli_opt(c, "devices"), 10, 1000000, &v, err)) < 0)
		return rc;
	o.devices = cli_opt(c, "devices") ? (int)v : 0;
	if (cli_opt(c, "orders") && cli_opt(c, "devices"))
		return wms_error_set(err, WMS_EINVAL, "demo takes --devices or --orders, not both");
	if (cli_opt(c, "orders") &&
	    (rc = wms_parse_int(cli_opt(c, "orders"), 10, 20000000, &v, err)) < 0)
		return rc;
	o.orders = cli_opt(c, "orders") ? v : 0;
	if ((rc = cli_store(c, err)) < 0)
		return rc;
	o.cal = c->cfg->cal;
	o.progress = progress;
	if ((rc = wms_demo_load(c->store, &o, err)) < 0)
		return rc;
	printf(_("demo data loaded: %lld events\n"), wms_store_event_count(c->store));
	return 0;
}

static int db_migrate(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	if (rc == 0)
		printf(_("schema version %d (latest %d)\n"), wms_store_schema_version(c->store),
		       wms_store_latest_version());
	return rc;
}

/* The hash chain from event `from`: 0, or WMS_EDB naming the first event that does not match. */
static int chain_check(struct cli *c, long long from, struct wms_chain_report *r, struct wms_error *err)
{
	int rc = wms_chain_verify(c->store, from, r, err);

	if (rc == 0 && r->first_bad)
		return wms_error_set(err, WMS_EDB, "ledger hash chain broken at event %lld: %s (%lld events "
		                     "before it verified)", r->first_bad, r->why, r->checked);
	return rc;
}

/*
 * wms db check [--json]: integrity, foreign keys, the hash chain, projections against a
 * rebuild, lead-time histograms against a recount.  --json prints {"ok", "integrity",
 * "chain", "chain_broken_at", "projections", "rows_differing", "histograms", "events",
 * "error"} whatever the outcome (a monitoring check reads it); the exit status and the
 * message on stderr are the same as without it.
 */
static int db_check(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct wms_chain_report chain = { 0 };
	long diff = -1;
	int rc, integrity = 1, chained = -1;   /* -1 not checked, 0 broken, 1 ok */
	int guarded = -1, restored = 0;        /* the triggers: -1 not checked, 0 not as the schema's, 1 ok */

	long hdiff = -1, tdiff = -1;
	struct wms_leadtime_opts rules = { 0 };
	bool match = false;

	if ((rc = cli_store(c, err)) < 0)
		return rc;
	if ((rc = wms_store_check(c->store, err)) < 0)
		integrity = 0;
	else if ((rc = wms_store_check_triggers(c->store, cli_opt(c, "restore-triggers") != NULL,
	                                        &restored, err)) < 0)
		guarded = 0;
	else if ((guarded = 1, rc = chain_check(c, 1, &chain, err)) < 0)
		chained = chain.first_bad ? 0 : -1;
	else if ((chained = 1, rc = wms_rebuild(c->store, true, &diff, err)) == 0 && diff)
		rc = wms_error_set(err, WMS_EDB, "projections differ from the ledger in %ld rows; "
		                   "run `wms db rebuild`", diff);
	else if (rc == 0 && (rc = wms_leadtime_check(c->store, &hdiff, err)) == 0 && hdiff)
		rc = wms_error_set(err, WMS_EDB, "lead-time histograms differ from a recount of the "
		                   "delivered orders in %ld rows; run `wms leadtime rebuild`", hdiff);
	else if (rc == 0 && (rc = wms_tallies_check(c->store, &tdiff, err)) == 0 && tdiff)
		rc = wms_error_set(err, WMS_EDB, "the counters of /metrics differ from a recount in %ld rows; "
		                   "run `wms db rebuild`", tdiff);
	if (c->json) {
		json_t *o = json_pack("{s:b, s:s, s:s, s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:I}", "ok", rc == 0,
		                      "integrity", integrity ? "ok" : "failed",
		                      "triggers", guarded < 0 ? "not checked" : guarded ? "ok" : "not as the schema's",
		                      "triggers_restored", (json_int_t)restored,
		                      "chain", chained < 0 ? "not checked" : chained ? "ok" : "broken",
		                      "chain_broken_at", (json_int_t)(chained == 0 ? chain.first_bad : 0),
		                      "projections", !integrity || diff < 0 ? "not checked" : diff ? "differ" : "ok",
		                      "rows_differing", (json_int_t)(diff < 0 ? 0 : diff),
		                      "histograms", hdiff < 0 ? "not checked" : hdiff ? "differ" : "ok",
		                      "counters", tdiff < 0 ? "not checked" : tdiff ? "differ" : "ok",
		                      "events", (json_int_t)wms_store_event_count(c->store));
		if (o == NULL)
			return wms_error_set(err, WMS_ENOMEM, "out of memory");
		json_object_set_new(o, "error", rc == 0 ? json_null() : json_string(err->msg));
		cli_print(c, o);
		json_decref(o);
		return rc;
	}
	if (rc < 0)
		return rc;
	cli_leadtime_rules(c, &rules);
	if ((rc = wms_leadtime_rules_match(c->store, &rules, &match, err)) < 0)
		return rc;
	if (restored)
		fprintf(stderr, _("%d of the ledger's triggers put back as the schema has them (recorded in the audit trail, GET /api/v1/audit)\n"),
		        restored);
	if (!match)   /* not a fault: reports read every order until then */
		fprintf(stderr, _("note: lead-time histograms were counted under another calendar or "
		                  "cut-off than the configuration's; run `wms leadtime rebuild` to make "
		                  "reports fast again\n"));
	printf(_("ok: integrity, foreign keys, hash chain, and projections equal a rebuild from %lld events\n"),
	       wms_store_event_count(c->store));
	return 0;
}

/* For an auditor: the chain from --from ID, with the anchor it started from and the head. */
static int db_verify(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct wms_chain_report r;
	long v = 1;
	int rc;

	if (cli_opt(c, "from") && (rc = wms_parse_int(cli_opt(c, "from"), 1, 2000000000L, &v, err)) < 0)
		return wms_error_set(err, WMS_EINVAL, "bad --from \"%.20s\": an event id, 1 or more",
		                     cli_opt(c, "from"));
	if ((rc = cli_store(c, err)) < 0 || (rc = chain_check(c, v, &r, err)) < 0)
		return rc;
	if (c->json) {
		json_t *o = json_pack("{s:I, s:I, s:s?, s:I, s:s?, s:I}", "from", (json_int_t)v,
		                      "anchor_event", (json_int_t)r.anchor_id,
		                      "anchor_hash", r.anchor_id ? r.anchor_hex : NULL,
		                      "head_event", (json_int_t)r.head_id,
		                      "head_hash", r.checked ? r.head_hex : NULL, "verified", (json_int_t)r.checked);
		cli_print(c, o);
		json_decref(o);
		return 0;
	}
	if (r.anchor_id)
		printf(_("anchor: event %lld hash %s (compare with the head you noted before)\n"), r.anchor_id,
		       r.anchor_hex);
	printf(_("ok: %lld events verified from event %ld\n"), r.checked, v);
	if (r.checked)
		printf(_("head: event %lld hash %s (note it: a later check must find it unchanged)\n"),
		       r.head_id, r.head_hex);
	return 0;
}

static int db_rebuild(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	long diff = 0, tdiff = 0;
	int rc;

	if ((rc = cli_store(c, err)) < 0 || (rc = wms_rebuild(c->store, false, &diff, err)) < 0 ||
	    (rc = wms_tallies_check(c->store, &tdiff, err)) < 0 ||
	    (tdiff && (rc = wms_tallies_recount(c->store, err)) < 0))
		return rc;
	diff += tdiff;
	printf(_("rebuilt projections from %lld events; %ld rows changed\n"), wms_store_event_count(c->store),
	       diff);
	return 0;
}

static int db_backup(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc;

	if ((rc = cli_store(c, err)) < 0 || (rc = wms_store_backup(c->store, c->args[0], err)) < 0)
		return rc;
	printf(_("backup written to %s (%lld events)\n"), c->args[0], wms_store_event_count(c->store));
	return 0;
}

/* The lock keeps wmsd from starting while the content is replaced. */
static int db_restore(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct wms_dblock *lock = NULL;
	const char *path;
	int rc;

	if ((rc = cli_db_path(c, &path, err)) < 0)
		return rc;
	if ((rc = wms_dblock_acquire(path, &lock, err)) < 0) {
		if (rc == WMS_EEXIST)
			return wms_error_set(err, WMS_ESTATE, "refused, wmsd is running: %s; stop it first "
			                     "(systemctl stop wmsd)", err->msg);
		return rc;
	}
	if ((rc = cli_store(c, err)) == 0 && (rc = wms_store_restore(c->store, c->args[0], err)) == 0)
		printf(_("restored %s from %s (%lld events)\n"), path, c->args[0],
		       wms_store_event_count(c->store));
	wms_store_close(c->store);     /* before the lock goes: wmsd may start right after */
	c->store = NULL;
	wms_dblock_release(lock);
	return rc;
}

const struct cli_command cli_admin_commands[] = {
	{ "calendar", calendar_year, "YEAR", "",
	  N_("every non-working weekday of a year: date, tab, Swedish name"), -1 },
	{ "workdays", workdays, "FROM TO", "depot",
	  N_("working days after FROM up to and including TO (the lead time of FROM -> TO)"), -1 },
	{ "demo", demo, "", "seed devices orders",
	  N_("load two years of realistic demo data into an empty database (--orders N: about N delivered orders)"), -1 },
	{ "db migrate", db_migrate, "", "", N_("bring the database schema up to date"), -1 },
	{ "db check", db_check, "", "restore-triggers",
	  N_("integrity check, foreign keys, the ledger's triggers and hash chain, and projections "
	     "against a rebuild from the ledger"), -1 },
	{ "db verify", db_verify, "", "from",
	  N_("verify the ledger's hash chain from event --from ID (an auditor's check); prints the anchor "
	  "and the head to note"), -1 },
	{ "db rebuild", db_rebuild, "", "", N_("rebuild devices, orders and rentals from the ledger"), -1 },
	{ "db backup", db_backup, "FILE", "",
	  N_("copy the database, also while wmsd runs, into the new file FILE"), -1 },
	{ "db restore", db_restore, "FILE", "",
	  N_("replace the database with the backup FILE (refused while wmsd runs)"), -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
