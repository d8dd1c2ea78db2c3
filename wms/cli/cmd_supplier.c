/*
 * cmd_supplier.c - goods in against supplier deliveries (wms_supplier.h):
 * `wms supplier add|list`, `wms supplier-delivery import FILE|list|show
 * NUMBER|close NUMBER` (close prints the discrepancy report).
 */
#include "cli.h"

#include "wms_supplier.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT_MAX (16L * 1024 * 1024)

static int supplier_add(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	if (rc == 0 && (rc = wms_supplier_add(c->store, c->args[0], cli_opt(c, "name"), err)) == 0)
		printf(_("supplier %s added\n"), c->args[0]);
	return rc;
}

static int supplier_list(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	return rc ? rc : cli_show(c, wms_supplier_list(c->store, err), err);
}

static int delivery_import(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	FILE *fp = fopen(c->args[0], "rb");
	char *buf = NULL;
	size_t len = 0;
	int rc, deliveries, lines;

	if (fp == NULL)
		return wms_error_set(err, WMS_EIO, "cannot read %s: %s", c->args[0], strerror(errno));
	if ((buf = malloc((size_t)IMPORT_MAX + 1)) == NULL) {
		fclose(fp);
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	}
	len = fread(buf, 1, (size_t)IMPORT_MAX + 1, fp);
	rc = ferror(fp) ? wms_error_set(err, WMS_EIO, "cannot read %s", c->args[0])
	     : len > (size_t)IMPORT_MAX ? wms_error_set(err, WMS_EINVAL, "%s is larger than %ld bytes; "
	                                                 "split it", c->args[0], IMPORT_MAX) : 0;
	fclose(fp);
	if (rc == 0 && (rc = cli_store(c, err)) == 0 &&
	    (rc = wms_delivery_import(c->store, buf, len, &deliveries, &lines, err)) == 0)
		printf(_("%d delivery(ies), %d line(s) imported\n"), deliveries, lines);
	free(buf);
	return rc;
}

static int delivery_list(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	return rc ? rc : cli_show(c, wms_delivery_list(c->store, err), err);
}

/* A delivery as a worker reads it: totals, then what is missing or over. */
static void print_delivery(const struct cli *c, json_t *d)
{
	json_t *row;
	size_t i;

	printf(_("delivery %s from %s (%s): %lld expected, %lld received, %lld missing\n"),
	       json_string_value(json_object_get(d, "number")),
	       json_string_value(json_object_get(d, "supplier")),
	       json_string_value(json_object_get(d, "status")),
	       (long long)json_integer_value(json_object_get(d, "expected")),
	       (long long)json_integer_value(json_object_get(d, "received")),
	       (long long)json_integer_value(json_object_get(d, "missing")));
	printf("%-12s %8s %8s %8s %8s\n", _("product"), _("expected"), _("received"), _("missing"), _("over"));
	json_array_foreach(json_object_get(d, "products"), i, row)
		printf("%-12s %8lld %8lld %8lld %8lld\n", json_string_value(json_object_get(row, "product")),
		       (long long)json_integer_value(json_object_get(row, "expected")),
		       (long long)json_integer_value(json_object_get(row, "received")),
		       (long long)json_integer_value(json_object_get(row, "missing")),
		       (long long)json_integer_value(json_object_get(row, "over")));
	json_array_foreach(json_object_get(d, "unexpected"), i, row)
		printf(_("unexpected: %s, %lld received but not announced\n"),
		       json_string_value(json_object_get(row, "product")),
		       (long long)json_integer_value(json_object_get(row, "received")));
	json_array_foreach(json_object_get(d, "serials_missing"), i, row)
		printf(_("announced serial not received: %s\n"),
		       json_string_value(json_object_get(row, "serial")));
}

static int delivery_show(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	json_t *d;
	int rc = cli_store(c, err);

	if (rc < 0 || (d = wms_delivery_show(c->store, c->args[0], err)) == NULL)
		return rc < 0 ? rc : err->code ? err->code : WMS_EDB;
	if (c->json)
		cli_print(c, d);
	else
		print_delivery(c, d);
	json_decref(d);
	return 0;
}

static int delivery_close(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	json_t *report = NULL;
	int rc = cli_store(c, err);

	if (rc < 0 || (rc = wms_delivery_close(c->store, c->args[0], c->actor, &report, err)) < 0)
		return rc;
	if (c->json) {
		cli_print(c, report);
	} else {
		printf(_("delivery %s closed; discrepancy report:\n"), c->args[0]);
		print_delivery(c, report);
	}
	json_decref(report);
	return 0;
}

const struct cli_command cli_supplier_commands[] = {
	{ "supplier add", supplier_add, "CODE", "name", N_("add a supplier"), -1 },
	{ "supplier list", supplier_list, "", "", N_("list suppliers with their deliveries"), -1 },
	{ "supplier-delivery import", delivery_import, "FILE", "",
	  N_("import announced deliveries: CSV supplier;delivery;product or GTIN;expected[;serials]"), -1 },
	{ "supplier-delivery list", delivery_list, "", "", N_("supplier deliveries: expected and received"), -1 },
	{ "supplier-delivery show", delivery_show, "NUMBER", "",
	  N_("one delivery: expected, received, missing and unexpected per product"), -1 },
	{ "supplier-delivery close", delivery_close, "NUMBER", "",
	  N_("close a delivery and print its discrepancy report"), -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
