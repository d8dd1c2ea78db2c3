/*
 * label_render_test.c - cairo/zint rendering: every shipped template is
 * rendered to a grey bitmap in memory and EVERY barcode on it is decoded
 * back (ZBar for Code 128 / GS1-128, libdmtx for DataMatrix) to exactly the
 * intended data; PNG and PDF outputs are checked as files (pdfinfo when
 * poppler-utils is installed).  Set WMS_LABEL_PREVIEW_DIR=/some/dir to keep
 * a PNG of every sample and the 30-row delivery note PDF for a human look.
 * Prints rendering rates (labels/s) for ZPL and PNG.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dmtx.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <zbar.h>

#include "label.h"
#include "label_render.h"
#include "label_template.h"
#include "label_zpl.h"
#include "label_samples.h"

struct decoded {
	char type;             /* 'C', 'G' or 'D' as in struct sample_code */
	char data[256];
};

#define MAXDEC 8

static size_t decode_zbar(const struct label_bitmap *bm, struct decoded *out, size_t max)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_t *img = zbar_image_create();
	const zbar_symbol_t *sym;
	size_t n = 0;
	int rc;

	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_CODE128, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)bm->width, (unsigned)bm->height);
	assert_int_equal(bm->stride, bm->width);
	zbar_image_set_data(img, bm->pixels, (unsigned long)bm->width * (unsigned long)bm->height,
			    NULL);
	rc = zbar_scan_image(sc, img);
	assert_true(rc >= 0);
	for (sym = zbar_image_first_symbol(img); sym != NULL && n < max;
	     sym = zbar_symbol_next(sym)) {
		unsigned len = zbar_symbol_get_data_length(sym);

		assert_true(len < sizeof out[n].data);
		memcpy(out[n].data, zbar_symbol_get_data(sym), len);
		out[n].data[len] = '\0';
		out[n].type = (zbar_symbol_get_modifiers(sym) & (1 << ZBAR_MOD_GS1)) ? 'G' : 'C';
		n++;
	}
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(sc);
	return n;
}

static size_t decode_dmtx(const struct label_bitmap *bm, struct decoded *out, size_t max)
{
	DmtxImage *img = dmtxImageCreate(bm->pixels, bm->width, bm->height, DmtxPack8bppK);
	DmtxDecode *dec;
	DmtxRegion *reg;
	DmtxTime timeout;
	size_t n = 0;

	assert_non_null(img);
	dec = dmtxDecodeCreate(img, 1);
	assert_non_null(dec);
	dmtxDecodeSetProp(dec, DmtxPropFnc1, 0x1d);
	timeout = dmtxTimeAdd(dmtxTimeNow(), 20000);
	while (n < max && (reg = dmtxRegionFindNext(dec, &timeout)) != NULL) {
		DmtxMessage *msg = dmtxDecodeMatrixRegion(dec, reg, DmtxUndefined);

		if (msg != NULL) {
			const char *d = (const char *)msg->output;
			size_t len = msg->outputIdx;

			/* GS1 DataMatrix starts with FNC1; keep the element string after it */
			assert_true(len > 0 && d[0] == 0x1d);
			assert_true(len < sizeof out[n].data);
			memcpy(out[n].data, d + 1, len - 1);
			out[n].data[len - 1] = '\0';
			out[n].type = 'D';
			n++;
			dmtxMessageDestroy(&msg);
		}
		dmtxRegionDestroy(&reg);
	}
	dmtxDecodeDestroy(&dec);
	dmtxImageDestroy(&img);
	return n;
}

/* Decode everything on bm and compare with the expected codes, as sets. */
static void check_codes(const char *what, const struct label_bitmap *bm,
			const struct sample_code *want)
{
	struct decoded got[MAXDEC];
	size_t n, nwant = 0, i, j;
	int has_dm = 0;

	for (i = 0; want[i].type; i++) {
		nwant++;
		has_dm |= want[i].type == 'D';
	}
	n = decode_zbar(bm, got, MAXDEC);
	if (has_dm)
		n += decode_dmtx(bm, got + n, MAXDEC - n);
	for (i = 0; i < n; i++)
		print_message("  %s: decoded %c \"%s\"\n", what, got[i].type, got[i].data);
	if (n != nwant)
		fail_msg("%s: decoded %zu barcodes, expected %zu", what, n, nwant);
	for (i = 0; i < nwant; i++) {
		for (j = 0; j < n; j++)
			if (got[j].type == want[i].type && strcmp(got[j].data, want[i].data) == 0)
				break;
		if (j == n)
			fail_msg("%s: barcode %c \"%s\" not decoded", what, want[i].type, want[i].data);
	}
}

static void render_and_decode(const struct sample *s, int dpi)
{
	struct label_template *t = sample_template(s->template_name);
	struct label_fields *f = sample_fields(s);
	struct label_bitmap *bm = NULL;
	struct wms_error err;
	char what[64];
	int rc;

	snprintf(what, sizeof what, "%s@%d", s->template_name, dpi);
	rc = label_render_bitmap(t, f, dpi, 0, &bm, &err);
	if (rc != 0)
		fail_msg("%s: %s", what, err.msg);
	check_codes(what, bm, s->codes);
	label_bitmap_free(bm);
	label_fields_free(f);
	label_template_free(t);
}

