/*
 * hid_pos.h - HID POS barcode-scanner reports (usage page 0x8C) into scans.
 * Pure decoding, no I/O.  Scanners lay out their scan report differently
 * per vendor; a profile names one layout:
 *
 *   honeywell  64-byte report id 0x02: [1] data length (0..56), [2..4] AIM
 *              symbology identifier ("]C1"), [5..60] data, [63] bit 0 "more
 *              data follows" (the next report continues this scan)
 *   zebra      64-byte report id 0x22 (SNAPI-like): [1] bit 0 "more data
 *              follows", [2] symbology code (Zebra code type: 0x03 Code 128,
 *              0x0F GS1-128, 0x1B DataMatrix, 0xC1 GS1 DataMatrix, ...),
 *              [3] data length (0..60), [4..63] data
 *
 *   newland    64-byte report id 0x02: [1] data length (0..56), [2..57]
 *              data, [62] Newland symbology id, [63] bit 0 "more data
 *              follows"; no AIM identifier (Newland's integration guides
 *              for the FM420/EM2027/HR200; the id table is not published,
 *              so scans carry none: set the scanner to prefix AIM ids)
 *
 * honeywell is checked byte for byte against a real Voyager 1602g capture
 * (tests/fixtures/scanners/, from /work/shared/scanner-captures.md 1.1);
 * zebra and newland follow the vendors' descriptions, no real capture of
 * them was found: check a new model's reports (usbmon, umockdev-record)
 * before it goes to a station.
 *
 * Continued reports are reassembled into one scan.  The scan's bytes are
 * the AIM identifier (honeywell: as sent; zebra: from the symbology code,
 * none for codes not in the table) followed by the data, so that
 * scan_interpret() (barcode.h) sees the symbology.
 *
 * Reports are untrusted.  A report that is too short, has another report
 * id, a length beyond its room, or a malformed AIM identifier; a scan whose
 * symbology changes between its reports; a scan longer than SOURCE_SCAN_MAX
 * bytes: each is delivered as a scan with `fault` set (holding the bytes
 * collected so far, bounded), and decoding starts afresh with the next
 * report (after a symbology change, with this report: it starts a new
 * scan).  A report with length 0 and no continuation is ignored.
 *
 * The struct is the caller's (embed it); its fields are private.
 */
#ifndef WMS_SCANNERS_HID_POS_H
#define WMS_SCANNERS_HID_POS_H

#include <stdbool.h>
#include <stddef.h>

#include "scan_source.h"

struct hid_pos_profile;

struct hid_pos {
	const struct hid_pos_profile *p;
	unsigned char buf[SOURCE_SCAN_MAX];
	size_t len;                   /* bytes in buf, the AIM identifier included */
	size_t dropped;               /* data bytes beyond buf */
	bool open;                    /* a continued scan is being collected */
	char aim[4];                  /* the scan's AIM identifier, "" if none */
	unsigned char sym;            /* zebra: the symbology code of the scan */
};

/* The profile called name ("honeywell", "zebra"), or NULL. */
const struct hid_pos_profile *hid_pos_profile_find(const char *name);
/* "honeywell, zebra": the profiles there are, for messages. */
const char *hid_pos_profiles(void);
/* The size in bytes of the profile's report (what an IN transfer returns). */
size_t hid_pos_report_size(const struct hid_pos_profile *p);

/* Start decoding with profile p: no scan begun. */
void hid_pos_init(struct hid_pos *d, const struct hid_pos_profile *p);

/*
 * One IN report of len bytes (report id first).  fn is called
 * (synchronously, with station NULL and mono_ms 0: the caller's wrapper
 * fills those) once per scan completed or failed by this report.
 */
void hid_pos_report(struct hid_pos *d, const unsigned char *report, size_t len, scan_fn fn,
                    void *ctx);

#endif
