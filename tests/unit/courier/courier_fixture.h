/*
 * courier_fixture.h - what the courier unit tests share over core_fixture.h:
 * temporary files with given text, a picked order ready for a consignment,
 * and a courier configuration (header-only).
 */
#ifndef COURIER_FIXTURE_H
#define COURIER_FIXTURE_H

#include "core_fixture.h"
#include "courier_config.h"
#include "wms_time.h"

/* Write text to a fresh temporary file; path (64 bytes) receives its name. */
static inline void write_temp(char path[64], const char *text)
{
	int fd;
	FILE *f;

	snprintf(path, 64, "/tmp/courier-test-XXXXXX");
	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL)
		abort();
	fputs(text, f);
	fclose(f);
}

static inline wms_time at(const char *text)
{
	wms_time t = 0;

	if (wms_time_parse(text, &t, NULL) < 0)
		abort();
	return t;
}

/* Receive serial, put it away, order it (mode home, or pickup_point at pp) and pick it. */
static inline void picked_order(struct fixture *f, const char *serial, const char *order,
                                const char *pp)
{
	struct wms_error err = { 0 };

	if (APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = serial, .product = "BPM",
	          .at = at("2026-03-02T08:00")) ||
	    APPLY(f, &err, .type = WMS_EV_MOVE, .serial = serial, .location = "A-01-01",
	          .at = at("2026-03-02T08:05")) ||
	    APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = order, .customer = "VC-MOLNDAL",
	          .product = "BPM", .mode = pp ? "pickup_point" : "home", .pickup_point = pp,
	          .at = at("2026-03-02T09:00")) ||
	    APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = serial, .order = order,
	          .at = at("2026-03-02T10:00")) ||
	    APPLY(f, &err, .type = WMS_EV_PICK, .serial = serial, .at = at("2026-03-02T11:00")))
		fixture_fail("picked order", &err);
}

/* A configuration with prefix 7350012345, a manual and an http-json carrier. */
static inline void courier_conf(struct courier_config *cc, unsigned port)
{
	struct wms_error err = { 0 };
	char url[64];

	snprintf(url, sizeof url, "http://127.0.0.1:%u/v1", port);
	courier_config_defaults(cc);
	if (courier_config_key(cc, "courier", "gs1_company_prefix", "7350012345", &err) ||
	    courier_config_key(cc, "courier", "sscc_extension", "3", &err) ||
	    courier_config_key(cc, "carrier PostNord", "adapter", "manual", &err) ||
	    courier_config_key(cc, "carrier Bring", "adapter", "http-json", &err) ||
	    courier_config_key(cc, "carrier Bring", "base_url", url, &err) ||
	    courier_config_key(cc, "carrier Bring", "token", "s3cret", &err) ||
	    courier_config_key(cc, "carrier Bring", "timeout_ms", "700", &err) ||
	    courier_config_check(cc, NULL, &err))
		fixture_fail("courier configuration", &err);
}

#endif
