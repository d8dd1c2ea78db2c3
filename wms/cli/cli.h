/*
 * cli.h - what the subcommands of `wms` share: the parsed command line, the
 * open store and configuration, and the output helpers.
 */
#ifndef WMS_CLI_H
#define WMS_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "wms_config.h"
#include "wms_error.h"
#include "wms_store.h"
#include "recon.h"
#include "printq_conf.h"
#include "courier_config.h"
#include "cli_i18n.h"

#define CLI_MAX_ARGS 8
#define CLI_MAX_OPTS 16

/* Exit codes (documented in `wms --help`). */
enum cli_exit {
	EXIT_OK_ = 0, EXIT_FAILURE_ = 1, EXIT_USAGE = 2, EXIT_INVALID = 3, EXIT_NOTFOUND = 4,
	EXIT_EXISTS = 5, EXIT_STATE = 6, EXIT_CONFIG = 7, EXIT_PERM = 8,
};

struct cli_opt {
	const char *name;       /* without the leading "--" */
	const char *value;      /* "" for a flag */
};

struct cli {
	const char *db_path;
	const char *config_path;
	bool json;
	const char *station, *actor, *at;
	unsigned role;               /* the actor's role bits, set with the store (cli_actor.c) */
	int n_args;
	const char *args[CLI_MAX_ARGS];
	int n_opts;
	struct cli_opt opts[CLI_MAX_OPTS];
	struct wms_config *cfg;
	struct wms_store *store;
	struct recon_config recon;   /* [reconditioning] of the config file (cmd_recon.c) */
	struct printq_conf printers; /* [printer NAME] and [labels] (cmd_print.c) */
	struct courier_config courier; /* [courier] and [carrier NAME] (cmd_courier.c) */
	int n_stations;              /* [station NAME] mode = ... (command sheets, cmd_print.c) */
	struct { char name[32], mode[16]; } stations[32];
};

struct cli_command {
	const char *name;        /* "order create" */
	int (*run)(struct cli *c, const struct cli_command *cmd, struct wms_error *err);
	const char *args;        /* positional arguments, e.g. "SERIAL" */
	const char *options;     /* space-separated option names it accepts */
	const char *help;        /* one line */
	int event;               /* device/order event type for the generic handlers, else -1 */
};

/* Resolve who acts (--actor or the OS user) and their role into c->actor and
 * c->role (cli_actor.c); cli_store() calls it once the store is open. */
int cli_actor(struct cli *c, struct wms_error *err);

/* The value of option name, or NULL when absent. */
const char *cli_opt(const struct cli *c, const char *name);

/* Load the configuration on first use (daemon-only sections are left to wmsd). */
int cli_config(struct cli *c, struct wms_error *err);

/* The database path: --db, else $WMS_DB, else [store] database. */
int cli_db_path(struct cli *c, const char **path, struct wms_error *err);

/* Open the store (and config) on first use; 0 or negative status.  Run as
 * root, a database it creates is given to the owner of its directory. */
int cli_store(struct cli *c, struct wms_error *err);

/* Print a read model: JSON with --json, else a readable table or list. */
void cli_print(const struct cli *c, json_t *value);

/*
 * Print a read model a query returned and release it; value NULL means the
 * query failed: its status (err->code, else WMS_EDB) comes back, else 0.
 */
int cli_show(const struct cli *c, json_t *value, struct wms_error *err);

/*
 * The printer of a label a command queues on the side (a consignment's
 * label, the recon tag): --printer, else the one with the kind's purpose at
 * --station, else none (*name NULL: the command goes on without a label).
 * (cmd_print.c)
 */
int cli_label_printer(struct cli *c, enum label_kind kind, const char **name,
                      struct wms_error *err);

/* Map a wms_status to an exit code. */
/* The lead-time rules of the configuration (calendars, cut-off, target) into o
 * (cmd_report.c); cli_store (or cli_config) must have succeeded. */
struct wms_leadtime_opts;
void cli_leadtime_rules(const struct cli *c, struct wms_leadtime_opts *o);

int cli_exit_code(int status);

/* Command tables of each file. */
/* wms COMMAND --help: usage, description, each option with its text, one example
 * (cli_help.c). */
void cli_help_command(FILE *f, const struct cli_command *cmd);
/* --name of command takes no value (its help row has no argument). */
bool cli_option_is_flag(const char *command, const char *name);

/* A long job's progress on stderr while the command runs, when it is a terminal
 * (cli_progress.c): start before the command, end after it. */
void cli_progress_start(const char *command);
void cli_progress_end(void);

extern const struct cli_command cli_ledger_commands[];
extern const struct cli_command cli_catalog_commands[];
extern const struct cli_command cli_report_commands[];
extern const struct cli_command cli_admin_commands[];
extern const struct cli_command cli_station_commands[];
extern const struct cli_command cli_user_commands[];
extern const struct cli_command cli_recon_commands[];
extern const struct cli_command cli_orders_commands[];
extern const struct cli_command cli_print_commands[];
extern const struct cli_command cli_scan_commands[];
extern const struct cli_command cli_courier_commands[];
extern const struct cli_command cli_depot_commands[];
extern const struct cli_command cli_supplier_commands[];

#endif
