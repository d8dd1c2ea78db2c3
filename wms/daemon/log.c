/*
 * log.c - stderr or journald, chosen once (see log.h).
 *
 * The message is formatted into one buffer first, so that a line is written
 * with a single call and never interleaves with another; control bytes are
 * replaced so that a message cannot forge a second log line.
 *
 * On stderr, the loop's thread may hold its lines for the rest of a loop
 * turn (wmsd_log_hold/release): the lines of every scan of a turn then go
 * out in one write() instead of one each.  Other threads (the print and
 * ship workers) always write at once.  The journal is one call per line
 * anyway (sd_journal_print): holding does nothing there.
 */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#ifdef WMSD_HAVE_SYSTEMD
#include <systemd/sd-journal.h>
#endif

static bool use_journal;

/* lines held by the loop's thread (wmsd_log_hold): only the thread that
 * holds sees holding set */
static char held[64 * 1024];
static size_t n_held;
static _Thread_local bool holding;

static void write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDERR_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;      /* nowhere to report that the log cannot be written */
		p += w;
		n -= (size_t)w;
	}
}

void wmsd_log_hold(void)
{
	if (use_journal)
		return;
	holding = true;
}

void wmsd_log_release(void)
{
	if (!holding)
		return;
	holding = false;
	write_all(held, n_held);
	n_held = 0;
}

void wmsd_log_init(bool to_stderr)
{
	use_journal = false;
#ifdef WMSD_HAVE_SYSTEMD
	/* systemd sets JOURNAL_STREAM for services whose stderr is the journal */
	if (!to_stderr && getenv("JOURNAL_STREAM") != NULL)
		use_journal = true;
#endif
}

bool wmsd_log_to_journal(void)
{
	return use_journal;
}

static void vlog(int prio, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void vlog(int prio, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof msg, fmt, ap);
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
#ifdef WMSD_HAVE_SYSTEMD
	if (use_journal) {
		sd_journal_print(prio, "%s", msg);
		return;
	}
#endif
	{
		static const char *const level[] = { [LOG_ERR] = "error: ", [LOG_WARNING] = "warning: ",
		                                     [LOG_INFO] = "" };
		char line[sizeof msg + 32];
		int n = snprintf(line, sizeof line, "wmsd: %s%s\n", level[prio] ? level[prio] : "", msg);
		size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;

		if (holding) {
			if (n_held + len > sizeof held) {
				write_all(held, n_held);
				n_held = 0;
			}
			memcpy(held + n_held, line, len);
			n_held += len;
			return;
		}
		write_all(line, len);
	}
}

void wmsd_log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void wmsd_log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void wmsd_log_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}
