/* Unit tests: the tokeniser (§4.2) and the option / argument parser (§4.3). */
#include "cli_tap.h"

/* ---- a fake registry ---- */

static struct pmat_sb seen; /* what the last command saw */

static const struct cli_opt t_opts[] = {
    {"count", 'c', 'i', "maximum count", "50"},
    {"no_elide", 'n', 0, "don't elide", NULL},
    {"full_pv", 'F', 0, "full pv", NULL},
    {"package", 'p', 's', "a package", NULL},
    {"vtbl", 'v', 'x', "a vtbl", NULL},
    {"weak", 0, 0, "weak", NULL},
    {0},
};
static const struct cli_argspec t_args[] = {
    {"first", "first", 0},
    {"second", "second", 0},
    {0},
};

static void dump_args(struct cli_args *a)
{
    sb_reset(&seen);
    sb_printf(&seen, "count=%lld%s ne=%d pv=%d pkg=%s vtbl=%lld weak=%d", cli_int(a, "count"),
              cli_given(a, "count") ? "!" : "", cli_flag(a, "no_elide"), cli_flag(a, "full-pv"),
              cli_str(a, "package") ? cli_str(a, "package") : "-", cli_int(a, "vtbl"),
              cli_flag(a, "weak"));
    for (int i = 0; i < cli_npos(a); i++)
        sb_printf(&seen, " [%s]", cli_pos(a, i));
    for (const char *t; (t = cli_pull(a));)
        sb_printf(&seen, " rest:%s", t);
}

static int run_t(struct cli *cli, struct cli_args *a)
{
    (void)cli;
    dump_args(a);
    return 0;
}

static const struct cli_argspec req_args[] = {
    {"pattern", "a pattern", CLI_ARG_REQUIRED},
    {"more", "more", CLI_ARG_REPEATED},
    {0},
};
static int run_pos(struct cli *cli, struct cli_args *a)
{
    (void)cli;
    sb_reset(&seen);
    for (int i = 0; i < cli_npos(a); i++)
        sb_printf(&seen, "[%s]", cli_pos(a, i));
    return 0;
}

static const struct cli_argspec slurp_args[] = {
    {"name", "name", CLI_ARG_SLURPY},
    {0},
};

/* find-like: -C only before the first filter, then sub-parses per filter */
static const struct cli_opt find_opts[] = {{"count", 'C', 0, "count", NULL}, {0}};
static const struct cli_opt pv_opts[] = {
    {"eq", 0, 0, "eq", NULL}, {"regexp", 'r', 0, "re", NULL}, {0}};
static const struct cli_argspec pv_args[] = {{"pattern", "p", CLI_ARG_REQUIRED}, {0}};
static const struct cli_opt num_opts[] = {{"iv", 0, 0, "iv", NULL}, {0}};
static const struct cli_argspec num_args[] = {{"value", "v", 0}, {0}};

static int run_find(struct cli *cli, struct cli_args *a)
{
    sb_reset(&seen);
    sb_printf(&seen, "C=%d", cli_flag(a, "count"));
    const char *name;
    while ((name = cli_pull(a))) {
        struct cli_args sub;
        int rc;
        if (!strcmp(name, "pv")) {
            rc = cli_args_sub(cli, a, pv_opts, 0, 0, pv_args, &sub);
            if (rc == 0)
                sb_printf(&seen, " pv(eq=%d,r=%d,%s)", cli_flag(&sub, "eq"),
                          cli_flag(&sub, "regexp"), cli_pos(&sub, 0));
        } else if (!strcmp(name, "num")) {
            rc = cli_args_sub(cli, a, num_opts, 0, 0, num_args, &sub);
            if (rc == 0)
                sb_printf(&seen, " num(iv=%d,%s)", cli_flag(&sub, "iv"),
                          cli_pos(&sub, 0) ? cli_pos(&sub, 0) : "-");
        } else {
            return cli_error(cli, "Unknown filter type '%s'", name);
        }
        cli_args_free(&sub);
        if (rc < 0) return rc;
    }
    return 0;
}

