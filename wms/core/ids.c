/*
 * ids.c - validation of serials, codes, order numbers, GTINs and plain dates.
 */
#include "wms_ids.h"

#include "wms_calendar.h"
#include "wms_gs1_check.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool all_of(const char *s, const char *extra, bool lower_ok)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isdigit(c) || (c >= 'A' && c <= 'Z') || (lower_ok && c >= 'a' && c <= 'z') ||
		    (c != '\0' && strchr(extra, c)))
			continue;
		return false;
	}
	return true;
}

int wms_check_serial(const char *serial, struct wms_error *err)
{
	size_t n = serial ? strlen(serial) : 0;

	if (n == 0)
		return wms_error_set(err, WMS_EINVAL, "missing serial number");
	if (n > WMS_SERIAL_MAX || !all_of(serial, "-._/", true))
		return wms_error_set(err, WMS_EINVAL,
		                     "bad serial number \"%.60s\": use 1-%d characters A-Z a-z 0-9 - . _ /",
		                     serial, WMS_SERIAL_MAX);
	return 0;
}

int wms_check_code(const char *what, const char *code, struct wms_error *err)
{
	size_t n = code ? strlen(code) : 0;

	if (n == 0)
		return wms_error_set(err, WMS_EINVAL, "missing %s", what);
	if (n > WMS_CODE_MAX || !all_of(code, "-._/", false))
		return wms_error_set(err, WMS_EINVAL,
		                     "bad %s \"%.60s\": use 1-%d characters A-Z 0-9 - . _ /",
		                     what, code, WMS_CODE_MAX);
	return 0;
}

int wms_check_order_number(const char *number, struct wms_error *err)
{
	size_t n = number ? strlen(number) : 0;

	if (n == 0)
		return wms_error_set(err, WMS_EINVAL, "missing order number");
	if (n > WMS_CODE_MAX || !all_of(number, "-_/", true))
		return wms_error_set(err, WMS_EINVAL,
		                     "bad order number \"%.60s\": use 1-%d characters A-Z a-z 0-9 - _ /",
		                     number, WMS_CODE_MAX);
	return 0;
}

int wms_gtin_normalise(const char *gtin, char out[15], struct wms_error *err)
{
	size_t n = gtin ? strlen(gtin) : 0;

	if (!(n == 8 || n == 12 || n == 13 || n == 14) || !all_of(gtin, "", false) ||
	    strspn(gtin, "0123456789") != n)
		return wms_error_set(err, WMS_EINVAL,
		                     "bad GTIN \"%.40s\": expected 8, 12, 13 or 14 digits", gtin ? gtin : "");
	memset(out, '0', 14 - n);
	memcpy(out + 14 - n, gtin, n);
	out[14] = '\0';
	if (!wms_gs1_check_digit_ok(out, 14))
		return wms_error_set(err, WMS_EINVAL, "bad GTIN \"%s\": check digit should be %d",
		                     gtin, wms_gs1_check_digit(out, 13));
	return 0;
}

int wms_check_plain_date(const char *what, const char *text, struct wms_error *err)
{
	int y, m, d, used = 0;

	if (text == NULL || sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 ||
	    used != 10 || strlen(text) != 10)
		return wms_error_set(err, WMS_EINVAL, "bad %s \"%.40s\": expected YYYY-MM-DD",
		                     what, text ? text : "");
	if (y < 1990 || y > 2199 || !wms_date_valid(y, m, d))
		return wms_error_set(err, WMS_EINVAL,
		                     "bad %s \"%s\": no such date between 1990 and 2199", what, text);
	return 0;
}
