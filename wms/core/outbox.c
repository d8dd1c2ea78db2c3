/*
 * outbox.c - the outbox table: enqueue in the caller's transaction, claim
 * with a lease, record outcomes with capped exponential backoff, operator
 * retry/cancel/reprint, payload purge and lists (see wms_outbox.h).
 */
#include "wms_outbox.h"

#include "store_sql.h"
#include "wms_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPEN_STATES "('queued','submitted')"

static int check_kind(const char *kind, struct wms_error *err)
{
	if (kind == NULL || (strcmp(kind, "label") && strcmp(kind, "booking")))
		return wms_error_set(err, WMS_EINVAL, "bad outbox kind \"%s\": use label or booking",
		                     kind ? kind : "");
	return 0;
}

static int check_target(const char *target, struct wms_error *err)
{
	if (target == NULL || *target == '\0')
		return wms_error_set(err, WMS_EINVAL, "missing target (printer name)");
	if (strlen(target) > WMS_OUTBOX_TARGET_MAX)
		return wms_error_set(err, WMS_EINVAL, "target too long: at most %d bytes",
		                     WMS_OUTBOX_TARGET_MAX);
	return 0;
}

static int check_payload(const char *payload, struct wms_error *err)
{
	json_error_t jerr;
	json_t *v;
	int ok;

	if (payload == NULL || strlen(payload) > WMS_OUTBOX_PAYLOAD_MAX)
		return wms_error_set(err, WMS_EINVAL, "missing or too long payload: at most %d bytes",
		                     WMS_OUTBOX_PAYLOAD_MAX);
	v = json_loads(payload, JSON_REJECT_DUPLICATES, &jerr);
	ok = json_is_object(v);
	json_decref(v);
	if (!ok)
		return wms_error_set(err, WMS_EINVAL, "payload is not a JSON object");
	return 0;
}

void wms_outbox_job_clear(struct wms_outbox_job *job)
{
	if (job == NULL)
		return;
	free(job->payload);
	memset(job, 0, sizeof *job);
}

int wms_outbox_backoff(int attempts)
{
	int delay = WMS_OUTBOX_BACKOFF_MIN;

	for (int i = 1; i < attempts && delay < WMS_OUTBOX_BACKOFF_MAX; i++)
		delay *= 2;
	return delay < WMS_OUTBOX_BACKOFF_MAX ? delay : WMS_OUTBOX_BACKOFF_MAX;
}

