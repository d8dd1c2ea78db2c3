/*
 * log.h - the daemon's one logging module.
 *
 * Messages go to stderr (foreground with -d, or when not started by systemd)
 * or to the journal through sd_journal_print() when wmsd runs under systemd
 * and was built with libsystemd.  One line per message, no trailing newline
 * in the format.  Never pass personal data (names, personnummer, addresses,
 * patient references): serial numbers, location codes and station names only.
 */
#ifndef WMSD_LOG_H
#define WMSD_LOG_H

#include <stdbool.h>

/* Choose the destination once at start; to_stderr forces stderr (-d). */
void wmsd_log_init(bool to_stderr);

/* True when messages go to the journal (for the READY line). */
bool wmsd_log_to_journal(void);

/* The calling thread's lines to stderr wait until release, then go out in
 * one write (a loop turn's scans); other threads' lines are not held.  No
 * effect on the journal. */
void wmsd_log_hold(void);
void wmsd_log_release(void);

void wmsd_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wmsd_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wmsd_log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
