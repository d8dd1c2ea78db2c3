/*
 * source_usb.c - USB barcode scanners through libusb: kinds "usb-pos" (HID
 * POS reports, decoded by hid_pos.c) and "usb-kbd" (boot-keyboard reports,
 * decoded by hid_keyboard.c).
 *
 *   scanner = usb-pos:VID:PID [serial=SN] [interface=N] [endpoint=0x81] [profile=honeywell|zebra|newland] [gs=sent|dropped|C] [transfers=4]
 *   scanner = usb-kbd:VID:PID [serial=SN] [interface=N] [endpoint=0x81] [keymap=us] [gs=...] [transfers=4]
 *
 * One libusb context per source, so that a source's descriptors, hotplug
 * callbacks and transfers are its own.  The daemon polls the context's
 * descriptors (kept current through libusb's pollfd notifiers) and dispatch
 * runs libusb's event handling without blocking; scans are delivered from
 * the transfer callback, which only runs inside dispatch.
 *
 * Opening finds the device by VID:PID (and serial number: read from sysfs,
 * else from the string descriptor), claims the interface, detaching the
 * kernel driver only when libusb_kernel_driver_active() says one is bound
 * (it is reattached on close), and keeps `transfers` interrupt IN
 * transfers in flight (default USB_XFERS_DEFAULT), each resubmitted when it
 * completes: the reports that arrive between two dispatches wait in the
 * kernel's URBs instead of being NAKed until the next resubmit, so one
 * dispatch (one loop turn) takes every report that came, as a FIFO station
 * takes every line.  The URBs of one endpoint complete in the order they
 * were submitted, and libusb calls back in that order: a scan split over
 * several reports stays in order.  An absent device is
 * WMS_ENOTFOUND (the daemon retries).  No control requests are sent (no
 * SET_PROTOCOL, no report descriptor fetch): keyboard-wedge scanners send
 * boot-format reports in report protocol too.  Without interface=N the
 * interface is chosen by what it is (choose_iface(): the report
 * descriptor's usage page from sysfs, 0x8C for usb-pos, never the vendor
 * page 0xFF8C), so a composite scanner with a boot keyboard and HID POS
 * under one VID:PID works either way.  The HID POS profile defaults by
 * vendor (05e0 zebra, 1eab newland, else honeywell); a Zebra whose product
 * id says the kind cannot read its mode is refused (usb_mode_check()).
 *
 * Unplug: with libusb hotplug (Linux) the source stays open when its
 * device leaves: it releases the handle, waits for an ARRIVED event of the
 * same VID:PID (and serial) and resumes on its own, at once and with no
 * polling.  Without hotplug, a device that is gone is WMS_EIO and the
 * daemon's reopen timer brings it back.  A transfer error other than "no
 * device" is WMS_EIO as well.  A scan cut by the unplug is dropped.
 */
#include "source_usb.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hid_desc.h"
#include "hid_keyboard.h"
#include "hid_pos.h"
#include "keymap.h"

#define USB_CLOSE_WAIT_MS 50   /* one wait for a cancelled transfer at close */
#define USB_CLOSE_TRIES   10
#define USB_XFERS_MAX     16   /* transfers=N: 1 .. this */
#define USB_XFERS_DEFAULT 4

struct usb_src {
	struct scan_source head;      /* first: a struct scan_source * is a struct usb_src * */
	bool is_kbd;                  /* usb-kbd, else usb-pos */
	unsigned vid, pid;
	char serial[104];             /* "" = any */
	int iface;                    /* interface=N, or -1: chosen by what it is */
	int cur_iface;                /* the interface claimed now */
	int endpoint;                 /* -1: the interface's first interrupt IN endpoint */
	const struct hid_pos_profile *profile;
	enum keymap_layout layout;
	int n_xfers;                  /* transfers=N */

	libusb_context *ctx;
	libusb_hotplug_callback_handle hotplug;
	bool has_hotplug;
	struct pollfd fds[SCAN_SOURCE_MAX_FDS];
	int nfds;

