/*
 * scan_bench.c - scans per second end to end through a real wmsd, and the
 * scan-to-acknowledge latency an operator feels, against plain SQLite
 * writing the same rows with the same durability in the same run.
 *
 * wmsd runs with N receipt stations, each a FIFO scanner with an ack pipe
 * (scanners/source_fifo.c).  One thread per station plays a scanner: it
 * writes a GS1 DataMatrix UDI with a new serial, waits for the "ok" line,
 * and repeats.  A scan's path in wmsd is: journal row (durable commit),
 * interpretation, the receive command and the journal outcome (second
 * durable commit), then the acknowledgement.
 *
 * Baseline: one connection, WAL, synchronous=FULL, per scan the same two
 * commits of plain prepared statements: INSERT the raw scan; INSERT an
 * event row + UPDATE the scan's outcome.
 *
 * Two more modes (issue 16):
 *   pipelined   every station writes its scans without waiting for acks
 *               (a second thread reads them): scans acknowledged per second,
 *               against a batched raw SQLite insert of the rows that run
 *               left (scan_rows.c: journal row, event with payload and hash,
 *               device, outcome, into the real schema with its indexes and
 *               triggers; one durable commit per BATCH scans); two more
 *               figures against the same rows with each journal row written
 *               whole (one INSERT with its outcome, no UPDATE: the strictest
 *               reading), and against the older, narrower baseline (three
 *               narrow rows per scan into two index-less tables, run_batched);
 *   open loop   8 stations send at a fixed total rate (--rate, 500/s) for
 *               --seconds; latency is from each scan's scheduled send time
 *               to its ack (so a stall counts for every scan it delays).
 *
 * On a shared machine the rates say as much about the other processes as
 * about wmsd, so the pipelined run also reports scans per CPU-second: the
 * CPU time wmsd used from its first scan to its last ack (/proc/PID/stat),
 * against the CPU time of the batched raw insert (its thread's clock).
 *
 * usage: scan_bench [--stations N] [--scans M] [--rate R] [--seconds S]
 *                   [--wmsd PATH] [--dir DIR]
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_report.h"
#include "scan_rows.h"
#include "wms_store.h"

#define GTIN "09506000134352"

struct scanner {
	int index, scans;
	char fifo[PATH_MAX], ack[PATH_MAX];
	double *lat;                 /* seconds, one per scan */
	int failed;
	int mode;                    /* MODE_CLOSED, MODE_PIPELINED, MODE_OPEN */
	double t0, period;           /* open loop: scan i is due at t0 + i * period */
	double *sent;                /* when scan i was due (open) or written */
};

enum { MODE_CLOSED, MODE_PIPELINED, MODE_OPEN };
#define BATCH 256
/* the pipelined figures' baselines (scan_rows.c; run_batched) */
#define ROWS_BASE "raw SQLite insert of wmsd's own rows (journal, event with hash, device, outcome) into the real schema"
#define NARROW_BASE "raw SQLite insert of three narrow rows into two index-less tables"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
static double pct(const double *v, long n, double p)
{
	long k = (long)(p / 100.0 * (double)n + 0.999999);

	return v[k < 1 ? 0 : k > n ? n - 1 : k - 1];
}

static void udi(char *buf, size_t size, int station, int i)
{
	snprintf(buf, size, "]d201" GTIN "17300630" "21B%02d-%06d\x1d" "10LOT%d\n", station, i, station);
}

static void *play_scanner(void *arg)
{
	struct scanner *sc = arg;
	char line[128], ack[16];
	int in = open(sc->ack, O_RDWR | O_CLOEXEC);   /* RDWR: never blocks, never EOF */
	int out = open(sc->fifo, O_WRONLY | O_CLOEXEC);

	if (in < 0 || out < 0) {
		perror("scanner pipes");
		sc->failed = sc->scans;
		goto out;
	}
	for (int i = 0; i < sc->scans; i++) {
		size_t got = 0;
		double t0;
		udi(line, sizeof line, sc->index, i);
		t0 = now_s();
		if (write(out, line, strlen(line)) != (ssize_t)strlen(line)) {
			sc->failed++;
			continue;
		}
		while (got < sizeof ack - 1) {
			ssize_t n = read(in, ack + got, 1);
			if (n <= 0)
				break;
			if (ack[got++] == '\n')
				break;
		}
		ack[got] = '\0';
		sc->lat[i] = now_s() - t0;
		if (strcmp(ack, "ok\n") != 0)
			sc->failed++;
	}
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return NULL;
}

