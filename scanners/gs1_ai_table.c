/*
 * gs1_ai_table.c - the GS1 Application Identifiers we know, with their
 * components (character set, length, content rule), and the predefined
 * fixed-length AI prefixes.
 *
 * Source: GS1 General Specifications section 3 and the GS1 Barcode Syntax
 * Dictionary (component breakdown, "yymmd0" for 11-17).  The table is
 * prefix-free like GS1's (no AI is the start of another), which is what
 * lets gs1_ai_match() find the AI at the start of unseparated data.
 * Rows are kept in lexical order of their AI; a test checks both facts.
 */
#include "gs1.h"

#include <string.h>

#define N(min, max, lint)  { GS1_CSET_N,  (min), (max), (lint), false }
#define X(min, max)        { GS1_CSET_82, (min), (max), GS1_LINT_NONE, false }
#define Y(min, max)        { GS1_CSET_39, (min), (max), GS1_LINT_NONE, false }
#define OPT_X(min, max)    { GS1_CSET_82, (min), (max), GS1_LINT_NONE, true }

#define AI1(lo, hi, title, c1)         { lo, hi, title, 1, { c1 } }
#define AI2(lo, hi, title, c1, c2)     { lo, hi, title, 2, { c1, c2 } }
#define AI3(lo, hi, title, c1, c2, c3) { lo, hi, title, 3, { c1, c2, c3 } }

#define NOLINT GS1_LINT_NONE
#define CSUM   GS1_LINT_CSUM
#define DATE0  GS1_LINT_YYMMD0
#define DATE   GS1_LINT_YYMMDD

/* Trade measures 31nn-36nn: N6, last AI digit = decimal places (0-5). */
#define MEASURE(lo, hi, title) AI1(lo, hi, title, N(6, 6, NOLINT))

