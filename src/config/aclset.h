/*
 * aclset.h - exact sets of IPv4 packets (research note config-drift.md
 * 2.1): unions of disjoint boxes over protocol, source and destination
 * address (ternary patterns: any Cisco wildcard, contiguous or not, is
 * one pattern), source and destination port, ICMP type and code and the
 * TCP established flag (ACK or RST set). Dimensions a protocol does not
 * have (ports of ICMP) are left whole by every match, so emptiness,
 * intersection and subtraction are exact. Bounded: a set that would grow
 * past ACLSET_MAX boxes is marked overflowed and its answers must be
 * reported "not analysed". Pure: no I/O.
 */
#ifndef NP_ACLSET_H
#define NP_ACLSET_H

#include <stddef.h>
#include <stdint.h>

#define ACLSET_MAX 200000

struct acl_tern {
	uint32_t val; /* the fixed bits' values (val & ~care == 0) */
	uint32_t care; /* 1 = the bit is fixed */
};

struct acl_range {
	uint32_t lo, hi; /* inclusive */
};

struct acl_box {
	struct acl_range proto;
	struct acl_tern src, dst;
	struct acl_range sport, dport, itype, icode, est;
};

struct acl_set {
	struct acl_box *b;
	size_t n, cap;
	int overflow;
};

struct acl_packet {
	uint8_t proto;
	uint32_t src, dst; /* host order */
	uint16_t sport, dport;
	uint8_t icmp_type, icmp_code;
	uint8_t established;
};

/*
 * A work bound for one analysis: after OPS box comparisons (0: none)
 * aclset_exhausted() is true, and the caller reports "not analysed".
 */
void aclset_budget(long ops);
int aclset_exhausted(void);

/* The box of every packet. */
void acl_box_all(struct acl_box *);
/* A address pattern from an address and a Cisco wildcard (1 = any). */
struct acl_tern acl_tern_wild(uint32_t addr, uint32_t wildcard);
/* From an address and a prefix length 0..32. */
struct acl_tern acl_tern_prefix(uint32_t addr, unsigned len);
int acl_box_inter(const struct acl_box *, const struct acl_box *,
    struct acl_box *out);
int acl_box_has(const struct acl_box *, const struct acl_packet *);
double acl_box_size(const struct acl_box *);

void aclset_init(struct acl_set *);
void aclset_free(struct acl_set *);
void aclset_clear(struct acl_set *);
int aclset_copy(struct acl_set *dst, const struct acl_set *src);
/* Append B as is (the caller knows it is disjoint from the set). */
int aclset_push(struct acl_set *, const struct acl_box *);
/* Union: add the part of B not yet in the set (keeps boxes disjoint). */
int aclset_add(struct acl_set *, const struct acl_box *);
int aclset_add_set(struct acl_set *, const struct acl_set *);
/* S -= B, S -= T, S &= T (in place). -1 when out of memory. */
int aclset_sub_box(struct acl_set *, const struct acl_box *);
int aclset_sub(struct acl_set *, const struct acl_set *);
int aclset_inter(struct acl_set *, const struct acl_set *);
/* Do S and T meet? Is S empty? */
int aclset_meets(const struct acl_set *, const struct acl_set *);
int aclset_empty(const struct acl_set *);
int aclset_has(const struct acl_set *, const struct acl_packet *);
/* The number of packets (dimensions multiplied; a weight, not exact). */
double aclset_size(const struct acl_set *);
/* A packet of S (0), or -1 when S is empty. Ports prefer 49152 for the
 * source and the lowest for the destination. */
int aclset_example(const struct acl_set *, struct acl_packet *);
/* Merge neighbouring boxes (fewer, larger boxes; the same set). */
void aclset_compact(struct acl_set *);
/* "tcp src 10.0.0.0/24 dst 18.18.18.32/27 dport 80; ...": at most MAX
 * boxes, then "(and N more)". */
void aclset_region(const struct acl_set *, size_t max, char *buf,
    size_t len);
void acl_box_text(const struct acl_box *, char *buf, size_t len);
/* "a.b.c.d/len", or "a.b.c.d wildcard w.x.y.z" for a pattern that is not
 * a prefix. */
void acl_tern_text(struct acl_tern, char *buf, size_t len);
void acl_addr_text(uint32_t, char *buf, size_t len);
const char *acl_proto_name(unsigned proto);

#endif
