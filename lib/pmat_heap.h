/*
 * pmat_heap.h — loading a .pmat heap dump and the in-memory model of it.
 *
 * The model is a set of flat arrays ("struct of arrays") indexed by an SV
 * index 0..nsv-1.  Heap SVs are sorted by address, so index order is address
 * order and pmat_sv_at() is a binary search.  The three immortals (sv_undef,
 * sv_yes, sv_no) follow the heap at indices nsv, nsv+1, nsv+2: they are
 * addressable like any SV but are not part of "the heap" (not counted, not
 * iterated by find/count).
 *
 * Only what every command needs per SV is kept in arrays (address, kind,
 * flags, size, refcount, blessing, glob).  Everything else is decoded on
 * demand from the record in the mapped file (pmat_sv_record()), so memory
 * stays proportional to the SV count, not to the file size.
 *
 * Outgoing references of every SV are built at load time as CSR arrays (see
 * pmat_refs.h); incoming references on first use.
 *
 * The library never prints: errors come back as a message plus byte offset,
 * warnings and progress through callbacks.
 */
#ifndef PMAT_HEAP_H
#define PMAT_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define PMAT_NONE UINT32_MAX /* "no SV" in any u32 SV-index field */

/* What an SV is, after the fix-up pass (Devel::MAT's "type"). */
enum pmat_kind {
    PMAT_K_UNKNOWN = 0,
    PMAT_K_GLOB,
    PMAT_K_SCALAR, /* includes file type UNDEF (13) and scalars with no value */
    PMAT_K_REF,
    PMAT_K_ARRAY,
    PMAT_K_PADLIST,  /* an ARRAY re-classed by fix-up */
    PMAT_K_PADNAMES, /* an ARRAY re-classed by fix-up */
    PMAT_K_PAD,      /* an ARRAY re-classed by fix-up */
    PMAT_K_HASH,
    PMAT_K_STASH,
    PMAT_K_CODE,
    PMAT_K_IO,
    PMAT_K_LVALUE,
    PMAT_K_REGEXP,
    PMAT_K_FORMAT,
    PMAT_K_INVLIST,
    PMAT_K_BOOL, /* file types YES (14) / NO (15) */
    PMAT_K_OBJECT,
    PMAT_K_CLASS,
    PMAT_K_STRUCT, /* C_STRUCT, file type 0x7F */
    PMAT_K_IMM_UNDEF,
    PMAT_K_IMM_YES,
    PMAT_K_IMM_NO,
    PMAT_K__COUNT
};

/* File SV type bytes (the .pmat "type" of a record). */
enum pmat_ftype {
    PMAT_T_GLOB = 1,
    PMAT_T_SCALAR,
    PMAT_T_REF,
    PMAT_T_ARRAY,
    PMAT_T_HASH,
    PMAT_T_STASH,
    PMAT_T_CODE,
    PMAT_T_IO,
    PMAT_T_LVALUE,
    PMAT_T_REGEXP,
    PMAT_T_FORMAT,
    PMAT_T_INVLIST,
    PMAT_T_UNDEF,
    PMAT_T_YES,
    PMAT_T_NO,
    PMAT_T_OBJ,
    PMAT_T_CLASS,
    PMAT_T_STRUCT = 0x7F
};

/* SV extension record types (SVx, 0x80...) that the reader knows. */
enum {
    PMAT_X_MAGIC = 0x80,
    PMAT_X_SHARED_HEK = 0x89, /* format 0.6: a SCALAR's PV is a shared HEK */
    PMAT_X_MAGIC2 = 0x8A,     /* Devel::MAT::Dumper 0.52: MAGIC v2 */
};

