/*
 * http_session.c - browser sessions: login (argon2id check, a random session
 * id in an HttpOnly SameSite=Strict cookie, a CSRF token in the reply body
 * that every state-changing request with the cookie must echo in
 * X-CSRF-Token), logout, and who am I.
 */
#include "http_impl.h"

#include "wmsd.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

static const char *field(const struct http_request *rq, const char *key)
{
	return json_string_value(json_object_get(rq->json, key));
}

void http_login(struct http_request *rq, struct http_reply *rp)
{
	const char *user = field(rq, "user"), *password = field(rq, "password");
	char sid[WMS_SECRET_HEX + 1], csrf[WMS_SECRET_HEX + 1], until[32];
	struct wms_error err = { 0 };
	struct http_pw_verdict v;
	long ttl = rq->conf->http.session_minutes * 60;
	wms_time now = wms_now();

	if (user == NULL || password == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "login needs user and password",
		           "user password");
		return;
	}
	/* argon2id takes a moment: a login worker does it, the request waits suspended */
	if (http_password_check(rq, rp, user, password, &v) > 0)
		return;
	if (v.status != MHD_HTTP_OK) {
		http_pw_refusal(rp, &v);
		return;
	}
	if (wms_session_create(rq->store, user, ttl, now, sid, csrf, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	snprintf(rp->set_cookie, sizeof rp->set_cookie,
	         HTTP_COOKIE "=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s", sid, ttl,
	         rq->conf->http.secure_cookie ? "; Secure" : "");
	http_json(rp, MHD_HTTP_OK, json_pack("{s:s, s:s, s:s, s:s}", "user", user, "role",
	          wms_role_name(v.role), "csrf", csrf, "expires", wms_time_format(now + ttl, until)), &err);
}

void http_logout(struct http_request *rq, struct http_reply *rp)
{
	const char *sid = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, HTTP_COOKIE);
	struct wms_error err = { 0 };

	if (sid && wms_session_delete(rq->store, sid, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	snprintf(rp->set_cookie, sizeof rp->set_cookie,
	         HTTP_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
	         rq->conf->http.secure_cookie ? "; Secure" : "");
	http_json(rp, MHD_HTTP_OK, json_pack("{s:s, s:b}", "user", rq->user, "logged_out", 1), &err);
}

void http_me(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, json_pack("{s:s, s:s}", "user", rq->user, "role",
	          wms_role_name(rq->role)), &err);
}
