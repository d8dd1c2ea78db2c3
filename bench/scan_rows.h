/*
 * scan_rows.h - scan_bench's baseline of "the rows wmsd really writes":
 * the rows a pipelined wmsd run left in its database, inserted again with
 * plain prepared statements into a fresh database of the real schema.
 */
#ifndef BENCH_SCAN_ROWS_H
#define BENCH_SCAN_ROWS_H

#include <stdbool.h>

/* A new database at path (an old file there is removed first) with the real
 * schema and the bench's product (BPM, GTIN 09506000134352).  0, or -1 with
 * a message on stderr. */
int scan_rows_store(const char *path);

/*
 * Copy every scan of the wmsd database at src (its journal row, event and
 * device) into memory, then insert them into a new database at dst (created
 * with the real schema, wms_store_open(), then opened with plain sqlite3 and
 * the store's own PRAGMAs), batch scans per durable commit.  whole: each
 * journal row in one INSERT with its outcome instead of INSERT + UPDATE.  OUT *secs and
 * *cpu: the insert's wall and thread CPU seconds (the copy into memory is
 * not timed); *scans: how many were inserted.  0, or -1 with a message on
 * stderr.
 */
int scan_rows_insert(const char *src, const char *dst, int batch, bool whole, double *secs,
                     double *cpu, long *scans);

#endif
