/*
 * scan_interpret_fuzz.c - libFuzzer target for the whole interpretation
 * path (AIM prefix, GS1 element strings, bracketed GS1, Digital Link, own
 * labels, text), plus the GS1 parsers on their own.  Beyond memory safety
 * (ASan/UBSan) it checks invariants: results are either success with a kind
 * or WMS_EINVAL with a one-line printable message; parsed GS1 data survives
 * a round trip through the bracketed form; UDI GTINs have a valid check
 * digit.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "barcode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		__builtin_trap();
}

static void check_error(int rc, const struct wms_error *err)
{
	size_t i, n;

	check(rc == 0 || rc == WMS_EINVAL);
	if (rc == 0)
		return;
	n = strlen(err->msg);
	check(n > 0 && n < sizeof err->msg);
	for (i = 0; i < n; i++)
		check((unsigned char)err->msg[i] >= 0x20 && (unsigned char)err->msg[i] < 0x7f);
}

static void check_round_trip(const struct gs1_data *d)
{
	static struct gs1_data again;
	static char buf[GS1_MAX_ELEMENTS * (GS1_AI_MAX + 2 + 2 * GS1_VALUE_MAX) + 1];
	size_t i;
	int n;

	if (d->count == 0)
		return;
	n = gs1_format_bracketed(d, buf, sizeof buf);
	check(n > 0);
	check(gs1_parse_bracketed(buf, (size_t)n, &again, NULL) == 0);
	check(again.count == d->count);
	for (i = 0; i < d->count; i++) {
		check(strcmp(again.el[i].ai, d->el[i].ai) == 0);
		check(strcmp(again.el[i].value, d->el[i].value) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scan_result r;
	static struct gs1_data d;
	struct scan_options opt = { .ref_year = 2025, .aim = NULL };
	struct wms_error err = { 0 };
	int rc;

	rc = scan_interpret(data, size, &opt, &r, &err);
	check_error(rc, &err);
	if (rc == 0) {
		check(r.kind != SCAN_NONE);
		check(r.text_len <= SCAN_INPUT_MAX && strlen(r.text) <= r.text_len);
		if (r.kind == SCAN_UDI)
			check(strlen(r.udi.gtin) == 14 && gs1_check_digit_valid(r.udi.gtin, 14));
		if (r.kind == SCAN_SSCC)
			check(strlen(r.sscc) == 18 && gs1_check_digit_valid(r.sscc, 18));
		check_round_trip(&r.gs1);
	} else {
		check(r.kind == SCAN_NONE);
		check(r.gs1.count == 0);
		if (r.gs1.fault == GS1_FAULT_AMBIGUOUS)
			check(r.gs1.n_alternatives <= GS1_ALT_MAX);
	}

	/* the same bytes as if a ZBar source had derived ]C1 */
	opt.aim = "]C1";
	memset(&err, 0, sizeof err);
	check_error(scan_interpret(data, size, &opt, &r, &err), &err);

	/* each GS1 parser on its own */
	for (int sep = GS1_SEP_SENT; sep <= GS1_SEP_DROPPED; sep++) {
		memset(&err, 0, sizeof err);
		rc = gs1_parse_element_string((const char *)data, size, (enum gs1_separators)sep,
		                              &d, &err);
		check_error(rc, &err);
		if (rc == 0)
			check_round_trip(&d);
	}
	memset(&err, 0, sizeof err);
	rc = gs1_parse_bracketed((const char *)data, size, &d, &err);
	check_error(rc, &err);
	if (rc == 0)
		check_round_trip(&d);
	memset(&err, 0, sizeof err);
	rc = gs1_parse_digital_link((const char *)data, size, &d, &err);
	check_error(rc, &err);
	if (rc == 0)
		check_round_trip(&d);
	return 0;
}
