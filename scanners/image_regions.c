/*
 * image_regions.c - where in a camera frame a barcode can be.
 *
 * Every barcode is a cluster of strong edges: bars and spaces, modules of
 * a DataMatrix or a QR, printed dark on light.  Most of a frame a station's
 * camera sees is not (an empty table, a hand, the side of a box), and ZBar
 * and libdmtx cost the same per pixel wherever they look: libdmtx spends
 * its whole budget searching an empty frame.  So the frame is cut into
 * blocks of BLOCK x BLOCK pixels and each block counts its strong edges,
 * sampled every second row and column in both directions (a fifth of the
 * cost of one ZBar pass); blocks with a few of them, in clusters, become
 * regions, grown by a margin for the quiet zone a decoder needs (ZBar
 * wants about eight modules of it) and merged where they overlap.
 *
 * "Strong" is relative to the frame's own noise: the threshold is six
 * times the median difference of neighbouring samples (the paper, mostly),
 * within MIN_THRESH..MAX_THRESH, so that a sharp, quiet camera finds a
 * faint label and a noisy one does not see labels in its noise.  A faint
 * symbol with wide modules on a noisy sensor drowns at that scale, so the
 * means of CELL x CELL pixels (a quarter of the noise) are compared too,
 * neighbour with neighbour, against a threshold found the same way.  When the
 * regions would not save anything (a frame full of texture) the caller
 * reads the whole frame, as it did before.
 */
#include "image_regions.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK       16      /* pixels a side */
#define MIN_HITS    8       /* strong edges (of 128 samples) that mark a block */
#define MIN_BLOCKS  2       /* marked blocks that make a cluster */
#define REACH       2       /* blocks a cluster bridges (a wide bar, a gap) */
#define MIN_THRESH  10
#define MAX_THRESH  24
#define MIN_PIXELS  200000L /* smaller images: read them whole */
#define CELL        4       /* pixels a side of a cell (BLOCK / CELL per block) */
#define MIN_COARSE  4       /* cell edges (of 32 comparisons) that mark a block */
#define MIN_CELL_THRESH 6   /* levels */

/* The edge threshold: six times the median of |p[x+2] - p[x]| on every
 * eighth row, clamped. */
static int threshold(const unsigned char *gray, int w, int h, int stride)
{
	long hist[256] = { 0 }, total = 0, seen = 0;
	int t = 0;

	for (int y = 4; y < h; y += 8) {
		const unsigned char *r = gray + (size_t)y * (size_t)stride;
		for (int x = 0; x + 2 < w; x += 4) {
			hist[abs(r[x + 2] - r[x])]++;
			total++;
		}
	}
	while (t < 255 && (seen += hist[t]) * 2 < total)
		t++;
	t *= 6;
	return t < MIN_THRESH ? MIN_THRESH : t > MAX_THRESH ? MAX_THRESH : t;
}

/* Sums of each CELL x CELL cell's pixels (cw x ch cells). */
static void cell_sums(const unsigned char *gray, int stride, int cw, int ch, uint16_t *cells)
{
	for (int cy = 0; cy < ch; cy++) {
		uint16_t *row = cells + (size_t)cy * (size_t)cw;
		for (int k = 0; k < CELL; k++) {
			const unsigned char *r = gray + (size_t)(cy * CELL + k) * (size_t)stride;
			for (int cx = 0; cx < cw; cx++, r += CELL)
				row[cx] = (uint16_t)(row[cx] + r[0] + r[1] + r[2] + r[3]);
		}
	}
}

/* Count each block's cell edges into cs: neighbouring cells whose means
 * differ by six times the median difference (at least MIN_CELL_THRESH
 * levels, at most MAX_THRESH), both ways. */
static void count_cell_edges(const uint16_t *cells, int cw, int ch, int bw, uint16_t *cs)
{
	long hist[256] = { 0 }, total = 0, seen = 0;
	int t = 0;

	for (int i = 0; i + 1 < cw * ch; i += 3) {
		hist[abs(cells[i + 1] - cells[i]) / (CELL * CELL)]++;
		total++;
	}
	while (t < 255 && (seen += hist[t]) * 2 < total)
		t++;
	t *= 6;
	t = (t < MIN_CELL_THRESH ? MIN_CELL_THRESH : t > MAX_THRESH ? MAX_THRESH : t) * CELL * CELL;
	for (int cy = 0; cy + 1 < ch; cy++) {
		const uint16_t *r = cells + (size_t)cy * (size_t)cw, *n = r + cw;
		uint16_t *brow = cs + (size_t)(cy * CELL / BLOCK) * (size_t)bw;
		for (int cx = 0; cx + 1 < cw; cx++)
			brow[cx * CELL / BLOCK] = (uint16_t)(brow[cx * CELL / BLOCK] +
			                                     (abs(r[cx + 1] - r[cx]) >= t) +
			                                     (abs(n[cx] - r[cx]) >= t));
	}
}

/* Count each block's strong edges: hs horizontal (across vertical bars),
 * vs vertical, on every second row and column. */
static void count_edges(const unsigned char *gray, int w, int h, int stride, int t, int bw,
                        uint16_t *hs, uint16_t *vs)
{
	for (int y = 0; y + 2 < h; y += 2) {
		const unsigned char *r = gray + (size_t)y * (size_t)stride, *n = r + 2 * (size_t)stride;
		uint16_t *hrow = hs + (size_t)(y / BLOCK) * (size_t)bw, *vrow = vs + (size_t)(y / BLOCK) * (size_t)bw;
		for (int bx = 0; bx < bw; bx++) {
			int x1 = bx * BLOCK + BLOCK < w - 2 ? bx * BLOCK + BLOCK : w - 2, ch = 0, cv = 0;
			for (int x = bx * BLOCK; x < x1; x += 2) {
				ch += abs(r[x + 2] - r[x]) >= t;
				cv += abs(n[x] - r[x]) >= t;
			}
			hrow[bx] = (uint16_t)(hrow[bx] + ch);
			vrow[bx] = (uint16_t)(vrow[bx] + cv);
		}
	}
}

