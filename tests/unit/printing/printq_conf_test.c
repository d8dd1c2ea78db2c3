/*
 * printq_conf_test.c - the print queue's pieces that need no CUPS server:
 * [printer NAME] / [labels] configuration with file:line errors, printer
 * choice by purpose and station, job payloads (round trip, refusals naming
 * the field), template choice by media, and the document each printer
 * language gets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "label_render.h"
#include "printq_conf.h"
#include "printq_payload.h"
#include "printq_render.h"
#include "wms_config.h"

static void config_file_errors_name_the_line(void **state)
{
	static const char text[] =
		"[store]\ndatabase = x.db\n"
		"[printer a]\nqueue = qa\nlanguage = zpl\n"
		"[printer b]\nqueue = qb\nlanguage = postscript\n";
	char path[] = "/tmp/printq-conf-XXXXXX";
	struct printq_conf pc;
	struct wms_config *cfg = NULL;
	struct wms_error err;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	printq_conf_init(&pc);
	assert_int_equal(wms_config_load(path, printq_conf_section, &pc, &cfg, &err), WMS_ECONFIG);
	assert_null(cfg);
	assert_non_null(strstr(err.msg, ":8: bad language \"postscript\": use zpl, pdf or png"));
	unlink(path);
}

static void config_keys_validated(void **state)
{
	struct printq_conf pc;
	struct wms_error err;

	printq_conf_init(&pc);
	assert_string_equal(printq_conf_templates(&pc), WMS_LABEL_TEMPLATES);
	assert_int_equal(printq_conf_section(&pc, "printer a", "dpi", "600", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "use 203 or 300"));
	assert_int_equal(printq_conf_section(&pc, "printer a", "purposes", "device parcel", &err),
			 WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "unknown purpose \"parcel\""));
	assert_int_equal(printq_conf_section(&pc, "printer a", "colour", "red", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "allowed: queue, server"));
	assert_int_equal(printq_conf_section(&pc, "printer a b", "queue", "q", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "bad printer name"));
	assert_int_equal(printq_conf_section(&pc, "printer a", "queue", "q a", &err), WMS_ECONFIG);
	assert_int_equal(printq_conf_section(&pc, "printer a", "stations", "pack/1", &err),
			 WMS_ECONFIG);
	assert_int_equal(printq_conf_section(&pc, "labels", "template", "/x", &err), WMS_ECONFIG);
	assert_non_null(strstr(err.msg, "allowed: templates"));
	assert_int_equal(printq_conf_section(&pc, "scanner x", "a", "b", &err), WMS_ECONFIG);
	assert_int_equal(printq_conf_check(&pc, &err), WMS_ECONFIG);
	assert_string_equal(err.msg, "[printer a] has no queue; add queue = <CUPS queue name>");
}

static void printer_by_purpose_and_station(void **state)
{
	struct printq_conf pc;
	struct wms_error err;
	char buf[128];

	printq_conf_init(&pc);
	assert_int_equal(printq_conf_section(&pc, "printer a", "queue", "qa", &err), 0);
	assert_int_equal(printq_conf_section(&pc, "printer a", "purposes", "shipping, return", &err), 0);
	assert_int_equal(printq_conf_section(&pc, "printer a", "stations", "pack-1 pack-3", &err), 0);
	assert_int_equal(printq_conf_section(&pc, "printer b", "queue", "qb", &err), 0);
	assert_int_equal(printq_conf_section(&pc, "printer b", "purposes", "shipping", &err), 0);
	assert_int_equal(printq_conf_section(&pc, "printer b", "language", "pdf", &err), 0);
	assert_int_equal(printq_conf_section(&pc, "labels", "templates", "/srv/labels", &err), 0);
	assert_int_equal(printq_conf_check(&pc, &err), 0);
	assert_string_equal(printq_conf_templates(&pc), "/srv/labels");
	assert_string_equal(printq_conf_for(&pc, LABEL_SHIPPING, "pack-3")->name, "a");
	assert_string_equal(printq_conf_for(&pc, LABEL_SHIPPING, "pack-2")->name, "b");
	assert_string_equal(printq_conf_for(&pc, LABEL_SHIPPING, NULL)->name, "b");
	assert_null(printq_conf_for(&pc, LABEL_RETURN, "pack-2"));
	assert_null(printq_conf_for(&pc, LABEL_RETURN, "pack-11"));
	assert_string_equal(printq_conf_for(&pc, LABEL_RETURN, "pack-1")->name, "a");
	assert_string_equal(printq_conf_find(&pc, "b")->queue, "qb");
	assert_null(printq_conf_find(&pc, "c"));
	assert_string_equal(printq_lang_name(printq_conf_find(&pc, "b")->language), "pdf");
	assert_int_equal(printq_conf_find(&pc, "a")->dpi, 203);
	assert_string_equal(printq_purposes_text(printq_conf_find(&pc, "a")->purposes, buf,
						 sizeof buf), "shipping return");
}

static const char *const names[] = { "serial", "gtin", "product", "owner" };
static const char *const values[] = { "SN-1", "07350012345679", "Våg ^XZ~ \"x\"", "Region Örebro" };

static void payload_round_trip_and_refusals(void **state)
{
	struct label_fields *f = NULL;
	struct wms_error err;
	char *text = NULL;
	const char *bad[] = { "serial", "colour" };
	const char *badv[] = { "SN-1", "red" };

	assert_int_equal(printq_payload_text(LABEL_DEVICE, names, values, 4, &text, &err), 0);
	assert_string_equal(text, "{\"fields\":{\"gtin\":\"07350012345679\",\"owner\":\"Region "
			    "Örebro\",\"product\":\"Våg ^XZ~ \\\"x\\\"\",\"serial\":\"SN-1\"},"
			    "\"label\":\"device\"}");
	assert_int_equal(printq_payload_fields(text, &f, &err), 0);
	assert_int_equal(label_fields_kind(f), LABEL_DEVICE);
	assert_string_equal(label_fields_get(f, "product"), "Våg ^XZ~ \"x\"");
	assert_string_equal(label_fields_get(f, "owner"), "Region Örebro");
	label_fields_free(f);
	free(text);

	assert_int_equal(printq_payload_text(LABEL_DEVICE, names, values, 2, &text, &err),
			 WMS_EINVAL);   /* no product */
	assert_null(text);
	assert_non_null(strstr(err.msg, "product"));
	assert_int_equal(printq_payload_text(LABEL_DEVICE, bad, badv, 2, &text, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "colour"));
	assert_int_equal(printq_payload_fields("[1]", &f, &err), WMS_EINVAL);
	assert_null(f);
	assert_int_equal(printq_payload_fields("{\"label\":\"fax\",\"fields\":{}}", &f, &err),
			 WMS_EINVAL);
	assert_non_null(strstr(err.msg, "unknown label kind 'fax'"));
	assert_int_equal(printq_payload_fields("{\"label\":\"device\",\"fields\":{\"serial\":1}}",
					       &f, &err), WMS_EINVAL);
	assert_non_null(strstr(err.msg, "serial is not a string"));
	assert_int_equal(printq_payload_fields("{\"label\":\"device\",\"fields\":{},\"rows\":[{}]}",
					       &f, &err), WMS_EUNSUPP);
}

