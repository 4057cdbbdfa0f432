/*
 * conf_input.c - what the configuration's lexer reads: the stack of files
 * ("include", with the checks on what it opens), the macros ("name =
 * value" and -D name=value), and the arena holding the strings passed to
 * the grammar until conf_parse() returns.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_int.h"

#define INCLUDE_MAX	8	/* files open at once: the top one and 7 more */

struct sym {
	struct sym	*next;
	int		 persist;	/* from the command line: wins */
	char		*name;
	char		*value;
};

struct astr {
	struct astr	*next;
	size_t		 len;
	char		 s[];
};

/*
 * Memory: strings for the grammar live until conf_parse() returns.
 */

char *
pstrdup(struct parse *p, const char *s)
{
	struct astr	*a;
	size_t		 len = strlen(s);

	if ((a = malloc(sizeof(*a) + len + 1)) == NULL)
		return (NULL);
	memcpy(a->s, s, len + 1);
	a->len = len;
	a->next = p->arena;
	p->arena = a;
	return (a->s);
}

char *
pnumstr(struct parse *p, int64_t n)
{
	char	 buf[32];
	char	*s;

	(void)snprintf(buf, sizeof(buf), "%lld", (long long)n);
	if ((s = pstrdup(p, buf)) == NULL)
		s = "";		/* the range checks then reject it */
	return (s);
}

void
conf_arena_free(struct parse *p)
{
	struct astr	*a;

	hmap_free(&p->devnames);	/* (parse-time too) */
	while ((a = p->arena) != NULL) {
		p->arena = a->next;
		explicit_bzero(a->s, a->len);	/* may hold passphrases */
		free(a);
	}
}

/*
 * Files.
 */

struct pfile *
conf_pushfile(struct parse *p, const char *name, struct loc at)
{
	return (conf_pushfile_secret(p, name, at, 0));
}

