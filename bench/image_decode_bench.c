/*
 * image_decode_bench.c - frames per second decoded by scanners/image_decode
 * against the reference command-line tools on the same images in the same
 * run: `zbarimg` (zbar-tools) for 1D codes and QR, `dmtxread` (dmtx-utils)
 * for DataMatrix.
 *
 * Workload: camera-sized gray frames (default 1280x720) with one label each,
 * rendered by libzint at a random position with sensor noise and
 * a 3x3 blur: GS1-128 and
 * GS1 DataMatrix UDIs (8-digit serials, lot 10D9T), a GS1 Digital Link QR,
 * EAN-13 and a Code 128 location label; every frame is written as a PNG.
 * Figures (wall clock, one core):
 *   ours, in memory        scan_image_decode() on the gray frames (what a
 *                          camera station does per frame)
 *   ours, from PNG         scan_image_load() + decode (what `wms scan-image` does)
 *   zbarimg / dmtxread     one process over all the files of its set (the
 *                          start-up is paid once), output checked for count
 * Each set is measured three ways for us: only the library the tool has
 * (like for like), and both libraries (what a station runs).
 * usage: image_decode_bench [--frames N] [--width W] [--height H] [--dmtx-gap N] [--keep]
 * (--dmtx-gap: libdmtx's scan grid gap, default image_decode's 2)
 */
#include "bench_report.h"
#include "image_decode.h"

#include <cairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zint.h>

struct frame {
	unsigned char *px;
	int w, h;
	char path[256];
	bool dm;            /* a DataMatrix frame (else 1D/QR) */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Render data into a w x h frame at a random place, with noise and blur; 0 or -1. */
static int render(struct frame *f, int symbology, bool gs1, const char *data, float scale, int w,
                  int h)
{
	struct zint_symbol *s = ZBarcode_Create();
	unsigned char *blur;
	int x0, y0, rc = -1;

	if (s == NULL)
		return -1;
	s->symbology = symbology;
	s->input_mode = gs1 ? GS1_MODE : DATA_MODE;
	s->scale = scale;
	s->show_hrt = 0;
	if (ZBarcode_Encode_and_Buffer(s, (const unsigned char *)data, (int)strlen(data), 0) >= ZINT_ERROR ||
	    s->bitmap_width + 40 > w || s->bitmap_height + 40 > h) {
		fprintf(stderr, "image_decode_bench: cannot render %s: %s\n", data, s->errtxt);
		goto out;
	}
	if ((f->px = malloc((size_t)w * (size_t)h)) == NULL)
		goto out;
	f->w = w;
	f->h = h;
	x0 = 20 + rand() % (w - s->bitmap_width - 39);
	y0 = 20 + rand() % (h - s->bitmap_height - 39);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int v = 210, bx = x - x0, by = y - y0;
			if (bx >= 0 && by >= 0 && bx < s->bitmap_width && by < s->bitmap_height &&
			    s->bitmap[(by * s->bitmap_width + bx) * 3 + 1] < 128)
				v = 35;
			v += rand() % 41 - 20;
			f->px[y * w + x] = (unsigned char)v;
		}
	/* optics: a 3x3 blur, as a camera sees a print (ZBar reads sharp
	 * pixel noise badly, and no lens delivers it) */
	if ((blur = malloc((size_t)w * (size_t)h)) == NULL)
		goto out;
	memcpy(blur, f->px, (size_t)w * (size_t)h);
	for (int y = 1; y < h - 1; y++)
		for (int x = 1; x < w - 1; x++) {
			int sum = 0;
			for (int dy = -1; dy <= 1; dy++)
				for (int dx = -1; dx <= 1; dx++)
					sum += blur[(y + dy) * w + x + dx];
			f->px[y * w + x] = (unsigned char)(sum / 9);
		}
	free(blur);
	rc = 0;
out:
	ZBarcode_Delete(s);
	return rc;
}

static int write_png(const struct frame *f)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, f->w, f->h);
	unsigned char *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s), rc;

	for (int y = 0; y < f->h; y++)
		for (int x = 0; x < f->w; x++) {
			uint32_t v = f->px[y * f->w + x];
			((uint32_t *)(void *)(data + y * stride))[x] = v << 16 | v << 8 | v;
		}
	cairo_surface_mark_dirty(s);
	rc = cairo_surface_write_to_png(s, f->path) == CAIRO_STATUS_SUCCESS ? 0 : -1;
	cairo_surface_destroy(s);
	return rc;
}

