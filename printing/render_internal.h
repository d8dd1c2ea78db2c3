/*
 * render_internal.h - shared by the cairo renderer and its zint barcode
 * drawing (inside printing/ only).  Coordinates on the cairo context are
 * printer dots at the given dpi.
 */
#ifndef RENDER_INTERNAL_H
#define RENDER_INTERNAL_H

#include <cairo.h>

#include "label_internal.h"

/* Draw a LO_CODE128, LO_GS1_128 or LO_DM_GS1 item in black. */
int label_draw_barcode(cairo_t *cr, const struct lo_item *it, int dpi, struct wms_error *err);

#endif
