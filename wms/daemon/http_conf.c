/*
 * http_conf.c - the [http] section of wmsd.conf (see http.h), checked key by
 * key so that an error names the line.
 */
#include "http.h"

#include "wms_config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

void http_conf_defaults(struct http_conf *c)
{
	*c = (struct http_conf){ .enabled = true, .addr = "127.0.0.1", .port = 8080,
	                         .session_minutes = 480, .max_body = 65536,
	                         .sse_keepalive_s = 15 };
}

static int parse_listen(struct http_conf *c, const char *value, struct wms_error *err)
{
	char addr[sizeof c->addr], buf[16];
	const char *colon = strrchr(value, ':');
	size_t n;
	long port;

	if (strcmp(value, "off") == 0) {
		c->enabled = false;
		return 0;
	}
	if (colon == NULL || (n = (size_t)(colon - value)) == 0 || n >= sizeof addr)
		goto bad;
	memcpy(addr, value, n);
	addr[n] = '\0';
	if (addr[0] == '[') {
		if (n < 3 || addr[n - 1] != ']')
			goto bad;
		memmove(addr, addr + 1, n - 2);
		addr[n - 2] = '\0';
		if (inet_pton(AF_INET6, addr, buf) != 1)
			goto bad;
	} else if (inet_pton(AF_INET, addr, buf) != 1) {
		goto bad;
	}
	if (wms_parse_int(colon + 1, 0, 65535, &port, err) < 0)
		return wms_error_set(err, WMS_ECONFIG, "listen: port: %s", err->msg);
	c->enabled = true;
	snprintf(c->addr, sizeof c->addr, "%s", addr);
	c->port = (int)port;
	return 0;
bad:
	return wms_error_set(err, WMS_ECONFIG, "listen: bad value \"%.60s\"; expected ADDRESS:PORT "
	                     "(127.0.0.1:8080, [::1]:8080) or off", value);
}

int http_conf_key(struct http_conf *c, const char *key, const char *value, struct wms_error *err)
{
	long v;

	if (strcmp(key, "listen") == 0)
		return parse_listen(c, value, err);
	if (strcmp(key, "session_minutes") == 0) {
		if (wms_parse_int(value, 1, 7 * 24 * 60, &v, err) < 0)
			return wms_error_set(err, WMS_ECONFIG, "session_minutes: %s", err->msg);
		c->session_minutes = v;
		return 0;
	}
	if (strcmp(key, "max_body") == 0) {
		if (wms_parse_int(value, 1024, 16L * 1024 * 1024, &v, err) < 0)
			return wms_error_set(err, WMS_ECONFIG, "max_body: %s", err->msg);
		c->max_body = v;
		return 0;
	}
	if (strcmp(key, "secure_cookie") == 0) {
		if (wms_parse_bool(value, &c->secure_cookie, err) < 0)
			return wms_error_set(err, WMS_ECONFIG, "secure_cookie: %s", err->msg);
		return 0;
	}
	if (strcmp(key, "sse_keepalive_s") == 0) {
		if (wms_parse_int(value, 1, 3600, &v, err) < 0)
			return wms_error_set(err, WMS_ECONFIG, "sse_keepalive_s: %s", err->msg);
		c->sse_keepalive_s = (int)v;
		return 0;
	}
	return wms_error_set(err, WMS_ECONFIG, "unknown key \"%.40s\" in [http]; allowed: listen, "
	                     "session_minutes, max_body, secure_cookie, sse_keepalive_s", key);
}
