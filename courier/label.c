/*
 * label.c - the label of a consignment as a print job payload (see
 * courier_internal.h): a shipping label to the patient's home or to the
 * pickup point, a return label from the patient to the centre, or a
 * transfer's shipping label from one depot to another.  The
 * patient's address goes only into this payload, which the outbox blanks
 * once the label is printed (wms_outbox_purge_payloads); nothing here is
 * logged or put in an error message.
 */
#include "courier_internal.h"

#include "store_sql.h"
#include "wms_depot.h"
#include "wms_patient.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_WEIGHT "1 kg"

struct address {
	char name[121], street[201], postcode[11], city[101];   /* name: a depot's too */
};

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static void trim_copy(char *dst, size_t size, const char *from, size_t n)
{
	while (n > 0 && (*from == ' ' || *from == '\t')) {
		from++;
		n--;
	}
	while (n > 0 && (from[n - 1] == ' ' || from[n - 1] == '\t'))
		n--;
	snprintf(dst, size, "%.*s", (int)n, from);
}

/*
 * The patient's address of the order: name, "street, city" split at the
 * last comma, postal code.  1 with why when a part is missing or purged.
 */
static int patient_address(struct wms_store *s, const char *order, struct address *a, char *why,
                           size_t size, struct wms_error *err)
{
	json_t *p = wms_patient_show(s, order, err);
	const char *name, *address, *postcode, *comma;
	int rc = 0;

	if (p == NULL)
		return err->code ? err->code : WMS_EDB;
	name = json_string_value(json_object_get(p, "name"));
	address = json_string_value(json_object_get(p, "address"));
	postcode = json_string_value(json_object_get(p, "postal_code"));
	comma = address ? strrchr(address, ',') : NULL;
	if (json_is_null(p)) {
		snprintf(why, size, "order %s has no patient data (never given, or purged)", order);
		rc = 1;
	} else if (name == NULL || *name == '\0' || postcode == NULL || *postcode == '\0' ||
	           comma == NULL || comma == address || comma[1] == '\0') {
		snprintf(why, size, "order %s lacks the patient's name, postal code or address as "
		         "\"street, city\"", order);
		rc = 1;
	} else {
		trim_copy(a->name, sizeof a->name, name, strlen(name));
		trim_copy(a->street, sizeof a->street, address, (size_t)(comma - address));
		trim_copy(a->city, sizeof a->city, comma + 1, strlen(comma + 1));
		trim_copy(a->postcode, sizeof a->postcode, postcode, strlen(postcode));
	}
	json_decref(p);
	return rc;
}

/* The pickup point of the order (name, address, carrier's id), 1 with why if none. */
static int pickup_address(struct wms_store *s, long long order_id, struct address *a, char *id,
                          size_t id_size, char *why, size_t size, struct wms_error *err)
{
	static const char sql[] =
		"SELECT pp.name, pp.address, pp.postal_code, pp.city, pp.ext_id FROM orders o"
		" JOIN pickup_points pp ON pp.location_id = o.pickup_point_id WHERE o.id = ?1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, NULL, order_id, &st, "reading the pickup point", err);

	if (rc < 0)
		return rc;
	if (rc == 0) {
		snprintf(why, size, "the order's pickup point is not in the pickup point registry");
		return 1;
	}
	snprintf(a->street, sizeof a->street, "%s", col(st, 1));
	snprintf(a->postcode, sizeof a->postcode, "%s", col(st, 2));
	snprintf(a->city, sizeof a->city, "%s", col(st, 3));
	snprintf(a->name, sizeof a->name, "%s", col(st, 0));
	snprintf(id, id_size, "%s", col(st, 4));
	sqlite3_reset(st);
	return 0;
}

static int centre_address(const struct courier_config *cc, struct address *a, char *why,
                          size_t size)
{
	if (!cc->sender_street[0] || !cc->sender_postcode[0] || !cc->sender_city[0]) {
		snprintf(why, size, "the centre's address is not configured (sender_street, "
		         "sender_postcode and sender_city in [courier])");
		return 1;
	}
	snprintf(a->name, sizeof a->name, "%s", cc->sender_name[0] ? cc->sender_name
	         : "Hjälpmedelscentralen");
	snprintf(a->street, sizeof a->street, "%s", cc->sender_street);
	snprintf(a->postcode, sizeof a->postcode, "%s", cc->sender_postcode);
	snprintf(a->city, sizeof a->city, "%s", cc->sender_city);
	return 0;
}

/*
 * A depot's name and address (a transfer's sender or receiver); the default
 * depot without one of its own is the centre of [courier].  1 with why when
 * the depot has none.
 */
static int depot_address(struct wms_store *s, const struct courier_config *cc, const char *code,
                         struct address *a, char *why, size_t size, struct wms_error *err)
{
	struct wms_depot_address d;
	char def[WMS_DEPOT_CODE_MAX + 1] = "";
	int rc = wms_depot_address(s, code, &d, err);

