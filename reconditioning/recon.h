/*
 * recon.h - the technician's reconditioning workflow over the ledger.
 *
 * A returned device waits in quarantine.  recon_start() records the
 * recon_start ledger event and opens a run bound to a snapshot of its
 * product type's checklist (version and hash; the text is stored so that a
 * later edit of the file never changes how an open run is judged).  Each
 * recon_step() appends one result (technician, station, time, measured
 * value, pass/fail with the numbers); the latest result of a step counts.
 * recon_finish() ends the run: approved only when every step's latest
 * result passed (recon_approve event to a shelf; a "reconditioned" tag is
 * printed), or repair (recon_repair, fault description), or scrapped (scrap,
 * reason).  The tag is a 'recon' label in the print outbox (wms_outbox.h)
 * decided in the approving transaction.  Each call is one transaction, or a savepoint inside a caller's
 * open batch (wms_store_begin), so the ledger event and the run change
 * commit together or not at all.
 *
 * The gate: only recon_approve (or a supplier receipt) leads to in_stock,
 * and reserve/pick/dispatch start only from stock (wms_lifecycle.h), so a
 * device whose latest reconditioning was not approved can never be
 * allocated or dispatched.
 *
 * Station scanning: recon_scan() takes a barcode RCN:<STEP>:<RESULT>
 * (e.g. RCN:CLEAN:PASS, RCN:P100:101.5, RCN:FW:1.4.2) for the device the
 * station has current.
 */
#ifndef RECON_H
#define RECON_H

#include <stdbool.h>
#include <jansson.h>

#include "recon_checklist.h"
#include "wms_calendar.h"
#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

#define RECON_DEFAULT_MAX_CYCLES    10
#define RECON_DEFAULT_MAX_AGE_YEARS 8

/*
 * The [reconditioning] section of wmsd.conf.  A zeroed struct means "all
 * defaults": checklists = the compiled-in directory (RECON_CHECKLIST_DIR),
 * max_cycles = 10, max_age_years = 8.
 *   [reconditioning]
 *   checklists = /etc/wms/checklists
 *   max_cycles = 10        ; reconditionings after which scrapping is proposed
 *   max_age_years = 8      ; age (from manufacture, else receipt) likewise
 */
struct recon_config {
	char checklists[4096];
	int max_cycles;
	int max_age_years;
};

/* One key of [reconditioning]; 0 or WMS_ECONFIG/WMS_EINVAL naming what is allowed. */
int recon_config_key(struct recon_config *cfg, const char *key, const char *value,
                     struct wms_error *err);
/* The checklist directory in effect (never NULL). */
const char *recon_config_checklists(const struct recon_config *cfg);

/*
 * Reason codes of a repair or scrapping (recon_reasons.c), for the station's
 * command sheet: RCN:REPAIR:<CODE>, RCN:SCRAP:<CODE>.  Static; never freed.
 * recon_reason_at(0, 1, ...) lists them, NULL after the last;
 * recon_reason_find() is NULL for an unknown code.
 */
struct recon_reason {
	int outcome;               /* RECON_REPAIR or RECON_SCRAP */
	const char *code;          /* "BATTERY" */
	const char *text;          /* English words, the ledger's reason after the code */
};
const struct recon_reason *recon_reason_at(int i);
const struct recon_reason *recon_reason_find(int outcome, const char *code);

/* Who did it, where and when (at 0 = now).  actor is required: a technician
 * id; role is the actor's role bits (wms_rules.h), checked against the core's
 * role table for every step and outcome (0 is refused). */
struct recon_who {
	wms_time at;
	const char *station;
	const char *actor;
	unsigned role;
};

enum recon_outcome { RECON_APPROVE, RECON_REPAIR, RECON_SCRAP };

struct recon_finish_req {
	enum recon_outcome outcome;
	const char *location;      /* approve: the shelf */
	const char *text;          /* repair: fault description; scrap: reason */
	const char *tag_printer;   /* approve: the printer (outbox target) of the "reconditioned"
	                              tag, queued in the same transaction; NULL = no tag */
};

/* What a call did, for the caller's screen line. */
struct recon_result {
	long long event_id;        /* ledger event, 0 for a step */
	long long run_id;
	bool passed;               /* step: this result passed */
	int steps_total, steps_passed, steps_failed;
	char detail[200];          /* step: the judgement with numbers; start: checklist + version */
	char scrap_proposal[160];  /* "" or why scrapping is proposed (cycles, age) */
	long long tag_job;         /* finish: the outbox job of the tag, 0 when none was queued */
};

