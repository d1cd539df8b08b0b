/*
 * cmd_graph.c — the reference-graph commands: outrefs, inrefs, identify,
 * list-dangling-ptrs (Devel::MAT 0.51's Outrefs, Inrefs, Identify and
 * ListDanglingPtrs tools).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pmat_identify.h"
#include "cmd_unreachable.h"
#include "pmat_refs.h"

/* ---- outrefs / inrefs ---- */

static const struct cli_opt refs_opts[] = {
    {"weak", 0, CLI_FLAG, "include weak references", NULL},
    {"all", 'a', CLI_FLAG, "include weak and indirect references", NULL},
    {0},
};

/* One table row to be: the other SV, the strength, the name. */
struct ref_row {
    uint32_t sv;
    uint8_t strength;
    size_t name; /* offset into the names buffer */
    size_t order;
};

struct refs_state {
    struct ref_row *rows;
    size_t n, next;
    struct pmat_sb names;
};

static void refs_state_free(void *p)
{
    struct refs_state *st = p;
    free(st->rows);
    sb_free(&st->names);
    free(st);
}

/* Stable sort by name (Devel::MAT: sort_by { $_->name }). */
static int ref_row_cmp(const void *x, const void *y, void *ctx)
{
    const struct ref_row *a = x, *b = y;
    const char *names = ctx;
    int c = strcmp(names + a->name, names + b->name);
    if (c) return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int refs_add(struct refs_state *st, size_t *cap, uint32_t sv, uint8_t strength, size_t name)
{
    if (st->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        struct ref_row *v = realloc(st->rows, nc * sizeof *v);
        if (!v) return -1;
        st->rows = v;
        *cap = nc;
    }
    st->rows[st->n] = (struct ref_row){sv, strength, name, st->n};
    st->n++;
    return 0;
}

/* One page of at most pagesize rows: "MARK  NAME  SV", each page its own table. */
static int refs_page(struct cli *cli, void *state, int pagesize)
{
    struct refs_state *st = state;
    static const int note_idx[] = {0, 1, 2, 2};
    struct cli_table *t = cli_table_new();
    struct pmat_sb sb;
    sb_init(&sb);
    cli_table_sep(t, "  ");
    for (int i = 0; i < pagesize && st->next < st->n; i++) {
        const struct ref_row *r = &st->rows[st->next++];
        char mark[2] = {pmat_strength_char(r->strength), 0};
        cli_fmt_note(cli, &sb, mark, note_idx[r->strength & 3]);
        cli_table_cell_sb(t, &sb);
        cli_table_cell(t, "%s", st->names.buf + r->name);
        cli_fmt_sv(cli, &sb, r->sv);
        cli_table_cell_sb(t, &sb);
        cli_table_end_row(t);
    }
    cli_table_print(cli, t);
    sb_free(&sb);
    return st->next < st->n;
}

static int refs_set(const struct cli_args *a)
{
    return cli_flag(a, "all")    ? PMAT_SET_ALL
           : cli_flag(a, "weak") ? PMAT_SET_DIRECT
                                 : PMAT_SET_STRONG;
}

/* Sort the rows and hand them to the pager (30 rows a page). */
static int refs_show(struct cli *cli, struct refs_state *st)
{
    sb_putc(&st->names, 0); /* make the buffer non-empty and stable */
    if (st->n > 1) qsort_r(st->rows, st->n, sizeof *st->rows, ref_row_cmp, st->names.buf);
    return cli_paginate(cli, 30, refs_page, st, refs_state_free);
}

static int cmd_outrefs(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    uint32_t sv = cli_sv(a);
    int set = refs_set(a);
    struct refs_state *st = calloc(1, sizeof *st);
    if (!st) return cli_error(cli, "out of memory");
    sb_init(&st->names);
    size_t cap = 0;
    uint64_t first, n = pmat_out_range(h, sv, &first);
    for (uint64_t e = first; e < first + n; e++) {
        /* Devel::MAT lists the "saved value" references that `local` leaves whatever
         * strengths were asked for (they are added outside its strength filter) */
        if (!(set & (1 << h->out_str[e])) && !pmat_ref_is_saved(h->out_kind[e])) continue;
        size_t off = st->names.len;
        char small[256];
        size_t len = pmat_ref_name(h, sv, e, small, sizeof small);
        if (len < sizeof small) {
            sb_putn(&st->names, small, len);
        } else {
            char *big = malloc(len + 1);
            if (big) {
                pmat_ref_name(h, sv, e, big, len + 1);
                sb_putn(&st->names, big, len);
                free(big);
            }
        }
        sb_putc(&st->names, 0);
        if (refs_add(st, &cap, h->out_target[e], h->out_str[e], off)) {
            refs_state_free(st);
            return cli_error(cli, "out of memory");
        }
    }
    return refs_show(cli, st);
}

static int cmd_inrefs(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    uint32_t sv = cli_sv(a);
    struct pmat_inref_list in = {0};
    struct refs_state *st = calloc(1, sizeof *st);
    if (!st || pmat_inrefs(h, sv, refs_set(a), &in)) {
        free(st);
        pmat_inref_list_free(&in);
        return cli_error(cli, "out of memory");
    }
    sb_init(&st->names);
    size_t cap = 0;
    for (size_t i = 0; i < in.n; i++) {
        if (in.v[i].kind != PMAT_IN_EDGE) continue; /* roots and the stack have no SV */
        size_t off = st->names.len;
        pmat_inref_name(h, &in.v[i], &st->names);
        sb_putc(&st->names, 0);
        if (refs_add(st, &cap, in.v[i].referrer, in.v[i].strength, off)) {
            refs_state_free(st);
            pmat_inref_list_free(&in);
            return cli_error(cli, "out of memory");
        }
    }
    pmat_inref_list_free(&in);
    return refs_show(cli, st);
}

/* ---- identify ---- */

static const struct cli_opt identify_opts[] = {
    {"depth", 'd', CLI_INT, "maximum depth to recurse", "10"},
    {"weak", 0, CLI_FLAG, "include weak references", NULL},
    {"all", 'a', CLI_FLAG, "include weak and indirect references", NULL},
    {"no_elide", 'n', CLI_FLAG, "don't elide REF, PAD and symbol structures", NULL},
    {"fold", 0, CLI_FLAG, "fold sibling branches identical but for addresses", NULL},
    {0},
};

/* identify --fold: the lines are kept (level, glyph, text after the glyph) and
 * printed at the end with identical sibling branches folded. */
struct fold_line {
    uint32_t level;
    uint8_t glyph; /* 0 none ("itself"), 1 "└─" always (not found...), 2 by position */
    size_t text, len;
};

/* Rendering state: which levels have had their last ("└─") line. */
struct ident_render {
    struct cli *cli;
    const struct pmat_ident_graph *g;
    unsigned char *final; /* per level */
    size_t cap;
    struct pmat_sb line;
    int fold;
    struct fold_line *fl;
    size_t nfl, capfl;
    struct pmat_sb texts;
};

static void render_prefix(struct ident_render *r, uint32_t level)
{
    for (uint32_t k = 0; k < level; k++)
        sb_puts(&r->line, k < r->cap && r->final[k] ? "  " : "│ ");
}

static void render_label(struct ident_render *r, uint8_t strength)
{
    static const char *const labels[] = {"", "[weak]", "[indirect]", "[inferred]"};
    if (strength == PMAT_STRONG || strength > PMAT_INFERRED) return;
    cli_fmt_note(r->cli, &r->line, labels[strength], 1);
    sb_putc(&r->line, ' ');
}

static void render_via(struct ident_render *r, int via)
{
    if (!via) return;
    cli_fmt_note(r->cli, &r->line, "(via RV)", 0);
    sb_putc(&r->line, ' ');
}

/* One line of the tree per walk item (Devel::MAT's Identify on_walk_* methods). */
static int ident_visit(void *ud, const struct pmat_ident_item *it)
{
    struct ident_render *r = ud;
    struct cli *cli = r->cli;
    const struct pmat_ident_graph *g = r->g;
    char id[16];
    if (cli_interrupted(cli)) return 1;
    sb_reset(&r->line);
    render_prefix(r, it->level);
    switch (it->event) {
    case PMAT_IE_NOTHING:
        sb_puts(&r->line, "└─not found");
        break;
    case PMAT_IE_EDEPTH:
        sb_puts(&r->line, "└─not found at this depth");
        break;
    case PMAT_IE_AGAIN:
        sb_puts(&r->line, "└─already found ");
        if (it->cyclic) {
            cli_fmt_note(cli, &r->line, "circularly", 0);
            sb_putc(&r->line, ' ');
        }
        if (it->id) {
            char star[20];
            pmat_ident_id_text(it->id, id, sizeof id);
            snprintf(star, sizeof star, "*%s", id);
            sb_puts(&r->line, "as ");
            cli_fmt_note(cli, &r->line, star, 0);
        } else {
            cli_fmt_note(cli, &r->line, "circularly", 0);
        }
        break;
    case PMAT_IE_ROOT: {
        const struct pmat_ident_root *root = it->root;
        const char *text = pmat_ident_text(g, root->text);
        sb_puts(&r->line, it->final ? "└─" : "├─");
        if (root->kind == PMAT_IR_EDEPTH) {
            /* 0.51 dies here ("EDEPTH" is not a reference): docs/compat.md */
            sb_puts(&r->line, "not found at this depth");
            break;
        }
        render_label(r, root->strength);
        if (root->kind == PMAT_IR_ANONGLOB) { /* docs/compat.md "anonymous glob" */
            sb_puts(&r->line, "an anonymous glob '");
            cli_fmt_symbol(cli, &r->line, text);
            sb_puts(&r->line, "' (not in the symbol table)");
        } else if (root->kind == PMAT_IR_SYMBOL || root->kind == PMAT_IR_GLOB) {
            sb_puts(&r->line, root->kind == PMAT_IR_SYMBOL ? "the symbol '" : "the glob '");
            cli_fmt_symbol(cli, &r->line, text);
            sb_puts(&r->line, root->kind == PMAT_IR_SYMBOL ? "'" : "\"");
        } else {
            render_via(r, root->via_rv);
            sb_puts(&r->line, text);
        }
        break;
    }
    case PMAT_IE_REF: {
        const struct pmat_ident_edge *e = it->edge;
        sb_puts(&r->line, it->final ? "└─" : "├─");
        render_label(r, e->strength);
        render_via(r, e->via_rv);
        sb_puts(&r->line, pmat_ident_text(g, e->name));
        sb_puts(&r->line, " of ");
        cli_fmt_sv(cli, &r->line, g->nodes[it->node].sv);
        sb_puts(&r->line, ", which is");
        if (it->id) {
            char star[24];
            pmat_ident_id_text(it->id, id, sizeof id);
            snprintf(star, sizeof star, "(*%s)", id);
            sb_putc(&r->line, ' ');
            cli_fmt_note(cli, &r->line, star, 0);
        }
        sb_putc(&r->line, ':');
        if (it->level >= r->cap) {
            size_t nc = r->cap ? r->cap * 2 : 64;
            while (nc <= it->level)
                nc *= 2;
            unsigned char *f = realloc(r->final, nc);
            if (!f) return -1;
            r->final = f;
            r->cap = nc;
        }
        r->final[it->level] = (unsigned char)it->final;
        break;
    }
    case PMAT_IE_ITSELF:
        sb_puts(&r->line, "itself");
        break;
    }
    if (r->fold) { /* keep the text after the prefix and glyph */
        if (r->nfl == r->capfl) {
            size_t nc = r->capfl ? 2 * r->capfl : 256;
            struct fold_line *nf = realloc(r->fl, nc * sizeof *nf);
            if (!nf) return -1;
            r->fl = nf, r->capfl = nc;
        }
        size_t skip = 0;
        for (uint32_t k = 0; k < it->level; k++)
            skip += r->line.buf[skip] == ' ' ? 2 : 4;
        uint8_t glyph = it->event == PMAT_IE_ITSELF                             ? 0
                        : it->event == PMAT_IE_ROOT || it->event == PMAT_IE_REF ? 2
                                                                                : 1;
        if (glyph) skip += 6; /* "├─" / "└─": two 3-byte characters */
        r->fl[r->nfl++] = (struct fold_line){it->level, glyph, r->texts.len, r->line.len - skip};
        sb_putn(&r->texts, r->line.buf + skip, r->line.len - skip);
        return 0;
    }
    sb_putc(&r->line, '\n');
    cli_write(cli, r->line.buf, r->line.len);
    return 0;
}

/* FNV-1a over a line's text with what differs between identical branches masked:
 * addresses (0x...) and *ID labels. */
static uint64_t shape_hash(const char *p, size_t n)
{
    uint64_t x = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '0' && i + 1 < n && p[i + 1] == 'x') {
            i++;
            while (i + 1 < n &&
                   ((p[i + 1] >= '0' && p[i + 1] <= '9') || (p[i + 1] >= 'a' && p[i + 1] <= 'f')))
                i++;
            c = '#';
        } else if (c == '*' && i + 1 < n && p[i + 1] >= 'A' && p[i + 1] <= 'Z') {
            while (i + 1 < n && p[i + 1] >= 'A' && p[i + 1] <= 'Z')
                i++;
            c = '@';
        }
        x = (x ^ c) * 1099511628211ull;
    }
    return x;
}

