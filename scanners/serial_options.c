/*
 * serial_options.c - checking a serial scanner's SPEC into struct
 * serial_options (serial_options.h); every refusal names the option, what
 * was wrong and what is allowed.
 */
#include "serial_options.h"

#include <stdio.h>
#include <string.h>

#include "scan_spec.h"

static const int bauds[] = { 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200,
                             230400, 460800, 921600 };

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_hex(const char *text, unsigned char *out, size_t max, size_t *len,
                     struct wms_error *err)
{
	size_t n = strlen(text);

	if (n == 0 || n % 2)
		return wms_error_set(err, WMS_EINVAL, "hex:%.40s: an even number of hex digits is needed",
		                     text);
	if (n / 2 > max)
		return wms_error_set(err, WMS_EINVAL, "hex:%.40s...: more than %zu bytes", text, max);
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval(text[i]), lo = hexval(text[i + 1]);
		if (hi < 0 || lo < 0)
			return wms_error_set(err, WMS_EINVAL, "hex:%.40s: \"%.2s\" is not a hex byte (00-ff)",
			                     text, text + i);
		out[(*len)++] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int escape(const char **p, unsigned char *c, struct wms_error *err)
{
	static const char from[] = "abefnrtv\\0", to[] = "\a\b\x1b\f\n\r\t\v\\";
	const char *hit;
	int hi, lo;

	if (**p == 'x') {
		if ((hi = hexval((*p)[1])) < 0)
			return wms_error_set(err, WMS_EINVAL, "\\x needs one or two hex digits");
		(*p) += 2;
		if ((lo = hexval(**p)) >= 0) {
			hi = hi << 4 | lo;
			(*p)++;
		}
		*c = (unsigned char)hi;
		return 0;
	}
	if (**p == '\0' || (hit = strchr(from, **p)) == NULL)
		return wms_error_set(err, WMS_EINVAL, "unknown escape \"\\%.1s\"; escapes: \\xNN \\a \\b "
		                     "\\e \\f \\n \\r \\t \\v \\\\ \\0", *p);
	*c = (unsigned char)to[hit - from];   /* "\\0" maps to the NUL that ends to[] */
	(*p)++;
	return 0;
}

int serial_options_bytes(const char *text, unsigned char *out, size_t max, size_t *len,
                         struct wms_error *err)
{
	const char *p = text;
	int rc;

	*len = 0;
	if (strncmp(text, "hex:", 4) == 0)
		return parse_hex(text + 4, out, max, len, err);
	while (*p) {
		unsigned char c = (unsigned char)*p++;
		if (c == '\\') {
			if ((rc = escape(&p, &c, err)) < 0)
				return rc;
		} else if (c < 0x21 || c > 0x7e) {
			return wms_error_set(err, WMS_EINVAL, "byte 0x%02x: write it as \\x%02x", c, c);
		}
		if (*len == max)
			return wms_error_set(err, WMS_EINVAL, "more than %zu bytes", max);
		out[(*len)++] = c;
	}
	return 0;
}

static int parse_port(const struct scan_spec *s, struct serial_options *o, struct wms_error *err)
{
	const char *usb = scan_spec_get(s, "usb"), *sn = scan_spec_get(s, "serial");
	unsigned vid, pid;
	int used;

	o->vid = o->pid = -1;
	if (s->first[0] && usb)
		return wms_error_set(err, WMS_ECONFIG, "name a port (%s) or usb=VID:PID, not both",
		                     s->first);
	if (s->first[0] == '\0' && usb == NULL)
		return wms_error_set(err, WMS_ECONFIG, "name a port (e.g. /dev/ttyACM0) or usb=VID:PID");
	if (s->first[0]) {
		if (s->first[0] != '/')
			return wms_error_set(err, WMS_ECONFIG, "port \"%.60s\": an absolute device path is "
			                     "needed (e.g. /dev/ttyACM0)", s->first);
		snprintf(o->port, sizeof o->port, "%s", s->first);
	} else {
		if (strlen(usb) != 9 || sscanf(usb, "%4x:%4x%n", &vid, &pid, &used) != 2 || used != 9 ||
		    strspn(usb, "0123456789abcdefABCDEF:") != 9)
			return wms_error_set(err, WMS_ECONFIG, "usb=%.40s: VID:PID as two 4-digit hex numbers "
			                     "(e.g. usb=0c2e:0b61)", usb);
		o->vid = (int)vid;
		o->pid = (int)pid;
	}
	if (sn) {
		if (usb == NULL)
			return wms_error_set(err, WMS_ECONFIG, "serial=%.40s: only with usb=VID:PID", sn);
		for (const char *p = sn; *p; p++)
			if (*p < 0x21 || *p > 0x7e)
				return wms_error_set(err, WMS_ECONFIG, "serial=: printable ASCII only");
		snprintf(o->usb_serial, sizeof o->usb_serial, "%s", sn);
	}
	return 0;
}

static int parse_line(const struct scan_spec *s, struct serial_options *o, struct wms_error *err)
{
	const char *v;
	long n;
	int rc;
	size_t i;

	if ((rc = scan_spec_long(s, "baud", 1, 921600, 9600, &n, err)) < 0)
		return rc;
	for (i = 0; i < sizeof bauds / sizeof bauds[0] && bauds[i] != n; i++)
		;
	if (i == sizeof bauds / sizeof bauds[0])
		return wms_error_set(err, WMS_ECONFIG, "baud=%ld: one of 1200, 2400, 4800, 9600, 19200, "
		                     "38400, 57600, 115200, 230400, 460800, 921600", n);
	o->baud = (int)n;
	v = scan_spec_get(s, "framing");
	if (v == NULL)
		v = "8N1";
	if (strlen(v) != 3 || (v[0] != '7' && v[0] != '8') || strchr("NEO", v[1]) == NULL ||
	    (v[2] != '1' && v[2] != '2'))
		return wms_error_set(err, WMS_ECONFIG, "framing=%.20s: data bits 7 or 8, parity N, E or O, "
		                     "stop bits 1 or 2 (e.g. 8N1)", v);
	o->data_bits = v[0] - '0';
	o->parity = v[1];
	o->stop_bits = v[2] - '0';
	return 0;
}

static int parse_framing(const struct scan_spec *s, struct serial_options *o,
                         struct wms_error *err)
{
	static const char *const names[] = { "cr", "lf", "crlf", "none" };
	const char *v = scan_spec_get(s, "terminator");
	int rc, t;

