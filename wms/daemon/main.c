/*
 * main.c - wmsd: options, configuration, store, stations, signals and the
 * event loop.
 *
 * Signal handlers only set a volatile sig_atomic_t flag and write one byte
 * to a self-pipe so that poll() wakes; the work (reload, stop) happens in
 * the loop.  SIGHUP parses the configuration into a fresh struct and swaps
 * it in only when it is valid; a bad file is logged and the old one kept.
 * wmsd never forks: systemd supervises it as Type=notify, and -d only says
 * "log to stderr".
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef WMSD_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "wms_rules.h"
#include "log.h"
#include "loop.h"
#include "print_worker.h"
#include "station_impl.h"
#include "turn.h"
#include "wms_dblock.h"
#include "wms_demo.h"
#include "wms_depot.h"
#include "wms_outbox.h"
#include "wms_patient.h"
#include "wms_store.h"
#include "wms_time.h"
#include "wms_walckpt.h"
#include "wmsd.h"

#define EXIT_CONFIG 7           /* as the CLI: configuration error */
#define REOPEN_MS   5000        /* retry a station whose source is missing */
#define PURGE_MS    (24L * 3600 * 1000)   /* personal data purge: daily */

static volatile sig_atomic_t got_term, got_hup;
static int sig_pipe[2] = { -1, -1 };

struct wmsd {
	const char *conf_path;
	const char *db_override;
	struct wmsd_conf *conf;
	struct wms_store *store;
	struct wms_dblock *lock;         /* one wmsd per database */
	struct loop *loop;
	struct turn *turn;               /* the loop's commit step */
	struct wms_walckpt *ckpt;        /* the store's log checkpointed off the loop */
	int n_stations;
	struct wmsd_station *stations[WMSD_MAX_STATIONS];
	struct http_server *http;
	struct print_worker *print;      /* NULL when no printer is configured */
	bool ready;                      /* READY=1 sent */
	struct ship_worker *ship;        /* NULL when [central] conninfo is empty */
};

static const char *db_path(const struct wmsd *d)
{
	return d->db_override ? d->db_override : d->conf->core->database;
}

/* The print queue's thread, for the printers of the configuration now in force. */
static void start_printing(struct wmsd *d)
{
	struct wms_error err = { 0 };

	print_worker_stop(d->print);
	d->print = NULL;
	if (print_worker_start(&d->conf->printers, &d->conf->courier, db_path(d), &d->print, &err) < 0)
		wmsd_log_err("%s; labels stay queued until it runs", err.msg);
}

/* The hub shipping thread, (re)started with the configuration. */
static void start_shipping(struct wmsd *d)
{
	struct wms_error err = { 0 };

	ship_worker_stop(d->ship);
	d->ship = NULL;
	if (ship_worker_start(&d->conf->central, d->conf->core, db_path(d), &d->ship, &err) < 0)
		wmsd_log_err("hub shipping not started: %s", err.msg);
}

static void on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
	(void)!write(sig_pipe[1], "", 1);
	errno = saved;
}

static void notify(const char *state)
{
#ifdef WMSD_HAVE_SYSTEMD
	sd_notify(0, state);
#else
	(void)state;
#endif
}

/* "N of M stations open", and the first few that are down by name. */
static void stations_text(struct wmsd *d, char *buf, size_t size)
{
	int open = 0, n = 0;
	size_t len;

	for (int i = 0; i < d->n_stations; i++)
		open += wmsd_station_is_open(d->stations[i]);
	len = (size_t)snprintf(buf, size, "%d of %d stations open", open, d->n_stations);
	for (int i = 0; i < d->n_stations && len < size; i++) {
		if (wmsd_station_is_open(d->stations[i]))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s", n++ ? ", " : "; down: ",
		                        wmsd_station_name(d->stations[i]));
	}
}

static void notify_status(struct wmsd *d)
{
	char buf[400], st[320];

	stations_text(d, st, sizeof st);
	snprintf(buf, sizeof buf, "STATUS=%s, %ld scans", st, wmsd_scans_total());
	notify(buf);
}

/* READY=1 once every station configured `required = yes` is open; the
 * others may be down (STATUS= names them). */
static void maybe_ready(struct wmsd *d)
{
	char st[320];

	if (d->ready)
		return;
	for (int i = 0; i < d->n_stations; i++)
		if (d->conf->stations[i].required && !wmsd_station_is_open(d->stations[i]))
			return;
	d->ready = true;
	stations_text(d, st, sizeof st);
	wmsd_log_info("ready: %d stations (%s)", d->n_stations, st);
	notify("READY=1");
}

