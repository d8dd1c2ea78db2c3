/*
 * http_login_guard.c - a password check as the login routes (API and page)
 * make it: throttled per user name and per client address, the argon2id
 * work on the login workers (http_pwpool.c) while the request waits
 * suspended, failures in the audit trail and the log.
 *
 * Throttling, per key (a user name as sent, a client address), after
 * [http] login_delay_after failures in a row: each further try must wait
 * login_delay_ms, doubled per failure up to login_delay_max_s; a try
 * within the wait is refused (429 with Retry-After) without looking at the
 * password, and counts as a failure.  login_lockout_after failures of a
 * user name (login_address_lockout_after from an address) lock it out for
 * login_lockout_s: every try is refused, the right password too, and the
 * lockout is not extended by them.  A key with no failure for
 * login_lockout_s starts afresh; a right password clears its user name.
 *
 * Every wrong password is an audit row (actor = the name tried, status 401)
 * and a log line with the name and address, never the password; so is the
 * start of a lockout (429).  Refused tries within a wait are counted into
 * one log line at most every 10 s.  All of it runs on the loop's thread.
 */
#include "http_impl.h"

#include "log.h"
#include "loop.h"
#include "wms_audit.h"
#include "wmsd.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 1024                 /* per table; the oldest is forgotten when full */
#define QUIET_LOG_MS 10000

struct slot {
	bool used, locked;
	char key[72];
	long failures;
	long long last_ms;             /* the last failure (loop_now_ms) */
	long long until_ms;            /* no try before this */
};

static struct slot users[SLOTS], addrs[SLOTS];
static long quiet_refused;
static long long quiet_since;

static bool stale(const struct slot *s, long long now, const struct http_conf *c)
{
	return now >= s->until_ms && now - s->last_ms >= c->login_lockout_s * 1000;
}

static struct slot *slot_find(struct slot *t, const char *key, long long now, const struct http_conf *c)
{
	for (int i = 0; i < SLOTS; i++)
		if (t[i].used && strcmp(t[i].key, key) == 0) {
			if (!stale(&t[i], now, c))
				return &t[i];
			t[i].used = false;
			return NULL;
		}
	return NULL;
}

static struct slot *slot_get(struct slot *t, const char *key, long long now, const struct http_conf *c)
{
	struct slot *s = slot_find(t, key, now, c), *oldest = &t[0];

	if (s)
		return s;
	for (int i = 0; i < SLOTS; i++) {
		if (!t[i].used || stale(&t[i], now, c)) {
			oldest = &t[i];
			break;
		}
		if (t[i].last_ms < oldest->last_ms)
			oldest = &t[i];
	}
	*oldest = (struct slot){ .used = true };
	snprintf(oldest->key, sizeof oldest->key, "%s", key);
	return oldest;
}

static void audit(struct http_request *rq, const char *user, int status)
{
	char action[WMS_AUDIT_ACTION_MAX + 1];
	struct wms_error err = { 0 };

	snprintf(action, sizeof action, "%s %s", rq->method, rq->path);
	if (http_turn_audit(user, action, status) == 0)
		return;                        /* committed with the loop's turn: no fsync of its own */
	if (wms_audit_add(rq->store, wms_now(), user, "http", action, status, &err) < 0)
		wmsd_log_err("audit trail: %s", err.msg);
}

/* One more failure of s; true when it locked s out just now. */
static bool count(struct slot *s, long lockout_after, long long now, const struct http_conf *c)
{
	s->failures++;
	s->last_ms = now;
	if (s->locked)
		return false;
	if (s->failures >= lockout_after) {
		s->locked = true;
		s->until_ms = now + c->login_lockout_s * 1000;
		return true;
	}
	if (s->failures >= c->login_delay_after) {
		long shift = s->failures - c->login_delay_after;
		long long d = (long long)c->login_delay_ms << (shift > 30 ? 30 : shift);
		s->until_ms = now + (d < c->login_delay_max_s * 1000 ? d : c->login_delay_max_s * 1000);
	}
	return false;
}

static void locked_now(struct http_request *rq, const char *user, const char *what, const char *key,
                       const struct slot *s, const struct http_conf *c)
{
	wmsd_log_warn("http: logins locked out for %s %s for %ld s after %ld failures (last try: user "
	              "\"%s\" from %s)", what, key, c->login_lockout_s, s->failures, user, rq->client);
	audit(rq, user, MHD_HTTP_TOO_MANY_REQUESTS);
}

/* Count a failure against the user name and the address, with its lockouts. */
static void failure(struct http_request *rq, const char *user, struct slot *u, struct slot *a,
                    long long now, const struct http_conf *c)
{
	if (u && count(u, c->login_lockout_after, now, c))
		locked_now(rq, user, "user name", u->key, u, c);
	if (a && count(a, c->login_address_lockout_after, now, c))
		locked_now(rq, user, "address", a->key, a, c);
}

static long seconds_until(long long until_ms, long long now)
{
	return (long)((until_ms - now + 999) / 1000);
}

