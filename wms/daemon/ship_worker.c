/*
 * ship_worker.c - ships the depot's ledger to the hub from a thread of its
 * own (see ship_worker.h).  Scanning never waits for it: the ledger in
 * SQLite is the only channel between the loop and this thread, and the
 * hub's cursor (advanced in the central transaction) says what has arrived,
 * so a crash or a cut link at any point loses and duplicates nothing.
 */
#include "ship_worker.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub.h"
#include "log.h"
#include "wms_config.h"
#include "wms_depot.h"
#include "wms_export.h"

#define INTERVAL_MS 1000
#define BACKOFF_MAX_MS 60000

struct ship_worker {
	pthread_t thread;
	atomic_int stop;
	struct central_conf conf;
	const struct wms_config *core;  /* the hub's calendars and cut-offs (outlives the thread) */
	char db[4096];
};

/* The hub's latest report (hub role), read by the HTTP handlers on the loop. */
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *report;
static char report_error[sizeof ((struct wms_error *)0)->msg];

static void report_set(json_t *fresh, const char *error)
{
	pthread_mutex_lock(&report_lock);
	if (fresh) {
		json_decref(report);
		report = fresh;
		report_error[0] = '\0';
	} else
		snprintf(report_error, sizeof report_error, "%s", error);
	pthread_mutex_unlock(&report_lock);
}

json_t *central_report(char *why, size_t size)
{
	json_t *copy = NULL;

	pthread_mutex_lock(&report_lock);
	if (report)
		copy = json_deep_copy(report);
	snprintf(why, size, "%s", report_error[0] ? report_error
	                          : report ? "" : "no report from the hub's database yet");
	pthread_mutex_unlock(&report_lock);
	return copy;
}

int central_conf_key(struct central_conf *c, const char *key, const char *value, struct wms_error *err)
{
	if (strcmp(key, "conninfo") == 0) {
		if (strlen(value) >= sizeof c->conninfo)
			return wms_error_set(err, WMS_ECONFIG, "conninfo: longer than %zu bytes", sizeof c->conninfo - 1);
		snprintf(c->conninfo, sizeof c->conninfo, "%s", value);
		return 0;
	}
	if (strcmp(key, "batch") == 0)
		return wms_parse_int(value, 1, 100000, &c->batch, err) < 0 ? WMS_ECONFIG : 0;
	if (strcmp(key, "timeout") == 0)
		return wms_parse_int(value, 1, 3600, &c->timeout, err) < 0 ? WMS_ECONFIG : 0;
	if (strcmp(key, "role") == 0) {
		if (strcmp(value, "depot") != 0 && strcmp(value, "hub") != 0)
			return wms_error_set(err, WMS_ECONFIG, "role: \"%.40s\"; allowed: depot (ships its ledger), "
			                     "hub (serves the region from conninfo)", value);
		c->hub = strcmp(value, "hub") == 0;
		return 0;
	}
	return wms_error_set(err, WMS_ECONFIG, "unknown key \"%.40s\" in [central]; allowed: conninfo, batch, timeout, "
	                     "role", key);
}

static void pause_ms(struct ship_worker *w, long ms)
{
	struct timespec step = { 0, 100 * 1000000L };

	for (long waited = 0; waited < ms && !atomic_load(&w->stop); waited += 100)
		nanosleep(&step, NULL);
}

/* The hub role's pass: the catalogue of its own database published when it
 * changed, projections up to date, then a fresh report. */
static int hub_pass(struct ship_worker *w, struct pg_conn *hub, struct wms_store *s, unsigned long long *mark,
                    long *n, struct wms_error *err)
{
	const struct wms_config *cfg = w->core;
	struct wms_leadtime_opts o = { 0 };
	json_t *fresh;
	long published;
	int rc;

	if ((rc = hub_catalog_publish(hub, s, mark, &published, err)) < 0)
		return rc;
	if (published > 0)
		wmsd_log_info("hub: %ld catalogue row(s) published to the depots", published);
	wms_leadtime_rules_of(&o, cfg);        /* the rules every door of the depots uses */
	if ((rc = hub_project(hub, &o, n, err)) < 0)
		return rc;
	if ((fresh = hub_report(hub, cfg->target_days, err)) == NULL)
		return err->code ? err->code : WMS_ENOMEM;
	report_set(fresh, NULL);
	*n = 0;                      /* a report every INTERVAL_MS */
	return 0;
}

/* The depot's pull of the hub's catalogue after each shipment; *n grows by
 * what it consumed (a full batch goes on at once). */
static int pull_catalog(struct ship_worker *w, struct pg_conn *hub, struct wms_store *s, const char *depot,
                        long *n, struct wms_error *err)
{
	long pulled, conflicts;
	int rc = hub_catalog_pull(hub, s, depot, (int)(w->conf.batch > 0 ? w->conf.batch : 1000), &pulled,
	                          &conflicts, err);

	if (rc < 0)
		return rc;
	if (pulled > 0)
		wmsd_log_info("hub: %ld catalogue event(s) applied from the hub", pulled);
	if (conflicts > 0)
		wmsd_log_warn("hub: %ld catalogue row(s) defined here otherwise than at the hub: kept, listed "
		              "on the hub for a person", conflicts);
	*n += pulled;
	return 0;
}

