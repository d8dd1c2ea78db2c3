/*
 * config.c - the INI parser and the core's own sections (see wms_config.h).
 */
#include "wms_config.h"
#include "wms_rules.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 1024
#define MAX_CLOSED 512

struct parse {
	struct wms_config *cfg;
	wms_config_extra_fn extra;
	void *ctx;
	int lineno;
	/* closed days per depot, collected until the calendars are built */
	wms_day closed[WMS_CONFIG_MAX_DEPOTS][MAX_CLOSED];
	size_t n_closed[WMS_CONFIG_MAX_DEPOTS];
};

int wms_parse_int(const char *text, long min, long max, long *out, struct wms_error *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (*text == '\0' || *end != '\0' || errno == ERANGE || v < min || v > max)
		return wms_error_set(err, WMS_EINVAL, "bad number \"%.40s\": expected a whole number %ld..%ld",
		                     text, min, max);
	*out = v;
	return 0;
}

int wms_parse_bool(const char *text, bool *out, struct wms_error *err)
{
	if (!strcmp(text, "yes") || !strcmp(text, "true") || !strcmp(text, "on") || !strcmp(text, "1"))
		*out = true;
	else if (!strcmp(text, "no") || !strcmp(text, "false") || !strcmp(text, "off") || !strcmp(text, "0"))
		*out = false;
	else
		return wms_error_set(err, WMS_EINVAL, "bad yes/no value \"%.40s\": use yes or no", text);
	return 0;
}

int wms_parse_hhmm(const char *text, int *minute, struct wms_error *err)
{
	int h, m, used = 0;

	if (sscanf(text, "%2d:%2d%n", &h, &m, &used) != 2 || text[used] != '\0' || used != 5 ||
	    h < 0 || h > 23 || m < 0 || m > 59)
		return wms_error_set(err, WMS_EINVAL, "bad time \"%.40s\": expected HH:MM (00:00-23:59)", text);
	*minute = h * 60 + m;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int depot_index(struct parse *p, const char *name, struct wms_error *err)
{
	struct wms_config *c = p->cfg;

	for (int i = 0; i < c->n_depots; i++)
		if (strcmp(c->depots[i].name, name) == 0)
			return i;
	if (c->n_depots == WMS_CONFIG_MAX_DEPOTS)
		return wms_error_set(err, WMS_ECONFIG, "too many depots (at most %d)", WMS_CONFIG_MAX_DEPOTS);
	if (*name == '\0' || strlen(name) >= sizeof c->depots[0].name)
		return wms_error_set(err, WMS_ECONFIG, "bad depot name: 1-63 bytes after [depot ");
	snprintf(c->depots[c->n_depots].name, sizeof c->depots[0].name, "%s", name);
	c->depots[c->n_depots].line = p->lineno;
	return c->n_depots++;
}

static int depot_closed(struct parse *p, int depot, const char *value, struct wms_error *err)
{
	char buf[LINE_MAX_LEN];
	char *save = NULL;

	snprintf(buf, sizeof buf, "%s", value);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		wms_day d;
		int rc;
		tok = trim(tok);
		if ((rc = wms_date_parse(tok, &d, err)) < 0)
			return rc;
		if (p->n_closed[depot] == MAX_CLOSED)
			return wms_error_set(err, WMS_ECONFIG, "too many closed days (at most %d)", MAX_CLOSED);
		p->closed[depot][p->n_closed[depot]++] = d;
	}
	return 0;
}

static int apply(struct parse *p, const char *section, const char *key, const char *value,
                 struct wms_error *err)
{
	struct wms_config *c = p->cfg;
	long v = 0;
	int rc;

