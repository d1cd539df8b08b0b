/*
 * cli.c — the shell state: setting up, tools, naming SVs (Devel::MAT::Tool get_sv_from_inv),
 * running a command line, the pager (Devel::MAT::Tool::more) and the Ctrl-C flag.
 */
#include <signal.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"

volatile sig_atomic_t cli_sigint;

/* Devel::MAT 0.51's tool modules (Devel::MAT::Tool::NAME), which `tool NAME`
 * accepts; the FOR_UI ones are what `tools` lists. */
const char *const cli_tools[] = {
    "Callers", "Count",        "Find",  "Identify", "Inrefs", "ListDanglingPtrs",
    "Outrefs", "Reachability", "Roots", "Show",     "Sizes",  "Stack",
    "Summary", "Symbols",      "Tools", NULL,
};
const char *const cli_ui_tools[] = {"Reachability", "Sizes", NULL};

static void sink_stdout(void *ud, const char *p, size_t n)
{
    (void)ud;
    fwrite(p, 1, n, stdout);
}

static void sink_stderr(void *ud, const char *p, size_t n)
{
    (void)ud;
    fflush(stdout); /* keep stdout and stderr in order on a shared terminal */
    fwrite(p, 1, n, stderr);
    fflush(stderr);
}

void cli_init(struct cli *cli, struct pmat_heap *heap, const char *file)
{
    memset(cli, 0, sizeof *cli);
    cli->heap = heap;
    cli->file = file;
    cli->style = &pmat_style_plain;
    cli->out = sink_stdout;
    cli->err = sink_stderr;
    sb_init(&cli->errmsg);
}

void cli_release(struct cli *cli)
{
    cli_more_clear(cli);
    sb_free(&cli->errmsg);
}

void cli_set_colour(struct cli *cli, int on)
{
    cli->colour = on;
    cli->style = on ? &pmat_style_ansi : &pmat_style_plain;
}

void cli_set_sinks(struct cli *cli, cli_sink_fn out, void *out_ud, cli_sink_fn err, void *err_ud)
{
    cli->out = out ? out : sink_stdout;
    cli->out_ud = out_ud;
    cli->err = err ? err : sink_stderr;
    cli->err_ud = err_ud;
}

struct pmat_heap *cli_heap(struct cli *cli)
{
    return cli->heap;
}

const char *cli_filename(struct cli *cli)
{
    return cli->file;
}

/* While a command runs, Ctrl-C only raises a flag: the command polls
 * cli_interrupted() and the shell reports "Aborted" (not the process dying). */
static void on_sigint(int sig)
{
    (void)sig;
    cli_sigint = 1;
}

void cli_sigint_arm(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    cli_sigint = 0;
    sigaction(SIGINT, &sa, NULL);
}

void cli_sigint_disarm(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

int cli_interrupted(struct cli *cli)
{
    (void)cli;
    return cli_sigint != 0;
}

/* ---- tools ---- */

static int tool_index(const char *name)
{
    for (int i = 0; cli_tools[i]; i++)
        if (!strcmp(cli_tools[i], name)) return i;
    return -1;
}

int cli_tool_load(struct cli *cli, const char *name)
{
    int i = name ? tool_index(name) : -1;
    if (i < 0) return cli_error(cli, "No such tool '%s'", name ? name : "");
    cli->tools_loaded |= 1UL << i;
    return 0;
}

int cli_tool_loaded(struct cli *cli, const char *name)
{
    int i = tool_index(name);
    return i >= 0 && (cli->tools_loaded >> i & 1);
}

/* ---- naming an SV ---- */

/* Perl's `$tok eq $tok+0` for a token that is not 0x-prefixed: true when the
 * token is the canonical spelling of its numeric value.  Integers must fit
 * Perl's IV/UV (else they become floats that stringify differently); simple
 * decimal fractions round-trip through "%.15g" like Perl's NV stringification.
 * *addr gets the value as Perl's sv_at() would use it (truncated, 2's
 * complement for negatives). */
static int canonical_number(const char *tok, uint64_t *addr)
{
    const char *p = tok;
    int neg = 0;
    if (*p == '-') neg = 1, p++;
    if (*p < '0' || *p > '9') return 0;
    const char *digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    if (!*p) {
        size_t nd = (size_t)(p - digits);
        if (nd > 1 && digits[0] == '0') return 0;
        if (neg && nd == 1 && digits[0] == '0') return 0; /* "-0" numifies to 0 */
        if (nd > 20) return 0;
        unsigned long long v = 0;
        for (const char *d = digits; d < p; d++) {
            unsigned dig = (unsigned)(*d - '0');
            if (v > (~0ULL - dig) / 10) return 0; /* beyond UV: Perl makes it an NV */
            v = v * 10 + dig;
        }
        if (neg && v > (1ULL << 63)) return 0; /* beyond IV_MIN */
        *addr = neg ? (uint64_t)0 - v : v;
        return 1;
    }
    if (*p != '.') return 0;
    p++;
    if (*p < '0' || *p > '9') return 0;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p) return 0;
    double d = strtod(tok, NULL);
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", d);
    if (strcmp(buf, tok)) return 0;
    *addr = d < 0 ? (uint64_t)0 - (uint64_t)(-d) : (uint64_t)d;
    return 1;
}

