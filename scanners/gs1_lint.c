/*
 * gs1_lint.c - the GS1 Barcode Syntax Dictionary's content checks
 * ("linters") for one component of an AI value: check digits and the
 * alphanumeric check character pair, the GS1 Company Prefix position, dates
 * and times, ISO 3166 / ISO 4217 / ISO 5218 codes, IBAN, percent-encoding
 * and the small rules (yes/no, winding, piece of total, ...).  Written from
 * the GS1 General Specifications and the dictionary's descriptions of its
 * linters; code lists from the ISO standards named.
 *
 * Not checked (documented tolerances in gs1.h): packagetype (UN/ECE
 * Recommendation 21 list), couponcode and couponposoffer (the North
 * American coupon formats); such values pass with their character set only.
 */
#include "gs1.h"

#include "scan_internal.h"

#include <stdio.h>
#include <string.h>

/* ISO 3166-1 numeric codes of countries and territories. */
static const short iso3166[] = {
	4, 8, 10, 12, 16, 20, 24, 28, 31, 32, 36, 40, 44, 48, 50, 51, 52, 56, 60, 64, 68, 70,
	72, 74, 76, 84, 86, 90, 92, 96, 100, 104, 108, 112, 116, 120, 124, 132, 136, 140, 144,
	148, 152, 156, 158, 162, 166, 170, 174, 175, 178, 180, 184, 188, 191, 192, 196, 203,
	204, 208, 212, 214, 218, 222, 226, 231, 232, 233, 234, 238, 239, 242, 246, 248, 250,
	254, 258, 260, 262, 266, 268, 270, 275, 276, 288, 292, 296, 300, 304, 308, 312, 316,
	320, 324, 328, 332, 334, 336, 340, 344, 348, 352, 356, 360, 364, 368, 372, 376, 380,
	384, 388, 392, 398, 400, 404, 408, 410, 414, 417, 418, 422, 426, 428, 430, 434, 438,
	440, 442, 446, 450, 454, 458, 462, 466, 470, 474, 478, 480, 484, 492, 496, 498, 499,
	500, 504, 508, 512, 516, 520, 524, 528, 531, 533, 534, 535, 540, 548, 554, 558, 562,
	566, 570, 574, 578, 580, 581, 583, 584, 585, 586, 591, 598, 600, 604, 608, 612, 616,
	620, 624, 626, 630, 634, 638, 642, 643, 646, 652, 654, 659, 660, 662, 663, 666, 670,
	674, 678, 682, 686, 688, 690, 694, 702, 703, 704, 705, 706, 710, 716, 724, 728, 729,
	732, 740, 744, 748, 752, 756, 760, 762, 764, 768, 772, 776, 780, 784, 788, 792, 795,
	796, 798, 800, 804, 807, 818, 826, 831, 832, 833, 834, 840, 850, 854, 858, 860, 862,
	876, 882, 887, 894,
};

/* ISO 4217 numeric currency and fund codes. */
static const short iso4217[] = {
	8, 12, 32, 36, 44, 48, 50, 51, 52, 60, 64, 68, 72, 84, 90, 96, 104, 108, 116, 124, 132,
	136, 144, 152, 156, 170, 174, 188, 192, 203, 208, 214, 222, 230, 232, 238, 242, 262,
	270, 292, 320, 324, 328, 332, 340, 344, 348, 352, 356, 360, 364, 368, 376, 388, 392,
	398, 400, 404, 408, 410, 414, 417, 418, 422, 426, 430, 434, 446, 454, 458, 462, 480,
	484, 496, 498, 504, 512, 516, 524, 532, 533, 548, 554, 558, 566, 578, 586, 590, 598,
	600, 604, 608, 634, 643, 646, 654, 682, 690, 694, 702, 704, 706, 710, 728, 748, 752,
	756, 760, 764, 776, 780, 784, 788, 800, 807, 818, 826, 834, 840, 858, 860, 882, 886,
	901, 924, 925, 926, 927, 928, 929, 930, 931, 932, 933, 934, 936, 938, 940, 941, 943,
	944, 946, 947, 948, 949, 950, 951, 952, 953, 955, 956, 957, 958, 959, 960, 961, 962,
	963, 964, 965, 967, 968, 969, 970, 971, 972, 973, 975, 976, 977, 978, 979, 980, 981,
	984, 985, 986, 990, 994, 997, 999,
};

/* ISO 3166-1 alpha-2 codes, two letters each. */
static const char iso3166alpha2[] =
	"ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCF"
	"CGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGH"
	"GIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKW"
	"KYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNG"
	"NINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSN"
	"SOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYT"
	"ZAZMZW";

