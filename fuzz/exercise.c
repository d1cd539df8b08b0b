/*
 * exercise.c — the body shared by the libFuzzer target (fuzz_load.c) and the
 * plain mutation driver (mutate.c): load one input from memory and, if it
 * loads, run every read-only decoder and analysis over whatever the loader
 * accepted.  The loader promises that anything it accepts can be decoded
 * without reading outside the mapping; this is where that promise is tested.
 */
#include "exercise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "pmat_heap.h"
#include "pmat_refs.h"
#include "pmat_text.h"
#if __has_include("pmat_reach.h")
#include "pmat_reach.h"
#define HAVE_REACH 1
#endif
#if __has_include("pmat_diff.h")
#include "pmat_diff.h"
#define HAVE_DIFF 1
#endif

/* The CLI's output goes nowhere, but is touched so the compiler keeps it. */
static volatile size_t sink_bytes;
static void sink(void *ud, const char *p, size_t n)
{
    (void)ud;
    if (n) sink_bytes += (size_t)(unsigned char)p[0] + (size_t)(unsigned char)p[n - 1] + n;
}

/* Bound the per-input work so one large accepted input cannot look like a hang. */
#define MAX_SVS 4000

static void touch_str(struct pmat_str s)
{
    if (s.defined && s.len) sink_bytes += s.ptr[0] + s.ptr[s.len - 1];
}

static void exercise_sv(struct pmat_heap *h, uint32_t sv, struct pmat_sb *sb)
{
    sb_reset(sb);
    pmat_desc(h, sv, sb);
    sb_reset(sb);
    pmat_format_sv_with_value(h, sv, &pmat_style_plain, sb);
    sb_reset(sb);
    pmat_symname(h, sv, sb);
    (void)pmat_basetype(h, sv);
    (void)pmat_sv_root(h, sv);

    uint64_t first, n = pmat_out_range(h, sv, &first);
    char name[256];
    for (uint64_t e = first; e < first + n && e < first + 2000; e++)
        pmat_ref_name(h, sv, e, name, sizeof name);

    struct pmat_scalar s;
    if (pmat_scalar(h, sv, &s) == 0 && s.has_pv) {
        sb_reset(sb);
        pmat_format_pv(s.pv.ptr, s.pv.len, s.flags & PMAT_SF_UTF8, 0, sb);
    }
    struct pmat_glob g;
    if (pmat_glob(h, sv, &g) == 0) touch_str(g.name), touch_str(g.file);
    struct pmat_hash hv;
    if (pmat_hash(h, sv, &hv) == 0) {
        uint64_t pos = hv.body, done = 0, val;
        struct pmat_str key;
        while (done < 2000 && pmat_hash_next(h, &hv, &pos, &done, &key, &val)) {
            sb_reset(sb);
            pmat_format_key(key.ptr, key.len, 1, sb);
        }
        touch_str(hv.name);
    }
    uint64_t na = pmat_array_count(h, sv);
    for (uint64_t i = 0; i < na && i < 2000; i++)
        sink_bytes += pmat_array_elem(h, sv, i);
    uint64_t no = pmat_object_count(h, sv);
    for (uint64_t i = 0; i < no && i < 2000; i++)
        sink_bytes += pmat_object_field(h, sv, i);
    struct pmat_io io;
    pmat_io(h, sv, &io);
    struct pmat_lvalue lv;
    pmat_lvalue(h, sv, &lv);
    struct pmat_ref rf;
    pmat_ref(h, sv, &rf);
    const struct pmat_struct_type *st = pmat_struct_type_of(h, sv);
    if (st)
        for (uint32_t f = 0; f < st->nfields && f < 2000; f++) {
            uint64_t v;
            if (pmat_struct_field(h, sv, f, &v) == 0) sink_bytes += v;
        }
    const struct pmat_code_info *c = pmat_code(h, sv);
    if (c) {
        for (uint64_t ix = 0; ix < c->npadnames && ix < 2000; ix++) {
            const struct pmat_padname *pn = pmat_code_padname(h, c, ix);
            if (pn) touch_str(pn->name);
        }
        for (uint64_t d = 1; d <= c->npads && d < 2000; d++)
            sink_bytes += pmat_code_pad(h, c, d);
        touch_str(c->file), touch_str(c->hekname);
    }
    (void)pmat_padcv(h, sv);

    const struct pmat_ext *x;
    uint64_t nx = pmat_exts_of(h, sv, &x);
    for (uint64_t i = 0; i < nx && i < 2000; i++) {
        struct pmat_magic m;
        uint64_t a, b2, c2;
        struct pmat_str t;
        pmat_ext_magic(h, &x[i], &m);
        pmat_ext_saved(h, &x[i], &a, &b2, &c2);
        if (pmat_ext_annotation(h, &x[i], &a, &t) == 0) touch_str(t);
        if (pmat_ext_debug(h, &x[i], &a, &b2, &t) == 0) touch_str(t);
    }

    if (h->in_start) {
        for (uint64_t k = h->in_start[sv]; k < h->in_start[sv + 1] && k < h->in_start[sv] + 200;
             k++)
            pmat_ref_name(h, h->in_source[k], h->in_edge[k], name, sizeof name);
    }
}

