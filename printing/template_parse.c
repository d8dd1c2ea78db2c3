/*
 * template_parse.c - reading label templates (format in label_template.h).
 *
 * The parser builds a fresh template and hands it out only when the whole
 * file is valid; every error names the file and line.  Field placeholders are
 * checked against the kind's field table here, so a misspelt {seriel} is a
 * template error at load time, not a blank on a printed label.
 */
#include "label_internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 16
#define MAX_LINE 1024
#define MAX_MM 2000.0

#define ALLOWED "kind, size, text, barcode, datamatrix-gs1, line, box, table, column, " \
	"column-code128, if"

struct parser {
	const char *name;
	int line;
	struct label_template *t;
	int have_kind, have_size;
	struct wms_error *err;
	char buf[MAX_LINE];
	char *tok[MAX_TOKENS];
	int ntok;
};

static int perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int perr(struct parser *p, const char *fmt, ...)
{
	char msg[WMS_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return wms_error_set(p->err, WMS_ECONFIG, "%s:%d: %s", p->name, p->line, msg);
}

/* Split p->buf in place into tokens; quoted strings lose their quotes. */
static int tokenize(struct parser *p)
{
	char *r = p->buf, *w;

	p->ntok = 0;
	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\r')
			r++;
		if (*r == '\0' || *r == '#')
			return 0;
		if (p->ntok == MAX_TOKENS)
			return perr(p, "too many words (at most %d)", MAX_TOKENS);
		w = r;
		p->tok[p->ntok++] = w;
		if (*r == '"') {
			r++;
			for (;;) {
				if (*r == '\0')
					return perr(p, "unterminated string");
				if (*r == '"')
					break;
				if (*r == '\\' && (r[1] == '"' || r[1] == '\\'))
					r++;
				*w++ = *r++;
			}
			r++;
			if (*r != '\0' && *r != ' ' && *r != '\t' && *r != '\r' && *r != '#')
				return perr(p, "text right after closing quote");
			if (*r != '\0' && *r != '#')
				r++;
			else if (*r == '#')
				*r = '\0';
			*w = '\0';
			if (*r == '\0')
				return 0;
			continue;
		}
		while (*r && *r != ' ' && *r != '\t' && *r != '\r' && *r != '#')
			r++;
		if (*r == '#') {
			*r = '\0';
			return 0;
		}
		if (*r)
			*r++ = '\0';
	}
}

static int number(struct parser *p, const char *tok, const char *what, double lo, double hi,
		  double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(tok, &end);
	if (end == tok || *end != '\0' || errno != 0 || !isfinite(v))
		return perr(p, "bad number '%s' for %s", tok, what);
	if (v < lo || v > hi)
		return perr(p, "%s %s out of range %g..%g", what, tok, lo, hi);
	*out = v;
	return 0;
}

/* Check every {field} in s against the kind; rows = row fields allowed. */
static int check_fields(struct parser *p, const char *s, int rows)
{
	const char *c = s;

	while (*c) {
		const char *end;
		char name[64];
		size_t n;
		int has;

		if (c[0] == '{' && c[1] == '{') {
			c += 2;
			continue;
		}
		if (c[0] != '{') {
			c++;
			continue;
		}
		end = strchr(c, '}');
		if (end == NULL)
			return perr(p, "'{' without closing '}' in \"%s\"", s);
		n = (size_t)(end - c - 1);
		if (n == 0 || n >= sizeof name)
			return perr(p, "bad field name in \"%s\"", s);
		memcpy(name, c + 1, n);
		name[n] = '\0';
		has = label_kind_has_field(p->t->kind, name);
		if (has == 0 || (has == 2 && !rows))
			return perr(p, "unknown field '{%s}' for %s label; known: %s, page, pages",
				    name, label_kind_name(p->t->kind),
				    label_kind_field_list(p->t->kind));
		c = end + 1;
	}
	return 0;
}

static int nargs(struct parser *p, int have, int want, const char *usage)
{
	if (have != want)
		return perr(p, "expected %d argument%s: %s", want, want == 1 ? "" : "s", usage);
	return 0;
}

