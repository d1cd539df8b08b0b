/*
 * pmat_count.h — counting the heap by kind (the `count` command and pmat-counts).
 *
 * pmat_count() returns the rows of Devel::MAT's count table as data, in display
 * order; the renderer adds the rule before the (total) row and formats the
 * numbers.  Typical use:
 *
 *   struct pmat_count_opts o = { .blessed = 1, .scalars = 0, .metric = PMAT_SIZE_PLAIN };
 *   struct pmat_count c;
 *   if (pmat_count(h, &o, &c) < 0) ... out of memory ...
 *   for (size_t i = 0; i < c.nrows; i++) {
 *       const struct pmat_count_row *r = &c.rows[i];
 *       if (r->type == PMAT_COUNT_TOTAL) ... print a rule first ...
 *       ... r->label, r->svs, r->blessed_svs, r->bytes, r->blessed_bytes ...
 *   }
 *   pmat_count_free(&c);
 *
 * Row labels are plain (no indentation, no colour): the renderer indents
 * PACKAGE/OTHERS rows by 4 spaces and DESC rows by 2, as Devel::MAT does.
 * pmat-counts keys its "previous file" values by (label, blessed-ness).
 */
#ifndef PMAT_COUNT_H
#define PMAT_COUNT_H

#include <stddef.h>

#include "pmat_heap.h"
#include "pmat_sizes.h"

enum pmat_count_row_type {
    PMAT_COUNT_KIND,    /* one kind (Devel::MAT class name): "ARRAY", "SCALAR", "C_STRUCT" */
    PMAT_COUNT_PACKAGE, /* --blessed: one package, under its kind's row */
    PMAT_COUNT_OTHERS,  /* --blessed: "(others)" when a kind has more than 10 packages */
    PMAT_COUNT_DESC,    /* --scalars: one SCALAR/BOOL description, under the SCALAR row */
    PMAT_COUNT_TOTAL,   /* "(total)", always the last row */
};

struct pmat_count_row {
    enum pmat_count_row_type type;
    char *label;
    /* PACKAGE and OTHERS rows have svs = bytes = 0 (Devel::MAT prints 0 / "0 bytes") */
    uint64_t svs, bytes, blessed_svs, blessed_bytes;
};

struct pmat_count_opts {
    int blessed;                  /* -b: per-package rows under each kind */
    int scalars;                  /* -S: per-description rows under SCALAR */
    enum pmat_size_metric metric; /* bytes summed: plain (default), --struct, --owned */
    /* Additions to Devel::MAT (all zero = its table): */
    int all_packages; /* -b --all: every package, no "(others)" after the 10 largest */
    /* -b --package REGEX: list only the packages this accepts (1); the rest go to
     * "(others)".  NULL lists every package. */
    int (*package_ok)(void *ud, const uint8_t *name, size_t len);
    void *package_ud;
    /* pmat-counts --sort growth: a package's growth since the previous dump (its count
     * minus the count there; the count itself when it is new).  Packages are then listed
     * (and the 10 kept) by growth, largest first, then by count and name.  NULL: by count. */
    int64_t (*growth)(void *ud, const uint8_t *name, size_t len, uint64_t svs);
    void *growth_ud;
};

struct pmat_count {
    struct pmat_count_row *rows;
    size_t nrows;
};

/* Count every heap SV (not the immortals).  0, or -1 when out of memory. */
int pmat_count(struct pmat_heap *h, const struct pmat_count_opts *opts, struct pmat_count *out);
void pmat_count_free(struct pmat_count *c);

/* The kind label `count` groups by: Devel::MAT's class name without "Devel::MAT::SV::"
 * ("Unknown" for the unknown kind, unlike pmat_kind_name). */
const char *pmat_count_kind_label(enum pmat_kind k);

#endif
