/*
 * cmd_scan.c - `wms scan-image FILE...`: the barcodes in image files (PNG,
 * PGM), decoded as a camera station would (scanners/image_decode.h) and
 * interpreted as a handheld's scan would be (scanners/barcode.h): one row per
 * barcode with its symbology, AIM identifier and meaning (UDI, SSCC,
 * location, command ...) or why it was refused.  Touches no database.
 *
 * Every file is tried; the exit status is the first failure's: an unreadable
 * file (1, 3 or 4), a file without any barcode (4), a refused barcode (3).
 *
 * `wms scan-text DATA [--aim ]d2] [--gs sent|dropped|C]`: what a scanner
 * sending those bytes would mean to a station, or why it is refused, with
 * every GS1 element; for support staff and tests.  In DATA, "<GS>" or
 * "\x1d" stand for the GS separator, "\xHH" for any byte, "\\" for a
 * backslash.  --gs is the source's gs= option (scan_source.h).
 */
#include "cli.h"

#include "barcode.h"
#include "image_decode.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "2030-12-31", or "2030-12" for a date with day 00 that is not an expiry. */
static void date_text(const struct scan_date *d, char *buf, size_t len)
{
	if (d->day == 0)
		snprintf(buf, len, "%04d-%02d", d->year, d->month);
	else
		snprintf(buf, len, "%04d-%02d-%02d", d->year, d->month, d->day);
}

/* One line saying what the scan means, and (with --json) its fields. */
static void meaning(const struct scan_result *r, json_t *row, bool json)
{
	char line[256], exp[16] = "", mfd[16] = "";
	json_t *o;

	switch (r->kind) {
	case SCAN_UDI:
		if (r->udi.has_expiry)
			date_text(&r->udi.expiry, exp, sizeof exp);
		if (r->udi.has_manufactured)
			date_text(&r->udi.manufactured, mfd, sizeof mfd);
		snprintf(line, sizeof line, "GTIN %s%s%s%s%s%s%s%s%s", r->udi.gtin,
		         *r->udi.serial ? " serial " : "", r->udi.serial, *r->udi.lot ? " lot " : "",
		         r->udi.lot, *exp ? " expiry " : "", exp, *mfd ? " made " : "", mfd);
		if (json) {
			o = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?}", "gtin", r->udi.gtin,
			              "serial", *r->udi.serial ? r->udi.serial : NULL,
			              "lot", *r->udi.lot ? r->udi.lot : NULL,
			              "expiry", *exp ? exp : NULL, "manufactured", *mfd ? mfd : NULL);
			json_object_set_new(row, "udi", o);
		}
		break;
	case SCAN_SSCC:
		snprintf(line, sizeof line, "SSCC %s", r->sscc);
		if (json)
			json_object_set_new(row, "sscc", json_string(r->sscc));
		break;
	case SCAN_LOCATION:
	case SCAN_ORDER:
	case SCAN_USER:
		snprintf(line, sizeof line, "%s %s", scan_kind_name(r->kind), r->code);
		if (json)
			json_object_set_new(row, "code", json_string(r->code));
		break;
	case SCAN_COMMAND:
		snprintf(line, sizeof line, "command %s", scan_command_name(r->command));
		if (json)
			json_object_set_new(row, "command", json_string(scan_command_name(r->command)));
		break;
	case SCAN_GS1:
		snprintf(line, sizeof line, "GS1 data, %zu element strings", (size_t)r->gs1.count);
		break;
	default:
		snprintf(line, sizeof line, "text");
		break;
	}
	json_object_set_new(row, "meaning", json_string(line));
}

static json_t *row_new(const char *file, const char *symbology, const char *aim, const char *kind)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "file", file, "symbology", symbology,
	                 "aim", aim, "kind", kind, "meaning", "", "data", "");
}

/* Decode one file into rows.  Returns 0 or the file's failure. */
static int scan_file(struct scan_image_decoder *d, const char *path, bool json, json_t *rows,
                     struct wms_error *err)
{
	struct scan_image_symbol syms[SCAN_IMAGE_MAX_SYMBOLS];
	struct scan_image img = { 0 };
	unsigned char *gray = NULL;
	int n = 0, rc;