	libusb_device_handle *h;      /* NULL while the device is away */
	bool claimed, driver_detached;
	struct libusb_transfer *xfer[USB_XFERS_MAX];   /* n_xfers of them while attached */
	bool busy[USB_XFERS_MAX];     /* xfer[i] is submitted and its callback has not run */
	int in_flight;                /* how many are busy */
	bool arrived, left, gone;     /* set by callbacks, acted on in dispatch */
	bool failed;                  /* a transfer error: dispatch reports it */
	char why[160];

	scan_fn fn;                   /* the dispatch caller's, NULL outside dispatch */
	void *fn_ctx;
	struct hid_pos pos;
	struct hid_kbd kbd;
};

static const struct scan_source_ops *usb_ops(bool kbd)
{
	return kbd ? &scan_source_usb_kbd : &scan_source_usb_pos;
}

/* ---- the SPEC ---- */

static int parse_hex(const char *s, size_t len, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (len == 0 || len > 6)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return -1;   /* no sign, no space, no "0x" */
	errno = 0;
	v = strtoul(s, &end, 16);
	if (errno || end != s + len || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

#define ZEBRA_VID   0x05e0
#define NEWLAND_VID 0x1eab

/*
 * Zebra (Symbol) scanners show their USB host mode in the product id
 * (MS4404/MS4407 integration guide; Linux hid-ids.h; the DS6708 and DS6608
 * captures in /work/shared/scanner-captures.md section 2): refuse a SPEC
 * whose kind cannot read that mode, saying which kind can.
 */
static int usb_mode_check(bool kbd, unsigned vid, unsigned pid, struct wms_error *err)
{
	static const struct { unsigned pid; const char *mode; bool kbd, pos; } zebra[] = {
		{ 0x0600, "Simple COM Port Emulation (vendor-defined HID blocks)", false, false },
		{ 0x1200, "HID keyboard emulation", true, false },
		{ 0x1300, "USB OPOS / IBM hand-held", false, true },
		{ 0x1400, "IBM table-top", false, true },
		{ 0x1900, "SNAPI (Zebra's binary protocol)", false, false },
	};

	if (vid != ZEBRA_VID)
		return 0;
	for (size_t i = 0; i < sizeof zebra / sizeof zebra[0]; i++) {
		if (zebra[i].pid != pid || (kbd ? zebra[i].kbd : zebra[i].pos))
			continue;
		return wms_error_set(err, WMS_ECONFIG, "%s:%04x:%04x: this Zebra scanner is in %s "
		                     "mode (its product id says so), which %s cannot read; %s", kbd ?
		                     "usb-kbd" : "usb-pos", vid, pid, zebra[i].mode,
		                     kbd ? "usb-kbd" : "usb-pos", zebra[i].kbd ? "use usb-kbd: or "
		                     "evdev:, or scan the scanner's USB OPOS / HID POS mode barcode" :
		                     "scan the scanner's HID keyboard or USB OPOS / HID POS mode "
		                     "barcode");
	}
	return 0;
}

static int usb_parse(bool kbd, const char *spec, struct usb_src *u, struct wms_error *err)
{
	const char *kind = kbd ? "usb-kbd" : "usb-pos";
	struct scan_spec s;
	const char *colon, *v;
	long n;
	unsigned ep;
	int rc;

	if ((rc = scan_spec_parse(spec, kbd ? "serial interface endpoint keymap gs transfers"
	                                    : "serial interface endpoint profile gs transfers", &s,
	                          err)) < 0 ||
	    (rc = scan_spec_gs(&s, kbd ? GS1_SEP_DROPPED : GS1_SEP_SENT, &u->head.gs,
	                       &u->head.gs_substitute, err)) < 0)
		return rc;
	colon = strchr(s.first, ':');
	if (colon == NULL || parse_hex(s.first, (size_t)(colon - s.first), 0xffff, &u->vid) < 0 ||
	    parse_hex(colon + 1, strlen(colon + 1), 0xffff, &u->pid) < 0 || colon - s.first != 4 ||
	    strlen(colon + 1) != 4)
		return wms_error_set(err, WMS_ECONFIG,
		                     "%s:%.60s: the device must be VID:PID, four hex digits each "
		                     "(e.g. 0c2e:0b87)", kind, spec);
	v = scan_spec_get(&s, "serial");
	snprintf(u->serial, sizeof u->serial, "%s", v ? v : "");
	if ((rc = scan_spec_long(&s, "interface", 0, 31, -1, &n, err)) < 0)
		return rc;
	u->iface = (int)n;
	if ((rc = scan_spec_long(&s, "transfers", 1, USB_XFERS_MAX, USB_XFERS_DEFAULT, &n, err)) < 0)
		return rc;
	u->n_xfers = (int)n;
	if ((rc = usb_mode_check(kbd, u->vid, u->pid, err)) < 0)
		return rc;
	u->endpoint = -1;
	if ((v = scan_spec_get(&s, "endpoint")) != NULL) {
		if (strncmp(v, "0x", 2) != 0 || parse_hex(v + 2, strlen(v + 2), 0xff, &ep) < 0 ||
		    ep < 0x81 || ep > 0x8f)
			return wms_error_set(err, WMS_ECONFIG,
			                     "%s: endpoint=%.20s: an IN endpoint address from 0x81 to 0x8f",
			                     kind, v);
		u->endpoint = (int)ep;
	}
	u->layout = KEYMAP_US;
	if (kbd && (v = scan_spec_get(&s, "keymap")) != NULL && !keymap_layout_parse(v, &u->layout))
		return wms_error_set(err, WMS_ECONFIG, "%s: keymap=%.20s: one of %s", kind, v,
		                     keymap_layouts());
	if (!kbd) {
		v = scan_spec_get(&s, "profile");
		u->profile = hid_pos_profile_find(v ? v : u->vid == ZEBRA_VID ? "zebra" :
		                                  u->vid == NEWLAND_VID ? "newland" : "honeywell");
		if (u->profile == NULL)
			return wms_error_set(err, WMS_ECONFIG, "%s: profile=%.20s: one of %s", kind, v,
			                     hid_pos_profiles());
	}
	return 0;
}

static int pos_check(const char *spec, struct wms_error *err)
{
	struct usb_src u;

	return usb_parse(false, spec, &u, err);
}

static int kbd_check(const char *spec, struct wms_error *err)
{
	struct usb_src u;

	return usb_parse(true, spec, &u, err);
}

/* ---- descriptors to poll ---- */

static void on_pollfd_added(int fd, short events, void *user_data)
{
	struct usb_src *u = user_data;

	for (int i = 0; i < u->nfds; i++)
		if (u->fds[i].fd == fd) {
			u->fds[i].events = events;
			return;
		}
	if (u->nfds < SCAN_SOURCE_MAX_FDS)
		u->fds[u->nfds++] = (struct pollfd){ .fd = fd, .events = events };
}

static void on_pollfd_removed(int fd, void *user_data)
{
	struct usb_src *u = user_data;

	for (int i = 0; i < u->nfds; i++)
		if (u->fds[i].fd == fd) {
			u->fds[i] = u->fds[--u->nfds];
			return;
		}
}

static int usb_pollfds(const struct scan_source *src, struct pollfd *fds, int max)
{
	const struct usb_src *u = (const struct usb_src *)src;
	int n = u->nfds < max ? u->nfds : max;

	memcpy(fds, u->fds, (size_t)n * sizeof *fds);
	return n;
}

static long usb_timeout_ms(const struct scan_source *src, long long now_ms)
{
	const struct usb_src *u = (const struct usb_src *)src;
	struct timeval tv;

	(void)now_ms;
	if (libusb_get_next_timeout(u->ctx, &tv) != 1)
		return -1;
	return (long)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
}

/* ---- scans ---- */

/* The decoders' callback: add the station and the time, pass it on. */
static void deliver(void *ctx, const struct scan *s)
{
	struct usb_src *u = ctx;
	struct scan out = *s;

	if (u->fn == NULL)
		return;   /* a report reaped while closing: nobody to tell */
	out.station = u->head.station;
	out.mono_ms = scan_source_now_ms();
	out.gs = u->head.gs;
	out.gs_substitute = u->head.gs_substitute;
	u->fn(u->fn_ctx, &out);
}

/* The index of t in u->xfer. */
static int xfer_index(const struct usb_src *u, const struct libusb_transfer *t)
{
	int i = 0;

	while (i < u->n_xfers - 1 && u->xfer[i] != t)
		i++;
	return i;
}

static void submit(struct usb_src *u, int i)
{
	int rc = libusb_submit_transfer(u->xfer[i]);

	if (rc == 0) {
		u->busy[i] = true;
		u->in_flight++;
	} else if (rc == LIBUSB_ERROR_NO_DEVICE) {
		u->gone = true;
	} else {
		u->failed = true;
		snprintf(u->why, sizeof u->why, "cannot submit an interrupt transfer: %s",
		         libusb_strerror(rc));
	}
}

static void LIBUSB_CALL on_transfer(struct libusb_transfer *t)
{
	struct usb_src *u = t->user_data;
	int i = xfer_index(u, t);

	u->busy[i] = false;
	u->in_flight--;
	switch (t->status) {
	case LIBUSB_TRANSFER_COMPLETED:
		if (u->is_kbd)
			hid_kbd_report(&u->kbd, t->buffer, (size_t)t->actual_length, deliver, u);
		else
			hid_pos_report(&u->pos, t->buffer, (size_t)t->actual_length, deliver, u);
		break;
	case LIBUSB_TRANSFER_OVERFLOW: {
		struct scan s = { .fault = "USB report longer than the endpoint's packet size" };
		deliver(u, &s);
		break;
	}
	case LIBUSB_TRANSFER_TIMED_OUT:
		break;   /* not used (no timeout), harmless */
	case LIBUSB_TRANSFER_NO_DEVICE:
		u->gone = true;
		return;
	case LIBUSB_TRANSFER_CANCELLED:
		return;
	default:
		u->failed = true;
		snprintf(u->why, sizeof u->why, "interrupt transfer failed: %s",
		         libusb_error_name(t->status));
		return;
	}
	if (u->h && !u->left && !u->gone && !u->failed && u->fn)
		submit(u, i);
}

/* Cancel every transfer in flight (their callbacks run in a later event handling). */
static void cancel_all(struct usb_src *u)
{
	for (int i = 0; i < u->n_xfers; i++)
		if (u->busy[i])
			libusb_cancel_transfer(u->xfer[i]);
}

/* ---- the device ---- */

/* The device's serial number into out ("" if it has none): sysfs, else its descriptor. */
static void device_serial(libusb_device *dev, const struct libusb_device_descriptor *d,
                          char *out, size_t size)
{
	uint8_t ports[8];
	char path[128];
	size_t len;
	int n = libusb_get_port_numbers(dev, ports, sizeof ports);
	libusb_device_handle *h;
	FILE *f;

	out[0] = '\0';
	if (n > 0) {
		len = (size_t)snprintf(path, sizeof path, "/sys/bus/usb/devices/%u-%u",
		                       libusb_get_bus_number(dev), ports[0]);
		for (int i = 1; i < n && len < sizeof path; i++)
			len += (size_t)snprintf(path + len, sizeof path - len, ".%u", ports[i]);
		if (len + sizeof "/serial" <= sizeof path) {
			strcat(path, "/serial");
			if ((f = fopen(path, "re")) != NULL) {
				if (fgets(out, (int)size, f) == NULL)
					out[0] = '\0';
				fclose(f);
				out[strcspn(out, "\r\n")] = '\0';
				return;
			}
		}
	}
	if (d->iSerialNumber && libusb_open(dev, &h) == 0) {
		if (libusb_get_string_descriptor_ascii(h, d->iSerialNumber, (unsigned char *)out,
		                                       (int)size) < 0)
			out[0] = '\0';
		libusb_close(h);
	}
}

/* The attached device that the spec names, referenced (libusb_unref_device), or NULL. */
static libusb_device *find_device(struct usb_src *u)
{
	libusb_device **list, *found = NULL;
	struct libusb_device_descriptor d;
	char serial[128];
	ssize_t n = libusb_get_device_list(u->ctx, &list);

	for (ssize_t i = 0; i < n && found == NULL; i++) {
		if (libusb_get_device_descriptor(list[i], &d) < 0 || d.idVendor != u->vid ||
		    d.idProduct != u->pid)
			continue;
		if (u->serial[0]) {
			device_serial(list[i], &d, serial, sizeof serial);
			if (strcmp(serial, u->serial) != 0)
				continue;
		}
		found = libusb_ref_device(list[i]);
	}
	if (n >= 0)
		libusb_free_device_list(list, 1);
	return found;
}

/*
 * What HID interface iface of dev is, from the report descriptor the
 * kernel's usbhid publishes in sysfs (.../B-P:C.I/XXXX:VVVV:PPPP.N/
 * report_descriptor): *page and *usage of its application collection.
 * False when sysfs has none (no driver bound, or not Linux).
 */
static bool iface_usage(libusb_device *dev, int config, int iface, unsigned *page,
                        unsigned *usage)
{
	uint8_t ports[8];
	char path[256];
	unsigned char desc[4096];
	size_t len;
	int n = libusb_get_port_numbers(dev, ports, sizeof ports);
	DIR *dir;
	struct dirent *e;
	bool ok = false;

	if (n <= 0)
		return false;
	len = (size_t)snprintf(path, sizeof path, "/sys/bus/usb/devices/%u-%u",
	                       libusb_get_bus_number(dev), ports[0]);
	for (int i = 1; i < n && len < sizeof path; i++)
		len += (size_t)snprintf(path + len, sizeof path - len, ".%u", ports[i]);
	if (len >= sizeof path - 64)
		return false;
	len += (size_t)snprintf(path + len, sizeof path - len, ":%d.%d", config, iface);
	if ((dir = opendir(path)) == NULL)
		return false;
	while (!ok && (e = readdir(dir)) != NULL) {
		char file[sizeof path + 300];
		FILE *f;
		size_t got;

		if (strchr(e->d_name, ':') == NULL)
			continue;   /* the HID device: 0003:0C2E:0901.0007 */
		snprintf(file, sizeof file, "%s/%s/report_descriptor", path, e->d_name);
		if ((f = fopen(file, "re")) == NULL)
			continue;
		got = fread(desc, 1, sizeof desc, f);
		fclose(f);
		ok = hid_desc_application(desc, got, page, usage);
	}
	closedir(dir);
	return ok;
}

/*
 * interface= not given: the HID interface of the kind we read.  usb-kbd:
 * the boot keyboard (subclass 1, protocol 1), else one whose report
 * descriptor says keyboard (0x01/0x06).  usb-pos: the one whose report
 * descriptor says HID POS, usage page 0x8C, never Honeywell's vendor page
 * 0xFF8C (a composite Honeywell has a boot keyboard, the HID POS interface
 * and maybe that "ReM" interface under one VID:PID); without descriptors,
 * the only HID interface that is no boot keyboard.
 */
static int choose_iface(struct usb_src *u, libusb_device *dev,
                        const struct libusb_config_descriptor *cfg, struct wms_error *err)
{
	int plain = -1, n_plain = 0;
	char seen[160] = "";

	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		const struct libusb_interface_descriptor *a;
		unsigned page = 0, usage = 0;
		bool known;

		if (cfg->interface[i].num_altsetting < 1)
			continue;
		a = &cfg->interface[i].altsetting[0];
		if (a->bInterfaceClass != LIBUSB_CLASS_HID)
			continue;
		known = iface_usage(dev, cfg->bConfigurationValue, a->bInterfaceNumber, &page, &usage);
		if (known)
			snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%s%d: page 0x%X",
			         seen[0] ? ", " : "", a->bInterfaceNumber, page);
		if (u->is_kbd) {
			if ((a->bInterfaceSubClass == 1 && a->bInterfaceProtocol == 1) ||
			    (known && page == HID_PAGE_DESKTOP && usage == HID_USAGE_KEYBOARD))
				return a->bInterfaceNumber;
			continue;
		}
		if (known && page == HID_PAGE_POS)
			return a->bInterfaceNumber;
		if (!known && !(a->bInterfaceSubClass == 1 && a->bInterfaceProtocol == 1)) {
			plain = a->bInterfaceNumber;
			n_plain++;
		}
	}
	if (!u->is_kbd && n_plain == 1)
		return plain;
	return wms_error_set(err, WMS_ECONFIG, "%s: no %s interface found%s%s%s; name it with "
	                     "interface=N", u->head.spec, u->is_kbd ? "keyboard" :
	                     "HID POS (usage page 0x8C)", seen[0] ? " (HID interfaces " : "", seen,
	                     seen[0] ? ")" : "");
}

