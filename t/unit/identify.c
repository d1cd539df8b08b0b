/*
 * identify.c — unit tests of lib/identify.c on hand-built heaps: a 1 000 000-link
 * chain must be built and walked without recursion on the C stack (depth
 * unlimited, every link a node), the depth limit must cut it with EDEPTH, a cycle
 * must come out as "already found circularly", a shared parent gets an ID, and
 * pmat_ident_id_text counts like Perl's string increment.  The real trees are
 * compared with Devel::MAT by t/cmd-identify.t.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pmat_heap.h"
#include "pmat_identify.h"
#include "pmat_refs.h"
#include "tap.h"

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

/* A fake heap of ARRAYs (no records needed: "element [i]" names come from aux). */
struct fake {
    struct pmat_heap h;
    uint64_t nedges, cap;
    uint32_t *src, *dst, *aux;
    struct pmat_root root;
};

static void fake_init(struct fake *f, uint32_t n)
{
    memset(f, 0, sizeof *f);
    struct pmat_heap *h = &f->h;
    h->nsv = n;
    h->ntotal = n + 3;
    h->kind = xcalloc(h->ntotal, 1);
    h->marks = xcalloc(h->ntotal, 1);
    h->glob_at = xcalloc(h->ntotal, sizeof *h->glob_at);
    h->addr = xcalloc(h->ntotal, sizeof *h->addr);
    for (uint32_t i = 0; i < h->ntotal; i++) {
        h->kind[i] = PMAT_K_ARRAY;
        h->glob_at[i] = PMAT_NONE;
        h->addr[i] = 0x1000 + 0x18 * (uint64_t)i;
    }
    h->kind[n] = PMAT_K_IMM_UNDEF, h->kind[n + 1] = PMAT_K_IMM_YES, h->kind[n + 2] = PMAT_K_IMM_NO;
}

/* src holds dst as element [aux] */
static void edge(struct fake *f, uint32_t src, uint32_t dst, uint32_t aux)
{
    if (f->nedges == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 1024;
        f->src = realloc(f->src, f->cap * 4), f->dst = realloc(f->dst, f->cap * 4);
        f->aux = realloc(f->aux, f->cap * 4);
        if (!f->src || !f->dst || !f->aux) exit(2);
    }
    f->src[f->nedges] = src, f->dst[f->nedges] = dst, f->aux[f->nedges] = aux;
    f->nedges++;
}

/* Edges must be added in source order (CSR). */
static void fake_finish(struct fake *f, uint32_t rooted)
{
    struct pmat_heap *h = &f->h;
    h->out_start = xcalloc(h->ntotal + 1, sizeof *h->out_start);
    h->out_target = xcalloc(f->nedges, 4);
    h->out_aux = xcalloc(f->nedges, 4);
    h->out_kind = xcalloc(f->nedges, 1);
    h->out_str = xcalloc(f->nedges, 1);
    for (uint64_t e = 0; e < f->nedges; e++) {
        h->out_start[f->src[e] + 1]++;
        h->out_target[e] = f->dst[e], h->out_aux[e] = f->aux[e];
        h->out_kind[e] = PMAT_R_ELEMENT, h->out_str[e] = PMAT_STRONG;
    }
    for (uint32_t i = 0; i < h->ntotal; i++)
        h->out_start[i + 1] += h->out_start[i];
    h->nout = f->nedges;
    f->root = (struct pmat_root){.desc = "the test root", .sv = rooted, .strong = 1, .known = 1};
    h->roots = &f->root;
    h->nroots = 1;
}

static void fake_free(struct fake *f)
{
    struct pmat_heap *h = &f->h;
    free(h->kind), free(h->marks), free(h->glob_at), free(h->addr), free(h->out_start);
    free(h->out_target), free(h->out_aux), free(h->out_kind), free(h->out_str);
    free(h->in_start), free(h->in_source), free(h->in_edge);
    free(h->root_strong_count), free(h->root_weak_count), free(h->stack_count);
    free(f->src), free(f->dst), free(f->aux);
}

struct tally {
    uint64_t events[6];
    uint32_t max_level;
    uint32_t max_id;
    int cyclic_again;
    char first_root[64];
};

