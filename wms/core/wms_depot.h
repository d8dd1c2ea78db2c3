/*
 * wms_depot.h - the depots of the region (HMC Mölndal, Skövde): code, name,
 * address and calendar (extra closed days, an own cut-off time).
 *
 * A depot is named everywhere by its code (1-8 characters A-Z 0-9, "ML",
 * "SK"): locations, orders, consignments, stations, printers and the events
 * shipped to the hub carry it.  One depot is the default (ML after the
 * migration): orders, receipts and stations without a depot go there.  An
 * unknown code is refused with the list of the known ones, at every door.
 *
 * Adding a depot also adds the locations every depot has: <CODE>-GOODS-IN,
 * <CODE>-QUARANTINE, <CODE>-RECON, <CODE>-REPAIR and TRANSFER-<CODE> (devices
 * on their way to it from another depot).  The default depot ML keeps the
 * built-in GOODS-IN, QUARANTINE, RECON and REPAIR.
 */
#ifndef WMS_DEPOT_H
#define WMS_DEPOT_H

#include <stdbool.h>
#include <jansson.h>

#include "wms_config.h"
#include "wms_error.h"
#include "wms_store.h"

#define WMS_DEPOT_CODE_MAX 8

/* A depot's postal address, as a shipping label needs it. */
struct wms_depot_address {
	char name[121], street[201], postcode[7], city[101];   /* postcode "NNN NN" */
};

/*
 * A depot's address is "street, postal code city" ("Badhusgatan 5, 541 30
 * Skövde"): 0 with *a filled (a may be NULL: check only), or WMS_EINVAL
 * naming what is wrong and the form allowed.
 */
int wms_depot_parse_address(const char *text, struct wms_depot_address *a, struct wms_error *err);

/*
 * The address of depot code with its name: 0, WMS_ENOTFOUND for an unknown
 * depot, or 1 when the depot has no address (a->name still filled) - the
 * caller decides what stands in (the default depot's is [courier]'s).
 */
int wms_depot_address(struct wms_store *s, const char *code, struct wms_depot_address *a,
                      struct wms_error *err);

/* Give depot code an address (`wms depot address`): checked as above. */
int wms_depot_set_address(struct wms_store *s, const char *code, const char *address,
                          struct wms_error *err);

/* What `wms depot add` gives; strings borrowed.  address as above or NULL; cutoff "HH:MM" or NULL
 * ([leadtime] cutoff); closed "YYYY-MM-DD, YYYY-MM-DD" or NULL. */
struct wms_depot_new {
	const char *code;
	const char *name;
	const char *address;
	const char *cutoff;
	const char *closed;
	bool make_default;
};

/* 1-8 characters A-Z 0-9; err names the text and what is allowed. */
int wms_depot_check_code(const char *code, struct wms_error *err);

/* Add a depot and its locations in one transaction.  WMS_EEXIST when the
 * code is taken, WMS_EINVAL for bad fields. */
int wms_depot_add(struct wms_store *s, const struct wms_depot_new *d, struct wms_error *err);

/*
 * Whether code names a depot: 0, or WMS_ENOTFOUND with
 *   unknown depot "Skovde"; known depots: ML (HMC Mölndal), SK (HMC Skövde)
 * (a malformed code too), or WMS_EDB.
 */
int wms_depot_known(struct wms_store *s, const char *code, struct wms_error *err);

/* The default depot's code into code (WMS_DEPOT_CODE_MAX + 1 bytes). */
int wms_depot_default(struct wms_store *s, char *code, struct wms_error *err);

/* code, else the default depot's code, checked, into out (WMS_DEPOT_CODE_MAX + 1). */
int wms_depot_resolve(struct wms_store *s, const char *code, char *out, struct wms_error *err);

/* "ML (HMC Mölndal), SK (HMC Skövde)" into buf, for messages. */
const char *wms_depot_known_list(struct wms_store *s, char *buf, size_t len);

/*
 * The location of a depot with a role: kind goods_in, quarantine,
 * reconditioning, repair or transit (the in-transit location of transfers
 * to the depot).  0 with *id, or WMS_ENOTFOUND / WMS_EDB.
 */
int wms_depot_location(struct wms_store *s, const char *depot, const char *kind, long long *id,
                       struct wms_error *err);

/* Listings: [{code, name, address, cutoff, closed: [...], default}], one depot
 * with its locations and counts.  The caller owns the result. */
json_t *wms_depot_list(struct wms_store *s, struct wms_error *err);
json_t *wms_depot_show(struct wms_store *s, const char *code, struct wms_error *err);

/*
 * Give cfg the calendars of the store's depots: for each depot the default
 * calendar's rules plus its closed days from the store and from a
 * [depot CODE] section of the file, and its cut-off.  A [depot X] section
 * naming no depot of the store is refused ("file:line: unknown depot ...").
 * Called once after opening the store, before cfg is shared.
 */
int wms_depot_calendars(struct wms_store *s, struct wms_config *cfg, struct wms_error *err);

/*
 * Depots added to the store since (`wms depot add` while wmsd runs) join
 * cfg with their calendars and cut-offs; the depots cfg has keep theirs
 * (a depot is never changed or removed), so calendars handed out stay
 * valid.  One count of the depots when nothing changed.  *added (may be
 * NULL) gets how many joined.  Only from the thread that owns cfg.
 */
int wms_depot_calendars_refresh(struct wms_store *s, struct wms_config *cfg, int *added,
                                struct wms_error *err);

#endif
