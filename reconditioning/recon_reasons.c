/*
 * recon_reasons.c - the reason codes of a repair or a scrapping, as they
 * stand on a recon station's printed command sheet: RCN:REPAIR:<CODE> and
 * RCN:SCRAP:<CODE> finish the device's run with that outcome, the code and
 * its words as the ledger's reason.  One table; the sheet and the station
 * both read it (recon.h).
 */
#include "recon.h"

#include <string.h>

static const struct recon_reason reasons[] = {
	{ RECON_REPAIR, "BATTERY", WMS_N_("battery does not hold its charge") },
	{ RECON_REPAIR, "DISPLAY", WMS_N_("display faulty or unreadable") },
	{ RECON_REPAIR, "CALIBRATION", WMS_N_("measures outside its tolerance") },
	{ RECON_REPAIR, "CONNECTIVITY", WMS_N_("cannot connect or transmit") },
	{ RECON_REPAIR, "HOUSING", WMS_N_("housing, cuff or cable damaged") },
	{ RECON_REPAIR, "FIRMWARE", WMS_N_("firmware cannot be updated") },
	{ RECON_SCRAP, "BEYOND-REPAIR", WMS_N_("repair costs more than the device is worth") },
	{ RECON_SCRAP, "END-OF-LIFE", WMS_N_("too old or too many cycles") },
	{ RECON_SCRAP, "CONTAMINATED", WMS_N_("cannot be cleaned or disinfected") },
	{ RECON_SCRAP, "RECALL", WMS_N_("recalled by the manufacturer") },
	{ RECON_SCRAP, "MISSING-PARTS", WMS_N_("parts missing, not worth replacing") },
};

const struct recon_reason *recon_reason_at(int i)
{
	return i >= 0 && (size_t)i < sizeof reasons / sizeof reasons[0] ? &reasons[i] : NULL;
}

const struct recon_reason *recon_reason_find(int outcome, const char *code)
{
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (reasons[i].outcome == outcome && strcmp(reasons[i].code, code) == 0)
			return &reasons[i];
	return NULL;
}
