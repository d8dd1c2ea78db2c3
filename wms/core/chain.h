/*
 * chain.h - the hash chain of the ledger, inside wms/core (see wms_chain.h):
 * the hash of one event for the ledger's insert, and hashing events that a
 * database from before the chain holds.
 */
#ifndef WMS_CHAIN_INTERNAL_H
#define WMS_CHAIN_INTERNAL_H

#include "wms_chain.h"

/* The columns an event's hash covers, in order; NULL = SQL NULL, integers as decimal text. */
enum { CHAIN_ID, CHAIN_TS, CHAIN_TYPE, CHAIN_DEVICE, CHAIN_ORDER, CHAIN_FROM, CHAIN_TO,
       CHAIN_LOCATION, CHAIN_STATION, CHAIN_ACTOR, CHAIN_PAYLOAD, CHAIN_FIELDS };

/* out = SHA-256("wms-event-v1" || prev || encoding of fields); prev NULL = 32 zero bytes. */
void wms_chain_hash(const unsigned char *prev, const char *const fields[CHAIN_FIELDS],
                    unsigned char out[WMS_CHAIN_HASH_BYTES]);

/* Hash every event that has none yet (a database migrated from before the
 * chain), oldest first, in one transaction.  Called when the store opens. */
int wms_chain_backfill(struct wms_store *s, struct wms_error *err);

#endif
