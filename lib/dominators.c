/*
 * dominators.c — dominator tree and retained sizes (see pmat_dominators.h for
 * the graph's definition).
 *
 * Nodes are numbered in DFS preorder from the virtual root (number 0), which
 * makes every array below a flat u32 array over reachable nodes only.  The
 * semi-NCA algorithm then needs, per node: its DFS parent, its semidominator,
 * the path-compression forest (ancestor + label) and, at the end, its
 * immediate dominator — all preorder numbers.
 */
#include "pmat_dominators.h"
#include "pmat_refs.h"

#include <stdlib.h>
#include <string.h>

#define NOPE UINT32_MAX

static void dom_free(void *p)
{
    struct pmat_dominators *d = p;
    if (!d) return;
    free(d->idom), free(d->retained), free(d->count), free(d->child_start), free(d->child);
    free(d);
}

/* Append the SVs that the virtual root points at: strong roots, stack, contexts,
 * mortals, and values held by the save stack. */
static uint32_t *root_targets(const struct pmat_heap *h, uint64_t *n)
{
    uint64_t cap = h->nroots + h->nstack + 3 * (uint64_t)h->ncontexts + h->nmortals + 16, k = 0;
    for (uint64_t i = 0; i < h->nexts; i++)
        if (h->exts[i].type >= 0x81 && h->exts[i].type <= 0x86) cap += 2;
    uint32_t *r = malloc(cap * 4);
    if (!r) return NULL;
    for (uint32_t i = 0; i < h->nroots; i++)
        if (h->roots[i].strong && h->roots[i].sv != PMAT_NONE) r[k++] = h->roots[i].sv;
    for (uint64_t i = 0; i < h->nstack; i++)
        if (h->stack[i] != PMAT_NONE) r[k++] = h->stack[i];
    for (uint32_t i = 0; i < h->ncontexts; i++) {
        const struct pmat_context *c = &h->contexts[i];
        uint32_t cs[3] = {c->cv, c->args, c->codesv};
        for (int j = 0; j < 3; j++)
            if (cs[j] != PMAT_NONE) r[k++] = cs[j];
    }
    for (uint64_t i = 0; i < h->nmortals; i++) {
        uint32_t sv = pmat_sv_at(h, h->mortal_addr[i]);
        if (sv != PMAT_NONE) r[k++] = sv;
    }
    for (uint64_t i = 0; i < h->nexts; i++) {
        const struct pmat_ext *e = &h->exts[i];
        if (e->type < 0x81 || e->type > 0x86) continue;
        uint64_t ix, p0, p1;
        pmat_ext_saved(h, e, &ix, &p0, &p1);
        uint32_t a = pmat_sv_at(h, p0), b = e->type == 0x85 ? pmat_sv_at(h, p1) : PMAT_NONE;
        if (a != PMAT_NONE) r[k++] = a;
        if (b != PMAT_NONE) r[k++] = b;
    }
    *n = k;
    return r;
}

/* The strong successors of node sv (sv == ntotal: the virtual root). */
struct succ {
    const uint32_t *list; /* for the virtual root */
    uint64_t lo, hi;      /* edge range for an SV */
};

static struct succ successors(const struct pmat_heap *h, uint32_t sv, const uint32_t *roots,
                              uint64_t nroots)
{
    struct succ s = {NULL, 0, 0};
    if (sv == h->ntotal) {
        s.list = roots;
        s.hi = nroots;
    } else {
        s.lo = h->out_start[sv];
        s.hi = h->out_start[sv + 1];
    }
    return s;
}

static uint32_t succ_at(const struct pmat_heap *h, const struct succ *s, uint64_t i)
{
    if (s->list) return s->list[i];
    return h->out_str[i] == PMAT_STRONG ? h->out_target[i] : NOPE;
}

/* One pass over the strong edges out of reachable nodes, in SV order (so the
 * edge arrays are read front to back, not in the DFS's scattered order): without
 * preds, count each target's predecessors into slot[pre[target] + 1]; with preds,
 * store the source's preorder number at preds[slot[pre[target]]++].  The order of a
 * node's predecessors does not matter to the semidominator minimum. */
