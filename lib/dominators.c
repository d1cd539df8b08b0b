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
#define SKIP (UINT32_MAX - 1) /* pre[]: never to be visited */

static void dom_free(void *p)
{
    struct pmat_dominators *d = p;
    if (!d) return;
    free(d->idom), free(d->retained), free(d->count), free(d->child_start), free(d->child);
    free(d->unreach), free(d->entries), free(d->entry_cycle);
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
        if (pv >= SKIP) continue;
        struct succ s = successors(h, v, roots, nroots);
        for (uint64_t e = s.lo; e < s.hi; e++) {
            uint32_t w = succ_at(h, &s, e);
            if (w == NOPE || pre[w] >= SKIP) continue;
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

/* The dominator tree of the nodes the virtual root (node N = ntotal, whose
 * successors are roots[0..nroots)) reaches over strong edges, never entering an
 * SV whose pre[] is SKIP.  pre[] (N + 1 entries) must hold NOPE for the SVs that
 * may be visited; on return it holds their preorder numbers.  *vertex_out
 * (preorder -> SV, 0 = the root) and *idom_out (preorder -> preorder of the
 * immediate dominator) are malloc'd; *n_out is the number of nodes visited,
 * the root included.  0, or -1 on out of memory. */
static int dom_run(const struct pmat_heap *h, const uint32_t *roots, uint64_t nroots, uint32_t *pre,
                   uint32_t **vertex_out, uint32_t **idom_out, uint32_t *n_out)
{
    uint32_t N = h->ntotal;
    uint32_t *vertex = malloc(((size_t)N + 1) * 4); /* preorder -> SV (0 = root = N) */
    uint32_t *parent = malloc(((size_t)N + 1) * 4);
    uint32_t *stk_node = malloc(((size_t)N + 1) * 4);
    uint64_t *stk_edge = malloc(((size_t)N + 1) * 8);
    uint32_t *semi = NULL, *ancestor = NULL, *label = NULL, *idom = NULL, *tmp = NULL;
    uint64_t *pstart = NULL;
    uint32_t *preds = NULL;
    if (!vertex || !parent || !stk_node || !stk_edge) goto oom;

    /* 1. iterative DFS from the virtual root over strong edges */
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
    for (uint32_t p = 0; p < n; p++)
        pstart[p + 1] += pstart[p];
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
    for (uint32_t p = 0; p < n; p++)
        semi[p] = label[p] = p, ancestor[p] = NOPE;
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
        while (x > semi[w])
            x = idom[x];
        idom[w] = x;
    }
    free(preds), free(pstart), free(ancestor), free(label), free(semi), free(tmp), free(parent);
    *vertex_out = vertex;
    *idom_out = idom;
    *n_out = n;
    return 0;

oom:
    free(vertex), free(parent), free(stk_node), free(stk_edge);
    free(semi), free(ancestor), free(label), free(idom), free(tmp), free(pstart), free(preds);
    return -1;
}

/* Retained sizes and counts bottom-up over one dom_run result (a node's idom
 * precedes it in preorder), stored per SV; the root's children get idom `top`. */
static int dom_store(const struct pmat_heap *h, struct pmat_dominators *d, const uint32_t *vertex,
                     const uint32_t *idom, uint32_t n, uint32_t top)
{
    uint64_t *ret = calloc(n ? n : 1, 8);
    uint32_t *cnt = calloc(n ? n : 1, 4);
    if (!ret || !cnt) {
        free(ret), free(cnt);
        return -1;
    }
    for (uint32_t w = n; w-- > 1;) {
        ret[w] += h->size[vertex[w]];
        cnt[w] += 1;
        ret[idom[w]] += ret[w];
        cnt[idom[w]] += cnt[w];
    }
    for (uint32_t w = 1; w < n; w++) {
        uint32_t sv = vertex[w], up = idom[w];
        d->idom[sv] = up == 0 ? top : vertex[up];
        d->retained[sv] = ret[w];
        d->count[sv] = cnt[w];
    }
    free(ret), free(cnt);
    return 0;
}

/* Rank of an SV as the entry of a cycle: a blessed object first, then a
 * container or code, then anything else (REF, SCALAR, PAD...). */
static int entry_rank(const struct pmat_heap *h, uint32_t sv)
{
    if (h->blessed[sv] != PMAT_NONE) return 0;
    switch (h->kind[sv]) {
    case PMAT_K_HASH:
    case PMAT_K_ARRAY:
    case PMAT_K_OBJECT:
        return 1;
    case PMAT_K_CODE:
    case PMAT_K_GLOB:
    case PMAT_K_IO:
    case PMAT_K_STASH:
        return 2;
    default:
        return 3;
    }
}

/* The entry points of the unreachable subgraph U (SVs whose ulocal[sv] is not SKIP,
 * numbered 0..nu-1 in ulist order, which is address order): one SV per source
 * strongly connected component (an SCC no other unreachable SV refers to), the one
 * entry_rank prefers, lowest address first.  Tarjan's algorithm, iteratively.
 * ulocal[sv] holds the SV's number in U.  Sets *entries (sorted by SV index) and
 * *cycle (per entry: its SCC's size if it is a cycle — two or more SVs, or one
 * referring to itself — else 0). */
static int leak_entries(const struct pmat_heap *h, const uint32_t *ulist, uint32_t nu,
                        const uint32_t *ulocal, uint32_t **entries, uint32_t **cycle,
                        uint32_t *nentries)
{
    uint32_t *index = malloc((nu ? nu : 1) * 4), *low = malloc((nu ? nu : 1) * 4);
    uint32_t *comp = malloc((nu ? nu : 1) * 4), *sstk = malloc((nu ? nu : 1) * 4);
    uint32_t *cstk = malloc((nu ? nu : 1) * 4);
    uint64_t *cedge = malloc((nu ? nu : 1) * 8);
    uint32_t *csize = NULL, *best = NULL, *ent = NULL, *cyc = NULL;
    uint8_t *has_in = NULL, *selfloop = NULL;
    int rc = -1;
    if (!index || !low || !comp || !sstk || !cstk || !cedge) goto out;
    for (uint32_t i = 0; i < nu; i++)
        index[i] = NOPE, comp[i] = NOPE;
    uint32_t next_index = 0, ssp = 0, ncomp = 0;
    for (uint32_t s = 0; s < nu; s++) {
        if (index[s] != NOPE) continue;
        uint32_t csp = 0;
        index[s] = low[s] = next_index++;
        sstk[ssp++] = s;
        cstk[csp] = s;
        cedge[csp++] = h->out_start[ulist[s]];
        while (csp) {
            uint32_t v = cstk[csp - 1];
            uint64_t e = cedge[csp - 1], hi = h->out_start[ulist[v] + 1];
            uint32_t descend = NOPE;
            for (; e < hi; e++) {
                if (h->out_str[e] != PMAT_STRONG) continue;
                uint32_t w = ulocal[h->out_target[e]];
                if (w >= SKIP) continue;
                if (index[w] == NOPE) {
                    descend = w;
                    e++;
                    break;
                }
                if (comp[w] == NOPE && index[w] < low[v]) low[v] = index[w];
            }
            cedge[csp - 1] = e;
            if (descend != NOPE) {
                index[descend] = low[descend] = next_index++;
                sstk[ssp++] = descend;
                cstk[csp] = descend;
                cedge[csp++] = h->out_start[ulist[descend]];
                continue;
            }
            csp--;
            if (csp && low[v] < low[cstk[csp - 1]]) low[cstk[csp - 1]] = low[v];
            if (low[v] == index[v]) {
                uint32_t w;
                do {
                    w = sstk[--ssp];
                    comp[w] = ncomp;
                } while (w != v);
                ncomp++;
            }
        }
    }
    csize = calloc(ncomp ? ncomp : 1, 4);
    best = malloc((ncomp ? ncomp : 1) * 4);
    has_in = calloc(ncomp ? ncomp : 1, 1);
    selfloop = calloc(ncomp ? ncomp : 1, 1);
    if (!csize || !best || !has_in || !selfloop) goto out;
    for (uint32_t c = 0; c < ncomp; c++)
        best[c] = NOPE;
    for (uint32_t v = 0; v < nu; v++) {
        uint32_t c = comp[v];
        csize[c]++;
        if (best[c] == NOPE || entry_rank(h, ulist[v]) < entry_rank(h, ulist[best[c]])) best[c] = v;
        for (uint64_t e = h->out_start[ulist[v]]; e < h->out_start[ulist[v] + 1]; e++) {
            if (h->out_str[e] != PMAT_STRONG) continue;
            uint32_t w = ulocal[h->out_target[e]];
            if (w >= SKIP) continue;
            if (comp[w] != c)
                has_in[comp[w]] = 1;
            else if (w == v)
                selfloop[c] = 1;
        }
    }
    uint32_t ne = 0;
    for (uint32_t c = 0; c < ncomp; c++)
        ne += !has_in[c];
    ent = malloc((ne ? ne : 1) * 4);
    cyc = malloc((ne ? ne : 1) * 4);
    if (!ent || !cyc) goto out;
    /* in address order: walk U and take each source component's chosen SV */
    ne = 0;
    for (uint32_t v = 0; v < nu; v++) {
        uint32_t c = comp[v];
        if (has_in[c] || best[c] != v) continue;
        ent[ne] = ulist[v];
        cyc[ne++] = csize[c] > 1 || selfloop[c] ? csize[c] : 0;
    }
    *entries = ent, *cycle = cyc, *nentries = ne;
    ent = cyc = NULL;
    rc = 0;
out:
    free(index), free(low), free(comp), free(sstk), free(cstk), free(cedge);
    free(csize), free(best), free(has_in), free(selfloop), free(ent), free(cyc);
    return rc;
}

const struct pmat_dominators *pmat_dominators(struct pmat_heap *h)
{
    if (h->caches[PMAT_CACHE_DOM].ptr) return h->caches[PMAT_CACHE_DOM].ptr;
    uint32_t N = h->ntotal;
    struct pmat_dominators *d = calloc(1, sizeof *d);
    uint64_t nroots = 0;
    uint32_t *roots = root_targets(h, &nroots);
    uint32_t *pre = malloc(((size_t)N + 1) * 4); /* SV -> preorder, NOPE = unvisited */
    uint32_t *vertex = NULL, *idom = NULL, *ulist = NULL;
    uint32_t n = 0;
    if (!d || !roots || !pre) goto oom;
    d->idom = malloc(((size_t)N ? N : 1) * 4);
    d->retained = calloc(N ? N : 1, 8);
    d->count = calloc(N ? N : 1, 4);
    d->unreach = calloc(((size_t)N + 63) / 64 + 1, 8);
    if (!d->idom || !d->retained || !d->count || !d->unreach) goto oom;

    /* the reachable heap, from the virtual root */
    for (uint32_t i = 0; i <= N; i++)
        pre[i] = NOPE;
    if (dom_run(h, roots, nroots, pre, &vertex, &idom, &n) < 0) goto oom;
    if (dom_store(h, d, vertex, idom, n, PMAT_DOM_ROOT) < 0) goto oom;
    free(vertex), free(idom);
    vertex = idom = NULL;

    /* the unreachable heap U: reachable SVs and the immortals become SKIP, U's SVs
     * are numbered in address order (pre[] doubles as the SV -> U number map) */
    uint32_t nu = 0;
    for (uint32_t sv = 0; sv < N; sv++) {
        if (pre[sv] != NOPE) {
            if (sv < h->nsv) d->reachable++, d->reachable_size += h->size[sv];
            continue;
        }
        d->unreach[sv / 64] |= 1ull << (sv % 64);
        d->idom[sv] = PMAT_DOM_UNREACHABLE;
        if (sv < h->nsv) nu++, d->unreachable++, d->unreachable_size += h->size[sv];
    }
    ulist = malloc((nu ? nu : 1) * 4);
    if (!ulist) goto oom;
    nu = 0;
    for (uint32_t sv = 0; sv < N; sv++) {
        if (pre[sv] == NOPE && sv < h->nsv) {
            pre[sv] = nu;
            ulist[nu++] = sv;
        } else {
            pre[sv] = SKIP;
        }
    }
    pre[N] = NOPE;
    if (leak_entries(h, ulist, nu, pre, &d->entries, &d->entry_cycle, &d->nentries) < 0) goto oom;
    for (uint32_t i = 0; i < nu; i++)
        pre[ulist[i]] = NOPE;
    free(ulist);
    ulist = NULL;
    /* the unreachable forest: the (unreachable) pseudo-root's successors are the entries */
    if (dom_run(h, d->entries, d->nentries, pre, &vertex, &idom, &n) < 0) goto oom;
    if (dom_store(h, d, vertex, idom, n, PMAT_DOM_UNREACHABLE) < 0) goto oom;
    free(vertex), free(idom), free(pre), free(roots);
    h->caches[PMAT_CACHE_DOM].ptr = d;
    h->caches[PMAT_CACHE_DOM].free_fn = dom_free;
    return d;

oom:
    free(roots), free(pre), free(vertex), free(idom), free(ulist);
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

int pmat_dom_children_ready(struct pmat_heap *h)
{
    struct pmat_dominators *d = (struct pmat_dominators *)pmat_dominators(h);
    if (!d) return PMAT_ENOMEM;
    if (d->child_start) return 0;
    uint32_t N = h->ntotal;
    /* group index: the SV's idom, with the virtual root as group N and the
     * (unreachable) pseudo-root as group N + 1 */
    uint64_t *start = calloc((size_t)N + 3, 8);
    if (!start) return PMAT_ENOMEM;
    for (uint32_t v = 0; v < N; v++) {
        uint32_t up = d->idom[v];
        if (up == PMAT_DOM_UNREACHABLE && v >= h->nsv) continue; /* an immortal */
        start[(up == PMAT_DOM_ROOT ? N : up == PMAT_DOM_UNREACHABLE ? N + 1 : up) + 1]++;
    }
    for (uint32_t g = 0; g <= N + 1; g++)
        start[g + 1] += start[g];
    uint32_t *child = malloc((start[N + 2] ? start[N + 2] : 1) * 4);
    uint64_t *fill = malloc(((size_t)N + 3) * 8);
    if (!child || !fill) {
        free(start), free(child), free(fill);
        return PMAT_ENOMEM;
    }
    memcpy(fill, start, ((size_t)N + 3) * 8);
    for (uint32_t v = 0; v < N; v++) {
        uint32_t up = d->idom[v];
        if (up == PMAT_DOM_UNREACHABLE && v >= h->nsv) continue;
        child[fill[up == PMAT_DOM_ROOT ? N : up == PMAT_DOM_UNREACHABLE ? N + 1 : up]++] = v;
    }
    free(fill);
    for (uint32_t g = 0; g <= N + 1; g++)
        if (start[g + 1] - start[g] > 1)
            qsort_r(child + start[g], start[g + 1] - start[g], 4, by_retained, h);
    d->child_start = start;
    d->child = child;
    return 0;
}

uint64_t pmat_dom_children(struct pmat_heap *h, uint32_t sv, const uint32_t **children)
{
    *children = NULL;
    if (pmat_dom_children_ready(h) < 0) return 0;
    struct pmat_dominators *d = (struct pmat_dominators *)pmat_dominators(h);
    uint32_t N = h->ntotal;
    uint32_t g = sv == PMAT_DOM_ROOT ? N : sv == PMAT_DOM_UNREACHABLE ? N + 1 : sv;
    *children = d->child; /* not NULL: NULL is out of memory */
    if (g > N + 1) return 0;
    *children = d->child + d->child_start[g];
    return d->child_start[g + 1] - d->child_start[g];
}

long pmat_dom_entry_index(const struct pmat_dominators *d, uint32_t sv)
{
    uint32_t lo = 0, hi = d->nentries;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->entries[mid] < sv)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->nentries && d->entries[lo] == sv ? (long)lo : -1;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

uint32_t *pmat_dom_root_targets(const struct pmat_heap *h, uint64_t *n)
{
    uint64_t k = 0;
    uint32_t *r = root_targets(h, &k);
    if (!r) return NULL;
    qsort(r, k, 4, cmp_u32);
    uint64_t j = 0;
    for (uint64_t i = 0; i < k; i++)
        if (!j || r[j - 1] != r[i]) r[j++] = r[i];
    *n = j;
    return r;
}

static int by_class_retained(const void *a, const void *b)
{
    const struct pmat_dom_class *x = a, *y = b;
    if (x->retained != y->retained) return x->retained > y->retained ? -1 : 1;
    return x->stash < y->stash ? -1 : x->stash > y->stash;
}

int pmat_dom_by_class(struct pmat_heap *h, struct pmat_dom_class **out, uint64_t *n)
{
    *out = NULL, *n = 0;
    const struct pmat_dominators *d = pmat_dominators(h);
    if (!d || pmat_dom_children_ready(h) < 0) return PMAT_ENOMEM;
    uint32_t N = h->ntotal;
    int rc = PMAT_ENOMEM;
    uint32_t *open = calloc(N, 4);          /* per stash: blessed ancestors on the path */
    uint32_t *slot = malloc((size_t)N * 4); /* per stash: index in the result */
    uint32_t *stk = malloc(((size_t)N + 2) * 4);
    uint64_t *cur = malloc(((size_t)N + 2) * 8);
    struct pmat_dom_class *res = NULL;
    uint64_t nres = 0, cap = 0;
    if (!open || !slot || !stk || !cur) goto out;
    for (uint32_t i = 0; i < N; i++)
        slot[i] = NOPE;
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
            res[nres++] = (struct pmat_dom_class){s, 0, 0, 0, 0, 0};
        }
        res[slot[s]].objects++;
        res[slot[s]].shallow += h->size[v];
    }
    /* depth-first over the dominator tree with enter/exit events: an object counts
     * when no object of its own class is open above it.  Node N is the virtual
     * root, N + 1 the (unreachable) pseudo-root; both trees are walked. */
    for (int tree = 0; tree < 2; tree++) {
        uint32_t sp = 0;
        uint32_t top = tree ? N + 1 : N;
        stk[sp] = top;
        cur[sp++] = 0;
        while (sp) {
            uint32_t v = stk[sp - 1];
            const uint32_t *ch;
            uint64_t nch = pmat_dom_children(h,
                                             v == N       ? PMAT_DOM_ROOT
                                             : v == N + 1 ? PMAT_DOM_UNREACHABLE
                                                          : v,
                                             &ch);
            if (cur[sp - 1] == 0 && v < N) {
                uint32_t s = h->blessed[v];
                if (s != PMAT_NONE && v < h->nsv) {
                    if (open[s] == 0) {
                        res[slot[s]].retained += d->retained[v];
                        if (tree) res[slot[s]].unreachable_retained += d->retained[v];
                    }
                    if (tree) res[slot[s]].unreachable++;
                    open[s]++;
                }
            }
            if (cur[sp - 1] < nch) {
                uint32_t c = ch[cur[sp - 1]++];
                stk[sp] = c;
                cur[sp++] = 0;
                continue;
            }
            if (v < N && h->blessed[v] != PMAT_NONE && v < h->nsv) open[h->blessed[v]]--;
            sp--;
        }
    }
    qsort(res, nres, sizeof *res, by_class_retained);
    *out = res, *n = nres;
    res = NULL;
    rc = 0;
out:
    free(open), free(slot), free(stk), free(cur);
    free(res);
    return rc;
}
