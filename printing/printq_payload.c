/*
 * printq_payload.c - label print job payloads: JSON text <-> label fields
 * (see printq_payload.h).
 */
#include "printq_payload.h"

#include <jansson.h>
#include <stdlib.h>

/* Set every string member of obj on f (a label or one of its rows). */
static int set_all(struct label_fields *f, json_t *obj, struct wms_error *err)
{
	const char *name;
	json_t *v;
	int rc;

	if (!json_is_object(obj))
		return wms_error_set(err, WMS_EINVAL, "label payload: fields must be an object");
	json_object_foreach(obj, name, v) {
		if (!json_is_string(v))
			return wms_error_set(err, WMS_EINVAL, "label payload: field %.64s is not "
					     "a string", name);
		if ((rc = label_fields_set(f, name, json_string_value(v), err)) < 0)
			return rc;
	}
	return 0;
}

int printq_payload_fields(const char *payload, struct label_fields **out,
			  struct wms_error *err)
{
	struct label_fields *f = NULL;
	json_error_t jerr;
	json_t *root = payload ? json_loads(payload, 0, &jerr) : NULL;
	json_t *rows, *row;
	enum label_kind kind;
	size_t i;
	int rc;

	*out = NULL;
	if (!json_is_object(root)) {
		rc = wms_error_set(err, WMS_EINVAL, "label payload is missing or not a JSON object");
		goto out;
	}
	if ((rc = label_kind_from_name(json_string_value(json_object_get(root, "label")), &kind,
				       err)) < 0 ||
	    (rc = label_fields_new(kind, &f, err)) < 0 ||
	    (rc = set_all(f, json_object_get(root, "fields"), err)) < 0)
		goto out;
	rows = json_object_get(root, "rows");
	if (rows != NULL && !json_is_array(rows)) {
		rc = wms_error_set(err, WMS_EINVAL, "label payload: rows must be an array");
		goto out;
	}
	json_array_foreach(rows, i, row) {
		struct label_fields *r = NULL;

		if ((rc = label_fields_add_row(f, &r, err)) < 0 || (rc = set_all(r, row, err)) < 0)
			goto out;
	}
	*out = f;
	f = NULL;
	rc = 0;
out:
	label_fields_free(f);
	json_decref(root);
	return rc;
}

int printq_payload_text(enum label_kind kind, const char *const *names,
			const char *const *values, int n, char **out, struct wms_error *err)
{
	return printq_payload_text_rows(kind, names, values, n, NULL, out, err);
}

int printq_payload_text_rows(enum label_kind kind, const char *const *names,
			     const char *const *values, int n, json_t *rows, char **out,
			     struct wms_error *err)
{
	struct label_fields *f = NULL, *row_f;
	json_t *root = NULL, *fields, *row;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = label_fields_new(kind, &f, err)) < 0)
		goto out;
	root = json_object();
	if (root == NULL ||
	    json_object_set_new(root, "label", json_string(label_kind_name(kind))) < 0 ||
	    json_object_set_new(root, "fields", fields = json_object()) < 0) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory building a label payload");
		goto out;
	}
	for (int k = 0; k < n; k++) {
		if ((rc = label_fields_set(f, names[k], values[k], err)) < 0)
			goto out;
		if (json_object_set_new(fields, names[k], json_string(values[k])) < 0) {
			rc = wms_error_set(err, WMS_ENOMEM, "out of memory building a label payload");
			goto out;
		}
	}
	if (rows != NULL && !json_is_array(rows)) {
		rc = wms_error_set(err, WMS_EINVAL, "label payload: rows must be an array");
		goto out;
	}
	json_array_foreach(rows, i, row)
		if ((rc = label_fields_add_row(f, &row_f, err)) < 0 ||
		    (rc = set_all(row_f, row, err)) < 0)
			goto out;
	if (rows && json_array_size(rows) &&
	    json_object_set(root, "rows", rows) < 0) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory building a label payload");
		goto out;
	}
	if ((rc = label_fields_check(f, err)) < 0)
		goto out;
	if ((*out = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory building a label payload");
out:
	json_decref(root);
	label_fields_free(f);
	return rc;
}