static void pred_pass(const struct pmat_heap *h, const uint32_t *pre, const uint32_t *roots,
                      uint64_t nroots, uint64_t *slot, uint32_t *preds)
{
    uint32_t N = h->ntotal;
    for (uint32_t v = 0; v <= N; v++) {
        uint32_t pv = pre[v];
        if (pv == NOPE) continue;
        struct succ s = successors(h, v, roots, nroots);
        for (uint64_t e = s.lo; e < s.hi; e++) {
            uint32_t w = succ_at(h, &s, e);
            if (w == NOPE || pre[w] == NOPE) continue;
            if (preds)
                preds[slot[pre[w]]++] = pv;
            else
                slot[pre[w] + 1]++;
        }
    }
}

/* eval() of the path-compressed forest, iteratively: returns the label with the
 * smallest semidominator on the path from v to its forest root. */
static uint32_t eval_node(uint32_t v, uint32_t *ancestor, uint32_t *label, const uint32_t *semi,
                          uint32_t *stack)
{
    if (ancestor[v] == NOPE) return v;
    uint32_t top = 0, x = v;
    while (ancestor[ancestor[x]] != NOPE) {
        stack[top++] = x;
        x = ancestor[x];
    }
    while (top) {
        x = stack[--top];
        uint32_t a = ancestor[x];
        if (semi[label[a]] < semi[label[x]]) label[x] = label[a];
        ancestor[x] = ancestor[a];
    }
    return label[v];
}

