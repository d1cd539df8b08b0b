/*
 * unreachable.c — the unreachable components grouped by class, why an
 * unreachable SV is alive, and shortest paths (see pmat_unreachable.h).
 *
 * Everything here reads the dominator result (pmat_dominators.h); the path
 * searches are breadth-first over strong references and remember only the SVs
 * they visit (a small open-addressing map), so asking about one SV in a heap of
 * tens of millions costs memory in proportion to what the search explores.
 */
#include "pmat_unreachable.h"
#include "pmat_dominators.h"
#include "pmat_refs.h"
#include "pmat_text.h"

#include <stdlib.h>
#include <string.h>

#define NOPE UINT32_MAX

/* ---- a map SV -> (link SV, edge), for the breadth-first searches ---- */

struct visit {
    uint32_t sv, link; /* sv == NOPE: empty slot */
    uint64_t edge;
};
struct vmap {
    struct visit *slot;
    size_t cap, n; /* cap: a power of two */
};

static size_t vhash(uint32_t sv, size_t cap)
{
    return (size_t)(sv * 2654435761u) & (cap - 1);
}

static struct visit *vfind(const struct vmap *m, uint32_t sv)
{
    for (size_t i = vhash(sv, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->slot[i].sv == sv) return &m->slot[i];
        if (m->slot[i].sv == NOPE) return NULL;
    }
}

static int vinit(struct vmap *m)
{
    m->cap = 64, m->n = 0;
    m->slot = malloc(m->cap * sizeof *m->slot);
    if (!m->slot) return -1;
    for (size_t i = 0; i < m->cap; i++)
        m->slot[i].sv = NOPE;
    return 0;
}

/* Insert (sv must not be present); keeps the load under one half. */
static int vput(struct vmap *m, uint32_t sv, uint32_t link, uint64_t edge)
{
    if (2 * (m->n + 1) > m->cap) {
        struct vmap g = {malloc(2 * m->cap * sizeof *m->slot), 2 * m->cap, 0};
        if (!g.slot) return -1;
        for (size_t i = 0; i < g.cap; i++)
            g.slot[i].sv = NOPE;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slot[i].sv != NOPE) {
                size_t j = vhash(m->slot[i].sv, g.cap);
                while (g.slot[j].sv != NOPE)
                    j = (j + 1) & (g.cap - 1);
                g.slot[j] = m->slot[i];
            }
        g.n = m->n;
        free(m->slot);
        *m = g;
    }
    size_t j = vhash(sv, m->cap);
    while (m->slot[j].sv != NOPE)
        j = (j + 1) & (m->cap - 1);
    m->slot[j] = (struct visit){sv, link, edge};
    m->n++;
    return 0;
}

/* A growable FIFO of SVs. */
struct fifo {
    uint32_t *v;
    size_t head, n, cap;
};

static int fpush(struct fifo *q, uint32_t sv)
{
    if (q->n == q->cap) {
        size_t nc = q->cap ? 2 * q->cap : 256;
        uint32_t *nv = realloc(q->v, nc * sizeof *nv);
        if (!nv) return -1;
        q->v = nv, q->cap = nc;
    }
    q->v[q->n++] = sv;
    return 0;
}

void pmat_path_free(struct pmat_path *p)
{
    free(p->v);
    p->v = NULL;
    p->n = 0;
}

/* ---- groups ---- */

static int by_group_size(const void *a, const void *b, void *ctx)
{
    const struct pmat_unreach_group *x = a, *y = b;
    const struct pmat_heap *h = ctx;
    if (x->bytes != y->bytes) return x->bytes > y->bytes ? -1 : 1;
    if (x->components != y->components) return x->components > y->components ? -1 : 1;
    return h->addr[x->example] < h->addr[y->example] ? -1
                                                     : h->addr[x->example] > h->addr[y->example];
}

