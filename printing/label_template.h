/*
 * label_template.h - label templates: user-editable text files, parsed once.
 *
 * A template (printing/templates/<name>.label) describes one label layout in
 * millimetres, independent of printer resolution.  Line-based; `#` starts a
 * comment; tokens are separated by blanks; a STRING is a bare word or
 * "double quoted" (\" and \\ escapes) and may hold {field} placeholders
 * ({{ and }} for literal braces):
 *
 *   kind device                          first: label kind (see label.h)
 *   size W H                             label size in mm (before elements)
 *   text X Y H [bold] [max W] STRING     text, top-left at X,Y, H = font height;
 *                                        max W: condensed to fit W mm if longer
 *   barcode code128 X Y H MODULE STRING  Code 128, bars H high, module in mm
 *   barcode gs1-128 X Y H MODULE STRING  GS1-128, STRING = "(00){sscc}"
 *   datamatrix-gs1 X Y MODULE STRING     GS1 DataMatrix, "(01){gtin}(21){serial}"
 *   line X1 Y1 X2 Y2 T                   horizontal or vertical line, T thick
 *   box X Y W H T                        rectangle outline, T thick (inward)
 *   table X Y ROWH TEXTH BOTTOM          item table (list documents); rows
 *                                        below BOTTOM continue on a new page
 *   column X HEADER STRING               a table column; STRING uses row fields
 *   column-code128 X HEADER MODULE STRING  a column of Code 128 barcodes, bars
 *                                        most of the row high
 *   if FIELD <element>                   element drawn only if FIELD is non-empty
 *
 * Errors carry "file:line: message", e.g.
 *   device.label:12: unknown element 'barcod'; allowed: ...
 *
 * Ownership: the load/parse functions return a template the caller frees
 * with label_template_free(); a template is immutable once parsed and may be
 * shared by several threads rendering at once.
 */
#ifndef LABEL_TEMPLATE_H
#define LABEL_TEMPLATE_H

#include <stddef.h>

#include "label.h"
#include "wms_error.h"

struct label_template;   /* opaque */

/*
 * Parse template text.  name (IN) is used in error messages only.
 * On success *out is the template; on failure *out is NULL and err holds
 * "name:line: ..." (WMS_ECONFIG), or WMS_ENOMEM.
 */
int label_template_parse(const char *name, const char *text, size_t len,
			 struct label_template **out, struct wms_error *err);

/* Read and parse a file.  WMS_EIO if it cannot be read. */
int label_template_load_file(const char *path, struct label_template **out,
			     struct wms_error *err);

/*
 * Load <dir>/<name>.label, e.g. (dir, "shipping-4x6").  name must be a plain
 * file name (letters, digits, '-', '_'); WMS_EINVAL otherwise.
 */
int label_template_load(const char *dir, const char *name, struct label_template **out,
			struct wms_error *err);

/* NULL-safe. */
void label_template_free(struct label_template *t);

enum label_kind label_template_kind(const struct label_template *t);

/* Label size in mm (OUT parameters). */
void label_template_size(const struct label_template *t, double *w_mm, double *h_mm);

#endif
