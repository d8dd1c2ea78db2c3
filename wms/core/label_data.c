/*
 * label_data.c - label fields read from the ledger (see wms_label_data.h).
 */
#include "wms_label_data.h"

#include "wms_query.h"

/* The first row of sql (one text parameter) without its NULL members. */
static json_t *one_row(struct wms_store *s, const char *sql, const char *key, const char *what,
                       struct wms_error *err)
{
	const char *params[1] = { key };
	json_t *rows = wms_query_rows(s, sql, params, 1, err), *row, *v;
	const char *k;
	void *tmp;

	if (rows == NULL)
		return NULL;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		wms_error_set(err, WMS_ENOTFOUND, "unknown %s \"%s\"", what, key ? key : "");
		return NULL;
	}
	row = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	json_object_foreach_safe(row, tmp, k, v)
		if (json_is_null(v))
			json_object_del(row, k);
	return row;
}

json_t *wms_label_device_fields(struct wms_store *s, const char *serial, struct wms_error *err)
{
	return one_row(s,
		"SELECT d.serial AS serial,"
		" coalesce(d.gtin, (SELECT min(g.gtin) FROM product_gtins g"
		"                   WHERE g.product_id = d.product_id)) AS gtin,"
		" p.name_sv AS product, p.code AS article"
		" FROM devices d JOIN products p ON p.id = d.product_id WHERE d.serial = ?1",
		serial, "device", err);
}

json_t *wms_label_location_fields(struct wms_store *s, const char *code, struct wms_error *err)
{
	return one_row(s, "SELECT code, name AS text FROM locations WHERE code = ?1", code,
	               "location", err);
}
