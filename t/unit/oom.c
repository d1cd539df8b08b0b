/*
 * oom.c — out-of-memory injection, as SQLite tests it: the Nth allocation libpmat
 * makes fails, for N = 1, 2, … until a run makes fewer than N allocations.  This
 * binary is linked with -Wl,--wrap=malloc,... (Makefile), so every malloc, calloc,
 * realloc and strdup that the objects of libpmat.a call goes through the counters
 * below; zlib's and zstd's own allocations do not.
 *
 * For pmat_load_mem and for each analysis on $PMAT_TEST_DUMP, every run must end in
 * one of two ways: the documented failure (NULL, -1, UINT64_MAX; a load's message is
 * "out of memory"), or success with exactly the answer of a run where nothing failed
 * (a pass that tolerates a failed allocation, such as the optional address buckets,
 * must still answer right).  Never a crash; under `make check-san` ASan and LSan also
 * hold every error path to no invalid access and no leak.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmat_count.h"
#include "pmat_dominators.h"
#include "pmat_find.h"
#include "pmat_heap.h"
#include "pmat_identify.h"
#include "pmat_reach.h"
#include "pmat_refs.h"
#include "pmat_sizes.h"
#include "pmat_strtab.h"
#include "pmat_text.h"
#include "pmat_unreachable.h"
#include "tap.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t sz);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t sz);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static unsigned long alloc_count, fail_at; /* fail_at 0: nothing fails */
static int injected;                       /* the failure happened in this run */

static int should_fail(void)
{
    if (!fail_at || ++alloc_count != fail_at) return 0;
    injected = 1;
    return 1;
}
void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t sz)
{
    return should_fail() ? NULL : __real_calloc(n, sz);
}
void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}
char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

static void arm(unsigned long n)
{
    alloc_count = 0, injected = 0, fail_at = n;
}
static void disarm(void)
{
    fail_at = 0;
}

static const uint8_t *dump;
static size_t dump_len;

static struct pmat_heap *load_clean(void)
{
    struct pmat_error err;
    struct pmat_heap *h = pmat_load_mem(dump, dump_len, "oom", NULL, &err);
    if (!h) {
        printf("Bail out! the dump does not load: %s\n", err.msg);
        exit(1);
    }
    return h;
}

/* A digest of what loading produced: enough that a pass which skipped work after a
 * failed allocation would show. */
static uint64_t load_digest(const struct pmat_heap *h)
{
    uint64_t d = h->nsv * 1000003u + h->nroots * 101u + h->nstack * 7u + h->ncontexts;
    for (uint32_t i = 0; i < h->nsv; i++) {
        d = d * 31 + h->addr[i] + h->size[i] + h->refcnt[i] + h->kind[i];
        uint64_t first, n = pmat_out_range(h, i, &first);
        for (uint64_t e = first; e < first + n; e++)
            d = d * 17 + h->out_target[e] + h->out_kind[e] + h->out_str[e];
        d += pmat_sv_at(h, h->addr[i]) == i;
    }
    return d;
}

/* One analysis: run it on a fresh heap; 0 success (*digest set), -1 its failure. */
typedef int (*analysis_fn)(struct pmat_heap *h, uint64_t *digest);

static int an_owned(struct pmat_heap *h, uint64_t *digest)
{
    const uint64_t *s = pmat_all_sizes(h, PMAT_SIZE_OWNED);
    if (!s) return -1;
    *digest = 0;
    for (uint32_t i = 0; i < h->ntotal; i++)
        *digest = *digest * 31 + s[i];
    return 0;
}

static int an_structure(struct pmat_heap *h, uint64_t *digest)
{
    const uint64_t *s = pmat_all_sizes(h, PMAT_SIZE_STRUCTURE);
    if (!s) return -1;
    *digest = 0;
    for (uint32_t i = 0; i < h->ntotal; i++)
        *digest = *digest * 31 + s[i];
    return 0;
}

static int an_dominators(struct pmat_heap *h, uint64_t *digest)
{
    const struct pmat_dominators *d = pmat_dominators(h);
    if (!d) return -1;
    *digest = d->nentries;
    for (uint32_t i = 0; i < h->nsv; i++)
        *digest = *digest * 31 + pmat_dom_is_unreachable(d, i);
    return 0;
}

