/*
 * hid_keyboard_test.c - boot-keyboard reports into scans on the US and the
 * Swedish layouts: Shift, AltGr, GS from Ctrl+] and Alt+keypad, dead keys,
 * held keys and rollover, bounds; and the keymap on its own (HID usages and
 * Linux key codes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hid_keyboard.h"

struct got {
	int n;
	char bytes[4][SOURCE_SCAN_MAX + 1];
	size_t len[4];
	char fault[4][160];
};

static void collect(void *ctx, const struct scan *s)
{
	struct got *g = ctx;

	assert_true(g->n < 4);
	memcpy(g->bytes[g->n], s->bytes, s->len);
	g->bytes[g->n][s->len] = '\0';
	g->len[g->n] = s->len;
	snprintf(g->fault[g->n], sizeof g->fault[0], "%s", s->fault ? s->fault : "");
	g->n++;
}

static void report(struct hid_kbd *k, struct got *g, unsigned mods, unsigned k1, unsigned k2)
{
	unsigned char r[8] = { (unsigned char)mods, 0, (unsigned char)k1, (unsigned char)k2 };

	hid_kbd_report(k, r, sizeof r, collect, g);
}

/* Press and release one key with modifiers, as most scanners type. */
static void key(struct hid_kbd *k, struct got *g, unsigned mods, unsigned usage)
{
	report(k, g, mods, usage, 0);
	report(k, g, 0, 0, 0);
}

/* Type printable ASCII on the US layout. */
static void type_us(struct hid_kbd *k, struct got *g, const char *s)
{
	static const char *const plain = "1234567890", *const shifted = "!@#$%^&*()";
	static const char sym[] = "-=[]\\;'`,./", symsh[] = "_+{}|:\"~<>?";
	static const unsigned char symu[] = { 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x33, 0x34, 0x35,
	                                      0x36, 0x37, 0x38 };

	for (; *s; s++) {
		const char *p;
		if (*s >= 'a' && *s <= 'z')
			key(k, g, 0, 0x04 + (unsigned)(*s - 'a'));
		else if (*s >= 'A' && *s <= 'Z')
			key(k, g, KEYMAP_MOD_LSHIFT, 0x04 + (unsigned)(*s - 'A'));
		else if ((p = strchr(plain, *s)) != NULL)
			key(k, g, 0, 0x1e + (unsigned)(p - plain));
		else if ((p = strchr(shifted, *s)) != NULL)
			key(k, g, KEYMAP_MOD_LSHIFT, 0x1e + (unsigned)(p - shifted));
		else if (*s == ' ')
			key(k, g, 0, 0x2c);
		else if ((p = strchr(sym, *s)) != NULL)
			key(k, g, 0, symu[p - sym]);
		else if ((p = strchr(symsh, *s)) != NULL)
			key(k, g, KEYMAP_MOD_LSHIFT, symu[p - symsh]);
		else
			fail_msg("cannot type %c", *s);
	}
}

static void us_layout_scan(void **state)
{
	struct hid_kbd k;
	struct got g = { 0 };
	const char *all = "SN-1001 abcxyz ABCXYZ 0123456789 !@#$%^&*()-_=+[]{}\\|;:'\",.<>/?`~";
	(void)state;

	hid_kbd_init(&k, KEYMAP_US);
	type_us(&k, &g, all);
	assert_int_equal(g.n, 0);
	key(&k, &g, 0, KEYMAP_USAGE_ENTER);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.bytes[0], all);
	assert_string_equal(g.fault[0], "");
	/* keypad Enter ends a scan too; an empty scan is not delivered */
	key(&k, &g, 0, KEYMAP_USAGE_ENTER);
	type_us(&k, &g, "LOC:A-01");
	key(&k, &g, 0, KEYMAP_USAGE_KP_ENTER);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.bytes[1], "LOC:A-01");
}

