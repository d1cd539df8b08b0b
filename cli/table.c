/*
 * table.c — Devel::MAT's table printer (Devel::MAT::Cmd print_table) and the tree-drawing helpers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"

struct row {
    char **cells;
    int n; /* 0 = a rule */
};

struct cli_table {
    struct row *rows;
    size_t nrows, cap;
    char **head;
    int nhead;
    char *align; /* 'l' / 'r' per column */
    char **seps;
    int nseps; /* 0: one separator for all, seps[0] (NULL = " ") */
    int indent;
    struct row cur; /* row being built by cli_table_cell() */
};

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) abort();
    return p;
}

static char *xstrdup(const char *s)
{
    char *r = strdup(s ? s : "");
    if (!r) abort();
    return r;
}

struct cli_table *cli_table_new(void)
{
    struct cli_table *t = calloc(1, sizeof *t);
    if (!t) abort();
    return t;
}

static void free_row(struct row *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->cells[i]);
    free(r->cells);
    r->cells = NULL;
    r->n = 0;
}

void cli_table_free(struct cli_table *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->nrows; i++)
        free_row(&t->rows[i]);
    free(t->rows);
    for (int i = 0; i < t->nhead; i++)
        free(t->head[i]);
    free(t->head);
    for (int i = 0; i < (t->nseps < 0 ? 1 : t->nseps); i++) /* -1: one for all */
        free(t->seps[i]);
    free(t->seps);
    free(t->align);
    free_row(&t->cur);
    free(t);
}

void cli_table_headings(struct cli_table *t, int n, const char *const *cells)
{
    for (int i = 0; i < t->nhead; i++)
        free(t->head[i]);
    t->head = xrealloc(t->head, (size_t)n * sizeof *t->head);
    for (int i = 0; i < n; i++)
        t->head[i] = xstrdup(cells[i]);
    t->nhead = n;
}

void cli_table_align(struct cli_table *t, const char *lr)
{
    free(t->align);
    t->align = xstrdup(lr);
}

void cli_table_sep(struct cli_table *t, const char *sep)
{
    cli_table_seps(t, 1, &sep);
    t->nseps = -1; /* marks "one for all"; seps[0] holds it */
}

void cli_table_seps(struct cli_table *t, int n, const char *const *seps)
{
    int old = t->nseps < 0 ? 1 : t->nseps;
    for (int i = 0; i < old; i++)
        free(t->seps[i]);
    t->seps = xrealloc(t->seps, (size_t)n * sizeof *t->seps);
    for (int i = 0; i < n; i++)
        t->seps[i] = xstrdup(seps[i]);
    t->nseps = n;
}

void cli_table_indent(struct cli_table *t, int n)
{
    t->indent = n < 0 ? 0 : n;
}

static void push_row(struct cli_table *t, struct row r)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
    }
    t->rows[t->nrows++] = r;
}

static void cur_push(struct cli_table *t, char *cell)
{
    t->cur.cells = xrealloc(t->cur.cells, (size_t)(t->cur.n + 1) * sizeof *t->cur.cells);
    t->cur.cells[t->cur.n++] = cell;
}

void cli_table_add(struct cli_table *t, const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    for (const char *c = first; c; c = va_arg(ap, const char *))
        cur_push(t, xstrdup(c));
    va_end(ap);
    cli_table_end_row(t);
}

void cli_table_cell(struct cli_table *t, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = xrealloc(NULL, (size_t)(n < 0 ? 0 : n) + 1);
    if (n < 0)
        *s = 0;
    else
        vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    cur_push(t, s);
}

void cli_table_cell_sb(struct cli_table *t, struct pmat_sb *sb)
{
    cur_push(t, xstrdup(sb->len ? sb_str(sb) : ""));
    sb_reset(sb);
}

void cli_table_end_row(struct cli_table *t)
{
    push_row(t, t->cur);
    t->cur.cells = NULL;
    t->cur.n = 0;
}

void cli_table_rule(struct cli_table *t)
{
    struct row r = {NULL, 0};
    push_row(t, r);
}

size_t cli_table_rows(const struct cli_table *t)
{
    return t->nrows;
}

static void pad(struct pmat_sb *sb, size_t n)
{
    while (n--)
        sb_putc(sb, ' ');
}

