/*
 * hid_pos.c - HID POS scan reports of the vendor profiles in hid_pos.h into
 * scans: header checks, AIM identifier, reassembly of continued reports,
 * bounds.  Each profile is one row of offsets; adding a vendor layout that
 * fits the same shape is adding a row.
 */
#include "hid_pos.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct hid_pos_profile {
	const char *name;
	unsigned char report_id;
	size_t size;                  /* bytes of a full report */
	size_t len_off;               /* the data length byte */
	size_t data_off, data_max;    /* the data and the most one report holds */
	size_t flag_off;              /* the "more data follows" byte ... */
	unsigned char flag_mask;      /* ... and its bit */
	int aim_off;                  /* three AIM identifier bytes, or -1 */
	int sym_off;                  /* a vendor symbology code byte, or -1 */
	const struct sym_aim *syms;   /* vendor code -> AIM identifier, NULL = none known */
	size_t nsyms;
};

struct sym_aim { unsigned char code; char aim[4]; };

/* Zebra code types -> AIM symbology identifiers. */
static const struct sym_aim zebra_aim[] = {
	{ 0x01, "]A0" },   /* Code 39 */
	{ 0x02, "]F0" },   /* Codabar */
	{ 0x03, "]C0" },   /* Code 128 */
	{ 0x06, "]I0" },   /* Interleaved 2 of 5 */
	{ 0x07, "]G0" },   /* Code 93 */
	{ 0x08, "]E0" },   /* UPC-A */
	{ 0x0a, "]E4" },   /* EAN-8 */
	{ 0x0b, "]E0" },   /* EAN-13 */
	{ 0x0f, "]C1" },   /* GS1-128 */
	{ 0x11, "]L0" },   /* PDF417 */
	{ 0x1b, "]d1" },   /* Data Matrix */
	{ 0x1c, "]Q1" },   /* QR Code */
	{ 0x30, "]e0" },   /* GS1 DataBar */
	{ 0x31, "]e0" },   /* GS1 DataBar Limited */
	{ 0x32, "]e0" },   /* GS1 DataBar Expanded */
	{ 0xc1, "]d2" },   /* GS1 Data Matrix */
	{ 0xc2, "]Q3" },   /* GS1 QR Code */
};

static const struct hid_pos_profile profiles[] = {
	{ "honeywell", 0x02, 64, 1, 5, 56, 63, 0x01, 2, -1, NULL, 0 },
	{ "zebra", 0x22, 64, 3, 4, 60, 1, 0x01, -1, 2, zebra_aim,
	  sizeof zebra_aim / sizeof zebra_aim[0] },
	{ "newland", 0x02, 64, 1, 2, 56, 63, 0x01, -1, 62, NULL, 0 },
};

const struct hid_pos_profile *hid_pos_profile_find(const char *name)
{
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

const char *hid_pos_profiles(void)
{
	return "honeywell, zebra, newland";
}

size_t hid_pos_report_size(const struct hid_pos_profile *p)
{
	return p->size;
}

void hid_pos_init(struct hid_pos *d, const struct hid_pos_profile *p)
{
	memset(d, 0, sizeof *d);
	d->p = p;
}

static void reset(struct hid_pos *d)
{
	d->len = 0;
	d->dropped = 0;
	d->open = false;
	d->aim[0] = '\0';
	d->sym = 0;
}

static void put(struct hid_pos *d, const unsigned char *s, size_t n)
{
	size_t room = sizeof d->buf - d->len, take = n < room ? n : room;

	memcpy(d->buf + d->len, s, take);
	d->len += take;
	d->dropped += n - take;
}

static void deliver(struct hid_pos *d, const char *fault, scan_fn fn, void *ctx)
{
	struct scan s = { .bytes = d->buf, .len = d->len, .fault = fault };

	fn(ctx, &s);
	reset(d);
}

/* Deliver what was collected with a fault saying why, and start afresh. */
__attribute__((format(printf, 4, 5)))
static void fail(struct hid_pos *d, scan_fn fn, void *ctx, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	deliver(d, why, fn, ctx);
}

static bool aim_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

/* The AIM identifier of one report into aim (4 bytes); false if malformed. */
static bool report_aim(const struct hid_pos *d, const unsigned char *r, char *aim,
                       unsigned char *sym)
{
	const struct hid_pos_profile *p = d->p;

	aim[0] = '\0';
	*sym = 0;
	if (p->aim_off >= 0) {
		const unsigned char *a = r + p->aim_off;
		if (a[0] == 0 && a[1] == 0 && a[2] == 0)
			return true;   /* the scanner sends no identifier */
		if (a[0] != ']' || !aim_char(a[1]) || !aim_char(a[2]))
			return false;
		memcpy(aim, a, 3);
		aim[3] = '\0';
		return true;
	}
	*sym = r[p->sym_off];
	for (size_t i = 0; i < p->nsyms; i++)
		if (p->syms[i].code == *sym)
			memcpy(aim, p->syms[i].aim, 4);
	return true;
}

void hid_pos_report(struct hid_pos *d, const unsigned char *r, size_t len, scan_fn fn, void *ctx)
{
	const struct hid_pos_profile *p = d->p;
	char aim[4], why[96];
	unsigned char sym;
	size_t n;
	bool more;

	if (len == 0) {
		fail(d, fn, ctx, "empty HID POS report");
		return;
	}
	if (r[0] != p->report_id) {
		fail(d, fn, ctx, "HID POS report id 0x%02x is not the %s scan report (0x%02x)", r[0],
		     p->name, p->report_id);
		return;
	}
	if (len < p->data_off) {
		fail(d, fn, ctx, "HID POS report of %zu bytes is shorter than its %zu-byte header", len,
		     p->data_off);
		return;
	}
	n = r[p->len_off];
	if (n > p->data_max || p->data_off + n > len) {
		fail(d, fn, ctx, "HID POS data length %zu is beyond the %zu bytes the report holds", n,
		     len - p->data_off < p->data_max ? len - p->data_off : p->data_max);
		return;
	}
	more = p->flag_off < len && (r[p->flag_off] & p->flag_mask);
	if (!report_aim(d, r, aim, &sym)) {
		fail(d, fn, ctx, "malformed AIM identifier in HID POS report");
		return;
	}
	if (!d->open) {
		reset(d);
		memcpy(d->aim, aim, sizeof aim);
		d->sym = sym;
		put(d, (const unsigned char *)aim, strlen(aim));
	} else if (strcmp(aim, d->aim) != 0 || sym != d->sym) {
		/* the rest of the scan was lost: this report starts the next one */
		fail(d, fn, ctx, "symbology changed within a continued HID POS scan");
		memcpy(d->aim, aim, sizeof aim);
		d->sym = sym;
		put(d, (const unsigned char *)aim, strlen(aim));
	}
	put(d, r + p->data_off, n);
	if (more) {
		d->open = true;
		return;
	}
	if (d->dropped) {
		snprintf(why, sizeof why, "scan longer than %d bytes (%zu bytes), discarded",
		         SOURCE_SCAN_MAX, d->len + d->dropped);
		deliver(d, why, fn, ctx);
	} else if (d->len > strlen(d->aim)) {
		deliver(d, NULL, fn, ctx);
	} else {
		reset(d);   /* an empty report: nothing was scanned */
	}
}
