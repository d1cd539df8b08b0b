/*
 * cmd_sizes.c — `size SV` and `largest` (Devel::MAT::Tool::Sizes).  The measures
 * come from lib/sizes.c; see Devel::MAT::Tool::Sizes.
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
    static const char *const what[] = {"directly", "structurally", "including owned referrants"};
    uint64_t sizes[3];
    if (pmat_size_of(h, sv, PMAT_SIZE_PLAIN, &sizes[0]) < 0 ||
        pmat_size_of(h, sv, PMAT_SIZE_STRUCTURE, &sizes[1]) < 0 ||
        pmat_size_of(h, sv, PMAT_SIZE_OWNED, &sizes[2]) < 0)
        return cli_error(cli, "Out of memory");
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
    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    if (*p == '+' || *p == '-') p++;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) return COUNT_UNLIMITED; /* Perl: "0x.." is 0 */
    char *end;
    double v = strtod(s, &end); /* Perl numifies a leading number, ignoring the rest */
    if (end == s) v = 0;
    if (v >= 1 && v < 9e18 && v == floor(v)) return (uint64_t)v;
    return COUNT_UNLIMITED;
}

/* The counts we accept: a decimal whole number, optionally with "+", at most COUNT_MAX. */
#define COUNT_MAX 1000000000000ULL
static int is_count(const char *s)
{
    if (*s == '+') s++;
    if (!*s || strlen(s) > 13) return 0;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') return 0;
    return strtoull(s, NULL, 10) <= COUNT_MAX;
}

struct largest {
    struct cli *cli;
    struct pmat_heap *h;
    enum pmat_size_metric metric;
    int has_metric;      /* --struct / --owned: sets are expanded */
    const uint64_t *val; /* metric of every SV */
    int retained;        /* --retained: val is the retained size, sets are dominator children */
    const struct pmat_dominators *unreach_of; /* --retained: marks unreachable SVs */
    uint8_t *seen;                            /* per SV: shown or inside a shown SV's set */
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

static int list_items(struct largest *L, const uint32_t *top, uint64_t k, struct pmat_sb *indent,
                      int level);
static void list_others(struct largest *L, uint64_t others, struct pmat_sb *indent);

/* One level of the listing (Devel::MAT's list_largest_svs).  Recursion depth is the
 * number of count arguments, not anything proportional to the heap. */
static int list_largest(struct largest *L, const uint32_t *svs, uint64_t n, struct pmat_sb *indent,
                        int level)
{
    uint64_t want = L->counts[level];
    uint64_t k = want < n ? want : n;
    uint32_t *top = top_k(L, svs, n, k);
    if (!top) return cli_error(L->cli, "Out of memory");
    int rc = list_items(L, top, k, indent, level);
    free(top);
    if (rc < 0) return rc;
    uint64_t others = 0;
    for (uint64_t i = 0; i < n; i++)
        if (!L->seen[svs[i]])
            others += L->retained ? L->val[svs[i]] : svs[i] < L->h->nsv ? L->h->size[svs[i]] : 0;
    list_others(L, others, indent);
    return 0;
}

/* The "others: SIZE" line closing a level. */
static void list_others(struct largest *L, uint64_t others, struct pmat_sb *indent)
{
    if (!others) return;
    struct pmat_sb line;
    sb_init(&line);
    sb_puts(&line, sb_str(indent));
    cli_fmt_note(L->cli, &line, "others", 0);
    sb_puts(&line, ": ");
    pmat_format_bytes(others, &line);
    sb_putc(&line, '\n');
    cli_puts(L->cli, sb_str(&line));
    sb_free(&line);
}

/* Print top[0..k) of one level, each followed by its "of which" breakdown. */
static int list_items(struct largest *L, const uint32_t *top, uint64_t k, struct pmat_sb *indent,
                      int level)
{
    struct cli *cli = L->cli;
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
        if (L->retained && level == 0 && x < L->h->nsv && L->unreach_of &&
            pmat_dom_is_unreachable(L->unreach_of, x)) { /* a leaked component */
            cli_fmt_note(cli, &line, "(unreachable)", 1);
            sb_putc(&line, ' ');
        }
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
        for (uint64_t j = 1; j < members.n; j++)
            L->seen[members.v[j]] = 1;
        pmat_svlist_free(&members);
        if (rc < 0) goto out;
    }

out:
    pmat_svlist_free(&set);
    sb_free(&line);
    return rc;
}

