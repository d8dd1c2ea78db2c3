/*
 * dash_assets.c - GET /static/{name}: the stylesheet and the station
 * screen's script from web/, embedded in wmsd at build time (web_assets.c);
 * nothing is read from disk and nothing comes from elsewhere.
 */
#include "dash_impl.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

static const char *content_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot && strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (dot && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (dot && strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	return "application/octet-stream";
}

void dash_asset(struct http_request *rq, struct http_reply *rp)
{
	for (const struct dash_asset_file *a = dash_asset_files; a->name; a++) {
		if (strcmp(a->name, rq->params[0]) != 0)
			continue;
		if ((rp->text = malloc(a->len + 1)) == NULL) {
			http_error(rp, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error", "out of memory", NULL);
			return;
		}
		memcpy(rp->text, a->data, a->len);
		rp->text[a->len] = '\0';
		rp->status = MHD_HTTP_OK;
		rp->ctype = content_type(a->name);
		return;
	}
	http_error(rp, MHD_HTTP_NOT_FOUND, "not found", "no such file", "dash.css, station.js");
}
