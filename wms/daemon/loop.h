/*
 * loop.h - a tiny poll() event loop in the manner of Redis's ae.c.
 *
 * File descriptors with a read callback, and timers whose callback returns
 * the delay until its next run (or LOOP_TIMER_DONE).  Everything runs on the
 * one thread that calls loop_run(); callbacks must not block.  Deleting an
 * fd or a timer from inside a callback is safe: the entry is only marked
 * and removed after the current iteration.
 */
#ifndef WMSD_LOOP_H
#define WMSD_LOOP_H

#include "wms_error.h"

#define LOOP_MAX_FDS     64
#define LOOP_MAX_TIMERS  32
#define LOOP_TIMER_DONE  (-1L)

struct loop;   /* opaque; loop_new() / loop_free() */

/* Called when fd is ready for what was asked (POLLIN, POLLOUT), or has hung
 * up or failed; revents is what poll() reported. */
typedef void (*loop_fd_fn)(struct loop *l, int fd, short revents, void *ctx);
/* Returns the delay in ms until the next call, or LOOP_TIMER_DONE. */
typedef long (*loop_timer_fn)(struct loop *l, long long id, void *ctx);

/* OUT *out owns the loop (freed with loop_free) or is NULL on failure. */
int  loop_new(struct loop **out, struct wms_error *err);
void loop_free(struct loop *l);                                    /* NULL-safe */

/* Watch fd for events (POLLIN and/or POLLOUT); WMS_EEXIST if watched,
 * WMS_ENOMEM if the table is full. */
int  loop_add_fd(struct loop *l, int fd, short events, loop_fd_fn fn, void *ctx,
                 struct wms_error *err);
void loop_del_fd(struct loop *l, int fd);                          /* unknown fd: no-op */

/* A timer first due in ms; returns its id (> 0) or WMS_ENOMEM. */
long long loop_add_timer(struct loop *l, long ms, loop_timer_fn fn, void *ctx,
                         struct wms_error *err);
void loop_del_timer(struct loop *l, long long id);                 /* unknown id: no-op */

/* Called once per turn, after the ready callbacks and timers and before the
 * loop sleeps again: work the callbacks queued (a group commit) is done
 * here.  One hook; NULL removes it. */
typedef void (*loop_turn_fn)(struct loop *l, void *ctx);
void loop_set_end_of_turn(struct loop *l, loop_turn_fn fn, void *ctx);
/* From the end-of-turn hook: the next sleep lasts at most us microseconds
 * (once; finer than a timer), so that the hook runs again that soon. */
void loop_wake_within_us(struct loop *l, long us);

/* Run until loop_stop(); returns 0, or WMS_EIO when poll() fails. */
int  loop_run(struct loop *l, struct wms_error *err);
void loop_stop(struct loop *l);

/* Monotonic milliseconds (for timers and double-read windows). */
long long loop_now_ms(void);

#endif
