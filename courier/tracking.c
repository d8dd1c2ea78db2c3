/*
 * tracking.c - applying carriers' tracking events to consignments and the
 * ledger, one at a time or from a file (see courier_tracking.h).
 */
#include "courier_tracking.h"
#include "wms_rules.h"

#include "courier_consignment.h"
#include "courier_import.h"
#include "courier_tx.h"
#include "store_sql.h"
#include "wms_ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEVICES 8      /* devices in one parcel (today one per order) */

struct consignment_row {
	long long id;
	char sscc[COURIER_SSCC_LEN + 1], state[24], carrier[32];
	wms_time created;
	bool is_return;            /* a return or transfer consignment: the ledger is left to the
	                              return or transfer_in scan */
};

static int load(struct wms_store *s, long long id, struct consignment_row *c, struct wms_error *err)
{
	static const char sql[] =
		"SELECT sscc, state, carrier, created_ts, kind <> 'outbound' FROM consignments WHERE id = ?1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, NULL, id, &st, "loading the consignment", err);

	if (rc <= 0)   /* the id comes from the lookup just before: gone means the database failed */
		return rc < 0 ? rc : wms_store_sql_error(s, err, "loading the consignment");
	c->id = id;
	snprintf(c->sscc, sizeof c->sscc, "%s", (const char *)sqlite3_column_text(st, 0));
	snprintf(c->state, sizeof c->state, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(c->carrier, sizeof c->carrier, "%s", (const char *)sqlite3_column_text(st, 2));
	c->created = sqlite3_column_int64(st, 3);
	c->is_return = sqlite3_column_int(st, 4) != 0;
	sqlite3_reset(st);
	return 0;
}

/* Whether this event of the consignment at this time is recorded already. */
static int recorded(struct wms_store *s, const struct consignment_row *c,
                    const struct courier_tracking_input *in, bool *dup, struct wms_error *err)
{
	static const char sql[] =
		"SELECT 1 FROM consignment_events WHERE consignment_id = ?1 AND event = ?2 AND ts = ?3";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_text(st, 2, courier_event_name(in->event), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, in->at);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "looking up tracking events");
	*dup = rc == SQLITE_ROW;
	return 0;
}

/* Append the event, linked to the last ledger event it caused (0: none). */
static int record(struct wms_store *s, const struct consignment_row *c,
                  const struct courier_tracking_input *in, long long ledger_id, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO consignment_events(consignment_id, ts, event, source, recorded_ts,"
		" ledger_event_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_int64(st, 2, in->at);
	sqlite3_bind_text(st, 3, courier_event_name(in->event), -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 4, in->source);
	sqlite3_bind_int64(st, 5, wms_now());
	if (ledger_id)
		sqlite3_bind_int64(st, 6, ledger_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "recording the tracking event");
}

/* The consignment follows its newest tracking event (events may arrive out of order). */
static int follow_newest(struct wms_store *s, const struct consignment_row *c,
                         const struct courier_tracking_input *in, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE consignments SET state = ?2, updated_ts = ?3 WHERE id = ?1 AND NOT EXISTS"
		" (SELECT 1 FROM consignment_events e WHERE e.consignment_id = ?1 AND e.ts > ?3"
		"  AND e.event IN ('in_transit', 'available_at_pickup_point', 'delivered', 'collected',"
		"  'returned_to_sender', 'failed_delivery'))";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_text(st, 2, courier_event_state(in->event), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, in->at);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "updating the consignment");
}

/* Dispatch (handover) and, when the event ends the lead time, deliver each device. */
static int drive_ledger(struct wms_store *s, const struct courier_config *cc,
                        const struct consignment_row *c, const struct courier_tracking_input *in,
                        long long *ledger_id, struct courier_tracking_result *res,
                        struct wms_error *err)
{
	static const char devices[] =
		"SELECT d.serial, d.state FROM consignment_devices cd JOIN devices d ON d.id = cd.device_id"
		" WHERE cd.consignment_id = ?1 ORDER BY d.id";
	bool ends = (courier_config_lead_time_ends(cc) >> in->event) & 1u;
	char serials[MAX_DEVICES][48], states[MAX_DEVICES][24], reason[160];
	int n = 0, rc;
	sqlite3_stmt *st = wms_store_stmt(s, devices, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == MAX_DEVICES) {
			sqlite3_reset(st);
			return wms_error_set(err, WMS_EUNSUPP, "consignment %s has more than %d devices",
			                     c->sscc, MAX_DEVICES);
		}
		snprintf(serials[n], sizeof serials[n], "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(states[n], sizeof states[n], "%s", (const char *)sqlite3_column_text(st, 1));
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "reading the consignment's devices");
	snprintf(reason, sizeof reason, "carrier %s: %s, SSCC %s", c->carrier,
	         courier_event_name(in->event), c->sscc);
	for (int i = 0; i < n; i++) {
		struct wms_cmd cmd = { .at = in->at, .station = "courier", .actor = c->carrier,
		                       .role = in->role, .serial = serials[i], .reason = reason };
		struct wms_cmd_result r;
		bool picked = strcmp(states[i], "picked") == 0;
		bool out = picked || strcmp(states[i], "dispatched") == 0;

		/* back on the shelf while the carrier reports the parcel: someone must look */
		if (!strcmp(states[i], "received") || !strcmp(states[i], "in_stock") ||
		    !strcmp(states[i], "in_buffer") || !strcmp(states[i], "reserved"))
			return wms_error_set(err, WMS_ESTATE, "%s %s: device %s of the consignment is %s, "
			                     "not picked or dispatched; check the parcel", c->sscc,
			                     courier_event_name(in->event), serials[i], states[i]);

		if (picked && in->event != COURIER_EV_RETURNED) {
			cmd.type = WMS_EV_DISPATCH;
			if ((rc = wms_ledger_apply(s, &cmd, &r, err)) < 0)
				return wms_error_set(err, rc, "%s %s: %s", c->sscc, courier_event_name(in->event),
				                     err->msg);
			*ledger_id = r.event_id;
		}
		if (ends && out) {
			cmd.type = WMS_EV_DELIVER;
			if ((rc = wms_ledger_apply(s, &cmd, &r, err)) < 0)
				return wms_error_set(err, rc, "%s %s: %s", c->sscc, courier_event_name(in->event),
				                     err->msg);
			*ledger_id = r.event_id;
			res->delivered = true;
		}
	}
	return 0;
}

