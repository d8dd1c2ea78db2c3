/*
 * cli_i18n.h - the language of `wms`'s text: gettext, text domain "wms".
 * Message ids are the English text; the Swedish catalogue is wms/cli/po/sv.po
 * (its template is made by wms/cli/po/update-pot.sh).  The translations are
 * static strings owned by gettext: never freed, valid until exit.
 */
#ifndef WMS_CLI_I18N_H
#define WMS_CLI_I18N_H

#include <libintl.h>
#include <locale.h>
#include <stdbool.h>

#define WMS_TEXTDOMAIN "wms"

/* Translate a message now. */
#define _(s) dgettext(WMS_TEXTDOMAIN, s)
/* Mark a message (a command's help line) that is translated where it is printed. */
#define N_(s) s

/*
 * Set the locale from the environment and open the catalogue; then _() and
 * every wms_error_set message (wms_error_translate) speak the user's language.
 * Called once, first thing in main.
 */
void cli_i18n_init(void);

/*
 * Speak lang ("sv"; anything else is English) until cli_i18n_leave(), for
 * text that is someone else's screen: a station's header reads as the station
 * shows it, whatever the CLI user's language.  Not nested.
 */
struct cli_lang_saved {
	bool on;
	char language[64];               /* LANGUAGE before ("" = unset) */
	bool had_language;
	locale_t locale;
};
struct cli_lang_saved cli_i18n_enter(const char *lang);
void cli_i18n_leave(struct cli_lang_saved saved);

#endif
