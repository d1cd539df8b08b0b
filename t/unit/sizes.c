/*
 * sizes.c — unit tests of the owned-size measures (lib/sizes.c): the whole-heap pass
 * (components of the owns graph, summed bottom-up with exact handling of shared
 * parts) must give every SV the same owned size as a walk from that SV alone, on
 * hand-built graphs (random ones, cycles, diamonds, aliasing) and on real dumps
 * ($PMAT_TEST_DUMP and every file in $PMAT_SIZES_DUMPS, colon-separated).  A
 * 1 000 000-link chain checks that nothing recurses on the C stack.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmat_heap.h"
#include "pmat_refs.h"
#include "pmat_sizes.h"
#include "tap.h"

/* A fake heap: only what the owned measures read (sizes, refcounts, outgoing edges). */
struct graph {
    struct pmat_heap h;
    uint32_t n;
    uint64_t nedges, cap;
    uint32_t *src, *dst;
    uint8_t *str, *kind;
};

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

static void graph_init(struct graph *g, uint32_t n)
{
    memset(g, 0, sizeof *g);
    g->n = n;
    g->h.nsv = n;
    g->h.ntotal = n + 3;
    g->h.size = xcalloc(n + 3, sizeof *g->h.size);
    g->h.refcnt = xcalloc(n + 3, sizeof *g->h.refcnt);
    for (uint32_t i = 0; i < n; i++)
        g->h.size[i] = 24 + 8 * (i % 7), g->h.refcnt[i] = 1;
}

static void edge_kind(struct graph *g, uint32_t from, uint32_t to, int strength, int kind);
static void edge(struct graph *g, uint32_t from, uint32_t to, int strength)
{
    edge_kind(g, from, to, strength, 0);
}

static void edge_kind(struct graph *g, uint32_t from, uint32_t to, int strength, int kind)
{
    if (g->nedges == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->src = realloc(g->src, g->cap * sizeof *g->src);
        g->dst = realloc(g->dst, g->cap * sizeof *g->dst);
        g->str = realloc(g->str, g->cap);
        g->kind = realloc(g->kind, g->cap);
        if (!g->src || !g->dst || !g->str || !g->kind) exit(2);
    }
    g->src[g->nedges] = from, g->dst[g->nedges] = to, g->str[g->nedges] = (uint8_t)strength;
    g->kind[g->nedges] = (uint8_t)kind;
    g->nedges++;
}

/* CSR from the edge list, keeping each source's edges in insertion order. */
static void graph_finish(struct graph *g)
{
    uint32_t nt = g->h.ntotal;
    g->h.out_start = xcalloc(nt + 1, sizeof *g->h.out_start);
    g->h.out_target = xcalloc(g->nedges, sizeof *g->h.out_target);
    g->h.out_str = xcalloc(g->nedges, 1);
    g->h.out_kind = xcalloc(g->nedges, 1);
    for (uint64_t e = 0; e < g->nedges; e++)
        g->h.out_start[g->src[e] + 1]++;
    for (uint32_t i = 0; i < nt; i++)
        g->h.out_start[i + 1] += g->h.out_start[i];
    uint64_t *fill = xcalloc(nt, sizeof *fill);
    for (uint64_t e = 0; e < g->nedges; e++) {
        uint64_t at = g->h.out_start[g->src[e]] + fill[g->src[e]]++;
        g->h.out_target[at] = g->dst[e], g->h.out_str[at] = g->str[e];
        g->h.out_kind[at] = g->kind[e];
    }
    free(fill);
    g->h.nout = g->nedges;
}

static void graph_free(struct graph *g)
{
    struct pmat_cache *c = &g->h.caches[PMAT_CACHE_SIZES];
    if (c->ptr) c->free_fn(c->ptr);
    free(g->h.size), free(g->h.refcnt), free(g->h.out_start), free(g->h.out_target);
    free(g->h.out_str), free(g->h.out_kind), free(g->src), free(g->dst), free(g->str);
    free(g->kind);
}

