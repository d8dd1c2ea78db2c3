/*
 * source_fifo.c - a scanner source reading newline-terminated scans from a
 * named pipe, a character device in line mode or any readable file.
 *
 * A FIFO is opened a second time for writing and kept open, so that the
 * pipe never reports end-of-file when the last writer goes away (a scanner
 * bridge restarting must not make the station disappear).  A character
 * device that reports end-of-file or an error is reported gone (the daemon
 * retries it).  Plain files are refused: a reopen would replay them.
 *
 * The line buffer is bounded: a line longer than SOURCE_SCAN_MAX bytes keeps
 * its first SOURCE_SCAN_MAX bytes, the rest up to the newline is skipped, and
 * the scan is delivered with a fault.  A NUL byte makes the line a fault too
 * (a scanner never sends one; it means noise or a misconfigured device).
 *
 * A FIFO that does not exist is made (mkfifo) with the mode of option
 * mode=0660 (octal, the default 0660): /run/wmsd is emptied at every boot,
 * and a bridge must find the pipe where the configuration says.
 *
 * Option ack=/path names a second FIFO on which the good and bad signals are
 * written as the lines "ok" and "bad" (for a scanner bridge that beeps, and
 * for tests and benchmarks that measure scan-to-acknowledge time).  No
 * reader on it is not an error: the signal is then simply not heard.  The
 * signals of one loop turn are kept and written with one write() at the
 * turn's flush (a station with many scans in flight gets all its acks at
 * once).
 *
 * Every complete line a read returns is a scan: a bridge that writes ahead
 * has all its scans of one loop turn committed together.
 */
#include "scan_source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fifo {
	struct scan_source head;      /* first: a struct scan_source * is a struct fifo * */
	int fd;
	int keep_fd;                  /* our own writer on a FIFO, -1 otherwise */
	bool is_fifo;
	unsigned char line[SOURCE_SCAN_MAX];
	size_t len;
	size_t dropped;               /* bytes skipped of an over-long line */
	bool nul;                     /* the current line held a NUL byte */
	char ack[128];                /* ack FIFO path, "" = none */
	int ack_fd;                   /* open while a reader is there, else -1 */
	char acks[4096];              /* signals not written yet (fifo_flush) */
	size_t n_acks;
};

static int fifo_parse(const char *spec, struct scan_spec *s, struct scan_source *head,
                      struct wms_error *err)
{
	int rc;

	const char *ack;

	const char *mode;
	char *end;

	if ((rc = scan_spec_parse(spec, "ack gs mode", s, err)) < 0 ||
	    (rc = scan_spec_gs(s, GS1_SEP_SENT, &head->gs, &head->gs_substitute, err)) < 0)
		return rc;
	if ((mode = scan_spec_get(s, "mode")) &&
	    (strtol(mode, &end, 8) & ~0777L || *end != '\0' || mode[0] == '\0' || mode[0] == '-'))
		return wms_error_set(err, WMS_ECONFIG, "mode=%.20s: an octal file mode 0000..0777 is "
		                     "needed, e.g. mode=0660", mode);
	if (s->first[0] != '/')
		return wms_error_set(err, WMS_ECONFIG, "fifo:%.60s: an absolute path is needed", spec);
	if ((ack = scan_spec_get(s, "ack")) && ack[0] != '/')
		return wms_error_set(err, WMS_ECONFIG, "ack=%.60s: an absolute path is needed", ack);
	return 0;
}

/* Make the pipe at path when nothing is there. */
static int make_fifo(const char *path, const struct scan_spec *s, struct wms_error *err)
{
	const char *m = scan_spec_get(s, "mode");
	mode_t mode = m ? (mode_t)strtol(m, NULL, 8) : 0660;
	mode_t old;
	int rc;

	if (access(path, F_OK) == 0 || errno != ENOENT)
		return 0;
	old = umask(0);
	rc = mkfifo(path, mode);
	umask(old);
	if (rc < 0 && errno != EEXIST)
		return wms_error_set(err, errno == ENOENT ? WMS_ENOTFOUND : WMS_EIO,
		                     "cannot make the pipe %s: %s", path, strerror(errno));
	return 0;
}

static int fifo_check(const char *spec, struct wms_error *err)
{
	struct scan_spec s;
	struct scan_source head;

	return fifo_parse(spec, &s, &head, err);
}

static int fifo_open(const char *spec, const char *station, struct scan_source **out,
                     struct wms_error *err)
{
	struct fifo *f;
	struct stat st;
	struct scan_spec s;
	const char *path = s.first;
	int rc;

