/*
 * courier_pickup.h - the registry of pickup points (utlämningsställen,
 * postombud) and postal-code coordinates, and the nearest points to a
 * patient's postal code.
 *
 * A registry entry is the carrier's data about a point (its id at the
 * carrier, name, address, opening hours, active flag).  Every entry owns one
 * row of the core's `locations` (kind pickup_point, code
 * "PP-<CARRIER>-<ID>"), created on import: that location is what an order's
 * pickup point and the ledger's deliver event refer to, so the core needs no
 * change and a pickup point added by hand (`wms location add --kind
 * pickup_point`) keeps working, just without address or coordinates.
 */
#ifndef COURIER_PICKUP_H
#define COURIER_PICKUP_H

#include <jansson.h>

#include "wms_error.h"
#include "wms_store.h"

/* The outcome of a file import.  problems is an array of {"line", "error"},
 * owned by the report and freed by courier_import_report_clear(). */
struct courier_import_report {
	long added, updated, unchanged, bad;
	json_t *problems;
};

void courier_import_report_clear(struct courier_import_report *rep);    /* NULL-safe */

/*
 * Import pickup points from CSV with the columns
 *   id,carrier,name,address,postal_code,city,opening_hours,active
 * (a header line starting with "id" is skipped; active is yes/no/1/0,
 * empty = yes).  A point already known by (carrier, id) is updated, never
 * duplicated; a key twice in one file is a bad line.  Bad lines are
 * reported in rep and skipped; the good ones are imported in one
 * transaction.  0 (even with bad lines; see rep->bad) or a negative status
 * when the file cannot be read or the database fails (nothing imported).
 */
int courier_pickup_import(struct wms_store *s, const char *path, struct courier_import_report *rep,
                          struct wms_error *err);

/* Import postal-code coordinates: CSV postal_code,lat,lon (WGS84 degrees); as above. */
int courier_postcode_import(struct wms_store *s, const char *path, struct courier_import_report *rep,
                            struct wms_error *err);

/* The same two imports from CSV text in memory (len bytes, no NUL inside: wmsd's API
 * takes the file as a request body); borrowed, as above otherwise. */
int courier_pickup_import_text(struct wms_store *s, const char *text, size_t len,
                               struct courier_import_report *rep, struct wms_error *err);
int courier_postcode_import_text(struct wms_store *s, const char *text, size_t len,
                                 struct courier_import_report *rep, struct wms_error *err);

/* A Swedish postal code "41101" or "411 01" normalised to 5 digits in out. */
int courier_postcode_normalise(const char *text, char out[6], struct wms_error *err);

/* Great-circle distance in km between two WGS84 points (haversine, mean radius). */
double courier_haversine_km(double lat1, double lon1, double lat2, double lon2);

/*
 * The active pickup points nearest to postcode (optionally of one carrier),
 * nearest first, at most limit (1-100): an array of {"pickup_point" (the
 * location code an order takes), "carrier", "id", "name", "address",
 * "postal_code", "city", "opening_hours", "distance_km"}.  Points whose
 * postal code has no coordinates are left out.  Caller owns the result.
 */
json_t *courier_pickup_nearest(struct wms_store *s, const char *postcode, const char *carrier,
                               int limit, struct wms_error *err);

/* All registry entries (carrier filter may be NULL); caller owns the result. */
json_t *courier_pickup_list(struct wms_store *s, const char *carrier, struct wms_error *err);

#endif
