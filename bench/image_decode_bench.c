/*
 * image_decode_bench.c - camera frames decoded by scanners/image_decode
 * against the reference command-line tools on the same images in the same
 * run: `zbarimg` (zbar-tools) for 1D codes and QR, `dmtxread` (dmtx-utils)
 * for DataMatrix.
 *
 * Workload: camera-sized gray frames (default 1280x720), each holding one
 * label rendered by libzint at a random position with sensor noise and a
 * 3x3 blur (GS1-128 and GS1 DataMatrix UDIs with 8-digit serials and lot
 * 10D9T, a GS1 Digital Link QR, EAN-13, a Code 128 location label) or none
 * (most frames a camera sees are empty); every frame is written as an 8-bit
 * gray PNG (a GREY camera's snapshot).
 * Figures (CPU time, ours and the tools', so that a shared machine's load
 * counts less; libdmtx's budget is this thread's CPU time too):
 *   station, in memory     scan_image_decode() with a camera station's
 *                          options (source_camera.c: one symbol expected,
 *                          only the regions with clusters of edges read,
 *                          ZBar density from the frame height, libdmtx
 *                          shrink 2 and its budget), ms per frame over every
 *                          frame; baseline: the options the camera had before
 *                          (every symbol, density 1, no shrink), same frames
 *   per kind, in memory    the same over the empty, 1D/QR and DataMatrix
 *                          frames; baseline: the station's options reading
 *                          the whole frame (no regions)
 *   station, from PNG      scan_image_load() + decode (`wms scan-image` on
 *                          a camera's snapshot), frames/s per set
 *   zbarimg / dmtxread     one process over all the files of its set (the
 *                          start-up is paid once), output checked for count;
 *                          dmtxread -N 1: it stops at the one symbol too
 * With --check every label frame must give its symbol in station mode, and
 * to the tools (exit 1 otherwise); --budget 10000 takes libdmtx's time
 * limit out for that (a smoke test).
 * usage: image_decode_bench [--frames N] [--width W] [--height H] [--symbols N]
 *        [--density N] [--shrink N] [--budget MS] [--no-regions] [--rounds N]
 *        [--check] [--keep]
 * (the station options; defaults are a camera station's)
 */
#include "bench_report.h"
#include "image_decode.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zint.h>

enum set { SET_ALL, SET_EMPTY, SET_1D, SET_DM };

struct frame {
	unsigned char *px;
	int w, h;
	char path[256];
	enum set kind;      /* SET_EMPTY, SET_1D (1D and QR) or SET_DM */
};

/* CPU seconds of this process (the decoding runs on this thread alone), so
 * that the other loads of a shared machine count less; the tools' are
 * their own CPU seconds too (children_s()). */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of the children waited for so far. */
static double children_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

/* A w x h frame of paper with sensor noise, data (NULL: none) rendered at a
 * random place, blurred as optics do; 0 or -1. */
