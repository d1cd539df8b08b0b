/*
 * cli.h — the pmat shell's command infrastructure: the command table, the
 * argument parser, the output/rendering API, the table printer, tree drawing
 * and the pager.  Command bodies only ever talk to this API: they never print
 * directly (so a different renderer, e.g. JSON, can be hooked in by replacing
 * the output sink and the style).
 *
 * WRITING A COMMAND
 *
 *   // cli/cmd_mine.c
 *   #include "cli.h"
 *
 *   static const struct cli_opt elems_opts[] = {
 *       { "count", 'c', 'i', "maximum count of elements to print", "50" },
 *       { 0 }
 *   };
 *   static const struct cli_argspec elems_args[] = {
 *       { "startidx", "starting index", 0 },
 *       { 0 }
 *   };
 *
 *   static int cmd_elems(struct cli *cli, struct cli_args *a)
 *   {
 *       uint32_t sv = cli_sv(a);                     // already resolved (cli_resolve_sv)
 *       long long n = cli_int(a, "count");            // option value or its default
 *       const char *start = cli_pos(a, 0);            // NULL when not given
 *       if (cli_heap(cli)->kind[sv] != PMAT_K_ARRAY)
 *           return cli_error(cli, "Not an ARRAY");  // message to stderr, exit 2 in batch
 *       cli_out_sv(cli, sv);
 *       cli_printf(cli, " has %lld\n", n);
 *       return 0;
 *   }
 *
 *   const struct pmat_cmd cmds_mine[] = {
 *       { "elems", "List the elements of an ARRAY SV", elems_opts, 1, elems_args, cmd_elems },
 *       { 0 }
 *   };
 *
 * and one line in cli/commands.c:  GROUP(mine)
 *
 * Errors: a command returns 0 on success or the (negative) value of
 * cli_error(); the shell prints the message (plus "\n") to stderr.  Output
 * already written stays written.  Long loops poll cli_interrupted() and return
 * -1 when it is true (the shell then prints "\nAborted\n").
 */
#ifndef PMAT_CLI_H
#define PMAT_CLI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "pmat_heap.h"
#include "pmat_text.h"

/* Command tables give the six main fields of struct pmat_cmd positionally and
 * leave the optional trailing ones out ({ "size", "...", NULL, 1, NULL, cmd_size }),
 * which -Wextra would flag; zero is the intended value of every omitted field. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct cli;      /* the shell: heap, output sink, style, pager, tools (opaque) */
struct cli_args; /* one parsed invocation (see below) */

/* ------------------------------------------------------------------------ */
/* The command table                                                         */
/* ------------------------------------------------------------------------ */

/* Option types (the `type` field of struct cli_opt). */
enum {
    CLI_FLAG = 0,  /* no value; given = 1 */
    CLI_INT = 'i', /* next token, must match ^-?\d+$  */
    CLI_STR = 's', /* next token, any string */
    CLI_HEX = 'x', /* next token, ^-?\d+$ or ^0x[0-9a-f]+$ (case-insensitive) */
};

struct cli_opt {
    const char *name; /* long name exactly as Devel::MAT declares it, WITH underscores
                       * ("no_elide").  --no_elide and --no-elide are both accepted. */
    char alias;       /* one-letter alias ('n') or 0 */
    char type;        /* CLI_FLAG, CLI_INT, CLI_STR or CLI_HEX */
    const char *help; /* help text shown by `help CMD` */
    const char *def;  /* default as text ("10"), NULL = unset / false */
};

/* Positional argument flags. */
enum {
    CLI_ARG_REQUIRED = 1, /* missing -> "Expected a value for 'NAME' argument" */
    CLI_ARG_REPEATED = 2, /* takes every remaining token (shown "$NAME*" in help) */
    CLI_ARG_SLURPY = 4,   /* this and every remaining token (shown "$NAME...") */
};

struct cli_argspec {
    const char *name; /* lower-case; help shows "$NAME" */
    const char *help;
    unsigned flags; /* CLI_ARG_* */
};

typedef int (*cli_cmd_fn)(struct cli *cli, struct cli_args *a);

