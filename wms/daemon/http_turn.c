/*
 * http_turn.c - the API's ledger writes (http_write.c) through the loop's
 * commit step (turn.h), group-committed like scans (issue 16): a write
 * request's checked command is copied into a job and submitted, and its
 * connection waits suspended; at the end of the loop turn every write that
 * arrived, and every scan, is committed with one fsync; then each request is
 * answered with the reply its job made inside the transaction (with its
 * audit row), or with 503/500 when the commit did not hold.  A refused
 * command rolls back only itself (the ledger's savepoint) and writes nothing.
 *
 * Failed logins' audit rows (http_login_guard.c) go the same way: a login
 * flood adds no fsync of its own to the loop.
 *
 * The other write routes (http_routes.c names them) go the same way whole:
 * their handler itself runs later, inside the turn's transaction under a
 * savepoint of its own (http_turn_defer); a reply of 400 or more rolls the
 * savepoint back (a refused request writes nothing), a good one adds its
 * audit row; the reply is sent after the commit.  The handler sees the same
 * request (its body, parameters, user, the suspended connection's headers)
 * and makes the same reply as when it ran at once.
 *
 * The job keeps the request's parsed body (a reference) and copies of the
 * path parameters and the user: the command's strings point into them.
 */
#include "http_impl.h"

#include "log.h"
#include "turn.h"
#include "wms_audit.h"
#include "wms_ledger.h"
#include "wms_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct write_job {
	struct wms_cmd cmd;
	json_t *json;                              /* the body the command's strings point into */
	char params[HTTP_MAX_PARAMS][128];
	char user[WMS_USER_NAME_MAX + 1];
	char action[WMS_AUDIT_ACTION_MAX + 1];
	int ok_status;
	struct http_later *later;
	struct http_reply reply;
};

static struct turn *turn;

void http_turn_set(struct turn *t)
{
	turn = t;
}

void http_turn_drain(void)
{
	if (turn)
		turn_drain(turn);
}

/* The reply of an applied command (also the synchronous path's). */
json_t *http_write_result(const struct wms_cmd *w, const struct wms_cmd_result *res, const char *user)
{
	bool order_cmd = w->type >= WMS_EV_DEVICE_COUNT;

	return json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s}", "event", (json_int_t)res->event_id,
	                 "type", wms_event_name(w->type), "from", order_cmd ? NULL : wms_state_name(res->from),
	                 "to", order_cmd ? NULL : wms_state_name(res->to), "order", w->order, "actor", user);
}

/* Inside the turn's transaction: the command (its own savepoint) and, when it held, its audit row. */
static int run(struct wms_store *s, void *ctx, struct wms_error *err)
{
	struct write_job *j = ctx;
	struct wms_cmd_result res;
	struct wms_error e = { 0 };

	if (wms_ledger_apply(s, &j->cmd, &res, &e) < 0) {
		if (e.code == WMS_EDB)
			return wms_error_set(err, WMS_EDB, "%s", e.msg);   /* answered 500/503 */
		http_core_error(&j->reply, e.code, e.msg);           /* refused: nothing written */
		return 0;
	}
	http_json(&j->reply, j->ok_status, http_write_result(&j->cmd, &res, j->user), &e);
	if (wms_audit_add(s, wms_now(), j->user, "http", j->action, j->reply.status, &e) < 0)
		wmsd_log_err("audit trail: %s", e.msg);
	return 0;
}

/* After the commit: reply (rc 0), or 503/500 when the commit did not hold, to the suspended
 * request, which MHD then sends. */
static void reply_later(struct http_later *later, struct http_reply *reply, int rc,
                        const struct wms_error *err)
{
	if (rc < 0) {
		bool busy = strncmp(err->msg, "database busy", 13) == 0;
		json_decref(reply->json);
		free(reply->text);
		if (reply->stream)
			MHD_destroy_response(reply->stream);
		*reply = (struct http_reply){ .retry_after = busy ? 1 : 0 };
		http_error(reply, busy ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_INTERNAL_SERVER_ERROR,
		           busy ? "service unavailable" : "internal error", err->msg, NULL);
	}
	later->reply = *reply;
	later->state = HTTP_LATER_DONE;
	MHD_resume_connection(later->conn);
	http_wake();                             /* MHD sends it right after this turn */
}

static void done(void *ctx, int rc, bool journalled, const struct wms_error *err)
{
	struct write_job *j = ctx;

	(void)journalled;   /* HTTP writes have no journal phase */
	reply_later(j->later, &j->reply, rc, err);
	json_decref(j->json);
	free(j);
}

/* Point a string of the command that lay in rq->params into the job's copy. */
static const char *moved(const char *p, const struct http_request *rq, struct write_job *j)
{
	for (int i = 0; i < HTTP_MAX_PARAMS; i++)
		if (p == rq->params[i])
			return j->params[i];
	return p;
}

/* Submit a request's job (tj->ctx, malloc'ed, holding a reference to json): 0 = queued, the
 * request waits suspended; -1 = a 503 reply is set and the job freed. */
