/*
 * gs1_element_string.c - parse GS1 element strings as scanners send them:
 * AI digits and values run together, FNC1 as GS (0x1D) after every value
 * whose AI is not of predefined length (General Specifications Figure
 * 7.8.5-2, the Syntax Dictionary's "*" flag).
 *
 * Two modes (enum gs1_separators).  GS1_SEP_SENT, the default and the only
 * mode for decoded images, HID POS and any scan whose separators arrive:
 * read literally, as the General Specifications do; a value of predefined
 * length is cut at that length (a GS after it is skipped), any other value
 * runs to the next GS or to the end.  Nothing is ambiguous there.
 *
 * GS1_SEP_DROPPED, only for sources configured or known to drop FNC1
 * (keyboard wedges without a GS mapping): if the scan nevertheless holds a
 * GS the separators evidently arrive and it is read literally.  Otherwise
 * a value that needs a separator may end anywhere another valid AI could
 * begin.  We count the readings whose every element is valid (dynamic
 * programming over positions, counts saturating at 2), then list them and
 * keep those that also pass the association rules: none -> the error of
 * the literal reading; one -> that reading (fnc1_inferred if a separator
 * had to be assumed); two or more -> GS1_FAULT_AMBIGUOUS with the readings
 * and the fix.
 */
#include "gs1.h"

#include "scan_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATH GS1_MAX_ELEMENTS

struct reading {
	size_t n;
	size_t pos[MAX_PATH];  /* offset of the AI */
	size_t ai_len[MAX_PATH];
	size_t vlen[MAX_PATH];
};

#define MAX_LEAVES 256 /* readings checked against the association rules */

struct dp {
	const char *s;
	size_t n;
	unsigned char ways[GS1_INPUT_MAX + 1]; /* 0, 1, 2 = two or more */
	unsigned short fewest[GS1_INPUT_MAX + 1]; /* fewest elements of a reading */
	struct gs1_data *out;
	struct reading cur;
	struct reading first;    /* the first reading valid under every rule */
	size_t valid;            /* readings valid under every rule found */
	size_t leaves;           /* readings whose elements are valid, looked at */
	bool unexplored;         /* MAX_LEAVES reached: there may be more */
	struct gs1_data trial;   /* a reading, for the association rules */
};

static int unknown_ai(struct gs1_data *out, const char *s, size_t n, size_t pos,
                      struct wms_error *err)
{
	char q[SCAN_QUOTE_BUF];

	scan_quote(q, sizeof q, s + pos, n - pos);
	wms_error_set(err, WMS_EINVAL, "unknown GS1 Application Identifier at offset %zu "
	    "of \"%s\" (no supported 2-, 3- or 4-digit AI starts there)", pos, q);
	return gs1_data_fail(out, GS1_FAULT_UNKNOWN_AI);
}

