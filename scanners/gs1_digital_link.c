/*
 * gs1_digital_link.c - parse GS1 Digital Link URIs (GS1 Digital Link
 * standard, URI syntax) into GS1 elements:
 *
 *   https://<any host>[/<custom path>]/<primary key AI>/<value>
 *          [/<qualifier AI>/<value>...][?<AI>=<value>&...][#fragment]
 *
 * The primary key is the leftmost known key segment after which the path
 * is AI/value pairs whose AIs are that key's qualifiers; qualifiers must
 * keep the standard's order (for 01: 22, 10, 21, or 235 alone).  Values are
 * percent-decoded, GTIN-8/12/13 in the path are zero-padded to 14 digits,
 * query parameters whose name is not all digits (linkType, context, ...)
 * are ignored, the fragment is dropped.  Short names ("gtin", "lot") of the
 * withdrawn DL 1.0 syntax are not accepted.
 */
#include "gs1.h"

#include "scan_internal.h"

#include <string.h>
#include <strings.h>

#define MAX_SEGMENTS 64

struct dl_key {
	const char *pkey;
	const char *chains[2]; /* comma lists of qualifiers in order; NULL = none */
};

static const struct dl_key dl_keys[] = {
	{ "01",   { "22,10,21", "235" } },
	{ "00",   { NULL, NULL } },
	{ "253",  { NULL, NULL } },
	{ "401",  { NULL, NULL } },
	{ "402",  { NULL, NULL } },
	{ "414",  { "254", NULL } },
	{ "415",  { "8020", NULL } },
	{ "417",  { NULL, NULL } },
	{ "8003", { NULL, NULL } },
	{ "8004", { NULL, NULL } },
	{ "8006", { "22,10,21", NULL } },
	{ "8010", { "8011", NULL } },
	{ "8013", { NULL, NULL } },
	{ "8017", { NULL, NULL } },
	{ "8018", { NULL, NULL } },
};

struct seg {
	const char *p;
	size_t n;
};

static bool seg_is(const struct seg *s, const char *lit)
{
	return strlen(lit) == s->n && memcmp(s->p, lit, s->n) == 0;
}

static const struct dl_key *find_key(const struct seg *s)
{
	size_t i;

	for (i = 0; i < sizeof dl_keys / sizeof dl_keys[0]; i++)
		if (seg_is(s, dl_keys[i].pkey))
			return &dl_keys[i];
	return NULL;
}

/* Position (0-based) of the qualifier in a chain, or -1. */
static int chain_index(const char *chain, const struct seg *q)
{
	int idx = 0;
	const char *p = chain;

	while (p != NULL && *p != '\0') {
		const char *comma = strchr(p, ',');
		size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);

		if (n == q->n && memcmp(p, q->p, n) == 0)
			return idx;
		idx++;
		p = comma != NULL ? comma + 1 : NULL;
	}
	return -1;
}

static bool is_qualifier(const struct dl_key *k, const struct seg *q)
{
	return (k->chains[0] != NULL && chain_index(k->chains[0], q) >= 0) ||
	       (k->chains[1] != NULL && chain_index(k->chains[1], q) >= 0);
}

