/*
 * diff.c — pmat-diff's set comparison and tree shaping (see pmat_diff.h).
 *
 * Both heaps are already sorted by address, so the comparison is one merge.  The
 * forest is built with an explicit queue and drawn with an explicit stack: a set
 * can be a chain of millions of SVs.
 */
#include "pmat_diff.h"
#include "pmat_refs.h"
#include "pmat_text.h"

#include <stdlib.h>
#include <string.h>

/* The class an SV is blessed into, by name (the two dumps' stashes are different SVs). */
static int same_class(const struct pmat_heap *a, uint32_t i, const struct pmat_heap *b, uint32_t j)
{
    struct pmat_str na, nb;
    int da = a->blessed[i] != PMAT_NONE && pmat_stash_name(a, a->blessed[i], &na);
    int db = b->blessed[j] != PMAT_NONE && pmat_stash_name(b, b->blessed[j], &nb);
    if (da != db) return 0;
    if (!da) return a->blessed[i] == PMAT_NONE && b->blessed[j] == PMAT_NONE;
    return na.len == nb.len && !memcmp(na.ptr, nb.ptr, na.len);
}

/* Whether the SVs at one address in two dumps can be the same SV: perl never changes an
 * SV's basetype (SCALAR <-> REF is one SV) and objects are rarely re-blessed, so a
 * different basetype or class means the slot was freed and reused. */
static int same_sv(const struct pmat_heap *a, uint32_t i, const struct pmat_heap *b, uint32_t j)
{
    const char *ba = pmat_basetype(a, i), *bb = pmat_basetype(b, j);
    if (ba && bb ? strcmp(ba, bb) != 0 : a->kind[i] != b->kind[j]) return 0;
    return same_class(a, i, b, j);
}

int pmat_diff_compute(const struct pmat_heap *a, const struct pmat_heap *b, struct pmat_diff *d)
{
    memset(d, 0, sizeof *d);
    d->only_a = malloc(((size_t)a->nsv + 1) * sizeof *d->only_a);
    d->only_b = malloc(((size_t)b->nsv + 1) * sizeof *d->only_b);
    if (!d->only_a || !d->only_b) {
        pmat_diff_free(d);
        return -1;
    }
    uint32_t i = 0, j = 0;
    while (i < a->nsv && j < b->nsv) {
        if (a->addr[i] < b->addr[j])
            d->only_a[d->n_only_a++] = i++;
        else if (b->addr[j] < a->addr[i])
            d->only_b[d->n_only_b++] = j++;
        else if (same_sv(a, i, b, j))
            d->n_common++, i++, j++;
        else
            d->only_a[d->n_only_a++] = i++, d->only_b[d->n_only_b++] = j++;
    }
    while (i < a->nsv)
        d->only_a[d->n_only_a++] = i++;
    while (j < b->nsv)
        d->only_b[d->n_only_b++] = j++;
    return 0;
}

void pmat_diff_free(struct pmat_diff *d)
{
    free(d->only_a), free(d->only_b);
    memset(d, 0, sizeof *d);
}

static int by_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

int pmat_diff_forest(const struct pmat_heap *h, const uint32_t *set, uint64_t n,
                     struct pmat_forest_line **lines)
{
    *lines = NULL;
    size_t m = n ? n : 1;
    uint32_t *pos_of = malloc((size_t)h->ntotal * sizeof *pos_of); /* SV -> set position */
    uint8_t *seen = calloc(m, 1);
    uint32_t *queue = malloc(m * sizeof *queue);
    uint64_t *child_start = malloc(m * sizeof *child_start);
    uint32_t *child_count = calloc(m, sizeof *child_count);
    uint32_t *children = malloc(m * sizeof *children); /* set positions; each at most once */
    uint32_t *roots = malloc(m * sizeof *roots);
    struct pmat_forest_line *out = malloc(m * sizeof *out);
    struct {
        uint32_t pos, depth;
        int last;
    } *stack = malloc(m * sizeof *stack);
    int rc = -1;
    if (!pos_of || !seen || !queue || !child_start || !child_count || !children || !roots || !out ||
        !stack)
        goto done;
    for (uint32_t s = 0; s < h->ntotal; s++)
        pos_of[s] = PMAT_NONE;
    for (uint64_t p = 0; p < n; p++)
        pos_of[set[p]] = (uint32_t)p;

    /* breadth-first growth; children of a node are recorded when it is dequeued */
    uint64_t nchildren = 0, nroots = 0;
    for (uint64_t origin = 0; origin < n; origin++) {
        if (seen[origin]) continue;
        seen[origin] = 1;
        roots[nroots++] = (uint32_t)origin;
        uint64_t head = 0, tail = 0;
        queue[tail++] = (uint32_t)origin;
        while (head < tail) {
            uint32_t x = queue[head++];
            uint64_t first, nout = pmat_out_range(h, set[x], &first);
            child_start[x] = nchildren;
            for (uint64_t e = first; e < first + nout; e++) {
                uint32_t t = h->out_target[e];
                if (t >= h->ntotal || pos_of[t] == PMAT_NONE || seen[pos_of[t]]) continue;
                seen[pos_of[t]] = 1;
                children[nchildren++] = pos_of[t];
            }
            child_count[x] = (uint32_t)(nchildren - child_start[x]);
            /* set positions are in address order, like Devel::MAT's nsort_by addr */
            qsort(children + child_start[x], child_count[x], sizeof *children, by_u32);
            for (uint32_t c = 0; c < child_count[x]; c++)
                queue[tail++] = children[child_start[x] + c];
        }
    }

    /* pre-order drawing order, roots ascending */
    uint64_t nout_lines = 0;
    for (uint64_t r = 0; r < nroots; r++) {
        uint64_t sp = 0;
        stack[sp].pos = roots[r], stack[sp].depth = 0, stack[sp].last = 1;
        sp++;
        while (sp) {
            sp--;
            uint32_t x = stack[sp].pos, depth = stack[sp].depth;
            out[nout_lines].sv = set[x];
            out[nout_lines].depth = depth;
            out[nout_lines].last = stack[sp].last;
            nout_lines++;
            for (uint32_t c = child_count[x]; c-- > 0;) {
                stack[sp].pos = children[child_start[x] + c];
                stack[sp].depth = depth + 1;
                stack[sp].last = c + 1 == child_count[x];
                sp++;
            }
        }
    }
    *lines = out;
    out = NULL;
    rc = 0;
done:
    free(pos_of), free(seen), free(queue), free(child_start), free(child_count);
    free(children), free(roots), free(out), free(stack);
    return rc;
}
