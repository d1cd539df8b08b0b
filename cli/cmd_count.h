/* cmd_count.h — the count table's row labels, shared by `count` and pmat-counts. */
#ifndef PMAT_CMD_COUNT_H
#define PMAT_CMD_COUNT_H

#include "cli.h"
#include "pmat_count.h"

void count_label_cell(struct cli *cli, struct cli_table *t, struct pmat_sb *sb,
                      const struct pmat_count_row *r);

/* -b --package REGEX (our addition, shared with pmat-counts): a PCRE2 pattern matched
 * against package names (unanchored, like Perl's m//). */
struct count_package_re {
    void *re, *md; /* pcre2_code, pcre2_match_data */
};
/* 0, or -1 with a message in err. */
int count_package_re_compile(struct count_package_re *r, const char *pattern, char *err,
                             size_t errlen);
int count_package_ok(void *ud, const uint8_t *name, size_t len); /* ud: count_package_re */
void count_package_re_free(struct count_package_re *r);

#endif