/* Per-SV flag bits in heap->flags[] (meaning depends on kind). */
enum {
    /* SCALAR: the file's flag byte */
    PMAT_SF_IOK = 0x01,
    PMAT_SF_ISUV = 0x02,
    PMAT_SF_NOK = 0x04,
    PMAT_SF_POK = 0x08,
    PMAT_SF_UTF8 = 0x10,
    /* REF */
    PMAT_RF_WEAK = 0x01,
    /* ARRAY and its subtypes */
    PMAT_AF_UNREAL = 0x01,   /* !AvREAL (forced for backrefs lists) */
    PMAT_AF_BACKREFS = 0x02, /* is some hash's backrefs list */
    /* CODE: the file's flag byte */
    PMAT_CF_CLONE = 0x01,
    PMAT_CF_CLONED = 0x02,
    PMAT_CF_XSUB = 0x04,
    PMAT_CF_WEAKOUTSIDE = 0x08,
    PMAT_CF_CVGV_RC = 0x10,
    PMAT_CF_LEXICAL = 0x20,
    /* BOOL */
    PMAT_BF_YES = 0x01,
};

/* Bits in heap->marks[] (any kind). */
enum {
    PMAT_M_MORTAL = 0x01,
    PMAT_M_ROOT = 0x02,  /* has a root name (pmat_sv_rootname) */
    PMAT_M_MAGIC = 0x04, /* has at least one MAGIC record */
    PMAT_M_ANNOT = 0x08, /* has annotations (0x87) */
    PMAT_M_SAVED = 0x10, /* has SAVED_* records */
    PMAT_M_DEBUG = 0x20, /* has a DEBUGREPORT record */
};

/* A string inside the mapped file (never NUL-terminated). */
struct pmat_str {
    const uint8_t *ptr;
    uint64_t len;
    int defined; /* 0 for the "undef" STR */
};

struct pmat_root {
    struct pmat_str name; /* as in the file, e.g. "main_cv", "+the DMDTest root" */
    const char *desc;     /* display description without its +/- prefix */
    uint64_t addr;
    uint32_t sv; /* PMAT_NONE if NULL or not an SV */
    int strong;
    int known; /* name is one of the analyser's fixed root names */
};

enum pmat_ctx_type { PMAT_CTX_SUB = 1, PMAT_CTX_TRY = 2, PMAT_CTX_EVAL = 3 };

struct pmat_context {
    uint8_t type, gimme;
    uint64_t line;
    struct pmat_str file;
    uint64_t cv_addr, args_addr, codesv_addr;
    uint32_t cv, args, codesv; /* resolved, or PMAT_NONE */
    int64_t olddepth;          /* -1 when absent (format < 0.2) */
    int64_t depth;             /* reconstructed; -1 when unknown */
};

struct pmat_struct_field {
    struct pmat_str name;
    uint8_t type; /* 0 PTR, 1 BOOL, 2 U8, 3 U32, 4 UINT */
};

struct pmat_struct_type {
    uint64_t id;
    struct pmat_str name;
    uint32_t nfields;
    struct pmat_struct_field *fields;
};

/* An extension record attached to an SV (magic, saved, annotation, debug). */
struct pmat_ext {
    uint32_t sv;  /* the annotated SV */
    uint8_t type; /* file extension type byte (0x80 MAGIC ...) */
    uint64_t off; /* file offset of the record's first byte after the SV pointer */
};

struct pmat_sizes3 {
    uint8_t hdr, nptrs, nstrs;
};

struct pmat_heap {
    /* --- the file --- */
    char *path;
    const uint8_t *data; /* whole (decompressed) file */
    uint64_t len;
    int mapped_kind;  /* internal: how data was obtained */
    uint64_t touched; /* internal: bytes read since the mapping's pages were last dropped */

    /* --- header --- */
    uint8_t file_flags; /* header FLAGS byte */
    int big_endian, uint_len, ptr_len, nv_len, ithreads;
    uint8_t format_minor;
    uint32_t perlver; /* rev<<24 | ver<<16 | sub */
    struct pmat_sizes3 sv_sizes[256];
    int n_sv_sizes;
    struct pmat_sizes3 svx_sizes[128];
    int n_svx_sizes;
    struct pmat_sizes3 ctx_sizes[256];
    int n_ctx_sizes;

