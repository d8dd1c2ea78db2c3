/*
 * gs1_validate.c - is this value right for this AI?  Length, the
 * components in turn (each takes what is left up to its maximum, an
 * optional one may be absent once the value is used up), their character
 * sets (digits, GS1 sets 82, 39 and 64) and their linters (gs1_lint.c).
 * Messages name the AI, what was wrong and what is allowed.
 */
#include "gs1.h"

#include "scan_internal.h"
#include "wms_gs1_check.h"

#include <stdio.h>
#include <string.h>

/* Set 82: ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z */
bool gs1_is_cset82(unsigned char c)
{
	return c == '!' || c == '"' || (c >= '%' && c <= '?') ||
	       (c >= 'A' && c <= 'Z') || c == '_' || (c >= 'a' && c <= 'z');
}

bool gs1_is_cset39(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       c == '#' || c == '-' || c == '/';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int gs1_check_digit_compute(const char *digits, size_t len)
{
	return wms_gs1_check_digit(digits, len);
}

bool gs1_check_digit_valid(const char *digits, size_t len)
{
	return wms_gs1_check_digit_ok(digits, len);
}

int gs1_days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (month < 1 || month > 12)
		return 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

int gs1_date_year(int yy, int ref_year)
{
	int century = ref_year - ref_year % 100;
	int diff = yy - ref_year % 100;

	if (diff >= 51)
		return century - 100 + yy;
	if (diff <= -50)
		return century + 100 + yy;
	return century + yy;
}

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

enum gs1_fault gs1_date_check(const char *s, bool allow_day00, struct wms_error *err)
{
	int yy, mm, dd, max;
	size_t i;

	for (i = 0; i < 6; i++)
		if (!is_digit(s[i])) {
			wms_error_set(err, WMS_EINVAL, "date must be 6 digits YYMMDD");
			return GS1_FAULT_DATE;
		}
	yy = two(s);
	mm = two(s + 2);
	dd = two(s + 4);
	if (mm < 1 || mm > 12) {
		wms_error_set(err, WMS_EINVAL, "month %02d is not 01-12 (date YYMMDD)", mm);
		return GS1_FAULT_DATE;
	}
	/* YY % 4 decides leap years: right for 2000-2099 (2000 is one) */
	max = gs1_days_in_month(2000 + yy, mm);
	if (dd == 0 && allow_day00)
		return GS1_FAULT_NONE;
	if (dd < 1 || dd > max) {
		wms_error_set(err, WMS_EINVAL, "day %02d is not valid in month %02d of 20%02d "
		    "(01-%02d%s)", dd, mm, yy, max,
		    allow_day00 ? wms_tr(", or 00 for no day") : wms_tr("; day 00 not allowed for this AI"));
		return GS1_FAULT_DATE;
	}
	return GS1_FAULT_NONE;
}

static const char *cset_name(unsigned char cset)
{
	switch (cset) {
	case GS1_CSET_N:  return "digits 0-9 only";
	case GS1_CSET_39: return "GS1 character set 39: A-Z 0-9 # - /";
	case GS1_CSET_64: return "GS1 character set 64: A-Z a-z 0-9 - _ and '=' padding";
	default:          return "GS1 character set 82: A-Z a-z 0-9 and !\"%&'()*+,-./:;<=>?_";
	}
}

static bool cset_ok(unsigned char cset, unsigned char c)
{
	switch (cset) {
	case GS1_CSET_N:  return is_digit((char)c);
	case GS1_CSET_39: return gs1_is_cset39(c);
	case GS1_CSET_64: return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	                         is_digit((char)c) || c == '-' || c == '_' || c == '=';
	default:          return gs1_is_cset82(c);
	}
}

/* Describe the length rule of def, e.g. "14 digits", "1-20 characters". */
static void length_rule(const struct gs1_ai_def *def, char *buf, size_t size)
{
	size_t min = gs1_ai_min_len(def), max = gs1_ai_max_len(def);
	const char *unit = gs1_ai_ncomp(def) == 1 && def->comp[0].cset == GS1_CSET_N
	    ? "digits" : "characters";

	if (min == max)
		snprintf(buf, size, "exactly %zu %s", min, unit);
	else
		snprintf(buf, size, "%zu-%zu %s", min, max, unit);
}

/* Set 64 padding: at most two '=' at the end, making the length a multiple of 3. */
static bool cset64_padding_ok(const char *v, size_t n)
{
	size_t pads = 0, i;

	while (pads < n && v[n - 1 - pads] == '=')
		pads++;
	for (i = 0; i < n - pads; i++)
		if (v[i] == '=')
			return false;
	return pads == 0 || (pads <= 2 && n % 3 == 0);
}

enum gs1_fault gs1_validate(const struct gs1_ai_def *def, const char *ai,
                            const char *value, size_t len, struct wms_error *err)
{
	char q[SCAN_QUOTE_BUF], rule[96];
	size_t i, k, pos = 0, nc = gs1_ai_ncomp(def);
	enum gs1_fault f;

	if (len < gs1_ai_min_len(def) || len > gs1_ai_max_len(def)) {
		if (err == NULL)
			return GS1_FAULT_LENGTH;
		length_rule(def, rule, sizeof rule);
		scan_quote(q, sizeof q, value, len);
		wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s \"%s\" has %zu characters, "
		    "allowed %s", ai, def->title, q, len, rule);
		return GS1_FAULT_LENGTH;
	}
	for (i = 0; i < nc; i++) {
		const struct gs1_component *c = &def->comp[i];
		size_t n = len - pos < c->max ? len - pos : c->max;

		if (n == 0 && c->optional)
			continue;
		if (n < c->min) {
			if (err == NULL)
				return GS1_FAULT_LENGTH;
			length_rule(def, rule, sizeof rule);
			scan_quote(q, sizeof q, value, len);
			if (c->min == c->max)
				snprintf(rule + strlen(rule), sizeof rule - strlen(rule), "; part %zu "
				         "needs %u", i + 1, c->min);
			else
				snprintf(rule + strlen(rule), sizeof rule - strlen(rule), "; part %zu "
				         "needs %u-%u", i + 1, c->min, c->max);
			wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s \"%s\": part %zu has %zu "
			    "characters (allowed %s)", ai, def->title, q, i + 1, n, rule);
			return GS1_FAULT_LENGTH;
		}
		for (k = 0; k < n; k++) {
			unsigned char ch = (unsigned char)value[pos + k];

			if (!cset_ok(c->cset, ch)) {
				char qc[8];

				if (err == NULL)
					return GS1_FAULT_CHARSET;
				scan_quote(qc, sizeof qc, (const char *)&value[pos + k], 1);
				scan_quote(q, sizeof q, value, len);
				wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s \"%s\": character "
				    "'%s' at position %zu is not allowed (%s)", ai, def->title,
				    q, qc, pos + k + 1, cset_name(c->cset));
				return GS1_FAULT_CHARSET;
			}
		}
		if (c->cset == GS1_CSET_64 && !cset64_padding_ok(value + pos, n)) {
			if (err != NULL) {
				scan_quote(q, sizeof q, value, len);
				wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s \"%s\": '=' only as "
				    "padding, one or two at the end of a multiple of 3 characters",
				    ai, def->title, q);
			}
			return GS1_FAULT_CHARSET;
		}
		for (k = 0; k < GS1_COMP_LINTS && c->lint[k] != GS1_LINT_NONE; k++) {
			f = gs1_lint_check((enum gs1_lint)c->lint[k], ai, value + pos, n, err);
			if (f != GS1_FAULT_NONE)
				return f;
		}
		pos += n;
	}
	return GS1_FAULT_NONE;
}
