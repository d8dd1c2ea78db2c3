/*
 * scan_internal.h - helpers shared by the files of the scanners room; not
 * part of its public interface (not for callers outside scanners/).
 */
#ifndef WMS_SCANNERS_INTERNAL_H
#define WMS_SCANNERS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "gs1.h"

#define SCAN_QUOTE_MAX 48 /* input bytes shown before "..." */

/*
 * Render len bytes of untrusted input for an error message: printable
 * ASCII as is, '"' and '\\' escaped, anything else as \xHH, at most
 * SCAN_QUOTE_MAX bytes then "...".  out (size bytes) always NUL-terminated.
 * 4 * SCAN_QUOTE_MAX + 8 bytes always suffice.
 */
void scan_quote(char *out, size_t size, const char *s, size_t len);

#define SCAN_QUOTE_BUF (4 * SCAN_QUOTE_MAX + 8)

/* gs1_data.c: reset *d for a parse with the given syntax (enum gs1_syntax). */
void gs1_data_reset(struct gs1_data *d, enum gs1_syntax syntax);

/*
 * Record a failure: d->fault = fault, d->count = 0; returns WMS_EINVAL.
 * The message must already be in err.
 */
int gs1_data_fail(struct gs1_data *d, enum gs1_fault fault);

/*
 * Append an element whose value is already validated.  The same AI twice
 * with the same value is kept once; with a different value it is
 * GS1_FAULT_DUPLICATE.  More than GS1_MAX_ELEMENTS is GS1_FAULT_TOO_MANY.
 * Returns 0 or WMS_EINVAL (via gs1_data_fail()).
 */
int gs1_data_add(struct gs1_data *d, const struct gs1_ai_def *def, const char *ai,
                 size_t ai_len, const char *value, size_t len, struct wms_error *err);

/* Append value to buf (bracketed form: '(' written as "\(") from *pos,
 * keeping a NUL; returns false (and writes nothing more) if it does not fit. */
bool gs1_bracket_append(char *buf, size_t size, size_t *pos, const char *s, size_t len,
                        bool escape);

#endif
