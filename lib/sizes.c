/*
 * sizes.c — plain, structure and owned sizes (see pmat_sizes.h).
 *
 * Owned sizes of every SV at once: the "owns" graph has an edge u -> t for
 * every strong (or "saved value", see followed_edge) reference from u to a
 * heap SV t whose refcount is 1.  The owned
 * set of X is everything reachable from X in that graph.  We condense the
 * graph into strongly-connected components (iterative Tarjan) and sum sizes
 * bottom-up over the component DAG.  A plain bottom-up sum double-counts only
 * where two paths below a component meet again, which needs a component with
 * two or more parent components ("shared"; in practice the rare refcount-1 SV
 * referenced twice, e.g. by two aliased globs).  Components whose reach contains
 * a shared component and that have two or more children are summed exactly by
 * a traversal that stops at "clean" sub-DAGs (no sharing anywhere below), whose
 * sums are exact already.
 */
#include <stdlib.h>
#include <string.h>

#include "pmat_refs.h"
#include "pmat_sizes.h"

struct sizes_cache {
    uint64_t *structure; /* per SV, or NULL until computed */
    uint64_t *owned;     /* per SV, or NULL until computed */
    uint32_t *stamp;     /* per SV visit marks for single-SV owned traversals */
    uint32_t epoch;
};

static void sizes_cache_free(void *p)
{
    struct sizes_cache *c = p;
    if (!c) return;
    free(c->structure);
    free(c->owned);
    free(c->stamp);
    free(c);
}

static struct sizes_cache *sizes_cache(struct pmat_heap *h)
{
    struct pmat_cache *slot = &h->caches[PMAT_CACHE_SIZES];
    if (!slot->ptr) {
        struct sizes_cache *c = calloc(1, sizeof *c);
        if (!c) return NULL;
        slot->ptr = c;
        slot->free_fn = sizes_cache_free;
    }
    return slot->ptr;
}

/* ---- SV lists ---- */

void pmat_svlist_free(struct pmat_svlist *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static int svlist_push(struct pmat_svlist *l, uint32_t sv)
{
    if (l->n == l->cap) {
        uint64_t nc = l->cap ? l->cap * 2 : 64;
        uint32_t *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) return -1;
        l->v = nv, l->cap = nc;
    }
    l->v[l->n++] = sv;
    return 0;
}

static uint64_t plain_size(const struct pmat_heap *h, uint32_t sv)
{
    return sv < h->nsv ? h->size[sv] : 0;
}

/* ---- structure set ---- */

/* Appends to *out (when out) and/or adds plain sizes to *sum the members of sv's structure
 * set after sv itself, in Devel::MAT's order.  -1 on OOM. */
static int structure_members(const struct pmat_heap *h, uint32_t sv, struct pmat_svlist *out,
                             uint64_t *sum)
{
#define MEMBER(x)                                                                                  \
    do {                                                                                           \
        uint32_t m_ = (x);                                                                         \
        if (m_ != PMAT_NONE && m_ < h->nsv) {                                                      \
            if (out && svlist_push(out, m_) < 0) return -1;                                        \
            *sum += h->size[m_];                                                                   \
        }                                                                                          \
    } while (0)

    if (sv >= h->nsv) return 0;
    switch (h->kind[sv]) {
    case PMAT_K_ARRAY:
    case PMAT_K_PADLIST:
    case PMAT_K_PADNAMES:
    case PMAT_K_PAD: {
        struct pmat_record r;
        if (pmat_sv_record(h, sv, &r) < 0) return 0;
        uint64_t n = pmat_array_count(h, sv);
        for (uint64_t i = 0; i < n; i++)
            MEMBER(pmat_sv_at(h, pmat_rd_ptr(h, r.body + i * (uint64_t)h->ptr_len)));
        break;
    }
    case PMAT_K_HASH:
    case PMAT_K_STASH:
    case PMAT_K_CLASS: {
        struct pmat_hash hv;
        if (pmat_hash(h, sv, &hv) < 0) return 0;
        uint64_t pos = hv.body, done = 0, value;
        struct pmat_str key;
        while (pmat_hash_next(h, &hv, &pos, &done, &key, &value))
            MEMBER(pmat_sv_at(h, value));
        break;
    }
    case PMAT_K_CODE: {
        const struct pmat_code_info *c = pmat_code(h, sv);
        if (!c) return 0;
        MEMBER(c->padlist);
        MEMBER(c->padnames_av);
        for (uint32_t d = 0; d < c->npads; d++)
            MEMBER(h->pool[c->pads_off + d]);
        MEMBER(c->constval);
        for (uint32_t i = 0; i < c->nconsts; i++)
            MEMBER(h->pool[c->consts_off + i]);
        for (uint32_t i = 0; i < c->nglobrefs; i++)
            MEMBER(h->pool[c->globrefs_off + i]);
        break;
    }
    default:
        break;
    }
    return 0;
#undef MEMBER
}

