/*
 * cupsd_up.c - the private cupsd of cupsd_fixture.c for shell tests: starts
 * cupsd and the TCP sink, adds a raw queue "raw" (socket:// to the sink,
 * like a Zebra's port 9100), writes "SERVER" (127.0.0.1:port) to INFOFILE
 * once ready, then copies every byte the sink received to SINKFILE (replaced
 * atomically, every 100 ms) until SIGTERM or SIGINT, and stops everything.
 * usage: cupsd_up INFOFILE SINKFILE
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cupsd_fixture.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Write len bytes to path through path.tmp and rename(); 0 or -1. */
static int write_file(const char *path, const unsigned char *buf, size_t len)
{
	char tmp[4200];
	FILE *f;
	int ok;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "wb")) == NULL)
		return -1;
	ok = fwrite(buf, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	return ok && rename(tmp, path) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	static struct cupsd_fixture fx;
	struct timespec step = { 0, 100 * 1000000L };
	char sink[128];
	size_t last = (size_t)-1;
	int rc = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: cupsd_up INFOFILE SINKFILE\n");
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (cupsd_fixture_start(&fx) < 0)
		goto out;
	snprintf(sink, sizeof sink, "socket://127.0.0.1:%d", fx.sink_port);
	{
		const char *const raw[] = { "lpadmin", "-h", fx.server, "-p", "raw", "-E", "-v", sink,
		                            NULL };
		if (cupsd_fixture_run(&fx, raw) != 0) {
			fprintf(stderr, "cupsd_up: lpadmin failed\n");
			goto out;
		}
	}
	if (write_file(argv[2], (const unsigned char *)"", 0) < 0 ||
	    write_file(argv[1], (const unsigned char *)fx.server, strlen(fx.server)) < 0) {
		fprintf(stderr, "cupsd_up: cannot write %s or %s\n", argv[1], argv[2]);
		goto out;
	}
	while (!stop) {
		unsigned char *buf = NULL;
		size_t len = 0;
		int conns = 0;

		cupsd_fixture_sink_take(&fx, &buf, &len, &conns);
		if (len != last && write_file(argv[2], buf, len) == 0)
			last = len;
		free(buf);
		nanosleep(&step, NULL);
	}
	rc = 0;
out:
	cupsd_fixture_stop(&fx);
	return rc;
}