/* Plain reading: variable values end at GS or at the end of data. */
static int parse_strict(const char *s, size_t n, struct gs1_data *out, struct wms_error *err)
{
	size_t pos = 0;

	while (pos < n) {
		const struct gs1_ai_def *def;
		char ai[GS1_AI_MAX + 1];
		size_t al, vstart, vlen, next;
		enum gs1_fault f;
		int rc;

		if ((unsigned char)s[pos] == GS1_GS) {
			wms_error_set(err, WMS_EINVAL, "GS1 data has an empty element: two "
			    "FNC1/GS separators in a row at offset %zu", pos);
			return gs1_data_fail(out, GS1_FAULT_SYNTAX);
		}
		def = gs1_ai_match(s + pos, n - pos, &al);
		if (def == NULL)
			return unknown_ai(out, s, n, pos, err);
		vstart = pos + al;
		if (gs1_ai_predefined_length(s + pos) != 0) {
			vlen = gs1_ai_max_len(def);
			if (vstart + vlen > n) {
				char q[SCAN_QUOTE_BUF];

				scan_quote(q, sizeof q, s + vstart, n - vstart);
				wms_error_set(err, WMS_EINVAL, "GS1 (%.*s) %s needs exactly %zu "
				    "characters but the data ends after %zu: \"%s\"", (int)al,
				    s + pos, def->title, vlen, n - vstart, q);
				return gs1_data_fail(out, GS1_FAULT_LENGTH);
			}
			next = vstart + vlen;
			if (next < n && (unsigned char)s[next] == GS1_GS)
				next++; /* a GS after a fixed-length value is tolerated */
		} else {
			const char *gs = memchr(s + vstart, GS1_GS, n - vstart);

			vlen = gs != NULL ? (size_t)(gs - (s + vstart)) : n - vstart;
			next = gs != NULL ? vstart + vlen + 1 : n;
			if (vlen > gs1_ai_max_len(def)) {
				char q[SCAN_QUOTE_BUF];

				scan_quote(q, sizeof q, s + vstart, vlen);
				wms_error_set(err, WMS_EINVAL, "GS1 (%.*s) %s \"%s\" runs %zu "
				    "characters to the next GS or the end, allowed %zu-%zu: a GS "
				    "separator is missing after it (a scanner that drops GS needs "
				    "gs=dropped on its source)", (int)al, s + pos, def->title, q,
				    vlen, gs1_ai_min_len(def), gs1_ai_max_len(def));
				return gs1_data_fail(out, GS1_FAULT_LENGTH);
			}
		}
		memcpy(ai, s + pos, al);
		ai[al] = '\0';
		f = gs1_validate(def, ai, s + vstart, vlen, err);
		if (f != GS1_FAULT_NONE)
			return gs1_data_fail(out, f);
		rc = gs1_data_add(out, def, s + pos, al, s + vstart, vlen, err);
		if (rc != 0)
			return rc;
		pos = next;
	}
	if (gs1_check_associations(out, err) != GS1_FAULT_NONE)
		return gs1_data_fail(out, GS1_FAULT_ASSOCIATION);
	return 0;
}

static bool value_ok(const struct gs1_ai_def *def, const char *s, size_t pos, size_t al,
                     size_t vlen)
{
	char ai[GS1_AI_MAX + 1];

	memcpy(ai, s + pos, al);
	ai[al] = '\0';
	return gs1_validate(def, ai, s + pos + al, vlen, NULL) == GS1_FAULT_NONE;
}

/* Value lengths to try at pos: [*lo, *hi]; returns the AI row or NULL. */
static const struct gs1_ai_def *choices(const struct dp *dp, size_t pos, size_t *al,
                                        size_t *lo, size_t *hi)
{
	const struct gs1_ai_def *def = gs1_ai_match(dp->s + pos, dp->n - pos, al);
	size_t avail;

	if (def == NULL)
		return NULL;
	avail = dp->n - pos - *al;
	*lo = gs1_ai_min_len(def);
	*hi = gs1_ai_max_len(def);
	if (*hi > avail)
		*hi = avail;
	if (*lo == 0)
		*lo = 1;
	return def;
}

#define NO_READING 0xffff

static void count_ways(struct dp *dp)
{
	size_t p = dp->n;

	dp->ways[p] = 1;
	dp->fewest[p] = 0;
	while (p-- > 0) {
		const struct gs1_ai_def *def;
		size_t al, lo, hi, k;
		unsigned w = 0, fewest = NO_READING;

		def = choices(dp, p, &al, &lo, &hi);
		for (k = lo; def != NULL && k <= hi; k++) {
			size_t next = p + al + k;

			if (dp->ways[next] == 0 || !value_ok(def, dp->s, p, al, k))
				continue;
			w += dp->ways[next];
			if (dp->fewest[next] + 1u < fewest)
				fewest = dp->fewest[next] + 1u;
		}
		dp->ways[p] = (unsigned char)(w > 2 ? 2 : w);
		dp->fewest[p] = (unsigned short)fewest;
	}
}

