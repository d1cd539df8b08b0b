/*
 * record.c — decoding one SV's record from the mapped file on demand.
 *
 * The parse pass validated every record's extent, so decoding here needs no
 * bounds checks beyond those the layout implies.  Each typed view reads the
 * fields it knows from the front of each group, as declared by the file's
 * size tables; fields a shorter (older) record lacks read as 0 / undefined.
 */
#include "pmat_heap.h"
#include "load_internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t skip_str(const struct pmat_heap *h, uint64_t off)
{
    struct pmat_str s;
    return pmat__str_at(h, off, &s);
}

/* Hot: called for every record by several passes, so it fills only what the file
 * declares (plus zeroes for the first few missing pointers and strings, which
 * callers of older, shorter records rely on) instead of clearing the whole struct. */
int pmat_sv_record(const struct pmat_heap *h, uint32_t sv, struct pmat_record *r)
{
    r->ftype = 0;
    r->hdr = NULL;
    r->hdrlen = r->nptrs = r->nstrs = 0;
    r->body = 0;
    for (unsigned i = 0; i < 8; i++)
        r->ptrs[i] = 0;
    for (unsigned i = 0; i < 2; i++)
        r->strs[i] = (struct pmat_str){NULL, 0, 0};
    if (sv == PMAT_NONE || sv >= h->nsv) return -1;
    /* bookkeeping only: lets whole-heap passes drop the mapping's pages as they go */
    pmat__touched((struct pmat_heap *)h, 4096);
    uint64_t off = h->rec[sv];
    uint8_t type = h->data[off++];
    r->ftype = type;
    const struct pmat_sizes3 *c = &h->sv_sizes[0];
    off += c->hdr + (uint64_t)c->nptrs * h->ptr_len;
    for (unsigned i = 0; i < c->nstrs; i++)
        off = skip_str(h, off);
    if (type == PMAT_T_STRUCT) {
        r->body = off;
        return 0;
    }
    const struct pmat_sizes3 *t = &h->sv_sizes[type];
    r->hdr = h->data + off;
    r->hdrlen = t->hdr;
    off += t->hdr;
    for (unsigned i = 0; i < t->nptrs; i++) {
        if (i < PMAT_MAX_PTRS) r->ptrs[i] = pmat_rd_ptr(h, off);
        off += h->ptr_len;
    }
    r->nptrs = t->nptrs < PMAT_MAX_PTRS ? t->nptrs : PMAT_MAX_PTRS;
    for (unsigned i = 0; i < t->nstrs; i++) {
        struct pmat_str s;
        off = pmat__str_at(h, off, &s);
        if (i < PMAT_MAX_STRS) r->strs[i] = s;
    }
    r->nstrs = t->nstrs < PMAT_MAX_STRS ? t->nstrs : PMAT_MAX_STRS;
    r->body = off;
    return 0;
}

/* UINT at byte offset o of the type header, or 0 if the header is shorter. */
static uint64_t hdr_uint(const struct pmat_heap *h, const struct pmat_record *r, uint32_t o)
{
    return r->hdrlen >= o + (uint32_t)h->uint_len ? pmat_rd_uint_mem(h, r->hdr + o) : 0;
}

