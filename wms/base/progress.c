/*
 * progress.c - the one progress watcher of the process (see wms_progress.h).
 */
#include "wms_progress.h"

#include <stddef.h>

static wms_progress_fn watcher;

void wms_progress_watch(wms_progress_fn fn)
{
	watcher = fn;
}

void wms_progress(long long done, long long total)
{
	if (watcher && total > 0)
		watcher(done, total);
}