static int an_by_class(struct pmat_heap *h, uint64_t *digest)
{
    struct pmat_dom_class *rows;
    uint64_t n;
    if (pmat_dom_by_class(h, &rows, &n) < 0) return -1;
    *digest = n;
    for (uint64_t i = 0; i < n; i++)
        *digest =
            *digest * 31 + rows[i].stash + rows[i].objects + rows[i].retained + rows[i].unreachable;
    free(rows);
    return 0;
}

static int an_count(struct pmat_heap *h, uint64_t *digest)
{
    struct pmat_count c;
    struct pmat_count_opts o = {.blessed = 1, .scalars = 1};
    if (pmat_count(h, &o, &c) < 0) return -1;
    *digest = c.nrows;
    for (size_t i = 0; i < c.nrows; i++) {
        *digest = *digest * 31 + c.rows[i].svs + c.rows[i].bytes;
        for (const char *p = c.rows[i].label; p && *p; p++)
            *digest = *digest * 31 + (uint8_t)*p;
    }
    pmat_count_free(&c);
    return 0;
}

static int an_inrefs(struct pmat_heap *h, uint64_t *digest)
{
    if (pmat_inrefs_build(h) < 0) return -1;
    *digest = 0;
    for (uint32_t i = 0; i <= h->ntotal; i++)
        *digest = *digest * 31 + h->in_start[i];
    return 0;
}

static int an_reach(struct pmat_heap *h, uint64_t *digest)
{
    const uint8_t *r;
    int status = pmat_reach(h, NULL, NULL, &r, NULL);
    if (status < 0) return status == PMAT_ENOMEM ? -1 : -2; /* else: 0.51's die */
    *digest = 0;
    for (uint32_t i = 0; i < h->ntotal; i++)
        *digest = *digest * 7 + r[i];
    return 0;
}

static int an_strtab(struct pmat_heap *h, uint64_t *digest)
{
    uint64_t n = 0;
    const struct pmat_hek_use *u = pmat_hek_uses(h, &n);
    if (!u && n) return -1;
    if (!u) return -1; /* NULL is out of memory (a dump always has HEKs) */
    *digest = n;
    return 0;
}

static int an_unreach(struct pmat_heap *h, uint64_t *digest)
{
    struct pmat_unreach_group *g = NULL;
    uint64_t n = 0;
    if (pmat_unreach_groups(h, &g, &n) < 0) return -1;
    *digest = n;
    for (uint64_t i = 0; i < n; i++)
        *digest = *digest * 31 + g[i].components + g[i].svs + g[i].bytes + g[i].example;
    free(g);
    return 0;
}

/* identify of the largest SV by owned size (a deep graph) */
static int an_identify(struct pmat_heap *h, uint64_t *digest)
{
    uint32_t sv = 0;
    for (uint32_t i = 0; i < h->nsv; i++)
        if (h->refcnt[i] > h->refcnt[sv]) sv = i; /* most referenced: many branches */
    struct pmat_ident_graph g;
    struct pmat_ident_opts o = {0};
    int rc = pmat_identify_build(h, sv, &o, &g);
    if (rc < 0) return -1;
    *digest = g.nedges + g.ntext;
    for (uint64_t i = 0; i < g.nedges; i++)
        *digest = *digest * 31 + g.edges[i].to;
    for (size_t i = 0; i < g.ntext; i++)
        *digest = *digest * 31 + (uint8_t)g.text[i];
    pmat_identify_free(&g);
    return 0;
}

/* find_symbol / find_stash: names that are there and names that are not (a missing name
 * is an answer, PMAT_EINVALID with a message; only PMAT_ENOMEM is a failure) */
static int an_symbols(struct pmat_heap *h, uint64_t *digest)
{
    static const char *const names[] = {
        "$main::0", "%main::", "&main::nosuch", "@INC", "$No::Such::Package::x", "?bad"};
    *digest = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        uint32_t sv;
        struct pmat_error err;
        int status = pmat_find_symbol(h, names[i], &sv, &err);
        if (status == PMAT_ENOMEM) return -1;
        *digest = *digest * 31 + (status == PMAT_OK ? sv : 7u * (uint32_t)strlen(err.msg));
    }
    uint32_t stash;
    int status = pmat_find_stash(h, "main", &stash, NULL);
    if (status == PMAT_ENOMEM) return -1;
    *digest = *digest * 31 + stash;
    return 0;
}

/* find pv with a pattern over every SV */
static int an_find(struct pmat_heap *h, uint64_t *digest)
{
    struct pmat_find_filter f;
    pmat_find_init(&f, PMAT_FIND_PV);
    f.pattern = "a.c|main";
    f.regexp = 1;
    if (pmat_find_prepare(h, &f, NULL) < 0) return -1;
    *digest = 0;
    for (uint32_t sv = 0; sv < h->ntotal; sv++) {
        struct pmat_find_match m;
        if (pmat_find_test(h, &f, sv, &m)) *digest = *digest * 31 + m.sv;
    }
    pmat_find_release(&f);
    return 0;
}

