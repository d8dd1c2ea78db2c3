/*
 * gs1_digital_link.c - parse GS1 Digital Link URIs (GS1 Digital Link: URI
 * syntax, and RFC 3986 for the URI itself) into GS1 elements:
 *
 *   http(s)://<host>[/<any stem>]/<primary key AI>/<value>
 *          [/<qualifier AI>/<value>...][?<AI>=<value>&<other>=...][#fragment]
 *
 * Read as the standard reads it: the path is walked back from its end in
 * /AI/value pairs until a primary key (the Syntax Dictionary's dlpkey) is
 * found; everything before it is the stem.  The qualifiers after the key
 * must be a sequence the key allows, in order ("22,10,21" or "235" for
 * 01).  Query parameters named by digits must be known AIs that may be
 * Digital Link attributes, not given twice, and not ones that belong in
 * the path; other parameters (linkType, context, ...) and ones without
 * '=' are ignored; '+' in a query value is a space.  The fragment is
 * dropped.  Then every value passes its linters and the association rules.
 *
 * Stricter than the standard's reference implementation: a '%' not
 * followed by two hex digits is refused (RFC 3986 2.1).  Tolerances beyond
 * the standard are listed in gs1.h.
 */
#include "gs1.h"

#include "scan_internal.h"

#include <string.h>

#define MAX_SEGMENTS 64

struct seg {
	const char *p;
	size_t n;
};

/* RFC 3986 unreserved and reserved characters, and '%'. */
static bool uri_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c != 0 && strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL);
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* The row of a path or query segment that names an AI, or NULL. */
static const struct gs1_ai_def *seg_ai(const struct seg *s)
{
	return all_digits(s->p, s->n) ? gs1_ai_lookup(s->p, s->n) : NULL;
}

static bool is_key(const struct seg *s)
{
	const struct gs1_ai_def *def = seg_ai(s);

	return def != NULL && def->dlpkey != NULL;
}

/* Position of ai (n chars) in the comma list alt (up to '|' or the end), or -1. */
static int alt_index(const char *alt, const char *ai, size_t n)
{
	int idx = 0;

	while (*alt != '\0' && *alt != '|') {
		size_t len = strcspn(alt, ",|");

		if (len == n && memcmp(alt, ai, n) == 0)
			return idx;
		idx++;
		alt += len;
		if (*alt == ',')
			alt++;
	}
	return -1;
}

/*
 * Is ais[0..n) (AI strings) a qualifier sequence the key's dlpkey allows:
 * in one of its alternatives, each later in it than the one before?
 */
static bool sequence_ok(const char *dlpkey, const char *const *ais, size_t n)
{
	const char *alt = dlpkey;

	if (n == 0)
		return true;
	for (;;) {
		int prev = -1;
		size_t i;
		bool ok = true;

		for (i = 0; ok && i < n; i++) {
			int idx = alt_index(alt, ais[i], strlen(ais[i]));

			ok = idx > prev;
			prev = idx;
		}
		if (ok)
			return true;
		alt = strchr(alt, '|');
		if (alt == NULL)
			return false;
		alt++;
	}
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

/* Percent-decode ('+' as space in a query); *outlen the full decoded length
 * even past outmax.  False for a malformed escape or a NUL byte. */
static bool pct_decode(const char *s, size_t n, bool query, char *out, size_t outmax,
                       size_t *outlen)
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
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return false;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && query) {
			c = ' ';
		}
		if (o < outmax)
			out[o] = c;
		o++;
	}
	*outlen = o;
	return true;
}

