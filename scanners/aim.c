/*
 * aim.c - AIM symbology identifiers: parse "]Cm", name the symbology, say
 * whether the data is GS1, and derive an identifier from a ZBar symbol type.
 *
 * The GS1 modifiers follow ISO/IEC 15424 and GS1 General Specifications
 * 5.1.2 (symbology identifiers of GS1 data carriers): ]C1 GS1-128,
 * ]d2 and ]d5 GS1 DataMatrix, ]Q3 and ]Q4 GS1 QR Code, ]e0-]e3 GS1 DataBar
 * and composites, ]J1 GS1 DotCode, ]z1 and ]z4 Aztec with FNC1 in first
 * position.  EAN/UPC (]E0, ]E3, ]E4) and ITF with a verified check digit
 * (]I1) carry a bare GTIN without an AI.
 */
#include "aim.h"

#include <string.h>

struct aim_symbology {
	char letter;
	const char *name;
	const char *gs1_modifiers;  /* modifiers meaning GS1 element strings */
	const char *gtin_modifiers; /* modifiers meaning a bare GTIN */
};

static const struct aim_symbology symbologies[] = {
	{ 'A', "Code 39",              "",     ""    },
	{ 'C', "Code 128",             "1",    ""    },
	{ 'd', "Data Matrix",          "25",   ""    },
	{ 'E', "EAN/UPC",              "",     "034" },
	{ 'e', "GS1 DataBar",          "0123", ""    },
	{ 'F', "Codabar",              "",     ""    },
	{ 'G', "Code 93",              "",     ""    },
	{ 'H', "Code 11",              "",     ""    },
	{ 'I', "Interleaved 2 of 5",   "",     "1"   },
	{ 'J', "DotCode",              "1",    ""    },
	{ 'L', "PDF417",               "",     ""    },
	{ 'M', "MSI",                  "",     ""    },
	{ 'Q', "QR Code",              "34",   ""    },
	{ 'U', "MaxiCode",             "",     ""    },
	{ 'X', "other symbology",      "",     ""    },
	{ 'z', "Aztec",                "14",   ""    },
	{ 'Z', "non-barcode data",     "",     ""    },
};

