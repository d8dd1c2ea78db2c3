/*
 * recon_internal.h - what the files of the reconditioning room share
 * (not for callers outside reconditioning/).
 */
#ifndef RECON_INTERNAL_H
#define RECON_INTERNAL_H

#include <stddef.h>

#include "recon.h"

/*
 * Why scrapping is proposed for a device with `cycles` reconditionings,
 * manufactured on `manufactured` (YYYY-MM-DD, or NULL/"": age counts from
 * `received`), judged at `now`: one line in buf, or "" when it is not.
 */
void recon_scrap_proposal(const struct recon_config *cfg, int cycles, const char *manufactured,
                          wms_time received, wms_time now, char *buf, size_t len);

#endif