/* Lays out like Devel::MAT's print_table: widths are per-column maxima over
 * every row (headings included); every cell is padded to its width except a
 * left-aligned last column; an empty row is a rule of dashes. */
void cli_table_print(struct cli *cli, struct cli_table *t)
{
    struct row head = {NULL, 0};
    struct pmat_sb sb;
    sb_init(&sb);
    if (t->cur.n) cli_table_end_row(t);
    if (t->nhead) {
        head.cells = xrealloc(NULL, (size_t)t->nhead * sizeof *head.cells);
        for (int i = 0; i < t->nhead; i++) {
            cli_fmt_heading(cli, &sb, t->head[i], 1);
            head.cells[i] = xstrdup(sb.len ? sb_str(&sb) : "");
            sb_reset(&sb);
        }
        head.n = t->nhead;
    }
    size_t total = t->nrows + (t->nhead ? 1 : 0);
    if (!total) goto done;

    int cols = head.n;
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].n > cols) cols = t->rows[i].n;
    size_t *width = calloc((size_t)cols + 1, sizeof *width);
    if (!width) abort();
    for (size_t i = 0; i < total; i++) {
        const struct row *r = t->nhead ? (i ? &t->rows[i - 1] : &head) : &t->rows[i];
        for (int c = 0; c < r->n; c++) {
            size_t w = cli_text_width(r->cells[c]);
            if (w > width[c]) width[c] = w;
        }
    }
    for (size_t i = 0; i < total; i++) {
        const struct row *r = t->nhead ? (i ? &t->rows[i - 1] : &head) : &t->rows[i];
        pad(&sb, (size_t)t->indent);
        for (int c = 0; c < cols; c++) {
            int right = t->align && (int)strlen(t->align) > c && t->align[c] == 'r';
            if (c) {
                const char *sep = " ";
                if (t->nseps < 0)
                    sep = t->seps[0];
                else if (t->nseps > 0)
                    sep = c - 1 < t->nseps ? t->seps[c - 1] : "";
                sb_puts(&sb, sep);
            }
            if (!r->n) {
                for (size_t k = 0; k < width[c]; k++)
                    sb_putc(&sb, '-');
                continue;
            }
            const char *cell = c < r->n ? r->cells[c] : "";
            size_t w = cli_text_width(cell);
            size_t fill = width[c] > w ? width[c] - w : 0;
            if (right) pad(&sb, fill);
            sb_puts(&sb, cell);
            if (!right && c < cols - 1) pad(&sb, fill);
        }
        sb_putc(&sb, '\n');
        cli_write(cli, sb_str(&sb), sb.len);
        sb_reset(&sb);
    }
    free(width);
done:
    free_row(&head);
    sb_free(&sb);
    cli_table_free(t);
}

/* ---- trees ---- */

void cli_tree_init(struct cli_tree *t)
{
    memset(t, 0, sizeof *t);
    sb_init(&t->prefix);
}

void cli_tree_free(struct cli_tree *t)
{
    sb_free(&t->prefix);
    free(t->stack);
    memset(t, 0, sizeof *t);
}

void cli_tree_indent(struct cli *cli, const struct cli_tree *t)
{
    if (t->prefix.len) cli_write(cli, t->prefix.buf, t->prefix.len);
}

void cli_tree_branch(struct cli *cli, const struct cli_tree *t, int last)
{
    cli_tree_indent(cli, t);
    cli_puts(cli, last ? "\xe2\x94\x94\xe2\x94\x80" : "\xe2\x94\x9c\xe2\x94\x80"); /* └─ ├─ */
}

void cli_tree_push(struct cli_tree *t, int last)
{
    if (t->depth == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->stack = xrealloc(t->stack, (size_t)t->cap * sizeof *t->stack);
    }
    t->stack[t->depth++] = t->prefix.len;
    sb_puts(&t->prefix, last ? "  " : "\xe2\x94\x82 "); /* │ */
}

void cli_tree_pop(struct cli_tree *t)
{
    if (t->depth > 0) {
        t->prefix.len = t->stack[--t->depth];
        if (t->prefix.buf) t->prefix.buf[t->prefix.len] = 0;
    }
}