static int push_elem(struct parser *p, struct tpl_elem *e)
{
	struct label_template *t = p->t;
	struct tpl_elem *ne = realloc(t->elems, (t->nelems + 1) * sizeof *ne);

	if (ne == NULL)
		return wms_error_set(p->err, WMS_ENOMEM, "out of memory");
	t->elems = ne;
	t->elems[t->nelems++] = *e;
	return 0;
}

static int inside(struct parser *p, double x, double y, double w, double h)
{
	if (x + w > p->t->w_mm + 1e-9 || y + h > p->t->h_mm + 1e-9)
		return perr(p, "element reaches outside the %gx%g mm label", p->t->w_mm,
			    p->t->h_mm);
	return 0;
}

/* Parse one drawing element from tok[i..]; cond is an "if" field or NULL. */
static int parse_elem(struct parser *p, int i, const char *cond)
{
	struct tpl_elem e;
	char **a = p->tok + i + 1;
	int na = p->ntok - i - 1, rc;
	const char *kw = p->tok[i];

	memset(&e, 0, sizeof e);
	e.line = p->line;
	if (strcmp(kw, "text") == 0) {
		const char *usage = "text X Y H [bold] [max W] STRING";
		int j = 3;

		e.type = TPL_TEXT;
		if (na < 4)
			return nargs(p, na, 4, usage);
		while (j < na - 1) {
			if (strcmp(a[j], "bold") == 0) {
				e.bold = 1;
				j++;
			} else if (strcmp(a[j], "max") == 0 && j + 2 < na) {
				if ((rc = number(p, a[j + 1], "max width", 1, MAX_MM, &e.w)) < 0)
					return rc;
				j += 2;
			} else {
				return perr(p, "unexpected '%s'; expected: %s", a[j], usage);
			}
		}
		if ((rc = number(p, a[0], "x", 0, MAX_MM, &e.x)) < 0 ||
		    (rc = number(p, a[1], "y", 0, MAX_MM, &e.y)) < 0 ||
		    (rc = number(p, a[2], "text height", 0.5, 100, &e.h)) < 0 ||
		    (rc = inside(p, e.x, e.y, e.w, e.h)) < 0 ||
		    (rc = check_fields(p, a[na - 1], 0)) < 0)
			return rc;
		e.str = a[na - 1];
	} else if (strcmp(kw, "barcode") == 0) {
		const char *usage = "barcode code128|gs1-128 X Y H MODULE STRING";

		if ((rc = nargs(p, na, 6, usage)) < 0)
			return rc;
		if (strcmp(a[0], "code128") == 0)
			e.type = TPL_CODE128;
		else if (strcmp(a[0], "gs1-128") == 0)
			e.type = TPL_GS1_128;
		else
			return perr(p, "unknown barcode type '%s'; allowed: code128, gs1-128", a[0]);
		if ((rc = number(p, a[1], "x", 0, MAX_MM, &e.x)) < 0 ||
		    (rc = number(p, a[2], "y", 0, MAX_MM, &e.y)) < 0 ||
		    (rc = number(p, a[3], "bar height", 1, 500, &e.h)) < 0 ||
		    (rc = number(p, a[4], "module", 0.1, 5, &e.module)) < 0 ||
		    (rc = inside(p, e.x, e.y, 0, e.h)) < 0 ||
		    (rc = check_fields(p, a[5], 0)) < 0)
			return rc;
		e.str = a[5];
	} else if (strcmp(kw, "datamatrix-gs1") == 0) {
		e.type = TPL_DM_GS1;
		if ((rc = nargs(p, na, 4, "datamatrix-gs1 X Y MODULE STRING")) < 0 ||
		    (rc = number(p, a[0], "x", 0, MAX_MM, &e.x)) < 0 ||
		    (rc = number(p, a[1], "y", 0, MAX_MM, &e.y)) < 0 ||
		    (rc = number(p, a[2], "module", 0.1, 5, &e.module)) < 0 ||
		    (rc = inside(p, e.x, e.y, 0, 0)) < 0 ||
		    (rc = check_fields(p, a[3], 0)) < 0)
			return rc;
		e.str = a[3];
	} else if (strcmp(kw, "line") == 0) {
		double x1, y1, x2, y2;

		e.type = TPL_LINE;
		if ((rc = nargs(p, na, 5, "line X1 Y1 X2 Y2 T")) < 0 ||
		    (rc = number(p, a[0], "x1", 0, MAX_MM, &x1)) < 0 ||
		    (rc = number(p, a[1], "y1", 0, MAX_MM, &y1)) < 0 ||
		    (rc = number(p, a[2], "x2", 0, MAX_MM, &x2)) < 0 ||
		    (rc = number(p, a[3], "y2", 0, MAX_MM, &y2)) < 0 ||
		    (rc = number(p, a[4], "thickness", 0.05, 50, &e.t)) < 0)
			return rc;
		if (x1 != x2 && y1 != y2)
			return perr(p, "line must be horizontal or vertical");
		e.x = fmin(x1, x2);
		e.y = fmin(y1, y2);
		e.w = y1 == y2 ? fabs(x2 - x1) : e.t;
		e.h = y1 == y2 ? e.t : fabs(y2 - y1);
		if ((rc = inside(p, e.x, e.y, e.w, e.h)) < 0)
			return rc;
	} else if (strcmp(kw, "box") == 0) {
		e.type = TPL_BOX;
		if ((rc = nargs(p, na, 5, "box X Y W H T")) < 0 ||
		    (rc = number(p, a[0], "x", 0, MAX_MM, &e.x)) < 0 ||
		    (rc = number(p, a[1], "y", 0, MAX_MM, &e.y)) < 0 ||
		    (rc = number(p, a[2], "width", 0.1, MAX_MM, &e.w)) < 0 ||
		    (rc = number(p, a[3], "height", 0.1, MAX_MM, &e.h)) < 0 ||
		    (rc = number(p, a[4], "thickness", 0.05, 50, &e.t)) < 0 ||
		    (rc = inside(p, e.x, e.y, e.w, e.h)) < 0)
			return rc;
	} else {
		return perr(p, "unknown element '%s'; allowed: %s", kw, ALLOWED);
	}
	e.str = e.str ? strdup(e.str) : NULL;
	e.cond = cond ? strdup(cond) : NULL;
	if ((e.type != TPL_LINE && e.type != TPL_BOX && e.str == NULL) ||
	    (cond != NULL && e.cond == NULL))
		goto nomem;
	rc = push_elem(p, &e);
	if (rc < 0)
		goto fail;
	return 0;
nomem:
	rc = wms_error_set(p->err, WMS_ENOMEM, "out of memory");
fail:
	free(e.str);
	free(e.cond);
	return rc;
}

