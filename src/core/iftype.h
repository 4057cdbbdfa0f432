/*
 * iftype.h - names of the common IANAifType-MIB values, so that output
 * and reports need no MIB files.
 */
#ifndef NP_IFTYPE_H
#define NP_IFTYPE_H

/* The IANAifType name of TYPE, or NULL when this table does not know it. */
const char *iftype_name(int type);

#endif
