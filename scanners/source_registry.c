/*
 * source_registry.c - the scanner source kinds there are.  Adding a kind of
 * scanner is one file with its struct scan_source_ops and one line here.
 */
#include "scan_source.h"

#include <string.h>
#include <time.h>

static const struct scan_source_ops *const kinds[] = {
	&scan_source_fifo,
	&scan_source_serial,
	&scan_source_usb_pos,
	&scan_source_usb_kbd,
	&scan_source_evdev,
	&scan_source_camera,
};

const char *scan_source_kinds(void)
{
	static char list[128];

	if (list[0] == '\0')
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
			if (i)
				strncat(list, ", ", sizeof list - strlen(list) - 1);
			strncat(list, kinds[i]->name, sizeof list - strlen(list) - 1);
		}
	return list;
}

const struct scan_source_ops *scan_source_find(const char *scanner, const char **spec,
                                               struct wms_error *err)
{
	const char *colon = strchr(scanner, ':');

	*spec = NULL;
	if (colon == NULL) {
		wms_error_set(err, WMS_ECONFIG, "scanner \"%.60s\" is not KIND:SPEC; kinds: %s", scanner,
		              scan_source_kinds());
		return NULL;
	}
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strlen(kinds[i]->name) == (size_t)(colon - scanner) &&
		    strncmp(kinds[i]->name, scanner, (size_t)(colon - scanner)) == 0) {
			*spec = colon + 1;
			return kinds[i];
		}
	wms_error_set(err, WMS_ECONFIG, "unknown scanner kind \"%.*s\"; kinds: %s",
	              (int)(colon - scanner > 30 ? 30 : colon - scanner), scanner, scan_source_kinds());
	return NULL;
}

long long scan_source_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
