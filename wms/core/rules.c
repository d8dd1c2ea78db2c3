/*
 * rules.c - the rules that hold at every door (see wms_rules.h): the one
 * table of which role may do which action, the patient-reference check that
 * refuses personal identity numbers and names, and the future-time limit.
 */
#include "wms_rules.h"

#include <stdio.h>
#include <string.h>

#define WH    WMS_ROLE_WAREHOUSE
#define TECH  WMS_ROLE_TECHNICIAN
#define DISP  WMS_ROLE_DISPATCHER
#define MGR   WMS_ROLE_MANAGER
/* the admin and the installation itself may do everything */
#define ANY   (WMS_ROLE_ADMIN | WMS_ROLE_TRUSTED)

/* The one role table: action -> roles that may do it.  An action missing
 * here is refused to everyone but ANY (rules_test checks every row is set). */
static const unsigned may[WMS_ACT_COUNT] = {
	[WMS_EV_RECEIVE]       = WH | ANY,
	[WMS_EV_MOVE]          = WH | ANY,
	[WMS_EV_TO_BUFFER]     = WH | ANY,
	[WMS_EV_FROM_BUFFER]   = WH | ANY,
	[WMS_EV_RESERVE]       = WH | DISP | ANY,   /* picking; allocation */
	[WMS_EV_UNRESERVE]     = WH | DISP | ANY,
	[WMS_EV_PICK]          = WH | ANY,
	[WMS_EV_DISPATCH]      = WH | DISP | ANY,   /* or the carrier's first scan (tracking) */
	[WMS_EV_DELIVER]       = DISP | ANY,        /* tracking */
	[WMS_EV_RENT]          = DISP | ANY,
	[WMS_EV_EXPECT_RETURN] = DISP | ANY,        /* pickup order (hämtorder) */
	[WMS_EV_EXCHANGE]      = DISP | ANY,
	[WMS_EV_RETURN]        = WH | ANY,
	[WMS_EV_RECON_START]   = TECH | ANY,
	[WMS_EV_RECON_APPROVE] = TECH | ANY,
	[WMS_EV_RECON_REPAIR]  = TECH | ANY,
	[WMS_EV_REPAIR_BACK]   = TECH | ANY,
	[WMS_EV_SCRAP]         = TECH | ANY,
	[WMS_EV_TRANSFER_OUT]  = WH | ANY,          /* depots: a device leaves for another depot */
	[WMS_EV_TRANSFER_IN]   = WH | ANY,          /* and is scanned in at its goods-in */
	[WMS_EV_ORDER_CREATE]  = DISP | ANY,
	[WMS_EV_ORDER_CANCEL]  = DISP | MGR | ANY,
	[WMS_EV_ORDER_NOTE]    = DISP | MGR | ANY,
	[WMS_EV_VOID]          = MGR | ANY,         /* undo with a reason */
	[WMS_ACT_RECON_STEP]   = TECH | ANY,
};

static const struct { enum wms_role role; const char *name; } roles[] = {
	/* WMS_N_: a station names a role in its language (wms_tr) */
	{ WMS_ROLE_WAREHOUSE, WMS_N_("warehouse") }, { WMS_ROLE_TECHNICIAN, WMS_N_("technician") },
	{ WMS_ROLE_DISPATCHER, WMS_N_("dispatcher") }, { WMS_ROLE_MANAGER, WMS_N_("manager") },
	{ WMS_ROLE_ADMIN, WMS_N_("admin") }, { WMS_ROLE_TRUSTED, "trusted" },
};

const char *wms_role_name(enum wms_role role)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].role == role)
			return roles[i].name;
	return "none";
}

int wms_role_parse(const char *text, enum wms_role *out, struct wms_error *err)
{
	char q[80];

	/* "trusted" is not a role anyone can be given */
	for (size_t i = 0; text && i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(text, roles[i].name) == 0 && roles[i].role != WMS_ROLE_TRUSTED) {
			*out = roles[i].role;
			return 0;
		}
	return wms_error_set(err, WMS_EINVAL, "bad role \"%s\"; allowed: %s",
	                     wms_quote(q, sizeof q, text ? text : "", text ? strlen(text) : 0, 16),
	                     WMS_ROLES_ALLOWED);
}

unsigned wms_rules_roles(int action)
{
	return action >= 0 && action < WMS_ACT_COUNT ? may[action] : 0;
}

const char *wms_action_name(int action)
{
	if (action == WMS_ACT_RECON_STEP)
		return "recon_step";
	return wms_event_name((enum wms_event_type)action);
}

/* An action in a message: its name, or at a station its words (wms_event_word). */
static const char *action_word(int action)
{
	if (action == WMS_ACT_RECON_STEP)
		return wms_error_for_station() ? wms_tr("recording checklist steps") : "recon_step";
	return wms_event_word((enum wms_event_type)action);
}

/* A role in a message: the word `wms user` takes, or at a station the role in its language. */
static const char *role_word(const char *name)
{
	return wms_error_for_station() ? wms_tr(name) : name;
}