static void gs_from_ctrl_bracket_and_alt_keypad(void **state)
{
	struct hid_kbd k;
	struct got g = { 0 };
	(void)state;

	hid_kbd_init(&k, KEYMAP_US);
	type_us(&k, &g, "0109506000134352");
	key(&k, &g, KEYMAP_MOD_LCTRL, 0x30);   /* Ctrl+] */
	type_us(&k, &g, "10D9T");
	/* Alt held, keypad 0 0 2 9, Alt released */
	report(&k, &g, KEYMAP_MOD_LALT, 0, 0);
	report(&k, &g, KEYMAP_MOD_LALT, KEYMAP_USAGE_KP_0, 0);
	report(&k, &g, KEYMAP_MOD_LALT, 0, 0);
	report(&k, &g, KEYMAP_MOD_LALT, KEYMAP_USAGE_KP_0, 0);
	report(&k, &g, KEYMAP_MOD_LALT, 0, 0);
	report(&k, &g, KEYMAP_MOD_LALT, KEYMAP_USAGE_KP_1 + 1, 0);
	report(&k, &g, KEYMAP_MOD_LALT, KEYMAP_USAGE_KP_1 + 8, 0);
	report(&k, &g, 0, 0, 0);
	type_us(&k, &g, "21X");
	key(&k, &g, KEYMAP_MOD_LCTRL, 0x04);   /* Ctrl+A: types nothing */
	key(&k, &g, 0, KEYMAP_USAGE_ENTER);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.bytes[0], "0109506000134352\x1d" "10D9T\x1d" "21X");

	/* Alt+013 ends the scan; Alt+0 makes it a fault */
	type_us(&k, &g, "AB");
	report(&k, &g, KEYMAP_MOD_LALT, KEYMAP_USAGE_KP_1, 0);
	report(&k, &g, KEYMAP_MOD_LALT, KEYMAP_USAGE_KP_1 + 2, 0);
	report(&k, &g, 0, 0, 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.bytes[1], "AB");
	type_us(&k, &g, "C");
	report(&k, &g, KEYMAP_MOD_LALT, KEYMAP_USAGE_KP_0, 0);
	report(&k, &g, 0, 0, 0);
	key(&k, &g, 0, KEYMAP_USAGE_ENTER);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.bytes[2], "C");
	assert_non_null(strstr(g.fault[2], "not ASCII"));
}

static void swedish_layout(void **state)
{
	struct hid_kbd k;
	struct got g = { 0 };
	(void)state;

	hid_kbd_init(&k, KEYMAP_SV);
	key(&k, &g, 0, 0x2f);                      /* å */
	key(&k, &g, KEYMAP_MOD_LSHIFT, 0x34);      /* Ä */
	key(&k, &g, 0, 0x33);                      /* ö */
	key(&k, &g, KEYMAP_MOD_RSHIFT, 0x24);      /* / */
	key(&k, &g, KEYMAP_MOD_LSHIFT, 0x27);      /* = */
	key(&k, &g, KEYMAP_MOD_RALT, 0x1f);        /* AltGr+2: @ */
	key(&k, &g, KEYMAP_MOD_LCTRL | KEYMAP_MOD_LALT, 0x24);   /* Ctrl+Alt+7: { */
	key(&k, &g, KEYMAP_MOD_RALT, 0x64);        /* | */
	key(&k, &g, 0, 0x38);                      /* - */
	key(&k, &g, KEYMAP_MOD_LSHIFT, 0x38);      /* _ */
	key(&k, &g, KEYMAP_MOD_LSHIFT, 0x37);      /* : */
	key(&k, &g, KEYMAP_MOD_LSHIFT, 0x2d);      /* ? */
	key(&k, &g, 0, 0x2d);                      /* + */
	key(&k, &g, KEYMAP_MOD_RALT, 0x22);        /* € */
	key(&k, &g, 0, KEYMAP_USAGE_ENTER);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.bytes[0], "\xc3\xa5\xc3\x84\xc3\xb6/=@{|-_:?+\xe2\x82\xac");
}

