/*
 * syslogload.c - a fast syslog sender for the receiver benchmark: a mix of
 * the formats network devices send (the ones of syslogparse.c), each
 * message numbered, at a steady rate over UDP (sendmmsg) or over one TCP
 * connection (RFC 6587 octet counting), to a loopback address only.
 *
 *	syslogload [-t udp|tcp] [-r RATE] [-n COUNT] [-a ADDRESS] -p PORT
 *
 * RATE is messages per second (0: as fast as it can); COUNT messages are
 * sent (default 1000000). Prints what it sent, in how long, at what rate.
 * The receiver is checked by counting what it stored: message N carries
 * "seq=N" (ten digits) at its end.
 */
#define _GNU_SOURCE /* sendmmsg() */
#include <sys/socket.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MSG_MAX 512

static const char *const mix[] = {
    "<165>1 2024-03-01T10:00:00.123456+01:00 host1.example.com evntslog "
    "1234 ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
    "eventID=\"1011\"] An application event log entry",
    "<14>1 2024-03-01T10:00:00.719Z srx1 RT_FLOW - RT_FLOW_SESSION_CREATE "
    "[junos@2636.1.1.1.2.39 source-address=\"192.0.2.1\" "
    "source-port=\"1080\" destination-address=\"198.51.100.2\" "
    "destination-port=\"443\" service-name=\"junos-https\" "
    "protocol-id=\"6\" policy-name=\"allow-web\"] session created",
    "<38>Mar  1 10:00:00 server1 sshd[12345]: Accepted publickey for "
    "admin from 192.0.2.10 port 50022 ssh2: ED25519 SHA256:abcdef",
    "<187>12345: sw-access-01: *Mar  1 00:01:02.345 UTC: %LINK-3-UPDOWN: "
    "Interface GigabitEthernet1/0/24, changed state to down",
    "<187>94307: gw2 LC/0/2/CPU0:Mar  1 10:00:00.834 : ifmgr[214]: "
    "%PKT_INFRA-LINK-3-UPDOWN : Interface TenGigE0/2/0/4, changed state "
    "to Down",
    "<189>2024 Mar  1 10:00:00 nx1 %ETHPORT-5-SPEED: Interface "
    "Ethernet1/1, operational speed changed to 10 Gbps",
    "<166>Mar 01 2024 10:00:00: %ASA-6-302013: Built outbound TCP "
    "connection 123 for outside:198.51.100.1/443 (198.51.100.1/443) to "
    "inside:192.0.2.5/51234 (192.0.2.5/51234)",
    "<189>Mar  1 10:00:00 eos1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol on "
    "Interface Ethernet28, changed state to up",
    "<28>Mar  1 10:00:00 vmx01 rpd[2965]: BGP_PREFIX_LIMIT_EXCEEDED: "
    "192.168.140.254 (External AS 65001): Configured maximum "
    "prefix-limit(27) exceeded for inet-unicast nlri: 28",
    "a line without any header from a misconfigured device",
};
#define NMIX (sizeof(mix) / sizeof(mix[0]))

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: syslogload [-t udp|tcp] [-r RATE] [-n COUNT] "
	    "[-a ADDRESS] -p PORT\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	const char *proto = "udp", *addr = "127.0.0.1";
	long rate = 0, count = 1000000, port = 0;
	static char bufs[BATCH][MSG_MAX + 16];
	static char tmpl[NMIX][MSG_MAX + 16];
	int tmpl_len[NMIX];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage ss;
	socklen_t sslen;
	long sent = 0;
	double t0, t;
	int ch, fd, tcp;

	while ((ch = getopt(argc, argv, "t:r:n:a:p:")) != -1) {
		switch (ch) {
		case 't': proto = optarg; break;
		case 'r': rate = atol(optarg); break;
		case 'n': count = atol(optarg); break;
		case 'a': addr = optarg; break;
		case 'p': port = atol(optarg); break;
		default: usage();
		}
	}
	if (port <= 0 || port > 65535 || count <= 0)
		usage();
	tcp = strcmp(proto, "tcp") == 0;
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)&ss)->sin_addr) ==
	    1) {
		/* loopback only: this is a load generator */
		if (strncmp(addr, "127.", 4) != 0) {
			fprintf(
			    stderr, "syslogload: %s is not loopback\n", addr);
			return 2;
		}
		ss.ss_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
		sslen = sizeof(struct sockaddr_in);
	} else if (strcmp(addr, "::1") == 0) {
		ss.ss_family = AF_INET6;
		inet_pton(
		    AF_INET6, addr, &((struct sockaddr_in6 *)&ss)->sin6_addr);
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
		sslen = sizeof(struct sockaddr_in6);
	} else {
		fprintf(
		    stderr, "syslogload: %s is not a loopback address\n", addr);
		return 2;
	}
	if ((fd = socket(ss.ss_family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0)) ==
	    -1) {
		perror("socket");
		return 1;
	}
	if (tcp && connect(fd, (struct sockaddr *)&ss, sslen) == -1) {
		perror("connect");
		return 1;
	}
	/* each message of the mix, framed, ending in "seq=" and 10 digits */
	for (size_t k = 0; k < NMIX; k++) {
		char body[MSG_MAX];
		int bl =
		    snprintf(body, sizeof(body), "%s seq=0000000000", mix[k]);

		tmpl_len[k] = tcp
		    ? snprintf(tmpl[k], sizeof(tmpl[k]), "%d %s", bl, body)
		    : snprintf(tmpl[k], sizeof(tmpl[k]), "%s", body);
	}
	memset(mm, 0, sizeof(mm));
	t0 = now();
	while (sent < count) {
		int n = count - sent < BATCH ? (int)(count - sent) : BATCH;

		/* pace: batch K leaves at t0 + K * BATCH / RATE */
		if (rate > 0) {
			double due = t0 + (double)sent / (double)rate;

			while ((t = now()) < due) {
				double w = due - t;

				if (w > 0.0002) {
					struct timespec ts = {
					    0, (long)((w - 0.0001) * 1e9)};

					nanosleep(&ts, NULL);
				}
			}
		}
		for (int i = 0; i < n; i++) {
			long seq = sent + i;
			size_t k = (size_t)seq % NMIX;
			char *d;
			int len = tmpl_len[k];

			/* the template, its 10 digits of seq written in place */
			memcpy(bufs[i], tmpl[k], (size_t)len);
			d = bufs[i] + len - 1;
			for (int q = 0; q < 10; q++, seq /= 10)
				*d-- = (char)('0' + seq % 10);
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = (size_t)len;
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_name = tcp ? NULL : &ss;
			mm[i].msg_hdr.msg_namelen = tcp ? 0 : sslen;
		}
		if (tcp) {
			int done = 0;

			/* one writev per batch; short writes finished */
			while (done < n) {
				ssize_t w = writev(fd, iov + done, n - done);

				if (w == -1) {
					if (errno == EINTR)
						continue;
					perror("writev");
					return 1;
				}
				while (
				    done < n && (size_t)w >= iov[done].iov_len)
					w -= (ssize_t)iov[done++].iov_len;
				if (done < n) {
					iov[done].iov_base =
					    (char *)iov[done].iov_base + w;
					iov[done].iov_len -= (size_t)w;
				}
			}
		} else {
			int done = 0;

			while (done < n) {
				int r = sendmmsg(
				    fd, mm + done, (unsigned)(n - done), 0);

				if (r == -1) {
					if (errno == EINTR ||
					    errno == ENOBUFS || errno == EAGAIN)
						continue;
					perror("sendmmsg");
					return 1;
				}
				done += r;
			}
		}
		sent += n;
	}
	if (tcp)
		shutdown(fd, SHUT_WR);
	t = now() - t0;
	printf("sent %ld messages over %s in %.3f s: %.0f/s\n", sent, proto, t,
	    (double)sent / t);
	close(fd);
	return 0;
}
