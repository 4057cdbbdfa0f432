/*
 * rrdjournal.h - the RRD writer's journal (rrdw.c): each update the writer
 * takes but has not yet written to its file is a line of the journal,
 * "VALUES PATH\n", so that a daemon killed before it writes loses nothing
 * the writer took; replayed at the next start. Written with buffered
 * writes: write(2) at the end of each of the writer's batches, fsync(2)
 * only when the journal is rewritten and at a clean stop (as rrdcached).
 */
#ifndef NP_RRDJOURNAL_H
#define NP_RRDJOURNAL_H

#include <stddef.h>
#include <stdint.h>

/* the longest line read back: the values, a space, a path, '\n' */
#define RJ_LINE_MAX (4096 + 32 * 24 + 64)

struct rrdjournal {
	int fd, oldfd; /* oldfd: the journal being rewritten, or -1 */
	char path[4096];
	char *buf;
	size_t len, cap;
	uint64_t size; /* bytes in the file (and the buffer) */
	uint64_t rewrites, errors;
};

int rj_open(struct rrdjournal *, const char *path, char *err, size_t errlen);
void rj_close(struct rrdjournal *);
/* Add a line (buffered); -1 if VALUES or PATH cannot be one line. */
int rj_add(struct rrdjournal *, const char *values, const char *path);
/* write(2) what is buffered (and fsync(2) when SYNC); -1 on an error. */
int rj_write(struct rrdjournal *, int sync);
/* Empty the journal: all it holds is in the files. */
int rj_truncate(struct rrdjournal *);
/*
 * Rewrite the journal with what is still pending: begin (a new file beside
 * it), rj_add each pending update, end (fsync, rename over the old one).
 * Until end, the old journal stays whole; an error keeps it.
 */
int rj_rewrite_begin(struct rrdjournal *);
int rj_rewrite_end(struct rrdjournal *);

/*
 * Split a journal line (without its '\n', LEN bytes, NUL-terminated) into
 * VALUES ("T:V:V...") and PATH, in place. -1 if it is not such a line.
 */
int rj_parse(char *line, size_t len, char **values, char **path, double *t);

/*
 * Read the journal back: FN for each good line; BAD counts the others
 * (cut short, too long, not a journal line). -1 if it cannot be read.
 */
int rj_replay(struct rrdjournal *,
    void (*fn)(void *, const char *values, const char *path, double t),
    void *arg, uint64_t *bad);

#endif
