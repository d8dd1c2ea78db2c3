/*
 * keymap.h - the one place that knows which character a key gives on a US
 * or a Swedish keyboard layout, so that every keyboard-like source (USB
 * boot keyboard through libusb, evdev wedge) types the same scan.
 *
 * Keys are named by their HID usage (usage page 0x07, "Keyboard/Keypad"),
 * the code a USB keyboard sends; an evdev source first turns a Linux key
 * code (KEY_A ...) into the usage with keymap_usage_from_linux().
 *
 * Characters are UTF-8 (the Swedish layout gives å ä ö § ½ ¤ £ € ´ ¨); a
 * key gives at most KEYMAP_CHAR_MAX bytes.  Dead keys (´ ` ¨ ^ ~ on the
 * Swedish layout) are reported as such: hid_keyboard.c decides what a
 * dead key followed by another key types.  No state: pure tables.
 */
#ifndef WMS_SCANNERS_KEYMAP_H
#define WMS_SCANNERS_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#define KEYMAP_CHAR_MAX 4     /* bytes of one character, UTF-8, no NUL */

/* Modifier bits, the same as byte 0 of a boot-keyboard report. */
#define KEYMAP_MOD_LCTRL  0x01
#define KEYMAP_MOD_LSHIFT 0x02
#define KEYMAP_MOD_LALT   0x04
#define KEYMAP_MOD_LGUI   0x08
#define KEYMAP_MOD_RCTRL  0x10
#define KEYMAP_MOD_RSHIFT 0x20
#define KEYMAP_MOD_RALT   0x40   /* AltGr on the Swedish layout */
#define KEYMAP_MOD_RGUI   0x80
#define KEYMAP_MOD_CTRL   (KEYMAP_MOD_LCTRL | KEYMAP_MOD_RCTRL)
#define KEYMAP_MOD_SHIFT  (KEYMAP_MOD_LSHIFT | KEYMAP_MOD_RSHIFT)

/* HID usages with a meaning of their own (not characters). */
#define KEYMAP_USAGE_ROLLOVER  0x01   /* "ErrorRollOver": too many keys down */
#define KEYMAP_USAGE_ENTER     0x28
#define KEYMAP_USAGE_TAB       0x2b
#define KEYMAP_USAGE_KP_ENTER  0x58
#define KEYMAP_USAGE_KP_1      0x59   /* keypad 1..9 are 0x59..0x61, 0 is 0x62 */
#define KEYMAP_USAGE_KP_0      0x62
#define KEYMAP_USAGE_LCTRL     0xe0   /* 0xe0..0xe7: the eight modifiers, in bit order */
#define KEYMAP_USAGE_RGUI      0xe7

enum keymap_layout { KEYMAP_US, KEYMAP_SV };

/* What a key gives. */
struct keymap_char {
	char s[KEYMAP_CHAR_MAX + 1];  /* NUL-terminated; "" when the key types nothing */
	bool dead;                    /* a dead key: s is its spacing form ("^", "¨") */
};

/* "us" or "sv" -> *out (OUT).  false for any other name. */
bool keymap_layout_parse(const char *name, enum keymap_layout *out);
/* "us, sv": the layouts there are, for messages. */
const char *keymap_layouts(void);

/*
 * The character usage types with modifiers mods (KEYMAP_MOD_* bits) on
 * layout.  Shift selects the upper level; on the Swedish layout AltGr
 * (right Alt, or Ctrl+Alt) the third.  Control combinations are not
 * characters: this returns "" for them (hid_keyboard.c handles Ctrl+]).
 * Returns false (and "") for keys that type nothing: modifiers, function
 * keys, Enter (see KEYMAP_USAGE_ENTER), unknown usages.
 */
bool keymap_char(enum keymap_layout layout, unsigned usage, unsigned mods,
                 struct keymap_char *out);

/*
 * The HID usage of a Linux input key code (linux/input-event-codes.h KEY_*),
 * or 0 when the key has none we use.  Modifier keys map to 0xe0..0xe7, so an
 * evdev source keeps its modifier byte by setting bit (usage - 0xe0).
 */
unsigned keymap_usage_from_linux(unsigned code);

#endif
