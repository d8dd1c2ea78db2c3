/*
 * printq_conf.c - [printer NAME] and [labels] sections of the configuration
 * file, validated key by key (see printq_conf.h).
 */
#include "printq_conf.h"

#include "wms_datadir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef WMS_LABEL_TEMPLATE_DIR   /* the source tree's, for a binary in the build tree */
#define WMS_LABEL_TEMPLATE_DIR ""
#endif

static const char printer_keys[] = "queue, server, language, dpi, media, purposes, stations, depot";

void printq_conf_init(struct printq_conf *pc)
{
	memset(pc, 0, sizeof *pc);
}

const char *printq_conf_templates(const struct printq_conf *pc)
{
	return pc->templates[0] ? pc->templates : wms_data_dir("templates", WMS_LABEL_TEMPLATE_DIR);
}

int printq_conf_owns(const char *section)
{
	return strncmp(section, "printer ", 8) == 0 || strcmp(section, "labels") == 0;
}

/* Names of printers, media and stations: 1..max-1 of [A-Za-z0-9._-]. */
static int check_name(const char *what, const char *name, size_t max, struct wms_error *err)
{
	size_t n = strlen(name);

	if (n == 0 || n >= max || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					 "0123456789._-") != n)
		return wms_error_set(err, WMS_ECONFIG, "bad %s \"%.64s\": 1-%zu letters, digits, "
				     "'.', '_' or '-'", what, name, max - 1);
	return 0;
}

static struct printq_printer_conf *printer_slot(struct printq_conf *pc, const char *name,
						struct wms_error *err)
{
	struct printq_printer_conf *p;

	for (int i = 0; i < pc->n_printers; i++)
		if (strcmp(pc->printers[i].name, name) == 0)
			return &pc->printers[i];
	if (check_name("printer name", name, sizeof p->name, err) < 0)
		return NULL;
	if (pc->n_printers == PRINTQ_CONF_MAX_PRINTERS) {
		wms_error_set(err, WMS_ECONFIG, "too many printers (at most %d)",
			      PRINTQ_CONF_MAX_PRINTERS);
		return NULL;
	}
	p = &pc->printers[pc->n_printers++];
	snprintf(p->name, sizeof p->name, "%s", name);
	p->language = PRINTQ_LANG_ZPL;
	p->dpi = 203;
	return p;
}

