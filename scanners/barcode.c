/*
 * barcode.c - classification of one scan (scan_interpret()): find the AIM
 * identifier, pick the reading (GS1 element strings, bare GTIN, our own
 * labels, bracketed GS1, Digital Link, plain text) and build the result
 * (UDI fields, SSCC, dates with their century).  The order of decisions is
 * documented in barcode.h.
 */
#include "barcode.h"

#include "scan_internal.h"

#include <string.h>
#include <strings.h>
#include <time.h>

const char *scan_kind_name(enum scan_kind kind)
{
	switch (kind) {
	/* WMS_N_: a station's line names the kind in its language (wms_tr) */
	case SCAN_UDI:      return "UDI";
	case SCAN_SSCC:     return "SSCC";
	case SCAN_GS1:      return WMS_N_("GS1 data");
	case SCAN_LOCATION: return WMS_N_("location");
	case SCAN_ORDER:    return WMS_N_("order");
	case SCAN_USER:     return WMS_N_("user");
	case SCAN_COMMAND:  return WMS_N_("command");
	case SCAN_TEXT:     return WMS_N_("text");
	default:            return "none";
	}
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int current_year(void)
{
	time_t now = time(NULL);
	struct tm tm;

	if (gmtime_r(&now, &tm) == NULL)
		return 2000;
	return tm.tm_year + 1900;
}

static void make_date(const char *v, int ref_year, bool expiry, struct scan_date *d)
{
	int yy = (v[0] - '0') * 10 + (v[1] - '0');

	d->year = gs1_date_year(yy, ref_year);
	d->month = (v[2] - '0') * 10 + (v[3] - '0');
	d->day = (v[4] - '0') * 10 + (v[5] - '0');
	d->end_of_month = false;
	if (d->day == 0 && expiry) {
		d->day = gs1_days_in_month(d->year, d->month);
		d->end_of_month = true;
	}
}

static void copy_value(char *dst, size_t size, const struct gs1_element *e)
{
	size_t n = e != NULL ? strlen(e->value) : 0;

	if (n >= size)
		n = size - 1;
	if (n > 0)
		memcpy(dst, e->value, n);
	dst[n] = '\0';
}

/* Set kind and the UDI/SSCC fields from out->gs1. */
static void from_gs1(struct scan_result *out, int ref_year)
{
	const struct gs1_element *sscc = gs1_find(&out->gs1, "00");
	const struct gs1_element *gtin = gs1_find(&out->gs1, "01");
	const struct gs1_element *e;

	if (sscc != NULL) {
		out->kind = SCAN_SSCC;
		copy_value(out->sscc, sizeof out->sscc, sscc);
		return;
	}
	if (gtin == NULL) {
		out->kind = SCAN_GS1;
		return;
	}
	out->kind = SCAN_UDI;
	copy_value(out->udi.gtin, sizeof out->udi.gtin, gtin);
	copy_value(out->udi.serial, sizeof out->udi.serial, gs1_find(&out->gs1, "21"));
	copy_value(out->udi.lot, sizeof out->udi.lot, gs1_find(&out->gs1, "10"));
	if ((e = gs1_find(&out->gs1, "17")) != NULL) {
		out->udi.has_expiry = true;
		make_date(e->value, ref_year, true, &out->udi.expiry);
	}
	if ((e = gs1_find(&out->gs1, "11")) != NULL) {
		out->udi.has_manufactured = true;
		make_date(e->value, ref_year, false, &out->udi.manufactured);
	}
}

/* UPC-E (8 digits: number system, 6 digits, check) to UPC-A (12 digits). */
static bool upce_to_upca(const char *e, char a[13])
{
	const char *d = e + 1; /* d[0..5] */
	char m[6], it[6];

	if (e[0] != '0' && e[0] != '1')
		return false;
	switch (d[5]) {
	case '0': case '1': case '2':
		memcpy(m, (char[5]){ d[0], d[1], d[5], '0', '0' }, 5);
		memcpy(it, (char[5]){ '0', '0', d[2], d[3], d[4] }, 5);
		break;
	case '3':
		memcpy(m, (char[5]){ d[0], d[1], d[2], '0', '0' }, 5);
		memcpy(it, (char[5]){ '0', '0', '0', d[3], d[4] }, 5);
		break;
	case '4':
		memcpy(m, (char[5]){ d[0], d[1], d[2], d[3], '0' }, 5);
		memcpy(it, (char[5]){ '0', '0', '0', '0', d[4] }, 5);
		break;
	default:
		memcpy(m, d, 5);
		memcpy(it, (char[5]){ '0', '0', '0', '0', d[5] }, 5);
		break;
	}
	a[0] = e[0];
	memcpy(a + 1, m, 5);
	memcpy(a + 6, it, 5);
	a[11] = e[7];
	a[12] = '\0';
	return true;
}

/* A bare GTIN after ]E0/]E3/]E4/]I1. */
static int bare_gtin(const char *s, size_t n, struct scan_result *out, struct wms_error *err)
{
	char aim[AIM_ID_LEN + 1], q[SCAN_QUOTE_BUF], digits[15];
	char sym = out->aim.symbology, mod = out->aim.modifier;
	size_t len = n;

	aim_format(&out->aim, aim);
	scan_quote(q, sizeof q, s, n);
	if (!all_digits(s, n))
		return wms_error_set(err, WMS_EINVAL, "%s data \"%s\" must be digits only "
		    "(a GTIN)", aim, q);
	if (sym == 'E' && mod == '3' && (n == 15 || n == 18))
		len = 13; /* EAN-13 + 2- or 5-digit add-on: the add-on is dropped */
	if (sym == 'E' && mod == '0' && len == 8) {
		if (!upce_to_upca(s, digits))
			return wms_error_set(err, WMS_EINVAL, "%s UPC-E \"%s\" must start with "
			    "number system 0 or 1", aim, q);
		len = 12;
	} else {
		bool ok = (sym == 'E' && (mod == '0' || mod == '3') && (len == 13 || len == 12)) ||
		          (sym == 'E' && mod == '4' && len == 8) ||
		          (sym == 'I' && len == 14);

		if (!ok)
			return wms_error_set(err, WMS_EINVAL, "%s data \"%s\" has %zu digits; "
			    "allowed: ]E0 13 (or 12 UPC-A, 8 UPC-E), ]E3 13+2/13+5, ]E4 8, "
			    "]I1 14", aim, q, n);
		memcpy(digits, s, len);
		digits[len] = '\0';
	}
	if (!gs1_check_digit_valid(digits, len))
		return wms_error_set(err, WMS_EINVAL, "%s GTIN \"%s\": check digit %c is wrong, "
		    "expected %d (GS1 mod-10)", aim, q, digits[len - 1],
		    gs1_check_digit_compute(digits, len - 1));
	memset(out->udi.gtin, '0', 14 - len);
	memcpy(out->udi.gtin + 14 - len, digits, len);
	out->udi.gtin[14] = '\0';
	out->gs1.count = 1;
	memcpy(out->gs1.el[0].ai, "01", 3);
	memcpy(out->gs1.el[0].value, out->udi.gtin, 15);
	out->gs1.el[0].def = gs1_ai_lookup("01", 2);
	out->kind = SCAN_UDI;
	return 0;
}

/* Printable ASCII only; names the first offending byte. */
static int printable(const char *s, size_t n, size_t base, struct wms_error *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7e)
			return wms_error_set(err, WMS_EINVAL, "scan has byte 0x%02X at offset %zu%s; "
			    "allowed: printable ASCII 0x20-0x7E%s", c, base + i,
			    c == GS1_GS ? " (GS/FNC1)" : "",
			    c == GS1_GS ? " (GS only in GS1 data: ]C1 ]d2 ]Q3 ]e0)" : "");
	}
	return 0;
}

