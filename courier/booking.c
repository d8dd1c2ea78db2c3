/*
 * booking.c - booking consignments with their carriers through the outbox:
 * the worker pass (courier_booking.h) and the dispatcher's manual retry
 * (courier_consignment_book, courier_consignment.h).
 */
#include "courier_booking.h"

#include "courier_consignment.h"
#include "courier_internal.h"
#include "courier_tx.h"
#include "store_sql.h"
#include "wms_outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Record a booking that did not happen; the job retries later or gives up. */
static int record_failure(struct wms_store *s, const struct courier_cons *c, long long job,
                          const char *why, bool give_up, wms_time now, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE consignments SET booking_error = ?2, updated_ts = ?3 WHERE id = ?1";
	struct courier_tx tx;
	sqlite3_stmt *st;
	int rc, end;

	if ((rc = courier_tx_begin(s, &tx, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, sql, err)) == NULL) {
		rc = WMS_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_text(st, 2, why, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = wms_store_step_done(s, st, "recording the booking", err)) < 0 ||
	    (rc = courier_cons_event(s, c->id, now, "booking_failed", c->carrier, NULL, why, err)) < 0)
		goto out;
	rc = give_up ? wms_outbox_fail(s, job, now, why, err)
	             : wms_outbox_retry_later(s, job, now, why, 0, err);
	if (rc == WMS_ESTATE) {          /* the operator cancelled the job meanwhile */
		wms_error_clear(err);
		rc = 0;
	}
out:
	end = courier_tx_end(s, &tx, rc == 0, err);
	return rc ? rc : end;
}

static int record_booked(struct wms_store *s, const struct courier_cons *c, const char *tracking,
                         wms_time now, struct wms_error *err)
{
	struct courier_tx tx;
	int rc, end;

	if ((rc = courier_tx_begin(s, &tx, err)) < 0)
		return rc;
	rc = courier_cons_booked(s, c, tracking, now, err);
	end = courier_tx_end(s, &tx, rc == 0, err);
	return rc ? rc : end;
}

/* A job that needs no booking any more: done when booked, failed when cancelled. */
static int close_job(struct wms_store *s, const struct courier_cons *c, long long job, wms_time now,
                     struct courier_booking_stats *stats, struct wms_error *err)
{
	char why[160];
	int rc;

	stats->closed++;
	if (strcmp(c->state, "cancelled") == 0) {
		snprintf(why, sizeof why, "consignment %s was cancelled before it was booked", c->sscc);
		rc = wms_outbox_fail(s, job, now, why, err);
	} else {
		rc = wms_outbox_printed(s, job, now, err);
	}
	if (rc == WMS_ESTATE) {
		wms_error_clear(err);
		rc = 0;
	}
	return rc;
}

/* One claimed booking job. */
static int book_job(struct wms_store *s, const struct courier_config *cc,
                    const struct wms_outbox_job *job, wms_time now,
                    struct courier_booking_stats *stats, struct wms_error *err)
{
	struct courier_carrier *carrier = NULL;
	struct courier_booking booking;
	struct courier_parcel p = { 0 };
	struct courier_cons c;
	struct wms_error berr = { 0 };
	json_t *payload = job->payload ? json_loads(job->payload, 0, NULL) : NULL;
	json_t *id = json_object_get(payload, "consignment");
	char why[WMS_ERROR_MSG_MAX + 96];
	int rc;

	if (!json_is_integer(id) ||
	    (rc = courier_cons_load(s, json_integer_value(id), &c, &berr)) == WMS_ENOTFOUND) {
		json_decref(payload);
		stats->failed++;
		rc = wms_outbox_fail(s, job->id, now, "not a booking of a known consignment", err);
		return rc == WMS_ESTATE ? 0 : rc;
	}
	json_decref(payload);
	if (rc < 0)
		return wms_error_set(err, rc, "%s", berr.msg);
	if (strcmp(c.state, "created") != 0)
		return close_job(s, &c, job->id, now, stats, err);
	c.booking_job = job->id;      /* the job this pass holds, even if the link was lost */
	if ((rc = courier_carrier_open(cc, c.carrier, &carrier, &berr)) < 0) {
		stats->failed++;
		return record_failure(s, &c, job->id, berr.msg, true, now, err);
	}
	p.sscc = c.sscc;
	p.order = c.order;
	p.service = c.service[0] ? c.service : NULL;
	p.mode = strcmp(c.kind, "return") == 0 ? "return" : c.mode;
	p.pickup_point = c.pickup_point[0] ? c.pickup_point : NULL;
	rc = courier_carrier_book(carrier, &p, &booking, &berr);
	courier_carrier_close(carrier);
	if (rc == 0) {
		if ((rc = record_booked(s, &c, booking.tracking, now, &berr)) == 0) {
			stats->booked++;
			return 0;
		}
		if (rc == WMS_EDB)
			return wms_error_set(err, rc, "%s", berr.msg);
		snprintf(why, sizeof why, "booked as %s but not recorded: %s", booking.tracking, berr.msg);
		stats->failed++;
		return record_failure(s, &c, job->id, why, true, now, err);
	}
	if (rc == WMS_EIO)
		stats->retried++;
	else
		stats->failed++;
	return record_failure(s, &c, job->id, berr.msg, rc != WMS_EIO, now, err);
}

int courier_booking_run_once(struct wms_store *s, const struct courier_config *cc, int max,
                             struct courier_booking_stats *stats, struct wms_error *err)
{
	wms_time now = wms_now();
	int rc = 0;