const struct pmat_dominators *pmat_dominators(struct pmat_heap *h)
{
    if (h->caches[PMAT_CACHE_DOM].ptr) return h->caches[PMAT_CACHE_DOM].ptr;
    uint32_t N = h->ntotal;
    struct pmat_dominators *d = calloc(1, sizeof *d);
    uint64_t nroots = 0;
    uint32_t *roots = root_targets(h, &nroots);
    uint32_t *pre = malloc(((size_t)N + 1) * 4);    /* SV -> preorder, NOPE = unvisited */
    uint32_t *vertex = malloc(((size_t)N + 1) * 4); /* preorder -> SV (0 = root = N) */
    uint32_t *parent = malloc(((size_t)N + 1) * 4);
    uint32_t *stk_node = malloc(((size_t)N + 1) * 4);
    uint64_t *stk_edge = malloc(((size_t)N + 1) * 8);
    uint32_t *semi = NULL, *ancestor = NULL, *label = NULL, *idom = NULL, *tmp = NULL;
    uint64_t *pstart = NULL;
    uint32_t *preds = NULL;
    if (!d || !roots || !pre || !vertex || !parent || !stk_node || !stk_edge) goto oom;

    /* 1. iterative DFS from the virtual root over strong edges */
    for (uint32_t i = 0; i <= N; i++) pre[i] = NOPE;
    uint32_t n = 0, sp = 0;
    pre[N] = n;
    vertex[n] = N;
    parent[n] = NOPE;
    n++;
    stk_node[sp] = N;
    stk_edge[sp++] = successors(h, N, roots, nroots).lo;
    while (sp) {
        uint32_t v = stk_node[sp - 1];
        struct succ s = successors(h, v, roots, nroots);
        uint64_t e = stk_edge[sp - 1];
        uint32_t next = NOPE;
        while (e < s.hi) {
            uint32_t w = succ_at(h, &s, e++);
            if (w != NOPE && pre[w] == NOPE) {
                next = w;
                break;
            }
        }
        stk_edge[sp - 1] = e;
        if (next == NOPE) {
            sp--;
            continue;
        }
        pre[next] = n;
        vertex[n] = next;
        parent[n] = pre[v];
        n++;
        stk_node[sp] = next;
        stk_edge[sp++] = successors(h, next, roots, nroots).lo;
    }
    free(stk_node), free(stk_edge);
    stk_node = NULL, stk_edge = NULL;

    /* 2. predecessors of reachable nodes, as preorder numbers (CSR by counting sort) */
    pstart = calloc((size_t)n + 1, 8);
    if (!pstart) goto oom;
    pred_pass(h, pre, roots, nroots, pstart, NULL);
    for (uint32_t p = 0; p < n; p++) pstart[p + 1] += pstart[p];
    preds = malloc((pstart[n] ? pstart[n] : 1) * 4);
    uint64_t *fill = malloc(((size_t)n + 1) * 8);
    if (!preds || !fill) {
        free(fill);
        goto oom;
    }
    memcpy(fill, pstart, ((size_t)n + 1) * 8);
    pred_pass(h, pre, roots, nroots, fill, preds);
    free(fill);

    /* 3. semidominators in reverse preorder, then immediate dominators (semi-NCA) */
    semi = malloc((size_t)n * 4);
    ancestor = malloc((size_t)n * 4);
    label = malloc((size_t)n * 4);
    idom = malloc((size_t)n * 4);
    tmp = malloc((size_t)n * 4);
    if (!semi || !ancestor || !label || !idom || !tmp) goto oom;
    for (uint32_t p = 0; p < n; p++) semi[p] = label[p] = p, ancestor[p] = NOPE;
    for (uint32_t w = n; w-- > 1;) {
        uint32_t sw = semi[w];
        for (uint64_t i = pstart[w]; i < pstart[w + 1]; i++) {
            uint32_t u = eval_node(preds[i], ancestor, label, semi, tmp);
            if (semi[u] < sw) sw = semi[u];
        }
        semi[w] = sw;
        ancestor[w] = parent[w];
    }
    idom[0] = NOPE;
    for (uint32_t w = 1; w < n; w++) {
        uint32_t x = parent[w];
        while (x > semi[w]) x = idom[x];
        idom[w] = x;
    }
    free(preds), free(pstart), free(ancestor), free(label), free(semi), free(tmp), free(parent);
    preds = NULL, pstart = NULL, ancestor = label = semi = tmp = parent = NULL;

    /* 4. retained sizes bottom-up (a node's idom precedes it in preorder) */
    d->idom = malloc((size_t)N * 4);
    d->retained = calloc(N, 8);
    d->count = calloc(N, 4);
    uint64_t *ret = calloc(n, 8);
    uint32_t *cnt = calloc(n, 4);
    if (!d->idom || !d->retained || !d->count || !ret || !cnt) {
        free(ret), free(cnt);
        goto oom;
    }
    for (uint32_t w = n; w-- > 1;) {
        ret[w] += h->size[vertex[w]];
        cnt[w] += 1;
        ret[idom[w]] += ret[w];
        cnt[idom[w]] += cnt[w];
    }
    for (uint32_t sv = 0; sv < N; sv++) {
        uint32_t p = pre[sv];
        if (p == NOPE) {
            d->idom[sv] = PMAT_DOM_UNREACHABLE;
            if (sv < h->nsv) d->unreachable++, d->unreachable_size += h->size[sv];
            continue;
        }
        uint32_t up = idom[p];
        d->idom[sv] = up == 0 ? PMAT_DOM_ROOT : vertex[up];
        d->retained[sv] = ret[p];
        d->count[sv] = cnt[p];
        if (sv < h->nsv) d->reachable++, d->reachable_size += h->size[sv];
    }
    free(ret), free(cnt), free(idom), free(pre), free(vertex), free(roots);
    h->caches[PMAT_CACHE_DOM].ptr = d;
    h->caches[PMAT_CACHE_DOM].free_fn = dom_free;
    return d;

oom:
    free(roots), free(pre), free(vertex), free(parent), free(stk_node), free(stk_edge);
    free(semi), free(ancestor), free(label), free(idom), free(tmp), free(pstart), free(preds);
    dom_free(d);
    return NULL;
}

static int by_retained(const void *a, const void *b, void *ctx)
{
    const struct pmat_heap *h = ctx;
    const struct pmat_dominators *d = h->caches[PMAT_CACHE_DOM].ptr;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (d->retained[x] != d->retained[y]) return d->retained[x] > d->retained[y] ? -1 : 1;
    return h->addr[x] < h->addr[y] ? -1 : h->addr[x] > h->addr[y];
}

