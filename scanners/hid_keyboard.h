/*
 * hid_keyboard.h - keystrokes from a keyboard-wedge barcode scanner into
 * scans.  Pure decoding, no I/O: the USB boot-keyboard source feeds whole
 * 8-byte boot reports [modifiers][0][key1..key6]; the evdev source feeds
 * single key presses (keymap_usage_from_linux()) and its modifier byte.
 *
 * What is understood:
 *   - Characters through keymap.h on the chosen layout (us, sv), Shift,
 *     AltGr (sv).  Enter or keypad Enter ends a scan; an empty scan is not
 *     delivered.
 *   - A key counts when it appears in a report, not while it stays down
 *     (held keys, repeated reports and n-key rollover type once); a report
 *     of ErrorRollOver (0x01) is ignored.
 *   - GS (0x1d, the FNC1 separator of GS1 data): Ctrl + the key at the US
 *     ']' position (usage 0x30; "¨" on the Swedish layout), and on sv also
 *     Ctrl+AltGr+9 (']').  Other Ctrl combinations type nothing.
 *   - Alt + keypad digits (Alt held, up to three digits, released): the
 *     ASCII byte with that decimal code, e.g. Alt+0029 -> GS; 13 or 10 ends
 *     the scan like Enter; 0 or codes above 127 make the scan a fault.
 *     Real scanners send all digits of a code in one report, in the array's
 *     order, a repeated digit twice (Alt+080: 62 60 62); so does this.
 *   - Dead keys (sv ´ ` ¨ ^ ~): a dead key then space types the accent, a
 *     dead key then another key types the accent and that key (no
 *     composition: barcodes are ASCII, a scanner sends "^" as dead+space).
 * Bounds: a scan keeps its first SOURCE_SCAN_MAX bytes and is delivered at
 * Enter with a fault; a report of the wrong size (not 3..8 bytes) marks the
 * current scan faulty.
 *
 * The struct is the caller's (embed it); its fields are private.
 */
#ifndef WMS_SCANNERS_HID_KEYBOARD_H
#define WMS_SCANNERS_HID_KEYBOARD_H

#include <stdbool.h>
#include <stddef.h>

#include "keymap.h"
#include "scan_source.h"

struct hid_kbd {
	enum keymap_layout layout;
	unsigned mods;                      /* modifier bits now down */
	unsigned char keys[6];              /* keys down in the last report */
	struct keymap_char dead;            /* a pending dead key, dead.s[0] == 0 if none */
	int alt_code;                       /* Alt+keypad digits so far, -1 if none */
	int alt_digits;
	unsigned char buf[SOURCE_SCAN_MAX];
	size_t len;
	size_t dropped;                     /* bytes beyond buf */
	const char *fault;                  /* first fault of the current scan */
};

/* Start decoding with layout: no keys down, no scan begun. */
void hid_kbd_init(struct hid_kbd *k, enum keymap_layout layout);

/*
 * One boot-keyboard report (IN report, len bytes, normally 8).  fn is called
 * (synchronously, with station NULL and mono_ms 0: the caller's wrapper
 * fills those) once per scan completed by this report.
 */
void hid_kbd_report(struct hid_kbd *k, const unsigned char *report, size_t len, scan_fn fn,
                    void *ctx);

/*
 * For sources that see one key at a time (evdev): the modifier bits
 * (KEYMAP_MOD_*) changed to mods; call it before hid_kbd_press() for a key
 * pressed together with a modifier, and when a modifier is released.
 */
void hid_kbd_modifiers(struct hid_kbd *k, unsigned mods, scan_fn fn, void *ctx);
/* One key press (a HID usage, not a modifier) with the current modifiers. */
void hid_kbd_press(struct hid_kbd *k, unsigned usage, scan_fn fn, void *ctx);

#endif