int pmat_structure_set(const struct pmat_heap *h, uint32_t sv, struct pmat_svlist *out)
{
    uint64_t sum = 0;
    out->n = 0;
    if (svlist_push(out, sv) < 0) return -1;
    return structure_members(h, sv, out, &sum);
}

uint64_t pmat_structure_size(const struct pmat_heap *h, uint32_t sv)
{
    uint64_t sum = plain_size(h, sv);
    structure_members(h, sv, NULL, &sum); /* cannot fail without a list */
    return sum;
}

/* ---- owned set of one SV ---- */

/* Edges an owned set follows: Devel::MAT's outrefs_strong, which (0.51 never filters
 * them by strength) also returns the inferred "saved value" edges of GLOBs, ARRAYs and
 * HASHes — the values `local` will restore, held only by the save stack. */
static inline int followed_edge(const struct pmat_heap *h, uint64_t e)
{
    return h->out_str[e] == PMAT_STRONG || pmat_ref_is_saved(h->out_kind[e]);
}

/* Is edge e an "owns" edge (followed, to a heap SV with refcount 1)? */
static inline int owns_edge(const struct pmat_heap *h, uint64_t e)
{
    uint32_t t = h->out_target[e];
    return t < h->nsv && h->refcnt[t] == 1 && followed_edge(h, e);
}

/* A fresh visit epoch for the per-SV stamp array (cleared when the counter wraps). */
static int next_epoch(struct pmat_heap *h, struct sizes_cache *c)
{
    if (!c->stamp) {
        c->stamp = calloc(h->ntotal ? h->ntotal : 1, sizeof *c->stamp);
        if (!c->stamp) return -1;
        c->epoch = 0;
    }
    if (++c->epoch == 0) {
        memset(c->stamp, 0, (size_t)h->ntotal * sizeof *c->stamp);
        c->epoch = 1;
    }
    return 0;
}

/* Depth-first over owns edges, marking at push so each SV is taken once.  Fills out (if
 * given) in visiting order and returns the size sum; UINT64_MAX on OOM. */
static uint64_t owned_walk(struct pmat_heap *h, uint32_t sv, struct pmat_svlist *out)
{
    struct sizes_cache *c = sizes_cache(h);
    if (!c || next_epoch(h, c) < 0) return UINT64_MAX;
    struct pmat_svlist stack = {0};
    uint64_t sum = 0;
    if (out) out->n = 0;
    c->stamp[sv] = c->epoch;
    if (svlist_push(&stack, sv) < 0) return UINT64_MAX;
    while (stack.n) {
        uint32_t u = stack.v[--stack.n];
        sum += plain_size(h, u);
        if (out && svlist_push(out, u) < 0) goto oom;
        for (uint64_t e = h->out_start[u]; e < h->out_start[u + 1]; e++) {
            if (!owns_edge(h, e)) continue;
            uint32_t t = h->out_target[e];
            if (c->stamp[t] == c->epoch) continue;
            c->stamp[t] = c->epoch;
            if (svlist_push(&stack, t) < 0) goto oom;
        }
    }
    pmat_svlist_free(&stack);
    return sum;
oom:
    pmat_svlist_free(&stack);
    return UINT64_MAX;
}

int pmat_owned_set(struct pmat_heap *h, uint32_t sv, struct pmat_svlist *out)
{
    return owned_walk(h, sv, out) == UINT64_MAX ? -1 : 0;
}

int pmat_owned_size(struct pmat_heap *h, uint32_t sv, uint64_t *size)
{
    struct sizes_cache *c = sizes_cache(h);
    *size = c && c->owned ? c->owned[sv] : owned_walk(h, sv, NULL);
    return *size == UINT64_MAX ? PMAT_ENOMEM : 0;
}

/* ---- owned sizes of every SV ---- */

/* Strongly-connected components of the owns graph (iterative Tarjan).  comp[v] receives
 * the component number; components are numbered in completion order, so every component
 * reachable from c has a number below c.  Returns the count, or -1 on OOM. */