static int apply_in_tx(struct wms_store *s, const struct courier_config *cc,
                       const struct courier_tracking_input *in, struct courier_tracking_result *res,
                       struct wms_error *err)
{
	struct consignment_row c;
	long long id, ledger_id = 0;
	char when[32];
	bool dup = false;
	int rc;

	if ((rc = courier_consignment_find(s, in->ref, &id, err)) < 0 || (rc = load(s, id, &c, err)) < 0)
		return rc;
	res->consignment_id = id;
	if (strcmp(c.state, "cancelled") == 0)
		return wms_error_set(err, WMS_ESTATE, "consignment %s is cancelled; tracking event %s refused",
		                     c.sscc, courier_event_name(in->event));
	if (in->at < c.created)
		return wms_error_set(err, WMS_EINVAL, "%s at %s is before consignment %s was created",
		                     courier_event_name(in->event), wms_time_format(in->at, when), c.sscc);
	if ((rc = recorded(s, &c, in, &dup, err)) < 0)
		return rc;
	if (!dup && ((!c.is_return && (rc = drive_ledger(s, cc, &c, in, &ledger_id, res, err)) < 0) ||
	             (rc = follow_newest(s, &c, in, err)) < 0 ||
	             (rc = record(s, &c, in, ledger_id, err)) < 0))
		return rc;
	res->duplicate = dup;
	if ((rc = load(s, id, &c, err)) < 0)
		return rc;
	snprintf(res->state, sizeof res->state, "%s", c.state);
	return 0;
}

int courier_tracking_apply(struct wms_store *s, const struct courier_config *cc,
                           const struct courier_tracking_input *in,
                           struct courier_tracking_result *res, struct wms_error *err)
{
	struct courier_tx tx;
	int rc, end;

	memset(res, 0, sizeof *res);
	if ((unsigned)in->event >= COURIER_EV_COUNT)
		return wms_error_set(err, WMS_EINVAL, "bad tracking event %d; allowed: %s", (int)in->event,
		                     courier_event_names());
	/* a carrier's clock ahead of ours: refused (a bad line of an import), never recorded */
	if ((rc = wms_rules_check_time(in->at, wms_now(), err)) < 0)
		return rc;
	if ((rc = courier_tx_begin(s, &tx, err)) < 0)
		return rc;
	rc = apply_in_tx(s, cc, in, res, err);
	end = courier_tx_end(s, &tx, rc == 0, err);
	if (rc == 0)
		rc = end;
	if (rc < 0)
		memset(res, 0, sizeof *res);
	return rc;
}

struct tracking_import {
	struct wms_store *s;
	const struct courier_config *cc;
	unsigned role;
};

static int tracking_line(void *ctx, long line, const struct courier_tracking_line *t,
                         struct wms_error *err)
{
	struct tracking_import *im = ctx;
	struct courier_tracking_input in = { .ref = t->ref, .event = t->event, .at = t->at,
	                                     .source = "file", .role = im->role };
	struct courier_tracking_result res;
	int rc;

	if ((rc = courier_tracking_apply(im->s, im->cc, &in, &res, err)) < 0)
		return rc;
	return res.duplicate ? COURIER_LINE_UNCHANGED : COURIER_LINE_ADDED;
}

int courier_tracking_import(struct wms_store *s, const struct courier_config *cc, const char *path,
                            unsigned role, struct courier_import_report *rep, struct wms_error *err)
{
	struct tracking_import im = { .s = s, .cc = cc, .role = role };
	struct courier_tx tx;
	char *text = NULL;
	size_t len;
	int rc, end;

	memset(rep, 0, sizeof *rep);
	if ((rc = courier_read_file(path, &text, &len, err)) < 0)
		return rc;
	if ((rc = courier_tx_begin(s, &tx, err)) == 0) {
		rc = courier_tracking_parse(text, len, tracking_line, &im, rep, err);
		end = courier_tx_end(s, &tx, rc == 0, err);
		if (rc == 0)
			rc = end;
	}
	free(text);
	return rc;
}