static int parse_purposes(const char *value, unsigned *out, struct wms_error *err)
{
	char buf[512], *save = NULL;
	unsigned bits = 0;

	if (strlen(value) >= sizeof buf)
		return wms_error_set(err, WMS_ECONFIG, "purposes list too long");
	snprintf(buf, sizeof buf, "%s", value);
	for (char *w = strtok_r(buf, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
		enum label_kind k;

		if (label_kind_from_name(w, &k, NULL) < 0)
			return wms_error_set(err, WMS_ECONFIG, "unknown purpose \"%.40s\"; allowed: "
					     "device location recon shipping return picklist "
					     "delivery-note", w);
		bits |= 1u << k;
	}
	*out = bits;
	return 0;
}

static int parse_stations(const char *value, char *out, size_t size, struct wms_error *err)
{
	char buf[512], *save = NULL;
	size_t used = 0;
	int rc;

	if (strlen(value) >= size)
		return wms_error_set(err, WMS_ECONFIG, "stations list too long: at most %zu bytes",
				     size - 1);
	snprintf(buf, sizeof buf, "%s", value);
	out[0] = '\0';
	for (char *w = strtok_r(buf, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
		if ((rc = check_name("station name", w, 64, err)) < 0)
			return rc;
		used += (size_t)snprintf(out + used, size - used, "%s%s", used ? " " : "", w);
	}
	return 0;
}

static int printer_key(struct printq_printer_conf *p, const char *key, const char *value,
		       struct wms_error *err)
{
	if (strcmp(key, "queue") == 0) {
		if (*value == '\0' || strlen(value) >= sizeof p->queue ||
		    strpbrk(value, " \t/#\\'\"") != NULL)
			return wms_error_set(err, WMS_ECONFIG, "bad queue \"%.64s\": a CUPS queue name, "
					     "1-127 bytes without blanks, '/', '#' or quotes", value);
		snprintf(p->queue, sizeof p->queue, "%s", value);
		return 0;
	}
	if (strcmp(key, "server") == 0) {
		if (strlen(value) >= sizeof p->server || strpbrk(value, " \t") != NULL)
			return wms_error_set(err, WMS_ECONFIG, "bad server \"%.64s\": host, host:port "
					     "or /path/to/socket", value);
		snprintf(p->server, sizeof p->server, "%s", value);
		return 0;
	}
	if (strcmp(key, "language") == 0) {
		if (strcmp(value, "zpl") == 0)
			p->language = PRINTQ_LANG_ZPL;
		else if (strcmp(value, "pdf") == 0)
			p->language = PRINTQ_LANG_PDF;
		else if (strcmp(value, "png") == 0)
			p->language = PRINTQ_LANG_PNG;
		else
			return wms_error_set(err, WMS_ECONFIG, "bad language \"%.40s\": use zpl, pdf "
					     "or png", value);
		return 0;
	}
	if (strcmp(key, "dpi") == 0) {
		if (strcmp(value, "203") && strcmp(value, "300"))
			return wms_error_set(err, WMS_ECONFIG, "bad dpi \"%.40s\": use 203 or 300",
					     value);
		p->dpi = atoi(value);
		return 0;
	}
	if (strcmp(key, "media") == 0) {
		if (*value == '\0') {
			p->media[0] = '\0';
			return 0;
		}
		if (check_name("media", value, sizeof p->media, err) < 0)
			return WMS_ECONFIG;
		snprintf(p->media, sizeof p->media, "%s", value);
		return 0;
	}
	if (strcmp(key, "purposes") == 0)
		return parse_purposes(value, &p->purposes, err);
	if (strcmp(key, "stations") == 0)
		return parse_stations(value, p->stations, sizeof p->stations, err);
	if (strcmp(key, "depot") == 0) {
		if (*value == '\0' || strlen(value) >= sizeof p->depot)
			return wms_error_set(err, WMS_ECONFIG, "bad depot \"%.40s\": a depot code (ML, SK)", value);
		snprintf(p->depot, sizeof p->depot, "%s", value);
		return 0;
	}
	return wms_error_set(err, WMS_ECONFIG, "unknown key \"%s\" in [printer %s]; allowed: %s",
			     key, p->name, printer_keys);
}

int printq_conf_section(void *ctx, const char *section, const char *key, const char *value,
			struct wms_error *err)
{
	struct printq_conf *pc = ctx;

	if (strncmp(section, "printer ", 8) == 0) {
		struct printq_printer_conf *p = printer_slot(pc, section + 8, err);

		return p == NULL ? WMS_ECONFIG : printer_key(p, key, value, err);
	}
	if (strcmp(section, "labels") == 0) {
		if (strcmp(key, "templates") != 0)
			return wms_error_set(err, WMS_ECONFIG, "unknown key \"%s\" in [labels]; "
					     "allowed: templates", key);
		if (*value == '\0' || strlen(value) >= sizeof pc->templates)
			return wms_error_set(err, WMS_ECONFIG, "bad templates directory");
		snprintf(pc->templates, sizeof pc->templates, "%s", value);
		return 0;
	}
	return wms_error_set(err, WMS_ECONFIG, "unknown section [%s]; allowed here: printer NAME, "
			     "labels", section);
}

int printq_conf_check(const struct printq_conf *pc, struct wms_error *err)
{
	for (int i = 0; i < pc->n_printers; i++)
		if (pc->printers[i].queue[0] == '\0')
			return wms_error_set(err, WMS_ECONFIG, "[printer %s] has no queue; add "
					     "queue = <CUPS queue name>", pc->printers[i].name);
	return 0;
}

const struct printq_printer_conf *printq_conf_find(const struct printq_conf *pc,
						   const char *name)
{
	for (int i = 0; name != NULL && i < pc->n_printers; i++)
		if (strcmp(pc->printers[i].name, name) == 0)
			return &pc->printers[i];
	return NULL;
}

static int lists_station(const char *stations, const char *station)
{
	size_t n = strlen(station);

	for (const char *p = stations; (p = strstr(p, station)) != NULL; p += n)
		if ((p == stations || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

const struct printq_printer_conf *printq_conf_for(const struct printq_conf *pc,
						  enum label_kind purpose, const char *station)
{
	const struct printq_printer_conf *any = NULL;

	for (int i = 0; i < pc->n_printers; i++) {
		const struct printq_printer_conf *p = &pc->printers[i];

		if (!(p->purposes & (1u << purpose)))
			continue;
		if (station != NULL && *station && lists_station(p->stations, station))
			return p;
		if (p->stations[0] == '\0' && any == NULL)
			any = p;
	}
	return any;
}

const char *printq_conf_why_none(const struct printq_conf *pc, enum label_kind purpose,
				 const char *station, char *buf, size_t size)
{
	size_t used;
	int n = 0;

	if (station && *station)
		used = (size_t)snprintf(buf, size, wms_tr("no printer has purpose %s at station %s"),
					label_kind_name(purpose), station);
	else
		used = (size_t)snprintf(buf, size, wms_tr("no printer has purpose %s"),
					label_kind_name(purpose));
	for (int i = 0; i < pc->n_printers && used < size; i++) {
		const struct printq_printer_conf *p = &pc->printers[i];

		if (!(p->purposes & (1u << purpose)) || p->stations[0] == '\0')
			continue;
		used += (size_t)snprintf(buf + used, size - used, wms_tr("%s printer %s has it only for stations %s"),
					 n++ ? ";" : ":", p->name, p->stations);
	}
	if (n > 0 && used < size && (station == NULL || *station == '\0'))
		snprintf(buf + used, size - used, "%s", wms_tr(" (name the station)"));
	return buf;
}

const char *printq_lang_name(enum printq_lang lang)
{
	switch (lang) {
	case PRINTQ_LANG_ZPL: return "zpl";
	case PRINTQ_LANG_PDF: return "pdf";
	case PRINTQ_LANG_PNG: return "png";
	}
	return "unknown";
}

const char *printq_purposes_text(unsigned purposes, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int k = 0; k < LABEL_KIND_COUNT && used < size; k++)
		if (purposes & (1u << k))
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? " " : "",
						 label_kind_name((enum label_kind)k));
	return buf;
}
