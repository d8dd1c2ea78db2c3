/*
 * dash_panels_test.c - the dashboard's rentals, reconditioning and print
 * queue panels (wms/daemon/dash_panels.h) on a real SQLite store with known
 * rows: each panel's data against counts by independent SQL queries, the
 * core's monthly rental report and working days from the calendar; the
 * HTML (English and Swedish, exact values in data-value) and the CSV (the
 * same number of columns on every line) rendered from that data; and the
 * months a filter chooses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core_fixture.h"
#include "dash_panels.h"
#include "recon.h"
#include "wms_config.h"
#include "wms_outbox.h"
#include "wms_rental.h"
#include "wms_rules.h"

static wms_time t(const char *text)
{
	wms_time v = 0;

	assert_int_equal(wms_time_parse(text, &v, NULL), 0);
	return v;
}

static void ok(int rc, const struct wms_error *err)
{
	if (rc != 0)
		fail_msg("expected success: %s", err->msg);
}

static long long num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* A count by an SQL query of the test's own, with ?1 bound to an instant. */
static long long count_at(struct fixture *f, const char *sql, wms_time at)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;

	assert_int_equal(sqlite3_prepare_v2(wms_store_db(f->s), sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, at);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* A device in stock ordered by customer (order O-<number>), delivered and rented out at `at`. */
static void order_and_rent(struct fixture *f, const char *serial, const char *number, const char *product,
                           const char *customer, const char *at)
{
	struct wms_error err = { 0 };
	wms_time rent_at = t(at);

	ok(APPLY(f, &err, .type = WMS_EV_ORDER_CREATE, .order = number, .customer = customer, .product = product,
	         .mode = "unit", .at = rent_at - 5 * 3600), &err);
	ok(APPLY(f, &err, .type = WMS_EV_RESERVE, .serial = serial, .order = number, .at = rent_at - 4 * 3600), &err);
	ok(APPLY(f, &err, .type = WMS_EV_PICK, .serial = serial, .at = rent_at - 3 * 3600), &err);
	ok(APPLY(f, &err, .type = WMS_EV_DISPATCH, .serial = serial, .at = rent_at - 2 * 3600), &err);
	ok(APPLY(f, &err, .type = WMS_EV_DELIVER, .serial = serial, .at = rent_at - 3600), &err);
	ok(APPLY(f, &err, .type = WMS_EV_RENT, .serial = serial, .at = rent_at), &err);
}

static void rent(struct fixture *f, const char *serial, const char *product, const char *customer,
                 const char *at)
{
	struct wms_error err = { 0 };
	char number[16];

	snprintf(number, sizeof number, "O-%s", serial);
	ok(APPLY(f, &err, .type = WMS_EV_RECEIVE, .serial = serial, .product = product, .at = t("2025-12-01T08:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_MOVE, .serial = serial, .location = "A-01-01", .at = t("2025-12-01T09:00")), &err);
	order_and_rent(f, serial, number, product, customer, at);
}

#define NOW "2026-04-08T12:00"

/* Reconditioning as a technician does it (the ledger takes recon events only from a
 * checklist run): start, the one step passed, then approve to `shelf` or scrap for
 * `reason`.  The checklists live in a directory of their own for the call. */
static void recondition(struct fixture *f, const char *serial, const char *start, const char *end,
                        const char *shelf, const char *reason)
{
	static const char *const products[] = { "BPM", "SCALE" };
	struct recon_config cfg = { 0 };
	struct recon_who who = { .at = t(start), .station = "REKOND-1", .actor = "tek7",
	                         .role = WMS_ROLE_TECHNICIAN };
	struct recon_finish_req req = { .outcome = shelf ? RECON_APPROVE : RECON_SCRAP, .location = shelf,
	                                .text = reason };
	struct wms_error err = { 0 };
	char dir[] = "/tmp/wms-dash-recon-XXXXXX", path[96];
	FILE *file;

	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s.checklist", dir, products[i]);
		assert_non_null(file = fopen(path, "w"));
		fprintf(file, "product %s\nversion 1\nstep CLEAN check \"Rengöring\"\n", products[i]);
		fclose(file);
	}
	snprintf(cfg.checklists, sizeof cfg.checklists, "%s", dir);
	ok(recon_start(f->s, &cfg, serial, &who, NULL, &err), &err);
	ok(recon_step(f->s, serial, "CLEAN", "pass", NULL, &who, NULL, &err), &err);
	who.at = t(end);
	ok(recon_finish(f->s, &cfg, serial, &req, &who, NULL, &err), &err);
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s.checklist", dir, products[i]);
		unlink(path);
	}
	rmdir(dir);
}

/*
 * Rentals: A (BPM, Mölndal) out since January; B (BPM, Borås) February to
 * the rent stop of 5 March, back on the 10th; C (SCALE, Borås) out since
 * March; D (BPM, Mölndal) out since March, picked up later (rent stop 20
 * April, so still charged now); E (SCALE, Mölndal) 2-20 March, then
 * reconditioned and out again to Borås since 27 March (so in March it
 * counts for both customers, as the monthly rental report counts it).
 * Reconditioning: E approved 25 March, B approved 2 April, F (BPM) returned
 * 1 April and scrapped, G (SCALE) back 7 April and waiting.
 * Print queue: lager 2 queued (one with a reason), kontor 1 failed, 1
 * printed, 1 cancelled.
 */
static struct fixture *world(void)
{
	struct fixture *f = fixture_new();
	struct wms_error err = { 0 };
	long long id;
	struct wms_outbox_job job = { 0 };

	rent(f, "A", "BPM", "VC-MOLNDAL", "2026-01-15T10:00");
	rent(f, "B", "BPM", "BORAS", "2026-02-10T10:00");
	rent(f, "C", "SCALE", "BORAS", "2026-03-01T10:00");
	rent(f, "D", "BPM", "VC-MOLNDAL", "2026-03-20T10:00");
	rent(f, "E", "SCALE", "VC-MOLNDAL", "2026-03-02T10:00");
	rent(f, "F", "BPM", "BORAS", "2026-03-03T10:00");
	rent(f, "G", "SCALE", "BORAS", "2026-03-04T10:00");
	ok(APPLY(f, &err, .type = WMS_EV_EXPECT_RETURN, .serial = "B", .rent_stop = "2026-03-05",
	         .at = t("2026-03-02T10:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_RETURN, .serial = "B", .at = t("2026-03-10T10:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_EXPECT_RETURN, .serial = "D", .rent_stop = "2026-04-20",
	         .at = t("2026-04-02T10:00")), &err);
	ok(APPLY(f, &err, .type = WMS_EV_RETURN, .serial = "E", .at = t("2026-03-20T10:00")), &err);
	recondition(f, "E", "2026-03-23T09:00", "2026-03-25T15:00", "A-01-02", NULL);
	order_and_rent(f, "E", "O-E2", "SCALE", "BORAS", "2026-03-27T14:00");
	recondition(f, "B", "2026-03-11T09:00", "2026-04-02T15:00", "A-01-02", NULL);
	ok(APPLY(f, &err, .type = WMS_EV_RETURN, .serial = "F", .at = t("2026-04-01T10:00")), &err);
	recondition(f, "F", "2026-04-02T09:00", "2026-04-02T10:00", NULL, "cracked");
	ok(APPLY(f, &err, .type = WMS_EV_RETURN, .serial = "G", .at = t("2026-04-07T10:00")), &err);

	ok(wms_outbox_enqueue(f->s, &(struct wms_outbox_new){ .kind = "label", .target = "lager", .payload = "{}" },
	                      t("2026-04-08T09:00"), &id, &err), &err);
	ok(wms_outbox_retry_later(f->s, id, t("2026-04-08T09:01"), "cannot reach CUPS server 127.0.0.1:9", 0, &err),
	   &err);
	ok(wms_outbox_enqueue(f->s, &(struct wms_outbox_new){ .kind = "label", .target = "lager", .payload = "{}" },
	                      t("2026-04-08T11:00"), &id, &err), &err);
	ok(wms_outbox_enqueue(f->s, &(struct wms_outbox_new){ .kind = "label", .target = "kontor", .payload = "{}" },
	                      t("2026-04-07T11:00"), &id, &err), &err);
	ok(wms_outbox_fail(f->s, id, t("2026-04-07T11:05"), "printer 'kontor' is not configured", &err), &err);
	ok(wms_outbox_enqueue(f->s, &(struct wms_outbox_new){ .kind = "label", .target = "kontor", .payload = "{}" },
	                      t("2026-04-07T12:00"), &id, &err), &err);
	ok(wms_outbox_cancel(f->s, id, t("2026-04-07T12:01"), &err), &err);
	ok(wms_outbox_enqueue(f->s, &(struct wms_outbox_new){ .kind = "label", .target = "kontor", .payload = "{}" },
	                      t("2026-04-07T13:00"), &id, &err), &err);
	assert_int_equal(wms_outbox_claim(f->s, "label", t("2026-04-07T13:00"), &job, &err), 1);
	assert_int_equal(job.id, id);
	ok(wms_outbox_submitted(f->s, id, 42, &err), &err);
	ok(wms_outbox_printed(f->s, id, t("2026-04-07T13:01"), &err), &err);
	wms_outbox_job_clear(&job);
	return f;
}

static void filter(struct dash_filter *fl, const char *from, const char *to, const char *product,
                   const char *customer)
{
	*fl = (struct dash_filter){ 0 };
	snprintf(fl->from, sizeof fl->from, "%s", from);
	snprintf(fl->to, sizeof fl->to, "%s", to);
	snprintf(fl->product, sizeof fl->product, "%s", product);
	snprintf(fl->customer, sizeof fl->customer, "%s", customer);
}

static const json_t *row(const json_t *rows, const char *key, const char *value)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r)
		if (strcmp(json_string_value(json_object_get(r, key)), value) == 0)
			return r;
	fail_msg("no row %s = %s", key, value);
	return NULL;
}

static char *render(void (*fn)(struct dash_buf *, const char *, const json_t *, const struct dash_filter *),
                    const char *lang, const json_t *d, const struct dash_filter *fl)
{
	struct dash_buf b = { 0 };
	char *s;

	fn(&b, lang, d, fl);
	s = dash_buf_take(&b);
	assert_non_null(s);
	return s;
}

static void contains(const char *text, const char *what)
{
	if (strstr(text, what) == NULL)
		fail_msg("the text lacks \"%s\"", what);
}

/* Every line of a CSV text has as many fields as its header (no quoted commas here). */
static void csv_shape(const char *csv, int *lines)
{
	int want = -1, n = 0;

	for (const char *p = csv; *p;) {
		const char *e = strstr(p, "\r\n");
		int fields = 1;
		assert_non_null(e);
		for (const char *q = p; q < e; q++)
			fields += *q == ',';
		if (want < 0)
			want = fields;
		else if (fields != want)
			fail_msg("CSV line %d has %d fields, the header %d: %.*s", n + 1, fields, want, (int)(e - p), p);
		n++;
		p = e + 2;
	}
	*lines = n;
}

static char *csv(void (*fn)(struct dash_buf *, const json_t *), const json_t *d, int *lines)
{
	struct dash_buf b = { 0 };
	char *s;

	fn(&b, d);
	s = dash_buf_take(&b);
	assert_non_null(s);
	csv_shape(s, lines);
	return s;
}

static void rentals_panel(void **state)
{
	struct fixture *f = world();
	struct wms_error err = { 0 };
	struct dash_filter fl;
	wms_time now = t(NOW);
	json_t *d, *rep, *months;
	const json_t *out;
	char *html, *text, line[96];
	int lines;

	filter(&fl, "2026-01-01", "", "", "");
	d = dash_rentals_data(f->s, &fl, now, &err);
	if (d == NULL)
		fail_msg("rentals: %s", err.msg);
	out = json_object_get(d, "out");
	/* out now: A, C, D, E (D is expected back, but its rent stops only on 20 April) */
	assert_int_equal(num(out, "total"), 4);
	assert_int_equal(num(out, "total"),
	                 count_at(f, "SELECT count(*) FROM rentals WHERE start_ts <= ?1 AND"
	                             " (end_ts IS NULL OR end_ts > ?1)", now));
	assert_int_equal(num(row(json_object_get(out, "by_product"), "product", "BPM"), "devices"), 2);
	assert_int_equal(num(row(json_object_get(out, "by_product"), "product", "SCALE"), "devices"), 2);
	assert_int_equal(num(row(json_object_get(out, "by_customer"), "customer", "VC-MOLNDAL"), "devices"), 2);
	assert_int_equal(num(row(json_object_get(out, "by_customer"), "customer", "BORAS"), "devices"), 2);
	assert_int_equal(num(row(json_object_get(out, "by_customer"), "customer", "BORAS"), "devices"),
	                 count_at(f, "SELECT count(*) FROM rentals r JOIN customers c ON c.id = r.customer_id"
	                             " WHERE c.code = 'BORAS' AND start_ts <= ?1 AND (end_ts IS NULL OR end_ts > ?1)",
	                             now));
	/* months January..April, each as the monthly rental report counts it */
	months = json_object_get(d, "months");
	assert_int_equal(json_array_size(months), 4);
	for (int m = 1; m <= 4; m++) {
		const json_t *mr = json_array_get(months, (size_t)m - 1);
		char from[32], to[32], sql[256];
		rep = wms_rental_report(f->s, 2026, m, now, &err);
		assert_non_null(rep);
		assert_string_equal(json_string_value(json_object_get(mr, "month")),
		                    json_string_value(json_object_get(rep, "month")));
		assert_int_equal(num(mr, "devices"), num(json_object_get(rep, "total"), "devices"));
		assert_int_equal(num(mr, "rental_days"), num(json_object_get(rep, "total"), "rental_days"));
		json_decref(rep);
		snprintf(from, sizeof from, "2026-%02d-01", m);
		snprintf(to, sizeof to, "2026-%02d-01", m + 1);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM rentals WHERE start_ts < ?1 AND start_ts >= %lld"
		         " AND start_ts < %lld", (long long)t(from), (long long)t(to));
		assert_int_equal(num(mr, "started"), count_at(f, sql, now));
	}
	/* March: A..G, and E for both customers */
	assert_int_equal(num(json_array_get(months, 2), "devices"), 8);
	assert_int_equal(num(json_array_get(months, 2), "started"), 6);
	/* the page, in English and in Swedish */
	html = render(dash_rentals_html, "en", d, &fl);
	contains(html, "<section class=\"panel\" id=\"rentals\"><h2>Rentals</h2>");
	contains(html, "id=\"rent-out\"><h2>Out on rent now</h2><p class=\"value\" data-value=\"4\">4</p>");
	contains(html, "href=\"/dashboard/rentals.csv?from=2026-01-01&amp;lang=en\" download>Export CSV</a>");
	assert_non_null(strstr(html, "<rect class=\"bar\""));
	snprintf(line, sizeof line, "data-value=\"8\"><title>2026-03: 8</title>");
	contains(html, line);
	contains(html, "<th scope=\"row\">BPM</th><td>Digital blood-pressure monitor</td><td class=\"num\" "
	               "data-value=\"2\">2</td>");
	free(html);
	html = render(dash_rentals_html, "sv", d, &fl);
	contains(html, "<h2>Uthyrning</h2>");
	contains(html, "<td>Digital blodtrycksmätare</td>");
	free(html);
	text = csv(dash_rentals_csv, d, &lines);
	assert_int_equal(lines, 1 + 1 + 2 + 2 + 4);
	contains(text, "section,key,name,devices,rental_days,started\r\nout_total,,,4,,\r\n");
	contains(text, "out_customer,BORAS,Borås stad,2,,\r\n");
	snprintf(line, sizeof line, "month,2026-03,,8,%lld,6\r\n", num(json_array_get(months, 2), "rental_days"));
	contains(text, line);
	free(text);
	json_decref(d);

	/* filters: one product, one customer */
	filter(&fl, "", "", "BPM", "VC-MOLNDAL");
	d = dash_rentals_data(f->s, &fl, now, &err);
	assert_non_null(d);
	assert_int_equal(num(json_object_get(d, "out"), "total"), 2);
	assert_int_equal(json_array_size(json_object_get(d, "months")), 12);
	assert_int_equal(num(json_array_get(json_object_get(d, "months"), 11), "devices"), 2);   /* April: A, D */
	assert_int_equal(num(json_array_get(json_object_get(d, "months"), 10), "devices"), 2);   /* March: A, D */
	json_decref(d);
	filter(&fl, "", "", "", "NOBODY");
	d = dash_rentals_data(f->s, &fl, now, &err);
	assert_int_equal(num(json_object_get(d, "out"), "total"), 0);
	html = render(dash_rentals_html, "en", d, &fl);
	contains(html, "No rentals in these months");
	free(html);
	json_decref(d);
	fixture_free(f);
}

