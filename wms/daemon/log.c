/*
 * log.c - stderr or journald, chosen once (see log.h).
 *
 * The message is formatted into one buffer first, so that a line is written
 * with a single call and never interleaves with another; control bytes are
 * replaced so that a message cannot forge a second log line.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>

#ifdef WMSD_HAVE_SYSTEMD
#include <systemd/sd-journal.h>
#endif

static bool use_journal;

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
		fprintf(stderr, "wmsd: %s%s\n", level[prio] ? level[prio] : "", msg);
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
