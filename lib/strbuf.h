/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded string builder with snprintf's contract: writes what fits, always
 * NUL-terminates (when sz > 0) and counts the length the whole text needs, so
 * printers can return that count like snprintf does.
 */
#ifndef VMAFUZZ_LIB_STRBUF_H
#define VMAFUZZ_LIB_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct strbuf {
	char *buf;
	size_t sz;
	size_t n; /* length needed so far, may exceed sz */
};

static inline void sb_init(struct strbuf *sb, char *buf, size_t sz)
{
	sb->buf = buf;
	sb->sz = sz;
	sb->n = 0;
	if (sz)
		buf[0] = '\0';
}

__attribute__((format(printf, 2, 3))) static inline void sb_printf(struct strbuf *sb,
								   const char *fmt, ...)
{
	size_t room = sb->n < sb->sz ? sb->sz - sb->n : 0;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(room ? sb->buf + sb->n : NULL, room, fmt, ap);
	va_end(ap);
	if (r > 0)
		sb->n += (size_t)r;
}

static inline int sb_len(const struct strbuf *sb)
{
	return sb->n > (size_t)__INT_MAX__ ? __INT_MAX__ : (int)sb->n;
}

#endif /* VMAFUZZ_LIB_STRBUF_H */