	for (t = 0; v && t < 4 && strcmp(v, names[t]) != 0; t++)
		;
	if (t == 4)
		return wms_error_set(err, WMS_ECONFIG, "terminator=%.20s: cr, lf, crlf or none", v);
	o->term = v ? (enum serial_term)t : SERIAL_TERM_CR;
	if ((rc = scan_spec_long(s, "timeout_ms", 1, 10000, 0, &o->gap_ms, err)) < 0)
		return rc;
	if (o->term == SERIAL_TERM_NONE && o->gap_ms == 0)
		return wms_error_set(err, WMS_ECONFIG, "terminator=none needs timeout_ms=N (the pause in "
		                     "milliseconds that ends a scan)");
	v = scan_spec_get(s, "aim");
	if (v && strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
		return wms_error_set(err, WMS_ECONFIG, "aim=%.20s: yes or no", v);
	o->aim = v && strcmp(v, "yes") == 0;
	return 0;
}

static int parse_signal(const struct scan_spec *s, const char *key, unsigned char *out,
                        size_t *len, struct wms_error *err)
{
	const char *v = scan_spec_get(s, key);
	int rc;

	*len = 0;
	if (v && (rc = serial_options_bytes(v, out, SERIAL_SIGNAL_MAX, len, err)) < 0)
		return wms_error_set(err, WMS_ECONFIG, "%s=%.40s: %s (write C escapes such as \\x07 or "
		                     "hex:1b4731)", key, v, err ? err->msg : "");
	return 0;
}

int serial_options_parse(const char *spec, struct serial_options *o, struct wms_error *err)
{
	struct scan_spec s;
	int rc;

	memset(o, 0, sizeof *o);
	if ((rc = scan_spec_parse(spec, "usb serial baud framing terminator timeout_ms aim good bad gs",
	                          &s, err)) < 0 ||
	    (rc = parse_port(&s, o, err)) < 0 || (rc = parse_line(&s, o, err)) < 0 ||
	    (rc = parse_framing(&s, o, err)) < 0 ||
	    (rc = parse_signal(&s, "good", o->good, &o->good_len, err)) < 0 ||
	    (rc = parse_signal(&s, "bad", o->bad, &o->bad_len, err)) < 0 ||
	    (rc = scan_spec_gs(&s, GS1_SEP_SENT, &o->gs, &o->gs_substitute, err)) < 0)
		return rc;
	return 0;
}
