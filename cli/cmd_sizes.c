/*
 * cmd_sizes.c — `size SV` and `largest` (Devel::MAT::Tool::Sizes).  The measures
 * come from lib/sizes.c; see reference §3 and §4.8.
 *
 * `largest` differs from 0.51 on purpose in two ways (docs/compat.md): SVs with
 * equal sizes are listed by address (0.51: heap-hash order, random per run), and
 * owned sizes count each SV once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pmat_dominators.h"
#include "pmat_sizes.h"

/* ---- size ---- */

static int cmd_size(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    uint32_t sv = cli_sv(a);
    uint64_t owned = pmat_size_of(h, sv, PMAT_SIZE_OWNED);
    if (owned == UINT64_MAX) return cli_error(cli, "Out of memory");
    static const char *const what[] = { "directly", "structurally", "including owned referrants" };
    uint64_t sizes[3] = { pmat_size_of(h, sv, PMAT_SIZE_PLAIN),
                          pmat_size_of(h, sv, PMAT_SIZE_STRUCTURE), owned };
    struct pmat_sb sb;
    sb_init(&sb);
    cli_fmt_sv(cli, &sb, sv);
    sb_puts(&sb, " consumes:\n");
    for (int i = 0; i < 3; i++) {
        sb_puts(&sb, "  ");
        pmat_format_bytes(sizes[i], &sb);
        sb_printf(&sb, " %s\n", what[i]);
    }
    cli_puts(cli, sb_str(&sb));
    sb_free(&sb);
    return 0;
}

/* ---- largest ---- */

#define COUNT_UNLIMITED UINT64_MAX

/* How many items `while( $count-- )` takes for Devel::MAT's count argument: none for ""
 * and "0", N for a positive whole number N, otherwise (negative, fractional, "0.0",
 * "00", non-numeric) the loop only ends when the list does. */
static uint64_t perl_loop_count(const char *s)
{
    if (!*s || !strcmp(s, "0")) return 0;
    const char *p = s;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r')) p++;
    if (*p == '+' || *p == '-') p++;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) return COUNT_UNLIMITED; /* Perl: "0x.." is 0 */
    char *end;
    double v = strtod(s, &end); /* Perl numifies a leading number, ignoring the rest */
    if (end == s) v = 0;
    if (v >= 1 && v < 9e18 && v == floor(v)) return (uint64_t)v;
    return COUNT_UNLIMITED;
}

struct largest {
    struct cli *cli;
    struct pmat_heap *h;
    enum pmat_size_metric metric;
    int has_metric;      /* --struct / --owned: sets are expanded */
    const uint64_t *val; /* metric of every SV */
    int retained;        /* --retained: val is the retained size, sets are dominator children */
    uint8_t *seen;       /* per SV: shown or inside a shown SV's set */
    uint64_t *counts;
    int ncounts;
};

/* Ranking: larger metric first, then lower address (index order = address order). */
static inline int ranks_before(const struct largest *L, uint32_t a, uint32_t b)
{
    if (L->val[a] != L->val[b]) return L->val[a] > L->val[b];
    return a < b;
}

static const struct largest *sort_ctx; /* for qsort's comparator */

static int by_rank(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    if (a == b) return 0;
    return ranks_before(sort_ctx, a, b) ? -1 : 1;
}

/* The top `k` of svs[0..n) in rank order, into *out (k <= n).  A bounded heap whose root
 * is the worst kept item, so picking 5 of 1.5 M SVs costs one pass. */
static uint32_t *top_k(const struct largest *L, const uint32_t *svs, uint64_t n, uint64_t k)
{
    uint32_t *heap = malloc((k ? k : 1) * sizeof *heap);
    if (!heap) return NULL;
    uint64_t hn = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t x = svs[i];
        uint64_t pos;
        if (hn < k) {
            pos = hn++;
            while (pos) { /* sift up: the worst rises to the root */
                uint64_t parent = (pos - 1) / 2;
                if (!ranks_before(L, heap[parent], x)) break;
                heap[pos] = heap[parent];
                pos = parent;
            }
            heap[pos] = x;
            continue;
        }
        if (!k || !ranks_before(L, x, heap[0])) continue;
        pos = 0; /* replace the root, sift down */
        for (;;) {
            uint64_t c = 2 * pos + 1;
            if (c >= hn) break;
            if (c + 1 < hn && ranks_before(L, heap[c], heap[c + 1])) c++;
            if (!ranks_before(L, x, heap[c])) break;
            heap[pos] = heap[c];
            pos = c;
        }
        heap[pos] = x;
    }
    sort_ctx = L;
    qsort(heap, hn, sizeof *heap, by_rank);
    return heap;
}

/* For --retained: x followed by the SVs it immediately dominates (what the
 * "of which" lines break its retained size into). */
static int dominated_set(struct pmat_heap *h, uint32_t x, struct pmat_svlist *set)
{
    const uint32_t *kids;
    uint64_t n = pmat_dom_children(h, x, &kids);
    uint32_t *v = realloc(set->v, (n + 1) * sizeof *v);
    if (!v) return -1;
    v[0] = x;
    if (n) memcpy(v + 1, kids, n * sizeof *v);
    set->v = v;
    set->n = n + 1;
    return 0;
}

/* One level of the listing (Devel::MAT's list_largest_svs).  Recursion depth is the
 * number of count arguments, not anything proportional to the heap. */