    /* --- SVs: heap indices [0, nsv), immortals at nsv + {0,1,2} --- */
    uint32_t nsv;    /* heap SVs */
    uint32_t ntotal; /* nsv + 3 */
    uint64_t *addr;
    uint64_t *rec; /* file offset of the record's type byte (0 for immortals) */
    uint64_t *size;
    uint32_t *refcnt;
    uint32_t *blessed; /* stash SV index or PMAT_NONE */
    uint32_t *glob_at; /* GLOB naming this SV (fix-up), or PMAT_NONE */
    uint8_t *kind;     /* enum pmat_kind */
    uint8_t *ftype;    /* enum pmat_ftype (file type byte) */
    uint8_t *flags;    /* kind-specific, see PMAT_*F_* */
    uint8_t *marks;    /* PMAT_M_* */
    uint64_t undef_addr, yes_addr, no_addr;

    /* --- roots, stack, contexts, mortals --- */
    struct pmat_root *roots;
    uint32_t nroots;
    uint32_t *root_by_sv; /* indexes of roots naming an SV, sorted by (sv, index) */
    uint32_t nroot_by_sv;
    uint64_t *stack_addr;
    uint32_t *stack; /* resolved (PMAT_NONE if unresolved) */
    uint64_t nstack;
    struct pmat_context *contexts;
    uint32_t ncontexts;
    uint64_t *mortal_addr;
    uint64_t nmortals;
    uint64_t mortal_floor;

    /* --- extension records, sorted by SV then file order --- */
    struct pmat_ext *exts;
    uint64_t nexts;
    uint64_t *ext_start; /* per SV (ntotal+1): range in exts; built at load */

    /* --- struct types (META_STRUCT) --- */
    struct pmat_struct_type *structs; /* every definition in file order (ids may repeat:
                                       * a redefinition applies to later records) */
    uint32_t nstructs;
    uint32_t *struct_sv, *struct_type; /* per STRUCT SV (sorted by SV): its definition */
    uint32_t nstruct_svs;

    /* --- CODE side table (see pmat_code()) --- */
    uint32_t *code_slot; /* per SV: index into codes[] or PMAT_NONE */
    struct pmat_code_info *codes;
    uint32_t ncodes;
    uint32_t *pool; /* u32 pool used by code info lists */
    uint64_t npool;
    struct pmat_padname *padnames; /* pool of pad names */
    uint64_t npadnames;

    /* PAD / PADNAMES / PADLIST -> owning CODE: parallel arrays sorted by SV */
    uint32_t *padcv_sv, *padcv_cv;
    uint32_t npadcv;

    /* --- outgoing references, CSR (pmat_refs.h) --- */
    uint64_t *out_start; /* ntotal + 1 */
    uint32_t *out_target;
    uint32_t *out_aux;
    uint8_t *out_kind; /* enum pmat_ref_kind */
    uint8_t *out_str;  /* enum pmat_strength */
    uint64_t nout;

    /* --- incoming references, built on demand (pmat_inrefs_build) --- */
    uint64_t *in_start;
    uint32_t *in_source; /* referrer SV index */
    uint64_t *in_edge;   /* index of the edge in the out_* arrays */
    uint64_t nin;
    uint32_t *root_strong_count, *root_weak_count, *stack_count; /* per SV */

    /* address lookup acceleration */
    uint32_t *bucket; /* nbucket+1 prefix table over (addr - addr_min) >> bucket_shift */
    uint32_t nbucket;
    int bucket_shift;
    uint64_t addr_min;

    /* caches owned by analyses (sizes, dominators, ...), released by pmat_free */
    struct pmat_cache {
        void *ptr;
        void (*free_fn)(void *);
    } caches[8];