static int render(struct frame *f, int symbology, bool gs1, const char *data, float scale, int w,
                  int h)
{
	struct zint_symbol *s = ZBarcode_Create();
	unsigned char *blur;
	int x0 = 0, y0 = 0, bw = 0, bh = 0, rc = -1;

	if (s == NULL)
		return -1;
	if (data != NULL) {
		s->symbology = symbology;
		s->input_mode = gs1 ? GS1_MODE : DATA_MODE;
		s->scale = scale;
		s->show_hrt = 0;
		if (ZBarcode_Encode_and_Buffer(s, (const unsigned char *)data, (int)strlen(data), 0) >=
		            ZINT_ERROR ||
		    s->bitmap_width + 40 > w || s->bitmap_height + 40 > h) {
			fprintf(stderr, "image_decode_bench: cannot render %s in %dx%d: %s\n", data, w, h,
			        s->errtxt);
			goto out;
		}
		bw = s->bitmap_width;
		bh = s->bitmap_height;
		x0 = 20 + rand() % (w - bw - 39);
		y0 = 20 + rand() % (h - bh - 39);
	}
	if ((f->px = malloc((size_t)w * (size_t)h)) == NULL)
		goto out;
	f->w = w;
	f->h = h;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int v = 210, bx = x - x0, by = y - y0;
			if (bx >= 0 && by >= 0 && bx < bw && by < bh &&
			    s->bitmap[(by * bw + bx) * 3 + 1] < 128)
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

/* The frame as an 8-bit gray PNG, what a GREY camera's snapshot is. */
static int write_png(const struct frame *f)
{
	png_image img = { .version = PNG_IMAGE_VERSION, .width = (png_uint_32)f->w,
	                  .height = (png_uint_32)f->h, .format = PNG_FORMAT_GRAY };

	if (!png_image_write_to_file(&img, f->path, 0, f->px, f->w, NULL)) {
		fprintf(stderr, "image_decode_bench: %s: %s\n", f->path, img.message);
		return -1;
	}
	return 0;
}

#define ZBARIMG "zbarimg -q --raw"
#define DMTXREAD "dmtxread -n -N 1 -m 300"

static bool in_set(const struct frame *f, enum set set)
{
	return set == SET_ALL || f->kind == set;
}

/* What decoding the frames of one set cost (best of rounds, so that one
 * slice of a shared machine does not decide), in memory or from their files. */
struct result {
	double s_per_frame;
	int frames, symbols, missed;    /* missed: label frames that gave no symbol */
};

static struct result ours(const struct frame *fr, int n, enum set set,
                          const struct scan_image_options *opt, bool from_file, int rounds)
{
	struct scan_image_symbol syms[SCAN_IMAGE_MAX_SYMBOLS];
	struct scan_image_decoder *d = NULL;
	struct wms_error err = { 0 };
	struct result r = { 0 };

	if (scan_image_decoder_new(opt, &d, &err) < 0) {
		fprintf(stderr, "image_decode_bench: %s\n", err.msg);
		exit(1);
	}
	for (int round = 0; round < rounds; round++) {
		double t0 = now_s(), t;
		r.frames = r.symbols = r.missed = 0;
		for (int i = 0; i < n; i++) {
			struct scan_image img = { fr[i].px, fr[i].w, fr[i].h, fr[i].w };
			unsigned char *gray = NULL;
			int k = 0;
			if (!in_set(&fr[i], set))
				continue;
			r.frames++;
			if (from_file) {
				if (scan_image_load(fr[i].path, &gray, &img.width, &img.height, &err) < 0) {
					fprintf(stderr, "image_decode_bench: %s\n", err.msg);
					exit(1);
				}
				img.gray = gray;
				img.stride = img.width;
			}
			if (scan_image_decode(d, &img, syms, SCAN_IMAGE_MAX_SYMBOLS, &k, &err) < 0) {
				fprintf(stderr, "image_decode_bench: %s\n", err.msg);
				exit(1);
			}
			r.symbols += k;
			r.missed += k == 0 && fr[i].kind != SET_EMPTY;
			free(gray);
		}
		t = (now_s() - t0) / (r.frames ? r.frames : 1);
		if (round == 0 || t < r.s_per_frame)
			r.s_per_frame = t;
	}
	scan_image_decoder_free(d);
	return r;
}

/* Run tool over the files of one set; seconds per frame, lines of output in
 * *found; -1 if it could not run. */
static double tool(const char *cmd, const struct frame *fr, int n, enum set set, int *found)
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
		if (in_set(&fr[i], set)) {
			p += sprintf(p, " %s", fr[i].path);
			frames++;
		}
	sprintf(p, " 2>/dev/null");
	t0 = children_s();
	if ((out = popen(line, "r")) == NULL) {
		free(line);
		return -1;
	}
	while (fgets(buf, sizeof buf, out))
		(*found)++;
	pclose(out);
	t = children_s() - t0;
	free(line);
	return t / (frames ? frames : 1);
}

static int have(const char *prog)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

static void row(const char *what, const struct result *r, double tool_s)
{
	printf("  %-46s %9.2f %9.1f %8d %7d", what, r->s_per_frame * 1e3, 1 / r->s_per_frame,
	       r->symbols, r->missed);
	if (tool_s > 0)
		printf(" %7.2fx", tool_s / r->s_per_frame);
	printf("\n");
}

/* One set from PNG: station mode, its library alone with the defaults and
 * with the station's options, and the tool; the figure; label frames
 * missed by station mode or the tool. */
static int from_png(const struct frame *fr, int n, enum set set,
                    const struct scan_image_options *station, const char *prog, const char *cmd,
                    int expected, const char *figure, const char *baseline)
{
	struct scan_image_options alone = { .no_zbar = set == SET_DM, .no_dmtx = set != SET_DM };
	struct scan_image_options tuned = *station;
	struct result q, e;
	int found, missed;
	double z;

	tuned.no_zbar = alone.no_zbar;
	tuned.no_dmtx = alone.no_dmtx;
	printf("%s frames (%d), from PNG\n", set == SET_DM ? "DataMatrix" : "1D/QR", expected);
	q = ours(fr, n, set, station, true, 1);
	z = have(prog) ? tool(cmd, fr, n, set, &found) : -1;
	row("station (ZBar + libdmtx)", &q, z);
	e = ours(fr, n, set, &alone, true, 1);
	row(set == SET_DM ? "libdmtx only, library defaults" : "ZBar only, library defaults", &e, z);
	e = ours(fr, n, set, &tuned, true, 1);
	row(set == SET_DM ? "libdmtx only, station options" : "ZBar only, station options", &e, z);
	missed = q.missed;
	if (z > 0) {
		printf("  %-46s %9.2f %9.1f %8d %7s %8s\n", cmd, z * 1e3, 1 / z, found, "", "1.00x");
		missed += found < expected;
	} else
		printf("  %s not installed (Debian %s): no ratio\n", prog,
		       set == SET_DM ? "dmtx-utils" : "zbar-tools");
	bench_figure(figure, 1 / q.s_per_frame, z > 0 ? 1 / z : 0, "frames/s", baseline);
	return missed;
}