/* Decode the frames of one set (dm) in memory or from their files; fps, symbols in *found. */
static double ours(struct frame *fr, int n, bool dm, const struct scan_image_options *opt,
                   bool from_file, int *found)
{
	struct scan_image_symbol syms[SCAN_IMAGE_MAX_SYMBOLS];
	struct scan_image_decoder *d = NULL;
	struct wms_error err = { 0 };
	int count = 0, frames = 0;
	double t0;

	*found = 0;
	if (scan_image_decoder_new(opt, &d, &err) < 0) {
		fprintf(stderr, "image_decode_bench: %s\n", err.msg);
		return 0;
	}
	t0 = now_s();
	for (int i = 0; i < n; i++) {
		struct scan_image img = { fr[i].px, fr[i].w, fr[i].h, fr[i].w };
		unsigned char *gray = NULL;
		int k = 0;
		if (fr[i].dm != dm)
			continue;
		frames++;
		if (from_file) {
			if (scan_image_load(fr[i].path, &gray, &img.width, &img.height, &err) < 0) {
				fprintf(stderr, "image_decode_bench: %s\n", err.msg);
				continue;
			}
			img.gray = gray;
			img.stride = img.width;
		}
		if (scan_image_decode(d, &img, syms, SCAN_IMAGE_MAX_SYMBOLS, &k, &err) == 0)
			count += k;
		free(gray);
	}
	*found = count;
	scan_image_decoder_free(d);
	return frames / (now_s() - t0);
}

/* Run tool over the files of one set; fps, lines of output in *found; -1 if missing. */
static double tool(const char *cmd, struct frame *fr, int n, bool dm, int *found)
{
	size_t len = strlen(cmd) + 32;
	char *line, *p, buf[4096];
	int frames = 0;
	double t0, t;
	FILE *out;

	*found = 0;
	for (int i = 0; i < n; i++)
		len += strlen(fr[i].path) + 1;
	if ((line = malloc(len)) == NULL)
		return -1;
	p = line + sprintf(line, "%s", cmd);
	for (int i = 0; i < n; i++)
		if (fr[i].dm == dm) {
			p += sprintf(p, " %s", fr[i].path);
			frames++;
		}
	sprintf(p, " 2>/dev/null");
	t0 = now_s();
	if ((out = popen(line, "r")) == NULL) {
		free(line);
		return -1;
	}
	while (fgets(buf, sizeof buf, out))
		(*found)++;
	pclose(out);
	t = now_s() - t0;
	free(line);
	return frames / t;
}

static int have(const char *prog)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