/* Per-SV walks first (no whole-heap cache yet), then the whole-heap pass: same numbers? */
static int whole_equals_walks(struct pmat_heap *h, const char *what)
{
    uint64_t *walk = xcalloc(h->ntotal, sizeof *walk);
    for (uint32_t i = 0; i < h->ntotal; i++)
        pmat_owned_size(h, i, &walk[i]);
    const uint64_t *all = pmat_all_sizes(h, PMAT_SIZE_OWNED);
    int same = all != NULL;
    uint32_t bad = 0;
    for (uint32_t i = 0; same && i < h->ntotal; i++)
        if (all[i] != walk[i]) same = 0, bad = i;
    tap_ok(same, "%s: whole-heap owned sizes equal per-SV walks%s", what,
           same ? "" : " (first difference below)");
    if (!same && all)
        printf("# SV %u: whole-heap %llu, walk %llu\n", bad, (unsigned long long)all[bad],
               (unsigned long long)walk[bad]);
    free(walk);
    return same;
}

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void random_graphs(void)
{
    int all_same = 1;
    for (int round = 0; round < 3000; round++) {
        uint32_t n = 1 + (uint32_t)(rnd() % (round < 2000 ? 12 : 80));
        struct graph g;
        graph_init(&g, n);
        for (uint32_t i = 0; i < n; i++)
            g.h.refcnt[i] = rnd() % 5 == 0 ? (uint32_t)(rnd() % 3) + 2 : 1;
        uint64_t ne = rnd() % (2 * n + 3);
        for (uint64_t k = 0; k < ne; k++) {
            uint32_t a = (uint32_t)(rnd() % n), b = (uint32_t)(rnd() % (n + 3)); /* some immortal */
            int s = rnd() % 4 == 0 ? (int)(rnd() % 4) : PMAT_STRONG;
            int k = s == PMAT_INFERRED && rnd() % 2 ? PMAT_R_SAVED_HASH : 0;
            edge_kind(&g, a, b, s, k);
        }
        graph_finish(&g);
        uint64_t *walk = xcalloc(g.h.ntotal, sizeof *walk);
        for (uint32_t i = 0; i < g.h.ntotal; i++)
            pmat_owned_size(&g.h, i, &walk[i]);
        const uint64_t *all = pmat_all_sizes(&g.h, PMAT_SIZE_OWNED);
        for (uint32_t i = 0; all && i < g.h.ntotal; i++)
            if (all[i] != walk[i]) {
                if (all_same)
                    printf("# round %d, n %u: SV %u whole-heap %llu walk %llu\n", round, n, i,
                           (unsigned long long)all[i], (unsigned long long)walk[i]);
                all_same = 0;
                break;
            }
        free(walk);
        graph_free(&g);
    }
    tap_ok(all_same, "3000 random graphs: whole-heap owned sizes equal per-SV walks");
}

/* The shapes the exact path exists for, with hand-checked numbers. */
static void shapes(void)
{
    struct graph g;
    /* 0 -> 1, 0 -> 2, 1 -> 3, 2 -> 3 (3 reachable twice), 3 -> 4 */
    graph_init(&g, 5);
    g.h.refcnt[0] = 3;
    for (int i = 0; i < 5; i++)
        g.h.size[i] = 10u << i; /* 10 20 40 80 160 */
    edge(&g, 0, 1, PMAT_STRONG), edge(&g, 0, 2, PMAT_STRONG), edge(&g, 1, 3, PMAT_STRONG);
    edge(&g, 2, 3, PMAT_STRONG), edge(&g, 3, 4, PMAT_STRONG);
    graph_finish(&g);
    whole_equals_walks(&g.h, "diamond");
    const uint64_t *all = pmat_all_sizes(&g.h, PMAT_SIZE_OWNED);
    tap_ok(all && all[0] == 310 && all[1] == 260 && all[3] == 240,
           "diamond: each SV once (310, 260, 240)");
    struct pmat_svlist set = {0};
    tap_ok(pmat_owned_set(&g.h, 0, &set) == 0 && set.n == 5 && set.v[0] == 0,
           "diamond: owned set lists 5 SVs, itself first");
    pmat_svlist_free(&set);
    graph_free(&g);

    /* aliased globs: stash 0 -> glob 1, glob 2; glob 2 -egv-> glob 1; both -> scalar 3 */
    graph_init(&g, 4);
    g.h.refcnt[0] = 2;
    edge(&g, 0, 1, PMAT_STRONG), edge(&g, 0, 2, PMAT_STRONG);
    edge(&g, 2, 1, PMAT_STRONG), edge(&g, 2, 3, PMAT_STRONG), edge(&g, 1, 3, PMAT_STRONG);
    graph_finish(&g);
    whole_equals_walks(&g.h, "aliased globs");
    all = pmat_all_sizes(&g.h, PMAT_SIZE_OWNED);
    tap_ok(all && all[0] == g.h.size[0] + g.h.size[1] + g.h.size[2] + g.h.size[3],
           "aliased globs: the stash owns each once");
    graph_free(&g);

    /* a refcount-1 cycle 0 -> 1 -> 2 -> 0 with a tail 2 -> 3, and weak / indirect edges
     * (never followed) and an edge to an immortal */
    graph_init(&g, 5);
    edge(&g, 0, 1, PMAT_STRONG), edge(&g, 1, 2, PMAT_STRONG), edge(&g, 2, 0, PMAT_STRONG);
    edge(&g, 2, 3, PMAT_STRONG), edge(&g, 3, 4, PMAT_WEAK), edge(&g, 3, 4, PMAT_INDIRECT);
    edge(&g, 3, 5, PMAT_STRONG);
    graph_finish(&g);
    whole_equals_walks(&g.h, "cycle");
    all = pmat_all_sizes(&g.h, PMAT_SIZE_OWNED);
    uint64_t cyc = g.h.size[0] + g.h.size[1] + g.h.size[2] + g.h.size[3];
    tap_ok(all && all[0] == cyc && all[1] == cyc && all[2] == cyc && all[4] == g.h.size[4] &&
               all[5] == 0,
           "cycle: every member owns the whole cycle and its tail; immortals 0");
    graph_free(&g);

    /* `local`'s saved values: inferred, but followed as 0.51 does (strength unfiltered) */
    graph_init(&g, 4);
    g.h.refcnt[0] = 4;
    edge(&g, 0, 1, PMAT_STRONG);
    edge_kind(&g, 0, 2, PMAT_INFERRED, PMAT_R_SAVED_HASH);
    edge_kind(&g, 0, 3, PMAT_INFERRED, PMAT_R_PROTOSUB);
    graph_finish(&g);
    whole_equals_walks(&g.h, "saved values");
    all = pmat_all_sizes(&g.h, PMAT_SIZE_OWNED);
    tap_ok(all && all[0] == g.h.size[0] + g.h.size[1] + g.h.size[2],
           "saved values: a saved value is owned, an inferred protosub is not");
    graph_free(&g);

    /* a chain above a diamond above a chain, wide fan-outs of shared leaves */
    graph_init(&g, 40);
    for (uint32_t i = 0; i < 9; i++)
        edge(&g, i, i + 1, PMAT_STRONG);
    edge(&g, 9, 10, PMAT_STRONG), edge(&g, 9, 11, PMAT_STRONG);
    edge(&g, 10, 12, PMAT_STRONG), edge(&g, 11, 12, PMAT_STRONG);
    for (uint32_t i = 12; i < 20; i++)
        edge(&g, i, i + 1, PMAT_STRONG);
    for (uint32_t i = 20; i < 30; i++)
        edge(&g, 9, i, PMAT_STRONG), edge(&g, 5, i, PMAT_STRONG);
    for (uint32_t i = 30; i < 40; i++)
        edge(&g, i - 10, i, PMAT_STRONG), edge(&g, 12, i, PMAT_STRONG);
    graph_finish(&g);
    whole_equals_walks(&g.h, "layered sharing");
    graph_free(&g);
}

