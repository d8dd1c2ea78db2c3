/*
 * schema.h - access to the numbered migrations (internal to wms/core).
 */
#ifndef WMS_SCHEMA_H
#define WMS_SCHEMA_H

/* Number of migrations = latest user_version. */
int wms_schema_count(void);
/* SQL of migration `version` (1-based), NULL if out of range. */
const char *wms_schema_migration(int version);

#endif
