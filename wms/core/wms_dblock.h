/*
 * wms_dblock.h - who holds a database: the lock file beside it.
 *
 * wmsd holds an exclusive lock (an open file description lock, fcntl
 * F_OFD_SETLK) on "DATABASE.lock" for as long as it runs, and writes into
 * that file its pid and the identity (device, inode) of the database file
 * and of its write-ahead log.  A second wmsd on the same database refuses to
 * start, naming the first one's pid.  `wms` commands do not take the lock
 * (SQLite's own locking orders their writes), except `wms db restore`, which
 * must not run under a daemon.
 *
 * The recorded identity outlives a crash.  When the database was replaced
 * while a wmsd had it open (`mv backup.db wms.db`, the old -wal and -shm
 * left in place), that log belongs to the old file and would be applied to
 * the new one, damaging it; wms_store_open() calls wms_dblock_stale_wal()
 * first and moves such a log aside.
 */
#ifndef WMS_DBLOCK_H
#define WMS_DBLOCK_H

#include <stddef.h>

#include "wms_error.h"

struct wms_dblock;   /* opaque: the open lock file */

/* Take the lock of db_path.  OUT *out (NULL on failure), released with
 * wms_dblock_release().  WMS_EEXIST when another process holds it: "database
 * X is in use by wmsd (pid N)"; WMS_EIO when the lock file cannot be made. */
int  wms_dblock_acquire(const char *db_path, struct wms_dblock **out, struct wms_error *err);
/* Record the pid and the identity of the database and its -wal as they are
 * now (call after the store is open).  0 or WMS_EIO. */
int  wms_dblock_record(struct wms_dblock *l, struct wms_error *err);
void wms_dblock_release(struct wms_dblock *l);                    /* NULL-safe */

/* The pid of the process holding db_path's lock, 0 when nobody does. */
long wms_dblock_holder(const char *db_path);

/* When db_path's -wal is the one recorded in the lock file but the database
 * is not the recorded one (replaced or deleted under a daemon), rename the
 * -wal and -shm to "-wal.stale-N" / "-shm.stale-N" and say so in note
 * (size bytes); returns 1.  0: nothing stale (note empty).  WMS_EIO when the
 * stale log cannot be moved (the database must then not be opened). */
int  wms_dblock_stale_wal(const char *db_path, char *note, size_t size, struct wms_error *err);

#endif
