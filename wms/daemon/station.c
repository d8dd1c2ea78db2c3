/*
 * station.c - one scanner station: its source, its mode and the little it
 * remembers between scans (the last device, the last bytes for double
 * reads), and what happens to one scan once scan_batch.c has journalled it:
 * double read? -> scan_interpret() -> the mode's ledger command(s).
 *
 * What each mode does is station_modes.c; the transactions, signals and log
 * lines around a scan are scan_batch.c.
 *
 */
#include "station_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barcode.h"
#include "dash.h"
#include "log.h"
#include "loop.h"
#include "wms_ledger.h"

/* the running stations, for the screens' keypads (wmsd is one thread) */
static struct wmsd_station *running[WMSD_MAX_STATIONS];

int wmsd_station_new(const struct wmsd_station_conf *conf, const struct wmsd_conf *all,
                     struct wms_store *store, struct loop *loop, struct wmsd_station **out,
                     struct wms_error *err)
{
	struct wmsd_station *st = calloc(1, sizeof *st);

	*out = NULL;
	if (st == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory for station %s", conf->name);
	st->conf = *conf;
	st->all = all;
	st->mode = conf->mode;
	st->store = store;
	st->loop = loop;
	st->last_ms = -1;
	for (int i = 0; i < WMSD_MAX_STATIONS; i++)
		if (running[i] == NULL) {
			running[i] = st;
			break;
		}
	wmsd_lang_init();    /* before any thread starts: it may set LANGUAGE */
	station_state_record(st);
	*out = st;
	return 0;
}

struct wmsd_station *wmsd_station_find(const char *name)
{
	for (int i = 0; i < WMSD_MAX_STATIONS; i++)
		if (running[i] && strcmp(running[i]->conf.name, name) == 0)
			return running[i];
	return NULL;
}

void wmsd_station_type(struct wmsd_station *st, const char *text, size_t len)
{
	struct scan scan = { .station = st->conf.name, .bytes = (const unsigned char *)text,
	                     .len = len < SOURCE_SCAN_MAX ? len : SOURCE_SCAN_MAX,
	                     .mono_ms = loop_now_ms() };

	st->last_ms = -1;    /* a typed value is never a double read */
	scan_batch_add(st, &scan);
}

json_t *wmsd_station_header(struct wmsd_station *st)
{
	char pending[STATION_LINE_MAX];
	struct wmsd_lang_saved lang = wmsd_lang_enter(st->conf.language);
	json_t *h;

	station_pending(st, pending, sizeof pending);
	h = json_pack("{s:s, s:s, s:s?, s:s}", "mode", wms_tr(wmsd_mode_name(st->mode)),
	              "language", st->conf.language, "actor", st->actor[0] ? st->actor : NULL,
	              "pending", pending);
	wmsd_lang_leave(lang);
	return h;
}

const char *wmsd_station_language(const struct wmsd_station *st)
{
	return st->conf.language;
}

/* Stop watching the source and close it. */
static void station_close(struct wmsd_station *st)
{
	for (int i = 0; i < st->n_watched; i++)
		loop_del_fd(st->loop, st->watched[i].fd);
	st->n_watched = 0;
	if (st->timer)
		loop_del_timer(st->loop, st->timer);
	st->timer = 0;
	if (st->src)
		st->src->ops->close(st->src);
	st->src = NULL;
}

void wmsd_station_free(struct wmsd_station *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < WMSD_MAX_STATIONS; i++)
		if (running[i] == st)
			running[i] = NULL;
	station_close(st);
	free(st->counted);
	free(st);
}

const char *wmsd_station_name(const struct wmsd_station *st)
{
	return st->conf.name;
}

bool wmsd_station_is_open(const struct wmsd_station *st)
{
	return st->src != NULL;
}

static void on_ready(struct loop *l, int fd, short revents, void *ctx);
static long on_timeout(struct loop *l, long long id, void *ctx);

/* Make the loop watch exactly what the source wants now, and arm its
 * timeout.  Sources such as libusb change their descriptors as devices
 * come and go, so this runs after every dispatch. */
