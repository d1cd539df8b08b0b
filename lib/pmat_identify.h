/*
 * pmat_identify.h — incoming references as Devel::MAT 0.51's Inrefs tool
 * reports them, and the `identify` graph: why an SV is alive, traced back
 * from the SV towards the roots.
 *
 * identify works in two phases, exactly like Devel::MAT's inref_graph and
 * GraphWalker:
 *
 *   1. pmat_identify_build() builds a backward graph from the SV (depth-first,
 *      with symbol / glob / REF / PAD elision, strength fallbacks, the depth
 *      limit and the EDEPTH marker) — as data: nodes, their roots, and edges
 *      referrer -> referred with the reference name and strength.
 *   2. pmat_identify_walk() walks that graph from the SV, deciding everything
 *      the printed tree shows (which node is printed in full and which is
 *      "already found", circularity, the *A labels) and hands each line to a
 *      callback as a struct pmat_ident_item.  The caller draws the glyphs.
 *
 * Both phases use explicit stacks, never C recursion, so a 1 000 000-link
 * chain is fine.
 */
#ifndef PMAT_IDENTIFY_H
#define PMAT_IDENTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "pmat_heap.h"
#include "pmat_refs.h"
#include "pmat_text.h"

/* ------------------------------------------------------------------------ */
/* Incoming references (Devel::MAT's $sv->inrefs / inrefs_direct / _strong) */
/* ------------------------------------------------------------------------ */

enum pmat_inref_kind {
    PMAT_IN_EDGE = 0, /* a real reference: referrer + edge */
    PMAT_IN_ROOT,     /* a root pseudo-reference (no referrer): name = root description */
    PMAT_IN_STACK,    /* "a value on the stack" (no referrer) */
};

struct pmat_inref {
    uint8_t kind;      /* enum pmat_inref_kind */
    uint8_t strength;  /* enum pmat_strength */
    uint32_t referrer; /* PMAT_IN_EDGE: the referring SV; else PMAT_NONE */
    uint64_t edge;     /* PMAT_IN_EDGE: index into h->out_*; PMAT_IN_ROOT: index into h->roots */
};

struct pmat_inref_list {
    struct pmat_inref *v;
    size_t n, cap;
};

/*
 * The incoming references of sv for a strength set: PMAT_SET_STRONG
 * (inrefs_strong), PMAT_SET_DIRECT (inrefs_direct) or PMAT_SET_ALL (inrefs).
 * Order as Devel::MAT's: per strength (strong, weak, indirect, inferred), each
 * referrer once (ascending address, where Devel::MAT uses its heap-hash order),
 * every named reference of that strength from it to sv in production order;
 * then strong roots (all sets), weak roots and stack entries (sets with weak).
 * Reproduces 0.51's hash "via RV" bookkeeping bug (docs/compat.md, Devel::MAT::SV::HASH outrefs).
 * Builds the incoming index on first use.  Appends to *out (which may be
 * zero-initialised); returns 0, or -1 on out of memory.
 */
int pmat_inrefs(struct pmat_heap *h, uint32_t sv, int set, struct pmat_inref_list *out);
void pmat_inref_list_free(struct pmat_inref_list *l);
/* Append the inref's name: the reference name, the root description or
 * "a value on the stack". */
void pmat_inref_name(const struct pmat_heap *h, const struct pmat_inref *r, struct pmat_sb *sb);

/* ------------------------------------------------------------------------ */
/* The identify graph                                                        */
/* ------------------------------------------------------------------------ */

struct pmat_ident_opts {
    long long depth; /* recursion limit (Devel::MAT's --depth); < 0 = unlimited */
    int set;         /* PMAT_SET_STRONG (default), PMAT_SET_DIRECT (--weak), PMAT_SET_ALL */
    int elide;       /* symbol / glob / REF / PAD elision (off with --no_elide) */
    /* asked now and then during the build (may be NULL): nonzero stops it (Ctrl-C) */
    int (*cancel)(void *ud);
    void *cancel_ud;
};

enum pmat_ident_root_kind {
    PMAT_IR_TEXT = 0, /* text is the whole root name ("the main code", "a mortal", "undef") */
    PMAT_IR_SYMBOL,   /* the symbol 'TEXT'   (TEXT = "$main::x") */
    PMAT_IR_GLOB,     /* the glob 'TEXT"     (TEXT = "*main::x"; 0.51's mismatched quote) */
    PMAT_IR_EDEPTH,   /* cut off by the depth limit */
    PMAT_IR_ANONGLOB, /* a named glob its stash does not hold (socketpair(my $a, ...)):
                       * 0.51 prints it as PMAT_IR_GLOB (docs/compat.md "anonymous glob") */
};