static void swedish_dead_keys_and_gs(void **state)
{
	struct hid_kbd k;
	struct got g = { 0 };
	(void)state;

	hid_kbd_init(&k, KEYMAP_SV);
	key(&k, &g, KEYMAP_MOD_LSHIFT, 0x30);      /* dead ^ */
	key(&k, &g, 0, 0x2c);                      /* space: ^ */
	key(&k, &g, KEYMAP_MOD_RALT, 0x30);        /* dead ~ */
	key(&k, &g, 0, 0x04);                      /* a: "~a" (no composition) */
	key(&k, &g, KEYMAP_MOD_LCTRL, 0x30);       /* Ctrl + the ¨ key: GS */
	key(&k, &g, KEYMAP_MOD_LCTRL | KEYMAP_MOD_RALT, 0x26);   /* Ctrl+AltGr+9: GS */
	key(&k, &g, KEYMAP_MOD_LSHIFT, 0x2e);      /* dead ` then Enter: ` */
	key(&k, &g, 0, KEYMAP_USAGE_ENTER);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.bytes[0], "^~a\x1d\x1d`");
}

static void held_keys_and_rollover(void **state)
{
	struct hid_kbd k;
	struct got g = { 0 };
	(void)state;

	hid_kbd_init(&k, KEYMAP_US);
	report(&k, &g, 0, 0x04, 0);        /* a down */
	report(&k, &g, 0, 0x04, 0);        /* repeated report: still a */
	report(&k, &g, 0, 0x04, 0x05);     /* b down while a held: b */
	report(&k, &g, 0, 0x05, 0);        /* a up */
	report(&k, &g, 0, 0x05, 0x04);     /* a down again: a */
	report(&k, &g, 0, 0x01, 0x01);     /* ErrorRollOver: ignored */
	report(&k, &g, 0, 0x05, 0x04);     /* same keys as before the phantom: nothing */
	report(&k, &g, 0, 0x06, 0x06);     /* c listed twice: once */
	report(&k, &g, 0, 0, 0);
	report(&k, &g, 0, 0x04, 0);        /* a, b, a pressed again: a */
	report(&k, &g, 0, 0, 0);
	report(&k, &g, KEYMAP_MOD_LGUI, 0x05, 0);   /* GUI+b: nothing */
	report(&k, &g, 0, 0, 0);
	report(&k, &g, 0, 0x3a, 0);        /* F1: nothing */
	report(&k, &g, 0, 0x28, 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.bytes[0], "abaca");
	/* Enter held down does not end a second, empty scan */
	report(&k, &g, 0, 0x28, 0);
	assert_int_equal(g.n, 1);
}

static void bounds_and_bad_reports(void **state)
{
	struct hid_kbd k;
	struct got g = { 0 };
	unsigned char r[9] = { 0 };
	(void)state;

	hid_kbd_init(&k, KEYMAP_US);
	for (int i = 0; i < 1100; i++)
		key(&k, &g, 0, 0x1e);
	key(&k, &g, 0, KEYMAP_USAGE_ENTER);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.len[0], SOURCE_SCAN_MAX);
	assert_string_equal(g.fault[0], "scan longer than 1024 bytes (1100 bytes), discarded");

	type_us(&k, &g, "X");
	hid_kbd_report(&k, r, 9, collect, &g);
	hid_kbd_report(&k, r, 2, collect, &g);
	key(&k, &g, 0, KEYMAP_USAGE_ENTER);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.bytes[1], "X");
	assert_string_equal(g.fault[1], "keyboard report not of 3 to 8 bytes in scan");

	/* a short report (3 bytes: one key slot) is read */
	r[0] = 0;
	r[2] = 0x1b;   /* x */
	hid_kbd_report(&k, r, 3, collect, &g);
	key(&k, &g, 0, KEYMAP_USAGE_ENTER);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.bytes[2], "x");
	assert_string_equal(g.fault[2], "");
}