/* Decode, normalise, validate and append one AI/value pair. */
static int add_pair(struct gs1_data *out, const struct gs1_ai_def *def, const char *ai_s,
                    size_t ai_n, const char *v, size_t vn, bool in_path, struct wms_error *err)
{
	char ai[GS1_AI_MAX + 1], value[GS1_VALUE_MAX + 1];
	size_t vlen = 0;
	enum gs1_fault f;

	memcpy(ai, ai_s, ai_n);
	ai[ai_n] = '\0';
	if (vn == 0) {
		wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: (%s) %s has an empty value", ai,
		    def->title);
		return gs1_data_fail(out, GS1_FAULT_SYNTAX);
	}
	if (!pct_decode(v, vn, !in_path, value, GS1_VALUE_MAX, &vlen)) {
		wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: bad percent-encoding in the "
		    "value of (%s) (expected %%HH with two hex digits, not %%00)", ai);
		return gs1_data_fail(out, GS1_FAULT_SYNTAX);
	}
	if (vlen > GS1_VALUE_MAX) {
		wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s is %zu characters long, maximum "
		    "is %zu", ai, def->title, vlen, gs1_ai_max_len(def));
		return gs1_data_fail(out, GS1_FAULT_LENGTH);
	}
	/* GTIN-8/12/13 padded to 14 digits: the standard in the query, our
	 * tolerance in the path (gs1.h) */
	if (strcmp(ai, "01") == 0 && (vlen == 8 || vlen == 12 || vlen == 13) &&
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

/* Would attribute ai make a valid path if put after position j (1..n) of it? */
static bool belongs_in_path(const char *dlpkey, const char *const *path, size_t n,
                            const char *ai)
{
	const char *trial[MAX_SEGMENTS / 2 + 1];
	size_t j, i;

	if (n > MAX_SEGMENTS / 2)
		return false;
	for (j = 1; j <= n; j++) {
		size_t k = 0;

		for (i = 1; i < j; i++)
			trial[k++] = path[i];
		trial[k++] = ai;
		for (i = j; i < n; i++)
			trial[k++] = path[i];
		if (sequence_ok(dlpkey, trial, k))
			return true;
	}
	return false;
}

static int parse_query(struct gs1_data *out, const char *q, size_t n, const char *dlpkey,
                       const char *const *path, size_t npath, struct wms_error *err)
{
	size_t pos = 0;

	while (pos < n) {
		const char *amp = memchr(q + pos, '&', n - pos);
		size_t end = amp != NULL ? (size_t)(amp - q) : n;
		const char *p = q + pos;
		size_t len = end - pos;
		const char *eq = memchr(p, '=', len);
		size_t kn = eq != NULL ? (size_t)(eq - p) : len;
		struct seg key = { p, kn };
		const struct gs1_ai_def *def;
		char ai[GS1_AI_MAX + 1];
		int rc;

		pos = end + 1;
		if (len == 0 || eq == NULL || !all_digits(p, kn))
			continue; /* "&&", a parameter without '=', linkType=... */
		if (kn > GS1_AI_MAX || (def = seg_ai(&key)) == NULL) {
			wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: query parameter %.*s is "
			    "not a GS1 Application Identifier", (int)(kn > 8 ? 8 : kn), p);
			return gs1_data_fail(out, GS1_FAULT_UNKNOWN_AI);
		}
		memcpy(ai, p, kn);
		ai[kn] = '\0';
		if (gs1_find(out, ai) != NULL) {
			wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: (%s) is given twice; an "
			    "AI appears once in a URI", ai);
			return gs1_data_fail(out, GS1_FAULT_DUPLICATE);
		}
		if (!(def->flags & GS1_AI_DL_ATTR)) {
			wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: (%s) %s is not allowed as "
			    "a query attribute", ai, def->title);
			return gs1_data_fail(out, GS1_FAULT_SYNTAX);
		}
		if (belongs_in_path(dlpkey, path, npath, ai)) {
			wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: (%s) belongs in the path "
			    "after /%s/..., not in the query", ai, path[0]);
			return gs1_data_fail(out, GS1_FAULT_SYNTAX);
		}
		rc = add_pair(out, def, p, kn, eq + 1, len - kn - 1, false, err);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The scheme's length: "https://" or "http://", all lower or all upper case. */
static size_t scheme_len(const char *s, size_t n)
{
	if (n >= 8 && (memcmp(s, "https://", 8) == 0 || memcmp(s, "HTTPS://", 8) == 0))
		return 8;
	if (n >= 7 && (memcmp(s, "http://", 7) == 0 || memcmp(s, "HTTP://", 7) == 0))
		return 7;
	return 0;
}