uint64_t pmat_dom_children(struct pmat_heap *h, uint32_t sv, const uint32_t **children)
{
    struct pmat_dominators *d = (struct pmat_dominators *)pmat_dominators(h);
    *children = NULL;
    if (!d) return 0;
    uint32_t N = h->ntotal;
    if (!d->child_start) {
        /* group index: the SV's idom, with the virtual root as group N */
        uint64_t *start = calloc((size_t)N + 2, 8);
        if (!start) return 0;
        for (uint32_t v = 0; v < N; v++) {
            uint32_t up = d->idom[v];
            if (up == PMAT_DOM_UNREACHABLE) continue;
            start[(up == PMAT_DOM_ROOT ? N : up) + 1]++;
        }
        for (uint32_t g = 0; g <= N; g++) start[g + 1] += start[g];
        uint32_t *child = malloc((start[N + 1] ? start[N + 1] : 1) * 4);
        uint64_t *fill = malloc(((size_t)N + 2) * 8);
        if (!child || !fill) {
            free(start), free(child), free(fill);
            return 0;
        }
        memcpy(fill, start, ((size_t)N + 2) * 8);
        for (uint32_t v = 0; v < N; v++) {
            uint32_t up = d->idom[v];
            if (up == PMAT_DOM_UNREACHABLE) continue;
            child[fill[up == PMAT_DOM_ROOT ? N : up]++] = v;
        }
        free(fill);
        for (uint32_t g = 0; g <= N; g++)
            if (start[g + 1] - start[g] > 1)
                qsort_r(child + start[g], start[g + 1] - start[g], 4, by_retained, h);
        d->child_start = start;
        d->child = child;
    }
    uint32_t g = sv == PMAT_DOM_ROOT ? N : sv;
    if (g > N) return 0;
    *children = d->child + d->child_start[g];
    return d->child_start[g + 1] - d->child_start[g];
}

static int by_class_retained(const void *a, const void *b)
{
    const struct pmat_dom_class *x = a, *y = b;
    if (x->retained != y->retained) return x->retained > y->retained ? -1 : 1;
    return x->stash < y->stash ? -1 : x->stash > y->stash;
}

struct pmat_dom_class *pmat_dom_by_class(struct pmat_heap *h, uint64_t *n)
{
    *n = 0;
    const struct pmat_dominators *d = pmat_dominators(h);
    const uint32_t *kids;
    if (!d) return NULL;
    pmat_dom_children(h, PMAT_DOM_ROOT, &kids); /* builds the children lists */
    uint32_t N = h->ntotal;
    uint32_t *open = calloc(N, 4);         /* per stash: blessed ancestors on the path */
    uint32_t *slot = malloc((size_t)N * 4); /* per stash: index in the result */
    uint32_t *stk = malloc(((size_t)N + 1) * 4);
    uint64_t *cur = malloc(((size_t)N + 1) * 8);
    struct pmat_dom_class *res = NULL;
    uint64_t nres = 0, cap = 0;
    if (!open || !slot || !stk || !cur) goto out;
    for (uint32_t i = 0; i < N; i++) slot[i] = NOPE;
    /* every class gets a row, with its object count and shallow size */
    for (uint32_t v = 0; v < h->nsv; v++) {
        uint32_t s = h->blessed[v];
        if (s == PMAT_NONE) continue;
        if (slot[s] == NOPE) {
            if (nres == cap) {
                cap = cap ? cap * 2 : 64;
                struct pmat_dom_class *nr = realloc(res, cap * sizeof *nr);
                if (!nr) goto out;
                res = nr;
            }
            slot[s] = (uint32_t)nres;
            res[nres++] = (struct pmat_dom_class){s, 0, 0, 0};
        }
        res[slot[s]].objects++;
        res[slot[s]].shallow += h->size[v];
    }
    /* depth-first over the dominator tree with enter/exit events: an object counts
     * when no object of its own class is open above it */
    uint32_t sp = 0;
    stk[sp] = N;
    cur[sp++] = 0;
    while (sp) {
        uint32_t v = stk[sp - 1];
        const uint32_t *ch;
        uint64_t nch = pmat_dom_children(h, v == N ? PMAT_DOM_ROOT : v, &ch);
        if (cur[sp - 1] == 0 && v != N) {
            uint32_t s = h->blessed[v];
            if (s != PMAT_NONE && v < h->nsv) {
                if (open[s] == 0) res[slot[s]].retained += d->retained[v];
                open[s]++;
            }
        }
        if (cur[sp - 1] < nch) {
            uint32_t c = ch[cur[sp - 1]++];
            stk[sp] = c;
            cur[sp++] = 0;
            continue;
        }
        if (v != N && h->blessed[v] != PMAT_NONE && v < h->nsv) open[h->blessed[v]]--;
        sp--;
    }
    qsort(res, nres, sizeof *res, by_class_retained);
    *n = nres;
out:
    free(open), free(slot), free(stk), free(cur);
    if (!*n) {
        free(res);
        res = NULL;
    }
    return res;
}
