/*
 * cli_progress.c - a long job's progress on the terminal: "wms order import:
 * 42%" rewritten in place on stderr, only when stderr is a terminal (never in
 * a pipe, a log or a test's capture), redrawn when the percentage changes,
 * and wiped when the job reports it is done (before the command prints its
 * result), or at the latest when the command ends.
 */
#include "cli.h"

#include "wms_progress.h"

#include <stdio.h>
#include <unistd.h>

static const char *label;
static int shown = -1;   /* the percentage on the terminal, -1 = nothing */

static void wipe(void)
{
	if (shown >= 0)
		fputs("\r\033[K", stderr);
	shown = -1;
}

static void draw(long long done, long long total)
{
	int pct = (int)(done * 100 / total);

	if (done >= total) {
		wipe();
		return;
	}
	if (pct == shown)
		return;
	shown = pct;
	fprintf(stderr, "\r%s: %3d%%", label, pct);
	fflush(stderr);
}

void cli_progress_start(const char *command)
{
	static char text[96];

	if (!isatty(STDERR_FILENO))
		return;
	snprintf(text, sizeof text, "wms %s", command);
	label = text;
	wms_progress_watch(draw);
}

void cli_progress_end(void)
{
	wms_progress_watch(NULL);
	wipe();
}