/* The interrupt IN endpoint to read and its packet size, from the active configuration. */
static int find_endpoint(struct usb_src *u, libusb_device *dev, int *ep, int *size,
                         struct wms_error *err)
{
	struct libusb_config_descriptor *cfg = NULL;
	const struct libusb_interface_descriptor *alt;
	int rc;

	*ep = -1;
	if ((rc = libusb_get_active_config_descriptor(dev, &cfg)) < 0)
		return wms_error_set(err, WMS_EIO, "%s: cannot read the configuration descriptor: %s",
		                     u->head.spec, libusb_strerror(rc));
	u->cur_iface = u->iface;
	if (u->iface < 0 && (rc = u->cur_iface = choose_iface(u, dev, cfg, err)) < 0)
		goto out;
	if (u->cur_iface >= cfg->bNumInterfaces ||
	    cfg->interface[u->cur_iface].num_altsetting < 1) {
		rc = wms_error_set(err, WMS_ECONFIG, "%s: the device has no interface %d (it has %d)",
		                   u->head.spec, u->cur_iface, cfg->bNumInterfaces);
		goto out;
	}
	alt = &cfg->interface[u->cur_iface].altsetting[0];
	for (int i = 0; i < alt->bNumEndpoints && *ep < 0; i++) {
		const struct libusb_endpoint_descriptor *e = &alt->endpoint[i];
		if ((e->bmAttributes & 0x03) != LIBUSB_TRANSFER_TYPE_INTERRUPT ||
		    !(e->bEndpointAddress & LIBUSB_ENDPOINT_IN))
			continue;
		if (u->endpoint >= 0 && e->bEndpointAddress != u->endpoint)
			continue;
		*ep = e->bEndpointAddress;
		*size = e->wMaxPacketSize & 0x7ff;
	}
	rc = 0;
	if (*ep < 0 || *size < 1)
		rc = wms_error_set(err, WMS_ECONFIG, "%s: interface %d has no interrupt IN endpoint%s",
		                   u->head.spec, u->cur_iface,
		                   u->endpoint >= 0 ? " with that address" : "");
out:
	libusb_free_config_descriptor(cfg);
	return rc;
}