static int parse_table(struct parser *p)
{
	struct label_template *t = p->t;
	char **a = p->tok + 1;
	int rc;

	if (t->has_table)
		return perr(p, "only one table per template");
	if (!label_kind_has_rows(t->kind))
		return perr(p, "a %s label has no item rows, so no table", label_kind_name(t->kind));
	if ((rc = nargs(p, p->ntok - 1, 5, "table X Y ROWH TEXTH BOTTOM")) < 0 ||
	    (rc = number(p, a[0], "x", 0, MAX_MM, &t->tbl_x)) < 0 ||
	    (rc = number(p, a[1], "y", 0, MAX_MM, &t->tbl_y)) < 0 ||
	    (rc = number(p, a[2], "row height", 1, 100, &t->tbl_rowh)) < 0 ||
	    (rc = number(p, a[3], "text height", 0.5, 100, &t->tbl_texth)) < 0 ||
	    (rc = number(p, a[4], "bottom", 0, MAX_MM, &t->tbl_bottom)) < 0 ||
	    (rc = inside(p, t->tbl_x, t->tbl_y, 0, 0)) < 0 ||
	    (rc = inside(p, 0, 0, 0, t->tbl_bottom)) < 0)
		return rc;
	if (t->tbl_bottom < t->tbl_y + 2 * t->tbl_rowh)
		return perr(p, "table bottom %g leaves no room for a row", t->tbl_bottom);
	if (t->tbl_texth > t->tbl_rowh)
		return perr(p, "table text height is larger than the row height");
	t->has_table = 1;
	return 0;
}

