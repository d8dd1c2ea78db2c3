/*
 * config.c - the [courier] and [carrier NAME] sections of wmsd.conf (see
 * courier_config.h), read through the core's INI parser.
 */
#include "courier_config.h"

#include "wms_config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

bool courier_config_owns(const char *section)
{
	return strcmp(section, "courier") == 0 || strncmp(section, "carrier ", 8) == 0;
}

static void carrier_defaults(struct courier_carrier_conf *c, const char *name)
{
	memset(c, 0, sizeof *c);
	snprintf(c->name, sizeof c->name, "%s", name);
	c->timeout_ms = 10000;
	c->connect_timeout_ms = 3000;
	snprintf(c->book_path, sizeof c->book_path, "/shipments");
	snprintf(c->label_path, sizeof c->label_path, "/shipments/{tracking}/label");
	snprintf(c->track_path, sizeof c->track_path, "/shipments/{tracking}/events");
	snprintf(c->cancel_path, sizeof c->cancel_path, "/shipments/{tracking}");
}

void courier_config_defaults(struct courier_config *cc)
{
	memset(cc, 0, sizeof *cc);
}

unsigned courier_config_lead_time_ends(const struct courier_config *cc)
{
	if (cc->lead_time_ends)
		return cc->lead_time_ends;
	return 1u << COURIER_EV_DELIVERED | 1u << COURIER_EV_AT_PICKUP_POINT;
}

const struct courier_carrier_conf *courier_config_carrier(const struct courier_config *cc,
                                                          const char *name)
{
	for (int i = 0; name && i < cc->n_carriers; i++)
		if (strcasecmp(cc->carriers[i].name, name) == 0)
			return &cc->carriers[i];
	return NULL;
}

static int copy(char *dst, size_t size, const char *value, const char *key, struct wms_error *err)
{
	if (strlen(value) >= size)
		return wms_error_set(err, WMS_ECONFIG, "%s too long: at most %zu bytes", key, size - 1);
	snprintf(dst, size, "%s", value);
	return 0;
}

static int path_key(char *dst, size_t size, const char *value, const char *key,
                    struct wms_error *err)
{
	if (value[0] != '/')
		return wms_error_set(err, WMS_ECONFIG, "bad %s \"%.60s\": a path starting with /", key, value);
	return copy(dst, size, value, key, err);
}

static int lead_time_ends(const char *value, unsigned *mask, struct wms_error *err)
{
	char buf[256];
	char *save = NULL;
	unsigned m = 0;

	if (strlen(value) >= sizeof buf)
		return wms_error_set(err, WMS_ECONFIG, "lead_time_ends too long");
	snprintf(buf, sizeof buf, "%s", value);
	for (char *t = strtok_r(buf, " ,", &save); t; t = strtok_r(NULL, " ,", &save)) {
		int ev = courier_event_from_name(t);
		if (ev < 0)
			return wms_error_set(err, WMS_ECONFIG, "bad lead_time_ends event \"%.40s\"; allowed: %s",
			                     t, courier_event_names());
		m |= 1u << ev;
	}
	if (m == 0)
		return wms_error_set(err, WMS_ECONFIG, "lead_time_ends needs at least one event of: %s",
		                     courier_event_names());
	*mask = m;
	return 0;
}

static int courier_key(struct courier_config *cc, const char *key, const char *value,
                       struct wms_error *err)
{
	long v;
	int rc;

	if (strcmp(key, "gs1_company_prefix") == 0) {
		size_t n = strlen(value);
		if (n < 7 || n > 10 || strspn(value, "0123456789") != n)
			return wms_error_set(err, WMS_ECONFIG,
			                     "bad gs1_company_prefix \"%.40s\": 7-10 digits as given by GS1", value);
		snprintf(cc->company_prefix, sizeof cc->company_prefix, "%s", value);
		return 0;
	}
	if (strcmp(key, "sscc_extension") == 0) {
		if ((rc = wms_parse_int(value, 0, 9, &v, err)) < 0)
			return wms_error_set(err, WMS_ECONFIG, "sscc_extension: %s", err->msg);
		cc->extension = (int)v;
		return 0;
	}
	if (strcmp(key, "lead_time_ends") == 0)
		return lead_time_ends(value, &cc->lead_time_ends, err);
	if (strcmp(key, "sender_name") == 0)
		return copy(cc->sender_name, sizeof cc->sender_name, value, key, err);
	if (strcmp(key, "sender_street") == 0)
		return copy(cc->sender_street, sizeof cc->sender_street, value, key, err);
	if (strcmp(key, "sender_postcode") == 0)
		return copy(cc->sender_postcode, sizeof cc->sender_postcode, value, key, err);
	if (strcmp(key, "sender_city") == 0)
		return copy(cc->sender_city, sizeof cc->sender_city, value, key, err);
	if (strcmp(key, "parcel_weight") == 0)
		return copy(cc->parcel_weight, sizeof cc->parcel_weight, value, key, err);
	return wms_error_set(err, WMS_ECONFIG, "unknown key \"%s\" in [courier]; allowed: "
	                     "gs1_company_prefix, sscc_extension, lead_time_ends, sender_name, "
	                     "sender_street, sender_postcode, sender_city, parcel_weight", key);
}

