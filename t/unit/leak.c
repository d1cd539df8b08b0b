/*
 * leak.c — unit tests of pmat-leakreport's candidate tracking (lib/leak.c), of
 * pmat-diff's forest shaping (lib/diff.c) on hand-built heaps, and of the
 * PMAT_LOAD_MINIMAL load mode against a full load of $PMAT_TEST_DUMP.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmat_diff.h"
#include "pmat_heap.h"
#include "pmat_leak.h"
#include "pmat_refs.h"
#include "pmat_text.h"
#include "tap.h"

/* A fake heap: just the arrays the leak tracker and the forest builder read. */
struct fake {
    struct pmat_heap h;
    uint64_t addr[16];
    uint8_t kind[16];
    uint64_t out_start[17];
    uint32_t out_target[32];
};

/* "1h 2s 3a": address, then basetype by kind letter (s scalar, h hash, a array, c struct);
 * addresses ascending, as in a loaded heap. */
static void fake_init(struct fake *f, const char *spec)
{
    memset(f, 0, sizeof *f);
    uint32_t n = 0;
    for (const char *p = spec; *p;) {
        char *end;
        f->addr[n] = strtoull(p, &end, 10);
        char k = *end;
        f->kind[n] = k == 'h'   ? PMAT_K_HASH
                     : k == 'a' ? PMAT_K_ARRAY
                     : k == 'c' ? PMAT_K_STRUCT
                                : PMAT_K_SCALAR;
        n++;
        p = end + 1;
        while (*p == ' ')
            p++;
    }
    f->h.nsv = n;
    f->h.ntotal = n + 3;
    f->h.addr = f->addr;
    f->h.kind = f->kind;
    f->h.out_start = f->out_start;
    f->h.out_target = f->out_target;
}

/* Run a series (last file fed as last) and render "TAG:ADDR ..." of the result. */
static void run_series(int onefile, const char *const *specs, int nspecs, char *out, size_t size)
{
    struct pmat_leak *lk = pmat_leak_new(onefile);
    struct fake f;
    for (int i = 0; i < nspecs; i++) {
        fake_init(&f, specs[i]);
        if (i == nspecs - 1 && i > 0)
            pmat_leak_feed_last(lk, &f.h);
        else
            pmat_leak_feed(lk, &f.h);
    }
    out[0] = 0;
    size_t len = 0;
    for (uint64_t i = 0; i < pmat_leak_count(lk); i++) {
        uint64_t addr;
        int tag;
        pmat_leak_at(lk, i, &addr, &tag);
        len += (size_t)snprintf(out + len, size - len, "%s%d:%llu", len ? " " : "", tag,
                                (unsigned long long)addr);
    }
    pmat_leak_free(lk);
}

static void is_series(int onefile, const char *const *specs, int nspecs, const char *want,
                      const char *name)
{
    char got[512];
    run_series(onefile, specs, nspecs, got, sizeof got);
    tap_ok(!strcmp(got, want), "%s", name);
    if (strcmp(got, want)) printf("#   got '%s'\n#  want '%s'\n", got, want);
}

static void test_leak(void)
{
    const char *basic[] = {"1s 2s", "1s 2s 3s 4h", "1s 3s 4h 5a", "1s 3s 5a 6s"};
    is_series(0, basic, 4, "2:3 3:5", "survivors from files 2..N-1, by tag");
    is_series(1, basic, 4, "2:3", "-1: only the first batch");
    is_series(0, basic, 2, "", "two files never report anything");
    is_series(0, basic, 1, "", "one file never reports anything");

    const char *reuse[] = {"1s", "1s 2h 3s", "1s 2s 3s", "1s 2s 3s"};
    is_series(0, reuse, 4, "2:3 3:2", "a slot reused with another basetype is a new SV");

    const char *gone[] = {"1s", "1s 2s", "1s", "1s 3s", "1s 3s"};
    is_series(1, gone, 5, "4:3", "-1 collects again once the pending candidates are gone");
    is_series(0, gone, 5, "4:3", "... as without -1 here");

    const char *stale[] = {"1s", "1s 2s", "1s 2s 9s", "1s 9s", "1s 7s 9s", "1s 7s 9s"};
    /* with -1, file 3's 9 is never a candidate (2 still pending); file 4 compares with
     * file 2 (the last one that updated the previous set), so 9 is new there */
    is_series(1, stale, 6, "4:9", "-1 keeps the previous set of the last collecting file");
    is_series(0, stale, 6, "3:9 5:7", "... which plain mode does not");

    const char *order[] = {"1s", "1s 20s 30s 40s", "1s 10s 20s 30s 40s", "1s 10s 20s 30s 40s"};
    is_series(0, order, 4, "2:20 2:30 2:40 3:10", "ordered by tag, then address");

    const char *structs[] = {"1s", "1s 2c 3s", "1s 2c 3s", "1s 2c 3h"};
    is_series(0, structs, 4, "2:2", "C_STRUCTs (no basetype; 0.51 dies) are keyed by their kind");
    const char *structs2[] = {"1s", "1s 2c", "1s 2s", "1s 2s"};
    is_series(0, structs2, 4, "3:2", "... which differs from every basetype");
}

/* Render a forest as "sv/depth[L] ..." */
static void forest_str(const struct pmat_heap *h, const uint32_t *set, uint64_t n, char *out,
                       size_t size)
{
    struct pmat_forest_line *lines;
    out[0] = 0;
    if (pmat_diff_forest(h, set, n, &lines) < 0) return;
    size_t len = 0;
    for (uint64_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, size - len, "%s%u/%u%s", i ? " " : "", lines[i].sv,
                                lines[i].depth, lines[i].depth && lines[i].last ? "L" : "");
    free(lines);
}