int pmat_scalar(const struct pmat_heap *h, uint32_t sv, struct pmat_scalar *s)
{
    memset(s, 0, sizeof *s);
    if (sv == PMAT_NONE) return -1;
    switch (h->kind[sv]) {
    case PMAT_K_IMM_YES:
    case PMAT_K_IMM_NO: {
        /* Devel::MAT pretends the immortals hold 1 / 0 */
        static const uint8_t one[] = "1", zero[] = "0";
        int yes = h->kind[sv] == PMAT_K_IMM_YES;
        s->flags = PMAT_SF_IOK | PMAT_SF_NOK | PMAT_SF_POK;
        s->uv = yes;
        s->nv = yes;
        s->pv = (struct pmat_str){yes ? one : zero, 1, 1};
        s->pvlen = 1;
        s->has_uv = s->has_iv = s->has_nv = s->has_pv = 1;
        return 0;
    }
    case PMAT_K_BOOL:
        s->flags = PMAT_SF_IOK;
        s->uv = h->flags[sv] & PMAT_BF_YES ? 1 : 0;
        s->has_uv = 1;
        return 0;
    case PMAT_K_SCALAR:
        break;
    default:
        return -1;
    }
    if (h->ftype[sv] != PMAT_T_SCALAR) return 0; /* UNDEF record */
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    uint8_t f = h->flags[sv];
    s->flags = f;
    s->uv = hdr_uint(h, &r, 1);
    if (r.hdrlen >= 1u + h->uint_len + h->nv_len)
        s->nv = pmat_rd_nv_mem(h, r.hdr + 1 + h->uint_len);
    s->pvlen = hdr_uint(h, &r, 1 + h->uint_len + h->nv_len);
    if (r.nptrs >= 1) s->ourstash_addr = r.ptrs[0];
    if (r.nstrs >= 1) s->pv = r.strs[0];
    /* An integer is an IV unless perl flagged it as UV.  (Devel::MAT 0.51 names them
     * the other way round; docs/compat.md "ivuv".) */
    s->has_iv = (f & PMAT_SF_IOK) && !(f & PMAT_SF_ISUV);
    s->has_uv = (f & PMAT_SF_IOK) && (f & PMAT_SF_ISUV);
    s->has_nv = !!(f & PMAT_SF_NOK);
    s->has_pv = !!(f & PMAT_SF_POK);
    if (!s->has_pv) s->pv.defined = 0;
    return 0;
}

int pmat_glob(const struct pmat_heap *h, uint32_t sv, struct pmat_glob *g)
{
    memset(g, 0, sizeof *g);
    if (sv == PMAT_NONE || h->kind[sv] != PMAT_K_GLOB) return -1;
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    g->line = hdr_uint(h, &r, 0);
    uint64_t *slots[] = {&g->stash, &g->scalar, &g->array, &g->hash,
                         &g->code,  &g->egv,    &g->io,    &g->form};
    for (unsigned i = 0; i < 8 && i < r.nptrs; i++)
        *slots[i] = r.ptrs[i];
    if (r.nstrs >= 1) g->name = r.strs[0];
    if (r.nstrs >= 2) g->file = r.strs[1];
    if (r.hdrlen >= (uint32_t)(h->uint_len + h->ptr_len))
        g->name_hek = pmat_rd_ptr_mem(h, r.hdr + h->uint_len);
    return 0;
}

int pmat_ref(const struct pmat_heap *h, uint32_t sv, struct pmat_ref *ref)
{
    memset(ref, 0, sizeof *ref);
    if (sv == PMAT_NONE || h->kind[sv] != PMAT_K_REF) return -1;
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    ref->rv = r.nptrs >= 1 ? r.ptrs[0] : 0;
    ref->ourstash = r.nptrs >= 2 ? r.ptrs[1] : 0;
    ref->weak = h->flags[sv] & PMAT_RF_WEAK;
    return 0;
}

static int is_array_kind(uint8_t k)
{
    return k == PMAT_K_ARRAY || k == PMAT_K_PAD || k == PMAT_K_PADLIST || k == PMAT_K_PADNAMES;
}

uint64_t pmat_array_count(const struct pmat_heap *h, uint32_t sv)
{
    if (sv == PMAT_NONE || !is_array_kind(h->kind[sv])) return 0;
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    return hdr_uint(h, &r, 0);
}

uint64_t pmat_array_elem(const struct pmat_heap *h, uint32_t sv, uint64_t i)
{
    if (sv == PMAT_NONE || !is_array_kind(h->kind[sv])) return 0;
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    if (i >= hdr_uint(h, &r, 0)) return 0;
    return pmat_rd_ptr(h, r.body + i * h->ptr_len);
}

uint64_t pmat_object_count(const struct pmat_heap *h, uint32_t sv)
{
    if (sv == PMAT_NONE || h->kind[sv] != PMAT_K_OBJECT) return 0;
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    return hdr_uint(h, &r, 0);
}

uint64_t pmat_object_field(const struct pmat_heap *h, uint32_t sv, uint64_t i)
{
    if (i >= pmat_object_count(h, sv)) return 0;
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    return pmat_rd_ptr(h, r.body + i * h->ptr_len);
}