static int queue(struct http_request *rq, struct http_reply *rp, const struct turn_job *tj, json_t *json)
{
	struct wms_error err = { 0 };

	if (turn_submit(turn, tj, &err) < 0) {
		json_decref(json);
		free(tj->ctx);
		http_error(rp, MHD_HTTP_SERVICE_UNAVAILABLE, "service unavailable", err.msg,
		           "a try after Retry-After seconds");
		rp->retry_after = 1;
		return -1;
	}
	rq->later->state = HTTP_LATER_QUEUED;
	rp->suspend = true;
	return 0;
}

int http_write_submit(struct http_request *rq, struct http_reply *rp, const struct wms_cmd *w,
                      int ok_status)
{
	struct turn_job tj = { .run = run, .done = done, .linger = true };
	struct write_job *j;

	if (turn == NULL || rq->later == NULL)
		return 1;                      /* no commit step (tests): the caller applies it */
	if ((j = calloc(1, sizeof *j)) == NULL) {
		http_error(rp, MHD_HTTP_SERVICE_UNAVAILABLE, "service unavailable", "out of memory", NULL);
		return -1;
	}
	j->cmd = *w;
	j->json = json_incref(rq->json);
	memcpy(j->params, rq->params, sizeof j->params);
	snprintf(j->user, sizeof j->user, "%s", rq->user);
	snprintf(j->action, sizeof j->action, "%s %s", rq->method, rq->path);
	j->cmd.serial = moved(w->serial, rq, j);
	j->cmd.order = moved(w->order, rq, j);
	j->cmd.actor = j->user;
	j->ok_status = ok_status;
	j->later = rq->later;
	tj.ctx = j;
	return queue(rq, rp, &tj, j->json);
}

/* An audit row in the turn's commit (nobody waits for it). */
struct audit_job {
	char actor[WMS_USER_NAME_MAX * 4 + 8];
	char action[WMS_AUDIT_ACTION_MAX + 1];
	int status;
	wms_time at;
};

static int audit_run(struct wms_store *s, void *ctx, struct wms_error *err)
{
	struct audit_job *a = ctx;
	struct wms_error e = { 0 };

	if (wms_audit_add(s, a->at, a->actor, "http", a->action, a->status, &e) < 0)
		wmsd_log_err("audit trail: %s", e.msg);
	return 0;
}

static void audit_done(void *ctx, int rc, bool journalled, const struct wms_error *err)
{
	(void)journalled;
	if (rc < 0)
		wmsd_log_err("audit trail: %s", err->msg);
	free(ctx);
}

int http_turn_audit(const char *actor, const char *action, int status)
{
	struct turn_job tj = { .run = audit_run, .done = audit_done };
	struct wms_error err = { 0 };
	struct audit_job *a;

	if (turn == NULL || (a = calloc(1, sizeof *a)) == NULL)
		return 1;
	snprintf(a->actor, sizeof a->actor, "%s", actor);
	snprintf(a->action, sizeof a->action, "%s", action);
	a->status = status;
	a->at = wms_now();
	tj.ctx = a;
	if (turn_submit(turn, &tj, &err) < 0) {
		free(a);
		return 1;
	}
	return 0;
}

/* A write route's whole handler in the turn's commit. */
struct defer_job {
	struct http_request rq;        /* a copy; its strings live as long as the suspended request */
	http_handler fn;
	struct http_reply reply;
};

static bool in_job;

bool http_turn_in_job(void)
{
	return in_job;
}

static int defer_run(struct wms_store *s, void *ctx, struct wms_error *err)
{
	struct defer_job *j = ctx;
	struct wms_error e = { 0 };
	bool ok;

	if (wms_store_cmd_begin(s, &e) < 0)            /* a savepoint: the turn's transaction is open */
		return wms_error_set(err, WMS_EDB, "%s", e.msg);
	in_job = true;
	j->fn(&j->rq, &j->reply);
	in_job = false;
	if (j->reply.suspend || (j->reply.json == NULL && j->reply.text == NULL && j->reply.stream == NULL)) {
		json_decref(j->reply.json);
		free(j->reply.text);
		j->reply = (struct http_reply){ 0 };
		http_error(&j->reply, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error", "no reply", NULL);
	}
	ok = j->reply.status < 400;
	if (ok)
		http_audit_post(&j->rq, &j->reply);
	if (wms_store_cmd_end(s, ok, &e) < 0)
		return wms_error_set(err, WMS_EDB, "%s", e.msg);
	return 0;
}

static void defer_done(void *ctx, int rc, bool journalled, const struct wms_error *err)
{
	struct defer_job *j = ctx;

	(void)journalled;
	reply_later(j->rq.later, &j->reply, rc, err);
	json_decref(j->rq.json);
	free(j);
}

int http_turn_defer(struct http_request *rq, struct http_reply *rp, http_handler fn)
{
	struct turn_job tj = { .run = defer_run, .done = defer_done, .linger = true };
	struct defer_job *j;

	if (turn == NULL || rq->later == NULL || in_job)
		return 1;                      /* no commit step (tests): the caller runs it */
	if ((j = calloc(1, sizeof *j)) == NULL) {
		http_error(rp, MHD_HTTP_SERVICE_UNAVAILABLE, "service unavailable", "out of memory", NULL);
		return -1;
	}
	j->rq = *rq;
	j->rq.json = json_incref(rq->json);
	j->fn = fn;
	tj.ctx = j;
	return queue(rq, rp, &tj, j->rq.json);
}
