/*
 * count.c — per-kind, per-package and per-description counts (see pmat_count.h).
 */
#include <stdlib.h>
#include <string.h>

#include "pmat_count.h"
#include "pmat_text.h"

const char *pmat_count_kind_label(enum pmat_kind k)
{
    return k == PMAT_K_UNKNOWN ? "Unknown" : pmat_kind_name(k);
}

/* A SCALAR with no IV, UV, NV or PV (an UNDEF record, or a scalar whose flags say none). */
static int is_valueless(const struct pmat_heap *h, uint32_t sv)
{
    struct pmat_scalar s;
    if (pmat_scalar(h, sv, &s) < 0) return 0;
    return !s.has_uv && !s.has_iv && !s.has_nv && !s.has_pv;
}

struct tally {
    uint64_t svs, bytes, blessed_svs, blessed_bytes;
};

/* One blessed SV's contribution, before grouping by (kind, package name). */
struct blessed_item {
    uint8_t kind;
    uint32_t stash;
    uint64_t svs, bytes;
    const uint8_t *name;
    uint64_t namelen;
    int64_t growth; /* --sort growth only */
};

struct desc_tally {
    char *desc;
    struct tally t;
};

struct rows {
    struct pmat_count_row *v;
    size_t n, cap;
    int oom;
};

static void add_row(struct rows *r, enum pmat_count_row_type type, const char *label,
                    size_t labellen, const struct tally *t)
{
    if (r->oom) return;
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 32;
        struct pmat_count_row *nv = realloc(r->v, nc * sizeof *nv);
        if (!nv) {
            r->oom = 1;
            return;
        }
        r->v = nv, r->cap = nc;
    }
    char *copy = malloc(labellen + 1);
    if (!copy) {
        r->oom = 1;
        return;
    }
    if (labellen) memcpy(copy, label, labellen); /* an unnamed stash: NULL label, length 0 */
    copy[labellen] = 0;
    r->v[r->n++] =
        (struct pmat_count_row){type, copy, t->svs, t->bytes, t->blessed_svs, t->blessed_bytes};
}

static int by_kind_stash(const void *x, const void *y)
{
    const struct blessed_item *a = x, *b = y;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    return a->stash < b->stash ? -1 : a->stash > b->stash;
}

/* Byte-wise, shorter first on a common prefix: Perl's `sort` on the names. */
static int name_cmp(const uint8_t *a, uint64_t alen, const uint8_t *b, uint64_t blen)
{
    uint64_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c) return c;
    return alen < blen ? -1 : alen > blen;
}

static int by_kind_name(const void *x, const void *y)
{
    const struct blessed_item *a = x, *b = y;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    return name_cmp(a->name, a->namelen, b->name, b->namelen);
}

/* Within one kind: blessed count descending, then name ascending (Devel::MAT sorts the
 * names, then stably by count). */
static int by_count_then_name(const void *x, const void *y)
{
    const struct blessed_item *a = x, *b = y;
    if (a->svs != b->svs) return a->svs > b->svs ? -1 : 1;
    return name_cmp(a->name, a->namelen, b->name, b->namelen);
}

static int by_growth_then_count(const void *x, const void *y)
{
    const struct blessed_item *a = x, *b = y;
    if (a->growth != b->growth) return a->growth > b->growth ? -1 : 1;
    return by_count_then_name(x, y);
}

static int by_desc(const void *x, const void *y)
{
    const struct desc_tally *a = x, *b = y;
    return strcmp(a->desc, b->desc);
}

static int by_label(const void *x, const void *y)
{
    enum pmat_kind a = *(const uint8_t *)x, b = *(const uint8_t *)y;
    return strcmp(pmat_count_kind_label(a), pmat_count_kind_label(b));
}

/* Collapse blessed items (one per blessed SV) into one per (kind, package name), sorted
 * for display.  Returns the new count. */
static size_t group_packages(const struct pmat_heap *h, struct blessed_item *it, size_t n,
                             const struct pmat_count_opts *opts)
{
    if (!n) return 0;
    /* first by stash: many SVs share one */
    qsort(it, n, sizeof *it, by_kind_stash);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && it[m - 1].kind == it[i].kind && it[m - 1].stash == it[i].stash) {
            it[m - 1].svs += it[i].svs, it[m - 1].bytes += it[i].bytes;
            continue;
        }
        it[m++] = it[i];
    }
    /* then by name: Devel::MAT keys by the stash's name */
    for (size_t i = 0; i < m; i++) {
        struct pmat_str name = {0};
        if (!pmat_stash_name(h, it[i].stash, &name)) name.len = 0;
        it[i].name = name.ptr, it[i].namelen = name.len;
    }
    qsort(it, m, sizeof *it, by_kind_name);
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (k && it[k - 1].kind == it[i].kind &&
            !name_cmp(it[k - 1].name, it[k - 1].namelen, it[i].name, it[i].namelen)) {
            it[k - 1].svs += it[i].svs, it[k - 1].bytes += it[i].bytes;
            continue;
        }
        it[k++] = it[i];
    }
    for (size_t i = 0; i < k;) {
        size_t j = i;
        while (j < k && it[j].kind == it[i].kind)
            j++;
        if (opts->growth)
            for (size_t g = i; g < j; g++)
                it[g].growth =
                    opts->growth(opts->growth_ud, it[g].name, (size_t)it[g].namelen, it[g].svs);
        qsort(it + i, j - i, sizeof *it, opts->growth ? by_growth_then_count : by_count_then_name);
        i = j;
    }
    return k;
}

