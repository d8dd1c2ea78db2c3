/*
 * users.c - users, API tokens and browser sessions of the HTTP API (see
 * wms_users.h).  Hashing is libsodium's: argon2id for passwords, BLAKE2b for
 * the random secrets, which are long enough that a fast hash is safe.
 */
#include "wms_users.h"

#include "store_sql.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int crypto_ready(struct wms_error *err)
{
	if (sodium_init() < 0)
		return wms_error_set(err, WMS_EIO, "libsodium could not be initialised");
	return 0;
}

static int check_name(const char *name, struct wms_error *err)
{
	char q[160];
	size_t n = name ? strlen(name) : 0;

	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || strchr("-_.", name[i])))
			n = 0;
	if (n == 0 || n > WMS_USER_NAME_MAX)
		return wms_error_set(err, WMS_EINVAL, "bad user name \"%s\": 1-%d of a-z A-Z 0-9 - _ .",
		                     wms_quote(q, sizeof q, name ? name : "", name ? strlen(name) : 0, 32),
		                     WMS_USER_NAME_MAX);
	return 0;
}

static int check_single_role(enum wms_role role, struct wms_error *err)
{
	if (strcmp(wms_role_name(role), "none") == 0)
		return wms_error_set(err, WMS_EINVAL, "a user has exactly one role; allowed: %s",
		                     WMS_ROLES_ALLOWED);
	return 0;
}

