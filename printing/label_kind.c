/*
 * label_kind.c - the label kinds and the fields each kind knows.
 *
 * One table row per kind: its template name, its label fields (required or
 * not, with an optional default) and, for the A4 list documents, its row
 * fields.  Adding a field is adding one line here; templates and field sets
 * check names against this table.
 */
#include "label_internal.h"

#include <string.h>

#define HMC "Hjälpmedelscentralen"
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct label_field_def device_fields[] = {
	{ "serial", 1, NULL },  /* individnummer */
	{ "gtin", 1, NULL },
	{ "product", 1, NULL },
	{ "owner", 0, HMC },
	{ "article", 0, NULL },
	{ "lot", 0, NULL },     /* (10) batch, when known */
	{ "expiry", 0, NULL },  /* (17) YYYY-MM-DD, when known */
};

static const struct label_field_def location_fields[] = {
	{ "code", 1, NULL },
	{ "text", 0, NULL },
	{ "zone", 0, NULL },
};

static const struct label_field_def recon_fields[] = {
	{ "serial", 1, NULL },
	{ "date", 1, NULL },
	{ "technician", 1, NULL },
	{ "result", 1, NULL },
	{ "product", 0, NULL },
	{ "note", 0, NULL },
};

static const struct label_field_def shipping_fields[] = {
	{ "sender_name", 0, HMC },
	{ "sender_street", 1, NULL },
	{ "sender_postcode", 1, NULL },
	{ "sender_city", 1, NULL },
	{ "receiver_name", 1, NULL },
	{ "receiver_street", 0, NULL },
	{ "receiver_postcode", 1, NULL },
	{ "receiver_city", 1, NULL },
	{ "receiver_phone", 0, NULL },
	{ "pickup_name", 0, NULL },
	{ "pickup_id", 0, NULL },
	{ "sscc", 1, NULL },
	{ "carrier", 1, NULL },
	{ "tracking", 1, NULL },
	{ "weight", 1, NULL },
	{ "order_ref", 1, NULL },
	{ "ref_caption", 0, "Ordernr" },   /* what order_ref is: "Överföring" for a transfer's serial */
	{ "date", 0, NULL },
	{ "parcel", 0, NULL },
};

static const struct label_field_def return_fields[] = {
	{ "sender_name", 1, NULL },
	{ "sender_street", 1, NULL },
	{ "sender_postcode", 1, NULL },
	{ "sender_city", 1, NULL },
	{ "receiver_name", 0, HMC },
	{ "receiver_street", 1, NULL },
	{ "receiver_postcode", 1, NULL },
	{ "receiver_city", 1, NULL },
	{ "sscc", 1, NULL },
	{ "carrier", 1, NULL },
	{ "tracking", 1, NULL },
	{ "weight", 1, NULL },
	{ "order_ref", 1, NULL },
	{ "return_ref", 0, NULL },
	{ "date", 0, NULL },
};

static const struct label_field_def picklist_fields[] = {
	{ "order_ref", 1, NULL },
	{ "date", 1, NULL },
	{ "customer", 0, NULL },
	{ "picker", 0, NULL },
	{ "note", 0, NULL },
};

static const struct label_field_def picklist_rows[] = {
	{ "location", 1, NULL },
	{ "article", 1, NULL },
	{ "description", 1, NULL },
	{ "qty", 1, NULL },
	{ "serial", 0, NULL },
};

static const struct label_field_def delivery_fields[] = {
	{ "order_ref", 1, NULL },
	{ "date", 1, NULL },
	{ "customer_name", 1, NULL },
	{ "customer_street", 1, NULL },
	{ "customer_postcode", 1, NULL },
	{ "customer_city", 1, NULL },
	{ "customer_number", 0, NULL },
	{ "delivery_method", 0, NULL },
	{ "pickup_point", 0, NULL },   /* name (code) of the utlämningsställe */
	{ "patient_ref", 0, NULL },    /* the pseudonym (P-000123), never a name */
	{ "sender_name", 0, HMC },
	{ "note", 0, NULL },
};

static const struct label_field_def delivery_rows[] = {
	{ "article", 1, NULL },
	{ "description", 1, NULL },
	{ "qty", 1, NULL },
	{ "serial", 0, NULL },
};

static const struct label_field_def command_sheet_fields[] = {
	{ "station", 1, NULL },
	{ "mode", 0, NULL },
	{ "date", 0, NULL },
	{ "title", 0, "Kommandoblad" },
};