/* Do qualifiers segs[first], segs[first+2], ... follow one chain in order? */
static bool order_ok(const struct dl_key *k, const struct seg *segs, size_t first, size_t nseg)
{
	size_t c, i;

	if (first >= nseg)
		return true;
	for (c = 0; c < 2; c++) {
		int prev = -1;
		bool ok = k->chains[c] != NULL;

		for (i = first; ok && i < nseg; i += 2) {
			int idx = chain_index(k->chains[c], &segs[i]);

			ok = idx > prev;
			prev = idx;
		}
		if (ok)
			return true;
	}
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decode; *outlen is the full decoded length even past outmax. */
static bool pct_decode(const char *s, size_t n, char *out, size_t outmax, size_t *outlen)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return false;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return false;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (o < outmax)
			out[o] = c;
		o++;
	}
	*outlen = o;
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* Decode, normalise, validate and append one AI/value pair. */
static int add_pair(struct gs1_data *out, const char *ai_s, size_t ai_n, const char *v,
                    size_t vn, bool in_path, struct wms_error *err)
{
	const struct gs1_ai_def *def;
	char ai[GS1_AI_MAX + 1], value[GS1_VALUE_MAX + 1];
	size_t vlen = 0;
	enum gs1_fault f;

	if (ai_n > GS1_AI_MAX || (def = gs1_ai_lookup(ai_s, ai_n)) == NULL) {
		char q[SCAN_QUOTE_BUF];

		scan_quote(q, sizeof q, ai_s, ai_n);
		wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: unknown Application "
		    "Identifier \"%s\"", q);
		return gs1_data_fail(out, GS1_FAULT_UNKNOWN_AI);
	}
	memcpy(ai, ai_s, ai_n);
	ai[ai_n] = '\0';
	if (!pct_decode(v, vn, value, GS1_VALUE_MAX, &vlen)) {
		wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: bad percent-encoding in the "
		    "value of (%s) (expected %%HH with two hex digits)", ai);
		return gs1_data_fail(out, GS1_FAULT_SYNTAX);
	}
	if (vlen > GS1_VALUE_MAX) {
		wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s is %zu characters long, maximum "
		    "is %zu", ai, def->title, vlen, gs1_ai_max_len(def));
		return gs1_data_fail(out, GS1_FAULT_LENGTH);
	}
	if (in_path && strcmp(ai, "01") == 0 && (vlen == 8 || vlen == 12 || vlen == 13) &&
	    all_digits(value, vlen)) {
		size_t pad = 14 - vlen;

		memmove(value + pad, value, vlen);
		memset(value, '0', pad);
		vlen = 14;
	}
	f = gs1_validate(def, ai, value, vlen, err);
	if (f != GS1_FAULT_NONE)
		return gs1_data_fail(out, f);
	return gs1_data_add(out, def, ai, ai_n, value, vlen, err);
}

static int parse_query(struct gs1_data *out, const char *q, size_t n, struct wms_error *err)
{
	size_t pos = 0;

	while (pos <= n) {
		const char *amp = memchr(q + pos, '&', n - pos);
		size_t end = amp != NULL ? (size_t)(amp - q) : n;
		const char *p = q + pos;
		size_t len = end - pos;
		const char *eq = memchr(p, '=', len);
		size_t kn = eq != NULL ? (size_t)(eq - p) : len;
		int rc;

		if (len > 0 && all_digits(p, kn)) {
			struct seg key = { p, kn };

			if (eq == NULL) {
				wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: query AI %.*s "
				    "has no '=' and value", (int)(kn > 4 ? 4 : kn), p);
				return gs1_data_fail(out, GS1_FAULT_SYNTAX);
			}
			if (find_key(&key) != NULL) {
				wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: primary key "
				    "(%.*s) belongs in the path, not the query", (int)kn, p);
				return gs1_data_fail(out, GS1_FAULT_SYNTAX);
			}
			rc = add_pair(out, p, kn, eq + 1, len - kn - 1, false, err);
			if (rc != 0)
				return rc;
		}
		pos = end + 1;
	}
	return 0;
}

static bool scheme_is(const char *s, size_t n, const char *scheme)
{
	size_t k = strlen(scheme);

	return n >= k && strncasecmp(s, scheme, k) == 0;
}

int gs1_parse_digital_link(const char *s, size_t n, struct gs1_data *out,
                           struct wms_error *err)
{
	struct seg segs[MAX_SEGMENTS];
	size_t i, pos, nseg = 0, path_end, query_end, first = 0;
	const struct dl_key *key = NULL;
	bool any_key = false;
	int rc;

