/*
 * dash_form.c - what every page needs: form bodies
 * (application/x-www-form-urlencoded), the same-origin check of a form
 * POST, the session's CSRF token for the forms of a page, the HTML skeleton
 * (head with the stylesheet, navigation, logout form) and error pages.
 */
#include "dash_impl.h"

#include "wmsd.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s[0..n) (+ is a space, %XX a byte) into a new string; NULL when malformed. */
static char *decode(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			*o++ = ' ';
		} else if (s[i] == '%') {
			int hi = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {   /* no NUL bytes either */
				free(out);
				return NULL;
			}
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

int dash_form_parse(const char *body, size_t len, const char *allowed, json_t **out,
                    char *detail, size_t size)
{
	json_t *form = json_object();
	const char *p = body, *end = body + len;
	char *key = NULL, *val = NULL;
	int rc = 0;

	*out = NULL;
	if (form == NULL)
		return -1;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *eq;
		size_t n = (size_t)((amp ? amp : end) - p);
		if (n == 0) {
			p += 1;
			continue;
		}
		eq = memchr(p, '=', n);
		key = decode(p, eq ? (size_t)(eq - p) : n);
		val = eq ? decode(eq + 1, n - (size_t)(eq - p) - 1) : strdup("");
		if (key == NULL || val == NULL) {
			snprintf(detail, size, "malformed form body (a bad %%-escape)");
			rc = -1;
			goto out;
		}
		/* a whole word of allowed */
		{
			const char *w = allowed;
			size_t kn = strlen(key);
			bool found = false;
			for (; allowed && kn > 0 && !strchr(key, ' ') && (w = strstr(w, key)) != NULL; w += kn)
				if ((w == allowed || w[-1] == ' ') && (w[kn] == ' ' || w[kn] == '\0'))
					found = true;
			if (!found) {
				snprintf(detail, size, "unknown form field \"%.60s\"", key);
				rc = -1;
				goto out;
			}
		}
		if (json_object_get(form, key) != NULL) {
			snprintf(detail, size, "form field \"%.60s\" given twice", key);
			rc = -1;
			goto out;
		}
		json_object_set_new(form, key, json_string(val));
		if (json_object_get(form, key) == NULL) {     /* not UTF-8 */
			snprintf(detail, size, "form field \"%.60s\" is not UTF-8 text", key);
			rc = -1;
			goto out;
		}
		free(key);
		free(val);
		key = val = NULL;
		p += n + 1;
	}
out:
	free(key);
	free(val);
	if (rc < 0) {
		json_decref(form);
		return -1;
	}
	*out = form;
	return 0;
}

int dash_same_origin(const struct http_request *rq)
{
	const char *origin = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Origin");
	const char *host = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Host");
	const char *o;

	if (origin == NULL)
		return 0;                       /* not sent: SameSite=Strict and the token decide */
	if (host == NULL)
		return -1;
	if (strncmp(origin, "http://", 7) == 0)
		o = origin + 7;
	else if (strncmp(origin, "https://", 8) == 0)
		o = origin + 8;
	else
		return -1;                      /* "null" and the like */
	return strcasecmp(o, host) == 0 ? 0 : -1;
}

const char *dash_csrf(const struct http_request *rq)
{
	const char *sid = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, HTTP_COOKIE);
	const char *csrf = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, DASH_COOKIE_CSRF);
	char user[WMS_USER_NAME_MAX + 1];
	struct wms_error err = { 0 };
	enum wms_role role;
	bool ok = false;

	if (sid == NULL || csrf == NULL ||
	    wms_session_check(rq->store, sid, csrf, wms_now(), user, &role, &ok, &err) < 0 || !ok)
		return "";
	return csrf;
}

/* The page's other query arguments ahead of the language link's lang= (a filter stays). */
static enum MHD_Result keep_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct dash_buf *b = cls;

	(void)kind;
	if (key && strcmp(key, "lang") != 0) {
		dash_query_value(b, key);
		dash_buf_puts(b, "=");
		dash_query_value(b, value ? value : "");
		dash_buf_puts(b, "&amp;");
	}
	return MHD_YES;
}

