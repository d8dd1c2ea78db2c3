/*
 * barcode_zint.c - drawing barcodes with libzint onto a cairo context.
 *
 * zint encodes and gives the symbol as vector rectangles; we convert them
 * back to whole modules and draw each module as an exact number of printer
 * dots, so bars do not blur or drift at 203 dpi and widths match ZPL's ^BY.
 * Quiet zones are the template's business (none is drawn here).
 */
#include "render_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zint.h>

/* "[01]0950...[21]ABC": zint's GS1 input form. */
static int gs1_zint(const struct label_gs1 *g, char *buf, size_t cap)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < g->n; i++) {
		int w = snprintf(buf + n, cap - n, "[%s]%s", g->el[i].ai, g->el[i].value);

		if (w < 0 || (size_t)w >= cap - n)
			return -1;
		n += (size_t)w;
	}
	return 0;
}

int label_draw_barcode(cairo_t *cr, const struct lo_item *it, int dpi, struct wms_error *err)
{
	struct zint_symbol *sym = NULL;
	struct zint_vector_rect *r;
	char data[LABEL_GS1_MAX_EL * 100];
	double unit, x0, y0, m, h;
	int rc = 0, zr, linear = 1;

	sym = ZBarcode_Create();
	if (sym == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory (zint)");
	sym->show_hrt = 0;
	sym->output_options = BARCODE_NO_QUIET_ZONES;
	sym->warn_level = WARN_FAIL_ALL;
	switch (it->type) {
	case LO_CODE128:
		sym->symbology = BARCODE_CODE128;
		sym->input_mode = DATA_MODE;
		snprintf(data, sizeof data, "%s", it->data);
		break;
	case LO_GS1_128:
	case LO_DM_GS1:
		if (gs1_zint(&it->gs1, data, sizeof data) < 0) {
			rc = wms_error_set(err, WMS_EINVAL, "GS1 data too long");
			goto out;
		}
		sym->input_mode = GS1_MODE;
		if (it->type == LO_GS1_128) {
			sym->symbology = BARCODE_GS1_128;
		} else {
			sym->symbology = BARCODE_DATAMATRIX;
			sym->option_3 = DM_SQUARE;
			linear = 0;
		}
		break;
	default:
		rc = wms_error_set(err, WMS_EINVAL, "not a barcode item");
		goto out;
	}
	zr = ZBarcode_Encode(sym, (const unsigned char *)data, (int)strlen(data));
	if (zr == 0)
		zr = ZBarcode_Buffer_Vector(sym, 0);
	if (zr != 0 || sym->vector == NULL || sym->width <= 0) {
		rc = wms_error_set(err, WMS_EINVAL, "barcode \"%s\": %s", data, sym->errtxt);
		goto out;
	}
	unit = sym->vector->width / sym->width;   /* vector units per module */
	m = (double)label_module_dots(it->module, dpi);
	x0 = (double)label_dots(it->x, dpi);
	y0 = (double)label_dots(it->y, dpi);
	h = (double)label_dots(it->h, dpi);
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (r = sym->vector->rectangles; r != NULL; r = r->next) {
		double cx = round(r->x / unit), cw = round(r->width / unit);

		if (linear) {
			cairo_rectangle(cr, x0 + cx * m, y0, cw * m, h);
		} else {
			double cy = round(r->y / unit), ch = round(r->height / unit);

			cairo_rectangle(cr, x0 + cx * m, y0 + cy * m, cw * m, ch * m);
		}
	}
	cairo_fill(cr);
	cairo_restore(cr);
out:
	ZBarcode_Delete(sym);
	return rc;
}