/* SECRET: the file holds secrets, and only its owner may read it. */
struct pfile *
conf_pushfile_secret(struct parse *p, const char *name, struct loc at,
    int secret)
{
	struct pfile	*f;
	struct stat	 st;
	const char	*n;
	int		 fd = -1;

	if (p->depth >= INCLUDE_MAX) {
		perr(p, at, "includes nested too deeply (max %d)",
		    INCLUDE_MAX - 1);
		return (NULL);
	}
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (n = pstrdup(p, name)) == NULL) {
		free(f);
		perr(p, at, "out of memory");
		return (NULL);
	}
	/*
	 * Not blocking on a FIFO (or a device) while it is opened: what it
	 * is is checked on the open file, then it is read as a stream.
	 */
	if ((fd = open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		if (at.file != NULL)
			perr(p, at, "cannot open \"%s\": %s", name,
			    strerror(errno));
		else
			perr(p, (struct loc){ name, 0 }, "cannot open: %s",
			    strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		if (at.file != NULL)
			perr(p, at, "\"%s\" is not a regular file", name);
		else
			perr(p, (struct loc){ name, 0 },
			    "not a regular file");
		goto fail;
	}
	if (secret && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		perr(p, at, "\"%s\" holds secrets and is readable by "
		    "others (mode %04o): chmod 600 it", name,
		    (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	/* and, as sshd asks of a key, it is root's or the reader's own */
	if (secret && st.st_uid != 0 && st.st_uid != geteuid()) {
		perr(p, at, "\"%s\" holds secrets and belongs to uid %u, "
		    "neither root nor the user reading it (uid %u)", name,
		    (unsigned)st.st_uid, (unsigned)geteuid());
		goto fail;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1 ||
	    (f->stream = fdopen(fd, "r")) == NULL) {
		perr(p, at.file != NULL ? at : (struct loc){ name, 0 },
		    "cannot open \"%s\": %s", name, strerror(errno));
		goto fail;
	}
	fd = -1;
	f->name = n;
	/*
	 * An included file starts on line 0: the newline pushed back to end
	 * the include statement moves it to line 1.
	 */
	f->lineno = p->file == NULL ? 1 : 0;
	f->lastc = '\n';
	f->parent = p->file;
	p->file = f;
	p->depth++;
	return (f);
fail:
	if (f->stream != NULL)
		fclose(f->stream);
	else if (fd != -1)
		close(fd);
	free(f);
	return (NULL);
}

void
conf_popfile(struct parse *p)
{
	struct pfile	*f = p->file;

	if (ferror(f->stream))
		perr(p, (struct loc){ f->name, f->lineno }, "read error");
	p->file = f->parent;
	p->depth--;
	fclose(f->stream);
	free(f);
}

void
conf_include(struct parse *p, struct loc at, const char *name, int secret)
{
	char		 path[PATH_MAX];
	const char	*slash;
	int		 n;

	if (*name == '\0') {
		perr(p, at, "include needs a file name");
		return;
	}
	/* A relative name is relative to the including file's directory. */
	if (name[0] == '/' || (slash = strrchr(at.file, '/')) == NULL)
		n = snprintf(path, sizeof(path), "%s", name);
	else
		n = snprintf(path, sizeof(path), "%.*s/%s",
		    (int)(slash - at.file), at.file, name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		perr(p, at, "include file name too long");
		return;
	}
	if (conf_pushfile_secret(p, path, at, secret) == NULL)
		return;
	/* The new file's first token ends the include statement. */
	p->file->ungetbuf[p->file->ungetpos++] = '\n';
}

/* "include secret FILE": a file of secrets, readable by its owner only. */
void
conf_include_kind(struct parse *p, struct loc at, const char *kind,
    const char *name)
{
	if (strcmp(kind, "secret") != 0) {
		perr(p, at, "include %s: \"secret\" or a file name expected",
		    kind);
		return;
	}
	conf_include(p, at, name, 1);
}

/*
 * Macros.
 */

static int
macro_name_ok(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return (0);
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return (0);
	return (1);
}

const char *
conf_macro_get(struct parse *p, const char *name)
{
	struct sym	*s;

	for (s = p->syms; s != NULL; s = s->next)
		if (strcmp(s->name, name) == 0)
			return (s->value);
	return (NULL);
}

static int
macro_set(struct parse *p, const char *name, const char *value, int persist)
{
	struct sym	*s;
	char		*v;

	for (s = p->syms; s != NULL; s = s->next)
		if (strcmp(s->name, name) == 0)
			break;
	if (s != NULL && s->persist && !persist)
		return (0);
	if ((v = strdup(value)) == NULL)
		return (-1);
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL ||
		    (s->name = strdup(name)) == NULL) {
			free(s);
			free(v);
			return (-1);
		}
		s->next = p->syms;
		p->syms = s;
	} else
		free(s->value);
	s->value = v;
	s->persist = persist;
	return (0);
}

void
conf_macro_define(struct parse *p, struct loc at, const char *name,
    const char *value)
{
	if (strlen(name) >= MACRO_NAME_MAX || !macro_name_ok(name)) {
		perr(p, at, "invalid macro name \"%s\"", name);
		return;
	}
	if (macro_set(p, name, value, 0) == -1)
		perr(p, at, "out of memory");
}

/* A "name=value" given on the command line. */
void
conf_macro_cmdline(struct parse *p, const char *def)
{
	struct loc	 at = { "command line", 0 };
	const char	*eq, *c;
	char		 name[MACRO_NAME_MAX];

	if ((eq = strchr(def, '=')) == NULL ||
	    (size_t)(eq - def) >= sizeof(name)) {
		perr(p, at, "invalid macro definition \"%s\"", def);
		return;
	}
	memcpy(name, def, eq - def);
	name[eq - def] = '\0';
	if (!macro_name_ok(name)) {
		perr(p, at, "invalid macro name \"%s\"", name);
		return;
	}
	for (c = eq + 1; *c != '\0'; c++)
		if (iscntrl((unsigned char)*c) && *c != '\t')
			break;
	if (*c != '\0' || strlen(eq + 1) >= LEX_MAX) {
		perr(p, at, "invalid value for macro \"%s\"", name);
		return;
	}
	if (macro_set(p, name, eq + 1, 1) == -1)
		perr(p, at, "out of memory");
}

void
conf_macro_free(struct parse *p)
{
	struct sym	*s;

	while ((s = p->syms) != NULL) {
		p->syms = s->next;
		explicit_bzero(s->value, strlen(s->value));
		free(s->name);
		free(s->value);
		free(s);
	}
}
