/*
 * wmsd.h - the daemon's own pieces: its configuration (the core's
 * wmsd.conf plus the [station NAME] sections), the scan journal and the
 * stations that turn scans into ledger commands.
 *
 *   [station goods-in]
 *   mode = receipt            ; receipt putaway transfer pick dispatch return recon count
 *   scanner = fifo:/run/wmsd/goods-in   ; KIND:SPEC, see scanners/scan_source.h
 *   double_read_ms = 300      ; same bytes again within this window: ignored
 *   required = no             ; yes: wmsd is not ready while this scanner is down
 *   symbols = 1               ; camera: barcodes per frame it stops looking after (1..16, all)
 */
#ifndef WMSD_H
#define WMSD_H

#include <stdbool.h>

#include "courier_config.h"
#include "http.h"
#include "printq_conf.h"
#include "recon.h"
#include "scan_source.h"
#include "ship_worker.h"
#include "wms_config.h"
#include "wms_error.h"
#include "wms_store.h"

struct loop;

#define WMSD_MAX_STATIONS 32
#define WMSD_STATION_NAME_MAX 31

enum wmsd_mode {
	WMSD_MODE_NONE = 0,
	WMSD_MODE_RECEIPT, WMSD_MODE_PUTAWAY, WMSD_MODE_TRANSFER, WMSD_MODE_PICK,
	WMSD_MODE_DISPATCH, WMSD_MODE_RETURN, WMSD_MODE_RECON, WMSD_MODE_COUNT,
};

struct wmsd_station_conf {
	char name[WMSD_STATION_NAME_MAX + 1];
	enum wmsd_mode mode;
	char scanner[256];             /* "KIND:SPEC" */
	long double_read_ms;
	bool required;                 /* no READY=1 while this station's scanner cannot open */
	char language[3];              /* "sv" | "en": the screen's and its outcome lines' */
	bool label_always;             /* receipt: label = always (else when-missing: a device
	                                  without a readable manufacturer UDI) */
	char depot[16];                /* depot = CODE: where it stands ("" = the default depot) */
	int symbols;                   /* symbols = N|all: a camera stops looking in a frame
	                                  once N are found (0 = all; default 1) */
	bool symbols_set;              /* given in the file: refused for other scanners */
	int line;                      /* line of the section's first key, for messages */
};

struct wmsd_conf {
	struct wms_config *core;       /* owned */
	int n_stations;
	struct wmsd_station_conf stations[WMSD_MAX_STATIONS];
	struct http_conf http;         /* [http] */
	struct printq_conf printers;   /* [printer NAME], [labels] */
	struct recon_config recon;     /* [reconditioning] */
	struct courier_config courier; /* [courier], [carrier NAME] */
	struct central_conf central;   /* [central]: shipping the ledger to the hub */
};

/* conf.c */
/* Parse and validate path into a fresh struct.  OUT *out (NULL on failure),
 * freed with wmsd_conf_free(); err says "file:line: what" or "file: what". */
int  wmsd_conf_load(const char *path, struct wmsd_conf **out, struct wms_error *err);
void wmsd_conf_free(struct wmsd_conf *conf);                       /* NULL-safe */
/* Check conf against the store's depots and give it their calendars: an
 * unknown depot of a station, a printer or a [depot CODE] section is
 * refused naming the known ones, and so is a printer that serves a station
 * of another depot.  Before conf is used (start, reload). */
int  wmsd_conf_depots(struct wmsd_conf *conf, struct wms_store *store, struct wms_error *err);
const char *wmsd_mode_name(enum wmsd_mode mode);

/* station.c */
struct wmsd_station;   /* opaque: config, source, double-read memory, last device */

/* OUT *out; the scanner is not opened yet.  all (the whole configuration:
 * printers, reconditioning), store and loop are borrowed; a reload frees
 * the stations before it frees all. */
int  wmsd_station_new(const struct wmsd_station_conf *conf, const struct wmsd_conf *all,
                      struct wms_store *store, struct loop *loop, struct wmsd_station **out,
                      struct wms_error *err);
void wmsd_station_free(struct wmsd_station *st);                   /* NULL-safe; closes */
const char *wmsd_station_name(const struct wmsd_station *st);
/* Open the scanner if it is closed and watch it in the loop; scans are then
 * handled from the loop, and a scanner that goes away is closed (logged)
 * until the next wmsd_station_open().  0 or a negative status. */
int  wmsd_station_open(struct wmsd_station *st, struct wms_error *err);
bool wmsd_station_is_open(const struct wmsd_station *st);
/* The scan callback of a station's source: queues the scan. */
void wmsd_station_scan(void *station, const struct scan *scan);
/* The running station called name, NULL when none (wmsd is one thread). */
struct wmsd_station *wmsd_station_find(const char *name);
/* Text typed on the station's screen (its keypad): queued as a scan of
 * those bytes, journalled and handled like one. */
void wmsd_station_type(struct wmsd_station *st, const char *text, size_t len);
/* The station's header for its screens: a new {mode, actor, pending,
 * language} (words in the station's language); NULL when out of memory. */
json_t *wmsd_station_header(struct wmsd_station *st);
/* "sv" or "en" (wmsd.conf language). */
const char *wmsd_station_language(const struct wmsd_station *st);

/* scan_batch.c: scans go through the loop's commit step t (turn.h; borrowed
 * until wmsd_scans_fini).  flush: the end of a turn (commit, or keep
 * waiting for another writer's lock); drain: commit everything queued
 * (blocks up to the wait; call before closing stations). */
struct turn;
void wmsd_scans_init(struct turn *t);
void wmsd_scans_flush(void);
void wmsd_scans_drain(void);
void wmsd_scans_fini(void);
/* Counters for STATUS= */
long wmsd_scans_total(void);

#endif
