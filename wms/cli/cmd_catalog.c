/*
 * cmd_catalog.c - reference data subcommands: product types and GTINs,
 * ordering units (customers) and locations.
 */
#include "cli.h"

#include "wms_catalog.h"

#include <stdio.h>

static int print_list(struct cli *c, json_t *(*list)(struct wms_store *, struct wms_error *),
                      struct wms_error *err)
{
	int rc;

	if ((rc = cli_store(c, err)) < 0)
		return rc;
	return cli_show(c, list(c->store, err), err);
}

static int done(int rc, const char *what, const char *code)
{
	if (rc == 0)
		printf(_("%s %s added\n"), what, code);
	return rc;
}

static int product_add(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct wms_product p = {
		.code = c->args[0], .name_sv = cli_opt(c, "name-sv"), .name_en = cli_opt(c, "name-en"),
		.category = cli_opt(c, "category"), .needs_training = cli_opt(c, "needs-training") != NULL,
	};
	int rc = cli_store(c, err);

	return done(rc ? rc : wms_product_add(c->store, &p, err), _("product type"), p.code);
}

static int product_add_gtin(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	return done(rc ? rc : wms_product_add_gtin(c->store, c->args[0], c->args[1], err), _("GTIN"),
	            c->args[1]);
}

static int product_list(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	return print_list(c, wms_product_list, err);
}

static int customer_add(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	const char *street = cli_opt(c, "street"), *postcode = cli_opt(c, "postcode"), *city = cli_opt(c, "city");
	int rc = cli_store(c, err);

	if (rc < 0 || (rc = wms_store_begin(c->store, err)) < 0)
		return rc;
	/* the customer and its address together, or nothing */
	if ((rc = wms_customer_add(c->store, c->args[0], cli_opt(c, "name"), cli_opt(c, "kind"),
	                           cli_opt(c, "cost-centre"), err)) == 0 && (street || postcode || city))
		rc = wms_customer_set_address(c->store, c->args[0], street, postcode, city, err);
	if (rc == 0)
		rc = wms_store_commit(c->store, err);
	else
		wms_store_rollback(c->store);
	return done(rc, _("customer"), c->args[0]);
}

static int customer_set_address(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	if (rc == 0 && (rc = wms_customer_set_address(c->store, c->args[0], cli_opt(c, "street"),
	                                              cli_opt(c, "postcode"), cli_opt(c, "city"), err)) == 0)
		printf(_("customer %s: address set\n"), c->args[0]);
	return rc;
}

static int customer_list(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	return print_list(c, wms_customer_list, err);
}

static int location_add(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = cli_store(c, err);

	return done(rc ? rc : wms_location_add(c->store, c->args[0], cli_opt(c, "name"), cli_opt(c, "kind"),
	                                       cli_opt(c, "depot"), cli_opt(c, "customer"), err),
	            _("location"), c->args[0]);
}

static int location_list(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	return print_list(c, wms_location_list, err);
}

const struct cli_command cli_catalog_commands[] = {
	{ "product add", product_add, "CODE", "name-sv name-en category needs-training",
	  N_("add a product type (category HoS or SoL)"), -1 },
	{ "product add-gtin", product_add_gtin, "CODE GTIN", "", N_("register a GTIN for a product type"), -1 },
	{ "product list", product_list, "", "", N_("list product types and their GTINs"), -1 },
	{ "customer add", customer_add, "CODE", "name kind cost-centre street postcode city",
	  N_("add an ordering unit (kind region, municipality or private) with its address"), -1 },
	{ "customer set-address", customer_set_address, "CODE", "street postcode city",
	  N_("set an ordering unit's address (for delivery notes)"), -1 },
	{ "customer list", customer_list, "", "", N_("list ordering units"), -1 },
	{ "location add", location_add, "CODE", "name kind depot customer",
	  N_("add a shelf, buffer store (with --customer) or pickup point"), -1 },
	{ "location list", location_list, "", "", N_("list locations"), -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
