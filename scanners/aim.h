/*
 * aim.h - AIM symbology identifiers (ISO/IEC 15424): "]Cm" prefixes.
 *
 * A scanner configured to do so sends three characters before the data:
 * ']', a symbology letter and a modifier character, e.g. "]C1" for GS1-128
 * or "]d2" for GS1 DataMatrix.  The modifier says, among other things,
 * whether the data is GS1 element strings (FNC1 in first position).
 * ZBar sends no identifier at all, so aim_from_zbar_name() derives one from
 * the symbol type and ZBar's GS1 modifier flag; this file does not link
 * ZBar, callers pass the name string (zbar_get_symbol_name()) or the
 * numeric zbar_symbol_type_t value.
 *
 * struct aim_id is a plain value (two characters), filled by the functions
 * below; nothing here allocates.
 */
#ifndef WMS_SCANNERS_AIM_H
#define WMS_SCANNERS_AIM_H

#include <stdbool.h>
#include <stddef.h>

#include "wms_error.h"

#define AIM_ID_LEN 3 /* "]C1" */

struct aim_id {
	char symbology; /* 'C', 'd', 'Q', 'e', 'E', 'I', 'A', ...; 0 = none */
	char modifier;  /* '0'-'9', 'A'-'Z' or 'a'-'z' */
};

/* What the data after an identifier is, as far as the identifier says. */
enum aim_content {
	AIM_CONTENT_TEXT = 0, /* ordinary data (]C0, ]d1, ]Q1, ]A0, ...) */
	AIM_CONTENT_GS1,      /* GS1 element strings, FNC1 as GS (]C1, ]d2, ]Q3, ]e0, ]J1, ...) */
	AIM_CONTENT_GTIN,     /* a bare GTIN without AI: EAN/UPC (]E0, ]E3, ]E4), ITF-14 (]I1) */
};

/*
 * Parse the identifier at the start of data (len bytes, not NUL-terminated).
 * Needs len >= 3, data[0] == ']', a letter and an alphanumeric modifier.
 * OUT: *id (zeroed on failure).  Returns 0 or WMS_EINVAL.
 * Unknown letters are accepted (aim_symbology_name() says "unknown").
 */
int aim_parse(const char *data, size_t len, struct aim_id *id, struct wms_error *err);

/* True if data (len bytes) starts with something aim_parse() would accept. */
bool aim_present(const char *data, size_t len);

/* Write "]C1" and a NUL into out (AIM_ID_LEN + 1 bytes); "" when id is none. */
void aim_format(const struct aim_id *id, char out[AIM_ID_LEN + 1]);

/* Human name of the symbology ("Code 128", "Data Matrix", ...); never NULL. */
const char *aim_symbology_name(char symbology);

/* What the identifier says about the data (see enum aim_content). */
enum aim_content aim_content_of(const struct aim_id *id);

/* Shorthand: aim_content_of(id) == AIM_CONTENT_GS1. */
bool aim_is_gs1(const struct aim_id *id);

/*
 * Derive the identifier a scanner would have sent from a ZBar symbol type
 * name as returned by zbar_get_symbol_name() ("CODE-128", "QR-Code",
 * "EAN-13", "UPC-A", "UPC-E", "EAN-8", "I2/5", "DataBar", "DataBar-Exp",
 * "CODE-39", "CODE-93", "Codabar", "PDF417", "ISBN-10", "ISBN-13",
 * "EAN-2", "EAN-5", "COMPOSITE", "SQ-Code") and ZBar's GS1 modifier
 * (zbar_symbol_get_modifiers() & (1 << ZBAR_MOD_GS1)).  "DataMatrix" is
 * accepted too, for libdmtx sources (gs1 = FNC1 in first position).
 * Mapping: CODE-128 -> ]C0 / ]C1 (gs1), QR-Code -> ]Q1 / ]Q3,
 * DataMatrix -> ]d1 / ]d2, DataBar(-Exp) and COMPOSITE -> ]e0,
 * EAN-13/UPC-A/UPC-E/ISBN-13 -> ]E0, EAN-8 -> ]E4, EAN-2 -> ]E1,
 * EAN-5 -> ]E2, I2/5 -> ]I0 (ZBar does not verify an ITF check digit),
 * CODE-39 -> ]A0, CODE-93 -> ]G0, Codabar -> ]F0, PDF417 -> ]L0,
 * ISBN-10 and SQ-Code -> ]X0.
 * Note that ZBar sends UPC-A as 12 and UPC-E as 8 digits where a scanner
 * sends 13; scan_interpret() accepts both under ]E0.
 * Returns 0, or WMS_EINVAL for an unknown name or a GS1 flag on a
 * symbology that has no GS1 form.
 */
int aim_from_zbar_name(const char *name, bool gs1, struct aim_id *id, struct wms_error *err);

/* Numeric values of zbar_symbol_type_t (zbar.h 0.23), mirrored, not linked. */
enum aim_zbar_type {
	AIM_ZBAR_EAN2 = 2, AIM_ZBAR_EAN5 = 5, AIM_ZBAR_EAN8 = 8, AIM_ZBAR_UPCE = 9,
	AIM_ZBAR_ISBN10 = 10, AIM_ZBAR_UPCA = 12, AIM_ZBAR_EAN13 = 13,
	AIM_ZBAR_ISBN13 = 14, AIM_ZBAR_COMPOSITE = 15, AIM_ZBAR_I25 = 25,
	AIM_ZBAR_DATABAR = 34, AIM_ZBAR_DATABAR_EXP = 35, AIM_ZBAR_CODABAR = 38,
	AIM_ZBAR_CODE39 = 39, AIM_ZBAR_PDF417 = 57, AIM_ZBAR_QRCODE = 64,
	AIM_ZBAR_SQCODE = 80, AIM_ZBAR_CODE93 = 93, AIM_ZBAR_CODE128 = 128,
};

/* As aim_from_zbar_name() but from the numeric type (add-on bits ignored). */
int aim_from_zbar_type(int zbar_type, bool gs1, struct aim_id *id, struct wms_error *err);

#endif
