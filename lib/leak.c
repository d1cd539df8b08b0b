/*
 * leak.c — pmat-leakreport's candidate tracking (see pmat_leak.h).
 *
 * Every key set is an array sorted by address (a dump holds at most one SV per
 * address, and heap indices are already address order), so the set operations
 * Devel::MAT does with Perl hashes become linear merges.
 */
#include "pmat_leak.h"
#include "pmat_text.h"

#include <stdlib.h>
#include <string.h>

/* A key set: parallel arrays sorted by address; tag is only used for candidates. */
struct keyset {
    uint64_t *addr;
    uint8_t *bt;
    int *tag;
    uint64_t n;
};

struct pmat_leak {
    int onefile;
    int findex; /* index of the last dump fed (0 before the first) */
    struct keyset prev, cand;
    uint64_t *order; /* candidates by (tag, address): indices into cand */
};

static void keyset_free(struct keyset *k)
{
    free(k->addr), free(k->bt), free(k->tag);
    memset(k, 0, sizeof *k);
}

static int keyset_alloc(struct keyset *k, uint64_t n, int with_tags)
{
    memset(k, 0, sizeof *k);
    size_t m = n ? n : 1;
    k->addr = malloc(m * sizeof *k->addr);
    k->bt = malloc(m);
    k->tag = with_tags ? malloc(m * sizeof *k->tag) : NULL;
    if (!k->addr || !k->bt || (with_tags && !k->tag)) {
        keyset_free(k);
        return -1;
    }
    return 0;
}

/* Small code per distinct basetype string, so keys compare as (address, code).  The
 * strings come from pmat_basetype(), the one place that knows Devel::MAT's mapping.  Kinds
 * without a basetype (C_STRUCT) get a code of their own: 0.51 dies on them instead
 * (docs/compat.md). */
static uint8_t basetype_code(const struct pmat_heap *h, uint32_t sv)
{
    static const char *const names[] = {"SV", "AV",     "HV",   "CV",      "GV", "IO",
                                        "LV", "REGEXP", "PVFM", "INVLIST", "OBJ"};
    const char *bt = pmat_basetype(h, sv);
    if (!bt) return (uint8_t)(0x80 | h->kind[sv]);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(bt, names[i])) return (uint8_t)(i + 1);
    return 0x7F; /* a basetype this table does not know yet: still a distinct key */
}

/* The key set of a dump's heap (immortals are not part of the heap). */
static int keys_of(const struct pmat_heap *h, struct keyset *k)
{
    if (keyset_alloc(k, h->nsv, 0) < 0) return -1;
    for (uint32_t i = 0; i < h->nsv; i++) {
        k->addr[i] = h->addr[i];
        k->bt[i] = basetype_code(h, i);
    }
    k->n = h->nsv;
    return 0;
}

struct pmat_leak *pmat_leak_new(int onefile)
{
    struct pmat_leak *lk = calloc(1, sizeof *lk);
    if (lk) lk->onefile = onefile;
    return lk;
}

void pmat_leak_free(struct pmat_leak *lk)
{
    if (!lk) return;
    keyset_free(&lk->prev);
    keyset_free(&lk->cand);
    free(lk->order);
    free(lk);
}

int pmat_leak_index(const struct pmat_leak *lk)
{
    return lk->findex + 1;
}

/* Keep only the candidates whose key is in cur (in place). */
static void prune(struct keyset *cand, const struct keyset *cur)
{
    uint64_t j = 0, kept = 0;
    for (uint64_t i = 0; i < cand->n; i++) {
        while (j < cur->n && cur->addr[j] < cand->addr[i])
            j++;
        if (j < cur->n && cur->addr[j] == cand->addr[i] && cur->bt[j] == cand->bt[i]) {
            cand->addr[kept] = cand->addr[i];
            cand->bt[kept] = cand->bt[i];
            cand->tag[kept] = cand->tag[i];
            kept++;
        }
    }
    cand->n = kept;
}

/* cand := cand ∪ { (key, tag) : key ∈ cur \ prev }; a new key replaces an old candidate
 * with the same key, as the hash assignment in Devel::MAT does. */