int wms_rules_check_role(unsigned role, int action, const char *actor, struct wms_error *err)
{
	char allowed[128] = "";
	unsigned ok = wms_rules_roles(action);
	size_t used = 0;

	if (role & ok)
		return 0;
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if ((ok & roles[i].role) && roles[i].role != WMS_ROLE_TRUSTED)
			used += (size_t)snprintf(allowed + used, sizeof allowed - used, "%s%s",
			                         used ? ", " : "", role_word(roles[i].name));
	if (role == 0)
		return wms_error_set(err, WMS_EPERM, "%s refused: no role was given for %s%s; the door "
		                     "must say who acts (allowed: %s)", action_word(action),
		                     actor && *actor ? "actor " : "an unnamed actor", actor ? actor : "",
		                     allowed);
	if (wms_error_for_station())
		return wms_error_set(err, WMS_EPERM, "%s (%s) may not do this: %s; allowed: %s",
		                     actor && *actor ? actor : wms_tr("this user"),
		                     role_word(wms_role_name((enum wms_role)role)), action_word(action), allowed);
	return wms_error_set(err, WMS_EPERM, "%s (%s) may not %s; allowed: %s",
	                     actor && *actor ? actor : "this user", wms_role_name((enum wms_role)role),
	                     wms_action_name(action), allowed);
}

/* ---- patient references ---- */

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int two(const char *d)
{
	return (d[0] - '0') * 10 + (d[1] - '0');
}

/* A date part YYMMDD (century unknown: either 19 or 20 will do) or YYYYMMDD;
 * the day may be a coordination number's day + 60. */
static bool valid_date_part(const char *d, int n)
{
	int month = two(d + n - 4), day = two(d + n - 2);
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (day > 60)
		day -= 60;
	if (month < 1 || month > 12 || day < 1 || day > mdays[month - 1])
		return false;
	if (month == 2 && day == 29) {
		int yy = two(d + n - 6);
		if (n == 8)
			return leap(two(d) * 100 + yy);
		return leap(1900 + yy) || leap(2000 + yy);
	}
	return true;
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* k digits, an optional "-", "+" or " ", 4 digits, then no digit. */
static bool number_at(const char *p, int k, char digits[12])
{
	int n = 0;

	for (; n < k; n++, p++) {
		if (!digit(*p))
			return false;
		digits[n] = *p;
	}
	if (*p == '-' || *p == '+' || *p == ' ')
		p++;
	for (int i = 0; i < 4; i++, p++, n++) {
		if (!digit(*p))
			return false;
		digits[n] = *p;
	}
	return !digit(*p);
}

/*
 * Does text hold a personal identity or coordination number: YYMMDD or
 * YYYYMMDD, an optional separator, four digits, standing alone (no digit
 * right before or after), with a valid date part?  Every start of a digit
 * run is tried, so "P-121212-1212" and "12-121212-1212" are both caught.
 */
static bool holds_identity_number(const char *text)
{
	char d[12];

	for (const char *p = text; *p; p++) {
		if (!digit(*p) || (p > text && digit(p[-1])))
			continue;
		if ((number_at(p, 6, d) && valid_date_part(d, 6)) || (number_at(p, 8, d) && valid_date_part(d, 8)))
			return true;
	}
	return false;
}

static bool holds_word(const char *text)
{
	int letters = 0;

	for (const char *p = text; *p; p++) {
		bool letter = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (unsigned char)*p >= 0x80;
		letters = letter ? letters + 1 : 0;
		if (letters >= 4)
			return true;
	}
	return false;
}

int wms_patient_ref_check(const char *ref, struct wms_error *err)
{
	size_t n = ref ? strlen(ref) : 0;

	if (n == 0)
		return wms_error_set(err, WMS_EINVAL, "empty patient reference: leave it out or use a pseudonym "
		                     "such as P-000123");
	/* the reference itself is never repeated: it may be exactly what must not be stored */
	if (holds_identity_number(ref))
		return wms_error_set(err, WMS_EINVAL, "bad patient reference: it holds a personal identity or "
		                     "coordination number (personnummer/samordningsnummer), which must never be "
		                     "stored; use the ordering system's pseudonym, e.g. P-000123");
	if (holds_word(ref))
		return wms_error_set(err, WMS_EINVAL, "bad patient reference: it looks like a name (a word of 4 "
		                     "or more letters); use a pseudonym such as P-000123, never a name");
	if (n > 64 || strspn(ref, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != n)
		return wms_error_set(err, WMS_EINVAL, "bad patient reference: use a pseudonym of 1-64 characters "
		                     "A-Z a-z 0-9 - _ (never a name or personal identity number)");
	return 0;
}

/* ---- time ---- */

static long future_skew = WMS_FUTURE_SKEW_DEFAULT;

void wms_rules_set_future_skew(long seconds)
{
	future_skew = seconds < 0 ? 0 : seconds;
}

long wms_rules_future_skew(void)
{
	return future_skew;
}

int wms_rules_check_time(wms_time at, wms_time now, struct wms_error *err)
{
	char a[32], b[32];

	if (at <= now + future_skew)
		return 0;
	return wms_error_set(err, WMS_EINVAL, "event time %s is in the future: the server clock says %s "
	                     "(at most %ld s ahead is accepted); check the time given and the clocks",
	                     wms_time_format(at, a), wms_time_format(now, b), future_skew);
}
