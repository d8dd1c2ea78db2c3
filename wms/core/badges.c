/*
 * badges.c - who acts at the doors that have no login: the role of a user
 * named on the CLI (--actor), and the badges (USR: barcodes) that sign a
 * user in at a scanning station (see wms_users.h).
 */
#include "wms_users.h"
#include "wms_catalog_central.h"

#include "store_sql.h"

#include <stdio.h>
#include <string.h>

static bool badge_ok(const char *b)
{
	size_t n = b ? strlen(b) : 0;

	return n >= 1 && n <= 32 &&
	       strspn(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") == n;
}

/* One user (enabled) by a text key; OUT name and role.  0, or WMS_ENOTFOUND with err untouched. */
static int user_row(struct wms_store *s, const char *sql, const char *key, char *name,
                    enum wms_role *role, struct wms_error *err)
{
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, key, 0, &st, "looking up a user", err);

	if (rc <= 0)
		return rc < 0 ? rc : WMS_ENOTFOUND;
	*role = WMS_ROLE_NONE;
	wms_role_parse((const char *)sqlite3_column_text(st, 1), role, NULL);
	if (name)
		snprintf(name, WMS_USER_NAME_MAX + 1, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

int wms_user_role(struct wms_store *s, const char *name, enum wms_role *role, struct wms_error *err)
{
	static const char sql[] = "SELECT name, role FROM users WHERE name = ?1 AND disabled = 0";
	char q[80];
	int rc;

	*role = WMS_ROLE_NONE;
	rc = user_row(s, sql, name ? name : "", NULL, role, err);
	if (rc == WMS_ENOTFOUND)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown user \"%s\": the actor must be a user "
		                     "registered with `wms user add NAME --role ROLE`",
		                     wms_quote(q, sizeof q, name ? name : "", name ? strlen(name) : 0, 32));
	return rc;
}

int wms_badge_add(struct wms_store *s, const char *name, const char *badge, struct wms_error *err)
{
	static const char ins[] =
		"INSERT INTO user_badges(badge, user_id, created_ts)"
		" SELECT ?1, id, ?3 FROM users WHERE name = ?2"
		" ON CONFLICT(badge) DO UPDATE SET user_id = excluded.user_id WHERE user_id = excluded.user_id";
	static const char owner[] =
		"SELECT u.name FROM user_badges b JOIN users u ON u.id = b.user_id WHERE b.badge = ?1";
	enum wms_role role;
	sqlite3_stmt *st;
	int rc;

	if (!badge_ok(badge))
		return wms_error_set(err, WMS_EINVAL, "bad badge: 1-32 of A-Z a-z 0-9 - _ . (what its USR: "
		                     "barcode carries after USR:)");
	if ((rc = wms_user_role(s, name, &role, err)) < 0 || (rc = wms_catalog_local_only(s, "user", name, err)) < 0)
		return rc;
	rc = wms_store_row(s, owner, badge, 0, &st, "looking up the badge", err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		bool same = strcmp((const char *)sqlite3_column_text(st, 0), name) == 0;
		sqlite3_reset(st);
		return same ? 0 : wms_error_set(err, WMS_EEXIST, "badge %s is already another user's", badge);
	}
	if ((st = wms_store_stmt(s, ins, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, badge, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, wms_now());
	return wms_store_step_done(s, st, "registering the badge", err);
}

int wms_badge_user(struct wms_store *s, const char *badge, char name[WMS_USER_NAME_MAX + 1],
                   enum wms_role *role, struct wms_error *err)
{
	static const char sql[] =
		"SELECT u.name, u.role FROM user_badges b JOIN users u ON u.id = b.user_id"
		" WHERE b.badge = ?1 AND u.disabled = 0";
	int rc;

	*role = WMS_ROLE_NONE;
	name[0] = '\0';
	rc = user_row(s, sql, badge ? badge : "", name, role, err);
	if (rc == WMS_ENOTFOUND)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown badge: register it with `wms user badge "
		                     "NAME BADGE`");
	return rc;
}
