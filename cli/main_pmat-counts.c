/*
 * main_pmat-counts.c — `pmat-counts [--blessed|-b] [--scalars|-S] [--struct] [--owned]
 *                      [--all] [--package REGEX] [--sort growth] FILE...`
 *
 * The `count` table of each dump in turn, with the change since the previous
 * dump after every number, as Devel::MAT 0.51's pmat-counts prints it.  The
 * previous values are kept per (row label, blessed column) across the whole
 * run, in table order — so rows sharing a label (a package blessed into two
 * kinds, "(others)") compare against each other, exactly as 0.51 does.
 * --all, --package, --sort growth, --help and --version are our additions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_count.h"
#include "cli_int.h"
#include "leaktools.h"
#include "pmat_count.h"

static const char *const prog = "pmat-counts";

static const char usage[] =
    "Usage: pmat-counts [OPTIONS] FILE...\n"
    "\n"
    "The `count` table of each dump, with the change since the previous dump after\n"
    "every number.\n"
    "\n"
    "Options:\n"
    "  -b, --blessed      a row per package under each kind (the 10 most numerous)\n"
    "  -S, --scalars      a row per kind of SCALAR\n"
    "  --struct           sum structural sizes\n"
    "  --owned            sum owned sizes\n"
    "  --all              with -b: every package\n"
    "  --package REGEX    with -b: only the packages matching REGEX\n"
    "  --sort growth      with -b: packages that grew most since the previous dump first\n"
    "  --help             print this help and exit\n"
    "  --version          print the version and exit\n";

/* --sort growth: every package's object count in the previous dump. */
struct pkg_count {
    char *name;
    uint64_t svs, bytes;
};
struct pkg_counts {
    struct pkg_count *v;
    size_t n;
};

static int64_t growth_of(void *ud, const uint8_t *name, size_t len, uint64_t svs)
{
    const struct pkg_counts *pc = ud;
    uint64_t prev = 0;
    for (size_t i = 0; i < pc->n; i++)
        if (strlen(pc->v[i].name) == len && !memcmp(pc->v[i].name, name, len)) prev += pc->v[i].svs;
    return (int64_t)svs - (int64_t)prev;
}

static void pkg_counts_free(struct pkg_counts *pc)
{
    for (size_t i = 0; i < pc->n; i++)
        free(pc->v[i].name);
    free(pc->v);
    pc->v = NULL, pc->n = 0;
}

/* Every package's count in this dump, for the next dump's growth. */
static int pkg_counts_take(struct pmat_heap *h, const struct pmat_count_opts *display,
                           struct pkg_counts *pc)
{
    struct pmat_count_opts o = *display;
    o.all_packages = 1, o.package_ok = NULL, o.growth = NULL;
    struct pmat_count c;
    if (pmat_count(h, &o, &c) < 0) return -1;
    pkg_counts_free(pc);
    pc->v = calloc(c.nrows ? c.nrows : 1, sizeof *pc->v);
    if (!pc->v) {
        pmat_count_free(&c);
        return -1;
    }
    for (size_t i = 0; i < c.nrows; i++) {
        if (c.rows[i].type != PMAT_COUNT_PACKAGE) continue;
        if (!(pc->v[pc->n].name = strdup(c.rows[i].label))) break;
        pc->v[pc->n].svs = c.rows[i].blessed_svs;
        pc->v[pc->n++].bytes = c.rows[i].blessed_bytes;
    }
    pmat_count_free(&c);
    return 0;
}

/* The last value seen per (label, blessed column, count-or-bytes). */
struct last_value {
    char *label;
    int column; /* 0 count, 1 blessed count, 2 bytes, 3 blessed bytes */
    uint64_t value;
};

struct last_values {
    struct last_value *v;
    size_t n, cap;
};

static struct last_value *last_find(struct last_values *lv, const char *label, int column)
{
    for (size_t i = 0; i < lv->n; i++)
        if (lv->v[i].column == column && !strcmp(lv->v[i].label, label)) return &lv->v[i];
    return NULL;
}

/* Record value under (label, column); returns the previous one through *prev (0 when none). */
static int last_swap(struct last_values *lv, const char *label, int column, uint64_t value,
                     uint64_t *prev)
{
    struct last_value *e = last_find(lv, label, column);
    if (e) {
        *prev = e->value;
        e->value = value;
        return 1;
    }
    if (lv->n == lv->cap) {
        size_t cap = lv->cap ? lv->cap * 2 : 64;
        struct last_value *v = realloc(lv->v, cap * sizeof *v);
        char *copy = strdup(label);
        if (!v || !copy) {
            fprintf(stderr, "%s: out of memory\n", prog);
            exit(2);
        }
        lv->v = v, lv->cap = cap;
        lv->v[lv->n].label = copy;
    } else {
        lv->v[lv->n].label = strdup(label);
        if (!lv->v[lv->n].label) {
            fprintf(stderr, "%s: out of memory\n", prog);
            exit(2);
        }
    }
    lv->v[lv->n].column = column;
    lv->v[lv->n].value = value;
    lv->n++;
    *prev = 0;
    return 0;
}