    /* warnings collected while loading ("Skipping unrecognised SVx 0x89", ...) */
    char **warnings;
    uint32_t nwarnings;
};

/* A pad name of a CODE (perl >= 5.18 from the file; older from PADNAMES AV). */
struct pmat_padname {
    struct pmat_str name; /* undefined or empty = no name */
    uint64_t ourstash_addr;
    uint16_t flags; /* 0x01 OUTER 0x02 STATE 0x04 LVALUE 0x08 TYPED 0x10 OUR 0x100 FIELD */
    uint64_t fieldix;
    uint64_t fieldstash_addr;
};

enum {
    PMAT_PN_OUTER = 0x01,
    PMAT_PN_STATE = 0x02,
    PMAT_PN_LVALUE = 0x04,
    PMAT_PN_TYPED = 0x08,
    PMAT_PN_OUR = 0x10,
    PMAT_PN_FIELD = 0x100
};

/* Everything a CODE's body sub-records and fix-up say.  Lists live in heap->pool. */
struct pmat_code_info {
    uint32_t sv;
    uint64_t line, oproot_addr;
    uint64_t name_hek; /* format 0.6: address of the name's shared HEK, else 0 */
    int64_t depth;     /* -1 if the header lacks it */
    uint32_t stash, glob, outside, padlist, constval; /* resolved or PMAT_NONE */
    uint32_t padnames_av;                             /* PADNAMES SV or PMAT_NONE */
    uint32_t protosub;                                /* or PMAT_NONE */
    struct pmat_str file, hekname;
    /* pads by depth: pads[d-1] is the pad at depth d (PMAT_NONE if missing) */
    uint64_t pads_off;
    uint32_t npads;
    /* constants / referenced globs (resolved; PMAT_NONE where missing) */
    uint64_t consts_off, globrefs_off;
    uint32_t nconsts, nglobrefs;
    /* pad slot indexes of CONSTIX / GVIX records (threaded perls), for PAD labels */
    uint64_t constix_off, gvix_off;
    uint32_t nconstix, ngvix;
    /* pad names: padnames[padix] for padix < npadnames */
    uint64_t padnames_off;
    uint32_t npadnames;
};

/* The library's status codes (docs/design.md "Errors"): a fallible function returns 0
 * or one of these, and gives its values through out-parameters.  PMAT_ENOMEM is -1 and
 * PMAT_ECANCELLED -2, the values the older -1 / -2 returns already had. */
enum pmat_status {
    PMAT_OK = 0,
    PMAT_ENOMEM = -1,     /* out of memory */
    PMAT_ECANCELLED = -2, /* the caller's cancel callback asked to stop */
    PMAT_EINVALID = -3,   /* an argument the function cannot take */
    PMAT_EFORMAT = -4,    /* the dump is malformed */
    PMAT_EIO = -5,        /* reading the file failed */
};

/* Loader error: message and byte offset into the (decompressed) stream. */
struct pmat_error {
    char msg[4096]; /* room for a message naming a long symbol in full */
    uint64_t offset;
    int has_offset;
};

/* Fill *err (when not NULL) with a message and no offset; returns status, so a failing
 * function can end with `return pmat_error_set(err, PMAT_EINVALID, "...", ...)`. */