int wms_outbox_enqueue(struct wms_store *s, const struct wms_outbox_new *job, wms_time now,
                       long long *id, struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO outbox(kind, target, payload, next_attempt_ts, created_ts, event_id,"
		" reprint_of, nonce, last_error) VALUES (?1, ?2, ?3, CASE WHEN ?7 IS NULL THEN ?4 ELSE ?8 END,"
		" ?4, ?5, ?6, lower(hex(randomblob(4))), ?7)";
	sqlite3_stmt *st;
	int rc;

	if (id)
		*id = 0;
	if ((rc = check_kind(job->kind, err)) < 0 || (rc = check_target(job->target, err)) < 0 ||
	    (rc = check_payload(job->payload, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, job->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, job->target, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, job->payload, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	if (job->event_id > 0)
		sqlite3_bind_int64(st, 5, job->event_id);
	if (job->reprint_of > 0)
		sqlite3_bind_int64(st, 6, job->reprint_of);
	wms_bind_text_or_null(st, 7, job->held);
	sqlite3_bind_int64(st, 8, WMS_OUTBOX_HELD);
	if ((rc = wms_store_step_done(s, st, "adding to the outbox", err)) < 0)
		return rc;
	if (id)
		*id = sqlite3_last_insert_rowid(wms_store_db(s));
	return 0;
}

#define JOB_COLUMNS "id, kind, target, state, payload, attempts, cups_job_id, nonce, batch"

/* Fill job from a row of JOB_COLUMNS. */
static int read_job(sqlite3_stmt *st, struct wms_outbox_job *job, struct wms_error *err)
{
	const char *payload = (const char *)sqlite3_column_text(st, 4);

	memset(job, 0, sizeof *job);
	job->id = sqlite3_column_int64(st, 0);
	snprintf(job->kind, sizeof job->kind, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(job->target, sizeof job->target, "%s", (const char *)sqlite3_column_text(st, 2));
	snprintf(job->state, sizeof job->state, "%s", (const char *)sqlite3_column_text(st, 3));
	job->attempts = sqlite3_column_int(st, 5);
	job->cups_job_id = sqlite3_column_int64(st, 6);
	snprintf(job->nonce, sizeof job->nonce, "%s", (const char *)sqlite3_column_text(st, 7));
	if (sqlite3_column_type(st, 8) == SQLITE_TEXT)
		snprintf(job->batch, sizeof job->batch, "%s", (const char *)sqlite3_column_text(st, 8));
	if (payload && (job->payload = strdup(payload)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory reading outbox job %lld", job->id);
	return 0;
}

int wms_outbox_claim(struct wms_store *s, const char *kind, wms_time now,
                     struct wms_outbox_job *job, struct wms_error *err)
{
	static const char pick_sql[] =
		"SELECT id FROM outbox WHERE state = 'queued' AND (?1 IS NULL OR kind = ?1)"
		" AND next_attempt_ts <= ?2 ORDER BY next_attempt_ts, id LIMIT 1";
	static const char take_sql[] =
		"UPDATE outbox SET attempts = attempts + 1, next_attempt_ts = ?2 WHERE id = ?1"
		" RETURNING " JOB_COLUMNS;
	sqlite3_stmt *st;
	long long id = 0;
	int rc, found = 0;

	memset(job, 0, sizeof *job);
	if ((rc = wms_store_cmd_begin(s, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, pick_sql, err)) == NULL) {
		rc = WMS_EDB;
		goto out;
	}
	wms_bind_text_or_null(st, 1, kind);
	sqlite3_bind_int64(st, 2, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = wms_store_sql_error(s, err, "claiming an outbox job");
		goto out;
	}
	rc = 0;
	if (id == 0)
		goto out;
	if ((st = wms_store_stmt(s, take_sql, err)) == NULL) {
		rc = WMS_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now + WMS_OUTBOX_LEASE);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = wms_store_sql_error(s, err, "claiming an outbox job");
		sqlite3_reset(st);
		goto out;
	}
	rc = read_job(st, job, err);
	sqlite3_step(st);    /* finish the RETURNING statement before committing */
	sqlite3_reset(st);
	found = rc == 0;
out:
	if (wms_store_cmd_end(s, rc == 0, rc == 0 ? err : NULL) < 0 && rc == 0) {
		rc = WMS_EDB;
		found = 0;
	}
	if (!found)
		wms_outbox_job_clear(job);
	return rc < 0 ? rc : found;
}

int wms_outbox_in_flight(struct wms_store *s, const char *kind, struct wms_outbox_job *jobs,
                         int max, int *n, struct wms_error *err)
{
	static const char sql[] =
		"SELECT " JOB_COLUMNS " FROM outbox WHERE state = 'submitted'"
		" AND (?1 IS NULL OR kind = ?1) ORDER BY id LIMIT ?2";
	sqlite3_stmt *st;
	int rc = 0;

	*n = 0;
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	wms_bind_text_or_null(st, 1, kind);
	sqlite3_bind_int(st, 2, max);
	while (*n < max) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE) {
			rc = 0;
			break;
		}
		if (rc != SQLITE_ROW) {
			rc = wms_store_sql_error(s, err, "listing submitted jobs");
			break;
		}
		if ((rc = read_job(st, &jobs[*n], err)) < 0)
			break;
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc < 0) {
		for (int i = 0; i < *n; i++)
			wms_outbox_job_clear(&jobs[i]);
		*n = 0;
		return rc;
	}
	return 0;
}

/* Run an UPDATE of one open row (?1 = id); WMS_ESTATE when it is not open. */
static int update_open(struct wms_store *s, sqlite3_stmt *st, long long id, struct wms_error *err)
{
	int rc = wms_store_step_done(s, st, "updating an outbox job", err);

	if (rc < 0)
		return rc;
	if (sqlite3_changes(wms_store_db(s)) == 0)
		return wms_error_set(err, WMS_ESTATE, "outbox job %lld is not open (queued or "
		                     "submitted) any more", id);
	return 0;
}

/* The UPDATE sql of row id, prepared with ?1 = id and ?2 = n; NULL on error. */
static sqlite3_stmt *prepare_update(struct wms_store *s, const char *sql, long long id, long long n,
                                    struct wms_error *err)
{
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st != NULL) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, n);
	}
	return st;
}

int wms_outbox_set_batch(struct wms_store *s, const long long *ids, int n, const char *title,
                         struct wms_error *err)
{
	static const char sql[] =
		"UPDATE outbox SET batch = ?2 WHERE id = ?1 AND state IN " OPEN_STATES;
	int rc;

	if (title == NULL || *title == '\0' || strlen(title) > WMS_OUTBOX_BATCH_MAX)
		return wms_error_set(err, WMS_EINVAL, "bad batch title: 1 to %d bytes",
		                     WMS_OUTBOX_BATCH_MAX);
	if ((rc = wms_store_cmd_begin(s, err)) < 0)
		return rc;
	for (int i = 0; i < n && rc == 0; i++) {
		sqlite3_stmt *st = wms_store_stmt(s, sql, err);

		if (st == NULL) {
			rc = WMS_EDB;
			break;
		}
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
		rc = wms_store_step_done(s, st, "recording a print batch", err);
	}
	if (wms_store_cmd_end(s, rc == 0, rc == 0 ? err : NULL) < 0 && rc == 0)
		rc = WMS_EDB;
	return rc;
}

int wms_outbox_submitted(struct wms_store *s, long long id, long long cups_job_id,
                         struct wms_error *err)
{
	static const char sql[] =
		"UPDATE outbox SET state = 'submitted', cups_job_id = ?2, last_error = NULL"
		" WHERE id = ?1 AND state IN " OPEN_STATES;
	sqlite3_stmt *st = prepare_update(s, sql, id, cups_job_id, err);

	return st ? update_open(s, st, id, err) : WMS_EDB;
}

int wms_outbox_printed(struct wms_store *s, long long id, wms_time now, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE outbox SET state = 'printed', finished_ts = ?2, last_error = NULL"
		" WHERE id = ?1 AND state IN " OPEN_STATES;
	sqlite3_stmt *st = prepare_update(s, sql, id, now, err);

	return st ? update_open(s, st, id, err) : WMS_EDB;
}

int wms_outbox_retry_later(struct wms_store *s, long long id, wms_time now, const char *reason,
                           int forget_job, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE outbox SET state = 'queued', last_error = ?2,"
		" next_attempt_ts = ?3 + CASE WHEN attempts <= 1 THEN ?4"
		"   ELSE min(?5, ?4 << min(attempts - 1, 16)) END,"
		" cups_job_id = CASE WHEN ?6 THEN NULL ELSE cups_job_id END"
		" WHERE id = ?1 AND state IN " OPEN_STATES;
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, id);
	wms_bind_text_or_null(st, 2, reason);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int(st, 4, WMS_OUTBOX_BACKOFF_MIN);
	sqlite3_bind_int(st, 5, WMS_OUTBOX_BACKOFF_MAX);
	sqlite3_bind_int(st, 6, forget_job ? 1 : 0);
	return update_open(s, st, id, err);
}

