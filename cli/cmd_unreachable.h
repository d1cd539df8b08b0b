/*
 * cmd_unreachable.h — what cli/cmd_unreachable.c shares with identify.
 */
#ifndef PMAT_CMD_UNREACHABLE_H
#define PMAT_CMD_UNREACHABLE_H

#include <stdint.h>

#include "cli.h"

/* The "unreachable: kept alive by ..." line identify prints above its tree for an
 * SV no root reaches (nothing for a reachable one).  0, or -1 on out of memory. */
int unreachable_identify_note(struct cli *cli, uint32_t sv);

#endif
