/*
 * source_serial.c - a scanner on a serial port (RS-232, or USB CDC ACM such
 * as /dev/ttyACM0) through libserialport; kind "serial", SPEC in
 * serial_options.h, framing in serial_framer.c.
 *
 * The port is named by path, or by the USB device behind it (usb=VID:PID
 * and optionally serial=SN), looked up at every open: a scanner replugged
 * while the old port was still open comes back as ttyACM1.
 *
 * Never blocks: the port's descriptor is polled and read with
 * sp_nonblocking_read; a good/bad command that does not fit in the output
 * buffer is cut short and reported, not waited for.
 *
 * Unplug: POLLHUP/POLLERR, a read error, end of input, or the port's device
 * node or sysfs entry gone (checked at every dispatch and at least every
 * SERIAL_CHECK_MS, since an emulated port may go without any poll event)
 * make dispatch() return WMS_EIO; the daemon closes the source and opens
 * it again later, which finds the port anew.
 */
#include "scan_source.h"

#include <errno.h>
#include <fcntl.h>
#include <libserialport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "serial_framer.h"
#include "serial_options.h"

#define SERIAL_CHECK_MS 1000     /* how often an idle port is checked for unplug */
#define SERIAL_READS_MAX 16      /* reads per dispatch: a babbling port cannot starve others */

struct serial_src {
	struct scan_source head;      /* first: a struct scan_source * is a struct serial_src * */
	struct serial_options opt;
	struct sp_port *port;
	int fd;
	char name[128];               /* the port opened, e.g. /dev/ttyACM0 */
	char sysfs[192];              /* its /sys/class/tty entry, "" when it had none */
	long long next_check_ms;
	struct serial_framer framer;
	scan_fn fn;                   /* set during dispatch() only */
	void *ctx;
};

/* libserialport's last error as text into buf (its string is freed here). */
static const char *sp_message(char *buf, size_t size)
{
	char *m = sp_last_error_message();

	snprintf(buf, size, "%s", m ? m : "unknown error");
	sp_free_error_message(m);
	return buf;
}

static int serial_check(const char *spec, struct wms_error *err)
{
	struct serial_options o;

	return serial_options_parse(spec, &o, err);
}

/* OUT name: the port of the USB device opt names.  WMS_ENOTFOUND. */
static int find_usb_port(const struct serial_options *opt, char *name, size_t size,
                         struct wms_error *err)
{
	struct sp_port **list = NULL;
	char msg[160];
	int rc = WMS_ENOTFOUND;

	if (sp_list_ports(&list) != SP_OK) {
		/* no /sys/class/tty at all: nothing is plugged in */
		return wms_error_set(err, WMS_ENOTFOUND, "no serial port with USB %04x:%04x: cannot list "
		                     "ports: %s", opt->vid, opt->pid, sp_message(msg, sizeof msg));
	}
	for (int i = 0; list[i] && rc < 0; i++) {
		int vid, pid;
		const char *sn;
		if (sp_get_port_transport(list[i]) != SP_TRANSPORT_USB ||
		    sp_get_port_usb_vid_pid(list[i], &vid, &pid) != SP_OK || vid != opt->vid ||
		    pid != opt->pid)
			continue;
		sn = sp_get_port_usb_serial(list[i]);
		if (opt->usb_serial[0] && (sn == NULL || strcmp(sn, opt->usb_serial) != 0))
			continue;
		snprintf(name, size, "%s", sp_get_port_name(list[i]));
		rc = 0;
	}
	sp_free_port_list(list);
	if (rc < 0)
		wms_error_set(err, WMS_ENOTFOUND, "no serial port with USB %04x:%04x%s%s is plugged in",
		              opt->vid, opt->pid, opt->usb_serial[0] ? " serial " : "", opt->usb_serial);
	return rc;
}

/* Open s->name and set its line: baud, framing, no flow control, DTR and
 * RTS on (CDC ACM scanners send only with DTR set). */
