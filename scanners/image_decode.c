/*
 * image_decode.c - every barcode in a gray image, with ZBar (1D codes, QR)
 * and libdmtx (DataMatrix), turned into the bytes a scanner would send: the
 * AIM identifier derived from the symbology and GS1 flag, FNC1 as GS.
 *
 * ZBar already drops a leading FNC1, flags GS1 data with ZBAR_MOD_GS1 and
 * gives later FNC1 as GS.  libdmtx drops FNC1 altogether unless told which
 * byte to put in its place: we ask for GS and take a GS in first position
 * to mean "GS1 DataMatrix" (]d2), as a scanner does.  libdmtx gets a time
 * budget per image, in CPU time of the decoding thread: its region search
 * over a frame without a symbol, or a decode on noise, is otherwise
 * unbounded, and a wall-clock limit would cut it short on a busy machine.
 *
 * A camera station tunes it (source_camera.c): it expects one symbol, so
 * libdmtx does not run once ZBar found it and stops at the first
 * DataMatrix; ZBar scans every third line and libdmtx a half-size image,
 * which read a label at camera distance and cost a fraction on the frames
 * that hold none (most of them).  Both read only the regions of the frame
 * where a symbol can be (image_regions.c: clusters of strong edges), a
 * copy of each with its quiet zone; a frame without any costs the search
 * for them, about a millisecond.
 */
#include "image_decode.h"
#include "image_regions.h"

#include <dmtx.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zbar.h>

#define GS 0x1D
#define DMTX_SLICE_MS 5   /* wall-clock slice of one region search call */
#define DMTX_REGROW 12    /* pixels a region grows by for libdmtx's second look */

/* CPU milliseconds used by this thread. */
static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct scan_image_decoder {
	struct scan_image_options opt;
	zbar_image_scanner_t *zbar;
	unsigned char *buf;           /* the packed copies of the image, kept */
	size_t buf_size;              /* between images (a camera's are alike) */
	char hint[160];               /* scan_image_decode_hint() */
};

/* d->buf, at least size bytes for copies of img; NULL (err set) when out
 * of memory. */
static unsigned char *scratch(struct scan_image_decoder *d, size_t size,
                              const struct scan_image *img, struct wms_error *err)
{
	if (size > d->buf_size) {
		free(d->buf);
		d->buf_size = 0;
		if ((d->buf = malloc(size)) == NULL) {
			wms_error_set(err, WMS_ENOMEM, "out of memory for a %dx%d image", img->width,
			              img->height);
			return NULL;
		}
		d->buf_size = size;
	}
	return d->buf;
}

const char *scan_image_decode_hint(const struct scan_image_decoder *d)
{
	return d->hint;
}

int scan_image_decoder_new(const struct scan_image_options *opt, struct scan_image_decoder **out,
                           struct wms_error *err)
{
	struct scan_image_decoder *d;

