/*
 * dash_station.c - the station screens.  GET /stations lists the stations of
 * wmsd.conf; GET /stations/{name} shows a station's header (mode,
 * signed-in user, what waits for the next scan) and its newest handled
 * scans (the scan journal's outcome lines, wms_station_lines) big enough to
 * read from a metre away: green for ok, amber for a warning, red for
 * refused (with the reason) and for a failed measurement; all in the
 * station's language (wmsd.conf `language`; ?lang= overrides); a keypad
 * sends typed values (POST /api/v1/stations/{name}/input) as if scanned;
 * /static/station.js keeps it live from GET /stations/{name}/events, a
 * text/event-stream of the lines after ?after=ID (or the Last-Event-ID a
 * reconnecting browser sends) and then of every scan the station handles.
 *
 * Streams never block the loop: each connected screen is an MHD response
 * whose content reader hands out what is queued and, with nothing queued,
 * suspends its connection; dash_station_publish() (called by scan_batch.c
 * for every handled scan) queues the line and resumes it.  A screen more
 * than QUEUE_MAX bytes behind is closed (the browser reconnects with its
 * Last-Event-ID and reads the journal).  wmsd is one thread: no locks.
 * A stream that sent nothing for [http] sse_keepalive_s seconds gets a
 * ": keep-alive" comment (browsers ignore it; proxies see traffic).
 */
#include "dash_impl.h"

#include "loop.h"
#include "wms_query.h"
#include "wmsd.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define QUEUE_MAX  (64 * 1024)
#define LINES_SHOWN 20

struct screen {
	struct MHD_Connection *conn;
	char station[WMSD_STATION_NAME_MAX + 1];
	struct dash_buf queue;           /* event-stream text not yet handed to MHD */
	size_t sent;                     /* of queue */
	bool suspended, closing;
	long long last_ms;               /* loop_now_ms() when text was last queued */
	struct screen *next;
};

static struct screen *screens;

static const struct wmsd_station_conf *find(const struct http_request *rq, const char *name)
{
	for (int i = 0; i < rq->conf->n_stations; i++)
		if (strcmp(rq->conf->stations[i].name, name) == 0)
			return &rq->conf->stations[i];
	return NULL;
}

static bool refused(const char *line)
{
	return strncmp(line, "refused", 7) == 0;
}

/* The colour of a line: ok, warning, failed (recorded, but a measurement
 * failed) or refused; the line's prefix says it. */
static const char *line_class(const char *line)
{
	static const char *const classes[] = { "refused", "failed", "warning" };

	for (size_t i = 0; line && i < sizeof classes / sizeof classes[0]; i++)
		if (strncmp(line, classes[i], strlen(classes[i])) == 0)
			return classes[i];
	return "ok";
}

/* A line as the screen shows it: without the "ok: " ... its colour says. */
static const char *shown(const char *line)
{
	static const char *const prefixes[] = { "ok: ", "refused: ", "failed: ", "warning: " };

	if (line == NULL)
		return "";
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(line, prefixes[i], strlen(prefixes[i])) == 0)
			return line + strlen(prefixes[i]);
	return line;
}

/* One event: id, and data {"id", "ts", "ok", "class", "line", "header"} on one line. */
static void queue_event(struct screen *s, long long id, long long ts, const char *line, bool ok,
                        json_t *header)
{
	json_t *o = json_pack("{s:I, s:I, s:b, s:s, s:s, s:O?}", "id", (json_int_t)id, "ts",
	                      (json_int_t)ts, "ok", ok, "class", ok ? line_class(line) : "refused",
	                      "line", line, "header", header);
	char *data = o ? json_dumps(o, JSON_COMPACT) : NULL;

	if (data == NULL || s->queue.len - s->sent > QUEUE_MAX) {
		s->closing = true;           /* too far behind: it reconnects from its Last-Event-ID */
	} else {
		if (id > 0)
			dash_buf_printf(&s->queue, "id: %lld\ndata: %s\n\n", id, data);
		else   /* not journalled (the database refused it): no id to resume from */
			dash_buf_printf(&s->queue, "data: %s\n\n", data);
		if (s->queue.oom)
			s->closing = true;
	}
	free(data);
	json_decref(o);
}

static void wake(struct screen *s)
{
	if (s->suspended) {
		s->suspended = false;
		MHD_resume_connection(s->conn);
	}
}