static int parse_column(struct parser *p)
{
	struct label_template *t = p->t;
	struct tpl_column c, *nc;
	char **a = p->tok + 1;
	int rc;

	memset(&c, 0, sizeof c);
	if (!t->has_table)
		return perr(p, "'%s' before 'table'", p->tok[0]);
	if (strcmp(p->tok[0], "column-code128") == 0) {
		/* column-code128 X HEADER MODULE STRING: the module goes, the rest is a column's */
		if ((rc = nargs(p, p->ntok - 1, 4, "column-code128 X HEADER MODULE STRING")) < 0 ||
		    (rc = number(p, a[2], "module", 0.1, 2, &c.module)) < 0)
			return rc;
		a[2] = a[3];
	} else if ((rc = nargs(p, p->ntok - 1, 3, "column X HEADER STRING")) < 0) {
		return rc;
	}
	if ((rc = number(p, a[0], "x", 0, MAX_MM, &c.x)) < 0 ||
	    (rc = inside(p, c.x, 0, 0, 0)) < 0 ||
	    (rc = check_fields(p, a[1], 0)) < 0 ||
	    (rc = check_fields(p, a[2], 1)) < 0)
		return rc;
	c.line = p->line;
	c.header = strdup(a[1]);
	c.str = strdup(a[2]);
	nc = realloc(t->cols, (t->ncols + 1) * sizeof *nc);
	if (c.header == NULL || c.str == NULL || nc == NULL) {
		free(c.header);
		free(c.str);
		if (nc != NULL)
			t->cols = nc;
		return wms_error_set(p->err, WMS_ENOMEM, "out of memory");
	}
	t->cols = nc;
	t->cols[t->ncols++] = c;
	return 0;
}

static int parse_line(struct parser *p)
{
	struct label_template *t = p->t;
	const char *kw = p->tok[0];
	int rc;

	if (strcmp(kw, "kind") == 0) {
		if (p->have_kind)
			return perr(p, "'kind' given twice");
		if ((rc = nargs(p, p->ntok - 1, 1, "kind NAME")) < 0)
			return rc;
		if (label_kind_from_name(p->tok[1], &t->kind, NULL) < 0)
			return perr(p, "unknown label kind '%s'; allowed: device, location, recon, "
				    "shipping, return, picklist, delivery-note, command-sheet", p->tok[1]);
		p->have_kind = 1;
		return 0;
	}
	if (!p->have_kind)
		return perr(p, "'kind' must come first");
	if (strcmp(kw, "size") == 0) {
		if (p->have_size)
			return perr(p, "'size' given twice");
		if ((rc = nargs(p, p->ntok - 1, 2, "size W H")) < 0 ||
		    (rc = number(p, p->tok[1], "width", 5, MAX_MM, &t->w_mm)) < 0 ||
		    (rc = number(p, p->tok[2], "height", 5, MAX_MM, &t->h_mm)) < 0)
			return rc;
		p->have_size = 1;
		return 0;
	}
	if (!p->have_size)
		return perr(p, "'size' must come before '%s'", kw);
	if (strcmp(kw, "table") == 0)
		return parse_table(p);
	if (strcmp(kw, "column") == 0 || strcmp(kw, "column-code128") == 0)
		return parse_column(p);
	if (strcmp(kw, "if") == 0) {
		if (p->ntok < 3)
			return perr(p, "expected: if FIELD <element>");
		if (label_kind_has_field(t->kind, p->tok[1]) != 1)
			return perr(p, "unknown field '%s' for %s label; known: %s", p->tok[1],
				    label_kind_name(t->kind), label_kind_field_list(t->kind));
		return parse_elem(p, 2, p->tok[1]);
	}
	return parse_elem(p, 0, NULL);
}

int label_template_parse(const char *name, const char *text, size_t len,
			 struct label_template **out, struct wms_error *err)
{
	struct parser p;
	size_t pos = 0;
	int rc = 0;

