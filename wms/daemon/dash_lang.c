/*
 * dash_lang.c - the language of a request (dash_impl.h): "en" with
 * ?lang=en, "sv" with any other ?lang=, else English when the browser's
 * first Accept-Language is English, else Swedish.  Apart from dash_i18n.c
 * so that the translations link without the HTTP server.
 */
#include "dash_impl.h"

#include <microhttpd.h>
#include <string.h>

const char *dash_lang(const struct http_request *rq)
{
	const char *q = http_query(rq, "lang");
	const char *al;

	if (q)
		return strcmp(q, "en") == 0 ? "en" : "sv";
	al = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Accept-Language");
	/* the first language the browser names decides: en-GB, en, ... */
	if (al && strncmp(al + strspn(al, " "), "en", 2) == 0)
		return "en";
	return "sv";
}
