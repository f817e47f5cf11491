/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The inputs of a replay: FILE arguments as they are, and every regular file
 * of a DIR argument in sorted (byte) order, so a corpus replays the same way
 * everywhere. Shared by fuzz/replay.c and `vmafuzz replay`.
 */
#ifndef VMAFUZZ_FUZZ_INPUTS_H
#define VMAFUZZ_FUZZ_INPUTS_H

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct inputs {
	char **path;
	size_t nr, cap;
};

static inline void inputs_add(struct inputs *in, char *path)
{
	if (in->nr == in->cap) {
		size_t cap = in->cap ? 2 * in->cap : 64;
		char **p = realloc(in->path, cap * sizeof(*p));

		if (!p) {
			fputs("vmafuzz: out of memory\n", stderr);
			exit(2);
		}
		in->path = p;
		in->cap = cap;
	}
	in->path[in->nr++] = path;
}

static inline int inputs_by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every regular file of dir, sorted by name; -1 after a message. */
static inline int inputs_add_dir(struct inputs *in, const char *dir)
{
	struct dirent **ents;
	int i, n = scandir(dir, &ents, NULL, inputs_by_name);

	if (n < 0) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(ents[i]->d_name) + 2;
		char *path = malloc(len);
		struct stat st;

		if (!path) {
			fputs("vmafuzz: out of memory\n", stderr);
			exit(2);
		}
		snprintf(path, len, "%s/%s", dir, ents[i]->d_name);
		free(ents[i]);
		if (stat(path, &st) || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		inputs_add(in, path);
	}
	free(ents);
	return 0;
}

/*
 * The whole file in a buffer of exactly its size, so that ASan sees a harness
 * that reads past the end. NULL with errno set.
 */
static inline uint8_t *inputs_read(const char *path, size_t *len)
{
	uint8_t *buf = NULL;
	struct stat st;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fstat(fileno(f), &st))
		goto fail;
	*len = (size_t)st.st_size;
	buf = malloc(*len ? *len : 1);
	if (!buf)
		goto fail;
	if (fread(buf, 1, *len, f) != *len) {
		errno = errno ? errno : EIO;
		goto fail;
	}
	fclose(f);
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

/* A FILE or DIR argument; -1 after a message when it cannot be read. */
static inline int inputs_add_arg(struct inputs *in, const char *arg)
{
	struct stat st;
	char *path;

	if (stat(arg, &st)) {
		fprintf(stderr, "%s: %s\n", arg, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return inputs_add_dir(in, arg);
	path = strdup(arg);
	if (!path) {
		fputs("vmafuzz: out of memory\n", stderr);
		exit(2);
	}
	inputs_add(in, path);
	return 0;
}

static inline void inputs_free(struct inputs *in)
{
	size_t i;

	for (i = 0; i < in->nr; i++)
		free(in->path[i]);
	free(in->path);
	memset(in, 0, sizeof(*in));
}

#endif /* VMAFUZZ_FUZZ_INPUTS_H */
