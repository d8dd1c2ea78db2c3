/*
 * conf.c - wmsd.conf: the core's sections through wms_config_load(), the
 * daemon's [station NAME] sections through its extra callback, into a fresh
 * struct that is only handed out once every check has passed.
 */
#include "wms_datadir.h"
#include "wmsd.h"

#include "image_decode.h"
#include "wms_depot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const mode_names[] = {
	/* WMS_N_: a station's screen names its mode in its language (wms_tr) */
	[WMSD_MODE_RECEIPT] = WMS_N_("receipt"), [WMSD_MODE_PUTAWAY] = WMS_N_("putaway"),
	[WMSD_MODE_TRANSFER] = WMS_N_("transfer"), [WMSD_MODE_PICK] = WMS_N_("pick"),
	[WMSD_MODE_DISPATCH] = WMS_N_("dispatch"), [WMSD_MODE_RETURN] = WMS_N_("return"),
	[WMSD_MODE_RECON] = WMS_N_("recon"), [WMSD_MODE_COUNT] = WMS_N_("count"),
};
#define MODES_ALLOWED "receipt, putaway, transfer, pick, dispatch, return, recon, count"

const char *wmsd_mode_name(enum wmsd_mode mode)
{
	if (mode > WMSD_MODE_NONE && mode <= WMSD_MODE_COUNT)
		return mode_names[mode];
	return "none";
}

static bool station_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > WMSD_STATION_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

static int station_key(struct wmsd_conf *c, const char *name, const char *key, const char *value,
                       struct wms_error *err)
{
	struct wmsd_station_conf *st = NULL;
	long v;
	int rc;

	if (!station_name_ok(name))
		return wms_error_set(err, WMS_ECONFIG, "bad station name \"%.40s\": 1-%d of A-Z a-z 0-9 - _ .",
		                     name, WMSD_STATION_NAME_MAX);
	for (int i = 0; i < c->n_stations; i++)
		if (strcmp(c->stations[i].name, name) == 0)
			st = &c->stations[i];
	if (st == NULL) {
		if (c->n_stations == WMSD_MAX_STATIONS)
			return wms_error_set(err, WMS_ECONFIG, "too many stations (at most %d)", WMSD_MAX_STATIONS);
		st = &c->stations[c->n_stations++];
		snprintf(st->name, sizeof st->name, "%s", name);
		st->double_read_ms = 300;
		st->symbols = 1;
		snprintf(st->language, sizeof st->language, "en");
	}
	if (strcmp(key, "mode") == 0) {
		for (int m = WMSD_MODE_RECEIPT; m <= WMSD_MODE_COUNT; m++)
			if (strcmp(value, mode_names[m]) == 0) {
				st->mode = (enum wmsd_mode)m;
				return 0;
			}
		return wms_error_set(err, WMS_ECONFIG, "bad mode \"%.40s\"; allowed: " MODES_ALLOWED, value);
	}
	if (strcmp(key, "scanner") == 0) {
		const struct scan_source_ops *ops;
		const char *spec;
		if (strlen(value) >= sizeof st->scanner)
			return wms_error_set(err, WMS_ECONFIG, "scanner: longer than %zu bytes",
			                     sizeof st->scanner - 1);
		if ((ops = scan_source_find(value, &spec, err)) == NULL)
			return WMS_ECONFIG;
		if ((rc = ops->check(spec, err)) < 0)
			return wms_error_set(err, WMS_ECONFIG, "scanner %s: %s; usage: %s", value, err->msg,
			                     ops->usage);
		snprintf(st->scanner, sizeof st->scanner, "%s", value);
		return 0;
	}
	if (strcmp(key, "depot") == 0) {
		if (wms_depot_check_code(value, err) < 0)
			return WMS_ECONFIG;
		snprintf(st->depot, sizeof st->depot, "%s", value);
		return 0;
	}
	if (strcmp(key, "double_read_ms") == 0) {
		if ((rc = wms_parse_int(value, 0, 10000, &v, err)) < 0)
			return wms_error_set(err, WMS_ECONFIG, "double_read_ms: %s", err->msg);
		st->double_read_ms = v;
		return 0;
	}
	if (strcmp(key, "required") == 0)
		return wms_parse_bool(value, &st->required, err);
	if (strcmp(key, "symbols") == 0) {
		if (strcmp(value, "all") == 0)
			v = 0;
		else if (wms_parse_int(value, 1, SCAN_IMAGE_MAX_SYMBOLS, &v, err) < 0)
			return wms_error_set(err, WMS_ECONFIG, "symbols: \"%.40s\"; allowed: 1..%d or all",
			                     value, SCAN_IMAGE_MAX_SYMBOLS);
		st->symbols = (int)v;
		st->symbols_set = true;
		return 0;
	}
	if (strcmp(key, "language") == 0) {
		if (strcmp(value, "sv") != 0 && strcmp(value, "en") != 0)
			return wms_error_set(err, WMS_ECONFIG, "language: \"%.40s\"; allowed: sv, en", value);
		snprintf(st->language, sizeof st->language, "%s", value);
		return 0;
	}
	if (strcmp(key, "label") == 0) {
		if (strcmp(value, "always") != 0 && strcmp(value, "when-missing") != 0)
			return wms_error_set(err, WMS_ECONFIG, "label: \"%.40s\"; allowed: always, when-missing",
			                     value);
		st->label_always = strcmp(value, "always") == 0;
		return 0;
	}
	return wms_error_set(err, WMS_ECONFIG, "unknown key \"%.40s\" in [station %s]; allowed: mode, scanner, "
	                     "depot, double_read_ms, required, language, label, symbols", key, name);
}