static int list_largest(struct largest *L, const uint32_t *svs, uint64_t n,
                        struct pmat_sb *indent, int level)
{
    struct cli *cli = L->cli;
    uint64_t want = L->counts[level];
    uint64_t k = want < n ? want : n;
    uint32_t *top = top_k(L, svs, n, k);
    if (!top) return cli_error(cli, "Out of memory");
    struct pmat_sb line;
    sb_init(&line);
    struct pmat_svlist set = {0};
    int rc = 0;

    for (uint64_t i = 0; i < k; i++) {
        if (cli_interrupted(cli)) {
            rc = -1;
            goto out;
        }
        uint32_t x = top[i];
        L->seen[x] = 1;
        sb_reset(&line);
        sb_puts(&line, sb_str(indent));
        cli_fmt_sv(cli, &line, x);
        sb_puts(&line, ": ");
        pmat_format_bytes(L->val[x], &line);
        if (!L->has_metric || level + 1 >= L->ncounts) {
            sb_putc(&line, '\n');
            cli_puts(cli, sb_str(&line));
            continue;
        }
        if (L->retained ? dominated_set(L->h, x, &set) < 0
                        : pmat_size_set(L->h, x, L->metric, &set) < 0) {
            rc = cli_error(cli, "Out of memory");
            goto out;
        }
        if (set.n <= 1) {
            sb_putc(&line, '\n');
            cli_puts(cli, sb_str(&line));
            continue;
        }
        sb_puts(&line, ": of which\n");
        cli_puts(cli, sb_str(&line));
        size_t indent_len = indent->len;
        sb_puts(indent, " |   ");
        /* the set without its first member (x itself) */
        struct pmat_svlist members = set;
        set = (struct pmat_svlist){0};
        rc = list_largest(L, members.v + 1, members.n - 1, indent, level + 1);
        indent->len = indent_len;
        indent->buf[indent_len] = 0;
        for (uint64_t j = 1; j < members.n; j++) L->seen[members.v[j]] = 1;
        pmat_svlist_free(&members);
        if (rc < 0) goto out;
    }

    uint64_t others = 0;
    for (uint64_t i = 0; i < n; i++)
        if (!L->seen[svs[i]]) others += svs[i] < L->h->nsv ? L->h->size[svs[i]] : 0;
    if (others) {
        sb_reset(&line);
        sb_puts(&line, sb_str(indent));
        cli_fmt_note(cli, &line, "others", 0);
        sb_puts(&line, ": ");
        pmat_format_bytes(others, &line);
        sb_putc(&line, '\n');
        cli_puts(cli, sb_str(&line));
    }
out:
    pmat_svlist_free(&set);
    sb_free(&line);
    free(top);
    return rc;
}

static int cmd_largest(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    struct largest L = { .cli = cli, .h = h };
    L.metric = cli_flag(a, "owned")    ? PMAT_SIZE_OWNED
               : cli_flag(a, "struct") ? PMAT_SIZE_STRUCTURE
                                       : PMAT_SIZE_PLAIN;
    L.has_metric = L.metric != PMAT_SIZE_PLAIN;
    L.retained = cli_flag(a, "retained");
    if (L.retained) L.has_metric = 1;

    int npos = cli_npos(a);
    L.ncounts = npos > 3 ? npos : 3;
    uint64_t counts[64];
    uint64_t *cv = L.ncounts <= 64 ? counts : malloc((size_t)L.ncounts * sizeof *cv);
    if (!cv) return cli_error(cli, "Out of memory");
    static const uint64_t defaults[3] = { 5, 3, 2 };
    for (int i = 0; i < L.ncounts; i++)
        cv[i] = i < npos ? perl_loop_count(cli_pos(a, i)) : defaults[i];
    L.counts = cv;

    int rc = 0;
    uint32_t *all = NULL;
    struct pmat_sb indent;
    sb_init(&indent);
    sb_puts(&indent, "");
    if (L.retained) {
        const struct pmat_dominators *d = pmat_dominators(h);
        L.val = d ? d->retained : NULL;
    } else {
        L.val = pmat_all_sizes(h, L.metric);
    }
    L.seen = calloc(h->ntotal ? h->ntotal : 1, 1);
    all = malloc((h->nsv ? h->nsv : 1) * sizeof *all);
    if (!L.val || !L.seen || !all) {
        rc = cli_error(cli, "Out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < h->nsv; i++) all[i] = i;
    rc = list_largest(&L, all, h->nsv, &indent, 0);
out:
    sb_free(&indent);
    free(all);
    free(L.seen);
    if (cv != counts) free(cv);
    return rc;
}

static const struct cli_opt largest_opts[] = {
    { "struct", 0, CLI_FLAG, "count SVs by structural size", NULL },
    { "owned", 0, CLI_FLAG, "count SVs by owned size", NULL },
    { "retained", 0, CLI_FLAG, "count SVs by retained size (what would be freed with them)", NULL },
    { 0 }
};

static const struct cli_argspec largest_args[] = {
    { "count", "how many items to display", CLI_ARG_REPEATED },
    { 0 }
};

const struct pmat_cmd cmds_sizes[] = {
    { "size", "Show the size of a given SV", NULL, 1, NULL, cmd_size, .tool = "Sizes" },
    { "largest", "Find the largest SVs by size", largest_opts, 0, largest_args, cmd_largest },
    { 0 }
};
