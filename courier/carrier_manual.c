/*
 * carrier_manual.c - the manual carrier: the dispatcher types or scans the
 * tracking number from the carrier's own label; tracking events come from
 * the file import (or the webhook), never from asking the carrier.
 */
#include "carrier.h"

#include <stdio.h>

static int manual_open(const struct courier_carrier_conf *conf, void **inst, struct wms_error *err)
{
	*inst = (void *)conf;
	return 0;
}

static void manual_close(void *inst)
{
}

static int manual_book(void *inst, const struct courier_parcel *p, struct courier_booking *out,
                       struct wms_error *err)
{
	const struct courier_carrier_conf *conf = inst;
	int rc;

	if (p->tracking == NULL || *p->tracking == '\0')
		return wms_error_set(err, WMS_EINVAL, "carrier %s is booked by hand: type or scan the "
		                     "tracking number from its label (--tracking)", conf->name);
	if ((rc = courier_check_tracking(p->tracking, err)) < 0)
		return rc;
	snprintf(out->tracking, sizeof out->tracking, "%s", p->tracking);
	return 0;
}

static int manual_label(void *inst, const char *tracking, json_t **out, struct wms_error *err)
{
	const struct courier_carrier_conf *conf = inst;

	*out = json_pack("{s:s, s:s}", "carrier", conf->name, "tracking", tracking ? tracking : "");
	return *out ? 0 : wms_error_set(err, WMS_ENOMEM, "out of memory");
}

static int manual_track(void *inst, const char *tracking, struct courier_track_event *out,
                        size_t max, size_t *n, struct wms_error *err)
{
	const struct courier_carrier_conf *conf = inst;

	return wms_error_set(err, WMS_EUNSUPP, "carrier %s is manual: its tracking events come "
	                     "from `wms tracking import`", conf->name);
}

static int manual_cancel(void *inst, const char *tracking, struct wms_error *err)
{
	return 0;     /* nothing was sent to the carrier */
}

const struct carrier_ops courier_carrier_manual = {
	.adapter = "manual",
	.open = manual_open,
	.close = manual_close,
	.book = manual_book,
	.label = manual_label,
	.track = manual_track,
	.cancel = manual_cancel,
};
