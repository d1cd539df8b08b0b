/*
 * cmd_count.c — `count`: the heap counted by kind (Devel::MAT::Tool::Count).
 * The numbers come from lib/count.c; this file only renders the table.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_count.h"
#include "pmat_dominators.h"
#include "pmat_count.h"

static const struct cli_opt count_opts[] = {
    {"blessed", 'b', CLI_FLAG, "classify blessed references per package", NULL},
    {"scalars", 'S', CLI_FLAG, "classify SCALARs according to present fields", NULL},
    {"struct", 0, CLI_FLAG, "sum SVs by structural size", NULL},
    {"owned", 0, CLI_FLAG, "sum SVs by owned size", NULL},
    {"retained", 0, CLI_FLAG,
     "retained size by blessed class (top of the dominator tree, unreachable ones apart)", NULL},
    {"all", 0, CLI_FLAG, "with -b: list every package, not only the 10 most numerous per kind",
     NULL},
    {"package", 0, CLI_STR, "with -b: list only packages matching REGEX (the rest in (others))",
     NULL},
    {0}};

/* count --retained: Eclipse MAT's retained-by-class histogram.  For each package, its
 * objects' plain size and what its topmost objects (those no object of the same class
 * dominates) keep alive, largest first; objects no root reaches are counted in the
 * tree of the unreachable components, and shown apart in the last column. */
static int count_retained(struct cli *cli)
{
    struct pmat_heap *h = cli_heap(cli);
    uint64_t n;
    struct pmat_dom_class *rows;
    if (pmat_dom_by_class(h, &rows, &n) < 0) return cli_error(cli, "Out of memory");
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

int count_package_re_compile(struct count_package_re *r, const char *pattern, char *err,
                             size_t errlen)
{
    int code;
    PCRE2_SIZE off;
    r->md = NULL;
    r->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
    if (!r->re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(err, errlen, "--package: %s in regex; marked by <-- HERE in m/%.*s <-- HERE %s/",
                 msg, (int)off, pattern, pattern + off);
        return -1;
    }
    if (!(r->md = pcre2_match_data_create_from_pattern(r->re, NULL))) {
        pcre2_code_free(r->re);
        r->re = NULL;
        snprintf(err, errlen, "Out of memory");
        return -1;
    }
    return 0;
}

int count_package_ok(void *ud, const uint8_t *name, size_t len)
{
    struct count_package_re *r = ud;
    return pcre2_match(r->re, name, len, 0, 0, r->md, NULL) >= 0;
}

void count_package_re_free(struct count_package_re *r)
{
    pcre2_match_data_free(r->md);
    pcre2_code_free(r->re);
    r->re = r->md = NULL;
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
    o.all_packages = cli_flag(a, "all");
    const char *pkg = cli_str(a, "package");
    struct count_package_re re = {NULL, NULL};
    if ((o.all_packages || pkg) && !o.blessed)
        return cli_error(cli, "--all and --package list packages: use them with -b");
    if (pkg) {
        char err[512];
        if (count_package_re_compile(&re, pkg, err, sizeof err) < 0)
            return cli_error(cli, "%s", err);
        o.package_ok = count_package_ok, o.package_ud = &re;
    }
    struct pmat_count c;
    int rc = pmat_count(h, &o, &c);
    if (pkg) count_package_re_free(&re);
    if (rc < 0) return cli_error(cli, "Out of memory");

    struct cli_table *t = cli_table_new();
    cli_table_headings(t, 5, (const char *[]){"Kind", "Count", "(blessed)", "Bytes", "(blessed)"});
    cli_table_align(t, "lrrrr");
    cli_table_seps(t, 4, (const char *[]){"    ", " ", "    ", " "});
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
    {"count", "Count the various kinds of SV", count_opts, 0, NULL, cmd_count}, {0}};
