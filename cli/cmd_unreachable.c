/*
 * cmd_unreachable.c — `unreachable` (the memory no root reaches, grouped by class,
 * with the cycle that keeps each alive) and `path` (one shortest path from a root
 * to an SV, Eclipse MAT's "path to GC roots").  Devel::MAT has neither; the
 * analyses are lib/unreachable.c and lib/dominators.c, this file renders.
 */
#include "cli.h"
#include "cmd_unreachable.h"
#include "pmat_dominators.h"
#include "pmat_refs.h"
#include "pmat_unreachable.h"

#include <stdlib.h>
#include <string.h>

/* "1.2 KiB in 12 SVs" */
static void fmt_size_svs(struct pmat_sb *sb, uint64_t bytes, uint64_t svs)
{
    pmat_format_bytes(bytes, sb);
    sb_printf(sb, " in %llu SV%s", (unsigned long long)svs, svs == 1 ? "" : "s");
}

/* The class of a component: its top SV's package, else its kind. */
static void fmt_class(struct cli *cli, struct pmat_sb *sb, uint32_t stash, const char *kind)
{
    struct pmat_str name;
    if (stash != PMAT_NONE && pmat_stash_name(cli_heap(cli), stash, &name)) {
        struct pmat_sb n;
        sb_init(&n);
        sb_putn(&n, (const char *)name.ptr, name.len);
        cli_fmt_symbol(cli, sb, sb_str(&n));
        sb_free(&n);
    } else if (stash != PMAT_NONE) {
        cli_fmt_sv(cli, sb, stash);
    } else {
        sb_puts(sb, kind);
    }
}

/* One line of an identify-style chain: PREFIX└─NAME of SV, which is:  */
static void chain_line(struct cli *cli, struct pmat_sb *sb, const char *indent, size_t level,
                       uint32_t src, uint64_t edge, const char *tail)
{
    struct pmat_heap *h = cli_heap(cli);
    char name[512];
    pmat_ref_name(h, src, edge, name, sizeof name);
    sb_reset(sb);
    sb_puts(sb, indent);
    for (size_t k = 0; k < level; k++)
        sb_puts(sb, "  ");
    sb_puts(sb, "└─");
    sb_puts(sb, name);
    sb_puts(sb, " of ");
    cli_fmt_sv(cli, sb, src);
    sb_puts(sb, tail);
    sb_putc(sb, '\n');
    cli_puts(cli, sb_str(sb));
}

/* A chain of steps read backwards as identify reads: the SV the last step leads to
 * is the NAME of the last step's SV, which is the NAME of ..., up to v[0].  Lines
 * start at `level`; the first step's line ends with `last_tail`.  Returns the
 * level after the chain. */
static size_t print_chain(struct cli *cli, const struct pmat_path *p, const char *indent,
                          size_t level, const char *last_tail)
{
    struct pmat_sb sb;
    sb_init(&sb);
    for (size_t i = p->n; i-- > 0; level++)
        chain_line(cli, &sb, indent, level, p->v[i].sv, p->v[i].edge,
                   i ? ", which is:" : last_tail);
    sb_free(&sb);
    return level;
}

/* The cycle through v[0]: it is the NAME of ..., back to itself. */
static void print_cycle(struct cli *cli, const struct pmat_path *p, const char *indent,
                        size_t level)
{
    print_chain(cli, p, indent, level, ", which closes the cycle");
}

/* "kept alive by a cycle of 5 SVs" and friends, after the component's size. */
static int why_text(struct cli *cli, uint32_t sv, struct pmat_sb *sb, struct pmat_unreach_why *w)
{
    struct pmat_heap *h = cli_heap(cli);
    int rc = pmat_unreach_why(h, sv, w);
    if (rc <= 0) return rc;
    switch (w->cause) {
    case PMAT_UC_CYCLE:
        sb_printf(sb, "kept alive by a cycle of %u SV%s", w->cycle_svs,
                  w->cycle_svs == 1 ? "" : "s");
        if (w->scc_svs > w->cycle_svs)
            sb_printf(sb, " (among %u SVs that all refer to one another)", w->scc_svs);
        break;
    case PMAT_UC_REFCOUNT:
        sb_printf(sb,
                  "kept alive by a reference count (%u) no reference accounts for "
                  "(a leak, or held from C)",
                  h->refcnt[w->component]);
        break;
    case PMAT_UC_SHARED:
        sb_printf(sb, "kept alive by %u unreachable SV%s of other components", w->holders,
                  w->holders == 1 ? "" : "s");
        break;
    }
    return 1;
}

