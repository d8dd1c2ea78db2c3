/*
 * wms_walckpt.h - checkpoints of a store's write-ahead log on a thread of
 * their own, for wmsd's loop store.
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses its
 * threshold: it copies the log's pages into the database file and fsyncs
 * it before the commit returns, so the scans of that turn wait for it (a
 * few ms, every ~100 turns: the p99 of scan-to-ack).  With a checkpointer,
 * the store's commits only report the log's size; at the threshold a thread
 * with its own connection to the same file runs a PASSIVE checkpoint, which
 * never blocks the store's readers or its writer.  Durability is SQLite's
 * own either way: a commit is durable when its log frames are.
 */
#ifndef WMS_WALCKPT_H
#define WMS_WALCKPT_H

#include "wms_error.h"
#include "wms_store.h"

struct wms_walckpt;   /* opaque */

/* Take over s's checkpoints: checkpoint when its log holds frames pages or
 * more (SQLite's own default is 1000).  Call from s's thread.  OUT *out
 * (NULL on failure: s keeps its automatic checkpoint). */
int  wms_walckpt_start(struct wms_store *s, int frames, struct wms_walckpt **out,
                       struct wms_error *err);
/* Stop the thread and close its connection, and give s its automatic
 * checkpoint back (so closing s checkpoints as before).  Call from s's
 * thread, before closing s.  NULL-safe. */
void wms_walckpt_stop(struct wms_walckpt *c);
/* Checkpoints run so far (for tests and benches). */
long wms_walckpt_runs(struct wms_walckpt *c);

#endif
