/*
 * gs1.h - GS1 Application Identifier data: the AI table, validation of
 * values, and parsing of the three ways such data reaches us into one
 * result type (struct gs1_data):
 *
 *   element strings   "0109506000134352" "10ABC" <GS> "21123"  (scanner
 *                     output after ]C1/]d2/]Q3/]e0; FNC1 sent as GS 0x1D)
 *   bracketed (HRI)   "(01)09506000134352(17)261231(10)ABC(21)123"
 *                     (a literal '(' inside a value is written "\(")
 *   Digital Link URI  "https://id.gs1.org/01/09506000134352/10/ABC/21/123?17=261231"
 *
 * The reference is the GS1 General Specifications and the GS1 Barcode
 * Syntax Dictionary (AI table, linters, req/ex association rules, Digital
 * Link keys and attributes); gs1_ai_table.c is our transcription of it.
 *
 * Tolerances beyond the specification (everything else it refuses, we
 * refuse), each with its reason:
 *   1. Element strings: a GS before the first AI and one after the last are
 *      skipped.  Some scanners send the FNC1 in first position as GS
 *      besides the AIM identifier, or end with one; the data is the same.
 *   2. Missing separators are inferred for sources configured gs=dropped
 *      (and keyboard sources by default), see "Separators" below.  Keyboard
 *      wedges without a GS mapping lose FNC1; reading them literally would
 *      merge fields, so we infer and refuse whatever stays ambiguous.
 *   3. A configured printable stand-in for GS (gs=C on the source) is read
 *      as GS in GS1 element strings: many scanners can only send FNC1 so.
 *   4. Digital Link: a GTIN-8, -12 or -13 as the (01) path value is padded
 *      to 14 digits.  Earlier editions of the Digital Link standard allowed
 *      it and such URIs are printed on packs; GS1's own reference
 *      implementation keeps it as an option.
 *   5. Linters we do not hold the data for: packagetype (7041, the UN/ECE
 *      Recommendation 21 code list), couponcode (8110) and couponposoffer
 *      (8112, the North American coupon formats).  Their values pass on
 *      their character set alone; none of them matters to this warehouse.
 *   6. The GS1 Company Prefix rule ("key") checks that a key starts with
 *      four digits (the shortest GCP), as the reference does without a
 *      GCP lookup service; whether that prefix is allocated is not known.
 * Stricter than GS1's reference implementation: a Digital Link '%' not
 * followed by two hex digits (RFC 3986 2.1) or decoding to NUL is refused.
 *
 * struct gs1_data is filled by the caller-provided storage; nothing here
 * allocates, and the table entries pointed to are static.
 *
 * Dates (YYMMDD): month 01-12, day valid for the month (leap years by
 * YY % 4 == 0, right for 2000-2099), day 00 allowed where GS1 allows it
 * (AIs 11, 12, 13, 15, 16, 17: "yymmd0"; for 15/16/17 it means the end of
 * the month).  The century is not part of validation; gs1_date_year()
 * applies the GS1 sliding window (General Specifications 7.12).
 *
 * Separators (enum gs1_separators): element strings are read literally,
 * as the General Specifications read them, wherever separators are
 * transmitted (AIM ]C1 ]d2 ]Q3 ]e0 from a scanner that sends GS, our own
 * image decoders, HID POS): a value of predefined length is cut at its
 * length, any other runs to the next GS or to the end.  Only for sources
 * that drop GS (GS1_SEP_DROPPED) is a missing separator inferred: every
 * way of cutting the data into valid elements is considered, one valid
 * reading is taken (gs1_data.fnc1_inferred), two or more give
 * GS1_FAULT_AMBIGUOUS with the readings in gs1_data.alternatives.
 */
#ifndef WMS_SCANNERS_GS1_H
#define WMS_SCANNERS_GS1_H

#include <stdbool.h>
#include <stddef.h>

#include "wms_error.h"

#define GS1_GS            0x1D  /* FNC1 as transmitted by scanners */
#define GS1_AI_MAX        4     /* digits in the longest AI */
#define GS1_VALUE_MAX     90    /* longest value (AIs 91-99) */
#define GS1_MAX_ELEMENTS  32
#define GS1_INPUT_MAX     1024  /* longest input accepted by the parsers */
#define GS1_ALT_MAX       4     /* readings listed for an ambiguity */
#define GS1_ALT_LEN       200   /* each in bracketed form, truncated with "..." */

