/*
 * label_samples.h - sample labels shared by the printing tests: one filled
 * field set per shipped template, and the barcodes each must carry.
 * Include after <cmocka.h>.
 */
#ifndef LABEL_SAMPLES_H
#define LABEL_SAMPLES_H

#include <stdio.h>
#include <string.h>

#include "label.h"
#include "label_template.h"

#define GTIN "07350012345679"
#define SSCC1 "373500123400000019"
#define SSCC2 "373500123400000026"
#define SERIAL "HMC-000123"
#define TRACK1 "JJD000390007758437"
#define TRACK2 "00370712345678901234"
#define ORDER "ORD-2024-00042"

/* Expected barcode: 'C' Code 128, 'G' GS1-128, 'D' GS1 DataMatrix; GS1 data
 * as the element string without leading FNC1, GS (0x1d) between elements. */
struct sample_code {
	char type;
	const char *data;
};

struct sample {
	const char *template_name;
	enum label_kind kind;
	const char *const *kv;          /* name, value, ..., NULL */
	struct sample_code codes[3];
};

static const char *const device_kv[] = {
	"serial", SERIAL, "gtin", GTIN, "product", "Duschstol Åsa, höj- och sänkbar",
	"article", "123456", NULL };
static const char *const location_kv[] = {
	"code", "B-12-03", "text", "Hylla B, plan 3 – rollatorer", "zone", "Kallförråd", NULL };
static const char *const recon_kv[] = {
	"serial", SERIAL, "date", "2024-05-17", "technician", "Åsa Öberg", "result", "Godkänd",
	"product", "Rollator Ögla", "note", "Nya handtag, bromsar justerade", NULL };
static const char *const shipping_kv[] = {
	"sender_street", "Förrådsvägen 4", "sender_postcode", "721 30", "sender_city", "Västerås",
	"receiver_name", "Kommunens hemtjänst Örebro", "receiver_street", "Järnvägsgatan 12",
	"receiver_postcode", "702 10", "receiver_city", "Örebro", "receiver_phone", "019-123 45 67",
	"pickup_name", "ICA Nära Ängen", "pickup_id", "SE-4431", "sscc", SSCC1,
	"carrier", "PostNord", "tracking", TRACK1, "weight", "12,5 kg", "order_ref", ORDER,
	"date", "2024-05-17", "parcel", "1/1", NULL };
static const char *const return_kv[] = {
	"sender_name", "Karl Åkesson", "sender_street", "Ängsvägen 3 B", "sender_postcode", "723 45",
	"sender_city", "Västerås", "receiver_street", "Förrådsvägen 4", "receiver_postcode",
	"721 30", "receiver_city", "Västerås", "sscc", SSCC2, "carrier", "DB Schenker",
	"tracking", TRACK2, "weight", "8 kg", "order_ref", ORDER, "return_ref", "RET-77",
	"date", "2024-05-20", NULL };
static const char *const picklist_kv[] = {
	"order_ref", ORDER, "date", "2024-05-17", "customer", "Hemtjänsten Norr",
	"picker", "Östen", NULL };
static const char *const delivery_kv[] = {
	"order_ref", ORDER, "date", "2024-05-17", "customer_name", "Vårdboendet Solgården",
	"customer_street", "Björkvägen 7", "customer_postcode", "722 22",
	"customer_city", "Västerås", "customer_number", "K-1002", "delivery_method", "Egen bil",
	"note", "Kvitteras vid mottagandet.", NULL };

static const struct sample samples[] = {
	{ "device", LABEL_DEVICE, device_kv,
	  { { 'C', SERIAL }, { 'D', "01" GTIN "21" SERIAL }, { 0, NULL } } },
	{ "location", LABEL_LOCATION, location_kv, { { 'C', "LOC:B-12-03" }, { 0, NULL } } },
	{ "recon", LABEL_RECON, recon_kv, { { 'C', SERIAL }, { 0, NULL } } },
	{ "shipping-107x190", LABEL_SHIPPING, shipping_kv,
	  { { 'C', TRACK1 }, { 'G', "00" SSCC1 }, { 0, NULL } } },
	{ "shipping-4x6", LABEL_SHIPPING, shipping_kv,
	  { { 'C', TRACK1 }, { 'G', "00" SSCC1 }, { 0, NULL } } },
	{ "return-107x190", LABEL_RETURN, return_kv,
	  { { 'C', TRACK2 }, { 'G', "00" SSCC2 }, { 0, NULL } } },
	{ "picklist", LABEL_PICKLIST, picklist_kv, { { 'C', ORDER }, { 0, NULL } } },
	{ "delivery-note", LABEL_DELIVERY_NOTE, delivery_kv, { { 'C', ORDER }, { 0, NULL } } },
};

#define NSAMPLES (sizeof samples / sizeof samples[0])

/* Add n item rows to a pick list or delivery note. */
static inline void sample_rows(struct label_fields *f, int n)
{
	static const char *const what[] = { "Rollator Ögla storlek M", "Duschpall Åsa",
		"Toalettförhöjning 10 cm", "Gånghjälpmedel, käpp justerbar",
		"Hygienstol med hjul" };
	struct wms_error err;
	int i;

	for (i = 0; i < n; i++) {
		struct label_fields *row;
		char loc[32], art[32], serial[32], qty[8];

		snprintf(loc, sizeof loc, "A-%02d-%02d", i / 10 + 1, i % 10 + 1);
		snprintf(art, sizeof art, "%d", 100100 + i);
		snprintf(serial, sizeof serial, "HMC-%06d", 200 + i);
		snprintf(qty, sizeof qty, "%d", i % 3 + 1);
		assert_int_equal(label_fields_add_row(f, &row, &err), 0);
		if (label_fields_kind(f) == LABEL_PICKLIST)
			assert_int_equal(label_fields_set(row, "location", loc, &err), 0);
		assert_int_equal(label_fields_set(row, "article", art, &err), 0);
		assert_int_equal(label_fields_set(row, "description", what[i % 5], &err), 0);
		assert_int_equal(label_fields_set(row, "qty", qty, &err), 0);
		if (i % 4 != 3)
			assert_int_equal(label_fields_set(row, "serial", serial, &err), 0);
	}
}

/* Fields of sample s (with 12 rows for the list documents); caller frees. */
static inline struct label_fields *sample_fields(const struct sample *s)
{
	struct label_fields *f = NULL;
	struct wms_error err;
	size_t i;

	assert_int_equal(label_fields_new(s->kind, &f, &err), 0);
	for (i = 0; s->kv[i] != NULL; i += 2) {
		int rc = label_fields_set(f, s->kv[i], s->kv[i + 1], &err);

		if (rc != 0)
			fail_msg("%s: %s", s->kv[i], err.msg);
	}
	if (label_kind_has_rows(s->kind))
		sample_rows(f, 12);
	return f;
}

static inline struct label_template *sample_template(const char *name)
{
	struct label_template *t = NULL;
	struct wms_error err;

	if (label_template_load(WMS_LABEL_TEMPLATES, name, &t, &err) != 0)
		fail_msg("%s", err.msg);
	return t;
}

#endif
