/*
 * turn.c - the loop's commit step (see turn.h).
 *
 * Jobs wait in a fixed ring in submission order.  Each is in one of two
 * stages: not journalled yet (phase 1 to do) or journalled (phase 2 to do).
 * A commit attempt takes the write lock without waiting; when another
 * process has it, the jobs stay and a timer wakes the loop to try again.
 *
 * The hold (turn.h: linger): `expect` is how many lingering jobs the last
 * commit answered, `came` how many were submitted since; while came <
 * expect the commit waits, from the first job of the turn on, at most
 * about one commit's duration (a moving average of the last ones).
 */
#include "turn.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct slot {
	struct turn_job job;
	long long since_ms;       /* loop_now_ms() when submitted */
	bool journalled;          /* phase 1 done (or nothing to journal) */
	bool spilled;
	int rc;                   /* run's status */
	struct wms_error err;
};

struct turn {
	struct wms_store *store;
	struct loop *loop;
	long wait_ms;
	struct turn_hooks hooks;
	bool answered;            /* a job was answered since the answered hook ran */
	long long timer;          /* the retry timer, 0 when none */
	long commits, committed_jobs;
	int expect, came;         /* the hold: lingering jobs answered by the last commit, come since */
	long long first_us;       /* now_us() of the first job queued since the last commit */
	long long commit_us;      /* moving average of a durable commit's duration */
	int head, n;              /* ring of TURN_MAX_JOBS slots */
	struct slot slots[TURN_MAX_JOBS];
};

static struct slot *at(struct turn *t, int i)
{
	return &t->slots[(t->head + i) % TURN_MAX_JOBS];
}

int turn_new(struct wms_store *store, struct loop *loop, long wait_ms, struct turn **out,
             struct wms_error *err)
{
	struct turn *t = calloc(1, sizeof *t);

	*out = NULL;
	if (t == NULL)
		return wms_error_set(err, WMS_ENOMEM, "out of memory for the commit queue");
	t->store = store;
	t->loop = loop;
	t->wait_ms = wait_ms;
	*out = t;
	return 0;
}

void turn_set_hooks(struct turn *t, const struct turn_hooks *hooks)
{
	t->hooks = hooks ? *hooks : (struct turn_hooks){ 0 };
}

int turn_pending(const struct turn *t)
{
	return t->n;
}

long turn_commits(const struct turn *t)
{
	return t->commits;
}

long turn_jobs_committed(const struct turn *t)
{
	return t->committed_jobs;
}

int turn_submit(struct turn *t, const struct turn_job *job, struct wms_error *err)
{
	struct slot *s;

	if (t->n == TURN_MAX_JOBS)
		return wms_error_set(err, WMS_ENOMEM, "%d jobs wait for the database already",
		                     TURN_MAX_JOBS);
	if (t->n == 0)
		t->first_us = now_us();
	if (job->linger)
		t->came++;
	s = at(t, t->n++);
	s->job = *job;
	s->since_ms = loop_now_ms();
	s->journalled = job->journal == NULL;
	s->spilled = false;
	s->rc = 0;
	s->err.code = 0;          /* not the whole message buffer: per job, it costs */
	s->err.msg[0] = '\0';
	return 0;
}

/* Answer the first n jobs (rc 0: each with its run status) and drop them. */
static void answer(struct turn *t, int n, int rc, const struct wms_error *err)
{
	for (int i = 0; i < n; i++) {
		struct slot *s = at(t, 0);
		struct turn_job job = s->job;
		int jrc = rc < 0 ? rc : s->rc;
		bool journalled = s->journalled && job.journal != NULL;
		struct wms_error jerr = rc < 0 ? *err : s->err;
		t->head = (t->head + 1) % TURN_MAX_JOBS;
		t->n--;
		t->answered = true;
		job.done(job.ctx, jrc, journalled, &jerr);
	}
}

/* Answer one job in the middle (a failed journal), keeping the order of the rest. */
static void answer_one(struct turn *t, int i, int rc, const struct wms_error *err)
{
	struct slot s = *at(t, i);

	for (int j = i; j + 1 < t->n; j++)
		*at(t, j) = *at(t, j + 1);
	t->n--;
	t->answered = true;
	s.job.done(s.job.ctx, rc, false, err);
}

static long on_retry(struct loop *l, long long id, void *ctx)
{
	struct turn *t = ctx;

	(void)l;
	if (t->timer == id)
		t->timer = 0;
	return LOOP_TIMER_DONE;     /* the end-of-turn hook that follows commits */
}

/* Another writer has the lock: spill, answer the jobs that waited too
 * long, and come back soon. */