static void format_reading(const struct dp *dp, const struct reading *r, char *buf,
                           size_t size)
{
	size_t i, pos = 0;

	buf[0] = '\0';
	for (i = 0; i < r->n; i++) {
		const char *ai = dp->s + r->pos[i];

		if (!gs1_bracket_append(buf, size - 3, &pos, "(", 1, false) ||
		    !gs1_bracket_append(buf, size - 3, &pos, ai, r->ai_len[i], false) ||
		    !gs1_bracket_append(buf, size - 3, &pos, ")", 1, false) ||
		    !gs1_bracket_append(buf, size - 3, &pos, ai + r->ai_len[i], r->vlen[i],
		                        true)) {
			memcpy(buf + pos, "...", 4);
			return;
		}
	}
}

/* Do the elements of reading r pass the association rules? */
static bool associations_ok(struct dp *dp, const struct reading *r)
{
	size_t i;

	gs1_data_reset(&dp->trial, GS1_SYNTAX_ELEMENT_STRING);
	for (i = 0; i < r->n; i++) {
		const struct gs1_ai_def *def = gs1_ai_lookup(dp->s + r->pos[i], r->ai_len[i]);

		if (def == NULL || gs1_data_add(&dp->trial, def, dp->s + r->pos[i], r->ai_len[i],
		                                dp->s + r->pos[i] + r->ai_len[i], r->vlen[i],
		                                NULL) != 0)
			return false;
	}
	return gs1_check_associations(&dp->trial, NULL) == GS1_FAULT_NONE;
}

/*
 * Depth-first over readings whose elements are valid, longest value first;
 * each complete one is checked against the association rules, the valid
 * ones counted and the first GS1_ALT_MAX listed.  A branch is entered only
 * if some reading of at most MAX_PATH elements continues it, so every
 * descent ends in a reading (no blow-up); at most MAX_LEAVES are looked at.
 */
static void enumerate(struct dp *dp, size_t p)
{
	const struct gs1_ai_def *def;
	size_t al, lo, hi, k;
	struct gs1_data *out = dp->out;

	if (p == dp->n) {
		if (++dp->leaves >= MAX_LEAVES)
			dp->unexplored = true;
		if (!associations_ok(dp, &dp->cur))
			return;
		if (dp->valid++ == 0)
			dp->first = dp->cur;
		if (out->n_alternatives < GS1_ALT_MAX)
			format_reading(dp, &dp->cur, out->alternatives[out->n_alternatives++],
			    GS1_ALT_LEN);
		else
			out->more_alternatives = true;
		return;
	}
	if (dp->cur.n >= MAX_PATH)
		return;
	def = choices(dp, p, &al, &lo, &hi);
	for (k = hi; def != NULL && k >= lo && k > 0; k--) {
		if (dp->unexplored)
			return;
		if (dp->ways[p + al + k] == 0 ||
		    dp->cur.n + 1u + dp->fewest[p + al + k] > MAX_PATH ||
		    !value_ok(def, dp->s, p, al, k))
			continue;
		dp->cur.pos[dp->cur.n] = p;
		dp->cur.ai_len[dp->cur.n] = al;
		dp->cur.vlen[dp->cur.n] = k;
		dp->cur.n++;
		enumerate(dp, p + al + k);
		dp->cur.n--;
	}
}

