/*
 * schema_guard.c - the triggers that guard the ledger (append-only events,
 * the hash chain, the reconditioning gate...) compared with the ones the
 * migrations create.  A trigger dropped or rewritten by hand leaves the
 * ledger unprotected although every event still verifies; `wms db check`
 * names it, and `wms db check --restore-triggers` puts it back, with an
 * audit entry.  The reference is the schema the migrations build in an
 * in-memory database, so there is no second list to keep up to date.
 */
#include "store_sql.h"
#include "schema.h"
#include "wms_audit.h"
#include "wms_store.h"
#include "wms_time.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static const char triggers_sql[] =
	"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name";

/* The migrations run on an empty in-memory database: the triggers as they should be. */
static int reference(sqlite3 **out, struct wms_error *err)
{
	sqlite3 *ref = NULL;

	if (sqlite3_open(":memory:", &ref) != SQLITE_OK) {
		sqlite3_close(ref);
		return wms_error_set(err, WMS_ENOMEM, "out of memory building the reference schema");
	}
	for (int v = 1; v <= wms_schema_count(); v++)
		if (sqlite3_exec(ref, wms_schema_migration(v), NULL, NULL, NULL) != SQLITE_OK) {
			int rc = wms_error_set(err, WMS_EDB, "building the reference schema: migration %d: %s",
			                       v, sqlite3_errmsg(ref));
			sqlite3_close(ref);
			return rc;
		}
	*out = ref;
	return 0;
}

/* The file's trigger `name`: 1 with the same text, 0 missing, -1 different, or WMS_EDB. */
static int compare(struct wms_store *s, const char *name, const char *sql, struct wms_error *err)
{
	static const char one[] = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1";
	sqlite3_stmt *st;
	int rc = wms_store_row(s, one, name, 0, &st, "reading the triggers", err);

	if (rc <= 0)
		return rc;
	rc = sqlite3_column_text(st, 0) && strcmp((const char *)sqlite3_column_text(st, 0), sql) == 0 ? 1 : -1;
	sqlite3_reset(st);
	return rc;
}

static int restore(struct wms_store *s, const char *name, const char *sql, bool changed,
                   struct wms_error *err)
{
	sqlite3 *db = wms_store_db(s);
	char drop[160], what[200];

	snprintf(drop, sizeof drop, "DROP TRIGGER IF EXISTS \"%s\"", name);
	if ((changed && sqlite3_exec(db, drop, NULL, NULL, NULL) != SQLITE_OK) ||
	    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return wms_store_sql_error(s, err, "restoring a trigger");
	snprintf(what, sizeof what, "trigger %s restored (it was %s)", name, changed ? "changed" : "missing");
	return wms_audit_add(s, wms_now(), "wms", "db check", what, 0, err);
}

int wms_store_check_triggers(struct wms_store *s, bool repair, int *restored, struct wms_error *err)
{
	sqlite3 *ref = NULL;
	sqlite3_stmt *st = NULL;
	int rc;

	*restored = 0;
	if ((rc = reference(&ref, err)) < 0)
		return rc;
	if (sqlite3_prepare_v2(ref, triggers_sql, -1, &st, NULL) != SQLITE_OK) {
		rc = wms_error_set(err, WMS_EDB, "reading the reference triggers: %s", sqlite3_errmsg(ref));
		goto out;
	}
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		int same = compare(s, name, sql, err);

		if (same < -1)
			rc = same;
		else if (same != 1 && repair) {
			if ((rc = restore(s, name, sql, same == -1, err)) == 0)
				(*restored)++;
		} else if (same == 0)
			rc = wms_error_set(err, WMS_EDB, "trigger %s is missing: the ledger is not protected as "
			                   "the schema says (someone changed the database by hand); run `wms db "
			                   "check --restore-triggers` to put it back", name);
		else if (same == -1)
			rc = wms_error_set(err, WMS_EDB, "trigger %s is not the schema's: the ledger is not "
			                   "protected as the schema says (someone changed the database by hand); "
			                   "run `wms db check --restore-triggers` to put it back", name);
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(ref);
	return rc;
}