static void wait_for_lock(struct turn *t)
{
	long long now = loop_now_ms();
	struct wms_error err = { 0 };

	for (int i = 0; i < t->n; i++) {
		struct slot *s = at(t, i);
		if (!s->journalled && !s->spilled && s->job.spill) {
			s->spilled = true;
			s->job.spill(s->job.ctx);
		}
	}
	while (t->n > 0 && now - at(t, 0)->since_ms >= t->wait_ms) {
		wms_error_set(&err, WMS_EDB, "database busy: another program has been writing for "
		              "%lld ms", now - at(t, 0)->since_ms);
		answer(t, 1, WMS_EDB, &err);
	}
	if (t->n > 0 && t->timer == 0) {
		long long id = loop_add_timer(t->loop, TURN_RETRY_MS, on_retry, t, &err);
		t->timer = id > 0 ? id : 0;
	}
}

/* Phase 1: 0 (done or nothing to do), 1 (lock taken: wait). */
static int journal_phase(struct turn *t)
{
	struct wms_error err = { 0 };
	bool any = false;
	int rc;

	for (int i = 0; i < t->n && !any; i++)
		any = !at(t, i)->journalled;
	if (!any)
		return 0;
	if ((rc = wms_store_begin_nowait(t->store, &err)) == 1)
		return 1;
	if (rc == 0 && t->hooks.before)
		rc = t->hooks.before(t->store, t->hooks.ctx, &err);
	if (rc < 0) {
		wms_store_rollback(t->store);
		for (int i = 0; i < t->n;)
			if (!at(t, i)->journalled)
				answer_one(t, i, rc, &err);
			else
				i++;
		return 0;
	}
	for (int i = 0; i < t->n; i++) {
		struct slot *s = at(t, i);
		if (s->journalled)
			continue;
		s->rc = s->job.journal(t->store, s->job.ctx, &s->err);
	}
	if ((rc = wms_store_commit_nosync(t->store, &err)) < 0) {
		for (int i = 0; i < t->n;)
			if (!at(t, i)->journalled)
				answer_one(t, i, rc, &err);
			else
				i++;
		return 0;
	}
	if (t->hooks.committed)
		t->hooks.committed(t->hooks.ctx);
	for (int i = 0; i < t->n;) {
		struct slot *s = at(t, i);
		if (s->journalled) {
			i++;
		} else if (s->rc < 0) {
			struct wms_error e = s->err;
			answer_one(t, i, s->rc, &e);
		} else {
			s->journalled = true;
			i++;
		}
	}
	return 0;
}

static void commit(struct turn *t)
{
	struct wms_error err = { 0 };
	int rc, n;

	if (t->n == 0)
		return;
	if (journal_phase(t) == 1) {
		wait_for_lock(t);
		return;
	}
	if (t->n == 0)
		return;
	if ((rc = wms_store_begin_nowait(t->store, &err)) == 1) {
		wait_for_lock(t);
		return;
	}
	n = t->n;           /* every job is journalled now: phase 1 ran for all */
	t->expect = 0;
	t->came = 0;
	for (int i = 0; i < n; i++)
		t->expect += at(t, i)->job.linger;
	if (rc == 0) {
		long long t0;
		for (int i = 0; i < n; i++) {
			struct slot *s = at(t, i);
			s->rc = s->job.run ? s->job.run(t->store, s->job.ctx, &s->err) : 0;
		}
		if (t->hooks.run_end)
			t->hooks.run_end(t->store, t->hooks.ctx);
		t0 = now_us();
		rc = wms_store_commit(t->store, &err);
		if (rc == 0) {
			long long took = now_us() - t0;
			t->commit_us = t->commits ? (t->commit_us * 7 + took) / 8 : took;
			t->commits++;
			t->committed_jobs += n;
		}
	}
	answer(t, n, rc, &err);
}

static void flush(struct turn *t)
{
	commit(t);
	if (t->answered && t->hooks.answered) {
		t->answered = false;
		t->hooks.answered(t->hooks.ctx);
	}
}

/* Whether the commit waits for lingering jobs still on their way (the loop comes back in time). */
static bool hold(struct turn *t)
{
	long long limit, waited;

	if (t->n == 0 || t->came >= t->expect || t->timer)
		return false;
	limit = t->commit_us < TURN_HOLD_MAX_US ? t->commit_us : TURN_HOLD_MAX_US;
	waited = now_us() - t->first_us;
	if (waited >= limit)
		return false;
	loop_wake_within_us(t->loop, (long)(limit - waited));
	return true;
}

void turn_commit(struct turn *t)
{
	if (!hold(t))
		flush(t);
}

void turn_drain(struct turn *t)
{
	struct timespec step = { 0, TURN_RETRY_MS * 1000000L };

	while (t->n > 0) {
		flush(t);
		if (t->n > 0)
			nanosleep(&step, NULL);
	}
}

void turn_free(struct turn *t)
{
	if (t == NULL)
		return;
	turn_drain(t);
	if (t->timer)
		loop_del_timer(t->loop, t->timer);
	free(t);
}
