/*
 * dash_i18n.c - the translations of a page's text with gettext (the
 * language of a request is dash_lang.c's).
 * Message ids are English; the Swedish catalogue (po/sv.po, compiled by
 * msgfmt at build time into locale/sv/LC_MESSAGES/wmsd.mo) is looked up
 * with dgettext under a C.UTF-8 thread locale (uselocale, for the call
 * only: wmsd's own locale stays "C") and LANGUAGE=sv, which is set once, on
 * the first Swedish page, and never changed again (wmsd's print worker
 * thread may read the environment).  English is the message id itself.
 * The catalogue directory is $WMSD_LOCALEDIR, else the build tree's for a
 * wmsd run from it, else the installed one (wms_datadir.h).
 * A station speaks its own language (wmsd.conf `language = sv|en`): around
 * each of its scans wmsd_lang_enter() turns the calling thread's
 * wms_error_set and wms_tr over to the CLI's catalogue ("wms"), the same way,
 * and the core's messages to a station's words (wms_error_at_station: a
 * worker reads "moving to a shelf", not the command "move"), also in English.
 */
#include "dash_impl.h"

#include "wms_datadir.h"

#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#define DOMAIN "wmsd"
#define DOMAIN_CLI "wms"

static locale_t utf8 = (locale_t)0;
static bool ready;

static void init(void)
{
	const char *language, *dir = wms_locale_dir("WMSD_LOCALEDIR", WMSD_BUILD_LOCALEDIR);

	ready = true;
	bindtextdomain(DOMAIN, dir);
	bind_textdomain_codeset(DOMAIN, "UTF-8");
	/* the CLI's catalogue, for stations: it sits beside ours */
	bindtextdomain(DOMAIN_CLI, dir);
	bind_textdomain_codeset(DOMAIN_CLI, "UTF-8");
	utf8 = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0);
	language = getenv("LANGUAGE");
	if (language == NULL || strcmp(language, "sv") != 0)
		setenv("LANGUAGE", "sv", 1);
}

const char *dash_tr(const char *lang, const char *msgid)
{
	const char *s;
	locale_t prev;

	if (strcmp(lang, "sv") != 0)
		return msgid;
	if (!ready)
		init();
	if (utf8 == (locale_t)0)
		return msgid;
	prev = uselocale(utf8);
	s = dgettext(DOMAIN, msgid);
	uselocale(prev);
	return s;
}

const char *dash_lang_arg(const char *lang)
{
	return strcmp(lang, "en") == 0 ? "&lang=en" : "";
}

const char *dash_lang_query(const char *lang)
{
	return strcmp(lang, "en") == 0 ? "?lang=en" : "";
}

void wmsd_lang_init(void)
{
	if (!ready)
		init();
}

struct wmsd_lang_saved wmsd_lang_enter(const char *lang)
{
	struct wmsd_lang_saved saved = { .on = false, .at_station = wms_error_for_station() };

	wms_error_at_station(true);
	if (lang == NULL || strcmp(lang, "sv") != 0)
		return saved;
	if (!ready)
		init();
	if (utf8 == (locale_t)0)
		return saved;
	saved.on = true;
	saved.locale = uselocale(utf8);
	wms_error_translate(DOMAIN_CLI);
	return saved;
}

void wmsd_lang_leave(struct wmsd_lang_saved saved)
{
	wms_error_at_station(saved.at_station);
	if (!saved.on)
		return;
	wms_error_translate(NULL);
	uselocale(saved.locale);
}