/* One million refcount-1 links: no recursion, linear time. */
static void long_chain(void)
{
    const uint32_t n = 1000000;
    struct graph g;
    graph_init(&g, n);
    for (uint32_t i = 0; i + 1 < n; i++)
        edge(&g, i, i + 1, PMAT_STRONG);
    edge(&g, n - 1, 0, PMAT_STRONG); /* and close it into one big cycle at the end */
    graph_finish(&g);
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += g.h.size[i];
    uint64_t whole;
    tap_ok(pmat_owned_size(&g.h, 0, &whole) == 0 && whole == total,
           "1M-link cycle: one walk owns everything");
    const uint64_t *all = pmat_all_sizes(&g.h, PMAT_SIZE_OWNED);
    tap_ok(all && all[0] == total && all[n / 2] == total && all[n - 1] == total,
           "1M-link cycle: whole-heap pass");
    graph_free(&g);

    graph_init(&g, n);
    for (uint32_t i = 0; i + 1 < n; i++)
        edge(&g, i, i + 1, PMAT_STRONG);
    graph_finish(&g);
    all = pmat_all_sizes(&g.h, PMAT_SIZE_OWNED);
    uint64_t suffix = 0;
    int good = all != NULL;
    for (uint32_t i = n; good && i-- > 0;) {
        suffix += g.h.size[i];
        if (all[i] != suffix) good = 0;
    }
    tap_ok(good, "1M-link chain: each link owns the rest of the chain");
    graph_free(&g);
}

static void real_dump(const char *path)
{
    struct pmat_error err;
    struct pmat_heap *h = pmat_load(path, NULL, &err);
    tap_ok(h != NULL, "load %s", path);
    if (!h) {
        printf("# %s\n", err.msg);
        return;
    }
    whole_equals_walks(h, path);
    /* structure sizes: the cached array equals the one-SV function; sets sum to it */
    const uint64_t *st = pmat_all_sizes(h, PMAT_SIZE_STRUCTURE);
    int good = st != NULL;
    struct pmat_svlist set = {0};
    for (uint32_t i = 0; good && i < h->ntotal; i++) {
        if (pmat_structure_set(h, i, &set) < 0 || set.v[0] != i) good = 0;
        uint64_t sum = 0;
        for (uint64_t k = 0; k < set.n; k++)
            sum += set.v[k] < h->nsv ? h->size[set.v[k]] : 0;
        if (sum != st[i] || st[i] != pmat_structure_size(h, i)) good = 0;
    }
    pmat_svlist_free(&set);
    tap_ok(good, "%s: structure sizes agree with structure sets", path);
    pmat_free(h);
}

int main(void)
{
    random_graphs();
    shapes();
    long_chain();
    const char *d = getenv("PMAT_TEST_DUMP");
    if (d && *d)
        real_dump(d);
    else
        printf("ok %d # skip PMAT_TEST_DUMP not set: the real-dump cases\n", ++tap_n);
    const char *more = getenv("PMAT_SIZES_DUMPS");
    if (more && *more) {
        char *copy = strdup(more);
        for (char *tok = strtok(copy, ":"); tok; tok = strtok(NULL, ":"))
            real_dump(tok);
        free(copy);
    }
    return tap_done();
}
