/*
 * checklist.c - reading and judging reconditioning checklists (see
 * recon_checklist.h).  The parser works on a bounded copy of the bytes,
 * one line at a time, and reports the first fault as "file:line: ...".
 */
#include "recon_checklist.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 512
#define MAX_TOKENS   8

struct tokens {
	int n;
	char *tok[MAX_TOKENS];
	char *text;                 /* the quoted text, without quotes; NULL if none */
};

static void fnv1a(const char *p, size_t len, char out[17])
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Split line into bare tokens and at most one final "quoted text". */
static int tokenize(char *line, struct tokens *t, char *why, size_t why_len)
{
	char *p = line;

	memset(t, 0, sizeof *t);
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			return 0;
		if (t->text) {
			snprintf(why, why_len, "text after the quoted description");
			return -1;
		}
		if (*p == '"') {
			char *end = strchr(p + 1, '"');
			if (end == NULL) {
				snprintf(why, why_len, "unterminated quoted text; close it with \"");
				return -1;
			}
			*end = '\0';
			t->text = p + 1;
			p = end + 1;
			if (*p != '\0' && *p != ' ' && *p != '\t') {
				snprintf(why, why_len, "text after the quoted description");
				return -1;
			}
			continue;
		}
		if (t->n == MAX_TOKENS) {
			snprintf(why, why_len, "too many words (at most %d before the quoted text)", MAX_TOKENS);
			return -1;
		}
		t->tok[t->n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '"')
			p++;
		if (*p == '"') {
			snprintf(why, why_len, "a quote inside a word; put the description last, in quotes");
			return -1;
		}
		if (*p)
			*p++ = '\0';
	}
}

/* A finite decimal number; a comma is accepted as the decimal separator. */
static int parse_number(const char *text, double *out)
{
	char buf[48], *end;
	size_t n = strlen(text);
	double v;

	if (n == 0 || n >= sizeof buf)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = text[i];
		if (!(isdigit((unsigned char)c) || c == '.' || c == ',' || c == '-' || c == '+'))
			return -1;
		buf[i] = c == ',' ? '.' : c;
	}
	buf[n] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int parse_version(const char *v, long parts[4], int *n)
{
	const char *p = v;

	*n = 0;
	if (strlen(v) > RECON_VERSION_MAX)
		return -1;
	for (;;) {
		long x = 0;
		int digits = 0;
		while (isdigit((unsigned char)*p)) {
			if (++digits > 6)
				return -1;
			x = x * 10 + (*p++ - '0');
		}
		if (digits == 0 || *n == 4)
			return -1;
		parts[(*n)++] = x;
		if (*p == '\0')
			return 0;
		if (*p++ != '.')
			return -1;
	}
}

int recon_version_cmp(const char *a, const char *b, int *cmp, struct wms_error *err)
{
	long pa[4] = { 0 }, pb[4] = { 0 };
	int na, nb;

	if (parse_version(a, pa, &na) < 0 || parse_version(b, pb, &nb) < 0)
		return wms_error_set(err, WMS_EINVAL,
		                     "bad version \"%.30s\": expected 1-4 numbers separated by dots, e.g. 2.10.1",
		                     parse_version(a, pa, &na) < 0 ? a : b);
	*cmp = 0;
	for (int i = 0; i < 4 && *cmp == 0; i++)
		*cmp = (pa[i] > pb[i]) - (pa[i] < pb[i]);
	return 0;
}

