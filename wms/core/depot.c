/*
 * depot.c - the depots of the region and their calendars (see wms_depot.h).
 */
#include "wms_depot.h"

#include "leadtime_hist.h"
#include "store_sql.h"
#include "wms_query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CLOSED 512

int wms_depot_check_code(const char *code, struct wms_error *err)
{
	size_t n = code ? strlen(code) : 0;

	if (n == 0 || n > WMS_DEPOT_CODE_MAX ||
	    strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != n) {
		char q[96];
		return wms_error_set(err, WMS_EINVAL, "bad depot code \"%s\": 1-%d characters A-Z 0-9 (ML, SK)",
		                     wms_quote(q, sizeof q, code ? code : "", n, 20), WMS_DEPOT_CODE_MAX);
	}
	return 0;
}

const char *wms_depot_known_list(struct wms_store *s, char *buf, size_t len)
{
	static const char sql[] = "SELECT code, name FROM depots ORDER BY code";
	sqlite3_stmt *st = wms_store_stmt(s, sql, NULL);
	size_t used = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		int n = snprintf(buf + used, len - used, "%s%s (%s)", used ? ", " : "",
		                 (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	if (st)
		sqlite3_reset(st);
	if (used == 0)
		snprintf(buf, len, "none (add one with `wms depot add`)");
	return buf;
}

int wms_depot_known(struct wms_store *s, const char *code, struct wms_error *err)
{
	static const char sql[] = "SELECT id FROM depots WHERE code = ?1";
	char list[300], q[96];
	long long id;
	int rc;

	if (wms_depot_check_code(code, NULL) < 0)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown depot \"%s\"; known depots: %s",
		                     wms_quote(q, sizeof q, code ? code : "", code ? strlen(code) : 0, 20),
		                     wms_depot_known_list(s, list, sizeof list));
	rc = wms_store_lookup_id(s, sql, code, &id, NULL, 0, err);
	if (rc == WMS_ENOTFOUND)
		return wms_error_set(err, WMS_ENOTFOUND, "unknown depot \"%s\"; known depots: %s", code,
		                     wms_depot_known_list(s, list, sizeof list));
	return rc;
}

int wms_depot_default(struct wms_store *s, char *code, struct wms_error *err)
{
	static const char sql[] = "SELECT code FROM depots WHERE is_default = 1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, sql, NULL, 0, &st, "looking up the default depot", err);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return wms_error_set(err, WMS_ENOTFOUND, "no default depot; add one with `wms depot add CODE --default`");
	snprintf(code, WMS_DEPOT_CODE_MAX + 1, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

int wms_depot_resolve(struct wms_store *s, const char *code, char *out, struct wms_error *err)
{
	int rc;

	if (code == NULL || *code == '\0')
		return wms_depot_default(s, out, err);
	if ((rc = wms_depot_known(s, code, err)) < 0)
		return rc;
	snprintf(out, WMS_DEPOT_CODE_MAX + 1, "%s", code);
	return 0;
}

int wms_depot_location(struct wms_store *s, const char *depot, const char *kind, long long *id,
                       struct wms_error *err)
{
	static const char sql[] = "SELECT id FROM locations WHERE depot = ?1 AND kind = ?2 ORDER BY id LIMIT 1";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, depot, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "looking up a depot's location");
	return wms_error_set(err, WMS_ENOTFOUND, "depot %s has no %s location", depot, kind);
}

/* Parse "YYYY-MM-DD, YYYY-MM-DD" into days (at most MAX_CLOSED). */
static int parse_closed(const char *text, wms_day *days, size_t *n, struct wms_error *err)
{
	char buf[MAX_CLOSED * 12], *save = NULL;

	*n = 0;
	if (text == NULL || *text == '\0')
		return 0;
	if (strlen(text) >= sizeof buf)
		return wms_error_set(err, WMS_EINVAL, "too many closed days: at most %d", MAX_CLOSED);
	snprintf(buf, sizeof buf, "%s", text);
	for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		int rc;
		if (*n == MAX_CLOSED)
			return wms_error_set(err, WMS_EINVAL, "too many closed days: at most %d", MAX_CLOSED);
		if ((rc = wms_date_parse(tok, &days[*n], err)) < 0)
			return rc;
		if (!wms_calendar_covers(days[*n]))
			return wms_error_set(err, WMS_EINVAL, "closed day %s is outside the calendar's years", tok);
		(*n)++;
	}
	return 0;
}

static int check_text(const char *what, const char *text, size_t max, bool required,
                      struct wms_error *err)
{
	if (text == NULL || *text == '\0')
		return required ? wms_error_set(err, WMS_EINVAL, "a depot needs a %s (--%s)", what, what) : 0;
	if (strlen(text) > max || strpbrk(text, "\n\r\t") != NULL)
		return wms_error_set(err, WMS_EINVAL, "bad depot %s: one line of at most %zu bytes", what, max);
	return 0;
}

/* text[0..n) without the blanks around it into dst (size bytes); its length. */
static size_t trimmed(char *dst, size_t size, const char *text, size_t n)
{
	while (n > 0 && isspace((unsigned char)*text)) {
		text++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	snprintf(dst, size, "%.*s", (int)n, text);
	return n;
}

int wms_depot_parse_address(const char *text, struct wms_depot_address *a, struct wms_error *err)
{
	struct wms_depot_address tmp;
	const char *comma = text ? strrchr(text, ',') : NULL, *p;
	char digits[6];
	int nd = 0;

	if (a == NULL)
		a = &tmp;
	memset(a, 0, sizeof *a);
	if (comma == NULL || trimmed(a->street, sizeof a->street, text, (size_t)(comma - text)) == 0)
		goto bad;
	/* the postal code: five digits, a space after the third allowed */
	for (p = comma + 1; *p == ' '; p++)
		;
	for (; nd < 5 && (isdigit((unsigned char)*p) || (*p == ' ' && nd == 3)); p++)
		if (*p != ' ')
			digits[nd++] = *p;
	if (nd != 5 || isdigit((unsigned char)*p) ||
	    trimmed(a->city, sizeof a->city, p, strlen(p)) == 0)
		goto bad;
	snprintf(a->postcode, sizeof a->postcode, "%.3s %.2s", digits, digits + 3);
	return 0;
bad:
	return wms_error_set(err, WMS_EINVAL, "bad depot address \"%.80s\": give \"street, postal code "
	                     "city\", e.g. \"Badhusgatan 5, 541 30 Skövde\"", text ? text : "");
}

int wms_depot_address(struct wms_store *s, const char *code, struct wms_depot_address *a,
                      struct wms_error *err)
{
	static const char sql[] = "SELECT name, address FROM depots WHERE code = ?1";
	const char *address;
	sqlite3_stmt *st;
	int rc;

	memset(a, 0, sizeof *a);
	if ((rc = wms_depot_known(s, code, err)) < 0 ||
	    (rc = wms_store_row(s, sql, code, 0, &st, "reading the depot's address", err)) < 0)
		return rc;
	if (rc == 0)
		return wms_depot_known(s, code, err);
	address = (const char *)sqlite3_column_text(st, 1);
	rc = address && *address ? wms_depot_parse_address(address, a, err) : 1;
	snprintf(a->name, sizeof a->name, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc;
}

int wms_depot_set_address(struct wms_store *s, const char *code, const char *address,
                          struct wms_error *err)
{
	static const char sql[] = "UPDATE depots SET address = ?2 WHERE code = ?1";
	sqlite3_stmt *st;
	int rc;

	if ((rc = wms_depot_known(s, code, err)) < 0 ||
	    (rc = check_text("address", address, 200, true, err)) < 0 ||
	    (rc = wms_depot_parse_address(address, NULL, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, sql, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, address, -1, SQLITE_STATIC);
	return wms_store_step_done(s, st, "setting the depot's address", err);
}

int wms_depot_add(struct wms_store *s, const struct wms_depot_new *d, struct wms_error *err)
{
	static const char ins[] =
		"INSERT INTO depots(code, name, address, cutoff_minute, is_default) VALUES (?1, ?2, ?3, ?4, ?5)";
	static const char undefault[] = "UPDATE depots SET is_default = 0 WHERE is_default = 1";
	static const char ins_closed[] =
		"INSERT OR IGNORE INTO depot_closed_days(depot_id, day) SELECT id, ?2 FROM depots WHERE code = ?1";
	static const char ins_loc[] = "INSERT INTO locations(code, name, kind, depot) VALUES (?1, ?2, ?3, ?4)";
	static const char exists[] = "SELECT id FROM depots WHERE code = ?1";
	static const char loc_exists[] = "SELECT id FROM locations WHERE code = ?1";
	/* code = prefix + depot code + suffix; name = name + depot name */
	static const struct { const char *prefix, *suffix, *name, *kind; } locs[] = {
		{ "", "-GOODS-IN", "Godsmottagning ", "goods_in" },
		{ "", "-QUARANTINE", "Karantän ", "quarantine" },
		{ "", "-RECON", "Rekonditionering ", "reconditioning" },
		{ "", "-REPAIR", "Reparation ", "repair" },
		{ "TRANSFER-", "", "På väg till ", "transit" },
	};
	wms_day *closed = NULL;
	size_t n_closed = 0;
	int cutoff = -1, rc;
	bool own = false, any = false;
	long long id;
	sqlite3_stmt *st;

	if ((rc = wms_depot_check_code(d->code, err)) < 0 ||
	    (rc = check_text("name", d->name, 120, true, err)) < 0 ||
	    (rc = check_text("address", d->address, 200, false, err)) < 0 ||
	    (d->address && *d->address && (rc = wms_depot_parse_address(d->address, NULL, err)) < 0))
		return rc;
	if (d->cutoff && *d->cutoff && (rc = wms_parse_hhmm(d->cutoff, &cutoff, err)) < 0)
		return rc;
	if ((closed = calloc(MAX_CLOSED, sizeof *closed)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	if ((rc = parse_closed(d->closed, closed, &n_closed, err)) < 0)
		goto out;
	rc = wms_store_lookup_id(s, exists, d->code, &id, NULL, 0, err);
	if (rc == 0) {
		rc = wms_error_set(err, WMS_EEXIST, "depot %s already exists", d->code);
		goto out;
	}
	if (rc != WMS_ENOTFOUND)
		goto out;
	{
		/* is this the first depot?  then it is the default */
		char def[WMS_DEPOT_CODE_MAX + 1];
		any = wms_depot_default(s, def, NULL) == 0;
	}
	for (size_t i = 0; i < sizeof locs / sizeof locs[0]; i++) {
		char code[40];
		snprintf(code, sizeof code, "%s%s%s", locs[i].prefix, d->code, locs[i].suffix);
		rc = wms_store_lookup_id(s, loc_exists, code, &id, NULL, 0, err);
		if (rc == 0) {
			rc = wms_error_set(err, WMS_EEXIST, "location %s already exists; depot %s would need it",
			                   code, d->code);
			goto out;
		}
		if (rc != WMS_ENOTFOUND)
			goto out;
	}
	if ((rc = wms_store_outer_begin(s, &own, err)) < 0)
		goto out;
	if (d->make_default && (st = wms_store_stmt(s, undefault, err)) != NULL)
		rc = wms_store_step_done(s, st, "changing the default depot", err);
	else if (d->make_default)
		rc = WMS_EDB;
	if (rc == 0 && (st = wms_store_stmt(s, ins, err)) == NULL)
		rc = WMS_EDB;
	if (rc == 0) {
		sqlite3_bind_text(st, 1, d->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, d->name, -1, SQLITE_STATIC);
		wms_bind_text_or_null(st, 3, d->address);
		if (cutoff >= 0)
			sqlite3_bind_int(st, 4, cutoff);
		sqlite3_bind_int(st, 5, d->make_default || !any);
		rc = wms_store_step_done(s, st, "adding the depot", err);
	}
	for (size_t i = 0; rc == 0 && i < n_closed; i++) {
		char day[11];
		if ((st = wms_store_stmt(s, ins_closed, err)) == NULL) {
			rc = WMS_EDB;
			break;
		}
		sqlite3_bind_text(st, 1, d->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, wms_date_format(closed[i], day), -1, SQLITE_TRANSIENT);
		rc = wms_store_step_done(s, st, "adding a closed day", err);
	}
	for (size_t i = 0; rc == 0 && i < sizeof locs / sizeof locs[0]; i++) {
		char code[40], name[160];
		snprintf(code, sizeof code, "%s%s%s", locs[i].prefix, d->code, locs[i].suffix);
		snprintf(name, sizeof name, "%s%s", locs[i].name, d->name);
		if ((st = wms_store_stmt(s, ins_loc, err)) == NULL) {
			rc = WMS_EDB;
			break;
		}
		sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, locs[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, d->code, -1, SQLITE_STATIC);
		rc = wms_store_step_done(s, st, "adding the depot's locations", err);
	}
	if (rc == 0)
		rc = wms_lt_depot_added(s, d->code, cutoff, closed, n_closed, err);
	{
		int end = wms_store_outer_end(s, own, rc == 0, err);
		if (rc == 0)
			rc = end;
	}
out:
	free(closed);
	return rc;
}

#define DEPOT_COLUMNS \
	"d.code, d.name, d.address," \
	" CASE WHEN d.cutoff_minute IS NULL THEN NULL" \
	"   ELSE printf('%02d:%02d', d.cutoff_minute / 60, d.cutoff_minute % 60) END AS cutoff," \
	" (SELECT group_concat(day, ', ') FROM (SELECT day FROM depot_closed_days c" \
	"   WHERE c.depot_id = d.id ORDER BY day)) AS closed," \
	" d.is_default AS \"default\""

json_t *wms_depot_list(struct wms_store *s, struct wms_error *err)
{
	return wms_query_rows(s, "SELECT " DEPOT_COLUMNS " FROM depots d ORDER BY d.code", NULL, 0, err);
}

json_t *wms_depot_show(struct wms_store *s, const char *code, struct wms_error *err)
{
	static const struct { const char *key, *sql; } parts[] = {
		{ "locations", "SELECT code, name, kind FROM locations WHERE depot = ?1 ORDER BY kind, code" },
		{ "devices", "SELECT d.state, count(*) AS devices FROM devices d"
		             " JOIN locations l ON l.id = d.location_id WHERE l.depot = ?1"
		             " GROUP BY d.state ORDER BY d.state" },
		{ "open_orders", "SELECT status, count(*) AS orders FROM orders WHERE depot = ?1"
		                 " AND status NOT IN ('delivered','cancelled') GROUP BY status ORDER BY status" },
	};
	const char *p[1] = { code };
	json_t *rows, *one, *v;

	if (wms_depot_known(s, code, err) < 0)
		return NULL;
	if ((rows = wms_query_rows(s, "SELECT " DEPOT_COLUMNS " FROM depots d WHERE d.code = ?1", p, 1,
	                           err)) == NULL)
		return NULL;
	one = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (one == NULL) {
		wms_error_set(err, WMS_ENOTFOUND, "unknown depot \"%s\"", code);
		return NULL;
	}
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if ((v = wms_query_rows(s, parts[i].sql, p, 1, err)) == NULL)
			goto fail;
		json_object_set_new(one, parts[i].key, v);
	}
	return one;
fail:
	json_decref(one);
	return NULL;
}

/* The config's entry for code, added when missing; NULL when full. */
static struct wms_depot *config_entry(struct wms_config *cfg, const char *code)
{
	for (int i = 0; i < cfg->n_depots; i++)
		if (strcmp(cfg->depots[i].name, code) == 0)
			return &cfg->depots[i];
	if (cfg->n_depots == WMS_CONFIG_MAX_DEPOTS)
		return NULL;
	snprintf(cfg->depots[cfg->n_depots].name, sizeof cfg->depots[0].name, "%s", code);
	return &cfg->depots[cfg->n_depots++];
}

/* Read the store's depots into cfg: all of them, or (only_new) those cfg has not got. */
static int calendars(struct wms_store *s, struct wms_config *cfg, bool only_new, int *added,
                     struct wms_error *err)
{
	static const char by_code[] = "SELECT id FROM depots WHERE code = ?1";
	static const char depots[] = "SELECT id, code, cutoff_minute FROM depots ORDER BY code";
	static const char days[] = "SELECT day FROM depot_closed_days WHERE depot_id = ?1";
	char list[300];
	wms_day *closed = NULL;
	sqlite3_stmt *st = NULL, *dst;
	int rc = 0;

	/* every [depot CODE] of the file must name a depot of the store */
	for (int i = 0; !only_new && i < cfg->n_depots; i++) {
		long long id;
		if (cfg->depots[i].line == 0)
			continue;
		rc = wms_store_lookup_id(s, by_code, cfg->depots[i].name, &id, NULL, 0, err);
		if (rc == WMS_ENOTFOUND)
			return wms_error_set(err, WMS_ECONFIG, "%s:%d: [depot %s]: unknown depot; known depots: %s",
			                     cfg->file, cfg->depots[i].line, cfg->depots[i].name,
			                     wms_depot_known_list(s, list, sizeof list));
		if (rc < 0)
			return rc;
	}
	if ((closed = malloc(2 * MAX_CLOSED * sizeof *closed)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	if ((st = wms_store_stmt(s, depots, err)) == NULL) {
		rc = WMS_EDB;
		goto out;
	}
	cfg->store_depots = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct wms_depot *d;
		cfg->store_depots++;
		if (only_new) {
			bool have = false;
			for (int i = 0; i < cfg->n_depots; i++)
				have = have || strcmp(cfg->depots[i].name, (const char *)sqlite3_column_text(st, 1)) == 0;
			if (have)
				continue;
			if (added)
				(*added)++;
		}
		d = config_entry(cfg, (const char *)sqlite3_column_text(st, 1));
		struct wms_calendar_opts o = { .defacto_days = cfg->defacto_holidays, .closed = closed };
		struct wms_calendar *cal;
		if (d == NULL) {
			rc = wms_error_set(err, WMS_ECONFIG, "too many depots (at most %d)", WMS_CONFIG_MAX_DEPOTS);
			goto out;
		}
		if (d->n_closed)
			memcpy(closed, d->closed, d->n_closed * sizeof *closed);
		o.n_closed = d->n_closed;
		if ((dst = wms_store_stmt(s, days, err)) == NULL) {
			rc = WMS_EDB;
			goto out;
		}
		sqlite3_bind_int64(dst, 1, sqlite3_column_int64(st, 0));
		while (sqlite3_step(dst) == SQLITE_ROW && o.n_closed < 2 * MAX_CLOSED)
			if (wms_date_parse((const char *)sqlite3_column_text(dst, 0), &closed[o.n_closed], NULL) == 0)
				o.n_closed++;
		sqlite3_reset(dst);
		if ((rc = wms_calendar_new(&o, &cal, err)) < 0)
			goto out;
		wms_calendar_free(d->cal);
		d->cal = cal;
		d->own_cutoff = sqlite3_column_type(st, 2) != SQLITE_NULL;
		d->cutoff_minute = d->own_cutoff ? sqlite3_column_int(st, 2) : 0;
	}
	rc = rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "reading the depots");
out:
	if (st)
		sqlite3_reset(st);
	free(closed);
	if (rc < 0)
		cfg->store_depots = -1;
	return rc;
}

int wms_depot_calendars(struct wms_store *s, struct wms_config *cfg, struct wms_error *err)
{
	return calendars(s, cfg, false, NULL, err);
}

int wms_depot_calendars_refresh(struct wms_store *s, struct wms_config *cfg, int *added,
                                struct wms_error *err)
{
	static const char count[] = "SELECT count(*) FROM depots";
	sqlite3_stmt *st;
	long long n;
	int rc;

	if (added)
		*added = 0;
	if ((rc = wms_store_row(s, count, NULL, 0, &st, "counting the depots", err)) < 0)
		return rc;
	n = rc ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (n == cfg->store_depots)
		return 0;
	return calendars(s, cfg, true, added, err);
}
