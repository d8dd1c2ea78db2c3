/*
 * bench_report.h - the one line per figure that bench/run gathers into the
 * report table: every benchmark prints its own readable table and, for
 * each headline figure, a line
 *
 *   FIGURE<TAB>name<TAB>value<TAB>baseline<TAB>unit<TAB>baseline's name
 *
 * (baseline 0 when the figure has none).  Header-only: one function.
 */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stdio.h>

static inline void bench_figure(const char *name, double value, double baseline, const char *unit,
                                const char *baseline_name)
{
	printf("FIGURE\t%s\t%.6g\t%.6g\t%s\t%s\n", name, value, baseline, unit,
	       baseline_name ? baseline_name : "");
	fflush(stdout);
}

#endif