/* Command flags. */
enum {
    CLI_CMD_NO_PERMUTE = 1, /* options must precede the first positional token (find) */
    CLI_CMD_OWN_REST = 2,   /* run() reads the tokens left after the arguments itself (find's
                             * filters, time's command); otherwise leftovers are an error */
};

struct pmat_cmd {
    const char *name;               /* "list-dangling-ptrs" */
    const char *summary;            /* one line, shown by `help` */
    const struct cli_opt *opts;     /* {0}-terminated, or NULL */
    int takes_sv;                   /* one token resolved as an SV before the args */
    const struct cli_argspec *args; /* {0}-terminated, or NULL */
    cli_cmd_fn run;
    /* --- optional (may be left out of the initialiser) --- */
    /* Custom help: replaces everything `help CMD` prints after its first line
     * ("NAME - SUMMARY").  `find` uses it to list its filters. */
    int (*help)(struct cli *cli, const struct pmat_cmd *self);
    /* Sub-commands, {0}-terminated, for `help CMD SUB...` (find's filters):
     * each prints "CMD SUB - SUMMARY" and its own SYNOPSIS/OPTIONS/ARGUMENTS.
     * Their `run` is never called by the shell. */
    const struct pmat_cmd *subcmds;
    /* Tool loaded when this command is looked up (run, `help`, `time`): "Sizes". */
    const char *tool;
    unsigned flags; /* CLI_CMD_* */
};

/* Every registered command (cli/commands.c): NULL if none by that name. */
const struct pmat_cmd *cli_find_cmd(const char *name);
/* Iterate every registered command, in registry order: returns the i-th or NULL. */
const struct pmat_cmd *cli_cmd_at(size_t i);

/* ------------------------------------------------------------------------ */
/* Parsed arguments                                                          */
/* ------------------------------------------------------------------------ */

/*
 * struct cli_args is one invocation: option values, the resolved SV, the
 * positional arguments, and a queue of tokens not consumed yet.  The shell
 * builds it for the command; a command that parses further sub-invocations
 * from its remaining tokens (find's filters) uses cli_args_sub().
 * Accessors take option names with '_' or '-' alike.  Asking for an option
 * the command did not declare is a programming error (abort()).
 */
struct cli_tokq; /* shared token queue (private) */
struct cli_optval {
    int given;       /* appeared on the command line */
    long long ival;  /* value for i/x (default parsed when not given) */
    const char *str; /* value for s (or the default text) */
};
struct cli_args {
    /* all fields private: use the accessors */
    const struct pmat_cmd *cmd;
    const struct cli_opt *opts;
    int nopts;
    struct cli_optval *vals;
    uint32_t sv;
    const char **pos;
    int npos;
    struct cli_tokq *q;
    int owns_q;
};

int cli_flag(const struct cli_args *a, const char *name);        /* flag/option set? */
int cli_given(const struct cli_args *a, const char *name);       /* given on the line? */
long long cli_int(const struct cli_args *a, const char *name);   /* i/x value or default, 0 */
const char *cli_str(const struct cli_args *a, const char *name); /* s value or default, NULL */
uint32_t cli_sv(const struct cli_args *a);                       /* PMAT_NONE if none */
int cli_npos(const struct cli_args *a);                          /* positional count */
const char *cli_pos(const struct cli_args *a, int i);            /* i-th or NULL */
/* The unconsumed tokens: peek / pull the next one (NULL at end), count them. */
const char *cli_peek(const struct cli_args *a);
const char *cli_pull(struct cli_args *a);
int cli_nrest(const struct cli_args *a);

/*
 * Parse options (permute unless CLI_CMD_NO_PERMUTE in flags), then an SV if
 * takes_sv, then positional args, from parent's unconsumed tokens into *sub
 * (which shares parent's token queue: what sub consumes is gone from parent).
 * Exactly Devel::MAT's get_opts_from_inv + get_args_from_inv.  Returns 0, or
 * -1 with the error set (sub is then still to be freed).
 */
int cli_args_sub(struct cli *cli, struct cli_args *parent, const struct cli_opt *opts,
                 unsigned flags, int takes_sv, const struct cli_argspec *args,
                 struct cli_args *sub);