static const struct pmat_cmd registry[] = {
    {"t", "test", t_opts, 0, t_args, run_t, .flags = CLI_CMD_OWN_REST},
    {"noopts", "no options", NULL, 0, t_args, run_pos},
    {"pos", "positional", NULL, 0, req_args, run_pos},
    {"slurp", "slurpy", NULL, 0, slurp_args, run_pos},
    {"find", "find", find_opts, 0, NULL, run_find, .flags = CLI_CMD_NO_PERMUTE | CLI_CMD_OWN_REST},
    {0},
};

const struct pmat_cmd *cli_find_cmd(const char *name)
{
    for (const struct pmat_cmd *c = registry; c->name; c++)
        if (!strcmp(c->name, name)) return c;
    return NULL;
}

const struct pmat_cmd *cli_cmd_at(size_t i)
{
    return i < sizeof registry / sizeof registry[0] - 1 ? &registry[i] : NULL;
}

/* ---- helpers ---- */

static struct cli cli;
static struct capture cap;

static void tok_is(const char *line, const char *want)
{
    int n;
    char **v = cli_tokenise(line, &n);
    struct pmat_sb sb;
    sb_init(&sb);
    for (int i = 0; i < n; i++)
        sb_printf(&sb, "%s<%s>", i ? " " : "", v[i]);
    char name[200];
    snprintf(name, sizeof name, "tokenise %s", line);
    tap_is(sb.len ? sb_str(&sb) : "", want, name);
    sb_free(&sb);
    cli_tokens_free(v);
}

/* Run a line; result is what the command saw, or "ERR:" + message. */
static void run_is(const char *line, const char *want)
{
    sb_reset(&seen);
    int rc = cli_run_line(&cli, line);
    char got[1024];
    if (rc < 0)
        snprintf(got, sizeof got, "ERR:%s", cli_last_error(&cli));
    else
        snprintf(got, sizeof got, "%s", seen.len ? sb_str(&seen) : "");
    tap_is(got, want, line);
}

static void argv_is(int argc, const char *const *argv, const char *want, const char *name)
{
    sb_reset(&seen);
    int rc = cli_run_argv(&cli, argc, argv);
    char got[1024];
    if (rc < 0)
        snprintf(got, sizeof got, "ERR:%s", cli_last_error(&cli));
    else
        snprintf(got, sizeof got, "%s", seen.len ? sb_str(&seen) : "");
    tap_is(got, want, name);
}

