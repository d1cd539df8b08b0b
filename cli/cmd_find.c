/*
 * cmd_find.c — `find [--count|-C] FILTER [FILTER...]` (Devel::MAT 0.51's Find
 * tool, Devel::MAT::Tool::Find): every heap SV that passes all filters, 31 per page, or
 * just their number with --count.  The predicates live in lib/find.c.
 *
 * Each filter parses its own options (permuting, like 0.51: its option scan
 * runs over every remaining token) and arguments from the rest of the line.
 * 0.51 scans its heap hash, so its order is random; ours is address order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pmat_find.h"

/* ---- the filters' declarations (also `help find FILTER`) ---- */

static const struct cli_opt num_opts[] = {
    {"iv", 0, CLI_FLAG, "Include IVs", NULL},
    {"uv", 0, CLI_FLAG, "Include UVs", NULL},
    {"nv", 0, CLI_FLAG, "Include NVs", NULL},
    {0},
};
static const struct cli_argspec num_args[] = {
    {"value", "match value", 0},
    {0},
};
static const struct cli_opt pv_opts[] = {
    {"eq", 0, CLI_FLAG, "Pattern is an exact equality match", NULL},
    {"regexp", 'r', CLI_FLAG, "Pattern is a regular expression", NULL},
    {"ignorecase", 'i', CLI_FLAG, "Match case-insensitively", NULL},
    {0},
};
static const struct cli_argspec pv_args[] = {
    {"pattern", "string pattern", CLI_ARG_REQUIRED},
    {0},
};
static const struct cli_opt cv_opts[] = {
    {"xsub", 0, CLI_FLAG, "Is an XSUB", NULL},
    {"package", 'p', CLI_STR, "In the given package", NULL},
    {"file", 'f', CLI_STR, "Location is the given file", NULL},
    {0},
};
static const struct cli_opt io_opts[] = {
    {"fileno", 'f', CLI_INT, "Match only this filenumber", NULL},
    {0},
};
static const struct cli_argspec blessed_args[] = {
    {"package", "the blessed package", CLI_ARG_REQUIRED},
    {0},
};
static const struct cli_opt lexical_opts[] = {
    {"inactive", 'I', CLI_FLAG, "Include variables in non-live pads", NULL},
    {0},
};
static const struct cli_argspec lexical_args[] = {
    {"name", "the variable name", CLI_ARG_REQUIRED},
    {0},
};
static const struct cli_argspec struct_args[] = {
    {"name", "the structure type name", CLI_ARG_REQUIRED},
    {0},
};
static const struct cli_opt magic_opts[] = {
    {"vtbl", 'v', CLI_HEX, "the VTBL pointer", NULL},
    {0},
};

static int no_run(struct cli *cli, struct cli_args *a)
{
    (void)cli;
    (void)a;
    return 0;
}

/* In 0.51's (plugin, i.e. sorted) order; the summary is "find " + description. */
static const struct pmat_cmd filters[] = {
    {"blessed", "find blessed SVs", NULL, 0, blessed_args, no_run},
    {"cv", "find Code CVs", cv_opts, 0, NULL, no_run},
    {"io", "find IO SVs", io_opts, 0, NULL, no_run},
    {"lexical", "find lexical variables", lexical_opts, 0, lexical_args, no_run},
    {"magic", "find SVs with magic", magic_opts, 0, NULL, no_run},
    {"num", "find Numerical (IV, UV or NV) SVs", num_opts, 0, num_args, no_run},
    {"pv", "find PV (string) SVs", pv_opts, 0, pv_args, no_run},
    {"struct", "find structs", NULL, 0, struct_args, no_run},
    {0},
};
static const enum pmat_find_kind filter_kinds[] = {
    PMAT_FIND_BLESSED, PMAT_FIND_CV,  PMAT_FIND_IO, PMAT_FIND_LEXICAL,
    PMAT_FIND_MAGIC,   PMAT_FIND_NUM, PMAT_FIND_PV, PMAT_FIND_STRUCT,
};

/* ---- building filters from the command line ---- */

struct find_state {
    struct pmat_find_filter *f;
    int nf;
    uint32_t next; /* next heap SV to test */
};

static void find_state_free(void *p)
{
    struct find_state *st = p;
    for (int i = 0; i < st->nf; i++)
        pmat_find_release(&st->f[i]);
    free(st->f);
    free(st);
}

