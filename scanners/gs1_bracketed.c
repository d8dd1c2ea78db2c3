/*
 * gs1_bracketed.c - parse the human-readable bracketed form of GS1 data,
 * "(01)09506000134352(17)261231(10)ABC(21)123", as printed under a barcode
 * or typed by a person.  A '(' inside a value is written "\(" (the
 * convention of the GS1 Barcode Syntax Engine); every value is validated
 * exactly as in element strings.
 */
#include "gs1.h"

#include "scan_internal.h"

#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int gs1_parse_bracketed(const char *s, size_t n, struct gs1_data *out, struct wms_error *err)
{
	size_t pos = 0;

	gs1_data_reset(out, GS1_SYNTAX_BRACKETED);
	if (s == NULL || n == 0) {
		wms_error_set(err, WMS_EINVAL, "bracketed GS1 data is empty (expected e.g. "
		    "(01)09506000134352(10)ABC)");
		return gs1_data_fail(out, GS1_FAULT_EMPTY);
	}
	if (n > GS1_INPUT_MAX) {
		wms_error_set(err, WMS_EINVAL, "GS1 data is %zu bytes long, maximum is %d",
		    n, GS1_INPUT_MAX);
		return gs1_data_fail(out, GS1_FAULT_LENGTH);
	}
	while (pos < n) {
		const struct gs1_ai_def *def;
		char ai[GS1_AI_MAX + 1], value[GS1_VALUE_MAX + 1];
		size_t al = 0, vlen = 0;
		enum gs1_fault f;
		int rc;

		if (s[pos] != '(') {
			wms_error_set(err, WMS_EINVAL, "bracketed GS1 data: expected '(' and an "
			    "AI at offset %zu (a '(' inside a value is written \\()", pos);
			return gs1_data_fail(out, GS1_FAULT_SYNTAX);
		}
		pos++;
		while (pos < n && is_digit(s[pos]) && al < GS1_AI_MAX)
			ai[al++] = s[pos++];
		ai[al] = '\0';
		if (al < 2 || pos >= n || s[pos] != ')') {
			wms_error_set(err, WMS_EINVAL, "bracketed GS1 data: expected a 2-4 digit "
			    "AI and ')' at offset %zu (a '(' inside a value is written \\()",
			    pos - al);
			return gs1_data_fail(out, GS1_FAULT_SYNTAX);
		}
		pos++;
		def = gs1_ai_lookup(ai, al);
		if (def == NULL) {
			wms_error_set(err, WMS_EINVAL, "unknown GS1 Application Identifier (%s)",
			    ai);
			return gs1_data_fail(out, GS1_FAULT_UNKNOWN_AI);
		}
		while (pos < n && s[pos] != '(') {
			char c = s[pos];

			if (c == '\\' && pos + 1 < n && s[pos + 1] == '(') {
				c = '(';
				pos++;
			}
			pos++;
			if (vlen < GS1_VALUE_MAX)
				value[vlen] = c;
			vlen++;
		}
		if (vlen == 0) {
			wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s has no value", ai, def->title);
			return gs1_data_fail(out, GS1_FAULT_LENGTH);
		}
		if (vlen > GS1_VALUE_MAX) {
			wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s is %zu characters long, "
			    "maximum is %zu", ai, def->title, vlen, gs1_ai_max_len(def));
			return gs1_data_fail(out, GS1_FAULT_LENGTH);
		}
		f = gs1_validate(def, ai, value, vlen, err);
		if (f != GS1_FAULT_NONE)
			return gs1_data_fail(out, f);
		rc = gs1_data_add(out, def, ai, al, value, vlen, err);
		if (rc != 0)
			return rc;
	}
	if (gs1_check_associations(out, err) != GS1_FAULT_NONE)
		return gs1_data_fail(out, GS1_FAULT_ASSOCIATION);
	return 0;
}
