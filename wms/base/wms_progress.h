/*
 * wms_progress.h - how far a long job has come, for whoever watches: `wms`
 * on a terminal shows it (cli_progress.c); nobody else does.  The rooms call
 * wms_progress() from their long loops (CSV imports, the rebuild, the
 * purge); with no watcher it costs one pointer test.  A watcher is set once
 * by main, before any work, and never from a thread.
 */
#ifndef WMS_PROGRESS_H
#define WMS_PROGRESS_H

/* DONE of TOTAL units (bytes, rows, steps; TOTAL > 0) of the job in hand. */
typedef void (*wms_progress_fn)(long long done, long long total);

/* Watch every job's progress from now on (NULL: stop watching). */
void wms_progress_watch(wms_progress_fn fn);

/* Report progress to the watcher, if any; DONE == TOTAL says the job is done. */
void wms_progress(long long done, long long total);

#endif