	if ((rc = scan_image_load(path, &gray, &img.width, &img.height, err)) < 0 ||
	    (img.gray = gray, img.stride = img.width,
	     rc = scan_image_decode(d, &img, syms, SCAN_IMAGE_MAX_SYMBOLS, &n, err)) < 0) {
		json_t *row = row_new(path, "-", "-", "error");
		json_object_set_new(row, "meaning", json_string(err->msg));
		json_array_append_new(rows, row);
		goto out;
	}
	if (n == 0) {
		const char *hint = scan_image_decode_hint(d);
		json_t *row = row_new(path, "-", "-", "none");
		json_object_set_new(row, "meaning", json_string(*hint ? hint : "no barcode"));
		json_array_append_new(rows, row);
		if (*hint)
			rc = wms_error_set(err, WMS_ENOTFOUND, "%s: %s", path, hint);
		else
			rc = wms_error_set(err, WMS_ENOTFOUND, "%s: no barcode found (looked for 1D "
			                   "codes, QR and DataMatrix)", path);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		struct scan_result *r = malloc(sizeof *r);   /* large: not on the stack */
		struct wms_error why = { 0 };
		char aim[AIM_ID_LEN + 1], data[4 * 200 + 8];
		json_t *row;

		if (r == NULL) {
			rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
			goto out;
		}
		aim_format(&syms[i].aim, aim);
		wms_quote(data, sizeof data, (const char *)syms[i].bytes + AIM_ID_LEN,
		          syms[i].len - AIM_ID_LEN, 200);
		if (scan_interpret(syms[i].bytes, syms[i].len, NULL, r, &why) < 0) {
			row = row_new(path, syms[i].symbology, aim, "refused");
			json_object_set_new(row, "meaning", json_string(why.msg));
			if (rc == 0)
				rc = wms_error_set(err, WMS_EINVAL, "%s: %s barcode refused: %s", path,
				                   syms[i].symbology, why.msg);
		} else {
			row = row_new(path, syms[i].symbology, aim, scan_kind_name(r->kind));
			meaning(r, row, json);
		}
		json_object_set_new(row, "data", json_string(data));
		if (json && syms[i].truncated)
			json_object_set_new(row, "truncated", json_true());
		json_array_append_new(rows, row);
		free(r);
	}
out:
	free(gray);
	return rc;
}

static int scan_image(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct scan_image_decoder *d = NULL;
	struct wms_error first = { 0 };
	json_t *rows = json_array();
	int rc, failed = 0;

	if (rows == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	if ((rc = scan_image_decoder_new(&(struct scan_image_options){ .quiet_zone_hint = true },
	                                 &d, err)) < 0)
		goto out;
	for (int i = 0; i < c->n_args; i++) {
		struct wms_error e = { 0 };
		if (scan_file(d, c->args[i], c->json, rows, &e) < 0 && failed++ == 0)
			first = e;
	}
	cli_print(c, rows);
	if (failed) {
		rc = first.code;
		if (failed > 1)
			wms_error_set(err, rc, "%s (and %d more failures)", first.msg, failed - 1);
		else
			wms_error_set(err, rc, "%s", first.msg);
	}
out:
	scan_image_decoder_free(d);
	json_decref(rows);
	return rc;
}

/* DATA with <GS>, \xHH and \\ unescaped into out (size bytes); *n its length. */
static int unescape(const char *s, char *out, size_t size, size_t *n, struct wms_error *err)
{
	size_t o = 0;

	while (*s != '\0') {
		unsigned v;

		if (o + 1 >= size)
			return wms_error_set(err, WMS_EINVAL, "DATA is longer than %d bytes",
			                     SCAN_INPUT_MAX);
		if (strncmp(s, "<GS>", 4) == 0) {
			out[o++] = 0x1d;
			s += 4;
		} else if (s[0] == '\\' && s[1] == '\\') {
			out[o++] = '\\';
			s += 2;
		} else if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &v) == 1 &&
		           isxdigit((unsigned char)s[2]) && isxdigit((unsigned char)s[3])) {
			if (v == 0)
				return wms_error_set(err, WMS_EINVAL, "DATA: \\x00 is not allowed "
				                     "(a scan never holds a NUL byte)");
			out[o++] = (char)v;
			s += 4;
		} else if (s[0] == '\\') {
			return wms_error_set(err, WMS_EINVAL, "DATA: unknown escape \"%.4s\"; allowed "
			                     "are \\xHH (two hex digits), \\\\ and <GS>", s);
		} else {
			out[o++] = *s++;
		}
	}
	*n = o;
	return 0;
}

/* The --gs option: sent, dropped, or the scanner's printable stand-in. */
static int gs_option(const char *v, struct scan_options *o, struct wms_error *err)
{
	if (v == NULL || strcmp(v, "sent") == 0)
		return 0;
	if (strcmp(v, "dropped") == 0) {
		o->gs = GS1_SEP_DROPPED;
		return 0;
	}
	if (v[0] > 0x20 && v[0] < 0x7f && v[1] == '\0' && !isalnum((unsigned char)v[0])) {
		o->gs_substitute = v[0];
		return 0;
	}
	return wms_error_set(err, WMS_EINVAL, "--gs %.20s: allowed are sent (the default), "
	                     "dropped, or the one printable character other than a letter or "
	                     "digit that the scanner sends for FNC1", v);
}

