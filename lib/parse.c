/*
 * parse.c — the parse pass: one forward walk over a .pmat byte stream (header,
 * roots, stack, heap records, contexts, optional mortals) into the flat arrays of
 * pmat_heap.h, then the radix sort by address and the indexes over it.
 *
 *   - Per SV record we append its address, record offset, size, refcount, blessing
 *     address, type and flag byte to growable arrays, and note extension records
 *     (magic, saved, annotations) and CODE records for the later passes.  Nothing
 *     is copied out of the mapping: strings are offsets into it.  Every count read
 *     from the file is checked against the bytes that remain before it is used, so
 *     a hostile count can never cause a large allocation.
 *   - A radix sort by address gives each SV its final index; a later record with
 *     the same address replaces an earlier one, as in Devel::MAT.
 *
 * Errors unwind with longjmp to pmat__parse(), which frees its scratch and returns
 * the message with the byte offset at which it happened.
 */
#include "pmat_heap.h"
#include "bytes.h"
#include "load_internal.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* parse state and primitives                                                */

struct parser {
    struct pmat_heap *h;
    const uint8_t *d;
    uint64_t len, pos;
    jmp_buf jb;
    struct pmat_error *err;
    const struct pmat_load_opts *opts;

    /* per-SV arrays in file order, grown geometrically */
    uint64_t n, cap;
    uint64_t *addr, *rec, *size, *blessed;
    uint32_t *refcnt;
    uint8_t *ftype, *flags;
    /* finalize_svs: buffers emptied by the sort and the gathers, reused for the next
     * array instead of freeing and allocating fresh (zero-filled) memory each time */
    uint64_t *spare8;
    uint32_t *spare4, *perm;

    /* extension records in file order (sv field holds nothing yet) */
    struct pmat_ext *exts;
    uint64_t *ext_addr;
    uint64_t next, extcap;

    uint64_t structcap;
    uint64_t next_progress;

    /* hash indexes (open addressing, slot = index + 1, 0 = empty) so that hostile
     * files with very many roots or struct types stay linear */
    uint32_t *root_tab, *sid_tab; /* root name -> h->roots; struct id -> latest h->structs */
    uint64_t root_tabcap, sid_tabcap, rootcap;
    struct pmat_struct_field *pending_fields; /* META_STRUCT being read (freed on error) */
    int warned_class;                         /* the class-features warning was given */
    uint8_t warned_svx[128];                  /* unknown SVx types already warned about */
};

static uint64_t hash_bytes(const uint8_t *p, uint64_t n)
{
    uint64_t x = 0xcbf29ce484222325ull;
    for (uint64_t i = 0; i < n; i++)
        x = (x ^ p[i]) * 0x100000001b3ull;
    return x ^ (x >> 29);
}

static uint64_t hash_u64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    return x ^ (x >> 33);
}

