/*
 * carrier_stub.c - a carrier's JSON API for courier_test.sh: serves
 * http_stub.h's well-behaved carrier on a free port of 127.0.0.1, writes the
 * port to PORTFILE once listening and one line per request received to
 * LOGFILE, and runs until SIGTERM or SIGINT.  With DOWNFILE, every request
 * gets 503 while that file exists (the carrier is down).
 * usage: carrier_stub PORTFILE LOGFILE [DOWNFILE]
 */
#include <signal.h>

#include "http_stub.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	struct stub s;
	FILE *port, *log;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: carrier_stub PORTFILE LOGFILE [DOWNFILE]\n");
		return 2;
	}
	if ((log = fopen(argv[2], "a")) == NULL || stub_start(&s) < 0) {
		fprintf(stderr, "carrier_stub: cannot start\n");
		return 1;
	}
	s.log = log;
	s.down_path = argc == 4 ? argv[3] : NULL;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if ((port = fopen(argv[1], "w")) == NULL)
		return 1;
	fprintf(port, "%u\n", (unsigned)s.port);
	fclose(port);
	while (!stop)
		pause();
	stub_stop(&s);
	fclose(log);
	return 0;
}