static const struct gs1_ai_def table[] = {
	AI1("00",  "00",  "SSCC",            N(18, 18, CSUM)),
	AI1("01",  "01",  "GTIN",            N(14, 14, CSUM)),
	AI1("02",  "02",  "CONTENT",         N(14, 14, CSUM)),
	AI1("10",  "10",  "BATCH/LOT",       X(1, 20)),
	AI1("11",  "11",  "PROD DATE",       N(6, 6, DATE0)),
	AI1("12",  "12",  "DUE DATE",        N(6, 6, DATE0)),
	AI1("13",  "13",  "PACK DATE",       N(6, 6, DATE0)),
	AI1("15",  "15",  "BEST BEFORE or BEST BY", N(6, 6, DATE0)),
	AI1("16",  "16",  "SELL BY",         N(6, 6, DATE0)),
	AI1("17",  "17",  "USE BY or EXPIRY", N(6, 6, DATE0)),
	AI1("20",  "20",  "VARIANT",         N(2, 2, NOLINT)),
	AI1("21",  "21",  "SERIAL",          X(1, 20)),
	AI1("22",  "22",  "CPV",             X(1, 20)),
	AI1("235", "235", "TPX",             X(1, 28)),
	AI1("240", "240", "ADDITIONAL ID",   X(1, 30)),
	AI1("241", "241", "CUST. PART No.",  X(1, 30)),
	AI1("242", "242", "MTO VARIANT",     N(1, 6, NOLINT)),
	AI1("243", "243", "PCN",             X(1, 20)),
	AI1("250", "250", "SECONDARY SERIAL", X(1, 30)),
	AI1("251", "251", "REF. TO SOURCE",  X(1, 30)),
	AI2("253", "253", "GDTI",            N(13, 13, CSUM), OPT_X(1, 17)),
	AI1("254", "254", "GLN EXTENSION COMPONENT", X(1, 20)),
	AI1("30",  "30",  "VAR. COUNT",      N(1, 8, NOLINT)),
	MEASURE("3100", "3105", "NET WEIGHT (kg)"),
	MEASURE("3110", "3115", "LENGTH (m)"),
	MEASURE("3120", "3125", "WIDTH (m)"),
	MEASURE("3130", "3135", "HEIGHT (m)"),
	MEASURE("3140", "3145", "AREA (m2)"),
	MEASURE("3150", "3155", "NET VOLUME (l)"),
	MEASURE("3160", "3165", "NET VOLUME (m3)"),
	MEASURE("3200", "3205", "NET WEIGHT (lb)"),
	MEASURE("3210", "3215", "LENGTH (in)"),
	MEASURE("3220", "3225", "LENGTH (ft)"),
	MEASURE("3230", "3235", "LENGTH (yd)"),
	MEASURE("3240", "3245", "WIDTH (in)"),
	MEASURE("3250", "3255", "WIDTH (ft)"),
	MEASURE("3260", "3265", "WIDTH (yd)"),
	MEASURE("3270", "3275", "HEIGHT (in)"),
	MEASURE("3280", "3285", "HEIGHT (ft)"),
	MEASURE("3290", "3295", "HEIGHT (yd)"),
	MEASURE("3300", "3305", "GROSS WEIGHT (kg)"),
	MEASURE("3310", "3315", "LENGTH (m), log"),
	MEASURE("3320", "3325", "WIDTH (m), log"),
	MEASURE("3330", "3335", "HEIGHT (m), log"),
	MEASURE("3340", "3345", "AREA (m2), log"),
	MEASURE("3350", "3355", "VOLUME (l), log"),
	MEASURE("3360", "3365", "VOLUME (m3), log"),
	MEASURE("3370", "3375", "KG PER m2"),
	MEASURE("3400", "3405", "GROSS WEIGHT (lb)"),
	MEASURE("3410", "3415", "LENGTH (in), log"),
	MEASURE("3420", "3425", "LENGTH (ft), log"),
	MEASURE("3430", "3435", "LENGTH (yd), log"),
	MEASURE("3440", "3445", "WIDTH (in), log"),
	MEASURE("3450", "3455", "WIDTH (ft), log"),
	MEASURE("3460", "3465", "WIDTH (yd), log"),
	MEASURE("3470", "3475", "HEIGHT (in), log"),
	MEASURE("3480", "3485", "HEIGHT (ft), log"),
	MEASURE("3490", "3495", "HEIGHT (yd), log"),
	MEASURE("3500", "3505", "AREA (in2)"),
	MEASURE("3510", "3515", "AREA (ft2)"),
	MEASURE("3520", "3525", "AREA (yd2)"),
	MEASURE("3530", "3535", "AREA (in2), log"),
	MEASURE("3540", "3545", "AREA (ft2), log"),
	MEASURE("3550", "3555", "AREA (yd2), log"),
	MEASURE("3560", "3565", "NET WEIGHT (t oz)"),
	MEASURE("3570", "3575", "NET VOLUME (oz)"),
	MEASURE("3600", "3605", "NET VOLUME (qt)"),
	MEASURE("3610", "3615", "NET VOLUME (gal.)"),
	MEASURE("3620", "3625", "VOLUME (qt), log"),
	MEASURE("3630", "3635", "VOLUME (gal.), log"),
	MEASURE("3640", "3645", "VOLUME (in3)"),
	MEASURE("3650", "3655", "VOLUME (ft3)"),
	MEASURE("3660", "3665", "VOLUME (yd3)"),
	MEASURE("3670", "3675", "VOLUME (in3), log"),
	MEASURE("3680", "3685", "VOLUME (ft3), log"),
	MEASURE("3690", "3695", "VOLUME (yd3), log"),
	AI1("37",  "37",  "COUNT",           N(1, 8, NOLINT)),
	AI1("400", "400", "ORDER NUMBER",    X(1, 30)),
	AI1("401", "401", "GINC",            X(1, 30)),
	AI1("402", "402", "GSIN",            N(17, 17, CSUM)),
	AI1("403", "403", "ROUTE",           X(1, 30)),
	AI1("410", "410", "SHIP TO LOC",     N(13, 13, CSUM)),
	AI1("411", "411", "BILL TO",         N(13, 13, CSUM)),
	AI1("412", "412", "PURCHASE FROM",   N(13, 13, CSUM)),
	AI1("413", "413", "SHIP FOR LOC",    N(13, 13, CSUM)),
	AI1("414", "414", "LOC No.",         N(13, 13, CSUM)),
	AI1("415", "415", "PAY TO",          N(13, 13, CSUM)),
	AI1("416", "416", "PROD/SERV LOC",   N(13, 13, CSUM)),
	AI1("417", "417", "PARTY",           N(13, 13, CSUM)),
	AI1("420", "420", "SHIP TO POST",    X(1, 20)),
	AI2("421", "421", "SHIP TO POST",    N(3, 3, NOLINT), X(1, 9)),
	AI1("422", "422", "ORIGIN",          N(3, 3, NOLINT)),
	AI1("423", "423", "COUNTRY - INITIAL PROCESS", N(3, 15, GS1_LINT_ISO3166LIST)),
	AI1("424", "424", "COUNTRY - PROCESS", N(3, 3, NOLINT)),
	AI1("425", "425", "COUNTRY - DISASSEMBLY", N(3, 15, GS1_LINT_ISO3166LIST)),
	AI1("426", "426", "COUNTRY - FULL PROCESS", N(3, 3, NOLINT)),
	AI1("427", "427", "ORIGIN SUBDIVISION", X(1, 3)),
	AI2("7003", "7003", "EXPIRY TIME",   N(6, 6, DATE), N(4, 4, GS1_LINT_HHMM)),
	AI1("7004", "7004", "ACTIVE POTENCY", N(1, 4, NOLINT)),
	AI1("7006", "7006", "FIRST FREEZE DATE", N(6, 6, DATE)),
	AI1("710", "710", "NHRN PZN",        X(1, 20)),
	AI1("711", "711", "NHRN CIP",        X(1, 20)),
	AI1("712", "712", "NHRN CN",         X(1, 20)),
	AI1("713", "713", "NHRN DRN",        X(1, 20)),
	AI1("714", "714", "NHRN AIM",        X(1, 20)),
	AI1("715", "715", "NHRN NDC",        X(1, 20)),
	AI1("7240", "7240", "PROTOCOL",      X(1, 20)),
	AI3("8003", "8003", "GRAI",          N(1, 1, GS1_LINT_ZERO), N(13, 13, CSUM), OPT_X(1, 16)),
	AI1("8004", "8004", "GIAI",          X(1, 30)),
	AI1("8005", "8005", "PRICE PER UNIT", N(6, 6, NOLINT)),
	AI2("8006", "8006", "ITIP",          N(14, 14, CSUM), N(4, 4, GS1_LINT_PIECE)),
	AI1("8010", "8010", "CPID",          Y(1, 30)),
	AI1("8011", "8011", "CPID SERIAL",   N(1, 12, GS1_LINT_NOZEROPREFIX)),
	AI1("8012", "8012", "VERSION",       X(1, 20)),
	AI1("8013", "8013", "GMN",           X(1, 25)),
	AI1("8017", "8017", "GSRN - PROVIDER", N(18, 18, CSUM)),
	AI1("8018", "8018", "GSRN - RECIPIENT", N(18, 18, CSUM)),
	AI1("8020", "8020", "REF No.",       X(1, 25)),
	AI1("90",  "90",  "INTERNAL",        X(1, 30)),
	AI1("91",  "99",  "INTERNAL",        X(1, 90)),
};