/* Give the device back: transfer freed, interface released, kernel driver reattached. */
static void release_device(struct usb_src *u)
{
	if (u->h == NULL || u->in_flight > 0)
		return;   /* in flight: called again once the callbacks have run */
	for (int i = 0; i < u->n_xfers; i++) {
		if (u->xfer[i])
			free(u->xfer[i]->buffer);
		libusb_free_transfer(u->xfer[i]);
		u->xfer[i] = NULL;
	}
	if (u->claimed)
		libusb_release_interface(u->h, u->cur_iface);
	if (u->driver_detached)
		libusb_attach_kernel_driver(u->h, u->cur_iface);
	libusb_close(u->h);
	u->h = NULL;
	u->claimed = u->driver_detached = false;
	u->left = u->gone = false;
}

/* Find, open and claim the device and start reading.  WMS_ENOTFOUND if it is not attached. */
static int attach_device(struct usb_src *u, struct wms_error *err)
{
	libusb_device *dev = find_device(u);
	int rc, ep = -1, size = 0;

	if (dev == NULL)
		return wms_error_set(err, WMS_ENOTFOUND, "%s: no such USB device attached",
		                     u->head.spec);
	if ((rc = find_endpoint(u, dev, &ep, &size, err)) < 0)
		goto out;
	if ((rc = libusb_open(dev, &u->h)) < 0) {
		u->h = NULL;
		rc = wms_error_set(err, rc == LIBUSB_ERROR_NO_DEVICE ? WMS_ENOTFOUND : WMS_EIO,
		                   "%s: cannot open the device: %s%s", u->head.spec, libusb_strerror(rc),
		                   rc == LIBUSB_ERROR_ACCESS ? " (no permission: the udev rules "
		                                               "60-wmsd-scanners.rules must list its "
		                                               "vendor)" : "");
		goto out;
	}
	/* detach only a driver that is bound: umockdev and some kernels say 0 and refuse detach */
	if (libusb_kernel_driver_active(u->h, u->cur_iface) == 1) {
		if ((rc = libusb_detach_kernel_driver(u->h, u->cur_iface)) < 0) {
			rc = wms_error_set(err, WMS_EIO, "%s: cannot detach the kernel driver of "
			                   "interface %d: %s", u->head.spec, u->cur_iface, libusb_strerror(rc));
			goto fail;
		}
		u->driver_detached = true;
	}
	if ((rc = libusb_claim_interface(u->h, u->cur_iface)) < 0) {
		rc = wms_error_set(err, WMS_EIO, "%s: cannot claim interface %d: %s%s", u->head.spec,
		                   u->cur_iface, libusb_strerror(rc),
		                   rc == LIBUSB_ERROR_BUSY ? " (another program holds it)" : "");
		goto fail;
	}
	u->claimed = true;
	/* a report longer than one packet arrives in several: read a whole report */
	if (!u->is_kbd && (size_t)size < hid_pos_report_size(u->profile))
		size = (int)hid_pos_report_size(u->profile);
	for (int i = 0; i < u->n_xfers; i++) {
		unsigned char *buf = malloc((size_t)size);
		if (buf == NULL || (u->xfer[i] = libusb_alloc_transfer(0)) == NULL) {
			free(buf);
			rc = wms_error_set(err, WMS_ENOMEM, "%s: out of memory", u->head.spec);
			goto fail;
		}
		libusb_fill_interrupt_transfer(u->xfer[i], u->h, (unsigned char)ep, buf, size,
		                               on_transfer, u, 0);
	}
	if (u->is_kbd)
		hid_kbd_init(&u->kbd, u->layout);
	else
		hid_pos_init(&u->pos, u->profile);
	u->left = u->gone = u->failed = false;
	if ((rc = libusb_submit_transfer(u->xfer[0])) < 0) {
		rc = wms_error_set(err, rc == LIBUSB_ERROR_NO_DEVICE ? WMS_ENOTFOUND : WMS_EIO,
		                   "%s: cannot start reading: %s", u->head.spec, libusb_strerror(rc));
		goto fail;
	}
	u->busy[0] = true;
	u->in_flight = 1;
	/* the others as the first: one that cannot be submitted says so at dispatch */
	for (int i = 1; i < u->n_xfers && !u->gone && !u->failed; i++)
		submit(u, i);
	rc = 0;
	goto out;
fail:
	release_device(u);
out:
	libusb_unref_device(dev);
	return rc;
}

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev,
                                  libusb_hotplug_event event, void *user_data)
{
	struct usb_src *u = user_data;

	(void)ctx;
	if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
		u->arrived = true;   /* opened in dispatch: not from inside a callback */
	else if (u->h && libusb_get_device(u->h) == dev)
		u->left = true;
	return 0;
}

