/*
 * courier_import.h - the file imports of the courier room (pickup points,
 * postal codes, tracking events): the file read whole, its CSV records read
 * with the core's one CSV reader (wms_csv.h, comma separated here), each
 * record handed to a function, bad records reported by line in a report,
 * good ones counted.  Internal to the room.
 */
#ifndef COURIER_IMPORT_H
#define COURIER_IMPORT_H

#include <stddef.h>

#include "courier_pickup.h"
#include "wms_error.h"

#define COURIER_IMPORT_MAX (64L << 20)   /* files larger than 64 MiB are refused */

/* What one record did; a bad record returns a negative status instead. */
enum courier_line_outcome { COURIER_LINE_ADDED, COURIER_LINE_UPDATED, COURIER_LINE_UNCHANGED,
                            COURIER_LINE_SKIPPED };

/*
 * fn returns a courier_line_outcome, WMS_EINVAL/ENOTFOUND/EEXIST/ESTATE for a
 * bad record (its message goes into rep->problems and the import goes on), or
 * another negative status to stop (err filled).
 */
typedef int (*courier_record_fn)(void *ctx, long line, const char **fields, int n,
                                 struct wms_error *err);

/* Read all of path into *text (NUL-terminated, caller frees) and *len. */
int courier_read_file(const char *path, char **text, size_t *len, struct wms_error *err);

/* Count r (the outcome of the record on line) into rep; 0 to go on, else the
 * status to stop with (err filled from e). */
int courier_import_count(struct courier_import_report *rep, long line, int r,
                         const struct wms_error *e, struct wms_error *err);

/* Every CSV record of text through fn; rep is reset first. */
int courier_import_csv(const char *text, size_t len, courier_record_fn fn, void *ctx,
                       struct courier_import_report *rep, struct wms_error *err);

#endif
