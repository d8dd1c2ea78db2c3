/*
 * label_zpl_test.c - ZPL output: job structure, escaping of ^ ~ _ (and > in
 * Code 128), UTF-8 text, dot positions at 203 vs 300 dpi, barcode commands,
 * and byte-for-byte golden files in tests/fixtures/zpl/<template>-<dpi>.zpl.
 *
 * The goldens were written once from reviewed output.  After an intended
 * change to a template or to zpl.c, regenerate them with
 *   WMS_UPDATE_GOLDEN=1 ./build-print/bin/printing_label_zpl_test
 * and review the diff (git diff tests/fixtures/zpl) before committing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "label.h"
#include "label_template.h"
#include "label_zpl.h"
#include "label_samples.h"

static char *render(const char *tpl, const struct label_fields *f, int dpi, size_t *len)
{
	struct label_template *t = sample_template(tpl);
	struct wms_error err;
	char *z = NULL;

	if (label_zpl_render(t, f, dpi, &z, len, &err) != 0)
		fail_msg("%s@%d: %s", tpl, dpi, err.msg);
	assert_int_equal(strlen(z), *len);
	label_template_free(t);
	return z;
}

/* Every ^FD ... ^FS holds no raw ^ or ~; every job is ^XA ... ^XZ with ^CI28. */
static void check_structure(const char *z)
{
	const char *c = z, *fd;
	int blocks = 0;

	assert_memory_equal(z, "^XA\n", 4);
	assert_string_equal(z + strlen(z) - 4, "^XZ\n");
	while ((c = strstr(c, "^XA\n")) != NULL) {
		const char *end = strstr(c, "^XZ\n");

		assert_non_null(end);
		assert_memory_equal(c + 4, "^CI28\n", 6);
		blocks++;
		c = end;
	}
	assert_true(blocks >= 1);
	for (c = z; (fd = strstr(c, "^FD")) != NULL; c = fd + 1) {
		const char *fs = strstr(fd, "^FS");
		const char *p;

		assert_non_null(fs);
		for (p = fd + 3; p < fs; p++)
			assert_true(*p != '^' && *p != '~' && *p != '\n');
		/* every field goes through ^FH so the _XX escapes are decoded */
		assert_memory_equal(fd - 3, "^FH", 3);
	}
}

static void test_structure_all(void **state)
{
	size_t i;
	int dpi;

	for (i = 0; i < NSAMPLES; i++) {
		struct label_fields *f = sample_fields(&samples[i]);

		for (dpi = 203; dpi <= 300; dpi += 97) {
			size_t len;
			char *z = render(samples[i].template_name, f, dpi, &len);

			check_structure(z);
			free(z);
		}
		label_fields_free(f);
	}
}

static void test_escaping(void **state)
{
	struct label_fields *f = NULL;
	struct wms_error err;
	size_t len;
	char *z;

	assert_int_equal(label_fields_new(LABEL_LOCATION, &f, &err), 0);
	assert_int_equal(label_fields_set(f, "code", "A^B~C_D>E", &err), 0);
	assert_int_equal(label_fields_set(f, "text", "^XZ~JR_ åäö ÅÄÖ", &err), 0);
	z = render("location", f, 203, &len);
	check_structure(z);
	/* text: ^ ~ _ as hex, UTF-8 untouched */
	assert_non_null(strstr(z, "^FH^FD_5EXZ_7EJR_5F åäö ÅÄÖ^FS"));
	/* Code 128 data: subset B, ">" doubled as "><" */
	assert_non_null(strstr(z, "^BCN,96,N,N,N,N^FH^FD>:LOC:A_5EB_7EC_5FD><E^FS"));
	assert_null(strstr(z, "^XZ~JR"));
	free(z);
	label_fields_free(f);
}