static long arg_long(const char *name, const char *v, long lo, long hi)
{
	char *end;
	long x = strtol(v, &end, 10);

	if (*v == '\0' || *end != '\0' || x < lo || x > hi) {
		fprintf(stderr, "image_decode_bench: %s %s: allowed %ld..%ld\n", name, v, lo, hi);
		exit(2);
	}
	return x;
}

int main(int argc, char **argv)
{
	int frames = 60, w = 1280, h = 720, rc = 1, n = 0, rounds = 3, found, missed = 0;
	long symbols = 1, density = 0, shrink = 0, budget = 0;
	bool keep = false, check = false, no_regions = false;
	char dir[] = "/tmp/image_decode_bench.XXXXXX";
	struct frame *fr = NULL;
	struct scan_image_options station, before = { .dmtx_timeout_ms = 100, .dmtx_max_symbols = 2 };

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--keep") || !strcmp(a, "--check") || !strcmp(a, "--no-regions")) {
			*(!strcmp(a, "--keep") ? &keep : !strcmp(a, "--check") ? &check : &no_regions) = true;
			continue;
		}
		if (v == NULL)
			goto usage;
		i++;
		if (!strcmp(a, "--frames"))
			frames = (int)arg_long(a, v, 6, 10000);
		else if (!strcmp(a, "--width"))
			w = (int)arg_long(a, v, 320, 4096);
		else if (!strcmp(a, "--height"))
			h = (int)arg_long(a, v, 240, 4096);
		else if (!strcmp(a, "--symbols"))
			symbols = arg_long(a, v, 0, SCAN_IMAGE_MAX_SYMBOLS);
		else if (!strcmp(a, "--density"))
			density = arg_long(a, v, 1, 8);
		else if (!strcmp(a, "--shrink"))
			shrink = arg_long(a, v, 1, 4);
		else if (!strcmp(a, "--budget"))
			budget = arg_long(a, v, 1, 10000);
		else if (!strcmp(a, "--rounds"))
			rounds = (int)arg_long(a, v, 1, 100);
		else
			goto usage;
	}
	scan_image_station_options(h, (int)symbols, &station);
	if (density)
		station.zbar_density = (int)density;
	if (shrink)
		station.dmtx_shrink = (int)shrink;
	if (budget)
		station.dmtx_timeout_ms = budget;      /* before keeps the camera's 100 ms */
	if (no_regions)
		station.regions = false;
	if (mkdtemp(dir) == NULL || (fr = calloc((size_t)frames, sizeof *fr)) == NULL) {
		perror("image_decode_bench");
		return 1;
	}
	srand(42);
	for (; n < frames; n++) {
		char data[160];
		int r;
		struct frame *f = &fr[n];
		snprintf(f->path, sizeof f->path, "%s/frame%04d.png", dir, n);
		f->kind = SET_1D;
		switch (n % 6) {
		case 0:
			snprintf(data, sizeof data, "[01]09506000134352[17]301231[10]10D9T[21]%08d", 10000000 + n);
			r = render(f, BARCODE_GS1_128, true, data, 1.5f, w, h);
			break;
		case 1:
			snprintf(data, sizeof data, "[01]09506000134352[17]301231[10]10D9T[21]%08d", 10000000 + n);
			r = render(f, BARCODE_DATAMATRIX, true, data, 4, w, h);
			f->kind = SET_DM;
			break;
		case 2:
			snprintf(data, sizeof data, "https://id.gs1.org/01/09506000134352/21/%08d", 10000000 + n);
			r = render(f, BARCODE_QRCODE, false, data, 3, w, h);
			break;
		case 3:
			r = render(f, BARCODE_EANX, false, "950600013435", 2, w, h);
			break;
		case 4:
			snprintf(data, sizeof data, "LOC:A-%02d-%02d", n % 40, n % 7);
			r = render(f, BARCODE_CODE128, false, data, 2, w, h);
			break;
		default:
			r = render(f, 0, false, NULL, 0, w, h);
			f->kind = SET_EMPTY;
			break;
		}
		if (r < 0 || write_png(f) < 0)
			goto out;
	}
	{
		int n1d = 0, ndm = 0, nempty = 0;
		struct result st, old, e, q;
		char name[96];
		double z;
		for (int i = 0; i < n; i++)
			fr[i].kind == SET_DM ? ndm++ : fr[i].kind == SET_1D ? n1d++ : nempty++;
		printf("image_decode_bench: %d frames %dx%d (%d 1D/QR, %d DataMatrix, %d empty), PNG in %s\n",
		       n, w, h, n1d, ndm, nempty, dir);
		printf("station options: symbols %d, %s, ZBar density %d, libdmtx shrink %d, budget %ld "
		       "ms; best of %d rounds\n", station.symbols,
		       station.regions ? "regions" : "whole frame", station.zbar_density,
		       station.dmtx_shrink, station.dmtx_timeout_ms, rounds);
		printf("  %-46s %9s %9s %8s %7s %8s\n", "", "ms/frame", "frames/s", "symbols", "missed",
		       "vs tool");

		printf("every frame, in memory\n");
		st = ours(fr, n, SET_ALL, &station, false, rounds);
		old = ours(fr, n, SET_ALL, &before, false, rounds);
		row("station (ZBar + libdmtx)", &st, 0);
		row("before: every symbol, density 1, no shrink", &old, 0);
		missed += st.missed;
		snprintf(name, sizeof name, "%dx%d frame decode in memory, station mode (ZBar + libdmtx)",
		         w, h);
		bench_figure(name, st.s_per_frame * 1e3, old.s_per_frame * 1e3, "ms/frame",
		             "the camera's options before (every symbol, density 1, no shrink)");
		for (enum set k = SET_EMPTY; k <= SET_DM; k++) {
			static const char *const set_name[] = { "", "empty", "1D/QR", "DataMatrix" };
			struct scan_image_options whole = station;
			struct result wr;
			char what[64];
			whole.regions = false;
			e = ours(fr, n, k, &station, false, rounds);
			wr = ours(fr, n, k, &whole, false, rounds);
			snprintf(what, sizeof what, "  %s frames", set_name[k]);
			row(what, &e, 0);
			snprintf(what, sizeof what, "  %s frames, whole frame (no regions)", set_name[k]);
			row(what, &wr, 0);
			snprintf(name, sizeof name, "%dx%d %s frame decode in memory, station mode", w, h,
			         set_name[k]);
			bench_figure(name, e.s_per_frame * 1e3, wr.s_per_frame * 1e3, "ms/frame",
			             "the station's options reading the whole frame (no regions)");
		}

		/* from PNG: like for like per set, then a station's whole job
		 * against both tools over every file */
		missed += from_png(fr, n, SET_1D, &station, "zbarimg", ZBARIMG, n1d,
		                   "1D/QR frame decode from PNG, station mode",
		                   "zbarimg on the same files");
		missed += from_png(fr, n, SET_DM, &station, "dmtxread", DMTXREAD, ndm,
		                   "DataMatrix frame decode from PNG, station mode",
		                   "dmtxread -N 1 on the same files");

		printf("every frame (%d), from PNG\n", n);
		q = ours(fr, n, SET_ALL, &station, true, 1);
		z = -1;
		if (have("zbarimg") && have("dmtxread")) {
			int f2;
			z = tool(ZBARIMG, fr, n, SET_ALL, &found) + tool(DMTXREAD, fr, n, SET_ALL, &f2);
			found += f2;
		}
		row("station (ZBar + libdmtx)", &q, z);
		if (z > 0)
			printf("  %-46s %9.2f %9.1f %8d %7s %8s\n", "zbarimg + dmtxread, each over all files",
			       z * 1e3, 1 / z, found, "", "1.00x");
		snprintf(name, sizeof name, "%dx%d frame decode from PNG, station mode", w, h);
		bench_figure(name, 1 / q.s_per_frame,
		             z > 0 ? 1 / z : 0, "frames/s", "zbarimg and dmtxread -N 1, each over the files");
	}
	/* a miss is possible when a budget runs out on a busy machine: a failure
	 * only when asked (--check, with --budget 10000 for a smoke test) */
	rc = 0;
	if (missed) {
		fprintf(stderr, "image_decode_bench: %d label frames gave no symbol in station mode (or "
		        "to a tool)\n", missed);
		rc = check ? 1 : 0;
	}
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
usage:
	fprintf(stderr, "usage: image_decode_bench [--frames N] [--width W] [--height H] "
	        "[--symbols N] [--density N] [--shrink N] [--budget MS] [--no-regions] [--rounds N] "
	        "[--check] [--keep]\n");
	return 2;
}
