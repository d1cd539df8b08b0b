/* pmat_dump.h - the heap walker that writes .pmat files (format 0.4, 0.5, 0.6) */
#ifndef PMAT_DUMP_H
#define PMAT_DUMP_H

#include "pmat_out.h"

/* The DMD helper API hands this to helpers as an opaque DMDContext*.
 * `magic` lets pmat_writestruct() refuse a context that is not ours. */
struct DMDContext {
  uint32_t  magic;
  pmat_out *out;
  IV        max_string;
  int       minor;         /* format 0.MINOR being written: 4, 5 or 6 */
  int       run_helpers;   /* helpers only if writestruct() in PL_modglobal is ours */
  HV       *helper_per_package;
  HV       *helper_per_magic;
  /* struct type names seen so far in this dump (id = index) */
  char    **structnames;
  size_t    nstructs, structcap;
};
typedef struct DMDContext pmat_ctx;

#define PMAT_CTX_MAGIC 0x504d4154u

/* Format minor versions we write; the default is what Devel::MAT::Dumper
 * 0.52 writes. */
#define PMAT_FORMAT_DEFAULT 6
#define PMAT_FORMAT_MIN     4
#define PMAT_FORMAT_MAX     6

/* Write a whole dump in format 0.MINOR to o. */
void pmat_dump_heap(pTHX_ pmat_out *o, IV max_string, int minor);

/* The function published under "Devel::MAT::Dumper/writestruct()". */
typedef struct {
  const char *name;
  enum { PMAT_FIELD_PTR, PMAT_FIELD_BOOL, PMAT_FIELD_U8, PMAT_FIELD_U32, PMAT_FIELD_UINT } type;
  struct {
    void *ptr;
    bool  b;
    long  n;
  };
} pmat_named_field;

void pmat_writestruct(pTHX_ pmat_ctx *ctx, const char *name, void *addr, size_t size,
    size_t nfields, const pmat_named_field fields[]);

/* Arena census for count_svs(): kinds indexed by the PMAT_K_* values. */
enum {
  PMAT_K_SCALAR, PMAT_K_BOOL, PMAT_K_REF, PMAT_K_ARRAY, PMAT_K_PAD, PMAT_K_HASH,
  PMAT_K_STASH, PMAT_K_CODE, PMAT_K_GLOB, PMAT_K_IO, PMAT_K_LVALUE, PMAT_K_REGEXP,
  PMAT_K_FORMAT, PMAT_K_INVLIST, PMAT_K_OBJECT, PMAT_K_CLASS, PMAT_K_UNKNOWN,
  PMAT_K_MAX
};
extern const char *const pmat_kind_names[PMAT_K_MAX];
void pmat_count_kinds(pTHX_ UV counts[PMAT_K_MAX]);

/* Blessed-SV census: calls cb(stash, count) for each stash seen. */
void pmat_count_classes(pTHX_ void (*cb)(pTHX_ HV *stash, UV count, void *arg), void *arg);

#endif
