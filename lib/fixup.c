/*
 * fixup.c — the pass after loading that Devel::MAT calls _fixup.
 *
 * While dumping, perl could not tell which ARRAYs are really padlists, pads
 * or pad-name lists, nor which GLOB names an SV; those facts only follow from
 * looking at the CODE and GLOB records that point at them.  This pass:
 *
 *   - sets each CODE's glob (from its record), then each GLOB's slots' glob,
 *   - marks hashes' backrefs ARRAYs (forcing them !REAL),
 *   - decodes every CODE's body sub-records into the CODE side table,
 *     re-classes its PADLIST / PADNAMES / PADs and records their owner,
 *     builds its pad-name list, resolves constants and referenced globs
 *     (through the depth-1 pad on threaded perls) and finds its protosub,
 *   - reconstructs the depth of each SUB context.
 *
 * Where Devel::MAT visits its heap hash in random order and lets the last
 * writer win, we visit by address (documented in docs/compat.md).
 */
#include "pmat_heap.h"
#include "load_internal.h"

#include <stdlib.h>
#include <string.h>

struct fix {
    struct pmat_heap *h;
    uint64_t poolcap, pncap;
    uint64_t padcvcap;
    int oom;
};

static uint64_t pool_add(struct fix *f, const uint32_t *v, uint64_t n)
{
    struct pmat_heap *h = f->h;
    if (h->npool + n > f->poolcap) {
        uint64_t nc = f->poolcap ? f->poolcap : 4096;
        while (nc < h->npool + n)
            nc *= 2;
        uint32_t *np = realloc(h->pool, nc * 4);
        if (!np) {
            f->oom = 1;
            return 0;
        }
        h->pool = np, f->poolcap = nc;
    }
    uint64_t off = h->npool;
    if (n) memcpy(h->pool + off, v, n * 4);
    h->npool += n;
    return off;
}

static void padcv_add(struct fix *f, uint32_t sv, uint32_t cv)
{
    struct pmat_heap *h = f->h;
    if (h->npadcv == f->padcvcap) {
        uint64_t nc = f->padcvcap ? f->padcvcap * 2 : 1024;
        uint32_t *a = realloc(h->padcv_sv, nc * 4), *b;
        if (!a) {
            f->oom = 1;
            return;
        }
        h->padcv_sv = a;
        b = realloc(h->padcv_cv, nc * 4);
        if (!b) {
            f->oom = 1;
            return;
        }
        h->padcv_cv = b;
        f->padcvcap = nc;
    }
    h->padcv_sv[h->npadcv] = sv;
    h->padcv_cv[h->npadcv++] = cv;
}

/* Growable u32 / u64 vectors for one CODE's sub-records. */
struct vec32 {
    uint32_t *v;
    uint64_t n, cap;
};
static int vpush(struct vec32 *a, uint32_t x)
{
    if (a->n == a->cap) {
        uint64_t nc = a->cap ? a->cap * 2 : 16;
        uint32_t *nv = realloc(a->v, nc * 4);
        if (!nv) return -1;
        a->v = nv, a->cap = nc;
    }
    a->v[a->n++] = x;
    return 0;
}

struct vecpn {
    struct pmat_padname *v;
    uint64_t n; /* highest padix + 1 */
    uint64_t cap;
};
static struct pmat_padname *pn_at(struct vecpn *a, uint64_t ix, uint64_t limit)
{
    if (ix >= limit) return NULL; /* absurd pad index for the body's size: ignore */
    if (ix >= a->cap) {
        uint64_t nc = a->cap ? a->cap : 16;
        while (nc <= ix)
            nc *= 2;
        struct pmat_padname *nv = realloc(a->v, nc * sizeof *nv);
        if (!nv) return NULL;
        memset(nv + a->cap, 0, (nc - a->cap) * sizeof *nv);
        a->v = nv, a->cap = nc;
    }
    if (ix >= a->n) a->n = ix + 1;
    return &a->v[ix];
}

/* Per-CODE scratch collected from its body. */
struct codebody {
    struct vec32 consts_addr_lo, consts_addr_hi; /* non-threaded const addresses */
    struct vec32 gvs_addr_lo, gvs_addr_hi;
    struct vec32 constix, gvix;
    struct vec32 pads; /* SV index by depth (index 0 = depth 0) */
    struct vecpn pn;
    uint64_t padnames_at;
    int have_padnames_list;
};

