/*
 * pmat_reach.h — Devel::MAT 0.51's Reachability tool: classifies every SV by how
 * it is reached (symbol table, user data, padlist, lexical, internal, or not at
 * all).  0.51 shows the classes only in its GUI; `tool Reachability` in the
 * shell computes them, printing only the tool's warnings.
 */
#ifndef PMAT_REACH_H
#define PMAT_REACH_H

#include "pmat_heap.h"

enum pmat_reach {
    PMAT_REACH_NONE = 0,
    PMAT_REACH_SYMTAB = 1,
    PMAT_REACH_USER = 2,
    PMAT_REACH_PADLIST = 3,
    PMAT_REACH_LEXICAL = 4,
    PMAT_REACH_INTERNAL = 5,
};

/* Warnings the tool prints (Perl's warn, without "\n"): "Not sure what to do with
 * user data item DESC at 0xADDR", "Found non-SYMTAB GLOB ...". */
typedef void (*pmat_reach_warn_fn)(void *ud, const char *msg);

/*
 * Classify every SV (heap and immortals): *classes gets an array of h->ntotal bytes
 * (enum pmat_reach), owned by the heap (cached; freed by pmat_free).  Returns PMAT_OK;
 * PMAT_EFORMAT when the default stash is missing or a stash is not a stash (0.51 dies:
 * err->msg holds its message, "ARGH! Encountered non-stash ..."); PMAT_ENOMEM.  *classes
 * is NULL on failure; err may be NULL.  warn may be NULL; it is called only by the first
 * (computing) call.
 */
int pmat_reach(struct pmat_heap *h, pmat_reach_warn_fn warn, void *ud, const uint8_t **classes,
               struct pmat_error *err);

/* "none", "symtab", "user", "padlist", "lexical", "internal" */
const char *pmat_reach_name(enum pmat_reach r);

#endif
