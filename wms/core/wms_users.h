/*
 * wms_users.h - who may use the HTTP API: users with a role and an argon2id
 * password hash, API tokens for integrations (the ordering system, carriers'
 * webhooks), and browser sessions with their CSRF token.
 *
 * Secrets (session ids, CSRF tokens, API tokens) are 32 random bytes from
 * libsodium written as 64 hex digits; the store keeps only their BLAKE2b
 * hash, so a copy of the database does not let anyone in.  Passwords are
 * kept as crypto_pwhash_str() strings (argon2id, interactive limits).
 *
 * The name of a user or token is what the ledger's actor field carries for
 * every change made through the API.
 */
#ifndef WMS_USERS_H
#define WMS_USERS_H

#include <stdbool.h>

#include "wms_error.h"
#include "wms_rules.h"
#include "wms_store.h"
#include "wms_time.h"

#define WMS_USER_NAME_MAX   32      /* 1-32 of a-z A-Z 0-9 - _ . */
#define WMS_PASSWORD_MIN    8
#define WMS_PASSWORD_MAX    1024
#define WMS_SECRET_HEX      64      /* hex digits of a session id, CSRF or API token */

/* Add a user; WMS_EEXIST when the name is taken (by a user or a token). */
int wms_user_add(struct wms_store *s, const char *name, enum wms_role role, const char *password,
                 struct wms_error *err);

/* Check a name and password; OUT *role.  A wrong password and an unknown name
 * give the same WMS_EINVAL message ("wrong user name or password"). */
int wms_user_verify(struct wms_store *s, const char *name, const char *password,
                    enum wms_role *role, struct wms_error *err);

/* The two halves of wms_user_verify(), for a caller that checks the password
 * on another thread (wmsd's login workers): the stored argon2id hash and role
 * of an enabled user (1; 0 and hash "" when there is none; < 0 on a database
 * error), then whether password matches it.  wms_password_matches() touches
 * no store and may run on any thread; for hash "" (an unknown user) it takes
 * as long as a real check and is false. */
#define WMS_PASSWORD_HASH_MAX 128
int wms_user_password_hash(struct wms_store *s, const char *name, char hash[WMS_PASSWORD_HASH_MAX],
                           enum wms_role *role, struct wms_error *err);
bool wms_password_matches(const char *hash, const char *password);

/* Create an API token named name; OUT token (WMS_SECRET_HEX + 1 bytes) is shown
 * once and only its hash is stored.  WMS_EEXIST when the name is taken. */
int wms_token_create(struct wms_store *s, const char *name, enum wms_role role,
                     char token[WMS_SECRET_HEX + 1], struct wms_error *err);

/* Who holds this token; OUT name (WMS_USER_NAME_MAX + 1 bytes) and *role.
 * WMS_ENOTFOUND when it is unknown or revoked. */
int wms_token_check(struct wms_store *s, const char *token, char name[WMS_USER_NAME_MAX + 1],
                    enum wms_role *role, struct wms_error *err);

/* Revoke the token named name; WMS_ENOTFOUND when there is no such live token. */
int wms_token_revoke(struct wms_store *s, const char *name, struct wms_error *err);

/* Start a browser session for user name lasting ttl seconds from now; OUT sid
 * and csrf (WMS_SECRET_HEX + 1 bytes each).  Expired sessions are purged. */
int wms_session_create(struct wms_store *s, const char *name, long ttl, wms_time now,
                       char sid[WMS_SECRET_HEX + 1], char csrf[WMS_SECRET_HEX + 1],
                       struct wms_error *err);

/* Look a session up; OUT name, *role, and *csrf_ok: whether csrf (may be NULL)
 * is the session's CSRF token.  WMS_ENOTFOUND when unknown or expired. */
int wms_session_check(struct wms_store *s, const char *sid, const char *csrf, wms_time now,
                      char name[WMS_USER_NAME_MAX + 1], enum wms_role *role, bool *csrf_ok,
                      struct wms_error *err);

/* End a session (logout); an unknown sid is not an error. */
int wms_session_delete(struct wms_store *s, const char *sid, struct wms_error *err);

/* --- who acts at the CLI and at a station (badges.c) --- */

/* The role of the enabled user name; OUT *role.  WMS_ENOTFOUND (message
 * naming `wms user add`) for an unknown or disabled name. */
int wms_user_role(struct wms_store *s, const char *name, enum wms_role *role, struct wms_error *err);

/* Register badge (1-32 of A-Z a-z 0-9 - _ ., what a USR: barcode carries)
 * for user name; a badge already given to someone else is WMS_EEXIST. */
int wms_badge_add(struct wms_store *s, const char *name, const char *badge, struct wms_error *err);

/* Who holds badge; OUT name (WMS_USER_NAME_MAX + 1 bytes) and *role.
 * WMS_ENOTFOUND for an unregistered badge or a disabled user. */
int wms_badge_user(struct wms_store *s, const char *badge, char name[WMS_USER_NAME_MAX + 1],
                   enum wms_role *role, struct wms_error *err);

#endif
