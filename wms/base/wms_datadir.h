/*
 * wms_datadir.h - where wms and wmsd find the data they ship: label
 * templates, reconditioning checklists and translations.
 *
 * A binary run from the build tree (bin/ of the build directory it was built
 * in) uses the source and build trees' copies, so that a development build
 * runs uninstalled; an installed binary uses the directories it was installed
 * with (GNUInstallDirs: DATADIR/wms/NAME, LOCALEDIR), found relative to its own
 * directory (../share/wms) so that a relocated prefix works, else absolute.  An environment variable
 * overrides either: $WMS_DATADIR (the parent of templates/ and checklists/),
 * $WMS_LOCALEDIR / $WMSD_LOCALEDIR (translations).  The configuration file's
 * [paths] data and locale (wms_paths_configure) come before the environment;
 * [labels] templates and [reconditioning] checklists, applied by their owners,
 * before everything here.
 */
#ifndef WMS_DATADIR_H
#define WMS_DATADIR_H

#include <stdbool.h>

/* [paths] data and locale of the configuration file ("" or NULL: not set). */
void wms_paths_configure(const char *data, const char *locale);

/* True when this process's executable is in the build tree's bin/ directory. */
bool wms_uninstalled(void);

/*
 * The directory of shipped data NAME ("templates", "checklists"): [paths]
 * data/NAME, else $WMS_DATADIR/NAME, else SOURCE_DIR when uninstalled, else the installed
 * DATADIR/wms/NAME.  The string lives as long as the process.
 */
const char *wms_data_dir(const char *name, const char *source_dir);

/*
 * The translations' directory: [paths] locale, else $ENV_NAME when set and
 * not empty, else
 * BUILD_DIR when uninstalled, else the installed LOCALEDIR.
 */
const char *wms_locale_dir(const char *env_name, const char *build_dir);

#endif