static const struct {
    const char *name;
    analysis_fn fn;
} ANALYSES[] = {
    {"symbol lookups (pmat_find_symbol, pmat_find_stash)", an_symbols},
    {"find pv (pmat_find_prepare)", an_find},
    {"owned sizes (pmat_all_sizes)", an_owned},
    {"structure sizes (pmat_all_sizes)", an_structure},
    {"dominators", an_dominators},
    {"retained by class (pmat_dom_by_class)", an_by_class},
    {"count -b -S", an_count},
    {"inrefs", an_inrefs},
    {"reach", an_reach},
    {"strtab (pmat_hek_uses)", an_strtab},
    {"unreachable groups", an_unreach},
    {"identify", an_identify},
};

/* The sweep's limit: a run of a small dump makes a few thousand allocations at most. */
enum { MAX_N = 200000 };

static void sweep_load(void)
{
    struct pmat_heap *ref = load_clean();
    uint64_t want = load_digest(ref);
    pmat_free(ref);
    unsigned long n, failed = 0, tolerated = 0, bad = 0;
    char first_bad[256] = "";
    for (n = 1; n < MAX_N; n++) {
        struct pmat_error err;
        arm(n);
        struct pmat_heap *h = pmat_load_mem(dump, dump_len, "oom", NULL, &err);
        disarm();
        if (!injected) { /* the whole load made fewer than n allocations */
            pmat_free(h);
            break;
        }
        if (!h) {
            failed++;
            if (!strstr(err.msg, "out of memory") && !bad++)
                snprintf(first_bad, sizeof first_bad, "allocation %lu: message %.200s", n, err.msg);
            continue;
        }
        tolerated++;
        if (load_digest(h) != want && !bad++)
            snprintf(first_bad, sizeof first_bad, "allocation %lu: loaded, but not the same heap",
                     n);
        pmat_free(h);
    }
    tap_ok(n > 1 && n < MAX_N, "load: swept allocations 1..%lu", n - 1);
    tap_ok(!bad,
           "load: %lu runs failed with 'out of memory', %lu tolerated the failure with the same "
           "heap%s%s",
           failed, tolerated, bad ? "; " : "", first_bad);
}

static void sweep_analysis(const char *name, analysis_fn fn)
{
    uint64_t want = 0;
    struct pmat_heap *h = load_clean();
    int rc = fn(h, &want);
    pmat_free(h);
    if (!tap_ok(rc == 0, "%s: runs on the dump", name)) return;
    unsigned long n, failed = 0, tolerated = 0, bad = 0;
    char first_bad[256] = "";
    for (n = 1; n < MAX_N; n++) {
        uint64_t got = 0;
        h = load_clean();
        arm(n);
        rc = fn(h, &got);
        disarm();
        pmat_free(h);
        if (!injected) break;
        if (rc == 0) {
            tolerated++;
            if (got != want && !bad++)
                snprintf(first_bad, sizeof first_bad,
                         "allocation %lu: succeeded with another answer", n);
        } else if (rc == -1) {
            failed++;
        } else if (!bad++) {
            snprintf(first_bad, sizeof first_bad, "allocation %lu: failed as if the dump were bad",
                     n);
        }
    }
    tap_ok(n < MAX_N && failed > 0, "%s: swept allocations 1..%lu", name, n - 1);
    tap_ok(!bad, "%s: %lu runs reported out of memory, %lu tolerated it with the same answer%s%s",
           name, failed, tolerated, bad ? "; " : "", first_bad);
}

int main(void)
{
    const char *path = getenv("PMAT_TEST_DUMP");
    if (!path) {
        printf("1..0 # SKIP no $PMAT_TEST_DUMP\n");
        return 0;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("Bail out! cannot open %s\n", path);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(len > 0 ? (size_t)len : 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
        printf("Bail out! cannot read %s\n", path);
        return 1;
    }
    fclose(f);
    dump = buf, dump_len = (size_t)len;

    sweep_load();
    for (size_t i = 0; i < sizeof ANALYSES / sizeof ANALYSES[0]; i++)
        sweep_analysis(ANALYSES[i].name, ANALYSES[i].fn);
    free(buf);
    return tap_done();
}