/* Perl's hex() after the "0x": hex digits, single underscores between digits
 * allowed, stopping at the first other character with Perl's warning. */
static uint64_t perl_hex(struct cli *cli, const char *p)
{
    uint64_t v = 0;
    for (;; p++) {
        int c = (unsigned char)*p, d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else if (c == '_' && p[1] && strchr("0123456789abcdefABCDEF", p[1]))
            continue;
        else {
            if (c) cli_warn(cli, "Illegal hexadecimal digit '%c' ignored", c);
            break;
        }
        v = v << 4 | (uint64_t)d;
    }
    return v;
}

int cli_resolve_sv(struct cli *cli, const char *tok, uint32_t *sv)
{
    struct pmat_heap *h = cli->heap;
    *sv = PMAT_NONE;
    if (!tok) return cli_error(cli, "Need an SV address");
    if (pmat_is_known_root_name(tok)) {
        const struct pmat_root *r = pmat_root_by_name(h, tok);
        if (!r || r->sv == PMAT_NONE) return cli_error(cli, "Need an SV address");
        *sv = r->sv;
        return 0;
    }
    if (strchr("$@%&", tok[0]) && tok[0]) {
        struct pmat_error err;
        if (pmat_find_symbol(h, tok, sv, &err) < 0)
            return cli_error(cli, "%s", err.msg[0] ? err.msg : "Need an SV address");
        return 0;
    }
    uint64_t addr;
    if (tok[0] == '0' && tok[1] == 'x') {
        /* ours: 0.51 warns "Illegal hexadecimal digit" / "Integer overflow" and looks up
         * whatever Perl's hex() made of it (docs/compat.md) */
        size_t digits = 0;
        const char *p = tok + 2;
        while (*p == '0' || *p == '_')
            p++; /* leading zeros do not count */
        for (; *p; p++) {
            if (isxdigit((unsigned char)*p))
                digits++;
            else if (*p != '_')
                return cli_error(cli, "Invalid SV address '%s': not a hexadecimal number", tok);
        }
        if (!tok[2])
            return cli_error(cli, "Invalid SV address '%s': not a hexadecimal number", tok);
        if (digits > 16) return cli_error(cli, "Invalid SV address '%s': more than 64 bits", tok);
        addr = perl_hex(cli, tok + 2);
    } else if (!canonical_number(tok, &addr))
        return cli_error(cli, "Expected numerical SV address");
    uint32_t s = addr ? pmat_sv_at(h, addr) : PMAT_NONE;
    if (s == PMAT_NONE)
        return cli_error(cli, "No such SV at address %llx", (unsigned long long)addr);
    *sv = s;
    return 0;
}

/* ---- running commands ---- */