struct pmat_ident_root {
    uint32_t node;    /* the node it is a root of */
    uint8_t kind;     /* enum pmat_ident_root_kind */
    uint8_t strength; /* enum pmat_strength */
    uint8_t via_rv;   /* name is prefixed "(via RV) " (an elided REF held by a root/stack) */
    size_t text;      /* offset into the graph's text arena */
};

struct pmat_ident_edge {
    uint32_t from;    /* the referrer's node */
    uint32_t to;      /* the referred node */
    uint8_t strength; /* enum pmat_strength */
    uint8_t via_rv;   /* name is prefixed "(via RV) " */
    size_t name;      /* offset into the text arena: the name without the via-RV prefix */
};

struct pmat_ident_node {
    uint32_t sv;
    uint32_t nroots, nin, nout; /* roots; edges into (referrers); edges out of the node */
    uint64_t root0, in0;        /* first root in g->roots / first incoming edge in g->in */
};

struct pmat_ident_graph {
    const struct pmat_heap *h;
    struct pmat_ident_node *nodes; /* node 0 is the identified SV */
    uint32_t nnodes;
    struct pmat_ident_root *roots; /* grouped by node, in the order added */
    uint64_t nroots;
    struct pmat_ident_edge *edges; /* grouped by `to`, in the order added */
    uint64_t nedges;
    char *text; /* NUL-terminated strings */
    size_t ntext;
    /* PAD elision met a pad deeper than its CV's depth: Devel::MAT warns
     * "Use of uninitialized value $depth" this many times. */
    uint64_t undef_depth_warnings;
};

/* Build the graph for sv.  0 on success, -1 on out of memory, -2 when opts->cancel
 * asked to stop. */
int pmat_identify_build(struct pmat_heap *h, uint32_t sv, const struct pmat_ident_opts *opts,
                        struct pmat_ident_graph *g);
void pmat_identify_free(struct pmat_ident_graph *g);

/* Root / edge text (NUL-terminated, inside the arena). */
static inline const char *pmat_ident_text(const struct pmat_ident_graph *g, size_t off)
{
    return g->text + off;
}

/* ------------------------------------------------------------------------ */
/* Walking the graph (what the printed tree says)                            */
/* ------------------------------------------------------------------------ */

enum pmat_ident_event {
    PMAT_IE_NOTHING = 0, /* "└─not found" */
    PMAT_IE_EDEPTH,      /* "└─not found at this depth" (the only root is EDEPTH) */
    PMAT_IE_AGAIN,       /* "└─already found [circularly ](as *ID|circularly)" */
    PMAT_IE_ROOT,        /* "├─" / "└─" + [strength] + root (EDEPTH among other roots:
                          * "not found at this depth" — 0.51 dies there) */
    PMAT_IE_REF,    /* "├─" / "└─" + [strength] + name of FORMAT_SV, which is[ (*ID)]: */
    PMAT_IE_ITSELF, /* "itself" (no glyph) */
};

struct pmat_ident_item {
    uint8_t event;                      /* enum pmat_ident_event */
    uint32_t level;                     /* tree depth: 0 = directly under the header */
    int final;                          /* ROOT / REF: the last line at this level ("└─") */
    uint32_t node;                      /* the node this line is about (REF: the referrer's node) */
    const struct pmat_ident_root *root; /* ROOT */
    const struct pmat_ident_edge *edge; /* REF */
    uint32_t id; /* REF: ID assigned now; AGAIN: the node's ID; 0 = none (1 = A, 27 = AA) */
    int cyclic;  /* AGAIN: the node is an ancestor being printed */
};

/* Return 0 to continue, nonzero to stop the walk (returned by pmat_identify_walk). */
typedef int (*pmat_ident_visit_fn)(void *ud, const struct pmat_ident_item *it);

/* Walk from node 0.  Returns 0, the visitor's nonzero value, or -1 on out of memory. */
int pmat_identify_walk(const struct pmat_ident_graph *g, pmat_ident_visit_fn fn, void *ud);

/* "A", "B", ... "Z", "AA", ... for an ID (Perl's string increment from "A"). */
void pmat_ident_id_text(uint32_t id, char *buf, size_t n);

#endif
