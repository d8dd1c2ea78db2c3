/*
 * cmd_report.c - the reading subcommands: device history, stock, orders and
 * the managers' lead-time report.
 */
#include "cli.h"

#include "wms_depot.h"

#include "wms_calendar.h"
#include "wms_leadtime.h"
#include "wms_patient.h"
#include "wms_query.h"
#include "wms_time.h"

#include <stdio.h>
#include <stdlib.h>

static int device_show(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	return rc ? rc : cli_show(c, wms_device_show(c->store, c->args[0], err), err);
}

static int stock(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	if (rc)
		return rc;
	if (cli_opt(c, "by-depot"))
		return cli_show(c, wms_stock_by_depot(c->store, cli_opt(c, "product"), cli_opt(c, "depot"), err), err);
	return cli_show(c, wms_stock(c->store, cli_opt(c, "product"), cli_opt(c, "location"),
	                             cli_opt(c, "depot"), err), err);
}

static int order_list(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	long limit = 100;
	int rc;

	if (cli_opt(c, "limit") && (rc = wms_parse_int(cli_opt(c, "limit"), 1, 1000000, &limit, err)) < 0)
		return rc;
	if ((rc = cli_store(c, err)) < 0)
		return rc;
	return cli_show(c, wms_order_list(c->store, cli_opt(c, "status"), (int)limit, err), err);
}

/* A delivered order's lead time in working days (the depot's calendar and
 * cut-off) and the target, added to the order o. */
static void add_lead_time(const struct cli *c, json_t *o)
{
	const char *reg = json_string_value(json_object_get(o, "registered"));
	const char *del = json_string_value(json_object_get(o, "delivered"));
	const char *depot = json_string_value(json_object_get(o, "depot"));
	wms_time r, d;

	if (reg == NULL || del == NULL || wms_time_parse(reg, &r, NULL) < 0 ||
	    wms_time_parse(del, &d, NULL) < 0)
		return;
	json_object_set_new(o, "lead_time_days", json_integer(wms_leadtime_days(
		wms_config_calendar(c->cfg, depot), r, d, wms_config_cutoff(c->cfg, depot))));
	json_object_set_new(o, "target_days", json_integer(c->cfg->target_days));
}

static int order_show(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);
	json_t *o, *p;

	if (rc)
		return rc;
	if ((o = wms_order_show(c->store, c->args[0], err)) == NULL)
		return err->code ? err->code : WMS_EDB;
	add_lead_time(c, o);
	if (!cli_opt(c, "personal"))
		return cli_show(c, o, err);
	/* personal data only on explicit request */
	if ((p = wms_patient_show(c->store, c->args[0], err)) == NULL) {
		json_decref(o);
		return err->code ? err->code : WMS_EDB;
	}
	json_object_set_new(o, "patient", p);
	return cli_show(c, o, err);
}

/* Bytes of UTF-8 text s that continue a character: what a %-*s width needs on top
 * to pad s to a number of characters (Swedish labels). */
static int utf8_extra(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) == 0x80;
	return n;
}

static void print_stats(const char *label, json_t *st)
{
	printf("%-*s %7lld  %5.1f%%  %6lld  %4lld  %4lld  %4lld\n", 28 + utf8_extra(label), label,
	       json_integer_value(json_object_get(st, "count")),
	       100.0 * json_real_value(json_object_get(st, "share_within")),
	       json_integer_value(json_object_get(st, "median")),
	       json_integer_value(json_object_get(st, "p90")),
	       json_integer_value(json_object_get(st, "p95")),
	       json_integer_value(json_object_get(st, "max")));
}

static void print_groups(const char *title, json_t *arr)
{
	size_t i;
	json_t *g;
	char label[64];

	printf("\n%-*s %7s  %6s  %6s  %4s  %4s  %4s\n", 28 + utf8_extra(title), title, _("orders"), _("in-7"), _("median"), "p90", "p95",
	       _("max"));
	json_array_foreach(arr, i, g) {
		snprintf(label, sizeof label, "%s", json_string_value(json_object_get(g, "key")));
		print_stats(label, g);
	}
}