	*out = NULL;
	memset(&p, 0, sizeof p);
	p.name = name ? name : "template";
	p.err = err;
	p.t = calloc(1, sizeof *p.t);
	if (p.t == NULL || (p.t->name = strdup(p.name)) == NULL) {
		rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
		goto out;
	}
	while (pos < len) {
		size_t n = 0;

		p.line++;
		while (pos + n < len && text[pos + n] != '\n')
			n++;
		if (n >= MAX_LINE) {
			rc = perr(&p, "line longer than %d bytes", MAX_LINE - 1);
			goto out;
		}
		memcpy(p.buf, text + pos, n);
		p.buf[n] = '\0';
		pos += n + 1;
		if (memchr(p.buf, '\0', n) != NULL) {
			rc = perr(&p, "NUL byte in template");
			goto out;
		}
		if ((rc = tokenize(&p)) < 0)
			goto out;
		if (p.ntok == 0)
			continue;
		if ((rc = parse_line(&p)) < 0)
			goto out;
	}
	if (!p.have_kind || !p.have_size) {
		rc = wms_error_set(err, WMS_ECONFIG, "%s:%d: missing '%s'", p.name, p.line,
				   p.have_kind ? "size" : "kind");
		goto out;
	}
	if (p.t->has_table && p.t->ncols == 0) {
		rc = wms_error_set(err, WMS_ECONFIG, "%s:%d: table without columns", p.name,
				   p.line);
		goto out;
	}
	*out = p.t;
	p.t = NULL;
out:
	label_template_free(p.t);
	return rc;
}

int label_template_load_file(const char *path, struct label_template **out,
			     struct wms_error *err)
{
	const char *base = strrchr(path, '/');
	char *text = NULL;
	size_t len = 0, cap = 0;
	FILE *fp;
	int rc;

	*out = NULL;
	fp = fopen(path, "r");
	if (fp == NULL)
		return wms_error_set(err, WMS_EIO, "%s: %s", path, strerror(errno));
	for (;;) {
		size_t got;

		if (len == cap) {
			char *nt;

			cap = cap ? cap * 2 : 4096;
			if (cap > (1u << 20)) {
				rc = wms_error_set(err, WMS_ECONFIG, "%s: template too large", path);
				goto out;
			}
			nt = realloc(text, cap);
			if (nt == NULL) {
				rc = wms_error_set(err, WMS_ENOMEM, "out of memory");
				goto out;
			}
			text = nt;
		}
		got = fread(text + len, 1, cap - len, fp);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		rc = wms_error_set(err, WMS_EIO, "%s: read error", path);
		goto out;
	}
	rc = label_template_parse(base ? base + 1 : path, text, len, out, err);
out:
	fclose(fp);
	free(text);
	return rc;
}

int label_template_load(const char *dir, const char *name, struct label_template **out,
			struct wms_error *err)
{
	char path[4096];
	const char *c;

	*out = NULL;
	if (dir == NULL || name == NULL || name[0] == '\0')
		return wms_error_set(err, WMS_EINVAL, "template directory or name missing");
	for (c = name; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return wms_error_set(err, WMS_EINVAL, "bad template name '%s'", name);
	}
	if ((size_t)snprintf(path, sizeof path, "%s/%s.label", dir, name) >= sizeof path)
		return wms_error_set(err, WMS_EINVAL, "template path too long");
	return label_template_load_file(path, out, err);
}

void label_template_free(struct label_template *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nelems; i++) {
		free(t->elems[i].str);
		free(t->elems[i].cond);
	}
	for (i = 0; i < t->ncols; i++) {
		free(t->cols[i].header);
		free(t->cols[i].str);
	}
	free(t->elems);
	free(t->cols);
	free(t->name);
	free(t);
}

enum label_kind label_template_kind(const struct label_template *t)
{
	return t->kind;
}

void label_template_size(const struct label_template *t, double *w_mm, double *h_mm)
{
	*w_mm = t->w_mm;
	*h_mm = t->h_mm;
}
