/*
 * label_data.c - label fields read from the ledger (see wms_label_data.h).
 */
#include "wms_label_data.h"

#include "wms_query.h"
#include "wms_time.h"

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
		" p.name_sv AS product, p.code AS article, d.lot AS lot, d.expiry AS expiry"
		" FROM devices d JOIN products p ON p.id = d.product_id WHERE d.serial = ?1",
		serial, "device", err);
}

json_t *wms_label_location_fields(struct wms_store *s, const char *code, struct wms_error *err)
{
	return one_row(s, "SELECT code, name AS text FROM locations WHERE code = ?1", code,
	               "location", err);
}

/* {"fields", "rows"} of a list document (consumes both); a row without a
 * device yet has no serial. */
static json_t *list_document(json_t *fields, json_t *rows, struct wms_error *err)
{
	json_t *row, *out;
	size_t i;

	json_array_foreach(rows, i, row)
		if (json_is_null(json_object_get(row, "serial")))
			json_object_del(row, "serial");
	out = json_pack("{s:o, s:o}", "fields", fields, "rows", rows);
	if (out == NULL)
		wms_error_set(err, WMS_ENOMEM, "out of memory");
	return out;
}

json_t *wms_label_picklist(struct wms_store *s, const char *number, struct wms_error *err)
{
	const char *params[1] = { number };
	json_t *fields, *rows;

	/* the order (and its ordering unit) first: an unknown one is an error */
	if ((fields = one_row(s,
		"SELECT o.number AS order_ref, c.code || ' ' || c.name AS customer, o.note AS note"
		" FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.number = ?1",
		number, "order", err)) == NULL)
		return NULL;
	{
		char date[11];
		json_object_set_new(fields, "date", json_string(wms_date_format(
			wms_local_day(wms_now(), NULL), date)));
	}
	/* its device where the picker finds it; none reserved yet: the product to fetch */
	if ((rows = wms_query_rows(s,
		"SELECT coalesce(l.code, '-') AS location, p.code AS article, p.name_sv AS description,"
		" '1' AS qty, d.serial AS serial"
		" FROM orders o JOIN products p ON p.id = o.product_id"
		" LEFT JOIN devices d ON d.id = o.device_id LEFT JOIN locations l ON l.id = d.location_id"
		" WHERE o.number = ?1", params, 1, err)) == NULL) {
		json_decref(fields);
		return NULL;
	}
	return list_document(fields, rows, err);
}

json_t *wms_label_delivery_note(struct wms_store *s, const char *number, struct wms_error *err)
{
	const char *params[1] = { number };
	json_t *fields, *rows;
	char date[11];

	if ((fields = one_row(s,
		"SELECT o.number AS order_ref, c.name AS customer_name, c.street AS customer_street,"
		" c.postcode AS customer_postcode, c.city AS customer_city, c.code AS customer_number,"
		" CASE o.mode WHEN 'home' THEN 'Hemleverans' WHEN 'pickup_point' THEN 'Utlämningsställe'"
		"  WHEN 'unit' THEN 'Till beställande enhet' ELSE 'Buffertförråd' END AS delivery_method,"
		" pl.name || ' (' || pl.code || ')' AS pickup_point, op.patient_ref AS patient_ref"
		" FROM orders o JOIN customers c ON c.id = o.customer_id"
		" LEFT JOIN order_patients op ON op.order_id = o.id"   /* purgeable, never in the ledger */
		" LEFT JOIN locations pl ON pl.id = o.pickup_point_id WHERE o.number = ?1",
		number, "order", err)) == NULL)
		return NULL;
	if (json_object_get(fields, "customer_street") == NULL) {
		wms_error_set(err, WMS_EINVAL, "customer %s of order %s has no address for the delivery "
		              "note; set it with `wms customer set-address %s --street S --postcode P --city C`",
		              json_string_value(json_object_get(fields, "customer_number")), number,
		              json_string_value(json_object_get(fields, "customer_number")));
		json_decref(fields);
		return NULL;
	}
	json_object_set_new(fields, "date", json_string(wms_date_format(wms_local_day(wms_now(), NULL),
	                                                                date)));
	if ((rows = wms_query_rows(s,
		"SELECT p.code AS article, p.name_sv AS description, '1' AS qty, d.serial AS serial"
		" FROM orders o JOIN products p ON p.id = o.product_id"
		" LEFT JOIN devices d ON d.id = o.device_id WHERE o.number = ?1", params, 1, err)) == NULL) {
		json_decref(fields);
		return NULL;
	}
	return list_document(fields, rows, err);
}
