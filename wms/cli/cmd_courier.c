/*
 * cmd_courier.c - the dispatcher's subcommands (courier/): pickup points and
 * postal codes, consignments with SSCC and carrier booking, tracking events.
 */
#include "cli.h"

#include "courier_consignment.h"
#include "courier_pickup.h"
#include "courier_tracking.h"
#include "wms_time.h"

#include <stdio.h>

/* Store and configuration, with the courier sections checked as a whole. */
static int open_all(struct cli *c, struct wms_error *err)
{
	int rc;

	if ((rc = cli_store(c, err)) < 0)
		return rc;
	return courier_config_check(&c->courier, c->config_path, err);
}

/* Print an import's counts and bad lines; bad lines make the exit code 3. */
static int report(struct cli *c, const char *what, int rc, struct courier_import_report *rep,
                  struct wms_error *err)
{
	size_t i;
	json_t *p;

	if (rc < 0) {
		courier_import_report_clear(rep);
		return rc;
	}
	if (c->json) {
		json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:O}", "added", (json_int_t)rep->added,
		                      "updated", (json_int_t)rep->updated, "unchanged",
		                      (json_int_t)rep->unchanged, "bad", (json_int_t)rep->bad,
		                      "problems", rep->problems);
		cli_print(c, o);
		json_decref(o);
	} else {
		json_array_foreach(rep->problems, i, p)
			fprintf(stderr, "line %lld: %s\n",
			        (long long)json_integer_value(json_object_get(p, "line")),
			        json_string_value(json_object_get(p, "error")));
		printf("%s: %ld added, %ld updated, %ld unchanged, %ld bad lines\n", what, rep->added,
		       rep->updated, rep->unchanged, rep->bad);
	}
	rc = rep->bad ? wms_error_set(err, WMS_EINVAL, "%ld bad lines left out (see above); the "
	                              "other lines were imported", rep->bad) : 0;
	courier_import_report_clear(rep);
	return rc;
}

static int pickup_import(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct courier_import_report rep = { 0 };
	int rc = open_all(c, err);

	if (rc == 0)
		rc = courier_pickup_import(c->store, c->args[0], &rep, err);
	return report(c, "pickup points", rc, &rep, err);
}

static int postcode_import(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct courier_import_report rep = { 0 };
	int rc = open_all(c, err);

	if (rc == 0)
		rc = courier_postcode_import(c->store, c->args[0], &rep, err);
	return report(c, "postal codes", rc, &rep, err);
}

static int pickup_nearest(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	long limit = 5;
	int rc;

	if (cli_opt(c, "limit") && (rc = wms_parse_int(cli_opt(c, "limit"), 1, 100, &limit, err)) < 0)
		return rc;
	if ((rc = open_all(c, err)) < 0)
		return rc;
	return cli_show(c, courier_pickup_nearest(c->store, c->args[0], cli_opt(c, "carrier"), (int)limit,
	                                          err), err);
}

static int pickup_list(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = open_all(c, err);

	return rc ? rc : cli_show(c, courier_pickup_list(c->store, cli_opt(c, "carrier"), err), err);
}

static void print_booking(struct cli *c, const struct courier_consignment_result *res)
{
	if (c->json) {
		json_t *o = json_pack("{s:I, s:s, s:s?, s:b}", "id", (json_int_t)res->id, "sscc", res->sscc,
		                      "tracking", res->tracking[0] ? res->tracking : NULL,
		                      "booked", res->booked);
		cli_print(c, o);
		json_decref(o);
	} else if (res->booked) {
		printf("consignment %lld: SSCC %s booked, tracking number %s\n", res->id, res->sscc,
		       res->tracking);
	}
}

static int consignment_create(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct courier_consignment_req req = {
		.order = c->args[0], .carrier = cli_opt(c, "carrier"), .service = cli_opt(c, "service"),
		.tracking = cli_opt(c, "tracking"), .station = c->station ? c->station : "cli",
		.actor = c->actor,
	};
	struct courier_consignment_result res;
	int rc;

	if (req.carrier == NULL)
		return wms_error_set(err, WMS_EINVAL, "consignment create needs a carrier (--carrier NAME)");
	if (c->at && (rc = wms_time_parse(c->at, &req.at, err)) < 0)
		return rc;
	if ((rc = open_all(c, err)) < 0)
		return rc;
	rc = courier_consignment_create(c->store, &c->courier, &req, &res, err);
	if (rc < 0 && res.id)
		return wms_error_set(err, rc, "consignment %lld (SSCC %s) created but not booked: %s; "
		                     "retry with `wms consignment book %s`", res.id, res.sscc, err->msg,
		                     res.sscc);
	if (rc == 0)
		print_booking(c, &res);
	return rc;
}

