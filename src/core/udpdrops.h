/*
 * udpdrops.h - what the kernel dropped on a UDP socket whose receive
 * buffer was full: the "drops" column of /proc/net/udp{,6} for its inode,
 * shown by the trap and syslog receivers' status.
 */
#ifndef NP_UDPDROPS_H
#define NP_UDPDROPS_H

#include <stdint.h>

uint64_t udp_kernel_drops(int fd);

#endif