static void open_station(struct wmsd_station *st)
{
	struct wms_error err = { 0 };

	if (wmsd_station_is_open(st))
		return;
	if (wmsd_station_open(st, &err) < 0) {
		wmsd_log_warn("station %s: %s (retrying)", wmsd_station_name(st), err.msg);
		return;
	}
	wmsd_log_info("station %s: listening", wmsd_station_name(st));
}

static void close_stations(struct wmsd *d)
{
	wmsd_scans_drain();              /* queued scans point at the stations */
	for (int i = 0; i < d->n_stations; i++) {
		wmsd_station_free(d->stations[i]);
		d->stations[i] = NULL;
	}
	d->n_stations = 0;
}

static int start_stations(struct wmsd *d, struct wms_error *err)
{
	int rc;

	for (int i = 0; i < d->conf->n_stations; i++) {
		if ((rc = wmsd_station_new(&d->conf->stations[i], d->conf, d->store, d->loop, &d->stations[i], err)) < 0)
			return rc;
		d->n_stations++;
		open_station(d->stations[i]);
	}
	return 0;
}

static long reopen_timer(struct loop *l, long long id, void *ctx)
{
	struct wmsd *d = ctx;
	struct wms_error err = { 0 };
	int added = 0;

	for (int i = 0; i < d->n_stations; i++)
		open_station(d->stations[i]);
	/* a depot added meanwhile (`wms depot add`) brings its calendar and cut-off
	 * to the reports without a reload: one count of the depots when none was */
	if (wms_depot_calendars_refresh(d->store, d->conf->core, &added, &err) < 0)
		wmsd_log_warn("depots: %s", err.msg);
	else if (added)
		wmsd_log_info("depots: %d new depot(s) read from the store", added);
	maybe_ready(d);
	notify_status(d);
	return REOPEN_MS;
}

/* Personal data is kept only as long as delivery and return need it: once
 * at start and then daily, the patient data of orders closed longer than
 * [privacy] retention_days ago is deleted, and the personal fields of
 * finished print jobs are blanked.  Counts only in the log, never data. */
static long purge_timer(struct loop *l, long long id, void *ctx)
{
	struct wmsd *d = ctx;
	struct wms_error err = { 0 };
	long long patients = 0, jobs = 0;
	wms_time now = wms_now();
	int days = d->conf->core->retention_days;

	(void)l;
	(void)id;
	wmsd_scans_drain();              /* the purge must not run inside a scan batch (no hold) */
	if (wms_patient_purge(d->store, now, days, &patients, &err) < 0 ||
	    wms_outbox_purge_payloads(d->store, now - (wms_time)days * 86400, &jobs, &err) < 0)
		wmsd_log_err("purge of personal data: %s", err.msg);
	else if (patients || jobs)
		wmsd_log_info("purged personal data of %lld order(s) and %lld print job(s) older than "
		              "%d days", patients, jobs, days);
	return PURGE_MS;
}

static long watchdog_timer(struct loop *l, long long id, void *ctx)
{
	long *interval_ms = ctx;

	notify("WATCHDOG=1");
	return *interval_ms;
}

/* wmsd -n -d: the shipped data's directories this configuration uses; a warning
 * for one that cannot be read (the configuration may be checked elsewhere). */
static void data_dirs_show(const struct wmsd_conf *conf)
{
	const char *dirs[][2] = {
		{ "label templates", printq_conf_templates(&conf->printers) },
		{ "checklists", recon_config_checklists(&conf->recon) },
	};

	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		if (access(dirs[i][1], R_OK | X_OK) != 0)
			fprintf(stderr, "wmsd: warning: %s: %s: %s (see [paths] data in wmsd.conf(5))\n",
			        dirs[i][0], dirs[i][1], strerror(errno));
		printf("%s: %s\n", dirs[i][0], dirs[i][1]);
	}
}

