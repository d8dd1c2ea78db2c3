/*
 * cmd_station.c - `wms station NAME`: what a scanner station's screen shows:
 * its header (mode, signed-in user, what waits for the next scan, as wmsd
 * last recorded it, in the station's language like the rest of its screen) and the outcome of each scan (ok / warning / failed /
 * refused and why), newest last; --follow keeps printing new lines, with
 * the header again when it changed, as wmsd handles scans, until
 * interrupted.  --json prints the lines only.
 */
#include "cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wms_query.h"
#include "wms_time.h"

#define FOLLOW_POLL_MS 200

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Print the lines; returns the last journal id printed (or after). */
static long long print_lines(const struct cli *c, json_t *lines, long long after)
{
	size_t i;
	json_t *row;

	json_array_foreach(lines, i, row) {
		char when[32];
		after = json_integer_value(json_object_get(row, "id"));
		if (c->json) {
			char *s = json_dumps(row, JSON_COMPACT);
			if (s)
				printf("%s\n", s);
			free(s);
			continue;
		}
		wms_time_format((wms_time)json_integer_value(json_object_get(row, "ts")), when);
		/* HH:MM:SS of "YYYY-MM-DDTHH:MM:SS+01:00": a screen line, not a record */
		printf("%.8s  %s\n", when + 11, json_string_value(json_object_get(row, "result")));
	}
	fflush(stdout);
	return after;
}

/* The header line, when it differs from *last (OUT: the new one, caller frees). */
static void print_header(const struct cli *c, const char *name, char **last)
{
	struct wms_error err = { 0 };
	json_t *h = wms_station_state(c->store, name, &err);
	const char *actor, *pending;
	char line[1024];

	if (h == NULL) {
		snprintf(line, sizeof line, _("station %s: no header: %s"), name, err.msg);
	} else {
		/* the station's screen, so in the station's language, as wmsd wrote
		 * what waits */
		struct cli_lang_saved lang =
			cli_i18n_enter(json_string_value(json_object_get(h, "language")));
		actor = json_string_value(json_object_get(h, "actor"));
		pending = json_string_value(json_object_get(h, "pending"));
		snprintf(line, sizeof line, _("station %s | mode: %s | signed in: %s | waiting for: %s"), name,
		         wms_tr(json_string_value(json_object_get(h, "mode"))), actor ? actor : _("nobody"),
		         pending && pending[0] ? pending : _("nothing: scan a device"));
		cli_i18n_leave(lang);
	}
	json_decref(h);
	if (*last && strcmp(*last, line) == 0)
		return;
	printf("%s\n", line);
	free(*last);
	*last = strdup(line);
}

static int station(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	const char *v = cli_opt(c, "lines");
	long limit = 20;
	long long last = 0;
	json_t *lines;
	char *header = NULL;
	int rc;

	(void)cmd;
	if (v && (rc = wms_parse_int(v, 1, 10000, &limit, err)) < 0)
		return wms_error_set(err, WMS_EINVAL, "--lines: %s", err->msg);
	if ((rc = cli_store(c, err)) < 0)
		return rc;
	if ((lines = wms_station_lines(c->store, c->args[0], 0, (int)limit, err)) == NULL)
		return err->code ? err->code : WMS_EDB;
	if (!c->json)
		print_header(c, c->args[0], &header);
	last = print_lines(c, lines, last);
	json_decref(lines);
	if (cli_opt(c, "follow") == NULL) {
		free(header);
		return 0;
	}
	signal(SIGINT, on_interrupt);
	signal(SIGTERM, on_interrupt);
	while (!interrupted) {
		struct timespec nap = { 0, FOLLOW_POLL_MS * 1000000L };
		nanosleep(&nap, NULL);
		if ((lines = wms_station_lines(c->store, c->args[0], last, 1000, err)) == NULL) {
			free(header);
			return err->code ? err->code : WMS_EDB;
		}
		last = print_lines(c, lines, last);
		if (!c->json && json_array_size(lines) > 0)
			print_header(c, c->args[0], &header);
		json_decref(lines);
	}
	free(header);
	return 0;
}

const struct cli_command cli_station_commands[] = {
	{ "station", station, "NAME", "lines follow",
	  N_("a scanner station's screen: its mode, user and what it waits for, and the outcome of its last scans (--follow: keep watching)"), -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
