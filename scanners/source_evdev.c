/*
 * source_evdev.c - a keyboard-wedge scanner seen by the kernel as an input
 * device (/dev/input/eventN, or a stable /dev/input/by-id/... link):
 *
 *   scanner = evdev:/dev/input/by-id/usb-Honeywell_Scanner-event-kbd layout=sv
 *
 * The device is grabbed (EVIOCGRAB) as it is opened, so that the scanner's
 * keystrokes reach only us and never a console or a desktop session; a
 * device that another program holds is refused (WMS_EIO, the daemon retries)
 * rather than read alongside it.  Key presses become HID usages through
 * keymap.h and are typed by hid_keyboard.c, the same decoder as a USB
 * boot-keyboard scanner's, so both give the same bytes on the same layout
 * (Enter ends a scan, the scan is bounded, GS from Ctrl+]).
 *
 * Input events are untrusted too: read() is taken in whole struct
 * input_event units with a partial one kept for the next read, autorepeat
 * (value 2) types nothing, and a SYN_DROPPED from the kernel (its buffer
 * overflowed: keys were lost) makes the scan in progress a fault instead of
 * a silently shortened barcode.  ENODEV (unplugged) reports the source gone.
 */
#include "scan_source.h"

#include "hid_keyboard.h"
#include "keymap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct evdev {
	struct scan_source head;      /* first: a struct scan_source * is a struct evdev * */
	int fd;
	bool grabbed;
	struct hid_kbd kbd;
	unsigned char part[sizeof(struct input_event)];  /* a partial event from the last read */
	size_t part_len;
	bool dropped;                 /* SYN_DROPPED during the scan in progress */
	unsigned mods;                /* KEYMAP_MOD_* bits now down */
	scan_fn fn;                   /* the caller's, during dispatch() */
	void *ctx;
};

static int evdev_parse(const char *spec, struct scan_spec *s, enum keymap_layout *layout,
                       struct scan_source *head, struct wms_error *err)
{
	const char *name;
	int rc;

	/* a keyboard wedge drops GS unless it is set to send it (Ctrl+] or Alt+0029) */
	if ((rc = scan_spec_parse(spec, "layout gs", s, err)) < 0 ||
	    (rc = scan_spec_gs(s, GS1_SEP_DROPPED, &head->gs, &head->gs_substitute, err)) < 0)
		return rc;
	if (strncmp(s->first, "/dev/input/", 11) != 0)
		return wms_error_set(err, WMS_ECONFIG, "evdev:%.60s: an input device path is needed "
		                     "(/dev/input/eventN or /dev/input/by-id/...)", spec);
	*layout = KEYMAP_US;
	name = scan_spec_get(s, "layout");
	if (name && !keymap_layout_parse(name, layout))
		return wms_error_set(err, WMS_ECONFIG, "evdev: layout=%.20s is not known; allowed: %s",
		                     name, keymap_layouts());
	return 0;
}

static int evdev_check(const char *spec, struct wms_error *err)
{
	struct scan_spec s;
	enum keymap_layout layout;
	struct scan_source head;

	return evdev_parse(spec, &s, &layout, &head, err);
}

static int evdev_open(const char *spec, const char *station, struct scan_source **out,
                      struct wms_error *err)
{
	struct evdev *e;
	struct scan_spec s;
	enum keymap_layout layout;
	struct scan_source head;
	int rc;

