/*
 * walckpt.c - the write-ahead log checkpointed off the committing thread
 * (see wms_walckpt.h).
 *
 * The store's connection gets a WAL hook instead of its automatic
 * checkpoint: after each commit SQLite tells the log's size, and at the
 * threshold the hook wakes the thread.  The thread's own connection runs
 * sqlite3_wal_checkpoint_v2(PASSIVE): pages the writer's readers no longer
 * need are copied back, the database file is synced, and the writer starts
 * the log from its beginning at its next transaction once all of it was
 * copied.  Wake-ups while a checkpoint runs fold into one more run.
 */
#include "wms_walckpt.h"

#include "store_sql.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define AUTOCHECKPOINT_DEFAULT 1000   /* SQLite's, given back at stop */

struct wms_walckpt {
	sqlite3 *owner;              /* the store's connection */
	sqlite3 *db;                 /* the thread's own */
	int frames;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool due, stop;
	long runs;
};

/* On the store's thread, after each of its commits. */
static int on_commit(void *ctx, sqlite3 *db, const char *name, int frames)
{
	struct wms_walckpt *c = ctx;

	(void)db;
	(void)name;
	if (frames >= c->frames) {
		pthread_mutex_lock(&c->mu);
		if (!c->due) {
			c->due = true;
			pthread_cond_signal(&c->cv);
		}
		pthread_mutex_unlock(&c->mu);
	}
	return SQLITE_OK;
}

static void *run(void *arg)
{
	struct wms_walckpt *c = arg;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->due && !c->stop)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->stop)
			break;
		c->due = false;
		pthread_mutex_unlock(&c->mu);
		/* BUSY (another checkpoint runs: the print worker's) is fine: the
		 * next commit asks again */
		sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&c->mu);
		c->runs++;
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

int wms_walckpt_start(struct wms_store *s, int frames, struct wms_walckpt **out,
                      struct wms_error *err)
{
	struct wms_walckpt *c = calloc(1, sizeof *c);
	const char *path = sqlite3_db_filename(wms_store_db(s), "main");
	int rc;

	*out = NULL;
	if (c == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory for the checkpointer");
	c->owner = wms_store_db(s);
	c->frames = frames > 0 ? frames : AUTOCHECKPOINT_DEFAULT;
	if (path == NULL || path[0] == '\0' ||
	    sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = wms_error_set(err, WMS_EDB, "checkpointer: cannot open %s: %s", path ? path : "?",
		                   c->db ? sqlite3_errmsg(c->db) : "out of memory");
		sqlite3_close(c->db);
		free(c);
		return rc;
	}
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	if ((rc = pthread_create(&c->thread, NULL, run, c)) != 0) {
		pthread_cond_destroy(&c->cv);
		pthread_mutex_destroy(&c->mu);
		sqlite3_close(c->db);
		free(c);
		return wms_error_set(err, WMS_EIO, "checkpointer: cannot start its thread: %s", strerror(rc));
	}
	sqlite3_wal_hook(c->owner, on_commit, c);    /* replaces the automatic checkpoint */
	*out = c;
	return 0;
}

void wms_walckpt_stop(struct wms_walckpt *c)
{
	if (c == NULL)
		return;
	sqlite3_wal_autocheckpoint(c->owner, AUTOCHECKPOINT_DEFAULT);   /* drops our hook */
	pthread_mutex_lock(&c->mu);
	c->stop = true;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	/* not the file's last connection (the store's is open): no checkpoint
	 * and no removal of the log at close */
	sqlite3_close(c->db);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

long wms_walckpt_runs(struct wms_walckpt *c)
{
	long n;

	pthread_mutex_lock(&c->mu);
	n = c->runs;
	pthread_mutex_unlock(&c->mu);
	return n;
}
