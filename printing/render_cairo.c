/*
 * render_cairo.c - PNG, grey bitmap and PDF output of a laid-out label.
 *
 * One drawing routine (draw_page) serves every surface; image surfaces are
 * drawn 1 unit = 1 dot, PDF surfaces are scaled from dots to points.
 * Barcodes and rules are drawn without antialiasing so they stay crisp on
 * 1-bit printers; text keeps it.
 */
#include "label_render.h"
#include "render_internal.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FONT "DejaVu Sans"

struct membuf {
	unsigned char *p;
	size_t n, cap;
	int failed;
};

static cairo_status_t mem_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct membuf *b = closure;

	if (b->n + len > b->cap) {
		size_t cap = b->cap ? b->cap : 16384;
		unsigned char *np;

		while (cap < b->n + len)
			cap *= 2;
		np = realloc(b->p, cap);
		if (np == NULL) {
			b->failed = 1;
			return CAIRO_STATUS_NO_MEMORY;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, len);
	b->n += len;
	return CAIRO_STATUS_SUCCESS;
}

static void draw_text(cairo_t *cr, const struct lo_item *it, int dpi)
{
	cairo_font_extents_t fe;
	cairo_text_extents_t te;
	double maxw = (double)label_dots(it->w, dpi);

	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
			       it->bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, (double)label_dots(it->h, dpi));
	cairo_font_extents(cr, &fe);
	cairo_save(cr);
	/* the top of the text cell at y, as ZPL's ^FO does for ^A0 */
	cairo_translate(cr, (double)label_dots(it->x, dpi), (double)label_dots(it->y, dpi) + fe.ascent);
	if (it->w > 0) {
		/* condense, never shrink the height, like ^A0's width argument */
		cairo_text_extents(cr, it->data, &te);
		if (te.x_advance > maxw)
			cairo_scale(cr, maxw / te.x_advance, 1);
	}
	cairo_move_to(cr, 0, 0);
	cairo_show_text(cr, it->data);
	cairo_restore(cr);
}

static void fill_rect(cairo_t *cr, long x, long y, long w, long h)
{
	cairo_rectangle(cr, (double)x, (double)y, (double)(w < 1 ? 1 : w), (double)(h < 1 ? 1 : h));
}

static int draw_page(cairo_t *cr, const struct lo_page *pg, int dpi, double w, double h,
		     struct wms_error *err)
{
	size_t i;
	int rc;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, 0, 0, w, h);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	for (i = 0; i < pg->n; i++) {
		const struct lo_item *it = &pg->items[i];
		long x = label_dots(it->x, dpi), y = label_dots(it->y, dpi);
		long iw = label_dots(it->w, dpi), ih = label_dots(it->h, dpi);
		long t = label_dots(it->t, dpi);

		if (t < 1)
			t = 1;
		switch (it->type) {
		case LO_TEXT:
			cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
			draw_text(cr, it, dpi);
			cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
			break;
		case LO_CODE128:
		case LO_GS1_128:
		case LO_DM_GS1:
			if ((rc = label_draw_barcode(cr, it, dpi, err)) < 0)
				return rc;
			break;
		case LO_FILL:
			fill_rect(cr, x, y, iw, ih);
			cairo_fill(cr);
			break;
		case LO_BOX:
			fill_rect(cr, x, y, iw, t);
			fill_rect(cr, x, y + ih - t, iw, t);
			fill_rect(cr, x, y, t, ih);
			fill_rect(cr, x + iw - t, y, t, ih);
			cairo_fill(cr);
			break;
		}
	}
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return wms_error_set(err, WMS_EIO, "cairo: %s",
				     cairo_status_to_string(cairo_status(cr)));
	return 0;
}

/* Lay out and draw one page on a new RGB image surface (*out, OUT). */
static int render_image(const struct label_template *t, const struct label_fields *f, int dpi,
			int page, cairo_surface_t **out, struct wms_error *err)
{
	cairo_surface_t *s = NULL;
	struct lo_doc *doc = NULL;
	cairo_t *cr = NULL;
	long w, h;
	int rc;

	*out = NULL;
	if ((rc = label_check_dpi(dpi, err)) < 0 || (rc = label_layout(t, f, &doc, err)) < 0)
		goto out;
	if (page < 0 || (size_t)page >= doc->npages) {
		rc = wms_error_set(err, WMS_EINVAL, "page %d out of range (label has %zu)", page,
				   doc->npages);
		goto out;
	}
	w = label_dots(doc->w_mm, dpi);
	h = label_dots(doc->h_mm, dpi);
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		rc = wms_error_set(err, WMS_ENOMEM, "cairo surface %ldx%ld: %s", w, h,
				   cairo_status_to_string(cairo_surface_status(s)));
		goto out;
	}
	cr = cairo_create(s);
	if ((rc = draw_page(cr, &doc->pages[page], dpi, (double)w, (double)h, err)) < 0)
		goto out;
	cairo_surface_flush(s);
	*out = s;
	s = NULL;
out:
	if (cr)
		cairo_destroy(cr);
	if (s)
		cairo_surface_destroy(s);
	label_layout_free(doc);
	return rc;
}

int label_render_page_count(const struct label_template *t, const struct label_fields *f,
			    int *pages, struct wms_error *err)
{
	struct lo_doc *doc = NULL;
	int rc;

	*pages = 0;
	rc = label_layout(t, f, &doc, err);
	if (rc == 0)
		*pages = (int)doc->npages;
	label_layout_free(doc);
	return rc;
}

void label_bitmap_free(struct label_bitmap *bm)
{
	if (bm == NULL)
		return;
	free(bm->pixels);
	free(bm);
}

