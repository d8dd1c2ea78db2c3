/*
 * cmd_orders.c - orders coming in and going out of the contract: CSV import
 * from the ordering system, allocation of devices, the purge of patient data
 * and the monthly rental report.
 */
#include "cli.h"

#include "wms_allocate.h"
#include "wms_order_import.h"
#include "wms_patient.h"
#include "wms_rental.h"
#include "wms_time.h"

#include <stdio.h>
#include <string.h>

static int when(struct cli *c, wms_time *at, struct wms_error *err)
{
	*at = 0;
	return c->at ? wms_time_parse(c->at, at, err) : 0;
}

static void report_bad_row(void *ctx, long line, const char *msg)
{
	(void)ctx;
	(void)line;
	fprintf(stderr, "wms order import: %s\n", msg);
}

static int order_import(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct wms_import_opts o = { 0 };
	struct wms_import_result r;
	int rc;

	if ((rc = when(c, &o.at, err)) < 0 || (rc = cli_store(c, err)) < 0)
		return rc;
	o.station = c->station ? c->station : "cli";
	o.actor = c->actor;
	o.role = c->role;
	o.report = report_bad_row;
	if ((rc = wms_order_import_file(c->store, c->args[0], &o, &r, err)) < 0)
		return rc;
	if (c->json) {
		json_t *j = json_pack("{s:I, s:I, s:I}", "imported", (json_int_t)r.imported, "present",
		                      (json_int_t)r.present, "bad", (json_int_t)r.bad);
		cli_print(c, j);
		json_decref(j);
	} else {
		printf(_("%ld imported, %ld already present, %ld bad\n"), r.imported, r.present, r.bad);
	}
	if (r.bad > 0)
		return wms_error_set(err, WMS_EINVAL, "%ld bad row%s (listed above) not imported; correct them "
		                     "and import the file again: rows already present are skipped",
		                     r.bad, r.bad == 1 ? "" : "s");
	return 0;
}

static json_t *alloc_json(const struct wms_alloc_result *r, const char *msg)
{
	return json_pack("{s:s, s:s?, s:b, s:s?}", "order", r->order, "serial", r->serial[0] ? r->serial : NULL,
	                 "from_buffer", r->from_buffer, "unavailable", msg);
}

static void report_alloc(void *ctx, const struct wms_alloc_result *r, int rc, const char *msg)
{
	struct cli *c = ctx;

	if (c->json)
		return;
	if (rc == 0)
		printf(_("order %s: reserved %s from %s\n"), r->order, r->serial,
		       r->from_buffer ? _("the unit's buffer store") : _("stock"));
	else
		printf("order %s: %s\n", r->order, msg);
}

struct alloc_collect {
	struct cli *c;
	json_t *rows;
};

static void collect_alloc(void *ctx, const struct wms_alloc_result *r, int rc, const char *msg)
{
	struct alloc_collect *a = ctx;

	if (a->c->json)
		json_array_append_new(a->rows, alloc_json(r, rc ? msg : NULL));
	else
		report_alloc(a->c, r, rc, msg);
}

static int allocate(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct wms_alloc_opts o = { 0 };
	bool all = cli_opt(c, "all") != NULL;
	int rc;

	if (all == (c->n_args == 1))
		return wms_error_set(err, WMS_EINVAL, "name one order, or --all for every open order");
	if ((rc = when(c, &o.at, err)) < 0 || (rc = cli_store(c, err)) < 0)
		return rc;
	o.station = c->station ? c->station : "cli";
	o.actor = c->actor;
	o.role = c->role;
	if (all) {
		struct alloc_collect a = { c, json_array() };
		long ok = 0, none = 0;
		if (a.rows == NULL)
			return wms_error_set(err, WMS_ENOMEM, "out of memory");
		rc = wms_allocate_all(c->store, &o, collect_alloc, &a, &ok, &none, err);
		if (rc == 0 && c->json) {
			json_t *j = json_pack("{s:I, s:I, s:O}", "allocated", (json_int_t)ok, "unavailable",
			                      (json_int_t)none, "orders", a.rows);
			cli_print(c, j);
			json_decref(j);
		} else if (rc == 0) {
			printf(_("%ld allocated, %ld left open (nothing available)\n"), ok, none);
		}
		json_decref(a.rows);
		return rc;
	}
	{
		struct wms_alloc_result r;
		if ((rc = wms_allocate(c->store, c->args[0], &o, &r, err)) < 0)
			return rc;
		if (c->json) {
			json_t *j = alloc_json(&r, NULL);
			cli_print(c, j);
			json_decref(j);
		} else {
			report_alloc(c, &r, 0, NULL);
		}
	}
	return 0;
}