/* GS1 AI encodable character set 82 in the order that gives each its value
 * in the alphanumeric check character calculation (General Specifications
 * 7.9.5), and the 32 characters the check pair is written in. */
static const char cset82_order[] =
	"!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
static const char cset32[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static const char *const names[] = {
	[GS1_LINT_NONE] = "", [GS1_LINT_CSUM] = "csum", [GS1_LINT_CSUMALPHA] = "csumalpha",
	[GS1_LINT_KEY] = "key", [GS1_LINT_KEYOFF1] = "keyoff1", [GS1_LINT_YYMMDD] = "yymmdd",
	[GS1_LINT_YYMMD0] = "yymmd0", [GS1_LINT_YYYYMMDD] = "yyyymmdd", [GS1_LINT_HH] = "hh",
	[GS1_LINT_MI] = "mi", [GS1_LINT_SS] = "ss", [GS1_LINT_HHMI] = "hhmi",
	[GS1_LINT_ZERO] = "zero", [GS1_LINT_NONZERO] = "nonzero",
	[GS1_LINT_NOZEROPREFIX] = "nozeroprefix", [GS1_LINT_PIECEOFTOTAL] = "pieceoftotal",
	[GS1_LINT_ISO3166] = "iso3166", [GS1_LINT_ISO3166999] = "iso3166999",
	[GS1_LINT_ISO3166ALPHA2] = "iso3166alpha2", [GS1_LINT_ISO4217] = "iso4217",
	[GS1_LINT_ISO5218] = "iso5218", [GS1_LINT_YESNO] = "yesno",
	[GS1_LINT_WINDING] = "winding", [GS1_LINT_HYPHEN] = "hyphen",
	[GS1_LINT_LATITUDE] = "latitude", [GS1_LINT_LONGITUDE] = "longitude",
	[GS1_LINT_MEDIATYPE] = "mediatype", [GS1_LINT_PCENC] = "pcenc",
	[GS1_LINT_POSINSEQSLASH] = "posinseqslash", [GS1_LINT_IMPORTERIDX] = "importeridx",
	[GS1_LINT_IBAN] = "iban", [GS1_LINT_HASNONDIGIT] = "hasnondigit",
	[GS1_LINT_PACKAGETYPE] = "packagetype", [GS1_LINT_COUPONCODE] = "couponcode",
	[GS1_LINT_COUPONPOSOFFER] = "couponposoffer",
};

const char *gs1_lint_name(enum gs1_lint lint)
{
	return (size_t)lint < sizeof names / sizeof names[0] && names[lint] ? names[lint] : "?";
}

static bool digits(const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	return true;
}

static int num(const char *v, size_t len)
{
	int n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		n = n * 10 + (v[i] - '0');
	return n;
}

static bool in_list(const short *list, size_t n, int code)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (list[mid] == code)
			return true;
		if (list[mid] < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool alpha2_ok(const char *v)
{
	size_t i;

	for (i = 0; i + 1 < sizeof iso3166alpha2; i += 2)
		if (iso3166alpha2[i] == v[0] && iso3166alpha2[i + 1] == v[1])
			return true;
	return false;
}

/* General Specifications 7.9.5: weights are primes from the right. */
static bool csumalpha_ok(const char *v, size_t len)
{
	static const unsigned short primes[] = {
		2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73,
		79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163,
		167, 173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229, 233, 239, 241, 251,
		257, 263, 269, 271, 277, 281, 283, 293, 307, 311, 313, 317, 331, 337, 347, 349,
		353, 359, 367, 373, 379, 383, 389, 397, 401, 409, 419, 421, 431, 433, 439, 443,
		449, 457, 461, 463, 467, 479, 487, 491, 499, 503, 509,
	};
	unsigned sum = 0;
	size_t i;

	if (len < 2 || len - 2 > sizeof primes / sizeof primes[0])
		return false;
	for (i = 0; i < len - 2; i++) {
		const char *p = memchr(cset82_order, v[i], sizeof cset82_order - 1);

		if (p == NULL)
			return false;
		sum += (unsigned)(p - cset82_order) * primes[len - 3 - i];
	}
	sum %= 1021;
	return v[len - 2] == cset32[sum >> 5] && v[len - 1] == cset32[sum & 31];
}

/* ISO 13616: country, two check digits, up to 30 letters/digits; mod 97 == 1. */
static bool iban_ok(const char *v, size_t len)
{
	unsigned rem = 0;
	size_t i;

	if (len < 5 || len > 34 || !(v[0] >= 'A' && v[0] <= 'Z') || !(v[1] >= 'A' && v[1] <= 'Z') ||
	    !alpha2_ok(v) || !digits(v + 2, 2))
		return false;
	for (i = 0; i < len; i++) {
		char c = v[(i + 4) % len]; /* the first four moved to the end */

		if (c >= '0' && c <= '9')
			rem = (rem * 10 + (unsigned)(c - '0')) % 97;
		else if (c >= 'A' && c <= 'Z')
			rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
		else
			return false;
	}
	return rem == 1;
}

static bool posinseq_ok(const char *v, size_t len)
{
	const char *slash = memchr(v, '/', len);
	size_t a, b;

	if (slash == NULL)
		return false;
	a = (size_t)(slash - v);
	b = len - a - 1;
	if (a == 0 || b == 0 || !digits(v, a) || !digits(slash + 1, b) || v[0] == '0' ||
	    slash[1] == '0')
		return false;
	return a < b || (a == b && memcmp(v, slash + 1, a) <= 0);
}

static bool hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

static bool pcenc_ok(const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (v[i] == '%') {
			if (i + 2 >= len || !hex(v[i + 1]) || !hex(v[i + 2]))
				return false;
			i += 2;
		}
	return true;
}

static enum gs1_fault bad(struct wms_error *err, enum gs1_fault f, const char *ai,
                          const char *v, size_t len, const char *what)
{
	char q[SCAN_QUOTE_BUF];

	if (err == NULL)
		return f;
	scan_quote(q, sizeof q, v, len);
	/* what in the caller's language where the catalogue has it (WMS_N_ below) */
	if (f == GS1_FAULT_DATE)
		wms_error_set(err, WMS_EINVAL, "GS1 (%s) date \"%s\": %s", ai, q, wms_tr(what));
	else
		wms_error_set(err, WMS_EINVAL, "GS1 (%s) \"%s\": %s", ai, q, wms_tr(what));
	return f;
}

enum gs1_fault gs1_lint_check(enum gs1_lint lint, const char *ai, const char *v, size_t len,
                              struct wms_error *err)
{
	struct wms_error sub;
	char msg[160];
	int a, b;

	switch (lint) {
	case GS1_LINT_CSUM:
		if (!gs1_check_digit_valid(v, len)) {
			snprintf(msg, sizeof msg, wms_tr("check digit %c is wrong, expected %d (GS1 mod-10)"),
			         v[len - 1], gs1_check_digit_compute(v, len - 1));
			return bad(err, GS1_FAULT_CHECK_DIGIT, ai, v, len, msg);
		}
		break;
	case GS1_LINT_CSUMALPHA:
		if (!csumalpha_ok(v, len))
			return bad(err, GS1_FAULT_CHECK_DIGIT, ai, v, len, WMS_N_("the check character pair "
			    "(last two characters) is wrong (GS1 alphanumeric check, General "
			    "Specifications 7.9.5)"));
		break;
	case GS1_LINT_KEY:
	case GS1_LINT_KEYOFF1:
		b = lint == GS1_LINT_KEYOFF1;
		if (len < (size_t)b + 4 || !digits(v + b, 4))
			return bad(err, GS1_FAULT_VALUE, ai, v, len, b ? WMS_N_("must have a GS1 Company "
			    "Prefix (at least 4 digits) from its second character") : WMS_N_("must start "
			    "with a GS1 Company Prefix (at least 4 digits)"));
		break;
	case GS1_LINT_YYMMDD:
	case GS1_LINT_YYMMD0:
		if (gs1_date_check(v, lint == GS1_LINT_YYMMD0, err != NULL ? &sub : NULL)
		    != GS1_FAULT_NONE)
			return bad(err, GS1_FAULT_DATE, ai, v, len, err != NULL ? sub.msg : "");
		break;
	case GS1_LINT_YYYYMMDD:
		a = num(v + 4, 2);
		b = num(v + 6, 2);
		if (a < 1 || a > 12 || b < 1 || b > gs1_days_in_month(num(v, 4), a))
			return bad(err, GS1_FAULT_DATE, ai, v, len, WMS_N_("is not a date YYYYMMDD"));
		break;
	case GS1_LINT_HH:
		if (num(v, 2) > 23)
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("hour must be 00-23"));
		break;
	case GS1_LINT_MI:
	case GS1_LINT_SS:
		if (num(v, 2) > 59)
			return bad(err, GS1_FAULT_VALUE, ai, v, len, lint == GS1_LINT_MI ?
			    WMS_N_("minute must be 00-59") : WMS_N_("second must be 00-59"));
		break;
	case GS1_LINT_HHMI:
		if (num(v, 2) > 23 || num(v + 2, 2) > 59)
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("time must be HHMM 0000-2359"));
		break;
	case GS1_LINT_ZERO:
		if (v[0] != '0')
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("first digit must be 0"));
		break;
	case GS1_LINT_NONZERO:
		if (num(v, len) == 0 && digits(v, len))
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("a dimension may not be zero"));
		break;
	case GS1_LINT_NOZEROPREFIX:
		if (len > 1 && v[0] == '0')
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("no leading zero allowed"));
		break;
	case GS1_LINT_PIECEOFTOTAL:
		a = num(v, len / 2);
		b = num(v + len / 2, len / 2);
		if (a < 1 || b < 1 || a > b)
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("piece must be NN of total MM "
			    "with 01 <= NN <= MM"));
		break;
	case GS1_LINT_ISO3166:
	case GS1_LINT_ISO3166999:
		a = num(v, 3);
		if (!in_list(iso3166, sizeof iso3166 / sizeof iso3166[0], a) &&
		    !(lint == GS1_LINT_ISO3166999 && a == 999))
			return bad(err, GS1_FAULT_VALUE, ai, v, len, lint == GS1_LINT_ISO3166 ?
			    WMS_N_("is not an ISO 3166-1 numeric country code (e.g. 752 Sweden)") :
			    WMS_N_("is not an ISO 3166-1 numeric country code or 999"));
		break;
	case GS1_LINT_ISO3166ALPHA2:
		if (len != 2 || !alpha2_ok(v))
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("is not an ISO 3166-1 alpha-2 "
			    "country code (e.g. SE)"));
		break;
	case GS1_LINT_ISO4217:
		if (!in_list(iso4217, sizeof iso4217 / sizeof iso4217[0], num(v, 3)))
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("is not an ISO 4217 numeric "
			    "currency code (e.g. 752 SEK, 978 EUR)"));
		break;
	case GS1_LINT_ISO5218:
		if (len != 1 || strchr("0129", v[0]) == NULL)
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("must be 0, 1, 2 or 9 (ISO 5218)"));
		break;
	case GS1_LINT_YESNO:
		if (len != 1 || (v[0] != '0' && v[0] != '1'))
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("must be 0 (no) or 1 (yes)"));
		break;
	case GS1_LINT_WINDING:
		if (len != 1 || strchr("019", v[0]) == NULL)
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("winding direction must be 0, 1 "
			    "or 9"));
		break;
	case GS1_LINT_HYPHEN:
		if (len != 1 || v[0] != '-')
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("only \"-\" (a negative "
			    "temperature) may follow the six digits"));
		break;
	case GS1_LINT_LATITUDE:
	case GS1_LINT_LONGITUDE:
		if (len != 10 || (long long)num(v, 4) * 1000000 + num(v + 4, 6) >
		    (lint == GS1_LINT_LATITUDE ? 1800000000LL : 3600000000LL))
			return bad(err, GS1_FAULT_VALUE, ai, v, len, lint == GS1_LINT_LATITUDE ?
			    WMS_N_("latitude must be 0000000000-1800000000") :
			    WMS_N_("longitude must be 0000000000-3600000000"));
		break;
	case GS1_LINT_MEDIATYPE:
		a = num(v, 2);
		if (!((a >= 1 && a <= 10) || a >= 80))
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("AIDC media type must be 01-10 "
			    "or 80-99"));
		break;
	case GS1_LINT_PCENC:
		if (!pcenc_ok(v, len))
			/* xgettext:no-c-format */
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("'%' must be followed by two hex "
			    "digits (percent-encoding)"));
		break;
	case GS1_LINT_POSINSEQSLASH:
		if (!posinseq_ok(v, len))
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("must be POS/END with 1 <= POS <= "
			    "END and no leading zeros"));
		break;
	case GS1_LINT_IMPORTERIDX:
		if (len != 1 || !(v[0] == '-' || v[0] == '_' || (v[0] >= '0' && v[0] <= '9') ||
		    (v[0] >= 'A' && v[0] <= 'Z') || (v[0] >= 'a' && v[0] <= 'z')))
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("importer index must be one of "
			    "- 0-9 A-Z _ a-z"));
		break;
	case GS1_LINT_IBAN:
		if (!iban_ok(v, len))
			return bad(err, GS1_FAULT_CHECK_DIGIT, ai, v, len, WMS_N_("is not a valid IBAN "
			    "(country, check digits, mod 97)"));
		break;
	case GS1_LINT_HASNONDIGIT:
		if (digits(v, len))
			return bad(err, GS1_FAULT_VALUE, ai, v, len, WMS_N_("must hold a character that is "
			    "not a digit"));
		break;
	default: /* NONE, and the code lists we do not hold (see the top) */
		break;
	}
	return GS1_FAULT_NONE;
}