/* ---- the ops ---- */

static void usb_close(struct scan_source *src)
{
	struct usb_src *u = (struct usb_src *)src;
	struct timeval wait = { 0, USB_CLOSE_WAIT_MS * 1000 };

	if (u == NULL)
		return;
	u->fn = NULL;
	cancel_all(u);
	for (int i = 0; i < USB_CLOSE_TRIES && u->in_flight > 0; i++)
		libusb_handle_events_timeout_completed(u->ctx, &wait, NULL);
	for (int i = 0; i < u->n_xfers; i++)
		if (u->busy[i]) {
			/* never completed: freeing it now would be a use after free in libusb */
			u->xfer[i] = NULL;
			u->busy[i] = false;
		}
	u->in_flight = 0;
	release_device(u);
	if (u->ctx) {
		if (u->has_hotplug)
			libusb_hotplug_deregister_callback(u->ctx, u->hotplug);
		libusb_set_pollfd_notifiers(u->ctx, NULL, NULL, NULL);
		libusb_exit(u->ctx);
	}
	free(u);
}

static int usb_open(bool kbd, const char *spec, const char *station, struct scan_source **out,
                    struct wms_error *err)
{
	struct usb_src *u;
	const struct libusb_pollfd **pfds;
	int rc;

	*out = NULL;
	if ((u = calloc(1, sizeof *u)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory opening %s", spec);
	u->head.ops = usb_ops(kbd);
	u->is_kbd = kbd;
	snprintf(u->head.station, sizeof u->head.station, "%s", station);
	snprintf(u->head.spec, sizeof u->head.spec, "%s:%s", kbd ? "usb-kbd" : "usb-pos", spec);
	if ((rc = usb_parse(kbd, spec, u, err)) < 0)
		goto fail;
	if ((rc = libusb_init(&u->ctx)) < 0) {
		u->ctx = NULL;
		rc = wms_error_set(err, WMS_EIO, "%s: cannot start libusb: %s", u->head.spec,
		                   libusb_strerror(rc));
		goto fail;
	}
	if ((pfds = libusb_get_pollfds(u->ctx)) != NULL) {
		for (int i = 0; pfds[i]; i++)
			on_pollfd_added(pfds[i]->fd, pfds[i]->events, u);
		libusb_free_pollfds(pfds);
	}
	libusb_set_pollfd_notifiers(u->ctx, on_pollfd_added, on_pollfd_removed, u);
	if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
		rc = libusb_hotplug_register_callback(
			u->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
			0, (int)u->vid, (int)u->pid, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, u, &u->hotplug);
		if (rc < 0) {
			rc = wms_error_set(err, WMS_EIO, "%s: cannot watch for hotplug: %s", u->head.spec,
			                   libusb_strerror(rc));
			goto fail;
		}
		u->has_hotplug = true;
	}
	if ((rc = attach_device(u, err)) < 0)
		goto fail;
	*out = &u->head;
	return 0;
fail:
	usb_close(&u->head);
	return rc;
}

static int pos_open(const char *spec, const char *station, struct scan_source **out,
                    struct wms_error *err)
{
	return usb_open(false, spec, station, out, err);
}

static int kbd_open(const char *spec, const char *station, struct scan_source **out,
                    struct wms_error *err)
{
	return usb_open(true, spec, station, out, err);
}

static int usb_dispatch(struct scan_source *src, short revents, scan_fn fn, void *ctx,
                        struct wms_error *err)
{
	struct usb_src *u = (struct usb_src *)src;
	struct timeval zero = { 0, 0 };
	int rc;