static void fail_at(struct parser *p, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
static void fail_at(struct parser *p, uint64_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
    p->err->offset = off;
    p->err->has_offset = 1;
    longjmp(p->jb, 1);
}

static void *xrealloc(struct parser *p, void *ptr, size_t n)
{
    void *q = realloc(ptr, n ? n : 1);
    if (!q) fail_at(p, p->pos, "out of memory");
    return q;
}

/* Ensure n more bytes are available at the cursor. */
static inline void need(struct parser *p, uint64_t n, const char *what)
{
    if (n > p->len - p->pos) fail_at(p, p->pos, "unexpected end of file reading %s", what);
}

static inline uint8_t rd_u8(struct parser *p, const char *what)
{
    need(p, 1, what);
    return p->d[p->pos++];
}

static inline uint64_t rd_uint(struct parser *p, const char *what)
{
    need(p, p->h->uint_len, what);
    uint64_t v = bytes_uint(p->h, p->d + p->pos);
    p->pos += p->h->uint_len;
    return v;
}

static inline uint64_t rd_ptr(struct parser *p, const char *what)
{
    need(p, p->h->ptr_len, what);
    uint64_t v = bytes_ptr(p->h, p->d + p->pos);
    p->pos += p->h->ptr_len;
    return v;
}

static inline uint32_t rd_u32(struct parser *p, const char *what)
{
    need(p, 4, what);
    uint32_t v = bytes_u32(p->h, p->d + p->pos);
    p->pos += 4;
    return v;
}

static inline uint64_t minus_one(const struct pmat_heap *h)
{
    return h->uint_len == 8 ? UINT64_MAX : UINT32_MAX;
}

/* Read a STR: UINT length (all-ones = undef) then the bytes. */
static struct pmat_str rd_str(struct parser *p, const char *what)
{
    struct pmat_str s = {0, 0, 0};
    uint64_t len = rd_uint(p, what);
    if (len == minus_one(p->h)) return s;
    need(p, len, what);
    s.ptr = p->d + p->pos;
    s.len = len;
    s.defined = 1;
    p->pos += len;
    return s;
}

static void skip_strs(struct parser *p, unsigned n, const char *what)
{
    for (unsigned i = 0; i < n; i++)
        rd_str(p, what);
}

/* ------------------------------------------------------------------------ */
/* header                                                                     */

static void read_sizes(struct parser *p, struct pmat_sizes3 *tab, int *n, int max, const char *what)
{
    int cnt = rd_u8(p, what);
    need(p, (uint64_t)cnt * 3, what);
    for (int i = 0; i < cnt; i++) {
        if (i < max) {
            tab[i].hdr = p->d[p->pos];
            tab[i].nptrs = p->d[p->pos + 1];
            tab[i].nstrs = p->d[p->pos + 2];
        }
        p->pos += 3;
    }
    *n = cnt < max ? cnt : max;
}

static void read_header(struct parser *p)
{
    struct pmat_heap *h = p->h;
    need(p, 4, "the header");
    if (memcmp(p->d, "PMAT", 4) != 0) fail_at(p, 0, "File magic signature not found");
    p->pos = 4;
    uint8_t flags = rd_u8(p, "the header");
    h->file_flags = flags;
    h->big_endian = flags & 0x01;
    h->uint_len = (flags & 0x02) ? 8 : 4;
    h->ptr_len = (flags & 0x04) ? 8 : 4;
    h->nv_len = (flags & 0x08) ? 10 : 8;
    h->ithreads = !!(flags & 0x10);
    if (flags & ~0x1f) fail_at(p, 4, "unrecognised flags %x", flags & ~0x1f);
    if (rd_u8(p, "the header") != 0) fail_at(p, 5, "'zero' header field is not zero");
    if (rd_u8(p, "the header") != 0) fail_at(p, 6, "format version major unrecognised");
    h->format_minor = rd_u8(p, "the header");
    if (h->format_minor > 6)
        fail_at(p, 7, "format version minor unrecognised (%d)", h->format_minor);
    if (h->format_minor < 1)
        pmat__warn(h, "Loading an earlier format of dumpfile - SV MAGIC annotations may be "
                      "incorrect");
    h->perlver = rd_u32(p, "the header");
    read_sizes(p, h->sv_sizes, &h->n_sv_sizes, 256, "the SV size table");
    if (h->format_minor >= 4) {
        read_sizes(p, h->svx_sizes, &h->n_svx_sizes, 128, "the SV extension size table");
    } else {
        h->svx_sizes[0] = (struct pmat_sizes3){2, 2, 0};
        h->n_svx_sizes = 1;
    }
    if (h->format_minor >= 2)
        read_sizes(p, h->ctx_sizes, &h->n_ctx_sizes, 256, "the context size table");
    if (h->n_sv_sizes < 1) fail_at(p, p->pos, "SV size table has no common entry");
}

/* ------------------------------------------------------------------------ */
/* roots and stack                                                           */

/* Root names Devel::MAT knows, with its description; '+' strong, '-' weak. */
static const struct {
    const char *name, *desc;
} root_table[] = {
    {"sv_undef", "+the undef SV"},
    {"sv_yes", "+the true SV"},
    {"sv_no", "+the false SV"},
    {"main_cv", "+the main code"},
    {"defstash", "+the default stash"},
    {"mainstack", "+the main stack AV"},
    {"beginav", "+the BEGIN list"},
    {"checkav", "+the CHECK list"},
    {"unitcheckav", "+the UNITCHECK list"},
    {"initav", "+the INIT list"},
    {"endav", "+the END list"},
    {"strtab", "+the shared string table HV"},
    {"envgv", "-the ENV GV"},
    {"incgv", "+the INC GV"},
    {"statgv", "+the stat GV"},
    {"statname", "+the statname SV"},
    {"tmpsv", "-the temporary SV"},
    {"defgv", "+the default GV"},
    {"argvgv", "-the ARGV GV"},
    {"argvoutgv", "+the argvout GV"},
    {"argvout_stack", "+the argvout stack AV"},
    {"errgv", "+the *@ GV"},
    {"fdpidav", "+the FD-to-PID mapping AV"},
    {"preambleav", "+the compiler preamble AV"},
    {"modglobalhv", "+the module data globals HV"},
    {"regex_padav", "+the REGEXP pad AV"},
    {"sortstash", "+the sort stash"},
    {"firstgv", "-the *a GV"},
    {"secondgv", "-the *b GV"},
    {"debstash", "-the debugger stash"},
    {"stashcache", "+the stash cache"},
    {"isarev", "+the reverse map of @ISA dependencies"},
    {"registered_mros", "+the registered MROs HV"},
    {"rs", "+the IRS"},
    {"last_in_gv", "+the last input GV"},
    {"ofsgv", "+the OFS GV"},
    {"defoutgv", "+the default output GV"},
    {"hintgv", "-the hints (%^H) GV"},
    {"patchlevel", "+the patch level"},
    {"apiversion", "+the API version"},
    {"e_script", "+the '-e' script"},
    {"mess_sv", "+the message SV"},
    {"ors_sv", "+the ORS SV"},
    {"encoding", "+the encoding"},
    {"blockhooks", "+the block hooks"},
    {"custom_ops", "+the custom ops HV"},
    {"custom_op_names", "+the custom op names HV"},
    {"custom_op_descs", "+the custom op descriptions HV"},
    {"Latin1", "+the Latin1"},
    {"UpperLatin1", "+the UpperLatin1"},
    {"AboveLatin1", "+the AboveLatin1"},
    {"NonL1NonFinalFold", "+the NonL1NonFinalFold"},
    {"HasMultiCharFold", "+the HasMultiCharFold"},
    {"utf8_mark", "+the utf8_mark"},
    {"utf8_X_regular_begin", "+the utf8_X_regular_begin"},
    {"utf8_X_extend", "+the utf8_X_extend"},
    {"utf8_toupper", "+the utf8_toupper"},
    {"utf8_totitle", "+the utf8_totitle"},
    {"utf8_tolower", "+the utf8_tolower"},
    {"utf8_tofold", "+the utf8_tofold"},
    {"utf8_charname_begin", "+the utf8_charname_begin"},
    {"utf8_charname_continue", "+the utf8_charname_continue"},
    {"utf8_idstart", "+the utf8_idstart"},
    {"utf8_idcont", "+the utf8_idcont"},
    {"utf8_xidstart", "+the utf8_xidstart"},
    {"utf8_perl_idstart", "+the utf8_perl_idstart"},
    {"utf8_perl_idcont", "+the utf8_perl_idcont"},
    {"utf8_xidcont", "+the utf8_xidcont"},
    {"utf8_foldclosures", "+the utf8_foldclosures"},
    {"utf8_foldable", "+the utf8_foldable"},
};

int pmat_is_known_root_name(const char *name)
{
    for (size_t i = 0; i < sizeof root_table / sizeof root_table[0]; i++)
        if (strcmp(root_table[i].name, name) == 0) return 1;
    return 0;
}

static int str_eq(struct pmat_str s, const char *c)
{
    size_t n = strlen(c);
    return s.defined && s.len == n && memcmp(s.ptr, c, n) == 0;
}

/* Add (or replace, by name: roots are a hash in Devel::MAT) a root. */
static void add_root(struct parser *p, struct pmat_str name, uint64_t addr)
{
    struct pmat_heap *h = p->h;
    const char *desc = NULL;
    int known = 0;
    for (size_t i = 0; i < sizeof root_table / sizeof root_table[0]; i++)
        if (str_eq(name, root_table[i].name)) {
            desc = root_table[i].desc, known = 1;
            break;
        }
    char *owned = NULL;
    int strong = 1;
    if (desc) {
        strong = desc[0] == '+';
        desc++;
    } else {
        /* unknown root: the name itself, strong unless it starts with '-' */
        size_t n = name.defined ? name.len : 0;
        owned = xrealloc(p, NULL, n + 1);
        if (n) memcpy(owned, name.ptr, n);
        owned[n] = 0;
        if (n && (owned[0] == '+' || owned[0] == '-')) {
            strong = owned[0] == '+';
            memmove(owned, owned + 1, n);
        }
        desc = owned;
    }
    struct pmat_root nr = {name, desc, addr, PMAT_NONE, strong, known};
    if (h->nroots == p->rootcap) {
        uint64_t nc = p->rootcap ? p->rootcap * 2 : 128;
        struct pmat_root *r = realloc(h->roots, nc * sizeof *r);
        if (!r) {
            free(owned);
            fail_at(p, p->pos, "out of memory");
        }
        h->roots = r, p->rootcap = nc;
    }
    if ((uint64_t)(h->nroots + 1) * 2 > p->root_tabcap) { /* rehash into a bigger table */
        uint64_t nc = p->root_tabcap ? p->root_tabcap * 2 : 256;
        uint32_t *t = calloc(nc, 4);
        if (!t) {
            free(owned);
            fail_at(p, p->pos, "out of memory");
        }
        for (uint32_t i = 0; i < h->nroots; i++) {
            struct pmat_str o = h->roots[i].name;
            uint64_t k = hash_bytes(o.ptr, o.len) & (nc - 1);
            while (t[k])
                k = (k + 1) & (nc - 1);
            t[k] = i + 1;
        }
        free(p->root_tab);
        p->root_tab = t, p->root_tabcap = nc;
    }
    uint64_t m = p->root_tabcap - 1, k = hash_bytes(name.ptr, name.len) & m;
    for (; p->root_tab[k]; k = (k + 1) & m) {
        struct pmat_root *o = &h->roots[p->root_tab[k] - 1];
        if (o->name.len == name.len && (!name.len || !memcmp(o->name.ptr, name.ptr, name.len))) {
            if (!o->known) free((char *)o->desc);
            *o = nr;
            return;
        }
    }
    p->root_tab[k] = h->nroots + 1;
    h->roots[h->nroots++] = nr;
}

static void read_roots_and_stack(struct parser *p)
{
    struct pmat_heap *h = p->h;
    h->undef_addr = rd_ptr(p, "the immortal SVs");
    h->yes_addr = rd_ptr(p, "the immortal SVs");
    h->no_addr = rd_ptr(p, "the immortal SVs");
    static const uint8_t n_undef[] = "sv_undef", n_yes[] = "sv_yes", n_no[] = "sv_no";
    add_root(p, (struct pmat_str){n_undef, 8, 1}, h->undef_addr);
    add_root(p, (struct pmat_str){n_yes, 6, 1}, h->yes_addr);
    add_root(p, (struct pmat_str){n_no, 5, 1}, h->no_addr);

    uint64_t at = p->pos;
    uint32_t nroots = rd_u32(p, "the root count");
    if ((uint64_t)nroots * (uint64_t)(h->uint_len + h->ptr_len) > p->len - p->pos)
        fail_at(p, at, "root count %u is larger than the file", nroots);
    for (uint32_t i = 0; i < nroots; i++) {
        struct pmat_str name = rd_str(p, "a root name");
        uint64_t addr = rd_ptr(p, "a root pointer");
        add_root(p, name, addr);
    }

    at = p->pos;
    uint64_t n = rd_uint(p, "the stack size");
    if (n > (p->len - p->pos) / (uint64_t)h->ptr_len)
        fail_at(p, at, "stack size %llu is larger than the file", (unsigned long long)n);
    h->nstack = n;
    h->stack_addr = xrealloc(p, NULL, n * sizeof(uint64_t));
    for (uint64_t i = 0; i < n; i++)
        h->stack_addr[i] = rd_ptr(p, "the stack");
}

/* ------------------------------------------------------------------------ */
/* heap records                                                              */

static void grow_svs(struct parser *p)
{
    if (p->n < p->cap) return;
    uint64_t nc = p->cap ? p->cap * 2 : 1024; /* small first: tiny files are common in tests */
    if (nc > (uint64_t)UINT32_MAX - 8) {
        if (p->cap >= (uint64_t)UINT32_MAX - 8) fail_at(p, p->pos, "too many SVs");
        nc = (uint64_t)UINT32_MAX - 8;
    }
    p->addr = xrealloc(p, p->addr, nc * 8);
    p->rec = xrealloc(p, p->rec, nc * 8);
    p->size = xrealloc(p, p->size, nc * 8);
    p->blessed = xrealloc(p, p->blessed, nc * 8);
    p->refcnt = xrealloc(p, p->refcnt, nc * 4);
    p->ftype = xrealloc(p, p->ftype, nc);
    p->flags = xrealloc(p, p->flags, nc);
    p->cap = nc;
}

static void add_ext(struct parser *p, uint8_t type, uint64_t sv_addr, uint64_t off)
{
    if (p->next == p->extcap) {
        p->extcap = p->extcap ? p->extcap * 2 : 1024;
        p->exts = xrealloc(p, p->exts, p->extcap * sizeof *p->exts);
        p->ext_addr = xrealloc(p, p->ext_addr, p->extcap * 8);
    }
    p->exts[p->next] = (struct pmat_ext){PMAT_NONE, type, off};
    p->ext_addr[p->next++] = sv_addr;
}

/* Skip the declared groups of a record part. */
static void skip_groups(struct parser *p, const struct pmat_sizes3 *s, const char *what)
{
    need(p, s->hdr, what);
    p->pos += s->hdr;
    need(p, (uint64_t)s->nptrs * p->h->ptr_len, what);
    p->pos += (uint64_t)s->nptrs * p->h->ptr_len;
    skip_strs(p, s->nstrs, what);
}

/* The latest definition of struct type id so far: index into h->structs or PMAT_NONE. */
static uint32_t struct_by_id(const struct parser *p, uint64_t id)
{
    if (!p->sid_tabcap) return PMAT_NONE;
    for (uint64_t m = p->sid_tabcap - 1, i = hash_u64(id) & m;; i = (i + 1) & m) {
        uint32_t v = p->sid_tab[i];
        if (!v) return PMAT_NONE;
        if (p->h->structs[v - 1].id == id) return v - 1;
    }
}

static void struct_index_set(struct parser *p, uint64_t id, uint32_t idx)
{
    struct pmat_heap *h = p->h;
    if ((uint64_t)h->nstructs * 2 > p->sid_tabcap) { /* keep the load factor <= 1/2 */
        uint64_t nc = p->sid_tabcap ? p->sid_tabcap * 2 : 16;
        uint32_t *t = calloc(nc, 4);
        if (!t) fail_at(p, p->pos, "out of memory");
        for (uint64_t k = 0; k < p->sid_tabcap; k++) {
            uint32_t v = p->sid_tab[k];
            if (!v) continue;
            uint64_t i = hash_u64(h->structs[v - 1].id) & (nc - 1);
            while (t[i])
                i = (i + 1) & (nc - 1);
            t[i] = v;
        }
        free(p->sid_tab);
        p->sid_tab = t, p->sid_tabcap = nc;
    }
    uint64_t m = p->sid_tabcap - 1, i = hash_u64(id) & m;
    while (p->sid_tab[i] && h->structs[p->sid_tab[i] - 1].id != id)
        i = (i + 1) & m;
    p->sid_tab[i] = idx + 1;
}

static void read_meta_struct(struct parser *p)
{
    struct pmat_heap *h = p->h;
    uint64_t id = rd_uint(p, "a struct type");
    uint64_t at = p->pos;
    uint64_t nfields = rd_uint(p, "a struct type");
    struct pmat_str name = rd_str(p, "a struct type");
    if (nfields > (p->len - p->pos) / (uint64_t)(h->uint_len + 1))
        fail_at(p, at, "struct field count %llu is larger than the file",
                (unsigned long long)nfields);
    struct pmat_struct_field *f = xrealloc(p, NULL, nfields * sizeof *f);
    p->pending_fields = f;
    for (uint64_t i = 0; i < nfields; i++) {
        f[i].name = rd_str(p, "a struct field");
        f[i].type = rd_u8(p, "a struct field");
    }
    /* A later definition of the same id applies to the STRUCT records after it; the
     * earlier one stays, since the records before were read (and validated) with it. */
    if (h->nstructs == p->structcap) {
        p->structcap = p->structcap ? p->structcap * 2 : 8;
        h->structs = xrealloc(p, h->structs, p->structcap * sizeof *h->structs);
    }
    h->structs[h->nstructs++] = (struct pmat_struct_type){id, name, (uint32_t)nfields, f};
    p->pending_fields = NULL;
    struct_index_set(p, id, h->nstructs - 1);
}

static unsigned struct_field_width(const struct pmat_heap *h, uint8_t t)
{
    switch (t) {
    case 0:
        return (unsigned)h->ptr_len;
    case 1:
    case 2:
        return 1;
    case 3:
        return 4;
    case 4:
        return (unsigned)h->uint_len;
    }
    return 0;
}

/* CODE body: sub-records until a 0 type byte. */
static void skip_code_body(struct parser *p)
{
    struct pmat_heap *h = p->h;
    for (;;) {
        uint64_t at = p->pos;
        uint8_t t = rd_u8(p, "a CODE sub-record");
        switch (t) {
        case 0:
            return;
        case 1:
        case 3:
        case 7:
            need(p, h->ptr_len, "a CODE sub-record");
            p->pos += h->ptr_len;
            break;
        case 2:
        case 4:
            need(p, h->uint_len, "a CODE sub-record");
            p->pos += h->uint_len;
            break;
        case 5:
            rd_uint(p, "a CODE pad name");
            rd_str(p, "a CODE pad name");
            rd_ptr(p, "a CODE pad name");
            break;
        case 6:
            need(p, 2 * (uint64_t)h->uint_len + h->ptr_len, "a CODE sub-record");
            p->pos += 2 * (uint64_t)h->uint_len + h->ptr_len;
            break;
        case 8:
            need(p, (uint64_t)h->uint_len + h->ptr_len, "a CODE sub-record");
            p->pos += (uint64_t)h->uint_len + h->ptr_len;
            break;
        case 9:
            need(p, (uint64_t)h->uint_len + 1, "a CODE sub-record");
            p->pos += h->uint_len + 1;
            break;
        case 10:
            need(p, 2 * (uint64_t)h->uint_len + h->ptr_len, "a CODE sub-record");
            p->pos += 2 * (uint64_t)h->uint_len + h->ptr_len;
            break;
        default:
            fail_at(p, at, "unhandled CODE sub-record type %d", t);
        }
    }
}

static void read_sv(struct parser *p, uint8_t type, uint64_t start)
{
    struct pmat_heap *h = p->h;
    const struct pmat_sizes3 *common = &h->sv_sizes[0];
    grow_svs(p);
    uint64_t i = p->n;

    /* common part: PTR address, U32 refcnt, UINT size; PTR blessed */
    uint64_t hdr_at = p->pos;
    need(p, common->hdr, "an SV header");
    p->pos += common->hdr;
    const uint8_t *ch = p->d + hdr_at;
    uint32_t clen = common->hdr;
    uint64_t addr = clen >= (uint32_t)h->ptr_len ? bytes_ptr(h, ch) : 0;
    uint32_t refcnt = clen >= (uint32_t)h->ptr_len + 4 ? bytes_u32(h, ch + h->ptr_len) : 0;
    uint64_t size =
        clen >= (uint32_t)(h->ptr_len + 4 + h->uint_len) ? bytes_uint(h, ch + h->ptr_len + 4) : 0;
    uint64_t blessed = 0;
    need(p, (uint64_t)common->nptrs * h->ptr_len, "an SV header");
    if (common->nptrs >= 1) blessed = bytes_ptr(h, p->d + p->pos);
    p->pos += (uint64_t)common->nptrs * h->ptr_len;
    skip_strs(p, common->nstrs, "an SV header");

    uint8_t flags = 0;
    uint64_t struct_ix = 0;
    /* Devel::MAT 0.53+ says this once, at the first OBJECT or CLASS record */
    if (type >= PMAT_T_OBJ && type != PMAT_T_STRUCT && !p->warned_class) {
        p->warned_class = 1;
        pmat__warn(h, "Support for class features in PMAT file is experimental");
    }
    if (type == PMAT_T_STRUCT) {
        uint32_t si = struct_by_id(p, blessed);
        if (si == PMAT_NONE)
            fail_at(p, start, "Dumpfile does not define a struct type of ID=%llu",
                    (unsigned long long)blessed);
        const struct pmat_struct_type *st = &h->structs[si];
        struct_ix = si;
        for (uint32_t f = 0; f < st->nfields; f++) {
            unsigned w = struct_field_width(h, st->fields[f].type);
            if (!w) fail_at(p, p->pos, "TODO: load struct field type = %d", st->fields[f].type);
            need(p, w, "a struct field");
            p->pos += w;
        }
    } else {
        if (type > PMAT_T_CLASS || type >= h->n_sv_sizes)
            fail_at(p, start, "Cannot load unknown SV type %d", type);
        const struct pmat_sizes3 *ts = &h->sv_sizes[type];
        uint64_t thdr = p->pos;
        skip_groups(p, ts, "an SV record");
        const uint8_t *th = p->d + thdr;
        switch (type) {
        case PMAT_T_SCALAR:
            flags = ts->hdr >= 1 ? th[0] : 0;
            if (flags & ~0x1f) fail_at(p, thdr, "Unrecognised SCALAR flags %02x", flags & ~0x1f);
            break;
        case PMAT_T_REF:
            flags = ts->hdr >= 1 ? th[0] : 0;
            if (flags & ~0x01) fail_at(p, thdr, "Unrecognised REF flags %02x", flags & ~0x01);
            break;
        case PMAT_T_ARRAY:
        case PMAT_T_OBJ: {
            uint64_t n = ts->hdr >= (unsigned)h->uint_len ? bytes_uint(h, th) : 0;
            if (type == PMAT_T_ARRAY && ts->hdr > (unsigned)h->uint_len)
                flags = th[h->uint_len] & PMAT_AF_UNREAL;
            if (n > (p->len - p->pos) / (uint64_t)h->ptr_len)
                fail_at(p, thdr, "element count %llu is larger than the file",
                        (unsigned long long)n);
            p->pos += n * h->ptr_len;
            break;
        }
        case PMAT_T_HASH:
        case PMAT_T_STASH:
        case PMAT_T_CLASS: {
            uint64_t n = ts->hdr >= (unsigned)h->uint_len ? bytes_uint(h, th) : 0;
            /* format 0.6: each key is followed by its shared HEK's address */
            unsigned pair_ptrs = h->format_minor >= 6 ? 2 : 1;
            if (n > (p->len - p->pos) / (uint64_t)(h->uint_len + pair_ptrs * h->ptr_len))
                fail_at(p, thdr, "key count %llu is larger than the file", (unsigned long long)n);
            for (uint64_t k = 0; k < n; k++) {
                rd_str(p, "a hash key");
                if (pair_ptrs == 2) rd_ptr(p, "a hash key's HEK");
                rd_ptr(p, "a hash value");
            }
            if (type == PMAT_T_CLASS) {
                for (;;) {
                    uint64_t at = p->pos;
                    uint8_t t = rd_u8(p, "a CLASS sub-record");
                    if (!t) break;
                    if (t != 1) fail_at(p, at, "unhandled CLASS sub-record type %d", t);
                    rd_uint(p, "a CLASS field");
                    rd_str(p, "a CLASS field");
                }
            }
            break;
        }
        case PMAT_T_CODE:
            if (ts->hdr > (unsigned)h->uint_len) flags = th[h->uint_len];
            skip_code_body(p);
            break;
        case PMAT_T_YES:
            flags = PMAT_BF_YES;
            break;
        default:
            break;
        }
    }

    p->addr[i] = addr;
    p->rec[i] = start;
    p->size[i] = size;
    /* a STRUCT's BLESSED slot is its type id: keep the definition it was read with */
    p->blessed[i] = type == PMAT_T_STRUCT ? struct_ix : blessed;
    p->refcnt[i] = refcnt;
    p->ftype[i] = type;
    p->flags[i] = flags;
    p->n++;
}

static void read_heap(struct parser *p)
{
    struct pmat_heap *h = p->h;
    for (;;) {
        uint64_t start = p->pos;
        uint8_t type = rd_u8(p, "the heap");
        if (type == 0) return;
        if (type >= 0xF1) fail_at(p, start, "Unrecognised META tag %02X", type);
        if (type == 0xF0) {
            read_meta_struct(p);
            continue;
        }
        if (type >= 0x80) {
            if (h->format_minor == 0 && type == 0x80) {
                /* legacy magic: PTR sv, PTR obj, U8 type */
                uint64_t sva = rd_ptr(p, "a MAGIC record");
                add_ext(p, type, sva, p->pos);
                rd_ptr(p, "a MAGIC record");
                rd_u8(p, "a MAGIC record");
                continue;
            }
            int idx = type - 0x80;
            if (idx >= h->n_svx_sizes)
                fail_at(p, start, "Unrecognised SV extension type %02x", type);
            uint64_t sva = rd_ptr(p, "an SV extension record");
            uint64_t off = p->pos;
            skip_groups(p, &h->svx_sizes[idx], "an SV extension record");
            if (type <= PMAT_X_MAGIC2) {
                add_ext(p, type, sva, off);
            } else if (!p->warned_svx[idx]) {
                /* Devel::MAT warns per record; one line per type is enough */
                p->warned_svx[idx] = 1;
                pmat__warn(h, "Skipping unrecognised SVx 0x%02X", type);
            }
            continue;
        }
        read_sv(p, type, start);
        pmat__touched(h, p->pos - start);
        if (p->opts && p->opts->progress && p->pos >= p->next_progress) {
            p->opts->progress(p->opts->progress_ud, "Loading file", p->pos, p->len);
            p->next_progress = p->pos + (p->len >> 7) + 1;
        }
    }
}

static void read_contexts(struct parser *p)
{
    struct pmat_heap *h = p->h;
    uint64_t cap = 0;
    for (;;) {
        uint64_t start = p->pos;
        uint8_t type = rd_u8(p, "the contexts");
        if (!type) break;
        if (type < 1 || type > 3) fail_at(p, start, "Cannot load unknown CTX type %d", type);
        struct pmat_context c;
        memset(&c, 0, sizeof c);
        c.type = type;
        c.olddepth = -1;
        c.depth = -1;
        if (h->format_minor >= 2) {
            if (type >= h->n_ctx_sizes || h->n_ctx_sizes < 1)
                fail_at(p, start, "Cannot load unknown CTX type %d", type);
            const struct pmat_sizes3 *cs = &h->ctx_sizes[0];
            uint64_t hs = p->pos;
            skip_groups(p, cs, "a context");
            /* common: hdr U8 gimme, UINT line; str FILE */
            if (cs->hdr >= 1) c.gimme = p->d[hs];
            if (cs->hdr >= 1 + (unsigned)h->uint_len) c.line = bytes_uint(h, p->d + hs + 1);
            if (cs->nstrs >= 1) {
                uint64_t so = hs + cs->hdr + (uint64_t)cs->nptrs * h->ptr_len;
                pmat__str_at(h, so, &c.file);
            }
            const struct pmat_sizes3 *ts = &h->ctx_sizes[type];
            uint64_t th = p->pos;
            skip_groups(p, ts, "a context");
            const uint8_t *tp = p->d + th + ts->hdr;
            if (type == PMAT_CTX_SUB) {
                if (ts->hdr >= 4) c.olddepth = bytes_u32(h, p->d + th);
                if (ts->nptrs >= 1) c.cv_addr = bytes_ptr(h, tp);
                if (ts->nptrs >= 2) c.args_addr = bytes_ptr(h, tp + h->ptr_len);
            } else if (type == PMAT_CTX_EVAL) {
                if (ts->nptrs >= 1) c.codesv_addr = bytes_ptr(h, tp);
            }
        } else {
            c.gimme = rd_u8(p, "a context");
            c.file = rd_str(p, "a context");
            c.line = rd_uint(p, "a context");
            if (type == PMAT_CTX_SUB) {
                c.cv_addr = rd_ptr(p, "a context");
                c.args_addr = rd_ptr(p, "a context");
            } else if (type == PMAT_CTX_EVAL) {
                c.codesv_addr = rd_ptr(p, "a context");
            }
        }
        if (h->ncontexts == cap) {
            cap = cap ? cap * 2 : 16;
            h->contexts = xrealloc(p, h->contexts, cap * sizeof *h->contexts);
        }
        h->contexts[h->ncontexts++] = c;
    }
}

static void read_mortals(struct parser *p)
{
    struct pmat_heap *h = p->h;
    if (p->len - p->pos < (uint64_t)h->uint_len) return; /* older files end here */
    uint64_t at = p->pos;
    uint64_t n = rd_uint(p, "the mortals");
    if (!n) return;
    if (n > (p->len - p->pos) / (uint64_t)h->ptr_len)
        fail_at(p, at, "mortal count %llu is larger than the file", (unsigned long long)n);
    h->mortal_addr = xrealloc(p, NULL, n * 8);
    for (uint64_t i = 0; i < n; i++)
        h->mortal_addr[i] = rd_ptr(p, "the mortals");
    h->nmortals = n;
    h->mortal_floor = rd_uint(p, "the mortals");
}

/* ------------------------------------------------------------------------ */
/* sorting by address                                                        */

/* Sort (*key)[0..n) ascending, carrying (*val)[] along: LSD radix sort on key - min,
 * 11 bits per pass.  2048 buckets keep every pass's scatter targets within the caches
 * and the TLB (16-bit digits thrash both beyond ~10 M SVs); all histograms come from
 * one read pass, and a digit that is the same for every key costs no pass.  Stable, so
 * equal addresses keep file order and the last one can win.  The result
 * may end up in the scratch buffers, so the arrays are swapped rather than copied back;
 * the other pair is handed back in *spare_k / *spare_v (NULL if none was needed) for
 * the caller to reuse — fresh memory is what loading a big dump spends most time on. */
static int radix_sort_pairs(uint64_t **key, uint32_t **val, uint64_t n, uint64_t **spare_k,
                            uint32_t **spare_v)
{
    enum { BITS = 11, NB = 1 << BITS, MAXPASS = (64 + BITS - 1) / BITS };
    *spare_k = NULL;
    *spare_v = NULL;
    if (n < 2) return 0;
    uint64_t *ks = *key;
    uint32_t *vs = *val;
    uint64_t lo = ks[0], hi = ks[0];
    int sorted = 1;
    for (uint64_t i = 1; i < n; i++) {
        if (ks[i] < ks[i - 1]) sorted = 0;
        if (ks[i] < lo) lo = ks[i];
        if (ks[i] > hi) hi = ks[i];
    }
    if (sorted) return 0;
    uint64_t span = hi - lo;
    int npass = 0;
    while (npass < MAXPASS && (span >> (npass * BITS)))
        npass++;
    uint64_t *cnt = calloc((size_t)npass * NB, 8);
    uint64_t *kd = malloc((n + 3) * 8); /* + 3: room for the immortals */
    uint32_t *vd = malloc(n * 4);
    if (!kd || !vd || !cnt) {
        free(kd), free(vd), free(cnt);
        return -1;
    }
    for (uint64_t i = 0; i < n; i++) {
        uint64_t d = ks[i] - lo;
        for (int p = 0; p < npass; p++)
            cnt[p * NB + ((d >> (p * BITS)) & (NB - 1))]++;
    }
    for (int p = 0; p < npass; p++) {
        uint64_t *c = cnt + (size_t)p * NB;
        int shift = p * BITS, trivial = 0;
        for (uint64_t b = 0; b < NB; b++)
            if (c[b] == n) trivial = 1;
        if (trivial) continue;
        uint64_t sum = 0;
        for (uint64_t b = 0; b < NB; b++) {
            uint64_t x = c[b];
            c[b] = sum;
            sum += x;
        }
        for (uint64_t i = 0; i < n; i++) {
            uint64_t at = c[((ks[i] - lo) >> shift) & (NB - 1)]++;
            kd[at] = ks[i];
            vd[at] = vs[i];
        }
        uint64_t *kt = ks;
        ks = kd, kd = kt;
        uint32_t *vt = vs;
        vs = vd, vd = vt;
    }
    free(cnt);
    *key = ks, *val = vs;
    *spare_k = kd, *spare_v = vd;
    return 0;
}

static void build_buckets(struct pmat_heap *h)
{
    if (h->nsv == 0) return;
    h->addr_min = h->addr[0];
    uint64_t span = h->addr[h->nsv - 1] - h->addr_min;
    uint32_t want = h->nsv / 4 + 1;
    int shift = 0;
    while (shift < 63 && (span >> shift) >= want)
        shift++; /* span may be ~2^64 */
    h->bucket_shift = shift;
    h->nbucket = (uint32_t)(span >> shift) + 1;
    h->bucket = calloc((size_t)h->nbucket + 1, 4);
    if (!h->bucket) {
        h->nbucket = 0;
        return;
    }
    /* bucket[b] = first SV index whose bucket is >= b */
    uint32_t i = 0;
    for (uint32_t b = 0; b <= h->nbucket; b++) {
        while (i < h->nsv && ((h->addr[i] - h->addr_min) >> shift) < b)
            i++;
        h->bucket[b] = i;
    }
}

/* Sort the parsed SVs by address into the final arrays; drop superseded duplicates.
 * Every per-SV array is moved from file order into address order through the
 * permutation; each move writes into the buffer the previous one emptied, so the
 * whole pass touches almost no fresh memory (at 50 M SVs, zero-filling fresh pages
 * costs more than the sort). */
static void finalize_svs(struct parser *p)
{
    struct pmat_heap *h = p->h;
    uint64_t n = p->n;
    p->perm = xrealloc(p, NULL, (n ? n : 1) * 4);
    for (uint64_t i = 0; i < n; i++)
        p->perm[i] = (uint32_t)i;
    uint64_t *spare_k;
    uint32_t *spare_v;
    if (radix_sort_pairs(&p->addr, &p->perm, n, &spare_k, &spare_v) < 0)
        fail_at(p, p->pos, "out of memory");
    p->spare8 = spare_k;
    p->spare4 = spare_v;
    uint32_t *perm = p->perm;
    uint64_t *keys = p->addr; /* sorted: becomes h->addr */
    /* keep the last record of each run of equal addresses */
    uint64_t m = 0;
    for (uint64_t i = 0; i < n; i++) {
        if (i + 1 < n && keys[i + 1] == keys[i]) continue;
        keys[m] = keys[i];
        perm[m++] = perm[i];
    }
    h->nsv = (uint32_t)m;
    h->ntotal = h->nsv + 3;
    uint32_t nt = h->ntotal;
    h->addr = realloc(keys, (size_t)nt * 8);
    if (!h->addr) fail_at(p, p->pos, "out of memory");
    p->addr = NULL;

    uint32_t nstructsv = 0;
    for (uint32_t i = 0; i < m; i++)
        nstructsv += p->ftype[perm[i]] == PMAT_T_STRUCT;
    h->struct_sv = malloc(((size_t)nstructsv + 1) * 4);
    h->struct_type = malloc(((size_t)nstructsv + 1) * 4);
    if (!h->struct_sv || !h->struct_type) fail_at(p, p->pos, "out of memory");
    for (uint32_t i = 0; i < m; i++) {
        uint32_t s = perm[i];
        if (p->ftype[s] == PMAT_T_STRUCT) { /* sorted by SV index, as i ascends */
            h->struct_sv[h->nstruct_svs] = i;
            h->struct_type[h->nstruct_svs++] = (uint32_t)p->blessed[s];
            p->blessed[s] = 0;
        }
    }

    /* dst = src in address order, written into `spare` (or fresh memory); src's buffer
     * becomes the next spare.  The immortals' slots at [m, nt) are zero. */
#define GATHER(dst, src, spare, type)                                                              \
    do {                                                                                           \
        type *g_ = (spare) ? realloc((spare), (size_t)nt * sizeof(type))                           \
                           : malloc((size_t)nt * sizeof(type));                                    \
        if (!g_) fail_at(p, p->pos, "out of memory");                                              \
        (spare) = NULL;                                                                            \
        for (uint32_t i = 0; i < m; i++)                                                           \
            g_[i] = (src)[perm[i]];                                                                \
        memset(g_ + m, 0, 3 * sizeof(type));                                                       \
        (spare) = (void *)(src);                                                                   \
        (src) = NULL;                                                                              \
        (dst) = g_;                                                                                \
    } while (0)
    uint64_t *blessed_addr;
    GATHER(h->rec, p->rec, p->spare8, uint64_t);
    GATHER(h->size, p->size, p->spare8, uint64_t);
    GATHER(blessed_addr, p->blessed, p->spare8, uint64_t);
    p->blessed = blessed_addr; /* freed by the error path until the end of this pass */
    GATHER(h->refcnt, p->refcnt, p->spare4, uint32_t);
    uint8_t *small = NULL; /* 1-byte arrays: fresh memory is cheap enough */
    GATHER(h->ftype, p->ftype, small, uint8_t);
    free(small), small = NULL;
    GATHER(h->flags, p->flags, small, uint8_t);
    free(small);
#undef GATHER
    free(p->perm);
    p->perm = NULL;
    /* the emptied blessed and refcnt buffers become blessed (indices) and glob_at */
    h->blessed = p->spare8 ? realloc(p->spare8, (size_t)nt * 4) : malloc((size_t)nt * 4);
    if (h->blessed) p->spare8 = NULL;
    h->glob_at = p->spare4 ? realloc(p->spare4, (size_t)nt * 4) : malloc((size_t)nt * 4);
    if (h->glob_at) p->spare4 = NULL;
    h->kind = calloc(nt, 1);
    h->marks = calloc(nt, 1);
    if (!h->blessed || !h->glob_at || !h->kind || !h->marks) fail_at(p, p->pos, "out of memory");

    /* the immortals */
    h->addr[m] = h->undef_addr;
    h->addr[m + 1] = h->yes_addr;
    h->addr[m + 2] = h->no_addr;
    h->kind[m] = PMAT_K_IMM_UNDEF;
    h->kind[m + 1] = PMAT_K_IMM_YES;
    h->kind[m + 2] = PMAT_K_IMM_NO;
    blessed_addr[m] = blessed_addr[m + 1] = blessed_addr[m + 2] = 0;

    build_buckets(h);

    static const uint8_t kind_of_type[18] = {
        PMAT_K_UNKNOWN, PMAT_K_GLOB,   PMAT_K_SCALAR, PMAT_K_REF,    PMAT_K_ARRAY,  PMAT_K_HASH,
        PMAT_K_STASH,   PMAT_K_CODE,   PMAT_K_IO,     PMAT_K_LVALUE, PMAT_K_REGEXP, PMAT_K_FORMAT,
        PMAT_K_INVLIST, PMAT_K_SCALAR, PMAT_K_BOOL,   PMAT_K_BOOL,   PMAT_K_OBJECT, PMAT_K_CLASS};
    for (uint32_t i = 0; i < nt; i++) {
        h->glob_at[i] = PMAT_NONE;
        h->blessed[i] = pmat_sv_at(h, blessed_addr[i]);
        if (i < m)
            h->kind[i] = h->ftype[i] == PMAT_T_STRUCT ? PMAT_K_STRUCT : kind_of_type[h->ftype[i]];
    }
    free(blessed_addr);
    p->blessed = NULL;
}

/* Attach extension records to their SVs (stable by SV, then file order). */
static void finalize_exts(struct parser *p)
{
    struct pmat_heap *h = p->h;
    uint64_t n = p->next;
    h->ext_start = calloc((size_t)h->ntotal + 1, 8);
    if (!h->ext_start) fail_at(p, p->pos, "out of memory");
    uint64_t kept = 0, orphans = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t sv = pmat_sv_at(h, p->ext_addr[i]);
        if (sv == PMAT_NONE) {
            /* a few by name, then a count: a damaged file could hold millions */
            if (++orphans <= 10)
                pmat__warn(h, "SV extension record 0x%02X refers to no SV at 0x%llx",
                           p->exts[i].type, (unsigned long long)p->ext_addr[i]);
            continue;
        }
        p->exts[i].sv = sv;
        h->ext_start[sv + 1]++;
        kept++;
    }
    if (orphans > 10)
        pmat__warn(h, "... and %llu more SV extension records that refer to no SV",
                   (unsigned long long)(orphans - 10));
    for (uint32_t i = 0; i < h->ntotal; i++)
        h->ext_start[i + 1] += h->ext_start[i];
    h->exts = malloc((kept ? kept : 1) * sizeof *h->exts);
    uint64_t *fill = malloc(((size_t)h->ntotal + 1) * 8);
    if (!h->exts || !fill) {
        free(fill);
        fail_at(p, p->pos, "out of memory");
    }
    memcpy(fill, h->ext_start, ((size_t)h->ntotal + 1) * 8);
    for (uint64_t i = 0; i < n; i++) {
        if (p->exts[i].sv == PMAT_NONE) continue;
        h->exts[fill[p->exts[i].sv]++] = p->exts[i];
    }
    free(fill);
    h->nexts = kept;
    free(p->exts), free(p->ext_addr);
    p->exts = NULL, p->ext_addr = NULL;
    uint64_t badhek = 0;
    for (uint64_t i = 0; i < kept; i++) {
        const struct pmat_ext *e = &h->exts[i];
        uint8_t m = (e->type == 0x80 || e->type == PMAT_X_MAGIC2) ? PMAT_M_MAGIC
                    : (e->type >= 0x81 && e->type <= 0x86)        ? PMAT_M_SAVED
                    : e->type == 0x87                             ? PMAT_M_ANNOT
                    : e->type == 0x88                             ? PMAT_M_DEBUG
                                                                  : 0;
        h->marks[e->sv] |= m;
        /* as with orphans, a damaged file could hold millions: the first ten */
        if (e->type == PMAT_X_SHARED_HEK && h->kind[e->sv] != PMAT_K_SCALAR && ++badhek <= 10)
            pmat__warn(h, "Ignoring SVxSHARED_HEK on non-SCALAR SV addr=%#llx",
                       (unsigned long long)h->addr[e->sv]);
    }
}

