/*
 * cmd_basic.c — the shell's own commands: summary, help, more, time, tools,
 * tool.  (exit / quit are handled by the interactive loop.)
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_int.h"

/* ---- summary ---- */

static int cmd_summary(struct cli *cli, struct cli_args *a)
{
    (void)a;
    struct pmat_heap *h = cli_heap(cli);
    char ver[64];
    pmat_perlversion(h, ver, sizeof ver);
    cli_printf(cli, "Perl memory dumpfile from perl %s %s\n", ver,
               h->ithreads ? "threaded" : "non-threaded");
    cli_printf(cli, "Heap contains %lu objects\n", (unsigned long)h->nsv);
    return 0;
}

/* ---- help ---- */

static int by_cmd_name(const void *x, const void *y)
{
    const struct pmat_cmd *const *a = x, *const *b = y;
    return strcmp((*a)->name, (*b)->name);
}

static int by_opt_name(const void *x, const void *y)
{
    const struct cli_opt *const *a = x, *const *b = y;
    return strcmp((*a)->name, (*b)->name);
}

static void help_summary(struct cli *cli)
{
    size_t n = 0;
    while (cli_cmd_at(n))
        n++;
    const struct pmat_cmd **v = malloc((n + 1) * sizeof *v);
    if (!v) abort();
    for (size_t i = 0; i < n; i++)
        v[i] = cli_cmd_at(i);
    qsort(v, n, sizeof *v, by_cmd_name);
    struct cli_table *t = cli_table_new();
    struct pmat_sb sb;
    sb_init(&sb);
    cli_table_sep(t, " - ");
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(v[i]->name, v[i - 1]->name)) continue; /* shadowed duplicate */
        cli_fmt_note(cli, &sb, v[i]->name, 0);
        cli_table_cell_sb(t, &sb);
        cli_table_cell(t, "%s", v[i]->summary ? v[i]->summary : "");
        cli_table_end_row(t);
    }
    cli_table_print(cli, t);
    sb_free(&sb);
    free(v);
}

/* "--long_name" shown with dashes; a one-letter long name shows as "-x" (as
 * Devel::MAT decides by length). */
static void opt_label(struct cli *cli, struct pmat_sb *sb, const char *name)
{
    struct pmat_sb tmp;
    sb_init(&tmp);
    sb_puts(&tmp, strlen(name) > 1 ? "--" : "-");
    for (const char *p = name; *p; p++)
        sb_putc(&tmp, *p == '_' ? '-' : *p);
    cli_fmt_note(cli, sb, sb_str(&tmp), 1);
    sb_free(&tmp);
}

/* The generic SYNOPSIS / OPTIONS / ARGUMENTS part of `help CMD`. */
static void help_generic(struct cli *cli, const struct pmat_cmd *cmd, const char *fullname)
{
    size_t nopts = 0, nargs = 0;
    while (cmd->opts && cmd->opts[nopts].name)
        nopts++;
    while (cmd->args && cmd->args[nargs].name)
        nargs++;

    struct pmat_sb sb;
    sb_init(&sb);
    sb_puts(&sb, fullname);
    if (nopts) sb_puts(&sb, " [OPTIONS...]");
    if (cmd->takes_sv) sb_puts(&sb, " [SV ADDR]");
    for (size_t i = 0; i < nargs; i++) {
        sb_puts(&sb, " $");
        for (const char *p = cmd->args[i].name; *p; p++)
            sb_putc(&sb, (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p));
    }
    cli_printf(cli, "\nSYNOPSIS:\n  %s\n", sb_str(&sb));
    sb_reset(&sb);

    if (nopts) {
        const struct cli_opt **o = malloc(nopts * sizeof *o);
        if (!o) abort();
        for (size_t i = 0; i < nopts; i++)
            o[i] = &cmd->opts[i];
        qsort(o, nopts, sizeof *o, by_opt_name);
        cli_printf(cli, "\nOPTIONS:\n");
        struct cli_table *t = cli_table_new();
        cli_table_sep(t, "    ");
        cli_table_indent(t, 2);
        for (size_t i = 0; i < nopts; i++) {
            opt_label(cli, &sb, o[i]->name);
            if (o[i]->alias) {
                char al[2] = {o[i]->alias, 0};
                sb_puts(&sb, ", ");
                opt_label(cli, &sb, al);
            }
            if (o[i]->type == CLI_INT)
                sb_puts(&sb, " INT");
            else if (o[i]->type == CLI_STR)
                sb_puts(&sb, " STR");
            cli_table_cell_sb(t, &sb);
            cli_table_cell(t, "%s", o[i]->help ? o[i]->help : "");
            cli_table_end_row(t);
        }
        cli_table_print(cli, t);
        free(o);
    }

    if (nargs) {
        cli_printf(cli, "\nARGUMENTS:\n");
        struct cli_table *t = cli_table_new();
        cli_table_sep(t, "    ");
        cli_table_indent(t, 2);
        for (size_t i = 0; i < nargs; i++) {
            const struct cli_argspec *as = &cmd->args[i];
            sb_putc(&sb, '$');
            for (const char *p = as->name; *p; p++)
                sb_putc(&sb, (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p));
            if (as->flags & CLI_ARG_SLURPY)
                sb_puts(&sb, "...");
            else if (as->flags & CLI_ARG_REPEATED)
                sb_putc(&sb, '*');
            cli_table_cell_sb(t, &sb);
            cli_table_cell(t, "%s", as->help ? as->help : "");
            cli_table_end_row(t);
        }
        cli_table_print(cli, t);
    }
    sb_free(&sb);
}