void dash_station_publish(struct wmsd_station *st, long long journal_id, const char *line, bool ok)
{
	const char *station = wmsd_station_name(st);
	json_t *header = NULL;

	for (struct screen *s = screens; s; s = s->next)
		if (strcmp(s->station, station) == 0) {
			if (header == NULL)
				header = wmsd_station_header(st);
			queue_event(s, journal_id, (long long)time(NULL), line, ok && !refused(line), header);
			s->last_ms = loop_now_ms();
			wake(s);
		}
	json_decref(header);
}

void dash_station_keepalive(int keepalive_s)
{
	long long now = loop_now_ms();

	for (struct screen *s = screens; s; s = s->next)
		if (!s->closing && now - s->last_ms >= keepalive_s * 1000LL) {
			dash_buf_puts(&s->queue, ": keep-alive\n\n");
			if (s->queue.oom)
				s->closing = true;
			s->last_ms = now;
			wake(s);
		}
}

void dash_station_stop(void)
{
	for (struct screen *s = screens; s; s = s->next) {
		s->closing = true;
		wake(s);
	}
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct screen *s = cls;
	size_t n = s->queue.len - s->sent;

	if (n > 0) {
		if (n > max)
			n = max;
		memcpy(buf, s->queue.p + s->sent, n);
		s->sent += n;
		if (s->sent == s->queue.len) {
			s->queue.len = s->sent = 0;   /* keep the memory for the next lines */
		}
		return (ssize_t)n;
	}
	if (s->closing)
		return MHD_CONTENT_READER_END_OF_STREAM;
	s->suspended = true;
	MHD_suspend_connection(s->conn);
	return 0;
}

static void gone(void *cls)
{
	struct screen *s = cls;

	for (struct screen **p = &screens; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	dash_buf_free(&s->queue);
	free(s);
}

void dash_station_events(struct http_request *rq, struct http_reply *rp)
{
	const char *after_arg = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Last-Event-ID");
	struct wms_error err = { 0 };
	struct MHD_Response *resp;
	struct screen *s;
	json_t *lines, *l;
	long after = 0;
	size_t i;

	if (find(rq, rq->params[0]) == NULL) {
		http_error(rp, MHD_HTTP_NOT_FOUND, "not found", "no such station", "the stations of wmsd.conf");
		return;
	}
	if (http_conns_streams() >= rq->conf->http.max_streams) {   /* streams have their own cap */
		char detail[128];
		snprintf(detail, sizeof detail, "%ld station screen streams are open, the most allowed "
		         "([http] max_streams)", http_conns_streams());
		http_error(rp, MHD_HTTP_SERVICE_UNAVAILABLE, "service unavailable", detail,
		           "a try after Retry-After seconds");
		rp->retry_after = 5;
		return;
	}
	if (after_arg == NULL)
		after_arg = http_query(rq, "after");
	if (after_arg && wms_parse_int(after_arg, 0, 9000000000000000000L, &after, &err) < 0) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "after: not a scan journal id",
		           "a whole number >= 0");
		return;
	}
	if ((lines = wms_station_lines(rq->store, rq->params[0], after, LINES_SHOWN, &err)) == NULL) {
		http_core_error(rp, err.code ? err.code : WMS_EDB, err.msg);
		return;
	}
	if ((s = calloc(1, sizeof *s)) == NULL) {
		json_decref(lines);
		http_error(rp, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error", "out of memory", NULL);
		return;
	}
	s->conn = rq->conn;
	s->last_ms = loop_now_ms();
	snprintf(s->station, sizeof s->station, "%.*s", WMSD_STATION_NAME_MAX, rq->params[0]);   /* a station (find) */
	dash_buf_puts(&s->queue, "retry: 2000\n\n");
	json_array_foreach(lines, i, l) {
		const char *line = json_string_value(json_object_get(l, "result"));
		queue_event(s, (long long)json_integer_value(json_object_get(l, "id")),
		            (long long)json_integer_value(json_object_get(l, "ts")), line ? line : "",
		            line && !refused(line), NULL);
	}
	json_decref(lines);
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, s, gone);
	if (resp == NULL) {
		dash_buf_free(&s->queue);
		free(s);
		http_error(rp, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error", "out of memory", NULL);
		return;
	}
	s->next = screens;
	screens = s;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
	rp->stream = resp;
	rp->status = MHD_HTTP_OK;
}

