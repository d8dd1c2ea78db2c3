/*
 * courier_tx.h - the transaction of one courier command (internal to the
 * room).  A courier command may apply ledger commands (dispatch, deliver)
 * inside its own transaction, so it opens a store batch (the ledger then
 * runs as savepoints) or, when the caller already holds one (an import),
 * a savepoint of its own.  Everything commits together or not at all.
 */
#ifndef COURIER_TX_H
#define COURIER_TX_H

#include <stdbool.h>

#include "wms_error.h"
#include "wms_store.h"

struct courier_tx {
	bool own_batch;    /* we began the store batch and end it */
};

int courier_tx_begin(struct wms_store *s, struct courier_tx *tx, struct wms_error *err);

/* Commit (ok) or roll back; returns the commit's status (0 after a rollback). */
int courier_tx_end(struct wms_store *s, struct courier_tx *tx, bool ok, struct wms_error *err);

#endif