/* A component: its top SV, size, why it is alive and, for a cycle, the cycle. */
static int print_component(struct cli *cli, uint32_t c, const char *indent)
{
    struct pmat_heap *h = cli_heap(cli);
    const struct pmat_dominators *d = pmat_dominators(h);
    struct pmat_sb sb;
    sb_init(&sb);
    struct pmat_unreach_why w;
    sb_puts(&sb, indent);
    cli_fmt_sv(cli, &sb, c);
    sb_puts(&sb, ": ");
    fmt_size_svs(&sb, d->retained[c], d->count[c]);
    sb_puts(&sb, ", ");
    if (why_text(cli, c, &sb, &w) < 0) {
        sb_free(&sb);
        return cli_error(cli, "Out of memory");
    }
    sb_puts(&sb, w.cause == PMAT_UC_CYCLE ? ":\n" : "\n");
    cli_puts(cli, sb_str(&sb));
    sb_free(&sb);
    if (w.cause != PMAT_UC_CYCLE) return 0;
    struct pmat_path p;
    int rc = pmat_unreach_cycle(h, c, &p);
    if (rc < 0) return cli_error(cli, "Out of memory");
    print_cycle(cli, &p, indent, 0);
    pmat_path_free(&p);
    return 0;
}

/* unreachable [-v] [-c N]: the groups table, then (-v) one component per group */
static int cmd_unreachable(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    const struct pmat_dominators *d = pmat_dominators(h);
    if (!d) return cli_error(cli, "Out of memory computing the dominator tree");
    struct pmat_unreach_group *g;
    uint64_t ng;
    if (pmat_unreach_groups(h, &g, &ng) < 0) return cli_error(cli, "Out of memory");
    long long max = cli_int(a, "count");
    uint64_t shown = max < 0 || (uint64_t)max > ng ? ng : (uint64_t)max;
    uint64_t ncomp = 0;
    for (uint64_t i = 0; i < ng; i++)
        ncomp += g[i].components;
    struct pmat_sb sb;
    sb_init(&sb);
    sb_puts(&sb, "unreachable: ");
    fmt_size_svs(&sb, d->unreachable_size, d->unreachable);
    sb_printf(&sb, " (%llu bytes), %llu component%s\n", (unsigned long long)d->unreachable_size,
              (unsigned long long)ncomp, ncomp == 1 ? "" : "s");
    cli_puts(cli, sb_str(&sb));
    sb_reset(&sb);
    if (!ng) {
        sb_free(&sb);
        return 0;
    }
    struct cli_table *t = cli_table_new();
    cli_table_headings(t, 4, (const char *[]){"Class", "Components", "SVs", "Bytes"});
    cli_table_align(t, "lrrr");
    cli_table_seps(t, 3, (const char *[]){"    ", "    ", "    "});
    cli_table_indent(t, 2);
    for (uint64_t i = 0; i < shown; i++) {
        fmt_class(cli, &sb, g[i].stash, g[i].kind);
        cli_table_cell_sb(t, &sb);
        cli_table_cell(t, "%llu", (unsigned long long)g[i].components);
        cli_table_cell(t, "%llu", (unsigned long long)g[i].svs);
        pmat_format_bytes(g[i].bytes, &sb);
        cli_table_cell_sb(t, &sb);
        cli_table_end_row(t);
    }
    if (shown < ng) {
        uint64_t c = 0, s = 0, b = 0;
        for (uint64_t i = shown; i < ng; i++)
            c += g[i].components, s += g[i].svs, b += g[i].bytes;
        sb_printf(&sb, "(%llu more)", (unsigned long long)(ng - shown));
        cli_table_cell_sb(t, &sb);
        cli_table_cell(t, "%llu", (unsigned long long)c);
        cli_table_cell(t, "%llu", (unsigned long long)s);
        pmat_format_bytes(b, &sb);
        cli_table_cell_sb(t, &sb);
        cli_table_end_row(t);
    }
    cli_table_print(cli, t);
    int rc = 0;
    for (uint64_t i = 0; cli_flag(a, "verbose") && i < shown && rc == 0; i++) {
        if (cli_interrupted(cli)) {
            rc = -1;
            break;
        }
        sb_reset(&sb);
        sb_putc(&sb, '\n');
        fmt_class(cli, &sb, g[i].stash, g[i].kind);
        sb_printf(&sb, ": %s of %llu component%s:\n",
                  g[i].components == 1 ? "the only one" : "the largest",
                  (unsigned long long)g[i].components, g[i].components == 1 ? "" : "s");
        cli_puts(cli, sb_str(&sb));
        rc = print_component(cli, g[i].example, "");
    }
    sb_free(&sb);
    free(g);
    return rc;
}

