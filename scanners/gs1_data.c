/*
 * gs1_data.c - the parsed-result type shared by the three GS1 syntaxes:
 * reset, append with duplicate rules, look up, and write in bracketed form.
 */
#include "gs1.h"

#include "scan_internal.h"

#include <stdio.h>
#include <string.h>

void gs1_data_reset(struct gs1_data *d, enum gs1_syntax syntax)
{
	memset(d, 0, sizeof *d);
	d->syntax = syntax;
}

int gs1_data_fail(struct gs1_data *d, enum gs1_fault fault)
{
	d->fault = fault;
	d->count = 0;
	d->fnc1_inferred = false;
	return WMS_EINVAL;
}

const struct gs1_element *gs1_find(const struct gs1_data *d, const char *ai)
{
	size_t i;

	if (d == NULL || ai == NULL)
		return NULL;
	for (i = 0; i < d->count; i++)
		if (strcmp(d->el[i].ai, ai) == 0)
			return &d->el[i];
	return NULL;
}

int gs1_data_add(struct gs1_data *d, const struct gs1_ai_def *def, const char *ai,
                 size_t ai_len, const char *value, size_t len, struct wms_error *err)
{
	struct gs1_element *e;
	char aibuf[GS1_AI_MAX + 1];
	const struct gs1_element *old;

	if (ai_len > GS1_AI_MAX || len > GS1_VALUE_MAX) {
		wms_error_set(err, WMS_EINVAL, "GS1 element too long");
		return gs1_data_fail(d, GS1_FAULT_LENGTH);
	}
	memcpy(aibuf, ai, ai_len);
	aibuf[ai_len] = '\0';
	old = gs1_find(d, aibuf);
	if (old != NULL) {
		char q1[SCAN_QUOTE_BUF], q2[SCAN_QUOTE_BUF];

		if (strlen(old->value) == len && memcmp(old->value, value, len) == 0)
			return 0;
		scan_quote(q1, sizeof q1, old->value, strlen(old->value));
		scan_quote(q2, sizeof q2, value, len);
		wms_error_set(err, WMS_EINVAL, "GS1 (%s) appears twice with different values "
		    "\"%s\" and \"%s\"; an AI may repeat only with the same value", aibuf, q1, q2);
		return gs1_data_fail(d, GS1_FAULT_DUPLICATE);
	}
	if (d->count >= GS1_MAX_ELEMENTS) {
		wms_error_set(err, WMS_EINVAL, "GS1 data has more than %d elements",
		    GS1_MAX_ELEMENTS);
		return gs1_data_fail(d, GS1_FAULT_TOO_MANY);
	}
	e = &d->el[d->count++];
	memcpy(e->ai, aibuf, ai_len + 1);
	memcpy(e->value, value, len);
	e->value[len] = '\0';
	e->def = def;
	return 0;
}

bool gs1_bracket_append(char *buf, size_t size, size_t *pos, const char *s, size_t len,
                        bool escape)
{
	size_t i, need = 0, o = *pos;

	for (i = 0; i < len; i++)
		need += (escape && s[i] == '(') ? 2 : 1;
	if (o + need + 1 > size)
		return false;
	for (i = 0; i < len; i++) {
		if (escape && s[i] == '(')
			buf[o++] = '\\';
		buf[o++] = s[i];
	}
	buf[o] = '\0';
	*pos = o;
	return true;
}

int gs1_format_bracketed(const struct gs1_data *d, char *buf, size_t size)
{
	size_t i, pos = 0;

	if (size == 0)
		return WMS_EINVAL;
	buf[0] = '\0';
	for (i = 0; i < d->count; i++) {
		const struct gs1_element *e = &d->el[i];

		if (!gs1_bracket_append(buf, size, &pos, "(", 1, false) ||
		    !gs1_bracket_append(buf, size, &pos, e->ai, strlen(e->ai), false) ||
		    !gs1_bracket_append(buf, size, &pos, ")", 1, false) ||
		    !gs1_bracket_append(buf, size, &pos, e->value, strlen(e->value), true))
			return WMS_EINVAL;
	}
	return (int)pos;
}