int pmat_unreach_groups(struct pmat_heap *h, struct pmat_unreach_group **out, uint64_t *n)
{
    *out = NULL, *n = 0;
    const struct pmat_dominators *d = pmat_dominators(h);
    if (!d) return -1;
    const uint32_t *comp;
    uint64_t nc = pmat_dom_children(h, PMAT_DOM_UNREACHABLE, &comp);
    if (!comp) return PMAT_ENOMEM;
    struct vmap m; /* group key -> row index (in link) */
    if (vinit(&m) < 0) return -1;
    struct pmat_unreach_group *g = NULL;
    uint64_t ng = 0, cap = 0;
    /* components come largest first, so each group's first one is its example */
    for (uint64_t i = 0; i < nc; i++) {
        uint32_t c = comp[i], s = h->blessed[c];
        int undef = h->kind[c] == PMAT_K_SCALAR && h->ftype[c] == PMAT_T_UNDEF;
        uint32_t key = s != PMAT_NONE ? s : NOPE - 1 - (undef ? PMAT_K__COUNT : h->kind[c]);
        struct visit *v = vfind(&m, key);
        uint64_t row;
        if (v) {
            row = v->link;
        } else {
            if (ng == cap) {
                cap = cap ? 2 * cap : 16;
                struct pmat_unreach_group *ngp = realloc(g, cap * sizeof *g);
                if (!ngp) goto oom;
                g = ngp;
            }
            row = ng++;
            g[row] = (struct pmat_unreach_group){
                s, undef ? "UNDEF" : pmat_kind_name(h->kind[c]), 0, 0, 0, c};
            if (vput(&m, key, (uint32_t)row, 0) < 0) goto oom;
        }
        g[row].components++;
        g[row].svs += d->count[c];
        g[row].bytes += d->retained[c];
    }
    free(m.slot);
    if (ng > 1) qsort_r(g, ng, sizeof *g, by_group_size, h);
    *out = g, *n = ng;
    return 0;
oom:
    free(m.slot), free(g);
    return -1;
}

/* ---- cycles ---- */

/* Breadth-first from `from` until an edge leads to `to` (to == from: a cycle),
 * staying on from's side (reachable or not).  The steps go from `from` up to the
 * SV whose edge reaches `to`; `to` itself is not a step. */
static int bfs_to(struct pmat_heap *h, uint32_t from, uint32_t to, struct pmat_path *p)
{
    p->v = NULL, p->n = 0, p->root = NULL;
    const struct pmat_dominators *d = pmat_dominators(h);
    if (!d) return -1;
    int unreach = pmat_dom_is_unreachable(d, from);
    struct vmap m;
    struct fifo q = {0};
    if (vinit(&m) < 0) return -1;
    int rc = -1;
    if (vput(&m, from, NOPE, 0) < 0 || fpush(&q, from) < 0) goto out;
    while (q.head < q.n) {
        uint32_t x = q.v[q.head++];
        for (uint64_t e = h->out_start[x]; e < h->out_start[x + 1]; e++) {
            if (h->out_str[e] != PMAT_STRONG) continue;
            uint32_t w = h->out_target[e];
            if (pmat_dom_is_unreachable(d, w) != unreach) continue;
            if (w == to) { /* found: walk the links back from x */
                size_t len = 1;
                for (uint32_t y = x; y != from; y = vfind(&m, y)->link)
                    len++;
                p->v = malloc(len * sizeof *p->v);
                if (!p->v) goto out;
                p->n = len;
                p->v[len - 1] = (struct pmat_path_step){x, e};
                size_t i = len - 1;
                for (uint32_t y = x; y != from;) {
                    const struct visit *vy = vfind(&m, y);
                    p->v[--i] = (struct pmat_path_step){vy->link, vy->edge};
                    y = vy->link;
                }
                rc = 1;
                goto out;
            }
            if (vfind(&m, w)) continue;
            if (vput(&m, w, x, e) < 0 || fpush(&q, w) < 0) goto out;
        }
    }
    rc = 0;
out:
    free(m.slot), free(q.v);
    return rc;
}

int pmat_unreach_cycle(struct pmat_heap *h, uint32_t sv, struct pmat_path *p)
{
    return bfs_to(h, sv, sv, p);
}

int pmat_path_between(struct pmat_heap *h, uint32_t from, uint32_t to, struct pmat_path *p)
{
    if (from == to) {
        p->v = NULL, p->n = 0, p->root = NULL;
        return 1;
    }
    return bfs_to(h, from, to, p);
}

