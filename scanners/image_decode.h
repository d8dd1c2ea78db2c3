/*
 * image_decode.h - every barcode in an 8-bit gray image, as a hardware
 * scanner would have sent it.
 *
 * ZBar reads the 1D codes (Code 128 / GS1-128, EAN/UPC, Code 39/93, ITF,
 * DataBar) and QR; libdmtx reads DataMatrix, the symbol of medical-device
 * UDI labels.  Neither sends an AIM symbology identifier, so one is derived
 * from the symbol type and its GS1 flag (aim_from_zbar_name(): "]C1" GS1-128,
 * "]Q3" GS1 QR, "]d2" GS1 DataMatrix ...), and FNC1 separators are GS (0x1D)
 * with the leading FNC1 dropped: scan_interpret() on scan_image_symbol.bytes
 * gives what it gives for a handheld scanner reading the same label.
 *
 * The work per image is bounded: libdmtx's region search and decoding stop
 * after dmtx_timeout_ms of the thread's CPU time (dmtxDecodeMatrixRegion
 * can take seconds on a noisy frame), at most SCAN_IMAGE_MAX_SYMBOLS symbols are kept, and images larger
 * than SCAN_IMAGE_MAX_PIXELS are refused.
 *
 * A decoder holds ZBar's scanner and a buffer for the image's packed
 * copies between images (a camera reuses one); it is not thread-safe, one
 * per thread.
 */
#ifndef WMS_SCANNERS_IMAGE_DECODE_H
#define WMS_SCANNERS_IMAGE_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "aim.h"
#include "barcode.h"
#include "wms_error.h"

#define SCAN_IMAGE_MAX_SYMBOLS 16
#define SCAN_IMAGE_MAX_SIDE    16384
#define SCAN_IMAGE_MAX_PIXELS  (64L * 1024 * 1024)

/* An 8-bit gray image (0 black .. 255 white), borrowed: the caller owns it. */
struct scan_image {
	const unsigned char *gray;   /* height rows of stride bytes */
	int width, height;           /* 1 .. SCAN_IMAGE_MAX_SIDE */
	int stride;                  /* bytes per row, >= width */
};

/* One barcode found.  A plain value (no pointers). */
struct scan_image_symbol {
	char symbology[16];          /* ZBar's name ("CODE-128", "QR-Code", "EAN-13") or "DataMatrix" */
	bool gs1;                    /* FNC1 in first position: GS1 data */
	struct aim_id aim;           /* derived identifier ("]C1") */
	unsigned char bytes[SCAN_INPUT_MAX]; /* AIM identifier + data, as a scanner sends them */
	size_t len;                  /* bytes used (data longer than SCAN_INPUT_MAX is cut: truncated) */
	bool truncated;
	int x, y;                    /* centre of the symbol in the image, pixels */
};

struct scan_image_options {
	bool no_zbar;                /* skip ZBar (1D, QR) */
	bool no_dmtx;                /* skip libdmtx (DataMatrix) */
	int symbols;                 /* stop once this many symbols are found: libdmtx
	                              * does not run when ZBar found them, and looks for
	                              * the rest only; 0 = all (every symbol within the
	                              * budgets, `wms scan-image`); a camera station's
	                              * `symbols` key (default 1) */
	int zbar_density;            /* ZBar scans every Nth row and column (1..8);
	                              * 0 = 1.  3 reads a 1280x720 frame's labels in a
	                              * third of the time */
	int dmtx_shrink;             /* libdmtx searches the image shrunk by N (1..4);
	                              * 0 = 1.  2 quarters an empty frame's search, and
	                              * reads modules of 4 pixels and more */
	long dmtx_timeout_ms;        /* libdmtx budget per image, CPU time of the
	                              * calling thread; 0 = 300 ms */
	int dmtx_scan_gap;           /* libdmtx scan grid gap in pixels; 0 = 2 */
	int dmtx_max_symbols;        /* DataMatrix symbols looked for per image; 0 = 4 */
	bool regions;                /* read only the regions of the image that hold
	                              * clusters of strong edges (image_regions.c),
	                              * where a symbol can be, the whole image when
	                              * they are most of it; a camera frame is mostly
	                              * empty, and an empty one then costs next to
	                              * nothing */
	bool quiet_zone_hint;        /* when nothing is found, look once more for a
	                              * DataMatrix with a white margin added and say
	                              * so (scan_image_decode_hint()); off for cameras:
	                              * it doubles the work of an empty frame */
};

/* A camera station's options for frames height pixels high, expecting
 * symbols (0 = all): regions, ZBar density height / 240 (3 at 720, 1..8),
 * libdmtx shrink 2 and SCAN_IMAGE_STATION_BUDGET_MS.  The camera's spec can
 * override density, shrink and budget (source_camera.c). */
#define SCAN_IMAGE_STATION_BUDGET_MS 30
void scan_image_station_options(int height, int symbols, struct scan_image_options *out);

struct scan_image_decoder;

/* OUT *out (NULL on failure), freed with scan_image_decoder_free().  opt may
 * be NULL (the defaults).  WMS_ENOMEM, WMS_EINVAL (an option out of range). */
int  scan_image_decoder_new(const struct scan_image_options *opt, struct scan_image_decoder **out,
                            struct wms_error *err);
void scan_image_decoder_free(struct scan_image_decoder *d);   /* NULL-safe */

/*
 * Decode img.  OUT syms[0..*n) (max entries), sorted top to bottom, then
 * left to right; *n = 0 is not an error ("no barcode" is the caller's to
 * say).  Returns 0, WMS_EINVAL (bad geometry), WMS_ENOMEM.
 */
int  scan_image_decode(struct scan_image_decoder *d, const struct scan_image *img,
                       struct scan_image_symbol *syms, int max, int *n, struct wms_error *err);

/*
 * After a decode that found nothing: why, if we can tell ("" otherwise).
 * With quiet_zone_hint, a DataMatrix that libdmtx reads only once a white
 * margin is added gives "no quiet zone around the symbol? ...".  Owned by
 * d, valid until its next decode.
 */
const char *scan_image_decode_hint(const struct scan_image_decoder *d);

/* Change the decoder's symbols option (see above) between decodes: a
 * station's key reaches its camera after the decoder exists.  0, or
 * WMS_EINVAL (n outside 0..SCAN_IMAGE_MAX_SYMBOLS). */
int  scan_image_decoder_set_symbols(struct scan_image_decoder *d, int n, struct wms_error *err);

/* image_file.c: an image file as 8-bit gray. */

/*
 * Load path: PNG (any colour type and depth, read by libpng straight into
 * 8-bit gray; colour weighted 299/587/114, alpha composed on white)
 * or binary PGM (P5, maxval <= 255).  OUT *gray (malloc'd, the caller
 * frees it), *width, *height (stride = width); NULL/0 on failure.
 * WMS_ENOTFOUND (no such file), WMS_EIO (unreadable), WMS_EINVAL (not a
 * PNG or PGM, corrupt, or larger than the limits above).
 */
int  scan_image_load(const char *path, unsigned char **gray, int *width, int *height,
                     struct wms_error *err);

#endif
