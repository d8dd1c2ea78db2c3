/*
 * order_import.c - the ordering system's CSV export into orders (see
 * wms_order_import.h).  The header decides which field is which; each row is
 * checked, looked up for an earlier import, and created through the ledger
 * with its personal data in one savepoint.
 */
#include "wms_order_import.h"

#include "store_sql.h"
#include "wms_csv.h"
#include "wms_ids.h"
#include "wms_ledger.h"
#include "wms_patient.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum col {
	C_EXTERNAL_ID, C_CUSTOMER, C_PRODUCT, C_MODE, C_PATIENT_REF, C_PICKUP_POINT, C_REQUESTED_DATE,
	C_NAME, C_ADDRESS, C_POSTAL_CODE, C_PHONE, C_DEPOT, C_COUNT
};

static const char *const col_names[C_COUNT] = {
	"external_id", "customer", "product", "mode", "patient_ref", "pickup_point", "requested_date",
	"patient_name", "patient_address", "patient_postal_code", "patient_phone", "depot",
};

#define REQUIRED_COLS 4   /* the first four */
#define ALLOWED_COLS "external_id, customer, product, mode (required), patient_ref, pickup_point, " \
	"requested_date, patient_name, patient_address, patient_postal_code, patient_phone, depot"

struct import {
	struct wms_store *s;
	const struct wms_import_opts *o;
	struct wms_import_result *res;
	int index[C_COUNT];           /* field index of each column, -1 = absent */
	int n_header;
};

/* Trim spaces in place (fields are owned by the reader's buffer). */
static const char *trim(const char *f)
{
	char *s = (char *)f, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static int read_header(struct import *im, const char **f, int n, struct wms_error *err)
{
	for (int c = 0; c < C_COUNT; c++)
		im->index[c] = -1;
	for (int i = 0; i < n; i++) {
		const char *name = trim(f[i]);
		int c;
		for (c = 0; c < C_COUNT && strcasecmp(name, col_names[c]) != 0; c++)
			;
		if (c == C_COUNT)
			return wms_error_set(err, WMS_EINVAL, "line 1: unknown column \"%.40s\"; allowed: %s",
			                     name, ALLOWED_COLS);
		if (im->index[c] >= 0)
			return wms_error_set(err, WMS_EINVAL, "line 1: column %s appears twice", col_names[c]);
		im->index[c] = i;
	}
	for (int c = 0; c < REQUIRED_COLS; c++)
		if (im->index[c] < 0)
			return wms_error_set(err, WMS_EINVAL, "line 1: the header lacks column %s; columns: %s",
			                     col_names[c], ALLOWED_COLS);
	im->n_header = n;
	return 0;
}

static const char *field(const struct import *im, const char **f, enum col c)
{
	return im->index[c] >= 0 ? f[im->index[c]] : NULL;
}

/* 1 when ordering unit `customer` already has `ext` (number copied out), 0 if not, or WMS_EDB. */
static int already_present(struct wms_store *s, const char *customer, const char *ext,
                           struct wms_error *err)
{
	static const char sql[] =
		"SELECT 1 FROM orders o JOIN customers c ON c.id = o.customer_id"
		" WHERE c.code = ?1 AND o.external_id = ?2";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, customer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ext, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "looking up earlier imports");
}

static int number_taken(struct wms_store *s, const char *number, struct wms_error *err)
{
	static const char sql[] = "SELECT 1 FROM orders WHERE number = ?1";
	sqlite3_stmt *st = wms_store_stmt(s, sql, err);
	int rc;

	if (st == NULL)
		return WMS_EDB;
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : wms_store_sql_error(s, err, "looking up order numbers");
}

