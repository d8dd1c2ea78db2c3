/*
 * users_test.c - users, API tokens and sessions of the HTTP API on a real
 * store: argon2id hashes, one message for a wrong name or password, secrets
 * stored only hashed, CSRF comparison, expiry and logout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core_fixture.h"
#include "wms_query.h"
#include "wms_users.h"

static int setup(void **state)
{
	*state = fixture_new();
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

static long long count(struct wms_store *s, const char *sql, const char *param)
{
	struct wms_error err = { 0 };
	json_t *rows = wms_query_rows(s, sql, &param, param ? 1 : 0, &err);
	long long n;

	assert_non_null(rows);
	n = json_integer_value(json_object_get(json_array_get(rows, 0), "n"));
	json_decref(rows);
	return n;
}

static void roles(void **state)
{
	struct wms_error err = { 0 };
	enum wms_role r = WMS_ROLE_NONE;

	assert_int_equal(wms_role_parse("dispatcher", &r, &err), 0);
	assert_int_equal(r, WMS_ROLE_DISPATCHER);
	assert_string_equal(wms_role_name(WMS_ROLE_WAREHOUSE), "warehouse");
	assert_string_equal(wms_role_name(WMS_ROLE_ALL), "none");
	assert_int_equal(wms_role_parse("boss", &r, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "bad role \"boss\"; allowed: warehouse, technician"));
	assert_int_equal(wms_role_parse(NULL, &r, &err), WMS_EINVAL);
}

static void users(void **state)
{
	struct fixture *f = *state;
	struct wms_error err = { 0 };
	enum wms_role r;
	char wrong_pw[WMS_ERROR_MSG_MAX], unknown[WMS_ERROR_MSG_MAX];

	assert_int_equal(wms_user_add(f->s, "anna.l", WMS_ROLE_MANAGER, "correct horse", &err), 0);
	assert_int_equal(count(f->s, "SELECT count(*) AS n FROM users WHERE password_hash LIKE '$argon2id$%'"
	                       " AND password_hash NOT LIKE '%correct horse%'", NULL), 1);
	assert_int_equal(wms_user_add(f->s, "anna.l", WMS_ROLE_ADMIN, "another one", &err), WMS_EEXIST);
	assert_non_null(strstr(err.msg, "already exists"));
	assert_int_equal(wms_user_add(f->s, "bo", WMS_ROLE_ADMIN, "short", &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "password of 5 bytes: 8 to 1024 allowed"));
	assert_int_equal(wms_user_add(f->s, "bad name", WMS_ROLE_ADMIN, "long enough", &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "bad user name"));
	assert_int_equal(wms_user_add(f->s, "bo", WMS_ROLE_ADMIN | WMS_ROLE_MANAGER, "long enough", &err),
	                 WMS_EINVAL);
	assert_int_equal(count(f->s, "SELECT count(*) AS n FROM users", NULL), 1);

	assert_int_equal(wms_user_verify(f->s, "anna.l", "correct horse", &r, &err), 0);
	assert_int_equal(r, WMS_ROLE_MANAGER);
	assert_int_equal(wms_user_verify(f->s, "anna.l", "correct horsE", &r, &err), WMS_EINVAL);
	snprintf(wrong_pw, sizeof wrong_pw, "%s", err.msg);
	assert_int_equal(r, WMS_ROLE_NONE);
	assert_int_equal(wms_user_verify(f->s, "nobody", "correct horse", &r, &err), WMS_EINVAL);
	snprintf(unknown, sizeof unknown, "%s", err.msg);
	assert_string_equal(wrong_pw, unknown);   /* no telling which one was wrong */
}

