/*
 * serial_scanner_sim.c - plays a USB CDC ACM barcode scanner for a program
 * run under it (wmsd in serial_wmsd_test.sh):
 *
 *   serial_scanner_sim CMD_FIFO OUT_FILE -- PROGRAM [ARGS...]
 *
 * Starts a umockdev testbed with the scanner plugged in as /dev/ttyACM0
 * (acm_testbed.h), runs PROGRAM in it, then obeys one command per line
 * read from CMD_FIFO:
 *
 *   send BYTES        the scanner sends BYTES (C escapes: \r \x1d ...; no spaces)
 *   unplug            the scanner is pulled out
 *   plug TTY N        plugged in again as /dev/TTY behind USB port 1-N
 *
 * Every byte the program writes to the scanner (good/bad commands) is
 * appended to OUT_FILE.  When CMD_FIFO reaches end of input, PROGRAM gets
 * SIGTERM and this exits with its exit status.
 * Run with LD_PRELOAD=<tty_modem_shim>:libumockdev-preload.so.0.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acm_testbed.h"
#include "serial_options.h"

static void copy_out(int from, int out)
{
	unsigned char buf[256];
	ssize_t n;

	while ((n = read(from, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			fprintf(stderr, "serial_scanner_sim: write: %s\n", strerror(errno));
}

/* One command; 0, or -1 with a message on stderr. */
static int command(UMockdevTestbed *tb, struct acm_dev *acm, bool *plugged, char *line)
{
	static unsigned char bytes[4096];
	struct wms_error err = { 0 };
	char tty[16];
	size_t n;
	int port;

	if (strncmp(line, "send ", 5) == 0) {
		if (serial_options_bytes(line + 5, bytes, sizeof bytes, &n, &err) < 0) {
			fprintf(stderr, "serial_scanner_sim: send: %s\n", err.msg);
			return -1;
		}
		if (!*plugged || write(acm->master, bytes, n) != (ssize_t)n) {
			fprintf(stderr, "serial_scanner_sim: send: scanner not plugged in\n");
			return -1;
		}
		return 0;
	}
	if (strcmp(line, "unplug") == 0 && *plugged) {
		acm_unplug(tb, acm);
		*plugged = false;
		return 0;
	}
	if (sscanf(line, "plug %15s %d", tty, &port) == 2 && !*plugged) {
		if (acm_plug(tb, acm, tty, port) < 0)
			return -1;
		*plugged = true;
		return 0;
	}
	fprintf(stderr, "serial_scanner_sim: unknown or untimely command \"%.40s\"\n", line);
	return -1;
}

int main(int argc, char **argv)
{
	UMockdevTestbed *tb;
	struct acm_dev acm;
	bool plugged = false;
	int cmd = -1, out = -1, rc = 1, status;
	pid_t child = -1;
	static char line[8192];
	size_t have = 0;

	if (argc < 5 || strcmp(argv[3], "--") != 0) {
		fprintf(stderr, "usage: serial_scanner_sim CMD_FIFO OUT_FILE -- PROGRAM [ARGS...]\n");
		return 2;
	}
	tb = umockdev_testbed_new();
	if (tb == NULL || acm_plug(tb, &acm, "ttyACM0", 2) < 0)
		goto out;
	plugged = true;
	if ((out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		fprintf(stderr, "serial_scanner_sim: %s: %s\n", argv[2], strerror(errno));
		goto out;
	}
	if ((child = fork()) < 0)
		goto out;
	if (child == 0) {
		execvp(argv[4], argv + 4);
		fprintf(stderr, "serial_scanner_sim: %s: %s\n", argv[4], strerror(errno));
		_exit(127);
	}
	if ((cmd = open(argv[1], O_RDONLY | O_CLOEXEC)) < 0) {   /* waits for the script to open it */
		fprintf(stderr, "serial_scanner_sim: %s: %s\n", argv[1], strerror(errno));
		goto out;
	}
	for (;;) {
		struct pollfd p[2] = { { .fd = cmd, .events = POLLIN },
		                       { .fd = plugged ? acm.master : -1, .events = POLLIN } };
		char *nl;
		ssize_t n;

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			goto out;
		if (p[1].revents & POLLIN) {
			fcntl(acm.master, F_SETFL, fcntl(acm.master, F_GETFL) | O_NONBLOCK);
			copy_out(acm.master, out);
		}
		if (!(p[0].revents & (POLLIN | POLLHUP)))
			continue;
		if ((n = read(cmd, line + have, sizeof line - 1 - have)) <= 0)
			break;   /* the script closed the FIFO: done */
		have += (size_t)n;
		line[have] = '\0';
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			if (command(tb, &acm, &plugged, line) < 0)
				goto out;
			have -= (size_t)(nl + 1 - line);
			memmove(line, nl + 1, have + 1);
		}
		if (have == sizeof line - 1)
			goto out;   /* a line longer than the buffer */
	}
	if (plugged) {
		usleep(200 * 1000);   /* a last signal still on its way */
		fcntl(acm.master, F_SETFL, fcntl(acm.master, F_GETFL) | O_NONBLOCK);
		copy_out(acm.master, out);
	}
	rc = 0;
out:
	if (child > 0) {
		kill(child, SIGTERM);
		if (waitpid(child, &status, 0) == child && rc == 0)
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	if (cmd >= 0)
		close(cmd);
	if (out >= 0)
		close(out);
	return rc;
}
