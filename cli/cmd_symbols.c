/*
 * cmd_symbols.c — the whole-heap inspection listings: roots, stack, callers,
 * symbols and packages, as Devel::MAT 0.51 prints them (Devel::MAT::Tool::Symbols).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_show.h"

static void put_str(struct pmat_sb *sb, struct pmat_str s)
{
    if (s.defined) sb_putn(sb, (const char *)s.ptr, s.len);
}

/* ---- roots ---- */

/* Every root with a non-NULL pointer: its description and the SV, or PTR(0x...)
 * when the pointer matches no SV.  (0.51 lists them in hash order.) */
static int cmd_roots(struct cli *cli, struct cli_args *a)
{
    (void)a;
    struct pmat_heap *h = cli_heap(cli);
    struct cli_table *t = cli_table_new();
    cli_table_sep(t, ": ");
    struct pmat_sb sb;
    sb_init(&sb);
    for (uint32_t i = 0; i < h->nroots; i++) {
        const struct pmat_root *r = &h->roots[i];
        if (r->sv == PMAT_NONE && !r->addr) continue;
        cli_table_cell(t, "%s", r->desc ? r->desc : "");
        if (r->sv != PMAT_NONE)
            cli_fmt_sv(cli, &sb, r->sv);
        else
            sb_printf(&sb, "PTR(%#llx)", (unsigned long long)r->addr);
        cli_table_cell_sb(t, &sb);
        cli_table_end_row(t);
    }
    cli_table_print(cli, t);
    sb_free(&sb);
    return 0;
}

/* ---- stack ---- */

static int cmd_stack(struct cli *cli, struct cli_args *a)
{
    (void)a;
    struct pmat_heap *h = cli_heap(cli);
    struct pmat_sb sb;
    sb_init(&sb);
    for (uint64_t i = h->nstack; i-- > 0;) {
        sb_reset(&sb);
        sb_printf(&sb, "[%llu]: ", (unsigned long long)i);
        cli_fmt_sv_value(cli, &sb, h->stack[i]);
        sb_putc(&sb, '\n');
        cli_puts(cli, sb_str(&sb));
        if (cli_interrupted(cli)) break;
    }
    sb_free(&sb);
    return 0;
}

/* ---- callers ---- */

/* Devel::MAT's $cv->pad($depth): the pads array indexed at depth-1 with Perl's
 * negative indexing (depth 0 is the last pad). */
static uint32_t perl_pad(const struct pmat_heap *h, const struct pmat_code_info *c, int64_t depth)
{
    if (!c || !c->npads) return PMAT_NONE;
    int64_t i = depth - 1;
    if (i < 0) i += c->npads;
    if (i < 0 || i >= (int64_t)c->npads) return PMAT_NONE;
    return pmat_code_pad(h, c, (uint64_t)i + 1);
}

/* Perl compares the file's perl version with "5.23.8" as *strings* to decide
 * that context ARGS must come from the pad (so "5.8.9" counts as newer). */
static int args_from_pad(const struct pmat_heap *h)
{
    char ver[64];
    pmat_perlversion(h, ver, sizeof ver);
    return strcmp(ver, "5.23.8") >= 0;
}

/* The first pad index >= 1 whose name is `name`, or 0. */
static uint64_t padix_of(const struct pmat_heap *h, const struct pmat_code_info *c,
                         const char *name)
{
    size_t n = strlen(name);
    for (uint64_t i = 1; c && i < c->npadnames; i++) {
        const struct pmat_padname *pn = pmat_code_padname(h, c, i);
        if (pn && pn->name.len == n && !memcmp(pn->name.ptr, name, n)) return i;
    }
    return 0;
}

static void note(struct cli *cli, struct pmat_sb *sb, const char *text, int idx)
{
    cli_fmt_note(cli, sb, text, idx);
}

