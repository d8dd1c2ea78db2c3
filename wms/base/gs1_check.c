/*
 * gs1_check.c - the GS1 mod-10 check digit (see wms_gs1_check.h).
 */
#include "wms_gs1_check.h"

int wms_gs1_check_digit(const char *digits, size_t len)
{
	int sum = 0;

	for (size_t i = 0; i < len; i++) {
		char c = digits[len - 1 - i];
		if (c < '0' || c > '9')
			return -1;
		sum += (c - '0') * (i % 2 == 0 ? 3 : 1);
	}
	return (10 - sum % 10) % 10;
}

bool wms_gs1_check_digit_ok(const char *digits, size_t len)
{
	int cd;

	if (digits == NULL || len < 2 || digits[len - 1] < '0' || digits[len - 1] > '9')
		return false;
	cd = wms_gs1_check_digit(digits, len - 1);
	return cd >= 0 && cd == digits[len - 1] - '0';
}
