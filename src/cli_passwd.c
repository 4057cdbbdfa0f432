/*
 * cli_passwd.c - netpatrol passwd: a crypt(3) hash of a password, for the
 * http block's "user NAME role ROLE password HASH" (netpatrold.conf(5)).
 * The password is read from the terminal without echo (twice), or as one
 * line from standard input; it is never an argument (argv is public). The
 * hash is printed as the configuration takes it, each "$" as "\$".
 */
#include "config.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

static int
passwd_read(const char *prompt, char *buf, size_t len)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	size_t n;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		} else
			tty = 0;
	}
	if (fgets(buf, (int)len, stdin) == NULL)
		buf[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (n == len - 1)
		return -1; /* too long */
	return 0;
}

int
cmd_passwd(struct cli *c, int argc, char **argv)
{
	const char *prefix = NULL; /* libcrypt's best: yescrypt */
	char pw[256], again[256], salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd;
	const char *h;
	int rc = 1;

	(void)c;
	if (argc == 2 && strcmp(argv[1], "--sha512") == 0)
		prefix = "$6$";
	else if (argc != 1)
		usage();
	if (passwd_read("password: ", pw, sizeof(pw)) == -1 || pw[0] == '\0') {
		fprintf(stderr, "netpatrol: no password (or over 254 "
		                "characters)\n");
		return 1;
	}
	if (isatty(STDIN_FILENO)) {
		if (passwd_read("again: ", again, sizeof(again)) == -1 ||
		    strcmp(pw, again) != 0) {
			fprintf(stderr, "netpatrol: the passwords differ\n");
			explicit_bzero(pw, sizeof(pw));
			explicit_bzero(again, sizeof(again));
			return 1;
		}
		explicit_bzero(again, sizeof(again));
	}
	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		goto out;
	if (crypt_gensalt_rn(prefix, 0, NULL, 0, salt, sizeof(salt)) == NULL) {
		fprintf(stderr, "netpatrol: cannot make a salt\n");
		goto out;
	}
	if ((h = crypt_r(pw, salt, cd)) == NULL || h[0] == '*') {
		fprintf(stderr, "netpatrol: crypt failed\n");
		goto out;
	}
	/* as netpatrold.conf takes it: "$" alone would start a macro */
	for (; *h; h++)
		printf("%s%c", *h == '$' ? "\\" : "", *h);
	printf("\n");
	rc = 0;
out:
	explicit_bzero(pw, sizeof(pw));
	if (cd)
		explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return rc;
}
