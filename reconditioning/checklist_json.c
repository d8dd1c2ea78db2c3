/*
 * checklist_json.c - checklists as the CLI and the API show them (see
 * recon.h): one product type's steps with the barcodes a technician scans
 * (`wms recon checklist`, GET /api/v1/checklists/{product}) and every
 * product type of the catalogue against its checklist (`wms recon
 * checklists`, GET /api/v1/checklists).
 */
#include "recon.h"

#include "wms_catalog.h"

#include <stdio.h>
#include <stdlib.h>

json_t *recon_checklist_steps_json(const struct recon_checklist *cl)
{
	static const char *const kinds[] = { "check", "value", "version" };
	json_t *steps = json_array();
	char lim[64], code[64];

	for (int i = 0; steps && i < cl->n_steps; i++) {
		const struct recon_step *s = &cl->steps[i];
		snprintf(code, sizeof code, "RCN:%s:%s", s->code, s->kind == RECON_STEP_CHECK ? "PASS"
		         : s->kind == RECON_STEP_VALUE ? s->unit : "VERSION");
		json_array_append_new(steps, json_pack("{s:s, s:s, s:s, s:s, s:s}", "step", s->code,
		                                       "kind", kinds[s->kind],
		                                       "limits", recon_step_limits(s, lim, sizeof lim),
		                                       "barcode", code, "text", s->text));
	}
	return steps;
}

int recon_checklists_check(struct wms_store *s, const char *dir, json_t **rows, struct wms_error *err)
{
	struct recon_checklist *cl = NULL;
	json_t *products, *p;
	char bad[WMS_ERROR_MSG_MAX] = "";
	size_t i, used = 0;
	int rc = 0;

	*rows = NULL;
	if ((products = wms_product_list(s, err)) == NULL)
		return err->code ? err->code : WMS_EDB;
	*rows = json_array();
	if ((cl = malloc(sizeof *cl)) == NULL || *rows == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
		json_decref(*rows);
		*rows = NULL;
		goto out;
	}
	json_array_foreach(products, i, p) {
		const char *code = json_string_value(json_object_get(p, "code"));
		struct wms_error e = { 0 };
		int r = recon_checklist_load(dir, code, cl, NULL, &e);
		json_array_append_new(*rows, json_pack("{s:s, s:s, s:o, s:o, s:s}", "product", code,
		                      "status", r == 0 ? "ok" : r == WMS_ENOTFOUND ? "missing" : "invalid",
		                      "version", r == 0 ? json_integer(cl->version) : json_null(),
		                      "steps", r == 0 ? json_integer(cl->n_steps) : json_null(),
		                      "problem", r == 0 ? "" : e.msg));
		if (r < 0) {
			rc = rc ? rc : r;
			if (used < sizeof bad)
				used += (size_t)snprintf(bad + used, sizeof bad - used, "%s%s", used ? ", " : "", code);
		}
	}
	if (rc < 0)
		wms_error_set(err, rc, "no valid checklist for product type(s) %s in %s", bad, dir);
out:
	free(cl);
	json_decref(products);
	return rc;
}

/* One row of a command sheet. */
static int sheet_row(json_t *rows, const char *code, const char *text, const char *group)
{
	return json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "code", code, "text", text,
	                                             "group", group));
}

json_t *recon_sheet_rows(const struct recon_checklist *cl)
{
	json_t *rows = json_array();
	const struct recon_reason *r;
	char code[64], text[RECON_TEXT_MAX + 80], lim[64];
	int bad = rows == NULL;

	for (int i = 0; !bad && cl && i < cl->n_steps; i++) {
		const struct recon_step *s = &cl->steps[i];
		if (s->kind == RECON_STEP_CHECK) {
			snprintf(code, sizeof code, "RCN:%s:PASS", s->code);
			snprintf(text, sizeof text, wms_tr("%s: passed"), s->text);
			bad |= sheet_row(rows, code, text, cl->product);
			snprintf(code, sizeof code, "RCN:%s:FAIL", s->code);
			snprintf(text, sizeof text, wms_tr("%s: failed"), s->text);
			bad |= sheet_row(rows, code, text, cl->product);
		} else {
			/* the value follows as a numeric scan or on the keypad */
			snprintf(code, sizeof code, "RCN:%s:", s->code);
			snprintf(text, sizeof text, wms_tr("%s (%s): then scan or type the value"), s->text,
			         recon_step_limits(s, lim, sizeof lim));
			bad |= sheet_row(rows, code, text, cl->product);
		}
	}
	for (int i = 0; !bad && (r = recon_reason_at(i)) != NULL; i++) {
		snprintf(code, sizeof code, "RCN:%s:%s", r->outcome == RECON_REPAIR ? "REPAIR" : "SCRAP",
		         r->code);
		snprintf(text, sizeof text, "%s: %s", r->code, wms_tr(r->text));
		bad |= sheet_row(rows, code, text, r->outcome == RECON_REPAIR ? wms_tr("repair")
		                                                               : wms_tr("scrap"));
	}
	if (bad) {
		json_decref(rows);
		return NULL;
	}
	return rows;
}