/* Character set of a component: N digits, X GS1 set 82, Y GS1 set 39,
 * Z GS1 set 64 (file-safe base64); 0 ends a row's component list. */
enum gs1_cset { GS1_CSET_END = 0, GS1_CSET_N, GS1_CSET_82, GS1_CSET_39, GS1_CSET_64 };

/* Content checks beyond the character set: the Syntax Dictionary's linters
 * (gs1_lint.c says what each checks and which it cannot). */
enum gs1_lint {
	GS1_LINT_NONE = 0,
	GS1_LINT_CSUM,          /* GS1 mod-10 check digit in last position */
	GS1_LINT_CSUMALPHA,     /* GS1 alphanumeric check character pair (GMN) */
	GS1_LINT_KEY,           /* starts with a GS1 Company Prefix: 4+ digits */
	GS1_LINT_KEYOFF1,       /* the same from the second character */
	GS1_LINT_YYMMDD,        /* date, day 01-31 as the month allows */
	GS1_LINT_YYMMD0,        /* date, day 00 also allowed */
	GS1_LINT_YYYYMMDD,      /* date with a four-digit year */
	GS1_LINT_HH,            /* hour 00-23 */
	GS1_LINT_MI,            /* minute 00-59 */
	GS1_LINT_SS,            /* second 00-59 */
	GS1_LINT_HHMI,          /* time 0000-2359 */
	GS1_LINT_ZERO,          /* the digit 0 */
	GS1_LINT_NONZERO,       /* not all zeros */
	GS1_LINT_NOZEROPREFIX,  /* no leading zero unless the value is "0" */
	GS1_LINT_PIECEOFTOTAL,  /* NNMM: piece NN of MM, 1 <= NN <= MM */
	GS1_LINT_ISO3166,       /* ISO 3166-1 numeric country code */
	GS1_LINT_ISO3166999,    /* the same, or 999 */
	GS1_LINT_ISO3166ALPHA2, /* ISO 3166-1 alpha-2 country code */
	GS1_LINT_ISO4217,       /* ISO 4217 numeric currency code */
	GS1_LINT_ISO5218,       /* sex: 0, 1, 2 or 9 */
	GS1_LINT_YESNO,         /* 0 or 1 */
	GS1_LINT_WINDING,       /* 0, 1 or 9 */
	GS1_LINT_HYPHEN,        /* "-" */
	GS1_LINT_LATITUDE,      /* 0000000000-1800000000 */
	GS1_LINT_LONGITUDE,     /* 0000000000-3600000000 */
	GS1_LINT_MEDIATYPE,     /* AIDC media type 01-10, 80-99 */
	GS1_LINT_PCENC,         /* "%" only as %HH */
	GS1_LINT_POSINSEQSLASH, /* "pos/end", 1 <= pos <= end, no leading zeros */
	GS1_LINT_IMPORTERIDX,   /* one of - 0-9 A-Z _ a-z */
	GS1_LINT_IBAN,          /* IBAN: country, check digits (ISO 13616 mod 97) */
	GS1_LINT_HASNONDIGIT,   /* at least one character that is not a digit */
	GS1_LINT_PACKAGETYPE,   /* UN/ECE Rec 21 package type: not checked (tolerance) */
	GS1_LINT_COUPONCODE,    /* North American coupon code: not checked (tolerance) */
	GS1_LINT_COUPONPOSOFFER,/* coupon positive offer file: not checked (tolerance) */
};

#define GS1_COMP_LINTS 3
#define GS1_AI_COMPS   5

struct gs1_component {
	unsigned char cset;     /* enum gs1_cset; GS1_CSET_END after the last */
	unsigned char min, max; /* length; fixed when min == max */
	bool optional;          /* no mandatory component follows an optional one */
	unsigned char lint[GS1_COMP_LINTS]; /* enum gs1_lint, in order, 0 = none */
};

