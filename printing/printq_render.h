/*
 * printq_render.h - the document a printer gets for one label: the template
 * chosen by kind and media, rendered in the printer's language (ZPL sent raw,
 * PDF or PNG through the queue's driver).  Shared by the print worker and
 * `wms label preview`.
 *
 * Template choice: <dir>/<kind>-<media>.label when media is set and that
 * file exists, else <dir>/<kind>.label, else the first <dir>/<kind>-*.label
 * in name order (shipping labels come only in sizes).  A PNG holds one page, so a label of
 * several pages (long pick lists) is sent as PDF instead.
 *
 * Ownership: *doc (OUT) is malloc'd, freed by the caller with free(); NULL
 * on failure.  Reentrant.
 */
#ifndef PRINTQ_RENDER_H
#define PRINTQ_RENDER_H

#include <stddef.h>

#include "cups_submit.h"
#include "label.h"
#include "printq_conf.h"
#include "wms_error.h"

/* The template name for kind and media (may be NULL or "") in dir, into name (size bytes). */
void printq_template_name(const char *dir, enum label_kind kind, const char *media, char *name,
			  size_t size);

/*
 * Render f for a printer speaking lang at dpi with media.  *doc, *len and
 * *fmt (OUT): the document and the format to submit it in.  Errors from the
 * template (WMS_ECONFIG "file:line: ...", WMS_EIO) or the label (WMS_EINVAL
 * naming a missing field).
 */
int printq_render(const char *template_dir, const struct label_fields *f, enum printq_lang lang,
		  int dpi, const char *media, unsigned char **doc, size_t *len,
		  enum printq_format *fmt, struct wms_error *err);

#endif
