/*
 * conf_secure.c - what the daemon allows itself and others: the control
 * socket's group, mode and the groups that may run its commands
 * ("control PATH group NAME mode 0660 read-group NAME change-group NAME"),
 * and the sandbox ("sandbox on|off", "sandbox read|write PATH").
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "conf_int.h"

/* A group's name, or its number, as groupadd(8) takes them. */
static int
group_ok(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0 || n >= NP_NAME_MAX || s[0] == '-')
		return (0);
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' &&
		    *s != '.' && !(*s == '$' && s[1] == '\0'))
			return (0);
	return (1);
}

/*
 * One option of a control statement: WORD VALUE (VALUE a number's text
 * when the lexer read a number).
 */
void
conf_control_opt(struct parse *p, struct loc at, const char *word,
    const char *value)
{
	struct config	*c = p->conf;
	char		*dst;
	int		 mode = 0;
	const char	*v;

	if (strcmp(word, "mode") == 0) {
		/* octal digits, as chmod(1) takes them ("0660" or "660") */
		for (v = value; *v >= '0' && *v <= '7' && v - value < 5; v++)
			mode = mode * 8 + (*v - '0');
		if (*value == '\0' || *v != '\0' || v - value > 4 ||
		    (mode & ~0777) != 0) {
			perr(p, at, "control mode %s: octal permissions "
			    "expected, such as 0660", value);
			return;
		}
		if ((mode & 0600) != 0600) {
			perr(p, at, "control mode %s: the daemon's own user "
			    "must read and write it (0600 at least)", value);
			return;
		}
		if (mode & 0111) {
			perr(p, at, "control mode %s: a socket is not "
			    "executed", value);
			return;
		}
		c->control_mode = mode;
		return;
	}
	if (strcmp(word, "group") == 0)
		dst = c->control_group;
	else if (strcmp(word, "read-group") == 0)
		dst = c->control_read_group;
	else if (strcmp(word, "change-group") == 0)
		dst = c->control_change_group;
	else {
		perr(p, at, "control: \"%s\": group, mode, read-group or "
		    "change-group expected", word);
		return;
	}
	if (!group_ok(value)) {
		perr(p, at, "control %s \"%s\": not a group name", word,
		    value);
		return;
	}
	(void)snprintf(dst, NP_NAME_MAX, "%s", value);
}

/* "sandbox on|off" (VALUE NULL), "sandbox read|write PATH" */
void
conf_sandbox(struct parse *p, struct loc at, const char *word,
    const char *value)
{
	struct config	*c = p->conf;
	char		(*list)[PATH_MAX];
	int		*n;

	if (value == NULL) {
		if (strcmp(word, "on") == 0 || strcmp(word, "off") == 0)
			c->sandbox = strcmp(word, "on") == 0;
		else
			perr(p, at, "sandbox %s: on, off, read PATH or "
			    "write PATH expected", word);
		return;
	}
	if (strcmp(word, "read") == 0) {
		list = c->sandbox_read;
		n = &c->sandbox_nread;
	} else if (strcmp(word, "write") == 0) {
		list = c->sandbox_write;
		n = &c->sandbox_nwrite;
	} else {
		perr(p, at, "sandbox %s: on, off, read PATH or write PATH "
		    "expected", word);
		return;
	}
	if (*n >= NP_SANDBOX_PATHS) {
		perr(p, at, "sandbox %s: at most %d paths", word,
		    NP_SANDBOX_PATHS);
		return;
	}
	if (conf_setpath(p, at, list[*n], PATH_MAX, value, "sandbox path") ==
	    0)
		(*n)++;
}
