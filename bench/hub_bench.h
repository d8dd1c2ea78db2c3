/*
 * hub_bench.h - the parts of hub_bench in hub_bench_live.c: figures at a
 * depot's working pace (scan-to-ack with and without shipping, lag) and the
 * central report at the region's size.  0 or -1 (printed to stderr).
 */
#ifndef HUB_BENCH_H
#define HUB_BENCH_H

int hub_bench_live(const char *conninfo, int rate, int seconds);
int hub_bench_report(const char *conninfo, long orders);

#endif