static void print_text(const struct scan_result *r, const json_t *row, const char *refused)
{
	json_t *els = json_object_get(row, "elements"), *e, *alts;
	char aim[AIM_ID_LEN + 1];
	size_t i;

	aim_format(&r->aim, aim);
	printf("%s: %s\n", _("data"), json_string_value(json_object_get(row, "data")));
	if (aim[0] != '\0')
		printf("%s: %s (%s%s)\n", _("AIM identifier"), aim,
		       aim_symbology_name(r->aim.symbology), aim_is_gs1(&r->aim) ? ", GS1" : "");
	if (refused != NULL) {
		printf("%s: %s\n", _("refused"), refused);
		alts = json_object_get(row, "readings");
		json_array_foreach(alts, i, e)
			printf("  %s %s\n", _("could be"), json_string_value(e));
		return;
	}
	printf("%s: %s\n", _("kind"), scan_kind_name(r->kind));
	printf("%s: %s\n", _("meaning"), json_string_value(json_object_get(row, "meaning")));
	if (r->gs1.fnc1_inferred)
		printf("%s\n", _("note: a missing GS separator was inferred (source drops GS)"));
	json_array_foreach(els, i, e)
		printf("  (%s) %s: %s\n", json_string_value(json_object_get(e, "ai")),
		       json_string_value(json_object_get(e, "title")),
		       json_string_value(json_object_get(e, "value")));
}

static int scan_text(struct cli *c, const struct cli_command *cmd, struct wms_error *err)
{
	struct scan_options o = { 0 };
	struct scan_result *r = NULL;
	struct wms_error why = { 0 };
	char bytes[SCAN_INPUT_MAX + 1], quoted[4 * SCAN_INPUT_MAX + 8];
	json_t *row = NULL, *els;
	size_t n = 0, i;
	int rc;

	(void)cmd;
	if (c->n_args != 1)
		return wms_error_set(err, WMS_EINVAL, "scan-text takes one DATA argument (quote it)");
	if ((rc = unescape(c->args[0], bytes, sizeof bytes, &n, err)) < 0 ||
	    (rc = gs_option(cli_opt(c, "gs"), &o, err)) < 0)
		return rc;
	o.aim = cli_opt(c, "aim");
	if ((r = malloc(sizeof *r)) == NULL || (row = json_object()) == NULL ||
	    (els = json_array()) == NULL) {
		free(r);
		json_decref(row);
		return wms_error_set(err, WMS_ENOMEM, "out of memory");
	}
	wms_quote(quoted, sizeof quoted, bytes, n, SCAN_INPUT_MAX);
	json_object_set_new(row, "data", json_string(quoted));
	rc = scan_interpret(bytes, n, &o, r, &why);
	if (rc == 0) {
		char aim[AIM_ID_LEN + 1];

		aim_format(&r->aim, aim);
		json_object_set_new(row, "aim", json_string(aim));
		json_object_set_new(row, "kind", json_string(scan_kind_name(r->kind)));
		meaning(r, row, c->json);
		for (i = 0; i < r->gs1.count; i++)
			json_array_append_new(els, json_pack("{s:s, s:s, s:s}", "ai", r->gs1.el[i].ai,
			    "title", r->gs1.el[i].def->title, "value", r->gs1.el[i].value));
		json_object_set_new(row, "elements", els);
		if (r->gs1.fnc1_inferred)
			json_object_set_new(row, "separator_inferred", json_true());
	} else {
		json_t *alts = json_array();

		for (i = 0; alts != NULL && i < r->gs1.n_alternatives; i++)
			json_array_append_new(alts, json_string(r->gs1.alternatives[i]));
		json_object_set_new(row, "refused", json_string(why.msg));
		json_object_set_new(row, "readings", alts);
		json_decref(els);
		rc = wms_error_set(err, WMS_EINVAL, "scan refused: %s", why.msg);
	}
	if (c->json)
		cli_print(c, row);
	else
		print_text(r, row, rc == 0 ? NULL : why.msg);
	json_decref(row);
	free(r);
	return rc;
}

const struct cli_command cli_scan_commands[] = {
	{ "scan-text", scan_text, "DATA", "aim gs",
	  N_("what a scan of DATA means (AIs, fields) or why it is refused; <GS> or \\x1d for "
	     "the GS separator"), -1 },
	{ "scan-image", scan_image, "FILE [FILE] [FILE] [FILE] [FILE] [FILE] [FILE] [FILE]", "",
	  N_("the barcodes in PNG/PGM images (1D, QR, DataMatrix) and what each means as a scan"), -1 },
	{ NULL, NULL, NULL, NULL, NULL, -1 },
};