static void recon_panel(void **state)
{
	struct fixture *f = world();
	struct wms_error err = { 0 };
	struct wms_calendar *cal = NULL;
	struct wms_config *cfg = NULL;
	struct dash_filter fl;
	wms_time now = t(NOW);
	const json_t *turn, *months, *queue;
	json_t *d;
	char *html, *text, want[160];
	int lines, e_days, b_days, g_age;

	assert_int_equal(wms_calendar_new(NULL, &cal, &err), 0);
	assert_int_equal(wms_config_load(NULL, NULL, NULL, &cfg, &err), 0);
	/* working days from the return to the approval, and since G's return, by the calendar */
	e_days = wms_calendar_workdays(cal, wms_date_from_ymd(2026, 3, 20), wms_date_from_ymd(2026, 3, 25));
	b_days = wms_calendar_workdays(cal, wms_date_from_ymd(2026, 3, 10), wms_date_from_ymd(2026, 4, 2));
	g_age = wms_calendar_workdays(cal, wms_date_from_ymd(2026, 4, 7), wms_date_from_ymd(2026, 4, 8));
	assert_int_equal(e_days, 3);
	assert_int_equal(b_days, 17);
	setenv("WMS_NOW", NOW, 1);             /* recon_report's queue ages are up to now */
	filter(&fl, "2026-01-01", "", "", "VC-MOLNDAL");   /* the customer filter does not apply */
	d = dash_recon_data(f->s, cfg, &fl, now, &err);
	if (d == NULL)
		fail_msg("recon: %s", err.msg);
	turn = json_object_get(d, "turnaround_workdays");
	assert_int_equal(num(json_object_get(turn, "total"), "count"),
	                 count_at(f, "SELECT count(*) FROM events WHERE type = 'recon_approve' AND ts >= ?1", t("2026-01-01")));
	months = json_object_get(turn, "by_month");
	assert_int_equal(json_array_size(months), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(months, 0), "month")), "2026-03");
	assert_int_equal(num(json_array_get(months, 0), "median"), e_days);
	assert_string_equal(json_string_value(json_object_get(json_array_get(months, 1), "month")), "2026-04");
	assert_int_equal(num(json_array_get(months, 1), "p90"), b_days);
	queue = json_object_get(d, "queue_age_workdays");
	assert_int_equal(num(json_object_get(queue, "total"), "count"),
	                 count_at(f, "SELECT count(*) FROM devices WHERE state IN ('quarantine', 'in_recon')"
	                             " AND ?1 > 0", now));
	assert_int_equal(num(json_object_get(queue, "total"), "max"), g_age);
	assert_int_equal(num(row(json_object_get(queue, "by_product"), "product", "SCALE"), "count"), 1);
	assert_int_equal(json_array_size(json_object_get(queue, "by_product")), 1);
	assert_int_equal(num(row(json_object_get(d, "outcomes"), "product", "BPM"), "scrapped"), 1);
	assert_int_equal(num(row(json_object_get(d, "outcomes"), "product", "BPM"), "approved"), 1);
	html = render(dash_recon_html, "en", d, &fl);
	contains(html, "<section class=\"panel\" id=\"recon\"><h2>Reconditioning</h2>");
	contains(html, "Turnaround and outcomes: 2026-01-01 to today.");
	contains(html, "The customer filter does not apply.");
	contains(html, "id=\"recon-queue\"><h2>Waiting or in reconditioning</h2><p class=\"value\" data-value=\"1\">");
	snprintf(want, sizeof want, "id=\"recon-p90\"><h2>Turnaround, 90th percentile (working days)</h2>"
	         "<p class=\"value\" data-value=\"%d\">", b_days);
	contains(html, want);
	/* 3 finished runs (E, B approved; F scrapped): a third scrapped */
	contains(html, "id=\"recon-scrap-rate\"><h2>Scrapped</h2><p class=\"value\" data-value=\"0.333333\">33.3 %</p>");
	contains(html, "<title>2026-03: 3</title>");
	free(html);
	html = render(dash_recon_html, "sv", d, &fl);
	contains(html, "<h2>Rekonditionering</h2>");
	contains(html, "Kundfiltret gäller inte här.");
	free(html);
	text = csv(dash_recon_csv, d, &lines);
	contains(text, "section,key,count,median,p90,max,started,approved,repair,scrapped,repair_rate,scrap_rate\r\n");
	snprintf(want, sizeof want, "turnaround_month,2026-03,1,%d,%d,%d,,,,,,\r\n", e_days, e_days, e_days);
	contains(text, want);
	contains(text, "outcome,BPM,,,,,2,1,0,1,0.000,0.500\r\n");
	/* every device is Mölndal's: its row is the whole */
	snprintf(want, sizeof want, "depot,ML,2,%d,%d,%d,", e_days, b_days, b_days);
	contains(text, want);
	free(text);
	html = render(dash_recon_html, "en", d, &fl);
	contains(html, "<section class=\"breakdown\" id=\"recon-by-depot\"><h3>By depot</h3>");
	contains(html, "<th scope=\"row\">ML HMC Mölndal</th>");
	free(html);
	{
		/* the depot filter: Mölndal's figures are the whole; an unknown depot is refused */
		char *all = json_dumps(json_object_get(d, "turnaround_workdays"), JSON_SORT_KEYS), *ml;
		json_t *dm;
		snprintf(fl.depot, sizeof fl.depot, "ML");
		dm = dash_recon_data(f->s, cfg, &fl, now, &err);
		assert_non_null(dm);
		ml = json_dumps(json_object_get(dm, "turnaround_workdays"), JSON_SORT_KEYS);
		assert_string_equal(all, ml);
		assert_string_equal(json_string_value(json_object_get(dm, "depot")), "ML");
		free(all);
		free(ml);
		json_decref(dm);
		snprintf(fl.depot, sizeof fl.depot, "XX");
		assert_null(dash_recon_data(f->s, cfg, &fl, now, &err));
		assert_non_null(strstr(err.msg, "unknown depot \"XX\"; known depots: ML"));
		fl.depot[0] = '\0';
	}
	json_decref(d);

	/* one product: SCALE had E approved and G waiting */
	filter(&fl, "2026-01-01", "2026-03-31", "SCALE", "");
	d = dash_recon_data(f->s, cfg, &fl, now, &err);
	assert_non_null(d);
	turn = json_object_get(d, "turnaround_workdays");
	assert_int_equal(num(json_object_get(turn, "total"), "count"), 1);
	assert_int_equal(json_array_size(json_object_get(turn, "by_month")), 1);
	assert_int_equal(num(json_object_get(json_object_get(d, "queue_age_workdays"), "total"), "count"), 1);
	assert_int_equal(json_array_size(json_object_get(d, "outcomes")), 1);
	html = render(dash_recon_html, "en", d, &fl);
	contains(html, "Turnaround and outcomes: 2026-01-01 to 2026-03-31.");
	free(html);
	json_decref(d);

	/* nothing of a product type: empty charts and tables, zeros */
	filter(&fl, "", "", "NONE", "");
	d = dash_recon_data(f->s, cfg, &fl, now, &err);
	assert_non_null(d);
	assert_int_equal(json_array_size(json_object_get(json_object_get(d, "turnaround_workdays"), "by_month")), 0);
	html = render(dash_recon_html, "en", d, &fl);
	contains(html, "No device came back to stock in this selection");
	contains(html, "id=\"recon-scrap-rate\"><h2>Scrapped</h2><p class=\"value\" data-value=\"0\">0.0 %</p>");
	free(html);
	text = csv(dash_recon_csv, d, &lines);
	contains(text, "\r\nqueue,,0,,,,,,,,,\r\n");
	assert_int_equal(lines, 4);    /* header, queue, turnaround, depot ML */
	free(text);
	json_decref(d);
	unsetenv("WMS_NOW");
	wms_calendar_free(cal);
	wms_config_free(cfg);
	fixture_free(f);
}

