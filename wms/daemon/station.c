/*
 * station.c - one scanner station: its source, its mode and the little it
 * remembers between scans (the last device, the last bytes for double
 * reads), and the path of one scan:
 *
 *   journal row (durable) -> double read? -> scan_interpret() -> one ledger
 *   command for the mode -> outcome into the journal row -> one log line.
 *
 * The log line names the station, a serial number or location code and the
 * outcome; never the raw bytes of a scan that was not understood (a scan of
 * a paper could carry a personnummer): those stay in the journal table.
 */
#include "wmsd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barcode.h"
#include "log.h"
#include "loop.h"
#include "wms_ledger.h"

struct wmsd_station {
	struct wmsd_station_conf conf;
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
	char device[21];                 /* last device scanned or received, "" if none */
};

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

static void format_date(char *buf, size_t size, const struct scan_date *d)
{
	/* day 00 without end_of_month cannot be a ledger date: the first of the month */
	snprintf(buf, size, "%04d-%02d-%02d", d->year, d->month, d->day ? d->day : 1);
}

/* Receipt: a UDI with a serial number registers the device. */
static int do_receipt(struct wmsd_station *st, const struct scan_result *r, char *result, size_t rsize,
                      long long *event_id, struct wms_error *err)
{
	struct wms_cmd cmd = { .type = WMS_EV_RECEIVE, .station = st->conf.name, .actor = "wmsd" };
	struct wms_cmd_result res = { 0 };
	char expiry[16], made[16];
	int rc;

	if (r->kind != SCAN_UDI)
		return wms_error_set(err, WMS_EINVAL, "receipt expects a device UDI (GS1 01 + 21), got %s",
		                     scan_kind_name(r->kind));
	if (r->udi.serial[0] == '\0')
		return wms_error_set(err, WMS_EINVAL, "UDI of GTIN %s has no serial number (21): "
		                     "cannot receive a serial-numbered device", r->udi.gtin);
	cmd.serial = r->udi.serial;
	cmd.gtin = r->udi.gtin;
	cmd.lot = r->udi.lot[0] ? r->udi.lot : NULL;
	if (r->udi.has_expiry) {
		format_date(expiry, sizeof expiry, &r->udi.expiry);
		cmd.expiry = expiry;
	}
	if (r->udi.has_manufactured) {
		format_date(made, sizeof made, &r->udi.manufactured);
		cmd.manufactured = made;
	}
	if ((rc = wms_ledger_apply(st->store, &cmd, &res, err)) < 0)
		return rc;
	snprintf(st->device, sizeof st->device, "%s", r->udi.serial);
	snprintf(result, rsize, "ok: %s received (%s -> %s)", r->udi.serial, wms_state_name(res.from),
	         wms_state_name(res.to));
	*event_id = res.event_id;
	return 0;
}

/* Putaway: a device's UDI selects it, our LOC: label moves it there. */
static int do_putaway(struct wmsd_station *st, const struct scan_result *r, char *result, size_t rsize,
                      long long *event_id, struct wms_error *err)
{
	struct wms_cmd cmd = { .type = WMS_EV_MOVE, .station = st->conf.name, .actor = "wmsd" };
	struct wms_cmd_result res = { 0 };
	int rc;

	if (r->kind == SCAN_UDI) {
		if (r->udi.serial[0] == '\0')
			return wms_error_set(err, WMS_EINVAL, "UDI of GTIN %s has no serial number (21)",
			                     r->udi.gtin);
		snprintf(st->device, sizeof st->device, "%s", r->udi.serial);
		snprintf(result, rsize, "ok: %s selected", st->device);
		return 0;
	}
	if (r->kind != SCAN_LOCATION)
		return wms_error_set(err, WMS_EINVAL, "putaway expects a device UDI or a LOC: label, got %s",
		                     scan_kind_name(r->kind));
	if (st->device[0] == '\0')
		return wms_error_set(err, WMS_EINVAL, "scan a device before its location %s", r->code);
	cmd.serial = st->device;
	cmd.location = r->code;
	if ((rc = wms_ledger_apply(st->store, &cmd, &res, err)) < 0)
		return rc;
	snprintf(result, rsize, "ok: %s moved to %s (%s -> %s)", st->device, r->code,
	         wms_state_name(res.from), wms_state_name(res.to));
	*event_id = res.event_id;
	st->device[0] = '\0';
	return 0;
}

