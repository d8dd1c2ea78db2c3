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
	char order[SCAN_CODE_MAX + 1];   /* pick: the order being picked */
	char count_location[SCAN_CODE_MAX + 1];  /* count: "" = no count running */
	int n_counted;
	char (*counted)[STATION_SERIAL_MAX + 1];  /* count: serials seen, malloc'd */
};

/* The outcome of one understood scan. */
struct station_out {
	char line[STATION_LINE_MAX];     /* "ok: ..." for the screen and the journal */
	long long event_id;              /* the last ledger event written, 0 = none */
};

/* station.c: a journalled scan through the station (double read, interpret,
 * the mode's commands) inside the caller's transaction; 0 with out->line or
 * a negative status with err.  r is scratch space. */
int  station_process(struct wmsd_station *st, const struct scan *scan, struct scan_result *r,
                     struct station_out *out, struct wms_error *err);
/* The scanner's good or bad signal, when it has one (failures are logged). */
void station_signal(struct wmsd_station *st, enum scan_signal sig);

/* scan_batch.c: queue a framed scan; handled at the next wmsd_scans_flush(). */
void scan_batch_add(struct wmsd_station *st, const struct scan *scan);

/* station_modes.c: run r in st's mode, inside the scan's transaction (a
 * refused command rolls back only itself).  0 with out->line, or a negative
 * status with err saying why and what the station expects. */
int  station_handle(struct wmsd_station *st, const struct scan_result *r, struct station_out *out,
                    struct wms_error *err);
/* Forget what the operator scanned so far (mode change, cancel). */
void station_reset(struct wmsd_station *st);

#endif