/* A try within a wait or a lockout: v filled (429), true. */
static bool refused(struct http_request *rq, const char *user, long long now, const struct http_conf *c,
                    struct http_pw_verdict *v)
{
	struct slot *u = slot_find(users, user, now, c), *a = slot_find(addrs, rq->client, now, c);
	bool u_wait = u && now < u->until_ms, a_wait = a && now < a->until_ms;
	long long until;
	char when[32];

	if (!u_wait && !a_wait)
		return false;
	failure(rq, user, u_wait ? u : NULL, a_wait ? a : NULL, now, c);
	until = u_wait && (!a_wait || u->until_ms > a->until_ms) ? u->until_ms : a->until_ms;
	v->status = MHD_HTTP_TOO_MANY_REQUESTS;
	v->retry_s = seconds_until(until, now);
	v->locked = (u_wait && u->locked) || (a_wait && a->locked);
	if (v->locked)
		snprintf(v->detail, sizeof v->detail, "locked out after too many failed logins (%s); try again "
		         "after %s, in %ld s", u_wait && u->locked ? "this user name" : "this address",
		         wms_time_format(wms_now() + v->retry_s, when), v->retry_s);
	else
		snprintf(v->detail, sizeof v->detail, "too many failed logins (%s): wait %ld s before the "
		         "next try", u_wait ? "this user name" : "this address", v->retry_s);
	quiet_refused++;
	if (now - quiet_since >= QUIET_LOG_MS) {
		wmsd_log_warn("http: %ld login tries refused while throttled or locked out (latest: user "
		              "\"%s\" from %s)", quiet_refused, user, rq->client);
		quiet_refused = 0;
		quiet_since = now;
	}
	return true;
}

static void verdict(struct http_request *rq, const char *user, bool match, enum wms_role role,
                    long long now, const struct http_conf *c, struct http_pw_verdict *v)
{
	struct slot *u, *a;

	if (match) {
		if ((u = slot_find(users, user, now, c)) != NULL)
			u->used = false;
		v->status = MHD_HTTP_OK;
		v->role = role;
		return;
	}
	u = slot_get(users, user, now, c);
	a = slot_get(addrs, rq->client, now, c);
	failure(rq, user, u, a, now, c);
	wmsd_log_warn("http: failed login for user \"%s\" from %s (%ld in a row for the name, %ld from "
	              "the address)", user, rq->client, u->failures, a->failures);
	audit(rq, user, MHD_HTTP_UNAUTHORIZED);
	v->status = MHD_HTTP_UNAUTHORIZED;
	snprintf(v->detail, sizeof v->detail, "wrong user name or password");
}

int http_password_check(struct http_request *rq, struct http_reply *rp, const char *name,
                        const char *password, struct http_pw_verdict *v)
{
	const struct http_conf *c = &rq->conf->http;
	struct http_pwcheck *pw = rq->pw;
	char user[WMS_USER_NAME_MAX * 4 + 8], hash[WMS_PASSWORD_HASH_MAX];
	struct wms_error err = { 0 };
	long long now = loop_now_ms();
	enum wms_role role;

	*v = (struct http_pw_verdict){ 0 };
	wms_quote(user, sizeof user, name, strlen(name), WMS_USER_NAME_MAX);   /* as logged and audited */
	if (pw && pw->state == HTTP_PW_DONE) {
		pw->state = HTTP_PW_NONE;
		verdict(rq, user, pw->match, pw->role, now, c, v);
		return 0;
	}
	if (refused(rq, user, now, c, v))
		return 0;
	if (wms_user_password_hash(rq->store, name, hash, &role, &err) < 0) {
		v->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		snprintf(v->detail, sizeof v->detail, "%.*s", (int)sizeof v->detail - 1, err.msg);
		return 0;
	}
	if (pw == NULL) {                  /* no connection to suspend: check here */
		verdict(rq, user, wms_password_matches(hash, password), role, now, c, v);
		return 0;
	}
	pw->role = role;
	if (http_pwpool_submit(hash, password, pw) < 0) {
		v->status = MHD_HTTP_SERVICE_UNAVAILABLE;
		v->retry_s = 1;
		snprintf(v->detail, sizeof v->detail, "the login workers are not running");
		return 0;
	}
	pw->state = HTTP_PW_QUEUED;
	rp->suspend = true;
	return 1;
}

void http_pw_refusal(struct http_reply *rp, const struct http_pw_verdict *v)
{
	if (v->status == MHD_HTTP_UNAUTHORIZED)
		http_error(rp, v->status, "unauthorized", v->detail, NULL);
	else if (v->status == MHD_HTTP_TOO_MANY_REQUESTS)
		http_error(rp, v->status, "too many requests", v->detail, "a try after Retry-After seconds");
	else
		http_error(rp, v->status, v->status == MHD_HTTP_SERVICE_UNAVAILABLE ? "service unavailable" :
		           "internal error", v->detail, NULL);
	rp->retry_after = v->retry_s;
}
