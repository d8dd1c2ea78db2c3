/*
 * wms_catalog_central.h - the catalogue maintained at the hub (issue 18):
 * products, customers and users defined in the hub's own database flow down
 * to every depot, which keeps them read-only.
 *
 * The hub publishes each changed row as a catalogue event {seq, kind, code,
 * body} (wms/hub); a depot pulls the events after its cursor and applies a
 * batch in one local transaction that also stores the cursor, so a crash
 * anywhere applies nothing twice and skips nothing (applying a row again is
 * a no-op: by code, ON CONFLICT).  A row the depot defines itself with other
 * content (added there while cut off, say) is a conflict: the depot keeps its
 * own, the hub lists it for a person; nothing is merged.  Users carry name,
 * role, disabled and badges, never a password hash: each database keeps its
 * own secrets (a user from the hub has none at a depot until one is set
 * there, and signs in at stations with a badge).
 */
#ifndef WMS_CATALOG_CENTRAL_H
#define WMS_CATALOG_CENTRAL_H

#include <jansson.h>

#include "wms_error.h"
#include "wms_store.h"

/* Every product, customer and user of s as [{kind, code, body}], in kind and
 * code order; body is what flows down (no secrets).  Caller owns it. */
json_t *wms_catalog_export(struct wms_store *s, struct wms_error *err);

/* The last hub catalogue sequence this depot applied (0: none). */
int wms_catalog_pulled(struct wms_store *s, long long *seq, struct wms_error *err);

/*
 * Of rows (catalogue events [{seq, kind, code, body}] in seq order), those
 * the depot defines itself otherwise: [{seq, kind, code, detail}] (a code
 * with other content, a GTIN or badge held by another row, a user name
 * taken by an API token).  Reads only.  Caller owns it.
 */
json_t *wms_catalog_conflicts(struct wms_store *s, const json_t *rows, struct wms_error *err);

/*
 * Apply rows in one transaction together with the cursor: each becomes (or
 * updates) a centrally owned row; a conflicting one listed in reported (as
 * returned by wms_catalog_conflicts and since recorded at the hub) is
 * skipped, the depot's own kept; one not listed (defined here meanwhile)
 * ends the batch before it.  *upto: the cursor afterwards; *applied: rows
 * consumed (skipped ones included).
 */
int wms_catalog_apply(struct wms_store *s, const json_t *rows, const json_t *reported, long long *upto,
                      long *applied, struct wms_error *err);

/* 0 when kind ("product", "customer", "user") code is the depot's own;
 * WMS_ESTATE naming the hub when it is maintained there (read-only here). */
int wms_catalog_local_only(struct wms_store *s, const char *kind, const char *code, struct wms_error *err);

#endif