	memset(stats, 0, sizeof *stats);
	for (int n = 0; n < (max > 0 ? max : 100); n++) {
		struct wms_outbox_job job;

		if ((rc = wms_outbox_claim(s, "booking", now, &job, err)) <= 0)
			break;
		rc = book_job(s, cc, &job, now, stats, err);
		wms_outbox_job_clear(&job);
		if (rc < 0)
			break;
	}
	return rc < 0 ? rc : 0;
}

/* A consignment from before bookings went through the outbox: give it its job. */
static int add_job(struct wms_store *s, struct courier_cons *c, wms_time now, struct wms_error *err)
{
	static const char sql[] = "UPDATE consignments SET booking_job = ?2 WHERE id = ?1";
	struct courier_tx tx;
	sqlite3_stmt *st;
	char payload[80];
	int rc, end;

	snprintf(payload, sizeof payload, "{\"consignment\":%lld,\"sscc\":\"%s\"}", c->id, c->sscc);
	if ((rc = courier_tx_begin(s, &tx, err)) < 0)
		return rc;
	if ((rc = wms_outbox_enqueue(s, &(struct wms_outbox_new){ .kind = "booking",
	                             .target = c->carrier, .payload = payload }, now, &c->booking_job,
	                             err)) < 0)
		goto out;
	if ((st = wms_store_stmt(s, sql, err)) == NULL) {
		rc = WMS_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_int64(st, 2, c->booking_job);
	rc = wms_store_step_done(s, st, "linking the booking job", err);
out:
	end = courier_tx_end(s, &tx, rc == 0, err);
	return rc ? rc : end;
}

int courier_consignment_book_soon(struct wms_store *s, const struct courier_config *cc,
                                  const char *ref, const char *tracking,
                                  struct courier_consignment_result *res, struct wms_error *err)
{
	const struct courier_carrier_conf *conf;
	struct courier_cons c;
	wms_time now = wms_now();
	long long id;
	int rc;

	rc = courier_consignment_find(s, ref, &id, err);     /* ref may point into res */
	memset(res, 0, sizeof *res);
	if (rc < 0 || (rc = courier_cons_load(s, id, &c, err)) < 0)
		return rc;
	res->id = id;
	snprintf(res->sscc, sizeof res->sscc, "%s", c.sscc);
	res->booking_job = c.booking_job;
	res->label_job = c.label_job;
	if (strcmp(c.state, "created") != 0)
		return wms_error_set(err, WMS_ESTATE, "consignment %s is %s; only a created consignment is "
		                     "booked", c.sscc, c.state);
	if ((conf = courier_config_carrier(cc, c.carrier)) == NULL) {
		struct courier_carrier *probe = NULL;
		rc = courier_carrier_open(cc, c.carrier, &probe, err);   /* names the configured ones */
		courier_carrier_close(probe);
		return rc < 0 ? rc : WMS_ENOTFOUND;
	}
	if (strcmp(conf->adapter, "manual") == 0) {
		if (tracking == NULL || *tracking == '\0')
			return wms_error_set(err, WMS_EINVAL, "carrier %s is booked by hand: type or scan the "
			                     "tracking number from its label (--tracking)", conf->name);
		if ((rc = courier_check_tracking(tracking, err)) < 0 ||
		    (rc = record_booked(s, &c, tracking, now, err)) < 0)
			return rc;
		snprintf(res->tracking, sizeof res->tracking, "%s", tracking);
		res->booked = true;
		return 0;
	}
	if (tracking && *tracking)
		return wms_error_set(err, WMS_EINVAL, "carrier %s gives its own tracking numbers; "
		                     "--tracking is only for manual carriers", conf->name);
	/* its job due now; a new one when it has none or it was closed by hand */
	rc = c.booking_job ? wms_outbox_retry(s, c.booking_job, now, err) : WMS_ESTATE;
	if (rc == WMS_ESTATE)
		rc = add_job(s, &c, now, err);
	if (rc < 0)
		return rc;
	res->booking_job = c.booking_job;
	return 0;
}

int courier_consignment_book(struct wms_store *s, const struct courier_config *cc, const char *ref,
                             const char *tracking, struct courier_consignment_result *res,
                             struct wms_error *err)
{
	struct courier_booking_stats st;
	struct courier_cons c;
	long long id;
	int rc;

	if ((rc = courier_consignment_book_soon(s, cc, ref, tracking, res, err)) < 0 || res->booked)
		return rc;
	id = res->id;
	if ((rc = courier_booking_run_once(s, cc, 0, &st, err)) < 0 ||
	    (rc = courier_cons_load(s, id, &c, err)) < 0)
		return rc;
	if (strcmp(c.state, "booked") == 0) {
		snprintf(res->tracking, sizeof res->tracking, "%s", c.tracking);
		res->booked = true;
		return 0;
	}
	{
		static const char sql[] = "SELECT booking_error FROM consignments WHERE id = ?1";
		sqlite3_stmt *q;
		if ((rc = wms_store_row(s, sql, NULL, id, &q, "reading the booking", err)) < 0)
			return rc;
		rc = wms_error_set(err, WMS_EIO, "%s", rc && sqlite3_column_text(q, 0)
		                   ? (const char *)sqlite3_column_text(q, 0) : "not booked");
		sqlite3_reset(q);
		return rc;
	}
}
