/*
 * printq_payload.h - what a label print job in the outbox carries: a JSON
 * object {"label": KIND, "fields": {NAME: VALUE, ...}, "rows": [{...}, ...]}
 * ("rows" only for pick lists and delivery notes).  The CLI and the daemon
 * build it when they decide a label; the worker turns it back into a
 * label_fields set to render.  Values are strings; field names are checked
 * against the kind when the payload is read.
 *
 * Ownership: printq_payload_text() returns a malloc'd string (free()); the
 * field set from printq_payload_fields() is freed with label_fields_free().
 * On failure every OUT pointer is NULL.
 */
#ifndef PRINTQ_PAYLOAD_H
#define PRINTQ_PAYLOAD_H

#include <jansson.h>
#include <stdbool.h>

#include "label.h"
#include "wms_error.h"
#include "wms_store.h"

/*
 * The payload text for a label of kind with the n name/value pairs (IN)
 * names[i] = values[i].  Every field is checked (label_fields_set) and the
 * whole label must be complete (label_fields_check): WMS_EINVAL naming the
 * field otherwise.  *out (OUT).
 */
int printq_payload_text(enum label_kind kind, const char *const *names,
			const char *const *values, int n, char **out, struct wms_error *err);

/* The same with item rows for pick lists and delivery notes: rows (IN, may
 * be NULL) is a JSON array of objects of row field name -> string value,
 * each checked as label_fields_add_row + label_fields_set.  WMS_EUNSUPP for
 * rows on a kind without rows. */
int printq_payload_text_rows(enum label_kind kind, const char *const *names,
			     const char *const *values, int n, json_t *rows, char **out,
			     struct wms_error *err);
/*
 * A label the user asks for (`wms label print|preview`, POST /api/v1/labels):
 * the ledger's fields of order (a pick list with its rows), else device,
 * else location (the first given; each must suit kind), then set[0..n_set-1],
 * "NAME=VALUE" each, a name again overriding.  api: messages name the API's
 * body fields ("order", a "set" line) instead of the CLI's options (--order,
 * --set).  s (IN) may be NULL when none of order, device, location is given.
 * *out (OUT) as printq_payload_text(); WMS_EINVAL naming the bad input.
 */
struct printq_label_req {
	enum label_kind kind;
	const char *device, *location, *order;
	const char *const *set;
	int n_set;
	bool api;
};
int printq_payload_label(struct wms_store *s, const struct printq_label_req *req, char **out,
			 struct wms_error *err);

/*
 * The delivery note (följesedel) that goes with a dispatch: for order (IN,
 * may be NULL: nothing) when it goes to its ordering unit or a buffer
 * store, filled from the order and queued for the dispatch's event_id in the
 * caller's transaction, on printer (IN, a name, e.g. from --printer) or else
 * the printer of pc with purpose delivery-note for station (IN, may be
 * NULL).  *queued_on (OUT) the printer's name, NULL when nothing was
 * queued; then why (OUT, size bytes) says why when the dispatcher would
 * expect a note: the ordering unit has no address, or printers have the
 * purpose only for other stations (printq_conf_why_none); "" when no note
 * was wanted (another delivery mode, no printer has the purpose).  Neither
 * refuses the dispatch.  A negative status only for database trouble.
 * text (IN, may be NULL) is the note printed for the customer; the order's
 * own note (why it is late, ...) is the centre's and never on the paper.
 */
struct printq_conf;
int printq_dispatch_note(struct wms_store *s, const struct printq_conf *pc, const char *station,
			 const char *printer, const char *order, const char *text, long long event_id,
			 const char **queued_on, char *why, size_t size, struct wms_error *err);

/* Read payload text back into a field set (*out, OUT).  WMS_EINVAL if malformed. */
int printq_payload_fields(const char *payload, struct label_fields **out,
			  struct wms_error *err);

#endif