	(void)revents;   /* libusb looks at its descriptors itself */
	u->fn = fn;
	u->fn_ctx = ctx;
	rc = libusb_handle_events_timeout_completed(u->ctx, &zero, NULL);
	u->fn = NULL;
	if (rc < 0 && rc != LIBUSB_ERROR_INTERRUPTED)
		return wms_error_set(err, WMS_EIO, "%s: libusb event handling: %s", u->head.spec,
		                     libusb_strerror(rc));
	if (u->failed)
		return wms_error_set(err, WMS_EIO, "%s: %s", u->head.spec, u->why);
	if (u->h && (u->left || u->gone)) {
		cancel_all(u);
		release_device(u);   /* done now, or at the next dispatch once cancelled */
	}
	if (u->h == NULL && !u->has_hotplug)
		return wms_error_set(err, WMS_EIO, "%s: the device was unplugged", u->head.spec);
	if (u->h == NULL && u->arrived) {
		u->arrived = false;
		rc = attach_device(u, err);
		if (rc == WMS_ENOTFOUND) {
			wms_error_clear(err);
			return 0;   /* another device with that VID:PID, or it left again */
		}
		if (rc < 0)
			return rc;
	}
	/* an arrival seen while the old handle is still being released stays
	 * pending until the release is done */
	return 0;
}

const struct scan_source_ops scan_source_usb_pos = {
	.name = "usb-pos",
	.usage = "usb-pos:VID:PID [serial=SN] [interface=N] [endpoint=0x81] "
	         "[profile=honeywell|zebra|newland] [gs=sent|dropped|C] [transfers=4]",
	.check = pos_check,
	.open = pos_open,
	.pollfds = usb_pollfds,
	.timeout_ms = usb_timeout_ms,
	.dispatch = usb_dispatch,
	.close = usb_close,
};

const struct scan_source_ops scan_source_usb_kbd = {
	.name = "usb-kbd",
	.usage = "usb-kbd:VID:PID [serial=SN] [interface=N] [endpoint=0x81] [keymap=us|sv] "
	         "[gs=dropped|sent|C] [transfers=4]",
	.check = kbd_check,
	.open = kbd_open,
	.pollfds = usb_pollfds,
	.timeout_ms = usb_timeout_ms,
	.dispatch = usb_dispatch,
	.close = usb_close,
};

bool scan_source_usb_attached(const struct scan_source *src)
{
	return ((const struct usb_src *)src)->h != NULL;
}