int main(void)
{
    sb_init(&seen);
    cap_init(&cli, &cap, NULL);

    /* tokeniser */
    tok_is("", "");
    tok_is("   ", "");
    tok_is("  show   0x10  ", "<show> <0x10>");
    tok_is("a\tb\nc", "<a> <b> <c>");
    tok_is("find pv \"hello world\" x", "<find> <pv> <hello world> <x>");
    tok_is("\"a \\\" b\"", "<a \" b>");
    tok_is("\"a \\\\ b\"", "<a \\ b>");
    tok_is("\"a\\nb\"", "<a\\nb>");
    tok_is("x\\\"y", "<x\"y>");
    tok_is("x\\\\y", "<x\\y>");
    tok_is("x\\y", "<x\\y>");
    tok_is("'a b'", "<'a> <b'>");
    tok_is("\"\"", "<>");
    tok_is("\"ab\"cd", "<ab> <cd>");
    tok_is("a\"b c\"", "<a\"b> <c\">");
    tok_is("\"unterminated rest", "<unterminated rest>");

    /* options */
    run_is("t", "count=50 ne=0 pv=0 pkg=- vtbl=0 weak=0");
    run_is("t --count 5 -n", "count=5! ne=1 pv=0 pkg=- vtbl=0 weak=0");
    run_is("t -c -7", "count=-7! ne=0 pv=0 pkg=- vtbl=0 weak=0");
    run_is("t --no_elide", "count=50 ne=1 pv=0 pkg=- vtbl=0 weak=0");
    run_is("t --no-elide --full-pv", "count=50 ne=1 pv=1 pkg=- vtbl=0 weak=0");
    run_is("t --full_pv -F", "count=50 ne=0 pv=1 pkg=- vtbl=0 weak=0");
    run_is("t -p My::Pkg --weak", "count=50 ne=0 pv=0 pkg=My::Pkg vtbl=0 weak=1");
    run_is("t --vtbl 0x1F", "count=50 ne=0 pv=0 pkg=- vtbl=31 weak=0");
    run_is("t -v 0X10", "count=50 ne=0 pv=0 pkg=- vtbl=16 weak=0");
    run_is("t -v 42", "count=50 ne=0 pv=0 pkg=- vtbl=42 weak=0");
    run_is("t -c 1 -c 2", "count=2! ne=0 pv=0 pkg=- vtbl=0 weak=0");
    /* permute: options after positional args */
    run_is("t a -n b", "count=50 ne=1 pv=0 pkg=- vtbl=0 weak=0 [a] [b]");
    run_is("t a b c -n", "count=50 ne=1 pv=0 pkg=- vtbl=0 weak=0 [a] [b] rest:c");
    /* -- ends option parsing; set-aside tokens come first */
    run_is("t a -- -n b", "count=50 ne=0 pv=0 pkg=- vtbl=0 weak=0 [a] [-n] rest:b");
    run_is("t -- --count", "count=50 ne=0 pv=0 pkg=- vtbl=0 weak=0 [--count]");
    /* single dash and multi-letter single-dash tokens are positional */
    run_is("t - -ab", "count=50 ne=0 pv=0 pkg=- vtbl=0 weak=0 [-] [-ab]");
    /* errors, with Devel::MAT's messages */
    run_is("t --nosuch", "ERR:No such option '--nosuch'");
    run_is("t -X", "ERR:No such option '-X'");
    run_is("t -1", "ERR:No such option '-1'");
    run_is("t --count", "ERR:Option --count requires a value");
    run_is("t -c", "ERR:Option --count requires a value");
    run_is("t -p", "ERR:Option --package requires a value");
    run_is("t -c abc", "ERR:Option --count value 'abc' is not a number");
    run_is("t -c 0x10", "ERR:Option --count value '0x10' is not a number");
    run_is("t -c 1.5", "ERR:Option --count value '1.5' is not a number");
    run_is("t -v zz", "ERR:Option --vtbl value 'zz' is not a (hex)number");
    run_is("t -v 0x", "ERR:Option --vtbl value '0x' is not a (hex)number");
    run_is("t --count=5", "ERR:No such option '--count=5'");
    run_is("t ---count", "ERR:No such option '---count'");
    /* commands without options don't parse any */
    run_is("noopts --x -y", "[--x][-y]");
    /* positional args */
    run_is("pos", "ERR:Expected a value for 'pattern' argument");
    run_is("pos a", "[a]");
    run_is("pos a b c d", "[a][b][c][d]");
    run_is("slurp", "");
    run_is("slurp a b \"c d\"", "[a][b][c d]");
    /* unknown command */
    run_is("nosuch a b", "ERR:Unrecognised command 'nosuch'");
    run_is("", "");
    /* batch argv: each element is exactly one token */
    {
        const char *v[] = {"slurp", "a b", "", "x\"y", "\\\\"};
        argv_is(5, v, "[a b][][x\"y][\\\\]", "argv elements are tokens verbatim");
        const char *w[] = {"t", "-n", "pos"};
        argv_is(3, w, "count=50 ne=1 pv=0 pkg=- vtbl=0 weak=0 [pos]", "argv options");
    }
    /* non-permute (find) and sub-invocations sharing the token queue */
    run_is("find", "C=0");
    run_is("find -C pv abc", "C=1 pv(eq=0,r=0,abc)");
    run_is("find pv abc -C", "ERR:No such option '-C'");
    run_is("find pv --eq forty num 42", "C=0 pv(eq=1,r=0,forty) num(iv=0,42)");
    run_is("find pv forty num --iv 42", "ERR:No such option '--iv'");
    run_is("find num pv", "C=0 num(iv=0,pv)");
    run_is("find pv", "ERR:Expected a value for 'pattern' argument");
    run_is("find pv x zz", "ERR:Unknown filter type 'zz'");

    /* option-name matching */
    tap_ok(cli_optname_eq("no_elide", "no-elide"), "optname no_elide == no-elide");
    tap_ok(cli_optname_eq("no-elide", "no_elide"), "optname no-elide == no_elide");
    tap_ok(!cli_optname_eq("no_elide", "noelide"), "optname no_elide != noelide");

    cli_release(&cli);
    sb_free(&seen);
    return tap_done();
}