static int build_filter(struct cli *cli, struct cli_args *a, struct pmat_find_filter *f)
{
    const char *name = cli_pull(a);
    int which = -1;
    for (int i = 0; name && filters[i].name; i++)
        if (!strcmp(filters[i].name, name)) which = i;
    if (which < 0) return cli_error(cli, "Unknown filter type '%s'", name ? name : "");
    const struct pmat_cmd *spec = &filters[which];
    struct cli_args sub;
    if (cli_args_sub(cli, a, spec->opts, 0, 0, spec->args, &sub) < 0) {
        cli_args_free(&sub);
        return -1;
    }
    pmat_find_init(f, filter_kinds[which]);
    int rc = 0;
    switch (f->kind) {
    case PMAT_FIND_NUM:
        f->want_iv = cli_flag(&sub, "iv");
        f->want_uv = cli_flag(&sub, "uv");
        f->want_nv = cli_flag(&sub, "nv");
        if (cli_pos(&sub, 0)) {
            f->has_value = 1;
            pmat_find_parse_number(cli_pos(&sub, 0), &f->value);
        }
        break;
    case PMAT_FIND_PV:
        f->pattern = cli_pos(&sub, 0);
        f->eq = cli_flag(&sub, "eq");
        f->regexp = cli_flag(&sub, "regexp");
        f->ignorecase = cli_flag(&sub, "ignorecase");
        break;
    case PMAT_FIND_CV:
        f->xsub = cli_flag(&sub, "xsub");
        f->package = cli_str(&sub, "package");
        f->file = cli_str(&sub, "file");
        break;
    case PMAT_FIND_IO: {
        if (cli_given(&sub, "fileno")) {
            f->has_fileno = 1;
            f->fileno = cli_int(&sub, "fileno");
        } else {
            /* back-compat: `find io 3` */
            const char *tok = cli_peek(a);
            int digits = tok && *tok;
            for (const char *p = tok; digits && *p; p++)
                digits = *p >= '0' && *p <= '9';
            if (digits) {
                f->has_fileno = 1;
                f->fileno = strtoll(cli_pull(a), NULL, 10);
            }
        }
        break;
    }
    case PMAT_FIND_BLESSED:
    case PMAT_FIND_STRUCT:
        f->name = cli_pos(&sub, 0);
        break;
    case PMAT_FIND_LEXICAL:
        f->name = cli_pos(&sub, 0);
        f->inactive = cli_flag(&sub, "inactive");
        break;
    case PMAT_FIND_MAGIC:
        f->vtbl = (uint64_t)cli_int(&sub, "vtbl");
        if (!f->vtbl) rc = cli_error(cli, "Expected --vtbl");
        break;
    }
    cli_args_free(&sub);
    if (rc < 0) return rc;
    struct pmat_error err;
    if (pmat_find_prepare(cli_heap(cli), f, &err) < 0) return cli_error(cli, "%s", err.msg);
    return 0;
}

/* ---- matching and output ---- */

/* The text one filter contributes to a match line (styled).  Returns 0 when
 * that text is Perl-false ("0"), which makes 0.51 reject the SV. */
static int filter_output(struct cli *cli, const struct pmat_find_filter *f,
                         const struct pmat_find_match *m, uint32_t sv, struct pmat_sb *out)
{
    struct pmat_heap *h = cli_heap(cli);
    struct pmat_sb v;
    sb_init(&v);
    int ok = 1;
    switch (f->kind) {
    case PMAT_FIND_NUM:
        if (m->numkind == PMAT_FIND_N_NV)
            pmat_format_nv(m->nv, &v);
        else if (m->numkind == PMAT_FIND_N_IV)
            sb_printf(&v, "%lld", (long long)m->iv_uv);
        else
            sb_printf(&v, "%llu", (unsigned long long)m->iv_uv);
        ok = strcmp(sb_str(&v), "0") != 0;
        cli_fmt_value(cli, out, sb_str(&v));
        break;
    case PMAT_FIND_PV: {
        struct pmat_scalar s;
        pmat_scalar(h, sv, &s);
        pmat_format_pv(s.pv.ptr, s.pv.len, s.flags & PMAT_SF_UTF8, 64, &v);
        cli_fmt_value(cli, out, sb_str(&v));
        break;
    }
    case PMAT_FIND_CV:
        if (pmat_symname(h, sv, &v) && v.len)
            cli_fmt_symbol(cli, out, sb_str(&v));
        else
            sb_puts(out, "__ANON__");
        break;
    case PMAT_FIND_IO: {
        char num[32];
        sb_puts(out, "ifileno=");
        snprintf(num, sizeof num, "%lld", (long long)m->ifileno);
        if (m->imatch)
            cli_fmt_note(cli, out, num, 0);
        else
            sb_puts(out, num);
        sb_puts(out, " ofileno=");
        snprintf(num, sizeof num, "%lld", (long long)m->ofileno);
        if (m->omatch)
            cli_fmt_note(cli, out, num, 0);
        else
            sb_puts(out, num);
        break;
    }
    case PMAT_FIND_BLESSED:
    case PMAT_FIND_STRUCT:
        sb_putn(&v, (const char *)m->name.ptr, m->name.len);
        ok = strcmp(sb_str(&v), "0") != 0;
        cli_fmt_value(cli, out, sb_str(&v));
        break;
    case PMAT_FIND_LEXICAL:
        cli_fmt_note(cli, out, f->name, 1);
        sb_printf(out, " at depth %lld", (long long)m->depth);
        if (!m->live) cli_fmt_note(cli, out, " [inactive]", 2);
        sb_puts(out, " of ");
        cli_fmt_sv(cli, out, m->cv);
        break;
    case PMAT_FIND_MAGIC:
        sb_printf(out, "magic type '%c'", m->magic_type);
        if (m->magic_obj != PMAT_NONE) {
            sb_puts(out, ", with object ");
            cli_fmt_sv(cli, out, m->magic_obj);
        }
        if (m->magic_ptr != PMAT_NONE) {
            sb_puts(out, ", with pointer ");
            cli_fmt_sv(cli, out, m->magic_ptr);
        }
        break;
    }
    sb_free(&v);
    return ok;
}

