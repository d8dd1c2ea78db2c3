/*
 * printq_render.c - one label's document for one printer (see printq_render.h).
 */
#include "printq_render.h"

#include "label_render.h"
#include "label_template.h"
#include "label_zpl.h"

#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void printq_template_name(const char *dir, enum label_kind kind, const char *media, char *name,
			  size_t size)
{
	char path[4200];
	glob_t g;

	if (media != NULL && media[0] != '\0') {
		snprintf(name, size, "%s-%s", label_kind_name(kind), media);
		snprintf(path, sizeof path, "%s/%s.label", dir, name);
		if (access(path, R_OK) == 0)
			return;
	}
	snprintf(name, size, "%s", label_kind_name(kind));
	snprintf(path, sizeof path, "%s/%s.label", dir, name);
	if (access(path, R_OK) == 0)
		return;
	/* No plain <kind>.label (shipping labels come in sizes): the first size. */
	snprintf(path, sizeof path, "%s/%s-*.label", dir, label_kind_name(kind));
	if (glob(path, 0, NULL, &g) == 0 && g.gl_pathc > 0) {
		const char *base = strrchr(g.gl_pathv[0], '/');

		base = base ? base + 1 : g.gl_pathv[0];
		snprintf(name, size, "%.*s", (int)(strlen(base) - strlen(".label")), base);
	}
	globfree(&g);
}

int printq_render(const char *template_dir, const struct label_fields *f, enum printq_lang lang,
		  int dpi, const char *media, unsigned char **doc, size_t *len,
		  enum printq_format *fmt, struct wms_error *err)
{
	struct label_template *t = NULL;
	char name[128];
	int rc, pages = 1;

	*doc = NULL;
	*len = 0;
	printq_template_name(template_dir, label_fields_kind(f), media, name, sizeof name);
	if ((rc = label_template_load(template_dir, name, &t, err)) < 0)
		goto out;
	if ((rc = label_fields_check(f, err)) < 0)
		goto out;
	/* A PNG holds one page: a label of several pages goes as one PDF. */
	if (lang == PRINTQ_LANG_PNG &&
	    ((rc = label_render_page_count(t, f, &pages, err)) < 0 || pages > 1))
		lang = PRINTQ_LANG_PDF;
	if (rc < 0)
		goto out;
	switch (lang) {
	case PRINTQ_LANG_ZPL:
		*fmt = PRINTQ_RAW;
		rc = label_zpl_render(t, f, dpi, (char **)doc, len, err);
		break;
	case PRINTQ_LANG_PNG:
		*fmt = PRINTQ_PNG;
		rc = label_render_png_buffer(t, f, dpi, 0, doc, len, err);
		break;
	case PRINTQ_LANG_PDF:
		*fmt = PRINTQ_PDF;
		rc = label_render_pdf_buffer(t, f, dpi, doc, len, err);
		break;
	default:
		rc = wms_error_set(err, WMS_EINVAL, "unknown printer language %d", (int)lang);
		break;
	}
out:
	label_template_free(t);
	return rc;
}