int wms_outbox_release(struct wms_store *s, long long id, const char *patch, wms_time now,
                       struct wms_error *err)
{
	static const char sql[] =
		"UPDATE outbox SET payload = json_patch(payload, ?3), next_attempt_ts = ?2,"
		" last_error = NULL WHERE id = ?1 AND state = 'queued'";
	sqlite3_stmt *st;
	int rc;

	if ((rc = check_payload(patch, err)) < 0)
		return rc;
	if ((st = prepare_update(s, sql, id, now, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 3, patch, -1, SQLITE_STATIC);
	if ((rc = wms_store_step_done(s, st, "releasing an outbox job", err)) < 0)
		return rc;
	if (sqlite3_changes(wms_store_db(s)) == 0)
		return wms_error_set(err, WMS_ESTATE, "outbox job %lld is not queued any more", id);
	return 0;
}

int wms_outbox_note(struct wms_store *s, long long id, const char *note, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE outbox SET last_error = ?2 WHERE id = ?1 AND state IN " OPEN_STATES;
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, id);
	wms_bind_text_or_null(st, 2, note);
	return update_open(s, st, id, err);
}

int wms_outbox_fail(struct wms_store *s, long long id, wms_time now, const char *reason,
                    struct wms_error *err)
{
	static const char sql[] =
		"UPDATE outbox SET state = 'failed', finished_ts = ?2, last_error = ?3"
		" WHERE id = ?1 AND state IN " OPEN_STATES;
	sqlite3_stmt *st = prepare_update(s, sql, id, now, err);

	if (st == NULL)
		return WMS_EDB;
	wms_bind_text_or_null(st, 3, reason);
	return update_open(s, st, id, err);
}

/* The state of row id into buf; WMS_ENOTFOUND if there is no such row. */
static int row_state(struct wms_store *s, long long id, char *buf, size_t size,
                     struct wms_error *err)
{
	static const char sql[] = "SELECT state FROM outbox WHERE id = ?1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, NULL, id, &st, "reading an outbox job", err);

