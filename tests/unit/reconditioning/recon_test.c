/*
 * recon_test.c - the reconditioning workflow on a real SQLite store:
 * returned device -> approved / repair / scrapped, tolerance failures that
 * block approval, the gate (an unapproved device can never be reserved,
 * picked or dispatched), checklist snapshots, scan barcodes, transactions
 * inside a caller's batch, and the report's figures against values counted
 * by hand from the calendar.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "core_fixture.h"
#include "recon.h"
#include "recon_case.h"
#include "wms_calendar.h"
#include "wms_depot.h"

struct env {
	struct fixture *f;
	char dir[64];
	struct recon_config cfg;
};

static const char bpm_checklist[] =
	"product BPM\nversion 2\n"
	"step CLEAN check \"Rengöring\"\n"
	"step WIPE check \"Dataradering\"\n"
	"step P100 value mmHg ref=100 tol=3 \"Tryck 100\"\n"
	"step FW version min=1.4.0 \"Firmware\"\n";

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);

	e->f = fixture_new();
	snprintf(e->dir, sizeof e->dir, "/tmp/wms-recon-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	write_file(e->dir, "BPM.checklist", bpm_checklist);   /* no SCALE.checklist on purpose */
	snprintf(e->cfg.checklists, sizeof e->cfg.checklists, "%s", e->dir);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char path[128];

	snprintf(path, sizeof path, "%s/BPM.checklist", e->dir);
	unlink(path);
	rmdir(e->dir);
	fixture_free(e->f);
	free(e);
	unsetenv("WMS_NOW");
	return 0;
}

static wms_time T(const char *text)
{
	wms_time t = 0;

	assert_int_equal(wms_time_parse(text, &t, NULL), 0);
	return t;
}

static const char *state_of(struct fixture *f, const char *serial)
{
	static char buf[32];
	sqlite3_stmt *st = NULL;

	buf[0] = '\0';
	sqlite3_prepare_v2(wms_store_db(f->s), "SELECT state FROM devices WHERE serial = ?1", -1, &st, NULL);
	sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

/* receive product `product` as serial, deliver it for order `order` and return it at `ret`. */
static void returned(struct fixture *f, const char *serial, const char *product, const char *order,
                     const char *ret)
{
	struct wms_error err = { 0 };
	wms_time t0 = T("2026-02-02T08:00");

	if (APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = serial, .product = product, .at = t0) ||
	    APPLY(f, &err, .type = WMS_EV_MOVE, .serial = serial, .location = "A-01-01", .at = t0 + 60) ||
	    APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = order, .customer = "VC-MOLNDAL", .product = product,
	          .mode = "home", .at = t0 + 120) ||
	    APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = serial, .order = order, .at = t0 + 180) ||
	    APPLY(f, &err, .type = WMS_EV_PICK, .serial = serial, .at = t0 + 240) ||
	    APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = serial, .at = t0 + 300) ||
	    APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = serial, .at = t0 + 86400) ||
	    APPLY(f, &err, .type = WMS_EV_RENT, .serial = serial, .at = t0 + 86400 + 60) ||
	    APPLY(f, &err, .type = WMS_EV_RETURN, .serial = serial, .at = T(ret)))
		fail_msg("bringing %s back: %s", serial, err.msg);
}

static struct recon_who tech(const char *at)
{
	return (struct recon_who){ .at = at ? T(at) : 0, .station = "ML-REKOND-1", .actor = "tek7",
	                            .role = WMS_ROLE_TECHNICIAN };
}

static void all_steps(struct env *e, const char *serial, const char *at)
{
	struct recon_who w = tech(at);
	struct recon_result r;
	struct wms_error err = { 0 };

	if (recon_step(e->f->s, serial, "CLEAN", "pass", NULL, &w, &r, &err) ||
	    recon_step(e->f->s, serial, "WIPE", "pass", "app-konto borttaget", &w, &r, &err) ||
	    recon_step(e->f->s, serial, "P100", "101.5", NULL, &w, &r, &err) ||
	    recon_step(e->f->s, serial, "FW", "1.4.2", NULL, &w, &r, &err))
		fail_msg("steps of %s: %s", serial, err.msg);
	assert_int_equal(r.steps_passed, 4);
	assert_int_equal(r.steps_total, 4);
}

