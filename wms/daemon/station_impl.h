/*
 * station_impl.h - what station.c (the scan path) and station_modes.c (what
 * each mode does with an understood scan) share: the station itself.
 * Private to wms/daemon.
 */
#ifndef WMSD_STATION_IMPL_H
#define WMSD_STATION_IMPL_H

#include <poll.h>

#include "barcode.h"
#include "wmsd.h"

#define STATION_COUNT_MAX 1000        /* devices one stock count remembers */
#define STATION_SERIAL_MAX 20
#define STATION_LINE_MAX (WMS_ERROR_MSG_MAX + 64)

struct wmsd_station {
	struct wmsd_station_conf conf;
	const struct wmsd_conf *all;     /* borrowed: printers, reconditioning */
	enum wmsd_mode mode;             /* starts as conf.mode; CMD:<MODE> changes it */
	struct wms_store *store;         /* borrowed */
	struct loop *loop;               /* borrowed */
	struct scan_source *src;         /* NULL while closed */
	struct pollfd watched[SCAN_SOURCE_MAX_FDS];   /* what the loop watches for src */
	int n_watched;
	long long timer;                 /* the source's timeout, 0 when none */
	unsigned char last[SOURCE_SCAN_MAX];
	size_t last_len;
	long long last_ms;               /* -1: nothing yet */

	/* what the operator has scanned so far in this mode */
	char actor[SCAN_CODE_MAX + 1];   /* the signed-in user's name, "" = nobody signed in */
	unsigned role;                   /* their role bits (wms_rules.h), from their USR: badge */
	char device[STATION_SERIAL_MAX + 1];  /* device waiting for its location */
	char step[24];                   /* recon: RCN:<STEP>: scanned, its value comes next */
	char delivery[SCAN_CODE_MAX + 1];  /* receipt: DLV: the supplier delivery received against */
	char gtin[15];                   /* receipt: a product's barcode (GTIN alone) scanned; the
	                                    serial of one device of it comes next */
	char order[SCAN_CODE_MAX + 1];   /* pick: the order being picked */
	char count_location[SCAN_CODE_MAX + 1];  /* count: "" = no count running */
	int n_counted;
	char (*counted)[STATION_SERIAL_MAX + 1];  /* count: serials seen, malloc'd */

	bool state_dirty;                /* header to record at the end of the turn's run */
	bool signalled;                  /* signals kept by the source until its flush */
};

/* The outcome of one understood scan. */
struct station_out {
	char line[STATION_LINE_MAX];     /* "ok: ...", "warning: ..." (taken, but look) or
	                                    "failed: ..." (recorded, and it failed: a
	                                    measurement outside its tolerance), for the
	                                    screen and the journal */
	long long event_id;              /* the last ledger event written, 0 = none */
};

/* station.c: a journalled scan through the station (double read, interpret,
 * the mode's commands) inside the caller's transaction; 0 with out->line or
 * a negative status with err.  r is scratch space. */
int  station_process(struct wmsd_station *st, const struct scan *scan, struct scan_result *r,
                     struct station_out *out, struct wms_error *err);
/* The scanner's good or bad signal, when it has one (failures are logged). */
void station_signal(struct wmsd_station *st, enum scan_signal sig);

/* station.c, at the end of a loop turn's commit step: record the headers
 * of the stations whose scans ran (inside the turn's transaction), and send
 * the signals the sources kept. */
void stations_record_states(void);
void stations_flush_signals(void);

/* scan_batch.c: queue a framed scan; handled at the next wmsd_scans_flush(). */
void scan_batch_add(struct wmsd_station *st, const struct scan *scan);
/* scan_batch.c: record the station's header (station_state) now. */
void station_state_record(struct wmsd_station *st);

/* scan_spill.c: the side journal DATABASE-scans (raw scans kept while
 * another process holds the write lock). */
int  scan_spill_open(const char *db_path, struct wms_error *err);
void scan_spill_close(void);
/* Append one raw scan; its sequence number (> 0), or 0 when it could not
 * be written (logged; the scan is then journalled normally). */
long long scan_spill_append(const char *station, const unsigned char *raw, size_t len);
/* turn.h journal hooks: merge every record into scan_journal inside the
 * journal transaction; empty the file after its commit. */
int  scan_spill_merge(struct wms_store *s, void *ctx, struct wms_error *err);
void scan_spill_clear(void *ctx);
/* The scan_journal id the last merge gave record seq, or 0. */
long long scan_spill_id(long long seq);
/* At start: merge what a crash left (never twice), in a transaction of its own. */
int  scan_spill_recover(struct wms_store *s, struct wms_error *err);

/* station_modes.c: run r in st's mode, inside the scan's transaction (a
 * refused command rolls back only itself).  0 with out->line, or a negative
 * status with err saying why and what the station expects. */
int  station_handle(struct wmsd_station *st, const struct scan_result *r, struct station_out *out,
                    struct wms_error *err);
/* Forget what the operator scanned so far (mode change, cancel). */
void station_reset(struct wmsd_station *st);
/* What waits for the next scan, in the calling thread's language ("" when
 * nothing), into buf. */
void station_pending(const struct wmsd_station *st, char *buf, size_t size);

#endif