	if (rc <= 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_ENOTFOUND, "unknown print job %lld", id);
	snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

/*
 * WMS_ESTATE when row id is held (enqueued with .held and not released):
 * made due, a shipping or return label would be rendered without the
 * tracking number its carrier booking gives, so the booking is what to
 * retry.  0 when it is not held.
 */
static int refuse_held(struct wms_store *s, long long id, struct wms_error *err)
{
	static const char sql[] =
		"SELECT o.last_error, c.sscc, c.carrier FROM outbox o"
		" LEFT JOIN consignments c ON c.label_job = o.id"
		" WHERE o.id = ?1 AND o.state = 'queued' AND o.next_attempt_ts = ?2";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	const char *why, *sscc;
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, WMS_OUTBOX_HELD);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		rc = 0;
	} else if (rc != SQLITE_ROW) {
		rc = wms_store_sql_error(s, err, "reading an outbox job");
	} else if ((sscc = (const char *)sqlite3_column_text(st, 1)) != NULL) {
		rc = wms_error_set(err, WMS_ESTATE, "print job %lld is the label of consignment %s and "
		                   "waits for its booking with %s (the tracking number); retry the "
		                   "booking: wms consignment book %s", id, sscc,
		                   (const char *)sqlite3_column_text(st, 2), sscc);
	} else {
		why = (const char *)sqlite3_column_text(st, 0);
		rc = wms_error_set(err, WMS_ESTATE, "print job %lld is held (%s); it becomes due when "
		                   "that is done, not by \"retry\"", id, why ? why : "no reason given");
	}
	sqlite3_reset(st);
	return rc;
}

/* An operator's state change: allowed from the states in `from` (space-separated);
 * a held row is refused when held_too is false (see refuse_held). */
static int operator_update(struct wms_store *s, long long id, const char *sql, const char *verb,
                           const char *from, bool held_too, wms_time now, struct wms_error *err)
{
	char state[16], padded[64];
	sqlite3_stmt *st;
	int rc;

	if ((rc = wms_store_cmd_begin(s, err)) < 0)
		return rc;
	if ((rc = row_state(s, id, state, sizeof state, err)) < 0)
		goto out;
	snprintf(padded, sizeof padded, " %s ", state);
	{
		char allowed[64];
		snprintf(allowed, sizeof allowed, " %s ", from);
		if (strstr(allowed, padded) == NULL) {
			rc = wms_error_set(err, WMS_ESTATE, "print job %lld is %s; \"%s\" is allowed only "
			                   "when it is %s", id, state, verb, from);
			goto out;
		}
	}
	if (!held_too && (rc = refuse_held(s, id, err)) < 0)
		goto out;
	if ((st = prepare_update(s, sql, id, now, err)) == NULL) {
		rc = WMS_EDB;
		goto out;
	}
	rc = wms_store_step_done(s, st, "updating an outbox job", err);
out:
	if (wms_store_cmd_end(s, rc == 0, rc == 0 ? err : NULL) < 0 && rc == 0)
		rc = WMS_EDB;
	return rc;
}

int wms_outbox_retry(struct wms_store *s, long long id, wms_time now, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE outbox SET state = 'queued', next_attempt_ts = ?2, finished_ts = NULL,"
		" cups_job_id = CASE WHEN state = 'failed' THEN NULL ELSE cups_job_id END"
		" WHERE id = ?1";

	return operator_update(s, id, sql, "retry", "queued failed", false, now, err);
}

int wms_outbox_cancel(struct wms_store *s, long long id, wms_time now, struct wms_error *err)
{
	static const char sql[] =
		"UPDATE outbox SET state = 'cancelled', finished_ts = ?2 WHERE id = ?1";

	return operator_update(s, id, sql, "cancel", "queued failed", true, now, err);
}