	if (strcmp(section, "store") == 0) {
		if (strcmp(key, "database") == 0) {
			if (*value == '\0' || strlen(value) >= sizeof c->database)
				return wms_error_set(err, WMS_ECONFIG, "bad database path");
			snprintf(c->database, sizeof c->database, "%s", value);
			return 0;
		}
		if (strcmp(key, "create") == 0)
			return wms_parse_bool(value, &c->create, err);
		if (strcmp(key, "scan_wait_ms") == 0) {
			if ((rc = wms_parse_int(value, 0, 60000, &v, err)) < 0)
				return rc;
			c->scan_wait_ms = v;
			return 0;
		}
		if (strcmp(key, "future_skew") == 0) {
			if ((rc = wms_parse_int(value, 0, 86400, &v, err)) == 0)
				c->future_skew = v;
			return rc;
		}
		return wms_error_set(err, WMS_ECONFIG, "unknown key \"%s\" in [store]; allowed: database, "
		                     "create, scan_wait_ms, future_skew", key);
	}
	if (strcmp(section, "paths") == 0) {
		char *dst = strcmp(key, "data") == 0 ? c->data_dir :
		            strcmp(key, "locale") == 0 ? c->locale_dir : NULL;
		if (dst == NULL)
			return wms_error_set(err, WMS_ECONFIG, "unknown key \"%s\" in [paths]; allowed: "
			                     "data, locale", key);
		if (value[0] != '/' || strlen(value) >= sizeof c->data_dir)
			return wms_error_set(err, WMS_ECONFIG, "bad %s directory \"%.64s\": an absolute "
			                     "path of 1-%zu bytes", key, value, sizeof c->data_dir - 1);
		snprintf(dst, sizeof c->data_dir, "%s", value);
		return 0;
	}
	if (strcmp(section, "calendar") == 0) {
		if (strcmp(key, "defacto_holidays") == 0)
			return wms_parse_bool(value, &c->defacto_holidays, err);
		return wms_error_set(err, WMS_ECONFIG,
		                     "unknown key \"%s\" in [calendar]; allowed: defacto_holidays", key);
	}
	if (strcmp(section, "leadtime") == 0) {
		if (strcmp(key, "cutoff") == 0)
			return wms_parse_hhmm(value, &c->cutoff_minute, err);
		if (strcmp(key, "target_days") == 0) {
			if ((rc = wms_parse_int(value, 1, 60, &v, err)) == 0)
				c->target_days = (int)v;
			return rc;
		}
		if (strcmp(key, "at_risk_days") == 0) {
			if ((rc = wms_parse_int(value, 0, 60, &v, err)) == 0)
				c->at_risk_days = (int)v;
			return rc;
		}
		return wms_error_set(err, WMS_ECONFIG, "unknown key \"%s\" in [leadtime]; allowed: "
		                     "cutoff, target_days, at_risk_days", key);
	}
	if (strcmp(section, "privacy") == 0) {
		if (strcmp(key, "retention_days") == 0) {
			if ((rc = wms_parse_int(value, 0, 3650, &v, err)) == 0)
				c->retention_days = (int)v;
			return rc;
		}
		return wms_error_set(err, WMS_ECONFIG, "unknown key \"%s\" in [privacy]; allowed: retention_days",
		                     key);
	}
	if (strcmp(section, "returns") == 0) {
		if (strcmp(key, "pickup_due_days") == 0) {
			if ((rc = wms_parse_int(value, 0, 60, &v, err)) == 0)
				c->pickup_due_days = (int)v;
			return rc;
		}
		if (strcmp(key, "rent_stop_days") == 0) {
			if ((rc = wms_parse_int(value, 0, 60, &v, err)) == 0)
				c->rent_stop_days = (int)v;
			return rc;
		}
		return wms_error_set(err, WMS_ECONFIG, "unknown key \"%s\" in [returns]; allowed: "
		                     "pickup_due_days, rent_stop_days", key);
	}
	if (strncmp(section, "depot ", 6) == 0) {
		int d = depot_index(p, section + 6, err);
		if (d < 0)
			return d;
		if (strcmp(key, "closed") == 0)
			return depot_closed(p, d, value, err);
		return wms_error_set(err, WMS_ECONFIG, "unknown key \"%s\" in [%s]; allowed: closed",
		                     key, section);
	}
	if (p->extra)
		return p->extra(p->ctx, section, key, value, err);
	return wms_error_set(err, WMS_ECONFIG, "unknown section [%s]; allowed: store, paths, calendar, "
	                     "leadtime, privacy, returns, depot CODE", section);
}

/* The line where section name was seen before in seen (n names), else 0. */
static int seen_at(char (*seen)[128], const int *lines, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(seen[i], name) == 0)
			return lines[i];
	return 0;
}

static int parse_file(struct parse *p, const char *path, struct wms_error *err)
{
	char *line = NULL, section[128] = "", (*seen)[128] = NULL;
	int *seen_line = NULL, n_seen = 0;
	size_t cap = 0;
	ssize_t len;
	FILE *f = fopen(path, "r");
	int lineno = 0, rc = 0;

	if (f == NULL)
		return wms_error_set(err, WMS_ECONFIG, "cannot read %s: %s", path, strerror(errno));
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *s, *eq;
		lineno++;
		if (len > LINE_MAX_LEN) {
			rc = wms_error_set(err, WMS_ECONFIG, "%s:%d: line longer than %d bytes", path, lineno,
			                   LINE_MAX_LEN);
			break;
		}
		if (memchr(line, '\0', (size_t)len) != NULL) {
			rc = wms_error_set(err, WMS_ECONFIG, "%s:%d: a NUL byte in the line; a configuration "
			                   "file is text", path, lineno);
			break;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (close == NULL || close[1] != '\0' || close == s + 1 ||
			    (size_t)(close - s - 1) >= sizeof section) {
				rc = wms_error_set(err, WMS_ECONFIG, "%s:%d: bad section header; expected [name]",
				                   path, lineno);
				break;
			}
			*close = '\0';
			snprintf(section, sizeof section, "%s", trim(s + 1));
			if ((rc = seen_at(seen, seen_line, n_seen, section)) > 0) {
				rc = wms_error_set(err, WMS_ECONFIG, "%s:%d: section [%s] again (first at line "
				                   "%d); each section once", path, lineno, section, rc);
				break;
			}
			{
				char (*ns)[128] = realloc(seen, (size_t)(n_seen + 1) * sizeof *seen);
				int *nl = ns ? realloc(seen_line, (size_t)(n_seen + 1) * sizeof *nl) : NULL;
				if (ns)
					seen = ns;
				if (nl == NULL) {
					rc = wms_error_set(err, WMS_ENOMEM, "out of memory reading %s", path);
					break;
				}
				seen_line = nl;
				snprintf(seen[n_seen], sizeof seen[n_seen], "%s", section);
				seen_line[n_seen++] = lineno;
			}
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			rc = wms_error_set(err, WMS_ECONFIG, "%s:%d: expected key = value", path, lineno);
			break;
		}
		*eq = '\0';
		{
			char *key = trim(s), *value = trim(eq + 1), *comment;
			struct wms_error e = { 0 };
			/* a ';' or '#' after white space starts a comment */
			for (comment = value; (comment = strpbrk(comment, ";#")) != NULL; comment++)
				if (comment > value && isspace((unsigned char)comment[-1])) {
					*comment = '\0';
					value = trim(value);
					break;
				}
			if (section[0] == '\0')
				rc = wms_error_set(&e, WMS_ECONFIG, "key \"%s\" outside a section", key);
			else {
				p->lineno = lineno;
				rc = apply(p, section, key, value, &e);
			}
			if (rc < 0) {
				rc = wms_error_set(err, WMS_ECONFIG, "%s:%d: %s", path, lineno, e.msg);
				break;
			}
		}
	}
	if (rc == 0 && ferror(f))
		rc = wms_error_set(err, WMS_ECONFIG, "cannot read %s: %s", path, strerror(errno));
	fclose(f);
	free(line);
	free(seen);
	free(seen_line);
	return rc;
}

