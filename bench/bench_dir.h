/*
 * bench_dir.h - a benchmark's scratch directory: made under $TMPDIR (or
 * /var/tmp, on disk like a real store) when the user gave none, and removed
 * with everything in it at the end unless the user gave it (--dir) or asked
 * to keep it.  Databases of millions of rows should not pile up.
 */
#ifndef BENCH_DIR_H
#define BENCH_DIR_H

#include <stdbool.h>
#include <stddef.h>

/* When dir is empty, make NAME.XXXXXX under $TMPDIR or /var/tmp into it
 * and return true (made here: remove it at the end); false when the user's
 * dir is kept.  Exits with a message when it cannot be made. */
bool bench_dir_make(char *dir, size_t size, const char *name);

/* Remove dir and everything in it (quietly: what cannot go stays). */
void bench_dir_remove(const char *dir);

#endif
