/*
 * reach.c — Devel::MAT 0.51's Reachability classification (see pmat_reach.h).
 *
 * Three breadth-first passes with explicit FIFO queues, as the tool does them:
 * the symbol table from the default stash, then user data from what the
 * symbol table holds plus the main CV, then everything still unmarked that the
 * roots and the queued internals lead to.  An SV keeps the first class it is
 * given (except globs met in a stash, which are always symtab).  Where 0.51
 * walks a Perl hash (a stash's keys) we walk the file's pair order.
 */
#include "pmat_reach.h"
#include "pmat_refs.h"
#include "pmat_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct queue {
    uint32_t *v;
    size_t head, n, cap;
};

struct reach {
    struct pmat_heap *h;
    uint8_t *mark;
    struct queue symtab, user, internal;
    pmat_reach_warn_fn warn;
    void *ud;
    int oom;
};

static void q_push(struct reach *r, struct queue *q, uint32_t sv)
{
    if (q->n == q->cap) {
        size_t nc = q->cap ? q->cap * 2 : 1024;
        uint32_t *v = realloc(q->v, nc * sizeof *v);
        if (!v) {
            r->oom = 1;
            return;
        }
        q->v = v;
        q->cap = nc;
    }
    q->v[q->n++] = sv;
}

static int q_pop(struct queue *q, uint32_t *sv)
{
    if (q->head == q->n) return 0;
    *sv = q->v[q->head++];
    return 1;
}

/* Mark sv with cls and queue it, unless it is missing or already marked (and,
 * when skip_immortal, an immortal). */
static void offer(struct reach *r, struct queue *q, uint32_t sv, uint8_t cls, int skip_immortal)
{
    if (sv == PMAT_NONE || r->mark[sv]) return;
    if (skip_immortal && pmat_is_immortal(r->h, sv)) return;
    r->mark[sv] = cls;
    if (q) q_push(r, q, sv);
}

/* A small growable list of SVs collected before they are offered. */
struct list {
    uint32_t *v;
    size_t n, cap;
};

static void l_push(struct reach *r, struct list *l, uint32_t sv)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        uint32_t *v = realloc(l->v, nc * sizeof *v);
        if (!v) {
            r->oom = 1;
            return;
        }
        l->v = v;
        l->cap = nc;
    }
    l->v[l->n++] = sv;
}

static void magic_svs(struct reach *r, uint32_t sv, struct list *out)
{
    const struct pmat_ext *x;
    uint64_t n = pmat_exts_of(r->h, sv, &x);
    for (uint64_t i = 0; i < n; i++) {
        struct pmat_magic m;
        struct pmat_magic2 m2;
        if (x[i].type == PMAT_X_MAGIC2 && !pmat_ext_magic2(r->h, &x[i], &m2)) {
            if (m2.auxsv) l_push(r, out, pmat_sv_at(r->h, m2.auxsv));
            if (m2.keysv) l_push(r, out, pmat_sv_at(r->h, m2.keysv));
            if (m2.userstruct) l_push(r, out, pmat_sv_at(r->h, m2.userstruct));
            continue;
        }
        if (x[i].type != 0x80 || pmat_ext_magic(r->h, &x[i], &m)) continue;
        if (m.obj) l_push(r, out, pmat_sv_at(r->h, m.obj));
        if (m.ptr) l_push(r, out, pmat_sv_at(r->h, m.ptr));
    }
}

static int is_stash(uint8_t k)
{
    return k == PMAT_K_STASH || k == PMAT_K_CLASS;
}

