/*
 * pickup_points.c - the pickup point registry, postal-code coordinates and
 * the nearest points to a postal code (see courier_pickup.h).
 */
#include "courier_pickup.h"

#include "courier_import.h"
#include "courier_tx.h"
#include "store_sql.h"
#include "wms_ids.h"
#include "wms_query.h"
#include "wms_time.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EARTH_RADIUS_KM 6371.0088
#define NEAREST_MAX 100

double courier_haversine_km(double lat1, double lon1, double lat2, double lon2)
{
	const double rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * EARTH_RADIUS_KM * asin(fmin(1.0, sqrt(a)));
}

int courier_postcode_normalise(const char *text, char out[6], struct wms_error *err)
{
	size_t n = 0;

	for (const char *p = text; p && *p; p++) {
		if (*p == ' ' && n == 3)
			continue;
		if (!isdigit((unsigned char)*p) || n == 5)
			return wms_error_set(err, WMS_EINVAL,
			                     "bad postal code \"%.20s\": 5 digits, e.g. 41101 or 411 01", text);
		out[n++] = *p;
	}
	if (n != 5)
		return wms_error_set(err, WMS_EINVAL,
		                     "bad postal code \"%.20s\": 5 digits, e.g. 41101 or 411 01", text ? text : "");
	out[5] = '\0';
	return 0;
}

static int text_field(const char *what, const char *text, size_t max, bool required,
                      struct wms_error *err)
{
	if (required && *text == '\0')
		return wms_error_set(err, WMS_EINVAL, "missing %s", what);
	if (strlen(text) > max)
		return wms_error_set(err, WMS_EINVAL, "%s too long: at most %zu bytes", what, max);
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20)
			return wms_error_set(err, WMS_EINVAL, "control character in %s", what);
	return 0;
}

static int parse_active(const char *text, int *out, struct wms_error *err)
{
	if (*text == '\0' || !strcasecmp(text, "yes") || !strcasecmp(text, "true") || !strcmp(text, "1"))
		*out = 1;
	else if (!strcasecmp(text, "no") || !strcasecmp(text, "false") || !strcmp(text, "0"))
		*out = 0;
	else
		return wms_error_set(err, WMS_EINVAL, "bad active flag \"%.20s\": yes, no, 1 or 0", text);
	return 0;
}

/* Keys of the file seen so far, to refuse a key given twice in one file. */
struct seen {
	char **keys;
	long *lines;
	size_t n, cap;
};

static long seen_line(struct seen *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->keys[i], key) == 0)
			return s->lines[i];
	return 0;
}

static int seen_add(struct seen *s, const char *key, long line)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **k = realloc(s->keys, cap * sizeof *k);
		long *l;
		if (k == NULL)
			return WMS_ENOMEM;
		s->keys = k;
		if ((l = realloc(s->lines, cap * sizeof *l)) == NULL)
			return WMS_ENOMEM;
		s->lines = l;
		s->cap = cap;
	}
	if ((s->keys[s->n] = strdup(key)) == NULL)
		return WMS_ENOMEM;
	s->lines[s->n++] = line;
	return 0;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->lines);
}

struct pickup_import {
	struct wms_store *s;
	struct seen seen;
	wms_time now;
};

/* "PP-<CARRIER>-<ID>": the carrier upper-cased, other than A-Z 0-9 as '-'. */
static int location_code(const char *carrier, const char *id, char *out, size_t size,
                         struct wms_error *err)
{
	size_t n;

	snprintf(out, size, "PP-%s-%s", carrier, id);
	n = strlen(out);
	for (size_t i = 3; i < n; i++) {
		unsigned char c = (unsigned char)toupper((unsigned char)out[i]);
		out[i] = (char)(isalnum(c) || c == '-' || c == '.' || c == '_' ? c : '-');
	}
	if (n > WMS_CODE_MAX)
		return wms_error_set(err, WMS_EINVAL,
		                     "carrier and id make location code %s longer than %d characters",
		                     out, WMS_CODE_MAX);
	return 0;
}

/* Bind a pickup point's fields (a line's f, with its postal code normalised) as ?1-?8. */
static void bind_point(sqlite3_stmt *st, const char **f, const char *postcode, int active)
{
	sqlite3_bind_text(st, 1, f[1], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f[2], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f[3], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, postcode, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, f[5], -1, SQLITE_STATIC);
	wms_bind_text_or_null(st, 7, f[6]);
	sqlite3_bind_int(st, 8, active);
}

