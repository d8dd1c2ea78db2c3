/*
 * grab_shim.c - LD_PRELOAD shim for the evdev test, loaded before
 * libumockdev-preload: records every EVIOCGRAB (its argument, one line per
 * call, in $EVDEV_GRAB_LOG) so that the test can see that the source grabbed
 * the device and released it, and with $EVDEV_GRAB_BUSY set answers EBUSY as
 * the kernel does when another program holds the grab.  Everything else goes
 * on to the next ioctl() (umockdev's).
 */
#include <dlfcn.h>
#include <errno.h>
#include <linux/input.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int ioctl(int fd, unsigned long request, ...);

int ioctl(int fd, unsigned long request, ...)
{
	static int (*next)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (next == NULL)
		*(void **)&next = dlsym(RTLD_NEXT, "ioctl");
	if (request == EVIOCGRAB) {
		const char *log = getenv("EVDEV_GRAB_LOG");
		FILE *f = log ? fopen(log, "a") : NULL;
		if (f) {
			fprintf(f, "grab %ld\n", (long)(size_t)arg);
			fclose(f);
		}
		if (getenv("EVDEV_GRAB_BUSY") && arg != NULL) {
			errno = EBUSY;
			return -1;
		}
	}
	return next(fd, request, arg);
}