static int64_t owns_components(const struct pmat_heap *h, uint32_t *comp)
{
    uint32_t n = h->nsv;
    const uint32_t UNSET = UINT32_MAX;
    uint32_t *order = calloc(n ? n : 1, sizeof *order); /* DFS number + 1; 0 = unvisited */
    uint32_t *low = malloc((n ? n : 1) * sizeof *low);
    uint32_t *tstack = malloc((n ? n : 1) * sizeof *tstack);
    uint32_t *cs_node = malloc((n ? n : 1) * sizeof *cs_node);
    uint64_t *cs_edge = malloc((n ? n : 1) * sizeof *cs_edge);
    if (!order || !low || !tstack || !cs_node || !cs_edge) {
        free(order), free(low), free(tstack), free(cs_node), free(cs_edge);
        return -1;
    }
    uint32_t counter = 0, ncomp = 0, tsp = 0, csp = 0;
    for (uint32_t v = 0; v < n; v++)
        comp[v] = UNSET;

    for (uint32_t s = 0; s < n; s++) {
        if (order[s]) continue;
        order[s] = low[s] = ++counter;
        tstack[tsp++] = s;
        cs_node[csp] = s, cs_edge[csp] = h->out_start[s], csp++;
        while (csp) {
            uint32_t v = cs_node[csp - 1];
            uint64_t e = cs_edge[csp - 1];
            if (e < h->out_start[v + 1]) {
                cs_edge[csp - 1]++;
                if (!owns_edge(h, e)) continue;
                uint32_t w = h->out_target[e];
                if (!order[w]) {
                    order[w] = low[w] = ++counter;
                    tstack[tsp++] = w;
                    cs_node[csp] = w, cs_edge[csp] = h->out_start[w], csp++;
                } else if (comp[w] == UNSET && order[w] < low[v]) {
                    low[v] = order[w]; /* w is still on the Tarjan stack */
                }
                continue;
            }
            csp--;
            if (low[v] == order[v]) {
                uint32_t w;
                do {
                    w = tstack[--tsp];
                    comp[w] = ncomp;
                } while (w != v);
                ncomp++;
            }
            if (csp) {
                uint32_t u = cs_node[csp - 1];
                if (low[v] < low[u]) low[u] = low[v];
            }
        }
    }
    free(order), free(low), free(tstack), free(cs_node), free(cs_edge);
    return ncomp;
}