static const struct label_field_def command_sheet_rows[] = {
	{ "code", 1, NULL },          /* the barcode's text: CMD:CANCEL, RCN:SCRAP:RECALL */
	{ "text", 1, NULL },          /* what it does */
	{ "group", 0, NULL },         /* "Mode", "Reconditioning", ... */
};

static const struct label_kind_def kinds[LABEL_KIND_COUNT] = {
	[LABEL_DEVICE] = { "device", device_fields, N(device_fields), NULL, 0,
		"serial, gtin, product, owner, article, lot, expiry" },
	[LABEL_LOCATION] = { "location", location_fields, N(location_fields), NULL, 0,
		"code, text, zone" },
	[LABEL_RECON] = { "recon", recon_fields, N(recon_fields), NULL, 0,
		"serial, date, technician, result, product, note" },
	[LABEL_SHIPPING] = { "shipping", shipping_fields, N(shipping_fields), NULL, 0,
		"sender_name, sender_street, sender_postcode, sender_city, receiver_name, "
		"receiver_street, receiver_postcode, receiver_city, receiver_phone, pickup_name, "
		"pickup_id, sscc, carrier, tracking, weight, order_ref, ref_caption, date, parcel" },
	[LABEL_RETURN] = { "return", return_fields, N(return_fields), NULL, 0,
		"sender_name, sender_street, sender_postcode, sender_city, receiver_name, "
		"receiver_street, receiver_postcode, receiver_city, sscc, carrier, tracking, "
		"weight, order_ref, return_ref, date" },
	[LABEL_PICKLIST] = { "picklist", picklist_fields, N(picklist_fields),
		picklist_rows, N(picklist_rows),
		"order_ref, date, customer, picker, note; rows: location, article, "
		"description, qty, serial" },
	[LABEL_DELIVERY_NOTE] = { "delivery-note", delivery_fields, N(delivery_fields),
		delivery_rows, N(delivery_rows),
		"order_ref, date, customer_name, customer_street, customer_postcode, "
		"customer_city, customer_number, delivery_method, pickup_point, patient_ref, "
		"sender_name, note; "
		"rows: article, description, qty, serial" },
	[LABEL_COMMAND_SHEET] = { "command-sheet", command_sheet_fields, N(command_sheet_fields),
		command_sheet_rows, N(command_sheet_rows),
		"station, mode, date, title; rows: code, text, group" },
};

const struct label_kind_def *label_kind_def(enum label_kind kind)
{
	if ((int)kind < 0 || kind >= LABEL_KIND_COUNT)
		return NULL;
	return &kinds[kind];
}

const struct label_field_def *label_kind_find_field(enum label_kind kind, const char *name,
						     int row)
{
	const struct label_kind_def *k = label_kind_def(kind);
	const struct label_field_def *defs;
	size_t i, n;

	if (k == NULL || name == NULL)
		return NULL;
	defs = row ? k->rows : k->fields;
	n = row ? k->nrows : k->nfields;
	for (i = 0; i < n; i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

const char *label_kind_name(enum label_kind kind)
{
	const struct label_kind_def *k = label_kind_def(kind);

	return k ? k->name : NULL;
}

int label_kind_from_name(const char *name, enum label_kind *out, struct wms_error *err)
{
	int i;

	for (i = 0; i < LABEL_KIND_COUNT && name != NULL; i++) {
		if (strcmp(kinds[i].name, name) == 0) {
			*out = (enum label_kind)i;
			return 0;
		}
	}
	return wms_error_set(err, WMS_EINVAL,
			     "unknown label kind '%s'; allowed: device, location, recon, "
			     "shipping, return, picklist, delivery-note, command-sheet", name ? name : "");
}

int label_kind_has_field(enum label_kind kind, const char *name)
{
	if (label_kind_def(kind) == NULL || name == NULL)
		return 0;
	if (label_kind_find_field(kind, name, 0))
		return 1;
	if (label_kind_find_field(kind, name, 1))
		return 2;
	if (strcmp(name, "page") == 0 || strcmp(name, "pages") == 0)
		return 3;
	return 0;
}

const char *label_kind_field_list(enum label_kind kind)
{
	const struct label_kind_def *k = label_kind_def(kind);

	return k ? k->field_list : "";
}

int label_kind_has_rows(enum label_kind kind)
{
	const struct label_kind_def *k = label_kind_def(kind);

	return k != NULL && k->nrows > 0;
}