int pmat_count(struct pmat_heap *h, const struct pmat_count_opts *opts, struct pmat_count *out)
{
    out->rows = NULL, out->nrows = 0;
    const uint64_t *bytes_of = pmat_all_sizes(h, opts->metric);
    if (!bytes_of) return -1;

    struct tally kinds[PMAT_K__COUNT];
    memset(kinds, 0, sizeof kinds);
    struct blessed_item *items = NULL;
    size_t nitems = 0, items_cap = 0;
    struct desc_tally *descs = NULL;
    size_t ndescs = 0, descs_cap = 0;
    struct pmat_sb sb;
    sb_init(&sb);
    struct rows rows = {0};
    int rc = -1;

    for (uint32_t sv = 0; sv < h->nsv; sv++) {
        enum pmat_kind k = h->kind[sv];
        /* Devel::MAT 0.56 counts a scalar with no value as kind UNDEF (heap SVs never
         * have the immortal kinds, so that slot is free; its label is "UNDEF") */
        if (k == PMAT_K_SCALAR && is_valueless(h, sv)) k = PMAT_K_IMM_UNDEF;
        uint64_t b = bytes_of[sv];
        int blessed = h->blessed[sv] != PMAT_NONE;
        struct tally *t = &kinds[k];
        t->svs++, t->bytes += b;
        if (blessed) t->blessed_svs++, t->blessed_bytes += b;

        if (opts->scalars && (k == PMAT_K_SCALAR || k == PMAT_K_IMM_UNDEF || k == PMAT_K_BOOL)) {
            sb_reset(&sb);
            pmat_desc(h, sv, &sb);
            if (sb_failed(&sb)) goto out;
            const char *d = sb_str(&sb);
            size_t i = 0;
            while (i < ndescs && strcmp(descs[i].desc, d))
                i++;
            if (i == ndescs) {
                if (ndescs == descs_cap) {
                    size_t nc = descs_cap ? descs_cap * 2 : 16;
                    struct desc_tally *nd = realloc(descs, nc * sizeof *nd);
                    if (!nd) goto out;
                    descs = nd, descs_cap = nc;
                }
                descs[ndescs].desc = strdup(d);
                if (!descs[ndescs].desc) goto out;
                memset(&descs[ndescs].t, 0, sizeof descs[ndescs].t);
                ndescs++;
            }
            struct tally *dt = &descs[i].t;
            dt->svs++, dt->bytes += b;
            if (blessed) dt->blessed_svs++, dt->blessed_bytes += b;
        }

        if (opts->blessed && blessed) {
            if (nitems == items_cap) {
                size_t nc = items_cap ? items_cap * 2 : 256;
                struct blessed_item *ni = realloc(items, nc * sizeof *ni);
                if (!ni) goto out;
                items = ni, items_cap = nc;
            }
            items[nitems++] = (struct blessed_item){(uint8_t)k, h->blessed[sv], 1, b, NULL, 0, 0};
        }
    }
    nitems = group_packages(h, items, nitems, opts);
    if (ndescs) qsort(descs, ndescs, sizeof *descs, by_desc);

    /* kinds present, by label */
    uint8_t order[PMAT_K__COUNT];
    int norder = 0;
    for (int k = 0; k < PMAT_K__COUNT; k++)
        if (kinds[k].svs) order[norder++] = (uint8_t)k;
    qsort(order, (size_t)norder, 1, by_label);

    struct tally total = {0};
    for (int oi = 0; oi < norder; oi++) {
        enum pmat_kind k = order[oi];
        const char *label = pmat_count_kind_label(k);
        add_row(&rows, PMAT_COUNT_KIND, label, strlen(label), &kinds[k]);
        total.svs += kinds[k].svs, total.bytes += kinds[k].bytes;
        total.blessed_svs += kinds[k].blessed_svs, total.blessed_bytes += kinds[k].blessed_bytes;

        if (opts->blessed) {
            size_t shown = 0;
            struct tally others = {0};
            int any_others = 0;
            for (size_t i = 0; i < nitems; i++) {
                if (items[i].kind != k) continue;
                int listed = !opts->package_ok || opts->package_ok(opts->package_ud, items[i].name,
                                                                   (size_t)items[i].namelen);
                if (listed && (shown < 10 || opts->all_packages)) {
                    struct tally pt = {0, 0, items[i].svs, items[i].bytes};
                    add_row(&rows, PMAT_COUNT_PACKAGE, (const char *)items[i].name,
                            (size_t)items[i].namelen, &pt);
                    shown++;
                } else {
                    any_others = 1;
                    others.blessed_svs += items[i].svs, others.blessed_bytes += items[i].bytes;
                }
            }
            if (any_others) add_row(&rows, PMAT_COUNT_OTHERS, "(others)", 8, &others);
        }
        if (opts->scalars && !strcmp(label, "SCALAR"))
            for (size_t i = 0; i < ndescs; i++)
                add_row(&rows, PMAT_COUNT_DESC, descs[i].desc, strlen(descs[i].desc), &descs[i].t);
    }
    add_row(&rows, PMAT_COUNT_TOTAL, "(total)", 7, &total);
    if (rows.oom) goto out;
    out->rows = rows.v, out->nrows = rows.n;
    rows.v = NULL, rows.n = 0;
    rc = 0;
out:
    for (size_t i = 0; i < rows.n; i++)
        free(rows.v[i].label);
    free(rows.v);
    for (size_t i = 0; i < ndescs; i++)
        free(descs[i].desc);
    free(descs);
    free(items);
    sb_free(&sb);
    return rc;
}

void pmat_count_free(struct pmat_count *c)
{
    for (size_t i = 0; i < c->nrows; i++)
        free(c->rows[i].label);
    free(c->rows);
    c->rows = NULL, c->nrows = 0;
}
