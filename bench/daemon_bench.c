/*
 * daemon_bench.c - how long wmsd takes to start and how much memory it
 * holds with a large store (default 1M devices), against plain SQLite
 * opening the same file and counting the devices in the same run.
 *
 * The store is filled through the ledger (receive + move per device, in
 * batches), then wmsd starts with 4 FIFO stations and NOTIFY_SOCKET set:
 * start-up time is exec to READY=1 (sd_notify, as systemd sees it); RSS is
 * VmRSS / VmHWM from /proc after READY and again after 1000 scans.
 * Baseline: `sqlite3 FILE "SELECT count(*) FROM devices"` as a process,
 * its wall time and peak RSS (getrusage of the child).
 *
 * usage: daemon_bench [--devices N] [--wmsd PATH] [--dir DIR]
 */
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_dir.h"
#include "bench_report.h"
#include "wms_catalog.h"
#include "wms_ledger.h"
#include "wms_rules.h"
#include "wms_store.h"

#define GTIN "09506000134352"
#define STATIONS 4
#define SCANS 1000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fill(const char *db, long n)
{
	struct wms_error err = { 0 };
	struct wms_store *s = NULL;
	struct wms_product p = { "BPM", "Blodtrycksmätare", "Blood-pressure monitor", "HoS", false };
	char serial[32];
	int rc;

	if ((rc = wms_store_open(db, NULL, &s, &err)) < 0 || (rc = wms_product_add(s, &p, &err)) < 0 ||
	    (rc = wms_product_add_gtin(s, "BPM", GTIN, &err)) < 0 ||
	    (rc = wms_location_add(s, "A-01", "Hylla A1", "shelf", NULL, NULL, &err)) < 0)
		goto out;
	for (long i = 0; i < n && rc == 0; i++) {
		struct wms_cmd rcv = { .role = WMS_ROLE_TRUSTED, .type = WMS_EV_RECEIVE, .serial = serial, .gtin = GTIN,
		                       .at = 1735714800 + i, .station = "bench", .actor = "bench" };
		struct wms_cmd mv = { .role = WMS_ROLE_TRUSTED, .type = WMS_EV_MOVE, .serial = serial, .location = "A-01",
		                      .at = 1735714800 + i, .station = "bench", .actor = "bench" };
		if (i % 10000 == 0 && (rc = wms_store_begin(s, &err)) < 0)
			break;
		snprintf(serial, sizeof serial, "D%08ld", i);
		if ((rc = wms_ledger_apply(s, &rcv, NULL, &err)) == 0)
			rc = wms_ledger_apply(s, &mv, NULL, &err);
		if (rc == 0 && (i % 10000 == 9999 || i == n - 1))
			rc = wms_store_commit(s, &err);
	}
out:
	if (rc < 0)
		fprintf(stderr, "daemon_bench: filling: %s\n", err.msg);
	wms_store_close(s);
	return rc;
}

/* kB of "VmRSS:" or "VmHWM:" in /proc/pid/status */
static long proc_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, key, strlen(key)) == 0)
			kb = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return kb;
}

