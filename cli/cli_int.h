/*
 * cli_int.h — private to the shell infrastructure (cli/cli.c, out.c, args.c,
 * table.c, shell.c, main_*.c and the unit tests).  Command bodies include
 * cli.h only.
 */
#ifndef PMAT_CLI_INT_H
#define PMAT_CLI_INT_H

#include <signal.h>
#include "cli.h"

typedef void (*cli_sink_fn)(void *ud, const char *p, size_t n);

/* Names of the tools `tool` accepts (Devel::MAT 0.51's Devel::MAT::Tool::*). */
#define CLI_MAX_TOOLS 32

struct cli {
    struct pmat_heap *heap;
    const char *file;
    int colour; /* ANSI output */
    const struct pmat_style *style;
    int quiet;
    int progress_tty; /* stderr is a terminal and not -q */
    int progress_shown;

    cli_sink_fn out, err; /* stdout / stderr sinks */
    void *out_ud, *err_ud;

    struct pmat_sb errmsg; /* the failing command's message */
    int has_error;

    /* pager */
    cli_page_fn more_fn;
    void *more_state;
    void (*more_free)(void *);
    int more_pagesize;

    unsigned long tools_loaded; /* bit i = cli_tools[i] loaded */
};

extern const char *const cli_tools[];    /* NULL-terminated */
extern const char *const cli_ui_tools[]; /* tools listed by `tools` (FOR_UI) */

/* Set from the SIGINT handler while a command runs. */
extern volatile sig_atomic_t cli_sigint;

/* Initialise / release a shell on a loaded heap (heap may be NULL in unit tests). */
void cli_init(struct cli *cli, struct pmat_heap *heap, const char *file);
void cli_release(struct cli *cli);
void cli_set_colour(struct cli *cli, int on);
void cli_set_sinks(struct cli *cli, cli_sink_fn out, void *out_ud, cli_sink_fn err, void *err_ud);
void cli_err_write(struct cli *cli, const char *p, size_t n);

/* Parse an invocation of cmd from the token vector (argument parsing only). */
int cli_args_parse(struct cli *cli, const struct pmat_cmd *cmd, int ntok, const char *const *tok,
                   struct cli_args *a);
/* Run cmd on the remaining tokens (parse, mark its tool, run). */
int cli_run_cmd(struct cli *cli, const struct pmat_cmd *cmd, int ntok, const char *const *tok);
/* Clear the error state before a command. */
void cli_clear_error(struct cli *cli);

/* Dash/underscore-insensitive comparison of option names. */
int cli_optname_eq(const char *a, const char *b);

/* Run the interactive loop (shell.c); returns the exit status. */
int cli_shell(struct cli *cli);
/* Install / remove the SIGINT handler used while a command runs. */
void cli_sigint_arm(void);
void cli_sigint_disarm(void);

#endif