/* One data row: 0 imported, 1 already present, WMS_EDB/ENOMEM fatal, other < 0 bad row (err). */
static int import_row(struct import *im, long line, const char **f, int n, struct wms_error *err)
{
	struct wms_cmd cmd = { 0 };
	struct wms_patient p = { 0 };
	char number[2 * WMS_CODE_MAX + 2];
	const char *ext, *customer;
	int rc;

	if (n != im->n_header)
		return wms_error_set(err, WMS_EINVAL, "line %ld: %d fields, the header has %d", line, n,
		                     im->n_header);
	for (int i = 0; i < n; i++)
		f[i] = trim(f[i]);
	ext = field(im, f, C_EXTERNAL_ID);
	customer = field(im, f, C_CUSTOMER);
	if ((rc = wms_check_order_number(ext, err)) < 0)
		return wms_error_set(err, rc, "line %ld: external_id: %s", line, err->msg);
	if ((rc = wms_check_code("ordering unit code", customer, err)) < 0)
		return wms_error_set(err, rc, "line %ld: customer: %s", line, err->msg);
	if ((rc = already_present(im->s, customer, ext, err)) != 0)
		return rc;
	if ((rc = number_taken(im->s, ext, err)) < 0)
		return rc;
	snprintf(number, sizeof number, rc ? "%s/%s" : "%s", rc ? customer : ext, ext);
	if (rc && strlen(number) > WMS_CODE_MAX)
		return wms_error_set(err, WMS_EINVAL, "line %ld: order number %s is taken by another ordering unit "
		                     "and %s is longer than %d characters", line, ext, number, WMS_CODE_MAX);
	if (rc && (rc = number_taken(im->s, number, err)) != 0)
		return rc < 0 ? rc : wms_error_set(err, WMS_EEXIST, "line %ld: order numbers %s and %s are both taken",
		                                   line, ext, number);
	p.name = field(im, f, C_NAME);
	p.address = field(im, f, C_ADDRESS);
	p.postal_code = field(im, f, C_POSTAL_CODE);
	p.phone = field(im, f, C_PHONE);
	cmd.type = WMS_EV_ORDER_CREATE;
	cmd.at = im->o->at;
	cmd.station = im->o->station;
	cmd.actor = im->o->actor;
	cmd.role = im->o->role;
	cmd.order = number;
	cmd.external_id = ext;
	cmd.customer = customer;
	cmd.product = field(im, f, C_PRODUCT);
	cmd.mode = field(im, f, C_MODE);
	cmd.patient_ref = field(im, f, C_PATIENT_REF);
	cmd.pickup_point = field(im, f, C_PICKUP_POINT);
	cmd.requested_date = field(im, f, C_REQUESTED_DATE);
	cmd.depot = field(im, f, C_DEPOT);   /* the serving depot's code; empty = the default */
	if ((rc = wms_order_create_with_patient(im->s, &cmd, &p, NULL, err)) < 0 && rc != WMS_EDB &&
	    rc != WMS_ENOMEM)
		return wms_error_set(err, rc, "line %ld: %s", line, err->msg);
	return rc;
}

static bool all_empty(const char **f, int n)
{
	for (int i = 0; i < n; i++)
		if (*trim(f[i]))
			return false;
	return true;
}

int wms_order_import(struct wms_store *s, const char *text, size_t len, const struct wms_import_opts *o,
                     struct wms_import_result *res, struct wms_error *err)
{
	static const struct wms_import_opts none = { 0 };
	struct import im = { .s = s, .o = o ? o : &none, .res = res };
	struct wms_csv *r = malloc(sizeof *r);
	const char *f[WMS_CSV_MAX_FIELDS];
	int n, got, rc = 0;
	bool batch = false;

	memset(res, 0, sizeof *res);
	if (r == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	wms_csv_init(r, text, len, 0);
	got = wms_csv_next(r, f, &n, err);
	if (got == 0) {
		rc = wms_error_set(err, WMS_EINVAL, "the file is empty; the first line names the columns: %s",
		                   ALLOWED_COLS);
		goto out;
	}
	if (got < 0 || (rc = read_header(&im, f, n, err)) < 0) {
		rc = WMS_EINVAL;
		goto out;
	}
	if ((rc = wms_store_begin(s, err)) < 0)
		goto out;
	batch = true;
	for (;;) {
		struct wms_error e = { 0 };
		got = wms_csv_next(r, f, &n, &e);
		if (got == 0)
			break;
		if (got > 0 && all_empty(f, n))
			continue;
		rc = got < 0 ? got : import_row(&im, r->record_line, f, n, &e);
		if (rc == WMS_EDB || rc == WMS_ENOMEM) {
			wms_error_set(err, rc, "line %ld: %s", r->record_line, e.msg);
			goto out;
		}
		if (rc == 0) {
			res->imported++;
		} else if (rc == 1) {
			res->present++;
		} else {
			res->bad++;
			if (im.o->report)
				im.o->report(im.o->ctx, r->record_line, e.msg);
		}
	}
	rc = wms_store_commit(s, err);
	batch = false;
out:
	if (batch)
		wms_store_rollback(s);
	if (rc < 0)
		memset(res, 0, sizeof *res);
	free(r);
	return rc < 0 ? rc : 0;
}

int wms_order_import_file(struct wms_store *s, const char *path, const struct wms_import_opts *o,
                          struct wms_import_result *res, struct wms_error *err)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;

	memset(res, 0, sizeof *res);
	if (fp == NULL)
		return wms_error_set(err, WMS_EIO, "cannot read %s: %s", path, strerror(errno));
	for (;;) {
		size_t got;
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *p;
			if (ncap > (size_t)WMS_IMPORT_MAX_BYTES + 1)
				ncap = (size_t)WMS_IMPORT_MAX_BYTES + 1;
			if (ncap == cap) {
				rc = wms_error_set(err, WMS_EINVAL, "%s is larger than %ld bytes; split it", path,
				                   WMS_IMPORT_MAX_BYTES);
				goto out;
			}
			if ((p = realloc(buf, ncap)) == NULL) {
				rc = wms_error_set(err, WMS_ENOMEM, "out of memory reading %s", path);
				goto out;
			}
			buf = p;
			cap = ncap;
		}
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		rc = wms_error_set(err, WMS_EIO, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	rc = wms_order_import(s, buf ? buf : "", len, o, res, err);
out:
	free(buf);
	fclose(fp);
	return rc;
}
