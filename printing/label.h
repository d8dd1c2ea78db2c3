/*
 * label.h - the label model: label kinds, their fields, and a label's field set.
 *
 * A label is a kind (device, location, ...) plus a set of named UTF-8 values
 * ("serial" = "HMC-000123").  Each kind has a fixed list of fields, some of
 * them required; setting a field the kind does not know is an error at once,
 * a missing required field is an error when the label is rendered.  The list
 * documents (pick list, delivery note) also carry item rows, each a small
 * field set of its own with the kind's row fields (article, qty, ...).
 *
 * The pseudo-fields {page} and {pages} are filled by the renderers.
 *
 * Ownership: label_fields_new() returns a set the caller frees with
 * label_fields_free().  Values are copied in.  Strings returned by getters are
 * owned by the set and valid until the field is set again or the set is freed.
 * Rows returned by label_fields_add_row() are owned by their parent set.
 */
#ifndef LABEL_H
#define LABEL_H

#include <stddef.h>

#include "wms_error.h"

enum label_kind {
	LABEL_DEVICE,          /* device label: serial, GTIN, product, owner */
	LABEL_LOCATION,        /* shelf/location label: LOC:<code> */
	LABEL_RECON,           /* "reconditioned" tag */
	LABEL_SHIPPING,        /* parcel label: SSCC, tracking, addresses */
	LABEL_RETURN,          /* return label: the centre is the receiver */
	LABEL_PICKLIST,        /* A4 pick list with item rows */
	LABEL_DELIVERY_NOTE,   /* A4 följesedel with item rows */
	LABEL_COMMAND_SHEET,   /* A4 sheet of a station's command barcodes, one row each */
	LABEL_KIND_COUNT
};

/* Short name used in templates ("device", "delivery-note"); NULL if out of range. */
const char *label_kind_name(enum label_kind kind);

/* Look up a kind by its short name.  Returns 0 and sets *out, or WMS_EINVAL. */
int label_kind_from_name(const char *name, enum label_kind *out, struct wms_error *err);

/*
 * Whether a kind knows the field `name`: returns 1 for a label field, 2 for
 * a row field (pick list / delivery note items), 3 for the pseudo-fields
 * page/pages, 0 if unknown.
 */
int label_kind_has_field(enum label_kind kind, const char *name);

/*
 * Comma-separated list of the kind's label fields ("serial, gtin, ..."), for
 * error messages.  Static string, never NULL.
 */
const char *label_kind_field_list(enum label_kind kind);

/* Whether a kind's label carries item rows (pick list, delivery note). */
int label_kind_has_rows(enum label_kind kind);

struct label_fields;   /* opaque */

/* A new empty field set for `kind`; *out is NULL on failure.  Free with label_fields_free(). */
int label_fields_new(enum label_kind kind, struct label_fields **out, struct wms_error *err);

/* NULL-safe; frees the rows too. */
void label_fields_free(struct label_fields *f);

enum label_kind label_fields_kind(const struct label_fields *f);

/*
 * Set (or replace) a field.  The value is copied; it must be valid UTF-8
 * without control characters and at most 512 bytes.  Errors: WMS_EINVAL for
 * an unknown field name or a bad value, WMS_ENOMEM.
 */
int label_fields_set(struct label_fields *f, const char *name, const char *value,
		     struct wms_error *err);

/* The value of a field, the kind's default if unset and it has one, else NULL. */
const char *label_fields_get(const struct label_fields *f, const char *name);

/*
 * Append an item row to a pick list or delivery note and return it in *row
 * (owned by f; fill it with label_fields_set using the row field names).
 * WMS_EUNSUPP if the kind has no rows.
 */
int label_fields_add_row(struct label_fields *f, struct label_fields **row,
			 struct wms_error *err);

size_t label_fields_row_count(const struct label_fields *f);

/* The i-th row (owned by f), NULL if out of range. */
const struct label_fields *label_fields_row(const struct label_fields *f, size_t i);

/*
 * Check that every required field (and every required row field of every
 * row) is set.  WMS_EINVAL naming the first missing field.
 */
int label_fields_check(const struct label_fields *f, struct wms_error *err);

#endif