static const struct aim_symbology *find_symbology(char letter)
{
	size_t i;

	for (i = 0; i < sizeof symbologies / sizeof symbologies[0]; i++)
		if (symbologies[i].letter == letter)
			return &symbologies[i];
	return NULL;
}

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_alnum(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

bool aim_present(const char *data, size_t len)
{
	return data != NULL && len >= AIM_ID_LEN && data[0] == ']' &&
	       is_alpha(data[1]) && is_alnum(data[2]);
}

int aim_parse(const char *data, size_t len, struct aim_id *id, struct wms_error *err)
{
	id->symbology = 0;
	id->modifier = 0;
	if (data == NULL || len < AIM_ID_LEN || data[0] != ']')
		return wms_error_set(err, WMS_EINVAL,
		    "no AIM symbology identifier: expected ']' + letter + modifier, e.g. \"]C1\"");
	if (!is_alpha(data[1]) || !is_alnum(data[2]))
		return wms_error_set(err, WMS_EINVAL,
		    "malformed AIM symbology identifier: after ']' expected a letter and a "
		    "modifier 0-9/A-Z/a-z, e.g. \"]C1\"");
	id->symbology = data[1];
	id->modifier = data[2];
	return 0;
}

void aim_format(const struct aim_id *id, char out[AIM_ID_LEN + 1])
{
	if (id == NULL || id->symbology == 0) {
		out[0] = '\0';
		return;
	}
	out[0] = ']';
	out[1] = id->symbology;
	out[2] = id->modifier;
	out[3] = '\0';
}

const char *aim_symbology_name(char symbology)
{
	const struct aim_symbology *s = find_symbology(symbology);

	return s != NULL ? s->name : "unknown symbology";
}

enum aim_content aim_content_of(const struct aim_id *id)
{
	const struct aim_symbology *s;

	if (id == NULL || id->symbology == 0 || id->modifier == 0)
		return AIM_CONTENT_TEXT;
	s = find_symbology(id->symbology);
	if (s == NULL)
		return AIM_CONTENT_TEXT;
	if (strchr(s->gs1_modifiers, id->modifier) != NULL)
		return AIM_CONTENT_GS1;
	if (strchr(s->gtin_modifiers, id->modifier) != NULL)
		return AIM_CONTENT_GTIN;
	return AIM_CONTENT_TEXT;
}

bool aim_is_gs1(const struct aim_id *id)
{
	return aim_content_of(id) == AIM_CONTENT_GS1;
}

/* One row per ZBar type: its name, number, identifier, and GS1 identifier. */
struct zbar_map {
	const char *name;
	int type;
	char plain[AIM_ID_LEN + 1];
	char gs1[AIM_ID_LEN + 1]; /* "" = no GS1 form; same as plain = always GS1 */
};

static const struct zbar_map zbar_maps[] = {
	{ "CODE-128",    AIM_ZBAR_CODE128,     "]C0", "]C1" },
	{ "QR-Code",     AIM_ZBAR_QRCODE,      "]Q1", "]Q3" },
	{ "DataMatrix",  -1,                   "]d1", "]d2" },
	{ "DataBar",     AIM_ZBAR_DATABAR,     "]e0", "]e0" },
	{ "DataBar-Exp", AIM_ZBAR_DATABAR_EXP, "]e0", "]e0" },
	{ "COMPOSITE",   AIM_ZBAR_COMPOSITE,   "]e0", "]e0" },
	{ "EAN-13",      AIM_ZBAR_EAN13,       "]E0", ""    },
	{ "UPC-A",       AIM_ZBAR_UPCA,        "]E0", ""    },
	{ "UPC-E",       AIM_ZBAR_UPCE,        "]E0", ""    },
	{ "ISBN-13",     AIM_ZBAR_ISBN13,      "]E0", ""    },
	{ "EAN-8",       AIM_ZBAR_EAN8,        "]E4", ""    },
	{ "EAN-2",       AIM_ZBAR_EAN2,        "]E1", ""    },
	{ "EAN-5",       AIM_ZBAR_EAN5,        "]E2", ""    },
	{ "I2/5",        AIM_ZBAR_I25,         "]I0", ""    },
	{ "CODE-39",     AIM_ZBAR_CODE39,      "]A0", ""    },
	{ "CODE-93",     AIM_ZBAR_CODE93,      "]G0", ""    },
	{ "Codabar",     AIM_ZBAR_CODABAR,     "]F0", ""    },
	{ "PDF417",      AIM_ZBAR_PDF417,      "]L0", ""    },
	{ "ISBN-10",     AIM_ZBAR_ISBN10,      "]X0", ""    },
	{ "SQ-Code",     AIM_ZBAR_SQCODE,      "]X0", ""    },
};

static int from_map(const struct zbar_map *m, bool gs1, struct aim_id *id, struct wms_error *err)
{
	const char *s = gs1 ? m->gs1 : m->plain;

	if (s[0] == '\0')
		return wms_error_set(err, WMS_EINVAL,
		    "ZBar symbol type %s has no GS1 form; only CODE-128, QR-Code, "
		    "DataMatrix and the DataBar types carry GS1 element strings", m->name);
	return aim_parse(s, AIM_ID_LEN, id, err);
}

int aim_from_zbar_name(const char *name, bool gs1, struct aim_id *id, struct wms_error *err)
{
	size_t i;

	id->symbology = 0;
	id->modifier = 0;
	if (name == NULL)
		return wms_error_set(err, WMS_EINVAL, "no ZBar symbol type name given");
	for (i = 0; i < sizeof zbar_maps / sizeof zbar_maps[0]; i++)
		if (strcmp(zbar_maps[i].name, name) == 0)
			return from_map(&zbar_maps[i], gs1, id, err);
	if (strcmp(name, "DATAMATRIX") == 0)
		return from_map(&zbar_maps[2], gs1, id, err);
	return wms_error_set(err, WMS_EINVAL,
	    "unknown ZBar symbol type name (allowed: CODE-128, QR-Code, DataMatrix, "
	    "DataBar, DataBar-Exp, COMPOSITE, EAN-13, UPC-A, UPC-E, ISBN-13, EAN-8, "
	    "EAN-2, EAN-5, I2/5, CODE-39, CODE-93, Codabar, PDF417, ISBN-10, SQ-Code)");
}

int aim_from_zbar_type(int zbar_type, bool gs1, struct aim_id *id, struct wms_error *err)
{
	int type = zbar_type & 0xff; /* ZBAR_SYMBOL mask: drop add-on bits */
	size_t i;

	id->symbology = 0;
	id->modifier = 0;
	for (i = 0; i < sizeof zbar_maps / sizeof zbar_maps[0]; i++)
		if (zbar_maps[i].type == type)
			return from_map(&zbar_maps[i], gs1, id, err);
	return wms_error_set(err, WMS_EINVAL, "unknown ZBar symbol type %d", zbar_type);
}
