/*
 * strtab.c — the users of shared HEKs (see pmat_strtab.h).
 */
#include <stdlib.h>

#include "pmat_strtab.h"

struct uses {
    struct pmat_hek_use *v;
    uint64_t n, cap;
};

static void uses_free(void *p)
{
    struct uses *u = p;
    if (u) free(u->v);
    free(u);
}

static int add(struct uses *u, uint64_t hek, uint32_t sv, uint8_t role)
{
    if (!hek) return 0;
    if (u->n == u->cap) {
        uint64_t nc = u->cap ? u->cap * 2 : 1024;
        struct pmat_hek_use *v = realloc(u->v, nc * sizeof *v);
        if (!v) return -1;
        u->v = v, u->cap = nc;
    }
    u->v[u->n++] = (struct pmat_hek_use){hek, sv, role};
    return 0;
}

static int by_hek(const void *x, const void *y)
{
    const struct pmat_hek_use *a = x, *b = y;
    if (a->hek != b->hek) return a->hek < b->hek ? -1 : 1;
    return (a->sv > b->sv) - (a->sv < b->sv); /* SV index order is address order */
}

/* A scalar Devel::MAT 0.56 calls "SCALAR" (not "UNDEF"): one with some value. */
static int has_value(const struct pmat_heap *h, uint32_t sv)
{
    struct pmat_scalar s;
    if (pmat_scalar(h, sv, &s) < 0) return 0;
    return s.has_uv || s.has_iv || s.has_nv || s.has_pv;
}

const struct pmat_hek_use *pmat_hek_uses(struct pmat_heap *h, uint64_t *n)
{
    struct pmat_cache *slot = &h->caches[PMAT_CACHE_STRTAB];
    struct uses *u = slot->ptr;
    if (!u) {
        u = calloc(1, sizeof *u);
        if (!u) return NULL;
        const struct pmat_root *st = pmat_root_by_name(h, "strtab");
        uint32_t strtab = st ? st->sv : PMAT_NONE;
        int oom = 0;
        for (uint32_t sv = 0; sv < h->nsv && !oom; sv++) {
            switch (h->kind[sv]) {
            case PMAT_K_HASH: {
                if (sv == strtab) break;
                struct pmat_hash hv;
                if (pmat_hash(h, sv, &hv) < 0) break;
                uint64_t pos = hv.body, done = 0, hek, val;
                struct pmat_str key;
                while (!oom && pmat_hash_next_hek(h, &hv, &pos, &done, &key, &hek, &val))
                    oom = add(u, hek, sv, PMAT_HEK_KEY) < 0;
                break;
            }
            case PMAT_K_GLOB: {
                struct pmat_glob g;
                if (pmat_glob(h, sv, &g) == 0) oom = add(u, g.name_hek, sv, PMAT_HEK_NAME) < 0;
                break;
            }
            case PMAT_K_CODE: {
                const struct pmat_code_info *c = pmat_code(h, sv);
                if (c) oom = add(u, c->name_hek, sv, PMAT_HEK_NAME) < 0;
                break;
            }
            case PMAT_K_SCALAR:
                if (has_value(h, sv))
                    oom = add(u, pmat_sv_shared_hek(h, sv), sv, PMAT_HEK_SHARED_PV) < 0;
                break;
            default:
                break;
            }
        }
        if (oom) {
            uses_free(u);
            return NULL;
        }
        if (u->n > 1) qsort(u->v, u->n, sizeof *u->v, by_hek);
        slot->ptr = u, slot->free_fn = uses_free;
    }
    /* a dump without HEK pointers (format < 0.6) has no users: an empty list, not NULL */
    static const struct pmat_hek_use none[1];
    *n = u->n;
    return u->n ? u->v : none;
}

uint64_t pmat_hek_uses_of(const struct pmat_hek_use *u, uint64_t n, uint64_t hek, uint64_t *first)
{
    uint64_t lo = 0, hi = n;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (u[mid].hek < hek)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    uint64_t e = lo;
    while (e < n && u[e].hek == hek)
        e++;
    return e - lo;
}