/* All return 0 or a negative wms_status with err filled; res may be NULL. */
int recon_start(struct wms_store *s, const struct recon_config *cfg, const char *serial,
                const struct recon_who *who, struct recon_result *res, struct wms_error *err);
int recon_step(struct wms_store *s, const char *serial, const char *step, const char *result,
               const char *note, const struct recon_who *who, struct recon_result *res,
               struct wms_error *err);
int recon_finish(struct wms_store *s, const struct recon_config *cfg, const char *serial,
                 const struct recon_finish_req *req, const struct recon_who *who,
                 struct recon_result *res, struct wms_error *err);

/*
 * A step barcode "RCN:<STEP>:<RESULT>" for serial: the same as recon_step().
 * WMS_EINVAL when the barcode is not of that form.
 */
int recon_scan(struct wms_store *s, const char *serial, const char *barcode,
               const struct recon_who *who, struct recon_result *res, struct wms_error *err);

/*
 * The device's reconditioning: state, the latest run with every step of its
 * checklist (latest result, value, technician, time, or "pending"), earlier
 * runs, and the scrap proposal.  Caller owns the result (json_decref); NULL
 * with err set on failure.
 */
json_t *recon_show(struct wms_store *s, const struct recon_config *cfg, const char *serial,
                   struct wms_error *err);

/*
 * The steps of checklist cl as shown to a technician: a new JSON array (the
 * caller json_decrefs it; NULL when out of memory) of {step, kind (check,
 * value, version), limits, barcode (RCN:<STEP>:PASS|<UNIT>|VERSION), text}.
 */
json_t *recon_checklist_steps_json(const struct recon_checklist *cl);

/*
 * The reconditioning rows of a station's command sheet: per step of cl (may
 * be NULL) RCN:<STEP>:PASS and :FAIL, or RCN:<STEP>: for a measured value;
 * then every repair and scrap reason code.  A new array of {code, text,
 * group}, texts in the calling thread's language (wms_tr); NULL when out
 * of memory.
 */
json_t *recon_sheet_rows(const struct recon_checklist *cl);

/*
 * Every product type of the catalogue against its checklist in dir: *rows
 * (OUT, the caller json_decrefs it) gets [{product, status (ok, missing,
 * invalid), version, steps, problem}].  0 when every one is ok; else the
 * first failure's status with err naming every product type without a valid
 * checklist, *rows still set.  On WMS_EDB or WMS_ENOMEM *rows is NULL.
 */
int recon_checklists_check(struct wms_store *s, const char *dir, json_t **rows, struct wms_error *err);

/*
 * Figures for managers: turnaround in working days from the return to back
 * in stock (approvals in [from, to], Stockholm dates, 0 = open end), the
 * queue now (quarantine, in_recon: size and age in working days since the
 * return), outcomes with repair and scrap rates per product type, and cycles
 * per device.  Percentiles are nearest-rank.  Caller owns the result.
 */
json_t *recon_report(struct wms_store *s, const struct wms_calendar *cal, wms_day from,
                     wms_day to, struct wms_error *err);
/*
 * The same for one product type (code; NULL or "" = all, as recon_report),
 * with turnaround_workdays.by_month (month of the approval, Stockholm) and
 * queue_age_workdays.by_product besides; "product" names the filter.
 */
json_t *recon_report_product(struct wms_store *s, const struct wms_calendar *cal, wms_day from,
                             wms_day to, const char *product, struct wms_error *err);

/*
 * The same cut by depot.  The depot of an event is the depot of its location,
 * else of the device's last location before it that belongs to a depot (a
 * scrap leaves for SCRAPPED); a device's is its location's, else its last
 * depot's.  depot (code; NULL or "" = all; an unknown code is WMS_ENOTFOUND
 * naming the known ones) keeps that depot's approvals, queue, outcomes and
 * devices, measured by its own calendar (depot_cal, NULL: cal).  "depot"
 * names the filter and "by_depot" has per depot {depot, name, turnaround
 * (total), queue (total), outcomes (started, approved, repair, scrapped)}.
 */
struct recon_report_opts {
	const struct wms_calendar *cal;    /* required */
	const struct wms_calendar *(*depot_cal)(void *ctx, const char *depot);   /* optional */
	void *depot_ctx;
	wms_day from, to;                  /* 0 = open end */
	const char *product;
	const char *depot;
};
json_t *recon_report_depot(struct wms_store *s, const struct recon_report_opts *o, struct wms_error *err);

#endif