	*out = NULL;
	if ((rc = evdev_parse(spec, &s, &layout, &head, err)) < 0)
		return rc;
	if ((e = calloc(1, sizeof *e)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory opening %s", spec);
	e->head.gs = head.gs;
	e->head.gs_substitute = head.gs_substitute;
	e->head.ops = &scan_source_evdev;
	snprintf(e->head.station, sizeof e->head.station, "%s", station);
	snprintf(e->head.spec, sizeof e->head.spec, "%s", s.first);
	hid_kbd_init(&e->kbd, layout);
	e->fd = open(s.first, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (e->fd < 0) {
		rc = wms_error_set(err, errno == ENOENT || errno == ENODEV ? WMS_ENOTFOUND : WMS_EIO,
		                   "cannot open %s: %s", s.first, strerror(errno));
		goto fail;
	}
	if (ioctl(e->fd, EVIOCGRAB, 1) < 0) {
		rc = wms_error_set(err, WMS_EIO, "cannot grab %s: %s", s.first,
		                   errno == EBUSY ? "another program holds it (a console or desktop "
		                   "reading the scanner as a keyboard)" :
		                   errno == ENOTTY || errno == EINVAL ? "not an input event device" :
		                   strerror(errno));
		goto fail;
	}
	e->grabbed = true;
	*out = &e->head;
	return 0;
fail:
	if (e->fd >= 0)
		close(e->fd);
	free(e);
	return rc;
}

static int evdev_pollfds(const struct scan_source *src, struct pollfd *fds, int max)
{
	if (max < 1)
		return 0;
	fds[0] = (struct pollfd){ .fd = ((const struct evdev *)src)->fd, .events = POLLIN };
	return 1;
}

/* hid_keyboard's callback: add station, time and a lost-events fault. */
static void deliver(void *ctx, const struct scan *scan)
{
	struct evdev *e = ctx;
	struct scan s = *scan;

	s.station = e->head.station;
	s.mono_ms = scan_source_now_ms();
	s.gs = e->head.gs;
	s.gs_substitute = e->head.gs_substitute;
	if (s.fault == NULL && e->dropped)
		s.fault = "keystrokes lost (the kernel dropped input events), scan incomplete";
	e->dropped = false;
	e->fn(e->ctx, &s);
}

static unsigned mod_bit(unsigned usage)
{
	return usage >= KEYMAP_USAGE_LCTRL && usage <= KEYMAP_USAGE_RGUI ?
	       1u << (usage - KEYMAP_USAGE_LCTRL) : 0;
}

static void event(struct evdev *e, const struct input_event *ev)
{
	unsigned usage, bit;

	if (ev->type == EV_SYN && ev->code == SYN_DROPPED) {
		e->dropped = true;
		return;
	}
	if (ev->type != EV_KEY || ev->value == 2)    /* autorepeat types nothing */
		return;
	if ((usage = keymap_usage_from_linux(ev->code)) == 0)
		return;
	if ((bit = mod_bit(usage)) != 0) {
		e->mods = ev->value ? e->mods | bit : e->mods & ~bit;
		hid_kbd_modifiers(&e->kbd, e->mods, deliver, e);
	} else if (ev->value == 1) {
		hid_kbd_press(&e->kbd, usage, deliver, e);
	}
}

static int evdev_dispatch(struct scan_source *src, short revents, scan_fn fn, void *ctx,
                          struct wms_error *err)
{
	struct evdev *e = (struct evdev *)src;
	unsigned char buf[64 * sizeof(struct input_event)];

	(void)revents;
	e->fn = fn;
	e->ctx = ctx;
	for (;;) {
		size_t have = e->part_len, off = 0;
		ssize_t n;

		memcpy(buf, e->part, have);
		n = read(e->fd, buf + have, sizeof buf - have);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return wms_error_set(err, WMS_EIO, "read %s: %s", e->head.spec,
			                     errno == ENODEV ? "device unplugged" : strerror(errno));
		}
		if (n == 0)
			return wms_error_set(err, WMS_EIO, "%s: end of input", e->head.spec);
		have += (size_t)n;
		for (; have - off >= sizeof(struct input_event); off += sizeof(struct input_event)) {
			struct input_event ev;
			memcpy(&ev, buf + off, sizeof ev);
			event(e, &ev);
		}
		e->part_len = have - off;
		memcpy(e->part, buf + off, e->part_len);
	}
}

static void evdev_close(struct scan_source *src)
{
	struct evdev *e = (struct evdev *)src;

	if (e == NULL)
		return;
	if (e->grabbed)
		(void)ioctl(e->fd, EVIOCGRAB, 0);   /* closing releases it too; be explicit */
	if (e->fd >= 0)
		close(e->fd);
	free(e);
}

const struct scan_source_ops scan_source_evdev = {
	.name = "evdev",
	.usage = "evdev:/dev/input/eventN|/dev/input/by-id/... [layout=us|sv] (keyboard-wedge "
	         "scanner, grabbed)",
	.check = evdev_check,
	.open = evdev_open,
	.pollfds = evdev_pollfds,
	.dispatch = evdev_dispatch,
	.close = evdev_close,
};
