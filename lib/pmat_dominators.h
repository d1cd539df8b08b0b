/*
 * pmat_dominators.h — the dominator tree of the heap and retained sizes.
 *
 * "What would be freed if this SV went away?"  An SV d dominates v when every
 * path from the roots to v passes through d; the retained size of d is the sum
 * of the sizes of all SVs it dominates, itself included.  The graph (see
 * docs/dominators.md) is:
 *
 *   - one virtual root, joined to every SV held by a strong root (the named
 *     roots: main_cv, defstash, strtab, ..., sv_undef/yes/no), every SV on the
 *     argument stack, every SV a call context holds (SUB cv and args, EVAL
 *     source), every mortal, and every value the save stack holds (the targets
 *     of `local`'s "saved value" records);
 *   - every strong reference of every SV (pmat_refs.h).  Weak references are
 *     ignored (they keep nothing alive), and so are indirect ("via RV") and
 *     inferred references, which duplicate strong paths.
 *
 * SVs no root reaches are "unreachable" (refcounting leaks cycles; or an SV's
 * reference count was raised by something that is not a reference).  They are not
 * folded into any reachable SV's retained size; they get a dominator tree of their
 * own, under a pseudo-root "(unreachable)" whose successors are the *entries* of
 * the unreachable subgraph: one SV of each strongly connected component that no
 * other unreachable SV refers to (a blessed object if the component has one, else a
 * container or code, else any; lowest address first).  An entry that is a cycle is
 * what keeps its component alive; one that is not is held by a reference count no
 * reference accounts for.  The pseudo-root's children are the unreachable
 * *components* (see pmat_unreachable.h).
 *
 * Computed with the semi-NCA algorithm (Georgiadis & Tarjan): an iterative DFS,
 * semidominators by path-compressed evaluation in reverse preorder, then
 * immediate dominators by walking up the partial tree.  Near-linear, no
 * recursion; extra memory ~30 bytes per SV plus 4 per strong edge, freed after
 * the computation except the results (idom + retained size: 12 bytes per SV).
 */
#ifndef PMAT_DOMINATORS_H
#define PMAT_DOMINATORS_H

#include "pmat_heap.h"

#define PMAT_DOM_ROOT (UINT32_MAX - 1) /* idom of an SV directly under the virtual root */
/* idom of an unreachable SV directly under the (unreachable) pseudo-root (and of an
 * unreachable immortal, which is in no tree); as an argument of pmat_dom_children,
 * the pseudo-root itself */
#define PMAT_DOM_UNREACHABLE UINT32_MAX

struct pmat_dominators {
    uint32_t *idom;     /* per SV: immediate dominator, PMAT_DOM_ROOT or _UNREACHABLE */
    uint64_t *retained; /* per SV: retained size (unreachable SVs: in the unreachable tree) */
    uint32_t *count;    /* per SV: number of SVs retained, itself included */
    uint64_t *unreach;  /* bitmap: SV not reachable from the roots (pmat_dom_is_unreachable) */
    uint64_t reachable_size, unreachable_size;
    uint32_t reachable, unreachable;
    /* the (unreachable) pseudo-root's successors, by SV index (= address) */
    uint32_t *entries;
    uint32_t *entry_cycle; /* per entry: SVs in its cycle (strongly connected
                            * component), or 0 when it is in no cycle */
    uint32_t nentries;
    /* children lists (dominator tree, CSR; built on demand by pmat_dom_children) */
    uint64_t *child_start; /* ntotal + 2 entries: the last group is the virtual root's */
    uint32_t *child;
};

/* Compute (or return the cached) dominator tree.  NULL on out of memory. */
const struct pmat_dominators *pmat_dominators(struct pmat_heap *h);

static inline int pmat_dom_is_unreachable(const struct pmat_dominators *d, uint32_t sv)
{
    return (d->unreach[sv / 64] >> (sv % 64)) & 1;
}

/* Index of sv in d->entries, or -1 when it is not an entry. */
long pmat_dom_entry_index(const struct pmat_dominators *d, uint32_t sv);

/* The SVs the virtual root points at (strong roots, stack, contexts, mortals, values
 * held by the save stack), malloc'd, sorted by SV index, without duplicates.  NULL on
 * out of memory. */
uint32_t *pmat_dom_root_targets(const struct pmat_heap *h, uint64_t *n);

/* Children of sv in the dominator tree (sv == PMAT_DOM_ROOT for the top level,
 * PMAT_DOM_UNREACHABLE for the unreachable components), sorted by retained size
 * descending, then address.  Returns the count. */
uint64_t pmat_dom_children(struct pmat_heap *h, uint32_t sv, const uint32_t **children);
/* Build the children lists now: 0, or PMAT_ENOMEM.  After it succeeded, pmat_dom_children
 * cannot fail; before, it sets *children to NULL (and returns 0) when out of memory —
 * never on success, even with no children. */
int pmat_dom_children_ready(struct pmat_heap *h);

/* Retained size by blessed class over the top of the dominator tree: for each
 * package, the summed retained size of its objects that no other object of the
 * same package dominates (so nothing is counted twice within a class), in the
 * reachable tree and the unreachable one alike. */
struct pmat_dom_class {
    uint32_t stash;                /* the STASH the objects are blessed into */
    uint64_t objects;              /* how many objects of the class */
    uint64_t retained;             /* retained by the topmost objects of the class */
    uint64_t shallow;              /* plain size of all its objects */
    uint64_t unreachable;          /* how many of the objects are unreachable */
    uint64_t unreachable_retained; /* retained by the topmost unreachable ones */
};
/* 0 and in *out an array (caller frees; NULL when no SV is blessed) of *n rows sorted
 * by retained size descending, or PMAT_ENOMEM. */
int pmat_dom_by_class(struct pmat_heap *h, struct pmat_dom_class **out, uint64_t *n);

#endif
