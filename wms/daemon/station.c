/*
 * station.c - one scanner station: its source, its mode and the little it
 * remembers between scans (the last device, the last bytes for double
 * reads), and the path of one scan:
 *
 *   journal row (durable) -> double read? -> scan_interpret() -> the mode's
 *   ledger command(s) + the outcome in the journal row, one transaction ->
 *   good/bad signal to the scanner -> one log line.
 *
 * What each mode does is station_modes.c.
 *
 * The log line names the station, a serial number or location code and the
 * outcome; never the raw bytes of a scan that was not understood (a scan of
 * a paper could carry a personnummer): those stay in the journal table.
 */
#include "station_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barcode.h"
#include "log.h"
#include "loop.h"
#include "wms_ledger.h"

static long scans_total;

long wmsd_scans_total(void)
{
	return scans_total;
}

int wmsd_station_new(const struct wmsd_station_conf *conf, struct wms_store *store,
                     struct loop *loop, struct wmsd_station **out, struct wms_error *err)
{
	struct wmsd_station *st = calloc(1, sizeof *st);

	*out = NULL;
	if (st == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory for station %s", conf->name);
	st->conf = *conf;
	st->mode = conf->mode;
	st->store = store;
	st->loop = loop;
	st->last_ms = -1;
	*out = st;
	return 0;
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
	if ((rc = station_watch(st, err)) < 0)
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

/* Tell the operator: the scanner's own good/bad signal, when it has one. */
static void signal_operator(struct wmsd_station *st, enum scan_signal sig)
{
	struct wms_error err = { 0 };

	if (st->src && st->src->ops->signal && st->src->ops->signal(st->src, sig, &err) < 0)
		wmsd_log_warn("station %s: cannot signal the scanner: %s", st->conf.name, err.msg);
}

/* The scan's command(s) and its journal outcome commit together, and the
 * good signal is given only after that commit.  A refused scan rolls back
 * every command it made (a pick that reserved, then failed, reserves
 * nothing) and its outcome is journalled on its own. */
static int handle(struct wmsd_station *st, long long id, const struct scan *scan,
                  struct scan_result *r, struct station_out *out, struct wms_error *err)
{
	struct wms_error jerr = { 0 };
	int rc;

	if (scan->fault)
		rc = wms_error_set(err, WMS_EINVAL, "%s", scan->fault);
	else if (double_read(st, scan)) {
		snprintf(out->line, sizeof out->line, "double read");
		rc = 0;
	} else if ((rc = scan_interpret(scan->bytes, scan->len, NULL, r, err)) == 0 &&
	           (rc = wms_store_begin(st->store, err)) == 0) {
		if ((rc = station_handle(st, r, out, err)) == 0 &&
		    (rc = wmsd_journal_result(st->store, id, out->line, out->event_id, err)) == 0 &&
		    (rc = wms_store_commit(st->store, err)) == 0)
			return 0;
		wms_store_rollback(st->store);
		out->event_id = 0;
	}
	if (rc < 0)
		snprintf(out->line, sizeof out->line, "refused: %s", err->msg);
	if (wmsd_journal_result(st->store, id, out->line, out->event_id, &jerr) < 0)
		wmsd_log_err("station %s: scan #%lld: %s", st->conf.name, id, jerr.msg);
	return rc;
}

void wmsd_station_scan(void *station, const struct scan *scan)
{
	struct wmsd_station *st = station;
	struct wms_error err = { 0 };
	struct scan_result *r = NULL;
	struct station_out out = { 0 };
	long long id = 0;
	int rc;

	scans_total++;
	/* 1. durable before anything else looks at the bytes */
	if ((rc = wmsd_journal_add(st->store, st->conf.name, scan->bytes, scan->len, &id, &err)) < 0) {
		/* no journal, no command: the operator must scan again */
		wmsd_log_err("station %s: scan not journalled, refused: %s", st->conf.name, err.msg);
		signal_operator(st, SCAN_SIGNAL_BAD);
		return;
	}
	/* a scan_result holds a 1 KB text copy and the GS1 elements: keep it off the stack */
	if ((r = malloc(sizeof *r)) == NULL)
		rc = wms_error_set(&err, WMS_ENOMEM, "out of memory");
	else
		rc = handle(st, id, scan, r, &out, &err);
	if (rc < 0) {
		signal_operator(st, SCAN_SIGNAL_BAD);
		wmsd_log_warn("station %s: refused: %s (scan #%lld)", st->conf.name, err.msg, id);
	} else {
		signal_operator(st, SCAN_SIGNAL_GOOD);
		if (strncmp(out.line, "ok: ", 4) == 0)
			wmsd_log_info("station %s: %s", st->conf.name, out.line + 4);
		else
			wmsd_log_info("station %s: %s (scan #%lld)", st->conf.name, out.line, id);
	}
	free(r);
}
