/*
 * wms_gs1_check.h - the GS1 mod-10 check digit of GTINs, SSCCs and GLNs.
 * Part of the base library (wmsbase) that every room may link, so that the
 * core, the scanners and the printing room compute it one way.
 */
#ifndef WMS_GS1_CHECK_H
#define WMS_GS1_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* Check digit for the len data digits (weights 3,1,3,... from the right);
 * -1 when a character is not a digit. */
int wms_gs1_check_digit(const char *digits, size_t len);

/* True when the last of len >= 2 digits is the right check digit. */
bool wms_gs1_check_digit_ok(const char *digits, size_t len);

#endif
