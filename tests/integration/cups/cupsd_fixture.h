/*
 * cupsd_fixture.h - a private cupsd and a TCP "printer" for the CUPS test and bench.
 *
 * cupsd_fixture_start() makes a temp dir with its own ServerRoot, RequestRoot,
 * CacheDir, StateDir, TempDir and logs, writes a cupsd.conf that listens on
 * 127.0.0.1:<free port> with no authentication, starts `cupsd -f` (dying with
 * us through PR_SET_PDEATHSIG), waits until the port answers, and sets
 * CUPS_SERVER.  It also starts a sink: a thread that accepts TCP connections
 * on another free port (the socket:// device of a raw queue, like a Zebra's
 * port 9100) and keeps every byte received.
 *
 * Plain C, no cmocka: shared by tests/integration/cups and bench.  Failures
 * print to stderr and return -1.  cupsd_fixture_stop() kills cupsd, stops
 * the sink and removes the temp dir; it is idempotent and safe after a
 * partial start.
 */
#ifndef CUPSD_FIXTURE_H
#define CUPSD_FIXTURE_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>

struct cupsd_fixture {
	char dir[256];          /* temp root, "" once removed */
	char server[64];        /* "127.0.0.1:<port>" */
	int port;
	pid_t pid;              /* cupsd, 0 when not running */

	int sink_fd;            /* listening socket, -1 when off */
	int sink_port;
	pthread_t sink_thread;
	int sink_running;
	volatile int sink_stop;
	pthread_mutex_t lock;   /* guards buf, len, connections */
	unsigned char *buf;
	size_t len, cap;
	int connections;        /* connections that ended (EOF) */
};

int cupsd_fixture_start(struct cupsd_fixture *fx);
void cupsd_fixture_stop(struct cupsd_fixture *fx);

/* Kill cupsd only (SIGTERM, then SIGKILL after 5 s); the dir stays. */
void cupsd_fixture_kill_cupsd(struct cupsd_fixture *fx);

/* Start cupsd again (after cupsd_fixture_kill_cupsd, or a kill of fx->pid
 * that set it to 0) on the same configuration, spool and state; 0 or -1. */
int cupsd_fixture_restart_cupsd(struct cupsd_fixture *fx);

/* The printer switched off: the sink stops listening, so that connecting to
 * its port is refused (a connection in progress is finished first). */
void cupsd_fixture_sink_off(struct cupsd_fixture *fx);
/* ... and on again, on the same port; 0 or -1. */
int cupsd_fixture_sink_on(struct cupsd_fixture *fx);

/* Run argv (argv[0] looked up in PATH), output to the fixture's log; exit status or -1. */
int cupsd_fixture_run(struct cupsd_fixture *fx, const char *const argv[]);

/* Forget what the sink has received. */
void cupsd_fixture_sink_reset(struct cupsd_fixture *fx);

/*
 * Copy of the bytes received so far (*out malloc'd, caller frees; NUL added
 * after *len bytes) and the number of finished connections.
 */
void cupsd_fixture_sink_take(struct cupsd_fixture *fx, unsigned char **out, size_t *len,
			     int *connections);

/* Wait until the sink has seen `connections` finished connections or ms pass; 0 or -1. */
int cupsd_fixture_sink_wait(struct cupsd_fixture *fx, int connections, int ms);

#endif