/* A fresh secret in hex, and the hex of its hash. */
static void new_secret(char hex[WMS_SECRET_HEX + 1])
{
	unsigned char raw[WMS_SECRET_HEX / 2];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, WMS_SECRET_HEX + 1, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

static void secret_hash(const char *secret, char hex[WMS_SECRET_HEX + 1])
{
	unsigned char h[WMS_SECRET_HEX / 2];

	crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
	sodium_bin2hex(hex, WMS_SECRET_HEX + 1, h, sizeof h);
}

/* A secret as it came from a client: exactly 64 lower-case hex digits. */
static bool secret_well_formed(const char *s)
{
	size_t n = 0;

	for (; s && s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == WMS_SECRET_HEX;
}

static int name_taken(struct wms_store *s, const char *name, struct wms_error *err)
{
	static const char sql[] =
		"SELECT 1 FROM users WHERE name = ?1 UNION ALL SELECT 1 FROM api_tokens WHERE name = ?1";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return wms_error_set(err, WMS_EEXIST, "user or token \"%s\" already exists", name);
	if (rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "looking up a user");
	return 0;
}

/* A user or token row: sql inserts ?1 name, ?2 role, ?3 the secret's hash, ?4 now. */
static int insert_credential(struct wms_store *s, const char *sql, const char *name,
                             enum wms_role role, const char *hash, const char *what,
                             struct wms_error *err)
{
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, wms_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, wms_now());
	return wms_store_step_done(s, st, what, err);
}

int wms_user_add(struct wms_store *s, const char *name, enum wms_role role, const char *password,
                 struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO users(name, role, password_hash, created_ts) VALUES (?1, ?2, ?3, ?4)";
	char hash[crypto_pwhash_STRBYTES];
	size_t plen = password ? strlen(password) : 0;
	int rc;

	if ((rc = crypto_ready(err)) < 0 || (rc = check_name(name, err)) < 0 ||
	    (rc = check_single_role(role, err)) < 0)
		return rc;
	if (plen < WMS_PASSWORD_MIN || plen > WMS_PASSWORD_MAX)
		return wms_error_set(err, WMS_EINVAL, "password of %zu bytes: %d to %d allowed", plen,
		                     WMS_PASSWORD_MIN, WMS_PASSWORD_MAX);
	if ((rc = name_taken(s, name, err)) < 0)
		return rc;
	if (crypto_pwhash_str(hash, password, plen, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return wms_error_set(err, WMS_ENOMEM, "out of memory hashing the password");
	return insert_credential(s, sql, name, role, hash, "adding a user", err);
}

/* role text from the database to the enum (the CHECK constraint keeps it valid) */
static enum wms_role role_of(sqlite3_stmt *st, int col)
{
	enum wms_role r = WMS_ROLE_NONE;

	wms_role_parse((const char *)sqlite3_column_text(st, col), &r, NULL);
	return r;
}

/* An unknown name costs as much time as a wrong password, so that timing
 * does not tell which names exist: its password is checked against this
 * hash (argon2id, interactive limits) of a random password nobody knows. */
static const char unknown_user_hash[] =
	"$argon2id$v=19$m=65536,t=2,p=1$/FWVHjq0IHqHe/3rOh+FfQ$QElmDaXVXcQe6LMZYft+s/h4gKPfyowjKLk+5xJk7es";

int wms_user_password_hash(struct wms_store *s, const char *name, char hash[WMS_PASSWORD_HASH_MAX],
                           enum wms_role *role, struct wms_error *err)
{
	static const char sql[] = "SELECT password_hash, role FROM users WHERE name = ?1 AND disabled = 0";
	sqlite3_stmt *st;
	int rc;

	hash[0] = '\0';
	*role = WMS_ROLE_NONE;
	if (name == NULL)
		return 0;
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 0);
		if (h && strlen(h) < WMS_PASSWORD_HASH_MAX) {
			memcpy(hash, h, strlen(h) + 1);
			*role = role_of(st, 1);
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "looking up a user");
	return hash[0] != '\0';
}

bool wms_password_matches(const char *hash, const char *password)
{
	const char *h = hash && hash[0] ? hash : unknown_user_hash;
	bool match;

	if (password == NULL || strlen(password) > WMS_PASSWORD_MAX || sodium_init() < 0)
		return false;
	match = crypto_pwhash_str_verify(h, password, strlen(password)) == 0;
	return match && h != unknown_user_hash;
}

int wms_user_verify(struct wms_store *s, const char *name, const char *password,
                    enum wms_role *role, struct wms_error *err)
{
	char hash[WMS_PASSWORD_HASH_MAX];
	int rc;

	*role = WMS_ROLE_NONE;
	if ((rc = crypto_ready(err)) < 0)
		return rc;
	if (name == NULL || password == NULL || strlen(password) > WMS_PASSWORD_MAX)
		return wms_error_set(err, WMS_EINVAL, "wrong user name or password");
	if ((rc = wms_user_password_hash(s, name, hash, role, err)) < 0)
		return rc;
	if (wms_password_matches(hash, password))
		return 0;
	*role = WMS_ROLE_NONE;
	return wms_error_set(err, WMS_EINVAL, "wrong user name or password");
}

int wms_token_create(struct wms_store *s, const char *name, enum wms_role role,
                     char token[WMS_SECRET_HEX + 1], struct wms_error *err)
{
	static const char sql[] =
		"INSERT INTO api_tokens(name, role, token_hash, created_ts) VALUES (?1, ?2, ?3, ?4)";
	char hash[WMS_SECRET_HEX + 1];
	int rc;

	token[0] = '\0';
	if ((rc = crypto_ready(err)) < 0 || (rc = check_name(name, err)) < 0 ||
	    (rc = check_single_role(role, err)) < 0 || (rc = name_taken(s, name, err)) < 0)
		return rc;
	new_secret(token);
	secret_hash(token, hash);
	if ((rc = insert_credential(s, sql, name, role, hash, "adding a token", err)) < 0)
		token[0] = '\0';
	return rc;
}

/*
 * The row of a presented secret (API token or session id): sql selects name
 * and role as columns 0 and 1 where ?1 = the secret's hash (and ?2 = now when
 * sql has it).  1 = found: name and role filled and *row left on the row for
 * more columns (the caller resets it); 0 = none or a malformed secret; < 0 error.
 */
static int secret_row(struct wms_store *s, const char *sql, const char *secret, wms_time now,
                      const char *what, char name[WMS_USER_NAME_MAX + 1], enum wms_role *role,
                      sqlite3_stmt **row, struct wms_error *err)
{
	char hash[WMS_SECRET_HEX + 1];
	sqlite3_stmt *st;
	int rc;

	name[0] = '\0';
	*role = WMS_ROLE_NONE;
	if ((rc = crypto_ready(err)) < 0)
		return rc;
	if (!secret_well_formed(secret))
		return 0;
	secret_hash(secret, hash);
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	if (sqlite3_bind_parameter_count(st) > 1)
		sqlite3_bind_int64(st, 2, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(name, WMS_USER_NAME_MAX + 1, "%s", (const char *)sqlite3_column_text(st, 0));
		*role = role_of(st, 1);
		*row = st;
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, what);
}

int wms_token_check(struct wms_store *s, const char *token, char name[WMS_USER_NAME_MAX + 1],
                    enum wms_role *role, struct wms_error *err)
{
	static const char sql[] = "SELECT name, role FROM api_tokens WHERE token_hash = ?1 AND revoked_ts IS NULL";
	sqlite3_stmt *st;
	int rc = secret_row(s, sql, token, 0, "looking up a token", name, role, &st, err);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown or revoked API token");
	sqlite3_reset(st);
	return 0;
}

int wms_token_revoke(struct wms_store *s, const char *name, struct wms_error *err)
{
	static const char sql[] = "UPDATE api_tokens SET revoked_ts = ?1 WHERE name = ?2 AND revoked_ts IS NULL";
	sqlite3_stmt *st;
	int rc;

	if ((rc = check_name(name, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, wms_now());
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if ((rc = wms_store_step_done(s, st, "revoking a token", err)) < 0)
		return rc;
	if (sqlite3_changes(wms_store_db(s)) == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "no live token \"%s\"", name);
	return 0;
}

int wms_session_create(struct wms_store *s, const char *name, long ttl, wms_time now,
                       char sid[WMS_SECRET_HEX + 1], char csrf[WMS_SECRET_HEX + 1],
                       struct wms_error *err)
{
	static const char purge[] = "DELETE FROM sessions WHERE expires_ts <= ?1";
	static const char sql[] =
		"INSERT INTO sessions(id_hash, user_id, csrf_hash, created_ts, expires_ts)"
		" SELECT ?1, id, ?2, ?3, ?4 FROM users WHERE name = ?5";
	char sid_hash[WMS_SECRET_HEX + 1], csrf_hash[WMS_SECRET_HEX + 1];
	sqlite3_stmt *st;
	int rc;

	sid[0] = csrf[0] = '\0';
	if ((rc = crypto_ready(err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, purge, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, now);
	if ((rc = wms_store_step_done(s, st, "purging expired sessions", err)) < 0)
		return rc;
	new_secret(sid);
	new_secret(csrf);
	secret_hash(sid, sid_hash);
	secret_hash(csrf, csrf_hash);
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, sid_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, csrf_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now + ttl);
	sqlite3_bind_text(st, 5, name, -1, SQLITE_STATIC);
	if ((rc = wms_store_step_done(s, st, "starting a session", err)) < 0)
		goto fail;
	if (sqlite3_changes(wms_store_db(s)) == 1)
		return 0;
	rc = wms_error_set(err, WMS_ENOTFOUND, "unknown user \"%s\"", name);
fail:
	sid[0] = csrf[0] = '\0';
	return rc < 0 ? rc : WMS_EDB;
}

int wms_session_check(struct wms_store *s, const char *sid, const char *csrf, wms_time now,
                      char name[WMS_USER_NAME_MAX + 1], enum wms_role *role, bool *csrf_ok,
                      struct wms_error *err)
{
	static const char sql[] =
		"SELECT u.name, u.role, s.csrf_hash FROM sessions s JOIN users u ON u.id = s.user_id"
		" WHERE s.id_hash = ?1 AND s.expires_ts > ?2 AND u.disabled = 0";
	char given[WMS_SECRET_HEX + 1];
	sqlite3_stmt *st;
	int rc;

	*csrf_ok = false;
	if ((rc = secret_row(s, sql, sid, now, "looking up a session", name, role, &st, err)) < 0)
		return rc;
	if (rc == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "no session or session expired: log in again");
	if (secret_well_formed(csrf)) {
		secret_hash(csrf, given);
		*csrf_ok = sodium_memcmp(given, sqlite3_column_text(st, 2), WMS_SECRET_HEX) == 0;
	}
	sqlite3_reset(st);
	return 0;
}

int wms_session_delete(struct wms_store *s, const char *sid, struct wms_error *err)
{
	static const char sql[] = "DELETE FROM sessions WHERE id_hash = ?1";
	char hash[WMS_SECRET_HEX + 1];
	sqlite3_stmt *st;

	if (!secret_well_formed(sid))
		return 0;
	secret_hash(sid, hash);
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	return wms_store_step_done(s, st, "ending a session", err);
}
