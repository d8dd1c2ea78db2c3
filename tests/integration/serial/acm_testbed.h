/*
 * acm_testbed.h - a USB CDC ACM barcode scanner (VID:PID 0c2e:0b61, serial
 * number SN12345) in a umockdev testbed, for the serial tests: plugged in
 * as /dev/ttyACMn behind USB port 1-N, unplugged the way the kernel and
 * udev do it (tty, interface and device gone, device node removed).
 * The process must run with LD_PRELOAD=<tty_modem_shim>:libumockdev-preload.so.0.
 */
#ifndef ACM_TESTBED_H
#define ACM_TESTBED_H

#include <umockdev.h>

#define ACM_VID_PID "0c2e:0b61"
#define ACM_SERIAL "SN12345"

struct acm_dev {
	char tty[16];     /* "ttyACM0" */
	int usb_port;     /* the N of 1-N */
	int master;       /* the scanner's side of the port (owned by the testbed) */
};

/* Plug a scanner in; 0, or -1 with a message on stderr. */
int  acm_plug(UMockdevTestbed *tb, struct acm_dev *d, const char *tty, int usb_port);
/* Pull it out: the port's sysfs entries and device node disappear. */
void acm_unplug(UMockdevTestbed *tb, const struct acm_dev *d);

#endif
