/*
 * cmd_courier.c - the dispatcher's subcommands (courier/): pickup points and
 * postal codes, consignments with SSCC and carrier booking, tracking events.
 */
#include "cli.h"

#include "courier_booking.h"
#include "courier_consignment.h"
#include "courier_pickup.h"
#include "courier_tracking.h"
#include "wms_time.h"

#include <signal.h>
#include <stdio.h>
#include <time.h>

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

/* After creation: book what is due now (--wait), then say what was made and what is queued. */
static int print_created(struct cli *c, const struct courier_consignment_req *req,
                         struct courier_consignment_result *res, struct wms_error *err)
{
	const char *what = req->transfer ? "transfer consignment"
	                   : req->is_return ? "return consignment" : "consignment";
	int rc = 0;

	if (!res->booked && cli_opt(c, "wait")) {
		struct courier_consignment_result again;
		char sscc[sizeof res->sscc];

		snprintf(sscc, sizeof sscc, "%s", res->sscc);
		rc = courier_consignment_book(c->store, &c->courier, sscc, NULL, &again, err);
		if (rc == 0) {
			snprintf(res->tracking, sizeof res->tracking, "%s", again.tracking);
			res->booked = true;
		}
	}
	if (c->json) {
		json_t *o = json_pack("{s:I, s:s, s:s?, s:b, s:I, s:I, s:s?}", "id", (json_int_t)res->id,
		                      "sscc", res->sscc, "tracking", res->tracking[0] ? res->tracking : NULL,
		                      "booked", res->booked, "booking_job", (json_int_t)res->booking_job,
		                      "label_job", (json_int_t)res->label_job, "label_note",
		                      res->label_note[0] ? res->label_note : NULL);
		cli_print(c, o);
		json_decref(o);
	} else {
		char why[512];

		if (res->booked)
			printf("%s %lld: SSCC %s booked, tracking number %s\n", what, res->id, res->sscc,
			       res->tracking);
		else
			printf("%s %lld: SSCC %s created; booking with %s queued (outbox job %lld)\n", what,
			       res->id, res->sscc, req->carrier, res->booking_job);
		if (res->label_job)
			printf("%s %lld: %s label queued on printer %s (print job %lld)%s\n", what, res->id,
			       req->is_return ? "return" : "shipping", req->label_printer, res->label_job,
			       res->booked ? "" : ", printed once booked");
		else if (res->label_note[0])
			printf("%s %lld: no label queued: %s\n", what, res->id, res->label_note);
		else
			printf("%s %lld: %s: no label queued; give --printer or configure one\n", what, res->id,
			       printq_conf_why_none(&c->printers, req->is_return ? LABEL_RETURN : LABEL_SHIPPING,
			                            c->station, why, sizeof why));
	}
	if (rc < 0)
		return wms_error_set(err, rc, "%s %s created, not booked yet: %s; the booking is retried "
		                     "(`wms consignment work`, or wmsd)", what, res->sscc, err->msg);
	return 0;
}

/* kind: 'o'utbound, 'r'eturn or 't'ransfer (args[0] the serial of a device in stock, --to
 * the depot it goes to, or of a device in transfer) */
static int create(struct cli *c, char kind, struct wms_error *err)
{
	bool is_return = kind == 'r';
	struct courier_consignment_req req = {
		.order = kind == 't' ? NULL : c->args[0], .transfer = kind == 't' ? c->args[0] : NULL,
		.carrier = cli_opt(c, "carrier"), .service = cli_opt(c, "service"),
		.tracking = cli_opt(c, "tracking"), .station = c->station ? c->station : "cli",
		.actor = c->actor, .is_return = is_return, .pickup_point = cli_opt(c, "pickup-point"),
		.to_depot = cli_opt(c, "to"),
	};
	struct courier_consignment_result res;
	int rc;

	if (req.carrier == NULL)
		return wms_error_set(err, WMS_EINVAL, "%s create needs a carrier (--carrier NAME)",
		                     kind == 't' ? "transfer-consignment"
		                     : is_return ? "return-consignment" : "consignment");
	if (c->at && (rc = wms_time_parse(c->at, &req.at, err)) < 0)
		return rc;
	if ((rc = open_all(c, err)) < 0 ||
	    (rc = cli_label_printer(c, is_return ? LABEL_RETURN : LABEL_SHIPPING, &req.label_printer,
	                            err)) < 0 ||
	    (rc = courier_consignment_create(c->store, &c->courier, &req, &res, err)) < 0)
		return rc;
	return print_created(c, &req, &res, err);
}

