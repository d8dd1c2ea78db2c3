/*
 * cmd_depot.c - the depots of the region and the transfers between them:
 * `wms depot add|address|list|show`, `wms transfer request|cancel|list` (the transfer
 * events themselves, `transfer out|in`, are ledger commands in cmd_ledger.c).
 */
#include "cli.h"

#include "hub.h"
#include "wms_config.h"
#include "wms_depot.h"
#include "wms_export.h"
#include "wms_time.h"
#include "wms_transfer.h"

#include <stdio.h>
#include <stdlib.h>

static int depot_add(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct wms_depot_new d = {
		.code = c->args[0], .name = cli_opt(c, "name"), .address = cli_opt(c, "address"),
		.cutoff = cli_opt(c, "cutoff"), .closed = cli_opt(c, "closed"),
		.make_default = cli_opt(c, "default") != NULL,
	};
	int rc = cli_store(c, err);

	if (rc == 0)
		rc = wms_depot_add(c->store, &d, err);
	if (rc == 0)
		printf(_("depot %s added\n"), d.code);
	return rc;
}

static int depot_address(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	if (rc == 0)
		rc = wms_depot_set_address(c->store, c->args[0], c->args[1], err);
	if (rc == 0)
		printf(_("depot %s: address %s\n"), c->args[0], c->args[1]);
	return rc;
}

static int depot_list(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	return rc ? rc : cli_show(c, wms_depot_list(c->store, err), err);
}

static int depot_show(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	return rc ? rc : cli_show(c, wms_depot_show(c->store, c->args[0], err), err);
}

static int transfer_request(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	wms_time at = 0;
	long long id;
	int rc;

	if (c->at && (rc = wms_time_parse(c->at, &at, err)) < 0)
		return rc;
	if ((rc = cli_store(c, err)) < 0 ||
	    (rc = wms_transfer_request(c->store, c->args[0], cli_opt(c, "from"), c->actor, at, &id, err)) < 0)
		return rc;
	printf(_("transfer request %lld for order %s\n"), id, c->args[0]);
	return 0;
}

static int transfer_list(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	return rc ? rc : cli_show(c, wms_transfer_list(c->store, cli_opt(c, "depot"), cli_opt(c, "state"),
	                                               err), err);
}

static int transfer_cancel(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	wms_time at = 0;
	long id;
	int rc;

	if ((rc = wms_parse_int(c->args[0], 1, 0x7fffffffL, &id, err)) < 0)
		return wms_error_set(err, rc, "bad transfer request \"%.20s\": its number from `wms transfer "
		                     "list`", c->args[0]);
	if (c->at && (rc = wms_time_parse(c->at, &at, err)) < 0)
		return rc;
	if ((rc = cli_store(c, err)) < 0 ||
	    (rc = wms_transfer_cancel(c->store, id, cli_opt(c, "reason"), c->actor, at, err)) < 0)
		return rc;
	printf(_("transfer request %ld cancelled\n"), id);
	return 0;
}

/* JSON lines: one event a line, region-wide keys, in commit order (what the hub receives). */
static int ledger_export(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	long after = 0, limit = 1000;
	json_t *evs;
	size_t i;
	json_t *ev;
	int rc;

	if ((cli_opt(c, "after") && (rc = wms_parse_int(cli_opt(c, "after"), 0, 0x7fffffffL, &after, err)) < 0) ||
	    (cli_opt(c, "limit") && (rc = wms_parse_int(cli_opt(c, "limit"), 1, 100000, &limit, err)) < 0))
		return rc;
	if ((rc = cli_store(c, err)) < 0)
		return rc;
	if ((evs = wms_ledger_export(c->store, after, (int)limit, err)) == NULL)
		return err->code ? err->code : WMS_EDB;
	json_array_foreach(evs, i, ev) {
		char *line = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
		if (line)
			puts(line);
		free(line);
	}
	json_decref(evs);
	return 0;
}

/* Ship the ledger to the hub until it is up to date (or a conflict stops it). */
static int hub_ship_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	char depot[WMS_DEPOT_CODE_MAX + 1], epoch[17];
	struct pg_conn *hub = NULL;
	long batch = 1000, n, total = 0;
	long long upto = 0;
	bool renewed;
	int rc;

	if (cli_opt(c, "conninfo") == NULL)
		return wms_error_set(err, WMS_EINVAL, "hub %s needs --conninfo (libpq, e.g. \"host=hub dbname=wms\")", "ship");
	if (cli_opt(c, "batch") && (rc = wms_parse_int(cli_opt(c, "batch"), 1, 100000, &batch, err)) < 0)
		return rc;
	if ((rc = cli_store(c, err)) < 0 || (rc = wms_depot_resolve(c->store, cli_opt(c, "depot"), depot, err)) < 0 ||
	    (rc = wms_ledger_check_mark(c->store, &renewed, err)) < 0 ||
	    (rc = wms_ledger_epoch(c->store, epoch, err)) < 0)
		return rc;
	if (renewed)
		printf(_("the database lacks events the hub holds (restored from an older backup?): "
		         "new ledger epoch %s\n"), epoch);
	if ((rc = hub_open(cli_opt(c, "conninfo"), NULL, &hub, err)) < 0)
		return rc;
	do {
		rc = hub_ship(hub, c->store, depot, epoch, (int)batch, &n, &upto, err);
		total += rc == 0 ? n : 0;
		if (rc == 0 && n > 0)
			rc = wms_ledger_mark(c->store, upto, err);
	} while (rc == 0 && n > 0);
	hub_close(hub);
	if (rc == 0)
		printf(_("%ld events shipped to the hub (depot %s, epoch %s)\n"), total, depot, epoch);
	return rc;
}

