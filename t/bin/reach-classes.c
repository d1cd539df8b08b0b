/*
 * reach-classes.c — test helper for t/reach.t: loads a dump, runs the
 * Reachability classification (lib/reach.c) and prints one line per SV,
 * "0xADDR CLASS" (heap SVs by address, then sv_undef, sv_yes, sv_no), with the
 * tool's warnings on stderr.
 */
#include <stdio.h>

#include "pmat_heap.h"
#include "pmat_reach.h"

static void on_warn(void *ud, const char *msg)
{
    (void)ud;
    fprintf(stderr, "%s\n", msg);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: reach-classes DUMP\n");
        return 2;
    }
    struct pmat_error err;
    struct pmat_heap *h = pmat_load(argv[1], NULL, &err);
    if (!h) {
        fprintf(stderr, "reach-classes: %s: %s\n", argv[1], err.msg);
        return 2;
    }
    const uint8_t *cls;
    if (pmat_reach(h, on_warn, NULL, &cls, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        pmat_free(h);
        return 2;
    }
    for (uint32_t sv = 0; sv < h->ntotal; sv++)
        printf("%#llx %d\n", (unsigned long long)h->addr[sv], cls[sv]);
    pmat_free(h);
    return 0;
}