static void body_reset(struct codebody *b)
{
    b->consts_addr_lo.n = b->consts_addr_hi.n = 0;
    b->gvs_addr_lo.n = b->gvs_addr_hi.n = 0;
    b->constix.n = b->gvix.n = 0;
    b->pads.n = 0;
    /* only [0, n) was ever written: the rest is still zero from pn_at's growth */
    if (b->pn.v) memset(b->pn.v, 0, b->pn.n * sizeof *b->pn.v);
    b->pn.n = 0;
    b->padnames_at = 0;
    b->have_padnames_list = 0;
}

static void body_free(struct codebody *b)
{
    free(b->consts_addr_lo.v), free(b->consts_addr_hi.v), free(b->gvs_addr_lo.v);
    free(b->gvs_addr_hi.v), free(b->constix.v), free(b->gvix.v), free(b->pads.v), free(b->pn.v);
}

/* Length in bytes of a CODE body (validated by the parse pass). */
static uint64_t code_body_len(const struct pmat_heap *h, uint64_t off)
{
    uint64_t start = off, pl = (uint64_t)h->ptr_len, ul = (uint64_t)h->uint_len;
    for (;;) {
        uint8_t t = h->data[off++];
        switch (t) {
        case 1:
        case 3:
        case 7:
            off += pl;
            break;
        case 2:
        case 4:
            off += ul;
            break;
        case 5: {
            struct pmat_str name;
            off = pmat__str_at(h, off + ul, &name) + pl;
            break;
        }
        case 6:
        case 10:
            off += 2 * ul + pl;
            break;
        case 8:
            off += ul + pl;
            break;
        case 9:
            off += ul + 1;
            break;
        default:
            return off - start;
        }
    }
}

/* Decode the body sub-records of a CODE (validated by the parse pass).  Pad indexes and
 * depths are data: a hostile file could name pad slot 2^60, so anything larger than the
 * body's size in bytes (a real body has a record of >= 9 bytes per slot) is ignored,
 * keeping memory proportional to the file. */
static int read_code_body(struct pmat_heap *h, uint64_t off, struct codebody *b)
{
    int pl = h->ptr_len, ul = h->uint_len;
    uint64_t limit = code_body_len(h, off) + 1;
    for (;;) {
        uint8_t t = h->data[off++];
        uint64_t a, ix;
        switch (t) {
        case 0:
            return 0;
        case 1:
        case 3:
            a = pmat_rd_ptr(h, off), off += pl;
            if (vpush(t == 1 ? &b->consts_addr_lo : &b->gvs_addr_lo, (uint32_t)a) ||
                vpush(t == 1 ? &b->consts_addr_hi : &b->gvs_addr_hi, (uint32_t)(a >> 32)))
                return -1;
            break;
        case 2:
        case 4:
            ix = pmat_rd_uint(h, off), off += ul;
            if (vpush(t == 2 ? &b->constix : &b->gvix, ix > UINT32_MAX ? UINT32_MAX : (uint32_t)ix))
                return -1;
            break;
        case 5: {
            ix = pmat_rd_uint(h, off), off += ul;
            struct pmat_str name;
            off = pmat__str_at(h, off, &name);
            uint64_t ours = pmat_rd_ptr(h, off);
            off += pl;
            struct pmat_padname *pn = pn_at(&b->pn, ix, limit);
            if (pn) {
                memset(pn, 0, sizeof *pn);
                pn->name = name, pn->ourstash_addr = ours;
            }
            break;
        }
        case 6:
            off += 2 * (uint64_t)ul + pl;
            break;
        case 7:
            b->padnames_at = pmat_rd_ptr(h, off), off += pl;
            break;
        case 8: {
            uint64_t depth = pmat_rd_uint(h, off);
            off += ul;
            uint64_t pad = pmat_rd_ptr(h, off);
            off += pl;
            if (depth >= limit) break; /* absurd recursion depth: ignore */
            while (b->pads.n <= depth)
                if (vpush(&b->pads, PMAT_NONE)) return -1;
            b->pads.v[depth] = pmat_sv_at(h, pad);
            break;
        }
        case 9: {
            ix = pmat_rd_uint(h, off), off += ul;
            uint8_t fl = h->data[off++];
            if (ix < b->pn.n && b->pn.v[ix].name.defined) b->pn.v[ix].flags = fl;
            break;
        }
        case 10: {
            ix = pmat_rd_uint(h, off), off += ul;
            uint64_t fieldix = pmat_rd_uint(h, off);
            off += ul;
            uint64_t fs = pmat_rd_ptr(h, off);
            off += pl;
            if (ix < b->pn.n && b->pn.v[ix].name.defined) {
                b->pn.v[ix].flags |= PMAT_PN_FIELD;
                b->pn.v[ix].fieldix = fieldix;
                b->pn.v[ix].fieldstash_addr = fs;
            }
            break;
        }
        default:
            return 0; /* cannot happen: the parser rejected it */
        }
    }
}

