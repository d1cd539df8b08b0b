/*
 * main_pmat-counts.c — `pmat-counts [--blessed|-b] [--scalars|-S] [--struct] [--owned] FILE...`
 *
 * The `count` table of each dump in turn, with the change since the previous
 * dump after every number, as Devel::MAT 0.51's pmat-counts prints it.  The
 * previous values are kept per (row label, blessed column) across the whole
 * run, in table order — so rows sharing a label (a package blessed into two
 * kinds, "(others)") compare against each other, exactly as 0.51 does.
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
    cli_table_headings(t, 9,
                       (const char *[]){"Kind", "Count", "", "(blessed)", "", "Bytes", "",
                                        "(blessed)", ""});
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
static int parse_args(int argc, char **argv, struct pmat_count_opts *o, const char **files,
                      int *nfiles)
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
        else {
            fprintf(stderr, "No such option '--%s'\n", name);
            return -1;
        }
    }
    for (; i < argc; i++) files[(*nfiles)++] = argv[i];
    o->metric = owned ? PMAT_SIZE_OWNED : structure ? PMAT_SIZE_STRUCTURE : PMAT_SIZE_PLAIN;
    return 0;
}

int main(int argc, char **argv)
{
    struct pmat_count_opts opts;
    memset(&opts, 0, sizeof opts);
    const char **files = malloc(((size_t)argc + 1) * sizeof *files);
    int nfiles;
    if (!files) return 2;
    if (parse_args(argc, argv, &opts, files, &nfiles) < 0) {
        free(files);
        return 255;
    }
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
        fflush(stdout);
        cli_release(&cli);
        pmat_free(h);
    }
    fflush(stdout);
    for (size_t i = 0; i < lv.n; i++) free(lv.v[i].label);
    free(lv.v);
    free(files);
    return status;
}
