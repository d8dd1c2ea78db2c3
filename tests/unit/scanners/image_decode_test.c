/*
 * image_decode_test.c - real barcodes rendered by libzint into bitmaps,
 * decoded back by image_decode (ZBar, libdmtx) and read by scan_interpret()
 * as a handheld's bytes would be: GS1-128 and GS1 DataMatrix UDIs with an
 * 8-digit serial and the lot 10D9T, a QR with a GS1 Digital Link URI,
 * EAN-13, a Code 128 location label; rotated, scaled and noisy variants,
 * several symbols in one image, a camera station's frames read region by
 * region, a blank image, and image files (PNG written
 * with cairo, PGM) including unreadable ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zint.h>

#include "barcode.h"
#include "image_decode.h"
#include "image_regions.h"

#define UDI_GS1 "[01]09506000134352[17]301231[10]10D9T[21]12345678"

/* A gray image the test owns. */
struct img {
	unsigned char *px;
	int w, h;
};

static void img_free(struct img *m)
{
	free(m->px);
	m->px = NULL;
}

static struct img img_blank(int w, int h)
{
	struct img m = { malloc((size_t)w * (size_t)h), w, h };

	assert_non_null(m.px);
	memset(m.px, 255, (size_t)w * (size_t)h);
	return m;
}

/* Copy src into dst with its top-left corner at (x, y). */
static void img_paste(struct img *dst, const struct img *src, int x, int y)
{
	for (int r = 0; r < src->h; r++)
		for (int c = 0; c < src->w; c++)
			if (y + r >= 0 && y + r < dst->h && x + c >= 0 && x + c < dst->w)
				dst->px[(y + r) * dst->w + x + c] = src->px[r * src->w + c];
}

/* Render data with zint (input_mode GS1_MODE when gs1) with a white margin. */
static struct img render(int symbology, const char *data, bool gs1, float scale, int margin)
{
	struct zint_symbol *s = ZBarcode_Create();
	struct img sym, out;

	assert_non_null(s);
	s->symbology = symbology;
	s->scale = scale;
	if (gs1)
		s->input_mode = GS1_MODE;
	s->show_hrt = 0;
	if (ZBarcode_Encode_and_Buffer(s, (const unsigned char *)data, (int)strlen(data), 0) >= ZINT_ERROR)
		fail_msg("zint: %s", s->errtxt);
	sym = img_blank(s->bitmap_width, s->bitmap_height);
	for (int i = 0; i < sym.w * sym.h; i++)   /* zint's bitmap is RGB */
		sym.px[i] = s->bitmap[i * 3 + 1];
	ZBarcode_Delete(s);
	out = img_blank(sym.w + 2 * margin, sym.h + 2 * margin);
	img_paste(&out, &sym, margin, margin);
	img_free(&sym);
	return out;
}

/* Rotate by deg about the centre (nearest neighbour), on a white canvas big enough. */
static struct img rotate(const struct img *src, double deg)
{
	double a = deg * M_PI / 180, ca = cos(a), sa = sin(a);
	int side = (int)ceil(hypot(src->w, src->h)) + 2;
	struct img out = img_blank(side, side);

	for (int y = 0; y < side; y++)
		for (int x = 0; x < side; x++) {
			double dx = x - side / 2.0, dy = y - side / 2.0;
			int sx = (int)lround(ca * dx + sa * dy + src->w / 2.0);
			int sy = (int)lround(-sa * dx + ca * dy + src->h / 2.0);
			if (sx >= 0 && sx < src->w && sy >= 0 && sy < src->h)
				out.px[y * side + x] = src->px[sy * src->w + sx];
		}
	return out;
}

/* Scale by f (nearest neighbour). */
static struct img scale(const struct img *src, double f)
{
	struct img out = img_blank((int)(src->w * f), (int)(src->h * f));

	for (int y = 0; y < out.h; y++)
		for (int x = 0; x < out.w; x++)
			out.px[y * out.w + x] = src->px[(int)(y / f) * src->w + (int)(x / f)];
	return out;
}

/* What a camera makes of a print: black as dark, the rest as light,
 * sensor noise of +-amp (triangular) and optics that blur it over 3x3
 * pixels. */