void dash_stations(struct http_request *rq, struct http_reply *rp)
{
	const char *lang = dash_lang(rq);
	struct dash_buf b = { 0 };

	dash_head(&b, rq, lang, T("Stations"));
	dash_buf_puts(&b, "<h1>");
	dash_buf_html(&b, T("Stations"));
	dash_buf_puts(&b, "</h1><ul class=\"stations\">");
	for (int i = 0; i < rq->conf->n_stations; i++) {
		dash_buf_puts(&b, "<li><a href=\"/stations/");
		dash_buf_html(&b, rq->conf->stations[i].name);
		dash_buf_printf(&b, "%s\">", dash_lang_query(lang));
		dash_buf_html(&b, rq->conf->stations[i].name);
		dash_buf_puts(&b, "</a></li>");
	}
	if (rq->conf->n_stations == 0) {
		dash_buf_puts(&b, "<li>");
		dash_buf_html(&b, T("No stations are configured."));
		dash_buf_puts(&b, "</li>");
	}
	dash_buf_puts(&b, "</ul>");
	dash_foot(&b);
	dash_reply_html(rp, MHD_HTTP_OK, &b);
}

/* The station's language, unless the request names one (?lang=). */
static const char *station_lang(const struct http_request *rq, const struct wmsd_station_conf *c)
{
	return http_query(rq, "lang") ? dash_lang(rq) : c->language;
}

/* The header: mode, who is signed in, what waits for the next scan.  From
 * the running station, else as wmsd last recorded it. */
static void header(struct dash_buf *b, const struct http_request *rq, const char *lang,
                   const char *name)
{
	struct wmsd_station *st = wmsd_station_find(name);
	struct wms_error err = { 0 };
	json_t *h = st ? wmsd_station_header(st) : wms_station_state(rq->store, name, &err);
	const char *v;

	dash_buf_puts(b, "<dl class=\"station-header\" id=\"header\"><div><dt>");
	dash_buf_html(b, T("Mode"));
	dash_buf_puts(b, "</dt><dd id=\"h-mode\">");
	dash_buf_html(b, h && (v = json_string_value(json_object_get(h, "mode"))) ? v : "–");
	dash_buf_puts(b, "</dd></div><div><dt>");
	dash_buf_html(b, T("Signed in"));
	dash_buf_puts(b, "</dt><dd id=\"h-actor\" data-none=\"");
	dash_buf_html(b, T("nobody"));
	dash_buf_puts(b, "\">");
	dash_buf_html(b, h && (v = json_string_value(json_object_get(h, "actor"))) ? v : T("nobody"));
	dash_buf_puts(b, "</dd></div><div><dt>");
	dash_buf_html(b, T("Waiting for"));
	dash_buf_puts(b, "</dt><dd id=\"h-pending\" data-none=\"");
	dash_buf_html(b, T("nothing: scan a device"));
	dash_buf_puts(b, "\">");
	v = h ? json_string_value(json_object_get(h, "pending")) : NULL;
	dash_buf_html(b, v && v[0] ? v : T("nothing: scan a device"));
	dash_buf_puts(b, "</dd></div></dl>");
	json_decref(h);
}

/* A keypad for measured values (a technician with gloves, no keyboard):
 * digits, point, erase, send; sent as if scanned. */
static void keypad(struct dash_buf *b, const struct http_request *rq, const char *lang,
                   const char *name)
{
	static const char keys[] = "789456123-0.";
	const char *csrf = rq->user[0] ? dash_csrf(rq) : "";

	if (!(rq->role & (WMS_ROLE_WAREHOUSE | WMS_ROLE_TECHNICIAN | WMS_ROLE_ADMIN)) ||
	    csrf[0] == '\0')
		return;
	dash_buf_puts(b, "<form class=\"keypad\" id=\"keypad\" data-station=\"");
	dash_buf_html(b, name);
	dash_buf_printf(b, "\" data-csrf=\"%s\"><label for=\"kp-value\">", csrf);
	dash_buf_html(b, T("Measured value"));
	dash_buf_puts(b, "</label><input id=\"kp-value\" name=\"text\" inputmode=\"decimal\" "
	              "autocomplete=\"off\"><div class=\"keys\">");
	for (const char *k = keys; *k; k++)
		dash_buf_printf(b, "<button type=\"button\" data-key=\"%c\">%c</button>", *k, *k);
	dash_buf_puts(b, "<button type=\"button\" data-key=\"erase\">⌫</button><button type=\"submit\">");
	dash_buf_html(b, T("Send"));
	dash_buf_puts(b, "</button></div></form>");
}

