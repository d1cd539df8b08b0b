/*
 * shell.c — the interactive read-eval loop (§4.1) and the SIGINT handling
 * around each command.
 *
 * Input: on a terminal, libedit's readline (history, line editing) when the
 * build found libedit, else plain line reading with the prompt on stdout.
 * When stdin is not a terminal (a script piped in), lines are read plainly
 * and NO prompt is printed, so the output is just the commands' output.
 * (Devel::MAT 0.51 here cannot read piped input at all — its Term::ReadLine
 * stub opens "&STDIN" as a file name and sees EOF at once; see docs/compat.md.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_LIBEDIT
#include <editline/readline.h>
#endif

#include "cli_int.h"

/* One line of input without its newline (malloc'd), or NULL at EOF. */
static char *read_line(struct cli *cli, int interactive)
{
    const char *prompt = cli_more_pending(cli) ? "pmat [more]> " : "pmat> ";
    fflush(stdout);
#ifdef HAVE_LIBEDIT
    if (interactive) {
        /* \1...\2 brackets invisible characters for libedit's width count.
         * libedit attaches such a sequence to the next visible character and
         * loses one at the very end, so the underline ends before the final
         * space. */
        char buf[64];
        size_t n = strlen(prompt) - 1;
        if (cli->colour)
            snprintf(buf, sizeof buf, "\001\033[4m\002%.*s\001\033[24m\002 ", (int)n, prompt);
        else
            snprintf(buf, sizeof buf, "%s", prompt);
        char *line = readline(buf);
        if (line && *line)
            add_history(line);
        return line;
    }
#endif
    if (interactive) {
        FILE *pf = isatty(1) ? stdout : stderr;
        if (cli->colour)
            fprintf(pf, "\033[4m%s\033[24m", prompt);
        else
            fputs(prompt, pf);
        fflush(pf);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[--n] = 0;
    if (n > 0 && line[n - 1] == '\r')
        line[--n] = 0;
    return line;
}

int cli_shell(struct cli *cli)
{
    int interactive = isatty(0);
#ifdef HAVE_LIBEDIT
    if (interactive) {
        /* keep the prompt off a redirected stdout */
        rl_outstream = isatty(1) ? stdout : stderr;
        rl_readline_name = "pmat";
    }
#endif
    char *line;
    while ((line = read_line(cli, interactive))) {
        int n;
        char **tok = cli_tokenise(line, &n);
        free(line);
        if (n == 0 && !cli_more_pending(cli)) {
            cli_tokens_free(tok);
            continue;
        }
        if (n > 0 && (!strcmp(tok[0], "exit") || !strcmp(tok[0], "quit"))) {
            cli_tokens_free(tok);
            break;
        }
        const char *more_argv[] = { "more", NULL };
        cli_sigint_arm();
        int rc = n ? cli_run_argv(cli, n, (const char *const *)tok)
                   : cli_run_argv(cli, 1, more_argv);
        cli_sigint_disarm();
        cli_tokens_free(tok);
        if (rc < 0) {
            const char *msg = cli_last_error(cli);
            cli_err_write(cli, msg, strlen(msg));
            cli_err_write(cli, "\n", 1);
        }
        cli_sigint = 0;
        cli_puts(cli, "\n");
    }
    cli_puts(cli, "\n");
    fflush(stdout);
    return 0;
}
