/*
 * station_words_test.c - a Swedish station never shows a ledger command or a
 * stored state name (issue 19): a device in every state of the lifecycle
 * (reached by walking wms_transition from "not registered", not listed by
 * hand) is scanned at a station of every mode, in the scans that mode
 * takes (a device, then its shelf or buffer store, an order first, a
 * technician's outcomes), and every line the station shows, refusal or
 * not, is checked against every event and state name of the table.  The
 * same walk on an English station gives words, not command words, and the
 * CLI (no station) keeps the command words it types.
 *
 * Each scan runs in a transaction that is rolled back, so the device stays
 * in its state for the next scan.  The stations are wmsd's own
 * (wms/daemon/station*.c) on a real SQLite store (core_fixture.h), and the
 * Swedish comes from the build's catalogue.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core_fixture.h"
#include "dash.h"
#include "recon.h"
#include "station_impl.h"
#include "wms_depot.h"
#include "wms_users.h"

#define GTIN "09506000134352"

static const char *const modes[] = { "receipt", "putaway", "transfer", "pick", "dispatch",
                                     "return", "recon", "count" };
#define N_MODES (sizeof modes / sizeof modes[0])

struct walk {
	struct fixture *f;
	struct wmsd_conf *conf;
	struct wmsd_station *st[N_MODES];
	char conf_path[64];
	int refusals;          /* lines that were refusals */
	int lines;             /* lines checked in all */
	int dispatch_refused[WMS_ST_COUNT];
};

/* The command that takes a device of serial by event ev (its order O-serial). */
static struct wms_cmd cmd_for(enum wms_event_type ev, const char *serial,
                              const char *order)
{
	struct wms_cmd c = { .type = ev, .serial = serial, .reason = "walk" };

	switch (ev) {
	case WMS_EV_RECEIVE:       c.gtin = GTIN; break;
	case WMS_EV_MOVE:
	case WMS_EV_FROM_BUFFER:   c.location = "A-01-01"; break;
	case WMS_EV_TO_BUFFER:     c.location = "BUF-BORAS"; break;
	case WMS_EV_RESERVE:       c.order = order; break;
	case WMS_EV_EXCHANGE:      c.order = order; break;
	case WMS_EV_TRANSFER_OUT:  c.to_depot = "SK"; break;
	default: break;
	}
	return c;
}

/* A device named after its state, brought there by the shortest path of
 * events the lifecycle table allows. */
static void bring_to(struct walk *w, enum wms_state target, char *serial, size_t size)
{
	struct fixture *f = w->f;
	struct recon_who tech = { .station = "bench", .actor = "tekla", .role = WMS_ROLE_TECHNICIAN };
	int prev_ev[WMS_ST_COUNT], prev_st[WMS_ST_COUNT], queue[WMS_ST_COUNT], head = 0, tail = 0;
	int path[WMS_ST_COUNT], n = 0;
	struct wms_error err = { 0 };
	char order[32];

	snprintf(serial, size, "SN-%s", wms_state_name(target));
	for (char *p = serial; *p; p++)
		*p = *p == '_' ? '-' : (char)toupper((unsigned char)*p);
	snprintf(order, sizeof order, "O-%s", serial);
	if (APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = order, .customer = "VC-MOLNDAL",
	          .product = "BPM", .mode = "unit") < 0)
		fail_msg("order %s: %s", order, err.msg);
	if (target == WMS_ST_NONE)
		return;
	for (int s = 0; s < WMS_ST_COUNT; s++)
		prev_st[s] = -1;
	prev_st[WMS_ST_NONE] = WMS_ST_NONE;
	queue[tail++] = WMS_ST_NONE;
	while (head < tail && prev_st[target] < 0) {
		int s = queue[head++];
		for (int e = 0; e < WMS_EV_DEVICE_COUNT; e++) {
			enum wms_state to = wms_transition((enum wms_state)s, (enum wms_event_type)e);
			if (to == WMS_ST_NONE || prev_st[to] >= 0)
				continue;
			prev_st[to] = s;
			prev_ev[to] = e;
			queue[tail++] = to;
		}
	}
	assert_true(prev_st[target] >= 0);
	for (int s = target; s != WMS_ST_NONE; s = prev_st[s])
		path[n++] = prev_ev[s];
	while (n-- > 0)
		/* a run on the real checklist, as a technician starts it */
		if ((path[n] == WMS_EV_RECON_START
		         ? recon_start(f->s, &w->conf->recon, serial, &tech, NULL, &err)
		         : fixture_apply(f, cmd_for((enum wms_event_type)path[n], serial, order), &err)) < 0)
			fail_msg("%s to %s: %s: %s", serial, wms_state_name(target),
			         wms_event_name((enum wms_event_type)path[n]), err.msg);
}

