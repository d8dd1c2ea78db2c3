/*
 * bench_wmsd.c - start and stop a real wmsd for the HTTP benchmarks
 * (bench_wmsd.h).  The port comes from its log line "http: listening on
 * 127.0.0.1:PORT" (the configuration asks for port 0: any free one).
 */
#include "bench_wmsd.h"

#include "bench_http.h"

#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void bench_wmsd_path(const char *argv0, char *out, size_t size)
{
	char self[PATH_MAX];

	snprintf(self, sizeof self, "%s", argv0);
	snprintf(out, size, "%s/wmsd", dirname(self));
}

/* The port of "http: listening on 127.0.0.1:PORT" in the log, or 0. */
static int logged_port(const char *log)
{
	char line[512];
	const char *p;
	int port = 0;
	FILE *f = fopen(log, "r");

	if (f == NULL)
		return 0;
	while (port == 0 && fgets(line, sizeof line, f))
		if ((p = strstr(line, "http: listening on 127.0.0.1:")) != NULL)
			port = atoi(p + strlen("http: listening on 127.0.0.1:"));
	fclose(f);
	return port;
}

int bench_wmsd_start(const char *wmsd, const char *dir, const char *db, const char *extra,
                     struct bench_wmsd *w)
{
	char conf[PATH_MAX + 16];
	FILE *f;

	*w = (struct bench_wmsd){ .pid = -1 };
	snprintf(conf, sizeof conf, "%s/wmsd.conf", dir);
	snprintf(w->log, sizeof w->log, "%s/wmsd.log", dir);
	if ((f = fopen(conf, "w")) == NULL) {
		perror(conf);
		return -1;
	}
	fprintf(f, "[store]\ndatabase = %s\n[http]\nlisten = 127.0.0.1:0\n%s", db, extra ? extra : "");
	if (fclose(f) != 0) {
		perror(conf);
		return -1;
	}
	unlink(w->log);
	w->started = bench_now();
	if ((w->pid = fork()) < 0) {
		perror("fork");
		return -1;
	}
	if (w->pid == 0) {
		int fd = open(w->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0)
			dup2(fd, 2);
		unsetenv("NOTIFY_SOCKET");
		execl(wmsd, wmsd, "-d", "-c", conf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 1200 && w->port == 0; i++) {
		if (waitpid(w->pid, NULL, WNOHANG) == w->pid) {
			fprintf(stderr, "bench: %s exited at start-up, see %s\n", wmsd, w->log);
			w->pid = -1;
			return -1;
		}
		usleep(100000);
		w->port = logged_port(w->log);
	}
	if (w->port == 0) {
		fprintf(stderr, "bench: wmsd did not listen within 120 s, see %s\n", w->log);
		bench_wmsd_stop(w);
		return -1;
	}
	return 0;
}

void bench_wmsd_stop(struct bench_wmsd *w)
{
	if (w->pid <= 0)
		return;
	kill(w->pid, SIGTERM);
	for (int i = 0; i < 300 && waitpid(w->pid, NULL, WNOHANG) == 0; i++)
		usleep(100000);
	if (kill(w->pid, 0) == 0) {
		fprintf(stderr, "bench: wmsd did not stop within 30 s of SIGTERM; killed\n");
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
	}
	w->pid = -1;
}
