/*
 * printq_label.c - the payload of a label the user asks for (`wms label
 * print|preview`, POST /api/v1/labels): the ledger's fields of a device,
 * location or order (pick list, delivery note), then the user's NAME=VALUE
 * fields (see printq_payload.h).  One copy for the CLI and the API; only the
 * way an input is named in a message differs (--order, "order").  And the
 * delivery note a dispatch queues, the same for `wms dispatch` and a
 * dispatch station.
 */
#include "printq_payload.h"

#include "printq_conf.h"

#include "wms_label_data.h"
#include "wms_outbox.h"
#include "wms_query.h"
#include "wms_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 40

struct field_list {
	int n;
	const char *names[MAX_FIELDS];
	const char *values[MAX_FIELDS];
};

static int add_field(struct field_list *fl, const char *name, const char *value,
		     struct wms_error *err)
{
	for (int i = 0; i < fl->n; i++)
		if (strcmp(fl->names[i], name) == 0) {
			fl->values[i] = value;
			return 0;
		}
	if (fl->n == MAX_FIELDS)
		return wms_error_set(err, WMS_EINVAL, "too many fields (at most %d)", MAX_FIELDS);
	fl->names[fl->n] = name;
	fl->values[fl->n++] = value;
	return 0;
}

/* The ledger's fields for req (*from, OUT: NULL when nothing is read) and,
 * for an order, its pick list (*list, OUT).  The caller json_decrefs both. */
static int ledger_fields(struct wms_store *s, const struct printq_label_req *req, json_t **from,
			 json_t **list, struct wms_error *err)
{
	enum label_kind kind = req->kind;

	if (req->order) {
		if (kind != LABEL_PICKLIST && kind != LABEL_DELIVERY_NOTE)
			return req->api
			       ? wms_error_set(err, WMS_EINVAL, "\"order\" fills pick lists and delivery "
					       "notes, not %s", label_kind_name(kind))
			       : wms_error_set(err, WMS_EINVAL, "--order fills pick lists and delivery "
					       "notes, not %s", label_kind_name(kind));
		*list = kind == LABEL_PICKLIST ? wms_label_picklist(s, req->order, err)
					       : wms_label_delivery_note(s, req->order, err);
		if (*list == NULL)
			return err->code ? err->code : WMS_EDB;
		*from = json_incref(json_object_get(*list, "fields"));
	} else if (req->device) {
		if (kind != LABEL_DEVICE && kind != LABEL_RECON)
			return req->api
			       ? wms_error_set(err, WMS_EINVAL, "\"device\" fills device and recon labels, "
					       "not %s", label_kind_name(kind))
			       : wms_error_set(err, WMS_EINVAL, "--device fills device and recon labels, "
					       "not %s", label_kind_name(kind));
		if ((*from = wms_label_device_fields(s, req->device, err)) == NULL)
			return err->code ? err->code : WMS_EDB;
	} else if (req->location) {
		if (kind != LABEL_LOCATION)
			return req->api
			       ? wms_error_set(err, WMS_EINVAL, "\"location\" fills location labels, not %s",
					       label_kind_name(kind))
			       : wms_error_set(err, WMS_EINVAL, "--location fills location labels, not %s",
					       label_kind_name(kind));
		if ((*from = wms_label_location_fields(s, req->location, err)) == NULL)
			return err->code ? err->code : WMS_EDB;
	}
	return 0;
}

int printq_payload_label(struct wms_store *s, const struct printq_label_req *req, char **out,
			 struct wms_error *err)
{
	struct field_list fl = { 0 };
	char **names = NULL;
	json_t *from = NULL, *list = NULL, *v;
	const char *k;
	int rc, n_names = 0;

	*out = NULL;
	if ((rc = ledger_fields(s, req, &from, &list, err)) < 0)
		goto out;
	json_object_foreach(from, k, v)
		if (label_kind_has_field(req->kind, k) == 1 &&
		    (rc = add_field(&fl, k, json_string_value(v), err)) < 0)
			goto out;
	if (req->n_set > 0 && (names = calloc((size_t)req->n_set, sizeof *names)) == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	for (int i = 0; i < req->n_set; i++) {
		const char *set = req->set[i], *eq = strchr(set, '=');
		if (eq == NULL || eq == set) {
			rc = req->api
			     ? wms_error_set(err, WMS_EINVAL, "bad \"set\" line \"%.60s\": expected NAME=VALUE "
					     "lines with NAME one of: %s", set, label_kind_field_list(req->kind))
			     : wms_error_set(err, WMS_EINVAL, "bad --set \"%.60s\": expected NAME=VALUE with "
					     "NAME one of: %s", set, label_kind_field_list(req->kind));
			goto out;
		}
		if ((names[n_names] = strndup(set, (size_t)(eq - set))) == NULL) {
			rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = add_field(&fl, names[n_names++], eq + 1, err)) < 0)
			goto out;
	}
	rc = printq_payload_text_rows(req->kind, fl.names, fl.values, fl.n,
				      list ? json_object_get(list, "rows") : NULL, out, err);
out:
	for (int i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	json_decref(from);
	json_decref(list);
	return rc;
}

int printq_dispatch_note(struct wms_store *s, const struct printq_conf *pc, const char *station,
			 const char *printer, const char *order, const char *text, long long event_id,
			 const char **queued_on, char *why, size_t size, struct wms_error *err)
{
	char note[WMS_ERROR_MSG_MAX];
	const char *set[1] = { note };
	struct printq_label_req req = { .kind = LABEL_DELIVERY_NOTE, .order = order, .set = set,
					.n_set = text && *text ? 1 : 0 };
	const struct printq_printer_conf *pr;
	struct wms_error no = { 0 };
	const char *mode;
	char *payload = NULL;
	json_t *o;
	int rc;

	*queued_on = NULL;
	why[0] = '\0';
	if (order == NULL)
		return 0;
	if (text && strlen(text) >= sizeof note - 5)
		return wms_error_set(err, WMS_EINVAL, "the delivery note's text is too long: at most %zu "
				     "characters", sizeof note - 6);
	snprintf(note, sizeof note, "note=%s", text ? text : "");
	if ((o = wms_order_brief(s, order, err)) == NULL)
		return err->code ? err->code : WMS_EDB;
	mode = json_string_value(json_object_get(o, "mode"));
	rc = mode && (strcmp(mode, "unit") == 0 || strcmp(mode, "buffer") == 0);
	json_decref(o);
	if (!rc)
		return 0;
	if (printer == NULL) {
		if ((pr = printq_conf_for(pc, LABEL_DELIVERY_NOTE, station)) == NULL) {
			/* printers with the purpose, but for other stations: say so */
			for (int i = 0; i < pc->n_printers; i++)
				if (pc->printers[i].purposes & (1u << LABEL_DELIVERY_NOTE)) {
					printq_conf_why_none(pc, LABEL_DELIVERY_NOTE, station, why, size);
					break;
				}
			return 0;
		}
		printer = pr->name;
	}
	if ((rc = printq_payload_label(s, &req, &payload, &no)) < 0) {
		if (no.code != WMS_EINVAL)
			return wms_error_set(err, no.code, "%s", no.msg);
		/* no address: the dispatch stands, the caller says why there is no note */
		snprintf(why, size, "%s", no.msg);
		return 0;
	}
	rc = wms_outbox_enqueue(s, &(struct wms_outbox_new){ .kind = "label", .target = printer,
				.payload = payload, .event_id = event_id }, wms_now(), NULL, err);
	free(payload);
	if (rc == 0)
		*queued_on = printer;
	return rc;
}
