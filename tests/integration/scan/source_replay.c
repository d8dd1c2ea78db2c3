/*
 * source_replay.c - test driver: open a scanner source by its "KIND:SPEC"
 * as wmsd does (scan_source_find, check, open), poll it the way the daemon
 * does, and print one line per scan until COUNT scans or TIMEOUT_MS without
 * input:
 *
 *   scan <kind> "<bytes, quoted>"          a good frame, with scan_interpret()'s kind
 *   fault "<bytes, quoted>" <why>          a frame the source marked unusable
 *
 * Exit status: 0 after COUNT scans, 1 when fewer came, and when opening
 * failed 4 (WMS_ENOTFOUND), 7 (WMS_ECONFIG) or 5 (anything else), with the
 * message on stderr.
 * usage: source_replay KIND:SPEC COUNT [TIMEOUT_MS]
 * SOURCE_REPLAY_SYMBOLS=N|all: a station's `symbols` key, handed to a
 * source that decodes images (set_symbols) as wmsd does.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barcode.h"
#include "scan_source.h"

static int seen;

static void on_scan(void *ctx, const struct scan *s)
{
	char q[4 * 80 + 8];
	struct scan_result *r = malloc(sizeof *r);
	struct scan_options opt = { .ref_year = 2025 };

	(void)ctx;
	wms_quote(q, sizeof q, (const char *)s->bytes, s->len, 80);
	if (s->fault)
		printf("fault \"%s\" %s\n", q, s->fault);
	else if (r && scan_interpret(s->bytes, s->len, &opt, r, NULL) == 0)
		printf("scan %s \"%s\"\n", scan_kind_name(r->kind), q);
	else
		printf("scan refused \"%s\"\n", q);
	fflush(stdout);
	free(r);
	seen++;
}

int main(int argc, char **argv)
{
	struct wms_error err = { 0 };
	const struct scan_source_ops *ops;
	struct scan_source *src = NULL;
	const char *spec, *symbols = getenv("SOURCE_REPLAY_SYMBOLS");
	int want, timeout;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: source_replay KIND:SPEC COUNT [TIMEOUT_MS]\n");
		return 2;
	}
	want = atoi(argv[2]);
	timeout = argc == 4 ? atoi(argv[3]) : 2000;
	if ((ops = scan_source_find(argv[1], &spec, &err)) == NULL || ops->check(spec, &err) < 0 ||
	    ops->open(spec, "test", &src, &err) < 0 ||
	    (symbols && ops->set_symbols &&
	     ops->set_symbols(src, strcmp(symbols, "all") == 0 ? 0 : atoi(symbols), &err) < 0)) {
		fprintf(stderr, "source_replay: %s\n", err.msg);
		ops->close(src);
		return err.code == WMS_ENOTFOUND ? 4 : err.code == WMS_ECONFIG ? 7 : 5;
	}
	while (seen < want) {
		struct pollfd fds[SCAN_SOURCE_MAX_FDS];
		int n = ops->pollfds(src, fds, SCAN_SOURCE_MAX_FDS), r;
		short revents = 0;

		r = poll(fds, (nfds_t)n, timeout);
		if (r == 0)
			break;
		for (int i = 0; i < n; i++)
			revents |= fds[i].revents;
		if (ops->dispatch(src, revents, on_scan, NULL, &err) < 0) {
			printf("gone %s\n", err.msg);
			break;
		}
	}
	ops->close(src);
	return seen >= want ? 0 : 1;
}
