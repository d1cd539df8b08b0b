/*
 * pmat_strtab.h — the users of the shared string table's HEKs (format 0.6 dumps):
 * which hash keys, GLOB/CODE names and shared-PV scalars point at each HEK, as
 * Devel::MAT 0.56's `strtab` command lists them.
 */
#ifndef PMAT_STRTAB_H
#define PMAT_STRTAB_H

#include "pmat_heap.h"

enum pmat_hek_role {
    PMAT_HEK_KEY = 1,   /* a key of a HASH (not a STASH, not PL_strtab itself) */
    PMAT_HEK_NAME,      /* the name of a GLOB or a CODE */
    PMAT_HEK_SHARED_PV, /* the PV of a SCALAR (SVx 0x89) */
};

struct pmat_hek_use {
    uint64_t hek;
    uint32_t sv;
    uint8_t role;
};

/* Every use, sorted by HEK address then SV (address order); *n receives the count.
 * Cached in the heap (freed by pmat_free); NULL on out of memory. */
const struct pmat_hek_use *pmat_hek_uses(struct pmat_heap *h, uint64_t *n);

/* The uses of one HEK: index of the first in the sorted array and their count. */
uint64_t pmat_hek_uses_of(const struct pmat_hek_use *u, uint64_t n, uint64_t hek, uint64_t *first);

#endif
