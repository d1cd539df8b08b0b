/* pmat_out.c - see pmat_out.h */
#include "pmat_out.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

/* write(2) all of [p, p+n), retrying on EINTR and short writes. */
static int write_all(int fd, const unsigned char *p, size_t n)
{
  while(n) {
    ssize_t w = write(fd, p, n);
    if(w < 0) {
      if(errno == EINTR) continue;
      return errno;
    }
    if(w == 0) return EIO;
    p += w; n -= (size_t)w;
  }
  return 0;
}

static void sink(pmat_out *o, const unsigned char *p, size_t n)
{
  if(o->err || !n) return;
  int e = write_all(o->fd, p, n);
  if(e) o->err = e;
  else o->bytes_out += n;
}

int pmat_out_open(pmat_out *o, int fd, int comp, size_t bufsize)
{
  memset(o, 0, sizeof *o);
  o->fd = fd;
  o->comp = comp;
  o->cap = bufsize;
  if(!(o->buf = malloc(bufsize))) return ENOMEM;
  if(comp == PMAT_COMP_GZIP) {
    z_stream *zs = calloc(1, sizeof *zs);
    if(!zs) return ENOMEM;
    /* windowBits 15+16: gzip wrapper; level 1 keeps the dump fast */
    if(deflateInit2(zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      free(zs); return ENOMEM;
    }
    o->zctx = zs;
  }
  else if(comp == PMAT_COMP_ZSTD) {
    ZSTD_CCtx *zc = ZSTD_createCCtx();
    if(!zc) return ENOMEM;
    ZSTD_CCtx_setParameter(zc, ZSTD_c_compressionLevel, 1);
    o->zctx = zc;
  }
  else if(comp != PMAT_COMP_NONE)
    return EINVAL;
  if(comp != PMAT_COMP_NONE) {
    o->ccap = comp == PMAT_COMP_ZSTD ? ZSTD_CStreamOutSize() * 4 : bufsize;
    if(o->ccap < 65536) o->ccap = 65536;
    if(!(o->cbuf = malloc(o->ccap))) return ENOMEM;
  }
  return 0;
}

/* Compress (or pass through) the pending buffer; with finish set, also end
 * the compressed stream. */
static void drain(pmat_out *o, int finish)
{
  const unsigned char *p = o->buf;
  size_t n = o->len;
  o->bytes_in += n;
  o->len = 0;
  if(o->err) return;

  if(o->comp == PMAT_COMP_NONE) {
    sink(o, p, n);
  }
  else if(o->comp == PMAT_COMP_GZIP) {
    z_stream *zs = o->zctx;
    zs->next_in = (Bytef *)p;
    zs->avail_in = (uInt)n;
    for(;;) {
      zs->next_out = o->cbuf;
      zs->avail_out = (uInt)o->ccap;
      int rc = deflate(zs, finish ? Z_FINISH : Z_NO_FLUSH);
      if(rc == Z_STREAM_ERROR) { o->err = EIO; return; }
      sink(o, o->cbuf, o->ccap - zs->avail_out);
      if(o->err) return;
      if(finish ? rc == Z_STREAM_END : (zs->avail_in == 0 && zs->avail_out != 0))
        break;
    }
  }
  else {
    ZSTD_inBuffer in = { p, n, 0 };
    for(;;) {
      ZSTD_outBuffer out = { o->cbuf, o->ccap, 0 };
      size_t rem = ZSTD_compressStream2(o->zctx, &out, &in,
          finish ? ZSTD_e_end : ZSTD_e_continue);
      if(ZSTD_isError(rem)) { o->err = EIO; return; }
      sink(o, o->cbuf, out.pos);
      if(o->err) return;
      if(finish ? rem == 0 : in.pos == in.size)
        break;
    }
  }
}

void pmat_out_flush(pmat_out *o)
{
  drain(o, 0);
}

int pmat_out_finish(pmat_out *o)
{
  drain(o, o->comp != PMAT_COMP_NONE);
  return o->err;
}

void pmat_out_free(pmat_out *o)
{
  if(o->zctx) {
    if(o->comp == PMAT_COMP_GZIP) { deflateEnd(o->zctx); free(o->zctx); }
    else ZSTD_freeCCtx(o->zctx);
  }
  free(o->buf);
  free(o->cbuf);
  o->buf = o->cbuf = NULL;
  o->zctx = NULL;
}
