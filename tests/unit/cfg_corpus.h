/*
 * cfg_corpus.h - read a file of the shared configuration corpus
 * ($NP_SHARED/corpus/configs, else $top_srcdir/../shared/...) for the
 * configuration tests; NULL when the corpus is not there (tests SKIP).
 */
#ifndef NP_CFG_CORPUS_H
#define NP_CFG_CORPUS_H

#include <stdio.h>
#include <stdlib.h>

static inline char *
cfg_corpus_read(const char *rel, size_t *lenp)
{
	char path[4096];
	const char *sh = getenv("NP_SHARED"), *top = getenv("top_srcdir");
	FILE *f;
	char *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (sh != NULL)
		snprintf(path, sizeof(path), "%s/corpus/configs/%s", sh, rel);
	else
		snprintf(path, sizeof(path), "%s/../shared/corpus/configs/%s",
		    top != NULL ? top : ".", rel);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 65536) {
			char *nb = realloc(buf, cap + 65536 + 1);

			if (nb == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap += 65536;
		}
		if ((n = fread(buf + len, 1, cap - len, f)) == 0)
			break;
		len += n;
	}
	fclose(f);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

#endif