/* a gate check: every allocating command is refused for serial */
static void cannot_allocate(struct fixture *f, const char *serial, const char *order)
{
	struct wms_error err = { 0 };
	long long events = wms_store_event_count(f->s);

	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = serial, .order = order), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "\"reserve\" is not allowed"));
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_PICK, .serial = serial), WMS_ESTATE);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = serial), WMS_ESTATE);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_TO_BUFFER, .serial = serial, .location = "BUF-BORAS"),
	                 WMS_ESTATE);
	assert_int_equal(wms_store_event_count(f->s), events);
}

static void approved_after_every_step_passed(void **state)
{
	struct env *e = *state;
	struct fixture *f = e->f;
	struct wms_error err = { 0 };
	struct recon_who w = tech("2026-03-03T09:00");
	struct recon_result r;
	json_t *show;

	returned(f, "SN-1", "BPM", "O-1", "2026-03-02T10:00");
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "O-2", .customer = "VC-MOLNDAL",
	                       .product = "BPM", .mode = "home", .at = T("2026-03-02T11:00")), 0);
	cannot_allocate(f, "SN-1", "O-2");                                   /* quarantine */
	assert_int_equal(recon_start(f->s, &e->cfg, "SN-1", &w, &r, &err), 0);
	assert_non_null(strstr(r.detail, "checklist BPM version 2"));
	assert_string_equal(state_of(f, "SN-1"), "in_recon");
	cannot_allocate(f, "SN-1", "O-2");                                   /* in reconditioning */
	/* approval before every step is done is refused and writes nothing */
	assert_int_equal(recon_step(f->s, "SN-1", "CLEAN", "pass", NULL, &w, &r, &err), 0);
	assert_int_equal(recon_finish(f->s, &e->cfg, "SN-1", &(struct recon_finish_req){ .outcome = RECON_APPROVE, .location = "A-01-02" },
	                              &w, &r, &err), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "1 of 4 steps passed; not done: WIPE, P100, FW"));
	assert_string_equal(state_of(f, "SN-1"), "in_recon");
	cannot_allocate(f, "SN-1", "O-2");
	all_steps(e, "SN-1", "2026-03-03T10:00");
	w = tech("2026-03-03T11:00");
	assert_int_equal(recon_finish(f->s, &e->cfg, "SN-1", &(struct recon_finish_req){ .outcome = RECON_APPROVE,
	                              .location = "A-01-02", .tag_printer = "rekond-zebra" }, &w, &r, &err), 0);
	assert_true(r.event_id > 0);
	/* the "reconditioned" tag was decided in the same transaction as the approval */
	assert_true(r.tag_job > 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM outbox o JOIN events e ON e.id = o.event_id"
	                                  " WHERE e.type = 'recon_approve' AND o.target = 'rekond-zebra'"
	                                  " AND o.state = 'queued' AND json_extract(o.payload, '$.label') = 'recon'"
	                                  " AND json_extract(o.payload, '$.fields.serial') = 'SN-1'"
	                                  " AND json_extract(o.payload, '$.fields.technician') = 'tek7'"
	                                  " AND json_extract(o.payload, '$.fields.date') = '2026-03-03'"), 1);
	assert_string_equal(state_of(f, "SN-1"), "in_stock");
	assert_int_equal(fixture_count(f, "SELECT recon_cycles FROM devices WHERE serial = 'SN-1'"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM recon_runs WHERE outcome = 'approved'"
	                                  " AND end_event_id IS NOT NULL AND finished_by = 'tek7'"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM recon_results"), 5);
	/* now, and only now, it can be reserved again */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = "SN-1", .order = "O-2"), 0);
	show = recon_show(f->s, &e->cfg, "SN-1", &err);
	assert_non_null(show);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(show, "runs"), 0),
	                                                      "outcome")), "approved");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(show, "steps"), 2),
	                                                      "value")), "101.5");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(show, "steps"), 0),
	                                                   "attempts")), 2);
	json_decref(show);
	/* the results are append-only */
	assert_int_not_equal(sqlite3_exec(wms_store_db(f->s), "UPDATE recon_results SET result = 'pass'", NULL, NULL, NULL),
	                     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(wms_store_db(f->s), "DELETE FROM recon_results", NULL, NULL, NULL), SQLITE_OK);
}