/* The rest of a SUB frame after its "at" line. */
static void caller_sub_details(struct cli *cli, const struct pmat_context *cx, int show_pad,
                               struct pmat_sb *sb)
{
    struct pmat_heap *h = cli_heap(cli);
    const struct pmat_code_info *c = pmat_code(h, cx->cv);
    uint32_t args = cx->args;
    if (args_from_pad(h)) {
        uint32_t pad = perl_pad(h, c, cx->depth);
        args = pad != PMAT_NONE && pmat_array_count(h, pad)
                   ? pmat_sv_at(h, pmat_array_elem(h, pad, 0))
                   : PMAT_NONE;
    }
    if (args == PMAT_NONE) return;
    int doneargs = 0;
    uint64_t n = pmat_array_count(h, args);
    char label[48];
    for (uint64_t i = 0; i < n; i++) {
        snprintf(label, sizeof label, "$_[%llu]", (unsigned long long)i);
        sb_puts(sb, "  ");
        note(cli, sb, label, 1);
        sb_puts(sb, ": ");
        cli_fmt_sv_value(cli, sb, pmat_sv_at(h, pmat_array_elem(h, args, i)));
        sb_putc(sb, '\n');
        doneargs++;
    }
    sb_puts(sb, "  cv=");
    cli_fmt_sv(cli, sb, cx->cv);
    sb_putc(sb, '\n');
    if (cx->depth > -1) {
        uint32_t pad = perl_pad(h, c, cx->depth);
        if (show_pad) {
            sb_puts(sb, "  curpad=");
            cli_fmt_sv(cli, sb, pad);
            sb_putc(sb, '\n');
            cli_puts(cli, sb_str(sb));
            sb_reset(sb);
            if (pad != PMAT_NONE) show_pad_contents(cli, pad);
        } else {
            uint64_t ix = padix_of(h, c, "$self");
            if (ix && pad != PMAT_NONE) {
                uint32_t self = ix < pmat_array_count(h, pad)
                                    ? pmat_sv_at(h, pmat_array_elem(h, pad, ix))
                                    : PMAT_NONE;
                sb_puts(sb, self != PMAT_NONE ? "  " : "  no ");
                note(cli, sb, "$self", 1);
                if (self != PMAT_NONE) {
                    sb_puts(sb, ": ");
                    cli_fmt_sv_value(cli, sb, self);
                }
                sb_putc(sb, '\n');
                doneargs++;
            }
        }
    }
    if (!doneargs) {
        sb_puts(sb, "  ");
        note(cli, sb, "(no args)", 1);
        sb_putc(sb, '\n');
    }
}

static int cmd_callers(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    static const char *const gimmes[] = {"", "void", "scalar", "array"};
    struct pmat_sb sb, tmp;
    sb_init(&sb);
    sb_init(&tmp);
    for (uint32_t i = 0; i < h->ncontexts; i++) {
        const struct pmat_context *cx = &h->contexts[i];
        char label[48];
        snprintf(label, sizeof label, "caller(%u)", i);
        note(cli, &sb, label, 0);
        sb_puts(&sb, ": ");
        switch (cx->type) {
        case PMAT_CTX_SUB:
            cli_fmt_sv(cli, &sb, cx->cv);
            sb_putc(&sb, '=');
            sb_reset(&tmp);
            if (pmat_symname(h, cx->cv, &tmp)) cli_fmt_symbol(cli, &sb, sb_str(&tmp));
            break;
        case PMAT_CTX_TRY:
            sb_puts(&sb, "eval {...}");
            break;
        case PMAT_CTX_EVAL: {
            struct pmat_scalar s;
            sb_puts(&sb, "eval (");
            sb_reset(&tmp);
            if (pmat_scalar(h, cx->codesv, &s) == 0 && s.has_pv)
                pmat_format_pv(s.pv.ptr, s.pv.len, s.flags & PMAT_SF_UTF8, 64, &tmp);
            cli_fmt_value(cli, &sb, sb_str(&tmp));
            sb_putc(&sb, ')');
            break;
        }
        default:
            break;
        }
        sb_puts(&sb, " => ");
        note(cli, &sb, cx->gimme < 4 ? gimmes[cx->gimme] : "", 0);
        sb_puts(&sb, "\n  at ");
        put_str(&sb, cx->file);
        sb_printf(&sb, " line %llu\n", (unsigned long long)cx->line);
        if (cx->type == PMAT_CTX_SUB) caller_sub_details(cli, cx, cli_flag(a, "pad"), &sb);
        cli_puts(cli, sb_str(&sb));
        sb_reset(&sb);
    }
    sb_free(&sb);
    sb_free(&tmp);
    return 0;
}

