/*
 * commands.c — the central command registry.  Each group of commands lives in
 * cli/cmd_GROUP.c and defines `const struct pmat_cmd cmds_GROUP[]` ({0}-ended).
 *
 * To add a group, add ONE line `G(GROUP) \` to the list below.
 */
#include <string.h>

#include "cli.h"

#define PMAT_CMD_GROUPS(G)                                                                         \
    G(basic)                                                                                       \
    G(graph)                                                                                       \
    G(show)                                                                                        \
    G(symbols)                                                                                     \
    G(find)                                                                                        \
    G(dominators)                                                                                  \
    G(sizes)                                                                                       \
    G(count)                                                                                       \
    G(unreachable)                                                                                 \
    G(strtab)                                                                                      \
    /* one line per group above this comment: G(name) \ */

#define DECLARE(g) extern const struct pmat_cmd cmds_##g[];
PMAT_CMD_GROUPS(DECLARE)
#undef DECLARE

#define LIST(g) cmds_##g,
static const struct pmat_cmd *const groups[] = {PMAT_CMD_GROUPS(LIST) NULL};
#undef LIST

const struct pmat_cmd *cli_cmd_at(size_t i)
{
    for (size_t g = 0; groups[g]; g++)
        for (const struct pmat_cmd *c = groups[g]; c->name; c++)
            if (i-- == 0) return c;
    return NULL;
}

/* The first registration of a name wins. */
const struct pmat_cmd *cli_find_cmd(const char *name)
{
    for (size_t g = 0; groups[g]; g++)
        for (const struct pmat_cmd *c = groups[g]; c->name; c++)
            if (!strcmp(c->name, name)) return c;
    return NULL;
}
