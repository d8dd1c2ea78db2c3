/*
 * label_zpl.h - rendering a label to ZPL II for Zebra-compatible printers.
 *
 * The output is a complete job: one ^XA ... ^XZ block per page, ^CI28 so
 * text is UTF-8 (å ä ö print as such), positions in printer dots from the
 * template's millimetres at 203 or 300 dpi.  All field data goes through
 * ^FH, with ^ ~ _ written as _5E _7E _5F, so no value can end a field or
 * start a command.  Barcodes: Code 128 and GS1-128 (^BC, FNC1 as >8),
 * GS1 DataMatrix (^BX quality 200, FNC1 as ~1).  Bold text is printed in
 * the regular font (^A0 has no bold).
 *
 * The caller writes the buffer to a raw queue or socket; nothing here
 * touches a printer.
 */
#ifndef LABEL_ZPL_H
#define LABEL_ZPL_H

#include <stddef.h>

#include "label.h"
#include "label_template.h"
#include "wms_error.h"

/*
 * Render t filled from f at dpi (203, 300 or 600).  On success *out (OUT) is
 * a malloc'd NUL-terminated buffer of *len (OUT) bytes that the caller frees
 * with free(); on failure *out is NULL.  Errors: WMS_EINVAL for a missing
 * field, bad barcode data or bad dpi; WMS_ENOMEM.
 */
int label_zpl_render(const struct label_template *t, const struct label_fields *f, int dpi,
		     char **out, size_t *len, struct wms_error *err);

#endif