static int purge(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	long days;
	long long n = 0;
	wms_time now;
	int rc;

	if ((rc = cli_store(c, err)) < 0)
		return rc;
	days = c->cfg->retention_days;
	if (cli_opt(c, "retention-days") &&
	    (rc = wms_parse_int(cli_opt(c, "retention-days"), 0, 3650, &days, err)) < 0)
		return rc;
	if ((rc = when(c, &now, err)) < 0)
		return rc;
	if (now == 0)
		now = wms_now();
	if ((rc = wms_patient_purge(c->store, now, (int)days, &n, err)) < 0)
		return rc;
	if (c->json) {
		json_t *j = json_pack("{s:I, s:i}", "purged", (json_int_t)n, "retention_days", (int)days);
		cli_print(c, j);
		json_decref(j);
	} else {
		printf(_("patient data of %lld order%s purged (closed more than %ld days ago)\n"), n,
		       n == 1 ? "" : "s", days);
	}
	return 0;
}

/* A CSV field, quoted when it holds the separator, a quote or a line break. */
static void csv_field(const char *s, bool last)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ";\"\r\n")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ';');
}

static int rental_report(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int year, month, rc;
	wms_time now;
	json_t *r, *row;
	size_t i;

	if (cli_opt(c, "month") == NULL)
		return wms_error_set(err, WMS_EINVAL, "--month YYYY-MM is needed");
	if ((rc = wms_month_parse(cli_opt(c, "month"), &year, &month, err)) < 0)
		return rc;
	if (cli_opt(c, "csv") && c->json)
		return wms_error_set(err, WMS_EINVAL, "choose one of --csv and --json");
	if ((rc = when(c, &now, err)) < 0 || (rc = cli_store(c, err)) < 0)
		return rc;
	if ((r = wms_rental_report_depot(c->store, year, month, cli_opt(c, "depot"), now ? now : wms_now(),
	                                 err)) == NULL)
		return err->code ? err->code : WMS_EDB;
	if (cli_opt(c, "csv")) {
		char buf[32];
		printf("month;customer;name;cost_centre;devices;rental_days\n");
		json_array_foreach(json_object_get(r, "customers"), i, row) {
			csv_field(json_string_value(json_object_get(r, "month")), false);
			csv_field(json_string_value(json_object_get(row, "customer")), false);
			csv_field(json_string_value(json_object_get(row, "name")), false);
			csv_field(json_string_value(json_object_get(row, "cost_centre")), false);
			snprintf(buf, sizeof buf, "%lld", json_integer_value(json_object_get(row, "devices")));
			csv_field(buf, false);
			snprintf(buf, sizeof buf, "%lld", json_integer_value(json_object_get(row, "rental_days")));
			csv_field(buf, true);
		}
		printf("%s;TOTAL;;;%lld;%lld\n", json_string_value(json_object_get(r, "month")),
		       json_integer_value(json_object_get(json_object_get(r, "total"), "devices")),
		       json_integer_value(json_object_get(json_object_get(r, "total"), "rental_days")));
	} else if (c->json) {
		cli_print(c, r);
	} else {
		printf(_("Rental %s (%lld days): devices and rental days per customer and cost centre\n\n"),
		       json_string_value(json_object_get(r, "month")),
		       json_integer_value(json_object_get(r, "days_in_month")));
		cli_print(c, json_object_get(r, "customers"));
		printf(_("\ntotal: %lld devices, %lld rental days\n"),
		       json_integer_value(json_object_get(json_object_get(r, "total"), "devices")),
		       json_integer_value(json_object_get(json_object_get(r, "total"), "rental_days")));
		printf(_("\nby depot:\n"));
		cli_print(c, json_object_get(r, "by_depot"));
	}
	json_decref(r);
	return 0;
}

const struct cli_command cli_orders_commands[] = {
	{ "order import", order_import, "FILE", "at station actor",
	  N_("import orders from the ordering system's CSV (bad rows reported by line; re-import adds no duplicates)"),
	  -1 },
	{ "allocate", allocate, "[ORDER]", "all at station actor",
	  N_("reserve a device for an open order (--all: every open order): buffer first, oldest first"), -1 },
	{ "purge", purge, "", "retention-days at",
	  N_("delete patient data of orders closed longer ago than [privacy] retention_days"), -1 },
	{ "rental report", rental_report, "", "month depot csv at",
	  N_("devices and rental days per customer and cost centre in a month (--csv or --json)"), -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
