/*
 * gs1_assoc.c - the association rules of GS1 data (General Specifications
 * 4.14, the Syntax Dictionary's "req" and "ex" attributes): which AIs need
 * a companion, which may not appear together; and that a digital signature
 * (8030) goes with serialised keys only.  Patterns in the rules use "n"
 * for any digit ("310n"); an AI is never excluded by itself.
 */
#include "gs1.h"

#include "scan_internal.h"

#include <stdio.h>
#include <string.h>

/* Does ai match the pattern p (plen characters, 'n' = any digit)? */
static bool matches(const char *ai, const char *p, size_t plen)
{
	size_t i;

	if (strlen(ai) != plen)
		return false;
	for (i = 0; i < plen; i++)
		if (p[i] != 'n' && p[i] != ai[i])
			return false;
	return true;
}

/* The first element other than AI self that matches the pattern, or NULL. */
static const struct gs1_element *present(const struct gs1_data *d, const char *p, size_t plen,
                                         const char *self)
{
	size_t i;

	for (i = 0; i < d->count; i++)
		if (strcmp(d->el[i].ai, self) != 0 && matches(d->el[i].ai, p, plen))
			return &d->el[i];
	return NULL;
}

/* Is one alternative ("01+21") of a req list wholly present? */
static bool group_present(const struct gs1_data *d, const char *g, size_t glen,
                          const char *self)
{
	while (glen > 0) {
		const char *plus = memchr(g, '+', glen);
		size_t n = plus != NULL ? (size_t)(plus - g) : glen;

		if (present(d, g, n, self) == NULL)
			return false;
		if (plus == NULL)
			break;
		glen -= n + 1;
		g = plus + 1;
	}
	return true;
}

/* Write a req list "01+21,02" as "one of (01)+(21), (02)", or "(414)". */
static void describe(const char *req, char *buf, size_t size)
{
	size_t o = 0;
	const char *p;

#define PUT(str) do { size_t l_ = strlen(str); \
	if (o + l_ + 1 > size) { buf[o] = '\0'; return; } \
	memcpy(buf + o, str, l_); o += l_; } while (0)
	if (strchr(req, ',') != NULL)
		PUT("one of ");
	PUT("(");
	for (p = req; *p != '\0'; p++) {
		char c[2] = { *p, '\0' };

		if (*p == ',')
			PUT("), (");
		else if (*p == '+')
			PUT(")+(");
		else
			PUT(c);
	}
	PUT(")");
#undef PUT
	buf[o] = '\0';
}

static bool req_ok(const struct gs1_data *d, const char *req, const char *self)
{
	const char *p = req;

	for (;;) {
		size_t n = strcspn(p, ",");

		if (group_present(d, p, n, self))
			return true;
		if (p[n] == '\0')
			return false;
		p += n + 1;
	}
}

enum gs1_fault gs1_check_associations(const struct gs1_data *d, struct wms_error *err)
{
	static const char *const serialised[] = { "253", "255", "8003" };
	size_t i, k;

	for (i = 0; i < d->count; i++) {
		const struct gs1_element *e = &d->el[i];
		const struct gs1_ai_def *def = e->def;
		const char *reqs[2] = { def->req1, def->req2 };
		char list[160];

		for (k = 0; k < 2; k++)
			if (reqs[k] != NULL && !req_ok(d, reqs[k], e->ai)) {
				describe(reqs[k], list, sizeof list);
				wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s needs %s with it "
				    "(GS1 General Specifications 4.14)", e->ai, def->title, list);
				return GS1_FAULT_ASSOCIATION;
			}
		if (def->ex != NULL) {
			const char *p = def->ex;

			for (;;) {
				size_t n = strcspn(p, ",");
				const struct gs1_element *o = present(d, p, n, e->ai);

				if (o != NULL) {
					wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s and (%s) %s may "
					    "not appear together (GS1 General Specifications 4.14)",
					    e->ai, def->title, o->ai, o->def->title);
					return GS1_FAULT_ASSOCIATION;
				}
				if (p[n] == '\0')
					break;
				p += n + 1;
			}
		}
	}
	if (gs1_find(d, "8030") == NULL)
		return GS1_FAULT_NONE;
	for (k = 0; k < sizeof serialised / sizeof serialised[0]; k++) {
		const struct gs1_element *e = gs1_find(d, serialised[k]);

		if (e != NULL && strlen(e->value) == gs1_ai_min_len(e->def)) {
			wms_error_set(err, WMS_EINVAL, "GS1 (%s) %s has no serial component, which "
			    "a digital signature (8030) needs", e->ai, e->def->title);
			return GS1_FAULT_ASSOCIATION;
		}
	}
	return GS1_FAULT_NONE;
}