static void out_of_tolerance_blocks_approval(void **state)
{
	struct env *e = *state;
	struct fixture *f = e->f;
	struct wms_error err = { 0 };
	struct recon_who w = tech(NULL);
	struct recon_result r;
	long long events;

	returned(f, "SN-2", "BPM", "O-1", "2026-03-02T10:00");
	assert_int_equal(recon_start(f->s, &e->cfg, "SN-2", &w, &r, &err), 0);
	all_steps(e, "SN-2", NULL);
	assert_int_equal(recon_step(f->s, "SN-2", "P100", "104", "manschett läcker", &w, &r, &err), 0);
	assert_false(r.passed);
	assert_string_equal(r.detail, "P100: 104 mmHg is outside 100 +-3 mmHg (deviation +4)");
	assert_int_equal(r.steps_failed, 1);
	events = wms_store_event_count(f->s);
	assert_int_equal(recon_finish(f->s, &e->cfg, "SN-2", &(struct recon_finish_req){ .outcome = RECON_APPROVE, .location = "A-01-01" },
	                              &w, &r, &err), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "device SN-2 cannot be approved: 3 of 4 steps passed; failed: P100"));
	assert_int_equal(wms_store_event_count(f->s), events);
	/* a bad result form, an unknown step, a missing technician: refused, nothing written */
	assert_int_equal(recon_step(f->s, "SN-2", "P100", "hundra", NULL, &w, &r, &err), WMS_EINVAL);
	assert_int_equal(recon_step(f->s, "SN-2", "P300", "300", NULL, &w, &r, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "unknown step \"P300\" for the BPM checklist version 2; steps: CLEAN, WIPE, P100, FW"));
	assert_int_equal(recon_step(f->s, "SN-2", "P100", "100", NULL, &(struct recon_who){ 0 }, &r, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "needs the technician (--actor ID)"));
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM recon_results r JOIN recon_runs u ON u.id = r.run_id"
	                                  " JOIN devices d ON d.id = u.device_id WHERE d.serial = 'SN-2'"), 5);
	/* the measurement is repeated after adjustment: the latest result counts */
	assert_int_equal(recon_scan(f->s, "SN-2", "RCN:P100:99.0", &w, &r, &err), 0);
	assert_true(r.passed);
	assert_int_equal(recon_scan(f->s, "SN-2", "RCN:P100", &w, &r, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "expected RCN:<STEP>:<RESULT>"));
	assert_int_equal(recon_finish(f->s, &e->cfg, "SN-2", &(struct recon_finish_req){ .outcome = RECON_APPROVE, .location = "A-01-01" },
	                              &w, &r, &err), 0);
	assert_string_equal(state_of(f, "SN-2"), "in_stock");
}

