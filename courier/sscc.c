/*
 * sscc.c - numbering of SSCCs from a durable counter (see courier_sscc.h).
 */
#include "courier_sscc.h"

#include "store_sql.h"
#include "wms_gs1_check.h"

#include <stdio.h>
#include <string.h>

bool courier_sscc_valid(const char *text)
{
	return text && strlen(text) == COURIER_SSCC_LEN &&
	       strspn(text, "0123456789") == COURIER_SSCC_LEN &&
	       wms_gs1_check_digit_ok(text, COURIER_SSCC_LEN);
}

int courier_sscc_next(struct wms_store *s, int extension, const char *company_prefix,
                      char out[COURIER_SSCC_LEN + 1], struct wms_error *err)
{
	static const char bump[] =
		"INSERT INTO sscc_counters(prefix, next) VALUES (?1, 1)"
		" ON CONFLICT(prefix) DO UPDATE SET next = next + 1 RETURNING next - 1";
	size_t plen = company_prefix ? strlen(company_prefix) : 0;
	char key[16], digits[48];
	long long serial, limit = 1;
	int ref_digits, check;
	sqlite3_stmt *st;
	int rc;

	out[0] = '\0';
	if (plen < 7 || plen > 10 || strspn(company_prefix, "0123456789") != plen)
		return wms_error_set(err, WMS_ECONFIG,
		                     "no GS1 company prefix: set [courier] gs1_company_prefix (7-10 digits)");
	if (extension < 0 || extension > 9)
		return wms_error_set(err, WMS_ECONFIG, "bad SSCC extension digit %d: 0-9", extension);
	ref_digits = 16 - (int)plen;
	for (int i = 0; i < ref_digits; i++)
		limit *= 10;
	snprintf(key, sizeof key, "%d%s", extension, company_prefix);
	if ((st = wms_store_stmt(s, bump, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	serial = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || serial < 0)
		return wms_store_sql_error(s, err, "numbering an SSCC");
	if (serial >= limit)
		return wms_error_set(err, WMS_ESTATE,
		                     "SSCC serial references of prefix %s (extension %d) are used up: all %lld "
		                     "numbers of %d digits are taken; ask GS1 for another prefix",
		                     company_prefix, extension, limit, ref_digits);
	snprintf(digits, sizeof digits, "%s%0*lld", key, ref_digits, serial);   /* 17 digits */
	check = wms_gs1_check_digit(digits, COURIER_SSCC_LEN - 1);
	memcpy(out, digits, COURIER_SSCC_LEN - 1);
	out[COURIER_SSCC_LEN - 1] = (char)('0' + check);
	out[COURIER_SSCC_LEN] = '\0';
	return 0;
}
