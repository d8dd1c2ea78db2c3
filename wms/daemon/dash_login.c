/*
 * dash_login.c - the browser's login and logout.  GET /login shows the form
 * with a fresh random token that is also in a short-lived HttpOnly
 * SameSite=Strict cookie (a login form sent from elsewhere lacks the
 * cookie, or does not know the token); POST /login checks the pair and the
 * password (argon2id on a login worker, throttled: http_login_guard.c), starts a session (the API's cookie,
 * http_session.c) and keeps the session's CSRF token in a second HttpOnly
 * cookie, from which pages put it into their forms (dash_csrf).  POST
 * /logout (the router checked the form's token) ends the session.
 */
#include "dash_impl.h"

#include "wmsd.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define LOGIN_TOKEN_BYTES 32
#define LOGIN_FORM_SECONDS 1800

/* Where to go after login: a local path (never //host or a scheme), else the role's start page. */
static const char *next_page(const char *next, enum wms_role role)
{
	if (next && next[0] == '/' && next[1] != '/' && next[1] != '\\' && strlen(next) < 200 &&
	    strpbrk(next, "\r\n\\") == NULL)
		return next;
	return role & (WMS_ROLE_DISPATCHER | WMS_ROLE_MANAGER | WMS_ROLE_ADMIN) ? "/" : "/stations";
}

static void form(struct http_request *rq, struct http_reply *rp, int status, const char *lang,
                 const char *next, const char *user, const char *problem)
{
	unsigned char raw[LOGIN_TOKEN_BYTES];
	char token[2 * LOGIN_TOKEN_BYTES + 1];
	struct dash_buf b = { 0 };

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, sizeof token, raw, sizeof raw);
	snprintf(rp->set_cookie, sizeof rp->set_cookie,
	         DASH_COOKIE_LOGIN "=%s; Path=/login; Max-Age=%d; HttpOnly; SameSite=Strict%s", token,
	         LOGIN_FORM_SECONDS, rq->conf->http.secure_cookie ? "; Secure" : "");
	dash_head(&b, rq, lang, T("Log in"));
	dash_buf_puts(&b, "<h1>");
	dash_buf_html(&b, T("Log in"));
	dash_buf_puts(&b, "</h1>");
	if (problem) {
		dash_buf_puts(&b, "<p class=\"error\" role=\"alert\" id=\"login-error\">");
		dash_buf_html(&b, T(problem));
		dash_buf_puts(&b, "</p>");
	}
	dash_buf_puts(&b, "<form class=\"login\" method=\"post\" action=\"/login\">"
	              "<p><label for=\"user\">");
	dash_buf_html(&b, T("User name"));
	dash_buf_puts(&b, "</label><input id=\"user\" name=\"user\" autocomplete=\"username\" required "
	              "maxlength=\"32\" value=\"");
	dash_buf_html(&b, user);
	dash_buf_puts(&b, "\"></p><p><label for=\"password\">");
	dash_buf_html(&b, T("Password"));
	dash_buf_printf(&b, "</label><input id=\"password\" name=\"password\" type=\"password\" "
	                "autocomplete=\"current-password\" required maxlength=\"1024\"></p>"
	                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	                "<input type=\"hidden\" name=\"lang\" value=\"%s\">", token, lang);
	if (next && next[0]) {
		dash_buf_puts(&b, "<input type=\"hidden\" name=\"next\" value=\"");
		dash_buf_html(&b, next);
		dash_buf_puts(&b, "\">");
	}
	dash_buf_puts(&b, "<p><button type=\"submit\">");
	dash_buf_html(&b, T("Log in"));
	dash_buf_puts(&b, "</button></p></form>");
	dash_foot(&b);
	dash_reply_html(rp, status, &b);
}

void dash_login_form(struct http_request *rq, struct http_reply *rp)
{
	form(rq, rp, MHD_HTTP_OK, dash_lang(rq), http_query(rq, "next"), "", NULL);
}

static const char *field(const struct http_request *rq, const char *key)
{
	return json_string_value(json_object_get(rq->json, key));
}

