/*
 * shell.c — the interactive read-eval loop (bin/pmat of Devel::MAT) and the SIGINT handling
 * around each command.
 *
 * Input: on a terminal, libedit's readline (history, line editing) when the
 * build found libedit, else plain line reading with the prompt on stdout.
 * When stdin is not a terminal (a script piped in), lines are read plainly
 * and NO prompt is printed, so the output is just the commands' output.
 * (Devel::MAT 0.51 here cannot read piped input at all — its Term::ReadLine
 * stub opens "&STDIN" as a file name and sees EOF at once; see docs/compat.md.)
 *
 * With libedit on a terminal (our additions): history kept in ~/.pmat_history
 * ($PMAT_HISTORY overrides; empty: none), Tab completes command names, option
 * names, symbol names ("%main::EN" -> "%main::ENV") and the addresses of SVs
 * printed recently, and Ctrl-C at the prompt abandons the line being typed
 * instead of ending the shell.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_LIBEDIT
#include <editline/readline.h>
#endif

#include <signal.h>

#include "cli_int.h"
#include "pmat_text.h"

#ifdef HAVE_LIBEDIT
/* ---- completion ---- */

static struct cli *shell_cli; /* the shell being completed for (one per process) */

/* The last addresses printed ("0x" and 6+ hex digits), newest last, for completion. */
#define RECENT_ADDRS 256
static char recent[RECENT_ADDRS][20];
static unsigned nrecent, recent_next;

static void remember_addr(const char *p, size_t n)
{
    if (n < 8 || n > 18) return;
    for (unsigned i = 0; i < nrecent; i++)
        if (strlen(recent[i]) == n && !memcmp(recent[i], p, n)) return;
    memcpy(recent[recent_next], p, n);
    recent[recent_next][n] = 0;
    recent_next = (recent_next + 1) % RECENT_ADDRS;
    if (nrecent < RECENT_ADDRS) nrecent++;
}

static cli_sink_fn inner_out;
static void *inner_out_ud;

/* Stdout sink of the interactive shell: passes everything on, noting the addresses. */
static void scanning_out(void *ud, const char *p, size_t n)
{
    (void)ud;
    for (size_t i = 0; i + 2 < n; i++) {
        if (p[i] != '0' || p[i + 1] != 'x') continue;
        if (i && (isxdigit((unsigned char)p[i - 1]) || p[i - 1] == 'x')) continue;
        size_t j = i + 2;
        while (j < n && isxdigit((unsigned char)p[j]))
            j++;
        remember_addr(p + i, j - i);
        i = j - 1;
    }
    inner_out(inner_out_ud, p, n);
}

/* Completion candidates for the word being typed, collected before libedit asks for them
 * one by one. */
static char **cands;
static size_t ncands, cands_cap, cand_next;

static void cand_add(const char *p, size_t n)
{
    if (ncands == cands_cap) {
        size_t cap = cands_cap ? cands_cap * 2 : 64;
        char **v = realloc(cands, cap * sizeof *v);
        if (!v) return;
        cands = v, cands_cap = cap;
    }
    char *c = malloc(n + 1);
    if (!c) return;
    memcpy(c, p, n);
    c[n] = 0;
    cands[ncands++] = c;
}

static void cands_clear(void)
{
    for (size_t i = 0; i < ncands; i++)
        free(cands[i]);
    ncands = cand_next = 0;
}

static char *cand_generator(const char *text, int state)
{
    (void)text;
    (void)state;
    return cand_next < ncands ? strdup(cands[cand_next++]) : NULL;
}

/* "%main::Foo::EN": the entries of the stash main::Foo whose names start with EN, as
 * "%main::Foo::ENV"; nested packages end in "::" so completion can carry on. */
static void complete_symbol(const char *text)
{
    const struct pmat_heap *h = cli_heap(shell_cli);
    char sigil = text[0];
    const char *name = text + 1;
    const char *last = NULL;
    for (const char *p = name; (p = strstr(p, "::")); p += 2)
        last = p;
    char pkg[512];
    const char *partial;
    if (last) {
        size_t n = (size_t)(last - name);
        if (n >= sizeof pkg) return;
        memcpy(pkg, name, n);
        pkg[n] = 0;
        partial = last + 2;
    } else {
        strcpy(pkg, "main");
        partial = name;
    }
    struct pmat_sb sb;
    sb_init(&sb);
    uint32_t stash;
    struct pmat_hash hv;
    if (pmat_find_stash(h, pkg, &stash, NULL) == PMAT_OK && pmat_hash(h, stash, &hv) == 0) {
        uint64_t pos = hv.body, done = 0, value;
        struct pmat_str key;
        size_t plen = strlen(partial);
        while (pmat_hash_next(h, &hv, &pos, &done, &key, &value)) {
            if (key.len < plen || memcmp(key.ptr, partial, plen)) continue;
            if (!key.len || key.ptr[0] < 0x20) continue;
            sb_reset(&sb);
            sb_putc(&sb, sigil);
            if (last) sb_printf(&sb, "%s::", pkg);
            sb_putn(&sb, (const char *)key.ptr, key.len);
            cand_add(sb.buf, sb.len);
        }
    }
    sb_free(&sb);
}

