/*
 * bench_dir.c - a benchmark's scratch directory (bench_dir.h).
 */
#define _XOPEN_SOURCE 700
#include "bench_dir.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool bench_dir_make(char *dir, size_t size, const char *name)
{
	const char *tmp = getenv("TMPDIR");

	if (dir[0] != '\0')
		return false;
	snprintf(dir, size, "%s/%s.XXXXXX", tmp && *tmp ? tmp : "/var/tmp", name);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		exit(1);
	}
	return true;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

void bench_dir_remove(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
