/*
 * cmd_count.c — `count`: the heap counted by kind (Devel::MAT::Tool::Count).
 * The numbers come from lib/count.c; this file only renders the table.
 */
#include <string.h>

#include <stdlib.h>

#include "cli.h"
#include "cmd_count.h"
#include "pmat_dominators.h"
#include "pmat_count.h"

static const struct cli_opt count_opts[] = {
    { "blessed", 'b', CLI_FLAG, "classify blessed references per package", NULL },
    { "scalars", 'S', CLI_FLAG, "classify SCALARs according to present fields", NULL },
    { "struct", 0, CLI_FLAG, "sum SVs by structural size", NULL },
    { "owned", 0, CLI_FLAG, "sum SVs by owned size", NULL },
    { "retained", 0, CLI_FLAG, "retained size by blessed class (top of the dominator tree, unreachable ones apart)", NULL },
    { 0 }
};

/* count --retained: Eclipse MAT's retained-by-class histogram.  For each package, its
 * objects' plain size and what its topmost objects (those no object of the same class
 * dominates) keep alive, largest first; objects no root reaches are counted in the
 * tree of the unreachable components, and shown apart in the last column. */
static int count_retained(struct cli *cli)
{
    struct pmat_heap *h = cli_heap(cli);
    uint64_t n;
    struct pmat_dom_class *rows = pmat_dom_by_class(h, &n);
    if (!rows && !pmat_dominators(h)) return cli_error(cli, "Out of memory");
    struct cli_table *t = cli_table_new();
    cli_table_headings(t, 5,
                       (const char *[]){"Package", "Objects", "Bytes", "Retained", "Unreachable"});
    cli_table_align(t, "lrrrr");
    cli_table_seps(t, 4, (const char *[]){"    ", "    ", "    ", "    "});
    cli_table_indent(t, 2);
    struct pmat_sb sb;
    sb_init(&sb);
    for (uint64_t i = 0; i < n; i++) {
        struct pmat_str name;
        if (pmat_stash_name(h, rows[i].stash, &name))
            sb_putn(&sb, (const char *)name.ptr, name.len);
        else
            cli_fmt_sv(cli, &sb, rows[i].stash);
        cli_table_cell_sb(t, &sb);
        cli_table_cell(t, "%llu", (unsigned long long)rows[i].objects);
        pmat_format_bytes(rows[i].shallow, &sb);
        cli_table_cell_sb(t, &sb);
        pmat_format_bytes(rows[i].retained, &sb);
        cli_table_cell_sb(t, &sb);
        if (rows[i].unreachable) { /* "42 retaining 1.2 MiB": leaked objects of the class */
            sb_printf(&sb, "%llu retaining ", (unsigned long long)rows[i].unreachable);
            pmat_format_bytes(rows[i].unreachable_retained, &sb);
        }
        cli_table_cell_sb(t, &sb);
        cli_table_end_row(t);
    }
    cli_table_print(cli, t);
    sb_free(&sb);
    free(rows);
    return 0;
}

static void bytes_cell(struct cli_table *t, struct pmat_sb *sb, uint64_t n)
{
    pmat_format_bytes(n, sb);
    cli_table_cell_sb(t, sb);
}

/* The first cell of a count row: the kind, an indented package / "(others)" /
 * SCALAR desc, or (after a rule) "(total)".  Shared with pmat-counts. */
void count_label_cell(struct cli *cli, struct cli_table *t, struct pmat_sb *sb,
                      const struct pmat_count_row *r)
{
    switch (r->type) {
    case PMAT_COUNT_PACKAGE:
        sb_puts(sb, "    ");
        cli_fmt_symbol(cli, sb, r->label);
        break;
    case PMAT_COUNT_OTHERS:
        sb_puts(sb, "    ");
        cli_fmt_note(cli, sb, r->label, 0);
        break;
    case PMAT_COUNT_DESC:
        sb_puts(sb, "  ");
        sb_puts(sb, r->label);
        break;
    case PMAT_COUNT_TOTAL:
        cli_table_rule(t);
        /* fall through */
    case PMAT_COUNT_KIND:
        sb_puts(sb, r->label);
        break;
    }
    cli_table_cell_sb(t, sb);
}

static int cmd_count(struct cli *cli, struct cli_args *a)
{
    if (cli_flag(a, "retained")) return count_retained(cli);
    struct pmat_heap *h = cli_heap(cli);
    struct pmat_count_opts o = {
        .blessed = cli_flag(a, "blessed"),
        .scalars = cli_flag(a, "scalars"),
        .metric = cli_flag(a, "owned")    ? PMAT_SIZE_OWNED
                  : cli_flag(a, "struct") ? PMAT_SIZE_STRUCTURE
                                          : PMAT_SIZE_PLAIN,
    };
    struct pmat_count c;
    if (pmat_count(h, &o, &c) < 0) return cli_error(cli, "Out of memory");

    struct cli_table *t = cli_table_new();
    cli_table_headings(t, 5, (const char *[]){ "Kind", "Count", "(blessed)", "Bytes", "(blessed)" });
    cli_table_align(t, "lrrrr");
    cli_table_seps(t, 4, (const char *[]){ "    ", " ", "    ", " " });
    cli_table_indent(t, 2);
    struct pmat_sb sb;
    sb_init(&sb);
    for (size_t i = 0; i < c.nrows; i++) {
        const struct pmat_count_row *r = &c.rows[i];
        count_label_cell(cli, t, &sb, r);
        cli_table_cell(t, "%llu", (unsigned long long)r->svs);
        if (r->blessed_svs)
            cli_table_cell(t, "%llu", (unsigned long long)r->blessed_svs);
        else
            cli_table_cell(t, "%s", "");
        bytes_cell(t, &sb, r->bytes);
        if (r->blessed_bytes)
            bytes_cell(t, &sb, r->blessed_bytes);
        else
            cli_table_cell(t, "%s", "");
        cli_table_end_row(t);
    }
    cli_table_print(cli, t);
    sb_free(&sb);
    pmat_count_free(&c);
    return 0;
}

const struct pmat_cmd cmds_count[] = {
    { "count", "Count the various kinds of SV", count_opts, 0, NULL, cmd_count },
    { 0 }
};
