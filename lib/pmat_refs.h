/*
 * pmat_refs.h — the reference graph: every outgoing reference of every SV, with
 * Devel::MAT's name and strength, stored as CSR arrays in struct pmat_heap and
 * built once at load time; incoming references built on first use.
 *
 * Edge i of SV s is out_* [h->out_start[s] + i], in Devel::MAT's production
 * order (type-specific edges, then the bless package, then magic, then
 * annotations).  Only edges whose target resolves to an SV are stored.  The
 * name is not stored: it is derived from (kind, aux, source SV) by
 * pmat_ref_name(), so an edge costs 10 bytes.
 */
#ifndef PMAT_REFS_H
#define PMAT_REFS_H

#include "pmat_heap.h"

enum pmat_strength { PMAT_STRONG = 0, PMAT_WEAK = 1, PMAT_INDIRECT = 2, PMAT_INFERRED = 3 };

/* Strength sets for queries. */
enum {
    PMAT_SET_STRONG = 1 << PMAT_STRONG,
    PMAT_SET_DIRECT = (1 << PMAT_STRONG) | (1 << PMAT_WEAK),
    PMAT_SET_ALL = 0xF,
};

/* Reference kinds; the comment gives the name (aux meaning in brackets). */
enum pmat_ref_kind {
    PMAT_R_BLESS = 1,         /* the bless package */
    PMAT_R_MAGIC_OBJ,         /* 'T' magic object          [aux = type char] */
    PMAT_R_MAGIC_PTR,         /* 'T' magic pointer         [aux = type char] */
    PMAT_R_ANNOTATION,        /* annotation text           [aux = index into h->exts] */
    PMAT_R_GLOB_SCALAR,       /* the scalar */
    PMAT_R_GLOB_ARRAY,        /* the array */
    PMAT_R_GLOB_HASH,         /* the hash */
    PMAT_R_GLOB_CODE,         /* the code */
    PMAT_R_GLOB_IO,           /* the io */
    PMAT_R_GLOB_FORM,         /* the form */
    PMAT_R_GLOB_EGV,          /* the egv */
    PMAT_R_SAVED_SCALAR,      /* saved value of SCALAR slot */
    PMAT_R_SAVED_ARRAY,       /* saved value of ARRAY slot */
    PMAT_R_SAVED_HASH,        /* saved value of HASH slot */
    PMAT_R_SAVED_CODE,        /* saved value of CODE slot */
    PMAT_R_OUR_STASH,         /* the our stash */
    PMAT_R_REFERRANT,         /* the referrant */
    PMAT_R_ELEMENT,           /* element [i]               [aux = i] */
    PMAT_R_ELEMENT_VIA_RV,    /* element [i] via RV        [aux = i] */
    PMAT_R_SAVED_ELEMENT,     /* saved value of element [i] [aux = i] */
    PMAT_R_PADLIST_NAMES,     /* the padnames (PADLIST element 0, or CODE's padnames AV) */
    PMAT_R_PAD_AT_DEPTH,      /* pad at depth N            [aux = N] */
    PMAT_R_PADNAME,           /* padname [i]               [aux = i] */
    PMAT_R_PAD_ARGS,          /* the @_ av */
    PMAT_R_LEXICAL,           /* the lexical NAME / pad temporary N   [aux = padix] */
    PMAT_R_LEXICAL_VIA_RV,    /* ... via RV                           [aux = padix] */
    PMAT_R_BACKREFS_LIST,     /* the backrefs list */
    PMAT_R_BACKREF,           /* a backref */
    PMAT_R_HVALUE,            /* value {k}                 [aux = pair index] */
    PMAT_R_HVALUE_VIA_RV,     /* value {k} via RV          [aux = pair index] */
    PMAT_R_SAVED_HKEY,        /* a key for saved value */
    PMAT_R_SAVED_HVALUE,      /* saved value of value {k}  [aux = index into h->exts] */
    PMAT_R_MRO_ALL,           /* the mro linear all HV */
    PMAT_R_MRO_CURRENT,       /* the mro linear current */
    PMAT_R_MRO_NEXT,          /* the mro next::method */
    PMAT_R_MRO_ISA,           /* the mro ISA cache */
    PMAT_R_ADJUST_BLOCKS,     /* the ADJUST blocks AV */
    PMAT_R_SCOPE,             /* the scope */
    PMAT_R_CODE_STASH,        /* the stash */
    PMAT_R_CODE_GLOB,         /* the glob */
    PMAT_R_CONSTVAL,          /* the constant value */
    PMAT_R_PROTOSUB,          /* the protosub */
    PMAT_R_CONSTANT,          /* a constant */
    PMAT_R_REFGLOB,           /* a referenced glob */
    PMAT_R_PADLIST,           /* the padlist */
    PMAT_R_IO_TOP,            /* the top GV */
    PMAT_R_IO_FMT,            /* the format GV */
    PMAT_R_IO_BOTTOM,         /* the bottom GV */
    PMAT_R_LV_TARGET,         /* the target */
    PMAT_R_OBJ_FIELD,         /* the NAME field            [aux = field index] */
    PMAT_R_OBJ_FIELD_VIA_RV,  /* the NAME field via RV     [aux = field index] */
    PMAT_R_STRUCT_FIELD,      /* struct field name         [aux = field index] */
    PMAT_R_MAGIC2_AUXSV,      /* MagicV2 auxsv (strong unless WEAK_AUXSV) */
    PMAT_R_MAGIC2_KEYSV,      /* MagicV2 keysv */
    PMAT_R_MAGIC2_USERSTRUCT, /* MagicV2 userstruct */
    PMAT_R__COUNT
};

/* Number of outgoing references of sv, and the edge range [*first, *first + n). */
static inline uint64_t pmat_out_range(const struct pmat_heap *h, uint32_t sv, uint64_t *first)
{
    *first = h->out_start[sv];
    return h->out_start[sv + 1] - h->out_start[sv];
}

/* Is kind one of the "saved value" references `local` leaves?  Devel::MAT infers them
 * from the save stack and adds them whatever strength a query asks for (outrefs lists
 * them under any filter; an owned set follows them). */
static inline int pmat_ref_is_saved(uint8_t kind)
{
    switch (kind) {
    case PMAT_R_SAVED_SCALAR:
    case PMAT_R_SAVED_ARRAY:
    case PMAT_R_SAVED_HASH:
    case PMAT_R_SAVED_CODE:
    case PMAT_R_SAVED_ELEMENT:
    case PMAT_R_SAVED_HKEY:
    case PMAT_R_SAVED_HVALUE:
        return 1;
    default:
        return 0;
    }
}

/* Write the reference name of edge e (whose source is src) into buf (NUL-terminated,
 * truncated to n).  Returns the full length. */
size_t pmat_ref_name(const struct pmat_heap *h, uint32_t src, uint64_t e, char *buf, size_t n);

/* Strength marker letter used by outrefs/inrefs: s w i ~ */
char pmat_strength_char(enum pmat_strength s);

/* Build the incoming-reference index (idempotent).  0 on success, -1 on out of memory. */
int pmat_inrefs_build(struct pmat_heap *h);

/* Incoming edges of sv: range [h->in_start[sv], h->in_start[sv+1]); each entry gives the
 * source SV (h->in_source) and the edge index into out_* (h->in_edge).  Entries are grouped
 * by source in ascending source order, edges of one source in production order.
 * Note: PMAT_R_HVALUE_VIA_RV edges are *not* indexed (Devel::MAT 0.51 never reports them
 * as incoming; see docs/compat.md). */

#endif