static int by_edges(const void *a, const void *b)
{
	const struct image_region *x = a, *y = b;

	return (y->edges > x->edges) - (y->edges < x->edges);
}

static int overlap(const struct image_region *a, const struct image_region *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* a grows to hold b too */
static void merge(struct image_region *a, const struct image_region *b)
{
	int x1 = a->x + a->w > b->x + b->w ? a->x + a->w : b->x + b->w;
	int y1 = a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h;

	a->x = a->x < b->x ? a->x : b->x;
	a->y = a->y < b->y ? a->y : b->y;
	a->w = x1 - a->x;
	a->h = y1 - a->y;
	a->edges += b->edges;
	a->edges_2d += b->edges_2d;
}

/* block b holds strong edges, or edges between its cells */
#define MARKED(b) (hs[b] + vs[b] >= MIN_HITS || cs[b] >= MIN_COARSE)

int image_regions_find(const unsigned char *gray, int w, int h, int stride,
                       struct image_region *out, int max)
{
	int bw = (w + BLOCK - 1) / BLOCK, bh = (h + BLOCK - 1) / BLOCK, nb = bw * bh, n = 0, rc = -1;
	int cw = w / CELL, ch = h / CELL;
	uint16_t *hs, *vs, *cs, *cells;
	int *label, *stack;
	long area = 0;

	if ((long)w * h < MIN_PIXELS || w < 4 * BLOCK || h < 4 * BLOCK)
		return -1;
	hs = calloc((size_t)nb, sizeof *hs);
	vs = calloc((size_t)nb, sizeof *vs);
	cs = calloc((size_t)nb, sizeof *cs);
	cells = calloc((size_t)cw * (size_t)ch, sizeof *cells);
	label = calloc((size_t)nb, sizeof *label);
	stack = malloc((size_t)nb * sizeof *stack);
	if (hs == NULL || vs == NULL || cs == NULL || cells == NULL || label == NULL || stack == NULL)
		goto out;
	count_edges(gray, w, h, stride, threshold(gray, w, h, stride), bw, hs, vs);
	cell_sums(gray, stride, cw, ch, cells);
	count_cell_edges(cells, cw, ch, bw, cs);

	/* clusters of marked blocks: each one reaches the marked blocks within
	 * REACH blocks of it */
	for (int start = 0; start < nb; start++) {
		struct image_region r;
		int top = 0, blocks = 0, bx0 = bw, by0 = bh, bx1 = -1, by1 = -1, m;
		long eh = 0, ev = 0;

		if (label[start] || !MARKED(start))
			continue;
		label[start] = 1;
		stack[top++] = start;
		while (top > 0) {
			int b = stack[--top], bx = b % bw, by = b / bw;
			blocks++;
			eh += hs[b];
			ev += vs[b];
			bx0 = bx < bx0 ? bx : bx0;
			bx1 = bx > bx1 ? bx : bx1;
			by0 = by < by0 ? by : by0;
			by1 = by > by1 ? by : by1;
			for (int y = by - REACH; y <= by + REACH; y++)
				for (int x = bx - REACH; x <= bx + REACH; x++) {
					int c = y * bw + x;
					if (y < 0 || y >= bh || x < 0 || x >= bw || label[c] || !MARKED(c))
						continue;
					label[c] = 1;
					stack[top++] = c;
				}
		}
		if (blocks < MIN_BLOCKS)
			continue;         /* a speck */
		r.x = bx0 * BLOCK;
		r.y = by0 * BLOCK;
		r.w = (bx1 + 1) * BLOCK - r.x;
		r.h = (by1 + 1) * BLOCK - r.y;
		/* the quiet zone: ZBar wants about eight modules of it, a QR
		 * four.  Bars are some 50 modules high (at least a tenth of the
		 * code's length), a 1D code at most about 130 modules long, a
		 * 2D symbol at least 10 modules a side: a quarter of the short
		 * side, or a 16th of the long one, and 16 pixels more */
		m = r.w < r.h ? r.w : r.h;
		m = m / 4 > (r.w + r.h - m) / 16 ? m / 4 : (r.w + r.h - m) / 16;
		m += 16;
		r.x = r.x - m < 0 ? 0 : r.x - m;
		r.y = r.y - m < 0 ? 0 : r.y - m;
		r.w = r.x + r.w + 2 * m > w ? w - r.x : r.w + 2 * m;
		r.h = r.y + r.h + 2 * m > h ? h - r.y : r.h + 2 * m;
		r.edges = eh + ev;
		r.edges_2d = eh < ev ? eh : ev;
		/* merge with every region it overlaps, then again with those the
		 * merged one now reaches */
		for (int i = 0; i < n; i++)
			if (overlap(&out[i], &r)) {
				merge(&r, &out[i]);
				out[i] = out[--n];
				i = -1;
			}
		if (n == max)
			goto out;         /* too many: read the whole frame */
		out[n++] = r;
	}
	for (int i = 0; i < n; i++)
		area += (long)out[i].w * out[i].h;
	if (area * 4 > (long)w * h * 3)
		goto out;         /* most of it: little to save */
	qsort(out, (size_t)n, sizeof *out, by_edges);
	rc = n;
out:
	free(hs);
	free(vs);
	free(cs);
	free(cells);
	free(label);
	free(stack);
	return rc;
}