static int count_item(void *ud, const struct pmat_ident_item *it)
{
    struct tally *t = ud;
    t->events[it->event]++;
    if (it->level > t->max_level) t->max_level = it->level;
    if (it->id > t->max_id) t->max_id = it->id;
    if (it->event == PMAT_IE_AGAIN && it->cyclic) t->cyclic_again = 1;
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* SV i holds SV i+1; SV 0 is a root; identify the far end. */
static void million_chain(void)
{
    const uint32_t n = 1000000;
    struct fake f;
    fake_init(&f, n);
    for (uint32_t i = 0; i + 1 < n; i++)
        edge(&f, i, i + 1, 0);
    fake_finish(&f, 0);
    struct pmat_ident_opts o = {.depth = -1, .set = PMAT_SET_STRONG, .elide = 1};
    struct pmat_ident_graph g;
    double t0 = now();
    int rc = pmat_identify_build(&f.h, n - 1, &o, &g);
    double t1 = now();
    tap_ok(rc == 0 && g.nnodes == n && g.nedges == n - 1 && g.nroots == 1,
           "1M-link chain: graph built with every link (%u nodes)", rc == 0 ? g.nnodes : 0);
    struct tally t = {0};
    rc = rc == 0 ? pmat_identify_walk(&g, count_item, &t) : -1;
    double t2 = now();
    tap_ok(rc == 0 && t.events[PMAT_IE_REF] == n - 1 && t.events[PMAT_IE_ROOT] == 1 &&
               t.max_level == n - 1,
           "1M-link chain: walked to depth %u", t.max_level);
    printf("# 1M-link chain: build %.2fs, walk %.2fs\n", t1 - t0, t2 - t1);
    if (g.nnodes) pmat_identify_free(&g);

    o.depth = 10;
    rc = pmat_identify_build(&f.h, n - 1, &o, &g);
    memset(&t, 0, sizeof t);
    if (rc == 0) pmat_identify_walk(&g, count_item, &t);
    tap_ok(rc == 0 && g.nnodes == 11 && t.events[PMAT_IE_EDEPTH] == 1 &&
               t.events[PMAT_IE_REF] == 10,
           "1M-link chain, depth 10: ten links then \"not found at this depth\"");
    if (rc == 0) pmat_identify_free(&g);
    fake_free(&f);
}

/* A 4-cycle hanging off a root, and a node shared by two referrers. */
static void shapes(void)
{
    struct fake f;
    fake_init(&f, 8);
    /* 0 -> 1 -> 2 -> 3 -> 1 (cycle 1..3), 0 is the root; identify 3 */
    edge(&f, 0, 1, 0);
    edge(&f, 0, 4, 1); /* the root also holds 4 */
    edge(&f, 1, 2, 0);
    edge(&f, 2, 3, 0);
    edge(&f, 3, 1, 0);
    /* 4 holds 6 and 7 (two out-edges in the graph); 5 holds 6 too; identify 6 */
    edge(&f, 4, 6, 0);
    edge(&f, 4, 7, 1);
    edge(&f, 5, 6, 1);
    edge(&f, 7, 5, 0);
    fake_finish(&f, 0);
    struct pmat_ident_opts o = {.depth = 10, .set = PMAT_SET_STRONG, .elide = 1};
    struct pmat_ident_graph g;
    struct tally t = {0};
    int rc = pmat_identify_build(&f.h, 3, &o, &g);
    if (rc == 0) pmat_identify_walk(&g, count_item, &t), pmat_identify_free(&g);
    tap_ok(rc == 0 && t.cyclic_again && t.events[PMAT_IE_ROOT] == 1,
           "a cycle is reported as already found circularly");

    memset(&t, 0, sizeof t);
    rc = pmat_identify_build(&f.h, 6, &o, &g);
    if (rc == 0) pmat_identify_walk(&g, count_item, &t), pmat_identify_free(&g);
    tap_ok(rc == 0 && t.max_id == 1 && t.events[PMAT_IE_AGAIN] == 1 && !t.cyclic_again &&
               t.events[PMAT_IE_NOTHING] == 0,
           "a referrer with two edges in the graph gets *A and is found again");

    memset(&t, 0, sizeof t);
    o.depth = 0;
    rc = pmat_identify_build(&f.h, 6, &o, &g);
    if (rc == 0) pmat_identify_walk(&g, count_item, &t), pmat_identify_free(&g);
    tap_ok(rc == 0 && t.events[PMAT_IE_EDEPTH] == 1 && t.events[PMAT_IE_REF] == 0, "-d 0");

    /* immortals are roots of their own */
    memset(&t, 0, sizeof t);
    o.depth = 10;
    rc = pmat_identify_build(&f.h, 8 + 1, &o, &g);
    tap_ok(rc == 0 && g.nroots == 1 && !strcmp(pmat_ident_text(&g, g.roots[0].text), "true"),
           "sv_yes is identified as \"true\"");
    if (rc == 0) pmat_identify_free(&g);

    struct pmat_inref_list in = {0};
    rc = pmat_inrefs(&f.h, 6, PMAT_SET_ALL, &in);
    tap_ok(rc == 0 && in.n == 2 && in.v[0].referrer == 4 && in.v[1].referrer == 5,
           "inrefs: referrers in address order");
    pmat_inref_list_free(&in);
    rc = pmat_inrefs(&f.h, 0, PMAT_SET_STRONG, &in);
    /* 0 is held by nothing but the root */
    tap_ok(rc == 0 && in.n == 1 && in.v[0].kind == PMAT_IN_ROOT, "inrefs: a root pseudo-reference");
    pmat_inref_list_free(&in);
    fake_free(&f);
}

static void ids(void)
{
    static const struct {
        uint32_t id;
        const char *text;
    } cases[] = {
        {1, "A"}, {26, "Z"}, {27, "AA"}, {52, "AZ"}, {53, "BA"}, {702, "ZZ"}, {703, "AAA"},
    };
    int good = 1;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[16];
        pmat_ident_id_text(cases[i].id, buf, sizeof buf);
        if (strcmp(buf, cases[i].text)) {
            printf("# id %u: got %s, want %s\n", cases[i].id, buf, cases[i].text);
            good = 0;
        }
    }
    tap_ok(good, "IDs count A..Z, AA.. like Perl's string increment");
}

int main(void)
{
    ids();
    shapes();
    million_chain();
    return tap_done();
}