/* Figure 7.8.5-2: first two digits and the element string length. */
static const struct {
	char prefix[3];
	unsigned char length;
} predefined[] = {
	{ "00", 20 }, { "01", 16 }, { "02", 16 }, { "03", 16 }, { "04", 18 },
	{ "11", 8 }, { "12", 8 }, { "13", 8 }, { "14", 8 }, { "15", 8 },
	{ "16", 8 }, { "17", 8 }, { "18", 8 }, { "19", 8 }, { "20", 4 },
	{ "31", 10 }, { "32", 10 }, { "33", 10 }, { "34", 10 }, { "35", 10 },
	{ "36", 10 }, { "41", 16 },
};

size_t gs1_ai_table_size(void)
{
	return sizeof table / sizeof table[0];
}

const struct gs1_ai_def *gs1_ai_table_row(size_t i)
{
	return i < gs1_ai_table_size() ? &table[i] : NULL;
}

const struct gs1_ai_def *gs1_ai_lookup(const char *ai, size_t ai_len)
{
	size_t i, k;

	if (ai == NULL || ai_len < 2 || ai_len > GS1_AI_MAX)
		return NULL;
	for (k = 0; k < ai_len; k++)
		if (ai[k] < '0' || ai[k] > '9')
			return NULL;
	for (i = 0; i < gs1_ai_table_size(); i++) {
		const struct gs1_ai_def *d = &table[i];

		if (strlen(d->lo) != ai_len)
			continue;
		/* same-length digit strings compare like numbers */
		if (strncmp(ai, d->lo, ai_len) >= 0 && strncmp(ai, d->hi, ai_len) <= 0)
			return d;
	}
	return NULL;
}

const struct gs1_ai_def *gs1_ai_match(const char *data, size_t len, size_t *ai_len)
{
	size_t n;

	for (n = 2; n <= GS1_AI_MAX && n <= len; n++) {
		const struct gs1_ai_def *d = gs1_ai_lookup(data, n);

		if (d != NULL) {
			*ai_len = n;
			return d;
		}
	}
	return NULL;
}

size_t gs1_ai_min_len(const struct gs1_ai_def *def)
{
	size_t i, n = 0;

	for (i = 0; i < def->ncomp; i++)
		if (!def->comp[i].optional)
			n += def->comp[i].min;
	return n;
}

size_t gs1_ai_max_len(const struct gs1_ai_def *def)
{
	size_t i, n = 0;

	for (i = 0; i < def->ncomp; i++)
		n += def->comp[i].max;
	return n;
}

bool gs1_ai_is_fixed(const struct gs1_ai_def *def)
{
	return gs1_ai_min_len(def) == gs1_ai_max_len(def);
}

size_t gs1_ai_predefined_length(const char *ai)
{
	size_t i;

	if (ai == NULL || ai[0] == '\0' || ai[1] == '\0')
		return 0;
	for (i = 0; i < sizeof predefined / sizeof predefined[0]; i++)
		if (ai[0] == predefined[i].prefix[0] && ai[1] == predefined[i].prefix[1])
			return predefined[i].length;
	return 0;
}