/* The single valid reading, element by element. */
static int take(struct dp *dp, const struct reading *r, struct wms_error *err)
{
	size_t i;
	int rc;

	gs1_data_reset(dp->out, GS1_SYNTAX_ELEMENT_STRING);
	for (i = 0; i < r->n; i++) {
		const char *ai = dp->s + r->pos[i];
		const struct gs1_ai_def *def = gs1_ai_lookup(ai, r->ai_len[i]);

		if (gs1_ai_predefined_length(ai) == 0 && i + 1 < r->n)
			dp->out->fnc1_inferred = true;
		rc = gs1_data_add(dp->out, def, ai, r->ai_len[i], ai + r->ai_len[i], r->vlen[i],
		                  err);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int ambiguous(struct dp *dp, struct wms_error *err)
{
	struct gs1_data *out = dp->out;
	char list[WMS_ERROR_MSG_MAX];
	size_t i, pos = 0;
	bool more = out->more_alternatives || dp->unexplored;

	list[0] = '\0';
	for (i = 0; i < out->n_alternatives; i++) {
		const char *a = out->alternatives[i];

		if (i > 0 && !gs1_bracket_append(list, sizeof list, &pos, " | ", 3, false))
			break;
		if (!gs1_bracket_append(list, sizeof list, &pos, a, strlen(a), false))
			break;
	}
	wms_error_set(err, WMS_EINVAL, "ambiguous GS1 data: this source drops the FNC1/GS "
	    "separators and the scan reads validly in %s ways: %s%s; fix: set the scanner to "
	    "transmit FNC1 as GS (0x1D, Ctrl+] on a keyboard wedge), or as a printable "
	    "substitute named with gs=CHAR on the source", more ? "more than 4" :
	    dp->valid == 2 ? "two" : "several", list, more ? " | ..." : "");
	out->more_alternatives = more;
	out->count = 0;
	out->fault = GS1_FAULT_AMBIGUOUS;
	return WMS_EINVAL;
}

int gs1_parse_element_string(const char *data, size_t len, enum gs1_separators sep,
                             struct gs1_data *out, struct wms_error *err)
{
	struct dp *dp;
	int rc;

	gs1_data_reset(out, GS1_SYNTAX_ELEMENT_STRING);
	if (data == NULL)
		len = 0;
	if (len > GS1_INPUT_MAX) {
		wms_error_set(err, WMS_EINVAL, "GS1 data is %zu bytes long, maximum is %d",
		    len, GS1_INPUT_MAX);
		return gs1_data_fail(out, GS1_FAULT_LENGTH);
	}
	if (len > 0 && (unsigned char)data[0] == GS1_GS) { /* leading FNC1 */
		data++;
		len--;
	}
	if (len > 0 && (unsigned char)data[len - 1] == GS1_GS) /* trailing FNC1 */
		len--;
	if (len == 0) {
		wms_error_set(err, WMS_EINVAL, "GS1 data is empty (expected AI digits and "
		    "values, e.g. 0109506000134352)");
		return gs1_data_fail(out, GS1_FAULT_EMPTY);
	}
	if (sep == GS1_SEP_SENT || memchr(data, GS1_GS, len) != NULL)
		return parse_strict(data, len, out, err);

	dp = calloc(1, sizeof *dp);
	if (dp == NULL) {
		wms_error_set(err, WMS_ENOMEM, "out of memory reading GS1 data");
		return gs1_data_fail(out, GS1_FAULT_TOO_MANY);
	}
	dp->s = data;
	dp->n = len;
	dp->out = out;
	count_ways(dp);
	if (dp->ways[0] != 0)
		enumerate(dp, 0);
	if (dp->valid == 0 && dp->ways[0] != 0 && dp->unexplored) {
		wms_error_set(err, WMS_EINVAL, "GS1 data without FNC1/GS separators has more "
		    "than %d readings; set the scanner to transmit FNC1 as GS (0x1D)", MAX_LEAVES);
		rc = gs1_data_fail(out, GS1_FAULT_AMBIGUOUS);
	} else if (dp->valid == 0) {
		gs1_data_reset(out, GS1_SYNTAX_ELEMENT_STRING);
		rc = parse_strict(data, len, out, err); /* says what is wrong */
		if (rc == 0) { /* cannot happen: the literal reading is one of those tried */
			wms_error_set(err, WMS_EINVAL, "GS1 data has no valid reading");
			rc = gs1_data_fail(out, GS1_FAULT_SYNTAX);
		}
	} else if (dp->valid == 1 && !dp->unexplored) {
		rc = take(dp, &dp->first, err);
	} else {
		rc = ambiguous(dp, err);
	}
	free(dp);
	return rc;
}
