/* load_internal.h — functions shared between the loader's files (not public). */
#ifndef PMAT_LOAD_INTERNAL_H
#define PMAT_LOAD_INTERNAL_H

#include "pmat_heap.h"

void pmat__warn(struct pmat_heap *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Decode a STR at a known-good offset; returns the offset after it. */
uint64_t pmat__str_at(const struct pmat_heap *h, uint64_t off, struct pmat_str *s);
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