static char **shell_complete(const char *text, int start, int end)
{
    (void)end;
    cands_clear();
    rl_attempted_completion_over = 1; /* never fall back to file names */
    size_t tlen = strlen(text);
    /* the command word: the first word of the line */
    int first = 1;
    for (int i = 0; i < start; i++)
        if (rl_line_buffer[i] != ' ' && rl_line_buffer[i] != '\t') first = 0;
    if (first) {
        const struct pmat_cmd *c;
        for (size_t i = 0; (c = cli_cmd_at(i)); i++)
            if (!strncmp(c->name, text, tlen) && cli_find_cmd(c->name) == c)
                cand_add(c->name, strlen(c->name));
        if (!strncmp("quit", text, tlen)) cand_add("quit", 4);
        if (!strncmp("exit", text, tlen)) cand_add("exit", 4);
    } else if (text[0] == '-') {
        char cmdname[64];
        size_t k = 0;
        const char *p = rl_line_buffer;
        while (*p == ' ' || *p == '\t')
            p++;
        while (*p && *p != ' ' && *p != '\t' && k < sizeof cmdname - 1)
            cmdname[k++] = *p++;
        cmdname[k] = 0;
        const struct pmat_cmd *c = cli_find_cmd(cmdname);
        for (const struct cli_opt *o = c && c->opts ? c->opts : NULL; o && o->name; o++) {
            char opt[80];
            int n = snprintf(opt, sizeof opt, "--%s", o->name);
            for (int i = 2; i < n; i++)
                if (opt[i] == '_') opt[i] = '-';
            if (!strncmp(opt, text, tlen)) cand_add(opt, (size_t)n);
        }
    } else if (strchr("$@%&*", text[0]) && text[0]) {
        complete_symbol(text);
    } else if (!strncmp(text, "0x", tlen < 2 ? tlen : 2)) {
        for (unsigned i = 0; i < nrecent; i++)
            if (!strncmp(recent[i], text, tlen)) cand_add(recent[i], strlen(recent[i]));
    }
    if (!ncands) return NULL;
    return rl_completion_matches(text, cand_generator);
}

/* ---- Ctrl-C at the prompt ---- */

static volatile sig_atomic_t idle_sigint;

static void on_idle_sigint(int sig)
{
    (void)sig;
    idle_sigint = 1;
}

/* While waiting for input, Ctrl-C interrupts the read (no SA_RESTART): readline() returns
 * NULL and the line is thrown away. */
static void idle_sigint_arm(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_idle_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    idle_sigint = 0;
    sigaction(SIGINT, &sa, NULL);
}

/* ---- history ---- */

static char history_path[4096];

static void history_open(void)
{
    const char *env = getenv("PMAT_HISTORY");
    const char *home = getenv("HOME");
    if (env)
        snprintf(history_path, sizeof history_path, "%s", env);
    else if (home && *home)
        snprintf(history_path, sizeof history_path, "%s/.pmat_history", home);
    if (history_path[0]) read_history(history_path);
}

static void history_save(void)
{
    if (history_path[0]) write_history(history_path);
}
#endif

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
        for (;;) {
            idle_sigint_arm();
            char *line = readline(buf);
            cli_sigint_disarm();
            if (!line && idle_sigint) { /* Ctrl-C: a fresh prompt, as a shell does */
                fputs("^C\n", rl_outstream ? rl_outstream : stdout);
                continue;
            }
            if (line && *line) {
                add_history(line);
                history_save();
            }
            return line;
        }
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
    if (n > 0 && line[n - 1] == '\n') line[--n] = 0;
    if (n > 0 && line[n - 1] == '\r') line[--n] = 0;
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
        rl_catch_signals = 0; /* our handler sees Ctrl-C (idle_sigint_arm) */
        rl_attempted_completion_function = shell_complete;
        rl_completer_word_break_characters = " \t";
        shell_cli = cli;
        inner_out = cli->out, inner_out_ud = cli->out_ud;
        cli->out = scanning_out;
        history_open();
    }
#endif
    char *line;
    int failed = 0; /* piped input: a failing command makes the exit status 2 */
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
        const char *more_argv[] = {"more", NULL};
        cli_sigint_arm();
        int rc =
            n ? cli_run_argv(cli, n, (const char *const *)tok) : cli_run_argv(cli, 1, more_argv);
        cli_sigint_disarm();
        cli_tokens_free(tok);
        if (rc < 0) {
            failed = 1;
            const char *msg = cli_last_error(cli);
            cli_err_write(cli, msg, strlen(msg));
            cli_err_write(cli, "\n", 1);
        }
        cli_sigint = 0;
        cli_puts(cli, "\n");
    }
    cli_puts(cli, "\n");
    fflush(stdout);
#ifdef HAVE_LIBEDIT
    if (interactive) cli->out = inner_out, cli->out_ud = inner_out_ud;
#endif
    return !interactive && failed ? 2 : 0;
}