void cli_args_free(struct cli_args *a);

/* Resolve one token naming an SV (Devel::MAT::Tool get_sv_from_inv): root name, $@%& symbol, 0xHEX
 * or decimal address.  tok may be NULL ("Need an SV address"). */
int cli_resolve_sv(struct cli *cli, const char *tok, uint32_t *sv);

/* ------------------------------------------------------------------------ */
/* The shell state                                                           */
/* ------------------------------------------------------------------------ */

struct pmat_heap *cli_heap(struct cli *cli);
const char *cli_filename(struct cli *cli);

/* Record an error message for the running command; returns -1 so a command
 * can `return cli_error(cli, "...")`.  No trailing newline. */
int cli_error(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A warning (Perl's warn): goes to stderr at once, "\n" appended. */
void cli_warn(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True once Ctrl-C was pressed during the current command. */
int cli_interrupted(struct cli *cli);
/* Progress line (stderr, only on a terminal and without -q), redrawn in place;
 * cli_progress_clear() erases it (call it when done). */
void cli_progress(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_progress_clear(struct cli *cli);

/* Tools (Devel::MAT::Tool::NAME).  Loading is bookkeeping (`tools` shows '*').
 * cli_tool_load returns -1 with an error for an unknown tool name. */
int cli_tool_load(struct cli *cli, const char *name);
int cli_tool_loaded(struct cli *cli, const char *name);

/* Run one command line (tokenised as Commandable::Invocation does) / one pre-split token vector
 * (batch mode: each element one token).  Returns 0, or -1 with the error in
 * cli_last_error().  Neither prints the error nor the trailing "\n". */
int cli_run_line(struct cli *cli, const char *line);
int cli_run_argv(struct cli *cli, int argc, const char *const *argv);
const char *cli_last_error(struct cli *cli);

/* ------------------------------------------------------------------------ */
/* Output                                                                    */
/* ------------------------------------------------------------------------ */

void cli_write(struct cli *cli, const char *p, size_t n);
void cli_puts(struct cli *cli, const char *s);
void cli_printf(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_vprintf(struct cli *cli, const char *fmt, va_list ap);

/* The style of SV references and values: pmat_style_plain or pmat_style_ansi. */
const struct pmat_style *cli_style(struct cli *cli);
int cli_colour(struct cli *cli);

/* Append styled pieces to a string buffer (for table cells / composed lines). */
void cli_fmt_sv(struct cli *cli, struct pmat_sb *sb, uint32_t sv);       /* format_sv */
void cli_fmt_sv_value(struct cli *cli, struct pmat_sb *sb, uint32_t sv); /* ..._with_value */
void cli_fmt_note(struct cli *cli, struct pmat_sb *sb, const char *text, int idx); /* bold, */
/* yellow / cyan / magenta by idx % 3 */
void cli_fmt_heading(struct cli *cli, struct pmat_sb *sb, const char *text, int level);
/* 0 bold, 1 underlined, 2 cyan underlined (mod 3) */
void cli_fmt_symbol(struct cli *cli, struct pmat_sb *sb, const char *text); /* green */
void cli_fmt_value(struct cli *cli, struct pmat_sb *sb, const char *text);  /* colour 13 */

/* The same, printed straight away. */
void cli_out_sv(struct cli *cli, uint32_t sv);
void cli_out_sv_value(struct cli *cli, uint32_t sv);
void cli_out_note(struct cli *cli, const char *text, int idx);
void cli_out_heading(struct cli *cli, const char *text, int level);
void cli_out_symbol(struct cli *cli, const char *text);
void cli_out_value(struct cli *cli, const char *text);

/* Display width of a string: UTF-8 characters, not counting "ESC [ ... final"
 * sequences (so coloured cells measure like plain ones). */
size_t cli_text_width(const char *s);

/* ------------------------------------------------------------------------ */
/* The table printer (print_table)                                               */
/* ------------------------------------------------------------------------ */

/*
 *   struct cli_table *t = cli_table_new();
 *   cli_table_headings(t, 3, (const char *[]){ "Kind", "Count", "Bytes" });
 *   cli_table_align(t, "lrr");          // per column: 'l' (default) or 'r'
 *   cli_table_sep(t, " - ");            // one separator for all boundaries...
 *   cli_table_seps(t, 2, (const char *[]){ "    ", " " });  // ...or one each
 *   cli_table_indent(t, 2);
 *   cli_table_add(t, "ARRAY", "403", NULL);   // a row (NULL-terminated cells)
 *   cli_table_cell(t, "%d", 5); cli_table_end_row(t);   // or cell by cell
 *   cli_table_rule(t);                  // an empty row: printed as ---- rule
 *   cli_table_print(cli, t);            // prints and frees
 *
 * Cells may hold colour escapes: widths are measured by cli_text_width().
 * Headings are rendered with heading level 1 (underlined in colour).
 */
struct cli_table;
struct cli_table *cli_table_new(void);
void cli_table_headings(struct cli_table *t, int n, const char *const *cells);
void cli_table_align(struct cli_table *t, const char *lr);
void cli_table_sep(struct cli_table *t, const char *sep);
void cli_table_seps(struct cli_table *t, int n, const char *const *seps);
void cli_table_indent(struct cli_table *t, int n);
void cli_table_add(struct cli_table *t, const char *first, ...); /* NULL-terminated */
void cli_table_cell(struct cli_table *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cli_table_cell_sb(struct cli_table *t, struct pmat_sb *sb); /* takes sb's text, resets sb */
void cli_table_end_row(struct cli_table *t);
void cli_table_rule(struct cli_table *t);
size_t cli_table_rows(const struct cli_table *t);
void cli_table_print(struct cli *cli, struct cli_table *t); /* prints and frees */
void cli_table_free(struct cli_table *t);                   /* frees without printing */

/* ------------------------------------------------------------------------ */
/* Tree drawing (identify-like output)                                       */
/* ------------------------------------------------------------------------ */

/*
 *   struct cli_tree tr; cli_tree_init(&tr);
 *   cli_tree_branch(cli, &tr, last);   // prints prefix + "├─" (or "└─" if last)
 *   cli_printf(cli, "...:\n");
 *   cli_tree_push(&tr, last);          // children get prefix + "│ " (or "  ")
 *   ...  cli_tree_pop(&tr);
 *   cli_tree_free(&tr);
 */
struct cli_tree {
    struct pmat_sb prefix;
    size_t *stack;
    int depth, cap;
};
void cli_tree_init(struct cli_tree *t);
void cli_tree_free(struct cli_tree *t);
void cli_tree_branch(struct cli *cli, const struct cli_tree *t, int last);
void cli_tree_indent(struct cli *cli, const struct cli_tree *t); /* prefix only */
void cli_tree_push(struct cli_tree *t, int last);
void cli_tree_pop(struct cli_tree *t);

/* ------------------------------------------------------------------------ */
/* Pagination (more)                                                         */
/* ------------------------------------------------------------------------ */

/*
 * A page function prints one page of at most `pagesize` items and returns 1
 * while more remain, 0 when done, or -1 (with cli_error) on error (the
 * continuation then stays pending, as in Devel::MAT).
 * cli_paginate() replaces any pending continuation (freeing its state), runs
 * the first page at once and keeps the continuation pending if it returned 1.
 * `more` runs the next page; batch mode runs pages until none is pending.
 * Returns the first page's result mapped to 0 / -1.
 */
typedef int (*cli_page_fn)(struct cli *cli, void *state, int pagesize);
int cli_paginate(struct cli *cli, int pagesize, cli_page_fn fn, void *state,
                 void (*free_state)(void *state));
int cli_more_pending(struct cli *cli);
/* Run the pending page (what `more` does): 1 ran and more remain, 0 ran and
 * finished / nothing was pending (*ran = 0), -1 error. */
int cli_more(struct cli *cli, int *ran);
void cli_more_clear(struct cli *cli);

/* Tokenise a line (as Commandable::Invocation) into a NULL-terminated malloc'd vector of malloc'd
 * strings (free with cli_tokens_free).  *n receives the count. */
char **cli_tokenise(const char *line, int *n);
void cli_tokens_free(char **v);

#endif
