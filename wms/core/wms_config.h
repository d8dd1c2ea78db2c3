/*
 * wms_config.h - the INI configuration file shared by wmsd and wms
 * (wmsd.conf), parsed into a fresh struct and validated before anything
 * uses it; errors name the file and line.
 *
 *   [store]
 *   database = /var/lib/wmsd/wms.db
 *   [calendar]
 *   defacto_holidays = yes           ; midsommarafton, julafton, nyårsafton closed
 *   [leadtime]
 *   cutoff = 15:00                   ; orders registered later start next working day
 *   target_days = 7
 *   at_risk_days = 5
 *   [privacy]
 *   retention_days = 30              ; patient data kept this long after an order closes
 *   [returns]
 *   pickup_due_days = 7              ; a pickup order (hämtorder) is due in 7 working days
 *   rent_stop_days = 3               ; the rent stops 3 working days after the pickup order
 *   [paths]
 *   data = /srv/wms                  ; templates/ and checklists/ (default: installed)
 *   locale = /srv/wms/locale         ; translations (default: installed)
 *   [depot Skövde]
 *   closed = 2026-12-28, 2026-12-29  ; extra closed days of this depot
 *
 * Sections this module does not know (the daemon's [station ...] and so on)
 * are handed to an optional callback, so that one file and one parser serve
 * every room.
 */
#ifndef WMS_CONFIG_H
#define WMS_CONFIG_H

#include <stdbool.h>

#include "wms_calendar.h"
#include "wms_error.h"

#define WMS_CONFIG_MAX_DEPOTS 16

struct wms_depot {
	char name[64];                     /* the depot's code ([depot CODE]) */
	struct wms_calendar *cal;
	bool own_cutoff;                   /* else the [leadtime] cutoff */
	int cutoff_minute;
	int line;                          /* of its [depot CODE] section; 0 = from the store */
	wms_day *closed;                   /* the section's closed days (owned) */
	size_t n_closed;
};

struct wms_config {
	char file[256];                    /* the file it came from, for messages; "" = defaults */
	char database[4096];
	bool create;                       /* [store] create: wmsd may make a missing database */
	long scan_wait_ms;                 /* [store] scan_wait_ms: how long a scan waits for
	                                      another writer before it is refused (2000) */
	char data_dir[4096];               /* [paths] data; "" = the default (wms_datadir.h) */
	char locale_dir[4096];             /* [paths] locale */
	bool defacto_holidays;
	int cutoff_minute;
	int target_days;
	int at_risk_days;
	int retention_days;                /* [privacy] */
	int pickup_due_days;               /* [returns] */
	int rent_stop_days;
	long future_skew;                  /* [store] future_skew: seconds an event may be ahead
	                                      of the clock (wms_rules.h); applied by the doors */
	struct wms_calendar *cal;          /* default calendar (no depot's extra days) */
	int n_depots;
	struct wms_depot depots[WMS_CONFIG_MAX_DEPOTS];
};

/*
 * Called for every key of a section this module does not know; returns 0 or
 * a negative status with err filled (the parser adds "file:line: ").
 */
typedef int (*wms_config_extra_fn)(void *ctx, const char *section, const char *key,
                                   const char *value, struct wms_error *err);

/*
 * Load path (NULL: defaults only).  On success *out owns a config freed with
 * wms_config_free(); on failure *out is NULL and err says "file:line: what".
 * Without an extra callback, unknown sections are errors.
 */
int  wms_config_load(const char *path, wms_config_extra_fn extra, void *ctx,
                     struct wms_config **out, struct wms_error *err);
void wms_config_free(struct wms_config *cfg);     /* NULL-safe */

/* The calendar of a depot by code; the default calendar for NULL or unknown. */
const struct wms_calendar *wms_config_calendar(const struct wms_config *cfg, const char *depot);
/* The cut-off (minutes after local midnight) of a depot: its own, else [leadtime] cutoff. */
int wms_config_cutoff(const struct wms_config *cfg, const char *depot);
/* The same as callbacks over a config (wms_leadtime_opts.depot_cal and depot_cutoff,
 * depot_ctx = cfg). */
int wms_config_cutoff_cb(void *cfg, const char *depot);
const struct wms_calendar *wms_config_calendar_cb(void *cfg, const char *depot);

/* Parse helpers for extra sections: bounded integers, booleans, HH:MM. */
int wms_parse_int(const char *text, long min, long max, long *out, struct wms_error *err);
int wms_parse_bool(const char *text, bool *out, struct wms_error *err);
int wms_parse_hhmm(const char *text, int *minute, struct wms_error *err);

#endif