int cli_run_cmd(struct cli *cli, const struct pmat_cmd *cmd, int ntok, const char *const *tok)
{
    struct cli_args a;
    if (cmd->tool) cli_tool_load(cli, cmd->tool);
    int rc = cli_args_parse(cli, cmd, ntok, tok, &a);
    /* ours: 0.51 ignores arguments left over after the command's own (docs/compat.md);
     * commands that read the rest of the line themselves (CLI_CMD_OWN_REST) do so */
    if (rc == 0 && cli_peek(&a) && !(cmd->flags & CLI_CMD_OWN_REST))
        rc = cli_error(cli, "Unexpected argument '%s' (see 'help %s')", cli_peek(&a), cmd->name);
    if (rc == 0) rc = cmd->run(cli, &a) < 0 ? -1 : 0;
    cli_args_free(&a);
    /* Ctrl-C wins over whatever the command made of it (Devel::MAT dies with
     * "\nAborted\n" from its SIGINT handler). */
    if (cli_sigint)
        rc = cli_error(cli, "\nAborted");
    else if (rc < 0 && !cli->has_error)
        cli_error(cli, "Command failed");
    return rc;
}

/* Optimal string alignment distance (Levenshtein plus adjacent transpositions), for
 * "did you mean": lagrest -> largest is 1.  Names are short; longer ones are not compared. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 63 || m > 63) return (size_t)-1;
    size_t d[64][64];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

/* The closest command name within a third of the typed name's length (at least 1), or a
 * command the typed name is a prefix of; NULL if none. */
static const char *closest_command(const char *name)
{
    const char *best = NULL;
    size_t best_d = strlen(name) / 3 > 0 ? strlen(name) / 3 : 1;
    const struct pmat_cmd *c;
    for (size_t i = 0; (c = cli_cmd_at(i)); i++) {
        size_t d = edit_distance(name, c->name);
        if (d <= best_d && (!best || d < best_d)) best = c->name, best_d = d;
    }
    if (!best && strlen(name) >= 3)
        for (size_t i = 0; (c = cli_cmd_at(i)); i++)
            if (!strncmp(c->name, name, strlen(name))) return c->name;
    return best;
}

int cli_run_argv(struct cli *cli, int argc, const char *const *argv)
{
    cli_clear_error(cli);
    if (argc < 1 || !argv[0]) return 0;
    const struct pmat_cmd *cmd = cli_find_cmd(argv[0]);
    if (!cmd) {
        /* 0.51's message, then our suggestion on a line of its own */
        const char *near = closest_command(argv[0]);
        if (near)
            return cli_error(cli, "Unrecognised command '%s'\nDid you mean '%s'?", argv[0], near);
        return cli_error(cli, "Unrecognised command '%s'", argv[0]);
    }
    return cli_run_cmd(cli, cmd, argc - 1, argv + 1);
}

int cli_run_line(struct cli *cli, const char *line)
{
    int n;
    char **tok = cli_tokenise(line, &n);
    int rc = cli_run_argv(cli, n, (const char *const *)tok);
    cli_tokens_free(tok);
    return rc;
}

/* ---- pager ---- */

void cli_more_clear(struct cli *cli)
{
    if (cli->more_free && cli->more_state) cli->more_free(cli->more_state);
    cli->more_fn = NULL;
    cli->more_state = NULL;
    cli->more_free = NULL;
}

int cli_more_pending(struct cli *cli)
{
    return cli->more_fn != NULL;
}

/* One page; the continuation is dropped once it reports "done" (an error
 * keeps it, like a die inside Devel::MAT's $more->()). */
static int run_page(struct cli *cli)
{
    int r = cli->more_fn(cli, cli->more_state, cli->more_pagesize);
    if (r == 0) cli_more_clear(cli);
    return r;
}

int cli_paginate(struct cli *cli, int pagesize, cli_page_fn fn, void *state,
                 void (*free_state)(void *))
{
    cli_more_clear(cli);
    cli->more_fn = fn;
    cli->more_state = state;
    cli->more_free = free_state;
    cli->more_pagesize = pagesize > 0 ? pagesize : 30;
    return run_page(cli) < 0 ? -1 : 0;
}

int cli_more(struct cli *cli, int *ran)
{
    if (!cli->more_fn) {
        if (ran) *ran = 0;
        return 0;
    }
    if (ran) *ran = 1;
    return run_page(cli);
}