/* Green for growth, red for shrinking (Devel::MAT's fgindex 2 / 1). */
static void delta_cell(struct cli *cli, struct cli_table *t, struct pmat_sb *sb, int grew,
                       const char *text)
{
    if (cli_colour(cli))
        sb_printf(sb, "\033[%sm%s\033[m", grew ? "32" : "31", text);
    else
        sb_puts(sb, text);
    cli_table_cell_sb(t, sb);
}

/* The value cell and its delta cell for one number (0.51's emit_count / emit_bytes). */
static void value_cells(struct cli *cli, struct cli_table *t, struct pmat_sb *sb,
                        struct last_values *lv, const char *label, int column, uint64_t value)
{
    uint64_t prev;
    int had = last_swap(lv, label, column, value, &prev);
    int is_bytes = column >= 2;
    if (!value && !prev) {
        cli_table_cell(t, "%s", "");
        cli_table_cell(t, "%s", "");
        return;
    }
    if (is_bytes)
        pmat_format_bytes(value, sb);
    else
        sb_printf(sb, "%llu", (unsigned long long)value);
    cli_table_cell_sb(t, sb);
    if (!had || value == prev) {
        cli_table_cell(t, "%s", "");
        return;
    }
    uint64_t diff = value > prev ? value - prev : prev - value;
    struct pmat_sb text;
    sb_init(&text);
    sb_puts(&text, value > prev ? "(+" : "(-");
    if (is_bytes)
        pmat_format_bytes(diff, &text);
    else
        sb_printf(&text, "%llu", (unsigned long long)diff);
    sb_putc(&text, ')');
    delta_cell(cli, t, sb, value > prev, sb_str(&text));
    sb_free(&text);
}

static void print_counts(struct cli *cli, const struct pmat_count *c, struct last_values *lv)
{
    struct cli_table *t = cli_table_new();
    cli_table_headings(
        t, 9, (const char *[]){"Kind", "Count", "", "(blessed)", "", "Bytes", "", "(blessed)", ""});
    cli_table_align(t, "lrlrlrlrl");
    cli_table_seps(t, 8, (const char *[]){"    ", "", " ", "", "    ", "", " ", ""});
    cli_table_indent(t, 2);
    struct pmat_sb sb;
    sb_init(&sb);
    for (size_t i = 0; i < c->nrows; i++) {
        const struct pmat_count_row *r = &c->rows[i];
        count_label_cell(cli, t, &sb, r);
        value_cells(cli, t, &sb, lv, r->label, 0, r->svs);
        value_cells(cli, t, &sb, lv, r->label, 1, r->blessed_svs);
        value_cells(cli, t, &sb, lv, r->label, 2, r->bytes);
        value_cells(cli, t, &sb, lv, r->label, 3, r->blessed_bytes);
        cli_table_end_row(t);
    }
    cli_table_print(cli, t);
    sb_free(&sb);
}

/* Devel::MAT's option parsing for `count` (get_opts_from_inv): options anywhere until
 * "--", "-X" by alias, "--name" exactly; anything else is a file.  Returns 0, or -1
 * after printing the error. */
struct extra_opts {
    const char *package; /* --package REGEX */
    int sort_growth;
};

