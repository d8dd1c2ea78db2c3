/*
 * gs1_ai_table.c - every GS1 Application Identifier with its components
 * (character set, length, linters), whether it is of predefined length,
 * whether it may be a Digital Link attribute, its association rules
 * (req/ex) and its Digital Link key qualifiers; and the predefined-length
 * AI prefixes.
 *
 * Source: the GS1 Barcode Syntax Dictionary (gs1/gs1-syntax-dictionary,
 * gs1-syntax-dictionary.txt, 2025 edition with 7010, 7011, 8008, 8030 and
 * 8200), itself the machine-readable form of the GS1 General
 * Specifications section 3 and 4.14.  Transcribed by hand into our own
 * table format; titles as the dictionary gives them (superscripts spelled
 * out).  The table is prefix-free like GS1's (no AI is the start of
 * another), which is what lets gs1_ai_match() find the AI at the start of
 * unseparated data.  Rows are kept in lexical order of their AI; a test
 * checks both facts.
 */
#include "gs1.h"

#include <string.h>

/* Components: N(min, max, linters...) digits, X set 82, Y set 39, Z set 64;
 * ON/OX optional.  Give 0 for no linter. */
#define N(mn, mx, ...)  { GS1_CSET_N,  (mn), (mx), false, { __VA_ARGS__ } }
#define X(mn, mx, ...)  { GS1_CSET_82, (mn), (mx), false, { __VA_ARGS__ } }
#define Y(mn, mx, ...)  { GS1_CSET_39, (mn), (mx), false, { __VA_ARGS__ } }
#define Z(mn, mx, ...)  { GS1_CSET_64, (mn), (mx), false, { __VA_ARGS__ } }
#define ON(mn, mx, ...) { GS1_CSET_N,  (mn), (mx), true,  { __VA_ARGS__ } }
#define OX(mn, mx, ...) { GS1_CSET_82, (mn), (mx), true,  { __VA_ARGS__ } }

/* R(lo, hi, flags, title, req1, req2, ex, dlpkey, components...) */
#define R(lo, hi, fl, title, r1, r2, ex, dl, ...) \
	{ lo, hi, fl, title, r1, r2, ex, dl, { __VA_ARGS__ } }
#define P  GS1_AI_PREDEFINED
#define D  GS1_AI_DL_ATTR
#define PD (GS1_AI_PREDEFINED | GS1_AI_DL_ATTR)
#define _  NULL

#define CSUM      GS1_LINT_CSUM
#define CSUMALPHA GS1_LINT_CSUMALPHA
#define KEY       GS1_LINT_KEY
#define KEYOFF1   GS1_LINT_KEYOFF1
#define YYMMDD    GS1_LINT_YYMMDD
#define YYMMD0    GS1_LINT_YYMMD0
#define YYYYMMDD  GS1_LINT_YYYYMMDD
#define HH        GS1_LINT_HH
#define MI        GS1_LINT_MI
#define SS        GS1_LINT_SS
#define HHMI      GS1_LINT_HHMI
#define ISO3166   GS1_LINT_ISO3166
#define ISO4217   GS1_LINT_ISO4217
#define PCENC     GS1_LINT_PCENC
#define YESNO     GS1_LINT_YESNO

/* Trade measures 31nn-36nn: N6, the last AI digit the decimal places. */
#define M(lo, hi, title, req, ex) R(lo, hi, PD, title, req, _, ex, _, N(6, 6, 0))
/* Ship-to / return-to fields of the 43nn family, all needing (00). */
#define S(ai, title, ...) R(ai, ai, D, title, "00", _, _, _, __VA_ARGS__)