static bool looks_bracketed(const char *s, size_t n)
{
	size_t i = 1;

	if (n < 4 || s[0] != '(')
		return false;
	while (i < n && i <= 5 && s[i] >= '0' && s[i] <= '9')
		i++;
	return i >= 3 && i <= 5 && i < n && s[i] == ')';
}

static bool starts_ci(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && strncasecmp(s, p, k) == 0;
}

/* Without an AIM id: "01" + valid GTIN-14 or "00" + valid SSCC at the start. */
static bool looks_element_string(const char *s, size_t n)
{
	if (n >= 16 && s[0] == '0' && s[1] == '1' && all_digits(s + 2, 14) &&
	    gs1_check_digit_valid(s + 2, 14))
		return true;
	return n >= 20 && s[0] == '0' && s[1] == '0' && all_digits(s + 2, 18) &&
	       gs1_check_digit_valid(s + 2, 18);
}

static int fail(struct scan_result *out, int rc)
{
	struct aim_id aim = out->aim;
	enum gs1_fault fault = out->gs1.fault;

	out->kind = SCAN_NONE;
	out->aim = aim;
	out->gs1.fault = fault;
	out->gs1.count = 0;
	memset(&out->udi, 0, sizeof out->udi);
	out->sscc[0] = '\0';
	out->code[0] = '\0';
	out->command = SCAN_CMD_NONE;
	return rc;
}

