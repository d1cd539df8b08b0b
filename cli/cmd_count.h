/* cmd_count.h — the count table's row labels, shared by `count` and pmat-counts. */
#ifndef PMAT_CMD_COUNT_H
#define PMAT_CMD_COUNT_H

#include "cli.h"
#include "pmat_count.h"

void count_label_cell(struct cli *cli, struct cli_table *t, struct pmat_sb *sb,
                      const struct pmat_count_row *r);

#endif