/* ---- symbols / packages: a work list of (SV, name) ---- */

/* Devel::MAT keeps a queue it shifts from and unshifts onto; used only at its
 * front, it is a stack whose top is the queue's head. */
struct symitem {
    uint32_t sv;
    char *name;
};
struct symstack {
    struct symitem *v;
    size_t n, cap;
    int recurse, versions;
    uint8_t *expanded; /* symbols -R: stashes already listed (per SV), so a stash
                        * reachable from itself (main::main::) is listed once */
};

static void sym_push(struct symstack *s, uint32_t sv, char *name)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v) abort();
    }
    s->v[s->n++] = (struct symitem){sv, name};
}

static void sym_free(void *p)
{
    struct symstack *s = p;
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].name);
    free(s->v);
    free(s->expanded);
    free(s);
}

struct stash_entry {
    struct pmat_str key;
    uint64_t value;
};

static int by_entry_key(const void *x, const void *y)
{
    const struct stash_entry *a = x, *b = y;
    uint64_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
    int c = n ? memcmp(a->key.ptr, b->key.ptr, n) : 0;
    return c ? c : (a->key.len > b->key.len) - (a->key.len < b->key.len);
}

/* Devel::MAT's extract_symbols: a stash's entries in byte order of their keys,
 * named PREFIX.KEY, or {^X...} for keys starting with a control character.
 * Pushed so that the first entry ends on top.  `keep` filters entries. */
static void push_stash_entries(const struct pmat_heap *h, struct symstack *s, uint32_t stash,
                               const char *prefix,
                               int (*keep)(const struct pmat_heap *h, uint32_t sv,
                                           const char *name))
{
    struct pmat_hash hv;
    if (pmat_hash(h, stash, &hv) < 0) return;
    struct stash_entry *e = malloc((hv.count + 1) * sizeof *e);
    if (!e) abort();
    size_t n = 0;
    uint64_t pos = hv.body, done = 0;
    struct pmat_str key;
    uint64_t value;
    while (n < hv.count && pmat_hash_next(h, &hv, &pos, &done, &key, &value))
        e[n++] = (struct stash_entry){key, value};
    qsort(e, n, sizeof *e, by_entry_key);
    struct pmat_sb name;
    sb_init(&name);
    for (size_t i = n; i-- > 0;) {
        if (i + 1 < n && !by_entry_key(&e[i], &e[i + 1])) continue; /* a repeated key: one entry */
        sb_reset(&name);
        if (e[i].key.len && e[i].key.ptr[0] < 0x20) {
            sb_puts(&name, "{^");
            sb_putc(&name, (char)(e[i].key.ptr[0] + 0x40));
            sb_putn(&name, (const char *)e[i].key.ptr + 1, e[i].key.len - 1);
            sb_putc(&name, '}');
        } else {
            sb_puts(&name, prefix);
            sb_putn(&name, (const char *)e[i].key.ptr, e[i].key.len);
        }
        uint32_t sv = pmat_sv_at(h, e[i].value);
        if (keep && !keep(h, sv, sb_str(&name))) continue;
        char *copy = strdup(sb_str(&name));
        if (!copy) abort();
        sym_push(s, sv, copy);
    }
    sb_free(&name);
    free(e);
}

static int is_stash_kind(uint8_t k)
{
    return k == PMAT_K_STASH || k == PMAT_K_CLASS;
}

/* The top level of `symbols`: not main:: itself, nor the _<FILE debugger globs. */
static int keep_toplevel_symbol(const struct pmat_heap *h, uint32_t sv, const char *name)
{
    (void)h;
    (void)sv;
    return strcmp(name, "main::") && strncmp(name, "_<", 2);
}

