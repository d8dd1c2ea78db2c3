/*
 * http_json_fuzz.c - libFuzzer target for the JSON bodies of wmsd's HTTP API
 * (wms/daemon/http_routes.c, http_write.c): raw body bytes through the
 * router's body check (JSON, an object, the route's keys, string values)
 * and, for the ledger routes, the handler's argument parsing into a
 * wms_cmd, as wmsd runs them after the Content-Type check.  Nothing is
 * applied to a store.
 *
 * Input: the first line names a route of the table as "METHOD PATTERN"
 * (e.g. "POST /api/v1/orders"), the rest is the body.  Inputs naming no
 * JSON route are rejected (-1: not kept in the corpus).
 *
 * Invariants beyond memory safety (ASan/UBSan): a body is taken (0) or
 * refused with a 400 reply whose JSON has "error" and "detail" and can be
 * sent (json_dumps, as http_server.c does); a taken body is an object of
 * strings (arrays for its "NAME[]" keys) with the route's keys only, or no
 * body where the route allows none; a command is a device event for the path's serial, or an order
 * command with its number, stamped station "http" and the caller as actor.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http_impl.h"
#include "wms_ledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		__builtin_trap();
}

static const struct http_route *route_named(const char *line, size_t len)
{
	for (const struct http_route *r = http_routes; r->method; r++) {
		size_t m = strlen(r->method), p = strlen(r->pattern);
		if (r->body == NULL || strcmp(r->body, HTTP_BODY_CSV) == 0 ||
		    (r->roles != HTTP_PUBLIC && (r->roles & HTTP_PAGE)))
			continue;       /* no body, a CSV body, or a browser form (dash_form.c) */
		if (len == m + 1 + p && memcmp(line, r->method, m) == 0 && line[m] == ' ' &&
		    memcmp(line + m + 1, r->pattern, p) == 0)
			return r;
	}
	return NULL;
}

/* word is one of the space-separated words of list */
static int listed(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; n > 0 && (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* A refusal: 400 with {"error", "detail", "allowed"} that the server can send. */
static void check_refusal(struct http_reply *rp)
{
	char *text;

	check(rp->status == 400 && json_is_object(rp->json));
	check(json_is_string(json_object_get(rp->json, "error")));
	check(json_is_string(json_object_get(rp->json, "detail")));
	text = json_dumps(rp->json, JSON_INDENT(1));
	check(text != NULL);
	free(text);
}

static void check_command(const struct http_route *r, struct http_request *rq)
{
	struct http_reply rp = { 0 };
	struct wms_cmd w;
	int rc;

	if (r->fn == http_device_event)
		rc = http_device_event_cmd(rq, &rp, &w);
	else if (r->fn == http_order_create)
		rc = http_order_create_cmd(rq, &rp, &w);
	else if (r->fn == http_order_cancel)
		rc = http_order_cancel_cmd(rq, &rp, &w);
	else if (r->fn == http_order_note)
		rc = http_order_note_cmd(rq, &rp, &w);
	else
		return;         /* login, logout: no ledger command */
	check(rc == 0 || rc == -1);
	if (rc < 0) {
		check_refusal(&rp);
	} else {
		check(rp.json == NULL);
		check(strcmp(w.station, "http") == 0 && w.actor == rq->user);
		if (r->fn == http_device_event)
			check((int)w.type < WMS_EV_DEVICE_COUNT && w.serial == rq->params[0]);
		else
			check((int)w.type >= WMS_EV_DEVICE_COUNT && w.order != NULL);
	}
	json_decref(rp.json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	const struct http_route *r;
	struct http_request rq = { .method = "POST", .path = "", .n_params = 1, .role = WMS_ROLE_ADMIN };
	struct http_reply rp = { 0 };
	const char *key;
	json_t *v;
	char *body;
	size_t len;
	int rc;

	if (nl == NULL || (r = route_named((const char *)data, (size_t)(nl - (const char *)data))) == NULL)
		return -1;
	len = size - (size_t)(nl + 1 - (const char *)data);
	/* an exact-size copy (the server's is NUL-terminated one past: ASan sees over-reads here) */
	if ((body = malloc(len ? len : 1)) == NULL)
		return 0;
	memcpy(body, nl + 1, len);
	strcpy(rq.params[0], "HMC-000123");
	strcpy(rq.user, "fuzz");

	rc = http_body_check(r, body, len, &rq.json, &rp);
	check(rc == 0 || rc == -1);
	if (rc < 0) {
		check(rq.json == NULL);
		check_refusal(&rp);
		goto out;
	}
	check(rp.json == NULL);
	check(rq.json != NULL || len == 0);
	check(rq.json == NULL || json_is_object(rq.json));
	json_object_foreach(rq.json, key, v) {
		char array[300];
		snprintf(array, sizeof array, "%s[]", key);
		check(strlen(key) < 290 &&
		      ((listed(r->body, key) && json_is_string(v)) || (listed(r->body, array) && json_is_array(v))));
	}
	check_command(r, &rq);
out:
	json_decref(rp.json);
	json_decref(rq.json);
	free(body);
	return 0;
}
