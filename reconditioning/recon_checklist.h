/*
 * recon_checklist.h - the reconditioning checklist of one product type.
 *
 * A checklist is an editable text file, one per product type, named
 * <PRODUCT>.checklist in the checklist directory ([reconditioning]
 * checklists = DIR).  Lines:
 *
 *   # comment
 *   product BPM                      the product type code (must match the file name)
 *   version 3                        a whole number, raised on every edit
 *   step CODE check "text"           pass or fail
 *   step CODE value UNIT ref=R tol=T "text"      |measured - R| <= T
 *   step CODE value UNIT min=A [max=B] "text"    A <= measured <= B (either bound)
 *   step CODE version min=1.4.2 "text"           dotted version >= the minimum
 *
 * CODE is 1-16 characters A-Z 0-9 _ - (it is what a step barcode
 * RCN:<CODE>:<RESULT> carries, so it never holds ':').  Errors name
 * "file:line: what was wrong; what is allowed".  A missing file is an
 * error, never an empty (silently passing) checklist.
 *
 * Everything here is plain data in caller-provided structs: nothing to free.
 */
#ifndef RECON_CHECKLIST_H
#define RECON_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "wms_error.h"

#define RECON_MAX_STEPS     40
#define RECON_CODE_MAX      16
#define RECON_TEXT_MAX      160
#define RECON_UNIT_MAX      12
#define RECON_VERSION_MAX   24
#define RECON_FILE_MAX      (64 * 1024)

enum recon_step_kind { RECON_STEP_CHECK, RECON_STEP_VALUE, RECON_STEP_VERSION };

struct recon_step {
	char code[RECON_CODE_MAX + 1];
	enum recon_step_kind kind;
	char unit[RECON_UNIT_MAX + 1];         /* value steps */
	bool has_ref, has_min, has_max;        /* value steps: ref+tol, or min and/or max */
	double ref, tol, min, max;
	char min_version[RECON_VERSION_MAX + 1];  /* version steps */
	char text[RECON_TEXT_MAX + 1];         /* what the technician does, shown on screen */
};

struct recon_checklist {
	char product[33];
	int version;
	char hash[17];                         /* FNV-1a 64 of the file bytes, 16 hex digits */
	int n_steps;
	struct recon_step steps[RECON_MAX_STEPS];
};

/*
 * Parse text (len bytes, need not be NUL-terminated) read from `name` (used
 * in messages) into *out.  want_product, when not NULL, must equal the
 * file's `product` line.  0, or WMS_EINVAL with "name:line: ..." in err.
 */
int recon_checklist_parse(const char *name, const char *text, size_t len, const char *want_product,
                          struct recon_checklist *out, struct wms_error *err);

/*
 * Read and parse DIR/<product>.checklist.  WMS_ENOTFOUND when the file does
 * not exist, WMS_EIO when it cannot be read, WMS_EINVAL for a bad file.
 * When body is not NULL, *body receives a malloc'd NUL-terminated copy of
 * the file (the caller frees it) so that it can be stored with a run.
 */
int recon_checklist_load(const char *dir, const char *product, struct recon_checklist *out,
                         char **body, struct wms_error *err);

/* The limits of a step in one line ("100 +-3 mmHg", ">= 4.6 V", ">= 1.4.0", "pass"); returns buf. */
const char *recon_step_limits(const struct recon_step *st, char *buf, size_t len);

/* The step with this code, or NULL. */
const struct recon_step *recon_checklist_find(const struct recon_checklist *cl, const char *code);

/*
 * Judge a technician's result for step st: "pass"/"fail" (any case) for a
 * check step; a number (decimal point or comma) for a value step; a dotted
 * version for a version step; "fail" is accepted for every step.  On success
 * *passed is set and `why` (why_len bytes) says in one line what was judged,
 * with the numbers ("P100: 104 mmHg is outside 100 +-3 mmHg").  WMS_EINVAL
 * when the result has the wrong form for the step.
 */
int recon_step_judge(const struct recon_step *st, const char *result, bool *passed, char *why,
                     size_t why_len, struct wms_error *err);

/* Compare dotted versions of 1-4 numeric parts ("2.10.1"); *cmp gets <0, 0 or >0.
 * 0, or WMS_EINVAL when either is malformed. */
int recon_version_cmp(const char *a, const char *b, int *cmp, struct wms_error *err);

#endif