int wms_config_load(const char *path, wms_config_extra_fn extra, void *ctx,
                    struct wms_config **out, struct wms_error *err)
{
	struct parse *p = calloc(1, sizeof *p);
	struct wms_config *c = calloc(1, sizeof *c);
	struct wms_calendar_opts o = { 0 };
	int rc = 0;

	*out = NULL;
	if (p == NULL || c == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory reading configuration");
		goto out;
	}
	p->cfg = c;
	p->extra = extra;
	p->ctx = ctx;
	snprintf(c->database, sizeof c->database, "wms.db");
	c->scan_wait_ms = 2000;
	c->defacto_holidays = true;
	c->cutoff_minute = 15 * 60;
	c->target_days = 7;
	c->at_risk_days = 5;
	c->retention_days = 30;
	c->pickup_due_days = 7;
	c->rent_stop_days = 3;
	c->future_skew = WMS_FUTURE_SKEW_DEFAULT;
	if (path && (rc = parse_file(p, path, err)) < 0)
		goto out;
	if (path)
		snprintf(c->file, sizeof c->file, "%s", path);
	o.defacto_days = c->defacto_holidays;
	if ((rc = wms_calendar_new(&o, &c->cal, err)) < 0)
		goto out;
	for (int i = 0; i < c->n_depots; i++) {
		o.closed = p->closed[i];
		o.n_closed = p->n_closed[i];
		if ((rc = wms_calendar_new(&o, &c->depots[i].cal, err)) < 0)
			goto out;
		if (p->n_closed[i]) {
			c->depots[i].closed = malloc(p->n_closed[i] * sizeof p->closed[i][0]);
			if (c->depots[i].closed == NULL) {
				rc = wms_error_set(err, WMS_ENOMEM, "out of memory reading configuration");
				goto out;
			}
			memcpy(c->depots[i].closed, p->closed[i], p->n_closed[i] * sizeof p->closed[i][0]);
			c->depots[i].n_closed = p->n_closed[i];
		}
	}
	*out = c;
	c = NULL;
out:
	wms_config_free(c);
	free(p);
	return rc;
}

void wms_config_free(struct wms_config *cfg)
{
	if (cfg == NULL)
		return;
	wms_calendar_free(cfg->cal);
	for (int i = 0; i < cfg->n_depots; i++) {
		wms_calendar_free(cfg->depots[i].cal);
		free(cfg->depots[i].closed);
	}
	free(cfg);
}

const struct wms_calendar *wms_config_calendar(const struct wms_config *cfg, const char *depot)
{
	for (int i = 0; depot && i < cfg->n_depots; i++)
		if (strcmp(cfg->depots[i].name, depot) == 0)
			return cfg->depots[i].cal;
	return cfg->cal;
}

int wms_config_cutoff(const struct wms_config *cfg, const char *depot)
{
	for (int i = 0; depot && i < cfg->n_depots; i++)
		if (strcmp(cfg->depots[i].name, depot) == 0 && cfg->depots[i].own_cutoff)
			return cfg->depots[i].cutoff_minute;
	return cfg->cutoff_minute;
}

int wms_config_cutoff_cb(void *cfg, const char *depot)
{
	return wms_config_cutoff(cfg, depot);
}

const struct wms_calendar *wms_config_calendar_cb(void *cfg, const char *depot)
{
	return wms_config_calendar(cfg, depot);
}