static int parse_args(int argc, char **argv, struct pmat_count_opts *o, struct extra_opts *x,
                      const char **files, int *nfiles)
{
    int owned = 0, structure = 0, i = 1;
    *nfiles = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        const char *name = NULL;
        if (a[0] == '-' && a[1] == '-') {
            name = a + 2;
        } else if (a[0] == '-' && a[1] && !a[2]) {
            if (a[1] == 'b')
                name = "blessed";
            else if (a[1] == 'S')
                name = "scalars";
            else {
                fprintf(stderr, "No such option '-%c'\n", a[1]);
                return -1;
            }
        } else {
            files[(*nfiles)++] = a;
            continue;
        }
        if (!strcmp(name, "blessed"))
            o->blessed = 1;
        else if (!strcmp(name, "scalars"))
            o->scalars = 1;
        else if (!strcmp(name, "struct"))
            structure = 1;
        else if (!strcmp(name, "owned"))
            owned = 1;
        else if (!strcmp(name, "all"))
            o->all_packages = 1;
        else if (!strcmp(name, "help")) {
            fputs(usage, stdout);
            return 1;
        } else if (!strcmp(name, "version")) {
            printf("%s %s\n", prog, PMAT_VERSION);
            return 1;
        } else if (!strcmp(name, "package") || !strcmp(name, "sort")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "Option '--%s' requires a value\n", name);
                return -1;
            }
            const char *v = argv[++i];
            if (!strcmp(name, "package")) {
                x->package = v;
            } else if (!strcmp(v, "growth")) {
                x->sort_growth = 1;
            } else if (strcmp(v, "count")) {
                fprintf(stderr, "--sort: expected 'growth' or 'count', not '%s'\n", v);
                return -1;
            }
        } else {
            fprintf(stderr, "No such option '--%s'\n", name);
            return -1;
        }
    }
    for (; i < argc; i++)
        files[(*nfiles)++] = argv[i];
    o->metric = owned ? PMAT_SIZE_OWNED : structure ? PMAT_SIZE_STRUCTURE : PMAT_SIZE_PLAIN;
    return 0;
}

int main(int argc, char **argv)
{
    struct pmat_count_opts opts;
    memset(&opts, 0, sizeof opts);
    struct extra_opts x = {NULL, 0};
    const char **files = malloc(((size_t)argc + 1) * sizeof *files);
    int nfiles;
    if (!files) return 2;
    int prc = parse_args(argc, argv, &opts, &x, files, &nfiles);
    if (prc) {
        free(files);
        return prc > 0 ? 0 : 255;
    }
    if (nfiles == 0) {
        fprintf(stderr, "%s: no dump files given\n%s", prog, usage);
        free(files);
        return 2;
    }
    if ((opts.all_packages || x.package || x.sort_growth) && !opts.blessed) {
        fprintf(stderr, "%s: --all, --package and --sort list packages: use them with -b\n", prog);
        free(files);
        return 2;
    }
    struct count_package_re re = {NULL, NULL};
    if (x.package) {
        char err[512];
        if (count_package_re_compile(&re, x.package, err, sizeof err) < 0) {
            fprintf(stderr, "%s: %s\n", prog, err);
            free(files);
            return 2;
        }
        opts.package_ok = count_package_ok, opts.package_ud = &re;
    }
    struct pkg_counts prev_pkgs = {NULL, 0};
    if (x.sort_growth) opts.growth = growth_of, opts.growth_ud = &prev_pkgs;
    leaktools_buffer_stdout();
    int colour = leaktools_colour();
    struct last_values lv = {0};
    int status = 0;
    /* `while( my $file = $cinv->pull_token )`: a false name ("" or "0") ends the list */
    for (int f = 0; f < nfiles && files[f][0] && strcmp(files[f], "0"); f++) {
        struct cli cli;
        cli_init(&cli, NULL, files[f]);
        cli_set_colour(&cli, colour);
        struct pmat_sb sb;
        sb_init(&sb);
        cli_fmt_heading(&cli, &sb, files[f], 2);
        printf("%s\n", sb_str(&sb));
        sb_free(&sb);
        struct pmat_heap *h = leaktools_load(prog, files[f], 0, NULL);
        if (!h) {
            cli_release(&cli);
            status = 2;
            break;
        }
        cli.heap = h;
        struct pmat_count c;
        if (pmat_count(h, &opts, &c) < 0) {
            fprintf(stderr, "%s: out of memory\n", prog);
            cli_release(&cli);
            pmat_free(h);
            status = 2;
            break;
        }
        print_counts(&cli, &c, &lv);
        pmat_count_free(&c);
        if (x.sort_growth) {
            if (pkg_counts_take(h, &opts, &prev_pkgs) < 0) {
                fprintf(stderr, "%s: out of memory\n", prog);
                status = 2;
            }
            /* the next table's deltas are every package's real growth, also for one
             * listed there for the first time */
            uint64_t old;
            for (size_t p = 0; p < prev_pkgs.n; p++) {
                last_swap(&lv, prev_pkgs.v[p].name, 1, prev_pkgs.v[p].svs, &old);
                last_swap(&lv, prev_pkgs.v[p].name, 3, prev_pkgs.v[p].bytes, &old);
            }
        }
        fflush(stdout);
        cli_release(&cli);
        pmat_free(h);
    }
    fflush(stdout);
    for (size_t i = 0; i < lv.n; i++)
        free(lv.v[i].label);
    free(lv.v);
    free(files);
    pkg_counts_free(&prev_pkgs);
    if (x.package) count_package_re_free(&re);
    return status;
}
