/* pmat_out.h - buffered, optionally compressed, error-latching byte sink for
 * the Devel::PMAT dumper.  No Perl headers: usable from a forked child. */
#ifndef PMAT_OUT_H
#define PMAT_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { PMAT_COMP_NONE = 0, PMAT_COMP_GZIP = 1, PMAT_COMP_ZSTD = 2 };

typedef struct pmat_out {
  int      fd;
  int      comp;
  int      err;          /* first errno seen; once set, output is discarded */
  size_t   len, cap;
  unsigned char *buf;
  void    *zctx;         /* z_stream* or ZSTD_CCtx* */
  unsigned char *cbuf;   /* compressed-output staging buffer */
  size_t   ccap;
  uint64_t bytes_in;     /* uncompressed bytes accepted */
  uint64_t bytes_out;    /* bytes handed to write(2) */
} pmat_out;

/* Allocate buffers and the compressor; returns 0 or an errno value. */
int  pmat_out_open(pmat_out *o, int fd, int comp, size_t bufsize);
/* Push everything through (and finish the compressed frame); 0 or errno. */
int  pmat_out_finish(pmat_out *o);
/* Release memory (does not close fd). */
void pmat_out_free(pmat_out *o);
/* Drain the buffer; latches errors into o->err. */
void pmat_out_flush(pmat_out *o);

static inline void pmat_out_bytes(pmat_out *o, const void *p, size_t n)
{
  if(o->len + n > o->cap) {
    pmat_out_flush(o);
    if(n > o->cap) {                 /* huge string: feed it in slices */
      const unsigned char *s = p;
      while(n) {
        size_t k = n < o->cap ? n : o->cap;
        memcpy(o->buf, s, k); o->len = k; pmat_out_flush(o);
        s += k; n -= k;
      }
      return;
    }
  }
  memcpy(o->buf + o->len, p, n);
  o->len += n;
}

static inline void pmat_out_u8(pmat_out *o, uint8_t v)
{
  if(o->len + 1 > o->cap) pmat_out_flush(o);
  o->buf[o->len++] = v;
}
static inline void pmat_out_u32(pmat_out *o, uint32_t v) { pmat_out_bytes(o, &v, 4); }
static inline void pmat_out_u64(pmat_out *o, uint64_t v) { pmat_out_bytes(o, &v, 8); }

#endif