static void print_queue_panel(void **state)
{
	struct fixture *f = world();
	struct wms_error err = { 0 };
	struct dash_filter fl;
	wms_time now = t(NOW);
	const json_t *lager, *kontor, *totals;
	json_t *d;
	char *html, *text, want[200];
	int lines;

	filter(&fl, "", "", "", "");
	d = dash_printq_data(f->s, now, &err);
	if (d == NULL)
		fail_msg("print queue: %s", err.msg);
	totals = json_object_get(d, "totals");
	assert_int_equal(num(totals, "queued"), count_at(f, "SELECT count(*) FROM outbox WHERE state = 'queued' AND ?1", 1));
	assert_int_equal(num(totals, "queued"), 2);
	assert_int_equal(num(totals, "failed"), 1);
	assert_int_equal(num(totals, "printed"), 1);
	assert_int_equal(num(totals, "cancelled"), 1);
	assert_int_equal(num(totals, "oldest_queued_ts"), t("2026-04-08T09:00"));
	lager = row(json_object_get(d, "by_printer"), "printer", "lager");
	kontor = row(json_object_get(d, "by_printer"), "printer", "kontor");
	assert_int_equal(num(lager, "queued"), 2);
	assert_int_equal(num(lager, "failed"), 0);
	assert_string_equal(json_string_value(json_object_get(lager, "waiting_reason")),
	                    "cannot reach CUPS server 127.0.0.1:9");
	assert_int_equal(num(kontor, "failed"), 1);
	assert_int_equal(num(kontor, "printed"), 1);
	assert_true(json_is_null(json_object_get(kontor, "oldest_queued_ts")));
	assert_int_equal(json_array_size(json_object_get(d, "failed")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(d, "failed"), 0), "reason")),
	                    "printer 'kontor' is not configured");
	html = render(dash_printq_html, "en", d, &fl);
	contains(html, "<section class=\"panel\" id=\"print-queue\"><h2>Print queue</h2>");
	contains(html, "id=\"printq-queued\"><h2>Queued</h2><p class=\"value\" data-value=\"2\">2</p>");
	/* 09:00 to 12:00: three hours */
	contains(html, "id=\"printq-oldest\"><h2>Oldest queued job</h2><p class=\"value\" data-value=\"10800\">"
	               "3 h 0 min</p>");
	contains(html, "<td class=\"num late\" data-state=\"failed\">1</td>");
	contains(html, "<td>printer &#39;kontor&#39; is not configured</td>");
	contains(html, "<td>2026-04-07 11:00</td>");
	free(html);
	html = render(dash_printq_html, "sv", d, &fl);
	contains(html, "<h2>Utskriftskö</h2>");
	free(html);
	text = csv(dash_printq_csv, d, &lines);
	assert_int_equal(lines, 1 + 2 + 1);
	contains(text, "printer,kontor,,0,0,1,1,1,,,\r\n");
	contains(text, "printer,lager,,2,0,0,0,0,10800,,cannot reach CUPS server 127.0.0.1:9\r\n");
	snprintf(want, sizeof want, "failed,kontor,%lld,,,,,,,0,printer 'kontor' is not configured\r\n",
	         num(json_array_get(json_object_get(d, "failed"), 0), "id"));
	contains(text, want);
	free(text);
	json_decref(d);
	fixture_free(f);
}

