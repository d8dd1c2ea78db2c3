/*
 * keymap.c - HID usage (page 0x07) -> character tables for the US and the
 * Swedish keyboard layouts, and Linux key code -> HID usage.  Pure tables;
 * see keymap.h for what the levels mean.
 */
#include "keymap.h"

#include <string.h>

#define KEYMAP_USAGES 0x68   /* usages below this have a table entry */
#define KEY(...)        { { __VA_ARGS__ }, 0 }
#define DEAD(bits, ...) { { __VA_ARGS__ }, bits }

/* One key: the text of its three levels (plain, Shift, AltGr) and which are dead keys. */
struct key {
	const char *lv[3];
	unsigned char dead;   /* bit i: level i is a dead key */
};

static const struct key us_keys[KEYMAP_USAGES] = {
	[0x1e] = KEY("1", "!"), [0x1f] = KEY("2", "@"), [0x20] = KEY("3", "#"),
	[0x21] = KEY("4", "$"), [0x22] = KEY("5", "%"), [0x23] = KEY("6", "^"),
	[0x24] = KEY("7", "&"), [0x25] = KEY("8", "*"), [0x26] = KEY("9", "("),
	[0x27] = KEY("0", ")"),
	[0x2b] = KEY("\t", "\t"), [0x2c] = KEY(" ", " "),
	[0x2d] = KEY("-", "_"), [0x2e] = KEY("=", "+"), [0x2f] = KEY("[", "{"),
	[0x30] = KEY("]", "}"), [0x31] = KEY("\\", "|"), [0x32] = KEY("\\", "|"),
	[0x33] = KEY(";", ":"), [0x34] = KEY("'", "\""), [0x35] = KEY("`", "~"),
	[0x36] = KEY(",", "<"), [0x37] = KEY(".", ">"), [0x38] = KEY("/", "?"),
	[0x64] = KEY("\\", "|"),
};

static const struct key sv_keys[KEYMAP_USAGES] = {
	[0x1e] = KEY("1", "!"),        [0x1f] = KEY("2", "\"", "@"),
	[0x20] = KEY("3", "#", "\xc2\xa3"),            /* £ */
	[0x21] = KEY("4", "\xc2\xa4", "$"),            /* ¤ */
	[0x22] = KEY("5", "%", "\xe2\x82\xac"),        /* € */
	[0x23] = KEY("6", "&"),        [0x24] = KEY("7", "/", "{"),
	[0x25] = KEY("8", "(", "["),   [0x26] = KEY("9", ")", "]"),
	[0x27] = KEY("0", "=", "}"),
	[0x2b] = KEY("\t", "\t"),      [0x2c] = KEY(" ", " ", " "),
	[0x2d] = KEY("+", "?", "\\"),
	[0x2e] = DEAD(0x03, "\xc2\xb4", "`"),           /* ´ ` (dead) */
	[0x2f] = KEY("\xc3\xa5", "\xc3\x85"),          /* å Å */
	[0x30] = DEAD(0x07, "\xc2\xa8", "^", "~"),      /* ¨ ^ ~ (dead) */
	[0x31] = KEY("'", "*"),        [0x32] = KEY("'", "*"),
	[0x33] = KEY("\xc3\xb6", "\xc3\x96"),          /* ö Ö */
	[0x34] = KEY("\xc3\xa4", "\xc3\x84"),          /* ä Ä */
	[0x35] = KEY("\xc2\xa7", "\xc2\xbd"),          /* § ½ */
	[0x36] = KEY(",", ";"),        [0x37] = KEY(".", ":"),
	[0x38] = KEY("-", "_"),        [0x64] = KEY("<", ">", "|"),
	[0x08] = KEY("e", "E", "\xe2\x82\xac"),        /* AltGr+E: € */
};

/* Keypad keys type the same on both layouts (NumLock on, as scanners assume). */
static const char *keypad(unsigned usage)
{
	static const char *const kp[] = { "/", "*", "-", "+", "", "1", "2", "3", "4", "5",
	                                  "6", "7", "8", "9", "0", "." };

	if (usage >= 0x54 && usage <= 0x63)
		return kp[usage - 0x54];
	return usage == 0x67 ? "=" : "";
}

