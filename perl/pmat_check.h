/* pmat_check.h - fast structural validation of a .pmat file (formats 0.4 to
 * 0.6, little-endian, 64-bit UINT/PTR as written by this dumper). Used by the
 * tests to check many large dumps without loading them in Devel::MAT. */
#ifndef PMAT_CHECK_H
#define PMAT_CHECK_H
#include <stddef.h>
#include <stdint.h>

struct pmat_check_res {
  uint64_t nsv;             /* SV records (types 1..0x7E) */
  uint64_t by_type[256];    /* records per type byte */
  uint64_t nroots, nstack, ncontexts;
  uint64_t size_total;      /* sum of SIZE fields */
};

/* 0 if valid; else -1 with a message in err. */
int pmat_check_buf(const unsigned char *p, size_t n, struct pmat_check_res *res,
                   char *err, size_t errlen);
/* Read PATH (.gz and .zst decompressed) into a malloc()ed buffer. */
int pmat_slurp(const char *path, unsigned char **buf, size_t *len, char *err, size_t errlen);
#endif