static void tokens(void **state)
{
	struct fixture *f = *state;
	struct wms_error err = { 0 };
	char token[WMS_SECRET_HEX + 1], name[WMS_USER_NAME_MAX + 1], other[WMS_SECRET_HEX + 1];
	char live[WMS_SECRET_HEX + 1];
	enum wms_role r;

	assert_int_equal(wms_token_create(f->s, "ordering-system", WMS_ROLE_DISPATCHER, token, &err), 0);
	assert_int_equal(strlen(token), WMS_SECRET_HEX);
	memcpy(live, token, sizeof live);
	assert_int_equal(strspn(token, "0123456789abcdef"), WMS_SECRET_HEX);
	assert_int_equal(count(f->s, "SELECT count(*) AS n FROM api_tokens WHERE token_hash = ?1", token), 0);
	assert_int_equal(wms_token_check(f->s, token, name, &r, &err), 0);
	assert_string_equal(name, "ordering-system");
	assert_int_equal(r, WMS_ROLE_DISPATCHER);
	assert_int_equal(wms_token_create(f->s, "ordering-system", WMS_ROLE_ADMIN, other, &err), WMS_EEXIST);
	assert_string_equal(other, "");
	token[0] = token[0] == 'a' ? 'b' : 'a';
	assert_int_equal(wms_token_check(f->s, token, name, &r, &err), WMS_ENOTFOUND);
	assert_int_equal(wms_token_check(f->s, "short", name, &r, &err), WMS_ENOTFOUND);
	assert_int_equal(wms_token_check(f->s, NULL, name, &r, &err), WMS_ENOTFOUND);
	assert_string_equal(name, "");
	assert_int_equal(wms_token_check(f->s, live, name, &r, &err), 0);
	assert_int_equal(wms_token_revoke(f->s, "ordering-system", &err), 0);
	assert_int_equal(wms_token_check(f->s, live, name, &r, &err), WMS_ENOTFOUND);
	assert_int_equal(wms_token_revoke(f->s, "ordering-system", &err), WMS_ENOTFOUND);
	assert_non_null(strstr(err.msg, "no live token"));
	/* a token's name and a user's name share one space: the ledger's actor is unambiguous */
	assert_int_equal(wms_user_add(f->s, "ordering-system", WMS_ROLE_ADMIN, "long enough", &err), WMS_EEXIST);
}

static void sessions(void **state)
{
	struct fixture *f = *state;
	struct wms_error err = { 0 };
	char sid[WMS_SECRET_HEX + 1], csrf[WMS_SECRET_HEX + 1], name[WMS_USER_NAME_MAX + 1];
	enum wms_role r;
	bool ok;
	wms_time t0 = 1800000000;

	assert_int_equal(wms_user_add(f->s, "tech1", WMS_ROLE_TECHNICIAN, "long enough", &err), 0);
	assert_int_equal(wms_session_create(f->s, "tech1", 600, t0, sid, csrf, &err), 0);
	assert_int_equal(strlen(sid), WMS_SECRET_HEX);
	assert_string_not_equal(sid, csrf);
	assert_int_equal(count(f->s, "SELECT count(*) AS n FROM sessions WHERE id_hash = ?1", sid), 0);

	assert_int_equal(wms_session_check(f->s, sid, csrf, t0 + 10, name, &r, &ok, &err), 0);
	assert_string_equal(name, "tech1");
	assert_int_equal(r, WMS_ROLE_TECHNICIAN);
	assert_true(ok);
	assert_int_equal(wms_session_check(f->s, sid, NULL, t0 + 10, name, &r, &ok, &err), 0);
	assert_false(ok);
	assert_int_equal(wms_session_check(f->s, sid, sid, t0 + 10, name, &r, &ok, &err), 0);
	assert_false(ok);
	/* expiry: the session ends ttl seconds after login */
	assert_int_equal(wms_session_check(f->s, sid, csrf, t0 + 600, name, &r, &ok, &err), WMS_ENOTFOUND);
	assert_non_null(strstr(err.msg, "log in again"));
	assert_string_equal(name, "");
	/* logout */
	assert_int_equal(wms_session_check(f->s, sid, csrf, t0 + 599, name, &r, &ok, &err), 0);
	assert_int_equal(wms_session_delete(f->s, sid, &err), 0);
	assert_int_equal(wms_session_check(f->s, sid, csrf, t0 + 1, name, &r, &ok, &err), WMS_ENOTFOUND);
	assert_int_equal(wms_session_delete(f->s, "garbage", &err), 0);
	/* a new login purges expired sessions */
	assert_int_equal(wms_session_create(f->s, "tech1", 60, t0, sid, csrf, &err), 0);
	assert_int_equal(wms_session_create(f->s, "tech1", 60, t0 + 61, sid, csrf, &err), 0);
	assert_int_equal(count(f->s, "SELECT count(*) AS n FROM sessions", NULL), 1);
	assert_int_equal(wms_session_create(f->s, "nobody", 60, t0, sid, csrf, &err), WMS_ENOTFOUND);
	assert_string_equal(sid, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roles),
		cmocka_unit_test_setup_teardown(users, setup, teardown),
		cmocka_unit_test_setup_teardown(tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(sessions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