static void sleep_until(double t)
{
	double d = t - now_s();

	if (d > 0) {
		struct timespec ts = { (time_t)d, (long)((d - (double)(time_t)d) * 1e9) };
		nanosleep(&ts, NULL);
	}
}

/* The reading half of a pipelined or open-loop scanner: one ack per scan, in order. */
static void *read_acks(void *arg)
{
	struct scanner *sc = arg;
	int in = open(sc->ack, O_RDWR | O_CLOEXEC);
	char buf[4096];
	size_t have = 0;
	int i = 0;

	if (in < 0) {
		sc->failed = sc->scans;
		return NULL;
	}
	while (i < sc->scans) {
		ssize_t n = read(in, buf + have, sizeof buf - have);
		size_t start = 0;
		double t;
		if (n <= 0)
			break;
		t = now_s();
		have += (size_t)n;
		for (size_t k = 0; k < have && i < sc->scans; k++) {
			if (buf[k] != '\n')
				continue;
			if (k - start != 2 || memcmp(buf + start, "ok", 2) != 0)
				sc->failed++;
			sc->lat[i] = t - sc->sent[i];
			i++;
			start = k + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
	}
	close(in);
	return NULL;
}

/* The writing half: every scan at once (pipelined) or at its due time (open loop). */
static void *write_scans(void *arg)
{
	struct scanner *sc = arg;
	int out = open(sc->fifo, O_WRONLY | O_CLOEXEC);
	char line[128];

	if (out < 0) {
		sc->failed = sc->scans;
		return NULL;
	}
	for (int i = 0; i < sc->scans; i++) {
		udi(line, sizeof line, sc->index, i);
		if (sc->mode == MODE_OPEN) {
			sc->sent[i] = sc->t0 + i * sc->period;
			sleep_until(sc->sent[i]);
		} else {
			sc->sent[i] = now_s();
		}
		if (write(out, line, strlen(line)) != (ssize_t)strlen(line))
			sc->failed++;
	}
	close(out);
	return NULL;
}

/* CPU seconds (user + system) pid has used so far, or -1. */
static double cpu_of(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* after "(comm)": state is field 3, utime 14 and stime 15 */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool log_has(const char *path, const char *what)
{
	char buf[8192];
	FILE *f = fopen(path, "r");
	bool found = false;

	if (f == NULL)
		return false;
	while (!found && fgets(buf, sizeof buf, f))
		found = strstr(buf, what) != NULL;
	fclose(f);
	return found;
}

/* Run wmsd with n stations and n scanner threads (two each unless closed
 * loop); fills lat[n*m].  rate: open loop, scans per second in all.  OUT
 * *cpu (when not NULL): wmsd's CPU seconds from the first scan to the last
 * ack, or -1. */
static int run_wmsd(const char *wmsd, const char *dir, int mode, double rate, int n, int m,
                    double *lat, double *secs, double *cpu)
{
	char conf[PATH_MAX], log[PATH_MAX], db[PATH_MAX];
	struct scanner *sc = calloc((size_t)n, sizeof *sc);
	pthread_t *th = calloc((size_t)n, sizeof *th);
	FILE *f;
	pid_t pid;
	int failed = 0;
	double t0;

	pthread_t *th2 = calloc((size_t)n, sizeof *th2);
	double *sent = calloc((size_t)n * (size_t)m, sizeof *sent);

	if (th2 == NULL || sent == NULL)
		return -1;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	snprintf(conf, sizeof conf, "%s/wmsd.conf", dir);
	snprintf(log, sizeof log, "%s/wmsd.log", dir);
	snprintf(db, sizeof db, "%s/wms.db", dir);
	if (sc == NULL || th == NULL || scan_rows_store(db) < 0 || (f = fopen(conf, "w")) == NULL)
		return -1;
	fprintf(f, "[store]\ndatabase = %s\n", db);
	for (int i = 0; i < n; i++) {
		sc[i] = (struct scanner){ .index = i, .scans = m, .lat = lat + (long)i * m, .mode = mode,
		                          .sent = sent + (long)i * m,
		                          .period = rate > 0 ? (double)n / rate : 0 };
		snprintf(sc[i].fifo, sizeof sc[i].fifo, "%s/scan%d", dir, i);
		snprintf(sc[i].ack, sizeof sc[i].ack, "%s/scan%d.ack", dir, i);
		if (mkfifo(sc[i].fifo, 0600) < 0 || mkfifo(sc[i].ack, 0600) < 0)
			return -1;
		fprintf(f, "[station s%d]\nmode = receipt\nscanner = fifo:%s ack=%s\ndouble_read_ms = 0\n",
		        i, sc[i].fifo, sc[i].ack);
	}
	fclose(f);

	if ((pid = fork()) == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		execl(wmsd, wmsd, "-d", "-c", conf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 600 && !log_has(log, "ready:"); i++)
		usleep(100000);
	if (!log_has(log, "ready:")) {
		fprintf(stderr, "scan_bench: wmsd did not start, see %s\n", log);
		kill(pid, SIGKILL);
		return -1;
	}
	if (cpu)
		*cpu = cpu_of(pid);
	t0 = now_s();
	for (int i = 0; i < n; i++) {
		/* open loop: the stations' schedules interleave evenly */
		sc[i].t0 = t0 + 0.05 + sc[i].period * i / n;
		if (mode == MODE_CLOSED) {
			pthread_create(&th[i], NULL, play_scanner, &sc[i]);
		} else {
			pthread_create(&th2[i], NULL, read_acks, &sc[i]);
			pthread_create(&th[i], NULL, write_scans, &sc[i]);
		}
	}
	for (int i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		if (mode != MODE_CLOSED)
			pthread_join(th2[i], NULL);
		failed += sc[i].failed;
	}
	*secs = now_s() - t0;
	if (cpu) {
		double end = cpu_of(pid);
		*cpu = *cpu < 0 || end < 0 ? -1 : end - *cpu;
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	free(sc);
	free(th);
	free(th2);
	free(sent);
	if (failed)
		fprintf(stderr, "scan_bench: %d scans not acknowledged ok (see %s)\n", failed, log);
	return failed ? -1 : 0;
}

static int exec_sql(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "scan_bench: %s: %s\n", sql, msg);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* The baseline's database dir/name with the same tables wmsd writes to, and
 * its three statements. */
static int open_plain(const char *dir, const char *name, sqlite3 **db, sqlite3_stmt **ins,
                      sqlite3_stmt **ev, sqlite3_stmt **upd)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK ||
	    exec_sql(*db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
	                  "CREATE TABLE scans(id INTEGER PRIMARY KEY, ts INTEGER, station TEXT, raw BLOB,"
	                  " result TEXT, event_id INTEGER);"
	                  "CREATE TABLE events(id INTEGER PRIMARY KEY, ts INTEGER, type TEXT, serial TEXT,"
	                  " station TEXT, payload TEXT)") < 0 ||
	    sqlite3_prepare_v2(*db, "INSERT INTO scans(ts, station, raw) VALUES (?1, 's0', ?2)", -1, ins,
	                       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(*db, "INSERT INTO events(ts, type, serial, station, payload)"
	                       " VALUES (?1, 'receive', ?2, 's0', '{}')", -1, ev, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(*db, "UPDATE scans SET result = 'ok', event_id = ?1 WHERE id = ?2", -1, upd,
	                       NULL) != SQLITE_OK)
		return -1;
	return 0;
}

static void close_plain(sqlite3 *db, sqlite3_stmt *ins, sqlite3_stmt *ev, sqlite3_stmt *upd)
{
	sqlite3_finalize(ins);
	sqlite3_finalize(ev);
	sqlite3_finalize(upd);
	sqlite3_close(db);
}

/* One scan's rows: the raw scan, and (with begin/commit when separate is
 * set: its own durable commit) the event and the outcome. */
static int plain_scan(sqlite3 *db, sqlite3_stmt *ins, sqlite3_stmt *ev, sqlite3_stmt *upd, long i,
                      bool separate)
{
	char line[128];
	long long scan_id, event_id;

	udi(line, sizeof line, (int)(i % 100), (int)i);
	sqlite3_bind_int64(ins, 1, (sqlite3_int64)time(NULL));
	sqlite3_bind_blob(ins, 2, line, (int)strlen(line) - 1, SQLITE_STATIC);
	if (sqlite3_step(ins) != SQLITE_DONE)
		return -1;
	sqlite3_reset(ins);
	scan_id = sqlite3_last_insert_rowid(db);
	if (separate && exec_sql(db, "BEGIN") < 0)
		return -1;
	sqlite3_bind_int64(ev, 1, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(ev, 2, line + 30, 10, SQLITE_STATIC);
	if (sqlite3_step(ev) != SQLITE_DONE)
		return -1;
	sqlite3_reset(ev);
	event_id = sqlite3_last_insert_rowid(db);
	sqlite3_bind_int64(upd, 1, event_id);
	sqlite3_bind_int64(upd, 2, scan_id);
	if (sqlite3_step(upd) != SQLITE_DONE)
		return -1;
	sqlite3_reset(upd);
	return separate ? exec_sql(db, "COMMIT") : 0;
}

/* The same rows, the same two durable commits per scan, plain SQLite. */
static int run_baseline(const char *dir, long total, double *lat, double *secs)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL, *ev = NULL, *upd = NULL;
	double t0;
	int rc = -1;

	if (open_plain(dir, "baseline.db", &db, &ins, &ev, &upd) < 0)
		goto out;
	t0 = now_s();
	for (long i = 0; i < total; i++) {
		double s0 = now_s();
		if (plain_scan(db, ins, ev, upd, i, true) < 0)
			goto out;
		lat[i] = now_s() - s0;
	}
	*secs = now_s() - t0;
	rc = 0;
out:
	if (rc < 0)
		fprintf(stderr, "scan_bench: baseline: %s\n", sqlite3_errmsg(db));
	close_plain(db, ins, ev, upd);
	return rc;
}

/* The same rows inserted raw, BATCH scans per durable commit; OUT its
 * wall and CPU seconds. */
static int run_batched(const char *dir, long total, double *secs, double *cpu)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL, *ev = NULL, *upd = NULL;
	double t0, c0;
	int rc = -1;

	if (open_plain(dir, "batched.db", &db, &ins, &ev, &upd) < 0)
		goto out;
	c0 = thread_cpu();
	t0 = now_s();
	for (long i = 0; i < total; i++) {
		if ((i % BATCH == 0 && exec_sql(db, "BEGIN") < 0) ||
		    plain_scan(db, ins, ev, upd, i, false) < 0 ||
		    ((i % BATCH == BATCH - 1 || i == total - 1) && exec_sql(db, "COMMIT") < 0))
			goto out;
	}
	*secs = now_s() - t0;
	*cpu = thread_cpu() - c0;
	rc = 0;
out:
	if (rc < 0)
		fprintf(stderr, "scan_bench: batched baseline: %s\n", sqlite3_errmsg(db));
	close_plain(db, ins, ev, upd);
	return rc;
}

/* Pipelined throughput and open-loop latency (base: the closed-loop
 * baseline's sorted per-scan latencies). */
static int more(const char *wmsd, const char *dir, int stations, int scans, double rate,
                int seconds, const double *base, long base_n)
{
	char sub[PATH_MAX], src[PATH_MAX + 16], dst[PATH_MAX + 16], wdst[PATH_MAX + 16];
	long rows = 0;
	/* the pipelined figures' baselines (scan_rows.c; run_batched) */
	struct { const char *line, *suffix, *what; double secs, cpu; } bl[3] = {
		{ "", "", ROWS_BASE ", 256 per commit", 0, 0 },
		{ "  against the journal row written whole", ", against whole journal rows",
		  ROWS_BASE ", each journal row in one INSERT with its outcome, 256 per commit", 0, 0 },
		{ "  against narrow rows in index-less tables", ", against narrow rows",
		  NARROW_BASE ", 256 per commit", 0, 0 },
	};
	int open_stations = 8, per = (int)(rate * seconds / open_stations);
	long total = (long)stations * scans * 8, open_total = (long)open_stations * per;
	double *lat = calloc((size_t)(total > open_total ? total : open_total), sizeof *lat);
	double secs = 0, cpu = -1;

	if (lat == NULL || per < 1)
		return -1;
	snprintf(sub, sizeof sub, "%s/pipelined", dir);
	snprintf(src, sizeof src, "%s/wms.db", sub);
	snprintf(dst, sizeof dst, "%s/rows.db", dir);
	snprintf(wdst, sizeof wdst, "%s/rows-whole.db", dir);
	if (run_wmsd(wmsd, sub, MODE_PIPELINED, 0, stations, scans * 8, lat, &secs, &cpu) < 0 ||
	    scan_rows_insert(src, dst, BATCH, false, &bl[0].secs, &bl[0].cpu, &rows) < 0 ||
	    scan_rows_insert(src, wdst, BATCH, true, &bl[1].secs, &bl[1].cpu, &rows) < 0 ||
	    run_batched(dir, total, &bl[2].secs, &bl[2].cpu) < 0)
		return -1;
	if (rows != total) {
		fprintf(stderr, "scan_bench: %ld scans in wmsd's database, %ld sent\n", rows, total);
		return -1;
	}
	for (int k = 0; k < 3; k++) {
		char name[128], mine[16];
		snprintf(mine, sizeof mine, "%.0f", (double)total / secs);
		printf("%-44s %12s %12.0f %8.2f\n", k ? bl[k].line : "scans/s pipelined (8x scans, no ack wait)",
		       k ? "" : mine, (double)total / bl[k].secs, bl[k].secs / secs);
		snprintf(name, sizeof name, "scans acknowledged, stations pipelined%s", bl[k].suffix);
		bench_figure(name, (double)total / secs, (double)total / bl[k].secs, "scans/s",
		             bl[k].what);
	}
	for (int k = 0; k < 3 && cpu > 0; k++) {
		char name[128], what[256], mine[16];
		snprintf(mine, sizeof mine, "%.0f", (double)total / cpu);
		printf("%-44s %12s %12.0f %8.2f\n", k ? bl[k].line : "scans per CPU-second, pipelined",
		       k ? "" : mine, (double)total / bl[k].cpu, bl[k].cpu / cpu);
		snprintf(name, sizeof name, "scans per CPU-second of wmsd, stations pipelined%s", bl[k].suffix);
		snprintf(what, sizeof what, "%s, per CPU-second", bl[k].what);
		bench_figure(name, (double)total / cpu, (double)total / bl[k].cpu, "scans/CPU-s", what);
	}
	snprintf(sub, sizeof sub, "%s/open", dir);
	if (run_wmsd(wmsd, sub, MODE_OPEN, rate, open_stations, per, lat, &secs, NULL) < 0)
		return -1;
	qsort(lat, (size_t)open_total, sizeof *lat, cmp_double);
	printf("%-44s %12.2f %12.2f %8.2f\n", "open-loop p99 scan-to-ack ms",
	       pct(lat, open_total, 99) * 1e3, pct(base, base_n, 99) * 1e3,
	       pct(lat, open_total, 99) / pct(base, base_n, 99));
	printf("%-44s %12.2f\n", "open-loop p50 scan-to-ack ms", pct(lat, open_total, 50) * 1e3);
	{
		char name[96];
		snprintf(name, sizeof name, "scan-to-ack p99, open loop %.0f/s over %d stations", rate,
		         open_stations);
		bench_figure(name, pct(lat, open_total, 99) * 1e3, pct(base, base_n, 99) * 1e3, "ms",
		             "plain SQLite, one durable commit per scan");
	}
	free(lat);
	return 0;
}

int main(int argc, char **argv)
{
	int stations = 8, scans = 250, seconds = 4;
	double rate = 500;
	char wmsd[PATH_MAX], dir[PATH_MAX] = "", self[PATH_MAX];
	double *lat, *base, secs = 0, bsecs = 0;
	long total;

	wms_store_process_init();        /* the baselines' SQLite as wmsd's: no memory statistics */
	snprintf(self, sizeof self, "%s", argv[0]);
	snprintf(wmsd, sizeof wmsd, "%s/wmsd", dirname(self));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--stations") == 0 && i + 1 < argc)
			stations = atoi(argv[++i]);
		else if (strcmp(argv[i], "--scans") == 0 && i + 1 < argc)
			scans = atoi(argv[++i]);
		else if (strcmp(argv[i], "--rate") == 0 && i + 1 < argc)
			rate = atof(argv[++i]);
		else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			seconds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--wmsd") == 0 && i + 1 < argc)
			snprintf(wmsd, sizeof wmsd, "%s", argv[++i]);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			snprintf(dir, sizeof dir, "%s", argv[++i]);
		else {
			fprintf(stderr, "usage: scan_bench [--stations N] [--scans M] [--rate R] "
			                "[--seconds S] [--wmsd PATH] [--dir DIR]\n");
			return 2;
		}
	}
	if (stations < 1 || stations > 32 || scans < 1 || rate <= 0 || seconds < 1) {
		fprintf(stderr, "scan_bench: --stations 1..32 (wmsd's limit), --scans >= 1\n");
		return 2;
	}
	if (dir[0] == '\0') {
		snprintf(dir, sizeof dir, "%s/scan_bench.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/var/tmp");
		if (mkdtemp(dir) == NULL) {
			perror("mkdtemp");
			return 1;
		}
	}
	total = (long)stations * scans;
	lat = calloc((size_t)total, sizeof *lat);
	base = calloc((size_t)total, sizeof *base);
	if (lat == NULL || base == NULL)
		return 1;
	printf("scan_bench: %d stations x %d scans through %s, data in %s\n", stations, scans, wmsd, dir);
	if (run_wmsd(wmsd, dir, MODE_CLOSED, 0, stations, scans, lat, &secs, NULL) < 0 ||
	    run_baseline(dir, total, base, &bsecs) < 0)
		return 1;
	qsort(lat, (size_t)total, sizeof *lat, cmp_double);
	qsort(base, (size_t)total, sizeof *base, cmp_double);
	printf("%-44s %12s %12s %8s\n", "figure", "wmsd", "baseline", "ratio");
	printf("%-44s %12.0f %12.0f %8.2f\n", "scans/s (journal + receive + outcome, durable)",
	       (double)total / secs, (double)total / bsecs, ((double)total / secs) / ((double)total / bsecs));
	printf("%-44s %12.2f %12.2f %8.2f\n", "p50 scan-to-ack ms", pct(lat, total, 50) * 1e3,
	       pct(base, total, 50) * 1e3, pct(lat, total, 50) / pct(base, total, 50));
	printf("%-44s %12.2f %12.2f %8.2f\n", "p99 scan-to-ack ms", pct(lat, total, 99) * 1e3,
	       pct(base, total, 99) * 1e3, pct(lat, total, 99) / pct(base, total, 99));
	bench_figure("scans end to end through wmsd", (double)total / secs, (double)total / bsecs, "scans/s",
	             "plain SQLite, same two commits per scan");
	bench_figure("scan-to-ack p50", pct(lat, total, 50) * 1e3, pct(base, total, 50) * 1e3, "ms",
	             "plain SQLite per scan");
	bench_figure("scan-to-ack p99", pct(lat, total, 99) * 1e3, pct(base, total, 99) * 1e3, "ms",
	             "plain SQLite per scan");
	printf("(baseline: the same two durable commits per scan, plain prepared INSERT/UPDATE, "
	       "one connection; its latency is per scan without a daemon or pipes)\n");
	if (more(wmsd, dir, stations, scans, rate, seconds, base, total) < 0)
		return 1;
	free(lat);
	free(base);
	return 0;
}
