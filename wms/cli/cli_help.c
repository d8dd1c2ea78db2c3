/*
 * cli_help.c - `wms COMMAND --help`: the usage line, what the command does,
 * each of its options with what it takes, and one example; and `wms
 * --commands`, the command names one a line (the man page's generator and
 * its test read it).  The options and examples are tables here, keyed by
 * name, so that the command tables stay one line per command; a test
 * (cli_help) fails when a command lacks its example or an option its text.
 * The table is also the parser's: an option without an argument is a flag.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

struct option_help {
	const char *name;
	const char *arg;        /* what the value is; NULL for a flag */
	const char *help;
};

/* Every option of every command; "command:option" rows take precedence. */
static const struct option_help options[] = {
	{ "actor", "ID", N_("who did it (default: the user running wms)") },
	{ "all", NULL, N_("every open order instead of one") },
	{ "at", "TIME", N_("when it happened: YYYY-MM-DD[THH:MM[:SS]] (default now)") },
	{ "before", "TIME", N_("only jobs finished before this time") },
	{ "carrier", "NAME", N_("a [carrier NAME] of the configuration") },
	{ "category", "CAT", N_("HoS (health care) or SoL (social services)") },
	{ "cost-centre", "CODE", N_("the customer's cost centre for the rental report") },
	{ "csv", NULL, N_("CSV instead of a table") },
	{ "customer", "CODE", N_("the customer (ordering unit)") },
	{ "delivery", "NUMBER", N_("the supplier delivery it came with (checked against what was announced)") },
	{ "delivery-note-text", "TEXT", N_("a text for the customer on the delivery note (the order's own "
	  "note stays in the centre)") },
	{ "depot", "CODE", N_("the depot's code, e.g. ML or SK (default: the default depot)") },
	{ "device", "SERIAL", N_("fill the label from this device") },
	{ "devices", "N", N_("how many devices the demo data has") },
	{ "dpi", "DPI", N_("203 or 300 (default the printer's, else 203)") },
	{ "due", "DATE", N_("when the device is due back (default: in [returns] pickup_due_days)") },
	{ "exchange-of", "SERIAL", N_("the faulty device this order replaces") },
	{ "expiry", "DATE", N_("the expiry date (YYYY-MM-DD)") },
	{ "external-id", "ID", N_("the ordering system's id of the order") },
	{ "follow", NULL, N_("keep printing new lines as they come") },
	{ "from", "DATE", N_("the first day of the report") },
	{ "gtin", "GTIN", N_("the product's GTIN (the product is found by it)") },
	{ "json", NULL, N_("print JSON instead of text") },
	{ "kind", "KIND", N_("the kind: see the command's description") },
	{ "limit", "N", N_("at most N rows") },
	{ "lines", "N", N_("how many of the latest lines") },
	{ "location", "CODE", N_("the location (a shelf, a buffer, a recon bench)") },
	{ "lot", "LOT", N_("the batch or lot number") },
	{ "manufactured", "DATE", N_("the manufacturing date (YYYY-MM-DD)") },
	{ "media", "MEDIA", N_("the label stock, as in [printer NAME] media") },
	{ "mode", "MODE", N_("home, pickup_point, unit or buffer") },
	{ "month", "YYYY-MM", N_("the month of the report (default: the last one)") },
	{ "name", "TEXT", N_("the name") },
	{ "name-en", "TEXT", N_("the English name") },
	{ "name-sv", "TEXT", N_("the Swedish name") },
	{ "needs-training", NULL, N_("the first delivery to a unit waits for the staff's training") },
	{ "note", "TEXT", N_("a note kept with the step (no personal data)") },
	{ "now", "TIME", N_("judge open orders as of this time (default now)") },
	{ "once", NULL, N_("work through what is due once, then exit") },
	{ "order", "NUMBER", N_("the order") },
	{ "password-file", "FILE", N_("read the password from FILE (default: asked on the terminal)") },
	{ "patient-address", "TEXT", N_("the patient's street address (kept apart, purged)") },
	{ "patient-name", "TEXT", N_("the patient's name (kept apart, purged)") },
	{ "patient-phone", "TEXT", N_("the patient's phone number (kept apart, purged)") },
	{ "patient-postal-code", "NNNNN", N_("the patient's postal code (kept apart, purged)") },
	{ "patient-ref", "REF", N_("the pseudonymous patient reference, never a name") },
	{ "pdf", "FILE", N_("write a PDF") },
	{ "personal", NULL, N_("show the patient data too") },
	{ "pickup-point", "ID", N_("the pickup point (utlämningsställe)") },
	{ "png", "FILE", N_("write a PNG") },
	{ "printer", "NAME", N_("a [printer NAME] of the configuration (default: by purpose)") },
	{ "problems", NULL, N_("only failed, returned, unbooked or late ones") },
	{ "product", "CODE", N_("the product") },
	{ "reason", "TEXT", N_("why (kept with the event; no personal data)") },
	{ "rent-stop", "DATE", N_("when the rent stops (default: in [returns] rent_stop_days)") },
	{ "repair", "FAULT", N_("send the device to repair") },
	{ "requested-date", "DATE", N_("the agreed delivery date (anpassad leverans)") },
	{ "retention-days", "N", N_("purge patient data of orders closed more than N days ago") },
	{ "role", "ROLE", N_("warehouse, technician, dispatcher, manager or admin") },
	{ "scrap", "REASON", N_("scrap the device (kassation)") },
	{ "seed", "N", N_("the random seed of the demo data") },
	{ "serial", "SERIAL", N_("only this device's") },
	{ "service", "NAME", N_("the carrier's service") },
	{ "set", "NAME=VALUE", N_("set a label field (repeatable)") },
	{ "state", "STATE", N_("only jobs in this state: queued, submitted, printed, failed, held, cancelled") },
	{ "station", "NAME", N_("the station it happened at") },
	{ "status", "STATUS", N_("only these: open or closed") },
	{ "text", "TEXT", N_("what happened (no personal data)") },
	{ "to", "DATE", N_("the last day of the report") },
	{ "tracking", "NUMBER", N_("the carrier's tracking number") },
	{ "wait", NULL, N_("wait until it is done, and say how it went") },
	{ "zpl", "FILE", N_("write ZPL") },
	{ "case open:kind", "KIND", N_("support or deviation") },
	{ "customer add:kind", "KIND", N_("region or municipality") },
	{ "location add:kind", "KIND", N_("shelf, buffer, quarantine, recon or dispatch") },
	{ "street", "TEXT", N_("the street address") },
	{ "postcode", "NNNNN", N_("the postcode (five digits)") },
	{ "city", "TEXT", N_("the post town") },
	{ "by-depot", NULL, N_("one row per depot and product type") },
	{ "orders", "N", N_("how many delivered orders the demo data has (the bulk ledger path)") },
	{ "aim", "]XY", N_("the AIM symbology identifier the scanner sent, e.g. ]d2 for GS1 DataMatrix") },
	{ "gs", "MODE", N_("separators: sent (default), dropped, or the printable character that stands for GS") },
	{ "conninfo", "STRING", N_("the central PostgreSQL connection (default: [central] conninfo)") },
	{ "batch", "N", N_("events per central transaction") },
	{ "after", "SEQ", N_("only events after this sequence number") },
	{ "address", "TEXT", N_("the depot's postal address") },
	{ "cutoff", "HH:MM", N_("the depot's own cut-off time for orders") },
	{ "closed", "DATES", N_("extra closed days, YYYY-MM-DD separated by commas") },
	{ "default", NULL, N_("make it the default depot") },
	{ "transfer out:to", "CODE", N_("the depot the device goes to") },
	{ "recon report:depot", "CODE", N_("only this depot's figures, by its own calendar (default: every depot, "
	                                   "with a row per depot)") },
	{ "leadtime report:depot", "CODE", N_("only this depot's figures, by its own calendar (default: every depot, "
	                                      "with a row per depot)") },
	{ "transfer request:from", "CODE", N_("the depot that has a device to send") },
	{ "transfer list:depot", "CODE", N_("only transfers this depot sends or receives") },
	{ "transfer list:state", "STATE", N_("only transfers in this state: requested, in_transit (or sent), "
	                                     "received, cancelled") },
	{ "transfer-consignment create:to", "CODE", N_("a device still in stock: the depot it goes to (the "
	                                               "dispatch station sends it when the SSCC is scanned)") },
	{ "order list:status", "STATUS", N_("only orders in this state: open, delivered, cancelled, ...") },
	{ "recon finish:location", "CODE", N_("the shelf an approved device goes to") },
	{ "db verify:from", "ID", N_("the first event to verify (default 1, the whole chain)") },
	{ "restore-triggers", NULL, N_("put back the ledger's guarding triggers a person dropped or changed (audited)") },
	{ "consignment book:tracking", "NUMBER", N_("booked by hand: the tracking number the carrier gave") },
	{ NULL, NULL, NULL },
};

