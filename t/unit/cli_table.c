/* Unit tests: the table printer (§4.5), colours (§4.6), tree drawing, width. */
#include "cli_tap.h"

const struct pmat_cmd *cli_find_cmd(const char *name)
{
    (void)name;
    return NULL;
}

const struct pmat_cmd *cli_cmd_at(size_t i)
{
    (void)i;
    return NULL;
}

static struct cli cli;
static struct capture cap;
static struct pmat_sb keep;

static void out_is(const char *want, const char *name)
{
    tap_is(cap_take(&cap, &keep), want, name);
}

int main(void)
{
    sb_init(&keep);
    cap_init(&cli, &cap, NULL);

    /* widths */
    tap_ok(cli_text_width("") == 0, "width empty");
    tap_ok(cli_text_width("abc") == 3, "width ascii");
    tap_ok(cli_text_width("\xe2\x94\x94\xe2\x94\x80x") == 3, "width UTF-8 counts characters");
    tap_ok(cli_text_width("\033[1;33mabc\033[m") == 3, "width ignores SGR");
    tap_ok(cli_text_width("\033[4;36mh\xc3\xa9\033[m!") == 3, "width SGR + UTF-8");

    /* the `count` example of §4.5 */
    struct cli_table *t = cli_table_new();
    cli_table_headings(t, 5, (const char *[]){"Kind", "Count", "(blessed)", "Bytes", "(blessed)"});
    cli_table_align(t, "lrrrr");
    cli_table_seps(t, 4, (const char *[]){"    ", " ", "    ", " "});
    cli_table_indent(t, 2);
    cli_table_add(t, "ARRAY", "403", "", "74.3 KiB", "", NULL);
    cli_table_add(t, "HASH", "103", "2", "165.4 KiB", "248 bytes", NULL);
    cli_table_rule(t);
    cli_table_add(t, "(total)", "10822", "13", "992.8 KiB", "2.1 KiB", NULL);
    tap_ok(cli_table_rows(t) == 4, "row count");
    cli_table_print(&cli, t);
    out_is("  Kind       Count (blessed)        Bytes (blessed)\n"
           "  ARRAY        403               74.3 KiB          \n"
           "  HASH         103         2    165.4 KiB 248 bytes\n"
           "  -------    ----- ---------    --------- ---------\n"
           "  (total)    10822        13    992.8 KiB   2.1 KiB\n",
           "count-style table");

    /* the help list: one separator, left-aligned last column unpadded */
    t = cli_table_new();
    cli_table_sep(t, " - ");
    cli_table_add(t, "callers", "Display the caller stack", NULL);
    cli_table_add(t, "list-dangling-ptrs", "Show pointers", NULL);
    cli_table_add(t, "x", "", NULL);
    cli_table_print(&cli, t);
    out_is("callers            - Display the caller stack\n"
           "list-dangling-ptrs - Show pointers\n"
           "x                  - \n",
           "single separator, no trailing padding");

    /* default separator, short rows padded, right-aligned last column padded */
    t = cli_table_new();
    cli_table_align(t, "lr");
    cli_table_add(t, "a", "1", NULL);
    cli_table_add(t, "bbb", NULL);
    cli_table_add(t, "cc", "12345", NULL);
    cli_table_print(&cli, t);
    out_is("a       1\nbbb      \ncc  12345\n", "default sep, short row, right last column");

    /* per-boundary separators shorter than the column count: missing = "" */
    t = cli_table_new();
    cli_table_seps(t, 1, (const char *[]){"|"});
    cli_table_add(t, "a", "b", "c", NULL);
    cli_table_print(&cli, t);
    out_is("a|bc\n", "missing separators are empty");

    /* an empty table prints nothing; headings alone print */
    t = cli_table_new();
    cli_table_print(&cli, t);
    out_is("", "empty table");
    t = cli_table_new();
    cli_table_headings(t, 2, (const char *[]){"A", "Bee"});
    cli_table_print(&cli, t);
    out_is("A Bee\n", "headings only");

    /* cell-by-cell building and rule in a left-aligned last column */
    t = cli_table_new();
    cli_table_cell(t, "%d", 42);
    cli_table_cell(t, "%s", "x");
    cli_table_end_row(t);
    cli_table_rule(t);
    cli_table_cell(t, "%s", "7");
    cli_table_cell(t, "%s", "long");
    cli_table_print(&cli, t); /* unfinished row is flushed */
    out_is("42 x\n-- ----\n7  long\n", "cells, rule, unfinished row");

    /* UTF-8 cells measure in characters */
    t = cli_table_new();
    cli_table_add(t, "\xc3\xa9\xc3\xa9", "x", NULL);
    cli_table_add(t, "abc", "y", NULL);
    cli_table_print(&cli, t);
    out_is("\xc3\xa9\xc3\xa9  x\nabc y\n", "UTF-8 width");

    /* colour: escapes do not count, headings underlined, notes bold+colour */
    cli_set_colour(&cli, 1);
    struct pmat_sb sb;
    sb_init(&sb);
    t = cli_table_new();
    cli_table_headings(t, 2, (const char *[]){"Name", "N"});
    cli_table_sep(t, " - ");
    cli_fmt_note(&cli, &sb, "Sizes", 0);
    cli_table_cell_sb(t, &sb);
    cli_table_cell(t, "1");
    cli_table_end_row(t);
    cli_table_print(&cli, t);
    out_is("\033[4mName\033[m  - \033[4mN\033[m\n\033[1;33mSizes\033[m - 1\n",
           "coloured table pads outside escapes");
    cli_fmt_note(&cli, &sb, "a", 1);
    cli_fmt_note(&cli, &sb, "b", 2);
    cli_fmt_note(&cli, &sb, "c", 3);
    cli_fmt_heading(&cli, &sb, "h0", 0);
    cli_fmt_heading(&cli, &sb, "h2", 2);
    cli_fmt_symbol(&cli, &sb, "$x");
    cli_fmt_value(&cli, &sb, "1");
    tap_is(sb_str(&sb),
           "\033[1;36ma\033[m\033[1;35mb\033[m\033[1;33mc\033[m\033[1mh0\033[m\033[4;36mh2\033[m"
           "\033[32m$x\033[m\033[95m1\033[m",
           "note / heading / symbol / value escapes");
    sb_reset(&sb);
    cli_out_note(&cli, "No more", 0);
    out_is("\033[1;33mNo more\033[m", "cli_out_note");
    cli_set_colour(&cli, 0);
    cli_fmt_note(&cli, &sb, "plain", 1);
    cli_fmt_heading(&cli, &sb, "h", 1);
    tap_is(sb_str(&sb), "plainh", "no escapes without colour");
    tap_ok(cli_style(&cli) == &pmat_style_plain, "plain style without colour");
    sb_free(&sb);

    /* trees */
    struct cli_tree tr;
    cli_tree_init(&tr);
    cli_puts(&cli, "X is:\n");
    cli_tree_branch(&cli, &tr, 0);
    cli_puts(&cli, "a, which is:\n");
    cli_tree_push(&tr, 0);
    cli_tree_branch(&cli, &tr, 1);
    cli_puts(&cli, "root\n");
    cli_tree_pop(&tr);
    cli_tree_branch(&cli, &tr, 1);
    cli_puts(&cli, "b, which is:\n");
    cli_tree_push(&tr, 1);
    cli_tree_branch(&cli, &tr, 1);
    cli_puts(&cli, "c, which is:\n");
    cli_tree_push(&tr, 1);
    cli_tree_indent(&cli, &tr);
    cli_puts(&cli, "itself\n");
    cli_tree_pop(&tr);
    cli_tree_pop(&tr);
    cli_tree_pop(&tr); /* extra pop is harmless */
    cli_tree_branch(&cli, &tr, 1);
    cli_puts(&cli, "end\n");
    cli_tree_free(&tr);
    out_is("X is:\n"
           "\xe2\x94\x9c\xe2\x94\x80"
           "a, which is:\n"
           "\xe2\x94\x82 \xe2\x94\x94\xe2\x94\x80"
           "root\n"
           "\xe2\x94\x94\xe2\x94\x80"
           "b, which is:\n"
           "  \xe2\x94\x94\xe2\x94\x80"
           "c, which is:\n"
           "    itself\n"
           "\xe2\x94\x94\xe2\x94\x80"
           "end\n",
           "tree drawing");

    /* printf through the sink, long output */
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    cli_printf(&cli, "<%s>", big);
    tap_ok(cap.out.len == sizeof big + 1, "long printf goes through whole");
    sb_reset(&cap.out);

    /* errors and warnings */
    tap_ok(cli_error(&cli, "No such SV at address %x", 0x4d2) == -1, "cli_error returns -1");
    tap_is(cli_last_error(&cli), "No such SV at address 4d2", "error message kept");
    cli_warn(&cli, "careful %d", 1);
    tap_is(sb_str(&cap.err), "careful 1\n", "warning to stderr sink");

    cli_release(&cli);
    sb_free(&keep);
    return tap_done();
}
