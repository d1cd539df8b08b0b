/*
 * main_pmat-list-orphans.c — `pmat-list-orphans FILE`
 *
 * Every heap SV that nothing refers to (no reference of any strength, no root,
 * not on the stack), as Devel::MAT 0.51's pmat-list-orphans prints them:
 * `DESC at 0xADDR`, ordered by the decimal address compared as a string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leaktools.h"
#include "pmat_refs.h"
#include "pmat_text.h"

static const char *const prog = "pmat-list-orphans";
static const char usage[] = "Usage: pmat-list-orphans FILE\n"
                            "\n"
                            "Lists the SVs that nothing refers to (no inward references).\n"
                            "\n"
                            "Options:\n"
                            "  --help     print this help and exit\n"
                            "  --version  print the version and exit\n";

struct orphan {
    char dec[24]; /* the address in decimal: Devel::MAT sorts these strings */
    uint32_t sv;
};

static int by_decimal_string(const void *x, const void *y)
{
    return strcmp(((const struct orphan *)x)->dec, ((const struct orphan *)y)->dec);
}

int main(int argc, char **argv)
{
    if (leaktools_help_version(prog, argc, argv, usage)) return 0;
    if (argc < 2) {
        fprintf(stderr, "Need dumpfile\n");
        return 255;
    }
    struct pmat_heap *h = leaktools_load(prog, argv[1], 0, NULL);
    if (!h) return 2;
    if (pmat_inrefs_build(h) < 0) {
        fprintf(stderr, "%s: out of memory\n", prog);
        pmat_free(h);
        return 2;
    }
    struct orphan *orphans = malloc(((size_t)h->nsv + 1) * sizeof *orphans);
    if (!orphans) {
        fprintf(stderr, "%s: out of memory\n", prog);
        pmat_free(h);
        return 2;
    }
    size_t n = 0;
    for (uint32_t s = 0; s < h->nsv; s++) {
        if (h->in_start[s + 1] != h->in_start[s] || h->root_strong_count[s] ||
            h->root_weak_count[s] || h->stack_count[s])
            continue;
        snprintf(orphans[n].dec, sizeof orphans[n].dec, "%llu", (unsigned long long)h->addr[s]);
        orphans[n].sv = s;
        n++;
    }
    qsort(orphans, n, sizeof *orphans, by_decimal_string);

    leaktools_buffer_stdout();
    struct pmat_sb sb;
    sb_init(&sb);
    for (size_t i = 0; i < n; i++) {
        sb_reset(&sb);
        pmat_desc(h, orphans[i].sv, &sb);
        printf("%s at %#llx\n", sb_str(&sb), (unsigned long long)h->addr[orphans[i].sv]);
    }
    fflush(stdout);
    sb_free(&sb);
    free(orphans);
    pmat_free(h);
    return 0;
}