static const struct gs1_ai_def table[] = {
	R("00", "00", PD, "SSCC", _, _, _, "", N(18, 18, CSUM, KEYOFF1)),
	R("01", "01", PD, "GTIN", _, _, "255,37", "22,10,21|235", N(14, 14, CSUM, KEYOFF1)),
	R("02", "02", PD, "CONTENT", "37", _, "01,03", _, N(14, 14, CSUM, KEYOFF1)),
	R("03", "03", P, "MTO GTIN", _, _, "01,02,37", _, N(14, 14, CSUM, KEYOFF1)),
	R("10", "10", D, "BATCH/LOT", "01,02,03,8006,8026", _, _, _, X(1, 20, 0)),
	R("11", "11", PD, "PROD DATE", "01,02,03,8006,8026", _, _, _, N(6, 6, YYMMD0)),
	R("12", "12", PD, "DUE DATE", "8020", _, _, _, N(6, 6, YYMMD0)),
	R("13", "13", PD, "PACK DATE", "01,02,03,8006,8026", _, _, _, N(6, 6, YYMMD0)),
	R("15", "15", PD, "BEST BEFORE or BEST BY", "01,02,03,8006,8026", _, _, _, N(6, 6, YYMMD0)),
	R("16", "16", PD, "SELL BY", "01,02,03,8006,8026", _, _, _, N(6, 6, YYMMD0)),
	R("17", "17", PD, "USE BY or EXPIRY", "01,02,03,255,8006,8026", _, _, _, N(6, 6, YYMMD0)),
	R("20", "20", PD, "VARIANT", "01,02,8006,8026", _, _, _, N(2, 2, 0)),
	R("21", "21", 0, "SERIAL", "01,03,8006", _, "235", _, X(1, 20, 0)),
	R("22", "22", 0, "CPV", "01", _, _, _, X(1, 20, 0)),
	R("235", "235", 0, "TPX", "01", _, _, _, X(1, 28, 0)),
	R("240", "240", D, "ADDITIONAL ID", "01,02,8006,8026", _, _, _, X(1, 30, 0)),
	R("241", "241", D, "CUST. PART No.", "01,02,8006,8026", _, _, _, X(1, 30, 0)),
	R("242", "242", D, "MTO VARIANT", "01,02,8006,8026", _, _, _, N(1, 6, 0)),
	R("243", "243", D, "PCN", "01", _, _, _, X(1, 20, 0)),
	R("250", "250", D, "SECONDARY SERIAL", "01,8006", "21", _, _, X(1, 30, 0)),
	R("251", "251", D, "REF. TO SOURCE", "01,8006", _, _, _, X(1, 30, 0)),
	R("253", "253", D, "GDTI", _, _, _, "", N(13, 13, CSUM, KEY), OX(1, 17, 0)),
	R("254", "254", 0, "GLN EXTENSION COMPONENT", "414", _, _, _, X(1, 20, 0)),
	R("255", "255", D, "GCN", _, _, "01,02,415,8006,8020,8026", "", N(13, 13, CSUM, KEY),
	  ON(1, 12, 0)),
	R("30", "30", D, "VAR. COUNT", "01,02", _, _, _, N(1, 8, 0)),
	M("3100", "3105", "NET WEIGHT (kg)", "01,02", "310n"),
	M("3110", "3115", "LENGTH (m)", "01,02", "311n"),
	M("3120", "3125", "WIDTH (m)", "01,02", "312n"),
	M("3130", "3135", "HEIGHT (m)", "01,02", "313n"),
	M("3140", "3145", "AREA (m2)", "01,02", "314n"),
	M("3150", "3155", "NET VOLUME (l)", "01,02", "315n"),
	M("3160", "3165", "NET VOLUME (m3)", "01,02", "316n"),
	M("3200", "3205", "NET WEIGHT (lb)", "01,02", "320n"),
	M("3210", "3215", "LENGTH (in)", "01,02", "321n"),
	M("3220", "3225", "LENGTH (ft)", "01,02", "322n"),
	M("3230", "3235", "LENGTH (yd)", "01,02", "323n"),
	M("3240", "3245", "WIDTH (in)", "01,02", "324n"),
	M("3250", "3255", "WIDTH (ft)", "01,02", "325n"),
	M("3260", "3265", "WIDTH (yd)", "01,02", "326n"),
	M("3270", "3275", "HEIGHT (in)", "01,02", "327n"),
	M("3280", "3285", "HEIGHT (ft)", "01,02", "328n"),
	M("3290", "3295", "HEIGHT (yd)", "01,02", "329n"),
	M("3300", "3305", "GROSS WEIGHT (kg)", "00,01", "330n"),
	M("3310", "3315", "LENGTH (m), log", "00,01", "331n"),
	M("3320", "3325", "WIDTH (m), log", "00,01", "332n"),
	M("3330", "3335", "HEIGHT (m), log", "00,01", "333n"),
	M("3340", "3345", "AREA (m2), log", "00,01", "334n"),
	M("3350", "3355", "VOLUME (l), log", "00,01", "335n"),
	M("3360", "3365", "VOLUME (m3), log", "00,01", "336n"),
	M("3370", "3375", "KG PER m2", "01", "337n"),
	M("3400", "3405", "GROSS WEIGHT (lb)", "00,01", "340n"),
	M("3410", "3415", "LENGTH (in), log", "00,01", "341n"),
	M("3420", "3425", "LENGTH (ft), log", "00,01", "342n"),
	M("3430", "3435", "LENGTH (yd), log", "00,01", "343n"),
	M("3440", "3445", "WIDTH (in), log", "00,01", "344n"),
	M("3450", "3455", "WIDTH (ft), log", "00,01", "345n"),
	M("3460", "3465", "WIDTH (yd), log", "00,01", "346n"),
	M("3470", "3475", "HEIGHT (in), log", "00,01", "347n"),
	M("3480", "3485", "HEIGHT (ft), log", "00,01", "348n"),
	M("3490", "3495", "HEIGHT (yd), log", "00,01", "349n"),
	M("3500", "3505", "AREA (in2)", "01,02", "350n"),
	M("3510", "3515", "AREA (ft2)", "01,02", "351n"),
	M("3520", "3525", "AREA (yd2)", "01,02", "352n"),
	M("3530", "3535", "AREA (in2), log", "00,01", "353n"),
	M("3540", "3545", "AREA (ft2), log", "00,01", "354n"),
	M("3550", "3555", "AREA (yd2), log", "00,01", "355n"),
	M("3560", "3565", "NET WEIGHT (t oz)", "01,02", "356n"),
	M("3570", "3575", "NET VOLUME (oz)", "01,02", "357n"),
	M("3600", "3605", "NET VOLUME (qt)", "01,02", "360n"),
	M("3610", "3615", "NET VOLUME (gal.)", "01,02", "361n"),
	M("3620", "3625", "VOLUME (qt), log", "00,01", "362n"),
	M("3630", "3635", "VOLUME (gal.), log", "00,01", "363n"),
	M("3640", "3645", "VOLUME (in3)", "01,02", "364n"),
	M("3650", "3655", "VOLUME (ft3)", "01,02", "365n"),
	M("3660", "3665", "VOLUME (yd3)", "01,02", "366n"),
	M("3670", "3675", "VOLUME (in3), log", "00,01", "367n"),
	M("3680", "3685", "VOLUME (ft3), log", "00,01", "368n"),
	M("3690", "3695", "VOLUME (yd3), log", "00,01", "369n"),
	R("37", "37", D, "COUNT", "00", "02,8026", _, _, N(1, 8, 0)),
	R("3900", "3909", D, "AMOUNT", "255,8020", _, "390n,391n,394n,8111", _, N(1, 15, 0)),
	R("3910", "3919", D, "AMOUNT", "8020", _, "391n", _, N(3, 3, ISO4217), N(1, 15, 0)),
	R("3920", "3929", D, "PRICE", "01", "30,31nn,32nn,35nn,36nn", "392n,393n", _, N(1, 15, 0)),
	R("3930", "3939", D, "PRICE", "30,31nn,32nn,35nn,36nn", _, "393n", _, N(3, 3, ISO4217),
	  N(1, 15, 0)),
	R("3940", "3943", D, "PRCNT OFF", "255", _, "394n,8111", _, N(4, 4, 0)),
	R("3950", "3955", D, "PRICE/UoM", "30,31nn,32nn,35nn,36nn", _, "392n,393n,395n,8005", _,
	  N(6, 6, 0)),
	R("400", "400", D, "ORDER NUMBER", _, _, _, _, X(1, 30, 0)),
	R("401", "401", D, "GINC", _, _, _, "", X(1, 30, KEY)),
	R("402", "402", D, "GSIN", _, _, _, "", N(17, 17, CSUM, KEY)),
	R("403", "403", D, "ROUTE", "00", _, _, _, X(1, 30, 0)),
	R("410", "410", PD, "SHIP TO LOC", _, _, _, _, N(13, 13, CSUM, KEY)),
	R("411", "411", PD, "BILL TO", _, _, _, _, N(13, 13, CSUM, KEY)),
	R("412", "412", PD, "PURCHASE FROM", _, _, _, _, N(13, 13, CSUM, KEY)),
	R("413", "413", PD, "SHIP FOR LOC", _, _, _, _, N(13, 13, CSUM, KEY)),
	R("414", "414", PD, "LOC No.", _, _, _, "254|7040", N(13, 13, CSUM, KEY)),
	R("415", "415", PD, "PAY TO", "8020", _, _, "8020", N(13, 13, CSUM, KEY)),
	R("416", "416", PD, "PROD/SERV LOC", _, _, _, _, N(13, 13, CSUM, KEY)),
	R("417", "417", PD, "PARTY", _, _, _, "7040", N(13, 13, CSUM, KEY)),
	R("420", "420", D, "SHIP TO POST", _, _, "421", _, X(1, 20, 0)),
	R("421", "421", D, "SHIP TO POST", _, _, "4307", _, N(3, 3, ISO3166), X(1, 9, 0)),
	R("422", "422", D, "ORIGIN", "01,02,8006,8026", _, "426", _, N(3, 3, ISO3166)),
	R("423", "423", D, "COUNTRY - INITIAL PROCESS", "01,02", _, "426", _, N(3, 3, ISO3166),
	  ON(3, 3, ISO3166), ON(3, 3, ISO3166), ON(3, 3, ISO3166), ON(3, 3, ISO3166)),
	R("424", "424", D, "COUNTRY - PROCESS", "01,02", _, "426", _, N(3, 3, ISO3166)),
	R("425", "425", D, "COUNTRY - DISASSEMBLY", "01,02", _, "426", _, N(3, 3, ISO3166),
	  ON(3, 3, ISO3166), ON(3, 3, ISO3166), ON(3, 3, ISO3166), ON(3, 3, ISO3166)),
	R("426", "426", D, "COUNTRY - FULL PROCESS", "01,02", _, _, _, N(3, 3, ISO3166)),
	R("427", "427", D, "ORIGIN SUBDIVISION", "01,02", "422", _, _, X(1, 3, 0)),
	S("4300", "SHIP TO COMP", X(1, 35, PCENC)),
	S("4301", "SHIP TO NAME", X(1, 35, PCENC)),
	S("4302", "SHIP TO ADD1", X(1, 70, PCENC)),
	R("4303", "4303", D, "SHIP TO ADD2", "4302", _, _, _, X(1, 70, PCENC)),
	S("4304", "SHIP TO SUB", X(1, 70, PCENC)),
	S("4305", "SHIP TO LOC", X(1, 70, PCENC)),
	S("4306", "SHIP TO REG", X(1, 70, PCENC)),
	S("4307", "SHIP TO COUNTRY", X(2, 2, GS1_LINT_ISO3166ALPHA2)),
	S("4308", "SHIP TO PHONE", X(1, 30, 0)),
	S("4309", "SHIP TO GEO", N(10, 10, GS1_LINT_LATITUDE), N(10, 10, GS1_LINT_LONGITUDE)),
	S("4310", "RTN TO COMP", X(1, 35, PCENC)),
	S("4311", "RTN TO NAME", X(1, 35, PCENC)),
	S("4312", "RTN TO ADD1", X(1, 70, PCENC)),
	R("4313", "4313", D, "RTN TO ADD2", "4312", _, _, _, X(1, 70, PCENC)),
	S("4314", "RTN TO SUB", X(1, 70, PCENC)),
	S("4315", "RTN TO LOC", X(1, 70, PCENC)),
	S("4316", "RTN TO REG", X(1, 70, PCENC)),
	S("4317", "RTN TO COUNTRY", X(2, 2, GS1_LINT_ISO3166ALPHA2)),
	S("4318", "RTN TO POST", X(1, 20, 0)),
	S("4319", "RTN TO PHONE", X(1, 30, 0)),
	S("4320", "SRV DESCRIPTION", X(1, 35, PCENC)),
	S("4321", "DANGEROUS GOODS", N(1, 1, YESNO)),
	S("4322", "AUTH TO LEAVE", N(1, 1, YESNO)),
	S("4323", "SIG REQUIRED", N(1, 1, YESNO)),
	S("4324", "NOT BEF DEL DT", N(6, 6, YYMMD0), N(4, 4, HHMI)),
	S("4325", "NOT AFT DEL DT", N(6, 6, YYMMD0), N(4, 4, HHMI)),
	S("4326", "REL DATE", N(6, 6, YYMMDD)),
	R("4330", "4330", D, "MAX TEMP F.", "00", _, "4331", _, N(6, 6, 0), OX(1, 1, GS1_LINT_HYPHEN)),
	R("4331", "4331", D, "MAX TEMP C.", "00", _, "4330", _, N(6, 6, 0), OX(1, 1, GS1_LINT_HYPHEN)),
	R("4332", "4332", D, "MIN TEMP F.", "00", _, "4333", _, N(6, 6, 0), OX(1, 1, GS1_LINT_HYPHEN)),
	R("4333", "4333", D, "MIN TEMP C.", "00", _, "4332", _, N(6, 6, 0), OX(1, 1, GS1_LINT_HYPHEN)),
	R("7001", "7001", D, "NSN", "01,02,8006,8026", _, _, _, N(13, 13, 0)),
	R("7002", "7002", D, "MEAT CUT", "01,02", _, _, _, X(1, 30, 0)),
	R("7003", "7003", D, "EXPIRY TIME", "01,02", _, _, _, N(6, 6, YYMMDD), N(4, 4, HHMI)),
	R("7004", "7004", D, "ACTIVE POTENCY", "01", "10", _, _, N(1, 4, 0)),
	R("7005", "7005", D, "CATCH AREA", "01,02", _, _, _, X(1, 12, 0)),
	R("7006", "7006", D, "FIRST FREEZE DATE", "01,02", _, _, _, N(6, 6, YYMMDD)),
	R("7007", "7007", D, "HARVEST DATE", "01,02", _, _, _, N(6, 6, YYMMDD), ON(6, 6, YYMMDD)),
	R("7008", "7008", D, "AQUATIC SPECIES", "01,02", _, _, _, X(1, 3, 0)),
	R("7009", "7009", D, "FISHING GEAR TYPE", "01,02", _, _, _, X(1, 10, 0)),
	R("7010", "7010", D, "PROD METHOD", "01,02", _, _, _, X(1, 2, 0)),
	R("7011", "7011", D, "TEST BY DATE", "01,02", _, _, _, N(6, 6, YYMMDD), ON(4, 4, HHMI)),
	R("7020", "7020", D, "REFURB LOT", "01,8006", "416", _, _, X(1, 20, 0)),
	R("7021", "7021", D, "FUNC STAT", "01,8006", _, _, _, X(1, 20, 0)),
	R("7022", "7022", D, "REV STAT", "7021", _, _, _, X(1, 20, 0)),
	R("7023", "7023", D, "GIAI - ASSEMBLY", _, _, _, _, X(1, 30, KEY)),
	R("7030", "7039", D, "PROCESSOR # n", "01,02", _, _, _, N(3, 3, GS1_LINT_ISO3166999),
	  X(1, 27, 0)),
	R("7040", "7040", 0, "UIC+EXT", _, _, _, _, N(1, 1, 0), X(1, 1, 0), X(1, 1, 0),
	  X(1, 1, GS1_LINT_IMPORTERIDX)),
	R("7041", "7041", 0, "UFRGT UNIT TYPE", "00", _, _, _, X(1, 4, GS1_LINT_PACKAGETYPE)),
	R("710", "710", D, "NHRN PZN", "01", _, _, _, X(1, 20, 0)),
	R("711", "711", D, "NHRN CIP", "01", _, _, _, X(1, 20, 0)),
	R("712", "712", D, "NHRN CN", "01", _, _, _, X(1, 20, 0)),
	R("713", "713", D, "NHRN DRN", "01", _, _, _, X(1, 20, 0)),
	R("714", "714", D, "NHRN AIM", "01", _, _, _, X(1, 20, 0)),
	R("715", "715", D, "NHRN NDC", "01", _, _, _, X(1, 20, 0)),
	R("716", "716", D, "NHRN AIC", "01", _, _, _, X(1, 20, 0)),
	R("7230", "7239", D, "CERT # n", "01,8004", _, _, _, X(2, 2, 0), X(1, 28, 0)),
	R("7240", "7240", D, "PROTOCOL", "01,8006", _, _, _, X(1, 20, 0)),
	R("7241", "7241", D, "AIDC MEDIA TYPE", "8017,8018", _, _, _, N(2, 2, GS1_LINT_MEDIATYPE)),
	R("7242", "7242", D, "VCN", "8017,8018", _, _, _, X(1, 25, 0)),
	R("7250", "7250", D, "DOB", "8018", _, "7251", _, N(8, 8, YYYYMMDD)),
	R("7251", "7251", D, "DOB TIME", "8018", _, "7250", _, N(8, 8, YYYYMMDD), N(4, 4, HHMI)),
	R("7252", "7252", D, "BIO SEX", "8018", _, _, _, N(1, 1, GS1_LINT_ISO5218)),
	R("7253", "7253", D, "FAMILY NAME", "8017,8018", _, "7256,7259", _, X(1, 40, PCENC)),
	R("7254", "7254", D, "GIVEN NAME", "8017,8018", _, "7256,7259", _, X(1, 40, PCENC)),
	R("7255", "7255", D, "SUFFIX", "8017,8018", _, "7256,7259", _, X(1, 10, 0)),
	R("7256", "7256", D, "FULL NAME", "8017,8018", _, _, _, X(1, 90, PCENC)),
	R("7257", "7257", D, "PERSON ADDR", "8018", _, _, _, X(1, 70, PCENC)),
	R("7258", "7258", D, "BIRTH SEQUENCE", "8018+7259", _, _, _, X(3, 3, GS1_LINT_POSINSEQSLASH)),
	R("7259", "7259", D, "BABY", "8018", _, "7256", _, X(1, 40, PCENC)),
	R("8001", "8001", D, "DIMENSIONS", "01", _, _, _, N(4, 4, GS1_LINT_NONZERO),
	  N(5, 5, GS1_LINT_NONZERO), N(3, 3, GS1_LINT_NONZERO), N(1, 1, GS1_LINT_WINDING), N(1, 1, 0)),
	R("8002", "8002", D, "CMT No.", _, _, _, _, X(1, 20, 0)),
	R("8003", "8003", D, "GRAI", _, _, _, "", N(1, 1, GS1_LINT_ZERO), N(13, 13, CSUM, KEY),
	  OX(1, 16, 0)),
	R("8004", "8004", D, "GIAI", _, _, _, "7040", X(1, 30, KEY)),
	R("8005", "8005", D, "PRICE PER UNIT", "01,02", _, _, _, N(6, 6, 0)),
	R("8006", "8006", D, "ITIP", _, _, "01,37", "22,10,21", N(14, 14, CSUM, KEYOFF1),
	  N(4, 4, GS1_LINT_PIECEOFTOTAL)),
	R("8007", "8007", D, "IBAN", "415", _, _, _, X(1, 34, GS1_LINT_IBAN)),
	R("8008", "8008", D, "PROD TIME", "01,02", _, _, _, N(6, 6, YYMMDD), N(2, 2, HH),
	  ON(2, 2, MI), ON(2, 2, SS)),
	R("8009", "8009", D, "OPTSEN", "00,01", _, _, _, X(1, 50, 0)),
	R("8010", "8010", D, "CPID", _, _, _, "8011", Y(1, 30, KEY)),
	R("8011", "8011", 0, "CPID SERIAL", "8010", _, _, _, N(1, 12, GS1_LINT_NOZEROPREFIX)),
	R("8012", "8012", D, "VERSION", "01,8006", _, _, _, X(1, 20, 0)),
	R("8013", "8013", D, "GMN", _, _, _, "", X(1, 25, CSUMALPHA, KEY)),
	R("8014", "8014", 0, "MUDI", "01", _, _, _, X(1, 25, CSUMALPHA, KEY, GS1_LINT_HASNONDIGIT)),
	R("8017", "8017", D, "GSRN - PROVIDER", _, _, "8018", "8019", N(18, 18, CSUM, KEY)),
	R("8018", "8018", D, "GSRN - RECIPIENT", _, _, "8017", "8019", N(18, 18, CSUM, KEY)),
	R("8019", "8019", 0, "SRIN", "8017,8018", _, _, _, N(1, 10, 0)),
	R("8020", "8020", 0, "REF No.", "415", _, _, _, X(1, 25, 0)),
	R("8026", "8026", D, "ITIP CONTENT", "37", _, "02,8006", _, N(14, 14, CSUM, KEYOFF1),
	  N(4, 4, GS1_LINT_PIECEOFTOTAL)),
	R("8030", "8030", D, "DIGSIG", "00,01+21,253,255,8003,8004,8006+21,8010+8011,8017,8018", _,
	  _, _, Z(1, 90, 0)),
	R("8110", "8110", D, "COUPON", _, _, _, _, X(1, 70, GS1_LINT_COUPONCODE)),
	R("8111", "8111", D, "POINTS", "255", _, _, _, N(4, 4, 0)),
	R("8112", "8112", D, "PAPERLESS COUPON", _, _, _, _, X(1, 70, GS1_LINT_COUPONPOSOFFER)),
	R("8200", "8200", 0, "PRODUCT URL", "01", _, _, _, X(1, 70, 0)),
	R("90", "90", D, "INTERNAL", _, _, _, _, X(1, 30, 0)),
	R("91", "99", D, "INTERNAL", _, _, _, _, X(1, 90, 0)),
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

size_t gs1_ai_ncomp(const struct gs1_ai_def *def)
{
	size_t i = 0;

	while (i < GS1_AI_COMPS && def->comp[i].cset != GS1_CSET_END)
		i++;
	return i;
}

size_t gs1_ai_min_len(const struct gs1_ai_def *def)
{
	size_t i, n = 0;

	for (i = 0; i < gs1_ai_ncomp(def); i++)
		if (!def->comp[i].optional)
			n += def->comp[i].min;
	return n;
}

size_t gs1_ai_max_len(const struct gs1_ai_def *def)
{
	size_t i, n = 0;

	for (i = 0; i < gs1_ai_ncomp(def); i++)
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
