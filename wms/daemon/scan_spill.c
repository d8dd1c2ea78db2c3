/*
 * scan_spill.c - the side journal: where a raw scan goes while another
 * process holds the database's write lock, so that "every raw scan is
 * journalled before it is interpreted" holds during a `wms db rebuild` or an
 * import.  It is the file DATABASE-scans beside the database, appended with
 * one write() per scan (no fsync: as durable as the journal's own phase-1
 * commit, turn.h), and merged into scan_journal at the next journal phase,
 * in the same transaction, then emptied.  At start wmsd merges what a crash
 * left; a record already in the journal (a crash between the merge's commit
 * and the emptying) is not merged twice.
 *
 * A record:  "WSP1" | ts i64 | seq i64 | station length u16 | raw length u32
 *            | station | raw | FNV-1a of everything before, u32
 * A torn last record (a crash inside write()) is ignored.
 */
#include "station_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "wms_journal.h"
#include "wms_time.h"

#define SPILL_MAX 4096      /* records remembered between merge and clear */
#define HEAD 26

static int spill_fd = -1;
static char spill_path[4200];
static long long next_seq = 1;
static int n_merged;
static long long merged_seq[SPILL_MAX], merged_id[SPILL_MAX];

static uint32_t fnv(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

int scan_spill_open(const char *db_path, struct wms_error *err)
{
	snprintf(spill_path, sizeof spill_path, "%s-scans", db_path);
	spill_fd = open(spill_path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (spill_fd < 0)
		return wms_error_set(err, WMS_EIO, "cannot open the side journal %s: %s", spill_path,
		                     strerror(errno));
	return 0;
}

void scan_spill_close(void)
{
	if (spill_fd >= 0)
		close(spill_fd);
	spill_fd = -1;
}

long long scan_spill_append(const char *station, const unsigned char *raw, size_t len)
{
	unsigned char rec[HEAD + WMSD_STATION_NAME_MAX + SOURCE_SCAN_MAX + 4];
	uint16_t sl = (uint16_t)strlen(station);
	uint32_t rl = (uint32_t)len, h;
	int64_t ts = wms_now(), seq = next_seq++;
	size_t n = 0;

	if (spill_fd < 0 || sl > WMSD_STATION_NAME_MAX || len > SOURCE_SCAN_MAX)
		return 0;
	memcpy(rec, "WSP1", 4), n = 4;
	memcpy(rec + n, &ts, 8), n += 8;
	memcpy(rec + n, &seq, 8), n += 8;
	memcpy(rec + n, &sl, 2), n += 2;
	memcpy(rec + n, &rl, 4), n += 4;
	memcpy(rec + n, station, sl), n += sl;
	memcpy(rec + n, raw, len), n += len;
	h = fnv(rec, n);
	memcpy(rec + n, &h, 4), n += 4;
	if (write(spill_fd, rec, n) != (ssize_t)n) {
		wmsd_log_err("side journal %s: %s; scan of station %s kept in memory only", spill_path,
		             strerror(errno), station);
		return 0;
	}
	return seq;
}

/* Insert every record of the file into scan_journal (dedupe: skip those
 * the journal has). */
static int merge(struct wms_store *s, bool dedupe, int *count, struct wms_error *err)
{
	struct stat st;
	unsigned char *buf;
	size_t off = 0;
	int rc = 0;

	*count = 0;
	n_merged = 0;
	if (spill_fd < 0 || fstat(spill_fd, &st) < 0 || st.st_size == 0)
		return 0;
	if ((buf = malloc((size_t)st.st_size)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory merging the side journal");
	if (pread(spill_fd, buf, (size_t)st.st_size, 0) != st.st_size) {
		free(buf);
		return wms_error_set(err, WMS_EIO, "cannot read the side journal %s: %s", spill_path,
		                     strerror(errno));
	}
	while (rc == 0 && off + HEAD + 4 <= (size_t)st.st_size) {
		unsigned char *r = buf + off;
		int64_t ts, seq;
		uint16_t sl;
		uint32_t rl, h;
		char station[WMSD_STATION_NAME_MAX + 1];
		long long id = 0;
		if (memcmp(r, "WSP1", 4) != 0)
			break;
		memcpy(&ts, r + 4, 8);
		memcpy(&seq, r + 12, 8);
		memcpy(&sl, r + 20, 2);
		memcpy(&rl, r + 22, 4);
		if (sl > WMSD_STATION_NAME_MAX || rl > SOURCE_SCAN_MAX ||
		    off + HEAD + sl + rl + 4 > (size_t)st.st_size)
			break;
		memcpy(&h, r + HEAD + sl + rl, 4);
		if (h != fnv(r, HEAD + sl + rl))
			break;                                  /* torn: the rest was never written */
		memcpy(station, r + HEAD, sl);
		station[sl] = '\0';
		off += HEAD + sl + rl + 4;
		if (dedupe && (rc = wms_journal_has(s, ts, station, r + HEAD + sl, rl, err)) != 0) {
			rc = rc > 0 ? 0 : rc;
			continue;
		}
		if ((rc = wms_journal_add_at(s, ts, station, r + HEAD + sl, rl, &id, err)) < 0)
			break;
		if (n_merged < SPILL_MAX) {
			merged_seq[n_merged] = seq;
			merged_id[n_merged++] = id;
		}
		(*count)++;
	}
	free(buf);
	return rc;
}

int scan_spill_merge(struct wms_store *s, void *ctx, struct wms_error *err)
{
	int count;

	(void)ctx;
	return merge(s, false, &count, err);
}

void scan_spill_clear(void *ctx)
{
	(void)ctx;
	if (spill_fd >= 0 && n_merged > 0 && ftruncate(spill_fd, 0) < 0)
		wmsd_log_err("cannot empty the side journal %s: %s", spill_path, strerror(errno));
	/* ids stay readable until the next merge: the jobs look theirs up first */
}

long long scan_spill_id(long long seq)
{
	for (int i = 0; i < n_merged; i++)
		if (merged_seq[i] == seq)
			return merged_id[i];
	return 0;
}

int scan_spill_recover(struct wms_store *s, struct wms_error *err)
{
	int count = 0, rc;

	if ((rc = wms_store_begin(s, err)) < 0)
		return rc;
	if ((rc = merge(s, true, &count, err)) < 0) {
		wms_store_rollback(s);
		return rc;
	}
	if ((rc = wms_store_commit(s, err)) < 0)
		return rc;
	if (count)
		wmsd_log_warn("merged %d scan(s) of the side journal %s into the scan journal; they "
		              "were not handled (wmsd stopped first): scan them again", count, spill_path);
	n_merged = 0;
	if (ftruncate(spill_fd, 0) < 0)
		return wms_error_set(err, WMS_EIO, "cannot empty the side journal %s: %s", spill_path,
		                     strerror(errno));
	return 0;
}
