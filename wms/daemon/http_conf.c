/*
 * http_conf.c - the [http] section of wmsd.conf (see http.h), checked key by
 * key so that an error names the line.
 */
#include "http.h"

#include "wms_config.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

void http_conf_defaults(struct http_conf *c)
{
	*c = (struct http_conf){ .enabled = true, .addr = "127.0.0.1", .port = 8080,
	                         .session_minutes = 480, .max_body = 65536,
	                         .sse_keepalive_s = 15, .login_workers = 2, .login_delay_after = 3,
	                         .login_delay_ms = 1000, .login_delay_max_s = 60,
	                         .login_lockout_after = 10, .login_address_lockout_after = 100,
	                         .login_lockout_s = 900, .max_connections = 128,
	                         .max_connections_per_address = 32, .max_streams = 64,
	                         .request_timeout_s = 10 };
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

/* The numeric keys: name, range, where it goes. */
static const struct num_key {
	const char *key;
	long min, max;
	size_t off;
	bool is_int;
} num_keys[] = {
	{ "login_workers", 1, 16, offsetof(struct http_conf, login_workers), true },
	{ "login_delay_after", 1, 1000000, offsetof(struct http_conf, login_delay_after), false },
	{ "login_delay_ms", 0, 60000, offsetof(struct http_conf, login_delay_ms), false },
	{ "login_delay_max_s", 1, 3600, offsetof(struct http_conf, login_delay_max_s), false },
	{ "login_lockout_after", 1, 1000000, offsetof(struct http_conf, login_lockout_after), false },
	{ "login_address_lockout_after", 1, 1000000, offsetof(struct http_conf, login_address_lockout_after),
	  false },
	{ "login_lockout_s", 1, 86400, offsetof(struct http_conf, login_lockout_s), false },
	{ "max_connections", 1, 10000, offsetof(struct http_conf, max_connections), false },
	{ "max_connections_per_address", 1, 10000, offsetof(struct http_conf, max_connections_per_address),
	  false },
	{ "max_streams", 1, 10000, offsetof(struct http_conf, max_streams), false },
	{ "request_timeout_s", 1, 3600, offsetof(struct http_conf, request_timeout_s), false },
};

/* "ADDRESS[/BITS] ..." (spaces or commas between), IPv4 or IPv6. */
static int parse_trusted(struct http_conf *c, const char *value, struct wms_error *err)
{
	char word[INET6_ADDRSTRLEN + 8], q[80];
	const char *p = value;

	c->n_trusted = 0;
	while (*(p += strspn(p, " ,\t")) != '\0') {
		size_t n = strcspn(p, " ,\t");
		struct http_net *net = &c->trusted[c->n_trusted];
		char *slash;
		long bits = -1;
		if (c->n_trusted == HTTP_MAX_TRUSTED)
			return wms_error_set(err, WMS_ECONFIG, "trusted_proxies: more than %d addresses",
			                     HTTP_MAX_TRUSTED);
		memcpy(word, p, n < sizeof word ? n : sizeof word - 1);
		word[n < sizeof word ? n : sizeof word - 1] = '\0';
		p += n;
		if (n >= sizeof word)
			goto bad;
		if ((slash = strchr(word, '/')) != NULL) {
			*slash = '\0';
			if (wms_parse_int(slash + 1, 0, 128, &bits, err) < 0)
				goto bad;
		}
		if (inet_pton(AF_INET, word, net->addr) == 1)
			net->family = AF_INET;
		else if (inet_pton(AF_INET6, word, net->addr) == 1)
			net->family = AF_INET6;
		else
			goto bad;
		if (bits > (net->family == AF_INET ? 32 : 128))
			goto bad;
		net->bits = bits >= 0 ? (int)bits : net->family == AF_INET ? 32 : 128;
		c->n_trusted++;
		continue;
bad:
		return wms_error_set(err, WMS_ECONFIG, "trusted_proxies: bad address \"%s\"; expected IPv4 or "
		                     "IPv6 addresses, each optionally /BITS (127.0.0.1 ::1 10.0.0.0/8)",
		                     wms_quote(q, sizeof q, word, strlen(word), 40));
	}
	return 0;
}

int http_conf_key(struct http_conf *c, const char *key, const char *value, struct wms_error *err)
{
	long v;

	for (size_t i = 0; i < sizeof num_keys / sizeof num_keys[0]; i++) {
		const struct num_key *k = &num_keys[i];
		if (strcmp(key, k->key) != 0)
			continue;
		if (wms_parse_int(value, k->min, k->max, &v, err) < 0)
			return wms_error_set(err, WMS_ECONFIG, "%s: %s", k->key, err->msg);
		if (k->is_int)
			*(int *)(void *)((char *)c + k->off) = (int)v;
		else
			*(long *)(void *)((char *)c + k->off) = v;
		return 0;
	}

	if (strcmp(key, "listen") == 0)
		return parse_listen(c, value, err);
	if (strcmp(key, "trusted_proxies") == 0)
		return parse_trusted(c, value, err);
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
	                     "session_minutes, max_body, secure_cookie, sse_keepalive_s, login_workers, "
	                     "login_delay_after, login_delay_ms, login_delay_max_s, login_lockout_after, "
	                     "login_address_lockout_after, login_lockout_s, trusted_proxies, max_connections, "
	                     "max_connections_per_address, max_streams, request_timeout_s", key);
}
