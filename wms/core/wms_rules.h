/*
 * wms_rules.h - the rules of the business that hold at every door (CLI,
 * scanning stations, HTTP API, imports): who may cause which event (one
 * role table), what a patient reference may hold, and how far ahead of the
 * clock an event may be dated.
 *
 * The ledger (wms_ledger.h) asks these for every command, so a door cannot
 * let through what the core refuses; the doors may ask first to tell the
 * user early (a station refusing a badge whose role does not fit its mode),
 * never to allow more.
 */
#ifndef WMS_RULES_H
#define WMS_RULES_H

#include <stdbool.h>

#include "wms_error.h"
#include "wms_lifecycle.h"
#include "wms_time.h"

/* Roles are bits so that a route or an action can allow a set of them. */
enum wms_role {
	WMS_ROLE_NONE       = 0,
	WMS_ROLE_WAREHOUSE  = 1 << 0,   /* lagerarbetare: receive, move, buffer, pick, dispatch, return */
	WMS_ROLE_TECHNICIAN = 1 << 1,   /* tekniker: reconditioning steps and outcomes, repair-back */
	WMS_ROLE_DISPATCHER = 1 << 2,   /* transportplanerare: orders, allocation, consignments, tracking */
	WMS_ROLE_MANAGER    = 1 << 3,   /* chef: reports, cancel and void with a reason */
	WMS_ROLE_ADMIN      = 1 << 4,   /* users, tokens, purge, configuration; and every action */
	/*
	 * Not a person's role: an in-process caller acting for the installation
	 * itself (the demo data, the CLI run by the database file's owner without
	 * --actor, a migration).  Never given for a request that came from
	 * outside (a scan, an HTTP request); it must be written out explicitly,
	 * a zeroed role is refused.
	 */
	WMS_ROLE_TRUSTED    = 1 << 5,
};
#define WMS_ROLES_ALLOWED "warehouse, technician, dispatcher, manager, admin"
#define WMS_ROLE_ALL (WMS_ROLE_WAREHOUSE | WMS_ROLE_TECHNICIAN | WMS_ROLE_DISPATCHER | \
                      WMS_ROLE_MANAGER | WMS_ROLE_ADMIN)

/*
 * Actions: every ledger event type (enum wms_event_type) and the few actions
 * that are not events but follow the same table.
 */
enum wms_action {
	WMS_ACT_RECON_STEP = WMS_EV_COUNT,   /* a reconditioning step result */
	WMS_ACT_COUNT
};

/* The roles (bits) that may do action; 0 for an unknown action. */
unsigned wms_rules_roles(int action);
/* Name of an action ("recon_approve", "recon_step"). */
const char *wms_action_name(int action);

/*
 * May an actor with role bits `role` do `action`?  0, or WMS_EPERM naming
 * the actor, the action and the roles that may ("user anna (warehouse) may
 * not recon_approve; allowed: technician, admin").  role 0 is refused.
 */
int wms_rules_check_role(unsigned role, int action, const char *actor, struct wms_error *err);

/* "warehouse", ...; "trusted" for WMS_ROLE_TRUSTED; "none" otherwise. */
const char *wms_role_name(enum wms_role role);
/* Parse one role name; WMS_EINVAL naming the allowed ones. */
int wms_role_parse(const char *text, enum wms_role *out, struct wms_error *err);

/*
 * A patient reference is a pseudonym: 1-64 of A-Z a-z 0-9 - _, never a
 * Swedish personal identity number (personnummer) or coordination number
 * (samordningsnummer) in any written form - 10 or 12 digits, with or
 * without "-", "+" or a space before the last four, a valid date part
 * (YYMMDD or YYYYMMDD; the day may be +60), check digit right or wrong -
 * and never a name (a run of four or more letters).  0 or WMS_EINVAL with
 * a message that never repeats the reference.  Every door that takes a
 * patient reference comes through here (the ledger's order_create).
 */
int wms_patient_ref_check(const char *ref, struct wms_error *err);

/* How far (seconds) an event may be dated ahead of the server clock;
 * default WMS_FUTURE_SKEW_DEFAULT, set once at start ([ledger] future_skew). */
#define WMS_FUTURE_SKEW_DEFAULT 300
void wms_rules_set_future_skew(long seconds);
long wms_rules_future_skew(void);
/* 0, or WMS_EINVAL when at is more than the skew ahead of now, the message
 * giving both times. */
int wms_rules_check_time(wms_time at, wms_time now, struct wms_error *err);

#endif