/* `help CMD SUB...`: the first line names the full command, then the
 * command's custom help if it has one, else the generic sections.  Unlike
 * Devel::MAT 0.51, `help help` is treated like any other command. */
static int help_cmd(struct cli *cli, struct cli_args *a)
{
    const char *name = cli_pos(a, 0);
    const struct pmat_cmd *cmd = cli_find_cmd(name);
    if (!cmd) return cli_error(cli, "Unrecognised command '%s'", name);
    if (cmd->tool) cli_tool_load(cli, cmd->tool);
    struct pmat_sb full;
    sb_init(&full);
    sb_puts(&full, name);
    for (int i = 1; i < cli_npos(a); i++) {
        const char *sub = cli_pos(a, i);
        const struct pmat_cmd *s = cmd->subcmds;
        while (s && s->name && strcmp(s->name, sub))
            s++;
        sb_printf(&full, " %s", sub);
        if (!s || !s->name) {
            int rc = cli_error(cli, "Unrecognised command '%s'", sb_str(&full));
            sb_free(&full);
            return rc;
        }
        cmd = s;
    }
    struct pmat_sb line;
    sb_init(&line);
    cli_fmt_note(cli, &line, sb_str(&full), 0);
    cli_printf(cli, "%s - %s\n", sb_str(&line), cmd->summary ? cmd->summary : "");
    sb_free(&line);
    int rc = 0;
    if (cmd->help)
        rc = cmd->help(cli, cmd);
    else
        help_generic(cli, cmd, sb_str(&full));
    sb_free(&full);
    return rc;
}

static int cmd_help(struct cli *cli, struct cli_args *a)
{
    if (cli_npos(a) == 0) {
        help_summary(cli);
        return 0;
    }
    return help_cmd(cli, a);
}

/* ---- more ---- */

static int cmd_more(struct cli *cli, struct cli_args *a)
{
    (void)a;
    int ran;
    int r = cli_more(cli, &ran);
    if (!ran) {
        cli_out_note(cli, "No more", 0);
        cli_puts(cli, "\n");
    }
    return r < 0 ? -1 : 0;
}

/* ---- time ---- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs the rest of the line as a command.  "Loaded" is the time to look the
 * command up and load its tool (Devel::MAT's load_tool_for_command). */
static int cmd_time(struct cli *cli, struct cli_args *a)
{
    const char *name = cli_pull(a);
    double t0 = now();
    const struct pmat_cmd *cmd = name ? cli_find_cmd(name) : NULL;
    if (!cmd) return cli_error(cli, "Unrecognised command '%s'", name ? name : "");
    if (cmd->tool) cli_tool_load(cli, cmd->tool);
    double t1 = now();
    int n = cli_nrest(a);
    const char **rest = malloc(((size_t)n + 1) * sizeof *rest);
    if (!rest) abort();
    for (int i = 0; i < n; i++)
        rest[i] = cli_pull(a);
    int rc = cli_run_cmd(cli, cmd, n, rest);
    free(rest);
    if (rc < 0) return rc;
    double t2 = now();
    cli_printf(cli, "\nLoaded in %.03fs, ran in %.03fs\n", t1 - t0, t2 - t1);
    return 0;
}

/* ---- tools / tool ---- */

static int cmd_tools(struct cli *cli, struct cli_args *a)
{
    (void)a;
    struct cli_table *t = cli_table_new();
    struct pmat_sb sb;
    sb_init(&sb);
    cli_table_sep(t, " - ");
    for (int i = 0; cli_ui_tools[i]; i++) {
        if (cli_tool_loaded(cli, cli_ui_tools[i]))
            cli_fmt_note(cli, &sb, "*", 1);
        else
            sb_putc(&sb, ' ');
        sb_putc(&sb, ' ');
        cli_fmt_note(cli, &sb, cli_ui_tools[i], 0);
        cli_table_cell_sb(t, &sb);
        cli_table_cell(t, "<no desc>");
        cli_table_end_row(t);
    }
    cli_table_print(cli, t);
    sb_free(&sb);
    return 0;
}

static int cmd_tool(struct cli *cli, struct cli_args *a)
{
    return cli_tool_load(cli, cli_pos(a, 0));
}

static const struct cli_argspec help_args[] = {
    {"cmdname", "name of a command to display more help", CLI_ARG_SLURPY},
    {0},
};

static const struct cli_argspec tool_args[] = {
    {"tool", "the name of the tool to load", CLI_ARG_REQUIRED},
    {0},
};

const struct pmat_cmd cmds_basic[] = {
    {"summary", "Print basic information about the loaded dumpfile", NULL, 0, NULL, cmd_summary},
    {"help", "Display a list of available commands", NULL, 0, help_args, cmd_help},
    {"more", "Continue the previous listing", NULL, 0, NULL, cmd_more},
    {"time", "Measure the runtime of a command", NULL, 0, NULL, cmd_time,
     .flags = CLI_CMD_OWN_REST},
    {"tools", "List the available tools", NULL, 0, NULL, cmd_tools},
    {"tool", "Load an extension tool", NULL, 0, tool_args, cmd_tool},
    {0},
};