/* ------------------------------------------------------------------------ */
/* roots, stack, mortals, contexts: resolving                                */

static int root_cmp(const void *a, const void *b, void *ctx)
{
    const struct pmat_heap *h = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (h->roots[x].sv != h->roots[y].sv) return h->roots[x].sv < h->roots[y].sv ? -1 : 1;
    return x < y ? -1 : x > y;
}

static void finalize_misc(struct parser *p)
{
    struct pmat_heap *h = p->h;
    for (uint32_t i = 0; i < h->nroots; i++) {
        struct pmat_root *r = &h->roots[i];
        r->sv = pmat_sv_at(h, r->addr);
        if (r->sv != PMAT_NONE) h->marks[r->sv] |= PMAT_M_ROOT;
    }
    h->stack = malloc((h->nstack ? h->nstack : 1) * 4);
    if (!h->stack) fail_at(p, p->pos, "out of memory");
    for (uint64_t i = 0; i < h->nstack; i++)
        h->stack[i] = pmat_sv_at(h, h->stack_addr[i]);
    /* A tmps-stack entry naming no SV is not damage: Devel::MAT::Dumper 0.50+ writes
     * entries of SVs already freed (no record), dozens in every dump.  Devel::MAT 0.56
     * warns "SV address ... is marked mortal but there is no SV" for each; we do not
     * (docs/compat.md "mortals"). */
    for (uint64_t i = 0; i < h->nmortals; i++) {
        uint32_t sv = pmat_sv_at(h, h->mortal_addr[i]);
        if (sv != PMAT_NONE) h->marks[sv] |= PMAT_M_MORTAL;
    }
    /* roots by SV (stable, so the last root naming an SV is last in its run) */
    uint32_t nr = 0;
    h->root_by_sv = malloc(((size_t)h->nroots + 1) * 4);
    if (!h->root_by_sv) fail_at(p, p->pos, "out of memory");
    for (uint32_t i = 0; i < h->nroots; i++)
        if (h->roots[i].sv != PMAT_NONE) h->root_by_sv[nr++] = i;
    qsort_r(h->root_by_sv, nr, 4, root_cmp, h);
    h->nroot_by_sv = nr;
    for (uint32_t i = 0; i < h->ncontexts; i++) {
        struct pmat_context *c = &h->contexts[i];
        c->cv = pmat_sv_at(h, c->cv_addr);
        c->args = pmat_sv_at(h, c->args_addr);
        c->codesv = pmat_sv_at(h, c->codesv_addr);
    }
}