static void test_forest(void)
{
    struct fake f;
    fake_init(&f, "1s 2s 3s 4s 5s 6s");
    /* edges: 0->3, 0->1, 0->3 again, 3->2, 3->5, 1->2, 2->0, 4->4 */
    uint32_t edges[6][4] = {{3, 1, 3, PMAT_NONE}, {2, PMAT_NONE}, {0, PMAT_NONE},
                            {2, 5, PMAT_NONE},    {4, PMAT_NONE}, {PMAT_NONE}};
    uint64_t e = 0;
    for (int s = 0; s < 6; s++) {
        f.out_start[s] = e;
        for (int k = 0; edges[s][k] != PMAT_NONE; k++)
            f.out_target[e++] = edges[s][k];
    }
    for (int s = 6; s <= 9; s++)
        f.out_start[s] = e;
    uint32_t all[] = {0, 1, 2, 3, 4, 5};
    char got[256];
    forest_str(&f.h, all, 6, got, sizeof got);
    const char *want = "0/0 1/1 2/2L 3/1L 5/2L 4/0";
    tap_ok(!strcmp(got, want), "forest: breadth-first claims, children by address, pre-order");
    if (strcmp(got, want)) printf("#   got '%s'\n#  want '%s'\n", got, want);

    uint32_t part[] = {1, 2, 5};
    forest_str(&f.h, part, 3, got, sizeof got);
    want = "1/0 2/1L 5/0";
    tap_ok(!strcmp(got, want), "forest: only references inside the set count");
    if (strcmp(got, want)) printf("#   got '%s'\n#  want '%s'\n", got, want);
}

/* A chain a million SVs long becomes one tree a million levels deep: no recursion. */
static void test_deep_forest(void)
{
    const uint32_t n = 1000000;
    struct pmat_heap h;
    memset(&h, 0, sizeof h);
    h.nsv = n;
    h.ntotal = n + 3;
    h.out_start = malloc(((size_t)n + 4) * sizeof *h.out_start);
    h.out_target = malloc((size_t)n * sizeof *h.out_target);
    uint32_t *set = malloc((size_t)n * sizeof *set);
    /* edge i (SV i -> SV i+1) belongs to SV i; the last SV has none */
    for (uint32_t i = 0; i < n; i++) {
        set[i] = i;
        h.out_start[i] = i;
        if (i + 1 < n) h.out_target[i] = i + 1;
    }
    for (uint32_t i = n; i <= n + 3; i++)
        h.out_start[i] = n - 1;
    struct pmat_forest_line *lines;
    int rc = pmat_diff_forest(&h, set, n, &lines);
    tap_ok(rc == 0 && lines[n - 1].depth == n - 1 && lines[n - 1].sv == n - 1,
           "a million-link chain is one tree, %u deep", rc == 0 ? lines[n - 1].depth : 0);
    if (rc == 0) free(lines);
    free(h.out_start), free(h.out_target), free(set);
}

/* PMAT_LOAD_MINIMAL gives the same SVs, addresses and basetypes as a full load. */
static void test_minimal(void)
{
    const char *dump = getenv("PMAT_TEST_DUMP");
    if (!dump) {
        printf("ok %d # skip no PMAT_TEST_DUMP\n", ++tap_n);
        return;
    }
    struct pmat_error err;
    struct pmat_load_opts lo;
    memset(&lo, 0, sizeof lo);
    struct pmat_heap *full = pmat_load(dump, &lo, &err);
    lo.flags = PMAT_LOAD_MINIMAL;
    struct pmat_heap *min = pmat_load(dump, &lo, &err);
    tap_ok(full && min, "both loads succeed");
    if (!full || !min) return;
    tap_ok(full->nsv == min->nsv && full->nsv > 1000, "same SV count (%u)", min->nsv);
    int same_addr = 1, same_bt = 1;
    for (uint32_t i = 0; i < full->ntotal && i < min->ntotal; i++) {
        if (full->addr[i] != min->addr[i]) same_addr = 0;
        const char *a = pmat_basetype(full, i), *b = pmat_basetype(min, i);
        if ((a == NULL) != (b == NULL) || (a && strcmp(a, b))) same_bt = 0;
    }
    tap_ok(same_addr, "same addresses");
    tap_ok(same_bt, "same basetypes");
    tap_ok(!min->out_start && !min->code_slot, "no reference graph, no fix-up tables");
    int scalars_ok = 1;
    struct pmat_sb x, y;
    sb_init(&x), sb_init(&y);
    for (uint32_t i = 0; i < full->nsv; i++) {
        if (full->kind[i] != PMAT_K_SCALAR && full->kind[i] != PMAT_K_HASH) continue;
        sb_reset(&x), sb_reset(&y);
        pmat_desc(full, i, &x), pmat_desc(min, i, &y);
        if (strcmp(sb_str(&x), sb_str(&y))) scalars_ok = 0;
    }
    size_t described = 0;
    for (uint32_t i = 0; i < min->ntotal; i++) { /* every kind is describable (no crash) */
        sb_reset(&y);
        pmat_desc(min, i, &y);
        described += y.len > 0;
    }
    sb_free(&x), sb_free(&y);
    tap_ok(scalars_ok, "desc of SCALARs and HASHes agrees");
    tap_ok(described == min->ntotal, "every SV of a minimal load has a desc");
    pmat_free(full);
    pmat_free(min);
}

int main(void)
{
    test_leak();
    test_forest();
    test_deep_forest();
    test_minimal();
    return tap_done();
}