static int add_new(struct keyset *cand, const struct keyset *cur, const struct keyset *prev,
                   int tag)
{
    struct keyset out;
    if (keyset_alloc(&out, cand->n + cur->n, 1) < 0) return -1;
    uint64_t i = 0, p = 0, n = 0;
    for (uint64_t c = 0; c < cur->n; c++) {
        uint64_t a = cur->addr[c];
        while (p < prev->n && prev->addr[p] < a)
            p++;
        int seen = p < prev->n && prev->addr[p] == a && prev->bt[p] == cur->bt[c];
        if (seen) continue;
        while (i < cand->n && cand->addr[i] < a) {
            out.addr[n] = cand->addr[i], out.bt[n] = cand->bt[i], out.tag[n] = cand->tag[i];
            n++, i++;
        }
        /* an old candidate with this very key is replaced; one with the same address but
         * another basetype stays (a different key) and sorts before it */
        while (i < cand->n && cand->addr[i] == a) {
            if (cand->bt[i] != cur->bt[c]) {
                out.addr[n] = cand->addr[i], out.bt[n] = cand->bt[i], out.tag[n] = cand->tag[i];
                n++;
            }
            i++;
        }
        out.addr[n] = a, out.bt[n] = cur->bt[c], out.tag[n] = tag;
        n++;
    }
    for (; i < cand->n; i++, n++)
        out.addr[n] = cand->addr[i], out.bt[n] = cand->bt[i], out.tag[n] = cand->tag[i];
    out.n = n;
    keyset_free(cand);
    *cand = out;
    return 0;
}

static int by_tag_then_addr(const void *a, const void *b, void *candidates)
{
    const struct keyset *c = candidates;
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    if (c->tag[x] != c->tag[y]) return c->tag[x] < c->tag[y] ? -1 : 1;
    if (c->addr[x] != c->addr[y]) return c->addr[x] < c->addr[y] ? -1 : 1;
    return c->bt[x] < c->bt[y] ? -1 : c->bt[x] > c->bt[y];
}

/* The output order: by tag (Devel::MAT's nsort_by), ties by address (Devel::MAT's ties
 * follow Perl's hash order, which is random). */
static int build_order(struct pmat_leak *lk)
{
    free(lk->order);
    lk->order = malloc((lk->cand.n ? lk->cand.n : 1) * sizeof *lk->order);
    if (!lk->order) return -1;
    for (uint64_t i = 0; i < lk->cand.n; i++)
        lk->order[i] = i;
    qsort_r(lk->order, lk->cand.n, sizeof *lk->order, by_tag_then_addr, &lk->cand);
    return 0;
}

/* One step of Devel::MAT's loop over the files. */
static int feed(struct pmat_leak *lk, const struct pmat_heap *h, int is_last)
{
    struct keyset cur;
    if (keys_of(h, &cur) < 0) return -1;
    if (lk->findex == 0) {
        lk->findex = 1;
        lk->prev = cur;
        if (!lk->cand.tag && keyset_alloc(&lk->cand, 0, 1) < 0) return -1;
        return build_order(lk);
    }
    lk->findex++;
    prune(&lk->cand, &cur);
    if (is_last || (lk->onefile && lk->cand.n)) {
        /* the last file only confirms survival; with -1 the previous set stays the one
         * from before the pending candidates appeared */
        keyset_free(&cur);
        if (is_last) keyset_free(&lk->prev);
        return build_order(lk);
    }
    if (add_new(&lk->cand, &cur, &lk->prev, lk->findex) < 0) {
        keyset_free(&cur);
        return -1;
    }
    keyset_free(&lk->prev);
    lk->prev = cur;
    return build_order(lk);
}

int pmat_leak_feed(struct pmat_leak *lk, const struct pmat_heap *h)
{
    return feed(lk, h, 0);
}

int pmat_leak_feed_last(struct pmat_leak *lk, const struct pmat_heap *h)
{
    return feed(lk, h, 1);
}

uint64_t pmat_leak_count(const struct pmat_leak *lk)
{
    return lk->order ? lk->cand.n : 0;
}

void pmat_leak_at(const struct pmat_leak *lk, uint64_t i, uint64_t *addr, int *tag)
{
    uint64_t k = lk->order[i];
    *addr = lk->cand.addr[k];
    *tag = lk->cand.tag[k];
}

/* ---- --summary groups ---- */

struct member {
    const char *name;
    size_t len;
    int blessed;
    uint64_t pos; /* report order */
};

static int by_name_then_pos(const void *x, const void *y)
{
    const struct member *a = x, *b = y;
    if (a->blessed != b->blessed) return a->blessed ? -1 : 1;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->name, b->name, n) : 0;
    if (c) return c;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

static int same_group(const struct member *a, const struct member *b)
{
    return a->blessed == b->blessed && a->len == b->len && !memcmp(a->name, b->name, a->len);
}

