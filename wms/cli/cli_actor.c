/*
 * cli_actor.c - who acts at the CLI.  The CLI has no login: it runs with the
 * permissions of the database file (root, or a member of the wmsd group),
 * and whoever may write that file may change anything in it.  So:
 *   --actor NAME   the event is NAME's, with NAME's role (a user of
 *                  `wms user add`; an unknown or disabled name is refused),
 *                  so a person's role is enforced as at every other door;
 *   no --actor     the OS user is recorded as the actor; when a wms user of
 *                  that name exists, that user's role applies, otherwise the
 *                  caller is the owner of the database file, acting for the
 *                  installation (WMS_ROLE_TRUSTED, wms_rules.h).
 */
#include "cli.h"

#include "wms_users.h"

#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

int cli_actor(struct cli *c, struct wms_error *err)
{
	static char os_user[64];
	enum wms_role role;
	int rc;

	if (c->actor) {
		if ((rc = wms_user_role(c->store, c->actor, &role, err)) < 0)
			return rc;
		c->role = role;
		return 0;
	}
	{
		struct passwd *pw = getpwuid(geteuid());
		if (pw && pw->pw_name && pw->pw_name[0])
			snprintf(os_user, sizeof os_user, "%s", pw->pw_name);
		else
			snprintf(os_user, sizeof os_user, "uid-%ld", (long)geteuid());
	}
	c->actor = os_user;
	rc = wms_user_role(c->store, os_user, &role, NULL);
	if (rc == WMS_EDB)
		return wms_user_role(c->store, os_user, &role, err);
	c->role = rc == 0 ? (unsigned)role : WMS_ROLE_TRUSTED;
	return 0;
}
