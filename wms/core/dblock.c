/*
 * dblock.c - the lock file beside a database (see wms_dblock.h).
 *
 * An open file description lock (F_OFD_SETLK) belongs to the open file, not
 * to the process: closing some other descriptor of the same file (SQLite
 * opens and closes many) never drops it, and the kernel drops it when wmsd
 * dies, however it dies.  The file's text is three lines:
 *
 *   pid 1234
 *   db 2049:1311792
 *   wal 2049:1311795
 *
 * It is only read for messages and for the stale-log check; the lock
 * itself is the truth about who runs.
 */
#include "wms_dblock.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct wms_dblock {
	int fd;
	char db[4096];
};

struct ident {
	unsigned long long dev, ino;
};

static void lock_path(const char *db, char *out, size_t size)
{
	snprintf(out, size, "%s.lock", db);
}

/* Read the lock file's text (at most size - 1 bytes) into buf; "" when absent. */
static void read_text(const char *db, char *buf, size_t size)
{
	char path[4200];
	int fd;
	ssize_t n = 0;

	buf[0] = '\0';
	lock_path(db, path, sizeof path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

static long text_pid(const char *text)
{
	long pid = 0;

	return sscanf(text, "pid %ld", &pid) == 1 ? pid : 0;
}

/* The identity recorded after key ("db", "wal"); false when none. */
static bool text_ident(const char *text, const char *key, struct ident *id)
{
	char pat[16];
	const char *p;

	snprintf(pat, sizeof pat, "\n%s ", key);
	if ((p = strstr(text, pat)) == NULL)
		return false;
	return sscanf(p + strlen(pat), "%llu:%llu", &id->dev, &id->ino) == 2;
}

static bool file_ident(const char *path, struct ident *id)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return false;
	id->dev = (unsigned long long)st.st_dev;
	id->ino = (unsigned long long)st.st_ino;
	return true;
}

long wms_dblock_holder(const char *db_path)
{
	char path[4200], text[256];
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd;

	lock_path(db_path, path, sizeof path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if (fcntl(fd, F_OFD_GETLK, &fl) < 0 || fl.l_type == F_UNLCK) {
		close(fd);
		return 0;
	}
	close(fd);
	read_text(db_path, text, sizeof text);
	return text_pid(text) > 0 ? text_pid(text) : -1;   /* -1: held, pid unknown */
}

int wms_dblock_acquire(const char *db_path, struct wms_dblock **out, struct wms_error *err)
{
	char path[4200];
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct wms_dblock *l;
	int fd;

	*out = NULL;
	lock_path(db_path, path, sizeof path);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640)) < 0)
		return wms_error_set(err, WMS_EIO, "cannot open the lock file %s: %s", path,
		                     strerror(errno));
	if (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
		int e = errno;
		long pid;
		close(fd);
		if (e != EAGAIN && e != EACCES)
			return wms_error_set(err, WMS_EIO, "cannot lock %s: %s", path, strerror(e));
		pid = wms_dblock_holder(db_path);
		if (pid > 0)
			return wms_error_set(err, WMS_EEXIST, "database %s is in use by wmsd (pid %ld); "
			                     "one wmsd per database", db_path, pid);
		return wms_error_set(err, WMS_EEXIST, "database %s is in use by another wmsd "
		                     "(lock file %s); one wmsd per database", db_path, path);
	}
	if ((l = calloc(1, sizeof *l)) == NULL) {
		close(fd);
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	}
	l->fd = fd;
	snprintf(l->db, sizeof l->db, "%s", db_path);
	*out = l;
	return 0;
}

int wms_dblock_record(struct wms_dblock *l, struct wms_error *err)
{
	char text[256], wal[4200];
	struct ident db = { 0 }, w = { 0 };
	int n;

	snprintf(wal, sizeof wal, "%s-wal", l->db);
	file_ident(l->db, &db);
	file_ident(wal, &w);
	n = snprintf(text, sizeof text, "pid %ld\ndb %llu:%llu\nwal %llu:%llu\n", (long)getpid(),
	             db.dev, db.ino, w.dev, w.ino);
	if (ftruncate(l->fd, 0) < 0 || pwrite(l->fd, text, (size_t)n, 0) != n)
		return wms_error_set(err, WMS_EIO, "cannot write the lock file of %s: %s", l->db,
		                     strerror(errno));
	return 0;
}

void wms_dblock_release(struct wms_dblock *l)
{
	if (l == NULL)
		return;
	close(l->fd);      /* drops the lock; the file stays, with its last identity */
	free(l);
}

int wms_dblock_stale_wal(const char *db_path, char *note, size_t size, struct wms_error *err)
{
	char text[256], wal[4200], shm[4200], to[4300];
	struct ident rec_db, rec_wal, now_db, now_wal;
	bool have_db;

	note[0] = '\0';
	read_text(db_path, text, sizeof text);
	if (!text_ident(text, "db", &rec_db) || !text_ident(text, "wal", &rec_wal) || rec_wal.ino == 0)
		return 0;
	snprintf(wal, sizeof wal, "%s-wal", db_path);
	snprintf(shm, sizeof shm, "%s-shm", db_path);
	if (!file_ident(wal, &now_wal) || now_wal.dev != rec_wal.dev || now_wal.ino != rec_wal.ino)
		return 0;    /* no log, or one that came with the file there now */
	have_db = file_ident(db_path, &now_db);
	if (have_db && now_db.dev == rec_db.dev && now_db.ino == rec_db.ino)
		return 0;    /* the log of this very file */
	snprintf(to, sizeof to, "%s.stale-%llu", wal, rec_db.ino);
	if (rename(wal, to) < 0)
		return wms_error_set(err, WMS_EIO, "%s belongs to a database file that was %s; it would "
		                     "damage %s, and it cannot be moved aside: %s", wal,
		                     have_db ? "replaced" : "deleted", db_path, strerror(errno));
	snprintf(to, sizeof to, "%s.stale-%llu", shm, rec_db.ino);
	if (rename(shm, to) < 0 && errno != ENOENT)
		return wms_error_set(err, WMS_EIO, "cannot move %s aside: %s", shm, strerror(errno));
	snprintf(note, size, "the database file %s was %s while wmsd had it open; its old "
	         "write-ahead log was moved aside to %s-wal.stale-%llu (and -shm), unapplied",
	         db_path, have_db ? "replaced" : "deleted", db_path, rec_db.ino);
	return 1;
}