/* One example per command: arguments and options after "wms COMMAND". */
static const struct { const char *command, *example; } examples[] = {
	{ "receive", "SN-1001 --gtin 09506000134352 --lot L42 --expiry 2030-06-30" },
	{ "move", "SN-1001 --location ML-A01-1" },
	{ "to-buffer", "SN-1001 --location BUF-BORAS-HT" },
	{ "from-buffer", "SN-1001 --location ML-A01-1" },
	{ "reserve", "SN-1001 --order O-1" },
	{ "unreserve", "SN-1001 --reason \"order changed\"" },
	{ "pick", "SN-1001" },
	{ "dispatch", "SN-1001 --delivery-note-text \"Charger in the side pocket\"" },
	{ "deliver", "SN-1001 --at 2026-03-04T10:30" },
	{ "rent", "SN-1001" },
	{ "expect-return", "SN-1001 --due 2026-03-20" },
	{ "exchange", "SN-1001 --order O-2 --reason \"display broken\"" },
	{ "return", "SN-1001 --reason \"no longer needed\"" },
	{ "repair-back", "SN-1001" },
	{ "scrap", "SN-1001 --reason \"cracked housing\"" },
	{ "order create", "O-1 --customer VC-MOLNDAL --product BPM --mode home --patient-ref P-000123" },
	{ "order cancel", "O-1 --reason \"ordered twice\"" },
	{ "order note", "O-1 --reason \"deliver after 14:00\"" },
	{ "order import", "orders.csv" },
	{ "order list", "--status open --limit 20" },
	{ "order show", "O-1" },
	{ "product add", "BPM --name-sv \"Digital blodtrycksmätare\" --name-en \"Blood-pressure monitor\" --category HoS" },
	{ "product add-gtin", "BPM 09506000134352" },
	{ "product list", "--json" },
	{ "customer add", "VC-MOLNDAL --name \"Vårdcentralen Mölndal\" --kind region --cost-centre 4711" },
	{ "customer list", "" },
	{ "location add", "ML-A01-1 --name \"Hylla A1\" --kind shelf" },
	{ "location list", "" },
	{ "device show", "SN-1001" },
	{ "stock", "--product BPM" },
	{ "leadtime report", "--from 2026-01-01 --to 2026-03-31 --product BPM" },
	{ "calendar", "2026" },
	{ "workdays", "2026-03-02 2026-03-11" },
	{ "demo", "--devices 3000" },
	{ "db migrate", "" },
	{ "db check", "--json" },
	{ "db verify", "--from 1200 --json" },
	{ "void", "725 --reason \"received under a typo serial\" --actor maja" },
	{ "user badge", "maja 04512377" },
	{ "db rebuild", "" },
	{ "station", "goods-in --lines 20" },
	{ "user add", "maja --role manager --password-file maja.pw" },
	{ "token create", "ordering-system --role dispatcher" },
	{ "token revoke", "ordering-system" },
	{ "recon start", "SN-1001" },
	{ "recon step", "SN-1001 clean pass --note \"alcohol wipe\"" },
	{ "recon scan", "SN-1001 STEP:clean:pass" },
	{ "recon finish", "SN-1001 --location ML-A01-1" },
	{ "recon show", "SN-1001" },
	{ "recon checklist", "BPM" },
	{ "recon checklists", "" },
	{ "recon report", "--from 2026-01-01 --to 2026-03-31 --depot SK" },
	{ "case open", "SN-1001 --kind support --text \"does not start\"" },
	{ "case list", "--status open" },
	{ "case show", "C-1" },
	{ "case close", "C-1 --text \"battery replaced\"" },
	{ "allocate", "--all" },
	{ "purge", "--retention-days 30" },
	{ "rental report", "--month 2026-03 --csv" },
	{ "printers", "" },
	{ "label print", "device --device SN-1001 --printer lager" },
	{ "label preview", "device --device SN-1001 --png device.png" },
	{ "reprint", "42 --wait" },
	{ "print-queue", "--state failed" },
	{ "print-queue list", "--state queued --limit 20" },
	{ "print-queue show", "42" },
	{ "print-queue retry", "42" },
	{ "print-queue cancel", "42" },
	{ "print-queue work", "--once" },
	{ "print-queue purge", "--before 2026-01-01" },
	{ "scan-image", "label.png" },
	{ "pickup-point import", "pickup-points.csv" },
	{ "pickup-point nearest", "41101 --carrier PostNord --limit 3" },
	{ "pickup-point list", "--carrier PostNord" },
	{ "postcode import", "postcodes.csv" },
	{ "consignment create", "O-1 --carrier PostNord --wait" },
	{ "consignment work", "--once" },
	{ "return-consignment create", "O-1 --carrier PostNord --pickup-point 2001" },
	{ "transfer-consignment create", "SN-1001 --to SK --carrier PostNord --printer shipping" },
	{ "consignment book", "373500123450000014" },
	{ "consignment cancel", "373500123450000014 --reason \"order cancelled\"" },
	{ "consignment show", "373500123450000014" },
	{ "consignment list", "--problems" },
	{ "tracking import", "tracking.csv" },
	{ "tracking add", "373500123450000014 delivered --at 2026-03-04T10:30" },
	{ "transfer out", "SN-1001 --to SK" },
	{ "transfer in", "SN-1001 --depot SK" },
	{ "transfer request", "BST-2026-00042 --from SK" },
	{ "transfer list", "--depot ML --state in_transit" },
	{ "transfer cancel", "3 --reason \"found one here\"" },
	{ "depot address", "SK \"Badhusgatan 5, 541 30 Skövde\"" },
	{ "order set-pickup-point", "BST-2026-00042 2001" },
	{ "customer set-address", "VGR-SU-MOLNDAL --street \"Göteborgsvägen 31\" --postcode 43180 --city Mölndal" },
	{ "leadtime rebuild", "" },
	{ "db backup", "/var/backups/wms-2026-12-07.db" },
	{ "db restore", "/var/backups/wms-2026-12-07.db" },
	{ "supplier add", "OMRON --name \"Omron Healthcare\"" },
	{ "supplier list", "" },
	{ "supplier-delivery import", "delivery-4711.csv" },
	{ "supplier-delivery list", "" },
	{ "supplier-delivery show", "DLV-4711" },
	{ "supplier-delivery close", "DLV-4711" },
	{ "scan-text", "']d20109506000134352<GS>10ABC' --gs sent" },
	{ "hub ship", "--conninfo 'host=central dbname=wms' --batch 500" },
	{ "hub status", "" },
	{ "hub publish", "--conninfo 'host=central dbname=wms'" },
	{ "hub pull", "--conninfo 'host=central dbname=wms'" },
	{ "hub new-epoch", "" },
	{ "ledger export", "--after 1000 --limit 100" },
	{ "depot add", "SK --name \"HMC Skövde\" --cutoff 14:00" },
	{ "depot list", "" },
	{ "depot show", "SK" },
	{ NULL, NULL },
};

