/*
 * cmd_user.c - who may use wmsd's HTTP API: `wms user add NAME --role R`
 * (the password comes from the first line of standard input or of
 * --password-file, never from the command line, where ps(1) would show it)
 * and `wms token create NAME --role R` for integrations (printed once),
 * `wms token revoke NAME`.
 */
#include "cli.h"

#include "wms_users.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The first line of f, without its line end, into buf; WMS_EINVAL if missing. */
static int read_password(FILE *f, const char *from, char *buf, size_t size, struct wms_error *err)
{
	size_t n;

	if (fgets(buf, (int)size, f) == NULL)
		return wms_error_set(err, WMS_EINVAL, "no password on %s: give it as the first line", from);
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n == size - 1)
		return wms_error_set(err, WMS_EINVAL, "password on %s longer than %d bytes", from,
		                     WMS_PASSWORD_MAX);
	buf[n] = '\0';
	return 0;
}

/* Managing users and tokens is the admin's (or the database file owner's, wms_rules.h). */
static int need_admin(struct cli *c, struct wms_error *err)
{
	if (c->role & (WMS_ROLE_ADMIN | WMS_ROLE_TRUSTED))
		return 0;
	return wms_error_set(err, WMS_EPERM, "%s (%s) may not manage users, badges or tokens; allowed: admin",
	                     c->actor, wms_role_name((enum wms_role)c->role));
}

static int user_add(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	char pw[WMS_PASSWORD_MAX + 2];
	const char *file = cli_opt(c, "password-file");
	enum wms_role role;
	FILE *f = stdin;
	int rc;

	if ((rc = wms_role_parse(cli_opt(c, "role"), &role, err)) < 0)
		return rc;
	if (file && (f = fopen(file, "r")) == NULL)
		return wms_error_set(err, WMS_EIO, "cannot read password file %s: %s", file,
		                     strerror(errno));
	rc = read_password(f, file ? file : "standard input", pw, sizeof pw, err);
	if (f != stdin)
		fclose(f);
	if (rc == 0 && (rc = cli_store(c, err)) == 0 && (rc = need_admin(c, err)) == 0 &&
	    (rc = wms_user_add(c->store, c->args[0], role, pw, err)) == 0)
		printf(_("user %s added with role %s\n"), c->args[0], wms_role_name(role));
	memset(pw, 0, sizeof pw);
	return rc;
}

static int token_create(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	char token[WMS_SECRET_HEX + 1];
	enum wms_role role;
	int rc;

	if ((rc = wms_role_parse(cli_opt(c, "role"), &role, err)) < 0 || (rc = cli_store(c, err)) < 0 ||
	    (rc = need_admin(c, err)) < 0 || (rc = wms_token_create(c->store, c->args[0], role, token, err)) < 0)
		return rc;
	if (c->json) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "name", c->args[0], "role", wms_role_name(role),
		                      "token", token);
		cli_print(c, o);
		json_decref(o);
	} else {
		printf("%s\n", token);
		fprintf(stderr, _("token %s created with role %s; it is shown only now: send it as "
		        "\"Authorization: Bearer TOKEN\"\n"), c->args[0], wms_role_name(role));
	}
	return 0;
}

static int user_badge(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc;

	if ((rc = cli_store(c, err)) < 0 || (rc = need_admin(c, err)) < 0 ||
	    (rc = wms_badge_add(c->store, c->args[0], c->args[1], err)) < 0)
		return rc;
	printf(_("badge %s signs in user %s at a station (scan USR:%s)\n"), c->args[1], c->args[0],
	       c->args[1]);
	return 0;
}

static int token_revoke(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	int rc;

	if ((rc = cli_store(c, err)) < 0 || (rc = need_admin(c, err)) < 0 || (rc = wms_token_revoke(c->store, c->args[0], err)) < 0)
		return rc;
	printf(_("token %s revoked\n"), c->args[0]);
	return 0;
}

const struct cli_command cli_user_commands[] = {
	{ "user add", user_add, "NAME", "role password-file",
	  "add a user of the HTTP API; role: " WMS_ROLES_ALLOWED "; password on stdin", -1 },
	{ "user badge", user_badge, "NAME BADGE", "",
	  N_("register a badge: scanning USR:BADGE at a station signs user NAME in"), -1 },
	{ "token create", token_create, "NAME", "role",
	  N_("create an API token for an integration (printed once); role as for users"), -1 },
	{ "token revoke", token_revoke, "NAME", "", N_("revoke an API token; its integration is refused from now on"),
	  -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
