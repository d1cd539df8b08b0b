/*
 * pmat_find.h — the predicates of the `find` command (Devel::MAT 0.51's
 * Devel::MAT::Tool::Find filters), as data: build a filter from its options,
 * test SVs against it, and read back what matched.  No text is produced here
 * (the command formats the match), except that the caller decides how to show
 * numbers, names and SVs.
 *
 *   struct pmat_find_filter f;
 *   pmat_find_init(&f, PMAT_FIND_PV);
 *   f.pattern = "thr"; f.regexp = 1;
 *   if (pmat_find_prepare(h, &f, &err) < 0) ...;   (err.msg says why)
 *   struct pmat_find_match m;
 *   for (sv ...) if (pmat_find_test(h, &f, sv, &m)) ... m.sv is the (possibly
 *       redirected) SV, the other fields say why it matched ...
 *   pmat_find_release(&f);
 */
#ifndef PMAT_FIND_H
#define PMAT_FIND_H

#include <stddef.h>
#include <stdint.h>

#include "pmat_heap.h"

enum pmat_find_kind {
    PMAT_FIND_NUM = 1, /* SCALARs with a number; optionally equal to a value */
    PMAT_FIND_PV,      /* SCALARs with a string matching a pattern */
    PMAT_FIND_CV,      /* CODE, optionally XS / in a package / from a file */
    PMAT_FIND_IO,      /* IO, optionally with a file number */
    PMAT_FIND_BLESSED, /* anything blessed into a package */
    PMAT_FIND_LEXICAL, /* PADs holding a named lexical: redirects to the variable */
    PMAT_FIND_STRUCT,  /* C_STRUCTs of a type */
    PMAT_FIND_MAGIC,   /* anything with magic of a given vtable */
};

/* A number as Perl reads it from a string: an integer when it is one that fits
 * 64 bits, else a double. */
struct pmat_find_number {
    int is_int, neg;
    uint64_t mag; /* |value| when is_int */
    double nv;    /* the value as a double (always set) */
};

struct pmat_find_filter {
    enum pmat_find_kind kind;
    /* num */
    int want_iv, want_uv, want_nv; /* none set = all three */
    int has_value;
    struct pmat_find_number value;
    /* pv */
    const char *pattern;
    int eq, regexp, ignorecase;
    /* cv */
    int xsub;
    const char *package, *file; /* NULL or "" / "0" = not tested (Perl truth) */
    /* io */
    int has_fileno;
    int64_t fileno;
    /* blessed (package), struct (type name), lexical (variable name) */
    const char *name;
    int inactive; /* lexical: also pads deeper than the CV's depth */
    /* magic */
    uint64_t vtbl;
    /* private: compiled patterns (byte strings / UTF-8 strings) */
    void *re_bytes, *re_utf8, *md;
};

/* What a match found, for the caller to print. */
enum pmat_find_numkind { PMAT_FIND_N_NV = 1, PMAT_FIND_N_IV, PMAT_FIND_N_UV };
struct pmat_find_match {
    uint32_t sv; /* the SV the match is about (a lexical's variable after a redirect) */
    /* num */
    enum pmat_find_numkind numkind;
    double nv;
    uint64_t iv_uv; /* the integer (signed when numkind == IV) */
    /* io */
    int64_t ifileno, ofileno;
    int imatch, omatch; /* which file number equalled --fileno */
    /* lexical */
    uint32_t cv;
    int64_t depth; /* 1-based, 0 if the pad is not one of the CV's pads */
    int live;
    /* magic */
    char magic_type;
    uint32_t magic_obj, magic_ptr; /* or PMAT_NONE */
    /* blessed / struct: the name that matched */
    struct pmat_str name;
};

void pmat_find_init(struct pmat_find_filter *f, enum pmat_find_kind kind);
/* Parse a number the way Perl numifies a string (leading space, sign, digits,
 * fraction, exponent, Inf/NaN; trailing garbage ignored). */
void pmat_find_parse_number(const char *s, struct pmat_find_number *n);
/* Compile what needs compiling (pv patterns).  PMAT_OK, PMAT_EINVALID (a pattern PCRE2
 * refuses: err says why, as Perl's regex error reads) or PMAT_ENOMEM; err may be NULL.  On
 * failure nothing is left to release. */
int pmat_find_prepare(const struct pmat_heap *h, struct pmat_find_filter *f,
                      struct pmat_error *err);
/* Does sv pass the filter?  Fills *m (m->sv = sv or the redirected SV). */
int pmat_find_test(const struct pmat_heap *h, const struct pmat_find_filter *f, uint32_t sv,
                   struct pmat_find_match *m);
void pmat_find_release(struct pmat_find_filter *f);

#endif
