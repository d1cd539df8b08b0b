/*
 * load.c — loading a .pmat file: the order of the passes, and nothing else.
 *
 *   1. source.c obtains the bytes: the whole file mapped (plain files) or
 *      decompressed into one buffer (gzip, zstd).
 *   2. parse.c reads the records into the flat arrays of pmat_heap.h, sorts the
 *      SVs by address and builds the indexes (heap.c reads them).
 *   3. fixup.c: Devel::MAT's _fixup (glob back-links, backrefs lists, PADLIST /
 *      PADNAMES / PAD re-classing, pad names, constants of threaded CVs,
 *      protosubs, context depths).
 *   4. refs.c builds the outgoing reference arrays.
 *
 * On failure the heap is freed and err says what, and at which byte offset.
 */
#include "pmat_heap.h"
#include "load_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void phase(const struct pmat_load_opts *opts, const char *name)
{
    if (opts && opts->phase) opts->phase(opts->progress_ud, name);
}

/* A pass after the parse failed: it can only have run out of memory. */
static int pass_failed(struct pmat_heap *h, struct pmat_error *err)
{
    snprintf(err->msg, sizeof err->msg, "out of memory");
    err->offset = h->len;
    err->has_offset = 1;
    return -1;
}

static int run_passes(struct pmat_heap *h, const struct pmat_load_opts *opts,
                      struct pmat_error *err)
{
    if (pmat__parse(h, opts, err) < 0) return -1;
    if (!(opts && (opts->flags & PMAT_LOAD_MINIMAL))) {
        phase(opts, "fixup");
        if (pmat__fixup(h, opts) < 0) return pass_failed(h, err);
        phase(opts, "references");
        if (pmat__build_outrefs(h) < 0) return pass_failed(h, err);
    }
    phase(opts, "done");
    return 0;
}

/* Decompress (if need be) and run the passes over h->data; frees h and returns NULL
 * on failure. */
static struct pmat_heap *load_common(struct pmat_heap *h, const struct pmat_load_opts *opts,
                                     struct pmat_error *err)
{
    if (pmat__decompress(h, opts ? opts->max_decompressed : 0, err) < 0 ||
        run_passes(h, opts, err) < 0) {
        pmat_free(h);
        return NULL;
    }
    if (h->mapped_kind == MAP_MMAP) {
        pmat__release_file(h);
        madvise((void *)h->data, h->len, MADV_RANDOM);
    }
    return h;
}

struct pmat_heap *pmat_load(const char *path, const struct pmat_load_opts *opts,
                            struct pmat_error *err)
{
    struct pmat_heap *h = calloc(1, sizeof *h);
    memset(err, 0, sizeof *err);
    if (!h || !(h->path = strdup(path))) {
        free(h);
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    if (pmat__obtain_bytes(h, path, err) < 0) {
        pmat_free(h);
        return NULL;
    }
    return load_common(h, opts, err);
}

struct pmat_heap *pmat_load_mem(const void *buf, size_t len, const char *name,
                                const struct pmat_load_opts *opts, struct pmat_error *err)
{
    struct pmat_heap *h = calloc(1, sizeof *h);
    memset(err, 0, sizeof *err);
    if (!h || !(h->path = strdup(name ? name : "(memory)"))) {
        free(h);
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    h->data = buf;
    h->len = len;
    h->mapped_kind = MAP_BORROWED;
    return load_common(h, opts, err);
}