int pmat_error_set(struct pmat_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

typedef void (*pmat_progress_fn)(void *ud, const char *stage, uint64_t done, uint64_t total);

struct pmat_load_opts {
    pmat_progress_fn progress; /* may be NULL */
    void *progress_ud;
    uint64_t max_decompressed; /* refuse .gz/.zst data inflating beyond this; 0 = no limit */
    unsigned flags;            /* PMAT_LOAD_* */
    /* called as each loading phase begins ("parse", "sort", ...) and with "done" at the
     * end, so a caller can time them (pmat's PMAT_TIMING); may be NULL */
    void (*phase)(void *ud, const char *name);
};

/* PMAT_LOAD_MINIMAL: parse and index the SVs only; skip the fix-up pass and the reference
 * graph (for tools that need just addresses and kinds of many dumps, pmat-leakreport).
 * Valid then: the SV arrays (kind before fix-up: PAD/PADLIST/PADNAMES still ARRAY, which
 * pmat_basetype() does not distinguish anyway; glob_at unset), roots, stack, contexts
 * (without depths), extension records and the record decoders except pmat_code() (NULL).
 * Not valid: pmat_code, pmat_padcv, out_* and anything built on them (inrefs, sizes, ...).
 * pmat_desc() is right for every kind but CODE and the ARRAY family. */
enum { PMAT_LOAD_MINIMAL = 1 };

/* Load a dump (plain, .gz or .zst, detected by magic).  NULL on failure with *err filled. */
struct pmat_heap *pmat_load(const char *path, const struct pmat_load_opts *opts,
                            struct pmat_error *err);
/* Load a dump held in memory (plain, gzip or zstd).  A plain dump is used in place:
 * buf must stay valid and unchanged until pmat_free().  name is used as h->path. */
struct pmat_heap *pmat_load_mem(const void *buf, size_t len, const char *name,
                                const struct pmat_load_opts *opts, struct pmat_error *err);
void pmat_free(struct pmat_heap *h);

/* SV index for an address (heap or immortal), PMAT_NONE if none.  0 -> PMAT_NONE. */
uint32_t pmat_sv_at(const struct pmat_heap *h, uint64_t addr);

static inline int pmat_is_immortal(const struct pmat_heap *h, uint32_t sv)
{
    return sv >= h->nsv && sv != PMAT_NONE;
}

/* Root name of an SV ("defstash", ...) or NULL. */
const struct pmat_root *pmat_sv_root(const struct pmat_heap *h, uint32_t sv);
/* The fixed-table root with that name (e.g. "defstash"), NULL if name unknown to the
 * analyser's table; *present set when the file has it with a non-NULL pointer. */
const struct pmat_root *pmat_root_by_name(const struct pmat_heap *h, const char *name);
int pmat_is_known_root_name(const char *name);

/* "5.36.0" */
void pmat_perlversion(const struct pmat_heap *h, char *buf, size_t n);

/* ---- decoding a record on demand ---- */

#define PMAT_MAX_PTRS 32
#define PMAT_MAX_STRS 8

/* The generic groups of an SV record: common + type part, as the file declares them. */
struct pmat_record {
    uint8_t ftype;
    const uint8_t *hdr; /* type-part header bytes (after the common part) */
    uint32_t hdrlen;
    uint64_t ptrs[PMAT_MAX_PTRS]; /* type-part pointers (missing ones are 0) */
    uint32_t nptrs;
    struct pmat_str strs[PMAT_MAX_STRS]; /* type-part strings (missing ones undefined) */
    uint32_t nstrs;
    uint64_t body; /* file offset where the body (if any) starts */
};

/* Decode SV i's record.  Returns 0 on success. Immortals return -1. */
int pmat_sv_record(const struct pmat_heap *h, uint32_t sv, struct pmat_record *r);

/* Integer readers honouring the file's endianness/widths (offset must be in range). */
uint64_t pmat_rd_uint(const struct pmat_heap *h, uint64_t off);
uint64_t pmat_rd_ptr(const struct pmat_heap *h, uint64_t off);
uint32_t pmat_rd_u32(const struct pmat_heap *h, uint64_t off);
uint64_t pmat_rd_uint_mem(const struct pmat_heap *h, const uint8_t *p);
uint64_t pmat_rd_ptr_mem(const struct pmat_heap *h, const uint8_t *p);
uint32_t pmat_rd_u32_mem(const struct pmat_heap *h, const uint8_t *p);
double pmat_rd_nv_mem(const struct pmat_heap *h, const uint8_t *p); /* long double -> double */

/* ---- typed views (decoded from the record) ---- */

struct pmat_scalar {
    uint8_t flags;
    uint64_t uv; /* the integer field (signed when has_iv) */
    double nv;
    uint64_t pvlen;
    struct pmat_str pv; /* defined iff POK */
    uint64_t ourstash_addr;
    /* which values are present: an integer is an IV unless perl flagged it UV (the
     * reverse of Devel::MAT 0.51's naming, docs/compat.md); the immortals YES/NO
     * report every value, BOOLs report uv 1/0 */
    int has_uv, has_iv, has_nv, has_pv;
};
int pmat_scalar(const struct pmat_heap *h, uint32_t sv, struct pmat_scalar *s);

struct pmat_glob {
    uint64_t line;
    uint64_t stash, scalar, array, hash, code, egv, io, form; /* raw addresses */
    struct pmat_str name, file;
    uint64_t name_hek; /* format 0.6: address of the name's shared HEK, else 0 */
};
int pmat_glob(const struct pmat_heap *h, uint32_t sv, struct pmat_glob *g);

struct pmat_ref {
    uint64_t rv, ourstash;
    int weak;
};
int pmat_ref(const struct pmat_heap *h, uint32_t sv, struct pmat_ref *r);

/* ARRAY (and subtypes): element count and element addresses read from the body. */
uint64_t pmat_array_count(const struct pmat_heap *h, uint32_t sv);
uint64_t pmat_array_elem(const struct pmat_heap *h, uint32_t sv, uint64_t i); /* raw address */

/* HASH / STASH / CLASS */
struct pmat_hash {
    uint64_t count;
    uint64_t backrefs;
    uint64_t body; /* offset of first (key, value) pair */
    /* STASH extras */
    uint64_t mro_linear_all, mro_linear_current, mro_nextmethod, mro_isa;
    struct pmat_str name;
    uint64_t adjust_blocks; /* CLASS */
};
int pmat_hash(const struct pmat_heap *h, uint32_t sv, struct pmat_hash *hv);
/* The number of distinct keys (by bytes) of a HASH/STASH: what HASH(N) shows.  Keys
 * are written without perl's UTF-8 flag, so two keys perl tells apart ("\x{263a}" and
 * "\xe2\x98\xba"; in PL_strtab a key held plain and "was UTF-8") can occur twice with
 * the same bytes among hv.count pairs; Devel::MAT keeps one of them (the last written).
 * Computed on first use per hash and cached. */
uint64_t pmat_hash_nkeys(const struct pmat_heap *h, uint32_t sv);
/* Iterate pairs in file order: *pos starts at hv->body; returns 0 at end. */
int pmat_hash_next(const struct pmat_heap *h, const struct pmat_hash *hv, uint64_t *pos,
                   uint64_t *done, struct pmat_str *key, uint64_t *value);
/* The same, also giving the key's shared HEK address (format 0.6; 0 before). */
int pmat_hash_next_hek(const struct pmat_heap *h, const struct pmat_hash *hv, uint64_t *pos,
                       uint64_t *done, struct pmat_str *key, uint64_t *hek, uint64_t *value);
/* SCALAR whose PV is a shared HEK (SVx 0x89, format 0.6): the HEK's address, else 0. */
uint64_t pmat_sv_shared_hek(const struct pmat_heap *h, uint32_t sv);
/* The i-th pair (file order), O(i). */
int pmat_hash_pair(const struct pmat_heap *h, uint32_t sv, uint64_t i, struct pmat_str *key,
                   uint64_t *value);

/* CODE: the side-table record (NULL if sv is not a CODE). */
const struct pmat_code_info *pmat_code(const struct pmat_heap *h, uint32_t sv);
static inline const uint32_t *pmat_pool(const struct pmat_heap *h, uint64_t off)
{
    return h->pool + off;
}
/* The pad name at padix of a CODE (NULL if none or the name is empty). */
const struct pmat_padname *pmat_code_padname(const struct pmat_heap *h,
                                             const struct pmat_code_info *c, uint64_t padix);
/* The PAD at depth d (1-based) or PMAT_NONE. */
uint32_t pmat_code_pad(const struct pmat_heap *h, const struct pmat_code_info *c, uint64_t d);
/* For a PAD/PADNAMES/PADLIST, the CODE it belongs to (PMAT_NONE if none). */
uint32_t pmat_padcv(const struct pmat_heap *h, uint32_t sv);

struct pmat_io {
    uint64_t ifileno, ofileno; /* all-ones = -1 */
    int has_ifileno, has_ofileno;
    uint64_t top_gv, fmt_gv, bottom_gv;
};
int pmat_io(const struct pmat_heap *h, uint32_t sv, struct pmat_io *io);

struct pmat_lvalue {
    char type;
    uint64_t off, len, targ;
};
int pmat_lvalue(const struct pmat_heap *h, uint32_t sv, struct pmat_lvalue *lv);

/* C_STRUCT: type and field values (ptrs as addresses; numbers as values). */
const struct pmat_struct_type *pmat_struct_type_of(const struct pmat_heap *h, uint32_t sv);
int pmat_struct_field(const struct pmat_heap *h, uint32_t sv, uint32_t field, uint64_t *value);

/* OBJECT (format 0.5): field count and i-th field address. */
uint64_t pmat_object_count(const struct pmat_heap *h, uint32_t sv);
uint64_t pmat_object_field(const struct pmat_heap *h, uint32_t sv, uint64_t i);

/* ---- extension records ---- */
struct pmat_magic {
    char type;
    uint8_t flags; /* 0x01 refcounted */
    uint64_t obj, ptr, vtbl;
    int has_vtbl;
};
/* MAGIC v2 (SVx 0x8A, Devel::MAT::Dumper 0.52). */
struct pmat_magic2 {
    uint8_t shape, flags; /* flags 0x01 WEAK_AUXSV, 0x02 HAS_KEYIV */
    uint16_t priv;
    uint64_t ptrlen, keyiv;
    uint64_t funcs, auxsv, ptr, keysv, userstruct;
};
int pmat_ext_magic2(const struct pmat_heap *h, const struct pmat_ext *e, struct pmat_magic2 *m);
/* Iterate SV's extension records of one type (0 = all) : returns count, fills up to max. */
uint64_t pmat_exts_of(const struct pmat_heap *h, uint32_t sv, const struct pmat_ext **first);
int pmat_ext_magic(const struct pmat_heap *h, const struct pmat_ext *e, struct pmat_magic *m);
/* SAVED_* (0x81..0x86): index (AELEM), ptrs[0], ptrs[1] (HELEM value). */
int pmat_ext_saved(const struct pmat_heap *h, const struct pmat_ext *e, uint64_t *index,
                   uint64_t *p0, uint64_t *p1);
/* Annotation (0x87): target address and text. */
int pmat_ext_annotation(const struct pmat_heap *h, const struct pmat_ext *e, uint64_t *target,
                        struct pmat_str *text);
/* DEBUGREPORT (0x88) */
int pmat_ext_debug(const struct pmat_heap *h, const struct pmat_ext *e, uint64_t *serial,
                   uint64_t *line, struct pmat_str *file);

/* Analysis caches: slot numbers, so analyses don't collide. */
enum {
    PMAT_CACHE_SIZES = 0,
    PMAT_CACHE_REACH,
    PMAT_CACHE_DOM,
    PMAT_CACHE_MISC,
    PMAT_CACHE_HASHPOS,  /* record.c: pmat_hash_pair's cursor */
    PMAT_CACHE_HASHKEYS, /* record.c: pmat_hash_nkeys's counts */
    PMAT_CACHE_STRTAB    /* strtab.c: the HEK users */
};

#endif
