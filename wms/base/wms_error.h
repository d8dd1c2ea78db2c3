/*
 * wms_error.h - the one error convention of the project.
 *
 * Every fallible function returns 0 on success or a negative wms_status code,
 * and, when the caller passed a non-NULL struct wms_error, formats a human
 * message into it exactly once, where the error happens.  Callers above pass
 * the struct on untouched; only main() (or the daemon's reply path) prints it.
 *
 * This header and error.c belong to the tiny `wmsbase` library, which every room
 * may link (scanners and printing included) without linking the ledger.
 */
#ifndef WMS_ERROR_H
#define WMS_ERROR_H

#include <stdbool.h>
#include <stddef.h>

enum wms_status {
	WMS_OK        =  0,
	WMS_EINVAL    = -1,  /* malformed input: bad serial, bad date, bad option */
	WMS_ENOTFOUND = -2,  /* unknown serial, product, location, customer, order */
	WMS_EEXIST    = -3,  /* duplicate: serial already registered, ... */
	WMS_ESTATE    = -4,  /* illegal lifecycle transition */
	WMS_EDB       = -5,  /* SQLite failed (I/O, corruption, busy, full disk) */
	WMS_ENOMEM    = -6,
	WMS_EIO       = -7,  /* file or device I/O */
	WMS_ECONFIG   = -8,  /* configuration file error */
	WMS_EUNSUPP   = -9,  /* recognised but not supported */
	WMS_EPERM     = -10, /* the actor's role may not do this (wms_rules.h) */
};

#define WMS_ERROR_MSG_MAX 512

struct wms_error {
	int code;                      /* last wms_status set, 0 if none */
	char msg[WMS_ERROR_MSG_MAX];   /* one line, no trailing newline */
};

/*
 * Record an error (err may be NULL) and return code, so that a failure path
 * reads `return wms_error_set(err, WMS_EINVAL, "...", ...);`.  err->msg may
 * be one of the arguments, to put context before an inner error's message.
 */
int wms_error_set(struct wms_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * From now on look every wms_error_set format up with dgettext(domain, fmt)
 * first (message ids are the English formats; a translation keeps every
 * printf directive, in order: `msgfmt -c` checks it).  Called once by `wms`'s
 * main before anything fails; wmsd and its HTTP API never call it and keep
 * English.  domain is not copied (a string literal); NULL turns it off.
 * The setting is the calling thread's (wmsd turns it on around one station's
 * scan, in the station's language, and off again).
 */
void wms_error_translate(const char *domain);
/* The calling thread's text domain, NULL when messages stay English. */
const char *wms_error_translating(void);

/*
 * Who reads the calling thread's messages.  Off (the default): a CLI or API
 * user, so events and states are named by the words they type and read in
 * JSON ("to_buffer", "in_stock").  On (wmsd around one station's scan, in
 * either language): a worker at a station, so the core names them in words
 * (wms_event_word, wms_state_word: "moving to a buffer store", "i lager").
 */
void wms_error_at_station(bool on);
bool wms_error_for_station(void);

/*
 * msgid (an English text or printf format) in the calling thread's language
 * (wms_error_translate), else msgid itself; a static string, never freed.
 * For text that is not an error: a station's outcome lines, state names.
 * xgettext finds wms_tr("...") and WMS_N_("...") (a marker for tables).
 */
const char *wms_tr(const char *msgid) __attribute__((format_arg(1)));
#define WMS_N_(s) s

/* Reset err to "no error".  NULL-safe. */
void wms_error_clear(struct wms_error *err);

/*
 * Quote untrusted bytes (a scan, a date typed by a person) for a one-line
 * message: at most max_chars input bytes, then "..."; control bytes, bytes
 * >= 0x7f, '"' and '\\' become \xNN.  out (size bytes) is always
 * NUL-terminated; 4 * max_chars + 8 bytes always suffice.  Returns out.
 */
const char *wms_quote(char *out, size_t size, const char *text, size_t len, size_t max_chars);

/* Short English name of a status code ("invalid input", ...); never NULL. */
const char *wms_status_name(int code);

#endif
