/*
 * label_gs1.c - GS1 element strings for the barcodes we print: parsing the
 * "(AI)value" form used in templates and checking each element.
 *
 * Only the application identifiers our labels need are known (SSCC, GTIN,
 * serial, lot, dates, shipping references); anything else is refused rather
 * than printed unchecked, because a wrong SSCC or GTIN check digit is only
 * found at the receiving dock.  The "variable" flag says whether the element
 * must be followed by FNC1 when another element comes after it.
 */
#include "label_internal.h"

#include <string.h>

#include "wms_gs1_check.h"

struct ai_def {
	const char *ai;
	int minlen, maxlen;
	int numeric;
	int check;             /* mod-10 check digit in the last position */
	int variable;
	const char *what;
};

static const struct ai_def ais[] = {
	{ "00", 18, 18, 1, 1, 0, "SSCC" },
	{ "01", 14, 14, 1, 1, 0, "GTIN" },
	{ "02", 14, 14, 1, 1, 0, "GTIN of contained items" },
	{ "10", 1, 20, 0, 0, 1, "batch/lot" },
	{ "11", 6, 6, 1, 0, 0, "production date" },
	{ "17", 6, 6, 1, 0, 0, "expiry date" },
	{ "21", 1, 20, 0, 0, 1, "serial number" },
	{ "240", 1, 30, 0, 0, 1, "additional product id" },
	{ "400", 1, 30, 0, 0, 1, "customer's order number" },
	{ "401", 1, 30, 0, 0, 1, "consignment number" },
	{ "403", 1, 30, 0, 0, 1, "routing code" },
	{ "420", 1, 20, 0, 0, 1, "ship-to postal code" },
};

/* GS1 AI encodable character set 82. */
static int cset82(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c != '\0' && strchr("!\"%&'()*+,-./:;<=>?_", c) != NULL);
}

int label_gs1_parse(const char *s, struct label_gs1 *out, struct wms_error *err)
{
	const char *c = s;

	memset(out, 0, sizeof *out);
	if (*c != '(')
		return wms_error_set(err, WMS_EINVAL, "GS1 data must start with '(AI)': \"%s\"", s);
	while (*c) {
		struct label_gs1_el *el;
		const struct ai_def *d = NULL;
		const char *close, *vend;
		size_t ailen, vlen, i;

		if (out->n == LABEL_GS1_MAX_EL)
			return wms_error_set(err, WMS_EINVAL, "too many GS1 elements in \"%s\"", s);
		close = strchr(c, ')');
		if (*c != '(' || close == NULL)
			return wms_error_set(err, WMS_EINVAL, "bad GS1 element string \"%s\"", s);
		ailen = (size_t)(close - c - 1);
		for (i = 0; i < sizeof ais / sizeof ais[0]; i++)
			if (strlen(ais[i].ai) == ailen && memcmp(ais[i].ai, c + 1, ailen) == 0)
				d = &ais[i];
		if (d == NULL)
			return wms_error_set(err, WMS_EUNSUPP, "GS1 AI (%.*s) not supported",
					     (int)(ailen < 8 ? ailen : 8), c + 1);
		vend = strchr(close + 1, '(');
		if (vend == NULL)
			vend = close + 1 + strlen(close + 1);
		vlen = (size_t)(vend - close - 1);
		if (vlen < (size_t)d->minlen || vlen > (size_t)d->maxlen) {
			if (d->minlen == d->maxlen)
				return wms_error_set(err, WMS_EINVAL,
						     "GS1 (%s) %s must have %d characters, got %zu",
						     d->ai, d->what, d->minlen, vlen);
			return wms_error_set(err, WMS_EINVAL,
					     "GS1 (%s) %s must have %d to %d characters, got %zu",
					     d->ai, d->what, d->minlen, d->maxlen, vlen);
		}
		for (i = 0; i < vlen; i++) {
			char ch = close[1 + i];

			if (d->numeric ? !(ch >= '0' && ch <= '9') : !cset82(ch))
				return wms_error_set(err, WMS_EINVAL,
						     "GS1 (%s) %s: character '%c' not allowed",
						     d->ai, d->what, ch);
		}
		if (d->check && !wms_gs1_check_digit_ok(close + 1, vlen))
			return wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s %.*s: wrong check digit",
					     d->ai, d->what, (int)vlen, close + 1);
		el = &out->el[out->n++];
		memcpy(el->ai, d->ai, strlen(d->ai) + 1);
		memcpy(el->value, close + 1, vlen);
		el->value[vlen] = '\0';
		el->variable = d->variable;
		c = vend;
	}
	return 0;
}