/* Pass 1: the symbol table. */
static int walk_symtab(struct reach *r, struct pmat_error *err)
{
    struct pmat_heap *h = r->h;
    const struct pmat_root *def = pmat_root_by_name(h, "defstash");
    uint32_t defstash = def ? def->sv : PMAT_NONE;
    struct list more_symtab = {0}, more_user = {0}, internals = {0};
    int rc = -1;
    if (defstash == PMAT_NONE) {
        pmat_error_set(err, PMAT_EFORMAT, "Can't use an undefined value as a HASH reference");
        return -1;
    }
    r->mark[defstash] = PMAT_REACH_SYMTAB;
    q_push(r, &r->symtab, defstash);
    uint32_t stash;
    while (!r->oom && q_pop(&r->symtab, &stash)) {
        if (!is_stash(h->kind[stash])) {
            struct pmat_sb sb;
            sb_init(&sb);
            sb_puts(&sb, "ARGH! Encountered non-stash ");
            pmat_desc(h, stash, &sb);
            sb_printf(&sb, " at %#llx", (unsigned long long)h->addr[stash]);
            if (sb_failed(&sb))
                r->oom = 1;
            else
                pmat_error_set(err, PMAT_EFORMAT, "%s", sb_str(&sb));
            sb_free(&sb);
            goto out;
        }
        more_symtab.n = more_user.n = internals.n = 0;
        struct pmat_hash hv;
        pmat_hash(h, stash, &hv);
        uint64_t pos = hv.body, done = 0, val;
        struct pmat_str key;
        while (pmat_hash_next(h, &hv, &pos, &done, &key, &val)) {
            uint32_t v = pmat_sv_at(h, val);
            if (v == PMAT_NONE) continue;
            if (key.len >= 2 && key.ptr[key.len - 2] == ':' && key.ptr[key.len - 1] == ':') {
                struct pmat_glob g;
                if (h->kind[v] == PMAT_K_GLOB && pmat_glob(h, v, &g) == 0)
                    l_push(r, &more_symtab, pmat_sv_at(h, g.hash));
            } else if (h->kind[v] == PMAT_K_GLOB) {
                r->mark[v] = PMAT_REACH_SYMTAB;
                struct pmat_glob g;
                pmat_glob(h, v, &g);
                uint64_t slots[] = {g.scalar, g.array, g.hash, g.code, g.io, g.form};
                for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
                    l_push(r, &more_user, pmat_sv_at(h, slots[i]));
            } else {
                l_push(r, &more_user, v);
            }
        }
        for (size_t i = 0; i < more_symtab.n; i++)
            offer(r, &r->symtab, more_symtab.v[i], PMAT_REACH_SYMTAB, 0);
        for (size_t i = 0; i < more_user.n; i++)
            offer(r, &r->user, more_user.v[i], PMAT_REACH_USER, 0);
        l_push(r, &internals, pmat_sv_at(h, hv.backrefs));
        l_push(r, &internals, pmat_sv_at(h, hv.mro_linear_all));
        l_push(r, &internals, pmat_sv_at(h, hv.mro_linear_current));
        l_push(r, &internals, pmat_sv_at(h, hv.mro_nextmethod));
        l_push(r, &internals, pmat_sv_at(h, hv.mro_isa));
        magic_svs(r, stash, &internals);
        for (size_t i = 0; i < internals.n; i++)
            offer(r, &r->internal, internals.v[i], PMAT_REACH_INTERNAL, 0);
    }
    rc = r->oom ? -1 : 0;
out:
    free(more_symtab.v);
    free(more_user.v);
    free(internals.v);
    return rc;
}

static void warn_item(struct reach *r, const char *what, uint32_t sv, const char *tail)
{
    if (!r->warn) return;
    struct pmat_sb sb;
    sb_init(&sb);
    sb_puts(&sb, what);
    pmat_desc(r->h, sv, &sb);
    sb_printf(&sb, " at %#llx%s", (unsigned long long)r->h->addr[sv], tail);
    r->warn(r->ud, sb_str(&sb));
    sb_free(&sb);
}

