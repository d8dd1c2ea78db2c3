/*
 * courier_sscc.h - Serial Shipping Container Codes (GS1 AI 00) for our
 * parcels: extension digit, GS1 company prefix, serial reference, check
 * digit - 18 digits.  The serial reference comes from a durable counter
 * (table sscc_counters, one row per extension digit + prefix) incremented in
 * the caller's transaction, so an SSCC is never handed out twice even when
 * the program dies between numbering and printing.
 */
#ifndef COURIER_SSCC_H
#define COURIER_SSCC_H

#include <stdbool.h>

#include "wms_error.h"
#include "wms_store.h"

#define COURIER_SSCC_LEN 18

/*
 * The next SSCC for extension (0-9) and company_prefix (7-10 digits) into
 * out (19 bytes).  Must run inside a transaction (courier_tx_begin) so the
 * counter and the consignment commit together.  Refuses with WMS_ESTATE when
 * the serial reference space of the prefix is used up.
 */
int courier_sscc_next(struct wms_store *s, int extension, const char *company_prefix,
                      char out[COURIER_SSCC_LEN + 1], struct wms_error *err);

/* True when text is 18 digits with a valid check digit. */
bool courier_sscc_valid(const char *text);

#endif
