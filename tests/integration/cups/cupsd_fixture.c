/*
 * cupsd_fixture.c - private cupsd + TCP sink for the CUPS integration test and bench.
 *
 * Runs as root (as CI does): cupsd drops filters to user lp, so the temp root
 * is made world-traversable and TempDir world-writable.  The policy in the
 * generated cupsd.conf allows every operation without authentication, so
 * lpadmin/cupsdisable need no certificates.
 */
#include "cupsd_fixture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* A listening socket on 127.0.0.1 at *port, or a kernel-chosen port when *port <= 0. */
static int listen_any(int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)(*port > 0 ? *port : 0));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) < 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

static int free_port(void)
{
	int port = -1, fd = listen_any(&port);

	if (fd < 0)
		return -1;
	close(fd);
	return port;
}

static int port_open(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), ok;

	if (fd < 0)
		return 0;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	close(fd);
	return ok;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -1;
}

static void *sink_main(void *arg)
{
	struct cupsd_fixture *fx = arg;

	while (!fx->sink_stop) {
		struct pollfd pfd = { .fd = fx->sink_fd, .events = POLLIN };
		unsigned char chunk[16384];
		int c;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		c = accept4(fx->sink_fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		for (;;) {
			ssize_t n;

			pfd.fd = c;
			if (poll(&pfd, 1, 100) == 0) {
				if (fx->sink_stop)
					break;
				continue;
			}
			n = read(c, chunk, sizeof chunk);
			if (n <= 0)
				break;
			pthread_mutex_lock(&fx->lock);
			if (fx->len + (size_t)n + 1 > fx->cap) {
				size_t ncap = (fx->len + (size_t)n + 1) * 2;
				unsigned char *g = realloc(fx->buf, ncap);

				if (g == NULL) {
					pthread_mutex_unlock(&fx->lock);
					break;
				}
				fx->buf = g;
				fx->cap = ncap;
			}
			memcpy(fx->buf + fx->len, chunk, (size_t)n);
			fx->len += (size_t)n;
			pthread_mutex_unlock(&fx->lock);
		}
		close(c);
		pthread_mutex_lock(&fx->lock);
		fx->connections++;
		pthread_mutex_unlock(&fx->lock);
	}
	return NULL;
}

static int spawn_cupsd(struct cupsd_fixture *fx);

int cupsd_fixture_run(struct cupsd_fixture *fx, const char *const argv[])
{
	char log[300];
	pid_t pid;
	int st;

	snprintf(log, sizeof log, "%s/log/commands", fx->dir);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int cupsd_fixture_start(struct cupsd_fixture *fx)
{
	static const char *const subdirs[] = { "root", "spool", "cache", "state", "tmp", "log" };
	char path[512], conf[4096];
	size_t i;

	memset(fx, 0, sizeof *fx);
	fx->sink_fd = -1;
	pthread_mutex_init(&fx->lock, NULL);
	snprintf(fx->dir, sizeof fx->dir, "%s/wms-cupsd-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(fx->dir) == NULL) {
		fprintf(stderr, "cupsd_fixture: mkdtemp: %s\n", strerror(errno));
		fx->dir[0] = '\0';
		return -1;
	}
	chmod(fx->dir, 0755);   /* filters run as lp */
	for (i = 0; i < sizeof subdirs / sizeof subdirs[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", fx->dir, subdirs[i]);
		if (mkdir(path, 0755) < 0)
			goto fail;
	}
	snprintf(path, sizeof path, "%s/tmp", fx->dir);
	chmod(path, 01777);

	fx->port = free_port();
	if (fx->port < 0)
		goto fail;
	snprintf(fx->server, sizeof fx->server, "127.0.0.1:%d", fx->port);
	snprintf(conf, sizeof conf,
		 "Listen 127.0.0.1:%d\n"
		 "Browsing Off\nWebInterface No\nLogLevel info\nDefaultAuthType None\n"
		 "PreserveJobHistory Yes\nMaxJobs 0\nMaxJobsPerPrinter 0\nMaxJobsPerUser 0\n"
		 "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
		 "<Policy default>\n"
		 "  JobPrivateAccess all\n  JobPrivateValues none\n"
		 "  SubscriptionPrivateAccess all\n  SubscriptionPrivateValues none\n"
		 "  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
		 fx->port);
	snprintf(path, sizeof path, "%s/root/cupsd.conf", fx->dir);
	if (write_file(path, conf) < 0)
		goto fail;
	snprintf(conf, sizeof conf,
		 "FileDevice Yes\nServerRoot %1$s/root\nRequestRoot %1$s/spool\n"
		 "CacheDir %1$s/cache\nStateDir %1$s/state\nTempDir %1$s/tmp\n"
		 "ServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
		 "ErrorLog %1$s/log/error_log\nAccessLog %1$s/log/access_log\n"
		 "PageLog %1$s/log/page_log\n",
		 fx->dir);
	snprintf(path, sizeof path, "%s/root/cups-files.conf", fx->dir);
	if (write_file(path, conf) < 0)
		goto fail;

	if (spawn_cupsd(fx) < 0)
		goto fail;
	setenv("CUPS_SERVER", fx->server, 1);

	fx->sink_fd = listen_any(&fx->sink_port);
	if (fx->sink_fd < 0)
		goto fail;
	if (pthread_create(&fx->sink_thread, NULL, sink_main, fx) != 0)
		goto fail;
	fx->sink_running = 1;
	return 0;
fail:
	fprintf(stderr, "cupsd_fixture: start failed: %s\n", strerror(errno));
	cupsd_fixture_stop(fx);
	return -1;
}

/* Start cupsd on the fixture's configuration and wait until its port answers; 0 or -1. */
static int spawn_cupsd(struct cupsd_fixture *fx)
{
	int waited;

	fx->pid = fork();
	if (fx->pid < 0) {
		fx->pid = 0;
		return -1;
	}
	if (fx->pid == 0) {
		char c1[512], c2[512], log[512];
		int fd;

		prctl(PR_SET_PDEATHSIG, SIGTERM);
		snprintf(c1, sizeof c1, "%s/root/cupsd.conf", fx->dir);
		snprintf(c2, sizeof c2, "%s/root/cups-files.conf", fx->dir);
		snprintf(log, sizeof log, "%s/log/cupsd.out", fx->dir);
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("cupsd", "cupsd", "-f", "-c", c1, "-s", c2, (char *)NULL);
		_exit(127);
	}
	for (waited = 0; !port_open(fx->port); waited += 50) {
		int st;

		if (waited > 15000 || waitpid(fx->pid, &st, WNOHANG) == fx->pid) {
			fprintf(stderr, "cupsd_fixture: cupsd did not come up (see %s/log)\n", fx->dir);
			if (waited <= 15000)
				fx->pid = 0;
			return -1;
		}
		sleep_ms(50);
	}
	return 0;
}

void cupsd_fixture_kill_cupsd(struct cupsd_fixture *fx)
{
	int st, i;

	if (fx->pid <= 0)
		return;
	kill(fx->pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		if (waitpid(fx->pid, &st, WNOHANG) == fx->pid)
			break;
		sleep_ms(50);
	}
	if (i == 100) {
		kill(fx->pid, SIGKILL);
		waitpid(fx->pid, &st, 0);
	}
	fx->pid = 0;
}

void cupsd_fixture_stop(struct cupsd_fixture *fx)
{
	cupsd_fixture_kill_cupsd(fx);
	if (fx->sink_running) {
		fx->sink_stop = 1;
		pthread_join(fx->sink_thread, NULL);
		fx->sink_running = 0;
	}
	if (fx->sink_fd >= 0)
		close(fx->sink_fd);
	fx->sink_fd = -1;
	free(fx->buf);
	fx->buf = NULL;
	fx->len = fx->cap = 0;
	if (fx->dir[0] != '\0' && getenv("WMS_KEEP_CUPSD") == NULL) {
		const char *const rm[] = { "rm", "-rf", "--", fx->dir, NULL };
		pid_t pid = fork();

		if (pid == 0) {
			execvp(rm[0], (char *const *)rm);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
		fx->dir[0] = '\0';
	}
}

void cupsd_fixture_sink_reset(struct cupsd_fixture *fx)
{
	pthread_mutex_lock(&fx->lock);
	fx->len = 0;
	fx->connections = 0;
	pthread_mutex_unlock(&fx->lock);
}

void cupsd_fixture_sink_take(struct cupsd_fixture *fx, unsigned char **out, size_t *len,
			     int *connections)
{
	pthread_mutex_lock(&fx->lock);
	*out = malloc(fx->len + 1);
	if (*out != NULL) {
		if (fx->len > 0)
			memcpy(*out, fx->buf, fx->len);
		(*out)[fx->len] = '\0';
	}
	*len = *out != NULL ? fx->len : 0;
	*connections = fx->connections;
	pthread_mutex_unlock(&fx->lock);
}

int cupsd_fixture_sink_wait(struct cupsd_fixture *fx, int connections, int ms)
{
	int waited, n;

	for (waited = 0;; waited += 20) {
		pthread_mutex_lock(&fx->lock);
		n = fx->connections;
		pthread_mutex_unlock(&fx->lock);
		if (n >= connections)
			return 0;
		if (waited >= ms)
			return -1;
		sleep_ms(20);
	}
}

int cupsd_fixture_restart_cupsd(struct cupsd_fixture *fx)
{
	if (fx->pid > 0 || fx->dir[0] == '\0')
		return -1;
	return spawn_cupsd(fx);
}

void cupsd_fixture_sink_off(struct cupsd_fixture *fx)
{
	if (fx->sink_running) {
		fx->sink_stop = 1;
		pthread_join(fx->sink_thread, NULL);
		fx->sink_running = 0;
		fx->sink_stop = 0;
	}
	if (fx->sink_fd >= 0)
		close(fx->sink_fd);
	fx->sink_fd = -1;
}

int cupsd_fixture_sink_on(struct cupsd_fixture *fx)
{
	if (fx->sink_running)
		return 0;
	fx->sink_fd = listen_any(&fx->sink_port);
	if (fx->sink_fd < 0 || pthread_create(&fx->sink_thread, NULL, sink_main, fx) != 0) {
		fprintf(stderr, "cupsd_fixture: sink on port %d: %s\n", fx->sink_port, strerror(errno));
		if (fx->sink_fd >= 0)
			close(fx->sink_fd);
		fx->sink_fd = -1;
		return -1;
	}
	fx->sink_running = 1;
	return 0;
}
