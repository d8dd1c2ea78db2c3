/*
 * tty_modem_shim.c - LD_PRELOAD shim for the serial tests: umockdev emulates
 * a tty with a pty, and a pty has no modem lines, so TIOCMGET/TIOCMSET/
 * TIOCMBIS/TIOCMBIC fail with ENOTTY and libserialport refuses the port.
 * When the real call fails that way, this answers from one remembered set
 * of lines (DTR/RTS as last set, CTS/DSR/DCD up).  Preload it before
 * libumockdev-preload.so.0.  Built without sanitizers: it is also loaded
 * into programs that have none (umockdev-run, sqlite3).
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/ioctl.h>

static int lines = TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR | TIOCM_CAR;

int ioctl(int fd, unsigned long request, ...)
{
	static int (*real)(int, unsigned long, ...);
	va_list ap;
	void *arg;
	int rc, *bits;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (real == NULL)
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	rc = real(fd, request, arg);
	if (rc == 0 || errno != ENOTTY || arg == NULL)
		return rc;
	bits = arg;
	switch (request) {
	case TIOCMGET: *bits = lines; return 0;
	case TIOCMSET: lines = *bits; return 0;
	case TIOCMBIS: lines |= *bits; return 0;
	case TIOCMBIC: lines &= ~*bits; return 0;
	default: return rc;
	}
}