static int consignment_book(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct courier_consignment_result res;
	int rc = open_all(c, err);

	if (rc == 0)
		rc = courier_consignment_book(c->store, &c->courier, c->args[0], cli_opt(c, "tracking"),
		                              &res, err);
	if (rc == 0)
		print_booking(c, &res);
	return rc;
}

static int consignment_cancel(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = open_all(c, err);

	if (rc == 0 && (rc = courier_consignment_cancel(c->store, &c->courier, c->args[0],
	                                                cli_opt(c, "reason"), err)) == 0)
		printf("consignment %s cancelled\n", c->args[0]);
	return rc;
}

static int consignment_show(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc = open_all(c, err);

	return rc ? rc : cli_show(c, courier_consignment_show(c->store, c->cfg, c->args[0], err), err);
}

static int consignment_list(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	long limit = 100;
	int rc;

	if (cli_opt(c, "limit") && (rc = wms_parse_int(cli_opt(c, "limit"), 1, 1000000, &limit, err)) < 0)
		return rc;
	if ((rc = open_all(c, err)) < 0)
		return rc;
	return cli_show(c, courier_consignment_list(c->store, c->cfg, cli_opt(c, "problems") != NULL, 0,
	                                            (int)limit, err), err);
}

static int tracking_import(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct courier_import_report rep = { 0 };
	int rc = open_all(c, err);

	if (rc == 0)
		rc = courier_tracking_import(c->store, &c->courier, c->args[0], &rep, err);
	return report(c, "tracking events", rc, &rep, err);
}

static int tracking_add(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct courier_tracking_input in = { .ref = c->args[0], .source = "cli" };
	struct courier_tracking_result res;
	int ev = courier_event_from_name(c->args[1]), rc;

	if (ev < 0)
		return wms_error_set(err, WMS_EINVAL, "bad event \"%.40s\"; allowed: %s", c->args[1],
		                     courier_event_names());
	in.event = (enum courier_event)ev;
	in.at = wms_now();
	if (c->at && (rc = wms_time_parse(c->at, &in.at, err)) < 0)
		return rc;
	if ((rc = open_all(c, err)) < 0 ||
	    (rc = courier_tracking_apply(c->store, &c->courier, &in, &res, err)) < 0)
		return rc;
	printf("consignment %lld: %s%s%s\n", res.consignment_id, res.state,
	       res.duplicate ? " (event already recorded)" : "",
	       res.delivered ? "; delivered: lead time ended" : "");
	return 0;
}

const struct cli_command cli_courier_commands[] = {
	{ "pickup-point import", pickup_import, "FILE", "",
	  "import pickup points (CSV id,carrier,name,address,postal_code,city,opening_hours,active)", -1 },
	{ "pickup-point nearest", pickup_nearest, "POSTCODE", "carrier limit",
	  "the nearest active pickup points to a postal code, with distance in km", -1 },
	{ "pickup-point list", pickup_list, "", "carrier", "list the pickup point registry", -1 },
	{ "postcode import", postcode_import, "FILE", "",
	  "import postal-code coordinates (CSV postal_code,lat,lon)", -1 },
	{ "consignment create", consignment_create, "ORDER", "carrier service tracking at station actor",
	  "make the consignment (SSCC) of a picked order's parcel and book it with the carrier", -1 },
	{ "consignment book", consignment_book, "SSCC", "tracking",
	  "book a consignment whose booking failed (or type a manual carrier's tracking number)", -1 },
	{ "consignment cancel", consignment_cancel, "SSCC", "reason",
	  "cancel a consignment not yet handed over (the carrier's booking too)", -1 },
	{ "consignment show", consignment_show, "SSCC|ID", "",
	  "a consignment with its devices, events and lead time", -1 },
	{ "consignment list", consignment_list, "", "problems limit",
	  "consignments, newest first; --problems: failed, returned, not booked or late", -1 },
	{ "tracking import", tracking_import, "FILE", "",
	  "apply carriers' tracking events (CSV ref,event,time or JSON lines)", -1 },
	{ "tracking add", tracking_add, "SSCC EVENT", "at",
	  "apply one tracking event (in_transit, available_at_pickup_point, delivered, ...)", -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