static void repair_then_scrap(void **state)
{
	struct env *e = *state;
	struct fixture *f = e->f;
	struct wms_error err = { 0 };
	struct recon_who w = tech(NULL);
	struct recon_result r;

	returned(f, "SN-3", "BPM", "O-1", "2026-03-02T10:00");
	assert_int_equal(recon_start(f->s, &e->cfg, "SN-3", &w, &r, &err), 0);
	assert_int_equal(recon_step(f->s, "SN-3", "P100", "fail", NULL, &w, &r, &err), 0);
	assert_int_equal(recon_finish(f->s, &e->cfg, "SN-3", &(struct recon_finish_req){ .outcome = RECON_REPAIR },
	                              &w, &r, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "repair needs a fault description"));
	assert_int_equal(recon_finish(f->s, &e->cfg, "SN-3",
	                              &(struct recon_finish_req){ .outcome = RECON_REPAIR, .text = "pump gives no pressure" },
	                              &w, &r, &err), 0);
	assert_string_equal(state_of(f, "SN-3"), "repair");
	cannot_allocate(f, "SN-3", "O-1");
	assert_int_equal(recon_step(f->s, "SN-3", "P100", "100", NULL, &w, &r, &err), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "has no reconditioning in progress"));
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_REPAIR_BACK, .serial = "SN-3"), 0);
	assert_int_equal(recon_start(f->s, &e->cfg, "SN-3", &w, &r, &err), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM recon_runs r JOIN devices d ON d.id = r.device_id"
	                                  " WHERE d.serial = 'SN-3'"), 2);
	assert_int_equal(recon_finish(f->s, &e->cfg, "SN-3",
	                              &(struct recon_finish_req){ .outcome = RECON_SCRAP, .text = "housing cracked" }, &w, &r, &err), 0);
	assert_string_equal(state_of(f, "SN-3"), "scrapped");
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM recon_runs WHERE outcome = 'scrapped'"
	                                  " AND outcome_text = 'housing cracked'"), 1);
	cannot_allocate(f, "SN-3", "O-1");
	assert_int_equal(fixture_count(f, "SELECT recon_cycles FROM devices WHERE serial = 'SN-3'"), 0);
}

static void missing_checklist_and_wrong_state_write_nothing(void **state)
{
	struct env *e = *state;
	struct fixture *f = e->f;
	struct wms_error err = { 0 };
	struct recon_who w = tech(NULL);
	long long events;

	returned(f, "SC-1", "SCALE", "O-9", "2026-03-02T10:00");
	events = wms_store_event_count(f->s);
	assert_int_equal(recon_start(f->s, &e->cfg, "SC-1", &w, NULL, &err), WMS_ENOTFOUND);
	assert_non_null(strstr(err.msg, "no reconditioning checklist for product type SCALE"));
	assert_int_equal(wms_store_event_count(f->s), events);
	assert_string_equal(state_of(f, "SC-1"), "quarantine");
	assert_int_equal(recon_start(f->s, &e->cfg, "NOPE", &w, NULL, &err), WMS_ENOTFOUND);
	/* a device in stock is not reconditioned */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "SN-NEW", .product = "BPM"), 0);
	assert_int_equal(recon_start(f->s, &e->cfg, "SN-NEW", &w, NULL, &err), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "reconditioning starts from quarantine"));
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM recon_runs"), 0);
	/* a broken checklist file is an error with its line, not a pass */
	write_file(e->dir, "BPM.checklist", "product BPM\nversion 3\nstep X sometimes \"x\"\n");
	returned(f, "SN-4", "BPM", "O-4", "2026-03-02T10:00");
	assert_int_equal(recon_start(f->s, &e->cfg, "SN-4", &w, NULL, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "BPM.checklist:3: unknown step kind \"sometimes\""));
	assert_string_equal(state_of(f, "SN-4"), "quarantine");
}

static void a_run_keeps_its_checklist(void **state)
{
	struct env *e = *state;
	struct fixture *f = e->f;
	struct wms_error err = { 0 };
	struct recon_who w = tech(NULL);
	struct recon_result r;

	returned(f, "SN-5", "BPM", "O-1", "2026-03-02T10:00");
	assert_int_equal(recon_start(f->s, &e->cfg, "SN-5", &w, &r, &err), 0);
	/* the file is tightened while the run is open: the run is judged by what it started with */
	write_file(e->dir, "BPM.checklist", "product BPM\nversion 3\nstep P100 value mmHg ref=100 tol=1 \"x\"\n");
	assert_int_equal(recon_step(f->s, "SN-5", "P100", "102", NULL, &w, &r, &err), 0);
	assert_true(r.passed);
	assert_int_equal(r.steps_total, 4);
	all_steps(e, "SN-5", NULL);
	assert_int_equal(recon_finish(f->s, &e->cfg, "SN-5", &(struct recon_finish_req){ .outcome = RECON_APPROVE, .location = "A-01-01" },
	                              &w, &r, &err), 0);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM recon_checklists"), 1);
	write_file(e->dir, "BPM.checklist", bpm_checklist);
}

