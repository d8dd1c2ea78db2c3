/*
 * scan_quote.c - make untrusted scanner bytes safe to put in a one-line
 * error message (no control bytes, bounded length), through the project's
 * one quoting helper wms_quote().
 */
#include "scan_internal.h"

void scan_quote(char *out, size_t size, const char *s, size_t len)
{
	wms_quote(out, size, s, len, SCAN_QUOTE_MAX);
}