static int station_watch(struct wmsd_station *st, struct wms_error *err)
{
	struct pollfd want[SCAN_SOURCE_MAX_FDS];
	int n = st->src->ops->pollfds(st->src, want, SCAN_SOURCE_MAX_FDS), rc;
	long ms;

	for (int i = 0; i < st->n_watched; i++) {
		bool keep = false;
		for (int j = 0; j < n; j++)
			keep |= want[j].fd == st->watched[i].fd && want[j].events == st->watched[i].events;
		if (!keep)
			loop_del_fd(st->loop, st->watched[i].fd);
	}
	for (int j = 0; j < n; j++) {
		bool have = false;
		for (int i = 0; i < st->n_watched; i++)
			have |= want[j].fd == st->watched[i].fd && want[j].events == st->watched[i].events;
		if (!have && (rc = loop_add_fd(st->loop, want[j].fd, want[j].events, on_ready, st, err)) < 0)
			return rc;
	}
	memcpy(st->watched, want, (size_t)n * sizeof want[0]);
	st->n_watched = n;

	if (st->timer)
		loop_del_timer(st->loop, st->timer);
	st->timer = 0;
	ms = st->src->ops->timeout_ms ? st->src->ops->timeout_ms(st->src, loop_now_ms()) : -1;
	if (ms >= 0) {
		long long id = loop_add_timer(st->loop, ms, on_timeout, st, err);
		if (id < 0)
			return (int)id;
		st->timer = id;
	}
	return 0;
}

int wmsd_station_open(struct wmsd_station *st, struct wms_error *err)
{
	const struct scan_source_ops *ops;
	const char *spec;
	int rc;

	if (st->src)
		return 0;
	if ((ops = scan_source_find(st->conf.scanner, &spec, err)) == NULL)
		return WMS_ECONFIG;
	if ((rc = ops->open(spec, st->conf.name, &st->src, err)) < 0)
		return rc;
	if ((ops->set_symbols && (rc = ops->set_symbols(st->src, st->conf.symbols, err)) < 0) ||
	    (rc = station_watch(st, err)) < 0)
		station_close(st);
	return rc;
}

/* Something is ready (or the timeout passed): let the source work. */
static void station_dispatch(struct wmsd_station *st, short revents)
{
	struct wms_error err = { 0 };

	if (st->src == NULL)
		return;
	if (st->src->ops->dispatch(st->src, revents, wmsd_station_scan, st, &err) < 0 ||
	    station_watch(st, &err) < 0) {
		/* a source that goes away is a runtime condition: the daemon reopens it */
		wmsd_log_warn("station %s: scanner closed: %s", st->conf.name, err.msg);
		station_close(st);
	}
}

static void on_ready(struct loop *l, int fd, short revents, void *ctx)
{
	(void)l;
	(void)fd;
	station_dispatch(ctx, revents);
}

static long on_timeout(struct loop *l, long long id, void *ctx)
{
	struct wmsd_station *st = ctx;

	(void)l;
	if (st->timer == id)
		st->timer = 0;
	station_dispatch(st, 0);
	return LOOP_TIMER_DONE;
}

static bool double_read(struct wmsd_station *st, const struct scan *scan)
{
	bool same = st->last_ms >= 0 && scan->len == st->last_len &&
	            memcmp(scan->bytes, st->last, scan->len) == 0 &&
	            scan->mono_ms - st->last_ms < st->conf.double_read_ms;

	memcpy(st->last, scan->bytes, scan->len);
	st->last_len = scan->len;
	st->last_ms = scan->mono_ms;
	return same;
}

void station_signal(struct wmsd_station *st, enum scan_signal sig)
{
	struct wms_error err = { 0 };

	if (st->src && st->src->ops->signal && st->src->ops->signal(st->src, sig, &err) < 0)
		wmsd_log_warn("station %s: cannot signal the scanner: %s", st->conf.name, err.msg);
	if (st->src && st->src->ops->flush)
		st->signalled = true;
}

void stations_flush_signals(void)
{
	for (int i = 0; i < WMSD_MAX_STATIONS; i++) {
		struct wmsd_station *st = running[i];
		struct wms_error err = { 0 };
		if (st == NULL || !st->signalled)
			continue;
		st->signalled = false;
		if (st->src && st->src->ops->flush(st->src, &err) < 0)
			wmsd_log_warn("station %s: cannot signal the scanner: %s", st->conf.name, err.msg);
	}
}

void stations_record_states(void)
{
	for (int i = 0; i < WMSD_MAX_STATIONS; i++)
		if (running[i] && running[i]->state_dirty) {
			running[i]->state_dirty = false;
			station_state_record(running[i]);
		}
}

int station_process(struct wmsd_station *st, const struct scan *scan, struct scan_result *r,
                    struct station_out *out, struct wms_error *err)
{
	struct scan_options opt = { .gs = scan->gs, .gs_substitute = scan->gs_substitute };
	int rc;

	if (scan->fault)
		return wms_error_set(err, WMS_EINVAL, "%s", scan->fault);
	if (double_read(st, scan)) {
		snprintf(out->line, sizeof out->line, "double read");
		return 0;
	}
	if ((rc = scan_interpret(scan->bytes, scan->len, &opt, r, err)) < 0)
		return rc;
	return station_handle(st, r, out, err);
}

void wmsd_station_scan(void *station, const struct scan *scan)
{
	scan_batch_add(station, scan);
}