static int open_port(struct serial_src *s, struct wms_error *err)
{
	static const enum sp_parity parity[] = { ['N'] = SP_PARITY_NONE, ['E'] = SP_PARITY_EVEN,
	                                         ['O'] = SP_PARITY_ODD };
	struct sp_port_config *cfg = NULL;
	char msg[160];
	int rc = 0, flags;

	if (access(s->name, F_OK) < 0)
		return wms_error_set(err, WMS_ENOTFOUND, "serial port %s is not there (unplugged?)",
		                     s->name);
	if (sp_get_port_by_name(s->name, &s->port) != SP_OK) {
		s->port = NULL;
		return wms_error_set(err, WMS_EIO, "%s is not a serial port: %s", s->name,
		                     sp_message(msg, sizeof msg));
	}
	if (sp_open(s->port, SP_MODE_READ_WRITE) != SP_OK) {
		int e = sp_last_error_code();
		return wms_error_set(err, e == ENOENT || e == ENODEV || e == ENXIO ? WMS_ENOTFOUND : WMS_EIO,
		                     "cannot open %s: %s", s->name, sp_message(msg, sizeof msg));
	}
	if (sp_new_config(&cfg) != SP_OK || sp_set_config_baudrate(cfg, s->opt.baud) != SP_OK ||
	    sp_set_config_bits(cfg, s->opt.data_bits) != SP_OK ||
	    sp_set_config_parity(cfg, parity[(unsigned char)s->opt.parity]) != SP_OK ||
	    sp_set_config_stopbits(cfg, s->opt.stop_bits) != SP_OK ||
	    sp_set_config_flowcontrol(cfg, SP_FLOWCONTROL_NONE) != SP_OK ||
	    sp_set_config_dtr(cfg, SP_DTR_ON) != SP_OK || sp_set_config_rts(cfg, SP_RTS_ON) != SP_OK ||
	    sp_set_config(s->port, cfg) != SP_OK) {
		rc = wms_error_set(err, WMS_EIO, "cannot set %s to %d %d%c%d: %s", s->name, s->opt.baud,
		                   s->opt.data_bits, s->opt.parity, s->opt.stop_bits,
		                   sp_message(msg, sizeof msg));
		goto out;
	}
	if (sp_get_port_handle(s->port, &s->fd) != SP_OK || (flags = fcntl(s->fd, F_GETFL)) < 0 ||
	    fcntl(s->fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		rc = wms_error_set(err, WMS_EIO, "cannot make %s non-blocking: %s", s->name,
		                   strerror(errno));
		goto out;
	}
out:
	sp_free_config(cfg);
	return rc;
}

static void serial_close(struct scan_source *src)
{
	struct serial_src *s = (struct serial_src *)src;

	if (s == NULL)
		return;
	if (s->port) {
		sp_close(s->port);   /* fails harmlessly when the port was never opened */
		sp_free_port(s->port);
	}
	free(s);
}

static int serial_open(const char *spec, const char *station, struct scan_source **out,
                       struct wms_error *err)
{
	struct serial_src *s;
	const char *base;
	int rc;

	*out = NULL;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory opening serial:%.60s", spec);
	s->head.ops = &scan_source_serial;
	snprintf(s->head.station, sizeof s->head.station, "%s", station);
	snprintf(s->head.spec, sizeof s->head.spec, "%s", spec);
	s->fd = -1;
	if ((rc = serial_options_parse(spec, &s->opt, err)) < 0)
		goto fail;
	if (s->opt.port[0])
		snprintf(s->name, sizeof s->name, "%s", s->opt.port);
	else if ((rc = find_usb_port(&s->opt, s->name, sizeof s->name, err)) < 0)
		goto fail;
	if ((rc = open_port(s, err)) < 0)
		goto fail;
	base = strrchr(s->name, '/');
	snprintf(s->sysfs, sizeof s->sysfs, "/sys/class/tty/%s", base ? base + 1 : s->name);
	if (access(s->sysfs, F_OK) < 0)
		s->sysfs[0] = '\0';   /* a by-id symlink: the device node alone tells unplug */
	serial_framer_init(&s->framer, s->opt.term, s->opt.gap_ms);
	s->next_check_ms = scan_source_now_ms() + SERIAL_CHECK_MS;
	*out = &s->head;
	return 0;
fail:
	serial_close(&s->head);
	return rc;
}

static int serial_pollfds(const struct scan_source *src, struct pollfd *fds, int max)
{
	if (max < 1)
		return 0;
	fds[0] = (struct pollfd){ .fd = ((const struct serial_src *)src)->fd, .events = POLLIN };
	return 1;
}

static long serial_timeout_ms(const struct scan_source *src, long long now_ms)
{
	const struct serial_src *s = (const struct serial_src *)src;
	long gap = serial_framer_timeout_ms(&s->framer, now_ms);
	long long check = s->next_check_ms - now_ms;

	if (check < 0)
		check = 0;
	if (check > SERIAL_CHECK_MS)
		check = SERIAL_CHECK_MS;
	return gap >= 0 && gap < check ? gap : (long)check;
}

static void on_frame(void *ctx, const unsigned char *bytes, size_t len, const char *fault)
{
	struct serial_src *s = ctx;
	struct scan scan = { .station = s->head.station, .bytes = bytes, .len = len,
	                     .mono_ms = scan_source_now_ms(), .fault = fault,
	                     .gs = s->opt.gs, .gs_substitute = s->opt.gs_substitute };

	s->fn(s->ctx, &scan);
}

static bool present(const struct serial_src *s)
{
	return access(s->name, F_OK) == 0 && (s->sysfs[0] == '\0' || access(s->sysfs, F_OK) == 0);
}

/* The port is gone: deliver a partial scan, then report it. */
static int gone(struct serial_src *s, const char *why, struct wms_error *err)
{
	serial_framer_flush(&s->framer, on_frame, s);
	return wms_error_set(err, WMS_EIO, "%s: %s", s->name, why);
}

static int serial_dispatch(struct scan_source *src, short revents, scan_fn fn, void *ctx,
                           struct wms_error *err)
{
	struct serial_src *s = (struct serial_src *)src;
	unsigned char buf[1024];
	char msg[160];
	size_t got = 0;
	long long now;

	s->fn = fn;
	s->ctx = ctx;
	for (int i = 0; i < SERIAL_READS_MAX; i++) {
		int n = sp_nonblocking_read(s->port, buf, sizeof buf);
		if (n < 0)
			return gone(s, sp_message(msg, sizeof msg), err);
		if (n == 0)
			break;
		got += (size_t)n;
		serial_framer_feed(&s->framer, buf, (size_t)n, scan_source_now_ms(), on_frame, s);
	}
	if (revents & (POLLHUP | POLLERR | POLLNVAL))
		return gone(s, "hung up (unplugged?)", err);
	if ((revents & POLLIN) && got == 0)
		return gone(s, "end of input (unplugged?)", err);
	now = scan_source_now_ms();
	serial_framer_expire(&s->framer, now, on_frame, s);
	if (revents == 0 || now >= s->next_check_ms) {
		s->next_check_ms = now + SERIAL_CHECK_MS;
		if (!present(s))
			return gone(s, "unplugged", err);
	}
	return 0;
}

static int serial_signal(struct scan_source *src, enum scan_signal sig, struct wms_error *err)
{
	struct serial_src *s = (struct serial_src *)src;
	const unsigned char *bytes = sig == SCAN_SIGNAL_GOOD ? s->opt.good : s->opt.bad;
	size_t len = sig == SCAN_SIGNAL_GOOD ? s->opt.good_len : s->opt.bad_len;
	char msg[160];
	int n;

	if (len == 0)
		return 0;
	n = sp_nonblocking_write(s->port, bytes, len);
	if (n < 0)
		return wms_error_set(err, WMS_EIO, "write to %s: %s", s->name, sp_message(msg, sizeof msg));
	if ((size_t)n < len)
		return wms_error_set(err, WMS_EIO, "%s: only %d of %zu bytes of the %s signal written "
		                     "(output buffer full)", s->name, n, len,
		                     sig == SCAN_SIGNAL_GOOD ? "good" : "bad");
	return 0;
}

const struct scan_source_ops scan_source_serial = {
	.name = "serial",
	.usage = SERIAL_USAGE,
	.check = serial_check,
	.open = serial_open,
	.pollfds = serial_pollfds,
	.timeout_ms = serial_timeout_ms,
	.dispatch = serial_dispatch,
	.signal = serial_signal,
	.close = serial_close,
};
