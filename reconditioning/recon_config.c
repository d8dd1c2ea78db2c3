/*
 * recon_config.c - the [reconditioning] section of the configuration file
 * (see recon.h): where the checklists are and when scrapping is proposed.
 */
#include "recon.h"

#include "wms_config.h"
#include "wms_datadir.h"

#include <stdio.h>
#include <string.h>

#ifndef RECON_CHECKLIST_DIR   /* the source tree's, for a binary in the build tree */
#define RECON_CHECKLIST_DIR ""
#endif

int recon_config_key(struct recon_config *cfg, const char *key, const char *value,
                     struct wms_error *err)
{
	long v;
	int rc;

	if (strcmp(key, "checklists") == 0) {
		if (*value == '\0' || strlen(value) >= sizeof cfg->checklists)
			return wms_error_set(err, WMS_ECONFIG, "bad checklists directory: 1-%zu bytes",
			                     sizeof cfg->checklists - 1);
		snprintf(cfg->checklists, sizeof cfg->checklists, "%s", value);
		return 0;
	}
	if (strcmp(key, "max_cycles") == 0) {
		if ((rc = wms_parse_int(value, 1, 1000, &v, err)) == 0)
			cfg->max_cycles = (int)v;
		return rc;
	}
	if (strcmp(key, "max_age_years") == 0) {
		if ((rc = wms_parse_int(value, 1, 100, &v, err)) == 0)
			cfg->max_age_years = (int)v;
		return rc;
	}
	return wms_error_set(err, WMS_ECONFIG, "unknown key \"%s\" in [reconditioning]; allowed: "
	                     "checklists, max_cycles, max_age_years", key);
}

const char *recon_config_checklists(const struct recon_config *cfg)
{
	return cfg && cfg->checklists[0] ? cfg->checklists : wms_data_dir("checklists", RECON_CHECKLIST_DIR);
}