/* ------------------------------------------------------------------------ */
/* entry point                                                               */

static void phase(struct parser *p, const char *name)
{
    if (p->opts && p->opts->phase) p->opts->phase(p->opts->progress_ud, name);
}

/* Parse, sort and index h->data (already obtained and decompressed).  A failure
 * anywhere longjmps back here: the scratch is freed, err says what and where. */
static int run_parse(struct parser *p)
{
    if (setjmp(p->jb)) {
        free(p->addr), free(p->rec), free(p->size), free(p->blessed), free(p->refcnt);
        free(p->ftype), free(p->flags), free(p->exts), free(p->ext_addr);
        free(p->spare8), free(p->spare4), free(p->perm);
        free(p->root_tab), free(p->sid_tab), free(p->pending_fields);
        return -1;
    }
    const struct pmat_load_opts *opts = p->opts;
    phase(p, "parse");
    read_header(p);
    read_roots_and_stack(p);
    read_heap(p);
    read_contexts(p);
    read_mortals(p);
    free(p->root_tab), free(p->sid_tab);
    p->root_tab = p->sid_tab = NULL;
    if (opts && opts->progress) opts->progress(opts->progress_ud, "Loading file", p->len, p->len);
    phase(p, "sort");
    finalize_svs(p);
    phase(p, "index");
    finalize_exts(p);
    finalize_misc(p);
    return 0;
}

int pmat__parse(struct pmat_heap *h, const struct pmat_load_opts *opts, struct pmat_error *err)
{
    struct parser *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return -1;
    }
    p->h = h;
    p->d = h->data;
    p->len = h->len;
    p->err = err;
    p->opts = opts;
    int rc = run_parse(p);
    free(p);
    return rc;
}