/* The user-data part for a CODE: padlists, pads and their slots. */
static void user_code(struct reach *r, uint32_t cv, struct list *more_user,
                      struct list *more_internal)
{
    struct pmat_heap *h = r->h;
    const struct pmat_code_info *c = pmat_code(h, cv);
    if (!c) return;
    struct list padlist = {0}, lexical = {0};
    l_push(r, &padlist, c->padlist);
    uint32_t pn = c->padnames_av;
    if (pn != PMAT_NONE) {
        l_push(r, &padlist, pn);
        uint64_t n = pmat_array_count(h, pn);
        for (uint64_t i = 0; i < n; i++)
            l_push(r, &padlist, pmat_sv_at(h, pmat_array_elem(h, pn, i)));
    }
    for (uint32_t d = 1; d <= c->npads; d++) {
        uint32_t pad = pmat_code_pad(h, c, d);
        if (pad == PMAT_NONE) continue;
        l_push(r, &padlist, pad);
        uint64_t n = pmat_array_count(h, pad);
        if (n >= 1) {
            uint32_t args = pmat_sv_at(h, pmat_array_elem(h, pad, 0));
            if (args != PMAT_NONE) l_push(r, more_internal, args);
        }
        for (uint64_t ix = 1; ix < n; ix++) {
            /* the pad name comes from the PADNAMES AV's element (perl < 5.21 only) */
            struct pmat_str name = {0, 0, 0};
            if (pn != PMAT_NONE) {
                uint32_t nsv = pmat_sv_at(h, pmat_array_elem(h, pn, ix));
                struct pmat_scalar s;
                if (nsv != PMAT_NONE && h->kind[nsv] == PMAT_K_SCALAR &&
                    pmat_scalar(h, nsv, &s) == 0 && s.has_pv)
                    name = s.pv;
            }
            uint32_t psv = pmat_sv_at(h, pmat_array_elem(h, pad, ix));
            if (psv == PMAT_NONE || pmat_is_immortal(h, psv)) continue;
            int named = name.len && !(name.len == 1 && name.ptr[0] == '0');
            if (named && name.len == 1 && name.ptr[0] == '&')
                l_push(r, more_user, psv);
            else if (named)
                l_push(r, &lexical, psv);
            else
                l_push(r, more_internal, psv);
        }
    }
    l_push(r, more_user, c->outside);
    l_push(r, more_user, c->constval);
    for (uint32_t i = 0; i < c->nconsts; i++)
        l_push(r, more_user, h->pool[c->consts_off + i]);
    for (uint32_t i = 0; i < c->nglobrefs; i++)
        l_push(r, more_user, h->pool[c->globrefs_off + i]);
    for (size_t i = 0; i < padlist.n; i++)
        offer(r, NULL, padlist.v[i], PMAT_REACH_PADLIST, 0);
    for (size_t i = 0; i < lexical.n; i++)
        offer(r, &r->user, lexical.v[i], PMAT_REACH_LEXICAL, 0);
    free(padlist.v);
    free(lexical.v);
}

