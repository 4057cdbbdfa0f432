/*
 * rrdjournal.c - the RRD writer's journal (see rrdjournal.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rrdjournal.h"

/* the buffer is written when it holds this much, whatever the batch */
#define RJ_BUF_MAX (256 * 1024)

int
rj_open(struct rrdjournal *j, const char *path, char *err, size_t errlen)
{
	char tmp[4200];
	off_t end;

	memset(j, 0, sizeof(*j));
	j->oldfd = -1;
	snprintf(j->path, sizeof(j->path), "%s", path);
	/* a rewrite cut short: the old journal is whole */
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	unlink(tmp);
	if ((j->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC,
	         0640)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((end = lseek(j->fd, 0, SEEK_END)) > 0)
		j->size = (uint64_t)end;
	return 0;
}

void
rj_close(struct rrdjournal *j)
{
	if (j->fd != -1)
		close(j->fd);
	if (j->oldfd != -1)
		close(j->oldfd);
	j->fd = j->oldfd = -1;
	free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
}

int
rj_add(struct rrdjournal *j, const char *values, const char *path)
{
	size_t vl = strlen(values), pl = strlen(path), need = vl + pl + 2;

	if (vl == 0 || pl == 0 || strpbrk(values, " \n") != NULL ||
	    strchr(path, '\n') != NULL || need > RJ_LINE_MAX)
		return -1;
	if (j->len + need > j->cap) {
		size_t cap = j->cap ? j->cap : 16384;
		char *nb;

		while (cap < j->len + need)
			cap *= 2;
		if ((nb = realloc(j->buf, cap)) == NULL)
			return -1;
		j->buf = nb;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, values, vl);
	j->buf[j->len + vl] = ' ';
	memcpy(j->buf + j->len + vl + 1, path, pl);
	j->buf[j->len + need - 1] = '\n';
	j->len += need;
	j->size += need;
	if (j->len >= RJ_BUF_MAX)
		return rj_write(j, 0);
	return 0;
}

int
rj_write(struct rrdjournal *j, int sync)
{
	size_t o = 0;
	ssize_t n;

	while (o < j->len) {
		if ((n = write(j->fd, j->buf + o, j->len - o)) == -1) {
			if (errno == EINTR)
				continue;
			j->errors++;
			/* what was not written is not in the file */
			j->size -= j->len - o;
			j->len = 0;
			return -1;
		}
		o += (size_t)n;
	}
	j->len = 0;
	if (sync && fsync(j->fd) == -1) {
		j->errors++;
		return -1;
	}
	return 0;
}

int
rj_truncate(struct rrdjournal *j)
{
	j->len = 0;
	if (ftruncate(j->fd, 0) == -1) {
		j->errors++;
		return -1;
	}
	j->size = 0;
	return 0;
}

int
rj_rewrite_begin(struct rrdjournal *j)
{
	char tmp[4200];
	int fd;

	if (rj_write(j, 0) == -1)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.new", j->path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
	         0640)) == -1) {
		j->errors++;
		return -1;
	}
	j->oldfd = j->fd;
	j->fd = fd;
	j->size = 0;
	return 0;
}

int
rj_rewrite_end(struct rrdjournal *j)
{
	char tmp[4200];
	off_t end;

	snprintf(tmp, sizeof(tmp), "%s.new", j->path);
	if (rj_write(j, 1) == -1 || rename(tmp, j->path) == -1) {
		j->errors++;
		close(j->fd);
		unlink(tmp);
		j->fd = j->oldfd;
		j->oldfd = -1;
		j->len = 0;
		if ((end = lseek(j->fd, 0, SEEK_END)) >= 0)
			j->size = (uint64_t)end;
		return -1;
	}
	close(j->oldfd);
	j->oldfd = -1;
	j->rewrites++;
	return 0;
}

int
rj_parse(char *line, size_t len, char **values, char **path, double *t)
{
	char *sp, *end;
	size_t i;

	if (len == 0 || len > RJ_LINE_MAX || strlen(line) != len)
		return -1;
	if ((sp = memchr(line, ' ', len)) == NULL || sp == line ||
	    sp + 1 >= line + len)
		return -1;
	/* the values: a time, then ':'-separated numbers or U */
	for (i = 0; line + i < sp; i++) {
		char c = line[i];

		if (!((c >= '0' && c <= '9') || c == '.' || c == ':' ||
		        c == 'U' || c == '-' || c == '+' || c == 'e' ||
		        c == 'E' || c == 'n' || c == 'a' || c == 'i' ||
		        c == 'f'))
			return -1;
	}
	*sp = '\0';
	if (line[0] < '0' || line[0] > '9')
		return -1;
	errno = 0;
	*t = strtod(line, &end);
	if (errno != 0 || *end != ':' || !(*t > 0))
		return -1;
	*values = line;
	*path = sp + 1;
	return 0;
}

int
rj_replay(struct rrdjournal *j,
    void (*fn)(void *, const char *, const char *, double), void *arg,
    uint64_t *bad)
{
	FILE *f;
	char *line;
	int fd;

	if ((fd = open(j->path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (f = fdopen(fd, "r")) == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	if ((line = malloc(RJ_LINE_MAX + 2)) == NULL) {
		fclose(f);
		return -1;
	}
	while (fgets(line, RJ_LINE_MAX + 2, f) != NULL) {
		size_t len = strlen(line);
		char *values, *path;
		double t;

		if (len == 0 || line[len - 1] != '\n') {
			/* too long (skip the rest of it), or cut short */
			int c;

			(*bad)++;
			if (len > RJ_LINE_MAX)
				while ((c = getc(f)) != EOF && c != '\n')
					;
			continue;
		}
		line[--len] = '\0';
		if (rj_parse(line, len, &values, &path, &t) == -1) {
			(*bad)++;
			continue;
		}
		fn(arg, values, path, t);
	}
	free(line);
	fclose(f);
	return 0;
}
