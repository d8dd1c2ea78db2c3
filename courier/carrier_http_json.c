/*
 * carrier_http_json.c - a generic adapter for a carrier's JSON-over-HTTP API
 * (libcurl, jansson).  The contract, relative to base_url (paths
 * configurable, "{tracking}" replaced by the URL-escaped tracking number):
 *
 *   book    POST   /shipments                    {"sscc","order","service","delivery":
 *                                                  {"mode","pickup_point"}}
 *                  -> 200/201 {"tracking_number": "..."}
 *   label   GET    /shipments/{tracking}/label   -> 200 {...} (handed on as it is)
 *   track   GET    /shipments/{tracking}/events  -> 200 {"events": [{"event","time"}]}
 *   cancel  DELETE /shipments/{tracking}         -> 200/204
 *
 * with "Authorization: Bearer <token>" when a token is configured.  A booking
 * carries "Idempotency-Key: wms-<SSCC>": a booking sent again for the same
 * parcel (the worker crashed or timed out after the carrier took it, see
 * courier_booking.h) must give back the first booking, not a second.  Any other
 * status, a timeout, or a body that is not the JSON expected is WMS_EIO with
 * a message naming the carrier and what went wrong; the body is quoted, never
 * trusted.  Blocks up to timeout_ms per request.
 */
#include "carrier.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_MAX (1 << 20)     /* answers larger than 1 MiB are refused */

struct http {
	const struct courier_carrier_conf *conf;
	CURL *curl;
	const char *idempotency_key;    /* set by http_book for its request only */
};

struct body {
	char *data;
	size_t len;
	bool too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ctx)
{
	struct body *b = ctx;
	size_t n = size * nmemb;
	char *p;

	if (b->len + n > BODY_MAX) {
		b->too_big = true;
		return 0;
	}
	if ((p = realloc(b->data, b->len + n + 1)) == NULL)
		return 0;
	memcpy(p + b->len, ptr, n);
	b->data = p;
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* libcurl calls this about once a second, and more often while data flows. */
static int on_progress(void *cancel, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return atomic_load((const atomic_int *)cancel) != 0;
}

static int http_open(const struct courier_carrier_conf *conf, void **inst, struct wms_error *err)
{
	static bool initialised;
	struct http *h;

	if (!initialised) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return wms_error_set(err, WMS_EIO, "cannot initialise libcurl");
		initialised = true;
	}
	if ((h = calloc(1, sizeof *h)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	h->conf = conf;
	if ((h->curl = curl_easy_init()) == NULL) {
		free(h);
		return wms_error_set(err, WMS_EIO, "cannot initialise libcurl");
	}
	*inst = h;
	return 0;
}

static void http_close(void *inst)
{
	struct http *h = inst;

	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	free(h);
}

/* base_url + path with {tracking} replaced (URL-escaped) into out. */
static int make_url(struct http *h, const char *path, const char *tracking, char *out, size_t size,
                    struct wms_error *err)
{
	const char *mark = strstr(path, "{tracking}");
	char *esc = NULL;
	int n;

	if (mark && tracking == NULL)
		return wms_error_set(err, WMS_EINVAL, "no tracking number");
	if (mark && (esc = curl_easy_escape(h->curl, tracking, 0)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	if (mark)
		n = snprintf(out, size, "%s%.*s%s%s", h->conf->base_url, (int)(mark - path), path, esc,
		             mark + strlen("{tracking}"));
	else
		n = snprintf(out, size, "%s%s", h->conf->base_url, path);
	curl_free(esc);
	if (n < 0 || (size_t)n >= size)
		return wms_error_set(err, WMS_EINVAL, "carrier %s: URL too long", h->conf->name);
	return 0;
}

/*
 * One request; on success *reply holds the parsed JSON body (NULL for an
 * empty body) and *status the HTTP status, which the caller judges.
 */
static int request(struct http *h, const char *method, const char *url, const char *body,
                   const char *what, long *status, json_t **reply, struct wms_error *err)
{
	struct curl_slist *headers = NULL;
	struct body b = { 0 };
	char auth[600], idem[64], quoted[200];
	json_error_t jerr;
	CURLcode cc;
	int rc = 0;

	*reply = NULL;
	*status = 0;
	curl_easy_reset(h->curl);
	headers = curl_slist_append(headers, "Accept: application/json");
	if (body)
		headers = curl_slist_append(headers, "Content-Type: application/json");
	if (h->conf->token[0]) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", h->conf->token);
		headers = curl_slist_append(headers, auth);
	}
	if (h->idempotency_key) {
		snprintf(idem, sizeof idem, "Idempotency-Key: %s", h->idempotency_key);
		headers = curl_slist_append(headers, idem);
	}
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, headers);
	if (body)
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, h->conf->timeout_ms);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, h->conf->connect_timeout_ms);
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "wms/" WMS_VERSION);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &b);
	if (h->conf->cancel) {
		curl_easy_setopt(h->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h->curl, CURLOPT_XFERINFODATA, (void *)h->conf->cancel);
		curl_easy_setopt(h->curl, CURLOPT_NOPROGRESS, 0L);
	}
	cc = curl_easy_perform(h->curl);
	if (cc == CURLE_ABORTED_BY_CALLBACK) {
		rc = wms_error_set(err, WMS_EIO, "carrier %s: %s abandoned: wmsd is stopping",
		                   h->conf->name, what);
		goto out;
	}
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		rc = wms_error_set(err, WMS_EIO, "carrier %s did not answer the %s within %ld ms",
		                   h->conf->name, what, h->conf->timeout_ms);
		goto out;
	}
	if (cc != CURLE_OK) {
		rc = wms_error_set(err, WMS_EIO, "carrier %s: %s failed: %s", h->conf->name, what,
		                   b.too_big ? "answer larger than 1 MiB" : curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, status);
	if (b.len == 0)
		goto out;
	*reply = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &jerr);
	if (*reply == NULL && *status >= 200 && *status < 300)
		rc = wms_error_set(err, WMS_EIO, "carrier %s answered the %s with invalid JSON (%s): \"%s\"",
		                   h->conf->name, what, jerr.text,
		                   wms_quote(quoted, sizeof quoted, b.data, b.len, 40));
	else if (*reply == NULL)
		rc = wms_error_set(err, WMS_EIO, "carrier %s refused the %s: HTTP %ld: \"%s\"",
		                   h->conf->name, what, *status,
		                   wms_quote(quoted, sizeof quoted, b.data, b.len, 40));