static int pickup_line(void *ctx, long lineno, const char **f, int n, struct wms_error *err)
{
	static const char find[] =
		"SELECT p.id, p.location_id, p.name IS ?3 AND p.address IS ?4 AND p.postal_code IS ?5"
		" AND p.city IS ?6 AND p.opening_hours IS ?7 AND p.active IS ?8"
		" FROM pickup_points p WHERE p.carrier = ?1 AND p.ext_id = ?2";
	static const char add_location[] =
		"INSERT INTO locations(code, name, kind) VALUES (?1, ?2, 'pickup_point')"
		" ON CONFLICT(code) DO UPDATE SET name = excluded.name WHERE kind = 'pickup_point'"
		" RETURNING id";
	static const char insert[] =
		"INSERT INTO pickup_points(carrier, ext_id, name, address, postal_code, city,"
		" opening_hours, active, location_id, updated_ts)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
	static const char update[] =
		"UPDATE pickup_points SET name = ?3, address = ?4, postal_code = ?5, city = ?6,"
		" opening_hours = ?7, active = ?8, updated_ts = ?10 WHERE carrier = ?1 AND ext_id = ?2";
	static const char rename[] = "UPDATE locations SET name = ?2 WHERE id = ?1";
	struct pickup_import *im = ctx;
	char postcode[6], code[64], locname[200];
	long long point_id = 0, location_id = 0;
	int active = 1, rc, same = 0;
	long dup;
	sqlite3_stmt *st;

	if (lineno == 1 && n > 0 && strcasecmp(f[0], "id") == 0)
		return COURIER_LINE_SKIPPED;
	if (n != 8)
		return wms_error_set(err, WMS_EINVAL, "%d fields; expected 8: id,carrier,name,address,"
		                     "postal_code,city,opening_hours,active", n);
	if (*f[0] == '\0' || strlen(f[0]) > 20 || strspn(f[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen(f[0]))
		return wms_error_set(err, WMS_EINVAL, "bad id \"%.30s\": 1-20 characters A-Z a-z 0-9 - _ .",
		                     f[0]);
	if ((rc = text_field("carrier", f[1], 31, true, err)) < 0 ||
	    (rc = text_field("name", f[2], 100, true, err)) < 0 ||
	    (rc = text_field("address", f[3], 120, true, err)) < 0 ||
	    (rc = courier_postcode_normalise(f[4], postcode, err)) < 0 ||
	    (rc = text_field("city", f[5], 60, true, err)) < 0 ||
	    (rc = text_field("opening hours", f[6], 200, false, err)) < 0 ||
	    (rc = parse_active(f[7], &active, err)) < 0 ||
	    (rc = location_code(f[1], f[0], code, sizeof code, err)) < 0)
		return rc;
	if ((dup = seen_line(&im->seen, code)) != 0)
		return wms_error_set(err, WMS_EEXIST, "pickup point %s %s already given on line %ld",
		                     f[1], f[0], dup);
	if (seen_add(&im->seen, code, lineno) < 0)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	snprintf(locname, sizeof locname, "%s, %s", f[2], f[5]);

	if ((st = wms_store_stmt(im->s, find, err)) == NULL)
		return WMS_EDB;
	bind_point(st, f, postcode, active);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		point_id = sqlite3_column_int64(st, 0);
		location_id = sqlite3_column_int64(st, 1);
		same = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return wms_store_sql_error(im->s, err, "looking up a pickup point");
	if (point_id && same)
		return COURIER_LINE_UNCHANGED;

	if (point_id == 0) {
		if ((st = wms_store_stmt(im->s, add_location, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, locname, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			location_id = sqlite3_column_int64(st, 0);
		while (rc == SQLITE_ROW)
			rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return wms_store_sql_error(im->s, err, "adding the pickup point's location");
		if (location_id == 0)
			return wms_error_set(err, WMS_EEXIST, "location %s exists and is not a pickup point", code);
	} else {
		if ((st = wms_store_stmt(im->s, rename, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_int64(st, 1, location_id);
		sqlite3_bind_text(st, 2, locname, -1, SQLITE_STATIC);
		if ((rc = wms_store_step_done(im->s, st, "renaming the pickup point's location", err)) < 0)
			return rc;
	}
	if ((st = wms_store_stmt(im->s, point_id ? update : insert, err)) == NULL)
		return WMS_EDB;
	bind_point(st, f, postcode, active);
	if (!point_id)
		sqlite3_bind_int64(st, 9, location_id);
	sqlite3_bind_int64(st, 10, im->now);
	if ((rc = wms_store_step_done(im->s, st, "saving a pickup point", err)) < 0)
		return rc;
	return point_id ? COURIER_LINE_UPDATED : COURIER_LINE_ADDED;
}

/* Run an import's records inside one transaction. */
static int import_text(struct wms_store *s, const char *text, size_t len, courier_record_fn fn,
                       void *ctx, struct courier_import_report *rep, struct wms_error *err)
{
	struct courier_tx tx;
	int rc, end;

	memset(rep, 0, sizeof *rep);
	if ((rc = courier_tx_begin(s, &tx, err)) == 0) {
		rc = courier_import_csv(text, len, fn, ctx, rep, err);
		end = courier_tx_end(s, &tx, rc == 0, err);
		if (rc == 0)
			rc = end;
	}
	return rc;
}

static int import_file(struct wms_store *s, const char *path, courier_record_fn fn, void *ctx,
                       struct courier_import_report *rep, struct wms_error *err)
{
	char *text = NULL;
	size_t len;
	int rc;

	memset(rep, 0, sizeof *rep);
	if ((rc = courier_read_file(path, &text, &len, err)) < 0)
		return rc;
	rc = import_text(s, text, len, fn, ctx, rep, err);
	free(text);
	return rc;
}

int courier_pickup_import(struct wms_store *s, const char *path, struct courier_import_report *rep,
                          struct wms_error *err)
{
	struct pickup_import im = { .s = s, .now = wms_now() };
	int rc = import_file(s, path, pickup_line, &im, rep, err);

	seen_free(&im.seen);
	return rc;
}

int courier_pickup_import_text(struct wms_store *s, const char *text, size_t len,
                               struct courier_import_report *rep, struct wms_error *err)
{
	struct pickup_import im = { .s = s, .now = wms_now() };
	int rc = import_text(s, text, len, pickup_line, &im, rep, err);

	seen_free(&im.seen);
	return rc;
}

static int parse_degrees(const char *what, const char *text, double limit, double *out,
                         struct wms_error *err)
{
	char *end;
	double v = strtod(text, &end);

	if (*text == '\0' || *end != '\0' || !isfinite(v) || v < -limit || v > limit)
		return wms_error_set(err, WMS_EINVAL, "bad %s \"%.20s\": decimal degrees -%.0f..%.0f",
		                     what, text, limit, limit);
	*out = v;
	return 0;
}

static int postcode_line(void *ctx, long lineno, const char **f, int n, struct wms_error *err)
{
	static const char find[] = "SELECT lat = ?2 AND lon = ?3 FROM postcodes WHERE code = ?1";
	static const char upsert[] =
		"INSERT INTO postcodes(code, lat, lon) VALUES (?1, ?2, ?3)"
		" ON CONFLICT(code) DO UPDATE SET lat = excluded.lat, lon = excluded.lon";
	struct wms_store *s = ctx;
	char code[6];
	double lat = 0, lon = 0;
	int rc, known = 0, same = 0;
	sqlite3_stmt *st;

	if (lineno == 1 && n > 0 && (strcasecmp(f[0], "postal_code") == 0 || strcasecmp(f[0], "postcode") == 0))
		return COURIER_LINE_SKIPPED;
	if (n != 3)
		return wms_error_set(err, WMS_EINVAL, "%d fields; expected 3: postal_code,lat,lon", n);
	if ((rc = courier_postcode_normalise(f[0], code, err)) < 0 ||
	    (rc = parse_degrees("latitude", f[1], 90, &lat, err)) < 0 ||
	    (rc = parse_degrees("longitude", f[2], 180, &lon, err)) < 0)
		return rc;
	if ((st = wms_store_stmt(s, find, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 2, lat);
	sqlite3_bind_double(st, 3, lon);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		known = 1;
		same = sqlite3_column_int(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return wms_store_sql_error(s, err, "looking up a postal code");
	if (same)
		return COURIER_LINE_UNCHANGED;
	if ((st = wms_store_stmt(s, upsert, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 2, lat);
	sqlite3_bind_double(st, 3, lon);
	if ((rc = wms_store_step_done(s, st, "saving a postal code", err)) < 0)
		return rc;
	return known ? COURIER_LINE_UPDATED : COURIER_LINE_ADDED;
}

int courier_postcode_import(struct wms_store *s, const char *path, struct courier_import_report *rep,
                            struct wms_error *err)
{
	return import_file(s, path, postcode_line, s, rep, err);
}

int courier_postcode_import_text(struct wms_store *s, const char *text, size_t len,
                                 struct courier_import_report *rep, struct wms_error *err)
{
	return import_text(s, text, len, postcode_line, s, rep, err);
}

struct near {
	double km;
	json_t *row;
};

json_t *courier_pickup_nearest(struct wms_store *s, const char *postcode, const char *carrier,
                               int limit, struct wms_error *err)
{
	static const char origin[] = "SELECT lat, lon FROM postcodes WHERE code = ?1";
	static const char points[] =
		"SELECT l.code, p.carrier, p.ext_id, p.name, p.address, p.postal_code, p.city,"
		" p.opening_hours, c.lat, c.lon"
		" FROM pickup_points p JOIN locations l ON l.id = p.location_id"
		" JOIN postcodes c ON c.code = p.postal_code"
		" WHERE p.active = 1 AND (?1 IS NULL OR p.carrier = ?1)";
	struct near best[NEAREST_MAX];
	int n = 0, rc;
	double lat0 = 0, lon0 = 0;
	char code[6];
	sqlite3_stmt *st;
	json_t *out = NULL;

	if (courier_postcode_normalise(postcode, code, err) < 0)
		return NULL;
	if (limit < 1 || limit > NEAREST_MAX) {
		wms_error_set(err, WMS_EINVAL, "bad limit %d: 1-%d", limit, NEAREST_MAX);
		return NULL;
	}
	if ((st = wms_store_stmt(s, origin, err)) == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	lat0 = sqlite3_column_double(st, 0);
	lon0 = sqlite3_column_double(st, 1);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		wms_error_set(err, WMS_ENOTFOUND, "postal code %s has no coordinates; import them with "
		              "`wms postcode import FILE`", code);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		wms_store_sql_error(s, err, "looking up a postal code");
		return NULL;
	}
	if ((st = wms_store_stmt(s, points, err)) == NULL)
		return NULL;
	wms_bind_text_or_null(st, 1, carrier);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		double km = courier_haversine_km(lat0, lon0, sqlite3_column_double(st, 8),
		                                 sqlite3_column_double(st, 9));
		int at = n;
		json_t *row;
		if (n == limit && km >= best[n - 1].km)
			continue;
		row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:f}",
		                "pickup_point", (const char *)sqlite3_column_text(st, 0),
		                "carrier", (const char *)sqlite3_column_text(st, 1),
		                "id", (const char *)sqlite3_column_text(st, 2),
		                "name", (const char *)sqlite3_column_text(st, 3),
		                "address", (const char *)sqlite3_column_text(st, 4),
		                "postal_code", (const char *)sqlite3_column_text(st, 5),
		                "city", (const char *)sqlite3_column_text(st, 6),
		                "opening_hours", (const char *)sqlite3_column_text(st, 7),
		                "distance_km", round(km * 10) / 10);
		if (row == NULL)
			continue;     /* text that is not UTF-8 cannot be shown as JSON */
		if (n == limit)
			json_decref(best[--n].row);
		at = n;
		while (at > 0 && best[at - 1].km > km) {
			best[at] = best[at - 1];
			at--;
		}
		best[at].km = km;
		best[at].row = row;
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		wms_store_sql_error(s, err, "reading pickup points");
		goto out;
	}
	if ((out = json_array()) == NULL) {
		wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		json_array_append(out, best[i].row);
	}
out:
	for (int i = 0; i < n; i++)
		json_decref(best[i].row);
	return out;
}

json_t *courier_pickup_list(struct wms_store *s, const char *carrier, struct wms_error *err)
{
	const char *params[1] = { carrier };

	return wms_query_rows(s,
		"SELECT l.code AS pickup_point, p.carrier, p.ext_id AS id, p.name, p.address,"
		" p.postal_code, p.city, p.opening_hours, p.active"
		" FROM pickup_points p JOIN locations l ON l.id = p.location_id"
		" WHERE ?1 IS NULL OR p.carrier = ?1 ORDER BY p.carrier, p.ext_id", params, 1, err);
}
