/*
 * cmd_show.h — pieces of `show` that other inspection commands reuse
 * (callers -P prints a PAD listing exactly as `show -P` does).
 */
#ifndef PMAT_CMD_SHOW_H
#define PMAT_CMD_SHOW_H

#include "cli.h"

/* The PAD listing ("  [IDX/NAME]=VALUE" per slot) of a PAD SV.  Returns 0, or
 * -1 when the PAD has no owning CODE (Devel::MAT 0.51 dies there; the caller
 * has then printed everything Devel::MAT would have). */
int show_pad_contents(struct cli *cli, uint32_t pad);

#endif