bool keymap_layout_parse(const char *name, enum keymap_layout *out)
{
	if (strcmp(name, "us") == 0)
		*out = KEYMAP_US;
	else if (strcmp(name, "sv") == 0)
		*out = KEYMAP_SV;
	else
		return false;
	return true;
}

const char *keymap_layouts(void)
{
	return "us, sv";
}

bool keymap_char(enum keymap_layout layout, unsigned usage, unsigned mods,
                 struct keymap_char *out)
{
	const struct key *table = layout == KEYMAP_SV ? sv_keys : us_keys;
	bool ctrl = mods & KEYMAP_MOD_CTRL, lalt = mods & KEYMAP_MOD_LALT;
	bool ralt = mods & KEYMAP_MOD_RALT, shift = mods & KEYMAP_MOD_SHIFT;
	bool altgr = layout == KEYMAP_SV && (ralt || (ctrl && lalt));
	int level = altgr ? 2 : shift ? 1 : 0;
	const char *s = "";

	out->s[0] = '\0';
	out->dead = false;
	if ((ctrl || lalt || ralt) && !altgr)
		return false;   /* Ctrl/Alt combinations are commands, not characters */
	if (mods & (KEYMAP_MOD_LGUI | KEYMAP_MOD_RGUI))
		return false;
	if (usage >= 0x04 && usage <= 0x1d && !(layout == KEYMAP_SV && usage == 0x08)) {
		if (altgr)
			return false;
		out->s[0] = (char)((shift ? 'A' : 'a') + (int)(usage - 0x04));
		out->s[1] = '\0';
		return true;
	}
	if ((usage >= 0x54 && usage <= 0x63) || usage == 0x67) {
		s = altgr ? "" : keypad(usage);
	} else if (usage < KEYMAP_USAGES) {
		s = table[usage].lv[level];
		out->dead = (table[usage].dead >> level) & 1;
	}
	if (s == NULL || s[0] == '\0') {
		out->dead = false;
		return false;
	}
	strcpy(out->s, s);   /* every table entry is at most KEYMAP_CHAR_MAX bytes */
	return true;
}

unsigned keymap_usage_from_linux(unsigned code)
{
	/* The inverse of the kernel's hid_keyboard[] table for the keys a scanner types. */
	static const unsigned char usage[128] = {
		[1] = 0x29, [2] = 0x1e, [3] = 0x1f, [4] = 0x20, [5] = 0x21, [6] = 0x22, [7] = 0x23,
		[8] = 0x24, [9] = 0x25, [10] = 0x26, [11] = 0x27, [12] = 0x2d, [13] = 0x2e,
		[14] = 0x2a, [15] = 0x2b, [16] = 0x14, [17] = 0x1a, [18] = 0x08, [19] = 0x15,
		[20] = 0x17, [21] = 0x1c, [22] = 0x18, [23] = 0x0c, [24] = 0x12, [25] = 0x13,
		[26] = 0x2f, [27] = 0x30, [28] = 0x28, [29] = 0xe0, [30] = 0x04, [31] = 0x16,
		[32] = 0x07, [33] = 0x09, [34] = 0x0a, [35] = 0x0b, [36] = 0x0d, [37] = 0x0e,
		[38] = 0x0f, [39] = 0x33, [40] = 0x34, [41] = 0x35, [42] = 0xe1, [43] = 0x31,
		[44] = 0x1d, [45] = 0x1b, [46] = 0x06, [47] = 0x19, [48] = 0x05, [49] = 0x11,
		[50] = 0x10, [51] = 0x36, [52] = 0x37, [53] = 0x38, [54] = 0xe5, [55] = 0x55,
		[56] = 0xe2, [57] = 0x2c, [58] = 0x39, [69] = 0x53, [70] = 0x47, [71] = 0x5f,
		[72] = 0x60, [73] = 0x61, [74] = 0x56, [75] = 0x5c, [76] = 0x5d, [77] = 0x5e,
		[78] = 0x57, [79] = 0x59, [80] = 0x5a, [81] = 0x5b, [82] = 0x62, [83] = 0x63,
		[86] = 0x64, [96] = 0x58, [97] = 0xe4, [98] = 0x54, [100] = 0xe6, [117] = 0x67,
		[125] = 0xe3, [126] = 0xe7,
	};

	if (code >= 59 && code <= 68)    /* KEY_F1..KEY_F10 */
		return 0x3a + (code - 59);
	return code < sizeof usage ? usage[code] : 0;
}
