/*
 * image_file.c - an image file as 8-bit gray for image_decode: PNG through
 * cairo's PNG loader (cairo is already linked for labels), and binary PGM
 * (P5), the simplest format a camera tool or a test can write.
 *
 * The file is untrusted: the PNG header's size is checked against the
 * decoder's limits before cairo allocates anything, and a PGM header is
 * parsed with bounds on every number.
 */
#include "image_decode.h"

#include <cairo.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char png_magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

static int size_ok(const char *path, long w, long h, struct wms_error *err)
{
	if (w < 1 || h < 1 || w > SCAN_IMAGE_MAX_SIDE || h > SCAN_IMAGE_MAX_SIDE ||
	    w * h > SCAN_IMAGE_MAX_PIXELS)
		return wms_error_set(err, WMS_EINVAL, "%s: image %ldx%ld out of range: 1..%d pixels a "
		                     "side, at most %ld pixels", path, w, h, SCAN_IMAGE_MAX_SIDE,
		                     SCAN_IMAGE_MAX_PIXELS);
	return 0;
}

static int load_png(const char *path, const unsigned char *head, unsigned char **gray, int *width,
                    int *height, struct wms_error *err)
{
	cairo_surface_t *png = NULL, *rgb = NULL;
	cairo_t *cr = NULL;
	long w, h;
	int rc;

	/* IHDR: bytes 16..23 are the width and height, big-endian */
	w = (long)head[16] << 24 | (long)head[17] << 16 | (long)head[18] << 8 | head[19];
	h = (long)head[20] << 24 | (long)head[21] << 16 | (long)head[22] << 8 | head[23];
	if ((rc = size_ok(path, w, h, err)) < 0)
		return rc;
	png = cairo_image_surface_create_from_png(path);
	if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS) {
		rc = wms_error_set(err, WMS_EINVAL, "%s: not a readable PNG (%s)", path,
		                   cairo_status_to_string(cairo_surface_status(png)));
		goto out;
	}
	w = cairo_image_surface_get_width(png);
	h = cairo_image_surface_get_height(png);
	if ((rc = size_ok(path, w, h, err)) < 0)
		goto out;
	/* compose on white so that transparent pixels read as paper */
	rgb = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
	cr = cairo_create(rgb);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_surface(cr, png, 0, 0);
	cairo_paint(cr);
	cairo_surface_flush(rgb);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		rc = wms_error_set(err, WMS_ENOMEM, "%s: cannot convert to gray (%s)", path,
		                   cairo_status_to_string(cairo_status(cr)));
		goto out;
	}
	if ((*gray = malloc((size_t)w * (size_t)h)) == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "%s: out of memory for %ldx%ld pixels", path, w, h);
		goto out;
	}
	{
		const unsigned char *data = cairo_image_surface_get_data(rgb);
		int stride = cairo_image_surface_get_stride(rgb);
		for (long y = 0; y < h; y++) {
			const uint32_t *row = (const uint32_t *)(const void *)(data + y * stride);
			for (long x = 0; x < w; x++) {
				uint32_t p = row[x];
				unsigned r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
				(*gray)[y * w + x] = (unsigned char)((r * 299 + g * 587 + b * 114) / 1000);
			}
		}
	}
	*width = (int)w;
	*height = (int)h;
out:
	if (cr)
		cairo_destroy(cr);
	if (rgb)
		cairo_surface_destroy(rgb);
	cairo_surface_destroy(png);
	return rc;
}

/* The next PGM header number (after whitespace and # comments), <= max. */
static long pgm_number(FILE *f, long max)
{
	int c;
	long v = 0;

	for (;;) {
		c = getc(f);
		if (c == '#')
			while (c != '\n' && c != EOF)
				c = getc(f);
		else if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
	}
	if (c < '0' || c > '9')
		return -1;
	for (; c >= '0' && c <= '9'; c = getc(f)) {
		v = v * 10 + (c - '0');
		if (v > max)
			return -1;
	}
	/* exactly one whitespace byte ends the number (the last before the pixels) */
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ? v : -1;
}

static int load_pgm(const char *path, FILE *f, unsigned char **gray, int *width, int *height,
                    struct wms_error *err)
{
	long w, h, maxval;
	int rc;

	if (fseek(f, 2, SEEK_SET) != 0)
		return wms_error_set(err, WMS_EIO, "%s: %s", path, strerror(errno));
	w = pgm_number(f, SCAN_IMAGE_MAX_SIDE + 1);
	h = pgm_number(f, SCAN_IMAGE_MAX_SIDE + 1);
	maxval = pgm_number(f, 65535);
	if (w < 0 || h < 0 || maxval < 1)
		return wms_error_set(err, WMS_EINVAL, "%s: bad PGM header: expected \"P5 WIDTH HEIGHT "
		                     "MAXVAL\"", path);
	if (maxval > 255)
		return wms_error_set(err, WMS_EINVAL, "%s: 16-bit PGM (maxval %ld) is not supported; "
		                     "allowed: maxval 1..255", path, maxval);
	if ((rc = size_ok(path, w, h, err)) < 0)
		return rc;
	if ((*gray = malloc((size_t)w * (size_t)h)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "%s: out of memory for %ldx%ld pixels", path, w, h);
	if (fread(*gray, 1, (size_t)w * (size_t)h, f) != (size_t)w * (size_t)h) {
		free(*gray);
		*gray = NULL;
		return wms_error_set(err, WMS_EINVAL, "%s: PGM data ends before %ldx%ld pixels", path, w, h);
	}
	if (maxval != 255)
		for (long i = 0; i < w * h; i++)
			(*gray)[i] = (unsigned char)((*gray)[i] > maxval ? 255 : (*gray)[i] * 255 / maxval);
	*width = (int)w;
	*height = (int)h;
	return 0;
}

int scan_image_load(const char *path, unsigned char **gray, int *width, int *height,
                    struct wms_error *err)
{
	unsigned char head[24];
	size_t got;
	FILE *f;
	int rc;

	*gray = NULL;
	*width = *height = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return wms_error_set(err, errno == ENOENT ? WMS_ENOTFOUND : WMS_EIO, "cannot open %s: %s",
		                     path, strerror(errno));
	got = fread(head, 1, sizeof head, f);
	if (ferror(f)) {
		rc = wms_error_set(err, WMS_EIO, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	if (got == sizeof head && memcmp(head, png_magic, sizeof png_magic) == 0)
		rc = load_png(path, head, gray, width, height, err);
	else if (got >= 3 && head[0] == 'P' && head[1] == '5')
		rc = load_pgm(path, f, gray, width, height, err);
	else
		rc = wms_error_set(err, WMS_EINVAL, "%s is not a PNG or binary PGM (P5) image; allowed: "
		                   "PNG, PGM", path);
out:
	fclose(f);
	return rc;
}
