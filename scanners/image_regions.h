/*
 * image_regions.h - where in a camera frame a barcode can be, found
 * cheaply before ZBar and libdmtx run (image_decode.c), so that they read
 * the few places that hold strong edges instead of the whole frame.
 * Internal to scanners/.
 */
#ifndef WMS_SCANNERS_IMAGE_REGIONS_H
#define WMS_SCANNERS_IMAGE_REGIONS_H

#define IMAGE_REGIONS_MAX 8

/* A rectangle of the image, in pixels, with the quiet zone around it. */
struct image_region {
	int x, y, w, h;
	long edges;          /* strong edges found in it, both directions */
	long edges_2d;       /* the fewer of its horizontal and vertical edges:
	                      * high for a DataMatrix or a QR, low for a 1D code
	                      * printed straight */
};

/*
 * The regions of gray (w x h, rows of stride bytes) that hold clusters of
 * strong edges, each grown by a margin for the symbol's quiet zone and
 * merged with those it overlaps, most edges first.  OUT out[0..n), n >= 0
 * (0: nothing that can be a symbol).  Returns -1 when the regions are not
 * worth it and the whole image is to be read: an image too small to
 * bother, more than max regions, regions covering 3/4 of it, or no
 * memory for the block grid.
 */
int image_regions_find(const unsigned char *gray, int w, int h, int stride,
                       struct image_region *out, int max);

#endif
