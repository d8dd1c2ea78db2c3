/*
 * printq_conf.h - the printers of the shared configuration file (wmsd.conf):
 * which CUPS queue prints which labels, in which printer language.
 *
 *   [printer lager-zebra]
 *   queue = zebra_lager          ; the CUPS queue name (required)
 *   server = 127.0.0.1:631       ; CUPS server host:port or /socket (default: CUPS's own)
 *   language = zpl               ; zpl (raw ZPL) | pdf | png (through the queue's driver)
 *   dpi = 203                    ; 203 | 300
 *   media = 107x190              ; picks <kind>-<media>.label when that template exists
 *   purposes = device location recon shipping return picklist delivery-note
 *   stations = pack-1 pack-2     ; stations it serves (default: every station)
 *   [labels]
 *   templates = /usr/share/wms/templates
 *
 * printq_conf_section() is the wms_config_extra_fn for these sections (the
 * CLI's and the daemon's configuration callbacks hand them over; errors get
 * "file:line: " from the parser); printq_conf_check() validates what only the
 * whole file can tell (every printer has a queue).  The struct is plain data,
 * filled into a fresh instance and used read-only afterwards, so the worker
 * thread may read it while the daemon runs.
 */
#ifndef PRINTQ_CONF_H
#define PRINTQ_CONF_H

#include "label.h"
#include "wms_error.h"

#define PRINTQ_CONF_MAX_PRINTERS 32

enum printq_lang {
	PRINTQ_LANG_ZPL,      /* ZPL rendered here, sent raw */
	PRINTQ_LANG_PDF,      /* PDF through the queue's CUPS driver */
	PRINTQ_LANG_PNG,      /* PNG (one page) through the queue's CUPS driver */
};

struct printq_printer_conf {
	char name[64];            /* [printer NAME] */
	char queue[128];          /* CUPS queue */
	char server[128];         /* "" = CUPS's default server */
	enum printq_lang language;
	int dpi;                  /* 203 or 300 */
	char media[32];           /* "" or e.g. 107x190, 4x6 */
	unsigned purposes;        /* bit (1u << enum label_kind) per purpose; 0 = none */
	char stations[256];       /* space-separated station names; "" = every station */
	char depot[16];           /* the depot it stands in ("" = the default); wmsd checks the code */
};

struct printq_conf {
	int n_printers;
	struct printq_printer_conf printers[PRINTQ_CONF_MAX_PRINTERS];
	char templates[4096];     /* template directory; "" = the one built in */
};

/* Empty list, built-in template directory (the same as a zeroed struct). */
void printq_conf_init(struct printq_conf *pc);

/* The template directory: [labels] templates, else WMS_LABEL_TEMPLATE_DIR. */
const char *printq_conf_templates(const struct printq_conf *pc);

/* Whether section ("printer NAME", "labels") is one of ours. */
int printq_conf_owns(const char *section);

/*
 * A wms_config_extra_fn: ctx is the struct printq_conf to fill.  WMS_ECONFIG
 * naming the key and what is allowed; sections not ours are refused too.
 */
int printq_conf_section(void *ctx, const char *section, const char *key, const char *value,
			struct wms_error *err);

/* After the file: every printer needs a queue.  WMS_ECONFIG naming the printer. */
int printq_conf_check(const struct printq_conf *pc, struct wms_error *err);

/* A printer by name, NULL if not configured. */
const struct printq_printer_conf *printq_conf_find(const struct printq_conf *pc,
						   const char *name);

/*
 * The printer for a purpose at a station (NULL: any): the first with that
 * purpose that lists the station, else the first with that purpose and no
 * station list.  NULL if none.
 */
const struct printq_printer_conf *printq_conf_for(const struct printq_conf *pc,
						  enum label_kind purpose, const char *station);

/*
 * Why printq_conf_for(pc, purpose, station) found no printer, as one line
 * into buf (size bytes; returns buf): "no printer has purpose device", or,
 * when printers have it but serve other stations, "no printer has purpose
 * device at station desk: printer lager-zebra has it only for stations
 * goods-in recon-1".
 */
const char *printq_conf_why_none(const struct printq_conf *pc, enum label_kind purpose,
				 const char *station, char *buf, size_t size);

/* "zpl", "pdf", "png". */
const char *printq_lang_name(enum printq_lang lang);

/* "device location ..." of a purposes bit set into buf (size bytes); returns buf. */
const char *printq_purposes_text(unsigned purposes, char *buf, size_t size);

#endif