	*out = NULL;
	if ((f = calloc(1, sizeof *f)) == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory opening %s", spec);
	if ((rc = fifo_parse(spec, &s, &f->head, err)) < 0) {
		free(f);
		return rc;
	}
	f->head.ops = &scan_source_fifo;
	snprintf(f->head.station, sizeof f->head.station, "%s", station);
	snprintf(f->head.spec, sizeof f->head.spec, "%s", path);
	f->fd = -1;
	f->keep_fd = -1;
	f->ack_fd = -1;
	snprintf(f->ack, sizeof f->ack, "%s", scan_spec_get(&s, "ack") ? scan_spec_get(&s, "ack") : "");
	if ((rc = make_fifo(path, &s, err)) < 0 || (f->ack[0] && (rc = make_fifo(f->ack, &s, err)) < 0))
		goto fail;
	f->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (f->fd < 0) {
		rc = wms_error_set(err, errno == ENOENT ? WMS_ENOTFOUND : WMS_EIO, "cannot open %s: %s",
		                   path, strerror(errno));
		goto fail;
	}
	if (fstat(f->fd, &st) < 0) {
		rc = wms_error_set(err, WMS_EIO, "cannot stat %s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
		/* a plain file would be replayed from its start at every reopen */
		rc = wms_error_set(err, WMS_EINVAL, "%s is not a named pipe or character device", path);
		goto fail;
	}
	f->is_fifo = S_ISFIFO(st.st_mode);
	if (f->is_fifo) {
		f->keep_fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (f->keep_fd < 0) {
			rc = wms_error_set(err, WMS_EIO, "cannot hold %s open: %s", path, strerror(errno));
			goto fail;
		}
	}
	*out = &f->head;
	return 0;
fail:
	if (f->fd >= 0)
		close(f->fd);
	free(f);
	return rc;
}

static int fifo_pollfds(const struct scan_source *src, struct pollfd *fds, int max)
{
	if (max < 1)
		return 0;
	fds[0] = (struct pollfd){ .fd = ((const struct fifo *)src)->fd, .events = POLLIN };
	return 1;
}

static void deliver(struct fifo *f, scan_fn fn, void *ctx)
{
	char fault[96] = "";
	struct scan s = {
		.station = f->head.station, .bytes = f->line, .len = f->len, .mono_ms = scan_source_now_ms(),
		.gs = f->head.gs, .gs_substitute = f->head.gs_substitute };

	if (f->dropped)
		snprintf(fault, sizeof fault, "scan longer than %d bytes (%zu bytes), discarded",
		         SOURCE_SCAN_MAX, f->len + f->dropped);
	else if (f->nul)
		snprintf(fault, sizeof fault, "NUL byte in scan, discarded");
	s.fault = fault[0] ? fault : NULL;
	fn(ctx, &s);
	f->len = 0;
	f->dropped = 0;
	f->nul = false;
}

static int fifo_dispatch(struct scan_source *src, short revents, scan_fn fn, void *ctx,
                         struct wms_error *err)
{
	struct fifo *f = (struct fifo *)src;
	unsigned char buf[4096];

	(void)revents;   /* read() itself tells data, end of input and errors apart */
	for (;;) {
		ssize_t n = read(f->fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return wms_error_set(err, WMS_EIO, "read %s: %s", f->head.spec, strerror(errno));
		}
		if (n == 0) {
			/* only a character device gets here: a FIFO has our own writer */
			if (f->len || f->dropped || f->nul)
				deliver(f, fn, ctx);
			return wms_error_set(err, WMS_EIO, "%s: end of input", f->head.spec);
		}
		for (ssize_t i = 0; i < n; i++) {
			unsigned char c = buf[i];
			if (c == '\n') {
				if (f->len || f->dropped || f->nul)
					deliver(f, fn, ctx);
				continue;
			}
			if (c == '\0')
				f->nul = true;
			if (f->len < sizeof f->line)
				f->line[f->len++] = c;
			else
				f->dropped++;
		}
	}
}

/* Write the kept signals to the ack pipe. */
static int fifo_flush(struct scan_source *src, struct wms_error *err)
{
	struct fifo *f = (struct fifo *)src;
	size_t len = f->n_acks;

	f->n_acks = 0;
	if (len == 0)
		return 0;
	/* non-blocking: with no reader the open fails (ENXIO) and nobody hears it */
	if (f->ack_fd < 0 && (f->ack_fd = open(f->ack, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return errno == ENXIO ? 0 : wms_error_set(err, WMS_EIO, "ack %s: %s", f->ack,
		                                          strerror(errno));
	if (write(f->ack_fd, f->acks, len) != (ssize_t)len) {
		int e = errno;
		close(f->ack_fd);        /* the reader went away (EPIPE) or is not reading */
		f->ack_fd = -1;
		return e == EPIPE ? 0 : wms_error_set(err, WMS_EIO, "ack %s: %s", f->ack, strerror(e));
	}
	return 0;
}

static int fifo_signal(struct scan_source *src, enum scan_signal sig, struct wms_error *err)
{
	struct fifo *f = (struct fifo *)src;
	const char *line = sig == SCAN_SIGNAL_GOOD ? "ok\n" : "bad\n";
	size_t len = strlen(line);
	int rc = 0;

	if (f->ack[0] == '\0')
		return 0;
	if (f->n_acks + len > sizeof f->acks)
		rc = fifo_flush(src, err);
	memcpy(f->acks + f->n_acks, line, len);
	f->n_acks += len;
	return rc;
}

static void fifo_close(struct scan_source *src)
{
	struct fifo *f = (struct fifo *)src;

	if (f == NULL)
		return;
	if (f->n_acks > 0) {
		struct wms_error err = { 0 };
		fifo_flush(src, &err);    /* the last turn's signals; nobody to tell if it fails */
	}
	if (f->ack_fd >= 0)
		close(f->ack_fd);
	if (f->fd >= 0)
		close(f->fd);
	if (f->keep_fd >= 0)
		close(f->keep_fd);
	free(f);
}

const struct scan_source_ops scan_source_fifo = {
	.name = "fifo",
	.usage = "fifo:/absolute/path [ack=/absolute/path] [mode=0660] (named pipe or character "
	         "device, one scan per line; \"ok\"/\"bad\" lines written to the ack pipe; missing "
	         "pipes are made with mode)",
	.check = fifo_check,
	.open = fifo_open,
	.pollfds = fifo_pollfds,
	.dispatch = fifo_dispatch,
	.signal = fifo_signal,
	.flush = fifo_flush,
	.close = fifo_close,
};