	*out = NULL;
	if ((d = calloc(1, sizeof *d)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory for an image decoder");
	if (opt)
		d->opt = *opt;
	if (d->opt.dmtx_timeout_ms == 0)
		d->opt.dmtx_timeout_ms = 300;
	if (d->opt.dmtx_scan_gap == 0)
		d->opt.dmtx_scan_gap = 2;
	if (d->opt.dmtx_max_symbols == 0)
		d->opt.dmtx_max_symbols = 4;
	if (d->opt.zbar_density == 0)
		d->opt.zbar_density = 1;
	if (d->opt.dmtx_shrink == 0)
		d->opt.dmtx_shrink = 1;
	if (d->opt.dmtx_timeout_ms < 1 || d->opt.dmtx_timeout_ms > 10000 || d->opt.dmtx_scan_gap < 1 ||
	    d->opt.dmtx_scan_gap > 64 || d->opt.dmtx_max_symbols < 1 ||
	    d->opt.dmtx_max_symbols > SCAN_IMAGE_MAX_SYMBOLS || d->opt.symbols < 0 ||
	    d->opt.symbols > SCAN_IMAGE_MAX_SYMBOLS || d->opt.zbar_density < 1 ||
	    d->opt.zbar_density > 8 || d->opt.dmtx_shrink < 1 || d->opt.dmtx_shrink > 4) {
		free(d);
		return wms_error_set(err, WMS_EINVAL, "image decoder options out of range: DataMatrix "
		                     "timeout 1..10000 ms, scan gap 1..64 px, symbols 1..%d, shrink "
		                     "1..4; expected symbols 0..%d (0 = all); ZBar density 1..8",
		                     SCAN_IMAGE_MAX_SYMBOLS, SCAN_IMAGE_MAX_SYMBOLS);
	}
	if (!d->opt.no_zbar) {
		if ((d->zbar = zbar_image_scanner_create()) == NULL) {
			free(d);
			return wms_error_set(err, WMS_ENOMEM, "out of memory for a ZBar scanner");
		}
		/* ZBar's default symbologies: ISBN stays off (a scanner sends the EAN-13) */
		/* bytes as printed, not recoded to UTF-8: a scanner sends them so */
		zbar_image_scanner_set_config(d->zbar, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
		/* every Nth row and column (symbology 0: all of them) */
		zbar_image_scanner_set_config(d->zbar, 0, ZBAR_CFG_X_DENSITY, d->opt.zbar_density);
		zbar_image_scanner_set_config(d->zbar, 0, ZBAR_CFG_Y_DENSITY, d->opt.zbar_density);
	}
	*out = d;
	return 0;
}

void scan_image_station_options(int height, int symbols, struct scan_image_options *out)
{
	int density = height / 240;

	*out = (struct scan_image_options){
		.symbols = symbols,
		.regions = true,
		.zbar_density = density < 1 ? 1 : density > 8 ? 8 : density,
		.dmtx_shrink = 2,
		.dmtx_timeout_ms = SCAN_IMAGE_STATION_BUDGET_MS,
	};
}

int scan_image_decoder_set_symbols(struct scan_image_decoder *d, int n, struct wms_error *err)
{
	if (n < 0 || n > SCAN_IMAGE_MAX_SYMBOLS)
		return wms_error_set(err, WMS_EINVAL, "expected symbols %d out of range: 0..%d (0 = all)",
		                     n, SCAN_IMAGE_MAX_SYMBOLS);
	d->opt.symbols = n;
	return 0;
}

void scan_image_decoder_free(struct scan_image_decoder *d)
{
	if (d == NULL)
		return;
	if (d->zbar)
		zbar_image_scanner_destroy(d->zbar);
	free(d->buf);
	free(d);
}

/* Fill sym from a symbology name, GS1 flag and data (the leading FNC1 gone). */
static int symbol_fill(struct scan_image_symbol *sym, const char *name, bool gs1,
                       const unsigned char *data, size_t len, int x, int y, struct wms_error *err)
{
	char aim[AIM_ID_LEN + 1];
	int rc;

	memset(sym, 0, sizeof *sym);
	snprintf(sym->symbology, sizeof sym->symbology, "%s", name);
	sym->gs1 = gs1;
	sym->x = x;
	sym->y = y;
	if ((rc = aim_from_zbar_name(name, gs1, &sym->aim, err)) < 0)
		return rc;
	aim_format(&sym->aim, aim);
	memcpy(sym->bytes, aim, AIM_ID_LEN);
	if (len > sizeof sym->bytes - AIM_ID_LEN) {
		len = sizeof sym->bytes - AIM_ID_LEN;
		sym->truncated = true;
	}
	memcpy(sym->bytes + AIM_ID_LEN, data, len);
	sym->len = AIM_ID_LEN + len;
	return 0;
}

/* ZBar's symbols into syms[*n..max); gray is the part of the image at
 * (x0, y0). */
static int zbar_pass(struct scan_image_decoder *d, const unsigned char *gray, int w, int h,
                     int x0, int y0, struct scan_image_symbol *syms, int max, int *n,
                     struct wms_error *err)
{
	zbar_image_t *img = zbar_image_create();
	int rc = 0;

	if (img == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory for a ZBar image");
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	/* ZBar only reads a Y800 image; the cast is its API's */
	zbar_image_set_data(img, (void *)(uintptr_t)gray, (unsigned long)w * (unsigned long)h, NULL);
	if (zbar_scan_image(d->zbar, img) < 0) {
		rc = wms_error_set(err, WMS_EIO, "ZBar failed to scan a %dx%d image", w, h);
		goto out;
	}
	for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s && *n < max;
	     s = zbar_symbol_next(s)) {
		zbar_symbol_type_t type = zbar_symbol_get_type(s);
		bool gs1 = zbar_symbol_get_modifiers(s) & (1u << ZBAR_MOD_GS1);
		unsigned points = zbar_symbol_get_loc_size(s);
		long sx = 0, sy = 0;
		struct wms_error ignored;

		for (unsigned i = 0; i < points; i++) {
			sx += zbar_symbol_get_loc_x(s, i);
			sy += zbar_symbol_get_loc_y(s, i);
		}
		if (points) {
			sx /= points;
			sy /= points;
		}
		/* a symbology without an AIM mapping is skipped, not fatal */
		if (symbol_fill(&syms[*n], zbar_get_symbol_name(type), gs1,
		                (const unsigned char *)zbar_symbol_get_data(s),
		                zbar_symbol_get_data_length(s), x0 + (int)sx, y0 + (int)sy,
		                &ignored) == 0)
			(*n)++;
	}
out:
	zbar_image_destroy(img);
	return rc;
}

/* DataMatrix symbols into syms[*n..max), at most want of them, until this
 * thread's CPU clock reaches budget_end (cpu_ms()); gray is the part of the
 * image at (x0, y0).  *found counts them. */
static int dmtx_pass(struct scan_image_decoder *d, unsigned char *gray, int w, int h, int x0,
                     int y0, double budget_end, struct scan_image_symbol *syms, int max,
                     int want, int *n, int *found, struct wms_error *err)
{
	DmtxImage *img = dmtxImageCreate(gray, w, h, DmtxPack8bppK);
	DmtxDecode *dec = NULL;
	DmtxTime deadline;
	int rc = 0;

	if (img == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory for a libdmtx image");
	/* rows top to bottom as stored; a flipped image would be a mirrored symbol */
	dmtxImageSetProp(img, DmtxPropImageFlip, DmtxFlipNone);
	/* shrink: libdmtx samples every Nth pixel */
	if ((dec = dmtxDecodeCreate(img, d->opt.dmtx_shrink)) == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory for a libdmtx decoder");
		goto out;
	}
	dmtxDecodeSetProp(dec, DmtxPropScanGap, d->opt.dmtx_scan_gap);
	dmtxDecodeSetProp(dec, DmtxPropFnc1, GS);
	while (*n < max && *found < want) {
		DmtxRegion *reg;
		DmtxMessage *msg;
		DmtxVector2 centre = { 0.5, 0.5 };
		struct wms_error ignored;

		/* libdmtx's deadline is wall clock; the budget is this thread's
		 * CPU time, so that a busy machine does not cut a search short:
		 * the search goes on in slices (libdmtx keeps its place in the
		 * scan grid between calls) until a region, the grid's end or the
		 * budget */
		for (;;) {
			deadline = dmtxTimeAdd(dmtxTimeNow(), DMTX_SLICE_MS);
			reg = dmtxRegionFindNext(dec, &deadline);
			if (reg != NULL || !dmtxTimeExceeded(deadline) || cpu_ms() >= budget_end)
				break;
		}
		if (reg == NULL)
			break;           /* no more regions, or out of time */
		if (cpu_ms() >= budget_end) {
			dmtxRegionDestroy(&reg);
			break;
		}
		msg = dmtxDecodeMatrixRegion(dec, reg, DmtxUndefined);
		if (msg != NULL) {
			const unsigned char *data = msg->output;
			size_t len = (size_t)msg->outputIdx;
			bool gs1 = len > 0 && data[0] == GS;

			if (gs1) {
				data++;
				len--;
			}
			dmtxMatrix3VMultiplyBy(&centre, reg->fit2raw);
			/* fit2raw maps to libdmtx's pixels: shrunk, y counted up from
			 * the bottom row */
			if (symbol_fill(&syms[*n], "DataMatrix", gs1, data, len,
			                x0 + (int)(centre.X * d->opt.dmtx_shrink),
			                y0 + h - 1 - (int)(centre.Y * d->opt.dmtx_shrink), &ignored) == 0) {
				(*n)++;
				(*found)++;
			}
			dmtxMessageDestroy(&msg);
		}
		dmtxRegionDestroy(&reg);
	}
out:
	dmtxDecodeDestroy(&dec);
	dmtxImageDestroy(&img);
	return rc;
}

/*
 * Nothing found: a DataMatrix printed or cropped without its quiet zone
 * (ISO/IEC 16022: one module of light margin all round) is invisible to
 * libdmtx's edge search.  Pad the image with white (a tenth of its larger
 * side and 8 pixels more, so a module of any size fits) and look again;
 * if a symbol shows up, say so instead of "no barcode".  The symbol is not
 * delivered: a handheld would not read that label either.
 */
static int quiet_zone_pass(struct scan_image_decoder *d, const unsigned char *gray, int w, int h,
                           struct wms_error *err)
{
	struct scan_image_symbol *found;
	int pad = (w > h ? w : h) / 10 + 8, pw = w + 2 * pad, ph = h + 2 * pad, n = 0, k = 0, rc;
	unsigned char *big;

	if ((long)pw * ph > SCAN_IMAGE_MAX_PIXELS)
		return 0;
	if ((big = malloc((size_t)pw * (size_t)ph)) == NULL ||
	    (found = malloc(sizeof *found)) == NULL) {
		free(big);
		return wms_error_set(err, WMS_ENOMEM, "out of memory for a %dx%d image", pw, ph);
	}
	memset(big, 0xff, (size_t)pw * (size_t)ph);
	for (int r = 0; r < h; r++)
		memcpy(big + (size_t)(r + pad) * (size_t)pw + (size_t)pad, gray + (size_t)r * (size_t)w,
		       (size_t)w);
	rc = dmtx_pass(d, big, pw, ph, 0, 0, cpu_ms() + (double)d->opt.dmtx_timeout_ms, found, 1, 1,
	               &n, &k, err);
	if (rc == 0 && n > 0)
		snprintf(d->hint, sizeof d->hint, "no quiet zone around the symbol? A DataMatrix "
		         "reads once a white margin is added: print or crop it with at least one "
		         "module of white all round");
	free(found);
	free(big);
	return rc;
}

static int by_position(const void *a, const void *b)
{
	const struct scan_image_symbol *x = a, *y = b;

	if (x->y / 16 != y->y / 16)    /* one row: centres within a few pixels */
		return x->y / 16 < y->y / 16 ? -1 : 1;
	return (x->x > y->x) - (x->x < y->x);
}

/* How many DataMatrix symbols libdmtx is to look for once ZBar found n:
 * the expected ones still missing, or its own maximum; 0: none. */
static int dmtx_wanted(const struct scan_image_decoder *d, int n)
{
	if (d->opt.no_dmtx)
		return 0;
	if (d->opt.symbols == 0)
		return d->opt.dmtx_max_symbols;
	return n < d->opt.symbols ? d->opt.symbols - n : 0;
}

/*
 * ZBar scans lines first, first + density, ... of an image n pixels high
 * (or wide), first = ((n - 1) % density + 1) / 2, one way then the other
 * (img_scanner.c); libdmtx samples every shrink-th pixel from the left and
 * from the bottom row.  Grow [*start, *start + *len) within 0..n until
 * ZBar's lines are the whole image's, each scanned the same way, and
 * libdmtx's samples too (from_end: counted from the end): a region then
 * reads what the whole image would have read there.
 */
static void align_lines(int n, int density, int shrink, bool from_end, int *start, int *len)
{
	int first = ((n - 1) % density + 1) / 2;

	for (int back = 0; back < 2 * density * shrink; back++)
		for (int more = 0; more < 2 * density * shrink; more++) {
			int s = *start - back, l = *len + back + more;
			if (s >= 0 && s + l <= n &&
			    (s + ((l - 1) % density + 1) / 2 - first) % (2 * density) == 0 &&
			    (from_end ? n - s - l : s) % shrink == 0) {
				*start = s;
				*len = l;
				return;
			}
		}
}

/*
 * Read the regions only: a packed copy of each, ZBar over every one (most
 * edges first) until the expected symbols are there, then libdmtx over
 * those that look two-dimensional first, all within one budget.
 */
static int decode_regions(struct scan_image_decoder *d, const struct scan_image *img,
                          struct image_region *reg, int nreg, struct scan_image_symbol *syms,
                          int max, int *n, struct wms_error *err)
{
	unsigned char *copy[IMAGE_REGIONS_MAX], *p;
	int order[IMAGE_REGIONS_MAX], rc = 0, want, found = 0;
	size_t size = 0;

	if (nreg == 0)
		return 0;
	for (int i = 0; i < nreg; i++) {
		struct image_region *r = &reg[i];
		align_lines(img->width, d->opt.zbar_density, d->opt.dmtx_shrink, false, &r->x, &r->w);
		align_lines(img->height, d->opt.zbar_density, d->opt.dmtx_shrink, true, &r->y, &r->h);
		size += (size_t)r->w * (size_t)r->h;
	}
	if ((p = scratch(d, size, img, err)) == NULL)
		return WMS_ENOMEM;
	for (int i = 0; i < nreg; i++) {
		const struct image_region *r = &reg[i];
		copy[i] = p;
		p += (size_t)r->w * (size_t)r->h;
		for (int y = 0; y < r->h; y++)
			memcpy(copy[i] + (size_t)y * (size_t)r->w,
			       img->gray + (size_t)(r->y + y) * (size_t)img->stride + (size_t)r->x,
			       (size_t)r->w);
	}
	for (int i = 0; d->zbar && i < nreg && (d->opt.symbols == 0 || *n < d->opt.symbols); i++)
		if ((rc = zbar_pass(d, copy[i], reg[i].w, reg[i].h, reg[i].x, reg[i].y, syms, max, n,
		                    err)) < 0)
			return rc;
	if ((want = dmtx_wanted(d, *n)) > 0) {
		double budget_end = cpu_ms() + (double)d->opt.dmtx_timeout_ms;
		/* a DataMatrix has edges both ways; a 1D code ZBar could not
		 * read, most often not */
		for (int i = 0; i < nreg; i++) {
			int j = i;
			while (j > 0 && reg[order[j - 1]].edges_2d < reg[i].edges_2d) {
				order[j] = order[j - 1];
				j--;
			}
			order[j] = i;
		}
		for (int k = 0; k < nreg && found < want && *n < max && cpu_ms() < budget_end; k++) {
			const struct image_region *r = &reg[order[k]];
			if ((rc = dmtx_pass(d, copy[order[k]], r->w, r->h, r->x, r->y, budget_end, syms,
			                    max, want, n, &found, err)) < 0)
				return rc;
		}
		/* libdmtx's search grid follows the image's size, and a faint or
		 * small symbol is found from some grids and not from others: when
		 * none was, each region once more, DMTX_REGROW pixels larger all
		 * round (a multiple of every shrink: the same samples) */
		for (int k = 0; k < nreg && found == 0 && *n < max && cpu_ms() < budget_end; k++) {
			struct image_region g = reg[order[k]];
			int x1 = g.x + g.w + DMTX_REGROW, y1 = g.y + g.h + DMTX_REGROW;
			g.x = g.x > DMTX_REGROW ? g.x - DMTX_REGROW : 0;
			g.y = g.y > DMTX_REGROW ? g.y - DMTX_REGROW : 0;
			g.w = (x1 < img->width ? x1 : img->width) - g.x;
			g.h = (y1 < img->height ? y1 : img->height) - g.y;
			if (g.w == reg[order[k]].w && g.h == reg[order[k]].h)
				continue;          /* the whole image's size: the same grid */
			if ((p = scratch(d, (size_t)g.w * (size_t)g.h, img, err)) == NULL)
				return WMS_ENOMEM;
			for (int y = 0; y < g.h; y++)
				memcpy(p + (size_t)y * (size_t)g.w,
				       img->gray + (size_t)(g.y + y) * (size_t)img->stride + (size_t)g.x,
				       (size_t)g.w);
			if ((rc = dmtx_pass(d, p, g.w, g.h, g.x, g.y, budget_end, syms, max, want, n,
			                    &found, err)) < 0)
				return rc;
		}
	}
	return 0;
}

int scan_image_decode(struct scan_image_decoder *d, const struct scan_image *img,
                      struct scan_image_symbol *syms, int max, int *n, struct wms_error *err)
{
	struct image_region reg[IMAGE_REGIONS_MAX];
	unsigned char *copy;
	int rc = 0, nreg = -1, want, found = 0;

	*n = 0;
	d->hint[0] = '\0';
	if (img->gray == NULL || img->width < 1 || img->height < 1 ||
	    img->width > SCAN_IMAGE_MAX_SIDE || img->height > SCAN_IMAGE_MAX_SIDE ||
	    (long)img->width * img->height > SCAN_IMAGE_MAX_PIXELS || img->stride < img->width)
		return wms_error_set(err, WMS_EINVAL, "image %dx%d (stride %d) out of range: 1..%d pixels "
		                     "a side, at most %ld pixels", img->width, img->height, img->stride,
		                     SCAN_IMAGE_MAX_SIDE, SCAN_IMAGE_MAX_PIXELS);
	if (max > SCAN_IMAGE_MAX_SYMBOLS)
		max = SCAN_IMAGE_MAX_SYMBOLS;
	if (d->opt.regions &&
	    (nreg = image_regions_find(img->gray, img->width, img->height, img->stride, reg,
	                               IMAGE_REGIONS_MAX)) >= 0) {
		if ((rc = decode_regions(d, img, reg, nreg, syms, max, n, err)) < 0)
			goto out;
		goto sort;
	}
	/* the whole image: both libraries want packed rows, and libdmtx's
	 * image is not const */
	if ((copy = scratch(d, (size_t)img->width * (size_t)img->height, img, err)) == NULL)
		return WMS_ENOMEM;
	for (int r = 0; r < img->height; r++)
		memcpy(copy + (size_t)r * (size_t)img->width, img->gray + (size_t)r * (size_t)img->stride,
		       (size_t)img->width);
	if (d->zbar &&
	    (rc = zbar_pass(d, copy, img->width, img->height, 0, 0, syms, max, n, err)) < 0)
		goto out;
	/* the expected symbols are there: libdmtx would only spend its budget */
	if ((want = dmtx_wanted(d, *n)) > 0 &&
	    (rc = dmtx_pass(d, copy, img->width, img->height, 0, 0,
	                    cpu_ms() + (double)d->opt.dmtx_timeout_ms, syms, max, want, n, &found,
	                    err)) < 0)
		goto out;
	if (*n == 0 && d->opt.quiet_zone_hint && !d->opt.no_dmtx &&
	    (rc = quiet_zone_pass(d, copy, img->width, img->height, err)) < 0)
		goto out;
sort:
	qsort(syms, (size_t)*n, sizeof *syms, by_position);
out:
	if (rc < 0)
		*n = 0;
	return rc;
}
