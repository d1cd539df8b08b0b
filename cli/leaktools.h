/*
 * leaktools.h — what the helper programs (pmat-leakreport, pmat-diff,
 * pmat-counts, pmat-list-orphans, pmat-cat-svpv) share: loading a dump with
 * their error format and progress display, and output setup.
 */
#ifndef PMAT_LEAKTOOLS_H
#define PMAT_LEAKTOOLS_H

#include "pmat_heap.h"

/* Printed by every program's --version. */
#define PMAT_VERSION "0.01"

/* Load FILE for program PROG.  Progress goes to stderr when it is a terminal, each line
 * prefixed with `prefix` (may be NULL).  Load warnings are printed to stderr.  On failure
 * prints "PROG: FILE: MESSAGE at byte N" and returns NULL (callers exit 2).  flags go to
 * struct pmat_load_opts (PMAT_LOAD_MINIMAL, ...). */
struct pmat_heap *leaktools_load(const char *prog, const char *file, unsigned flags,
                                 const char *prefix);

/* The most a .gz/.zst dump may inflate to (every program's default): the bytes in
 * $PMAT_MAX_DECOMPRESSED if set, else the machine's physical memory, so that a corrupt
 * or hostile file fails with one error instead of running the machine out of memory. */
uint64_t leaktools_decompress_limit(void);

/* Erase the progress line, if one was drawn. */
void leaktools_progress_clear(void);

/* Colour on stdout, as Devel::MAT's terminal output decides it: stdout is a terminal and
 * NO_COLOR is not set. */
int leaktools_colour(void);

/* Give stdout a large buffer (the programs print many short lines). */
void leaktools_buffer_stdout(void);

/* --help / --version as the only argument: prints usage (or "PROG VERSION") on stdout and
 * returns 1 (the caller exits 0); otherwise 0. */
int leaktools_help_version(const char *prog, int argc, char **argv, const char *usage);

#endif
