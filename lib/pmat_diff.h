/*
 * pmat_diff.h — pmat-diff's analysis of two dumps: which SVs exist only in one of
 * them, and those sets drawn as forests the way Devel::MAT 0.51 draws them.  An SV
 * is identified by its address, basetype and class: an address holding an SV of
 * another basetype or class in the second dump is a freed slot reused, so it counts
 * as removed and added (0.51 compares addresses only; docs/compat.md).
 */
#ifndef PMAT_DIFF_H
#define PMAT_DIFF_H

#include "pmat_heap.h"

struct pmat_diff {
    uint32_t *only_a, *only_b; /* heap SV indices, ascending address */
    uint64_t n_only_a, n_only_b;
    uint64_t n_common; /* same address, basetype and class in both */
};

/* 0, or -1 on out of memory. */
int pmat_diff_compute(const struct pmat_heap *a, const struct pmat_heap *b, struct pmat_diff *d);
void pmat_diff_free(struct pmat_diff *d);

/* One line of a forest in drawing (pre-)order. */
struct pmat_forest_line {
    uint32_t sv;
    uint32_t depth; /* 0 for a top-level tree */
    int last;       /* the last child of its parent (unused at depth 0) */
};

/*
 * Arrange a set of heap SVs (ascending address) into trees as pmat-diff does: walking
 * the set in address order, an SV not reached yet starts a tree, which grows breadth
 * first along outgoing references of every strength into not-yet-reached set members
 * (each SV's new children in address order).  Every member appears exactly once, so
 * *lines gets n entries (caller frees).  0, or -1 on out of memory.
 */
int pmat_diff_forest(const struct pmat_heap *h, const uint32_t *set, uint64_t n,
                     struct pmat_forest_line **lines);

#endif