static void print_report(json_t *r)
{
	json_t *overall = json_object_get(r, "overall"), *cs = json_object_get(r, "customer_set");
	json_t *hist = json_object_get(overall, "histogram"), *v;
	size_t i;
	long long maxbar = 1;

	printf(_("Lead time in working days, target %lld (orders registered after %02lld:%02lld start the next working day)\n\n"),
	       json_integer_value(json_object_get(r, "target_days")),
	       json_integer_value(json_object_get(r, "cutoff_minute")) / 60,
	       json_integer_value(json_object_get(r, "cutoff_minute")) % 60);
	printf("%-28s %7s  %6s  %6s  %4s  %4s  %4s\n", "", _("orders"), _("in-7"), _("median"), "p90", "p95",
	       _("max"));
	print_stats(_("all measured orders"), overall);
	printf(_("%-28s %7lld  %5.1f%%  (on or before the customer-set date)\n"), _("customer-set date (apart)"),
	       json_integer_value(json_object_get(cs, "count")),
	       100.0 * json_real_value(json_object_get(cs, "share_within")));
	printf("%s", _("\nHistogram (working days: orders)\n"));
	json_array_foreach(hist, i, v)
		if (json_integer_value(v) > maxbar)
			maxbar = json_integer_value(v);
	json_array_foreach(hist, i, v) {
		int bar = (int)(json_integer_value(v) * 50 / maxbar);
		printf("%3zu%s %7lld %.*s\n", i, i == WMS_LT_HIST_MAX ? "+" : " ", json_integer_value(v), bar,
		       "##################################################");
	}
	print_groups(_("by product type"), json_object_get(r, "by_product"));
	print_groups(_("by customer kind"), json_object_get(r, "by_customer_kind"));
	print_groups(_("by delivery mode"), json_object_get(r, "by_mode"));
	print_groups(_("by month of delivery"), json_object_get(r, "by_month"));
	print_groups(_("by depot"), json_object_get(r, "by_depot"));
	printf(_("\nLate orders: %lld (newest first; `wms order note N --reason` records why)\n"),
	       json_integer_value(json_object_get(r, "late_count")));
	json_array_foreach(json_object_get(r, "late"), i, v) {
		if (i == 15) {
			printf(_("  ... (--json lists %zu)\n"), json_array_size(json_object_get(r, "late")));
			break;
		}
		printf(_("  %-16s %-8s %-16s %3lld days  delivered %s  %s\n"),
		       json_string_value(json_object_get(v, "order")),
		       json_string_value(json_object_get(v, "product")),
		       json_string_value(json_object_get(v, "customer")),
		       json_integer_value(json_object_get(v, "days")),
		       json_string_value(json_object_get(v, "delivered")),
		       json_is_string(json_object_get(v, "reason"))
		               ? json_string_value(json_object_get(v, "reason")) : _("(no reason given)"));
	}
	printf(_("\nOpen orders at risk: %zu\n"), json_array_size(json_object_get(r, "at_risk")));
	json_array_foreach(json_object_get(r, "at_risk"), i, v)
		printf(_("  %-16s %-8s %-16s age %2lld  days left %3lld%s\n"),
		       json_string_value(json_object_get(v, "order")),
		       json_string_value(json_object_get(v, "product")),
		       json_string_value(json_object_get(v, "customer")),
		       json_integer_value(json_object_get(v, "age_days")),
		       json_integer_value(json_object_get(v, "days_left")),
		       json_is_string(json_object_get(v, "requested_date")) ? _("  (customer-set date)") : "");
	printf(_("\nBy customer: `wms leadtime report --json` has by_customer for all %zu ordering units.\n"),
	       json_array_size(json_object_get(r, "by_customer")));
}

void cli_leadtime_rules(const struct cli *c, struct wms_leadtime_opts *o)
{
	wms_leadtime_rules_of(o, c->cfg);
}

static int leadtime_rebuild(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct wms_leadtime_opts o = { 0 };
	long n = 0;
	int rc;

	(void)cmd;
	if ((rc = cli_store(c, err)) < 0)
		return rc;
	cli_leadtime_rules(c, &o);
	if ((rc = wms_leadtime_rebuild(c->store, &o, &n, err)) < 0)
		return rc;
	printf(_("lead times of %ld delivered orders counted again under the configured calendar and cut-off\n"), n);
	return 0;
}

static int leadtime_report(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct wms_leadtime_opts o = { 0 };
	const char *v;
	json_t *r;
	int rc;

	if ((rc = cli_store(c, err)) < 0)
		return rc;
	if ((v = cli_opt(c, "from")) && (rc = wms_date_parse(v, &o.from, err)) < 0)
		return rc;
	if ((v = cli_opt(c, "to")) && (rc = wms_date_parse(v, &o.to, err)) < 0)
		return rc;
	if ((v = cli_opt(c, "now")) && (rc = wms_time_parse(v, &o.now, err)) < 0)
		return rc;
	cli_leadtime_rules(c, &o);
	o.product = cli_opt(c, "product");
	o.customer = cli_opt(c, "customer");
	o.mode = cli_opt(c, "mode");
	o.depot = cli_opt(c, "depot");
	if (o.depot && (rc = wms_depot_known(c->store, o.depot, err)) < 0)
		return rc;
	if ((r = wms_leadtime_report(c->store, &o, err)) == NULL)
		return err->code ? err->code : WMS_EDB;
	if (c->json)
		cli_print(c, r);
	else
		print_report(r);
	json_decref(r);
	return 0;
}

const struct cli_command cli_report_commands[] = {
	{ "device show", device_show, "SERIAL", "", N_("a device with its complete history"), -1 },
	{ "stock", stock, "", "product location depot by-depot",
	  N_("devices in stock by depot, location, product type and state (in transfer: arriving at a depot); "
	  "--by-depot: one row per depot and product type"), -1 },
	{ "order list", order_list, "", "status limit", N_("orders, newest first"), -1 },
	{ "order show", order_show, "NUMBER", "personal",
	  N_("an order with its history (--personal: with the patient's personal data)"), -1 },
	{ "leadtime report", leadtime_report, "", "from to product customer mode depot now",
	  N_("lead time against the contracted working days: share, median, p90, late, at risk"), -1 },
	{ "leadtime rebuild", leadtime_rebuild, "", "",
	  N_("count every delivered order's lead time again (after the calendar, cut-off or depot days changed)"), -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