static int by_bytes_desc(const void *x, const void *y)
{
    const struct pmat_leak_group *a = x, *b = y;
    if (a->bytes != b->bytes) return a->bytes > b->bytes ? -1 : 1;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return strcmp(a->name, b->name);
}

int pmat_leak_groups(const struct pmat_leak *lk, const struct pmat_heap *h,
                     struct pmat_leak_group **out, uint64_t *ngroups)
{
    *out = NULL;
    *ngroups = 0;
    uint64_t n = pmat_leak_count(lk);
    struct member *m = malloc((n ? n : 1) * sizeof *m);
    struct pmat_leak_group *g = calloc(n ? n : 1, sizeof *g);
    uint32_t *svs = malloc((n ? n : 1) * sizeof *svs);
    if (!m || !g || !svs) goto oom;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t addr;
        int tag;
        pmat_leak_at(lk, i, &addr, &tag);
        uint32_t sv = pmat_sv_at(h, addr);
        svs[i] = sv;
        struct pmat_str cls;
        m[i].pos = i;
        m[i].blessed = sv != PMAT_NONE && h->blessed[sv] != PMAT_NONE &&
                       pmat_stash_name(h, h->blessed[sv], &cls);
        if (m[i].blessed) {
            m[i].name = (const char *)cls.ptr, m[i].len = cls.len;
        } else {
            m[i].name = sv == PMAT_NONE ? "UNKNOWN" : pmat_kind_name(h->kind[sv]);
            m[i].len = strlen(m[i].name);
        }
    }
    qsort(m, n, sizeof *m, by_name_then_pos);
    uint64_t ng = 0;
    for (uint64_t i = 0; i < n; i++) {
        struct pmat_leak_group *cur = ng ? &g[ng - 1] : NULL;
        if (!cur || !same_group(&m[i - 1], &m[i])) {
            cur = &g[ng++];
            if (!(cur->name = malloc(m[i].len + 1))) goto oom_groups;
            memcpy(cur->name, m[i].name, m[i].len);
            cur->name[m[i].len] = 0;
            cur->blessed = m[i].blessed;
            pmat_leak_at(lk, m[i].pos, &cur->example_addr, &cur->example_tag);
            cur->first_tag = cur->last_tag = cur->example_tag;
        }
        uint64_t addr;
        int tag;
        pmat_leak_at(lk, m[i].pos, &addr, &tag);
        if (tag < cur->first_tag) cur->first_tag = tag;
        if (tag > cur->last_tag) cur->last_tag = tag;
        cur->count++;
        if (svs[m[i].pos] != PMAT_NONE) cur->bytes += h->size[svs[m[i].pos]];
    }
    qsort(g, (size_t)ng, sizeof *g, by_bytes_desc);
    free(m), free(svs);
    *out = g;
    *ngroups = ng;
    return PMAT_OK;
oom_groups:
    for (uint64_t i = 0; i < n; i++)
        free(g[i].name);
oom:
    free(m), free(g), free(svs);
    return PMAT_ENOMEM;
}

void pmat_leak_groups_free(struct pmat_leak_group *g, uint64_t n)
{
    for (uint64_t i = 0; g && i < n; i++)
        free(g[i].name);
    free(g);
}

int pmat_leak_script(const struct pmat_heap *h, struct pmat_str *script)
{
    memset(script, 0, sizeof *script);
    const struct pmat_root *defstash = pmat_root_by_name(h, "defstash");
    if (!defstash || defstash->sv == PMAT_NONE) return 0;
    struct pmat_hash hv;
    if (pmat_hash(h, defstash->sv, &hv) < 0) return 0;
    uint64_t pos = hv.body, done = 0, value;
    struct pmat_str key;
    while (pmat_hash_next(h, &hv, &pos, &done, &key, &value)) {
        if (key.len != 1 || key.ptr[0] != '0') continue;
        struct pmat_glob gv;
        struct pmat_scalar sc;
        uint32_t g = pmat_sv_at(h, value);
        if (g == PMAT_NONE || h->kind[g] != PMAT_K_GLOB || pmat_glob(h, g, &gv) < 0) return 0;
        uint32_t s = pmat_sv_at(h, gv.scalar);
        if (s == PMAT_NONE || pmat_scalar(h, s, &sc) < 0 || !sc.has_pv) return 0;
        *script = sc.pv;
        return 1;
    }
    return 0;
}