static int carrier_key(struct courier_carrier_conf *c, const char *key, const char *value,
                       struct wms_error *err)
{
	long v;

	if (strcmp(key, "adapter") == 0) {
		if (strcmp(value, "http-json") && strcmp(value, "manual"))
			return wms_error_set(err, WMS_ECONFIG, "bad adapter \"%.40s\"; allowed: http-json, manual",
			                     value);
		return copy(c->adapter, sizeof c->adapter, value, key, err);
	}
	if (strcmp(key, "base_url") == 0) {
		if (strncmp(value, "http://", 7) && strncmp(value, "https://", 8))
			return wms_error_set(err, WMS_ECONFIG, "bad base_url \"%.60s\": an http:// or https:// URL",
			                     value);
		return copy(c->base_url, sizeof c->base_url, value, key, err);
	}
	if (strcmp(key, "token") == 0)
		return copy(c->token, sizeof c->token, value, key, err);
	if (strcmp(key, "service") == 0)
		return copy(c->service, sizeof c->service, value, key, err);
	if (strcmp(key, "timeout_ms") == 0 || strcmp(key, "connect_timeout_ms") == 0) {
		if (wms_parse_int(value, 100, 600000, &v, err) < 0)
			return wms_error_set(err, WMS_ECONFIG, "%s: %s", key, err->msg);
		*(key[0] == 't' ? &c->timeout_ms : &c->connect_timeout_ms) = v;
		return 0;
	}
	if (strcmp(key, "book_path") == 0)
		return path_key(c->book_path, sizeof c->book_path, value, key, err);
	if (strcmp(key, "label_path") == 0)
		return path_key(c->label_path, sizeof c->label_path, value, key, err);
	if (strcmp(key, "track_path") == 0)
		return path_key(c->track_path, sizeof c->track_path, value, key, err);
	if (strcmp(key, "cancel_path") == 0)
		return path_key(c->cancel_path, sizeof c->cancel_path, value, key, err);
	return wms_error_set(err, WMS_ECONFIG, "unknown key \"%s\" in [carrier %s]; allowed: adapter, "
	                     "base_url, token, timeout_ms, connect_timeout_ms, service, book_path, "
	                     "label_path, track_path, cancel_path", key, c->name);
}

int courier_config_key(struct courier_config *cc, const char *section, const char *key,
                       const char *value, struct wms_error *err)
{
	struct courier_config scratch;
	const char *name;

	if (cc == NULL) {
		courier_config_defaults(&scratch);
		cc = &scratch;
	}
	if (strcmp(section, "courier") == 0)
		return courier_key(cc, key, value, err);
	if (strncmp(section, "carrier ", 8) != 0)
		return wms_error_set(err, WMS_ECONFIG, "[%s] is not a courier section", section);
	name = section + 8;
	if (*name == '\0' || strlen(name) >= sizeof cc->carriers[0].name)
		return wms_error_set(err, WMS_ECONFIG, "bad carrier name: 1-31 bytes after [carrier ");
	for (int i = 0; i < cc->n_carriers; i++)
		if (strcasecmp(cc->carriers[i].name, name) == 0)
			return carrier_key(&cc->carriers[i], key, value, err);
	if (cc->n_carriers == COURIER_MAX_CARRIERS)
		return wms_error_set(err, WMS_ECONFIG, "too many carriers (at most %d)", COURIER_MAX_CARRIERS);
	carrier_defaults(&cc->carriers[cc->n_carriers], name);
	return carrier_key(&cc->carriers[cc->n_carriers++], key, value, err);
}

/* Courier sections into ctx; other rooms' sections are theirs to check. */
static int extra(void *ctx, const char *section, const char *key, const char *value,
                 struct wms_error *err)
{
	if (!courier_config_owns(section))
		return 0;
	return courier_config_key(ctx, section, key, value, err);
}

int courier_config_check(const struct courier_config *cc, const char *path, struct wms_error *err)
{
	for (int i = 0; i < cc->n_carriers; i++) {
		const struct courier_carrier_conf *c = &cc->carriers[i];
		if (c->adapter[0] == '\0')
			return wms_error_set(err, WMS_ECONFIG, "%s: [carrier %s] needs adapter = http-json | manual",
			                     path ? path : "configuration", c->name);
		if (strcmp(c->adapter, "http-json") == 0 && c->base_url[0] == '\0')
			return wms_error_set(err, WMS_ECONFIG, "%s: [carrier %s] uses http-json and needs base_url",
			                     path ? path : "configuration", c->name);
	}
	return 0;
}

int courier_config_load(const char *path, struct courier_config *cc, struct wms_error *err)
{
	struct wms_config *core = NULL;
	int rc;

	courier_config_defaults(cc);
	if (path == NULL)
		return 0;
	if ((rc = wms_config_load(path, extra, cc, &core, err)) == 0)
		rc = courier_config_check(cc, path, err);
	wms_config_free(core);
	return rc;
}
