/*
 * trapudp.c - the trap listener's reads of UDP over IPv4 (trapint.h), in
 * place of net-snmp's own (netsnmp_udpbase_recv): net-snmp gets the same
 * datagram and the same addresses (netsnmp_indexed_addr_pair: the sender,
 * the local address the datagram came to, from IP_PKTINFO, and its
 * interface), but recvmmsg() reads up to TRAPUDP_VLEN datagrams a system
 * call, and the socket's own address is asked once: net-snmp asks
 * getsockname() again for every datagram, and in a flood of traps that
 * call and the recvmsg() of each datagram were a third of the loop's CPU
 * (perf).
 *
 * What was read and not yet handed over stays here: trapudp_pending()
 * says so, and the listener reads on without waiting for the socket.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "trapint.h"

#define TRAPUDP_VLEN 32 /* datagrams a recvmmsg() */
#define TRAPUDP_DGRAM 65536 /* the largest UDP datagram fits */

struct trapudp {
	int fd;
	struct sockaddr_in local; /* the socket's own: port, bound address */
	int n, pos; /* read; handed over */
	struct mmsghdr msg[TRAPUDP_VLEN];
	struct iovec iov[TRAPUDP_VLEN];
	struct sockaddr_in from[TRAPUDP_VLEN];
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} cmsg[TRAPUDP_VLEN];
	unsigned char *data; /* TRAPUDP_VLEN datagrams */
};

/* The transport that T is, by its socket: its reader. */
static struct trapudp *trapudp_of[TRAP_MAX_LISTENERS];

static struct trapudp *
trapudp_find(int fd)
{
	for (int i = 0; i < TRAP_MAX_LISTENERS; i++)
		if (trapudp_of[i] != NULL && trapudp_of[i]->fd == fd)
			return trapudp_of[i];
	return NULL;
}

static int
trapudp_fill(struct trapudp *u)
{
	int n;

	for (int i = 0; i < TRAPUDP_VLEN; i++) {
		struct msghdr *h = &u->msg[i].msg_hdr;

		u->iov[i].iov_base = u->data + (size_t)i * TRAPUDP_DGRAM;
		u->iov[i].iov_len = TRAPUDP_DGRAM;
		h->msg_name = &u->from[i];
		h->msg_namelen = sizeof(u->from[i]);
		h->msg_iov = &u->iov[i];
		h->msg_iovlen = 1;
		h->msg_control = u->cmsg[i].buf;
		h->msg_controllen = sizeof(u->cmsg[i].buf);
		h->msg_flags = 0;
	}
	do
		n = recvmmsg(u->fd, u->msg, TRAPUDP_VLEN, MSG_DONTWAIT, NULL);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return -1;
	u->n = n;
	u->pos = 0;
	return 0;
}

/* net-snmp's f_recv: the next datagram, as netsnmp_udpbase_recv gives it. */
static int
trapudp_recv(
    netsnmp_transport *t, void *buf, int size, void **opaque, int *olength)
{
	struct trapudp *u = trapudp_find(t->sock);
	netsnmp_indexed_addr_pair *ap;
	struct msghdr *h;
	struct cmsghdr *cm;
	size_t len;
	int i;

	*opaque = NULL;
	*olength = 0;
	if (u == NULL || size < 0) {
		errno = EBADF;
		return -1;
	}
	if (u->pos >= u->n && trapudp_fill(u) == -1)
		return -1;
	i = u->pos++;
	h = &u->msg[i].msg_hdr;
	if ((ap = calloc(1, sizeof(*ap))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(&ap->remote_addr.sin, &u->from[i], sizeof(u->from[i]));
	ap->local_addr.sin = u->local;
	for (cm = CMSG_FIRSTHDR(h); cm != NULL; cm = CMSG_NXTHDR(h, cm))
		if (cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			ap->local_addr.sin.sin_addr = pi.ipi_addr;
			ap->if_index = pi.ipi_ifindex;
		}
	/* (a datagram longer than BUF is cut to it, as recvmsg() does) */
	len = u->msg[i].msg_len < (unsigned)size ? u->msg[i].msg_len
	                                         : (size_t)size;
	memcpy(buf, u->iov[i].iov_base, len);
	*opaque = ap;
	*olength = (int)sizeof(*ap);
	return (int)len;
}

int
trapudp_attach(netsnmp_transport *t)
{
	struct trapudp *u;
	socklen_t len;
	int slot = -1;

	if (t == NULL || t->sock < 0)
		return -1;
	for (int i = 0; i < TRAP_MAX_LISTENERS && slot < 0; i++)
		if (trapudp_of[i] == NULL)
			slot = i;
	if (slot < 0 || (u = calloc(1, sizeof(*u))) == NULL)
		return -1;
	len = sizeof(u->local);
	if (getsockname(t->sock, (struct sockaddr *)&u->local, &len) == -1 ||
	    u->local.sin_family != AF_INET ||
	    (u->data = malloc((size_t)TRAPUDP_VLEN * TRAPUDP_DGRAM)) == NULL) {
		free(u);
		return -1; /* (net-snmp's reads stay) */
	}
	u->fd = t->sock;
	trapudp_of[slot] = u;
	t->f_recv = trapudp_recv;
	return 0;
}

int
trapudp_pending(int fd)
{
	struct trapudp *u = trapudp_find(fd);

	return u != NULL && u->pos < u->n;
}

void
trapudp_detach(int fd)
{
	for (int i = 0; i < TRAP_MAX_LISTENERS; i++)
		if (trapudp_of[i] != NULL && trapudp_of[i]->fd == fd) {
			free(trapudp_of[i]->data);
			free(trapudp_of[i]);
			trapudp_of[i] = NULL;
		}
}
