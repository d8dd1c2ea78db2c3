/*
 * image_file.c - an image file as 8-bit gray for image_decode: PNG read by
 * libpng row by row straight into gray bytes (a gray PNG is copied as it
 * decompresses; colour and alpha are reduced a row at a time), and binary
 * PGM (P5), the simplest format a camera tool or a test can write.
 *
 * The file is untrusted: the PNG header's size is checked against the
 * decoder's limits before libpng reads further (and libpng is given the
 * same limits), and a PGM header is parsed with bounds on every number.
 */
#include "image_decode.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
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

/* libpng's state for one file; on the heap side of setjmp, so nothing the
 * error path reads lives in a local changed after it. */
struct png_read {
	const char *path;
	FILE *f;
	png_structp png;
	png_infop info;
	unsigned char *gray;          /* the result, w * h */
	unsigned char *rows;          /* converted rows (colour, alpha, interlace), or NULL */
	char msg[128];                /* libpng's error text */
};

static void png_fail(png_structp png, png_const_charp msg)
{
	struct png_read *r = png_get_error_ptr(png);

	snprintf(r->msg, sizeof r->msg, "%s", msg);
	png_longjmp(png, 1);
}

static void png_warn(png_structp png, png_const_charp msg)
{
	(void)png;      /* a bad ancillary chunk: the pixels still read */
	(void)msg;
}

/* 8-bit samples of ch channels (gray, gray+alpha, RGB, RGBA) to gray: colour
 * weighted 299/587/114, alpha composed on white (transparent is paper). */
static void to_gray(const unsigned char *in, int ch, long w, unsigned char *out)
{
	for (long x = 0; x < w; x++, in += ch) {
		unsigned v = ch < 3 ? in[0] : (in[0] * 299u + in[1] * 587u + in[2] * 114u) / 1000u;
		if (ch == 2 || ch == 4) {
			unsigned a = in[ch - 1];
			v = (v * a + 255u * (255u - a) + 127u) / 255u;
		}
		out[x] = (unsigned char)v;
	}
}

/* Read the whole PNG into r->gray; 0, or -1 with r->msg (libpng's error). */
static int png_decode(struct png_read *r, long *w, long *h, struct wms_error *err)
{
	png_uint_32 pw, ph;
	int depth, colour, passes, ch, rc;
	size_t rowbytes;

	if (setjmp(png_jmpbuf(r->png)))
		return -1;
	png_init_io(r->png, r->f);
	png_set_user_limits(r->png, SCAN_IMAGE_MAX_SIDE, SCAN_IMAGE_MAX_SIDE);
	png_read_info(r->png, r->info);
	png_get_IHDR(r->png, r->info, &pw, &ph, &depth, &colour, NULL, NULL, NULL);
	if ((rc = size_ok(r->path, (long)pw, (long)ph, err)) < 0)
		return rc;
	/* every PNG to 8-bit samples of gray or RGB, with or without alpha */
	png_set_scale_16(r->png);
	png_set_expand_gray_1_2_4_to_8(r->png);
	png_set_palette_to_rgb(r->png);
	if (png_get_valid(r->png, r->info, PNG_INFO_tRNS))
		png_set_tRNS_to_alpha(r->png);
	passes = png_set_interlace_handling(r->png);
	png_read_update_info(r->png, r->info);
	ch = png_get_channels(r->png, r->info);
	rowbytes = png_get_rowbytes(r->png, r->info);
	if (ch < 1 || ch > 4 || rowbytes != (size_t)pw * (size_t)ch) {
		snprintf(r->msg, sizeof r->msg, "unexpected layout: %d channels, %zu bytes a row", ch,
		         rowbytes);
		return -1;
	}
	*w = (long)pw;
	*h = (long)ph;
	if ((r->gray = malloc((size_t)pw * (size_t)ph)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "%s: out of memory for %ldx%ld pixels", r->path,
		                     *w, *h);
	if (ch == 1 && passes == 1) {
		/* 8-bit gray (a camera's frame): straight into the result */
		for (png_uint_32 y = 0; y < ph; y++)
			png_read_row(r->png, r->gray + (size_t)y * pw, NULL);
	} else if (passes == 1) {
		if ((r->rows = malloc(rowbytes)) == NULL)
			return wms_error_set(err, WMS_ENOMEM, "%s: out of memory for %ldx%ld pixels",
			                     r->path, *w, *h);
		for (png_uint_32 y = 0; y < ph; y++) {
			png_read_row(r->png, r->rows, NULL);
			to_gray(r->rows, ch, *w, r->gray + (size_t)y * pw);
		}
	} else {
		/* interlaced: every pass revisits the rows, so the whole image is kept */
		if ((r->rows = malloc(rowbytes * ph)) == NULL)
			return wms_error_set(err, WMS_ENOMEM, "%s: out of memory for %ldx%ld pixels",
			                     r->path, *w, *h);
		for (int p = 0; p < passes; p++)
			for (png_uint_32 y = 0; y < ph; y++)
				png_read_row(r->png, r->rows + rowbytes * y, NULL);
		for (png_uint_32 y = 0; y < ph; y++)
			to_gray(r->rows + rowbytes * y, ch, *w, r->gray + (size_t)y * pw);
	}
	png_read_end(r->png, NULL);
	return 0;
}

static int load_png(const char *path, FILE *f, const unsigned char *head, unsigned char **gray,
                    int *width, int *height, struct wms_error *err)
{
	struct png_read r = { .path = path, .f = f };
	long w, h;
	int rc;

	/* IHDR: bytes 16..23 are the width and height, big-endian; refused
	 * before libpng reads any further */
	w = (long)head[16] << 24 | (long)head[17] << 16 | (long)head[18] << 8 | head[19];
	h = (long)head[20] << 24 | (long)head[21] << 16 | (long)head[22] << 8 | head[23];
	if ((rc = size_ok(path, w, h, err)) < 0)
		return rc;
	if (fseek(f, 0, SEEK_SET) != 0)
		return wms_error_set(err, WMS_EIO, "%s: %s", path, strerror(errno));
	if ((r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, png_fail, png_warn)) == NULL ||
	    (r.info = png_create_info_struct(r.png)) == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "%s: out of memory for a PNG reader", path);
		goto out;
	}
	rc = png_decode(&r, &w, &h, err);
	if (rc == -1)
		rc = wms_error_set(err, WMS_EINVAL, "%s: not a readable PNG (%s)", path, r.msg);
	if (rc == 0) {
		*gray = r.gray;
		r.gray = NULL;
		*width = (int)w;
		*height = (int)h;
	}
out:
	png_destroy_read_struct(&r.png, &r.info, NULL);
	free(r.rows);
	free(r.gray);
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
		rc = load_png(path, f, head, gray, width, height, err);
	else if (got >= 3 && head[0] == 'P' && head[1] == '5')
		rc = load_pgm(path, f, gray, width, height, err);
	else
		rc = wms_error_set(err, WMS_EINVAL, "%s is not a PNG or binary PGM (P5) image; allowed: "
		                   "PNG, PGM", path);
out:
	fclose(f);
	return rc;
}