static void template_by_media(void **state)
{
	char name[64];

	printq_template_name(WMS_LABEL_TEMPLATES, LABEL_SHIPPING, "4x6", name, sizeof name);
	assert_string_equal(name, "shipping-4x6");
	printq_template_name(WMS_LABEL_TEMPLATES, LABEL_SHIPPING, "", name, sizeof name);
	assert_string_equal(name, "shipping-107x190");
	printq_template_name(WMS_LABEL_TEMPLATES, LABEL_SHIPPING, "a5", name, sizeof name);
	assert_string_equal(name, "shipping-107x190");
	printq_template_name(WMS_LABEL_TEMPLATES, LABEL_DEVICE, "4x6", name, sizeof name);
	assert_string_equal(name, "device");
}

static void document_per_language(void **state)
{
	struct label_fields *f = NULL;
	struct wms_error err;
	enum printq_format fmt;
	unsigned char *doc = NULL;
	size_t len = 0;
	char *text = NULL;

	assert_int_equal(printq_payload_text(LABEL_DEVICE, names, values, 4, &text, &err), 0);
	assert_int_equal(printq_payload_fields(text, &f, &err), 0);
	assert_int_equal(printq_render(WMS_LABEL_TEMPLATES, f, PRINTQ_LANG_ZPL, 300, NULL, &doc, &len,
				       &fmt, &err), 0);
	assert_int_equal(fmt, PRINTQ_RAW);
	assert_memory_equal(doc, "^XA", 3);
	assert_non_null(strstr((char *)doc, "_5EXZ_7E"));   /* ^ and ~ cannot end the field */
	free(doc);
	assert_int_equal(printq_render(WMS_LABEL_TEMPLATES, f, PRINTQ_LANG_PNG, 203, NULL, &doc, &len,
				       &fmt, &err), 0);
	assert_int_equal(fmt, PRINTQ_PNG);
	assert_memory_equal(doc, "\x89PNG", 4);
	free(doc);
	assert_int_equal(printq_render(WMS_LABEL_TEMPLATES, f, PRINTQ_LANG_PDF, 203, NULL, &doc, &len,
				       &fmt, &err), 0);
	assert_int_equal(fmt, PRINTQ_PDF);
	assert_memory_equal(doc, "%PDF", 4);
	free(doc);
	assert_int_equal(printq_render("/nonexistent", f, PRINTQ_LANG_PDF, 203, NULL, &doc, &len,
				       &fmt, &err), WMS_EIO);
	assert_null(doc);
	label_fields_free(f);
	free(text);
}

static int teardown(void **state)
{
	label_render_finalise();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_file_errors_name_the_line),
		cmocka_unit_test(config_keys_validated),
		cmocka_unit_test(printer_by_purpose_and_station),
		cmocka_unit_test(payload_round_trip_and_refusals),
		cmocka_unit_test(template_by_media),
		cmocka_unit_test(document_per_language),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