/* Shell commands run on every accepted input; those not (yet) implemented just fail. */
static const char *const global_cmds[] = {"summary",
                                          "count",
                                          "count --blessed",
                                          "count --scalars",
                                          "count --struct",
                                          "roots",
                                          "largest",
                                          "largest --owned",
                                          "largest --struct",
                                          "callstack",
                                          "symbols main",
                                          "find blessed main",
                                          "find num 1",
                                          "find pv a",
                                          "list-dangling-ptrs",
                                          "tools",
                                          "tool Sizes",
                                          "identify defstash",
                                          "show defstash",
                                          "show main_cv",
                                          "more",
                                          "dominators",
                                          "retained defstash",
                                          "packages",
                                          "stack",
                                          "callers",
                                          "roots --strong",
                                          "tool Reachability",
                                          NULL};
static const char *const sv_cmds[] = {
    "show", "show --full_pv", "show --pad", "outrefs --all", "inrefs --all", "identify",
    "size", "elems",          "values",     "sizes",         "retained",     NULL};

static void run_line(struct cli *cli, const char *line)
{
    cli_run_line(cli, line);
    for (int i = 0; i < 20 && cli_more_pending(cli); i++)
        cli_more(cli, NULL);
}

/* The minimal load mode (pmat-leakreport): only the SV arrays and the plain decoders.
 * (pmat_leak_* itself only reads addresses and kinds; its API is still moving.) */
static void exercise_minimal(const uint8_t *data, size_t size)
{
    struct pmat_load_opts o;
    memset(&o, 0, sizeof o);
    o.max_decompressed = 64u << 20;
    o.flags = PMAT_LOAD_MINIMAL;
    struct pmat_error err;
    struct pmat_heap *h = pmat_load_mem(data, size, "fuzz.pmat", &o, &err);
    if (!h) return;
    struct pmat_sb sb;
    sb_init(&sb);
    uint32_t lim = h->ntotal < MAX_SVS ? h->ntotal : MAX_SVS;
    for (uint32_t sv = 0; sv < lim; sv++) {
        uint8_t k = h->kind[sv];
        (void)pmat_basetype(h, sv);
        if (k == PMAT_K_CODE || k == PMAT_K_ARRAY) continue;
        sb_reset(&sb);
        pmat_desc(h, sv, &sb);
    }
    sb_free(&sb);
    pmat_free(h);
}

void pmat_fuzz_one(const uint8_t *data, size_t size, int run_cli)
{
    struct pmat_load_opts o;
    memset(&o, 0, sizeof o);
    o.max_decompressed = 64u << 20;
    struct pmat_error err;
    struct pmat_heap *h = pmat_load_mem(data, size, "fuzz.pmat", &o, &err);
    if (!h) {
        /* every failure must explain itself */
        if (!err.msg[0]) abort();
        return;
    }
    struct pmat_sb sb;
    sb_init(&sb);
    pmat_inrefs_build(h);
    uint32_t lim = h->ntotal < MAX_SVS ? h->ntotal : MAX_SVS;
    for (uint32_t sv = 0; sv < lim; sv++)
        exercise_sv(h, sv, &sb);
    for (uint32_t i = 0; i < h->nroots; i++)
        touch_str(h->roots[i].name);
    for (uint32_t i = 0; i < h->ncontexts; i++)
        touch_str(h->contexts[i].file);
    char ver[64];
    pmat_perlversion(h, ver, sizeof ver);
    sb_reset(&sb);
    pmat_find_symbol(h, "$main::x", &sb);
    sb_reset(&sb);
    pmat_find_symbol(h, "&main::foo::bar", &sb);
    sb_reset(&sb);
    pmat_find_stash(h, "main", &sb);

#ifdef HAVE_REACH
    if (run_cli) {
        char fatal[256];
        const uint8_t *rc = pmat_reach(h, NULL, NULL, fatal, sizeof fatal);
        if (rc)
            for (uint32_t sv = 0; sv < h->ntotal; sv++)
                (void)pmat_reach_name((enum pmat_reach)rc[sv]);
    }
#endif
#ifdef HAVE_DIFF
    if (run_cli) {
        struct pmat_diff d;
        if (pmat_diff_compute(h, h, &d) == 0) pmat_diff_free(&d);
        uint32_t set[64];
        uint64_t ns = 0;
        for (uint32_t sv = 0; sv < h->nsv && ns < 64; sv += 1 + h->nsv / 64)
            set[ns++] = sv;
        struct pmat_forest_line *lines = NULL;
        if (pmat_diff_forest(h, set, ns, &lines) == 0) free(lines);
    }
#endif
    if (run_cli) {
        exercise_minimal(data, size);
        struct cli cli;
        cli_init(&cli, h, "fuzz.pmat");
        cli_set_sinks(&cli, sink, NULL, sink, NULL);
        for (int i = 0; global_cmds[i]; i++)
            run_line(&cli, global_cmds[i]);
        /* per-SV commands on a few SVs spread over the heap, and the immortals */
        uint32_t picks[6] = {0,      h->nsv / 3, h->nsv / 2, h->nsv ? h->nsv - 1 : 0,
                             h->nsv, h->nsv + 2};
        for (int k = 0; k < 6; k++) {
            if (picks[k] >= h->ntotal) continue;
            for (int i = 0; sv_cmds[i]; i++) {
                char line[128];
                snprintf(line, sizeof line, "%s %#llx", sv_cmds[i],
                         (unsigned long long)h->addr[picks[k]]);
                run_line(&cli, line);
            }
        }
        cli_release(&cli);
    }
    sb_free(&sb);
    pmat_free(h);
}