/* The symbol table and pad structure: what `largest --retained` looks through. */
static int is_plumbing(const struct pmat_heap *h, uint32_t sv, uint32_t main_cv)
{
    if (sv == main_cv) return 1;
    uint8_t k = h->kind[sv];
    return k == PMAT_K_STASH || k == PMAT_K_GLOB || k == PMAT_K_PADLIST || k == PMAT_K_PADNAMES ||
           k == PMAT_K_PAD;
}

/* The top level of `largest --retained`: a best-first walk down the dominator tree.
 * Everything reachable hangs off defstash, a glob or a pad, so those (and the main
 * program's CODE) always retain the most, which is not news; unless `all` is set the
 * walk opens them and ranks what they hold instead.  The SVs returned never dominate
 * one another, so their retained sizes are disjoint and add up.  *k: in, how many
 * wanted; out, how many found. */
static uint32_t *retained_top(struct largest *L, int all, uint64_t *k)
{
    struct pmat_heap *h = L->h;
    const struct pmat_root *mcv = pmat_root_by_name(h, "main_cv");
    uint32_t main_cv = all || !mcv ? PMAT_NONE : mcv->sv;
    uint64_t want = L->counts[0], got = 0, hn = 0, cap = 1024;
    uint32_t *out = malloc((want < 1024 ? want + 1 : 1024) * sizeof *out);
    uint32_t *heap = malloc(cap * sizeof *heap); /* max-heap by rank */
    uint64_t outcap = want < 1024 ? want + 1 : 1024;
    const uint32_t *kids;
    uint64_t nk = pmat_dom_children(h, PMAT_DOM_ROOT, &kids);
    /* the unreachable components compete with the reachable SVs from the start */
    const uint32_t *leaked;
    uint64_t nleaked = pmat_dom_children(h, PMAT_DOM_UNREACHABLE, &leaked);
    if (!out || !heap) goto oom;
    for (int first = 1;; first = 0) {
        if (first && nleaked) { /* one list after the other through the same push loop */
            const uint32_t *both = malloc((nk + nleaked) * sizeof *both);
            if (!both) goto oom;
            memcpy((uint32_t *)both, kids, nk * sizeof *both);
            memcpy((uint32_t *)both + nk, leaked, nleaked * sizeof *both);
            kids = both;
            nk += nleaked;
        }
        for (uint64_t i = 0; i < nk; i++) { /* push the opened node's children */
            if (hn == cap) {
                uint32_t *nh = realloc(heap, 2 * cap * sizeof *heap);
                if (!nh) goto oom;
                heap = nh, cap *= 2;
            }
            uint64_t pos = hn++;
            while (pos && ranks_before(L, kids[i], heap[(pos - 1) / 2])) {
                heap[pos] = heap[(pos - 1) / 2];
                pos = (pos - 1) / 2;
            }
            heap[pos] = kids[i];
        }
        if (first && nleaked) free((uint32_t *)kids);
        if (got == want || !hn) break;
        uint32_t top = heap[0], last = heap[--hn];
        uint64_t pos = 0; /* pop the best */
        for (;;) {
            uint64_t c = 2 * pos + 1;
            if (c >= hn) break;
            if (c + 1 < hn && ranks_before(L, heap[c + 1], heap[c])) c++;
            if (!ranks_before(L, heap[c], last)) break;
            heap[pos] = heap[c];
            pos = c;
        }
        heap[pos] = last;
        nk = 0;
        if (top >= h->nsv) continue; /* the immortals retain nothing of note */
        if (!all && is_plumbing(h, top, main_cv)) {
            nk = pmat_dom_children(h, top, &kids);
            continue;
        }
        if (got == outcap) {
            uint32_t *no = realloc(out, 2 * outcap * sizeof *out);
            if (!no) goto oom;
            out = no, outcap *= 2;
        }
        out[got++] = top;
    }
    free(heap);
    *k = got;
    return out;
oom:
    free(heap), free(out);
    return NULL;
}

