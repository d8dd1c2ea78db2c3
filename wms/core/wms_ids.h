/*
 * wms_ids.h - validation of the identifiers that come from people and
 * scanners: serial numbers (individnummer), GTINs, codes, order numbers.
 * Each check writes a message that names the bad text and what is allowed.
 */
#ifndef WMS_IDS_H
#define WMS_IDS_H

#include <stdbool.h>

#include "wms_error.h"

#define WMS_SERIAL_MAX 40
#define WMS_CODE_MAX   32

/* 1-40 characters of A-Z a-z 0-9 - . _ / (what a GS1 AI 21 serial and our own labels use). */
int wms_check_serial(const char *serial, struct wms_error *err);

/* 1-32 characters of A-Z 0-9 - . _ / (product, customer, location codes). */
int wms_check_code(const char *what, const char *code, struct wms_error *err);

/* Order number: 1-32 characters of A-Z a-z 0-9 - _ / . */
int wms_check_order_number(const char *number, struct wms_error *err);

/*
 * GTIN-8/12/13/14 with a valid GS1 mod-10 check digit, normalised to 14
 * digits in out (15 bytes).
 */
int wms_gtin_normalise(const char *gtin, char out[15], struct wms_error *err);

/* A calendar date "YYYY-MM-DD" of years 1990-2199 (expiry, manufacture dates). */
int wms_check_plain_date(const char *what, const char *text, struct wms_error *err);

#endif
