/*
 * recon_case.h - support cases (supportärenden) and deviations (avvikelser)
 * registered against a device and, optionally, an order.
 *
 * A case is opened (kind support or deviation, a text), listed, shown and
 * closed with a resolution.  Its link to exchanges: the order of a case may
 * be the replacing order of an exchange (wms exchange SERIAL --order O), and
 * showing a case lists the exchange events of its device or its order.
 * Case texts are free text written by staff: the CLI reminds them that no
 * personal data belongs there; nothing here logs them.
 */
#ifndef RECON_CASE_H
#define RECON_CASE_H

#include <jansson.h>

#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

#define RECON_CASE_TEXT_MAX 1000

struct recon_case_req {
	const char *serial;        /* required */
	const char *order;         /* optional order number */
	const char *kind;          /* "support" or "deviation" */
	const char *text;          /* 1..RECON_CASE_TEXT_MAX bytes */
	wms_time at;               /* 0 = now */
	const char *actor;         /* required: who registered it */
};

/* Open a case; *id receives its number.  0 or a negative wms_status. */
int recon_case_open(struct wms_store *s, const struct recon_case_req *req, long long *id,
                    struct wms_error *err);

/* Close an open case with a resolution text.  WMS_ESTATE when already closed. */
int recon_case_close(struct wms_store *s, long long id, const char *resolution, wms_time at,
                     const char *actor, struct wms_error *err);

/* Cases newest first; status ("open"/"closed") and serial may be NULL.  Caller owns the result. */
json_t *recon_case_list(struct wms_store *s, const char *status, const char *serial,
                        struct wms_error *err);

/* One case with the exchanges of its device or order.  Caller owns the result. */
json_t *recon_case_show(struct wms_store *s, long long id, struct wms_error *err);

#endif
