/*
 * main.c - `wms`, the command-line door into the warehouse core: one
 * subcommand per user task.  Parses the command line against each command's
 * declared arguments and options, opens the store, runs the command and maps
 * its status to an exit code.  Messages go to stderr, results to stdout.
 */
#include "wms_rules.h"
#include "cli.h"

#include "wms_datadir.h"
#include "wms_depot.h"
#include "wms_time.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct cli_command *const tables[] = {
	cli_ledger_commands, cli_catalog_commands, cli_report_commands, cli_admin_commands,
	cli_station_commands, cli_user_commands,
	cli_recon_commands,
	cli_orders_commands,
	cli_print_commands,
	cli_supplier_commands,
	cli_scan_commands,
	cli_courier_commands,
	cli_depot_commands,
};

static const char global_help[] = N_(
	"usage: wms [--db FILE] [--config FILE] COMMAND [ARGS] [--json] [--help]\n"
	"       wms COMMAND --help    the command's options and an example\n"
	"       wms --commands        the command names, one a line\n"
	"\n"
	"Warehouse control for Hjälpmedelscentralen's digital assistive devices.\n"
	"The database is --db, else $WMS_DB, else [store] database of the config\n"
	"file (--config or $WMS_CONFIG), else ./wms.db.\n"
	"Device commands also take --at TIME (default now), --station NAME, --actor ID.\n"
	"\n"
	"Exit codes: 0 ok, 1 failure (database, I/O), 2 usage, 3 invalid input,\n"
	"4 not found, 5 already exists, 6 not allowed in the device's or order's state,\n"
	"7 configuration error, 8 not permitted for the actor's role.\n"
	"Without --actor the OS user is the actor: a wms user of that name acts with\n"
	"their role, anyone else as the owner of the database file (the CLI runs with\n"
	"its permissions: root or the wmsd group).  --actor NAME acts as that user.\n"
	"\n"
	"commands:\n");

const char *cli_opt(const struct cli *c, const char *name)
{
	for (int i = 0; i < c->n_opts; i++)
		if (strcmp(c->opts[i].name, name) == 0)
			return c->opts[i].value;
	return NULL;
}

int cli_exit_code(int status)
{
	switch (status) {
	case WMS_OK:        return EXIT_OK_;
	case WMS_EINVAL:    return EXIT_INVALID;
	case WMS_ENOTFOUND: return EXIT_NOTFOUND;
	case WMS_EEXIST:    return EXIT_EXISTS;
	case WMS_ESTATE:    return EXIT_STATE;
	case WMS_ECONFIG:   return EXIT_CONFIG;
	case WMS_EPERM:     return EXIT_PERM;
	default:            return EXIT_FAILURE_;
	}
}

/* The daemon's own sections of a shared wmsd.conf; wmsd -n validates them. */
static int daemon_section(void *ctx, const char *section, const char *key, const char *value,
                          struct wms_error *err)
{
	if (strncmp(section, "station ", 8) == 0) {
		struct cli *c = ctx;
		int i;
		for (i = 0; i < c->n_stations && strcmp(c->stations[i].name, section + 8) != 0; i++)
			;
		if (i == c->n_stations && c->n_stations < (int)(sizeof c->stations / sizeof c->stations[0]))
			snprintf(c->stations[c->n_stations++].name, sizeof c->stations[0].name, "%s", section + 8);
		if (i < c->n_stations && strcmp(key, "mode") == 0)
			snprintf(c->stations[i].mode, sizeof c->stations[i].mode, "%s", value);
		return 0;   /* wmsd -n checks the rest */
	}
	if (strcmp(section, "http") == 0 || strcmp(section, "central") == 0)
		return 0;
	if (strcmp(section, "reconditioning") == 0)
		return recon_config_key(&((struct cli *)ctx)->recon, key, value, err);
	if (printq_conf_owns(section))
		return printq_conf_section(&((struct cli *)ctx)->printers, section, key, value, err);
	if (courier_config_owns(section))
		return courier_config_key(&((struct cli *)ctx)->courier, section, key, value, err);
	return wms_error_set(err, WMS_ECONFIG, "unknown section [%s]; allowed: store, paths, calendar, "
	                     "leadtime, depot CODE, station NAME, http, reconditioning, "
	                     "printer NAME, labels, courier, carrier NAME, central", section);
}