static void reload(struct wmsd *d)
{
	struct wmsd_conf *fresh = NULL;
	struct wms_error err = { 0 };

	notify("RELOADING=1");
	if (wmsd_conf_load(d->conf_path, &fresh, &err) < 0 || wmsd_conf_depots(fresh, d->store, &err) < 0) {
		wmsd_conf_free(fresh);
		wmsd_log_err("reload refused, keeping the running configuration: %s", err.msg);
		if (d->ready)
			notify("READY=1");
		return;
	}
	if (d->db_override == NULL && strcmp(fresh->core->database, d->conf->core->database) != 0)
		wmsd_log_warn("reload: [store] database changed; restart wmsd to use %s",
		              fresh->core->database);
	close_stations(d);
	http_set_conf(d->http, fresh);
	ship_worker_stop(d->ship);     /* the hub role reads the configuration it was given */
	d->ship = NULL;
	wmsd_conf_free(d->conf);
	d->conf = fresh;
	wms_rules_set_future_skew(d->conf->core->future_skew);
	start_printing(d);
	start_shipping(d);
	if (start_stations(d, &err) < 0)
		wmsd_log_err("reload: %s", err.msg);
	wmsd_log_info("configuration reloaded: %d stations", d->n_stations);
	if (d->ready)
		notify("READY=1");
	else
		maybe_ready(d);
	notify_status(d);
}

static void on_signal_pipe(struct loop *l, int fd, short revents, void *ctx)
{
	struct wmsd *d = ctx;
	char buf[64];

	(void)revents;

	while (read(fd, buf, sizeof buf) > 0)
		;
	if (got_term) {
		loop_stop(l);
		return;
	}
	if (got_hup) {
		got_hup = 0;
		reload(d);
	}
}

static int setup_signals(struct wms_error *err)
{
	struct sigaction sa = { .sa_handler = on_signal };

	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return wms_error_set(err, WMS_EIO, "pipe: %s", strerror(errno));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGHUP, &sa, NULL) < 0)
		return wms_error_set(err, WMS_EIO, "sigaction: %s", strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	/* a file size limit reached is an error SQLite reports (disk full), not death */
	signal(SIGXFSZ, SIG_IGN);
	return 0;
}

/* The scans of one loop turn are handled together: one group commit.  A
 * database deleted or replaced under us commits nothing more: stop, and let
 * systemd start wmsd again on the file that is there now. */
static void end_of_turn(struct loop *l, void *ctx)
{
	struct wmsd *d = ctx;

	wmsd_scans_flush();
	if (wms_store_lost(d->store))
		loop_stop(l);
}

