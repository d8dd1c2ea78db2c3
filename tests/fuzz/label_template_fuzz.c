/*
 * label_template_fuzz.c - libFuzzer target for the label template parser
 * (printing/template_parse.c): a user edits these files by hand, so any
 * text must give a template or a "name:line: ..." error, never a crash.
 * A template that parses is filled with sample fields (what its kind
 * accepts) and rendered to ZPL, which exercises layout and escaping too.
 * Seeds: the shipped templates.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "label.h"
#include "label_template.h"
#include "label_zpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const sample[] = {
	"serial", "HMC-000123", "gtin", "07350012345679", "product", "Duschstol Åsa ^FO~",
	"article", "123456", "code", "B-12-03", "text", "Hylla B", "zone", "Kall",
	"date", "2024-05-17", "technician", "Åsa Öberg", "result", "Godkänd", "note", "x",
	"sscc", "373500123400000019", "tracking", "JJD000390007758437", "carrier", "PostNord",
	"weight", "12,5 kg", "order_ref", "ORD-1", "receiver_name", "Örebro ^XZ", NULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wms_error err = { 0 };
	struct label_template *t = NULL;
	struct label_fields *f = NULL;
	char *zpl = NULL;
	size_t len = 0;

	if (label_template_parse("fuzz", (const char *)data, size, &t, &err) < 0)
		return 0;
	if (label_fields_new(label_template_kind(t), &f, &err) == 0) {
		for (int i = 0; sample[i]; i += 2)
			(void)label_fields_set(f, sample[i], sample[i + 1], &err);   /* unknown: refused */
		if (label_zpl_render(t, f, 203, &zpl, &len, &err) == 0)
			free(zpl);
	}
	label_fields_free(f);
	label_template_free(t);
	return 0;
}
