/*
 * http_label.h - which printer gets a label that an API change queues (the
 * recon tag, a shipping label); for the http_*.c files that queue them.
 */
#ifndef WMSD_HTTP_LABEL_H
#define WMSD_HTTP_LABEL_H

#include "http_impl.h"
#include "label.h"

/* The body's "printer", else the first [printer] with the kind's purpose,
 * else none (*name NULL: the change goes on without a label).  0, or -1
 * with a 404 reply set for an unknown printer.  (http_print.c) */
int http_label_printer(struct http_request *rq, struct http_reply *rp, enum label_kind kind,
                       const char **name);

#endif
