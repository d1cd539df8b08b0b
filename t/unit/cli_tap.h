/*
 * cli_tap.h — tap.h for the cli unit tests, plus the shell
 * sources they exercise, compiled into the test (the Makefile links unit tests
 * against libpmat.a only).  Each test defines its own command registry
 * (cli_find_cmd / cli_cmd_at) so it can drive the parser with fake commands.
 */
#ifndef CLI_TAP_H
#define CLI_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "../../cli/out.c"
#include "../../cli/args.c"
#include "../../cli/cli.c"
#include "../../cli/table.c"

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