int main(int argc, char **argv)
{
	int frames = 60, w = 1280, h = 720, rc = 1, n = 0, f1, f2, f3, f4;
	bool keep = false;
	char dir[] = "/tmp/image_decode_bench.XXXXXX";
	struct frame *fr = NULL;
	double a, b, c, z;
	struct scan_image_options only_zbar = { .no_dmtx = true };
	struct scan_image_options only_dmtx = { .no_zbar = true };
	struct scan_image_options both = { 0 };

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--frames") && i + 1 < argc)
			frames = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--width") && i + 1 < argc)
			w = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--height") && i + 1 < argc)
			h = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--dmtx-gap") && i + 1 < argc)
			both.dmtx_scan_gap = only_dmtx.dmtx_scan_gap = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--keep"))
			keep = true;
		else {
			fprintf(stderr, "usage: image_decode_bench [--frames N] [--width W] [--height H] [--dmtx-gap N] [--keep]\n");
			return 2;
		}
	}
	if (frames < 5 || frames > 10000 || w < 320 || h < 240 || w > 4096 || h > 4096) {
		fprintf(stderr, "image_decode_bench: frames 5..10000, width 320..4096, height 240..4096\n");
		return 2;
	}
	if (mkdtemp(dir) == NULL || (fr = calloc((size_t)frames, sizeof *fr)) == NULL) {
		perror("image_decode_bench");
		return 1;
	}
	srand(42);
	for (; n < frames; n++) {
		char data[160];
		int kind = n % 5, r;
		struct frame *f = &fr[n];
		snprintf(f->path, sizeof f->path, "%s/frame%04d.png", dir, n);
		switch (kind) {
		case 0:
			snprintf(data, sizeof data, "[01]09506000134352[17]301231[10]10D9T[21]%08d", 10000000 + n);
			r = render(f, BARCODE_GS1_128, true, data, 1.5f, w, h);
			break;
		case 1:
			snprintf(data, sizeof data, "[01]09506000134352[17]301231[10]10D9T[21]%08d", 10000000 + n);
			r = render(f, BARCODE_DATAMATRIX, true, data, 4, w, h);
			f->dm = true;
			break;
		case 2:
			snprintf(data, sizeof data, "https://id.gs1.org/01/09506000134352/21/%08d", 10000000 + n);
			r = render(f, BARCODE_QRCODE, false, data, 3, w, h);
			break;
		case 3:
			r = render(f, BARCODE_EANX, false, "950600013435", 2, w, h);
			break;
		default:
			snprintf(data, sizeof data, "LOC:A-%02d-%02d", n % 40, n % 7);
			r = render(f, BARCODE_CODE128, false, data, 2, w, h);
			break;
		}
		if (r < 0 || write_png(f) < 0)
			goto out;
	}
	{
		int n1d = 0, ndm = 0;
		for (int i = 0; i < n; i++)
			fr[i].dm ? ndm++ : n1d++;
		printf("image_decode_bench: %d frames %dx%d (%d 1D/QR, %d DataMatrix), PNG in %s\n",
		       n, w, h, n1d, ndm, dir);
		printf("  %-44s %10s %8s %8s\n", "", "frames/s", "symbols", "vs tool");

		a = ours(fr, n, false, &only_zbar, false, &f1);
		b = ours(fr, n, false, &only_zbar, true, &f2);
		c = ours(fr, n, false, &both, true, &f3);
		z = have("zbarimg") ? tool("zbarimg -q --raw", fr, n, false, &f4) : -1;
		printf("1D/QR frames (%d)\n", n1d);
		printf("  %-44s %10.1f %8d %7.2fx\n", "ours, ZBar only, in memory", a, f1, z > 0 ? a / z : 0);
		printf("  %-44s %10.1f %8d %7.2fx\n", "ours, ZBar only, from PNG", b, f2, z > 0 ? b / z : 0);
		printf("  %-44s %10.1f %8d %7.2fx\n", "ours, ZBar + libdmtx, from PNG (a station)", c, f3,
		       z > 0 ? c / z : 0);
		if (z > 0)
			printf("  %-44s %10.1f %8d %8s\n", "zbarimg -q --raw (one process, all files)", z, f4, "1.00x");
		else
			printf("  zbarimg not installed (Debian zbar-tools): no ratio\n");
		bench_figure("1D/QR image decode from PNG (ZBar)", b, z > 0 ? z : 0, "frames/s",
		             "zbarimg on the same files");

		a = ours(fr, n, true, &only_dmtx, false, &f1);
		b = ours(fr, n, true, &only_dmtx, true, &f2);
		c = ours(fr, n, true, &both, true, &f3);
		z = have("dmtxread") ? tool("dmtxread -n -N 4 -m 300", fr, n, true, &f4) : -1;
		printf("DataMatrix frames (%d)\n", ndm);
		printf("  %-44s %10.1f %8d %7.2fx\n", "ours, libdmtx only, in memory", a, f1, z > 0 ? a / z : 0);
		printf("  %-44s %10.1f %8d %7.2fx\n", "ours, libdmtx only, from PNG", b, f2, z > 0 ? b / z : 0);
		printf("  %-44s %10.1f %8d %7.2fx\n", "ours, ZBar + libdmtx, from PNG (a station)", c, f3,
		       z > 0 ? c / z : 0);
		if (z > 0)
			printf("  %-44s %10.1f %8d %8s\n", "dmtxread -n -N 4 -m 300 (one process, all files)", z, f4,
			       "1.00x");
		else
			printf("  dmtxread not installed (Debian dmtx-utils): no ratio\n");
		bench_figure("DataMatrix image decode from PNG (libdmtx)", b, z > 0 ? z : 0, "frames/s",
		             "dmtxread on the same files");
	}
	rc = 0;
out:
	for (int i = 0; i < frames; i++) {
		if (!keep && fr[i].path[0])
			unlink(fr[i].path);
		free(fr[i].px);
	}
	free(fr);
	if (!keep)
		rmdir(dir);
	return rc;
}
