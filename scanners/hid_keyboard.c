/*
 * hid_keyboard.c - keystrokes (boot-keyboard reports or single key presses)
 * into scans, on a US or Swedish layout.  See hid_keyboard.h for what is
 * understood and how faults are reported.
 */
#include "hid_keyboard.h"

#include <stdio.h>
#include <string.h>

#define GS 0x1d

void hid_kbd_init(struct hid_kbd *k, enum keymap_layout layout)
{
	memset(k, 0, sizeof *k);
	k->layout = layout;
	k->alt_code = -1;
}

static void fault(struct hid_kbd *k, const char *why)
{
	if (k->fault == NULL)
		k->fault = why;
}

static void put(struct hid_kbd *k, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (k->len < sizeof k->buf)
			k->buf[k->len++] = (unsigned char)s[i];
		else
			k->dropped++;
	}
}

static void flush_dead(struct hid_kbd *k)
{
	if (k->dead.s[0]) {
		put(k, k->dead.s, strlen(k->dead.s));
		k->dead.s[0] = '\0';
	}
}

static void end_scan(struct hid_kbd *k, scan_fn fn, void *ctx)
{
	char why[96];
	struct scan s = { .bytes = k->buf };

	flush_dead(k);
	s.len = k->len;
	if (k->dropped) {
		snprintf(why, sizeof why, "scan longer than %d bytes (%zu bytes), discarded",
		         SOURCE_SCAN_MAX, k->len + k->dropped);
		s.fault = why;
	} else {
		s.fault = k->fault;
	}
	if (k->len || s.fault)
		fn(ctx, &s);
	k->len = 0;
	k->dropped = 0;
	k->fault = NULL;
}

/* Alt released: type the character of the Alt+keypad code collected. */
static void end_alt(struct hid_kbd *k, scan_fn fn, void *ctx)
{
	int code = k->alt_code;
	char c;

	k->alt_code = -1;
	k->alt_digits = 0;
	if (code < 0)
		return;
	if (code == 13 || code == 10) {
		end_scan(k, fn, ctx);
		return;
	}
	if (code == 0 || code > 127) {
		fault(k, "Alt+keypad code 0 or above 127 (not ASCII) in scan");
		return;
	}
	flush_dead(k);
	c = (char)code;
	put(k, &c, 1);
}

void hid_kbd_modifiers(struct hid_kbd *k, unsigned mods, scan_fn fn, void *ctx)
{
	if ((k->mods & KEYMAP_MOD_LALT) && !(mods & KEYMAP_MOD_LALT))
		end_alt(k, fn, ctx);
	k->mods = mods & 0xff;
}

static bool is_gs(const struct hid_kbd *k, unsigned usage)
{
	bool ctrl = k->mods & KEYMAP_MOD_CTRL;
	bool alt = k->mods & (KEYMAP_MOD_LALT | KEYMAP_MOD_RALT);

	if (ctrl && !alt && usage == 0x30)
		return true;
	/* sv: Ctrl+AltGr+9 is Ctrl+']' */
	return k->layout == KEYMAP_SV && ctrl && (k->mods & KEYMAP_MOD_RALT) && usage == 0x26;
}

/* Is usage a keypad digit typed under Alt (an Alt+keypad code)? */
static bool alt_keypad(const struct hid_kbd *k, unsigned usage)
{
	return (k->mods & KEYMAP_MOD_LALT) && !(k->mods & KEYMAP_MOD_CTRL) &&
	       usage >= KEYMAP_USAGE_KP_1 && usage <= KEYMAP_USAGE_KP_0;
}

void hid_kbd_press(struct hid_kbd *k, unsigned usage, scan_fn fn, void *ctx)
{
	struct keymap_char ch;
	char gs = GS;

	if (usage == KEYMAP_USAGE_ENTER || usage == KEYMAP_USAGE_KP_ENTER) {
		end_scan(k, fn, ctx);
		return;
	}
	if (alt_keypad(k, usage)) {
		int digit = usage == KEYMAP_USAGE_KP_0 ? 0 : (int)(usage - KEYMAP_USAGE_KP_1) + 1;
		if (k->alt_digits < 4) {   /* Alt+0029 is common: a leading 0 and three digits */
			k->alt_code = (k->alt_code < 0 ? 0 : k->alt_code) * 10 + digit;
			k->alt_digits++;
		} else {
			fault(k, "Alt+keypad code longer than 4 digits in scan");
		}
		return;
	}
	if (is_gs(k, usage)) {
		flush_dead(k);
		put(k, &gs, 1);
		return;
	}
	if (!keymap_char(k->layout, usage, k->mods, &ch))
		return;   /* modifiers, function keys, other Ctrl/Alt combinations */
	if (k->dead.s[0]) {
		bool space = usage == 0x2c;
		flush_dead(k);
		if (space)
			return;
	}
	if (ch.dead) {
		k->dead = ch;
		return;
	}
	put(k, ch.s, strlen(ch.s));
}

void hid_kbd_report(struct hid_kbd *k, const unsigned char *report, size_t len, scan_fn fn,
                    void *ctx)
{
	unsigned char now[6] = { 0 };
	size_t n;

	if (len < 3 || len > 8) {
		fault(k, "keyboard report not of 3 to 8 bytes in scan");
		return;
	}
	n = len - 2;
	for (size_t i = 0; i < n; i++)
		if (report[2 + i] == KEYMAP_USAGE_ROLLOVER)
			return;   /* phantom state: nothing in it is reliable */
	memcpy(now, report + 2, n);
	hid_kbd_modifiers(k, report[0], fn, ctx);
	for (size_t i = 0; i < n; i++) {
		unsigned usage = now[i];
		if (usage == 0 || usage >= KEYMAP_USAGE_LCTRL)
			continue;
		if (memchr(k->keys, (int)usage, sizeof k->keys))
			continue;   /* still down from the last report */
		if (memchr(now, (int)usage, i) && !alt_keypad(k, usage))
			continue;   /* listed twice in this report: once, unless it is a
			               repeated Alt+keypad digit (Alt+080 sends 62 60 62) */
		hid_kbd_press(k, usage, fn, ctx);
	}
	memcpy(k->keys, now, sizeof k->keys);
}