int gs1_parse_digital_link(const char *s, size_t n, struct gs1_data *out,
                           struct wms_error *err)
{
	struct seg segs[MAX_SEGMENTS];
	char aibuf[MAX_SEGMENTS / 2][GS1_AI_MAX + 1];
	const char *path[MAX_SEGMENTS / 2] = { 0 };
	size_t i, pos, nseg = 0, path_end, query_end, first = 0, npath = 0;
	const struct gs1_ai_def *keydef = NULL;
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

		if (!uri_char(c)) {
			wms_error_set(err, WMS_EINVAL, "URI has byte 0x%02X at offset %zu; only "
			    "the characters of RFC 3986 are allowed (percent-encode others)", c, i);
			return gs1_data_fail(out, GS1_FAULT_SYNTAX);
		}
	}
	pos = scheme_len(s, n);
	if (pos == 0) {
		wms_error_set(err, WMS_EINVAL, "not a GS1 Digital Link URI: must start with "
		    "https:// or http:// (all lower or all upper case)");
		return gs1_data_fail(out, GS1_FAULT_NOT_GS1);
	}
	i = pos;
	while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')
		i++;
	if (i == pos) {
		wms_error_set(err, WMS_EINVAL, "URI has no host after the scheme");
		return gs1_data_fail(out, GS1_FAULT_SYNTAX);
	}
	for (; pos < i; pos++)
		if (strchr("_~?#@!$&'()*+,;=%", s[pos]) != NULL) {
			wms_error_set(err, WMS_EINVAL, "URI host has '%c', which a host name may "
			    "not hold", s[pos]);
			return gs1_data_fail(out, GS1_FAULT_SYNTAX);
		}
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

	/* walk back in /AI/value pairs to the primary key */
	for (i = nseg; i >= 2; i -= 2) {
		const struct seg *ai = &segs[i - 2];

		if (seg_ai(ai) == NULL)
			break;
		if (is_key(ai)) {
			keydef = seg_ai(ai);
			first = i - 2;
			break;
		}
	}
	if (keydef == NULL) {
		for (i = 0; i < nseg; i++)
			if (is_key(&segs[i])) {
				wms_error_set(err, WMS_EINVAL, "GS1 Digital Link path must end in "
				    "/<key AI>/<value> followed only by /<qualifier AI>/<value> "
				    "pairs, without a trailing '/'");
				return gs1_data_fail(out, GS1_FAULT_SYNTAX);
			}
		wms_error_set(err, WMS_EINVAL, "URI is not a GS1 Digital Link: no primary key "
		    "such as /01/<GTIN> or /00/<SSCC> in its path");
		return gs1_data_fail(out, GS1_FAULT_NOT_GS1);
	}
	for (i = first; i + 1 < nseg; i += 2) {
		memcpy(aibuf[npath], segs[i].p, segs[i].n);
		aibuf[npath][segs[i].n] = '\0';
		path[npath] = aibuf[npath];
		npath++;
	}
	if (!sequence_ok(keydef->dlpkey, path + 1, npath - 1)) {
		wms_error_set(err, WMS_EINVAL, "GS1 Digital Link: the qualifiers after /%s/ must "
		    "be %s%s, in that order (a '|' separates alternatives)", path[0],
		    *keydef->dlpkey ? "some of " : "none", keydef->dlpkey);
		return gs1_data_fail(out, GS1_FAULT_SYNTAX);
	}
	for (i = first; i + 1 < nseg; i += 2) {
		rc = add_pair(out, seg_ai(&segs[i]), segs[i].p, segs[i].n, segs[i + 1].p,
		    segs[i + 1].n, true, err);
		if (rc != 0)
			return rc;
	}
	if (path_end < query_end) {
		rc = parse_query(out, s + path_end + 1, query_end - path_end - 1, keydef->dlpkey,
		    path, npath, err);
		if (rc != 0)
			return rc;
	}
	if (gs1_check_associations(out, err) != GS1_FAULT_NONE)
		return gs1_data_fail(out, GS1_FAULT_ASSOCIATION);
	return 0;
}