/* Print the kept lines with identical sibling branches folded: a branch whose
 * lines are those of an earlier sibling's, addresses and *ID labels aside, is
 * left out and counted on a line after that sibling's branch. */
static int fold_print(struct ident_render *r)
{
    size_t n = r->nfl;
    uint64_t *hash = calloc(n ? n : 1, sizeof *hash);
    size_t *end = malloc((n ? n : 1) * sizeof *end), *count = calloc(n ? n : 1, sizeof *count);
    unsigned char *folded = calloc(n ? n : 1, 1), *last = calloc(n ? n : 1, 1);
    unsigned char *note_last = calloc(n ? n : 1, 1), *pfx = NULL;
    size_t *stk = malloc((n + 1) * sizeof *stk), *pend = malloc((n + 1) * sizeof *pend);
    int rc = -1;
    if (!hash || !end || !count || !folded || !last || !note_last || !stk || !pend) goto out;
    /* each line's branch: it and the following lines of greater level */
    for (size_t i = n; i-- > 0;) {
        size_t j = i + 1;
        uint64_t hsh = shape_hash(r->texts.buf + r->fl[i].text, r->fl[i].len) ^ r->fl[i].glyph;
        while (j < n && r->fl[j].level > r->fl[i].level) {
            hsh = (hsh ^ hash[j]) * 1099511628211ull; /* children, in order */
            j = end[j];
        }
        hash[i] = hsh;
        end[i] = j;
    }
    /* siblings: fold repeats of an earlier sibling, then mark the last entry */
    size_t depth_max = 0;
    for (size_t i = 0; i < n; i++)
        if (r->fl[i].level + 1 > depth_max) depth_max = r->fl[i].level + 1;
    pfx = calloc(depth_max + 1, 1);
    if (!pfx) goto out;
    for (size_t p = 0; p <= n; p++) { /* p == n: the top level */
        size_t first, stop;
        if (p == n) {
            first = 0, stop = n;
        } else {
            if (p + 1 >= end[p]) continue;
            first = p + 1, stop = end[p];
        }
        size_t nk = 0, lastk = SIZE_MAX;
        for (size_t c = first; c < stop; c = end[c]) {
            size_t k;
            for (k = 0; k < nk; k++)
                if (hash[stk[k]] == hash[c]) break;
            if (k < nk) {
                folded[c] = 1;
                count[stk[k]]++;
            } else {
                stk[nk++] = c;
                lastk = c;
            }
        }
        if (lastk != SIZE_MAX) {
            if (count[lastk])
                note_last[lastk] = 1;
            else
                last[lastk] = 1;
        }
    }
    struct pmat_sb line;
    sb_init(&line);
    size_t np = 0;
    for (size_t i = 0; i <= n;) {
        while (np && (i == n || end[pend[np - 1]] <= i)) { /* notes of finished branches */
            size_t k = pend[--np];
            sb_reset(&line);
            for (uint32_t l = 0; l < r->fl[k].level; l++)
                sb_puts(&line, pfx[l] ? "  " : "│ ");
            sb_puts(&line, note_last[k] ? "└─" : "├─");
            char msg[64];
            snprintf(msg, sizeof msg, "(%zu more identical branch%s folded)", count[k],
                     count[k] == 1 ? "" : "es");
            cli_fmt_note(r->cli, &line, msg, 0);
            sb_putc(&line, '\n');
            cli_write(r->cli, line.buf, line.len);
        }
        if (i == n) break;
        if (folded[i]) {
            i = end[i];
            continue;
        }
        const struct fold_line *f = &r->fl[i];
        sb_reset(&line);
        for (uint32_t l = 0; l < f->level; l++)
            sb_puts(&line, pfx[l] ? "  " : "│ ");
        if (f->glyph) sb_puts(&line, f->glyph == 1 || last[i] ? "└─" : "├─");
        sb_putn(&line, r->texts.buf + f->text, f->len);
        sb_putc(&line, '\n');
        cli_write(r->cli, line.buf, line.len);
        pfx[f->level] = f->glyph == 1 || last[i];
        if (count[i]) pend[np++] = i;
        i++;
    }
    sb_free(&line);
    rc = 0;
out:
    free(hash), free(end), free(count), free(folded), free(last), free(note_last), free(pfx);
    free(stk), free(pend);
    return rc;
}