static void test_swedish_utf8(void **state)
{
	struct label_fields *f = sample_fields(&samples[0]);
	size_t len;
	char *z = render("device", f, 300, &len);

	assert_non_null(strstr(z, "^CI28\n"));
	assert_non_null(strstr(z, "^FDDuschstol \xc3\x85sa, h\xc3\xb6j- och s\xc3\xa4nkbar^FS"));
	assert_non_null(strstr(z, "^FD\xc3\x84gare: Hj\xc3\xa4lpmedelscentralen^FS"));
	free(z);
	label_fields_free(f);
}

/* Collect ^FOx,y pairs. */
static size_t positions(const char *z, long (*xy)[2], size_t max)
{
	size_t n = 0;

	while ((z = strstr(z, "^FO")) != NULL && n < max) {
		assert_int_equal(sscanf(z, "^FO%ld,%ld", &xy[n][0], &xy[n][1]), 2);
		n++;
		z += 3;
	}
	return n;
}

static void test_dpi_scaling(void **state)
{
	long a[64][2], b[64][2];
	size_t i, na, nb, len;
	struct label_fields *f = sample_fields(&samples[3]);
	char *z203 = render("shipping-107x190", f, 203, &len);
	char *z300 = render("shipping-107x190", f, 300, &len);

	/* 107 x 190 mm */
	assert_non_null(strstr(z203, "^PW855\n^LL1519\n"));
	assert_non_null(strstr(z300, "^PW1264\n^LL2244\n"));
	na = positions(z203, a, 64);
	nb = positions(z300, b, 64);
	assert_int_equal(na, nb);
	assert_true(na > 20);
	for (i = 0; i < na; i++) {
		/* same mm position, each rounded to its own dot grid */
		assert_true(labs(b[i][0] - lround(a[i][0] * 300.0 / 203.0)) <= 2);
		assert_true(labs(b[i][1] - lround(a[i][1] * 300.0 / 203.0)) <= 2);
	}
	/* "text 4 3.5 ...": 4 mm = 32 dots @203, 47 @300; 3.5 mm = 28 / 41 */
	assert_int_equal(a[0][0], 32);
	assert_int_equal(a[0][1], 28);
	assert_int_equal(b[0][0], 47);
	assert_int_equal(b[0][1], 41);
	/* barcode modules: 0.5 mm = 4 dots @203, 6 @300; SSCC in subset C with FNC1 */
	assert_non_null(strstr(z203, "^BY4^BCN,256,N,N,N,N^FH^FD>;>800" SSCC1 "^FS"));
	assert_non_null(strstr(z300, "^BY6^BCN,378,N,N,N,N^FH^FD>;>800" SSCC1 "^FS"));
	free(z203);
	free(z300);
	label_fields_free(f);
}

static void test_datamatrix_gs1(void **state)
{
	struct label_fields *f = sample_fields(&samples[0]);
	size_t len;
	char *z = render("device", f, 203, &len);

	/* FNC1 is ~1 for ^BX; written _7E1 under ^FH */
	assert_non_null(strstr(z, "^BXN,4,200,0,0,6,~^FH^FD_7E101" GTIN "21" SERIAL "^FS"));
	free(z);
	label_fields_free(f);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL)
		return NULL;
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void test_golden(void **state)
{
	int update = getenv("WMS_UPDATE_GOLDEN") != NULL;
	size_t i;
	int dpi;

	for (i = 0; i < NSAMPLES; i++) {
		struct label_fields *f = sample_fields(&samples[i]);

		for (dpi = 203; dpi <= 300; dpi += 97) {
			char path[512], *z, *want;
			size_t len = 0, wlen = 0;

			snprintf(path, sizeof path, "%s/zpl/%s-%d.zpl", WMS_FIXTURES,
				 samples[i].template_name, dpi);
			z = render(samples[i].template_name, f, dpi, &len);
			if (update) {
				FILE *fp = fopen(path, "wb");

				assert_non_null(fp);
				assert_int_equal(fwrite(z, 1, len, fp), len);
				assert_int_equal(fclose(fp), 0);
				print_message("  wrote %s\n", path);
			}
			want = slurp(path, &wlen);
			if (want == NULL)
				fail_msg("%s missing (WMS_UPDATE_GOLDEN=1 writes it)", path);
			if (wlen != len || memcmp(want, z, len) != 0)
				fail_msg("%s differs from the output; review, then regenerate", path);
			free(want);
			free(z);
		}
		label_fields_free(f);
	}
}

