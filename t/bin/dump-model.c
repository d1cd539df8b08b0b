/*
 * dump-model — print the whole loaded model in a canonical text form, for
 * t/model.t to compare against the same listing made with Devel::MAT's API:
 * one line per heap SV (address, format_sv or format_sv_with_value, symname)
 * followed by its outgoing references (strength, name, target), sorted.
 */
#include "pmat_heap.h"
#include "pmat_refs.h"
#include "pmat_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: dump-model FILE\n");
        return 2;
    }
    struct pmat_error err;
    struct pmat_heap *h = pmat_load(argv[1], NULL, &err);
    if (!h) {
        fprintf(stderr, "dump-model: %s: %s\n", argv[1], err.msg);
        return 2;
    }
    static const char *const strength[] = {"strong", "weak", "indirect", "inferred"};
    struct pmat_sb sb, name;
    sb_init(&sb);
    sb_init(&name);
    char **lines = NULL;
    size_t cap = 0;
    for (uint32_t i = 0; i < h->nsv; i++) {
        sb_reset(&sb);
        sb_printf(&sb, "%#llx ", (unsigned long long)h->addr[i]);
        uint8_t k = h->kind[i];
        /* value previews of containers show a random key in Devel::MAT: use plain form */
        if (k == PMAT_K_HASH || k == PMAT_K_ARRAY || k == PMAT_K_REF)
            pmat_format_sv(h, i, &pmat_style_plain, &sb);
        else
            pmat_format_sv_with_value(h, i, &pmat_style_plain, &sb);
        sb_puts(&sb, " sym=");
        pmat_symname(h, i, &sb);
        puts(sb_str(&sb));
        uint64_t first, n = pmat_out_range(h, i, &first);
        if (n > cap) {
            cap = n;
            lines = realloc(lines, cap * sizeof *lines);
        }
        for (uint64_t e = 0; e < n; e++) {
            size_t len = pmat_ref_name(h, i, first + e, NULL, 0);
            char *nm = malloc(len + 1);
            pmat_ref_name(h, i, first + e, nm, len + 1);
            sb_reset(&name);
            sb_printf(&name, "  %s %s %#llx", strength[h->out_str[first + e]], nm,
                      (unsigned long long)h->addr[h->out_target[first + e]]);
            free(nm);
            lines[e] = sb_take(&name);
        }
        qsort(lines, n, sizeof *lines, cmp_str);
        for (uint64_t e = 0; e < n; e++) {
            puts(lines[e]);
            free(lines[e]);
        }
    }
    free(lines);
    sb_free(&sb);
    sb_free(&name);
    pmat_free(h);
    return 0;
}
