/*
 * wms_order_import.h - orders from the ordering system's CSV export.
 *
 * The file has a header row naming its columns (any order, case ignored):
 *   external_id, customer, product, mode          required
 *   patient_ref, pickup_point, requested_date     optional
 *   patient_name, patient_address, patient_postal_code, patient_phone
 *                                                 optional personal data
 * UTF-8, ';' or ',' separated (wms_csv.h).  Each good row becomes an order
 * (its number is the external id, or CUSTOMER/external id when another unit
 * already uses that number) with its personal data (wms_patient.h); a row
 * whose external id the ordering unit already has is counted as already
 * present, so re-importing a file or an overlapping one creates no
 * duplicates.  Bad rows are reported by line with the reason and skipped.
 * The whole file is one transaction, each row a savepoint.
 */
#ifndef WMS_ORDER_IMPORT_H
#define WMS_ORDER_IMPORT_H

#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

#define WMS_IMPORT_MAX_BYTES (256L * 1024 * 1024)

/* Called for every bad row; msg starts "line N: " and holds no personal data. */
typedef void (*wms_import_report_fn)(void *ctx, long line, const char *msg);

struct wms_import_opts {
	wms_time at;                  /* registration time of the orders; 0 = now */
	const char *station, *actor;  /* borrowed */
	unsigned role;                /* the actor's role bits (wms_rules.h) */
	wms_import_report_fn report;  /* may be NULL */
	void *ctx;
};

struct wms_import_result {
	long imported, present, bad;
};

/*
 * Import len bytes of CSV text.  0 when the file could be read (bad rows are
 * counted, not errors); WMS_EINVAL for a bad header (nothing imported), or a
 * database error (everything rolled back).
 */
int wms_order_import(struct wms_store *s, const char *text, size_t len, const struct wms_import_opts *o,
                     struct wms_import_result *res, struct wms_error *err);

/* The same from a file (at most WMS_IMPORT_MAX_BYTES); WMS_EIO when unreadable. */
int wms_order_import_file(struct wms_store *s, const char *path, const struct wms_import_opts *o,
                          struct wms_import_result *res, struct wms_error *err);

#endif