int label_render_bitmap(const struct label_template *t, const struct label_fields *f, int dpi,
			int page, struct label_bitmap **out, struct wms_error *err)
{
	cairo_surface_t *s = NULL;
	struct label_bitmap *bm = NULL;
	const unsigned char *src;
	int rc, x, y, sstride;

	*out = NULL;
	if ((rc = render_image(t, f, dpi, page, &s, err)) < 0)
		goto out;
	bm = calloc(1, sizeof *bm);
	if (bm == NULL)
		goto nomem;
	bm->width = cairo_image_surface_get_width(s);
	bm->height = cairo_image_surface_get_height(s);
	bm->stride = bm->width;
	bm->pixels = malloc((size_t)bm->width * (size_t)bm->height);
	if (bm->pixels == NULL)
		goto nomem;
	src = cairo_image_surface_get_data(s);
	sstride = cairo_image_surface_get_stride(s);
	for (y = 0; y < bm->height; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(src + (size_t)y * (size_t)sstride);

		for (x = 0; x < bm->width; x++) {
			uint32_t px = row[x];
			unsigned r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

			bm->pixels[(size_t)y * (size_t)bm->stride + (size_t)x] =
				(unsigned char)((r * 77 + g * 150 + b * 29) >> 8);
		}
	}
	*out = bm;
	bm = NULL;
	goto out;
nomem:
	rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
out:
	label_bitmap_free(bm);
	if (s)
		cairo_surface_destroy(s);
	return rc;
}

int label_render_png_file(const struct label_template *t, const struct label_fields *f,
			  int dpi, int page, const char *path, struct wms_error *err)
{
	cairo_surface_t *s = NULL;
	cairo_status_t st;
	int rc;

	if ((rc = render_image(t, f, dpi, page, &s, err)) < 0)
		return rc;
	st = cairo_surface_write_to_png(s, path);
	if (st != CAIRO_STATUS_SUCCESS)
		rc = wms_error_set(err, WMS_EIO, "%s: %s", path, cairo_status_to_string(st));
	cairo_surface_destroy(s);
	return rc;
}

int label_render_png_buffer(const struct label_template *t, const struct label_fields *f,
			    int dpi, int page, unsigned char **out, size_t *len,
			    struct wms_error *err)
{
	struct membuf b = { NULL, 0, 0, 0 };
	cairo_surface_t *s = NULL;
	cairo_status_t st;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = render_image(t, f, dpi, page, &s, err)) < 0)
		goto out;
	st = cairo_surface_write_to_png_stream(s, mem_write, &b);
	if (st != CAIRO_STATUS_SUCCESS || b.failed) {
		rc = wms_error_set(err, b.failed ? WMS_ENOMEM : WMS_EIO, "PNG: %s",
				   cairo_status_to_string(st));
		goto out;
	}
	*out = b.p;
	*len = b.n;
	b.p = NULL;
out:
	free(b.p);
	if (s)
		cairo_surface_destroy(s);
	return rc;
}

/* Draw every page on a PDF surface created by the caller (sized in points). */
static int render_pdf(cairo_surface_t *s, const struct lo_doc *doc, int dpi,
		      struct wms_error *err)
{
	double w = (double)label_dots(doc->w_mm, dpi), h = (double)label_dots(doc->h_mm, dpi);
	cairo_t *cr;
	size_t p;
	int rc = 0;

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		return wms_error_set(err, WMS_EIO, "PDF: %s",
				     cairo_status_to_string(cairo_surface_status(s)));
	cr = cairo_create(s);
	cairo_scale(cr, 72.0 / dpi, 72.0 / dpi);
	for (p = 0; p < doc->npages && rc == 0; p++) {
		rc = draw_page(cr, &doc->pages[p], dpi, w, h, err);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (rc == 0 && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = wms_error_set(err, WMS_EIO, "PDF: %s",
				   cairo_status_to_string(cairo_surface_status(s)));
	return rc;
}

#define MM_TO_PT(mm) ((mm) * 72.0 / 25.4)

int label_render_pdf_file(const struct label_template *t, const struct label_fields *f,
			  int dpi, const char *path, struct wms_error *err)
{
	cairo_surface_t *s = NULL;
	struct lo_doc *doc = NULL;
	int rc;

	if ((rc = label_check_dpi(dpi, err)) < 0 || (rc = label_layout(t, f, &doc, err)) < 0)
		goto out;
	s = cairo_pdf_surface_create(path, MM_TO_PT(doc->w_mm), MM_TO_PT(doc->h_mm));
	rc = render_pdf(s, doc, dpi, err);
	if (rc < 0 && err != NULL && err->code == WMS_EIO)
		wms_error_set(err, WMS_EIO, "%s: %s", path, cairo_status_to_string(cairo_surface_status(s)));
out:
	if (s)
		cairo_surface_destroy(s);
	label_layout_free(doc);
	return rc;
}

int label_render_pdf_buffer(const struct label_template *t, const struct label_fields *f,
			    int dpi, unsigned char **out, size_t *len, struct wms_error *err)
{
	struct membuf b = { NULL, 0, 0, 0 };
	cairo_surface_t *s = NULL;
	struct lo_doc *doc = NULL;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = label_check_dpi(dpi, err)) < 0 || (rc = label_layout(t, f, &doc, err)) < 0)
		goto out;
	s = cairo_pdf_surface_create_for_stream(mem_write, &b, MM_TO_PT(doc->w_mm),
						MM_TO_PT(doc->h_mm));
	if ((rc = render_pdf(s, doc, dpi, err)) < 0)
		goto out;
	if (b.failed) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	*out = b.p;
	*len = b.n;
	b.p = NULL;
out:
	free(b.p);
	if (s)
		cairo_surface_destroy(s);
	label_layout_free(doc);
	return rc;
}

void label_render_finalise(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
