/*
 * loop.c - the poll() loop (see loop.h).
 *
 * Tables are small fixed arrays: a warehouse has a handful of scanners, and
 * a fixed table never allocates inside the loop.  An entry deleted during an
 * iteration is marked dead and swept afterwards, so that a callback that
 * closes another source (or itself) never leaves the loop walking a moved
 * entry.
 */
#include "loop.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct loop_fd {
	int fd;
	short events;
	bool dead;
	loop_fd_fn fn;
	void *ctx;
};

struct loop_timer {
	long long id;
	long long due;       /* loop_now_ms() */
	bool dead;
	loop_timer_fn fn;
	void *ctx;
};

struct loop {
	struct loop_fd fds[LOOP_MAX_FDS];
	int n_fds;
	struct loop_timer timers[LOOP_MAX_TIMERS];
	int n_timers;
	long long next_timer_id;
	loop_turn_fn end_of_turn;
	void *end_of_turn_ctx;
	long wake_us;        /* loop_wake_within_us(), or -1 */
	volatile int stop;
};

long long loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int loop_new(struct loop **out, struct wms_error *err)
{
	*out = calloc(1, sizeof **out);
	if (*out == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory creating the event loop");
	(*out)->wake_us = -1;
	return 0;
}

void loop_free(struct loop *l)
{
	free(l);
}

int loop_add_fd(struct loop *l, int fd, short events, loop_fd_fn fn, void *ctx,
                struct wms_error *err)
{
	for (int i = 0; i < l->n_fds; i++)
		if (l->fds[i].fd == fd && !l->fds[i].dead)
			return wms_error_set(err, WMS_EEXIST, "fd %d is already watched", fd);
	if (l->n_fds == LOOP_MAX_FDS)
		return wms_error_set(err, WMS_ENOMEM, "too many watched files (at most %d)", LOOP_MAX_FDS);
	l->fds[l->n_fds++] = (struct loop_fd){ .fd = fd, .events = events, .fn = fn, .ctx = ctx };
	return 0;
}

void loop_del_fd(struct loop *l, int fd)
{
	for (int i = 0; i < l->n_fds; i++)
		if (l->fds[i].fd == fd)
			l->fds[i].dead = true;
}

long long loop_add_timer(struct loop *l, long ms, loop_timer_fn fn, void *ctx, struct wms_error *err)
{
	if (l->n_timers == LOOP_MAX_TIMERS)
		return wms_error_set(err, WMS_ENOMEM, "too many timers (at most %d)", LOOP_MAX_TIMERS);
	l->timers[l->n_timers++] = (struct loop_timer){
		.id = ++l->next_timer_id, .due = loop_now_ms() + ms, .fn = fn, .ctx = ctx };
	return l->next_timer_id;
}

void loop_del_timer(struct loop *l, long long id)
{
	for (int i = 0; i < l->n_timers; i++)
		if (l->timers[i].id == id)
			l->timers[i].dead = true;
}

void loop_set_end_of_turn(struct loop *l, loop_turn_fn fn, void *ctx)
{
	l->end_of_turn = fn;
	l->end_of_turn_ctx = ctx;
}

void loop_wake_within_us(struct loop *l, long us)
{
	if (us < 0)
		us = 0;
	if (l->wake_us < 0 || us < l->wake_us)
		l->wake_us = us;
}

void loop_stop(struct loop *l)
{
	l->stop = 1;
}

/* Remove entries marked dead, keeping the order of the others. */
static void sweep(struct loop *l)
{
	int j = 0;

	for (int i = 0; i < l->n_fds; i++)
		if (!l->fds[i].dead)
			l->fds[j++] = l->fds[i];
	l->n_fds = j;
	j = 0;
	for (int i = 0; i < l->n_timers; i++)
		if (!l->timers[i].dead)
			l->timers[j++] = l->timers[i];
	l->n_timers = j;
}

static int poll_timeout(const struct loop *l)
{
	long long now = loop_now_ms(), first = -1;

	for (int i = 0; i < l->n_timers; i++)
		if (!l->timers[i].dead && (first < 0 || l->timers[i].due < first))
			first = l->timers[i].due;
	if (first < 0)
		return -1;
	if (first <= now)
		return 0;
	return first - now > INT_MAX ? INT_MAX : (int)(first - now);
}

static void run_timers(struct loop *l)
{
	long long now = loop_now_ms();
	int n = l->n_timers;    /* timers added by a callback wait for the next round */

	for (int i = 0; i < n && !l->stop; i++) {
		struct loop_timer *t = &l->timers[i];
		long next;
		if (t->dead || t->due > now)
			continue;
		next = t->fn(l, t->id, t->ctx);
		t = &l->timers[i];
		if (next < 0)
			t->dead = true;
		else
			t->due = loop_now_ms() + next;
	}
}

int loop_run(struct loop *l, struct wms_error *err)
{
	struct pollfd pfd[LOOP_MAX_FDS];

	l->stop = 0;
	while (!l->stop) {
		int n = l->n_fds, rc;

		int ms = poll_timeout(l);

		for (int i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ .fd = l->fds[i].fd, .events = l->fds[i].events };
		if (l->wake_us >= 0 && (ms < 0 || (long long)ms * 1000 > l->wake_us)) {
			struct timespec ts = { l->wake_us / 1000000, (l->wake_us % 1000000) * 1000 };
			l->wake_us = -1;
			rc = ppoll(pfd, (nfds_t)n, &ts, NULL);
		} else {
			l->wake_us = -1;
			rc = poll(pfd, (nfds_t)n, ms);
		}
		if (rc < 0 && errno != EINTR)
			return wms_error_set(err, WMS_EIO, "poll: %s", strerror(errno));
		for (int i = 0; rc > 0 && i < n && !l->stop; i++) {
			/* the table may only grow during this walk; entry i is still fd i */
			if (l->fds[i].dead || pfd[i].revents == 0)
				continue;
			l->fds[i].fn(l, l->fds[i].fd, pfd[i].revents, l->fds[i].ctx);
		}
		run_timers(l);
		if (l->end_of_turn)
			l->end_of_turn(l, l->end_of_turn_ctx);
		sweep(l);
	}
	return 0;
}
