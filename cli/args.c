/*
 * args.c — tokenising command lines (Commandable::Invocation) and parsing options, the SV
 * argument and positional arguments (Devel::MAT::Tool get_opts_from_inv, get_args_from_inv), plus
 * the cli_args accessors.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"

/* ---- tokeniser ---- */

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Copy s[0..n) into a new string, turning \" into " and \\ into \ (other
 * backslashes stay), as Commandable::Invocation's unescape does. */
static char *unescape(const char *s, size_t n)
{
    char *r = malloc(n + 1), *o = r;
    if (!r) abort();
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\')) i++;
        *o++ = s[i];
    }
    *o = 0;
    return r;
}

/* Tokens: a "..." token runs to the next quote not preceded by a backslash
 * (a backslash pairs with whatever follows it); an unterminated quote runs to
 * the end of the line (Devel::MAT silently drops the rest of the line there —
 * see docs/compat.md).  Anything else is a maximal run of non-space. */
char **cli_tokenise(const char *line, int *n)
{
    size_t cap = 8, cnt = 0;
    char **v = malloc(cap * sizeof *v);
    if (!v) abort();
    const char *p = line ? line : "";
    while (is_space((unsigned char)*p))
        p++;
    while (*p) {
        const char *start, *end;
        if (*p == '"') {
            start = ++p;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1]) p++;
                p++;
            }
            end = p;
            if (*p == '"') p++;
        } else {
            start = p;
            while (*p && !is_space((unsigned char)*p))
                p++;
            end = p;
        }
        while (is_space((unsigned char)*p))
            p++;
        if (cnt + 2 > cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof *v);
            if (!v) abort();
        }
        v[cnt++] = unescape(start, (size_t)(end - start));
    }
    v[cnt] = NULL;
    if (n) *n = (int)cnt;
    return v;
}

void cli_tokens_free(char **v)
{
    if (!v) return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

/* ---- the token queue shared by an invocation and its sub-parses ---- */

struct cli_tokq {
    const char **v;
    int n, next;
};

const char *cli_peek(const struct cli_args *a)
{
    return a->q && a->q->next < a->q->n ? a->q->v[a->q->next] : NULL;
}

const char *cli_pull(struct cli_args *a)
{
    return a->q && a->q->next < a->q->n ? a->q->v[a->q->next++] : NULL;
}

int cli_nrest(const struct cli_args *a)
{
    return a->q ? a->q->n - a->q->next : 0;
}

/* ---- accessors ---- */

int cli_optname_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;
        if (x != y) return 0;
        if (!x) return 1;
    }
}

static int opt_index(const struct cli_args *a, const char *name)
{
    for (int i = 0; i < a->nopts; i++)
        if (cli_optname_eq(a->opts[i].name, name)) return i;
    return -1;
}

/* Asking for an undeclared option is a bug in the command, not a user error:
 * fail loudly so it is caught by the first test that runs it. */
static int opt_must(const struct cli_args *a, const char *name)
{
    int i = opt_index(a, name);
    if (i < 0) {
        fprintf(stderr, "pmat: internal error: command '%s' has no option '%s'\n",
                a->cmd && a->cmd->name ? a->cmd->name : "?", name);
        abort();
    }
    return i;
}

int cli_given(const struct cli_args *a, const char *name)
{
    return a->vals[opt_must(a, name)].given;
}

int cli_flag(const struct cli_args *a, const char *name)
{
    int i = opt_must(a, name);
    const struct cli_optval *v = &a->vals[i];
    if (a->opts[i].type == CLI_STR) return v->str != NULL && *v->str;
    if (a->opts[i].type == CLI_FLAG)
        return v->given || (a->opts[i].def && strcmp(a->opts[i].def, "0") && *a->opts[i].def);
    return v->ival != 0;
}

long long cli_int(const struct cli_args *a, const char *name)
{
    int i = opt_must(a, name);
    if (a->opts[i].type == CLI_FLAG) return cli_flag(a, name);
    return a->vals[i].ival;
}