static bool good_code(const char *c)
{
	size_t n = strlen(c);

	return n >= 1 && n <= RECON_CODE_MAX && strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

/* key=value parameter of a step; returns the value or NULL when tok is not key=... */
static const char *param(const char *tok, const char *key)
{
	size_t n = strlen(key);

	return strncmp(tok, key, n) == 0 && tok[n] == '=' ? tok + n + 1 : NULL;
}

static int parse_step(struct recon_checklist *cl, struct tokens *t, char *why, size_t why_len)
{
	struct recon_step *st;
	int first_param = 3;

	if (t->n < 3) {
		snprintf(why, why_len, "expected step CODE check|value|version ... \"text\"");
		return -1;
	}
	if (!good_code(t->tok[1])) {
		snprintf(why, why_len, "bad step code \"%.20s\": 1-%d characters A-Z 0-9 _ -", t->tok[1],
		         RECON_CODE_MAX);
		return -1;
	}
	if (recon_checklist_find(cl, t->tok[1])) {
		snprintf(why, why_len, "step %s appears twice", t->tok[1]);
		return -1;
	}
	if (cl->n_steps == RECON_MAX_STEPS) {
		snprintf(why, why_len, "too many steps (at most %d)", RECON_MAX_STEPS);
		return -1;
	}
	if (t->text == NULL || *t->text == '\0' || strlen(t->text) > RECON_TEXT_MAX) {
		snprintf(why, why_len, "step %s needs a description of 1-%d bytes in quotes, last on the line",
		         t->tok[1], RECON_TEXT_MAX);
		return -1;
	}
	st = &cl->steps[cl->n_steps];
	memset(st, 0, sizeof *st);
	snprintf(st->code, sizeof st->code, "%s", t->tok[1]);
	snprintf(st->text, sizeof st->text, "%s", t->text);
	if (strcmp(t->tok[2], "check") == 0) {
		st->kind = RECON_STEP_CHECK;
		if (t->n != 3) {
			snprintf(why, why_len, "a check step takes no parameters (\"%.20s\")", t->tok[3]);
			return -1;
		}
	} else if (strcmp(t->tok[2], "value") == 0) {
		st->kind = RECON_STEP_VALUE;
		if (t->n < 4 || strchr(t->tok[3], '=') || strlen(t->tok[3]) > RECON_UNIT_MAX) {
			snprintf(why, why_len, "a value step needs its unit after \"value\" (1-%d bytes, e.g. mmHg)",
			         RECON_UNIT_MAX);
			return -1;
		}
		snprintf(st->unit, sizeof st->unit, "%s", t->tok[3]);
		first_param = 4;
	} else if (strcmp(t->tok[2], "version") == 0) {
		st->kind = RECON_STEP_VERSION;
	} else {
		snprintf(why, why_len, "unknown step kind \"%.20s\"; allowed: check, value, version", t->tok[2]);
		return -1;
	}
	for (int i = first_param; i < t->n; i++) {
		const char *v;
		double *slot = NULL;
		bool *flag = NULL;
		if (st->kind == RECON_STEP_VERSION && (v = param(t->tok[i], "min"))) {
			long parts[4];
			int n;
			if (parse_version(v, parts, &n) < 0) {
				snprintf(why, why_len, "bad minimum version \"%.30s\": 1-4 numbers separated by dots", v);
				return -1;
			}
			snprintf(st->min_version, sizeof st->min_version, "%s", v);
			continue;
		}
		if (st->kind == RECON_STEP_VALUE) {
			if ((v = param(t->tok[i], "ref"))) { slot = &st->ref; flag = &st->has_ref; }
			else if ((v = param(t->tok[i], "tol"))) { slot = &st->tol; flag = NULL; }
			else if ((v = param(t->tok[i], "min"))) { slot = &st->min; flag = &st->has_min; }
			else if ((v = param(t->tok[i], "max"))) { slot = &st->max; flag = &st->has_max; }
		}
		if (slot == NULL) {
			snprintf(why, why_len, "unknown parameter \"%.30s\"; allowed: %s", t->tok[i],
			         st->kind == RECON_STEP_VALUE ? "ref= tol= min= max=" : "min=");
			return -1;
		}
		if (parse_number(v, slot) < 0) {
			snprintf(why, why_len, "bad number in \"%.30s\"", t->tok[i]);
			return -1;
		}
		if (flag) {
			*flag = true;
		} else if (*slot < 0) {
			snprintf(why, why_len, "tolerance must not be negative");
			return -1;
		}
	}
	if (st->kind == RECON_STEP_VERSION && st->min_version[0] == '\0') {
		snprintf(why, why_len, "a version step needs min=VERSION");
		return -1;
	}
	if (st->kind == RECON_STEP_VALUE) {
		bool has_tol = false;
		for (int i = first_param; i < t->n; i++)
			has_tol |= param(t->tok[i], "tol") != NULL;
		if (st->has_ref != has_tol) {
			snprintf(why, why_len, "ref= and tol= go together");
			return -1;
		}
		if (st->has_ref && (st->has_min || st->has_max)) {
			snprintf(why, why_len, "use either ref= with tol=, or min= and/or max=");
			return -1;
		}
		if (!st->has_ref && !st->has_min && !st->has_max) {
			snprintf(why, why_len, "a value step needs ref= with tol=, or min= and/or max=");
			return -1;
		}
		if (st->has_min && st->has_max && st->min > st->max) {
			snprintf(why, why_len, "min= is greater than max=");
			return -1;
		}
	}
	cl->n_steps++;
	return 0;
}

int recon_checklist_parse(const char *name, const char *text, size_t len, const char *want_product,
                          struct recon_checklist *out, struct wms_error *err)
{
	char line[LINE_MAX_LEN + 1], why[200];
	size_t pos = 0;
	int lineno = 0;
	bool have_product = false, have_version = false;

	memset(out, 0, sizeof *out);
	if (len > RECON_FILE_MAX)
		return wms_error_set(err, WMS_EINVAL, "%s: larger than %d bytes", name, RECON_FILE_MAX);
	fnv1a(text, len, out->hash);
	while (pos < len) {
		size_t n = 0;
		struct tokens t;
		lineno++;
		while (pos < len && text[pos] != '\n') {
			if (n == LINE_MAX_LEN)
				return wms_error_set(err, WMS_EINVAL, "%s:%d: line longer than %d bytes", name, lineno,
				                     LINE_MAX_LEN);
			if (text[pos] == '\0' || (text[pos] != '\t' && text[pos] != '\r' &&
			                          (unsigned char)text[pos] < 0x20))
				return wms_error_set(err, WMS_EINVAL, "%s:%d: control character in the file", name,
				                     lineno);
			line[n++] = text[pos++];
		}
		pos++;
		while (n > 0 && line[n - 1] == '\r')
			n--;
		line[n] = '\0';
		if (tokenize(line, &t, why, sizeof why) < 0)
			return wms_error_set(err, WMS_EINVAL, "%s:%d: %s", name, lineno, why);
		if (t.n == 0 && t.text == NULL)
			continue;
		if (t.n == 0) {
			return wms_error_set(err, WMS_EINVAL, "%s:%d: a line starts with product, version or step",
			                     name, lineno);
		} else if (strcmp(t.tok[0], "product") == 0) {
			if (have_product || t.n != 2 || t.text || strlen(t.tok[1]) >= sizeof out->product ||
			    strspn(t.tok[1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != strlen(t.tok[1]))
				return wms_error_set(err, WMS_EINVAL, "%s:%d: expected one line \"product CODE\"",
				                     name, lineno);
			if (want_product && strcmp(t.tok[1], want_product) != 0)
				return wms_error_set(err, WMS_EINVAL,
				                     "%s:%d: this is the checklist of product type %s, not %s", name,
				                     lineno, t.tok[1], want_product);
			snprintf(out->product, sizeof out->product, "%s", t.tok[1]);
			have_product = true;
		} else if (strcmp(t.tok[0], "version") == 0) {
			char *end;
			long v;
			if (have_version || t.n != 2 || t.text)
				return wms_error_set(err, WMS_EINVAL, "%s:%d: expected one line \"version N\"", name,
				                     lineno);
			errno = 0;
			v = strtol(t.tok[1], &end, 10);
			if (*end || !isdigit((unsigned char)t.tok[1][0]) || errno || v < 1 || v > 1000000)
				return wms_error_set(err, WMS_EINVAL, "%s:%d: bad version \"%.20s\": a whole number 1..1000000",
				                     name, lineno, t.tok[1]);
			out->version = (int)v;
			have_version = true;
		} else if (strcmp(t.tok[0], "step") == 0) {
			if (parse_step(out, &t, why, sizeof why) < 0)
				return wms_error_set(err, WMS_EINVAL, "%s:%d: %s", name, lineno, why);
		} else {
			return wms_error_set(err, WMS_EINVAL, "%s:%d: unknown line \"%.20s\"; allowed: product, "
			                     "version, step, # comment", name, lineno, t.tok[0]);
		}
	}
	if (!have_product)
		return wms_error_set(err, WMS_EINVAL, "%s: no \"product CODE\" line", name);
	if (!have_version)
		return wms_error_set(err, WMS_EINVAL, "%s: no \"version N\" line", name);
	if (out->n_steps == 0)
		return wms_error_set(err, WMS_EINVAL, "%s: no steps; an empty checklist would pass anything",
		                     name);
	return 0;
}

int recon_checklist_load(const char *dir, const char *product, struct recon_checklist *out,
                         char **body, struct wms_error *err)
{
	char path[4200];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int rc;

	if (body)
		*body = NULL;
	/* the code becomes a file name: no '/', no leading '.' */
	if (product[0] == '\0' || product[0] == '.' || strlen(product) > 32 ||
	    strspn(product, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != strlen(product))
		return wms_error_set(err, WMS_EINVAL, "bad product type \"%.32s\": 1-32 characters A-Z 0-9 _ - .",
		                     product);
	snprintf(path, sizeof path, "%s/%s.checklist", dir, product);
	f = fopen(path, "rb");
	if (f == NULL) {
		if (errno == ENOENT)
			return wms_error_set(err, WMS_ENOTFOUND,
			                     "no reconditioning checklist for product type %s: %s does not exist "
			                     "(write one before its devices can be reconditioned)", product, path);
		return wms_error_set(err, WMS_EIO, "cannot read %s: %s", path, strerror(errno));
	}
	buf = malloc(RECON_FILE_MAX + 2);
	if (buf == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory reading %s", path);
		goto out;
	}
	len = fread(buf, 1, RECON_FILE_MAX + 1, f);
	if (ferror(f)) {
		rc = wms_error_set(err, WMS_EIO, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	buf[len] = '\0';
	if ((rc = recon_checklist_parse(path, buf, len, product, out, err)) < 0)
		goto out;
	if (body) {
		*body = buf;
		buf = NULL;
	}
out:
	free(buf);
	fclose(f);
	return rc;
}

const char *recon_step_limits(const struct recon_step *st, char *buf, size_t len)
{
	if (st->kind == RECON_STEP_CHECK)
		snprintf(buf, len, "pass");
	else if (st->kind == RECON_STEP_VERSION)
		snprintf(buf, len, ">= %s", st->min_version);
	else if (st->has_ref)
		snprintf(buf, len, "%g +-%g %s", st->ref, st->tol, st->unit);
	else if (st->has_min && st->has_max)
		snprintf(buf, len, "%g..%g %s", st->min, st->max, st->unit);
	else if (st->has_min)
		snprintf(buf, len, ">= %g %s", st->min, st->unit);
	else
		snprintf(buf, len, "<= %g %s", st->max, st->unit);
	return buf;
}

const struct recon_step *recon_checklist_find(const struct recon_checklist *cl, const char *code)
{
	for (int i = 0; i < cl->n_steps; i++)
		if (strcmp(cl->steps[i].code, code) == 0)
			return &cl->steps[i];
	return NULL;
}

int recon_step_judge(const struct recon_step *st, const char *result, bool *passed, char *why,
                     size_t why_len, struct wms_error *err)
{
	double v;
	int cmp, rc;

	if (strcasecmp(result, "fail") == 0) {
		*passed = false;
		snprintf(why, why_len, wms_tr("%s: failed"), st->code);
		return 0;
	}
	switch (st->kind) {
	case RECON_STEP_CHECK:
		if (strcasecmp(result, "pass") != 0)
			return wms_error_set(err, WMS_EINVAL, "step %s is a check: the result is pass or fail, "
			                     "not \"%.30s\"", st->code, result);
		*passed = true;
		snprintf(why, why_len, wms_tr("%s: passed"), st->code);
		return 0;
	case RECON_STEP_VERSION:
		if ((rc = recon_version_cmp(result, st->min_version, &cmp, err)) < 0)
			return wms_error_set(err, WMS_EINVAL, "step %s needs the version found (e.g. %s) or fail: %s",
			                     st->code, st->min_version, err ? err->msg : "");
		*passed = cmp >= 0;
		snprintf(why, why_len, *passed ? wms_tr("%s: version %s is at or above the minimum %s")
		                             : wms_tr("%s: version %s is below the minimum %s"),
		         st->code, result, st->min_version);
		return 0;
	case RECON_STEP_VALUE:
		if (parse_number(result, &v) < 0)
			return wms_error_set(err, WMS_EINVAL, "step %s needs the measured value in %s (a number) "
			                     "or fail, not \"%.30s\"", st->code, st->unit, result);
		if (st->has_ref) {
			/* a tiny epsilon so that 103.0 against 100 +-3 is not lost to binary rounding */
			*passed = fabs(v - st->ref) <= st->tol + 1e-9;
			snprintf(why, why_len, *passed ? wms_tr("%s: %g %s is within %g +-%g %s (deviation %+g)")
			                             : wms_tr("%s: %g %s is outside %g +-%g %s (deviation %+g)"),
			         st->code, v, st->unit, st->ref, st->tol, st->unit, v - st->ref);
		} else if (st->has_min && v < st->min - 1e-9) {
			*passed = false;
			snprintf(why, why_len, wms_tr("%s: %g %s is below the minimum %g %s"), st->code, v, st->unit,
			         st->min, st->unit);
		} else if (st->has_max && v > st->max + 1e-9) {
			*passed = false;
			snprintf(why, why_len, wms_tr("%s: %g %s is above the maximum %g %s"), st->code, v, st->unit,
			         st->max, st->unit);
		} else {
			*passed = true;
			snprintf(why, why_len, wms_tr("%s: %g %s is within the limits"), st->code, v, st->unit);
		}
		return 0;
	}
	return wms_error_set(err, WMS_EINVAL, "step %s has an unknown kind", st->code);
}
