/*
 * tx.c - the transaction of one courier command (see courier_tx.h).
 */
#include "courier_tx.h"

#include "store_sql.h"

int courier_tx_begin(struct wms_store *s, struct courier_tx *tx, struct wms_error *err)
{
	return wms_store_outer_begin(s, &tx->own_batch, err);
}

int courier_tx_end(struct wms_store *s, struct courier_tx *tx, bool ok, struct wms_error *err)
{
	return wms_store_outer_end(s, tx->own_batch, ok, err);
}
