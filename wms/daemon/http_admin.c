/*
 * http_admin.c - the admin's routes: the purge of personal data (`wms
 * purge` and the print queue's contents, as wmsd's daily purge does), users
 * and API tokens (`wms user add`, `wms token create|revoke`).  A password
 * comes in the JSON body, never in a URL, and is never logged or echoed; a
 * new token is in the reply once and only its hash is stored.
 */
#include "http_impl.h"

#include "wms_config.h"
#include "wms_outbox.h"
#include "wms_patient.h"
#include "wmsd.h"

#include <microhttpd.h>
#include <string.h>

static const char *field(const struct http_request *rq, const char *key)
{
	return json_string_value(json_object_get(rq->json, key));
}

/* Personal data of closed orders and the contents of finished print jobs
 * older than retention_days (default [privacy] retention_days). */
void http_purge(struct http_request *rq, struct http_reply *rp)
{
	const char *v = field(rq, "retention_days");
	struct wms_error err = { 0 };
	long days = rq->conf->core->retention_days;
	long long patients = 0, jobs = 0;
	wms_time now = wms_now();

	if (v && wms_parse_int(v, 0, 3650, &days, &err) < 0) {
		http_core_error(rp, WMS_EINVAL, err.msg);
		return;
	}
	if (wms_patient_purge(rq->store, now, (int)days, &patients, &err) < 0 ||
	    wms_outbox_purge_payloads(rq->store, now - (wms_time)days * 86400, &jobs, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, json_pack("{s:I, s:I, s:i}", "purged", (json_int_t)patients,
	          "print_jobs_purged", (json_int_t)jobs, "retention_days", (int)days), &err);
}

/* A required role field; 0, or a reply is set. */
static int role_field(struct http_request *rq, struct http_reply *rp, enum wms_role *role)
{
	struct wms_error err = { 0 };

	if (wms_role_parse(field(rq, "role"), role, &err) < 0) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", err.msg, WMS_ROLES_ALLOWED);
		return -1;
	}
	return 0;
}

void http_user_add(struct http_request *rq, struct http_reply *rp)
{
	const char *name = field(rq, "name"), *password = field(rq, "password");
	struct wms_error err = { 0 };
	enum wms_role role;

	if (name == NULL || password == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "a user needs name, role and password",
		           "name role password");
		return;
	}
	if (role_field(rq, rp, &role) < 0)
		return;
	if (wms_user_add(rq->store, name, role, password, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_CREATED, json_pack("{s:s, s:s}", "name", name, "role", wms_role_name(role)), &err);
}

void http_token_create(struct http_request *rq, struct http_reply *rp)
{
	const char *name = field(rq, "name");
	char token[WMS_SECRET_HEX + 1];
	struct wms_error err = { 0 };
	enum wms_role role;

	if (name == NULL) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "a token needs name and role", "name role");
		return;
	}
	if (role_field(rq, rp, &role) < 0)
		return;
	if (wms_token_create(rq->store, name, role, token, &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_CREATED, json_pack("{s:s, s:s, s:s, s:s}", "name", name, "role",
	          wms_role_name(role), "token", token, "note", "shown only now: send it as "
	          "\"Authorization: Bearer TOKEN\""), &err);
	memset(token, 0, sizeof token);
}

void http_token_revoke(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	if (wms_token_revoke(rq->store, rq->params[0], &err) < 0) {
		http_core_error(rp, err.code, err.msg);
		return;
	}
	http_json(rp, MHD_HTTP_OK, json_pack("{s:s, s:b}", "name", rq->params[0], "revoked", 1), &err);
}