static int extra(void *ctx, const char *section, const char *key, const char *value,
                 struct wms_error *err)
{
	struct wmsd_conf *c = ctx;

	if (strncmp(section, "station ", 8) == 0)
		return station_key(c, section + 8, key, value, err);
	if (strcmp(section, "http") == 0)
		return http_conf_key(&c->http, key, value, err);
	if (printq_conf_owns(section))
		return printq_conf_section(&c->printers, section, key, value, err);
	if (strcmp(section, "reconditioning") == 0)
		return recon_config_key(&c->recon, key, value, err);
	if (courier_config_owns(section))
		return courier_config_key(&c->courier, section, key, value, err);
	if (strcmp(section, "central") == 0)
		return central_conf_key(&c->central, key, value, err);
	return wms_error_set(err, WMS_ECONFIG, "unknown section [%.60s]; allowed: store, paths, calendar, "
	                     "leadtime, depot CODE, privacy, returns, station NAME, http, printer NAME, "
	                     "labels, reconditioning, courier, carrier NAME, central", section);
}

int wmsd_conf_load(const char *path, struct wmsd_conf **out, struct wms_error *err)
{
	struct wmsd_conf *c = calloc(1, sizeof *c);
	int rc = 0;

	*out = NULL;
	if (c == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory reading configuration");
	http_conf_defaults(&c->http);
	printq_conf_init(&c->printers);
	courier_config_defaults(&c->courier);
	if ((rc = wms_config_load(path, extra, c, &c->core, err)) < 0)
		goto out;
	if ((rc = printq_conf_check(&c->printers, err)) < 0 ||
	    (rc = courier_config_check(&c->courier, path, err)) < 0) {
		if (strncmp(err->msg, path, strlen(path)) != 0)
			wms_error_set(err, rc, "%s: %s", path, err->msg);
		goto out;
	}
	for (int i = 0; i < c->n_stations; i++) {
		const struct wmsd_station_conf *st = &c->stations[i];
		if (st->mode == WMSD_MODE_NONE) {
			rc = wms_error_set(err, WMS_ECONFIG, "%s: [station %s] has no mode; allowed: " MODES_ALLOWED,
			                   path, st->name);
			goto out;
		}
		if (st->scanner[0] == '\0') {
			rc = wms_error_set(err, WMS_ECONFIG, "%s: [station %s] has no scanner (scanner = "
			                   "KIND:SPEC; kinds: %s)", path, st->name, scan_source_kinds());
			goto out;
		}
		if (st->symbols_set) {
			const char *spec;
			const struct scan_source_ops *ops = scan_source_find(st->scanner, &spec, err);
			if (ops && ops->set_symbols == NULL) {
				rc = wms_error_set(err, WMS_ECONFIG, "%s: [station %s] symbols: only a scanner "
				                   "that decodes images (camera) has it; a %s scanner sends one "
				                   "scan per read", path, st->name, ops->name);
				goto out;
			}
		}
		for (int j = 0; j < i; j++)
			if (strcmp(c->stations[j].scanner, st->scanner) == 0) {
				rc = wms_error_set(err, WMS_ECONFIG, "%s: [station %s] reads %s, which [station %s] "
				                   "reads already", path, st->name, st->scanner, c->stations[j].name);
				goto out;
			}
	}
out:
	if (rc < 0) {
		wmsd_conf_free(c);
		return rc;
	}
	wms_paths_configure(c->core->data_dir, c->core->locale_dir);   /* [paths] */
	*out = c;
	return 0;
}

void wmsd_conf_free(struct wmsd_conf *conf)
{
	if (conf == NULL)
		return;
	wms_config_free(conf->core);
	free(conf);
}

/* The depot of a station by name ("" when it has none or is unknown). */
static const char *station_depot(const struct wmsd_conf *c, const char *name, const char *dflt)
{
	for (int i = 0; i < c->n_stations; i++)
		if (strcmp(c->stations[i].name, name) == 0)
			return c->stations[i].depot[0] ? c->stations[i].depot : dflt;
	return "";
}

int wmsd_conf_depots(struct wmsd_conf *conf, struct wms_store *store, struct wms_error *err)
{
	char dflt[WMS_DEPOT_CODE_MAX + 1], list[300];
	struct wms_error e = { 0 };
	int rc;

	if ((rc = wms_depot_calendars(store, conf->core, err)) < 0)
		return rc;
	if ((rc = wms_depot_default(store, dflt, err)) < 0)
		return rc;
	for (int i = 0; i < conf->n_stations; i++) {
		if (conf->stations[i].depot[0] && wms_depot_known(store, conf->stations[i].depot, &e) < 0)
			return wms_error_set(err, WMS_ECONFIG, "[station %s]: unknown depot \"%s\"; known depots: %s",
			                     conf->stations[i].name, conf->stations[i].depot,
			                     wms_depot_known_list(store, list, sizeof list));
		if (conf->stations[i].depot[0] == '\0')
			snprintf(conf->stations[i].depot, sizeof conf->stations[i].depot, "%s", dflt);
	}
	for (int i = 0; i < conf->printers.n_printers; i++) {
		const struct printq_printer_conf *p = &conf->printers.printers[i];
		const char *at = p->depot[0] ? p->depot : dflt;
		char buf[256], *save = NULL;
		if (p->depot[0] && wms_depot_known(store, p->depot, &e) < 0)
			return wms_error_set(err, WMS_ECONFIG, "[printer %s]: unknown depot \"%s\"; known depots: %s",
			                     p->name, p->depot, wms_depot_known_list(store, list, sizeof list));
		snprintf(buf, sizeof buf, "%s", p->stations);
		for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
			const char *sd = station_depot(conf, t, dflt);
			if (*sd && strcmp(sd, at) != 0)
				return wms_error_set(err, WMS_ECONFIG, "[printer %s] stands in depot %s but serves "
				                     "station %s of depot %s; a printer serves its own depot's stations",
				                     p->name, at, t, sd);
		}
	}
	return 0;
}