static void show_symbol(struct cli *cli, char sigil, const char *name, uint32_t sv,
                        struct pmat_sb *sb)
{
    struct pmat_sb sym;
    sb_init(&sym);
    sb_putc(&sym, sigil);
    sb_puts(&sym, name);
    cli_fmt_symbol(cli, sb, sb_str(&sym));
    sb_puts(sb, " at ");
    cli_fmt_sv(cli, sb, sv);
    sb_putc(sb, '\n');
    sb_free(&sym);
}

/* One page of `symbols`: the counter drops per printed line and the page ends
 * when it reaches exactly 0 (a glob printing several lines can pass it, and
 * then the page runs to the end, as in 0.51). */
static int symbols_page(struct cli *cli, void *p, int pagesize)
{
    struct symstack *s = p;
    struct pmat_heap *h = cli_heap(cli);
    long count = pagesize;
    struct pmat_sb sb;
    sb_init(&sb);
    while (count && s->n) {
        struct symitem it = s->v[--s->n];
        if (it.sv != PMAT_NONE && h->kind[it.sv] == PMAT_K_GLOB) {
            struct pmat_glob g;
            pmat_glob(h, it.sv, &g);
            uint32_t slot[4] = {pmat_sv_at(h, g.scalar), pmat_sv_at(h, g.array),
                                pmat_sv_at(h, g.hash), pmat_sv_at(h, g.code)};
            for (int i = 0; i < 4; i++)
                if (slot[i] != PMAT_NONE) {
                    show_symbol(cli, "$@%&"[i], it.name, slot[i], &sb);
                    count--;
                }
            cli_puts(cli, sb_str(&sb));
            sb_reset(&sb);
            if (slot[2] != PMAT_NONE) {
                sym_push(s, slot[2], it.name);
                it.name = NULL;
            }
        } else if (s->recurse && it.sv != PMAT_NONE && is_stash_kind(h->kind[it.sv]) &&
                   !s->expanded[it.sv]) {
            s->expanded[it.sv] = 1;
            push_stash_entries(h, s, it.sv, it.name, NULL);
        }
        free(it.name);
        if (cli_interrupted(cli)) break;
    }
    sb_free(&sb);
    return s->n ? 1 : 0;
}

static int cmd_symbols(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    struct symstack *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->recurse = cli_flag(a, "recurse");
    s->expanded = calloc(h->ntotal ? h->ntotal : 1, 1);
    if (!s->expanded) abort();
    const char *start = cli_pos(a, 0);
    if (start) {
        struct pmat_error err;
        uint32_t stash;
        if (pmat_find_stash(h, start, &stash, &err) < 0) {
            sym_free(s);
            return cli_error(cli, "%s", err.msg);
        }
        char *prefix = malloc(strlen(start) + 3);
        if (!prefix) abort();
        sprintf(prefix, "%s::", start);
        s->expanded[stash] = 1;
        push_stash_entries(h, s, stash, prefix, NULL);
        free(prefix);
    } else {
        const struct pmat_root *def = pmat_root_by_name(h, "defstash");
        if (def && def->sv != PMAT_NONE) {
            s->expanded[def->sv] = 1;
            push_stash_entries(h, s, def->sv, "", keep_toplevel_symbol);
        }
    }
    return cli_paginate(cli, 30, symbols_page, s, sym_free);
}

/* ---- packages ---- */

static int keep_glob(const struct pmat_heap *h, uint32_t sv, const char *name)
{
    (void)name;
    return sv != PMAT_NONE && h->kind[sv] == PMAT_K_GLOB;
}

static int keep_toplevel_glob(const struct pmat_heap *h, uint32_t sv, const char *name)
{
    return keep_glob(h, sv, name) && strcmp(name, "main::");
}

/* " VERSION" for `packages -V`: the $VERSION scalar's PV, else its NV, else its
 * integer; "" when the package has no $VERSION. */