/* dup[k] = 1 when v[k] occurred earlier in v (sorting, so long lists stay fast). */
static int pos_cmp(const void *a, const void *b, void *ctx)
{
    const uint32_t *v = ctx;
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    if (v[x] != v[y]) return v[x] < v[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

static uint8_t *uniq_marks(const uint32_t *v, uint64_t n)
{
    uint8_t *dup = calloc(n ? n : 1, 1);
    uint64_t *pos = malloc((n ? n : 1) * sizeof *pos);
    if (!dup || !pos) {
        free(dup), free(pos);
        return NULL;
    }
    for (uint64_t i = 0; i < n; i++)
        pos[i] = i;
    qsort_r(pos, n, sizeof *pos, pos_cmp, (void *)v);
    for (uint64_t i = 1; i < n; i++)
        if (v[pos[i]] == v[pos[i - 1]]) dup[pos[i]] = 1;
    free(pos);
    return dup;
}

/* Protosub lookup: CODEs with the CLONE flag and an oproot, by (oproot, file order). */
struct proto {
    uint64_t oproot, rec;
    uint32_t sv;
};
static int proto_cmp(const void *a, const void *b)
{
    const struct proto *x = a, *y = b;
    if (x->oproot != y->oproot) return x->oproot < y->oproot ? -1 : 1;
    return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static int padcv_cmp_idx(const void *a, const void *b, void *ctx)
{
    const uint32_t *sv = ctx;
    uint32_t x = sv[*(const uint32_t *)a], y = sv[*(const uint32_t *)b];
    return x < y ? -1 : x > y;
}

static void sort_padcv(struct fix *f)
{
    struct pmat_heap *h = f->h;
    uint32_t n = h->npadcv;
    if (n < 2) return;
    uint32_t *idx = malloc((size_t)n * 4), *a = malloc((size_t)n * 4), *b = malloc((size_t)n * 4);
    if (!idx || !a || !b) {
        free(idx), free(a), free(b);
        f->oom = 1;
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        idx[i] = i;
    qsort_r(idx, n, 4, padcv_cmp_idx, h->padcv_sv);
    for (uint32_t i = 0; i < n; i++)
        a[i] = h->padcv_sv[idx[i]], b[i] = h->padcv_cv[idx[i]];
    free(idx);
    free(h->padcv_sv), free(h->padcv_cv);
    h->padcv_sv = a, h->padcv_cv = b;
}

/* Re-class an ARRAY as a PADLIST / PADNAMES / PAD of cv.  Only real ARRAY records:
 * a hostile CODE may point its padlist at a SCALAR, whose header would then be read as
 * an element count. */
static void set_kind_pad(struct fix *f, uint32_t sv, uint8_t kind, uint32_t cv)
{
    struct pmat_heap *h = f->h;
    if (sv == PMAT_NONE || pmat_is_immortal(h, sv) || h->ftype[sv] != PMAT_T_ARRAY) return;
    h->kind[sv] = kind;
    padcv_add(f, sv, cv);
}

/* Does CODE cv's own glob (CvGV, from its record) hold cv in its code slot? */
static int own_glob_holds(const struct pmat_heap *h, uint32_t cv)
{
    struct pmat_record r;
    pmat_sv_record(h, cv, &r);
    uint32_t gv = r.nptrs >= 2 ? pmat_sv_at(h, r.ptrs[1]) : PMAT_NONE;
    struct pmat_glob g;
    return gv != PMAT_NONE && pmat_glob(h, gv, &g) == 0 && pmat_sv_at(h, g.code) == cv;
}

/* A SUB frame's depth is the olddepth of the previous (inner) SUB frame of the same CV,
 * or the CV's current depth.  One forward walk with a hash of CV address -> last frame
 * (a file may hold millions of one-byte context records). */
static int context_depths(struct pmat_heap *h)
{
    uint64_t cap = 16;
    while (cap < (uint64_t)h->ncontexts * 2)
        cap *= 2;
    uint32_t *tab = calloc(cap, 4); /* frame index + 1, 0 = empty */
    if (!tab) return -1;
    for (uint32_t i = 0; i < h->ncontexts; i++) {
        struct pmat_context *cx = &h->contexts[i];
        if (cx->type != PMAT_CTX_SUB) continue;
        uint64_t x = cx->cv_addr * 0x9E3779B97F4A7C15ull, k = (x ^ (x >> 29)) & (cap - 1);
        while (tab[k] && h->contexts[tab[k] - 1].cv_addr != cx->cv_addr)
            k = (k + 1) & (cap - 1);
        if (tab[k]) {
            cx->depth = h->contexts[tab[k] - 1].olddepth;
        } else {
            const struct pmat_code_info *c = pmat_code(h, cx->cv);
            cx->depth = c ? c->depth : -1;
        }
        tab[k] = i + 1;
    }
    free(tab);
    return 0;
}

int pmat__fixup(struct pmat_heap *h, const struct pmat_load_opts *opts)
{
    struct fix f = {.h = h};
    uint32_t n = h->nsv;
    const uint32_t perl_5_18 = (5u << 24) | (18u << 16);
    const uint32_t perl_5_20_max = (5u << 24) | (20u << 16) | 0xffff;

    /* 1. CODE globs from their records, then GLOB slots (which may overwrite). */
    h->code_slot = malloc((size_t)h->ntotal * 4);
    if (!h->code_slot) return -1;
    uint32_t ncodes = 0;
    for (uint32_t i = 0; i < h->ntotal; i++) {
        h->code_slot[i] = PMAT_NONE;
        if (i < n && h->kind[i] == PMAT_K_CODE) h->code_slot[i] = ncodes++;
    }
    h->codes = calloc(ncodes ? ncodes : 1, sizeof *h->codes);
    if (!h->codes) return -1;
    h->ncodes = ncodes;

    struct pmat_record r;
    for (uint32_t i = 0; i < n; i++) {
        if (h->kind[i] != PMAT_K_CODE) continue;
        pmat_sv_record(h, i, &r);
        h->glob_at[i] = r.nptrs >= 2 ? pmat_sv_at(h, r.ptrs[1]) : PMAT_NONE;
    }
    /* Devel::MAT lets whichever glob its hash order visits last win; we let the
     * lowest-addressed glob win (visit downwards), except that a CODE keeps its own
     * CvGV when that glob holds it — the sub's real name (docs/compat.md). */
    for (uint32_t i = n; i-- > 0;) {
        if (h->kind[i] != PMAT_K_GLOB) continue;
        struct pmat_glob g;
        pmat_glob(h, i, &g);
        uint64_t slots[4] = {g.scalar, g.array, g.hash, g.code};
        for (int s = 0; s < 4; s++) {
            uint32_t t = pmat_sv_at(h, slots[s]);
            if (t == PMAT_NONE || pmat_is_immortal(h, t)) continue;
            if (s == 3 && h->kind[t] == PMAT_K_CODE && h->glob_at[t] != PMAT_NONE &&
                h->glob_at[t] != i && own_glob_holds(h, t))
                continue;
            h->glob_at[t] = i;
        }
    }

    /* 2. backrefs lists */
    for (uint32_t i = 0; i < n; i++) {
        uint8_t k = h->kind[i];
        if (k != PMAT_K_HASH && k != PMAT_K_STASH && k != PMAT_K_CLASS) continue;
        struct pmat_hash hv;
        pmat_hash(h, i, &hv);
        uint32_t b = pmat_sv_at(h, hv.backrefs);
        if (b != PMAT_NONE && h->kind[b] == PMAT_K_ARRAY)
            h->flags[b] |= PMAT_AF_BACKREFS | PMAT_AF_UNREAL;
    }

    /* protosubs by oproot */
    struct proto *protos = NULL;
    uint32_t nprotos = 0;
    for (uint32_t i = 0; i < n; i++)
        if (h->kind[i] == PMAT_K_CODE && (h->flags[i] & PMAT_CF_CLONE)) nprotos++;
    protos = malloc((nprotos ? nprotos : 1) * sizeof *protos);
    if (!protos) return -1;
    nprotos = 0;

    /* 3. CODEs */
    struct codebody b;
    memset(&b, 0, sizeof b);
    uint64_t done = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (h->kind[i] != PMAT_K_CODE) continue;
        struct pmat_code_info *c = &h->codes[h->code_slot[i]];
        pmat_sv_record(h, i, &r);
        c->sv = i;
        uint32_t ul = (uint32_t)h->uint_len, pl = (uint32_t)h->ptr_len;
        c->line = r.hdrlen >= ul ? pmat_rd_uint_mem(h, r.hdr) : 0;
        c->oproot_addr = r.hdrlen >= ul + 1 + pl ? pmat_rd_ptr_mem(h, r.hdr + ul + 1) : 0;
        c->depth =
            r.hdrlen >= ul + 1 + pl + 4 ? (int64_t)pmat_rd_u32_mem(h, r.hdr + ul + 1 + pl) : -1;
        c->name_hek =
            r.hdrlen >= ul + 1 + 2 * pl + 4 ? pmat_rd_ptr_mem(h, r.hdr + ul + 1 + pl + 4) : 0;
        c->stash = r.nptrs >= 1 ? pmat_sv_at(h, r.ptrs[0]) : PMAT_NONE;
        c->glob = r.nptrs >= 2 ? pmat_sv_at(h, r.ptrs[1]) : PMAT_NONE;
        c->outside = r.nptrs >= 3 ? pmat_sv_at(h, r.ptrs[2]) : PMAT_NONE;
        c->padlist = r.nptrs >= 4 ? pmat_sv_at(h, r.ptrs[3]) : PMAT_NONE;
        c->constval = r.nptrs >= 5 ? pmat_sv_at(h, r.ptrs[4]) : PMAT_NONE;
        if (r.nstrs >= 1) c->file = r.strs[0];
        if (r.nstrs >= 2) c->hekname = r.strs[1];
        c->padnames_av = PMAT_NONE;
        c->protosub = PMAT_NONE;
        if ((h->flags[i] & PMAT_CF_CLONE) && c->oproot_addr)
            protos[nprotos++] = (struct proto){c->oproot_addr, h->rec[i], i};

        body_reset(&b);
        if (read_code_body(h, r.body, &b) < 0) {
            body_free(&b);
            free(protos);
            return -1;
        }

        if (c->padlist != PMAT_NONE && !pmat_is_immortal(h, c->padlist))
            set_kind_pad(&f, c->padlist, PMAT_K_PADLIST, i);

        uint32_t padnames = PMAT_NONE;
        uint32_t *pads = NULL;
        uint64_t npads = 0;
        uint32_t *tmp_pads = NULL;
        if (h->perlver >= perl_5_18) {
            padnames = pmat_sv_at(h, b.padnames_at);
            if (b.pads.n > 1) pads = b.pads.v + 1, npads = b.pads.n - 1;
        } else if (c->padlist != PMAT_NONE && !pmat_is_immortal(h, c->padlist)) {
            uint64_t cnt = pmat_array_count(h, c->padlist);
            if (cnt >= 1) {
                padnames = pmat_sv_at(h, pmat_array_elem(h, c->padlist, 0));
                npads = cnt - 1;
                tmp_pads = malloc((npads ? npads : 1) * 4);
                if (!tmp_pads) {
                    body_free(&b);
                    free(protos);
                    return -1;
                }
                for (uint64_t d = 0; d < npads; d++)
                    tmp_pads[d] = pmat_sv_at(h, pmat_array_elem(h, c->padlist, d + 1));
                pads = tmp_pads;
            }
        }

        /* pad names: from sub-records (perl > 5.20), else from the PADNAMES AV */
        uint64_t npn = h->perlver > perl_5_20_max ? b.pn.n : 0;
        struct pmat_padname *pnsrc = b.pn.v;
        struct pmat_padname *built = NULL;
        if (padnames != PMAT_NONE && !pmat_is_immortal(h, padnames)) {
            set_kind_pad(&f, padnames, PMAT_K_PADNAMES, i);
            c->padnames_av = padnames;
            uint64_t cnt = pmat_array_count(h, padnames);
            built = calloc(cnt ? cnt : 1, sizeof *built);
            if (!built) {
                free(tmp_pads), body_free(&b), free(protos);
                return -1;
            }
            for (uint64_t ix = 1; ix < cnt; ix++) {
                uint32_t e = pmat_sv_at(h, pmat_array_elem(h, padnames, ix));
                if (e == PMAT_NONE || pmat_is_immortal(h, e)) continue;
                struct pmat_scalar s;
                pmat_scalar(h, e, &s);
                built[ix].name = s.has_pv ? s.pv : (struct pmat_str){0, 0, 0};
                built[ix].ourstash_addr = s.ourstash_addr;
            }
            npn = cnt;
            pnsrc = built;
        }
        if (npn) {
            if (h->npadnames + npn > f.pncap) {
                uint64_t nc = f.pncap ? f.pncap : 1024;
                while (nc < h->npadnames + npn)
                    nc *= 2;
                struct pmat_padname *np = realloc(h->padnames, nc * sizeof *np);
                if (!np) {
                    free(built), free(tmp_pads), body_free(&b), free(protos);
                    return -1;
                }
                h->padnames = np, f.pncap = nc;
            }
            memcpy(h->padnames + h->npadnames, pnsrc, npn * sizeof *pnsrc);
            c->padnames_off = h->npadnames;
            c->npadnames = (uint32_t)npn;
            h->npadnames += npn;
        }
        free(built);

        for (uint64_t d = 0; d < npads; d++)
            set_kind_pad(&f, pads[d], PMAT_K_PAD, i);
        c->pads_off = pool_add(&f, pads, npads);
        c->npads = (uint32_t)npads;
        free(tmp_pads);

        c->constix_off = pool_add(&f, b.constix.v, b.constix.n);
        c->nconstix = (uint32_t)b.constix.n;
        c->gvix_off = pool_add(&f, b.gvix.v, b.gvix.n);
        c->ngvix = (uint32_t)b.gvix.n;

        /* constants and referenced globs */
        for (int which = 0; which < 2; which++) {
            struct vec32 out = {0, 0, 0};
            struct vec32 *ixs = which ? &b.gvix : &b.constix;
            /* threaded perls: the pad-index records, when there are any, replace the
             * address records (Devel::MAT keeps the latter when a CODE has no index) */
            if (h->ithreads && ixs->n) {
                uint32_t pad0 = npads ? pads[0] : PMAT_NONE;
                uint8_t *dup = uniq_marks(ixs->v, ixs->n);
                if (!dup && ixs->n) f.oom = 1;
                for (uint64_t k = 0; dup && k < ixs->n; k++) {
                    if (dup[k]) continue; /* uniq, keeping first occurrence */
                    uint32_t e = pad0 == PMAT_NONE
                                     ? PMAT_NONE
                                     : pmat_sv_at(h, pmat_array_elem(h, pad0, ixs->v[k]));
                    if (vpush(&out, e)) f.oom = 1;
                }
                free(dup);
            } else {
                struct vec32 *lo = which ? &b.gvs_addr_lo : &b.consts_addr_lo;
                struct vec32 *hi = which ? &b.gvs_addr_hi : &b.consts_addr_hi;
                for (uint64_t k = 0; k < lo->n; k++)
                    if (vpush(&out, pmat_sv_at(h, (uint64_t)hi->v[k] << 32 | lo->v[k]))) f.oom = 1;
            }
            uint64_t o = pool_add(&f, out.v, out.n);
            if (which)
                c->globrefs_off = o, c->nglobrefs = (uint32_t)out.n;
            else
                c->consts_off = o, c->nconsts = (uint32_t)out.n;
            free(out.v);
        }
        if (f.oom) break;
        if (opts && opts->progress && (++done % 20000) == 0)
            opts->progress(opts->progress_ud, "Fixing", done, ncodes);
    }
    body_free(&b);

    /* protosubs: the last CLONE CODE in file order with the same oproot */
    qsort(protos, nprotos, sizeof *protos, proto_cmp);
    for (uint32_t k = 0; k < h->ncodes; k++) {
        struct pmat_code_info *c = &h->codes[k];
        if (!(h->flags[c->sv] & PMAT_CF_CLONED) || !c->oproot_addr) continue;
        uint32_t lo = 0, hi = nprotos;
        while (lo < hi) { /* first entry with oproot > ours */
            uint32_t mid = lo + (hi - lo) / 2;
            if (protos[mid].oproot <= c->oproot_addr)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 && protos[lo - 1].oproot == c->oproot_addr) c->protosub = protos[lo - 1].sv;
    }
    free(protos);
    sort_padcv(&f);
    if (f.oom) return -1;

    /* 4. context depths: a SUB frame's depth is the olddepth of the previous (inner) frame
     * of the same CV, or the CV's current depth */
    if (h->format_minor >= 2 && context_depths(h) < 0) return -1;
    return 0;
}
