/*
 * datadir.c - the directories of shipped data for an installed or an
 * uninstalled binary (see wms_datadir.h).  The build passes
 * WMS_BUILD_BINDIR, WMS_INSTALL_DATADIR and WMS_INSTALL_LOCALEDIR, and the
 * same two relative to the binaries' directory (WMS_REL_DATADIR,
 * WMS_REL_LOCALEDIR: "../share/wms" for bin/ and sbin/), so that a tree
 * installed with `cmake --install --prefix` elsewhere, or moved, finds its
 * data beside its binaries; the absolute paths are the fallback.
 */
#include "wms_datadir.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef WMS_BUILD_BINDIR
#define WMS_BUILD_BINDIR ""
#endif
#ifndef WMS_INSTALL_DATADIR
#define WMS_INSTALL_DATADIR "/usr/share/wms"
#endif
#ifndef WMS_INSTALL_LOCALEDIR
#define WMS_INSTALL_LOCALEDIR "/usr/share/locale"
#endif

#ifndef WMS_REL_DATADIR
#define WMS_REL_DATADIR "../share/wms"
#endif
#ifndef WMS_REL_LOCALEDIR
#define WMS_REL_LOCALEDIR "../share/locale"
#endif

static bool uninstalled;
static char exe_dir[PATH_MAX];   /* the executable's directory, "" if unknown */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const char *conf_data, *conf_locale;   /* kept strings; NULL: not configured */

static void find_self(void)
{
	char exe[PATH_MAX], bindir[PATH_MAX];
	char *slash;

	if (realpath("/proc/self/exe", exe) == NULL || (slash = strrchr(exe, '/')) == NULL)
		return;
	*slash = '\0';
	snprintf(exe_dir, sizeof exe_dir, "%s", exe);
	uninstalled = WMS_BUILD_BINDIR[0] != '\0' && realpath(WMS_BUILD_BINDIR, bindir) != NULL &&
	              strcmp(exe, bindir) == 0;
}

bool wms_uninstalled(void)
{
	pthread_once(&once, find_self);
	return uninstalled;
}

/* A string kept for the process's life (paths are asked for by a handful of
 * names); the caller holds lock. */
static const char *keep(const char *a, const char *b)
{
	static char *kept[32];
	char buf[PATH_MAX];
	const char *out = NULL;

	snprintf(buf, sizeof buf, "%s%s%s", a, b ? "/" : "", b ? b : "");
	for (size_t i = 0; i < sizeof kept / sizeof kept[0] && out == NULL; i++) {
		if (kept[i] == NULL && (kept[i] = strdup(buf)) == NULL)
			break;
		if (strcmp(kept[i], buf) == 0)
			out = kept[i];
	}
	return out ? out : WMS_INSTALL_DATADIR;
}

void wms_paths_configure(const char *data, const char *locale)
{
	pthread_mutex_lock(&lock);
	conf_data = data && *data ? keep(data, NULL) : NULL;
	conf_locale = locale && *locale ? keep(locale, NULL) : NULL;
	pthread_mutex_unlock(&lock);
}

/* DIR relative to the executable when it is there, else the absolute INSTALLED. */
static void installed(char *buf, size_t size, const char *rel, const char *absolute)
{
	pthread_once(&once, find_self);
	char canonical[PATH_MAX];

	/* a path too long for buf is not there: the installed one then */
	if (exe_dir[0] == '\0' || snprintf(buf, size, "%s/%s", exe_dir, rel) >= (int)size ||
	    realpath(buf, canonical) == NULL || snprintf(buf, size, "%s", canonical) >= (int)size)
		(void)!snprintf(buf, size, "%s", absolute);
}

const char *wms_data_dir(const char *name, const char *source_dir)
{
	char dir[PATH_MAX];
	const char *env = getenv("WMS_DATADIR"), *out;

	if (!conf_data && !(env && *env) && wms_uninstalled() && source_dir && *source_dir)
		return source_dir;
	pthread_mutex_lock(&lock);
	if (!conf_data && !(env && *env))
		installed(dir, sizeof dir, WMS_REL_DATADIR, WMS_INSTALL_DATADIR);
	out = keep(conf_data ? conf_data : env && *env ? env : dir, name);
	pthread_mutex_unlock(&lock);
	return out;
}

const char *wms_locale_dir(const char *env_name, const char *build_dir)
{
	const char *env = env_name ? getenv(env_name) : NULL, *conf;

	pthread_mutex_lock(&lock);
	conf = conf_locale;
	pthread_mutex_unlock(&lock);
	if (conf)
		return conf;
	if (env && *env)
		return env;
	if (wms_uninstalled() && build_dir && *build_dir)
		return build_dir;
	{
		char dir[PATH_MAX];

		installed(dir, sizeof dir, WMS_REL_LOCALEDIR, WMS_INSTALL_LOCALEDIR);
		pthread_mutex_lock(&lock);
		conf = keep(dir, NULL);
		pthread_mutex_unlock(&lock);
		return conf;
	}
}