void dash_head(struct dash_buf *b, const struct http_request *rq, const char *lang, const char *title)
{
	const char *csrf;

	dash_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	                "<link rel=\"stylesheet\" href=\"/static/dash.css\"><title>", lang);
	dash_buf_html(b, title);
	dash_buf_puts(b, " – wms</title></head><body>");
	dash_buf_puts(b, "<header><nav aria-label=\"");
	dash_buf_html(b, T("Main menu"));
	dash_buf_puts(b, "\"><ul>");
	if (rq->user[0]) {
		if (rq->role & (WMS_ROLE_DISPATCHER | WMS_ROLE_MANAGER | WMS_ROLE_ADMIN)) {
			dash_buf_printf(b, "<li><a href=\"/%s\">", dash_lang_query(lang));
			dash_buf_html(b, T("Lead time"));
			dash_buf_puts(b, "</a></li>");
			if (rq->conf->central.hub) {   /* a hub: the region's page (dash_hub.c) */
				dash_buf_printf(b, "<li><a href=\"/hub%s\">", dash_lang_query(lang));
				dash_buf_html(b, T("Region"));
				dash_buf_puts(b, "</a></li>");
			}
		}
		dash_buf_printf(b, "<li><a href=\"/stations%s\">", dash_lang_query(lang));
		dash_buf_html(b, T("Stations"));
		dash_buf_puts(b, "</a></li>");
	}
	dash_buf_puts(b, "<li><a href=\"?");
	if (rq->conn)
		MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, keep_arg, b);
	dash_buf_printf(b, "lang=%s\" hreflang=\"%s\">%s</a></li></ul></nav>",
	                strcmp(lang, "en") == 0 ? "sv" : "en", strcmp(lang, "en") == 0 ? "sv" : "en",
	                strcmp(lang, "en") == 0 ? "Svenska" : "English");
	if (rq->user[0] && (csrf = dash_csrf(rq))[0]) {
		dash_buf_puts(b, "<form class=\"logout\" method=\"post\" action=\"/logout\"><span>");
		dash_buf_html(b, rq->user);
		dash_buf_printf(b, "</span><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		                "<input type=\"hidden\" name=\"lang\" value=\"%s\"><button type=\"submit\">", csrf, lang);
		dash_buf_html(b, T("Log out"));
		dash_buf_puts(b, "</button></form>");
	}
	dash_buf_puts(b, "</header><main>");
}

void dash_foot(struct dash_buf *b)
{
	dash_buf_puts(b, "</main></body></html>\n");
}

void dash_reply_html(struct http_reply *rp, int status, struct dash_buf *b)
{
	char *text = dash_buf_take(b);

	if (text == NULL) {
		http_error(rp, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error", "out of memory", NULL);
		return;
	}
	json_decref(rp->json);
	rp->json = NULL;
	free(rp->text);
	rp->text = text;
	rp->ctype = "text/html; charset=utf-8";
	rp->status = status;
}

void dash_error_page(const struct http_request *rq, struct http_reply *rp)
{
	const char *lang = dash_lang(rq);
	const char *detail = json_string_value(json_object_get(rp->json, "detail"));
	const char *allowed = json_string_value(json_object_get(rp->json, "allowed"));
	struct dash_buf b = { 0 };
	char next[192];

	if (rp->status == MHD_HTTP_UNAUTHORIZED) {
		/* a page needs a login: go there, and come back here after it */
		json_decref(rp->json);
		rp->json = NULL;
		rp->status = MHD_HTTP_SEE_OTHER;
		snprintf(next, sizeof next, "%s", rq->path);
		for (char *p = next; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			      strchr("/-_.", *p)))
				*p = '_';
		snprintf(rp->location, sizeof rp->location, "/login?next=%s%s", next, dash_lang_arg(lang));
		rp->text = strdup("");
		rp->ctype = "text/plain; charset=utf-8";
		return;
	}
	dash_head(&b, rq, lang, T("Error"));
	dash_buf_printf(&b, "<h1>%d ", rp->status);
	dash_buf_html(&b, T("Error"));
	dash_buf_puts(&b, "</h1><p class=\"error\" role=\"alert\">");
	dash_buf_html(&b, T(detail ? detail : "failed"));
	if (allowed) {
		dash_buf_puts(&b, "</p><p>");
		dash_buf_html(&b, T("Allowed:"));
		dash_buf_puts(&b, " ");
		dash_buf_html(&b, allowed);
	}
	dash_buf_puts(&b, "</p>");
	dash_foot(&b);
	dash_reply_html(rp, rp->status, &b);
}
