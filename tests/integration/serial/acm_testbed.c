/*
 * acm_testbed.c - plugging and unplugging the emulated CDC ACM scanner
 * (acm_testbed.h).  The sysfs tree is what libserialport reads on Linux:
 * /sys/class/tty/ttyACMn -> .../1-N/1-N:1.0/tty/ttyACMn, its `device` link
 * to the USB interface (subsystem usb), and idVendor/idProduct/serial on
 * the USB device above it.
 */
#include "acm_testbed.h"

#include <stdio.h>
#include <unistd.h>

#define USB_DEV "/devices/pci0000:00/0000:00:14.0/usb1/1-%d"

int acm_plug(UMockdevTestbed *tb, struct acm_dev *d, const char *tty, int usb_port)
{
	char desc[2048], node[32];
	GError *error = NULL;

	snprintf(d->tty, sizeof d->tty, "%s", tty);
	d->usb_port = usb_port;
	snprintf(desc, sizeof desc,
	         "P: " USB_DEV "\nN: bus/usb/001/%03d\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\n"
	         "E: DEVNAME=/dev/bus/usb/001/%03d\nA: idVendor=0c2e\nA: idProduct=0b61\n"
	         "A: serial=" ACM_SERIAL "\nA: manufacturer=Honeywell\nA: product=Scanner\n"
	         "A: busnum=1\nA: devnum=%d\n\n"
	         "P: " USB_DEV "/1-%d:1.0\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\n"
	         "E: DRIVER=cdc_acm\nA: bInterfaceClass=02\nA: bInterfaceNumber=00\n\n"
	         "P: " USB_DEV "/1-%d:1.0/tty/%s\nN: %s\nL: device=../../../1-%d:1.0\n"
	         "E: SUBSYSTEM=tty\nE: DEVNAME=/dev/%s\n",
	         usb_port, usb_port + 3, usb_port + 3, usb_port + 3,
	         usb_port, usb_port, usb_port, usb_port, tty, tty, usb_port, tty);
	if (!umockdev_testbed_add_from_string(tb, desc, &error)) {
		fprintf(stderr, "acm_plug %s: %s\n", tty, error->message);
		g_error_free(error);
		return -1;
	}
	snprintf(node, sizeof node, "/dev/%s", tty);
	d->master = umockdev_testbed_get_dev_fd(tb, node);
	if (d->master < 0) {
		fprintf(stderr, "acm_plug %s: no device fd\n", tty);
		return -1;
	}
	return 0;
}

void acm_unplug(UMockdevTestbed *tb, const struct acm_dev *d)
{
	char path[256];
	gchar *node;

	/* children first: umockdev removes one directory and its class links */
	snprintf(path, sizeof path, "/sys" USB_DEV "/1-%d:1.0/tty/%s", d->usb_port, d->usb_port,
	         d->tty);
	umockdev_testbed_remove_device(tb, path);
	snprintf(path, sizeof path, "/sys" USB_DEV "/1-%d:1.0", d->usb_port, d->usb_port);
	umockdev_testbed_remove_device(tb, path);
	snprintf(path, sizeof path, "/sys" USB_DEV, d->usb_port);
	umockdev_testbed_remove_device(tb, path);
	/* udev's part: the device node goes (umockdev leaves it) */
	node = g_build_filename(umockdev_testbed_get_root_dir(tb), "dev", d->tty, NULL);
	unlink(node);
	g_free(node);
}