/* path SV: one shortest chain of strong references from a root, read from the SV
 * upwards as identify reads; for an unreachable SV, what keeps it alive instead. */
static int cmd_path(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    uint32_t sv = cli_sv(a);
    const struct pmat_dominators *d = pmat_dominators(h);
    if (!d) return cli_error(cli, "Out of memory computing the dominator tree");
    struct pmat_sb sb;
    sb_init(&sb);
    cli_fmt_sv(cli, &sb, sv);
    if (pmat_dom_is_unreachable(d, sv)) {
        struct pmat_unreach_why w;
        sb_puts(&sb, " is unreachable from the roots");
        int r = 0;
        if (sv < h->nsv) {
            sb_puts(&sb, "; ");
            r = why_text(cli, sv, &sb, &w);
            if (r < 0) {
                sb_free(&sb);
                return cli_error(cli, "Out of memory");
            }
            if (r && w.component != sv) {
                sb_puts(&sb, " through ");
                cli_fmt_sv(cli, &sb, w.component);
            }
        }
        if (r && (w.component != sv || w.cause == PMAT_UC_CYCLE)) sb_putc(&sb, ':');
        sb_putc(&sb, '\n');
        cli_puts(cli, sb_str(&sb));
        sb_free(&sb);
        if (!r) return 0;
        /* from the component's top down to sv, then the cycle that keeps the top */
        struct pmat_path down, cyc = {0};
        if (pmat_path_between(h, w.component, sv, &down) < 0)
            return cli_error(cli, "Out of memory");
        size_t level = print_chain(cli, &down, "", 0, ", which is:");
        pmat_path_free(&down);
        if (w.cause == PMAT_UC_CYCLE) {
            if (pmat_unreach_cycle(h, w.component, &cyc) < 0)
                return cli_error(cli, "Out of memory");
            print_cycle(cli, &cyc, "", level);
            pmat_path_free(&cyc);
        }
        return 0;
    }
    struct pmat_path p;
    int r = pmat_shortest_path(h, sv, &p);
    if (r < 0) {
        sb_free(&sb);
        return cli_error(cli, "Out of memory");
    }
    if (r == 0) {
        sb_free(&sb);
        return cli_error(cli, "No path from the roots found");
    }
    sb_printf(&sb, " is reached from the roots by %zu reference%s:\n", p.n - 1,
              p.n == 2 ? "" : "s");
    cli_puts(cli, sb_str(&sb));
    p.n--; /* the last step is sv itself */
    size_t level = print_chain(cli, &p, "", 0, ", which is:");
    sb_reset(&sb);
    for (size_t k = 0; k < level; k++)
        sb_puts(&sb, "  ");
    sb_puts(&sb, "└─");
    sb_puts(&sb, p.root);
    sb_putc(&sb, '\n');
    cli_puts(cli, sb_str(&sb));
    sb_free(&sb);
    pmat_path_free(&p);
    return 0;
}

/* For identify: the line it prints above its tree for an unreachable SV (nothing
 * for a reachable one).  0, or -1 on out of memory. */
int unreachable_identify_note(struct cli *cli, uint32_t sv)
{
    struct pmat_heap *h = cli_heap(cli);
    if (sv >= h->nsv) return 0;
    const struct pmat_dominators *d = pmat_dominators(h);
    if (!d) return -1;
    if (!pmat_dom_is_unreachable(d, sv)) return 0;
    struct pmat_sb sb;
    sb_init(&sb);
    struct pmat_unreach_why w;
    sb_puts(&sb, "unreachable: ");
    int r = why_text(cli, sv, &sb, &w);
    if (r > 0 && w.component != sv) {
        sb_puts(&sb, " through ");
        cli_fmt_sv(cli, &sb, w.component);
    }
    sb_putc(&sb, '\n');
    if (r > 0) cli_puts(cli, sb_str(&sb));
    sb_free(&sb);
    return r < 0 ? -1 : 0;
}

static const struct cli_opt unreachable_opts[] = {
    {"verbose", 'v', CLI_FLAG, "show each group's largest component and its cycle", NULL},
    {"count", 'c', CLI_INT, "maximum number of groups shown (-1: all)", "20"},
    {0},
};

const struct pmat_cmd cmds_unreachable[] = {
    {"unreachable", "Show the memory no root reaches (leaked cycles), grouped by class",
     unreachable_opts, 0, NULL, cmd_unreachable},
    {"path", "Show one shortest path of references from a root to an SV", NULL, 1, NULL, cmd_path},
    {0},
};