out:
	curl_slist_free_all(headers);
	free(b.data);
	return rc;
}

/* A non-2xx status as an error naming the carrier's own message if any. */
static int refused(struct http *h, const char *what, long status, json_t *reply,
                   struct wms_error *err)
{
	const char *msg = json_string_value(json_object_get(reply, "error"));
	char quoted[200];

	if (msg == NULL)
		msg = json_string_value(json_object_get(reply, "message"));
	return wms_error_set(err, WMS_EIO, "carrier %s refused the %s: HTTP %ld%s%s%s", h->conf->name,
	                     what, status, msg ? ": \"" : "",
	                     msg ? wms_quote(quoted, sizeof quoted, msg, strlen(msg), 40) : "",
	                     msg ? "\"" : "");
}

static int http_book(void *inst, const struct courier_parcel *p, struct courier_booking *out,
                     struct wms_error *err)
{
	struct http *h = inst;
	const char *service = p->service && *p->service ? p->service : h->conf->service;
	json_t *req = NULL, *reply = NULL;
	char url[1024], *body = NULL, quoted[200], key[40];
	const char *tn;
	long status;
	int rc;

	if ((rc = make_url(h, h->conf->book_path, NULL, url, sizeof url, err)) < 0)
		return rc;
	req = json_pack("{s:s, s:s, s:s*, s:{s:s, s:s*}}", "sscc", p->sscc, "order", p->order,
	                "service", *service ? service : NULL, "delivery", "mode", p->mode,
	                "pickup_point", p->pickup_point);
	if (req == NULL || (body = json_dumps(req, JSON_COMPACT)) == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(key, sizeof key, "wms-%s", p->sscc);
	h->idempotency_key = key;
	rc = request(h, "POST", url, body, "booking", &status, &reply, err);
	h->idempotency_key = NULL;
	if (rc < 0)
		goto out;
	if (status != 200 && status != 201) {
		rc = refused(h, "booking", status, reply, err);
		goto out;
	}
	tn = json_string_value(json_object_get(reply, "tracking_number"));
	if (tn == NULL) {
		rc = wms_error_set(err, WMS_EIO, "carrier %s answered the booking without a "
		                   "\"tracking_number\" string", h->conf->name);
		goto out;
	}
	if (courier_check_tracking(tn, NULL) < 0) {
		rc = wms_error_set(err, WMS_EIO, "carrier %s answered the booking with an unusable tracking "
		                   "number \"%s\"", h->conf->name, wms_quote(quoted, sizeof quoted, tn,
		                   strlen(tn), 40));
		goto out;
	}
	snprintf(out->tracking, sizeof out->tracking, "%s", tn);
out:
	free(body);
	json_decref(req);
	json_decref(reply);
	return rc;
}

static int http_label(void *inst, const char *tracking, json_t **out, struct wms_error *err)
{
	struct http *h = inst;
	json_t *reply = NULL;
	char url[1024];
	long status;
	int rc;

	if ((rc = make_url(h, h->conf->label_path, tracking, url, sizeof url, err)) < 0 ||
	    (rc = request(h, "GET", url, NULL, "label request", &status, &reply, err)) < 0)
		goto out;
	if (status != 200) {
		rc = refused(h, "label request", status, reply, err);
		goto out;
	}
	if (!json_is_object(reply)) {
		rc = wms_error_set(err, WMS_EIO, "carrier %s answered the label request without a JSON object",
		                   h->conf->name);
		goto out;
	}
	*out = reply;
	reply = NULL;
out:
	json_decref(reply);
	return rc;
}

static int http_track(void *inst, const char *tracking, struct courier_track_event *out, size_t max,
                      size_t *n, struct wms_error *err)
{
	struct http *h = inst;
	json_t *reply = NULL, *events, *e;
	char url[1024];
	long status;
	size_t i;
	int rc;

	if ((rc = make_url(h, h->conf->track_path, tracking, url, sizeof url, err)) < 0 ||
	    (rc = request(h, "GET", url, NULL, "tracking request", &status, &reply, err)) < 0)
		goto out;
	if (status != 200) {
		rc = refused(h, "tracking request", status, reply, err);
		goto out;
	}
	events = json_object_get(reply, "events");
	if (!json_is_array(events)) {
		rc = wms_error_set(err, WMS_EIO, "carrier %s answered the tracking request without an "
		                   "\"events\" array", h->conf->name);
		goto out;
	}
	json_array_foreach(events, i, e) {
		const char *name = json_string_value(json_object_get(e, "event"));
		const char *time = json_string_value(json_object_get(e, "time"));
		int ev = courier_event_from_name(name);
		struct wms_error terr = { 0 };
		if (ev < 0 || time == NULL || *n == max ||
		    wms_time_parse(time, &out[*n].at, &terr) < 0) {
			rc = wms_error_set(err, WMS_EIO, "carrier %s: tracking event %zu is not "
			                   "{\"event\": one of %s, \"time\": ISO 8601}%s%s", h->conf->name,
			                   i + 1, courier_event_names(), terr.msg[0] ? ": " : "", terr.msg);
			goto out;
		}
		out[(*n)++].event = (enum courier_event)ev;
	}
out:
	json_decref(reply);
	return rc;
}

static int http_cancel(void *inst, const char *tracking, struct wms_error *err)
{
	struct http *h = inst;
	json_t *reply = NULL;
	char url[1024];
	long status;
	int rc;

	if ((rc = make_url(h, h->conf->cancel_path, tracking, url, sizeof url, err)) < 0 ||
	    (rc = request(h, "DELETE", url, NULL, "cancellation", &status, &reply, err)) < 0)
		goto out;
	if (status != 200 && status != 204)
		rc = refused(h, "cancellation", status, reply, err);
out:
	json_decref(reply);
	return rc;
}

const struct carrier_ops courier_carrier_http_json = {
	.adapter = "http-json",
	.open = http_open,
	.close = http_close,
	.book = http_book,
	.label = http_label,
	.track = http_track,
	.cancel = http_cancel,
};
