/*
 * pmat_sizes.h — the three size measures of an SV (Devel::MAT::SV size, structure_size,
 * owned_size): the plain size recorded by the dumper, the structure size and the owned size; for
 * one SV or for every SV at once.
 *
 *   plain      h->size[sv] (0 for the immortals).
 *   structure  the sum of plain sizes over the structure set: the SV itself,
 *              then (ARRAY and its PAD/PADLIST/PADNAMES subtypes) every element,
 *              (HASH/STASH/CLASS) every value, (CODE) its padlist, pad-names AV,
 *              pads, constant value, constants and referenced globs — each only
 *              if it resolves to a heap SV.  A list, as in Devel::MAT: an SV that
 *              appears twice (an array holding it twice) is counted twice.
 *   owned      the sum of plain sizes over the owned set: the SV itself plus every
 *              heap SV with a reference count of exactly 1 reachable from it along
 *              strong references through such SVs (and, as in Devel::MAT 0.51, along
 *              the inferred "saved value of ..." references that `local` leaves).  Each SV counts
 * ONCE.  Devel::MAT 0.51 counts an SV twice when it is reached twice before its first visit (e.g.
 * two aliased globs sharing a GP), so its value then depends on the traversal; see docs/compat.md
 * "owned size".
 *
 * Whole-heap arrays (pmat_all_sizes) are computed once and cached in
 * h->caches[PMAT_CACHE_SIZES]; the owned sizes of every SV come from one pass
 * over the strongly-connected components of the "owns" graph, not one
 * traversal per SV.  Nothing here recurses on the C stack.
 */
#ifndef PMAT_SIZES_H
#define PMAT_SIZES_H

#include "pmat_heap.h"

enum pmat_size_metric { PMAT_SIZE_PLAIN = 0, PMAT_SIZE_STRUCTURE, PMAT_SIZE_OWNED };

/* A growable list of SV indices. */
struct pmat_svlist {
    uint32_t *v;
    uint64_t n, cap;
};
void pmat_svlist_free(struct pmat_svlist *l);

/* The structure set of sv, appended to *out (which is cleared first): sv first, then the
 * members in Devel::MAT's order, duplicates kept.  0, or -1 when out of memory. */
int pmat_structure_set(const struct pmat_heap *h, uint32_t sv, struct pmat_svlist *out);
uint64_t pmat_structure_size(const struct pmat_heap *h, uint32_t sv);

/* The owned set of sv into *out (cleared first): sv first, then every owned SV once, in
 * depth-first visiting order.  0, or -1 when out of memory. */
int pmat_owned_set(struct pmat_heap *h, uint32_t sv, struct pmat_svlist *out);
/* Owned size of one SV into *size (from the whole-heap cache when it exists, else one
 * traversal).  0, or PMAT_ENOMEM. */
int pmat_owned_size(struct pmat_heap *h, uint32_t sv, uint64_t *size);

/* The measure for every SV: an array of h->ntotal values (immortals 0), owned by the cache
 * (valid until pmat_free).  NULL when out of memory. */
const uint64_t *pmat_all_sizes(struct pmat_heap *h, enum pmat_size_metric m);

/* One SV's measure into *size (uses the whole-heap array when already computed).  0, or
 * PMAT_ENOMEM (owned), PMAT_EINVALID (no such measure). */
int pmat_size_of(struct pmat_heap *h, uint32_t sv, enum pmat_size_metric m, uint64_t *size);

/* The set behind a measure: structure set, owned set, or just sv for PMAT_SIZE_PLAIN. */
int pmat_size_set(struct pmat_heap *h, uint32_t sv, enum pmat_size_metric m,
                  struct pmat_svlist *out);

#endif