void dash_login(struct http_request *rq, struct http_reply *rp)
{
	const char *user = field(rq, "user"), *password = field(rq, "password");
	const char *token = field(rq, "csrf"), *next = field(rq, "next"), *l = field(rq, "lang");
	const char *cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, DASH_COOKIE_LOGIN);
	const char *lang = l && strcmp(l, "en") == 0 ? "en" : "sv";
	char sid[WMS_SECRET_HEX + 1], csrf[WMS_SECRET_HEX + 1];
	struct wms_error err = { 0 };
	long ttl = rq->conf->http.session_minutes * 60;
	struct http_pw_verdict v;

	if (token == NULL || cookie == NULL || strlen(token) != 2 * LOGIN_TOKEN_BYTES ||
	    strlen(cookie) != strlen(token) || sodium_memcmp(token, cookie, strlen(token)) != 0) {
		form(rq, rp, MHD_HTTP_FORBIDDEN, lang, next, user ? user : "",
		     N_("The login form was old or not from this site: log in again."));
		return;
	}
	if (user == NULL || password == NULL || user[0] == '\0' || password[0] == '\0') {
		form(rq, rp, MHD_HTTP_BAD_REQUEST, lang, next, user ? user : "",
		     N_("Give your user name and password."));
		return;
	}
	if (http_password_check(rq, rp, user, password, &v) > 0)
		return;                       /* a login worker checks it; we are called again */
	if (v.status == MHD_HTTP_UNAUTHORIZED) {
		form(rq, rp, MHD_HTTP_UNAUTHORIZED, lang, next, user, N_("Wrong user name or password."));
		return;
	}
	if (v.status == MHD_HTTP_TOO_MANY_REQUESTS) {
		form(rq, rp, MHD_HTTP_TOO_MANY_REQUESTS, lang, next, user, v.locked ?
		     N_("Too many failed logins: logging in is locked for a while. Try again later.") :
		     N_("Too many failed logins: wait a moment before the next try."));
		rp->retry_after = v.retry_s;
		return;
	}
	if (v.status != MHD_HTTP_OK) {
		http_pw_refusal(rp, &v);
		return;
	}
	if (wms_session_create(rq->store, user, ttl, wms_now(), sid, csrf, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	snprintf(rp->set_cookie, sizeof rp->set_cookie,
	         HTTP_COOKIE "=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s", sid, ttl,
	         rq->conf->http.secure_cookie ? "; Secure" : "");
	snprintf(rp->set_cookie2, sizeof rp->set_cookie2,
	         DASH_COOKIE_CSRF "=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s", csrf, ttl,
	         rq->conf->http.secure_cookie ? "; Secure" : "");
	next = next_page(next, v.role);
	snprintf(rp->location, sizeof rp->location, "%s%s%s", next,
	         strcmp(lang, "en") == 0 ? (strchr(next, '?') ? "&" : "?") : "",
	         strcmp(lang, "en") == 0 ? "lang=en" : "");
	rp->status = MHD_HTTP_SEE_OTHER;
	rp->text = strdup("");
	rp->ctype = "text/plain; charset=utf-8";
}

void dash_logout(struct http_request *rq, struct http_reply *rp)
{
	const char *sid = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, HTTP_COOKIE);
	const char *l = field(rq, "lang");
	struct wms_error err = { 0 };

	if (sid && wms_session_delete(rq->store, sid, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	snprintf(rp->set_cookie, sizeof rp->set_cookie, HTTP_COOKIE "=; Path=/; Max-Age=0; HttpOnly; "
	         "SameSite=Strict%s", rq->conf->http.secure_cookie ? "; Secure" : "");
	snprintf(rp->set_cookie2, sizeof rp->set_cookie2, DASH_COOKIE_CSRF "=; Path=/; Max-Age=0; "
	         "HttpOnly; SameSite=Strict%s", rq->conf->http.secure_cookie ? "; Secure" : "");
	snprintf(rp->location, sizeof rp->location, "/login%s",
	         l && strcmp(l, "en") == 0 ? "?lang=en" : "");
	rp->status = MHD_HTTP_SEE_OTHER;
	rp->text = strdup("");
	rp->ctype = "text/plain; charset=utf-8";
}