int wms_outbox_reprint(struct wms_store *s, long long id, const char *new_target, wms_time now,
                       long long *new_id, struct wms_error *err)
{
	static const char sql[] =
		"SELECT kind, target, payload, event_id, purged FROM outbox WHERE id = ?1";
	struct wms_outbox_new job = { 0 };
	char kind[16] = "", target[WMS_OUTBOX_TARGET_MAX + 1] = "";
	char *payload = NULL;
	sqlite3_stmt *st;
	int rc, purged = 0;

	if (new_id)
		*new_id = 0;
	if ((rc = wms_store_cmd_begin(s, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, sql, err)) == NULL) {
		rc = WMS_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 2);
		snprintf(kind, sizeof kind, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(target, sizeof target, "%s", (const char *)sqlite3_column_text(st, 1));
		job.event_id = sqlite3_column_int64(st, 3);
		purged = sqlite3_column_int(st, 4) || p == NULL;
		if (p && (payload = strdup(p)) == NULL)
			rc = SQLITE_NOMEM;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		rc = wms_error_set(err, WMS_ENOTFOUND, "unknown print job %lld", id);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		rc = rc == SQLITE_NOMEM ? wms_error_set(err, WMS_ENOMEM, "out of memory")
		                        : wms_store_sql_error(s, err, "reading an outbox job");
		goto out;
	}
	if (purged) {
		rc = wms_error_set(err, WMS_ESTATE, "print job %lld cannot be reprinted: its contents "
		                   "were purged (personal data); print a new label instead", id);
		goto out;
	}
	job.kind = kind;
	job.target = new_target && *new_target ? new_target : target;
	job.payload = payload;
	job.reprint_of = id;
	rc = wms_outbox_enqueue(s, &job, now, new_id, err);
out:
	free(payload);
	if (wms_store_cmd_end(s, rc == 0, rc == 0 ? err : NULL) < 0 && rc == 0)
		rc = WMS_EDB;
	return rc;
}

int wms_outbox_purge_payloads(struct wms_store *s, wms_time before_ts, long long *count,
                              struct wms_error *err)
{
	static const char sql[] =
		"UPDATE outbox SET payload = NULL, purged = 1"
		" WHERE state IN ('printed','failed','cancelled') AND created_ts < ?1 AND purged = 0";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (count)
		*count = 0;
	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, before_ts);
	if ((rc = wms_store_step_done(s, st, "purging outbox payloads", err)) < 0)
		return rc;
	if (count)
		*count = sqlite3_changes64(wms_store_db(s));
	return 0;
}

/* a carrier booking is listed as one: booked (not "printed"), booking (not "submitted") */
#define LIST_COLUMNS \
	"id, kind, target, CASE kind WHEN 'booking' THEN 'booking' ELSE json_extract(payload, '$.label')" \
	" END AS label, CASE WHEN kind = 'booking' AND state = 'printed' THEN 'booked'" \
	" WHEN kind = 'booking' AND state = 'submitted' THEN 'booking' ELSE state END AS state, attempts," \
	" cups_job_id, CASE WHEN state = 'queued'" \
	"   THEN strftime('%Y-%m-%dT%H:%M:%SZ', next_attempt_ts, 'unixepoch') END AS next_attempt," \
	" last_error, strftime('%Y-%m-%dT%H:%M:%SZ', created_ts, 'unixepoch') AS created," \
	" event_id, reprint_of"

json_t *wms_outbox_show(struct wms_store *s, long long id, struct wms_error *err)
{
	char idtext[24];
	const char *params[1] = { idtext };
	json_t *rows, *one;

	snprintf(idtext, sizeof idtext, "%lld", id);
	rows = wms_query_rows(s, "SELECT " LIST_COLUMNS ", payload FROM outbox WHERE id = ?1",
	                      params, 1, err);
	if (rows == NULL)
		return NULL;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		wms_error_set(err, WMS_ENOTFOUND, "unknown print job %lld", id);
		return NULL;
	}
	one = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return one;
}

json_t *wms_outbox_list(struct wms_store *s, const char *state, int limit, struct wms_error *err)
{
	static const char *const states[] = { "queued", "submitted", "printed", "failed",
	                                      "cancelled", "open" };
	char lim[16];
	const char *params[2] = { state, lim };
	int known = state == NULL;

	for (size_t i = 0; !known && i < sizeof states / sizeof states[0]; i++)
		known = strcmp(state, states[i]) == 0;
	if (!known) {
		wms_error_set(err, WMS_EINVAL, "bad state \"%s\": use queued, submitted, printed, "
		              "failed, cancelled or open", state);
		return NULL;
	}
	snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 100);
	return wms_query_rows(s,
		"SELECT " LIST_COLUMNS " FROM outbox WHERE ?1 IS NULL OR state = ?1"
		" OR (?1 = 'open' AND state IN " OPEN_STATES ") ORDER BY id DESC LIMIT CAST(?2 AS INTEGER)",
		params, 2, err);
}