	gs1_data_reset(out, GS1_SYNTAX_DIGITAL_LINK);
	if (s == NULL || n == 0) {
		wms_error_set(err, WMS_EINVAL, "GS1 Digital Link URI is empty");
		return gs1_data_fail(out, GS1_FAULT_EMPTY);
	}
	if (n > GS1_INPUT_MAX) {
		wms_error_set(err, WMS_EINVAL, "GS1 Digital Link URI is %zu bytes long, "
		    "maximum is %d", n, GS1_INPUT_MAX);
		return gs1_data_fail(out, GS1_FAULT_LENGTH);
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f) {
			wms_error_set(err, WMS_EINVAL, "URI has byte 0x%02X at offset %zu; only "
			    "printable ASCII without spaces is allowed (percent-encode others)",
			    c, i);
			return gs1_data_fail(out, GS1_FAULT_SYNTAX);
		}
	}
	if (scheme_is(s, n, "https://"))
		pos = 8;
	else if (scheme_is(s, n, "http://"))
		pos = 7;
	else {
		wms_error_set(err, WMS_EINVAL, "not a GS1 Digital Link URI: must start with "
		    "https:// or http://");
		return gs1_data_fail(out, GS1_FAULT_NOT_GS1);
	}
	i = pos;
	while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')
		i++;
	if (i == pos) {
		wms_error_set(err, WMS_EINVAL, "URI has no host after the scheme");
		return gs1_data_fail(out, GS1_FAULT_SYNTAX);
	}
	pos = i;
	query_end = pos;
	while (query_end < n && s[query_end] != '#')
		query_end++;
	path_end = pos;
	while (path_end < query_end && s[path_end] != '?')
		path_end++;

	/* split the path into segments after each '/' */
	while (pos < path_end) {
		size_t start = pos + 1, end = start;

		while (end < path_end && s[end] != '/')
			end++;
		if (nseg == MAX_SEGMENTS) {
			wms_error_set(err, WMS_EINVAL, "URI path has more than %d segments",
			    MAX_SEGMENTS);
			return gs1_data_fail(out, GS1_FAULT_SYNTAX);
		}
		segs[nseg].p = s + start;
		segs[nseg].n = end - start;
		nseg++;
		pos = end;
	}
	if (nseg > 0 && segs[nseg - 1].n == 0)
		nseg--; /* one trailing '/' tolerated */

	/* leftmost key followed only by AI/value pairs of its qualifiers */
	for (i = 0; i < nseg && key == NULL; i++) {
		const struct dl_key *k = find_key(&segs[i]);
		size_t j;
		bool ok;

		if (k == NULL)
			continue;
		any_key = true;
		ok = (nseg - i) % 2 == 0;
		for (j = i + 2; ok && j < nseg; j += 2)
			ok = is_qualifier(k, &segs[j]);
		if (ok) {
			key = k;
			first = i;
		}
	}
	if (key == NULL) {
		if (any_key) {
			wms_error_set(err, WMS_EINVAL, "GS1 Digital Link path must end in "
			    "/<key AI>/<value> followed by /<qualifier AI>/<value> pairs "
			    "(for 01: 22, 10, 21 or 235)");
			return gs1_data_fail(out, GS1_FAULT_SYNTAX);
		}
		wms_error_set(err, WMS_EINVAL, "URI is not a GS1 Digital Link: no primary key "
		    "such as /01/<GTIN> or /00/<SSCC> in its path");
		return gs1_data_fail(out, GS1_FAULT_NOT_GS1);
	}
	if (!order_ok(key, segs, first + 2, nseg)) {
		if (key->chains[1] != NULL)
			wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: qualifiers after /%s/ "
			    "must be %s in that order, or %s alone", key->pkey, key->chains[0],
			    key->chains[1]);
		else
			wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: qualifiers after /%s/ "
			    "must be %s in that order", key->pkey, key->chains[0]);
		return gs1_data_fail(out, GS1_FAULT_SYNTAX);
	}
	for (i = first; i + 1 < nseg; i += 2) {
		rc = add_pair(out, segs[i].p, segs[i].n, segs[i + 1].p, segs[i + 1].n, true,
		    err);
		if (rc != 0)
			return rc;
	}
	if (path_end < query_end) {
		rc = parse_query(out, s + path_end + 1, query_end - path_end - 1, err);
		if (rc != 0)
			return rc;
	}
	if (gs1_check_associations(out, err) != GS1_FAULT_NONE)
		return gs1_data_fail(out, GS1_FAULT_ASSOCIATION);
	return 0;
}
