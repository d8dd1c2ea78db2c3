/*
 * barcode.h - what a scan means: classify the bytes of one scan (with an
 * optional AIM symbology identifier) into a UDI, an SSCC, other GS1 data,
 * one of our own labels, a command barcode, or plain text.  Knows nothing
 * of the ledger; the station decides what to do with the result.
 *
 * Our own label formats (printed by printing/, case-sensitive, printable
 * ASCII, the prefix upper case; a prefix in another case is an error, not
 * text):
 *
 *   LOC:<code>    location; code 1-32 of A-Z 0-9 - . /        e.g. LOC
 *   ORD:<number>  order; 1-12 digits                          e.g. ORD:20250042
 *   USR:<id>      user badge; 1-32 of A-Z a-z 0-9 - _ .       e.g. USR:anna.l
 *   CMD:<WORD>    command; WORD one of RECEIPT PUTAWAY TRANSFER PICK DISPATCH
 *                 RETURN RECON COUNT CANCEL DONE               e.g. CMD:PICK
 *
 * How data is read, in order:
 *   1. Trailing CR/LF are dropped; then empty, or longer than SCAN_INPUT_MAX,
 *      is an error.
 *   2. The AIM identifier is opt->aim if given (ZBar sources), else the
 *      first three bytes if they look like one ("]C1").
 *   3. GS1 identifiers (]C1 ]d2 ]Q3 ]e0 ]J1 ...): GS1 element strings.
 *      EAN/UPC (]E0: 13 digits, or ZBar's 12-digit UPC-A / 8-digit UPC-E;
 *      ]E3: 13 + add-on; ]E4: 8) and ]I1 with 14 digits: a bare GTIN.
 *      With opt->gs_substitute set, that byte stands for GS in them.
 *   4. Otherwise printable ASCII only, then: own label prefixes; "(NN)..."
 *      bracketed GS1; "http(s)://" with a GS1 primary key path: Digital
 *      Link (a URL without one is plain text).  Without any AIM identifier,
 *      data holding a GS byte, or starting "01" + a valid GTIN-14 or "00" +
 *      a valid SSCC, is read as GS1 element strings too (wedge scanners
 *      that send no identifier).  Anything else is SCAN_TEXT.
 * GS1 data with AI 00 is SCAN_SSCC (even with 01 present: a logistic label);
 * with 01 SCAN_UDI; other GS1 data SCAN_GS1.
 *
 * Dates: the century of YY follows the GS1 sliding window around
 * opt->ref_year (0 = the current UTC year), see gs1_date_year().
 */
#ifndef WMS_SCANNERS_BARCODE_H
#define WMS_SCANNERS_BARCODE_H

#include <stdbool.h>
#include <stddef.h>

#include "aim.h"
#include "gs1.h"
#include "wms_error.h"

#define SCAN_INPUT_MAX  1024  /* bytes in one scan, AIM identifier included */
#define SCAN_CODE_MAX   32    /* location code, order number, user id */

enum scan_kind {
	SCAN_NONE = 0,     /* nothing (after a failure) */
	SCAN_UDI,          /* GS1 data with a GTIN (01), or an EAN/UPC/ITF-14 GTIN */
	SCAN_SSCC,         /* GS1 data with an SSCC (00) */
	SCAN_GS1,          /* other GS1 data (GLN, GIAI, ...): see result.gs1 */
	SCAN_LOCATION,     /* LOC:<code> */
	SCAN_ORDER,        /* ORD:<number> */
	SCAN_USER,         /* USR:<id> */
	SCAN_COMMAND,      /* CMD:<WORD> */
	SCAN_TEXT,         /* anything else printable: a serial number, a URL, ... */
};

enum scan_command {
	SCAN_CMD_NONE = 0,
	SCAN_CMD_RECEIPT, SCAN_CMD_PUTAWAY, SCAN_CMD_TRANSFER, SCAN_CMD_PICK,
	SCAN_CMD_DISPATCH, SCAN_CMD_RETURN, SCAN_CMD_RECON, SCAN_CMD_COUNT,
	SCAN_CMD_CANCEL, SCAN_CMD_DONE,
};

/* A GS1 YYMMDD date with its century resolved. */
struct scan_date {
	int year, month, day; /* day 0: the barcode gave day 00 (no day) */
	bool end_of_month;    /* expiry with day 00: day holds the month's last day */
};

struct scan_udi {
	char gtin[15];        /* 14 digits (GTIN-8/12/13 zero-padded) */
	char serial[21];      /* (21), "" if absent */
	char lot[21];         /* (10), "" if absent */
	bool has_expiry;      /* (17) */
	struct scan_date expiry;
	bool has_manufactured; /* (11) */
	struct scan_date manufactured;
};

/* Filled by scan_interpret(); the caller owns it (no pointers inside
 * except gs1 element defs, which point to static tables). */
struct scan_result {
	enum scan_kind kind;
	struct aim_id aim;            /* symbology = 0 when none given */
	struct scan_udi udi;          /* SCAN_UDI */
	char sscc[19];                /* SCAN_SSCC: 18 digits */
	char code[SCAN_CODE_MAX + 1]; /* LOCATION code, ORDER number, USER id */
	enum scan_command command;    /* SCAN_COMMAND */
	char text[SCAN_INPUT_MAX + 1];/* the data after the AIM identifier */
	size_t text_len;
	struct gs1_data gs1;          /* UDI/SSCC/GS1 elements; after a GS1 failure
	                               * gs1.fault (e.g. GS1_FAULT_AMBIGUOUS) and
	                               * gs1.alternatives say more */
};

struct scan_options {
	int ref_year;       /* year for the GS1 century window; 0 = now (UTC) */
	const char *aim;    /* "]C1" derived by the source (aim_from_zbar_name()),
	                     * or NULL to look for one at the start of the data */
	enum gs1_separators gs; /* GS1_SEP_SENT (default): GS1 element strings
	                     * are read literally; GS1_SEP_DROPPED: the source
	                     * may drop GS, a missing one is inferred (gs1.h) */
	char gs_substitute; /* 0, or the printable byte the scanner sends for
	                     * FNC1 (many send e.g. '~' or '^' instead of GS): in
	                     * GS1 element strings it is read as GS */
};

/*
 * Classify one scan.  IN: data, len bytes (binary-safe, untrusted);
 * opt may be NULL (defaults above).  OUT: *out, fully reset first; on
 * failure kind is SCAN_NONE and gs1.fault may say more.  Returns 0, or
 * WMS_EINVAL with a one-line message naming what was wrong and what is
 * allowed.  Does not allocate; reentrant.
 */
int scan_interpret(const void *data, size_t len, const struct scan_options *opt,
                   struct scan_result *out, struct wms_error *err);

/* "UDI", "SSCC", "location", ...; never NULL. */
const char *scan_kind_name(enum scan_kind kind);

/* scan_label.c: our own labels. */

/* "RECEIPT", ...; "" for SCAN_CMD_NONE or an unknown value. */
const char *scan_command_name(enum scan_command cmd);

/* Word (len bytes, case-sensitive) -> command; WMS_EINVAL lists the words. */
int scan_command_parse(const char *word, size_t len, enum scan_command *cmd,
                       struct wms_error *err);

/*
 * If data starts with one of our label prefixes (in any case), parse it
 * into out (kind, code/command) and return 0 or WMS_EINVAL; *matched says
 * whether it was one of ours at all (false: out untouched, returns 0).
 */
int scan_label_parse(const char *data, size_t len, struct scan_result *out, bool *matched,
                     struct wms_error *err);

#endif