static const struct option_help *find_option(const char *command, const char *name)
{
	char key[160];

	snprintf(key, sizeof key, "%s:%s", command, name);
	for (const struct option_help *o = options; o->name; o++)
		if (strcmp(o->name, key) == 0)
			return o;
	for (const struct option_help *o = options; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

bool cli_option_is_flag(const char *command, const char *name)
{
	const struct option_help *o = find_option(command, name);

	return o && !o->arg;
}

static const char *example_of(const char *command)
{
	for (size_t i = 0; examples[i].command; i++)
		if (strcmp(examples[i].command, command) == 0)
			return examples[i].example;
	return NULL;
}

/* "--name ARG" (or "--name" for a flag) of an option, into buf. */
static const char *option_text(const struct cli_command *cmd, const char *name, char *buf, size_t size)
{
	const struct option_help *o = find_option(cmd->name, name);

	snprintf(buf, size, "--%s%s%s", name, o && o->arg ? " " : "", o && o->arg ? o->arg : "");
	return buf;
}

/* Calls fn for each option of cmd, the device commands' at/station/actor included. */
static void each_option(const struct cli_command *cmd, void (*fn)(FILE *, const struct cli_command *,
                                                                  const char *), FILE *f)
{
	char buf[512];
	char *save = NULL;

	snprintf(buf, sizeof buf, "%s%s", cmd->options,
	         cmd->event >= 0 && !strstr(cmd->options, "station") ? " at station actor" : "");
	for (char *o = strtok_r(buf, " ", &save); o; o = strtok_r(NULL, " ", &save))
		fn(f, cmd, o);
	fn(f, cmd, "json");
}

static void usage_option(FILE *f, const struct cli_command *cmd, const char *name)
{
	char text[96];

	fprintf(f, " [%s]", option_text(cmd, name, text, sizeof text));
}

static void option_line(FILE *f, const struct cli_command *cmd, const char *name)
{
	const struct option_help *o = find_option(cmd->name, name);
	char text[96];

	fprintf(f, "  %-24s  %s\n", option_text(cmd, name, text, sizeof text),
	        o ? _(o->help) : _("(not described)"));
}

void cli_help_command(FILE *f, const struct cli_command *cmd)
{
	const char *example = example_of(cmd->name);

	fprintf(f, _("usage: wms %s%s%s"), cmd->name, *cmd->args ? " " : "", cmd->args);
	each_option(cmd, usage_option, f);
	fprintf(f, "\n\n%s\n\n%s\n", _(cmd->help), _("options:"));
	each_option(cmd, option_line, f);
	if (example)
		fprintf(f, "\n%s\n  wms %s%s%s\n", _("example:"), cmd->name, *example ? " " : "", example);
}