static void inside_a_batch_and_rolled_back(void **state)
{
	struct env *e = *state;
	struct fixture *f = e->f;
	struct wms_error err = { 0 };
	struct recon_who w = tech(NULL);
	long long events;

	returned(f, "SN-6", "BPM", "O-1", "2026-03-02T10:00");
	events = wms_store_event_count(f->s);
	assert_int_equal(wms_store_begin(f->s, &err), 0);
	assert_int_equal(recon_start(f->s, &e->cfg, "SN-6", &w, NULL, &err), 0);
	/* a refused finish inside the batch rolls back only itself */
	assert_int_equal(recon_finish(f->s, &e->cfg, "SN-6", &(struct recon_finish_req){ .outcome = RECON_SCRAP, .text = "x" },
	                              &(struct recon_who){ .actor = "tek7", .at = 1, .role = WMS_ROLE_TECHNICIAN },
	                              NULL, &err), WMS_EINVAL);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM recon_runs"), 1);
	wms_store_rollback(f->s);
	assert_int_equal(wms_store_event_count(f->s), events);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM recon_runs"), 0);
	assert_string_equal(state_of(f, "SN-6"), "quarantine");
}

static void scrap_is_proposed_after_max_cycles(void **state)
{
	struct env *e = *state;
	struct fixture *f = e->f;
	struct wms_error err = { 0 };
	struct recon_who w = tech(NULL);
	struct recon_result r;
	json_t *show;

	e->cfg.max_cycles = 1;
	returned(f, "SN-7", "BPM", "O-1", "2026-03-02T10:00");
	assert_int_equal(recon_start(f->s, &e->cfg, "SN-7", &w, &r, &err), 0);
	assert_string_equal(r.scrap_proposal, "");
	all_steps(e, "SN-7", NULL);
	assert_int_equal(recon_finish(f->s, &e->cfg, "SN-7", &(struct recon_finish_req){ .outcome = RECON_APPROVE, .location = "A-01-01" },
	                              &w, &r, &err), 0);
	assert_string_equal(r.scrap_proposal, "1 reconditioning cycles (limit 1)");
	show = recon_show(f->s, &e->cfg, "SN-7", &err);
	assert_string_equal(json_string_value(json_object_get(show, "scrap_proposed")), "1 reconditioning cycles (limit 1)");
	json_decref(show);
	e->cfg.max_cycles = 0;
	e->cfg.max_age_years = 1;   /* received 2026-02-02; judged at 2027-03-01 */
	setenv("WMS_NOW", "2027-03-01T12:00", 1);
	show = recon_show(f->s, &e->cfg, "SN-7", &err);
	assert_string_equal(json_string_value(json_object_get(show, "scrap_proposed")),
	                    "1 years old since receipt (limit 1 years)");
	json_decref(show);
	e->cfg.max_age_years = 0;
}

/*
 * The figures against hand-counted working days (Swedish calendar 2026):
 *  A returned Mon 2026-03-02, approved Thu 03-05: 3 working days.
 *  B returned Mon 2026-03-30, approved Tue 04-07: långfredagen 04-03 and
 *    annandag påsk 04-06 are closed: 31, 1, 2, 7 = 4 working days.
 *  C returned Tue 2026-03-31, repair, back, approved Wed 04-15: 1, 2, 7, 8,
 *    9, 10, 13, 14, 15 = 9 working days.
 *  D returned 2026-04-01, scrapped from reconditioning.
 *  E returned Wed 2026-04-01, still in quarantine on "now" Wed 04-08: 2, 7, 8 = 3.
 * Turnaround 3, 4, 9: median 4, p90 9 (nearest rank), max 9.  Outcomes:
 * 3 approved, 1 repair, 1 scrap of 5: repair rate 0.2, scrap rate 0.2.
 */
static struct wms_calendar *sk_cal;

static const struct wms_calendar *sk_calendar(void *ctx, const char *depot)
{
	(void)ctx;
	return depot && strcmp(depot, "SK") == 0 ? sk_cal : NULL;
}

