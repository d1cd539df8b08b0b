/*
 * pmat_unreachable.h — memory that no root reaches: the unreachable components,
 * grouped by class, why each is alive, and shortest paths (around a cycle, or
 * from a root to an SV).
 *
 * Perl frees an SV when its reference count drops to zero, so SVs that refer to
 * one another in a cycle outlive every reference from outside (the most common
 * Perl leak: `$self->{cb} = sub { $self }`).  Such SVs, and SVs whose reference
 * count was raised by something that is not a reference, are not reachable from
 * the roots.  pmat_dominators() gives them a dominator tree of their own under a
 * pseudo-root "(unreachable)" (see pmat_dominators.h); here:
 *
 *   - a *component* is a child of that pseudo-root: an entry (one SV of a cycle,
 *     or an SV no unreachable SV refers to) with everything it alone keeps
 *     alive, or an SV shared by several such (referred to from several);
 *   - its *class* is its top SV's blessed package, else its kind.
 */
#ifndef PMAT_UNREACHABLE_H
#define PMAT_UNREACHABLE_H

#include <stddef.h>
#include <stdint.h>

#include "pmat_heap.h"

/* The unreachable components grouped by class, largest total first. */
struct pmat_unreach_group {
    uint32_t stash;      /* the package the components' top SVs are blessed into, or PMAT_NONE */
    const char *kind;    /* when not blessed: their kind as Devel::MAT's type names it
                          * ("HASH", "SCALAR", "UNDEF", ...) */
    uint64_t components; /* how many components */
    uint64_t svs;        /* SVs in them */
    uint64_t bytes;      /* their total size */
    uint32_t example;    /* the group's largest component (top SV) */
};

/* Returns 0 and a malloc'd array in *out (*n rows; NULL when there are none), or
 * -1 on out of memory.  Order: bytes descending, then components descending, then
 * the example's address. */
int pmat_unreach_groups(struct pmat_heap *h, struct pmat_unreach_group **out, uint64_t *n);

/* Why an unreachable SV is alive. */
enum pmat_unreach_cause {
    PMAT_UC_CYCLE = 1, /* its component's entry is in a reference cycle */
    PMAT_UC_REFCOUNT,  /* its component's entry is in no cycle and nothing unreachable
                        * refers to it: a reference count no reference accounts for */
    PMAT_UC_SHARED,    /* its component is referred to from several other components */
};

struct pmat_unreach_why {
    uint32_t component; /* the top SV of the component the SV is in */
    uint8_t cause;      /* enum pmat_unreach_cause */
    uint32_t cycle_svs; /* CYCLE: SVs on the shortest cycle through the component's top */
    uint32_t scc_svs;   /* CYCLE: SVs in that cycle's strongly connected component */
    uint32_t holders;   /* SHARED: unreachable SVs referring to the component's top */
};

/* 1 and *w filled for an unreachable heap SV; 0 when sv is reachable (or an
 * immortal); -1 on out of memory. */
int pmat_unreach_why(struct pmat_heap *h, uint32_t sv, struct pmat_unreach_why *w);

/* A path of strong references: v[i].sv refers to v[i + 1].sv by edge v[i].edge
 * (an index into h->out_*; the name is pmat_ref_name(h, v[i].sv, v[i].edge)). */
struct pmat_path_step {
    uint32_t sv;
    uint64_t edge;
};
struct pmat_path {
    struct pmat_path_step *v;
    size_t n;
    /* pmat_shortest_path: why v[0].sv is a root ("the default stash", "a value on
     * the stack", ...); static or owned by the heap */
    const char *root;
};
void pmat_path_free(struct pmat_path *p);

/* The shortest cycle through sv: v[0].sv == sv, and the last step's edge leads back
 * to sv.  1 found, 0 sv is in no cycle, -1 out of memory. */
int pmat_unreach_cycle(struct pmat_heap *h, uint32_t sv, struct pmat_path *p);

/* The shortest path of strong references from `from` to `to` (from != to) on from's
 * side of the heap (reachable or not): v[0].sv == from, the last step's edge leads to
 * `to` (which is not a step; from == to gives no steps).  1 found, 0 none, -1 out of
 * memory. */
int pmat_path_between(struct pmat_heap *h, uint32_t from, uint32_t to, struct pmat_path *p);

/* One shortest path from a root of the dominator graph (docs/dominators.md) to sv,
 * over strong references: v[0].sv is held by a root, v[n-1].sv == sv (its edge is
 * unused).  1 found, 0 sv is unreachable, -1 out of memory. */
int pmat_shortest_path(struct pmat_heap *h, uint32_t sv, struct pmat_path *p);

#endif