static void single_key_presses(void **state)
{
	struct hid_kbd k;
	struct got g = { 0 };
	(void)state;

	/* what an evdev source does: Linux key codes, modifiers on their own */
	hid_kbd_init(&k, KEYMAP_SV);
	hid_kbd_modifiers(&k, KEYMAP_MOD_LSHIFT, collect, &g);
	hid_kbd_press(&k, keymap_usage_from_linux(38), collect, &g);   /* KEY_L */
	hid_kbd_modifiers(&k, 0, collect, &g);
	hid_kbd_press(&k, keymap_usage_from_linux(26), collect, &g);   /* KEY_LEFTBRACE: å */
	hid_kbd_press(&k, keymap_usage_from_linux(11), collect, &g);   /* KEY_0 */
	hid_kbd_press(&k, keymap_usage_from_linux(28), collect, &g);   /* KEY_ENTER */
	assert_int_equal(g.n, 1);
	assert_string_equal(g.bytes[0], "L\xc3\xa5" "0");
}

static void keymap_tables(void **state)
{
	struct keymap_char c;
	enum keymap_layout l;
	(void)state;

	assert_true(keymap_layout_parse("sv", &l));
	assert_int_equal(l, KEYMAP_SV);
	assert_true(keymap_layout_parse("us", &l));
	assert_false(keymap_layout_parse("se", &l));
	assert_string_equal(keymap_layouts(), "us, sv");
	assert_true(keymap_char(KEYMAP_US, 0x1f, KEYMAP_MOD_RSHIFT, &c));
	assert_string_equal(c.s, "@");
	assert_true(keymap_char(KEYMAP_SV, 0x1f, KEYMAP_MOD_RSHIFT, &c));
	assert_string_equal(c.s, "\"");
	assert_true(keymap_char(KEYMAP_SV, 0x30, 0, &c));
	assert_true(c.dead);
	assert_true(keymap_char(KEYMAP_US, 0x59, KEYMAP_MOD_LSHIFT, &c));   /* keypad 1 */
	assert_string_equal(c.s, "1");
	assert_false(keymap_char(KEYMAP_US, 0x1f, KEYMAP_MOD_RALT, &c));    /* no AltGr on US */
	assert_false(keymap_char(KEYMAP_SV, 0x23, KEYMAP_MOD_RALT, &c));    /* AltGr+6: nothing */
	assert_false(keymap_char(KEYMAP_US, KEYMAP_USAGE_ENTER, 0, &c));
	assert_false(keymap_char(KEYMAP_US, 0xff, 0, &c));
	assert_false(keymap_char(KEYMAP_SV, 0x04, KEYMAP_MOD_RALT, &c));
	assert_string_equal(c.s, "");
	assert_int_equal(keymap_usage_from_linux(30), 0x04);    /* KEY_A */
	assert_int_equal(keymap_usage_from_linux(44), 0x1d);    /* KEY_Z */
	assert_int_equal(keymap_usage_from_linux(96), 0x58);    /* KEY_KPENTER */
	assert_int_equal(keymap_usage_from_linux(100), 0xe6);   /* KEY_RIGHTALT */
	assert_int_equal(keymap_usage_from_linux(59), 0x3a);    /* KEY_F1 */
	assert_int_equal(keymap_usage_from_linux(5000), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(us_layout_scan),
		cmocka_unit_test(gs_from_ctrl_bracket_and_alt_keypad),
		cmocka_unit_test(swedish_layout),
		cmocka_unit_test(swedish_dead_keys_and_gs),
		cmocka_unit_test(held_keys_and_rollover),
		cmocka_unit_test(bounds_and_bad_reports),
		cmocka_unit_test(single_key_presses),
		cmocka_unit_test(keymap_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