	if (rc < 0)
		return rc;
	if (rc == 1 && wms_depot_default(s, def, NULL) == 0 && strcmp(def, code) == 0 &&
	    centre_address(cc, a, why, size) == 0) {
		snprintf(a->name, sizeof a->name, "%s", d.name);
		return 0;
	}
	if (rc == 1) {
		snprintf(why, size, "depot %s has no address; give it one with `wms depot address %s "
		         "\"street, postal code city\"`", code, code);
		return 1;
	}
	snprintf(a->name, sizeof a->name, "%s", d.name);
	snprintf(a->street, sizeof a->street, "%s", d.street);
	snprintf(a->postcode, sizeof a->postcode, "%s", d.postcode);
	snprintf(a->city, sizeof a->city, "%s", d.city);
	return 0;
}

static int set_address(json_t *fields, const char *who, const struct address *a)
{
	char key[32];
	int rc = 0;

	snprintf(key, sizeof key, "%s_name", who);
	rc |= json_object_set_new(fields, key, json_string(a->name));
	snprintf(key, sizeof key, "%s_street", who);
	rc |= json_object_set_new(fields, key, json_string(a->street));
	snprintf(key, sizeof key, "%s_postcode", who);
	rc |= json_object_set_new(fields, key, json_string(a->postcode));
	snprintf(key, sizeof key, "%s_city", who);
	rc |= json_object_set_new(fields, key, json_string(a->city));
	return rc;
}

int courier_label_payload(struct wms_store *s, const struct courier_config *cc,
                          const struct courier_cons *c, const char *tracking, wms_time now,
                          char **payload, char *why, size_t size, struct wms_error *err)
{
	bool is_return = strcmp(c->kind, "return") == 0, is_transfer = strcmp(c->kind, "transfer") == 0;
	struct address centre = { 0 }, other = { 0 };
	char pickup_id[24] = "", date[11], ref[32];
	json_t *p = NULL, *fields;
	int rc;

	*payload = NULL;
	why[0] = '\0';
	if (is_transfer)
		rc = depot_address(s, cc, c->depot, &centre, why, size, err);
	else
		rc = centre_address(cc, &centre, why, size);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	if (is_transfer)
		rc = depot_address(s, cc, c->to_depot, &other, why, size, err);
	else if (!is_return && strcmp(c->mode, "pickup_point") == 0)
		rc = pickup_address(s, c->order_id, &other, pickup_id, sizeof pickup_id, why, size, err);
	else if (is_return || strcmp(c->mode, "home") == 0)
		rc = patient_address(s, c->order, &other, why, size, err);
	else {
		snprintf(why, size, "order %s goes to the ordering unit, whose address is not in the "
		         "register", c->order);
		rc = 1;
	}
	if (rc != 0)
		return rc < 0 ? rc : 0;     /* no label: why says what is missing */
	p = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s}}", "label", is_return ? "return" : "shipping",
	              "fields", "sscc", c->sscc, "carrier", c->carrier, "weight",
	              cc->parcel_weight[0] ? cc->parcel_weight : DEFAULT_WEIGHT, "order_ref", c->order,
	              "date", wms_date_format(wms_local_day(now, NULL), date));
	if (p == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	fields = json_object_get(p, "fields");
	rc = set_address(fields, is_return ? "receiver" : "sender", &centre);
	if (is_return) {
		rc |= set_address(fields, "sender", &other);
		snprintf(ref, sizeof ref, "R-%lld", c->id);
		rc |= json_object_set_new(fields, "return_ref", json_string(ref));
	} else if (is_transfer) {
		/* depot to depot: the device's serial where an order's number goes */
		rc |= set_address(fields, "receiver", &other);
		rc |= json_object_set_new(fields, "ref_caption", json_string("Överföring"));
	} else if (pickup_id[0]) {
		struct address patient = { 0 };
		char ignored[200];
		/* to the pickup point, for the patient: their name, else the order */
		int prc = patient_address(s, c->order, &patient, ignored, sizeof ignored, err);
		if (prc < 0) {
			rc = prc;
			goto out;
		}
		rc |= set_address(fields, "receiver", &other);
		rc |= json_object_set_new(fields, "receiver_name",
		                          json_string(patient.name[0] ? patient.name : c->order));
		rc |= json_object_set_new(fields, "pickup_name", json_string(other.name));
		rc |= json_object_set_new(fields, "pickup_id", json_string(pickup_id));
	} else {
		rc |= set_address(fields, "receiver", &other);
	}
	if (tracking && *tracking)
		rc |= json_object_set_new(fields, "tracking", json_string(tracking));
	if (rc != 0 || (*payload = json_dumps(p, JSON_COMPACT)) == NULL)
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
out:
	json_decref(p);
	return rc;
}
