/*
 * label_internal.h - definitions shared inside printing/ (not installed, not
 * for other rooms): the kind table, the template's parsed form, the layout
 * that both renderers draw from, and GS1 element strings.
 *
 * The flow is: template (parsed once) + field set -> layout (pages of
 * resolved, positioned items in mm) -> ZPL or cairo.  Pagination, field
 * substitution and barcode data validation live in the layout, so the two
 * renderers cannot disagree about what a label says.
 */
#ifndef LABEL_INTERNAL_H
#define LABEL_INTERNAL_H

#include <stddef.h>

#include "label.h"
#include "label_template.h"

#define LABEL_VALUE_MAX 512

/* ---- kinds (label_kind.c) ---- */

struct label_field_def {
	const char *name;
	int required;
	const char *def;       /* default value or NULL */
};

struct label_kind_def {
	const char *name;
	const struct label_field_def *fields;
	size_t nfields;
	const struct label_field_def *rows;
	size_t nrows;
	const char *field_list;
};

const struct label_kind_def *label_kind_def(enum label_kind kind);
/* row = 0: label fields, row = 1: row fields.  NULL if unknown. */
const struct label_field_def *label_kind_find_field(enum label_kind kind, const char *name,
						     int row);

/* ---- templates (template_parse.c) ---- */

enum tpl_type {
	TPL_TEXT,
	TPL_CODE128,
	TPL_GS1_128,
	TPL_DM_GS1,
	TPL_LINE,
	TPL_BOX,
};

struct tpl_elem {
	enum tpl_type type;
	int line;              /* line number in the template file */
	char *cond;            /* "if FIELD": drawn only when FIELD is non-empty */
	double x, y, w, h;     /* mm; a line is x,y,w,h of its filled rectangle;
				  for text, w > 0 is the width it is condensed to fit */
	double t;              /* line/box thickness mm */
	double module;         /* barcode module (X dimension) mm */
	int bold;
	char *str;             /* text or barcode data with {field} placeholders */
};

struct tpl_column {
	int line;
	double x;
	char *header;          /* may hold {field} placeholders of the label */
	char *str;             /* row text with {rowfield} placeholders */
	double module;         /* > 0: a Code 128 of str, this module in mm (column-code128) */
};

struct label_template {
	char *name;            /* file name for messages ("device.label") */
	enum label_kind kind;
	double w_mm, h_mm;
	struct tpl_elem *elems;
	size_t nelems;
	int has_table;
	double tbl_x, tbl_y, tbl_rowh, tbl_texth, tbl_bottom;
	struct tpl_column *cols;
	size_t ncols;
};

/*
 * Expand {field} placeholders of s from the label fields f (and row, when
 * non-NULL, for row fields).  {page}/{pages} come from page/pages.  Unset
 * optional fields expand to "".  *out is malloc'd, caller frees.
 */
int label_tpl_expand(const char *s, const struct label_fields *f, const struct label_fields *row,
		     int page, int pages, char **out, struct wms_error *err);

/* ---- GS1 element strings (label_gs1.c) ---- */

#define LABEL_GS1_MAX_EL 8

struct label_gs1_el {
	char ai[5];
	char value[91];
	int variable;          /* needs an FNC1 after it unless last */
};

struct label_gs1 {
	size_t n;
	struct label_gs1_el el[LABEL_GS1_MAX_EL];
};

/* Parse "(01)09506000134352(21)ABC" and check AIs, lengths, charset, check digits. */
int label_gs1_parse(const char *s, struct label_gs1 *out, struct wms_error *err);

/* ---- layout (layout.c) ---- */

enum lo_type {
	LO_TEXT,
	LO_CODE128,
	LO_GS1_128,
	LO_DM_GS1,
	LO_FILL,               /* filled rectangle (lines) */
	LO_BOX,                /* rectangle outline of thickness t, drawn inward */
};

struct lo_item {
	enum lo_type type;
	double x, y, w, h, t, module;   /* mm */
	int bold;
	char *data;            /* text (UTF-8) or Code 128 data (ASCII) */
	struct label_gs1 gs1;  /* LO_GS1_128, LO_DM_GS1 */
};

struct lo_page {
	struct lo_item *items;
	size_t n, cap;
};

struct lo_doc {
	double w_mm, h_mm;
	struct lo_page *pages;
	size_t npages;
};

/* Lay out a label; *out is NULL on failure, else free with label_layout_free(). */
int label_layout(const struct label_template *t, const struct label_fields *f,
		 struct lo_doc **out, struct wms_error *err);
void label_layout_free(struct lo_doc *doc);

/* mm to printer dots at dpi, rounded. */
long label_dots(double mm, int dpi);
/* Barcode module in whole dots (at least 1). */
long label_module_dots(double mm, int dpi);
/* 203 or 300 (also 600); WMS_EINVAL otherwise. */
int label_check_dpi(int dpi, struct wms_error *err);

#endif