/* Owned size of every heap SV into owned[] (see the file comment).  0, or -1 on OOM. */
static int compute_all_owned(const struct pmat_heap *h, uint64_t *owned)
{
    uint32_t n = h->nsv;
    int rc = -1;
    uint32_t *comp = malloc((n ? n : 1) * sizeof *comp);
    uint32_t *start = NULL, *members = NULL, *mark = NULL, *stack = NULL;
    uint64_t *own = NULL, *total = NULL;
    uint8_t *indeg = NULL, *dirty = NULL;
    if (!comp) return -1;
    int64_t nc64 = owns_components(h, comp);
    if (nc64 < 0) goto out;
    uint32_t nc = (uint32_t)nc64;

    /* members of each component, grouped (counting sort) */
    start = calloc((size_t)nc + 1, sizeof *start);
    members = malloc((n ? n : 1) * sizeof *members);
    own = calloc(nc ? nc : 1, sizeof *own);
    total = malloc((nc ? nc : 1) * sizeof *total);
    indeg = calloc(nc ? nc : 1, 1);
    dirty = calloc(nc ? nc : 1, 1);
    mark = malloc((nc ? nc : 1) * sizeof *mark);
    stack = malloc((nc ? nc : 1) * sizeof *stack);
    if (!start || !members || !own || !total || !indeg || !dirty || !mark || !stack) goto out;
    for (uint32_t v = 0; v < n; v++)
        start[comp[v] + 1]++, own[comp[v]] += h->size[v];
    for (uint32_t c = 0; c < nc; c++)
        start[c + 1] += start[c];
    for (uint32_t v = 0; v < n; v++)
        members[start[comp[v]]++] = v;
    for (uint32_t c = nc; c > 0; c--)
        start[c] = start[c - 1];
    start[0] = 0;

#define FOR_CHILDREN(c, d, BODY)                                                                   \
    for (uint32_t mi_ = start[c]; mi_ < start[(c) + 1]; mi_++) {                                   \
        uint32_t u_ = members[mi_];                                                                \
        for (uint64_t e_ = h->out_start[u_]; e_ < h->out_start[u_ + 1]; e_++) {                    \
            if (!owns_edge(h, e_)) continue;                                                       \
            uint32_t d = comp[h->out_target[e_]];                                                  \
            if (d == (c)) continue;                                                                \
            BODY                                                                                   \
        }                                                                                          \
    }

    /* number of distinct parent components, saturated at 2 */
    for (uint32_t c = 0; c < nc; c++)
        mark[c] = UINT32_MAX;
    for (uint32_t c = 0; c < nc; c++) {
        FOR_CHILDREN(c, d, {
            if (mark[d] == c) continue;
            mark[d] = c;
            if (indeg[d] < 2) indeg[d]++;
        })
    }

    /* bottom-up sums: children have lower numbers */
    for (uint32_t c = 0; c < nc; c++)
        mark[c] = UINT32_MAX;
    uint32_t epoch = 0; /* marks for exact traversals use values >= nc */
    for (uint32_t c = 0; c < nc; c++) {
        uint64_t sum = own[c];
        uint32_t nchild = 0;
        uint8_t dirt = 0;
        FOR_CHILDREN(c, d, {
            if (mark[d] == c) continue;
            mark[d] = c;
            nchild++;
            sum += total[d];
            if (indeg[d] >= 2 || dirty[d]) dirt = 1;
        })
        if (nchild >= 2 && dirt) {
            /* exact: walk the non-clean part of the reach, adding clean sub-DAGs whole */
            uint32_t tag = nc + epoch++;
            if (tag < nc) { /* wrapped: reset the marks */
                for (uint32_t k = 0; k < nc; k++)
                    mark[k] = UINT32_MAX;
                epoch = 1, tag = nc;
            }
            uint32_t sp = 0;
            sum = own[c];
            mark[c] = tag;
            stack[sp++] = c;
            while (sp) {
                uint32_t x = stack[--sp];
                FOR_CHILDREN(x, d, {
                    if (mark[d] == tag) continue;
                    mark[d] = tag;
                    if (indeg[d] < 2 && !dirty[d]) {
                        sum += total[d];
                    } else {
                        sum += own[d];
                        stack[sp++] = d;
                    }
                })
            }
        }
        total[c] = sum;
        dirty[c] = dirt;
    }
#undef FOR_CHILDREN
    for (uint32_t v = 0; v < n; v++)
        owned[v] = total[comp[v]];
    rc = 0;
out:
    free(comp), free(start), free(members), free(mark), free(stack);
    free(own), free(total), free(indeg), free(dirty);
    return rc;
}

const uint64_t *pmat_all_sizes(struct pmat_heap *h, enum pmat_size_metric m)
{
    if (m == PMAT_SIZE_PLAIN) return h->size;
    struct sizes_cache *c = sizes_cache(h);
    if (!c) return NULL;
    uint64_t **slot = m == PMAT_SIZE_STRUCTURE ? &c->structure : &c->owned;
    if (*slot) return *slot;
    uint64_t *a = calloc(h->ntotal ? h->ntotal : 1, sizeof *a);
    if (!a) return NULL;
    if (m == PMAT_SIZE_STRUCTURE) {
        for (uint32_t sv = 0; sv < h->nsv; sv++)
            a[sv] = pmat_structure_size(h, sv);
    } else if (compute_all_owned(h, a) < 0) {
        free(a);
        return NULL;
    }
    *slot = a;
    return a;
}

int pmat_size_of(struct pmat_heap *h, uint32_t sv, enum pmat_size_metric m, uint64_t *size)
{
    switch (m) {
    case PMAT_SIZE_PLAIN:
        *size = plain_size(h, sv);
        return 0;
    case PMAT_SIZE_STRUCTURE: {
        struct sizes_cache *c = sizes_cache(h);
        *size = c && c->structure ? c->structure[sv] : pmat_structure_size(h, sv);
        return 0;
    }
    case PMAT_SIZE_OWNED:
        return pmat_owned_size(h, sv, size);
    }
    *size = 0;
    return PMAT_EINVALID;
}

int pmat_size_set(struct pmat_heap *h, uint32_t sv, enum pmat_size_metric m,
                  struct pmat_svlist *out)
{
    switch (m) {
    case PMAT_SIZE_STRUCTURE:
        return pmat_structure_set(h, sv, out);
    case PMAT_SIZE_OWNED:
        return pmat_owned_set(h, sv, out);
    default:
        out->n = 0;
        return svlist_push(out, sv);
    }
}