/* Does text hold word as a word of its own (not inside "in_stock_x")? */
static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
		bool start = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool end = !(isalnum((unsigned char)p[n]) || p[n] == '_');
		if (start && end)
			return true;
	}
	return false;
}

/* The stored kinds of a location (schema.c), which a station names in words too. */
static const char *const kinds[] = { "goods_in", "shelf", "buffer", "pickup_point", "transit", "home",
                                     "unit", "reconditioning" };

/* The English names of the table, one of which line holds, or NULL. */
static const char *english_name(const char *line)
{
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (has_word(line, kinds[k]))
			return kinds[k];
	for (int s = 0; s < WMS_ST_COUNT; s++)
		if (has_word(line, wms_state_name((enum wms_state)s)))
			return wms_state_name((enum wms_state)s);
	for (int e = 0; e < WMS_EV_COUNT; e++)
		if (has_word(line, wms_event_name((enum wms_event_type)e)))
			return wms_event_name((enum wms_event_type)e);
	return NULL;
}

/* One scan at a station, rolled back; the line the screen shows. */
static int scan(struct walk *w, struct wmsd_station *st, const char *text, char *line, size_t size)
{
	static struct scan_result r;
	struct station_out out = { 0 };
	struct wms_error err = { 0 }, end = { 0 };
	struct scan s = { .station = wmsd_station_name(st), .bytes = (const unsigned char *)text,
	                  .len = strlen(text), .mono_ms = 0 };
	struct wmsd_lang_saved lang = wmsd_lang_enter(wmsd_station_language(st));
	int rc;

	/* as wmsd's turn: the scan in a savepoint of a batch, here all rolled back */
	assert_int_equal(wms_store_begin(w->f->s, &err), 0);
	assert_int_equal(wms_store_cmd_begin(w->f->s, &err), 0);
	rc = station_process(st, &s, &r, &out, &err);
	wms_store_cmd_end(w->f->s, 0, &end);
	wms_store_rollback(w->f->s);
	wmsd_lang_leave(lang);
	if (rc < 0)
		snprintf(line, size, "refused: %s", err.msg);
	else
		snprintf(line, size, "%s", out.line);
	return rc;
}

/* Check the line of a Swedish station: no English name of the table. */
static void check_line(struct walk *w, const char *station, const char *what, const char *line, int rc)
{
	const char *word = english_name(line);

	w->lines++;
	w->refusals += rc < 0;
	if (getenv("WORDS_VERBOSE"))     /* to read what a worker reads */
		printf("%s | %s | %s\n", station, what, line);
	if (word)
		fail_msg("station %s, %s: \"%s\" names \"%s\"", station, what, line, word);
}

static void scan_checked(struct walk *w, struct wmsd_station *st, const char *what, const char *text,
                         int *rc_out)
{
	char line[STATION_LINE_MAX + 16], label[200];
	int rc = scan(w, st, text, line, sizeof line);

	snprintf(label, sizeof label, "%s: %s", what, text);
	check_line(w, wmsd_station_name(st), label, line, rc);
	if (rc_out)
		*rc_out = rc;
}

