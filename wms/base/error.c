/*
 * error.c - formatting of the project's error struct (see wms_error.h).
 */
#include "wms_error.h"

#include <libintl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* the text domain formats are translated in (wms_error_translate), NULL:
 * English.  Per thread: wmsd's loop speaks each station's language while its
 * print worker thread stays English. */
static _Thread_local const char *translate_domain;
/* the messages are for a station's screen (wms_error_at_station) */
static _Thread_local bool at_station;

void wms_error_translate(const char *domain)
{
	translate_domain = domain;
}

const char *wms_error_translating(void)
{
	return translate_domain;
}

void wms_error_at_station(bool on)
{
	at_station = on;
}

bool wms_error_for_station(void)
{
	return at_station;
}

const char *wms_tr(const char *msgid)
{
	return translate_domain ? dgettext(translate_domain, msgid) : msgid;
}

int wms_error_set(struct wms_error *err, int code, const char *fmt, ...)
{
	char msg[sizeof err->msg];
	va_list ap;

	if (err == NULL)
		return code;
	/* through a copy: callers may wrap err->msg itself ("context: %s", err->msg) */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, translate_domain ? dgettext(translate_domain, fmt) : fmt, ap);
	va_end(ap);
	err->code = code;
	memcpy(err->msg, msg, sizeof msg);
	return code;
}

void wms_error_clear(struct wms_error *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}

const char *wms_quote(char *out, size_t size, const char *text, size_t len, size_t max_chars)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	if (size == 0)
		return out;
	for (i = 0; i < len && i < max_chars; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			if (o + 2 > size)
				break;
			out[o++] = (char)c;
		} else {
			if (o + 5 > size)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		}
	}
	if (i < len && o + 4 <= size) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

const char *wms_status_name(int code)
{
	switch (code) {
	case WMS_OK:        return "ok";
	case WMS_EINVAL:    return "invalid input";
	case WMS_ENOTFOUND: return "not found";
	case WMS_EEXIST:    return "already exists";
	case WMS_ESTATE:    return "not allowed in this state";
	case WMS_EDB:       return "database error";
	case WMS_ENOMEM:    return "out of memory";
	case WMS_EIO:       return "I/O error";
	case WMS_ECONFIG:   return "configuration error";
	case WMS_EUNSUPP:   return "not supported";
	case WMS_EPERM:     return "not permitted";
	default:            return "unknown error";
	}
}