/* Row flags, the Syntax Dictionary's */
#define GS1_AI_PREDEFINED 1 /* "*": predefined length, no FNC1 after it */
#define GS1_AI_DL_ATTR    2 /* "?": allowed as a Digital Link query attribute */

/*
 * One row of the AI table; a row may cover a range ("3100"-"3105").
 * req1/req2: each a comma list of alternatives, an alternative a "+" list
 * of AIs that must all be present ("01+21,02"); ex: AIs that may not be
 * present with this one; an "n" in either matches any digit ("310n").
 * dlpkey: NULL if not a Digital Link primary key, else its qualifier
 * sequences ("" none, "22,10,21|235" two alternatives).
 */
struct gs1_ai_def {
	const char *lo, *hi;    /* AI range, same length; lo == hi for one AI */
	unsigned char flags;    /* GS1_AI_PREDEFINED, GS1_AI_DL_ATTR */
	const char *title;      /* GS1 data title, e.g. "GTIN", "BATCH/LOT" */
	const char *req1, *req2, *ex, *dlpkey;
	struct gs1_component comp[GS1_AI_COMPS];
};

/* Why a parse failed (gs1_data.fault). */
enum gs1_fault {
	GS1_FAULT_NONE = 0,
	GS1_FAULT_EMPTY,        /* no data */
	GS1_FAULT_SYNTAX,       /* not shaped like the syntax (brackets, URI, GS) */
	GS1_FAULT_NOT_GS1,      /* URI with no GS1 primary key in its path */
	GS1_FAULT_UNKNOWN_AI,
	GS1_FAULT_LENGTH,
	GS1_FAULT_CHARSET,
	GS1_FAULT_CHECK_DIGIT,
	GS1_FAULT_DATE,
	GS1_FAULT_VALUE,        /* other content rule (time, piece of total, ...) */
	GS1_FAULT_DUPLICATE,    /* same AI twice with different values */
	GS1_FAULT_TOO_MANY,     /* more than GS1_MAX_ELEMENTS */
	GS1_FAULT_AMBIGUOUS,    /* FNC1 missing and two or more valid readings */
	GS1_FAULT_ASSOCIATION,  /* a required AI is missing or an excluded one present */
};

/* Whether the source transmits FNC1 separators (see the top of this file). */
enum gs1_separators {
	GS1_SEP_SENT = 0,   /* read literally: the default */
	GS1_SEP_DROPPED,    /* the source may drop GS: infer it when none arrived */
};

enum gs1_syntax {
	GS1_SYNTAX_ELEMENT_STRING = 0,
	GS1_SYNTAX_BRACKETED,
	GS1_SYNTAX_DIGITAL_LINK,
};

struct gs1_element {
	char ai[GS1_AI_MAX + 1];
	char value[GS1_VALUE_MAX + 1];  /* NUL-terminated, validated */
	const struct gs1_ai_def *def;   /* static table row, never NULL */
};

struct gs1_data {
	enum gs1_syntax syntax;
	enum gs1_fault fault;           /* GS1_FAULT_NONE after success */
	bool fnc1_inferred;             /* a missing FNC1 had to be assumed */
	size_t count;
	struct gs1_element el[GS1_MAX_ELEMENTS]; /* in input order */
	size_t n_alternatives;          /* with GS1_FAULT_AMBIGUOUS: readings found */
	bool more_alternatives;         /* ... and there are more than listed */
	char alternatives[GS1_ALT_MAX][GS1_ALT_LEN]; /* bracketed form */
};

/*
 * Parsers.  IN: data, len bytes (need not be NUL-terminated).
 * OUT: *out, fully reset first; on failure out->fault says why and
 * out->count is 0.  Return 0 or WMS_EINVAL (with a one-line message).
 */
int gs1_parse_element_string(const char *data, size_t len, enum gs1_separators sep,
                             struct gs1_data *out, struct wms_error *err);
int gs1_parse_bracketed(const char *data, size_t len, struct gs1_data *out,
                        struct wms_error *err);
/* GS1 Digital Link URI syntax (see gs1_digital_link.c): keys and qualifier
 * sequences from the table's dlpkey, attributes with GS1_AI_DL_ATTR only,
 * none repeated, no trailing '/'. */