static int consignment_create(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	return create(c, 'o', err);
}

static int return_create(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	return create(c, 'r', err);
}

static int transfer_create(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	return create(c, 't', err);
}

static volatile sig_atomic_t work_stop;

static void on_signal(int sig)
{
	(void)sig;
	work_stop = 1;
}

static void print_work(const struct courier_booking_stats *st)
{
	printf("booked %d, retried %d, failed %d, closed %d\n", st->booked, st->retried, st->failed,
	       st->closed);
	fflush(stdout);
}

/* The booking worker by hand (wmsd runs the same in its outbox thread). */
static int consignment_work(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct courier_booking_stats st;
	struct sigaction sa = { .sa_handler = on_signal };
	int rc;

	if ((rc = open_all(c, err)) < 0)
		return rc;
	if (cli_opt(c, "once")) {
		if ((rc = courier_booking_run_once(c->store, &c->courier, 0, &st, err)) == 0)
			print_work(&st);
		return rc;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!work_stop) {
		struct timespec second = { 1, 0 };
		if ((rc = courier_booking_run_once(c->store, &c->courier, 0, &st, err)) < 0)
			break;
		if (st.booked || st.retried || st.failed || st.closed)
			print_work(&st);
		nanosleep(&second, NULL);
	}
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
		rc = courier_tracking_import(c->store, &c->courier, c->args[0], c->role, &rep, err);
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
	if ((rc = open_all(c, err)) < 0)
		return rc;
	in.role = c->role;   /* the ledger events it causes are the caller's (wms_rules.h) */
	if ((rc = courier_tracking_apply(c->store, &c->courier, &in, &res, err)) < 0)
		return rc;
	printf("consignment %lld: %s%s%s\n", res.consignment_id, res.state,
	       res.duplicate ? " (event already recorded)" : "",
	       res.delivered ? "; delivered: lead time ended" : "");
	return 0;
}

const struct cli_command cli_courier_commands[] = {
	{ "pickup-point import", pickup_import, "FILE", "",
	  N_("import pickup points (CSV id,carrier,name,address,postal_code,city,opening_hours,active)"), -1 },
	{ "pickup-point nearest", pickup_nearest, "POSTCODE", "carrier limit",
	  N_("the nearest active pickup points to a postal code, with distance in km"), -1 },
	{ "pickup-point list", pickup_list, "", "carrier", N_("list the pickup point registry"), -1 },
	{ "postcode import", postcode_import, "FILE", "",
	  N_("import postal-code coordinates (CSV postal_code,lat,lon)"), -1 },
	{ "consignment create", consignment_create, "ORDER", "carrier service tracking pickup-point printer wait at station actor",
	  N_("make the consignment (SSCC) of a picked order's parcel; its booking and shipping label "
	     "go through the outbox (--wait: book now)"), -1 },
	{ "consignment work", consignment_work, "", "once",
	  N_("book what is due with the carriers (--once: one pass; else until interrupted)"), -1 },
	{ "return-consignment create", return_create, "ORDER|SERIAL",
	  "carrier pickup-point service tracking printer wait at station actor",
	  N_("a return via a pickup point (postombud): its own SSCC, booking and return label"), -1 },
	{ "transfer-consignment create", transfer_create, "SERIAL",
	  "to carrier service tracking printer wait at station actor",
	  N_("a device goes to another depot by carrier: its own SSCC, booking and shipping label; a "
	     "device in stock (--to CODE) is sent when the dispatch station scans the SSCC"), -1 },
	{ "consignment book", consignment_book, "SSCC", "tracking",
	  N_("book a consignment whose booking failed (or type a manual carrier's tracking number)"), -1 },
	{ "consignment cancel", consignment_cancel, "SSCC", "reason",
	  N_("cancel a consignment not yet handed over (the carrier's booking too)"), -1 },
	{ "consignment show", consignment_show, "SSCC|ID", "",
	  N_("a consignment with its devices, events and lead time"), -1 },
	{ "consignment list", consignment_list, "", "problems limit",
	  N_("consignments, newest first; --problems: failed, returned, not booked or late"), -1 },
	{ "tracking import", tracking_import, "FILE", "",
	  N_("apply carriers' tracking events (CSV ref,event,time or JSON lines)"), -1 },
	{ "tracking add", tracking_add, "SSCC EVENT", "at",
	  N_("apply one tracking event (in_transit, available_at_pickup_point, delivered, ...)"), -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
