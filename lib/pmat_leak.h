/*
 * pmat_leak.h — pmat-leakreport's algorithm over a series of dumps of one
 * process: SVs that appeared at some point and were never freed afterwards.
 *
 * An SV is identified across dumps by its key (address, basetype), as in
 * Devel::MAT 0.51, so an arena slot reused for a different basetype counts as
 * a different SV.  Dumps are fed one at a time (each may be freed right after
 * it was fed), so memory is one loaded dump plus a few bytes per SV of the
 * previous dump and per candidate.
 *
 *   struct pmat_leak *lk = pmat_leak_new(onefile);
 *   pmat_leak_feed(lk, heap1);           // first dump
 *   pmat_leak_feed(lk, heap2); ...       // the caller knows which is last:
 *   pmat_leak_feed_last(lk, heapN);
 *   for (i < pmat_leak_count(lk)) pmat_leak_at(lk, i, &addr, &tag);  // sorted by tag, address
 *   pmat_leak_free(lk);
 */
#ifndef PMAT_LEAK_H
#define PMAT_LEAK_H

#include "pmat_heap.h"

struct pmat_leak;

/* onefile: Devel::MAT's -1 (stop collecting candidates while any are pending). */
struct pmat_leak *pmat_leak_new(int onefile);
void pmat_leak_free(struct pmat_leak *lk);

/* Feed the next dump of the series (not the last one).  Only addresses and kinds are read,
 * so the heap may come from a PMAT_LOAD_MINIMAL load.  Returns 0, or -1 on out of memory. */
int pmat_leak_feed(struct pmat_leak *lk, const struct pmat_heap *h);
/* Feed the last dump: only prunes the candidates (it can never add any). */
int pmat_leak_feed_last(struct pmat_leak *lk, const struct pmat_heap *h);

/* The index the next fed dump gets (1 for the first), as pmat-leakreport counts. */
int pmat_leak_index(const struct pmat_leak *lk);

/* Surviving candidates, ordered by tag (index of the dump in which the SV first appeared),
 * then by address.  Valid after the last feed. */
uint64_t pmat_leak_count(const struct pmat_leak *lk);
void pmat_leak_at(const struct pmat_leak *lk, uint64_t i, uint64_t *addr, int *tag);

/* --summary: the surviving candidates grouped by class (the blessed package) or, when
 * unblessed, by kind ("HASH", "SCALAR", ...), largest total size first (then count, then
 * name).  The example is the group's first candidate in report order.  h is the last
 * dump (fully loaded).  PMAT_OK with *ngroups groups in *out (the caller frees them with
 * pmat_leak_groups_free), or PMAT_ENOMEM (then *out is NULL and *ngroups 0). */
struct pmat_leak_group {
    char *name;  /* NUL-terminated; the class name as bytes from the dump */
    int blessed; /* name is a class, not a kind */
    uint64_t count, bytes;
    uint64_t example_addr;
    int example_tag;
    int first_tag, last_tag; /* the range of dump indices the group's SVs appeared in */
};
int pmat_leak_groups(const struct pmat_leak *lk, const struct pmat_heap *h,
                     struct pmat_leak_group **out, uint64_t *ngroups);
void pmat_leak_groups_free(struct pmat_leak_group *g, uint64_t n);

/* The program a dump was taken of, to refuse mixing dumps of different programs: the
 * value of $0 (the PV of the scalar in the glob "0" of %main::), which perl sets to the
 * main script's path.  Works on PMAT_LOAD_MINIMAL heaps.  1 and *script set, or 0 when
 * the dump has no such PV. */
int pmat_leak_script(const struct pmat_heap *h, struct pmat_str *script);

#endif