static void test_decode_all_203(void **state)
{
	size_t i;

	for (i = 0; i < NSAMPLES; i++)
		render_and_decode(&samples[i], 203);
}

static void test_decode_all_300(void **state)
{
	size_t i;

	for (i = 0; i < NSAMPLES; i++)
		render_and_decode(&samples[i], 300);
}

/*
 * FNC1 separators inside GS1 data: after variable-length (21) and (10).
 * The serial is numeric here because libdmtx 0.7 drops an FNC1 met inside
 * C40/Text encodation (it only reports FNC1 in ASCII encodation), so a
 * C40 serial would hide the separator from this check, not from scanners.
 */
static void test_gs1_separators(void **state)
{
	static const char tpl[] =
		"kind device\n"
		"size 130 60\n"
		"datamatrix-gs1 10 10 0.5 \"(01){gtin}(21){serial}(11)240517\"\n"
		"barcode gs1-128 10 35 15 0.25 \"(01){gtin}(21){serial}(10)AB-12(17)261231\"\n";
	static const struct sample_code want[] = {
		{ 'D', "01" GTIN "2112345678" "\x1d" "11240517" },
		{ 'G', "01" GTIN "2112345678" "\x1d" "10AB-12" "\x1d" "17261231" },
		{ 0, NULL },
	};
	struct label_template *t = NULL;
	struct label_fields *f = sample_fields(&samples[0]);
	struct label_bitmap *bm = NULL;
	struct wms_error err;
	int dpi;

	assert_int_equal(label_fields_set(f, "serial", "12345678", &err), 0);
	assert_int_equal(label_template_parse("sep.label", tpl, sizeof tpl - 1, &t, &err), 0);
	for (dpi = 203; dpi <= 300; dpi += 97) {
		assert_int_equal(label_render_bitmap(t, f, dpi, 0, &bm, &err), 0);
		check_codes("separators", bm, want);
		label_bitmap_free(bm);
	}
	label_fields_free(f);
	label_template_free(t);
}

/* Awkward but legal Code 128 data: ZPL escapes must not leak into the symbol. */
static void test_code128_special_chars(void **state)
{
	static const struct sample_code want[] = { { 'C', "LOC:A^B~C_D>E" }, { 0, NULL } };
	struct label_template *t = sample_template("location");
	struct label_fields *f = NULL;
	struct label_bitmap *bm = NULL;
	struct wms_error err;

	assert_int_equal(label_fields_new(LABEL_LOCATION, &f, &err), 0);
	assert_int_equal(label_fields_set(f, "code", "A^B~C_D>E", &err), 0);
	assert_int_equal(label_render_bitmap(t, f, 203, 0, &bm, &err), 0);
	check_codes("special", bm, want);
	label_bitmap_free(bm);
	label_fields_free(f);
	label_template_free(t);
}

static char tmpdir[64];

static const char *outdir(void)
{
	const char *d = getenv("WMS_LABEL_PREVIEW_DIR");

	if (d != NULL && d[0] != '\0')
		return d;
	if (tmpdir[0] == '\0') {
		snprintf(tmpdir, sizeof tmpdir, "/tmp/wms-label-test-XXXXXX");
		assert_non_null(mkdtemp(tmpdir));
	}
	return tmpdir;
}

static void test_png_files(void **state)
{
	size_t i;

	for (i = 0; i < NSAMPLES; i++) {
		struct label_template *t = sample_template(samples[i].template_name);
		struct label_fields *f = sample_fields(&samples[i]);
		unsigned char *buf = NULL, head[8];
		struct wms_error err;
		char path[256];
		size_t len;
		FILE *fp;

		snprintf(path, sizeof path, "%s/%s-203.png", outdir(), samples[i].template_name);
		assert_int_equal(label_render_png_file(t, f, 203, 0, path, &err), 0);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		assert_int_equal(fread(head, 1, 8, fp), 8);
		fclose(fp);
		assert_memory_equal(head, "\x89PNG\r\n\x1a\n", 8);
		assert_int_equal(label_render_png_buffer(t, f, 300, 0, &buf, &len, &err), 0);
		assert_true(len > 1000);
		assert_memory_equal(buf, "\x89PNG\r\n\x1a\n", 8);
		free(buf);
		/* page out of range, bad dpi */
		assert_int_equal(label_render_png_buffer(t, f, 300, 9, &buf, &len, &err), WMS_EINVAL);
		assert_null(buf);
		assert_int_equal(label_render_png_buffer(t, f, 150, 0, &buf, &len, &err), WMS_EINVAL);
		assert_non_null(strstr(err.msg, "150 dpi"));
		if (getenv("WMS_LABEL_PREVIEW_DIR") == NULL)
			unlink(path);
		label_fields_free(f);
		label_template_free(t);
	}
}

