/*
 * gs1_validate.c - is this value right for this AI?  Length, character set
 * (digits, GS1 set 82, GS1 set 39), mod-10 check digits (GTIN, SSCC, GLN,
 * GSIN, GSRN), YYMMDD dates, times and the small content rules of the AI
 * table.  Messages name the AI, what was wrong and what is allowed.
 *
 * Not checked (documented gap): ISO 3166 country codes are checked as
 * digits only; the GMN (8013) check character pair is not verified.
 */
#include "gs1.h"

#include "scan_internal.h"
#include "wms_gs1_check.h"

#include <stdio.h>

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
		    allow_day00 ? ", or 00 for no day" : "; day 00 not allowed for this AI");
		return GS1_FAULT_DATE;
	}
	return GS1_FAULT_NONE;
}

static const char *cset_name(unsigned char cset)
{
	switch (cset) {
	case GS1_CSET_N:  return "digits 0-9 only";
	case GS1_CSET_39: return "GS1 character set 39: A-Z 0-9 # - /";
	default:          return "GS1 character set 82: A-Z a-z 0-9 and !\"%&'()*+,-./:;<=>?_";
	}
}

static bool cset_ok(unsigned char cset, unsigned char c)
{
	switch (cset) {
	case GS1_CSET_N:  return is_digit((char)c);
	case GS1_CSET_39: return gs1_is_cset39(c);
	default:          return gs1_is_cset82(c);
	}
}

/* Describe the length rule of def, e.g. "14 digits", "1-20 characters". */
static void length_rule(const struct gs1_ai_def *def, char *buf, size_t size)
{
	size_t min = gs1_ai_min_len(def), max = gs1_ai_max_len(def);
	const char *unit = def->ncomp == 1 && def->comp[0].cset == GS1_CSET_N
	    ? "digits" : "characters";

	if (min == max)
		snprintf(buf, size, "exactly %zu %s", min, unit);
	else
		snprintf(buf, size, "%zu-%zu %s", min, max, unit);
}

static enum gs1_fault lint(const struct gs1_component *c, const char *ai,
                           const char *v, size_t len, struct wms_error *err)
{
	struct wms_error sub;
	char q[SCAN_QUOTE_BUF];
	int a, b;

	if (err != NULL)
		scan_quote(q, sizeof q, v, len);
	else
		q[0] = '\0';
	switch (c->lint) {
	case GS1_LINT_CSUM:
		if (!gs1_check_digit_valid(v, len)) {
			wms_error_set(err, WMS_EINVAL, "GS1 (%s) \"%s\": check digit %c is wrong, "
			    "expected %d (GS1 mod-10)", ai, q, v[len - 1],
			    gs1_check_digit_compute(v, len - 1));
			return GS1_FAULT_CHECK_DIGIT;
		}
		break;
	case GS1_LINT_YYMMDD:
	case GS1_LINT_YYMMD0:
		if (gs1_date_check(v, c->lint == GS1_LINT_YYMMD0, err != NULL ? &sub : NULL)
		    != GS1_FAULT_NONE) {
			wms_error_set(err, WMS_EINVAL, "GS1 (%s) date \"%s\": %s", ai, q,
			    err != NULL ? sub.msg : "");
			return GS1_FAULT_DATE;
		}
		break;
	case GS1_LINT_HHMM:
		a = two(v);
		b = two(v + 2);
		if (a > 23 || b > 59) {
			wms_error_set(err, WMS_EINVAL, "GS1 (%s) time \"%s\" is not HHMM "
			    "00:00-23:59", ai, q);
			return GS1_FAULT_VALUE;
		}
		break;
	case GS1_LINT_ZERO:
		if (v[0] != '0') {
			wms_error_set(err, WMS_EINVAL, "GS1 (%s) \"%s\": first digit must be 0",
			    ai, q);
			return GS1_FAULT_VALUE;
		}
		break;
	case GS1_LINT_ISO3166LIST:
		if (len % 3 != 0) {
			wms_error_set(err, WMS_EINVAL, "GS1 (%s) \"%s\": must be 1-5 three-digit "
			    "country codes (3, 6, 9, 12 or 15 digits)", ai, q);
			return GS1_FAULT_LENGTH;
		}
		break;
	case GS1_LINT_PIECE:
		a = two(v);
		b = two(v + 2);
		if (a < 1 || b < 1 || a > b) {
			wms_error_set(err, WMS_EINVAL, "GS1 (%s) piece \"%s\": must be piece NN of "
			    "total MM with 01 <= NN <= MM", ai, q);
			return GS1_FAULT_VALUE;
		}
		break;
	case GS1_LINT_NOZEROPREFIX:
		if (len > 1 && v[0] == '0') {
			wms_error_set(err, WMS_EINVAL, "GS1 (%s) \"%s\": no leading zero allowed",
			    ai, q);
			return GS1_FAULT_VALUE;
		}
		break;
	default:
		break;
	}
	return GS1_FAULT_NONE;
}

enum gs1_fault gs1_validate(const struct gs1_ai_def *def, const char *ai,
                            const char *value, size_t len, struct wms_error *err)
{
	char q[SCAN_QUOTE_BUF], rule[48];
	size_t i, pos = 0, max = gs1_ai_max_len(def);
	enum gs1_fault f;

	if (len < gs1_ai_min_len(def) || len > max) {
		if (err == NULL)
			return GS1_FAULT_LENGTH;
		length_rule(def, rule, sizeof rule);
		scan_quote(q, sizeof q, value, len);
		wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s \"%s\" has %zu characters, "
		    "allowed %s", ai, def->title, q, len, rule);
		return GS1_FAULT_LENGTH;
	}
	for (i = 0; i < def->ncomp; i++) {
		const struct gs1_component *c = &def->comp[i];
		size_t n, k;

		if (i + 1 < def->ncomp) {
			n = c->max; /* all but the last component are fixed */
		} else {
			n = len - pos;
			if (n == 0 && c->optional)
				break;
			if (n < c->min || n > c->max) {
				if (err == NULL)
					return GS1_FAULT_LENGTH;
				length_rule(def, rule, sizeof rule);
				scan_quote(q, sizeof q, value, len);
				wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s \"%s\" has the wrong "
				    "length, allowed %s", ai, def->title, q, rule);
				return GS1_FAULT_LENGTH;
			}
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
		f = lint(c, ai, value + pos, n, err);
		if (f != GS1_FAULT_NONE)
			return f;
		pos += n;
	}
	return GS1_FAULT_NONE;
}