/* Run every filter on sv (each on the SV the previous one redirected to).
 * On a match, *line holds "FORMAT_SV[: OUT1 OUT2 ...]" when line is non-NULL. */
static int match_all(struct cli *cli, const struct find_state *st, uint32_t sv,
                     struct pmat_sb *line)
{
    struct pmat_heap *h = cli_heap(cli);
    struct pmat_sb outs;
    sb_init(&outs);
    int ok = 1;
    for (int i = 0; i < st->nf && ok; i++) {
        struct pmat_find_match m;
        if (!pmat_find_test(h, &st->f[i], sv, &m)) {
            ok = 0;
            break;
        }
        sv = m.sv;
        if (i) sb_putc(&outs, ' ');
        ok = filter_output(cli, &st->f[i], &m, sv, &outs);
    }
    if (ok && line) {
        cli_fmt_sv(cli, line, sv);
        if (st->nf) {
            sb_puts(line, ": ");
            sb_puts(line, sb_str(&outs));
        }
        sb_putc(line, '\n');
    }
    sb_free(&outs);
    return ok;
}

/* One page: 0.51 prints up to pagesize+1 matches (its counter test is
 * post-decrement) and stays pending while unscanned SVs remain. */
static int find_page(struct cli *cli, void *p, int pagesize)
{
    struct find_state *st = p;
    struct pmat_heap *h = cli_heap(cli);
    long count = pagesize;
    struct pmat_sb line;
    sb_init(&line);
    while (st->next < h->nsv) {
        uint32_t sv = st->next++;
        sb_reset(&line);
        if (!match_all(cli, st, sv, &line)) continue;
        cli_puts(cli, sb_str(&line));
        if (!count--) break;
        if (cli_interrupted(cli)) break;
    }
    sb_free(&line);
    return st->next < h->nsv ? 1 : 0;
}

static int cmd_find(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    struct find_state *st = calloc(1, sizeof *st);
    if (!st) abort();
    while (cli_nrest(a) > 0) {
        st->f = realloc(st->f, (size_t)(st->nf + 1) * sizeof *st->f);
        if (!st->f) abort();
        if (build_filter(cli, a, &st->f[st->nf]) < 0) {
            find_state_free(st);
            return -1;
        }
        st->nf++;
    }
    if (cli_flag(a, "count")) {
        uint64_t n = 0;
        for (uint32_t sv = 0; sv < h->nsv; sv++) {
            if (match_all(cli, st, sv, NULL)) n++;
            if ((sv & 0xffff) == 0 && cli_interrupted(cli)) break;
        }
        cli_printf(cli, "Total: %llu SVs\n", (unsigned long long)n);
        find_state_free(st);
        return 0;
    }
    return cli_paginate(cli, 30, find_page, st, find_state_free);
}

/* `help find`: the filter list instead of the generic sections. */
static int find_help(struct cli *cli, const struct pmat_cmd *self)
{
    (void)self;
    cli_puts(cli, "\nSYNOPSIS:\n  find [FILTER...]\n\nFILTERS:\n");
    struct pmat_sb sb;
    sb_init(&sb);
    for (int i = 0; filters[i].name; i++) {
        sb_reset(&sb);
        sb_puts(&sb, "  ");
        cli_fmt_note(cli, &sb, "find", 0);
        sb_putc(&sb, ' ');
        cli_fmt_note(cli, &sb, filters[i].name, 0);
        sb_printf(&sb, " - %s\n", filters[i].summary + 5); /* without "find " */
        cli_puts(cli, sb_str(&sb));
    }
    sb_free(&sb);
    return 0;
}

static const struct cli_opt find_opts[] = {
    {"count", 'C', CLI_FLAG, "Just print a count of the matching SVs", NULL},
    {0},
};

const struct pmat_cmd cmds_find[] = {
    {"find", "List SVs matching given criteria", find_opts, 0, NULL, cmd_find, find_help, filters,
     NULL, CLI_CMD_NO_PERMUTE | CLI_CMD_OWN_REST},
    {0},
};