void dash_station(struct http_request *rq, struct http_reply *rp)
{
	const struct wmsd_station_conf *conf = find(rq, rq->params[0]);
	const char *lang;
	struct wms_error err = { 0 };
	struct dash_buf b = { 0 };
	json_t *lines, *l;
	long long last = 0;
	size_t i, n;

	if (conf == NULL) {
		http_error(rp, MHD_HTTP_NOT_FOUND, "not found", "no such station", "the stations of wmsd.conf");
		return;
	}
	lang = station_lang(rq, conf);
	if ((lines = wms_station_lines(rq->store, rq->params[0], 0, LINES_SHOWN, &err)) == NULL) {
		http_core_error(rp, err.code ? err.code : WMS_EDB, err.msg);
		return;
	}
	n = json_array_size(lines);
	if (n > 0)
		last = (long long)json_integer_value(json_object_get(json_array_get(lines, n - 1), "id"));
	dash_head(&b, rq, lang, rq->params[0]);
	dash_buf_puts(&b, "<div class=\"station-screen\"><h1>");
	dash_buf_html(&b, T("Station"));
	dash_buf_puts(&b, " ");
	dash_buf_html(&b, rq->params[0]);
	dash_buf_printf(&b, "</h1><p class=\"live\" id=\"live\" data-on=\"");
	dash_buf_html(&b, T("Live"));
	dash_buf_puts(&b, "\" data-off=\"");
	dash_buf_html(&b, T("Not connected: reconnecting …"));
	dash_buf_puts(&b, "\">");
	dash_buf_html(&b, T("Connecting …"));
	dash_buf_puts(&b, "</p>");
	header(&b, rq, lang, rq->params[0]);
	keypad(&b, rq, lang, rq->params[0]);
	dash_buf_puts(&b, "<ol id=\"lines\" reversed aria-live=\"polite\" data-station=\"");
	dash_buf_html(&b, rq->params[0]);
	dash_buf_printf(&b, "\" data-after=\"%lld\" data-ok=\"", last);
	dash_buf_html(&b, T("OK"));
	dash_buf_puts(&b, "\" data-refused=\"");
	dash_buf_html(&b, T("Refused"));
	dash_buf_puts(&b, "\" data-failed=\"");
	dash_buf_html(&b, T("Not passed"));
	dash_buf_puts(&b, "\" data-warning=\"");
	dash_buf_html(&b, T("Warning"));
	dash_buf_puts(&b, "\">");
	for (i = n; i-- > 0;) {
		const char *line = json_string_value(json_object_get(l = json_array_get(lines, i), "result"));
		const char *cls = line ? line_class(line) : "refused";
		dash_buf_printf(&b, "<li class=\"%s\" data-id=\"%lld\"><strong>", cls,
		                (long long)json_integer_value(json_object_get(l, "id")));
		dash_buf_html(&b, strcmp(cls, "ok") == 0 ? T("OK") : strcmp(cls, "failed") == 0 ? T("Not passed")
		                  : strcmp(cls, "warning") == 0 ? T("Warning") : T("Refused"));
		dash_buf_puts(&b, "</strong> ");
		dash_buf_html(&b, shown(line));
		dash_buf_puts(&b, "</li>");
	}
	dash_buf_puts(&b, "</ol></div><script src=\"/static/station.js\"></script>");
	dash_foot(&b);
	json_decref(lines);
	dash_reply_html(rp, MHD_HTTP_OK, &b);
}

void dash_station_input(struct http_request *rq, struct http_reply *rp)
{
	const char *text = json_string_value(json_object_get(rq->json, "text"));
	struct wmsd_station *st;
	size_t len;

	if (find(rq, rq->params[0]) == NULL || (st = wmsd_station_find(rq->params[0])) == NULL) {
		http_error(rp, MHD_HTTP_NOT_FOUND, "not found", "no such station", "the stations of wmsd.conf");
		return;
	}
	len = text ? strlen(text) : 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			len = 0;
	if (len == 0 || len > 64) {
		http_error(rp, MHD_HTTP_BAD_REQUEST, "bad request", "text: what was typed, as a scan",
		           "1-64 printable characters, e.g. \"101.5\" or \"RCN:P100:101.5\"");
		return;
	}
	wmsd_station_type(st, text, len);
	rp->status = MHD_HTTP_ACCEPTED;
	rp->json = json_pack("{s:s, s:s, s:s}", "station", rq->params[0], "text", text, "outcome",
	                     "queued: the station's screen shows it once it is recorded");
}