int gs1_parse_digital_link(const char *data, size_t len, struct gs1_data *out,
                           struct wms_error *err);

/* The element with that AI, or NULL. */
const struct gs1_element *gs1_find(const struct gs1_data *d, const char *ai);

/*
 * Write d in bracketed form ("(01)...(10)...", '(' in values as "\(").
 * Returns the length written (excluding NUL) or WMS_EINVAL if buf (size
 * bytes) is too small; buf is always NUL-terminated when size > 0.
 */
int gs1_format_bracketed(const struct gs1_data *d, char *buf, size_t size);

/* AI table (gs1_ai_table.c) */

/* The row for exactly this AI (ai_len digits), or NULL. */
const struct gs1_ai_def *gs1_ai_lookup(const char *ai, size_t ai_len);

/* The row for the AI that data starts with, or NULL; *ai_len set (2-4). */
const struct gs1_ai_def *gs1_ai_match(const char *data, size_t len, size_t *ai_len);

/* True if the value has one fixed length (which need not mean that no FNC1
 * follows it: that is gs1_ai_predefined_length()). */
bool gs1_ai_is_fixed(const struct gs1_ai_def *def);

/* Number of components of a row (1-GS1_AI_COMPS). */
size_t gs1_ai_ncomp(const struct gs1_ai_def *def);

/* Total value length range of a row. */
size_t gs1_ai_min_len(const struct gs1_ai_def *def);
size_t gs1_ai_max_len(const struct gs1_ai_def *def);

/*
 * GS1 General Specifications Figure 7.8.5-2: if the AI starts with one of
 * the listed two digits (00-04, 11-20, 31-36, 41), the element string has
 * a predefined length and needs no FNC1 after it; returns that length
 * (AI digits + value, e.g. 16 for "01"), else 0.
 */
size_t gs1_ai_predefined_length(const char *ai);

/* Number of table rows and row i, for tests and documentation. */
size_t gs1_ai_table_size(void);
const struct gs1_ai_def *gs1_ai_table_row(size_t i);

/* Validation (gs1_validate.c) */

/* GS1 mod-10 over digits[0..len-1] (len >= 2, last is the check digit). */
bool gs1_check_digit_valid(const char *digits, size_t len);
/* The check digit for the first len digits, or -1 if not all digits. */
int gs1_check_digit_compute(const char *digits, size_t len);

bool gs1_is_cset82(unsigned char c);
bool gs1_is_cset39(unsigned char c);

/* Validate a YYMMDD date (6 chars); allow_day00 for the "yymmd0" AIs. */
enum gs1_fault gs1_date_check(const char *yymmdd, bool allow_day00, struct wms_error *err);

/* Four-digit year of YY by the GS1 sliding window around ref_year: from
 * 49 years before to 50 years after ref_year (e.g. 2025: 76 -> 1976,
 * 75 -> 2075). */
int gs1_date_year(int yy, int ref_year);

/* Days in month (1-12) of a four-digit year; 0 for a bad month. */
int gs1_days_in_month(int year, int month);

/*
 * Check value (len bytes) against the row def for AI ai: length, character
 * set, check digits, dates and other content rules.  Returns the fault
 * (GS1_FAULT_NONE if valid) and, if err is non-NULL, a message.
 */
enum gs1_fault gs1_validate(const struct gs1_ai_def *def, const char *ai,
                            const char *value, size_t len, struct wms_error *err);

/* gs1_lint.c: run one linter over one component (len bytes). */
enum gs1_fault gs1_lint_check(enum gs1_lint lint, const char *ai, const char *v, size_t len,
                              struct wms_error *err);

/* Linter name as the Syntax Dictionary spells it ("csum", "iso3166"...). */
const char *gs1_lint_name(enum gs1_lint lint);

/*
 * gs1_assoc.c: the association rules over all elements of d: every "req"
 * satisfied, no "ex" pair present (General Specifications 4.14, the Syntax
 * Dictionary's req/ex), and with a digital signature (8030) the keys 253,
 * 255, 8003 carry their serial component.  GS1_FAULT_NONE or the fault
 * with a message naming the AIs and what they need.
 */
enum gs1_fault gs1_check_associations(const struct gs1_data *d, struct wms_error *err);

#endif