/* Lock, open (never create unless allowed), check that it can be written. */
static int open_store(struct wmsd *d, bool create, struct wms_error *err)
{
	const char *db = db_path(d);
	struct wms_store_opts o = { .no_create = !create, .check_identity = true };
	int rc;

	if ((rc = wms_dblock_acquire(db, &d->lock, err)) < 0)
		return rc;
	if ((rc = wms_store_open(db, &o, &d->store, err)) < 0)
		return rc;
	if (wms_store_notice(d->store)[0])
		wmsd_log_warn("%s", wms_store_notice(d->store));
	if ((rc = wms_store_check_writable(d->store, err)) < 0 ||
	    (rc = wms_dblock_record(d->lock, err)) < 0)
		return rc;
	wmsd_log_info("store %s open, schema version %d", db, wms_store_schema_version(d->store));
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: wmsd [-dn] [-c FILE] [--db FILE] [--init] [--demo]\n"
	                "  -c FILE    configuration (default /etc/wmsd/wmsd.conf)\n"
	                "  -n         check the configuration and exit\n"
	                "  -d         log to stderr (foreground debugging)\n"
	                "  --db FILE  use this database instead of [store] database\n"
	                "  --init     create the database when it is missing (else refused)\n"
	                "  --demo     load demo data when the ledger is empty (scripts/run.sh)\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "demo", no_argument, NULL, 'E' },
		{ "init", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct wmsd d = { .conf_path = "/etc/wmsd/wmsd.conf" };
	struct wms_error err = { 0 };
	bool check_only = false, debug = false, demo = false, init = false;
	long watchdog_ms = 0;
	int c, rc, status = EXIT_FAILURE;

	wms_store_process_init();         /* before SQLite's first use */
	while ((c = getopt_long(argc, argv, "c:dnh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': d.conf_path = optarg; break;
		case 'd': debug = true; break;
		case 'n': check_only = true; break;
		case 'D': d.db_override = optarg; break;
		case 'E': demo = true; break;
		case 'I': init = true; break;
		case 'h': usage(); return 0;
		default: usage(); return 2;
		}
	}
	if (optind != argc) {
		usage();
		return 2;
	}
	wmsd_log_init(debug || check_only);
	if ((rc = wmsd_conf_load(d.conf_path, &d.conf, &err)) == 0)
		wms_rules_set_future_skew(d.conf->core->future_skew);
	if (rc < 0) {
		if (check_only)
			fprintf(stderr, "wmsd: %s\n", err.msg);
		else
			wmsd_log_err("%s", err.msg);
		return EXIT_CONFIG;
	}
	if (check_only) {
		if (debug)
			data_dirs_show(d.conf);
		wmsd_conf_free(d.conf);
		printf("configuration OK\n");
		return 0;
	}

	/* --demo makes its own database: the demo's scripts start from nothing */
	if ((rc = open_store(&d, init || demo || d.conf->core->create, &err)) < 0) {
		wmsd_log_err("%s", err.msg);
		goto out;
	}
	if (demo && wms_store_event_count(d.store) == 0) {
		struct wms_demo_opts o = { .cal = d.conf->core->cal };
		wmsd_log_info("store has no events: loading demo data");
		if ((rc = wms_demo_load(d.store, &o, &err)) < 0) {
			wmsd_log_err("demo data: %s", err.msg);
			goto out;
		}
		wmsd_log_info("demo data loaded: %lld events", wms_store_event_count(d.store));
	}
	if ((rc = wmsd_conf_depots(d.conf, d.store, &err)) < 0) {
		wmsd_log_err("%s", err.msg);
		status = EXIT_CONFIG;
		goto out;
	}

	/* a checkpoint inside a turn's commit would hold that turn's acks */
	if (wms_walckpt_start(d.store, 1000, &d.ckpt, &err) < 0)
		wmsd_log_warn("%s; checkpoints stay in the loop's commits", err.msg);
	if ((rc = loop_new(&d.loop, &err)) < 0 ||
	    (rc = turn_new(d.store, d.loop, d.conf->core->scan_wait_ms, &d.turn, &err)) < 0 ||
	    (rc = scan_spill_open(db_path(&d), &err)) < 0 ||
	    (rc = scan_spill_recover(d.store, &err)) < 0) {
		wmsd_log_err("%s", err.msg);
		goto out;
	}
	wmsd_scans_init(d.turn);
	if ((rc = setup_signals(&err)) < 0 ||
	    (rc = loop_add_fd(d.loop, sig_pipe[0], POLLIN, on_signal_pipe, &d, &err)) < 0 ||
	    (rc = start_stations(&d, &err)) < 0 ||
	    (rc = (int)loop_add_timer(d.loop, REOPEN_MS, reopen_timer, &d, &err)) < 0 ||
	    (rc = (int)loop_add_timer(d.loop, 0, purge_timer, &d, &err)) < 0) {
		wmsd_log_err("%s", err.msg);
		goto out;
	}
	loop_set_end_of_turn(d.loop, end_of_turn, &d);
	/* the API is not needed to scan: a port in use is logged, and stations run on */
	http_turn_set(d.turn);            /* API writes commit with the scans of their turn */
	if (http_start(d.conf, d.store, d.loop, &d.http, &err) < 0)
		wmsd_log_err("%s; running without the HTTP API", err.msg);
	start_printing(&d);
	start_shipping(&d);
#ifdef WMSD_HAVE_SYSTEMD
	{
		uint64_t usec = 0;
		if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000) {
			watchdog_ms = (long)(usec / 2000);   /* half the interval */
			if ((rc = (int)loop_add_timer(d.loop, watchdog_ms, watchdog_timer, &watchdog_ms,
			                              &err)) < 0) {
				wmsd_log_err("%s", err.msg);
				goto out;
			}
		}
	}
#endif
	maybe_ready(&d);
	if (!d.ready)
		wmsd_log_warn("not ready: a station with required = yes cannot open; retrying every %d s",
		              REOPEN_MS / 1000);
	notify_status(&d);

	if ((rc = loop_run(d.loop, &err)) < 0) {
		wmsd_log_err("%s", err.msg);
		goto out;
	}
	notify("STOPPING=1");
	if (wms_store_lost(d.store)) {
		notify("STATUS=database file deleted or replaced; stopped");
		wmsd_log_err("stopping: the database file %s was deleted or replaced while open; "
		             "nothing was acknowledged since; restart to use the file there now",
		             db_path(&d));
		goto out;
	}
	wmsd_log_info("stopping on signal");
	status = EXIT_SUCCESS;
out:
	http_stop(d.http);
	print_worker_stop(d.print);
	ship_worker_stop(d.ship);
	close_stations(&d);
	wmsd_scans_fini();
	turn_free(d.turn);
	scan_spill_close();
	loop_free(d.loop);
	wms_walckpt_stop(d.ckpt);
	wms_store_close(d.store);
	wms_dblock_release(d.lock);
	wmsd_conf_free(d.conf);
	if (sig_pipe[0] >= 0) {
		close(sig_pipe[0]);
		close(sig_pipe[1]);
	}
	(void)watchdog_ms;
	return status;
}