static void months_of_a_filter(void **state)
{
	struct dash_filter fl;
	int y, m, n;

	filter(&fl, "", "", "", "");
	dash_panel_months(&fl, t("2026-04-08T12:00"), &y, &m, &n);
	assert_int_equal(y * 100 + m, 202505);
	assert_int_equal(n, 12);
	filter(&fl, "2026-01-15", "2026-03-02", "", "");
	dash_panel_months(&fl, t("2026-04-08T12:00"), &y, &m, &n);
	assert_int_equal(y * 100 + m, 202601);
	assert_int_equal(n, 3);
	filter(&fl, "", "2026-02-10", "", "");
	dash_panel_months(&fl, t("2026-04-08T12:00"), &y, &m, &n);
	assert_int_equal(y * 100 + m, 202503);
	assert_int_equal(n, 12);
	filter(&fl, "2020-01-01", "", "", "");
	dash_panel_months(&fl, t("2026-04-08T12:00"), &y, &m, &n);
	assert_int_equal(y * 100 + m, 202305);
	assert_int_equal(n, WMS_RENTAL_MONTHS_MAX);
	/* 31 December 23:30 UTC is already January in Stockholm */
	filter(&fl, "", "", "", "");
	dash_panel_months(&fl, t("2026-12-31T23:30Z"), &y, &m, &n);
	assert_int_equal(y * 100 + m, 202602);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rentals_panel),
		cmocka_unit_test(recon_panel),
		cmocka_unit_test(print_queue_panel),
		cmocka_unit_test(months_of_a_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
