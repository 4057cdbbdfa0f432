/*
 * fuzz_pcapdec.c - libFuzzer entry point for pcapdec_frame() (see
 * README). The first byte picks the link type (Ethernet, Linux cooked
 * v1 and v2, raw IP); the rest is the captured frame, given as its own
 * allocation of exactly its length so that AddressSanitizer sees any
 * read past it. Besides the sanitizers' checks, the result must keep
 * pcapdec.h's promises (a known return code, a link header within the
 * frame, a class in range, ports only over TCP/UDP/SCTP of an IP
 * packet); a broken promise aborts, so the fuzzer keeps the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "pcap/pcapdec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int dlts[] = {
	    DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW};
	struct pcapdec d;
	enum pcapdec_rc rc;
	uint8_t *f;
	size_t n;
	int c;

	if (size < 1)
		return 0;
	n = size - 1;
	if ((f = malloc(n ? n : 1)) == NULL)
		return 0;
	memcpy(f, data + 1, n);
	rc = pcapdec_frame(dlts[data[0] % 4], f, n, &d);
	c = pcapdec_class(rc, &d);
	if (rc > PD_NOLINK || d.link_len < 0 || (size_t)d.link_len > n ||
	    c < 0 || c >= PD_NCLASS)
		abort();
	if (d.have_ports &&
	    (d.family == 0 ||
	        (d.proto != 6 && d.proto != 17 && d.proto != 132)))
		abort();
	if (d.family != 0 && d.family != 4 && d.family != 6)
		abort();
	free(f);
	return 0;
}
