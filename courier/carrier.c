/*
 * carrier.c - the table of carrier adapters and the configured carrier
 * (see carrier.h).
 */
#include "carrier.h"

#include <stdlib.h>
#include <string.h>

static const struct carrier_ops *const adapters[] = {
	&courier_carrier_http_json,
	&courier_carrier_manual,
};

struct courier_carrier {
	const struct carrier_ops *ops;
	const struct courier_carrier_conf *conf;
	void *inst;
};

int courier_check_tracking(const char *tracking, struct wms_error *err)
{
	size_t n = tracking ? strlen(tracking) : 0;

	if (n == 0 || n > COURIER_TRACKING_MAX ||
	    strspn(tracking, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != n)
		return wms_error_set(err, WMS_EINVAL,
		                     "bad tracking number \"%.50s\": 1-%d characters A-Z a-z 0-9 - _ .",
		                     tracking ? tracking : "", COURIER_TRACKING_MAX);
	return 0;
}

int courier_carrier_open(const struct courier_config *cc, const char *name,
                         struct courier_carrier **out, struct wms_error *err)
{
	const struct courier_carrier_conf *conf = courier_config_carrier(cc, name);
	struct courier_carrier *c;
	int rc;

	*out = NULL;
	if (conf == NULL) {
		char names[COURIER_MAX_CARRIERS * 34] = "";
		for (int i = 0; i < cc->n_carriers; i++) {
			strcat(names, i ? ", " : "");
			strcat(names, cc->carriers[i].name);
		}
		return wms_error_set(err, WMS_ENOTFOUND, "unknown carrier \"%.40s\"; configured: %s",
		                     name ? name : "", cc->n_carriers ? names
		                     : "none (add a [carrier NAME] section to the configuration)");
	}
	if ((c = calloc(1, sizeof *c)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	for (size_t i = 0; i < sizeof adapters / sizeof adapters[0]; i++)
		if (strcmp(adapters[i]->adapter, conf->adapter) == 0)
			c->ops = adapters[i];
	if (c->ops == NULL) {
		free(c);
		return wms_error_set(err, WMS_ECONFIG, "carrier %s: unknown adapter \"%s\"", conf->name,
		                     conf->adapter);
	}
	c->conf = conf;
	if ((rc = c->ops->open(conf, &c->inst, err)) < 0) {
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void courier_carrier_close(struct courier_carrier *c)
{
	if (c == NULL)
		return;
	c->ops->close(c->inst);
	free(c);
}

const char *courier_carrier_name(const struct courier_carrier *c)
{
	return c->conf->name;
}

const struct courier_carrier_conf *courier_carrier_conf(const struct courier_carrier *c)
{
	return c->conf;
}

int courier_carrier_book(struct courier_carrier *c, const struct courier_parcel *p,
                         struct courier_booking *out, struct wms_error *err)
{
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = c->ops->book(c->inst, p, out, err)) < 0)
		return rc;
	if (courier_check_tracking(out->tracking, err) < 0)
		return wms_error_set(err, WMS_EIO, "carrier %s answered with an unusable tracking number: %s",
		                     c->conf->name, err->msg);
	return 0;
}

int courier_carrier_label(struct courier_carrier *c, const char *tracking, json_t **out,
                          struct wms_error *err)
{
	*out = NULL;
	return c->ops->label(c->inst, tracking, out, err);
}

int courier_carrier_track(struct courier_carrier *c, const char *tracking,
                          struct courier_track_event *out, size_t max, size_t *n,
                          struct wms_error *err)
{
	*n = 0;
	return c->ops->track(c->inst, tracking, out, max, n, err);
}

int courier_carrier_cancel(struct courier_carrier *c, const char *tracking, struct wms_error *err)
{
	return c->ops->cancel(c->inst, tracking, err);
}