int pmat_hash(const struct pmat_heap *h, uint32_t sv, struct pmat_hash *hv)
{
    memset(hv, 0, sizeof *hv);
    if (sv == PMAT_NONE) return -1;
    uint8_t k = h->kind[sv];
    if (k != PMAT_K_HASH && k != PMAT_K_STASH && k != PMAT_K_CLASS) return -1;
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    hv->count = hdr_uint(h, &r, 0);
    hv->body = r.body;
    /* HASH part first (ptr BACKREFS), then STASH extras (4 MRO ptrs, str NAME),
     * then CLASS extras (ptr ADJUST_BLOCKS) */
    unsigned hash_ptrs = h->sv_sizes[PMAT_T_HASH].nptrs;
    if (r.nptrs >= 1 && hash_ptrs >= 1) hv->backrefs = r.ptrs[0];
    if (k == PMAT_K_STASH || k == PMAT_K_CLASS) {
        uint64_t *mro[] = {&hv->mro_linear_all, &hv->mro_linear_current, &hv->mro_nextmethod,
                           &hv->mro_isa};
        for (unsigned i = 0; i < 4; i++)
            if (hash_ptrs + i < r.nptrs) *mro[i] = r.ptrs[hash_ptrs + i];
        unsigned hash_strs = h->sv_sizes[PMAT_T_HASH].nstrs;
        if (hash_strs < r.nstrs) hv->name = r.strs[hash_strs];
        if (k == PMAT_K_CLASS) {
            unsigned stash_ptrs = h->sv_sizes[PMAT_T_STASH].nptrs;
            if (stash_ptrs < r.nptrs) hv->adjust_blocks = r.ptrs[stash_ptrs];
        }
    }
    return 0;
}

int pmat_hash_next_hek(const struct pmat_heap *h, const struct pmat_hash *hv, uint64_t *pos,
                       uint64_t *done, struct pmat_str *key, uint64_t *hek, uint64_t *value)
{
    if (*done >= hv->count) return 0;
    *pos = pmat__str_at(h, *pos, key);
    *hek = 0;
    if (h->format_minor >= 6) { /* (STR key, PTR hek, PTR value) */
        *hek = pmat_rd_ptr(h, *pos);
        *pos += h->ptr_len;
    }
    *value = pmat_rd_ptr(h, *pos);
    *pos += h->ptr_len;
    (*done)++;
    return 1;
}

/* pmat_hash_nkeys's cache: an open-addressed map SV -> distinct key count, for the
 * hashes with two or more pairs whose count was asked for (most never are). */
struct nkeys_cache {
    uint32_t *sv; /* PMAT_NONE = empty slot */
    uint64_t *n;
    size_t cap, used;
};

static void nkeys_cache_free(void *p)
{
    struct nkeys_cache *c = p;
    free(c->sv), free(c->n), free(c);
}

static size_t nkeys_slot(const struct nkeys_cache *c, uint32_t sv)
{
    size_t i = (sv * 2654435761u) & (c->cap - 1);
    while (c->sv[i] != PMAT_NONE && c->sv[i] != sv)
        i = (i + 1) & (c->cap - 1);
    return i;
}

/* Remember n for sv; silently forgets nothing and caches nothing on out of memory. */
static void nkeys_cache_put(struct nkeys_cache *c, uint32_t sv, uint64_t n)
{
    if ((c->used + 1) * 2 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        uint32_t *nsv = malloc(cap * sizeof *nsv);
        uint64_t *nn = malloc(cap * sizeof *nn);
        if (!nsv || !nn) {
            free(nsv), free(nn);
            return;
        }
        for (size_t i = 0; i < cap; i++)
            nsv[i] = PMAT_NONE;
        struct nkeys_cache old = *c;
        c->sv = nsv, c->n = nn, c->cap = cap;
        for (size_t i = 0; i < old.cap; i++)
            if (old.sv[i] != PMAT_NONE) {
                size_t j = nkeys_slot(c, old.sv[i]);
                c->sv[j] = old.sv[i], c->n[j] = old.n[i];
            }
        free(old.sv), free(old.n);
    }
    size_t i = nkeys_slot(c, sv);
    if (c->sv[i] == PMAT_NONE) c->used++;
    c->sv[i] = sv, c->n[i] = n;
}

static int by_str_bytes(const void *x, const void *y)
{
    const struct pmat_str *a = x, *b = y;
    uint64_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->ptr, b->ptr, n) : 0;
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