static void report_figures(void **state)
{
	struct env *e = *state;
	struct fixture *f = e->f;
	struct wms_error err = { 0 };
	struct wms_calendar *cal = NULL;
	struct recon_who w;
	json_t *rep, *t, *o;

	assert_int_equal(wms_calendar_new(NULL, &cal, &err), 0);
	returned(f, "A", "BPM", "OA", "2026-03-02T10:00");
	returned(f, "B", "BPM", "OB", "2026-03-30T10:00");
	returned(f, "C", "BPM", "OC", "2026-03-31T10:00");
	returned(f, "D", "BPM", "OD", "2026-04-01T10:00");
	returned(f, "E", "BPM", "OE", "2026-04-01T11:00");
#define R_START(ser, at) do { w = tech(at); \
	assert_int_equal(recon_start(f->s, &e->cfg, ser, &w, NULL, &err), 0); } while (0)
#define R_APPROVE(ser, at) do { all_steps(e, ser, at); w = tech(at); \
	assert_int_equal(recon_finish(f->s, &e->cfg, ser, &(struct recon_finish_req){ .outcome = RECON_APPROVE, .location = "A-01-01" }, \
	                              &w, NULL, &err), 0); } while (0)
	R_START("A", "2026-03-04T09:00"); R_APPROVE("A", "2026-03-05T15:00");
	R_START("B", "2026-04-01T09:00"); R_APPROVE("B", "2026-04-07T15:00");
	R_START("C", "2026-04-01T09:00");
	w = tech("2026-04-01T10:00");
	assert_int_equal(recon_finish(f->s, &e->cfg, "C", &(struct recon_finish_req){ .outcome = RECON_REPAIR, .text = "display" },
	                              &w, NULL, &err), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_REPAIR_BACK, .serial = "C", .at = T("2026-04-14T10:00")), 0);
	R_START("C", "2026-04-15T08:00"); R_APPROVE("C", "2026-04-15T23:30");
	R_START("D", "2026-04-02T09:00");
	w = tech("2026-04-02T10:00");
	assert_int_equal(recon_finish(f->s, &e->cfg, "D", &(struct recon_finish_req){ .outcome = RECON_SCRAP, .text = "cracked" },
	                              &w, NULL, &err), 0);
	setenv("WMS_NOW", "2026-04-08T12:00", 1);
	rep = recon_report(f->s, cal, 0, 0, &err);
	if (rep == NULL)
		fail_msg("report: %s", err.msg);
	t = json_object_get(json_object_get(rep, "turnaround_workdays"), "total");
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 3);
	assert_int_equal(json_integer_value(json_object_get(t, "median")), 4);
	assert_int_equal(json_integer_value(json_object_get(t, "p90")), 9);
	assert_int_equal(json_integer_value(json_object_get(t, "max")), 9);
	t = json_object_get(json_object_get(rep, "queue_age_workdays"), "total");
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 1);
	assert_int_equal(json_integer_value(json_object_get(t, "max")), 3);
	o = json_array_get(json_object_get(rep, "outcomes"), 0);
	assert_string_equal(json_string_value(json_object_get(o, "product")), "BPM");
	assert_int_equal(json_integer_value(json_object_get(o, "started")), 5);
	assert_int_equal(json_integer_value(json_object_get(o, "approved")), 3);
	assert_int_equal(json_integer_value(json_object_get(o, "repair")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "scrapped")), 1);
	assert_true(json_real_value(json_object_get(o, "repair_rate")) == 0.2);
	assert_true(json_real_value(json_object_get(o, "scrap_rate")) == 0.2);
	/* cycles: A, B, C once; D and E never */
	o = json_object_get(json_object_get(rep, "cycles"), "devices_by_cycles");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 0), "devices")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 1), "cycles")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 1), "devices")), 3);
	json_decref(rep);
	/* a period: approvals of March only */
	rep = recon_report(f->s, cal, wms_date_from_ymd(2026, 3, 1), wms_date_from_ymd(2026, 3, 31), &err);
	t = json_object_get(json_object_get(rep, "turnaround_workdays"), "total");
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 1);
	assert_int_equal(json_integer_value(json_object_get(t, "median")), 3);
	json_decref(rep);

	/*
	 * By depot.  F at Skövde, which also closes Thu 2026-04-02: returned Wed
	 * 04-01, approved Tue 04-07: 7 = 1 working day by Skövde's calendar (2 by
	 * Mölndal's).  D's scrap leaves for SCRAPPED (no depot): it counts where
	 * the device was, Mölndal.
	 */
	{
		struct wms_depot_new sk = { .code = "SK", .name = "HMC Skövde", .closed = "2026-04-02" };
		wms_day closed = wms_date_from_ymd(2026, 4, 2);
		struct wms_calendar_opts sko = { .defacto_days = true, .closed = &closed, .n_closed = 1 };
		struct recon_report_opts ro = { .cal = cal, .depot_cal = sk_calendar };
		wms_time t0 = T("2026-02-02T08:00");
		json_t *by;

		assert_int_equal(wms_calendar_new(&sko, &sk_cal, &err), 0);
		assert_int_equal(wms_depot_add(f->s, &sk, &err), 0);
		assert_int_equal(wms_location_add(f->s, "SK-A1", "Hylla SK", "shelf", "SK", NULL, &err), 0);
		if (APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "F", .product = "BPM", .depot = "SK", .at = t0) ||
		    APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "F", .location = "SK-A1", .at = t0 + 60) ||
		    APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "OF", .customer = "VC-MOLNDAL",
		          .product = "BPM", .mode = "home", .depot = "SK", .at = t0 + 120) ||
		    APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = "F", .order = "OF", .at = t0 + 180) ||
		    APPLY(f, &err, .type = WMS_EV_PICK, .serial = "F", .at = t0 + 240) ||
		    APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = "F", .at = t0 + 300) ||
		    APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = "F", .at = t0 + 86400) ||
		    APPLY(f, &err, .type = WMS_EV_RETURN, .serial = "F", .at = T("2026-04-01T10:00")))
			fail_msg("F at Skövde: %s", err.msg);
		R_START("F", "2026-04-07T09:00");
		all_steps(e, "F", "2026-04-07T10:00");
		w = tech("2026-04-07T15:00");
		if (recon_finish(f->s, &e->cfg, "F", &(struct recon_finish_req){ .outcome = RECON_APPROVE,
		                 .location = "SK-A1" }, &w, NULL, &err) < 0)
			fail_msg("F approved: %s", err.msg);
		ro.depot = "SK";
		rep = recon_report_depot(f->s, &ro, &err);
		if (rep == NULL)
			fail_msg("report SK: %s", err.msg);
		assert_string_equal(json_string_value(json_object_get(rep, "depot")), "SK");
		t = json_object_get(json_object_get(rep, "turnaround_workdays"), "total");
		assert_int_equal(json_integer_value(json_object_get(t, "count")), 1);
		assert_int_equal(json_integer_value(json_object_get(t, "max")), 1);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(
		        json_object_get(rep, "queue_age_workdays"), "total"), "count")), 0);
		o = json_array_get(json_object_get(rep, "outcomes"), 0);
		assert_int_equal(json_integer_value(json_object_get(o, "started")), 1);
		assert_int_equal(json_integer_value(json_object_get(o, "approved")), 1);
		assert_int_equal(json_array_size(json_object_get(rep, "by_depot")), 1);
		json_decref(rep);
		/* Mölndal: the figures from before F */
		ro.depot = "ML";
		rep = recon_report_depot(f->s, &ro, &err);
		t = json_object_get(json_object_get(rep, "turnaround_workdays"), "total");
		assert_int_equal(json_integer_value(json_object_get(t, "count")), 3);
		assert_int_equal(json_integer_value(json_object_get(t, "median")), 4);
		o = json_array_get(json_object_get(rep, "outcomes"), 0);
		assert_int_equal(json_integer_value(json_object_get(o, "started")), 5);
		assert_int_equal(json_integer_value(json_object_get(o, "scrapped")), 1);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(
		        json_object_get(rep, "queue_age_workdays"), "total"), "count")), 1);
		json_decref(rep);
		/* the whole, with each depot's row by its own calendar */
		ro.depot = NULL;
		rep = recon_report_depot(f->s, &ro, &err);
		by = json_object_get(rep, "by_depot");
		assert_int_equal(json_array_size(by), 2);
		assert_string_equal(json_string_value(json_object_get(json_array_get(by, 1), "depot")), "SK");
		assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(by, 1),
		                 "turnaround"), "max")), 1);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(by, 0),
		                 "outcomes"), "scrapped")), 1);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(rep,
		                 "turnaround_workdays"), "total"), "count")), 4);
		json_decref(rep);
		ro.depot = "Skovde";
		assert_null(recon_report_depot(f->s, &ro, &err));
		assert_int_equal(err.code, WMS_ENOTFOUND);
		assert_non_null(strstr(err.msg, "known depots: ML (HMC Mölndal), SK (HMC Skövde)"));
		wms_calendar_free(sk_cal);
		sk_cal = NULL;
	}
	wms_calendar_free(cal);
}