static int wait_notify(int fd, const char *what, double timeout_s)
{
	double end = now_s() + timeout_s;
	char buf[4096];

	while (now_s() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((n = recv(fd, buf, sizeof buf - 1, 0)) <= 0)
			continue;
		buf[n] = '\0';
		if (strstr(buf, what))
			return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	long devices = 1000000;
	char wmsd[PATH_MAX], dir[PATH_MAX] = "", self[PATH_MAX], db[PATH_MAX + 16], conf[PATH_MAX + 16];
	bool made;
	char sock[PATH_MAX + 16], env[PATH_MAX + 32], fifo[STATIONS][PATH_MAX + 16];
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	double t0, fill_s, start_s, base_s;
	long rss_ready, rss_after, hwm_after;
	struct rusage ru;
	FILE *f;
	pid_t pid;
	int fd;

	snprintf(self, sizeof self, "%s", argv[0]);
	snprintf(wmsd, sizeof wmsd, "%s/wmsd", dirname(self));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--devices") == 0 && i + 1 < argc)
			devices = atol(argv[++i]);
		else if (strcmp(argv[i], "--wmsd") == 0 && i + 1 < argc)
			snprintf(wmsd, sizeof wmsd, "%s", argv[++i]);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			snprintf(dir, sizeof dir, "%s", argv[++i]);
		else {
			fprintf(stderr, "usage: daemon_bench [--devices N] [--wmsd PATH] [--dir DIR]\n");
			return 2;
		}
	}
	if (devices < 1) {
		fprintf(stderr, "daemon_bench: --devices >= 1\n");
		return 2;
	}
	made = bench_dir_make(dir, sizeof dir, "daemon_bench");
	snprintf(db, sizeof db, "%s/wms.db", dir);
	snprintf(conf, sizeof conf, "%s/wmsd.conf", dir);
	snprintf(sock, sizeof sock, "%s/notify", dir);
	printf("daemon_bench: %ld devices, data in %s\n", devices, dir);

	t0 = now_s();
	if (fill(db, devices) < 0)
		return 1;
	fill_s = now_s() - t0;

	if ((f = fopen(conf, "w")) == NULL)
		return 1;
	fprintf(f, "[store]\ndatabase = %s\n", db);
	for (int i = 0; i < STATIONS; i++) {
		snprintf(fifo[i], sizeof fifo[i], "%s/scan%d", dir, i);
		mkfifo(fifo[i], 0600);
		fprintf(f, "[station s%d]\nmode = receipt\nscanner = fifo:%s\n", i, fifo[i]);
	}
	fclose(f);
	if (strlen(sock) >= sizeof addr.sun_path) {
		fprintf(stderr, "daemon_bench: %s: too long for a socket path\n", sock);
		return 1;
	}
	memcpy(addr.sun_path, sock, strlen(sock) + 1);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("notify socket");
		return 1;
	}
	snprintf(env, sizeof env, "NOTIFY_SOCKET=%s", sock);
	t0 = now_s();
	if ((pid = fork()) == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		putenv(env);
		execl(wmsd, wmsd, "-c", conf, (char *)NULL);
		_exit(127);
	}
	if (wait_notify(fd, "READY=1", 120) < 0) {
		fprintf(stderr, "daemon_bench: no READY=1 from wmsd\n");
		kill(pid, SIGKILL);
		return 1;
	}
	start_s = now_s() - t0;
	rss_ready = proc_kb(pid, "VmRSS:");
	{
		int out = open(fifo[0], O_WRONLY);
		char line[128];
		for (int i = 0; i < SCANS && out >= 0; i++) {
			int len = snprintf(line, sizeof line, "]d201" GTIN "1730063021N%06d\n", i);
			if (write(out, line, (size_t)len) != len)
				break;
		}
		if (out >= 0)
			close(out);
		usleep(2000000);          /* let it work through them */
	}
	rss_after = proc_kb(pid, "VmRSS:");
	hwm_after = proc_kb(pid, "VmHWM:");
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);

	/* baseline: plain SQLite opens the same file and counts the devices */
	t0 = now_s();
	if ((pid = fork()) == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execlp("sqlite3", "sqlite3", db, "SELECT count(*) FROM devices", (char *)NULL);
		_exit(127);
	}
	wait4(pid, NULL, 0, &ru);
	base_s = now_s() - t0;

	printf("%-40s %12s %12s %8s\n", "figure", "wmsd", "sqlite3", "ratio");
	printf("%-40s %10.1f ms %10.1f ms %8.2f\n", "start-up (exec to READY=1 / to count)", start_s * 1e3,
	       base_s * 1e3, start_s / base_s);
	printf("%-40s %10.1f MB %10.1f MB %8.2f\n", "resident memory when ready (peak sqlite3)",
	       rss_ready / 1024.0, ru.ru_maxrss / 1024.0, (double)rss_ready / (double)ru.ru_maxrss);
	printf("%-40s %10.1f MB\n", "resident after 1000 scans", rss_after / 1024.0);
	printf("%-40s %10.1f MB\n", "peak resident (VmHWM)", hwm_after / 1024.0);
	printf("%-40s %10.1f s\n", "filling the store through the ledger", fill_s);
	{
		char name[64];
		snprintf(name, sizeof name, "wmsd start-up with %ld devices", devices);
		bench_figure(name, start_s * 1e3, base_s * 1e3, "ms",
		             "sqlite3 opening the file and counting devices");
	}
	bench_figure("wmsd resident memory when ready", rss_ready / 1024.0, ru.ru_maxrss / 1024.0, "MB",
	             "sqlite3 peak");
	bench_figure("wmsd peak resident after 1000 scans", hwm_after / 1024.0, 0, "MB", NULL);
	close(fd);
	unlink(sock);
	if (made)
		bench_dir_remove(dir);
	return 0;
}