int cli_config(struct cli *c, struct wms_error *err)
{
	int rc;

	if (c->cfg)
		return 0;
	if ((rc = wms_config_load(c->config_path, daemon_section, c, &c->cfg, err)) < 0)
		return rc;
	wms_rules_set_future_skew(c->cfg->future_skew);
	wms_paths_configure(c->cfg->data_dir, c->cfg->locale_dir);   /* [paths] */
	if (c->cfg->locale_dir[0])
		cli_i18n_init();
	return 0;
}

int cli_db_path(struct cli *c, const char **path, struct wms_error *err)
{
	int rc;

	*path = c->db_path;
	if ((rc = cli_config(c, err)) < 0)
		return rc;
	if (*path == NULL)
		*path = getenv("WMS_DB");
	if (*path == NULL || **path == '\0')
		*path = c->cfg->database;
	return 0;
}

/* root makes the database only for the owner of its directory: a database
 * root created in wmsd's /var/lib/wmsd would leave the daemon read-only.
 * The file and its -wal and -shm are given to the directory's owner and
 * group (nothing changes where root owns the directory). */
static int give_to_dir_owner(const char *path, struct wms_error *err)
{
	char copy[4096], side[4200];
	struct stat dir;

	snprintf(copy, sizeof copy, "%s", path);
	if (stat(dirname(copy), &dir) < 0 || dir.st_uid == 0)
		return 0;
	if (chown(path, dir.st_uid, dir.st_gid) < 0)
		return wms_error_set(err, WMS_EIO, "cannot give the new database %s to the owner of its "
		                     "directory (uid %ld): %s", path, (long)dir.st_uid, strerror(errno));
	snprintf(side, sizeof side, "%s-wal", path);
	(void)!chown(side, dir.st_uid, dir.st_gid);
	snprintf(side, sizeof side, "%s-shm", path);
	(void)!chown(side, dir.st_uid, dir.st_gid);
	return 0;
}

int cli_store(struct cli *c, struct wms_error *err)
{
	const char *path;
	struct stat st;
	bool is_new;
	int rc;

	if (c->store)
		return 0;
	if ((rc = cli_db_path(c, &path, err)) < 0)
		return rc;
	is_new = stat(path, &st) < 0 && errno == ENOENT;
	if ((rc = wms_store_open(path, NULL, &c->store, err)) < 0)
		return rc;
	if (wms_store_notice(c->store)[0])
		fprintf(stderr, "wms: %s\n", wms_store_notice(c->store));
	if (is_new && geteuid() == 0 && (rc = give_to_dir_owner(path, err)) < 0)
		return rc;
	/* the depots' calendars (and a [depot CODE] of the file that names none) */
	if ((rc = wms_depot_calendars(c->store, c->cfg, err)) < 0)
		return rc;
	return cli_actor(c, err);
}

static void list_commands(FILE *f)
{
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct cli_command *cmd = tables[t]; cmd->name; cmd++)
			fprintf(f, "  %-18s %s\n", cmd->name, _(cmd->help));
}

/* The command whose (one- or two-word) name matches argv; *used gets the words taken. */
static const struct cli_command *find_command(int argc, char **argv, int *used)
{
	char two[128];

	if (argc >= 2) {
		snprintf(two, sizeof two, "%s %s", argv[0], argv[1]);
		for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
			for (const struct cli_command *cmd = tables[t]; cmd->name; cmd++)
				if (strcmp(cmd->name, two) == 0) {
					*used = 2;
					return cmd;
				}
	}
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct cli_command *cmd = tables[t]; cmd->name; cmd++)
			if (strcmp(cmd->name, argv[0]) == 0) {
				*used = 1;
				return cmd;
			}
	return NULL;
}