static void *run(void *arg)
{
	struct ship_worker *w = arg;
	struct wms_store *s = NULL;
	struct pg_conn *hub = NULL;
	struct wms_error err = { 0 };
	char depot[WMS_DEPOT_CODE_MAX + 1], epoch[17];
	struct hub_link link = { (int)w->conf.timeout, &w->stop };
	long backoff = 0;
	long long upto;
	unsigned long long mark = 0;
	bool renewed;

	/* the depot's ledger to ship and catalogue to update; the hub's catalogue to publish */
	if (wms_store_open(w->db, NULL, &s, &err) < 0) {
		wmsd_log_err("%s stopped: %s", w->conf.hub ? "hub report" : "hub shipping", err.msg);
		return NULL;
	}
	while (!atomic_load(&w->stop)) {
		long n = 0;
		int rc;

		wms_error_clear(&err);
		if (w->conf.hub) {
			rc = 0;
			if (hub == NULL) {
				rc = hub_open(w->conf.conninfo, &link, &hub, &err);
				mark = 0;            /* a new connection publishes what differs, whatever came before */
			}
			if (rc == 0)
				rc = hub_pass(w, hub, s, &mark, &n, &err);
			else
				report_set(NULL, err.msg);
			goto done;
		}
		/* the depot and epoch are read each time: `wms hub new-epoch` takes effect at once */
		rc = wms_depot_default(s, depot, &err);
		/* before each connection: a database restored from an older backup
		 * (it lacks the last event the hub was known to hold) gets a new epoch */
		if (rc == 0 && hub == NULL && (rc = wms_ledger_check_mark(s, &renewed, &err)) == 0 && renewed)
			wmsd_log_warn("hub shipping: the database lacks events the hub holds (restored from an "
			              "older backup?): a new ledger epoch starts");
		if (rc == 0)
			rc = wms_ledger_epoch(s, epoch, &err);
		if (rc == 0 && hub == NULL)
			rc = hub_open(w->conf.conninfo, &link, &hub, &err);
		if (rc == 0)
			rc = hub_ship(hub, s, depot, epoch, (int)(w->conf.batch > 0 ? w->conf.batch : 1000), &n,
			              &upto, &err);
		if (rc == 0 && n > 0 && wms_ledger_mark(s, upto, &err) < 0) {
			/* shipped all the same; only a restore goes unnoticed until the hub refuses it */
			wmsd_log_warn("hub shipping: %s", err.msg);
			wms_error_clear(&err);
		}
		if (rc == 0)
			rc = pull_catalog(w, hub, s, depot, &n, &err);
done:
		if (rc < 0 && atomic_load(&w->stop))
			break;
		if (rc < 0) {
			hub_close(hub);              /* a fresh connection after any failure */
			hub = NULL;
			backoff = backoff ? backoff * 2 : 1000;
			if (backoff > BACKOFF_MAX_MS)
				backoff = BACKOFF_MAX_MS;
			wmsd_log_warn("%s: %s; next try in %ld s", w->conf.hub ? "hub report" : "hub shipping", err.msg,
			              backoff / 1000);
			pause_ms(w, backoff);
			continue;
		}
		if (backoff)
			wmsd_log_info("%s: link back", w->conf.hub ? "hub report" : "hub shipping");
		backoff = 0;
		if (n == 0)
			pause_ms(w, INTERVAL_MS);    /* up to date; a full batch goes on at once */
	}
	hub_close(hub);
	wms_store_close(s);
	return NULL;
}

int ship_worker_start(const struct central_conf *conf, const struct wms_config *core, const char *db,
                      struct ship_worker **out, struct wms_error *err)
{
	struct ship_worker *w;
	int rc;

	*out = NULL;
	if (conf->conninfo[0] == '\0')
		return conf->hub ? wms_error_set(err, WMS_ECONFIG, "[central] role = hub needs conninfo (the hub's "
		                                 "PostgreSQL, libpq syntax)") : 0;
	if ((w = calloc(1, sizeof *w)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory starting hub shipping");
	w->conf = *conf;
	w->core = core;
	if (strlen(db) >= sizeof w->db) {
		free(w);
		return wms_error_set(err, WMS_EINVAL, "database path too long for hub shipping");
	}
	strcpy(w->db, db);
	atomic_init(&w->stop, 0);
	if ((rc = pthread_create(&w->thread, NULL, run, w)) != 0) {
		free(w);
		return wms_error_set(err, WMS_EIO, "cannot start the hub shipping thread: %s", strerror(rc));
	}
	wmsd_log_info(conf->hub ? "hub: serving the region's report from its database"
	                        : "hub shipping: worker started");
	*out = w;
	return 0;
}

void ship_worker_stop(struct ship_worker *w)
{
	if (w == NULL)
		return;
	atomic_store(&w->stop, 1);
	pthread_join(w->thread, NULL);
	free(w);
}