/* Ctrl-C stops a long identify build (the graph of a heap-wide SV can be big). */
static int ident_cancel(void *ud)
{
    return cli_interrupted(ud);
}

static int cmd_identify(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    uint32_t sv = cli_sv(a);
    struct pmat_ident_opts o = {
        .depth = cli_int(a, "depth"),
        .set = refs_set(a),
        .elide = !cli_flag(a, "no_elide"),
    };
    /* an SV no root reaches: say what keeps it alive first (docs/compat.md) */
    if (unreachable_identify_note(cli, sv) < 0) return cli_error(cli, "out of memory");
    struct pmat_sb sb;
    sb_init(&sb);
    cli_fmt_sv(cli, &sb, sv);
    sb_puts(&sb, " is:\n");
    cli_write(cli, sb.buf, sb.len);
    sb_free(&sb);

    struct pmat_ident_graph g;
    o.cancel = ident_cancel;
    o.cancel_ud = cli;
    int built = pmat_identify_build(h, sv, &o, &g);
    if (built == -2) return -1; /* interrupted */
    if (built) return cli_error(cli, "out of memory");
    for (uint64_t i = 0; i < g.undef_depth_warnings; i++)
        cli_warn(cli, "Use of uninitialized value $depth in concatenation (.) or string");
    struct ident_render r = {.cli = cli, .g = &g, .fold = cli_flag(a, "fold")};
    sb_init(&r.line);
    sb_init(&r.texts);
    int rc = pmat_identify_walk(&g, ident_visit, &r);
    if (rc == 0 && r.fold) rc = fold_print(&r);
    sb_free(&r.line);
    sb_free(&r.texts);
    free(r.fl);
    free(r.final);
    pmat_identify_free(&g);
    if (rc < 0) return cli_error(cli, "out of memory");
    return rc ? -1 : 0;
}