const char *cli_str(const struct cli_args *a, const char *name)
{
    return a->vals[opt_must(a, name)].str;
}

uint32_t cli_sv(const struct cli_args *a)
{
    return a->sv;
}

int cli_npos(const struct cli_args *a)
{
    return a->npos;
}

const char *cli_pos(const struct cli_args *a, int i)
{
    return i >= 0 && i < a->npos ? a->pos[i] : NULL;
}

/* ---- parsing ---- */

/* ^-?\d+$ */
static int is_decimal(const char *s)
{
    if (*s == '-') s++;
    if (!*s) return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return 0;
    return 1;
}

/* ^0x[0-9a-f]+$ case-insensitively */
static int is_hex(const char *s)
{
    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2]) return 0;
    for (s += 2; *s; s++)
        if (!isxdigit((unsigned char)*s)) return 0;
    return 1;
}

/* Numeric value of an i/x option (Perl would go to floating point beyond
 * 64 bits; we saturate). */
static long long num_value(const char *s)
{
    errno = 0;
    if (is_hex(s)) return (long long)strtoull(s + 2, NULL, 16);
    return strtoll(s, NULL, 10);
}

static void set_default(const struct cli_opt *o, struct cli_optval *v)
{
    v->given = 0;
    v->str = o->def;
    v->ival = o->def && o->type != CLI_STR && o->type != CLI_FLAG ? num_value(o->def) : 0;
    if (o->type == CLI_FLAG) v->ival = o->def && *o->def && strcmp(o->def, "0");
}

static void push_pos(struct cli_args *a, const char *s)
{
    a->pos = realloc(a->pos, (size_t)(a->npos + 1) * sizeof *a->pos);
    if (!a->pos) abort();
    a->pos[a->npos++] = s;
}

/* Devel::MAT's get_opts_from_inv: scan tokens left to right; "--" ends the
 * scan; --NAME / -A select options; anything else is set aside (and in
 * non-permute mode ends the scan).  The set-aside tokens go back in front of
 * the unscanned ones, in order. */
static int parse_opts(struct cli *cli, struct cli_args *a, int permute)
{
    struct cli_tokq *q = a->q;
    int start = q->next, nset = 0;
    const char **aside = malloc((size_t)(q->n - start + 1) * sizeof *aside);
    if (!aside) abort();
    int rc = 0;
    while (q->next < q->n) {
        const char *tok = q->v[q->next++];
        int idx = -1;
        if (!strcmp(tok, "--")) break;
        if (tok[0] == '-' && tok[1] == '-') {
            idx = opt_index(a, tok + 2);
            if (idx < 0) {
                rc = cli_error(cli, "No such option '%s'", tok);
                goto out;
            }
        } else if (tok[0] == '-' && tok[1] && !tok[2]) {
            for (int i = 0; i < a->nopts; i++)
                if (a->opts[i].alias == tok[1]) idx = i;
            if (idx < 0) {
                rc = cli_error(cli, "No such option '%s'", tok);
                goto out;
            }
        } else {
            aside[nset++] = tok;
            if (!permute) break;
            continue;
        }
        const struct cli_opt *o = &a->opts[idx];
        struct cli_optval *v = &a->vals[idx];
        if (o->type == CLI_FLAG) {
            v->given = 1;
            v->ival = 1;
            continue;
        }
        if (q->next >= q->n) {
            rc = cli_error(cli, "Option --%s requires a value", o->name);
            goto out;
        }
        const char *val = q->v[q->next++];
        if (o->type == CLI_INT && !is_decimal(val)) {
            rc = cli_error(cli, "Option --%s value '%s' is not a number", o->name, val);
            goto out;
        }
        if (o->type == CLI_HEX && !is_decimal(val) && !is_hex(val)) {
            rc = cli_error(cli, "Option --%s value '%s' is not a (hex)number", o->name, val);
            goto out;
        }
        v->given = 1;
        v->str = val;
        v->ival = o->type == CLI_STR ? 0 : num_value(val);
        /* ours: 0.51 goes to floating point (and absurd sizes) beyond 64 bits */
        if (o->type != CLI_STR && errno == ERANGE) {
            rc = cli_error(cli, "Option --%s value '%s' is out of range", o->name, val);
            goto out;
        }
        /* ours: a negative depth means nothing (0.51 treats it as no limit or as 0) */
        if (o->type == CLI_INT && !strcmp(o->name, "depth") && v->ival < 0) {
            rc = cli_error(cli, "Option --%s value '%s' must not be negative", o->name, val);
            goto out;
        }
    }
    /* put the set-aside tokens back just before the unscanned ones */
    for (int i = 0; i < nset; i++)
        q->v[q->next - nset + i] = aside[i];
    q->next -= nset;
out:
    free(aside);
    return rc;
}