uint64_t pmat_hash_nkeys(const struct pmat_heap *h, uint32_t sv)
{
    struct pmat_hash hv;
    if (pmat_hash(h, sv, &hv) < 0) return 0;
    if (hv.count < 2) return hv.count;
    /* the cache is not part of the heap's state (freed by pmat_free) */
    struct pmat_cache *slot = &((struct pmat_heap *)h)->caches[PMAT_CACHE_HASHKEYS];
    struct nkeys_cache *c = slot->ptr;
    if (!c && (c = calloc(1, sizeof *c))) slot->ptr = c, slot->free_fn = nkeys_cache_free;
    if (c && c->cap) {
        size_t i = nkeys_slot(c, sv);
        if (c->sv[i] == sv) return c->n[i];
    }
    struct pmat_str *keys = malloc(hv.count * sizeof *keys);
    if (!keys) return hv.count; /* out of memory: the pair count is the best answer left */
    uint64_t pos = hv.body, done = 0, value, n = 0;
    while (n < hv.count && pmat_hash_next(h, &hv, &pos, &done, &keys[n], &value))
        n++;
    qsort(keys, n, sizeof *keys, by_str_bytes);
    uint64_t distinct = n ? 1 : 0;
    for (uint64_t i = 1; i < n; i++)
        if (by_str_bytes(&keys[i - 1], &keys[i])) distinct++;
    free(keys);
    if (c) nkeys_cache_put(c, sv, distinct);
    return distinct;
}

int pmat_hash_next(const struct pmat_heap *h, const struct pmat_hash *hv, uint64_t *pos,
                   uint64_t *done, struct pmat_str *key, uint64_t *value)
{
    uint64_t hek;
    return pmat_hash_next_hek(h, hv, pos, done, key, &hek, value);
}

uint64_t pmat_sv_shared_hek(const struct pmat_heap *h, uint32_t sv)
{
    if (sv == PMAT_NONE || sv >= h->nsv || h->kind[sv] != PMAT_K_SCALAR) return 0;
    const struct pmat_ext *x;
    uint64_t n = pmat_exts_of(h, sv, &x), hek = 0;
    const struct pmat_sizes3 *s = &h->svx_sizes[PMAT_X_SHARED_HEK - 0x80];
    /* the last record wins, as it does in Devel::MAT */
    for (uint64_t i = 0; i < n; i++)
        if (x[i].type == PMAT_X_SHARED_HEK && s->hdr >= (unsigned)h->ptr_len)
            hek = pmat_rd_ptr(h, x[i].off);
    return hek;
}

/* Where the last pmat_hash_pair() stopped, so that naming every value edge of a hash in
 * order (outrefs, inrefs, identify) is linear rather than quadratic in its size. */
struct hash_cursor {
    uint32_t sv;
    uint64_t next_i, pos;
};

int pmat_hash_pair(const struct pmat_heap *h, uint32_t sv, uint64_t i, struct pmat_str *key,
                   uint64_t *value)
{
    struct pmat_hash hv;
    if (pmat_hash(h, sv, &hv) < 0 || i >= hv.count) return -1;
    /* the cursor is a cache: the heap itself is not changed (freed by pmat_free) */
    struct pmat_cache *slot = &((struct pmat_heap *)h)->caches[PMAT_CACHE_HASHPOS];
    struct hash_cursor *c = slot->ptr;
    if (!c && (c = calloc(1, sizeof *c))) {
        c->sv = PMAT_NONE;
        slot->ptr = c, slot->free_fn = free;
    }
    uint64_t pos = hv.body, done = 0;
    if (c && c->sv == sv && c->next_i <= i) pos = c->pos, done = c->next_i;
    while (pmat_hash_next(h, &hv, &pos, &done, key, value))
        if (done == i + 1) {
            if (c) c->sv = sv, c->next_i = done, c->pos = pos;
            return 0;
        }
    return -1;
}

int pmat_io(const struct pmat_heap *h, uint32_t sv, struct pmat_io *io)
{
    memset(io, 0, sizeof *io);
    if (sv == PMAT_NONE || h->kind[sv] != PMAT_K_IO) return -1;
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    if (r.hdrlen >= (uint32_t)h->uint_len) io->ifileno = hdr_uint(h, &r, 0), io->has_ifileno = 1;
    if (r.hdrlen >= 2u * h->uint_len)
        io->ofileno = hdr_uint(h, &r, h->uint_len), io->has_ofileno = 1;
    if (r.nptrs >= 1) io->top_gv = r.ptrs[0];
    if (r.nptrs >= 2) io->fmt_gv = r.ptrs[1];
    if (r.nptrs >= 3) io->bottom_gv = r.ptrs[2];
    return 0;
}