static bool option_allowed(const struct cli_command *cmd, const char *name, bool device_cmd)
{
	size_t n = strlen(name);
	const char *p = cmd->options;

	if (device_cmd && (!strcmp(name, "at") || !strcmp(name, "station") || !strcmp(name, "actor")))
		return true;
	while ((p = strstr(p, name)) != NULL) {
		if ((p == cmd->options || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

static int parse_args(struct cli *c, const struct cli_command *cmd, int argc, char **argv,
                      struct wms_error *err)
{
	bool device_cmd = cmd->event >= 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) == 0 && a[2] != '\0') {
			char name[64];
			const char *eq = strchr(a + 2, '='), *value;
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), a + 2);
			if (!strcmp(name, "json")) { c->json = true; continue; }
			if (!strcmp(name, "help")) return 1;
			if (!option_allowed(cmd, name, device_cmd))
				return wms_error_set(err, WMS_EINVAL, "wms %s: unknown option --%s; allowed: %s%s",
				                     cmd->name, name, *cmd->options ? cmd->options : "none",
				                     device_cmd ? " at station actor" : "");
			if (cli_option_is_flag(cmd->name, name))
				value = "";
			else if (eq)
				value = eq + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else
				return wms_error_set(err, WMS_EINVAL, "wms %s: option --%s needs a value", cmd->name, name);
			if (c->n_opts == CLI_MAX_OPTS)
				return wms_error_set(err, WMS_EINVAL, "too many options");
			if (!strcmp(name, "at")) c->at = value;
			else if (!strcmp(name, "station")) c->station = value;
			else if (!strcmp(name, "actor")) c->actor = value;
			c->opts[c->n_opts].name = strndup(name, sizeof name);
			c->opts[c->n_opts++].value = value;
			continue;
		}
		if (c->n_args == CLI_MAX_ARGS)
			return wms_error_set(err, WMS_EINVAL, "too many arguments");
		c->args[c->n_args++] = a;
	}
	{
		int need = 0, optional = 0;
		for (const char *p = cmd->args; *p; p++)
			if (*p != ' ' && (p == cmd->args || p[-1] == ' '))
				*p == '[' ? optional++ : need++;
		if (c->n_args < need || c->n_args > need + optional)
			return wms_error_set(err, WMS_EINVAL, "wms %s: expected %s%s", cmd->name,
			                     *cmd->args ? cmd->args : _("no arguments"),
			                     c->n_args > need ? _(" (too many arguments)") : "");
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct wms_error err = { 0 };
	const struct cli_command *cmd;
	int i = 1, used = 0, rc;

	wms_store_process_init();   /* before SQLite's first use, as wmsd */
	cli_i18n_init();
	c.config_path = getenv("WMS_CONFIG");
	if (getenv("WMS_NOW")) {
		wms_time now;
		if (wms_time_parse(getenv("WMS_NOW"), &now, &err) < 0) {
			fprintf(stderr, _("wms: environment WMS_NOW: %s\n"), err.msg);
			return EXIT_CONFIG;
		}
	}
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			c.db_path = argv[++i];
		else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			c.config_path = argv[++i];
		else if (!strcmp(argv[i], "--help")) {
			fputs(_(global_help), stdout);
			list_commands(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--commands")) {
			for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
				for (const struct cli_command *k = tables[t]; k->name; k++)
					printf("%s\n", k->name);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("wms %s\n", WMS_VERSION);
			return 0;
		} else {
			fprintf(stderr, _("wms: unknown global option %s; allowed: --db FILE, --config FILE, --help\n"),
			        argv[i]);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		fputs(_(global_help), stderr);
		list_commands(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argc - i, argv + i, &used);
	if (cmd == NULL) {
		fprintf(stderr, _("wms: unknown command \"%s\"; see `wms --help`\n"), argv[i]);
		return EXIT_USAGE;
	}
	rc = parse_args(&c, cmd, argc - i - used, argv + i + used, &err);
	if (rc == 1) {
		cli_help_command(stdout, cmd);
		rc = 0;
		goto out;
	}
	if (rc < 0) {
		fprintf(stderr, "%s\n", err.msg);
		rc = EXIT_USAGE;
		goto out;
	}
	cli_progress_start(cmd->name);
	rc = cmd->run(&c, cmd, &err);
	cli_progress_end();
	if (rc < 0) {
		fprintf(stderr, "wms %s: %s\n", cmd->name, err.msg);
		rc = cli_exit_code(rc);
	}
out:
	for (int k = 0; k < c.n_opts; k++)
		free((char *)c.opts[k].name);
	wms_store_close(c.store);
	wms_config_free(c.cfg);
	return rc;
}