static int hub_status_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct pg_conn *hub = NULL;
	json_t *st;
	int rc;

	if (cli_opt(c, "conninfo") == NULL)
		return wms_error_set(err, WMS_EINVAL, "hub %s needs --conninfo (libpq, e.g. \"host=hub dbname=wms\")", "status");
	if ((rc = hub_open(cli_opt(c, "conninfo"), NULL, &hub, err)) < 0)
		return rc;
	st = hub_status(hub, err);
	hub_close(hub);
	return cli_show(c, st, err);
}

/* At the hub: publish its database's catalogue (products, customers, users)
 * to the depots; what has not changed since the last version is not sent. */
static int hub_publish_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct pg_conn *hub = NULL;
	long n = 0;
	int rc;

	if (cli_opt(c, "conninfo") == NULL)
		return wms_error_set(err, WMS_EINVAL, "hub %s needs --conninfo (libpq, e.g. \"host=hub dbname=wms\")", "publish");
	if ((rc = cli_store(c, err)) < 0 || (rc = hub_open(cli_opt(c, "conninfo"), NULL, &hub, err)) < 0)
		return rc;
	rc = hub_catalog_publish(hub, c->store, NULL, &n, err);
	hub_close(hub);
	if (rc == 0)
		printf(_("%ld catalogue rows published to the depots\n"), n);
	return rc;
}

/* At a depot: pull the hub's catalogue until up to date. */
static int hub_pull_cmd(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	char depot[WMS_DEPOT_CODE_MAX + 1];
	struct pg_conn *hub = NULL;
	long n, conflicts, total = 0, clashes = 0;
	int rc;

	if (cli_opt(c, "conninfo") == NULL)
		return wms_error_set(err, WMS_EINVAL, "hub %s needs --conninfo (libpq, e.g. \"host=hub dbname=wms\")", "pull");
	if ((rc = cli_store(c, err)) < 0 || (rc = wms_depot_resolve(c->store, cli_opt(c, "depot"), depot, err)) < 0 ||
	    (rc = hub_open(cli_opt(c, "conninfo"), NULL, &hub, err)) < 0)
		return rc;
	do {
		rc = hub_catalog_pull(hub, c->store, depot, 1000, &n, &conflicts, err);
		total += rc == 0 ? n : 0;
		clashes += rc == 0 ? conflicts : 0;
	} while (rc == 0 && n > 0);
	hub_close(hub);
	if (rc == 0)
		printf(_("%ld catalogue events applied from the hub (depot %s), %ld defined here otherwise: kept, "
		         "listed on the hub\n"), total, depot, clashes);
	return rc;
}

static int hub_new_epoch(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	char epoch[17];
	int rc;

	if ((rc = cli_store(c, err)) < 0 || (rc = wms_ledger_new_epoch(c->store, epoch, err)) < 0)
		return rc;
	printf(_("new ledger epoch %s\n"), epoch);
	return 0;
}

const struct cli_command cli_depot_commands[] = {
	{ "hub ship", hub_ship_cmd, "", "conninfo depot batch",
	  N_("ship the ledger to the central PostgreSQL (--conninfo) until it is up to date; idempotent"), -1 },
	{ "hub status", hub_status_cmd, "", "conninfo",
	  N_("per depot and epoch: the last event the hub holds, its time, and how long ago it was shipped"), -1 },
	{ "hub publish", hub_publish_cmd, "", "conninfo",
	  N_("at the hub: publish this database's products, customers and users (no passwords) to the depots"), -1 },
	{ "hub pull", hub_pull_cmd, "", "conninfo depot",
	  N_("at a depot: apply the hub's catalogue until up to date (wmsd does this by itself); rows "
	  "defined here otherwise are kept and listed on the hub"), -1 },
	{ "hub new-epoch", hub_new_epoch, "", "",
	  N_("start a new ledger epoch: after restoring this depot's database from a backup"), -1 },
	{ "ledger export", ledger_export, "", "after limit",
	  N_("the ledger's events after --after SEQ as JSON lines with region-wide keys (serial, order "
	  "number, location and depot codes), in commit order"), -1 },
	{ "depot add", depot_add, "CODE", "name address cutoff closed default",
	  N_("add a depot (code A-Z 0-9, e.g. SK) with its goods-in, quarantine, reconditioning, repair "
	  "and in-transit locations; --cutoff HH:MM, --closed YYYY-MM-DD,..."), -1 },
	{ "depot address", depot_address, "CODE ADDRESS", "",
	  N_("give a depot its postal address, \"street, postal code city\" (the sender and "
	  "receiver on a transfer's shipping label)"), -1 },
	{ "depot list", depot_list, "", "", N_("list the depots with their calendars"), -1 },
	{ "depot show", depot_show, "CODE", "", N_("a depot: calendar, locations, devices, open orders"), -1 },
	{ "transfer request", transfer_request, "ORDER", "from at",
	  N_("ask another depot (--from, default the one with most in stock) for a device for an order"), -1 },
	{ "transfer cancel", transfer_cancel, "ID", "reason at",
	  N_("cancel a transfer request no device has been sent for yet"), -1 },
	{ "transfer list", transfer_list, "", "depot state",
	  N_("every transfer between depots: requested, in transit, received or cancelled"), -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
