/* load_internal.h — functions shared between the loader's files (not public). */
#ifndef PMAT_LOAD_INTERNAL_H
#define PMAT_LOAD_INTERNAL_H

#include "pmat_heap.h"

/* How h->data is held (h->mapped_kind): source.c sets it, heap.c's pmat_free undoes it. */
enum { MAP_NONE, MAP_MMAP, MAP_MALLOC, MAP_BORROWED };

void pmat__warn(struct pmat_heap *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Decode a STR at a known-good offset; returns the offset after it. */
uint64_t pmat__str_at(const struct pmat_heap *h, uint64_t off, struct pmat_str *s);
/* source.c: map or read the file at path into h->data (0, or -1 with err set) */
int pmat__obtain_bytes(struct pmat_heap *h, const char *path, struct pmat_error *err);
/* source.c: replace a gzip or zstd h->data by its decompressed bytes, refusing more
 * than limit bytes (0: the default limit) */
int pmat__decompress(struct pmat_heap *h, uint64_t limit, struct pmat_error *err);
/* parse.c: the parse pass, the sort by address and the indexes (0, or -1 with err set) */
int pmat__parse(struct pmat_heap *h, const struct pmat_load_opts *opts, struct pmat_error *err);
int pmat__fixup(struct pmat_heap *h, const struct pmat_load_opts *opts);
int pmat__build_outrefs(struct pmat_heap *h);
void pmat__free_analyses(struct pmat_heap *h);
/* Note that a pass read about `bytes` of the mapped file; every 32 MiB the mapping's
 * pages are dropped from memory (they are re-read from the page cache when touched
 * again), so loading never holds the whole file resident. */
void pmat__touched(struct pmat_heap *h, uint64_t bytes);
/* Drop the mapped file's resident pages now (no-op unless the file is mmapped). */
void pmat__release_file(struct pmat_heap *h);

#endif
