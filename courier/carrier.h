/*
 * carrier.h - carriers behind one interface.
 *
 * An adapter is a table of functions over an opaque instance made from one
 * [carrier NAME] section of the configuration.  Named carriers (PostNord,
 * Bring, DB Schenker, Budbee) are configuration entries choosing an adapter;
 * adding an adapter is adding one file and one line in carrier.c's table.
 *
 * Every method may block (the http-json adapter waits for the carrier's
 * server up to the configured timeouts), so callers never hold a database
 * transaction while calling one: decide and commit first, call, then record
 * the outcome (see consignment.c).  Methods return 0 or a negative
 * wms_status with err filled: WMS_EINVAL for what the caller gave (the manual
 * carrier without a tracking number), WMS_EIO when the carrier could not be
 * reached, refused, or answered nonsense, WMS_EUNSUPP for a method the
 * adapter does not offer.
 */
#ifndef COURIER_CARRIER_H
#define COURIER_CARRIER_H

#include <stddef.h>
#include <jansson.h>

#include "courier_config.h"
#include "courier_event.h"
#include "wms_error.h"
#include "wms_time.h"

#define COURIER_TRACKING_MAX 40

/* What a booking tells the carrier; borrowed for the call.  No personal data. */
struct courier_parcel {
	const char *sscc;          /* 18 digits */
	const char *order;         /* our order number */
	const char *service;       /* carrier service code; NULL = the carrier's default */
	const char *mode;          /* home | pickup_point | unit | buffer */
	const char *pickup_point;  /* the carrier's id of the pickup point, or NULL */
	const char *tracking;      /* manual adapter: the typed or scanned tracking number */
};

struct courier_booking {
	char tracking[COURIER_TRACKING_MAX + 1];
};

struct courier_track_event {
	enum courier_event event;
	wms_time at;
};

struct carrier_ops {
	const char *adapter;       /* name in configuration: "http-json", "manual" */
	/* Make an instance for conf (borrowed until close); *inst owned by the adapter. */
	int  (*open)(const struct courier_carrier_conf *conf, void **inst, struct wms_error *err);
	void (*close)(void *inst);                                        /* NULL-safe */
	/* Book one parcel; out gets the carrier's tracking number. */
	int  (*book)(void *inst, const struct courier_parcel *p, struct courier_booking *out,
	             struct wms_error *err);
	/* Label data for the printing room: a JSON object the caller owns. */
	int  (*label)(void *inst, const char *tracking, json_t **out, struct wms_error *err);
	/* Events the carrier knows for tracking: at most max into out, count in *n. */
	int  (*track)(void *inst, const char *tracking, struct courier_track_event *out, size_t max,
	              size_t *n, struct wms_error *err);
	/* Cancel a booking that has not been handed over. */
	int  (*cancel)(void *inst, const char *tracking, struct wms_error *err);
};

extern const struct carrier_ops courier_carrier_http_json;
extern const struct carrier_ops courier_carrier_manual;

/* One configured carrier: its adapter and instance. */
struct courier_carrier;   /* opaque */

/*
 * Open the carrier called name in cc (case-insensitive).  On success *out is
 * owned by the caller and closed with courier_carrier_close(); WMS_ENOTFOUND
 * names the configured carriers.
 */
int  courier_carrier_open(const struct courier_config *cc, const char *name,
                          struct courier_carrier **out, struct wms_error *err);
void courier_carrier_close(struct courier_carrier *c);               /* NULL-safe */

const char *courier_carrier_name(const struct courier_carrier *c);   /* as configured */
const struct courier_carrier_conf *courier_carrier_conf(const struct courier_carrier *c);

int courier_carrier_book(struct courier_carrier *c, const struct courier_parcel *p,
                         struct courier_booking *out, struct wms_error *err);
int courier_carrier_label(struct courier_carrier *c, const char *tracking, json_t **out,
                          struct wms_error *err);
int courier_carrier_track(struct courier_carrier *c, const char *tracking,
                          struct courier_track_event *out, size_t max, size_t *n,
                          struct wms_error *err);
int courier_carrier_cancel(struct courier_carrier *c, const char *tracking, struct wms_error *err);

/* A tracking number as carriers print them: 1-40 of A-Z a-z 0-9 - _ . */
int courier_check_tracking(const char *tracking, struct wms_error *err);

#endif