int scan_interpret(const void *data, size_t len, const struct scan_options *opt,
                   struct scan_result *out, struct wms_error *err)
{
	const char *s = data;
	size_t n = len, off = 0;
	int ref_year = opt != NULL && opt->ref_year > 0 ? opt->ref_year : 0;
	bool have_aim = false, matched = false;
	enum gs1_separators sep = opt != NULL ? opt->gs : GS1_SEP_SENT;
	char sub = opt != NULL ? opt->gs_substitute : 0;
	char subst[SCAN_INPUT_MAX];
	enum aim_content content = AIM_CONTENT_TEXT;
	int rc;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		n = 0;
	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (n == 0)
		return fail(out, wms_error_set(err, WMS_EINVAL, "empty scan: no data"));
	if (n > SCAN_INPUT_MAX)
		return fail(out, wms_error_set(err, WMS_EINVAL, "scan is %zu bytes long, "
		    "maximum is %d", n, SCAN_INPUT_MAX));

	if (opt != NULL && opt->aim != NULL) {
		rc = aim_parse(opt->aim, strlen(opt->aim), &out->aim, err);
		if (rc != 0)
			return fail(out, rc);
		have_aim = true;
	} else if (aim_present(s, n)) {
		aim_parse(s, n, &out->aim, NULL);
		have_aim = true;
		off = AIM_ID_LEN;
	}
	s += off;
	n -= off;
	memcpy(out->text, s, n);
	out->text[n] = '\0';
	out->text_len = n;
	if (ref_year == 0)
		ref_year = current_year();
	if (have_aim)
		content = aim_content_of(&out->aim);

	if (sub != 0 && (content == AIM_CONTENT_GS1 || !have_aim) && memchr(s, sub, n) != NULL &&
	    (content == AIM_CONTENT_GS1 || looks_element_string(s, n))) {
		size_t i;

		for (i = 0; i < n; i++) /* the scanner's stand-in for FNC1 */
			subst[i] = s[i] == sub ? (char)GS1_GS : s[i];
		s = subst;
	}
	if (content == AIM_CONTENT_GS1) {
		rc = gs1_parse_element_string(s, n, sep, &out->gs1, err);
		goto gs1_out;
	}
	if (n == 0)
		return fail(out, wms_error_set(err, WMS_EINVAL, "empty scan: only the AIM "
		    "identifier, no data"));
	if (content == AIM_CONTENT_GTIN && out->aim.symbology == 'I' && n != 14)
		content = AIM_CONTENT_TEXT; /* ITF with a check digit, but not ITF-14 */
	if (content == AIM_CONTENT_GTIN)
		return bare_gtin(s, n, out, err) == 0 ? 0 : fail(out, WMS_EINVAL);

	if (!have_aim && memchr(s, GS1_GS, n) != NULL) {
		rc = gs1_parse_element_string(s, n, sep, &out->gs1, err);
		goto gs1_out;
	}
	rc = printable(s, n, off, err);
	if (rc != 0)
		return fail(out, rc);
	rc = scan_label_parse(s, n, out, &matched, err);
	if (matched)
		return rc == 0 ? 0 : fail(out, rc);
	if (looks_bracketed(s, n)) {
		rc = gs1_parse_bracketed(s, n, &out->gs1, err);
		goto gs1_out;
	}
	if (starts_ci(s, n, "https://") || starts_ci(s, n, "http://")) {
		rc = gs1_parse_digital_link(s, n, &out->gs1, err);
		if (rc != 0 && out->gs1.fault == GS1_FAULT_NOT_GS1) {
			wms_error_clear(err);
			memset(&out->gs1, 0, sizeof out->gs1);
			out->kind = SCAN_TEXT;
			return 0;
		}
		goto gs1_out;
	}
	if (!have_aim && looks_element_string(s, n)) {
		rc = gs1_parse_element_string(s, n, sep, &out->gs1, err);
		goto gs1_out;
	}
	out->kind = SCAN_TEXT;
	return 0;

gs1_out:
	if (rc != 0)
		return fail(out, rc);
	from_gs1(out, ref_year);
	return 0;
}
