/*
 * label_render.h - rendering a label as an image (PNG, or a grey bitmap in
 * memory) or a PDF, for any printer with a CUPS driver and for previews.
 *
 * Drawing is done with cairo in printer dots at the given resolution, so a
 * PNG at 203 dpi has exactly the pixels a 203 dpi printer prints and every
 * barcode module is a whole number of dots (the same widths as the ZPL
 * output).  Text uses DejaVu Sans (fonts-dejavu-core), which has å ä ö.
 * Barcodes come from libzint: Code 128, GS1-128, GS1 DataMatrix (square).
 * A PDF keeps vector text and barcodes, one PDF page per label page; PNG and
 * bitmap render one page (0-based).
 *
 * Ownership: buffers and bitmaps returned here belong to the caller: free a
 * buffer with free(), a bitmap with label_bitmap_free().  On failure every
 * OUT pointer is NULL.  The functions are reentrant.
 */
#ifndef LABEL_RENDER_H
#define LABEL_RENDER_H

#include <stddef.h>

#include "label.h"
#include "label_template.h"
#include "wms_error.h"

/* An 8-bit grey image, 0 = black, 255 = white; filled by the renderer. */
struct label_bitmap {
	int width, height;     /* pixels (= printer dots) */
	int stride;            /* bytes per row */
	unsigned char *pixels;
};

void label_bitmap_free(struct label_bitmap *bm);

/* Number of pages the label needs (OUT *pages >= 1). */
int label_render_page_count(const struct label_template *t, const struct label_fields *f,
			    int *pages, struct wms_error *err);

/* Render page `page` into a grey bitmap (*out, OUT). */
int label_render_bitmap(const struct label_template *t, const struct label_fields *f, int dpi,
			int page, struct label_bitmap **out, struct wms_error *err);

/* Render page `page` as a PNG file at path.  WMS_EIO if it cannot be written. */
int label_render_png_file(const struct label_template *t, const struct label_fields *f,
			  int dpi, int page, const char *path, struct wms_error *err);

/* Render page `page` as PNG into a malloc'd buffer (*out, *len: OUT). */
int label_render_png_buffer(const struct label_template *t, const struct label_fields *f,
			    int dpi, int page, unsigned char **out, size_t *len,
			    struct wms_error *err);

/* All pages as a PDF file; barcode modules are rounded to dots at dpi. */
int label_render_pdf_file(const struct label_template *t, const struct label_fields *f,
			  int dpi, const char *path, struct wms_error *err);

/* All pages as a PDF in a malloc'd buffer (*out, *len: OUT). */
int label_render_pdf_buffer(const struct label_template *t, const struct label_fields *f,
			    int dpi, unsigned char **out, size_t *len, struct wms_error *err);

/*
 * Release cairo's and fontconfig's process-wide caches.  Only for the end of
 * a process that runs a leak checker (tests); no renderer may run during or
 * after the call.
 */
void label_render_finalise(void);

#endif