/* Run pdfinfo on path: 0 with pages and size filled, or -1 if pdfinfo is missing. */
static int pdfinfo(const char *path, int *pages, char *size, size_t sizecap)
{
	char cmd[512], line[256];
	FILE *p;

	if (system("command -v pdfinfo >/dev/null 2>&1") != 0)
		return -1;
	snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	*pages = -1;
	size[0] = '\0';
	while (fgets(line, sizeof line, p) != NULL) {
		if (strncmp(line, "Pages:", 6) == 0)
			*pages = atoi(line + 6);
		if (strncmp(line, "Page size:", 10) == 0) {
			snprintf(size, sizecap, "%s", line + 10 + strspn(line + 10, " "));
			size[strcspn(size, "\n")] = '\0';
		}
	}
	assert_int_equal(pclose(p), 0);
	return 0;
}

static void pdf_case(const char *tpl, int rows, int want_pages, int keep)
{
	size_t si = strcmp(tpl, "picklist") == 0 ? 6 : 7;
	struct label_template *t = sample_template(tpl);
	struct label_fields *f = NULL;
	struct wms_error err;
	unsigned char *buf = NULL;
	char path[256], size[128];
	size_t i, len;
	int pages;

	assert_int_equal(label_fields_new(samples[si].kind, &f, &err), 0);
	for (i = 0; samples[si].kv[i]; i += 2)
		assert_int_equal(label_fields_set(f, samples[si].kv[i], samples[si].kv[i + 1], &err), 0);
	sample_rows(f, rows);
	assert_int_equal(label_render_page_count(t, f, &pages, &err), 0);
	assert_int_equal(pages, want_pages);
	snprintf(path, sizeof path, "%s/%s-%d-rows.pdf", outdir(), tpl, rows);
	if (label_render_pdf_file(t, f, 300, path, &err) != 0)
		fail_msg("%s", err.msg);
	if (pdfinfo(path, &pages, size, sizeof size) == 0) {
		print_message("  %s: %d page(s), %s\n", path, pages, size);
		assert_int_equal(pages, want_pages);
		assert_non_null(strstr(size, "(A4)"));
	} else {
		print_message("  pdfinfo not installed: page count checked by the renderer only\n");
	}
	assert_int_equal(label_render_pdf_buffer(t, f, 203, &buf, &len, &err), 0);
	assert_true(len > 1000);
	assert_memory_equal(buf, "%PDF-", 5);
	free(buf);
	if (!keep || getenv("WMS_LABEL_PREVIEW_DIR") == NULL)
		unlink(path);
	label_fields_free(f);
	label_template_free(t);
}

static void test_pdf_a4(void **state)
{
	pdf_case("delivery-note", 30, 1, 1);
	pdf_case("delivery-note", 31, 2, 0);
	pdf_case("delivery-note", 0, 1, 0);
	pdf_case("picklist", 65, 3, 1);
}

/* A PDF that cannot be written is an I/O error, not a crash. */
static void test_pdf_bad_path(void **state)
{
	struct label_template *t = sample_template("device");
	struct label_fields *f = sample_fields(&samples[0]);
	struct wms_error err;

	assert_int_equal(label_render_pdf_file(t, f, 203, "/nonexistent/dir/x.pdf", &err), WMS_EIO);
	assert_int_equal(label_render_png_file(t, f, 203, 0, "/nonexistent/dir/x.png", &err),
			 WMS_EIO);
	label_fields_free(f);
	label_template_free(t);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_rates(void **state)
{
	struct label_template *t = sample_template("shipping-107x190");
	struct label_fields *f = sample_fields(&samples[3]);
	struct wms_error err;
	double t0, zpl, png;
	int i, n = 20;

	t0 = now();
	for (i = 0; i < n * 10; i++) {
		char *z;
		size_t len;

		assert_int_equal(label_zpl_render(t, f, 203, &z, &len, &err), 0);
		free(z);
	}
	zpl = n * 10 / (now() - t0);
	t0 = now();
	for (i = 0; i < n; i++) {
		unsigned char *buf;
		size_t len;

		assert_int_equal(label_render_png_buffer(t, f, 203, 0, &buf, &len, &err), 0);
		free(buf);
	}
	png = n / (now() - t0);
	print_message("  shipping-107x190 @203 dpi: ZPL %.0f labels/s, PNG %.1f labels/s "
		      "(this build's flags; sanitizers slow both)\n", zpl, png);
	label_fields_free(f);
	label_template_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_all_203),
		cmocka_unit_test(test_decode_all_300),
		cmocka_unit_test(test_gs1_separators),
		cmocka_unit_test(test_code128_special_chars),
		cmocka_unit_test(test_png_files),
		cmocka_unit_test(test_pdf_a4),
		cmocka_unit_test(test_pdf_bad_path),
		cmocka_unit_test(test_rates),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	if (tmpdir[0] != '\0')
		rmdir(tmpdir);
	label_render_finalise();
	return rc;
}