static void cases_link_to_exchanges(void **state)
{
	struct env *e = *state;
	struct fixture *f = e->f;
	struct wms_error err = { 0 };
	long long id = 0;
	json_t *c;

	returned(f, "SN-8", "BPM", "O-8", "2026-03-02T10:00");
	/* a second device rented out, exchanged for a replacing order the case names */
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = "SN-9", .product = "BPM",
	                       .at = T("2026-03-02T08:00")), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = "SN-9", .location = "A-01-01"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "O-9", .customer = "BORAS",
	                       .product = "BPM", .mode = "unit"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = "SN-9", .order = "O-9"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_PICK, .serial = "SN-9"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = "SN-9"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = "SN-9"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_RENT, .serial = "SN-9"), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = "O-10", .customer = "BORAS",
	                       .product = "BPM", .mode = "unit", .exchange_of = "SN-9"), 0);
	assert_int_equal(recon_case_open(f->s, &(struct recon_case_req){ .serial = "SN-9", .order = "O-10",
	                 .kind = "deviation", .text = "visar fel värde", .actor = "sup1" }, &id, &err), 0);
	assert_int_equal(APPLY(f, &err, .type = WMS_EV_EXCHANGE, .serial = "SN-9", .order = "O-10",
	                       .reason = "visar fel värde"), 0);
	c = recon_case_show(f->s, id, &err);
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "status")), "open");
	assert_int_equal(json_array_size(json_object_get(c, "exchanges")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(c, "exchanges"), 0),
	                                                      "replacing_order")), "O-10");
	json_decref(c);
	assert_int_equal(recon_case_open(f->s, &(struct recon_case_req){ .serial = "SN-9", .kind = "complaint",
	                 .text = "x", .actor = "sup1" }, &id, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "use --kind support or --kind deviation"));
	assert_int_equal(recon_case_open(f->s, &(struct recon_case_req){ .serial = "SN-9", .order = "NOPE",
	                 .kind = "support", .text = "x", .actor = "sup1" }, &id, &err), WMS_ENOTFOUND);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM cases"), 1);
	assert_int_equal(recon_case_close(f->s, 1, "byte genomförd", 0, "sup1", &err), 0);
	assert_int_equal(recon_case_close(f->s, 1, "igen", 0, "sup1", &err), WMS_ESTATE);
	assert_int_equal(recon_case_close(f->s, 99, "x", 0, "sup1", &err), WMS_ENOTFOUND);
	c = recon_case_list(f->s, "closed", NULL, &err);
	assert_int_equal(json_array_size(c), 1);
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(approved_after_every_step_passed, setup, teardown),
		cmocka_unit_test_setup_teardown(out_of_tolerance_blocks_approval, setup, teardown),
		cmocka_unit_test_setup_teardown(repair_then_scrap, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_checklist_and_wrong_state_write_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(a_run_keeps_its_checklist, setup, teardown),
		cmocka_unit_test_setup_teardown(inside_a_batch_and_rolled_back, setup, teardown),
		cmocka_unit_test_setup_teardown(scrap_is_proposed_after_max_cycles, setup, teardown),
		cmocka_unit_test_setup_teardown(report_figures, setup, teardown),
		cmocka_unit_test_setup_teardown(cases_link_to_exchanges, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