/* CMD: barcodes change the station's mode or clear what it remembers. */
static int do_command(struct wmsd_station *st, const struct scan_result *r, char *result, size_t rsize)
{
	static const enum wmsd_mode modes[] = {
		[SCAN_CMD_RECEIPT] = WMSD_MODE_RECEIPT, [SCAN_CMD_PUTAWAY] = WMSD_MODE_PUTAWAY,
		[SCAN_CMD_TRANSFER] = WMSD_MODE_TRANSFER, [SCAN_CMD_PICK] = WMSD_MODE_PICK,
		[SCAN_CMD_DISPATCH] = WMSD_MODE_DISPATCH, [SCAN_CMD_RETURN] = WMSD_MODE_RETURN,
		[SCAN_CMD_RECON] = WMSD_MODE_RECON, [SCAN_CMD_COUNT] = WMSD_MODE_COUNT,
	};

	st->device[0] = '\0';
	if (r->command == SCAN_CMD_CANCEL || r->command == SCAN_CMD_DONE) {
		snprintf(result, rsize, "ok: %s", scan_command_name(r->command));
		return 0;
	}
	st->mode = modes[r->command];
	snprintf(result, rsize, "ok: mode %s", wmsd_mode_name(st->mode));
	return 0;
}

void wmsd_station_scan(void *station, const struct scan *scan)
{
	struct wmsd_station *st = station;
	struct wms_error err = { 0 };
	struct scan_result *r = NULL;
	char result[WMS_ERROR_MSG_MAX + 64] = "";
	long long id = 0, event_id = 0;
	int rc;

	scans_total++;
	/* 1. durable before anything else looks at the bytes */
	if ((rc = wmsd_journal_add(st->store, st->conf.name, scan->bytes, scan->len, &id, &err)) < 0) {
		/* no journal, no command: the operator must scan again */
		wmsd_log_err("station %s: scan not journalled, ignored: %s", st->conf.name, err.msg);
		return;
	}
	if (scan->fault) {
		rc = wms_error_set(&err, WMS_EINVAL, "%s", scan->fault);
		goto out;
	}
	if (double_read(st, scan)) {
		snprintf(result, sizeof result, "double read");
		goto out;
	}
	/* a scan_result holds a 1 KB text copy and the GS1 elements: keep it off the stack */
	if ((r = malloc(sizeof *r)) == NULL) {
		rc = wms_error_set(&err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = scan_interpret(scan->bytes, scan->len, NULL, r, &err)) < 0)
		goto out;
	if (r->kind == SCAN_COMMAND) {
		rc = do_command(st, r, result, sizeof result);
		goto out;
	}
	switch (st->mode) {
	case WMSD_MODE_RECEIPT:
		rc = do_receipt(st, r, result, sizeof result, &event_id, &err);
		break;
	case WMSD_MODE_PUTAWAY:
		rc = do_putaway(st, r, result, sizeof result, &event_id, &err);
		break;
	default:
		rc = wms_error_set(&err, WMS_EUNSUPP, "mode %s is not handled by this wmsd yet",
		                   wmsd_mode_name(st->mode));
		break;
	}
out:
	if (rc < 0)
		snprintf(result, sizeof result, "refused: %s", err.msg);
	{
		struct wms_error jerr = { 0 };
		if (wmsd_journal_result(st->store, id, result, event_id, &jerr) < 0)
			wmsd_log_err("station %s: scan #%lld: %s", st->conf.name, id, jerr.msg);
	}
	if (rc < 0)
		wmsd_log_warn("station %s: refused: %s (scan #%lld)", st->conf.name, err.msg, id);
	else if (strncmp(result, "ok: ", 4) == 0)
		wmsd_log_info("station %s: %s", st->conf.name, result + 4);
	else
		wmsd_log_info("station %s: %s (scan #%lld)", st->conf.name, result, id);
	free(r);
}