/* Devel::MAT's get_args_from_inv. */
static int parse_positional(struct cli *cli, struct cli_args *a, const struct cli_argspec *spec)
{
    for (; spec && spec->name; spec++) {
        int first = 1;
        for (;;) {
            const char *val = cli_pull(a);
            if (!val) {
                if (first && (spec->flags & CLI_ARG_REQUIRED))
                    return cli_error(cli, "Expected a value for '%s' argument", spec->name);
                return 0; /* a missing argument ends the list */
            }
            push_pos(a, val);
            if (spec->flags & CLI_ARG_SLURPY)
                while ((val = cli_pull(a)))
                    push_pos(a, val);
            if (!(spec->flags & CLI_ARG_REPEATED)) break;
            first = 0;
        }
    }
    return 0;
}

static int parse_into(struct cli *cli, struct cli_args *a, const struct cli_opt *opts,
                      unsigned flags, int takes_sv, const struct cli_argspec *args)
{
    a->opts = opts;
    a->nopts = 0;
    while (opts && opts[a->nopts].name)
        a->nopts++;
    a->vals = calloc((size_t)a->nopts + 1, sizeof *a->vals);
    if (!a->vals) abort();
    for (int i = 0; i < a->nopts; i++)
        set_default(&opts[i], &a->vals[i]);
    a->sv = PMAT_NONE;
    /* Options are only parsed for commands that declare some, as in Devel::MAT
     * (so `help --x` asks for help on "--x"). */
    if (a->nopts && parse_opts(cli, a, !(flags & CLI_CMD_NO_PERMUTE)) < 0) return -1;
    if (takes_sv && cli_resolve_sv(cli, cli_pull(a), &a->sv) < 0) return -1;
    return parse_positional(cli, a, args);
}

int cli_args_parse(struct cli *cli, const struct pmat_cmd *cmd, int ntok, const char *const *tok,
                   struct cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->q = calloc(1, sizeof *a->q);
    if (!a->q) abort();
    a->owns_q = 1;
    a->q->v = malloc((size_t)(ntok + 1) * sizeof *a->q->v);
    if (!a->q->v) abort();
    for (int i = 0; i < ntok; i++)
        a->q->v[i] = tok[i];
    a->q->n = ntok;
    return parse_into(cli, a, cmd->opts, cmd->flags, cmd->takes_sv, cmd->args);
}

int cli_args_sub(struct cli *cli, struct cli_args *parent, const struct cli_opt *opts,
                 unsigned flags, int takes_sv, const struct cli_argspec *args, struct cli_args *sub)
{
    memset(sub, 0, sizeof *sub);
    sub->cmd = parent->cmd;
    sub->q = parent->q;
    return parse_into(cli, sub, opts, flags, takes_sv, args);
}

void cli_args_free(struct cli_args *a)
{
    free(a->vals);
    free(a->pos);
    if (a->owns_q && a->q) {
        free(a->q->v);
        free(a->q);
    }
    memset(a, 0, sizeof *a);
    a->sv = PMAT_NONE;
}
