/*
 * wms_catalog.h - reference data: product types and their GTINs, ordering
 * units (customers) and locations.  Reference data is not part of the
 * device ledger; it is what the ledger's events refer to.
 */
#ifndef WMS_CATALOG_H
#define WMS_CATALOG_H

#include <stdbool.h>
#include <jansson.h>

#include "wms_error.h"
#include "wms_store.h"

struct wms_product {
	const char *code;          /* e.g. "BPM" */
	const char *name_sv;       /* "Digital blodtrycksmätare" */
	const char *name_en;       /* "Digital blood-pressure monitor" */
	const char *category;      /* "HoS" (hälso- och sjukvård) or "SoL" (socialtjänst) */
	bool needs_training;       /* first delivery waits for staff training */
};

int wms_product_add(struct wms_store *s, const struct wms_product *p, struct wms_error *err);
int wms_product_add_gtin(struct wms_store *s, const char *product_code, const char *gtin,
                         struct wms_error *err);

/* kind: "region", "municipality" or "private"; cost_centre may be NULL. */
int wms_customer_add(struct wms_store *s, const char *code, const char *name, const char *kind,
                     const char *cost_centre, struct wms_error *err);

/*
 * kind: shelf, buffer, pickup_point (the others are built in); depot: the
 * code of the depot a shelf or buffer store belongs to (NULL = the default
 * depot; unknown refused, naming the known ones), none for a pickup point;
 * customer_code names the ordering unit owning a buffer store (required
 * for kind buffer, refused otherwise).
 */
int wms_location_add(struct wms_store *s, const char *code, const char *name, const char *kind,
                     const char *depot, const char *customer_code, struct wms_error *err);

/* Listings as JSON arrays of objects; the caller owns the result (json_decref). */
json_t *wms_product_list(struct wms_store *s, struct wms_error *err);
json_t *wms_customer_list(struct wms_store *s, struct wms_error *err);

/* Set the address of customer code: street (1-120 bytes), postcode (five
 * digits, "NNNNN" or "NNN NN"; stored "NNN NN"), city (1-60 bytes), all
 * required.  WMS_EINVAL naming the bad one, WMS_ENOTFOUND for an unknown
 * customer. */
int wms_customer_set_address(struct wms_store *s, const char *code, const char *street,
                             const char *postcode, const char *city, struct wms_error *err);
json_t *wms_location_list(struct wms_store *s, struct wms_error *err);

#endif
