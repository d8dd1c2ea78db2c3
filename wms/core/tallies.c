/*
 * tallies.c - checking and recounting the counters of wms_tallies.h.  What
 * they count is defined once, by the view tallies_recount (schema.c); a
 * counter that fell to zero keeps its row with n = 0, which a recount has
 * no row for, so both sides compare their non-zero rows.
 */
#include "wms_tallies.h"

#include "store_sql.h"

#include <sqlite3.h>

int wms_tallies_check(struct wms_store *s, long *differences, struct wms_error *err)
{
	static const char diff[] =
		"SELECT (SELECT count(*) FROM (SELECT * FROM tallies WHERE n <> 0"
		"   EXCEPT SELECT * FROM tallies_recount))"
		" + (SELECT count(*) FROM (SELECT * FROM tallies_recount"
		"   EXCEPT SELECT * FROM tallies WHERE n <> 0))";
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(wms_store_db(s), diff, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		rc = wms_store_sql_error(s, err, "comparing the counters with a recount");
	else if (differences)
		*differences = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int wms_tallies_recount(struct wms_store *s, struct wms_error *err)
{
	int rc;

	if ((rc = wms_store_begin(s, err)) < 0)
		return rc;
	if (sqlite3_exec(wms_store_db(s), "DELETE FROM tallies;"
	                 " INSERT INTO tallies SELECT * FROM tallies_recount", NULL, NULL, NULL) != SQLITE_OK) {
		rc = wms_store_sql_error(s, err, "counting the counters again");
		wms_store_rollback(s);
		return rc;
	}
	return wms_store_commit(s, err);
}