/* `largest --retained`: the chosen SVs, then everything else as "others". */
static int list_retained(struct largest *L, const uint32_t *top, uint64_t k, struct pmat_sb *indent)
{
    int rc = list_items(L, top, k, indent, 0);
    if (rc < 0) return rc;
    uint64_t total = 0, shown = 0;
    for (uint32_t i = 0; i < L->h->nsv; i++)
        total += L->h->size[i];
    for (uint64_t i = 0; i < k; i++)
        shown += L->val[top[i]];
    list_others(L, total > shown ? total - shown : 0, indent);
    return 0;
}

static int cmd_largest(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    struct largest L = {.cli = cli, .h = h};
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
    static const uint64_t defaults[3] = {5, 3, 2};
    for (int i = 0; i < L.ncounts; i++) {
        const char *c = i < npos ? cli_pos(a, i) : NULL;
        if (c && !is_count(c)) {
            /* 0.51 numifies like Perl: "abc", "1.5", "0x2" list every SV (docs/compat.md) */
            if (cv != counts) free(cv);
            return cli_error(cli, "'%s' is not a count: expected a whole number (0 to %llu)", c,
                             (unsigned long long)COUNT_MAX);
        }
        cv[i] = c ? perl_loop_count(c) : defaults[i];
    }
    L.counts = cv;

    int rc = 0;
    uint32_t *all = NULL;
    struct pmat_sb indent;
    sb_init(&indent);
    sb_puts(&indent, "");
    if (L.retained) {
        const struct pmat_dominators *d = pmat_dominators(h);
        /* the children lists too, so that walking the tree cannot fail half way */
        L.val = d && pmat_dom_children_ready(h) == 0 ? d->retained : NULL;
        L.unreach_of = d;
    } else {
        L.val = pmat_all_sizes(h, L.metric);
    }
    L.seen = calloc(h->ntotal ? h->ntotal : 1, 1);
    if (!L.retained)
        all = malloc((h->nsv ? h->nsv : 1) * sizeof *all); /* --retained walks the tree */
    if (!L.val || !L.seen || (!L.retained && !all)) {
        rc = cli_error(cli, "Out of memory");
        goto out;
    }
    if (L.retained) {
        uint64_t k = 0;
        uint32_t *top = L.val ? retained_top(&L, cli_flag(a, "all"), &k) : NULL;
        rc = top ? list_retained(&L, top, k, &indent) : cli_error(cli, "Out of memory");
        free(top);
    } else {
        for (uint32_t i = 0; i < h->nsv; i++)
            all[i] = i;
        rc = list_largest(&L, all, h->nsv, &indent, 0);
    }
out:
    sb_free(&indent);
    free(all);
    free(L.seen);
    if (cv != counts) free(cv);
    return rc;
}

static const struct cli_opt largest_opts[] = {
    {"struct", 0, CLI_FLAG, "count SVs by structural size", NULL},
    {"owned", 0, CLI_FLAG, "count SVs by owned size", NULL},
    {"retained", 0, CLI_FLAG,
     "count SVs by retained size (what would be freed with them; "
     "unreachable components marked)",
     NULL},
    {"all", 0, CLI_FLAG, "with --retained: rank stashes, globs, pads and the main CV too", NULL},
    {0}};

static const struct cli_argspec largest_args[] = {
    {"count", "how many items to display", CLI_ARG_REPEATED}, {0}};

const struct pmat_cmd cmds_sizes[] = {
    {"size", "Show the size of a given SV", NULL, 1, NULL, cmd_size, .tool = "Sizes"},
    {"largest", "Find the largest SVs by size", largest_opts, 0, largest_args, cmd_largest},
    {0}};
