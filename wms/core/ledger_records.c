/*
 * ledger_records.c - the reconditioning gate and the other records that go
 * with an event (see ledger_records.h).  The gate is here, below every door,
 * so the generic events route, the CLI, a station and the reconditioning
 * room all meet the same rule; the trigger events_insert (schema.c) holds
 * the same query in the database.
 */
#include "ledger_records.h"

#include "store_sql.h"
#include "wms_supplier.h"

#include <string.h>

/* The device's open run: its id, the checklist's number of steps and how
 * many steps' latest result passed. */
static const char open_run_sql[] =
	"SELECT r.id, coalesce(c.steps, 0),"
	" (SELECT count(*) FROM recon_results x WHERE x.run_id = r.id AND x.result = 'pass'"
	"   AND x.id = (SELECT max(y.id) FROM recon_results y WHERE y.run_id = r.id AND y.step = x.step))"
	" FROM recon_runs r JOIN recon_checklists c ON c.id = r.checklist_id"
	" WHERE r.device_id = ?1 AND r.outcome IS NULL";

static int open_run(struct wms_store *s, long long device_id, long long *run, int *steps, int *passed,
                    struct wms_error *err)
{
	sqlite3_stmt *st;
	int rc = wms_store_row(s, open_run_sql, NULL, device_id, &st, "looking up the reconditioning run", err);

	*run = 0;
	if (rc <= 0)
		return rc;
	*run = sqlite3_column_int64(st, 0);
	*steps = sqlite3_column_int(st, 1);
	*passed = sqlite3_column_int(st, 2);
	sqlite3_reset(st);
	return 0;
}

static int check_checklist(struct wms_store *s, const struct wms_cmd *c, long long product_id,
                           struct wms_error *err)
{
	static const char sql[] = "SELECT product_id, coalesce(steps, 0) FROM recon_checklists WHERE id = ?1";
	sqlite3_stmt *st;
	int rc;

	if (c->checklist_id <= 0)
		return wms_error_set(err, WMS_EINVAL, "recon_start needs the device's checklist: start "
		                     "reconditioning with `wms recon start`, POST /api/v1/recon or at a recon "
		                     "station, which open the checklist run");
	rc = wms_store_row(s, sql, NULL, c->checklist_id, &st, "looking up the checklist", err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown checklist %lld", c->checklist_id);
	rc = sqlite3_column_int64(st, 0) != product_id || sqlite3_column_int(st, 1) <= 0;
	sqlite3_reset(st);
	return rc ? wms_error_set(err, WMS_EINVAL, "checklist %lld is not a checklist with steps for "
	                          "device %s's product type", c->checklist_id, c->serial) : 0;
}

int wms_records_check(struct wms_store *s, const struct wms_cmd *c, const struct wms_event *ev,
                      long long product_id, struct wms_error *err)
{
	long long run;
	int steps = 0, passed = 0, rc;

	switch (c->type) {
	case WMS_EV_RECON_START:
		return check_checklist(s, c, product_id, err);
	case WMS_EV_RECON_APPROVE:
		if ((rc = open_run(s, ev->device_id, &run, &steps, &passed, err)) < 0)
			return rc;
		if (run == 0)
			return wms_error_set(err, WMS_ESTATE, "device %s cannot be approved: it has no open "
			                     "reconditioning run; approval is the outcome of a checklist run "
			                     "(`wms recon start`, POST /api/v1/recon, a recon station)", c->serial);
		if (steps <= 0 || passed != steps)
			return wms_error_set(err, WMS_ESTATE, "device %s cannot be approved: %d of %d checklist "
			                     "steps passed; record them (`wms recon step`, POST "
			                     "/api/v1/recon/%s/steps, RCN: barcodes), or finish with repair or scrap",
			                     c->serial, passed, steps, c->serial);
		return 0;
	default:
		return 0;
	}
}

static int close_run(struct wms_store *s, const struct wms_event *ev, const char *outcome,
                     const char *text, const char *actor, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE recon_runs SET outcome = ?1, outcome_text = ?2, end_event_id = ?3, finished_ts = ?4,"
		" finished_by = ?5 WHERE device_id = ?6 AND outcome IS NULL";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, outcome, -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 2, text);
	sqlite3_bind_int64(st, 3, ev->id);
	sqlite3_bind_int64(st, 4, ev->ts);
	sqlite3_bind_text(st, 5, actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, ev->device_id);
	return wms_store_step_done(s, st, "closing the reconditioning run", err);
}

static int open_new_run(struct wms_store *s, const struct wms_cmd *c, const struct wms_event *ev,
                        const char *actor, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO recon_runs(device_id, checklist_id, start_event_id, started_ts, technician)"
		" VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, ev->device_id);
	sqlite3_bind_int64(st, 2, c->checklist_id);
	sqlite3_bind_int64(st, 3, ev->id);
	sqlite3_bind_int64(st, 4, ev->ts);
	sqlite3_bind_text(st, 5, actor, -1, SQLITE_STATIC);
	return wms_store_step_done(s, st, "opening the reconditioning run", err);
}

/* The patient reference lives with the order's other personal data, purged with it. */
static int keep_patient_ref(struct wms_store *s, const struct wms_cmd *c, const struct wms_event *ev,
                            struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO order_patients(order_id, patient_ref, created_ts) VALUES (?1, ?2, ?3)"
		" ON CONFLICT(order_id) DO UPDATE SET patient_ref = excluded.patient_ref";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, ev->order_id);
	sqlite3_bind_text(st, 2, c->patient_ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ev->ts);
	return wms_store_step_done(s, st, "storing the patient reference", err);
}

int wms_records_write(struct wms_store *s, const struct wms_cmd *c, const struct wms_event *ev,
                      const char *actor, struct wms_error *err)
{
	switch (c->type) {
	case WMS_EV_RECON_START:
		return open_new_run(s, c, ev, actor, err);
	case WMS_EV_RECON_APPROVE:
		return close_run(s, ev, "approved", NULL, actor, err);
	case WMS_EV_RECON_REPAIR:
		return close_run(s, ev, "repair", c->reason, actor, err);
	case WMS_EV_SCRAP:
		return ev->from == WMS_ST_IN_RECON ? close_run(s, ev, "scrapped", c->reason, actor, err) : 0;
	case WMS_EV_ORDER_CREATE:
		return c->patient_ref && *c->patient_ref ? keep_patient_ref(s, c, ev, err) : 0;
	case WMS_EV_RECEIVE:
		/* checked in prepare_receive (ledger.c), linked now that the device has its id */
		return c->delivery && *c->delivery
		       ? wms_delivery_link(s, c->delivery, ev->device_id,
		                           json_integer_value(json_object_get(ev->payload, "product_id")),
		                           ev->ts, err)
		       : 0;
	case WMS_EV_VOID:
		return ev->device_id && strcmp(json_string_value(json_object_get(ev->payload, "voided")),
		                               "receive") == 0 ? wms_delivery_unlink(s, ev->device_id, err) : 0;
	default:
		return 0;
	}
}