static void setup_walk(struct walk *w, const char *language)
{
	struct wms_error err = { 0 };
	FILE *fp;
	int fd;

	memset(w, 0, sizeof *w);
	w->f = fixture_new();
	if (wms_depot_add(w->f->s, &(struct wms_depot_new){ .code = "SK", .name = "Skövde" }, &err) < 0 ||
	    wms_user_add(w->f->s, "tekla", WMS_ROLE_TECHNICIAN, "secret-pw-1", &err) < 0 ||
	    wms_badge_add(w->f->s, "tekla", "tekla", &err) < 0)
		fail_msg("setup: %s", err.msg);
	snprintf(w->conf_path, sizeof w->conf_path, "/tmp/wms-words-XXXXXX");
	assert_true((fd = mkstemp(w->conf_path)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fprintf(fp, "[store]\ndatabase = %s\n", w->f->path);
	for (size_t m = 0; m < N_MODES; m++)
		fprintf(fp, "[station %s]\nmode = %s\nscanner = fifo:/nonexistent/%s\nlanguage = %s\n"
		        "double_read_ms = 0\n", modes[m], modes[m], modes[m], language);
	fprintf(fp, "[reconditioning]\nchecklists = %s\n", CHECKLISTS);
	fclose(fp);
	if (wmsd_conf_load(w->conf_path, &w->conf, &err) < 0)
		fail_msg("conf: %s", err.msg);
	for (size_t m = 0; m < N_MODES; m++)
		if (wmsd_station_new(&w->conf->stations[m], w->conf, w->f->s, NULL, &w->st[m], &err) < 0)
			fail_msg("station %s: %s", modes[m], err.msg);
}

static void teardown_walk(struct walk *w)
{
	for (size_t m = 0; m < N_MODES; m++)
		wmsd_station_free(w->st[m]);
	wmsd_conf_free(w->conf);
	unlink(w->conf_path);
	fixture_free(w->f);
}

/* Every mode's scans of one device in state s. */
static void walk_state(struct walk *w, enum wms_state s, const char *serial)
{
	char udi[64], ord[48], what[64];
	int rc;

	snprintf(udi, sizeof udi, "]d201%s21%s", GTIN, serial);
	snprintf(ord, sizeof ord, "ORD:O-%s", serial);
	snprintf(what, sizeof what, "a device %s", wms_state_name(s));
	for (size_t m = 0; m < N_MODES; m++) {
		struct wmsd_station *st = w->st[m];
		scan_checked(w, st, what, "CMD:CANCEL", NULL);
		switch (st->mode) {
		case WMSD_MODE_RECEIPT:
			scan_checked(w, st, what, udi, NULL);
			scan_checked(w, st, what, serial, NULL);
			break;
		case WMSD_MODE_PUTAWAY:
			scan_checked(w, st, what, serial, NULL);
			scan_checked(w, st, what, "LOC:A-01-02", NULL);
			break;
		case WMSD_MODE_TRANSFER:
			scan_checked(w, st, what, serial, NULL);
			scan_checked(w, st, what, "LOC:BUF-BORAS", NULL);
			scan_checked(w, st, what, serial, NULL);
			scan_checked(w, st, what, "LOC:TRANSFER-SK", NULL);
			scan_checked(w, st, what, serial, NULL);
			scan_checked(w, st, what, "LOC:A-01-02", NULL);
			break;
		case WMSD_MODE_PICK:
			scan_checked(w, st, what, ord, NULL);
			scan_checked(w, st, what, serial, NULL);
			break;
		case WMSD_MODE_DISPATCH:
			scan_checked(w, st, what, udi, &rc);
			w->dispatch_refused[s] = rc < 0;
			break;
		case WMSD_MODE_RETURN:
			scan_checked(w, st, what, serial, NULL);
			break;
		case WMSD_MODE_RECON:
			scan_checked(w, st, what, serial, NULL);   /* nobody signed in */
			scan_checked(w, st, what, "USR:tekla", NULL);
			scan_checked(w, st, what, serial, NULL);
			scan_checked(w, st, what, "RCN:CLEAN:PASS", NULL);
			scan_checked(w, st, what, "LOC:A-01-02", NULL);
			scan_checked(w, st, what, serial, NULL);
			scan_checked(w, st, what, "RCN:REPAIR:NOSUCH", NULL);
			scan_checked(w, st, what, "RCN:SCRAP:NOSUCH", NULL);
			scan_checked(w, st, what, "RCN:SCRAP:BEYOND-REPAIR", NULL);
			scan_checked(w, st, what, "RCN:REPAIR:BATTERY", NULL);
			break;
		case WMSD_MODE_COUNT:
			scan_checked(w, st, what, "LOC:A-01-01", NULL);
			scan_checked(w, st, what, serial, NULL);
			scan_checked(w, st, what, "CMD:DONE", NULL);
			break;
		default:
			fail_msg("mode %d not walked", st->mode);
		}
		/* a mode change, and the sign-in of a role that does not fit */
		scan_checked(w, st, what, "USR:tekla", NULL);
	}
}

static void walk_all(struct walk *w)
{
	char serial[32];

	for (int s = 0; s < WMS_ST_COUNT; s++) {
		bring_to(w, (enum wms_state)s, serial, sizeof serial);
		walk_state(w, (enum wms_state)s, serial);
	}
}

static void swedish_station_names_no_command(void **state)
{
	struct walk w;

	(void)state;
	setup_walk(&w, "sv");
	walk_all(&w);
	/* the walk met the refusals it is about: dispatch of every state but picked */
	for (int s = 0; s < WMS_ST_COUNT; s++)
		if (w.dispatch_refused[s] != (s != WMS_ST_PICKED))
			fail_msg("dispatch of a device %s %s", wms_state_name((enum wms_state)s),
			         w.dispatch_refused[s] ? "refused" : "taken");
	assert_true(w.refusals > 100);
	teardown_walk(&w);
}

/* The Swedish refusal of a state, word by word; the English station's; the CLI's. */
static void refusal_wording(void **state)
{
	struct walk w;
	char line[STATION_LINE_MAX + 16], serial[32];
	struct wms_error err = { 0 };

	(void)state;
	setup_walk(&w, "sv");
	bring_to(&w, WMS_ST_SCRAPPED, serial, sizeof serial);
	assert_true(scan(&w, w.st[4], serial, line, sizeof line) < 0);
	assert_string_equal(line, "refused: enhet SN-SCRAPPED är kasserad: att utleverera går inte nu; "
	                          "möjligt härnäst: inget");
	bring_to(&w, WMS_ST_IN_STOCK, serial, sizeof serial);
	assert_true(scan(&w, w.st[4], serial, line, sizeof line) < 0);
	assert_string_equal(line, "refused: enhet SN-IN-STOCK är i lager: att utleverera går inte nu; "
	                          "möjligt härnäst: flytta till hylla, flytta till buffertförråd, "
	                          "reservera för en beställning, kassera, skicka till en annan depå");
	teardown_walk(&w);

	setup_walk(&w, "en");
	bring_to(&w, WMS_ST_IN_STOCK, serial, sizeof serial);
	assert_true(scan(&w, w.st[4], serial, line, sizeof line) < 0);
	assert_string_equal(line, "refused: device SN-IN-STOCK is in stock: dispatching is not possible "
	                          "now; possible next: moving to a shelf, moving to a buffer store, "
	                          "reserving for an order, scrapping, sending to another depot");
	/* outside a station (the CLI, the API): the command words */
	assert_int_equal(APPLY(w.f, &err, .type = WMS_EV_DISPATCH, .serial = serial), WMS_ESTATE);
	assert_non_null(strstr(err.msg, "\"dispatch\" is not allowed; allowed next: move, to_buffer, "
	                                "reserve, scrap, transfer_out"));
	teardown_walk(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refusal_wording),
		cmocka_unit_test(swedish_station_names_no_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
