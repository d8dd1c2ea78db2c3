/*
 * http_pwpool.c - password checks (argon2id, ~0.1-1 s of CPU each) on a few
 * worker threads, so that wmsd's loop goes on answering requests and
 * scanners while a login is checked.
 *
 * The loop hands a job over (the stored hash, a copy of the password, the
 * caller's context) with http_pwpool_submit(); a worker checks it with
 * wms_password_matches(), which touches no store, puts the job on the done
 * list and wakes the loop through an eventfd; the loop calls the done
 * callback with the verdict (http_server.c resumes the suspended request).
 * Workers run at a lower priority (nice +10) than the loop: under a flood of
 * logins the scans still get the CPU first.  Passwords are wiped when the
 * job ends.
 */
#include "http_impl.h"

#include "log.h"
#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#define MAX_WORKERS 16
#define WORKER_NICE 10

struct job {
	struct job *next;
	char hash[WMS_PASSWORD_HASH_MAX];
	char *password;
	size_t password_len;
	void *ctx;
	bool match;
};

static struct {
	bool running;
	struct loop *loop;
	http_pw_done_fn done;
	int efd;
	int n_threads;
	pthread_t threads[MAX_WORKERS];
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct job *queue, **queue_tail;   /* FIFO: first come, first checked */
	struct job *finished;              /* any order; the loop drains it */
	bool stopping;
	long pending;                      /* submitted, not yet delivered */
} pool = { .efd = -1, .lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER };

static void job_free(struct job *j)
{
	if (j->password) {
		sodium_memzero(j->password, j->password_len);
		free(j->password);
	}
	free(j);
}

static void *worker(void *arg)
{
	(void)arg;
	/* Linux: the nice value is per thread */
	setpriority(PRIO_PROCESS, (id_t)gettid(), WORKER_NICE);
	pthread_mutex_lock(&pool.lock);
	for (;;) {
		struct job *j;
		uint64_t one = 1;
		while (pool.queue == NULL && !pool.stopping)
			pthread_cond_wait(&pool.work, &pool.lock);
		if ((j = pool.queue) == NULL)
			break;                 /* stopping, and nothing left to check */
		if ((pool.queue = j->next) == NULL)
			pool.queue_tail = &pool.queue;
		pthread_mutex_unlock(&pool.lock);
		j->match = wms_password_matches(j->hash, j->password);
		sodium_memzero(j->password, j->password_len);
		pthread_mutex_lock(&pool.lock);
		j->next = pool.finished;
		pool.finished = j;
		if (write(pool.efd, &one, sizeof one) < 0 && errno != EAGAIN)
			wmsd_log_err("http: login worker cannot wake the loop: %s", strerror(errno));
	}
	pthread_mutex_unlock(&pool.lock);
	return NULL;
}

/* Deliver every finished check (on the loop's thread). */
static void deliver(void)
{
	struct job *j;
	uint64_t n;

	if (read(pool.efd, &n, sizeof n) < 0 && errno != EAGAIN)
		wmsd_log_err("http: login workers' eventfd: %s", strerror(errno));
	pthread_mutex_lock(&pool.lock);
	j = pool.finished;
	pool.finished = NULL;
	pthread_mutex_unlock(&pool.lock);
	while (j) {
		struct job *next = j->next;
		pool.pending--;
		pool.done(j->ctx, j->match);
		job_free(j);
		j = next;
	}
}

static void on_wake(struct loop *l, int fd, short revents, void *ctx)
{
	(void)l, (void)fd, (void)revents, (void)ctx;
	deliver();
}

int http_pwpool_start(struct loop *loop, int threads, http_pw_done_fn done, struct wms_error *err)
{
	int rc;

	if (pool.running)
		return wms_error_set(err, WMS_EEXIST, "the login workers run already");
	if (threads < 1 || threads > MAX_WORKERS)
		return wms_error_set(err, WMS_EINVAL, "login workers: %d; allowed 1 to %d", threads, MAX_WORKERS);
	if ((pool.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
		return wms_error_set(err, WMS_EIO, "eventfd for the login workers: %s", strerror(errno));
	if ((rc = loop_add_fd(loop, pool.efd, POLLIN, on_wake, NULL, err)) < 0) {
		close(pool.efd);
		pool.efd = -1;
		return rc;
	}
	pool.loop = loop;
	pool.done = done;
	pool.queue = NULL;
	pool.queue_tail = &pool.queue;
	pool.finished = NULL;
	pool.stopping = false;
	pool.pending = 0;
	pool.n_threads = 0;
	pool.running = true;
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&pool.threads[i], NULL, worker, NULL) != 0) {
			http_pwpool_stop();
			return wms_error_set(err, WMS_ENOMEM, "cannot start a login worker thread");
		}
		pool.n_threads++;
	}
	return 0;
}

int http_pwpool_submit(const char *hash, const char *password, void *ctx)
{
	struct job *j;

	if (!pool.running || (j = calloc(1, sizeof *j)) == NULL)
		return -1;
	j->password_len = strlen(password);
	if ((j->password = malloc(j->password_len + 1)) == NULL) {
		free(j);
		return -1;
	}
	memcpy(j->password, password, j->password_len + 1);
	snprintf(j->hash, sizeof j->hash, "%s", hash);
	j->ctx = ctx;
	pthread_mutex_lock(&pool.lock);
	*pool.queue_tail = j;
	pool.queue_tail = &j->next;
	pool.pending++;
	pthread_cond_signal(&pool.work);
	pthread_mutex_unlock(&pool.lock);
	return 0;
}

long http_pwpool_pending(void)
{
	return pool.running ? pool.pending : 0;
}

void http_pwpool_stop(void)
{
	if (!pool.running)
		return;
	pthread_mutex_lock(&pool.lock);
	pool.stopping = true;
	pthread_cond_broadcast(&pool.work);
	pthread_mutex_unlock(&pool.lock);
	for (int i = 0; i < pool.n_threads; i++)
		pthread_join(pool.threads[i], NULL);
	deliver();                         /* every submitted check gets its answer */
	loop_del_fd(pool.loop, pool.efd);
	close(pool.efd);
	pool.efd = -1;
	pool.running = false;
}
