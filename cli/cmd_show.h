/*
 * cmd_show.h — pieces of `show` that other inspection commands reuse
 * (callers -P prints a PAD listing exactly as `show -P` does).
 */
#ifndef PMAT_CMD_SHOW_H
#define PMAT_CMD_SHOW_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "cli.h"

/* The PAD listing ("  [IDX/NAME]=VALUE" per slot) of a PAD SV.  Returns 0, or
 * -1 when the PAD has no owning CODE (Devel::MAT 0.51 dies there; the caller
 * has then printed everything Devel::MAT would have). */
int show_pad_contents(struct cli *cli, uint32_t pad);

/* A key filter argument as Devel::MAT 0.56 takes it (values, strtab): "/PATTERN/flags",
 * flags among i m s x (a d l u accepted and ignored).  Returns 1 and sets *re when ARG is
 * one; 0 when ARG does not have that form (*re NULL); -1 when the pattern does not
 * compile, after reporting the error as 0.56 words it. */
int show_key_filter(struct cli *cli, const char *arg, pcre2_code **re);

#endif