static void version_of(struct cli *cli, uint32_t stash, struct pmat_sb *sb)
{
    struct pmat_heap *h = cli_heap(cli);
    struct pmat_hash hv;
    if (pmat_hash(h, stash, &hv) < 0) return;
    uint64_t pos = hv.body, done = 0, value, found = 0;
    struct pmat_str key;
    while (pmat_hash_next(h, &hv, &pos, &done, &key, &value))
        if (key.len == 7 && !memcmp(key.ptr, "VERSION", 7)) found = value;
    uint32_t gv = pmat_sv_at(h, found);
    struct pmat_glob g;
    if (gv == PMAT_NONE || pmat_glob(h, gv, &g) < 0) return;
    uint32_t sv = pmat_sv_at(h, g.scalar);
    if (sv == PMAT_NONE) return;
    /* a reference (a version object) has no plain value: nothing shown (0.51 dies) */
    if (h->kind[sv] == PMAT_K_REF) return;
    struct pmat_scalar s;
    pmat_scalar(h, sv, &s);
    struct pmat_sb v;
    sb_init(&v);
    if (s.has_pv)
        put_str(&v, s.pv);
    else if (s.has_nv)
        pmat_format_nv(s.nv, &v);
    else if (s.has_iv)
        sb_printf(&v, "%lld", (long long)s.uv);
    else if (s.has_uv)
        sb_printf(&v, "%llu", (unsigned long long)s.uv);
    sb_putc(sb, ' ');
    cli_fmt_value(cli, sb, sb_str(&v));
    sb_free(&v);
}

static int packages_page(struct cli *cli, void *p, int pagesize)
{
    struct symstack *s = p;
    struct pmat_heap *h = cli_heap(cli);
    long count = pagesize;
    struct pmat_sb sb, name;
    sb_init(&sb);
    sb_init(&name);
    while (count && s->n) {
        struct symitem it = s->v[--s->n];
        struct pmat_glob g;
        pmat_glob(h, it.sv, &g);
        uint32_t stash = pmat_sv_at(h, g.hash);
        if (stash != PMAT_NONE && is_stash_kind(h->kind[stash])) {
            sb_reset(&name);
            sb_puts(&name, it.name);
            if (name.len >= 2 && !strcmp(name.buf + name.len - 2, "::")) {
                name.len -= 2;
                name.buf[name.len] = 0;
            }
            cli_fmt_note(cli, &sb, "package", 0);
            sb_putc(&sb, ' ');
            cli_fmt_symbol(cli, &sb, sb_str(&name));
            if (s->versions) version_of(cli, stash, &sb);
            sb_puts(&sb, " at ");
            cli_fmt_sv(cli, &sb, stash);
            sb_putc(&sb, '\n');
            cli_puts(cli, sb_str(&sb));
            sb_reset(&sb);
            count--;
            push_stash_entries(h, s, stash, it.name, keep_glob);
        }
        free(it.name);
        if (cli_interrupted(cli)) break;
    }
    sb_free(&sb);
    sb_free(&name);
    return s->n ? 1 : 0;
}

static int cmd_packages(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    struct symstack *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->versions = cli_flag(a, "versions");
    const struct pmat_root *def = pmat_root_by_name(h, "defstash");
    if (def && def->sv != PMAT_NONE) push_stash_entries(h, s, def->sv, "", keep_toplevel_glob);
    return cli_paginate(cli, 30, packages_page, s, sym_free);
}

/* ---- the command table ---- */

static const struct cli_opt callers_opts[] = {
    {"pad", 'P', CLI_FLAG, "show PAD contents", NULL},
    {0},
};
static const struct cli_opt symbols_opts[] = {
    {"recurse", 'R', CLI_FLAG, "recursively show inner symbols", NULL},
    {0},
};
static const struct cli_argspec symbols_args[] = {
    {"start", "show symbols within this symbol, rather than %main::", 0},
    {0},
};
static const struct cli_opt packages_opts[] = {
    {"versions", 'V', CLI_FLAG, "show the $VERSION of each package", NULL},
    {0},
};

const struct pmat_cmd cmds_symbols[] = {
    {"roots", "Display a list of the root SVs", NULL, 0, NULL, cmd_roots},
    {"stack", "Display the value stack", NULL, 0, NULL, cmd_stack},
    {"callers", "Display the caller stack", callers_opts, 0, NULL, cmd_callers},
    {"symbols", "Display a list of the symbol table", symbols_opts, 0, symbols_args, cmd_symbols},
    {"packages", "Display a list of the packages in the symbol table", packages_opts, 0, NULL,
     cmd_packages},
    {0},
};