int pmat_lvalue(const struct pmat_heap *h, uint32_t sv, struct pmat_lvalue *lv)
{
    memset(lv, 0, sizeof *lv);
    if (sv == PMAT_NONE || h->kind[sv] != PMAT_K_LVALUE) return -1;
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    if (r.hdrlen >= 1) lv->type = (char)r.hdr[0];
    lv->off = hdr_uint(h, &r, 1);
    lv->len = hdr_uint(h, &r, 1 + h->uint_len);
    if (r.nptrs >= 1) lv->targ = r.ptrs[0];
    return 0;
}

const struct pmat_struct_type *pmat_struct_type_of(const struct pmat_heap *h, uint32_t sv)
{
    if (sv == PMAT_NONE || h->kind[sv] != PMAT_K_STRUCT) return NULL;
    /* the definition in force when the record was read (a META_STRUCT may redefine an id
     * later in the file; the record was validated against the earlier layout) */
    uint32_t lo = 0, hi = h->nstruct_svs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (h->struct_sv[mid] < sv)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < h->nstruct_svs && h->struct_sv[lo] == sv) return &h->structs[h->struct_type[lo]];
    return NULL;
}

int pmat_struct_field(const struct pmat_heap *h, uint32_t sv, uint32_t field, uint64_t *value)
{
    const struct pmat_struct_type *st = pmat_struct_type_of(h, sv);
    if (!st || field >= st->nfields) return -1;
    struct pmat_record r;
    pmat_sv_record(h, sv, &r);
    uint64_t off = r.body;
    for (uint32_t f = 0; f <= field; f++) {
        uint8_t t = st->fields[f].type;
        unsigned w = t == 0   ? (unsigned)h->ptr_len
                     : t <= 2 ? 1u
                     : t == 3 ? 4u
                              : (unsigned)h->uint_len;
        if (f == field) {
            switch (t) {
            case 0:
                *value = pmat_rd_ptr(h, off);
                break;
            case 1:
            case 2:
                *value = h->data[off];
                break;
            case 3:
                *value = pmat_rd_u32(h, off);
                break;
            default:
                *value = pmat_rd_uint(h, off);
                break;
            }
            return 0;
        }
        off += w;
    }
    return -1;
}

/* ---- extension records ---- */

int pmat_ext_magic(const struct pmat_heap *h, const struct pmat_ext *e, struct pmat_magic *m)
{
    memset(m, 0, sizeof *m);
    if (e->type != 0x80) return -1;
    if (h->format_minor == 0) {
        /* legacy: PTR obj, U8 type; every object counted as refcounted */
        m->obj = pmat_rd_ptr(h, e->off);
        m->type = (char)h->data[e->off + h->ptr_len];
        m->flags = 0x01;
        return 0;
    }
    const struct pmat_sizes3 *s = &h->svx_sizes[0];
    uint64_t off = e->off;
    if (s->hdr >= 1) m->type = (char)h->data[off];
    if (s->hdr >= 2) m->flags = h->data[off + 1];
    off += s->hdr;
    if (s->nptrs >= 1) m->obj = pmat_rd_ptr(h, off);
    if (s->nptrs >= 2) m->ptr = pmat_rd_ptr(h, off + h->ptr_len);
    if (s->nptrs >= 3) m->vtbl = pmat_rd_ptr(h, off + 2 * (uint64_t)h->ptr_len), m->has_vtbl = 1;
    return 0;
}

