/*
 * http_routes_test.c - the route table of the HTTP API (http_routes.c) and
 * wms/daemon/openapi.yaml describe the same routes: every route of the table
 * is in the file with the same method and roles (x-roles), and every
 * operation of the file is in the table.  Also the [http] configuration keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_impl.h"

#define MAX_OPS 128

struct op {
	char method[8];
	char path[128];
	char roles[160];
	bool seen;
};

static int load_openapi(struct op *ops)
{
	FILE *f = fopen(WMS_OPENAPI, "r");
	char line[512], path[128] = "";
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "  /", 3) == 0 && line[strlen(line) - 1] == ':') {
			snprintf(path, sizeof path, "%.*s", (int)strlen(line) - 3, line + 2);
		} else if (path[0] && (strcmp(line, "    get:") == 0 || strcmp(line, "    post:") == 0)) {
			assert_true(n < MAX_OPS);
			snprintf(ops[n].method, sizeof ops[n].method, "%s", line[4] == 'g' ? "GET" : "POST");
			snprintf(ops[n].path, sizeof ops[n].path, "%s", path);
			n++;
		} else if (n > 0 && strncmp(line, "      x-roles: [", 16) == 0) {
			snprintf(ops[n - 1].roles, sizeof ops[n - 1].roles, "%.*s", (int)strlen(line) - 17, line + 16);
		}
	}
	fclose(f);
	return n;
}

/* The roles of a table entry as openapi.yaml writes them. */
static void roles_text(int roles, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	if (roles == HTTP_PUBLIC) {
		snprintf(buf, size, "public");
		return;
	}
	if (roles & HTTP_LOOPBACK)
		used += (size_t)snprintf(buf, size, "loopback");
	if (roles & HTTP_PAGE)
		used += (size_t)snprintf(buf, size, (roles & WMS_ROLE_ALL) ? "page" : "page, public");
	for (int bit = WMS_ROLE_WAREHOUSE; bit <= WMS_ROLE_ADMIN; bit <<= 1)
		if (roles & bit)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
			                         wms_role_name((enum wms_role)bit));
}

static void table_and_openapi_agree(void **state)
{
	struct op ops[MAX_OPS] = { 0 };
	int n = load_openapi(ops), routes = 0;
	char roles[160];

	assert_true(n >= 10);
	for (const struct http_route *r = http_routes; r->method; r++, routes++) {
		bool found = false;
		assert_non_null(r->fn);
		assert_true(strncmp(r->pattern, "/api/v1/", 8) == 0 || strcmp(r->pattern, "/metrics") == 0 ||
		            (r->roles & HTTP_PAGE));   /* the browser's pages (dash.h) */
		roles_text(r->roles, roles, sizeof roles);
		for (int i = 0; i < n; i++)
			if (strcmp(ops[i].method, r->method) == 0 && strcmp(ops[i].path, r->pattern) == 0) {
				if (strcmp(ops[i].roles, roles) != 0)
					fail_msg("%s %s: openapi.yaml x-roles [%s], route table [%s]", r->method,
					         r->pattern, ops[i].roles, roles);
				assert_false(ops[i].seen);
				ops[i].seen = found = true;
			}
		if (!found)
			fail_msg("route %s %s is not in openapi.yaml", r->method, r->pattern);
	}
	for (int i = 0; i < n; i++)
		if (!ops[i].seen)
			fail_msg("openapi.yaml has %s %s, which the route table lacks", ops[i].method, ops[i].path);
	assert_int_equal(routes, n);
}

static void every_state_change_is_authenticated(void **state)
{
	for (const struct http_route *r = http_routes; r->method; r++) {
		if (strcmp(r->method, "GET") != 0 && strcmp(r->pattern, "/api/v1/login") != 0 &&
		    strcmp(r->pattern, "/login") != 0)
			assert_true(r->roles != HTTP_PUBLIC && !(r->roles & HTTP_LOOPBACK) &&
			            (r->roles & WMS_ROLE_ALL));
		if (strcmp(r->method, "GET") == 0)
			assert_null(r->body);
		else
			assert_non_null(r->body);
	}
}

static void conf_keys(void **state)
{
	struct http_conf c;
	struct wms_error err = { 0 };

	http_conf_defaults(&c);
	assert_true(c.enabled);
	assert_string_equal(c.addr, "127.0.0.1");
	assert_int_equal(c.port, 8080);
	assert_int_equal(c.max_body, 65536);
	assert_int_equal(http_conf_key(&c, "listen", "[::1]:9090", &err), 0);
	assert_string_equal(c.addr, "::1");
	assert_int_equal(c.port, 9090);
	assert_int_equal(http_conf_key(&c, "listen", "0.0.0.0:0", &err), 0);
	assert_int_equal(c.port, 0);
	assert_int_equal(http_conf_key(&c, "listen", "off", &err), 0);
	assert_false(c.enabled);
	assert_int_equal(http_conf_key(&c, "listen", "localhost:80", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "expected ADDRESS:PORT"));
	assert_int_equal(http_conf_key(&c, "listen", "127.0.0.1:70000", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "port"));
	assert_int_equal(http_conf_key(&c, "listen", "[::1:80", &err), WMS_ECONFIG);
	assert_int_equal(http_conf_key(&c, "session_minutes", "0", &err), WMS_ECONFIG);
	assert_int_equal(http_conf_key(&c, "session_minutes", "30", &err), 0);
	assert_int_equal(c.session_minutes, 30);
	assert_int_equal(http_conf_key(&c, "max_body", "12", &err), WMS_ECONFIG);
	assert_int_equal(http_conf_key(&c, "secure_cookie", "yes", &err), 0);
	assert_true(c.secure_cookie);
	assert_int_equal(http_conf_key(&c, "port", "80", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "allowed: listen, session_minutes, max_body, secure_cookie"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_and_openapi_agree),
		cmocka_unit_test(every_state_change_is_authenticated),
		cmocka_unit_test(conf_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