/* ---- list-dangling-ptrs ---- */

/* Devel::MAT prints through a UTF-8 encoding layer: bytes >= 0x80 of a raw
 * (non-UTF-8) string come out as their Latin-1 code points, UTF-8 encoded. */
static void put_latin1(struct pmat_sb *sb, const uint8_t *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        if (p[i] < 0x80) {
            sb_putc(sb, (char)p[i]);
        } else {
            sb_putc(sb, (char)(0xC0 | (p[i] >> 6)));
            sb_putc(sb, (char)(0x80 | (p[i] & 0x3F)));
        }
    }
}

struct dangle {
    struct cli *cli;
    struct pmat_heap *h;
    uint32_t sv;
    struct pmat_sb line;
};

/* "FORMAT_SV has no FIELD SV at addr 0xADDR" when addr is set but names no SV. */
static void test_ptr(struct dangle *d, const char *field, const uint8_t *extra, uint64_t nextra,
                     const char *tail, uint64_t addr)
{
    if (!addr || pmat_sv_at(d->h, addr) != PMAT_NONE) return;
    sb_reset(&d->line);
    cli_fmt_sv(d->cli, &d->line, d->sv);
    sb_puts(&d->line, " has no ");
    sb_puts(&d->line, field);
    if (extra) put_latin1(&d->line, extra, nextra);
    if (tail) sb_puts(&d->line, tail);
    sb_printf(&d->line, " SV at addr 0x%llx\n", (unsigned long long)addr);
    cli_write(d->cli, d->line.buf, d->line.len);
}

