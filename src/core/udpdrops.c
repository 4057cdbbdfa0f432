/*
 * udpdrops.c - the kernel's count of datagrams dropped on a socket.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>

#include "udpdrops.h"

uint64_t
udp_kernel_drops(int fd)
{
	static const char *const files[] = {"/proc/net/udp", "/proc/net/udp6"};
	struct stat st;
	uint64_t drops = 0;
	char line[512];

	if (fd < 0 || fstat(fd, &st) == -1)
		return 0;
	for (size_t i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "r");

		if (f == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL) {
			unsigned long long inode, d;
			char *p = line;
			int field = 0;

			/* sl local rem st tx:rx tr:when retr uid timeout inode
			 * ref pointer drops */
			for (; *p && field < 9; field++) {
				while (*p == ' ')
					p++;
				while (*p && *p != ' ')
					p++;
			}
			if (sscanf(p, " %llu %*u %*s %llu", &inode, &d) == 2 &&
			    inode == (unsigned long long)st.st_ino)
				drops += d;
		}
		fclose(f);
	}
	return drops;
}
