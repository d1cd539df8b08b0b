/*
 * identify.c — Devel::MAT 0.51's incoming-reference queries and the
 * `identify` graph (build and walk), without recursion on the C stack.
 *
 * See pmat_identify.h for the model.  The Perl original (Devel::MAT's
 * inref_graph and GraphWalker) is recursive; here both phases keep an
 * explicit stack of frames whose fields are the locals of one recursive call,
 * so the visiting order — which decides the shape of the printed tree — is
 * exactly the original's.
 */
#include "pmat_identify.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Incoming references                                                       */
/* ------------------------------------------------------------------------ */

static int inref_push(struct pmat_inref_list *l, struct pmat_inref r)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        struct pmat_inref *v = realloc(l->v, nc * sizeof *v);
        if (!v) return -1;
        l->v = v;
        l->cap = nc;
    }
    l->v[l->n++] = r;
    return 0;
}

void pmat_inref_list_free(struct pmat_inref_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static int is_hash_kind(uint8_t k)
{
    return k == PMAT_K_HASH || k == PMAT_K_STASH || k == PMAT_K_CLASS;
}

/* Devel::MAT files a hash's "value {k} via RV" edge under the hash value (the
 * REF), not under the REF's referent.  So a hash S is listed among sv's
 * indirect referrers when one of its values *is* sv and has a via-RV edge:
 * true when S has an HVALUE edge to sv immediately followed by the via-RV edge
 * of the same pair (refs.c emits them in that order). */
static int listed_by_hvalue_bug(const struct pmat_heap *h, uint32_t src, uint64_t e)
{
    return h->out_kind[e] == PMAT_R_HVALUE && e + 1 < h->out_start[src + 1] &&
           h->out_kind[e + 1] == PMAT_R_HVALUE_VIA_RV && h->out_aux[e + 1] == h->out_aux[e];
}

int pmat_inrefs(struct pmat_heap *h, uint32_t sv, int set, struct pmat_inref_list *out)
{
    if (pmat_inrefs_build(h) < 0) return -1;
    uint64_t a = h->in_start[sv], b = h->in_start[sv + 1];
    for (int s = PMAT_STRONG; s <= PMAT_INFERRED; s++) {
        if (!(set & (1 << s))) continue;
        for (uint64_t i = a, j; i < b; i = j) {
            uint32_t src = h->in_source[i];
            int listed = 0;
            for (j = i; j < b && h->in_source[j] == src; j++) {
                uint64_t e = h->in_edge[j];
                if (h->out_str[e] == s) listed = 1;
                if (s == PMAT_INDIRECT && listed_by_hvalue_bug(h, src, e)) listed = 1;
            }
            if (!listed) continue;
            if (s == PMAT_INDIRECT && is_hash_kind(h->kind[src])) {
                /* every named indirect edge to sv, including "value {k} via RV" ones,
                 * which the incoming index leaves out */
                for (uint64_t e = h->out_start[src]; e < h->out_start[src + 1]; e++)
                    if (h->out_str[e] == s && h->out_target[e] == sv &&
                        inref_push(out, (struct pmat_inref){PMAT_IN_EDGE, (uint8_t)s, src, e}))
                        return -1;
            } else {
                for (uint64_t k = i; k < j; k++) {
                    uint64_t e = h->in_edge[k];
                    if (h->out_str[e] == s &&
                        inref_push(out, (struct pmat_inref){PMAT_IN_EDGE, (uint8_t)s, src, e}))
                        return -1;
                }
            }
        }
    }
    /* pseudo-references: Devel::MAT appends strong roots when the first requested
     * strength is "strong" (true of every set), weak roots and stack entries when
     * "weak" is requested; stack entries carry strength strong */
    if ((set & PMAT_SET_STRONG) && h->root_strong_count[sv])
        for (uint32_t i = 0; i < h->nroots; i++)
            if (h->roots[i].strong && h->roots[i].sv == sv &&
                inref_push(out, (struct pmat_inref){PMAT_IN_ROOT, PMAT_STRONG, PMAT_NONE, i}))
                return -1;
    if ((set & (1 << PMAT_WEAK)) && h->root_weak_count[sv])
        for (uint32_t i = 0; i < h->nroots; i++)
            if (!h->roots[i].strong && h->roots[i].sv == sv &&
                inref_push(out, (struct pmat_inref){PMAT_IN_ROOT, PMAT_WEAK, PMAT_NONE, i}))
                return -1;
    if ((set & (1 << PMAT_WEAK)) && h->stack_count[sv])
        for (uint64_t i = 0; i < h->nstack; i++)
            if (h->stack[i] == sv &&
                inref_push(out, (struct pmat_inref){PMAT_IN_STACK, PMAT_STRONG, PMAT_NONE, i}))
                return -1;
    return 0;
}

/* Append edge e's name (pmat_ref_name writes into a caller buffer). */
static void edge_name(const struct pmat_heap *h, uint32_t src, uint64_t e, struct pmat_sb *sb)
{
    char small[256];
    size_t n = pmat_ref_name(h, src, e, small, sizeof small);
    if (n < sizeof small) {
        sb_putn(sb, small, n);
        return;
    }
    char *big = malloc(n + 1);
    if (!big) return;
    pmat_ref_name(h, src, e, big, n + 1);
    sb_putn(sb, big, n);
    free(big);
}

void pmat_inref_name(const struct pmat_heap *h, const struct pmat_inref *r, struct pmat_sb *sb)
{
    switch (r->kind) {
    case PMAT_IN_EDGE:
        edge_name(h, r->referrer, r->edge, sb);
        break;
    case PMAT_IN_ROOT:
        sb_puts(sb, h->roots[r->edge].desc);
        break;
    default:
        sb_puts(sb, "a value on the stack");
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* Building the graph                                                        */
/* ------------------------------------------------------------------------ */

static const char VIA_RV[] = "(via RV) ";
#define VIA_RV_LEN (sizeof VIA_RV - 1)

/* One of a node's (elided, renamed) inrefs, before it becomes a root or edge. */
struct bref {
    uint32_t referrer; /* PMAT_NONE: a root */
    uint8_t strength, via_rv;
    size_t name, len; /* in the frame's name buffer; includes the via-RV prefix */
    size_t order;     /* position before sorting (the sort must be stable) */
};

/* The locals of one inref_graph call. */
struct bframe {
    uint32_t node;
    long long depth;
    struct bref *refs;
    size_t n, idx;
    struct pmat_sb names;
    size_t pending; /* refs[pending] is being recursed into; SIZE_MAX if none */
};

struct builder {
    struct pmat_heap *h;
    const struct pmat_ident_opts *o;
    struct pmat_ident_graph *g;
    uint32_t *node_of; /* per SV: node or PMAT_NONE */
    uint32_t capnodes;
    uint64_t caproots, capedges;
    size_t captext;
    int oom;
};

static void *grow(void *p, uint64_t *cap, uint64_t need, size_t elem, int *oom)
{
    if (need <= *cap) return p;
    uint64_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *q = realloc(p, nc * elem);
    if (!q) {
        *oom = 1;
        return p;
    }
    *cap = nc;
    return q;
}

static size_t add_text(struct builder *b, const char *s, size_t n)
{
    struct pmat_ident_graph *g = b->g;
    uint64_t cap = b->captext;
    g->text = grow(g->text, &cap, g->ntext + n + 1, 1, &b->oom);
    b->captext = cap;
    if (b->oom) return 0;
    size_t off = g->ntext;
    if (n) memcpy(g->text + off, s, n);
    g->text[off + n] = 0;
    g->ntext += n + 1;
    return off;
}

/* Devel::MAT's graph->add_sv: the node of sv, created if new. */
static uint32_t node_for(struct builder *b, uint32_t sv)
{
    if (b->node_of[sv] != PMAT_NONE) return b->node_of[sv];
    struct pmat_ident_graph *g = b->g;
    uint64_t cap = b->capnodes;
    g->nodes = grow(g->nodes, &cap, (uint64_t)g->nnodes + 1, sizeof *g->nodes, &b->oom);
    b->capnodes = (uint32_t)cap;
    if (b->oom) return 0;
    g->nodes[g->nnodes] = (struct pmat_ident_node){.sv = sv};
    b->node_of[sv] = g->nnodes;
    return g->nnodes++;
}

static void add_root(struct builder *b, uint32_t node, uint8_t kind, uint8_t strength, int via_rv,
                     const char *text, size_t len)
{
    struct pmat_ident_graph *g = b->g;
    size_t off = add_text(b, text, len);
    g->roots = grow(g->roots, &b->caproots, g->nroots + 1, sizeof *g->roots, &b->oom);
    if (b->oom) return;
    g->roots[g->nroots++] =
        (struct pmat_ident_root){node, kind, strength, (uint8_t)(via_rv != 0), off};
}

static void add_edge(struct builder *b, uint32_t from, uint32_t to, const struct bref *r,
                     const char *names)
{
    struct pmat_ident_graph *g = b->g;
    size_t skip = r->via_rv ? VIA_RV_LEN : 0;
    size_t off = add_text(b, names + r->name + skip, r->len - skip);
    g->edges = grow(g->edges, &b->capedges, g->nedges + 1, sizeof *g->edges, &b->oom);
    if (b->oom) return;
    g->edges[g->nedges++] = (struct pmat_ident_edge){from, to, r->strength, r->via_rv, off};
}

/* Stable sort by name (Perl's sort_by { $_->name }); names live in ctx. */
static int bref_cmp(const void *x, const void *y, void *ctx)
{
    const struct bref *a = x, *b = y;
    const char *sort_names = ctx;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(sort_names + a->name, sort_names + b->name, n);
    if (c) return c;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int bref_push(struct bframe *f, size_t *cap, struct bref r)
{
    if (f->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        struct bref *v = realloc(f->refs, nc * sizeof *v);
        if (!v) return -1;
        f->refs = v;
        *cap = nc;
    }
    r.order = f->n;
    f->refs[f->n++] = r;
    return 0;
}

/* The inrefs of sv for the identify strength selection, with Devel::MAT's
 * fallbacks: strong -> direct -> all, direct -> all. */
static int inrefs_with_fallback(struct pmat_heap *h, uint32_t sv, int set,
                                struct pmat_inref_list *l)
{
    if (pmat_inrefs(h, sv, set, l)) return -1;
    if (!l->n && set == PMAT_SET_STRONG && pmat_inrefs(h, sv, PMAT_SET_DIRECT, l)) return -1;
    if (!l->n && set != PMAT_SET_ALL && pmat_inrefs(h, sv, PMAT_SET_ALL, l)) return -1;
    return 0;
}

/* Fill frame f with the elided, sorted inrefs of its SV (steps 4-8 of Devel::MAT::Tool::Identify's
 * walk). */
static int frame_refs(struct builder *b, struct bframe *f, uint32_t sv)
{
    struct pmat_heap *h = b->h;
    int elide = b->o->elide, set = b->o->set;
    struct pmat_inref_list in = {0}, rv = {0};
    size_t cap = 0;
    int rc = -1;
    if (inrefs_with_fallback(h, sv, set, &in)) goto out;
    for (size_t i = 0; i < in.n; i++) {
        struct pmat_inref r = in.v[i];
        struct bref br = {.referrer = r.referrer, .strength = r.strength};
        size_t start = f->names.len;
        int renamed = 0;
        /* RV elision: a REF's "the referrant" replaced by the REF's single inref */
        if (elide && r.kind == PMAT_IN_EDGE && h->kind[r.referrer] == PMAT_K_REF) {
            pmat_inref_name(h, &r, &f->names);
            int is_referrant =
                f->names.len - start == 13 && !memcmp(f->names.buf + start, "the referrant", 13);
            f->names.len = start;
            if (is_referrant) {
                rv.n = 0;
                if (pmat_inrefs(h, r.referrer, set, &rv)) goto out;
                if (rv.n == 1) {
                    sb_puts(&f->names, VIA_RV);
                    pmat_inref_name(h, &rv.v[0], &f->names);
                    br.referrer = rv.v[0].referrer;
                    br.strength = rv.v[0].strength;
                    br.via_rv = 1;
                    renamed = 1;
                }
            }
        }
        if (!renamed) pmat_inref_name(h, &r, &f->names);
        /* PAD elision: a pad's slot becomes "NAME at depth D" of the pad's CV */
        if (elide && br.referrer != PMAT_NONE && h->kind[br.referrer] == PMAT_K_PAD) {
            uint32_t cv = pmat_padcv(h, br.referrer);
            const struct pmat_code_info *c = pmat_code(h, cv);
            if (c) {
                long long maxd = c->depth ? c->depth : 1, d;
                for (d = 1; d <= maxd; d++)
                    if (pmat_code_pad(h, c, (uint64_t)d) == br.referrer) break;
                if (d <= maxd) {
                    sb_printf(&f->names, " at depth %lld", d);
                } else {
                    sb_puts(&f->names, " at depth ");
                    b->g->undef_depth_warnings++;
                }
                br.referrer = cv;
            }
        }
        br.name = start;
        br.len = f->names.len - start;
        sb_putc(&f->names, 0);
        if (bref_push(f, &cap, br)) goto out;
    }
    if (sb_failed(&f->names)) goto out; /* the names are incomplete: out of memory */
    if (f->n > 1) {
        qsort_r(f->refs, f->n, sizeof *f->refs, bref_cmp, f->names.buf);
    }
    rc = 0;
out:
    pmat_inref_list_free(&in);
    pmat_inref_list_free(&rv);
    return rc;
}

/* Whether a named glob is in the symbol table: its stash holds it under its name.
 * A glob perl made for `open(my $fh, ...)` or `socketpair(my $a, ...)`, or one
 * Symbol::gensym deleted, carries a name and a stash but is in neither. */
static int glob_in_stash(const struct pmat_heap *h, uint32_t gv)
{
    struct pmat_glob g;
    if (pmat_glob(h, gv, &g) < 0) return 1;
    uint32_t st = pmat_sv_at(h, g.stash);
    if (st == PMAT_NONE || h->kind[st] != PMAT_K_STASH) return 1; /* cannot tell */
    struct pmat_hash hv;
    pmat_hash(h, st, &hv);
    uint64_t pos = hv.body, done = 0, val;
    struct pmat_str key;
    while (pmat_hash_next(h, &hv, &pos, &done, &key, &val))
        if (key.len == g.name.len && !memcmp(key.ptr, g.name.ptr, key.len))
            return val == h->addr[gv];
    return 0;
}

/* Steps 1-3 of Devel::MAT::Tool::Identify's walk (immortals, symbol and glob elision).  Returns 1
 * when the SV was given a root and is not to be explored. */
static int terminal_root(struct builder *b, uint32_t sv)
{
    struct pmat_heap *h = b->h;
    if (pmat_is_immortal(h, sv)) {
        const char *t = h->kind[sv] == PMAT_K_IMM_UNDEF ? "undef"
                        : h->kind[sv] == PMAT_K_IMM_YES ? "true"
                                                        : "false";
        add_root(b, node_for(b, sv), PMAT_IR_TEXT, PMAT_STRONG, 0, t, strlen(t));
        return 1;
    }
    if (!b->o->elide) return 0;
    struct pmat_sb sym;
    sb_init(&sym);
    int done = 0;
    if (pmat_symname(h, sv, &sym) && !(sym.len >= 10 && sym.buf[0] == '&' &&
                                       !memcmp(sym.buf + sym.len - 10, "::__ANON__", 10))) {
        uint32_t found;
        int status = pmat_find_symbol(h, sb_str(&sym), &found, NULL);
        if (status == PMAT_ENOMEM || sb_failed(&sym)) b->oom = 1;
        if (status == PMAT_OK && found == sv) {
            add_root(b, node_for(b, sv), PMAT_IR_SYMBOL, PMAT_STRONG, 0, sym.buf, sym.len);
            done = 1;
        }
    }
    if (!done && h->kind[sv] == PMAT_K_GLOB) {
        sb_reset(&sym);
        sb_putc(&sym, '*');
        if (pmat_glob_stashname(h, sv, &sym)) {
            add_root(b, node_for(b, sv), glob_in_stash(h, sv) ? PMAT_IR_GLOB : PMAT_IR_ANONGLOB,
                     PMAT_STRONG, 0, sym.buf, sym.len);
            done = 1;
        }
    }
    sb_free(&sym);
    return done;
}

static void frame_free(struct bframe *f)
{
    free(f->refs);
    sb_free(&f->names);
}

/* Group roots by node and edges by target, keeping the order they were added
 * (a stable counting sort), and count each node's outgoing edges. */
static int finish_graph(struct pmat_ident_graph *g)
{
    uint32_t nn = g->nnodes;
    uint64_t *pos = calloc((size_t)nn + 1, sizeof *pos);
    struct pmat_ident_root *roots = malloc((g->nroots ? g->nroots : 1) * sizeof *roots);
    struct pmat_ident_edge *edges = malloc((g->nedges ? g->nedges : 1) * sizeof *edges);
    if (!pos || !roots || !edges) {
        free(pos), free(roots), free(edges);
        return -1;
    }
    for (uint64_t i = 0; i < g->nroots; i++)
        g->nodes[g->roots[i].node].nroots++;
    uint64_t acc = 0;
    for (uint32_t n = 0; n < nn; n++) {
        g->nodes[n].root0 = pos[n] = acc;
        acc += g->nodes[n].nroots;
    }
    for (uint64_t i = 0; i < g->nroots; i++)
        roots[pos[g->roots[i].node]++] = g->roots[i];
    for (uint64_t i = 0; i < g->nedges; i++) {
        g->nodes[g->edges[i].to].nin++;
        g->nodes[g->edges[i].from].nout++;
    }
    acc = 0;
    for (uint32_t n = 0; n < nn; n++) {
        g->nodes[n].in0 = pos[n] = acc;
        acc += g->nodes[n].nin;
    }
    for (uint64_t i = 0; i < g->nedges; i++)
        edges[pos[g->edges[i].to]++] = g->edges[i];
    free(pos);
    free(g->roots);
    free(g->edges);
    g->roots = roots;
    g->edges = edges;
    return 0;
}

int pmat_identify_build(struct pmat_heap *h, uint32_t sv, const struct pmat_ident_opts *opts,
                        struct pmat_ident_graph *g)
{
    memset(g, 0, sizeof *g);
    g->h = h;
    if (pmat_inrefs_build(h) < 0) return -1;
    struct builder b = {.h = h, .o = opts, .g = g};
    b.node_of = malloc((size_t)h->ntotal * sizeof *b.node_of);
    struct bframe *stack = NULL;
    size_t nstack = 0, capstack = 0;
    int rc = -1;
    if (!b.node_of) goto out;
    memset(b.node_of, 0xFF, (size_t)h->ntotal * sizeof *b.node_of);

    /* "call" inref_graph(sv, depth): returns with a frame pushed unless the SV
     * ended in a root at once */
    uint32_t call_sv = sv;
    long long call_depth = opts->depth;
    int calling = 1;
    uint32_t steps = 0;
    for (;;) {
        if (++steps % 65536 == 0 && opts->cancel && opts->cancel(opts->cancel_ud)) {
            rc = -2;
            goto out;
        }
        if (calling) {
            calling = 0;
            if (!terminal_root(&b, call_sv)) {
                uint32_t node = node_for(&b, call_sv);
                if (b.oom) goto out;
                if (nstack == capstack) {
                    size_t nc = capstack ? capstack * 2 : 16;
                    struct bframe *ns = realloc(stack, nc * sizeof *ns);
                    if (!ns) goto out;
                    stack = ns;
                    capstack = nc;
                }
                struct bframe *f = &stack[nstack++];
                *f = (struct bframe){.node = node, .depth = call_depth, .pending = SIZE_MAX};
                sb_init(&f->names);
                if (h->marks[call_sv] & PMAT_M_MORTAL)
                    add_root(&b, node, PMAT_IR_TEXT, PMAT_STRONG, 0, "a mortal", 8);
                if (frame_refs(&b, f, call_sv)) goto out;
            }
            if (b.oom) goto out;
        }
        if (!nstack) break;
        struct bframe *f = &stack[nstack - 1];
        if (f->pending != SIZE_MAX) {
            const struct bref *r = &f->refs[f->pending];
            add_edge(&b, b.node_of[r->referrer], f->node, r, f->names.buf);
            f->pending = SIZE_MAX;
        }
        if (f->idx == f->n) {
            frame_free(f);
            nstack--;
            continue;
        }
        const struct bref *r = &f->refs[f->idx++];
        if (r->referrer == PMAT_NONE) {
            size_t skip = r->via_rv ? VIA_RV_LEN : 0;
            add_root(&b, f->node, PMAT_IR_TEXT, r->strength, r->via_rv,
                     f->names.buf + r->name + skip, r->len - skip);
        } else if (f->depth == 0) {
            add_root(&b, f->node, PMAT_IR_EDEPTH, PMAT_INFERRED, 0, "EDEPTH", 6);
            f->idx = f->n;
        } else if (b.node_of[r->referrer] != PMAT_NONE) {
            add_edge(&b, b.node_of[r->referrer], f->node, r, f->names.buf);
        } else {
            node_for(&b, r->referrer); /* added first to stop infinite loops */
            f->pending = f->idx - 1;
            call_sv = r->referrer;
            call_depth = f->depth < 0 ? -1 : f->depth - 1;
            calling = 1;
        }
        if (b.oom) goto out;
    }
    rc = finish_graph(g);
out:
    while (nstack)
        frame_free(&stack[--nstack]);
    free(stack);
    free(b.node_of);
    if (rc) pmat_identify_free(g);
    return rc;
}

void pmat_identify_free(struct pmat_ident_graph *g)
{
    free(g->nodes);
    free(g->roots);
    free(g->edges);
    free(g->text);
    memset(g, 0, sizeof *g);
}

/* ------------------------------------------------------------------------ */
/* Walking                                                                   */
/* ------------------------------------------------------------------------ */

void pmat_ident_id_text(uint32_t id, char *buf, size_t n)
{
    char tmp[16];
    size_t len = 0;
    while (id && len < sizeof tmp) {
        id--;
        tmp[len++] = (char)('A' + id % 26);
        id /= 26;
    }
    size_t i = 0;
    for (; i < len && i + 1 < n; i++)
        buf[i] = tmp[len - 1 - i];
    if (n) buf[i] = 0;
}

/* The locals of one walk_graph call: the node's edges, strength-sorted. */
struct wframe {
    uint32_t node, level;
    uint64_t *edges;
    uint64_t n, idx;
};

int pmat_identify_walk(const struct pmat_ident_graph *g, pmat_ident_visit_fn fn, void *ud)
{
    if (!g->nnodes) return 0;
    uint8_t *seen = calloc(g->nnodes, 1);
    uint32_t *id_for = calloc(g->nnodes, sizeof *id_for);
    struct wframe *stack = NULL;
    size_t nstack = 0, capstack = 0;
    uint32_t next_id = 1;
    int rc = -1;
    if (!seen || !id_for) goto out;

    uint32_t call_node = 0, call_level = 0;
    int calling = 1;
    for (;;) {
        if (calling) {
            calling = 0;
            const struct pmat_ident_node *nd = &g->nodes[call_node];
            const struct pmat_ident_root *roots = g->roots + nd->root0;
            struct pmat_ident_item it = {.level = call_level, .node = call_node};
            if (!nd->nroots && !nd->nin) {
                it.event = PMAT_IE_NOTHING;
                if ((rc = fn(ud, &it))) goto out;
            } else if (nd->nroots == 1 && roots[0].kind == PMAT_IR_EDEPTH) {
                it.event = PMAT_IE_EDEPTH;
                if ((rc = fn(ud, &it))) goto out;
            } else {
                int strong_root = 0;
                for (uint32_t i = 0; i < nd->nroots; i++)
                    if (roots[i].kind != PMAT_IR_EDEPTH && roots[i].strength == PMAT_STRONG)
                        strong_root = 1;
                uint64_t nedges = strong_root ? 0 : nd->nin;
                if (nedges && seen[call_node]) {
                    it.event = PMAT_IE_AGAIN;
                    it.cyclic = seen[call_node] == 1;
                    it.id = id_for[call_node];
                    if ((rc = fn(ud, &it))) goto out;
                } else {
                    seen[call_node] = 1;
                    for (uint32_t i = 0; i < nd->nroots; i++) {
                        it.event = PMAT_IE_ROOT;
                        it.root = &roots[i];
                        it.final = i + 1 == nd->nroots && !nedges;
                        if ((rc = fn(ud, &it))) goto out;
                    }
                    if (!nedges) {
                        seen[call_node] = 2;
                    } else {
                        if (nstack == capstack) {
                            size_t nc = capstack ? capstack * 2 : 16;
                            struct wframe *ns = realloc(stack, nc * sizeof *ns);
                            if (!ns) goto fail;
                            stack = ns;
                            capstack = nc;
                        }
                        uint64_t *ev = malloc(nedges * sizeof *ev);
                        if (!ev) goto fail;
                        /* stable sort by strength: strong, weak, indirect, inferred */
                        uint64_t k = 0;
                        for (int s = PMAT_STRONG; s <= PMAT_INFERRED; s++)
                            for (uint64_t i = 0; i < nedges; i++)
                                if (g->edges[nd->in0 + i].strength == s) ev[k++] = nd->in0 + i;
                        stack[nstack++] = (struct wframe){call_node, call_level, ev, k, 0};
                    }
                }
            }
        }
        if (!nstack) break;
        struct wframe *f = &stack[nstack - 1];
        if (f->idx == f->n) {
            seen[f->node] = 2;
            free(f->edges);
            nstack--;
            continue;
        }
        const struct pmat_ident_edge *e = &g->edges[f->edges[f->idx++]];
        const struct pmat_ident_node *ref = &g->nodes[e->from];
        struct pmat_ident_item it = {.event = PMAT_IE_REF,
                                     .level = f->level,
                                     .node = e->from,
                                     .edge = e,
                                     .final = f->idx == f->n};
        if (ref->nout > 1 && !ref->nroots && !id_for[e->from]) it.id = id_for[e->from] = next_id++;
        if ((rc = fn(ud, &it))) goto out;
        if (e->from == f->node) {
            struct pmat_ident_item self = {
                .event = PMAT_IE_ITSELF, .level = f->level + 1, .node = e->from};
            if ((rc = fn(ud, &self))) goto out;
        } else {
            call_node = e->from;
            call_level = f->level + 1;
            calling = 1;
        }
    }
    rc = 0;
    goto out;
fail:
    rc = -1;
out:
    while (nstack)
        free(stack[--nstack].edges);
    free(stack);
    free(seen);
    free(id_for);
    return rc;
}