/* Pass 2: user data. */
static void walk_user(struct reach *r)
{
    struct pmat_heap *h = r->h;
    const struct pmat_root *mcv = pmat_root_by_name(h, "main_cv");
    if (mcv && mcv->sv != PMAT_NONE) q_push(r, &r->user, mcv->sv);
    struct list more_user = {0}, more_internal = {0};
    uint32_t sv;
    while (!r->oom && q_pop(&r->user, &sv)) {
        more_user.n = more_internal.n = 0;
        switch (h->kind[sv]) {
        case PMAT_K_REF: {
            struct pmat_ref ref;
            pmat_ref(h, sv, &ref);
            l_push(r, &more_user, pmat_sv_at(h, ref.rv));
            break;
        }
        case PMAT_K_ARRAY: {
            uint64_t n = pmat_array_count(h, sv);
            for (uint64_t i = 0; i < n; i++)
                l_push(r, &more_user, pmat_sv_at(h, pmat_array_elem(h, sv, i)));
            break;
        }
        case PMAT_K_HASH: {
            struct pmat_hash hv;
            pmat_hash(h, sv, &hv);
            uint64_t pos = hv.body, done = 0, val;
            struct pmat_str key;
            while (pmat_hash_next(h, &hv, &pos, &done, &key, &val))
                l_push(r, &more_user, pmat_sv_at(h, val));
            break;
        }
        case PMAT_K_GLOB:
            /* every queued SV is already marked, so 0.51 always skips globs here */
            if (!r->mark[sv]) {
                warn_item(r, "Found non-SYMTAB GLOB ", sv, " user reachable");
                struct pmat_glob g;
                pmat_glob(h, sv, &g);
                uint64_t slots[] = {g.scalar, g.array, g.hash, g.code, g.egv, g.io, g.form};
                for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
                    l_push(r, &more_user, pmat_sv_at(h, slots[i]));
            }
            break;
        case PMAT_K_CODE:
            user_code(r, sv, &more_user, &more_internal);
            break;
        case PMAT_K_LVALUE: {
            struct pmat_lvalue lv;
            pmat_lvalue(h, sv, &lv);
            l_push(r, &more_internal, pmat_sv_at(h, lv.targ));
            break;
        }
        case PMAT_K_SCALAR:
        case PMAT_K_BOOL:
        case PMAT_K_IO:
        case PMAT_K_REGEXP:
        case PMAT_K_FORMAT:
        case PMAT_K_IMM_UNDEF:
        case PMAT_K_IMM_YES:
        case PMAT_K_IMM_NO:
            break;
        default:
            warn_item(r, "Not sure what to do with user data item ", sv, "");
            break;
        }
        for (size_t i = 0; i < more_user.n; i++)
            offer(r, &r->user, more_user.v[i], PMAT_REACH_USER, 1);
        magic_svs(r, sv, &more_internal);
        for (size_t i = 0; i < more_internal.n; i++)
            offer(r, &r->internal, more_internal.v[i], PMAT_REACH_INTERNAL, 1);
    }
    free(more_user.v);
    free(more_internal.v);
}

/* Pass 3: internals.  0.51 marks these when it takes them off the queue and skips
 * marked ones — including the internals queued (and marked) by passes 1 and 2 —
 * so only unmarked roots and what they lead to are explored. */
static void walk_internal(struct reach *r)
{
    struct pmat_heap *h = r->h;
    r->internal.head = r->internal.n = 0;
    for (uint32_t i = 0; i < h->nroots; i++)
        if (h->roots[i].sv != PMAT_NONE) q_push(r, &r->internal, h->roots[i].sv);
    uint32_t sv;
    while (!r->oom && q_pop(&r->internal, &sv)) {
        if (r->mark[sv]) continue;
        r->mark[sv] = PMAT_REACH_INTERNAL;
        for (uint64_t e = h->out_start[sv]; e < h->out_start[sv + 1]; e++)
            if (!r->mark[h->out_target[e]]) q_push(r, &r->internal, h->out_target[e]);
    }
}

static void free_cache(void *p)
{
    free(p);
}

int pmat_reach(struct pmat_heap *h, pmat_reach_warn_fn warn, void *ud, const uint8_t **classes,
               struct pmat_error *err)
{
    *classes = h->caches[PMAT_CACHE_REACH].ptr;
    if (*classes) return PMAT_OK;
    struct reach r = {.h = h, .warn = warn, .ud = ud};
    r.mark = calloc(h->ntotal ? h->ntotal : 1, 1);
    if (!r.mark) {
        r.oom = 1;
        goto fail;
    }
    if (walk_symtab(&r, err)) {
        if (r.oom) goto fail;
        free(r.symtab.v), free(r.user.v), free(r.internal.v);
        free(r.mark);
        return PMAT_EFORMAT;
    }
    walk_user(&r);
    walk_internal(&r);
    if (r.oom) goto fail;
    free(r.symtab.v), free(r.user.v), free(r.internal.v);
    h->caches[PMAT_CACHE_REACH].ptr = r.mark;
    h->caches[PMAT_CACHE_REACH].free_fn = free_cache;
    *classes = r.mark;
    return PMAT_OK;
fail:
    free(r.symtab.v), free(r.user.v), free(r.internal.v);
    free(r.mark);
    return pmat_error_set(err, PMAT_ENOMEM, "out of memory");
}

const char *pmat_reach_name(enum pmat_reach r)
{
    static const char *const names[] = {"none", "symtab", "user", "padlist", "lexical", "internal"};
    return (unsigned)r < 6 ? names[r] : "?";
}