static void shoot(struct img *m, int dark, int light, int amp, unsigned seed)
{
	struct img raw = img_blank(m->w, m->h);

	srand(seed);
	for (int i = 0; i < m->w * m->h; i++) {
		int v = m->px[i] ? light : dark;
		v += (rand() % (2 * amp + 1) - amp + rand() % (2 * amp + 1) - amp) / 2;
		raw.px[i] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
	for (int y = 0; y < m->h; y++)
		for (int x = 0; x < m->w; x++) {
			int sum = 0, k = 0;
			for (int dy = -1; dy <= 1; dy++)
				for (int dx = -1; dx <= 1; dx++)
					if (y + dy >= 0 && y + dy < m->h && x + dx >= 0 && x + dx < m->w) {
						sum += raw.px[(y + dy) * m->w + x + dx];
						k++;
					}
			m->px[y * m->w + x] = (unsigned char)(sum / k);
		}
	img_free(&raw);
}

/* lower contrast (40 and 200), noise, blur */
static void noise(struct img *m, int amp, unsigned seed)
{
	shoot(m, 40, 200, amp, seed);
}

static struct scan_image_symbol syms[SCAN_IMAGE_MAX_SYMBOLS];
static struct scan_result res;
static struct wms_error err;

static int decode(const struct img *m, const struct scan_image_options *opt)
{
	struct scan_image_decoder *d = NULL;
	struct scan_image im = { m->px, m->w, m->h, m->w };
	int n = -1;

	memset(&err, 0, sizeof err);
	if (scan_image_decoder_new(opt, &d, &err) < 0)
		fail_msg("decoder: %s", err.msg);
	if (scan_image_decode(d, &im, syms, SCAN_IMAGE_MAX_SYMBOLS, &n, &err) < 0)
		fail_msg("decode: %s", err.msg);
	scan_image_decoder_free(d);
	return n;
}

/* Interpret syms[i] as a scanner's bytes; expect the AIM id and kind. */
static void interpret(int i, const char *aim, enum scan_kind kind)
{
	struct scan_options opt = { .ref_year = 2025 };
	char got[AIM_ID_LEN + 1];

	aim_format(&syms[i].aim, got);
	assert_string_equal(got, aim);
	assert_memory_equal(syms[i].bytes, aim, AIM_ID_LEN);
	if (scan_interpret(syms[i].bytes, syms[i].len, &opt, &res, &err) < 0)
		fail_msg("interpret %s: %s", syms[i].symbology, err.msg);
	assert_int_equal(res.kind, kind);
}

static void expect_udi(int i, const char *aim)
{
	interpret(i, aim, SCAN_UDI);
	assert_string_equal(res.udi.gtin, "09506000134352");
	assert_string_equal(res.udi.serial, "12345678");
	assert_string_equal(res.udi.lot, "10D9T");
	assert_true(res.udi.has_expiry);
	assert_int_equal(res.udi.expiry.year, 2030);
	assert_int_equal(res.udi.expiry.month, 12);
	assert_int_equal(res.udi.expiry.day, 31);
	assert_false(res.udi.has_manufactured);
}

static void test_gs1_128_udi(void **state)
{
	struct img m = render(BARCODE_GS1_128, UDI_GS1, true, 1, 20);

	(void)state;
	assert_int_equal(decode(&m, NULL), 1);
	assert_string_equal(syms[0].symbology, "CODE-128");
	assert_true(syms[0].gs1);
	/* the variable-length lot ends with GS before (21), as a scanner sends it */
	assert_int_equal(syms[0].len, 3 + 16 + 8 + 7 + 1 + 10);
	assert_memory_equal(syms[0].bytes, "]C1" "0109506000134352" "17301231" "1010D9T" "\x1d" "2112345678",
	                    syms[0].len);
	expect_udi(0, "]C1");
	img_free(&m);
}

static void test_gs1_datamatrix_udi(void **state)
{
	struct img m = render(BARCODE_DATAMATRIX, UDI_GS1, true, 4, 24);

	(void)state;
	assert_int_equal(decode(&m, NULL), 1);
	assert_string_equal(syms[0].symbology, "DataMatrix");
	assert_true(syms[0].gs1);
	assert_memory_equal(syms[0].bytes, "]d2" "0109506000134352" "17301231" "1010D9T" "\x1d" "2112345678",
	                    syms[0].len);
	expect_udi(0, "]d2");
	img_free(&m);
}

/* Issue 15: a DataMatrix rendered by libzint with no margin at all, as
 * when a label is cropped to the symbol: libdmtx finds nothing, and the
 * decoder says why instead of "no barcode". */
static void test_datamatrix_without_quiet_zone(void **state)
{
	struct img m = render(BARCODE_DATAMATRIX, UDI_GS1, true, 4, 0);
	struct img framed = render(BARCODE_DATAMATRIX, UDI_GS1, true, 4, 8);
	struct scan_image_options hint = { .quiet_zone_hint = true };
	struct scan_image im = { m.px, m.w, m.h, m.w };
	struct scan_image_decoder *d = NULL;
	int n = -1;

	(void)state;
	assert_int_equal(decode(&m, NULL), 0);   /* libdmtx needs the margin */
	assert_int_equal(scan_image_decoder_new(&hint, &d, &err), 0);
	assert_int_equal(scan_image_decode(d, &im, syms, SCAN_IMAGE_MAX_SYMBOLS, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_non_null(strstr(scan_image_decode_hint(d), "no quiet zone around the symbol?"));
	/* the same symbol with its quiet zone: read, and no hint */
	im = (struct scan_image){ framed.px, framed.w, framed.h, framed.w };
	assert_int_equal(scan_image_decode(d, &im, syms, SCAN_IMAGE_MAX_SYMBOLS, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(scan_image_decode_hint(d), "");
	/* a blank image: no symbol, no hint */
	img_free(&framed);
	framed = img_blank(64, 64);
	im = (struct scan_image){ framed.px, framed.w, framed.h, framed.w };
	assert_int_equal(scan_image_decode(d, &im, syms, SCAN_IMAGE_MAX_SYMBOLS, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_string_equal(scan_image_decode_hint(d), "");
	scan_image_decoder_free(d);
	img_free(&framed);
	img_free(&m);
}

static void test_plain_datamatrix(void **state)
{
	struct img m = render(BARCODE_DATAMATRIX, "LOC:B-02-03", false, 4, 24);

	(void)state;
	assert_int_equal(decode(&m, NULL), 1);
	assert_false(syms[0].gs1);
	interpret(0, "]d1", SCAN_LOCATION);
	assert_string_equal(res.code, "B-02-03");
	img_free(&m);
}

static void test_qr_digital_link(void **state)
{
	struct img m = render(BARCODE_QRCODE,
	                      "https://id.gs1.org/01/09506000134352/10/10D9T/21/12345678?17=301231",
	                      false, 3, 24);

	(void)state;
	assert_int_equal(decode(&m, NULL), 1);
	assert_string_equal(syms[0].symbology, "QR-Code");
	expect_udi(0, "]Q1");
	img_free(&m);
}

static void test_ean13(void **state)
{
	struct img m = render(BARCODE_EANX, "950600013435", false, 2, 20);

	(void)state;
	assert_int_equal(decode(&m, NULL), 1);
	assert_string_equal(syms[0].symbology, "EAN-13");
	interpret(0, "]E0", SCAN_UDI);
	assert_string_equal(res.udi.gtin, "09506000134352");
	assert_string_equal(res.udi.serial, "");
	img_free(&m);
}

static void test_code128_location(void **state)
{
	struct img m = render(BARCODE_CODE128, "LOC:A-01-01", false, 2, 20);

	(void)state;
	assert_int_equal(decode(&m, NULL), 1);
	assert_false(syms[0].gs1);
	interpret(0, "]C0", SCAN_LOCATION);
	assert_string_equal(res.code, "A-01-01");
	img_free(&m);
}

static void test_rotated(void **state)
{
	static const double angles[] = { 90, 180, 270, 8, -12 };
	struct img dm = render(BARCODE_DATAMATRIX, UDI_GS1, true, 5, 30);
	struct img c128 = render(BARCODE_CODE128, "LOC:A-01-01", false, 3, 20);

	(void)state;
	for (size_t i = 0; i < sizeof angles / sizeof angles[0]; i++) {
		struct img r = rotate(&dm, angles[i]);
		if (decode(&r, NULL) != 1)
			fail_msg("DataMatrix rotated %.0f degrees: not decoded", angles[i]);
		expect_udi(0, "]d2");
		img_free(&r);
		r = rotate(&c128, angles[i]);
		if (decode(&r, NULL) != 1)
			fail_msg("Code 128 rotated %.0f degrees: not decoded", angles[i]);
		interpret(0, "]C0", SCAN_LOCATION);
		img_free(&r);
	}
	img_free(&dm);
	img_free(&c128);
}

static void test_scaled_and_noisy(void **state)
{
	struct img dm = render(BARCODE_DATAMATRIX, UDI_GS1, true, 4, 24);
	struct img g128 = render(BARCODE_GS1_128, UDI_GS1, true, 2, 20);
	struct img s;

	(void)state;
	s = scale(&dm, 0.75);
	assert_int_equal(decode(&s, NULL), 1);
	expect_udi(0, "]d2");
	img_free(&s);
	s = scale(&g128, 1.6);
	assert_int_equal(decode(&s, NULL), 1);
	expect_udi(0, "]C1");
	img_free(&s);

	noise(&dm, 60, 7);
	assert_int_equal(decode(&dm, NULL), 1);
	expect_udi(0, "]d2");
	noise(&g128, 60, 11);
	assert_int_equal(decode(&g128, NULL), 1);
	expect_udi(0, "]C1");
	img_free(&dm);
	img_free(&g128);
}

static void test_several_in_one_image(void **state)
{
	struct img dm = render(BARCODE_DATAMATRIX, UDI_GS1, true, 4, 0);
	struct img c128 = render(BARCODE_CODE128, "LOC:A-01-01", false, 2, 0);
	struct img ean = render(BARCODE_EANX, "950600013435", false, 2, 0);
	struct img page = img_blank(900, 700);

	(void)state;
	img_paste(&page, &c128, 40, 40);          /* top */
	img_paste(&page, &dm, 60, 300);           /* bottom left */
	img_paste(&page, &ean, 450, 320);         /* bottom right, same row */
	assert_int_equal(decode(&page, NULL), 3);
	interpret(0, "]C0", SCAN_LOCATION);
	assert_string_equal(syms[1].symbology, "DataMatrix");
	expect_udi(1, "]d2");
	interpret(2, "]E0", SCAN_UDI);
	/* each library alone finds its own */
	assert_int_equal(decode(&page, &(struct scan_image_options){ .no_dmtx = true }), 2);
	assert_int_equal(decode(&page, &(struct scan_image_options){ .no_zbar = true }), 1);
	assert_string_equal(syms[0].symbology, "DataMatrix");
	img_free(&page);
	img_free(&dm);
	img_free(&c128);
	img_free(&ean);
}

/*
 * A camera station's options (scan_image_station_options(): one symbol
 * expected, ZBar density 3 at 720 rows, libdmtx shrink 2) read every kind
 * of label in a noisy 1280x720 frame to the same bytes as the exhaustive
 * defaults; libdmtx's budget is lifted so that the test does not depend on
 * the machine's speed.
 */
static void test_station_options(void **state)
{
	static const struct { int symbology; const char *data; bool gs1; float scale; } labels[] = {
		{ BARCODE_GS1_128, UDI_GS1, true, 1.5f },
		{ BARCODE_DATAMATRIX, UDI_GS1, true, 3 },
		{ BARCODE_DATAMATRIX, UDI_GS1, true, 2 },       /* modules of 4 pixels */
		{ BARCODE_QRCODE, "https://id.gs1.org/01/09506000134352/21/12345678", false, 3 },
		{ BARCODE_EANX, "950600013435", false, 2 },
		{ BARCODE_CODE128, "LOC:A-01-01", false, 2 },
	};
	struct scan_image_options station;

	(void)state;
	scan_image_station_options(720, 1, &station);
	assert_int_equal(station.symbols, 1);
	assert_int_equal(station.zbar_density, 3);
	assert_int_equal(station.dmtx_shrink, 2);
	assert_int_equal(station.dmtx_timeout_ms, SCAN_IMAGE_STATION_BUDGET_MS);
	scan_image_station_options(1080, 0, &station);
	assert_int_equal(station.zbar_density, 4);
	scan_image_station_options(120, 0, &station);
	assert_int_equal(station.zbar_density, 1);
	scan_image_station_options(720, 1, &station);
	station.dmtx_timeout_ms = 10000;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		struct img sym = render(labels[i].symbology, labels[i].data, labels[i].gs1, labels[i].scale,
		                        8);
		struct img frame = img_blank(1280, 720);
		struct scan_image_symbol exhaustive;
		int x = 40 + (int)i * 120, y = 40 + (int)i * 80;

		img_paste(&frame, &sym, x, y);
		noise(&frame, 40, (unsigned)i + 1);
		if (decode(&frame, NULL) != 1) {
			img_free(&sym);
			img_free(&frame);
			fail_msg("label %zu not read with the defaults", i);
		}
		exhaustive = syms[0];
		assert_in_range(exhaustive.x, x, x + sym.w);
		assert_in_range(exhaustive.y, y, y + sym.h);
		if (decode(&frame, &station) != 1) {
			img_free(&sym);
			img_free(&frame);
			fail_msg("label %zu (%s) not read with a station's options", i, exhaustive.symbology);
		}
		assert_string_equal(syms[0].symbology, exhaustive.symbology);
		assert_int_equal(syms[0].len, exhaustive.len);
		assert_memory_equal(syms[0].bytes, exhaustive.bytes, exhaustive.len);
		/* the centre is in the full frame's pixels, shrink or not */
		assert_in_range(syms[0].x, x, x + sym.w);
		assert_in_range(syms[0].y, y, y + sym.h);
		img_free(&sym);
		img_free(&frame);
	}
}

/*
 * Regions: a station reads only where a frame has clusters of strong edges
 * (image_regions.c).  A label anywhere in the frame is read to the same
 * bytes as from the whole frame: in a corner, the smallest DataMatrix a
 * station reads, rotated, a close-up with wide modules, a faint print on a
 * quiet sensor, and inside a region found for it.
 */
static void test_regions(void **state)
{
	static const struct {
		int symbology; const char *data; bool gs1; float scale; double deg;
		int x, y;                      /* top-left corner of the (turned) label's
		                                * canvas; INT_MAX: flush right / bottom */
		int dark, light, amp;
	} labels[] = {
		{ BARCODE_DATAMATRIX, UDI_GS1, true, 2, 0, 0, 0, 40, 200, 20 },        /* corner, 4 px modules */
		{ BARCODE_CODE128, "LOC:A-01-01", false, 2, 0, INT_MAX, INT_MAX, 40, 200, 20 }, /* corner */
		{ BARCODE_QRCODE, "https://id.gs1.org/01/09506000134352/21/12345678", false, 3, 0, INT_MAX, 0,
		  40, 200, 20 },
		{ BARCODE_DATAMATRIX, UDI_GS1, true, 3, 30, 500, 200, 40, 200, 20 },   /* rotated */
		{ BARCODE_CODE128, "LOC:A-01-01", false, 1.5f, 90, 100, 100, 40, 200, 20 },
		{ BARCODE_GS1_128, UDI_GS1, true, 1.5f, 7, 140, -150, 40, 200, 20 }, /* canvas clipped */
		{ BARCODE_CODE128, "LOC:A-01-01", false, 3, 0, 100, 200, 40, 200, 20 }, /* close-up */
		{ BARCODE_EANX, "950600013435", false, 2, 0, 700, 300, 100, 140, 4 },  /* faint */
		/* small, turned, grey on grey in a corner: found by libdmtx from
		 * some search grids (they follow the image's size) and not from
		 * others, hence its second look at a grown region */
		{ BARCODE_DATAMATRIX, "LOC:B-02", false, 2, 7, INT_MAX, INT_MAX, 90, 150, 0 },
		{ BARCODE_DATAMATRIX, "LOC:B-02", false, 2, 90, INT_MAX, INT_MAX, 90, 150, 20 },
	};
	struct scan_image_options whole, station;

	(void)state;
	scan_image_station_options(720, 1, &station);
	assert_true(station.regions);
	station.dmtx_timeout_ms = 10000;
	whole = station;
	whole.regions = false;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		struct img sym = render(labels[i].symbology, labels[i].data, labels[i].gs1,
		                        labels[i].scale, 8);
		struct img turned = labels[i].deg != 0 ? rotate(&sym, labels[i].deg) : sym;
		struct img frame = img_blank(1280, 720);
		struct image_region reg[IMAGE_REGIONS_MAX];
		struct scan_image_symbol first;
		int x = labels[i].x == INT_MAX ? frame.w - turned.w : labels[i].x;
		int y = labels[i].y == INT_MAX ? frame.h - turned.h : labels[i].y, nreg, in = 0;

		img_paste(&frame, &turned, x, y);
		shoot(&frame, labels[i].dark, labels[i].light, labels[i].amp, (unsigned)i + 100);
		if (decode(&frame, &whole) != 1)
			fail_msg("label %zu not read from the whole frame", i);
		first = syms[0];
		nreg = image_regions_find(frame.px, frame.w, frame.h, frame.w, reg, IMAGE_REGIONS_MAX);
		if (nreg < 1)
			fail_msg("label %zu (%s at %d,%d): %d regions", i, first.symbology, first.x, first.y,
			         nreg);
		for (int k = 0; k < nreg; k++)
			in |= first.x >= reg[k].x && first.x < reg[k].x + reg[k].w && first.y >= reg[k].y &&
			      first.y < reg[k].y + reg[k].h;
		if (!in)
			fail_msg("label %zu (%s at %d,%d): in none of %d regions", i, first.symbology, first.x,
			         first.y, nreg);
		if (decode(&frame, &station) != 1)
			fail_msg("label %zu (%s) not read from its region", i, first.symbology);
		assert_string_equal(syms[0].symbology, first.symbology);
		assert_int_equal(syms[0].len, first.len);
		assert_memory_equal(syms[0].bytes, first.bytes, first.len);
		/* the centre is in the frame's pixels (a QR's or a DataMatrix's
		 * is fitted to the pixels around it: a few may differ) */
		assert_in_range(syms[0].x, first.x - 8, first.x + 8);
		assert_in_range(syms[0].y, first.y - 8, first.y + 8);
		if (turned.px != sym.px)
			img_free(&turned);
		img_free(&sym);
		img_free(&frame);
	}
}

/*
 * Several labels in one frame, each in a region of its own, all read when
 * all are expected; a frame with nothing but sensor noise has no region
 * (nothing runs); one covered with texture, and a small image, are read
 * whole.
 */
static void test_regions_several_and_none(void **state)
{
	struct img dm = render(BARCODE_DATAMATRIX, UDI_GS1, true, 3, 8);
	struct img c128 = render(BARCODE_CODE128, "LOC:A-01-01", false, 2, 8);
	struct img frame = img_blank(1280, 720);
	struct image_region reg[IMAGE_REGIONS_MAX];
	struct scan_image_options station;

	(void)state;
	scan_image_station_options(720, 0, &station);
	station.dmtx_timeout_ms = 10000;
	img_paste(&frame, &c128, 60, 80);
	img_paste(&frame, &dm, 900, 400);
	noise(&frame, 20, 21);
	assert_int_equal(image_regions_find(frame.px, frame.w, frame.h, frame.w, reg,
	                                    IMAGE_REGIONS_MAX), 2);
	assert_int_equal(decode(&frame, &station), 2);
	interpret(0, "]C0", SCAN_LOCATION);
	expect_udi(1, "]d2");
	/* one expected: the first ZBar reads, libdmtx does not run */
	station.symbols = 1;
	assert_int_equal(decode(&frame, &station), 1);
	interpret(0, "]C0", SCAN_LOCATION);

	memset(frame.px, 255, (size_t)frame.w * (size_t)frame.h);
	noise(&frame, 20, 22);
	assert_int_equal(image_regions_find(frame.px, frame.w, frame.h, frame.w, reg,
	                                    IMAGE_REGIONS_MAX), 0);
	assert_int_equal(decode(&frame, &station), 0);

	/* texture everywhere: dark specks on every 24 pixels */
	memset(frame.px, 255, (size_t)frame.w * (size_t)frame.h);
	for (int y = 0; y < frame.h; y += 24)
		for (int x = 0; x < frame.w; x += 24)
			for (int k = 0; k < 36; k++)
				frame.px[(y + k / 6) * frame.w + x + k % 6] = 0;
	noise(&frame, 20, 23);
	assert_int_equal(image_regions_find(frame.px, frame.w, frame.h, frame.w, reg,
	                                    IMAGE_REGIONS_MAX), -1);
	/* ... a label on it (with its white paper) is still read, from the
	 * whole frame */
	img_free(&c128);
	c128 = render(BARCODE_CODE128, "LOC:A-01-01", false, 2, 48);
	img_paste(&frame, &c128, 300, 300);
	assert_int_equal(decode(&frame, &station), 1);
	interpret(0, "]C0", SCAN_LOCATION);
	assert_int_equal(image_regions_find(frame.px, 320, 240, frame.w, reg, IMAGE_REGIONS_MAX), -1);
	img_free(&frame);
	img_free(&dm);
	img_free(&c128);
}

/* Expected symbols: libdmtx does not run once ZBar found them, and looks
 * for the rest only; 0 (the library's default) finds everything. */
static void test_expected_symbols(void **state)
{
	struct img dm = render(BARCODE_DATAMATRIX, UDI_GS1, true, 4, 0);
	struct img dm2 = render(BARCODE_DATAMATRIX, "LOC:B-02-03", false, 4, 0);
	struct img c128 = render(BARCODE_CODE128, "LOC:A-01-01", false, 2, 0);
	struct img page = img_blank(900, 700);
	struct scan_image_decoder *d = NULL;
	struct scan_image im = { page.px, page.w, page.h, page.w };
	int n = -1;

	(void)state;
	img_paste(&page, &c128, 40, 40);
	img_paste(&page, &dm, 60, 300);
	img_paste(&page, &dm2, 500, 300);
	assert_int_equal(decode(&page, NULL), 3);
	assert_int_equal(decode(&page, &(struct scan_image_options){ .symbols = 3 }), 3);
	/* one expected: ZBar's Code 128, and libdmtx never runs */
	assert_int_equal(decode(&page, &(struct scan_image_options){ .symbols = 1 }), 1);
	interpret(0, "]C0", SCAN_LOCATION);
	/* two: the Code 128 and the first DataMatrix libdmtx finds */
	assert_int_equal(decode(&page, &(struct scan_image_options){ .symbols = 2 }), 2);
	interpret(0, "]C0", SCAN_LOCATION);
	assert_string_equal(syms[1].symbology, "DataMatrix");
	/* without ZBar the one expected is a DataMatrix */
	assert_int_equal(decode(&page, &(struct scan_image_options){ .symbols = 1, .no_zbar = true }), 1);
	assert_string_equal(syms[0].symbology, "DataMatrix");

	/* changed between decodes, as a station's key reaches its camera */
	assert_int_equal(scan_image_decoder_new(NULL, &d, &err), 0);
	assert_int_equal(scan_image_decoder_set_symbols(d, 1, &err), 0);
	assert_int_equal(scan_image_decode(d, &im, syms, SCAN_IMAGE_MAX_SYMBOLS, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(scan_image_decoder_set_symbols(d, 0, &err), 0);
	assert_int_equal(scan_image_decode(d, &im, syms, SCAN_IMAGE_MAX_SYMBOLS, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(scan_image_decoder_set_symbols(d, SCAN_IMAGE_MAX_SYMBOLS + 1, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "0..16 (0 = all)"));
	scan_image_decoder_free(d);

	/* options out of range name what is allowed */
	assert_int_equal(scan_image_decoder_new(&(struct scan_image_options){ .zbar_density = 9 }, &d,
	                                        &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "ZBar density 1..8"));
	assert_int_equal(scan_image_decoder_new(&(struct scan_image_options){ .dmtx_shrink = 5 }, &d,
	                                        &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "shrink 1..4"));
	assert_int_equal(scan_image_decoder_new(&(struct scan_image_options){ .symbols = -1 }, &d,
	                                        &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "expected symbols 0..16"));
	img_free(&page);
	img_free(&dm);
	img_free(&dm2);
	img_free(&c128);
}

static void test_blank_and_bad(void **state)
{
	struct img m = img_blank(640, 480);
	struct scan_image_decoder *d = NULL;
	struct scan_image im = { m.px, 0, 480, 640 };
	int n = 7;

	(void)state;
	assert_int_equal(decode(&m, NULL), 0);
	noise(&m, 60, 3);
	assert_int_equal(decode(&m, NULL), 0);

	assert_int_equal(scan_image_decoder_new(NULL, &d, &err), 0);
	assert_int_equal(scan_image_decode(d, &im, syms, SCAN_IMAGE_MAX_SYMBOLS, &n, &err), WMS_EINVAL);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err.msg, "out of range"));
	im = (struct scan_image){ m.px, 640, 480, 600 };
	assert_int_equal(scan_image_decode(d, &im, syms, SCAN_IMAGE_MAX_SYMBOLS, &n, &err), WMS_EINVAL);
	scan_image_decoder_free(d);
	scan_image_decoder_free(NULL);

	d = (struct scan_image_decoder *)&m;
	assert_int_equal(scan_image_decoder_new(&(struct scan_image_options){ .dmtx_timeout_ms = -1 },
	                                        &d, &err), WMS_EINVAL);
	assert_null(d);
	assert_non_null(strstr(err.msg, "timeout 1..10000 ms"));
	img_free(&m);
}

/* A stride wider than the image: rows are read at their stride. */
static void test_stride(void **state)
{
	struct img m = render(BARCODE_CODE128, "LOC:A-01-01", false, 2, 20);
	struct img wide = img_blank(m.w + 37, m.h);
	struct scan_image_decoder *d = NULL;
	struct scan_image im;
	int n = 0;

	(void)state;
	memset(wide.px, 0, (size_t)wide.w * (size_t)wide.h);     /* black padding */
	for (int r = 0; r < m.h; r++)
		memcpy(wide.px + r * wide.w, m.px + r * m.w, (size_t)m.w);
	im = (struct scan_image){ wide.px, m.w, m.h, wide.w };
	assert_int_equal(scan_image_decoder_new(NULL, &d, &err), 0);
	assert_int_equal(scan_image_decode(d, &im, syms, SCAN_IMAGE_MAX_SYMBOLS, &n, &err), 0);
	assert_int_equal(n, 1);
	interpret(0, "]C0", SCAN_LOCATION);
	scan_image_decoder_free(d);
	img_free(&m);
	img_free(&wide);
}

static void write_png(const char *path, const struct img *m)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, m->w, m->h);
	unsigned char *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);

	for (int y = 0; y < m->h; y++)
		for (int x = 0; x < m->w; x++) {
			uint32_t v = m->px[y * m->w + x];
			((uint32_t *)(void *)(data + y * stride))[x] = v << 16 | v << 8 | v;
		}
	cairo_surface_mark_dirty(s);
	assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void test_files(void **state)
{
	char dir[] = "/tmp/image_decode_test.XXXXXX", path[128];
	struct img m = render(BARCODE_DATAMATRIX, UDI_GS1, true, 4, 24), loaded;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/udi.png", dir);
	write_png(path, &m);
	assert_int_equal(scan_image_load(path, &loaded.px, &loaded.w, &loaded.h, &err), 0);
	assert_int_equal(loaded.w, m.w);
	assert_int_equal(loaded.h, m.h);
	assert_memory_equal(loaded.px, m.px, (size_t)m.w * (size_t)m.h);
	assert_int_equal(decode(&loaded, NULL), 1);
	expect_udi(0, "]d2");
	img_free(&loaded);
	unlink(path);

	snprintf(path, sizeof path, "%s/udi.pgm", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	fprintf(f, "P5\n# rendered by zint\n%d %d\n255\n", m.w, m.h);
	fwrite(m.px, 1, (size_t)m.w * (size_t)m.h, f);
	fclose(f);
	assert_int_equal(scan_image_load(path, &loaded.px, &loaded.w, &loaded.h, &err), 0);
	assert_memory_equal(loaded.px, m.px, (size_t)m.w * (size_t)m.h);
	img_free(&loaded);

	/* truncated PGM, text, a PNG signature with garbage, missing file */
	write_file(path, "P5\n10 10\n255\nabc", 16);
	assert_int_equal(scan_image_load(path, &loaded.px, &loaded.w, &loaded.h, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "ends before 10x10"));
	assert_null(loaded.px);
	write_file(path, "P5\n99999 10\n255\n", 16);
	assert_int_equal(scan_image_load(path, &loaded.px, &loaded.w, &loaded.h, &err), WMS_EINVAL);
	write_file(path, "P5\n4 4\n65535\n", 13);
	assert_int_equal(scan_image_load(path, &loaded.px, &loaded.w, &loaded.h, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "16-bit"));
	unlink(path);
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	write_file(path, "hello, not an image\n", 20);
	assert_int_equal(scan_image_load(path, &loaded.px, &loaded.w, &loaded.h, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "is not a PNG or binary PGM"));
	unlink(path);
	snprintf(path, sizeof path, "%s/broken.png", dir);
	write_file(path, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x10\0\0\0\x10garbage", 31);
	assert_int_equal(scan_image_load(path, &loaded.px, &loaded.w, &loaded.h, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "not a readable PNG"));
	write_file(path, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\x7f\0\0\0\0\0\0\x10garbage", 31);
	assert_int_equal(scan_image_load(path, &loaded.px, &loaded.w, &loaded.h, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "out of range"));
	unlink(path);
	snprintf(path, sizeof path, "%s/absent.png", dir);
	assert_int_equal(scan_image_load(path, &loaded.px, &loaded.w, &loaded.h, &err), WMS_ENOTFOUND);
	assert_int_equal(scan_image_load(dir, &loaded.px, &loaded.w, &loaded.h, &err), WMS_EIO);
	rmdir(dir);
	img_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gs1_128_udi),
		cmocka_unit_test(test_gs1_datamatrix_udi),
		cmocka_unit_test(test_datamatrix_without_quiet_zone),
		cmocka_unit_test(test_plain_datamatrix),
		cmocka_unit_test(test_qr_digital_link),
		cmocka_unit_test(test_ean13),
		cmocka_unit_test(test_code128_location),
		cmocka_unit_test(test_rotated),
		cmocka_unit_test(test_scaled_and_noisy),
		cmocka_unit_test(test_several_in_one_image),
		cmocka_unit_test(test_station_options),
		cmocka_unit_test(test_regions),
		cmocka_unit_test(test_regions_several_and_none),
		cmocka_unit_test(test_expected_symbols),
		cmocka_unit_test(test_blank_and_bad),
		cmocka_unit_test(test_stride),
		cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
