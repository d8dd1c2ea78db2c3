/*
 * courier_config.h - the courier room's part of wmsd.conf: the [courier]
 * section (SSCC numbering, which tracking events end the lead time) and one
 * [carrier NAME] section per named carrier choosing an adapter.
 *
 *   [courier]
 *   gs1_company_prefix = 7350012345      ; 7-10 digits, from GS1 Sweden
 *   sscc_extension = 0                    ; 0-9, the SSCC's first digit
 *   lead_time_ends = delivered available_at_pickup_point
 *   sender_name = Hjälpmedelscentralen    ; the centre: sender of shipping labels,
 *   sender_street = Förrådsvägen 4        ; receiver of return labels
 *   sender_postcode = 431 53
 *   sender_city = Mölndal
 *   parcel_weight = 1 kg                  ; printed on the labels
 *   [carrier PostNord]
 *   adapter = http-json                   ; http-json | manual
 *   base_url = https://api.example/v1
 *   token = ...                           ; sent as "Authorization: Bearer ..."
 *   timeout_ms = 10000
 *   connect_timeout_ms = 3000
 *   service = 19                          ; default service code
 *   book_path = /shipments                ; the paths below are the defaults
 *   label_path = /shipments/{tracking}/label
 *   track_path = /shipments/{tracking}/events
 *   cancel_path = /shipments/{tracking}
 *
 * The structs are plain values filled by courier_config_load(); nothing is
 * allocated, nothing to free.
 */
#ifndef COURIER_CONFIG_H
#define COURIER_CONFIG_H

#include <stdatomic.h>
#include <stdbool.h>

#include "courier_event.h"
#include "wms_error.h"

#define COURIER_MAX_CARRIERS 16

struct courier_carrier_conf {
	char name[32];                /* as in [carrier NAME]; matched case-insensitively */
	char adapter[16];             /* "http-json" or "manual" */
	char base_url[512];
	char token[512];
	long timeout_ms;              /* whole request; default 10000 */
	long connect_timeout_ms;      /* default 3000 */
	char service[32];             /* default service code, may be empty */
	char book_path[128], label_path[128], track_path[128], cancel_path[128];
	/* Set by a caller that must be able to abandon a request in progress
	 * (wmsd's worker thread when wmsd stops): non-zero ends it within about a
	 * second, as a failed request.  NULL (the parsed default): never. */
	const atomic_int *cancel;
};

struct courier_config {
	char company_prefix[11];      /* 7-10 digits; empty: SSCCs cannot be made */
	int extension;                /* 0-9 */
	unsigned lead_time_ends;      /* bit (1u << enum courier_event) per event; 0 = default */
	char sender_name[101], sender_street[101], sender_postcode[11], sender_city[51];
	char parcel_weight[17];       /* "" = "1 kg" */
	int n_carriers;
	struct courier_carrier_conf carriers[COURIER_MAX_CARRIERS];
};

/* True for the sections this room owns: "courier" and "carrier NAME". */
bool courier_config_owns(const char *section);

/* Defaults (a zeroed struct is the same): no prefix, extension 0, lead time
 * ends at delivered and available_at_pickup_point, no carriers. */
void courier_config_defaults(struct courier_config *cc);

/* The events that end the lead time: lead_time_ends, or the default when 0. */
unsigned courier_config_lead_time_ends(const struct courier_config *cc);

/* What needs the whole file: every carrier has an adapter, http-json a base_url. */
int courier_config_check(const struct courier_config *cc, const char *path, struct wms_error *err);

/*
 * Apply one key of an owned section.  cc may be NULL to only validate the
 * value (the CLI and daemon do so while loading the shared file).  0 or a
 * negative status with err filled (without "file:line", the parser adds it).
 */
int courier_config_key(struct courier_config *cc, const char *section, const char *key,
                       const char *value, struct wms_error *err);

/*
 * Load the courier sections of path (NULL: defaults only) into *cc; other
 * sections are left to their owners.  Checks what needs the whole file (an
 * http-json carrier needs a base_url).  0 or negative with err filled.
 */
int courier_config_load(const char *path, struct courier_config *cc, struct wms_error *err);

/* The carrier called name (case-insensitive), or NULL. */
const struct courier_carrier_conf *courier_config_carrier(const struct courier_config *cc,
                                                          const char *name);

#endif
