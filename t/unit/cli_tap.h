/*
 * cli_tap.h — a minimal TAP producer for the cli unit tests, plus the shell
 * sources they exercise, compiled into the test (the Makefile links unit tests
 * against libpmat.a only).  Each test defines its own command registry
 * (cli_find_cmd / cli_cmd_at) so it can drive the parser with fake commands.
 */
#ifndef CLI_TAP_H
#define CLI_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/out.c"
#include "../../cli/args.c"
#include "../../cli/cli.c"
#include "../../cli/table.c"

static int tap_n, tap_failed;

static int tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;
    char name[512];
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
    for (const char *p = name; *p; p++) /* keep the TAP line one line */
        if (*p == '\n')
            printf("\\n");
        else if (*p == '#')
            printf("\\#");
        else
            putchar(*p);
    printf("\n");
    if (!cond)
        tap_failed++;
    return cond;
}

/* Compare strings; on mismatch show both with escapes made visible. */
static void tap_show(const char *tag, const char *s)
{
    printf("# %s: \"", tag);
    for (const unsigned char *p = (const unsigned char *)(s ? s : "(null)"); *p; p++) {
        if (*p == '\n')
            printf("\\n");
        else if (*p == 0x1b)
            printf("\\e");
        else if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else
            putchar(*p);
    }
    printf("\"\n");
}

__attribute__((unused)) static int tap_is(const char *got, const char *want, const char *name)
{
    int ok = (got && want) ? !strcmp(got, want) : got == want;
    tap_ok(ok, "%s", name);
    if (!ok) {
        tap_show("got ", got);
        tap_show("want", want);
    }
    return ok;
}

static int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

/* A shell whose stdout/stderr go to string buffers. */
struct capture {
    struct pmat_sb out, err;
};

static void cap_out(void *ud, const char *p, size_t n)
{
    sb_putn(&((struct capture *)ud)->out, p, n);
}

static void cap_err(void *ud, const char *p, size_t n)
{
    sb_putn(&((struct capture *)ud)->err, p, n);
}

static void cap_init(struct cli *cli, struct capture *c, struct pmat_heap *h)
{
    sb_init(&c->out);
    sb_init(&c->err);
    cli_init(cli, h, "test.pmat");
    cli_set_sinks(cli, cap_out, c, cap_err, c);
}

/* Take (and reset) what was printed so far. */
__attribute__((unused)) static const char *cap_take(struct capture *c, struct pmat_sb *keep)
{
    sb_reset(keep);
    sb_putn(keep, c->out.buf ? c->out.buf : "", c->out.len);
    sb_reset(&c->out);
    return sb_str(keep);
}

#endif