int pmat_unreach_why(struct pmat_heap *h, uint32_t sv, struct pmat_unreach_why *w)
{
    memset(w, 0, sizeof *w);
    const struct pmat_dominators *d = pmat_dominators(h);
    if (!d) return -1;
    if (sv >= h->nsv || !pmat_dom_is_unreachable(d, sv)) return 0;
    uint32_t c = sv;
    while (d->idom[c] != PMAT_DOM_UNREACHABLE)
        c = d->idom[c];
    w->component = c;
    long ei = pmat_dom_entry_index(d, c);
    if (ei < 0) {
        w->cause = PMAT_UC_SHARED;
        if (pmat_inrefs_build(h) < 0) return -1;
        uint32_t last = NOPE;
        for (uint64_t i = h->in_start[c]; i < h->in_start[c + 1]; i++) {
            uint32_t src = h->in_source[i];
            if (h->out_str[h->in_edge[i]] != PMAT_STRONG || src == last) continue;
            if (pmat_dom_is_unreachable(d, src)) w->holders++, last = src;
        }
        return 1;
    }
    if (!d->entry_cycle[ei]) {
        w->cause = PMAT_UC_REFCOUNT;
        return 1;
    }
    w->cause = PMAT_UC_CYCLE;
    w->scc_svs = d->entry_cycle[ei];
    struct pmat_path p;
    int rc = pmat_unreach_cycle(h, c, &p);
    if (rc < 0) return -1;
    w->cycle_svs = (uint32_t)p.n;
    pmat_path_free(&p);
    return 1;
}

/* ---- shortest path from the roots ---- */

static int has_u32(const uint32_t *v, uint64_t n, uint32_t x)
{
    uint64_t lo = 0, hi = n;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == x;
}

/* Why sv is one of the dominator graph's roots, in the order root_targets lists them. */
static const char *root_reason(const struct pmat_heap *h, uint32_t sv)
{
    for (uint32_t i = 0; i < h->nroots; i++)
        if (h->roots[i].strong && h->roots[i].sv == sv) return h->roots[i].desc;
    for (uint64_t i = 0; i < h->nstack; i++)
        if (h->stack[i] == sv) return "a value on the stack";
    for (uint32_t i = 0; i < h->ncontexts; i++) {
        const struct pmat_context *c = &h->contexts[i];
        if (c->cv == sv) return "the sub of a call frame";
        if (c->args == sv) return "the @_ of a call frame";
        if (c->codesv == sv) return "the code of an eval frame";
    }
    for (uint64_t i = 0; i < h->nmortals; i++)
        if (pmat_sv_at(h, h->mortal_addr[i]) == sv) return "a mortal";
    return "a value saved by local";
}

int pmat_shortest_path(struct pmat_heap *h, uint32_t sv, struct pmat_path *p)
{
    p->v = NULL, p->n = 0, p->root = NULL;
    const struct pmat_dominators *d = pmat_dominators(h);
    if (!d) return -1;
    if (pmat_dom_is_unreachable(d, sv)) return 0;
    if (pmat_inrefs_build(h) < 0) return -1;
    uint64_t nr;
    uint32_t *roots = pmat_dom_root_targets(h, &nr);
    if (!roots) return -1;
    struct vmap m; /* SV -> the next SV towards sv, and the edge to it */
    struct fifo q = {0};
    int rc = -1;
    if (vinit(&m) < 0) {
        free(roots);
        return -1;
    }
    if (vput(&m, sv, NOPE, 0) < 0 || fpush(&q, sv) < 0) goto out;
    while (q.head < q.n) {
        uint32_t x = q.v[q.head++];
        if (has_u32(roots, nr, x)) {
            size_t len = 0;
            for (uint32_t y = x; y != NOPE; y = vfind(&m, y)->link)
                len++;
            p->v = malloc(len * sizeof *p->v);
            if (!p->v) goto out;
            p->n = 0;
            for (uint32_t y = x; y != NOPE;) {
                const struct visit *vy = vfind(&m, y);
                p->v[p->n++] = (struct pmat_path_step){y, vy->edge};
                y = vy->link;
            }
            p->root = root_reason(h, x);
            rc = 1;
            goto out;
        }
        if (x >= h->nsv) continue; /* immortals have no incoming index */
        for (uint64_t i = h->in_start[x]; i < h->in_start[x + 1]; i++) {
            uint64_t e = h->in_edge[i];
            uint32_t src = h->in_source[i];
            if (h->out_str[e] != PMAT_STRONG || vfind(&m, src)) continue;
            if (vput(&m, src, x, e) < 0 || fpush(&q, src) < 0) goto out;
        }
    }
    rc = 0; /* reachable, yet no path: cannot happen with a consistent graph */
out:
    free(m.slot), free(q.v), free(roots);
    return rc;
}