int pmat_ext_magic2(const struct pmat_heap *h, const struct pmat_ext *e, struct pmat_magic2 *m)
{
    memset(m, 0, sizeof *m);
    if (e->type != PMAT_X_MAGIC2) return -1;
    const struct pmat_sizes3 *s = &h->svx_sizes[PMAT_X_MAGIC2 - 0x80];
    const uint8_t *p = h->data + e->off;
    /* header: U8 shape, U8 flags, U16 priv, UINT ptrlen, UINT keyiv */
    if (s->hdr >= 1) m->shape = p[0];
    if (s->hdr >= 2) m->flags = p[1];
    if (s->hdr >= 4)
        m->priv = h->big_endian ? (uint16_t)(p[2] << 8 | p[3]) : (uint16_t)(p[3] << 8 | p[2]);
    if (s->hdr >= 4u + h->uint_len) m->ptrlen = pmat_rd_uint_mem(h, p + 4);
    if (s->hdr >= 4u + 2 * h->uint_len && (m->flags & 0x02))
        m->keyiv = pmat_rd_uint_mem(h, p + 4 + h->uint_len);
    uint64_t *ptrs[] = {&m->funcs, &m->auxsv, &m->ptr, &m->keysv, &m->userstruct};
    for (unsigned i = 0; i < 5 && i < s->nptrs; i++)
        *ptrs[i] = pmat_rd_ptr(h, e->off + s->hdr + (uint64_t)i * h->ptr_len);
    return 0;
}

int pmat_ext_saved(const struct pmat_heap *h, const struct pmat_ext *e, uint64_t *index,
                   uint64_t *p0, uint64_t *p1)
{
    if (e->type < 0x81 || e->type > 0x86) return -1;
    const struct pmat_sizes3 *s = &h->svx_sizes[e->type - 0x80];
    uint64_t off = e->off;
    *index = (e->type == 0x84 && s->hdr >= (unsigned)h->uint_len) ? pmat_rd_uint(h, off) : 0;
    off += s->hdr;
    *p0 = s->nptrs >= 1 ? pmat_rd_ptr(h, off) : 0;
    *p1 = s->nptrs >= 2 ? pmat_rd_ptr(h, off + h->ptr_len) : 0;
    return 0;
}

int pmat_ext_annotation(const struct pmat_heap *h, const struct pmat_ext *e, uint64_t *target,
                        struct pmat_str *text)
{
    if (e->type != 0x87) return -1;
    const struct pmat_sizes3 *s = &h->svx_sizes[7];
    uint64_t off = e->off + s->hdr;
    *target = s->nptrs >= 1 ? pmat_rd_ptr(h, off) : 0;
    off += (uint64_t)s->nptrs * h->ptr_len;
    memset(text, 0, sizeof *text);
    if (s->nstrs >= 1) pmat__str_at(h, off, text);
    return 0;
}

int pmat_ext_debug(const struct pmat_heap *h, const struct pmat_ext *e, uint64_t *serial,
                   uint64_t *line, struct pmat_str *file)
{
    if (e->type != 0x88) return -1;
    const struct pmat_sizes3 *s = &h->svx_sizes[8];
    uint64_t off = e->off;
    *serial = s->hdr >= (unsigned)h->uint_len ? pmat_rd_uint(h, off) : 0;
    *line = s->hdr >= 2u * h->uint_len ? pmat_rd_uint(h, off + h->uint_len) : 0;
    off += s->hdr + (uint64_t)s->nptrs * h->ptr_len;
    memset(file, 0, sizeof *file);
    if (s->nstrs >= 1) pmat__str_at(h, off, file);
    return 0;
}

/* ---- CODE side table ---- */

const struct pmat_code_info *pmat_code(const struct pmat_heap *h, uint32_t sv)
{
    if (sv == PMAT_NONE || !h->code_slot || h->code_slot[sv] == PMAT_NONE) return NULL;
    return &h->codes[h->code_slot[sv]];
}

const struct pmat_padname *pmat_code_padname(const struct pmat_heap *h,
                                             const struct pmat_code_info *c, uint64_t padix)
{
    if (!c || padix >= c->npadnames) return NULL;
    const struct pmat_padname *pn = &h->padnames[c->padnames_off + padix];
    if (!pn->name.defined || pn->name.len == 0) return NULL;
    return pn;
}

uint32_t pmat_code_pad(const struct pmat_heap *h, const struct pmat_code_info *c, uint64_t d)
{
    if (!c || d < 1 || d > c->npads) return PMAT_NONE;
    return h->pool[c->pads_off + d - 1];
}

uint32_t pmat_padcv(const struct pmat_heap *h, uint32_t sv)
{
    uint32_t lo = 0, hi = h->npadcv;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (h->padcv_sv[mid] < sv)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < h->npadcv && h->padcv_sv[lo] == sv ? h->padcv_cv[lo] : PMAT_NONE;
}
