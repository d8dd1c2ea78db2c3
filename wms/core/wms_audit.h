/*
 * wms_audit.h - the audit trail of changes that are not ledger events: who
 * did what through the HTTP API (users, tokens, purges, print jobs,
 * consignments, logins), when, and how it ended.  Ledger events carry their
 * actor already; this trail covers every state-changing request, so a
 * manager can answer "who revoked that token, who retried that label".
 *
 * Append-only (triggers refuse UPDATE and DELETE).  An action is the
 * request line ("POST /api/v1/tokens/anna/revoke"): paths carry serials,
 * order numbers and user names, never personal data, and no body is kept.
 */
#ifndef WMS_AUDIT_H
#define WMS_AUDIT_H

#include <jansson.h>

#include "wms_error.h"
#include "wms_store.h"
#include "wms_time.h"

#define WMS_AUDIT_ACTION_MAX 200

/*
 * Record one action (actor "" when nobody was logged in) with its outcome
 * status (an HTTP status).  An action longer than
 * WMS_AUDIT_ACTION_MAX bytes is cut.  0 or WMS_EDB.
 */
int wms_audit_add(struct wms_store *s, wms_time at, const char *actor, const char *station,
                  const char *action, int status, struct wms_error *err);

/* The newest entries first, at most limit (1..1000), of one actor when
 * actor is not NULL: [{id, at, actor, station, action, status}].  NULL on error. */
json_t *wms_audit_list(struct wms_store *s, int limit, const char *actor, struct wms_error *err);

#endif
