/*
 * barcode_png.c - test helper: render one barcode with libzint into a PNG
 * file (zint's own PNG writer) or, for OUT ending in .pgm, a binary PGM
 * (camera frames for the V4L2 test), for the `wms scan-image` and camera
 * tests.
 *
 *   barcode_png OUT.png|OUT.pgm gs1-128|datamatrix|gs1-datamatrix|qr|ean13|code128 DATA [SCALE]
 *
 * A kind ending in "-noquiet" (gs1-datamatrix-noquiet) is rendered without
 * the quiet zone, as a label cropped to its symbol.
 *
 * GS1 data is given in zint's bracketed form: [01]09506000134352[21]12345678.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>

int main(int argc, char **argv)
{
	static const struct { const char *name; int symbology; int gs1; } kinds[] = {
		{ "gs1-128", BARCODE_GS1_128, 1 }, { "datamatrix", BARCODE_DATAMATRIX, 0 },
		{ "gs1-datamatrix", BARCODE_DATAMATRIX, 1 }, { "qr", BARCODE_QRCODE, 0 },
		{ "ean13", BARCODE_EANX, 0 }, { "code128", BARCODE_CODE128, 0 },
	};
	struct zint_symbol *s;
	char kind[32];
	size_t n;
	int rc = 1, quiet = 10;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: barcode_png OUT.png gs1-128|datamatrix|gs1-datamatrix|qr|ean13|"
		        "code128 DATA [SCALE]\n");
		return 2;
	}
	if ((s = ZBarcode_Create()) == NULL)
		return 1;
	snprintf(kind, sizeof kind, "%s", argv[2]);
	n = strlen(kind);
	if (n > 8 && strcmp(kind + n - 8, "-noquiet") == 0) {
		kind[n - 8] = '\0';
		quiet = 0;
	}
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kind, kinds[i].name) == 0) {
			s->symbology = kinds[i].symbology;
			s->input_mode = kinds[i].gs1 ? GS1_MODE : DATA_MODE;
		}
	if (s->symbology == BARCODE_CODE128 && strcmp(kind, "code128") != 0) {
		fprintf(stderr, "barcode_png: unknown kind %s\n", argv[2]);
		goto out;
	}
	s->scale = argc == 5 ? (float)atof(argv[4]) : 2;
	s->whitespace_width = quiet;        /* quiet zones: libdmtx and ZBar need them */
	s->whitespace_height = quiet;
	s->show_hrt = 0;
	snprintf(s->outfile, sizeof s->outfile, "%s", argv[1]);
	n = strlen(argv[1]);
	if (n > 4 && strcmp(argv[1] + n - 4, ".pgm") == 0) {
		FILE *f;
		if (ZBarcode_Encode_and_Buffer(s, (const unsigned char *)argv[3], (int)strlen(argv[3]), 0) >=
		    ZINT_ERROR) {
			fprintf(stderr, "barcode_png: %s\n", s->errtxt);
			goto out;
		}
		if ((f = fopen(argv[1], "wb")) == NULL) {
			perror(argv[1]);
			goto out;
		}
		fprintf(f, "P5\n%d %d\n255\n", s->bitmap_width, s->bitmap_height);
		for (int i = 0; i < s->bitmap_width * s->bitmap_height; i++)
			fputc(s->bitmap[i * 3 + 1], f);     /* RGB -> gray: the green byte */
		if (fclose(f) != 0) {
			perror(argv[1]);
			goto out;
		}
	} else if (ZBarcode_Encode_and_Print(s, (const unsigned char *)argv[3], (int)strlen(argv[3]), 0) >=
	           ZINT_ERROR) {
		fprintf(stderr, "barcode_png: %s\n", s->errtxt);
		goto out;
	}
	rc = 0;
out:
	ZBarcode_Delete(s);
	return rc;
}