/* The raw BLESSED pointer of the common part (the struct id for a C_STRUCT). */
static uint64_t raw_blessed(const struct pmat_heap *h, uint32_t sv)
{
    const struct pmat_sizes3 *c = &h->sv_sizes[0];
    if (c->nptrs < 1) return 0;
    return pmat_rd_ptr(h, h->rec[sv] + 1 + c->hdr);
}

static void dangling_of(struct dangle *d)
{
    struct pmat_heap *h = d->h;
    uint32_t sv = d->sv;
    struct pmat_record rec;
    pmat_sv_record(h, sv, &rec);
    uint64_t blessed = raw_blessed(h, sv);
    test_ptr(d, "blessed", NULL, 0, NULL, blessed);
    if (h->kind[sv] == PMAT_K_STRUCT) /* C_STRUCT inherits a second blessed_at */
        test_ptr(d, "blessed", NULL, 0, NULL, blessed);
    uint64_t glob = h->glob_at[sv] != PMAT_NONE ? h->addr[h->glob_at[sv]] : 0;
    if (h->kind[sv] == PMAT_K_CODE && h->glob_at[sv] == PMAT_NONE && rec.nptrs >= 2)
        glob = rec.ptrs[1];
    test_ptr(d, "glob", NULL, 0, NULL, glob);
    switch (h->kind[sv]) {
    case PMAT_K_GLOB: {
        struct pmat_glob g;
        pmat_glob(h, sv, &g);
        test_ptr(d, "stash", NULL, 0, NULL, g.stash);
        test_ptr(d, "scalar", NULL, 0, NULL, g.scalar);
        test_ptr(d, "array", NULL, 0, NULL, g.array);
        test_ptr(d, "hash", NULL, 0, NULL, g.hash);
        test_ptr(d, "code", NULL, 0, NULL, g.code);
        test_ptr(d, "egv", NULL, 0, NULL, g.egv);
        test_ptr(d, "io", NULL, 0, NULL, g.io);
        test_ptr(d, "form", NULL, 0, NULL, g.form);
        break;
    }
    case PMAT_K_SCALAR:
        if (h->ftype[sv] == PMAT_T_SCALAR && rec.nptrs >= 1)
            test_ptr(d, "ourstash", NULL, 0, NULL, rec.ptrs[0]);
        break;
    case PMAT_K_REF: {
        struct pmat_ref r;
        pmat_ref(h, sv, &r);
        test_ptr(d, "rv", NULL, 0, NULL, r.rv);
        test_ptr(d, "ourstash", NULL, 0, NULL, r.ourstash);
        break;
    }
    case PMAT_K_ARRAY:
    case PMAT_K_PADLIST:
    case PMAT_K_PADNAMES:
    case PMAT_K_PAD: {
        uint64_t n = pmat_array_count(h, sv);
        for (uint64_t i = 0; i < n; i++) {
            char tail[32];
            snprintf(tail, sizeof tail, " [%llu]", (unsigned long long)i);
            test_ptr(d, "elem", NULL, 0, tail, pmat_array_elem(h, sv, i));
        }
        break; /* padcv always names the owning CODE */
    }
    case PMAT_K_HASH:
    case PMAT_K_STASH:
    case PMAT_K_CLASS: {
        struct pmat_hash hv;
        pmat_hash(h, sv, &hv);
        test_ptr(d, "backrefs", NULL, 0, NULL, hv.backrefs);
        uint64_t pos = hv.body, done = 0, val;
        struct pmat_str key;
        while (pmat_hash_next(h, &hv, &pos, &done, &key, &val))
            test_ptr(d, "value {", key.ptr, key.len, "}", val);
        break;
    }
    case PMAT_K_CODE:
        /* record pointers: STASH, GLOB, OUTSIDE, PADLIST, CONSTVAL */
        if (rec.nptrs >= 5) test_ptr(d, "constval", NULL, 0, NULL, rec.ptrs[4]);
        if (rec.nptrs >= 3) test_ptr(d, "outside", NULL, 0, NULL, rec.ptrs[2]);
        if (rec.nptrs >= 4) test_ptr(d, "padlist", NULL, 0, NULL, rec.ptrs[3]);
        if (rec.nptrs >= 1) test_ptr(d, "stash", NULL, 0, NULL, rec.ptrs[0]);
        break;
    case PMAT_K_STRUCT: {
        const struct pmat_struct_type *st = pmat_struct_type_of(h, sv);
        for (uint32_t f = 0; st && f < st->nfields; f++) {
            if (st->fields[f].type != 0) continue;
            uint64_t v = 0;
            pmat_struct_field(h, sv, f, &v);
            struct pmat_sb name;
            sb_init(&name);
            sb_puts(&name, "field <");
            sb_putn(&name, (const char *)st->fields[f].name.ptr, st->fields[f].name.len);
            sb_putc(&name, '>');
            test_ptr(d, sb_str(&name), NULL, 0, NULL, v);
            sb_free(&name);
        }
        break;
    }
    default:
        break;
    }
}

static int cmd_list_dangling_ptrs(struct cli *cli, struct cli_args *a)
{
    (void)a;
    struct dangle d = {.cli = cli, .h = cli_heap(cli)};
    sb_init(&d.line);
    for (uint32_t sv = 0; sv < d.h->nsv; sv++) {
        if ((sv & 0xFFFF) == 0 && cli_interrupted(cli)) {
            sb_free(&d.line);
            return -1;
        }
        d.sv = sv;
        dangling_of(&d);
    }
    sb_free(&d.line);
    return 0;
}

const struct pmat_cmd cmds_graph[] = {
    {"outrefs", "Show outgoing references from a given SV", refs_opts, 1, NULL, cmd_outrefs},
    {"inrefs", "Show incoming references to a given SV", refs_opts, 1, NULL, cmd_inrefs},
    {"identify", "Identify an SV by its referrers", identify_opts, 1, NULL, cmd_identify},
    {"list-dangling-ptrs", "Show pointers in SVs that don't lead anywhere", NULL, 0, NULL,
     cmd_list_dangling_ptrs},
    {0},
};
