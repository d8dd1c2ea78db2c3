/*
 * bench_wmsd.h - a real wmsd for the HTTP benchmarks: started on a given
 * database with the API on a free loopback port, its log (stderr) in a file,
 * stopped with SIGTERM.  Used by dashboard_bench and api_bench.
 */
#ifndef BENCH_WMSD_H
#define BENCH_WMSD_H

#include <limits.h>
#include <sys/types.h>

struct bench_wmsd {
	pid_t pid;
	int port;                       /* where its HTTP API listens on 127.0.0.1 */
	char log[PATH_MAX];             /* dir/wmsd.log */
	double started;                 /* bench_now() when it was started */
};

/* The wmsd next to this benchmark's executable (argv0), unless given. */
void bench_wmsd_path(const char *argv0, char *out, size_t size);

/* Write dir/wmsd.conf ([store] database = db, [http] listen = 127.0.0.1:0,
 * then extra when not NULL: more [http] keys, further sections), start wmsd
 * -d on it and wait (up to 120 s) until its API listens.  0, or -1 with a
 * message on stderr (wmsd is not left running). */
int bench_wmsd_start(const char *wmsd, const char *dir, const char *db, const char *extra,
                     struct bench_wmsd *w);

/* SIGTERM and wait (SIGKILL after 30 s); a no-op when it is not running. */
void bench_wmsd_stop(struct bench_wmsd *w);

#endif