static void test_errors(void **state)
{
	struct label_template *t = sample_template("device");
	struct label_fields *f = NULL;
	struct wms_error err;
	size_t len = 7;
	char *z = (char *)"x";

	assert_int_equal(label_fields_new(LABEL_DEVICE, &f, &err), 0);
	assert_int_equal(label_fields_set(f, "gtin", GTIN, &err), 0);
	assert_int_equal(label_fields_set(f, "product", "Rollator", &err), 0);
	/* missing required field */
	assert_int_equal(label_zpl_render(t, f, 203, &z, &len, &err), WMS_EINVAL);
	assert_string_equal(err.msg, "missing required field 'serial' for device label");
	assert_null(z);
	assert_int_equal(len, 0);
	/* GS1 serial may not hold '~' */
	assert_int_equal(label_fields_set(f, "serial", "AB~1", &err), 0);
	assert_int_equal(label_zpl_render(t, f, 203, &z, &len, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "device.label:"));
	assert_non_null(strstr(err.msg, "GS1 (21) serial number: character '~' not allowed"));
	/* wrong GTIN check digit */
	assert_int_equal(label_fields_set(f, "serial", "AB1", &err), 0);
	assert_int_equal(label_fields_set(f, "gtin", "07350012345678", &err), 0);
	assert_int_equal(label_zpl_render(t, f, 203, &z, &len, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "wrong check digit"));
	/* non-ASCII serial cannot go into Code 128 */
	assert_int_equal(label_fields_set(f, "gtin", GTIN, &err), 0);
	assert_int_equal(label_fields_set(f, "serial", "Å1", &err), 0);
	assert_int_equal(label_zpl_render(t, f, 203, &z, &len, &err), WMS_EINVAL);
	/* bad dpi; fields of another kind */
	assert_int_equal(label_fields_set(f, "serial", "AB1", &err), 0);
	assert_int_equal(label_zpl_render(t, f, 200, &z, &len, &err), WMS_EINVAL);
	label_fields_free(f);
	assert_int_equal(label_fields_new(LABEL_RECON, &f, &err), 0);
	assert_int_equal(label_zpl_render(t, f, 203, &z, &len, &err), WMS_EINVAL);
	assert_string_equal(err.msg, "template device.label is for device labels, not recon");
	label_fields_free(f);
	label_template_free(t);
}

static void test_multi_page(void **state)
{
	struct label_fields *f = NULL;
	struct wms_error err;
	const char *c;
	size_t len, i;
	int blocks = 0;
	char *z;

	assert_int_equal(label_fields_new(LABEL_PICKLIST, &f, &err), 0);
	for (i = 0; picklist_kv[i]; i += 2)
		assert_int_equal(label_fields_set(f, picklist_kv[i], picklist_kv[i + 1], &err), 0);
	sample_rows(f, 31);
	z = render("picklist", f, 203, &len);
	check_structure(z);
	for (c = z; (c = strstr(c, "^XA")) != NULL; c++)
		blocks++;
	assert_int_equal(blocks, 2);
	assert_non_null(strstr(z, "^FDSida 1 av 2^FS"));
	assert_non_null(strstr(z, "^FDSida 2 av 2^FS"));
	free(z);
	label_fields_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure_all),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_swedish_utf8),
		cmocka_unit_test(test_dpi_scaling),
		cmocka_unit_test(test_datamatrix_gs1),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_multi_page),
		cmocka_unit_test(test_golden),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
