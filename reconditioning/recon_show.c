/*
 * recon_show.c - the read model of one device's reconditioning (see
 * recon.h): the latest run step by step against its stored checklist,
 * earlier runs, and whether scrapping is proposed.
 */
#include "recon.h"

#include "recon_internal.h"

#include "store_sql.h"
#include "wms_ids.h"
#include "wms_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_name(enum recon_step_kind k)
{
	return k == RECON_STEP_CHECK ? "check" : k == RECON_STEP_VALUE ? "value" : "version";
}

/* Every step of the run's checklist with its latest result (or pending). */
static json_t *run_steps(struct wms_store *s, json_t *run, const char *product, struct wms_error *err)
{
	static const char sql[] =
		"SELECT result, value, detail, note, technician, station,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch') AS at,"
		" (SELECT count(*) FROM recon_results x WHERE x.run_id = r.run_id AND x.step = r.step) AS attempts"
		" FROM recon_results r WHERE run_id = ?1 AND step = ?2 ORDER BY id DESC LIMIT 1";
	struct recon_checklist *cl = malloc(sizeof *cl);
	json_t *steps = json_array();
	const char *body = json_string_value(json_object_get(run, "checklist_body"));
	char run_id[24], lim[64];

	if (cl == NULL || steps == NULL) {
		wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto fail;
	}
	snprintf(run_id, sizeof run_id, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(run, "run")));
	if (recon_checklist_parse("stored checklist", body ? body : "", body ? strlen(body) : 0, product, cl,
	                          err) < 0)
		goto fail;
	for (int i = 0; i < cl->n_steps; i++) {
		const char *p[] = { run_id, cl->steps[i].code };
		json_t *rows = wms_query_rows(s, sql, p, 2, err), *row, *o;
		if (rows == NULL)
			goto fail;
		recon_step_limits(&cl->steps[i], lim, sizeof lim);
		o = json_pack("{s:s, s:s, s:s, s:s}", "step", cl->steps[i].code,
		              "kind", kind_name(cl->steps[i].kind), "limits", lim, "text", cl->steps[i].text);
		row = json_array_get(rows, 0);
		if (o && row) {
			json_object_update(o, row);
		} else if (o) {
			/* the same keys as a recorded step, so that every row reads alike */
			static const char *const keys[] = { "value", "detail", "note", "technician", "station", "at" };
			json_object_set_new(o, "result", json_string("pending"));
			for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
				json_object_set_new(o, keys[k], json_null());
			json_object_set_new(o, "attempts", json_integer(0));
		}
		json_decref(rows);
		if (o == NULL || json_array_append_new(steps, o) < 0) {
			wms_error_set(err, WMS_ENOMEM, "out of memory");
			goto fail;
		}
	}
	free(cl);
	return steps;
fail:
	free(cl);
	json_decref(steps);
	return NULL;
}

json_t *recon_show(struct wms_store *s, const struct recon_config *cfg, const char *serial,
                   struct wms_error *err)
{
	static const char dev_sql[] =
		"SELECT d.serial, p.code AS product, d.state, d.recon_cycles, d.manufactured,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', d.received_ts, 'unixepoch') AS received, d.received_ts"
		" FROM devices d JOIN products p ON p.id = d.product_id WHERE d.serial = ?1";
	static const char runs_sql[] =
		"SELECT r.id AS run, c.version AS checklist_version, c.hash AS checklist_hash,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', r.started_ts, 'unixepoch') AS started, r.technician,"
		" coalesce(r.outcome, 'in progress') AS outcome, r.outcome_text,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', r.finished_ts, 'unixepoch') AS finished, r.finished_by,"
		" c.body AS checklist_body"
		" FROM recon_runs r JOIN recon_checklists c ON c.id = r.checklist_id"
		" JOIN devices d ON d.id = r.device_id WHERE d.serial = ?1 ORDER BY r.id DESC";
	const char *p[] = { serial };
	json_t *rows = NULL, *dev = NULL, *runs = NULL, *latest, *steps;
	char proposal[160] = "";
	size_t i;
	json_t *r;

	if (wms_check_serial(serial, err) < 0)
		return NULL;
	if ((rows = wms_query_rows(s, dev_sql, p, 1, err)) == NULL)
		return NULL;
	if ((dev = json_incref(json_array_get(rows, 0))) == NULL) {
		wms_error_set(err, WMS_ENOTFOUND, "unknown serial \"%s\": no such device has been received", serial);
		goto fail;
	}
	recon_scrap_proposal(cfg, (int)json_integer_value(json_object_get(dev, "recon_cycles")),
	                     json_string_value(json_object_get(dev, "manufactured")),
	                     json_integer_value(json_object_get(dev, "received_ts")), wms_now(), proposal,
	                     sizeof proposal);
	json_object_del(dev, "received_ts");
	json_object_set_new(dev, "scrap_proposed", proposal[0] ? json_string(proposal) : json_false());
	if ((runs = wms_query_rows(s, runs_sql, p, 1, err)) == NULL)
		goto fail;
	latest = json_array_get(runs, 0);
	if (latest) {
		steps = run_steps(s, latest, json_string_value(json_object_get(dev, "product")), err);
		if (steps == NULL)
			goto fail;
		json_object_set_new(dev, "steps", steps);
	}
	json_array_foreach(runs, i, r)
		json_object_del(r, "checklist_body");
	json_object_set_new(dev, "runs", runs);
	json_decref(rows);
	return dev;
fail:
	json_decref(runs);
	json_decref(dev);
	json_decref(rows);
	return NULL;
}
