/*
 * cli_i18n.c - the language of `wms`, chosen as every Debian tool chooses it:
 * LANGUAGE, then LC_ALL, LC_MESSAGES, LANG.  setlocale(LC_ALL, "") does the
 * work, with two repairs for machines that only have C.UTF-8:
 *  - a locale that is not installed (LANG=sv_SE.UTF-8): setlocale fails and
 *    the program would stay in "C"; we run under C.UTF-8 instead and carry
 *    the wanted language over in LANGUAGE (unless LANGUAGE already says);
 *  - no locale named at all but LANGUAGE=sv: glibc ignores LANGUAGE under the
 *    "C" locale, so we run under C.UTF-8, where it does not.
 * An explicit C or POSIX (LANG=C, LC_ALL=C) stays English, LANGUAGE or not,
 * as POSIX wants for scripts.  LC_NUMERIC stays "C": numbers in reports, CSV
 * and options keep their decimal point in every language.
 * The catalogue is $WMS_LOCALEDIR, else the build tree's for a wms run from
 * it, else the installed one (GNUInstallDirs LOCALEDIR; wms_datadir.h).
 */
#include "cli.h"

#include "wms_datadir.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The locale named for messages: LC_ALL, else LC_MESSAGES, else LANG; NULL if none. */
static const char *message_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return v;
	}
	return NULL;
}

static bool is_c_locale(const char *name)
{
	return strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 ||
	       strncmp(name, "C.", 2) == 0;
}

void cli_i18n_init(void)
{
	const char *want = message_locale(), *language = getenv("LANGUAGE"), *dir;
	bool have_language = language && *language;

	if (setlocale(LC_ALL, "") == NULL) {
		setlocale(LC_ALL, "C.UTF-8");
		if (!have_language && want && !is_c_locale(want)) {
			char lang[32];
			/* sv_SE.UTF-8@euro -> sv_SE: gettext tries sv_SE, then sv */
			snprintf(lang, sizeof lang, "%.*s", (int)strcspn(want, ".@"), want);
			setenv("LANGUAGE", lang, 1);
		}
	} else if (want == NULL && have_language) {
		setlocale(LC_ALL, "C.UTF-8");
	}
	setlocale(LC_NUMERIC, "C");
	dir = wms_locale_dir("WMS_LOCALEDIR", WMS_BUILD_LOCALEDIR);
	bindtextdomain(WMS_TEXTDOMAIN, dir);
	wms_error_translate(WMS_TEXTDOMAIN);
}

/* glibc caches translations per domain and locale, not per LANGUAGE: a
 * change of LANGUAGE is announced by bumping this counter (as the gettext
 * manual says) */
extern int _nl_msg_cat_cntr;

struct cli_lang_saved cli_i18n_enter(const char *lang)
{
	static locale_t utf8 = (locale_t)0;
	struct cli_lang_saved saved = { .on = false };
	const char *language = getenv("LANGUAGE");

	if (utf8 == (locale_t)0 && (utf8 = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0)) == (locale_t)0)
		return saved;            /* no C.UTF-8: the user's language it is */
	saved.on = true;
	saved.had_language = language != NULL;
	snprintf(saved.language, sizeof saved.language, "%s", language ? language : "");
	/* under C.UTF-8 glibc follows LANGUAGE ("C" would ignore it); English is
	 * a language without a catalogue: the message ids */
	saved.locale = uselocale(utf8);
	setenv("LANGUAGE", lang && strcmp(lang, "sv") == 0 ? "sv" : "en", 1);
	++_nl_msg_cat_cntr;
	return saved;
}

void cli_i18n_leave(struct cli_lang_saved saved)
{
	if (!saved.on)
		return;
	if (saved.had_language)
		setenv("LANGUAGE", saved.language, 1);
	else
		unsetenv("LANGUAGE");
	uselocale(saved.locale);
	++_nl_msg_cat_cntr;
}
