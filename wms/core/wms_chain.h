/*
 * wms_chain.h - tamper evidence for the event ledger.
 *
 * Every event row carries `hash` = SHA-256 over "wms-event-v1", the hash of
 * the event before it (32 zero bytes for the first) and the event's
 * canonical encoding: its columns id, ts, type, device_id, order_id,
 * from_state, to_state, location_id, station, actor, payload in this order,
 * each as 0x00 for NULL or 0x01, a 4-byte big-endian length and the bytes
 * (integers as decimal text, texts as stored).  The ledger's one insert
 * (ledger.c insert_event) computes it, so every path that writes an event
 * gets it; a trigger refuses an event row without one.
 *
 * Editing, removing or reordering an event - even after dropping the
 * append-only triggers - breaks the chain at that event or the one after it;
 * only removing the newest events needs an anchor from outside: an auditor
 * notes the head (last id and hash) that `wms db verify` prints and checks
 * later that it is still there, with `--from ID` for the part since.
 */
#ifndef WMS_CHAIN_H
#define WMS_CHAIN_H

#include "wms_error.h"
#include "wms_store.h"

#define WMS_CHAIN_HASH_BYTES 32

struct wms_chain_report {
	long long checked;          /* events verified */
	long long first_bad;        /* id of the first event whose hash does not match, 0 = none */
	long long anchor_id;        /* the event before `from` whose stored hash started the check, 0 = none */
	long long head_id;          /* the last event checked */
	char anchor_hex[2 * WMS_CHAIN_HASH_BYTES + 1];
	char head_hex[2 * WMS_CHAIN_HASH_BYTES + 1];
	char why[160];              /* for first_bad: what does not match */
};

/*
 * Verify the chain from event `from` (1 or less = the first) to the newest.
 * 0 with the report filled (first_bad = 0 when every hash matched), or a
 * database error.  Reads only.
 */
int wms_chain_verify(struct wms_store *s, long long from, struct wms_chain_report *r,
                     struct wms_error *err);

#endif
