/* pmat_check.c - see pmat_check.h */
#include "pmat_check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

typedef struct {
  const unsigned char *p, *end, *start;
  char *err; size_t errlen;
  int failed;
  unsigned char sizes[256][3];
  int nsizes, nsvx, nctx;
  int minor;
  unsigned char svx[64][3], ctx[16][3];
  /* address set of SV records, for checking extension records */
  uint64_t *set; size_t setcap, setn;
} rd;

static void fail(rd *r, const char *fmt, ...)
{
  if(r->failed) return;
  r->failed = 1;
  va_list ap; va_start(ap, fmt);
  int k = snprintf(r->err, r->errlen, "at byte %zu: ", (size_t)(r->p - r->start));
  if(k > 0 && (size_t)k < r->errlen) vsnprintf(r->err + k, r->errlen - k, fmt, ap);
  va_end(ap);
  r->p = r->end;
}

static int need(rd *r, size_t n)
{
  if(r->failed) return 0;
  if((size_t)(r->end - r->p) < n) { fail(r, "truncated (need %zu bytes)", n); return 0; }
  return 1;
}
static uint64_t u8(rd *r)  { if(!need(r, 1)) return 0; return *r->p++; }
static uint64_t u32(rd *r) { uint32_t v; if(!need(r, 4)) return 0; memcpy(&v, r->p, 4); r->p += 4; return v; }
static uint64_t u64(rd *r) { uint64_t v; if(!need(r, 8)) return 0; memcpy(&v, r->p, 8); r->p += 8; return v; }
static void skip(rd *r, size_t n) { if(need(r, n)) r->p += n; }
static void str(rd *r)
{
  uint64_t len = u64(r);
  if(len == UINT64_MAX) return;
  skip(r, len);
}

static void set_add(rd *r, uint64_t a)
{
  if(r->setn * 2 >= r->setcap) {
    size_t ncap = r->setcap ? r->setcap * 2 : 1 << 16;
    uint64_t *ns = calloc(ncap, sizeof *ns);
    if(!ns) { fail(r, "out of memory"); return; }
    for(size_t i = 0; i < r->setcap; i++) {
      if(!r->set[i]) continue;
      size_t h = (r->set[i] * 0x9E3779B97F4A7C15ull) >> 20 & (ncap - 1);
      while(ns[h]) h = (h + 1) & (ncap - 1);
      ns[h] = r->set[i];
    }
    free(r->set); r->set = ns; r->setcap = ncap;
  }
  size_t h = (a * 0x9E3779B97F4A7C15ull) >> 20 & (r->setcap - 1);
  while(r->set[h]) { if(r->set[h] == a) return; h = (h + 1) & (r->setcap - 1); }
  r->set[h] = a; r->setn++;
}
static int set_has(rd *r, uint64_t a)
{
  if(!r->setcap) return 0;
  size_t h = (a * 0x9E3779B97F4A7C15ull) >> 20 & (r->setcap - 1);
  while(r->set[h]) { if(r->set[h] == a) return 1; h = (h + 1) & (r->setcap - 1); }
  return 0;
}

static void groups(rd *r, const unsigned char s[3])
{
  skip(r, s[0]);
  skip(r, (size_t)s[1] * 8);
  for(int i = 0; i < s[2]; i++) str(r);
}

/* One SV record after its type byte, including its body. */
static void sv_record(rd *r, int type, struct pmat_check_res *res)
{
  if(type >= r->nsizes) { fail(r, "SV type %d not in the size table", type); return; }
  const unsigned char *hdr = r->p;
  groups(r, r->sizes[0]);
  if(r->failed) return;
  uint64_t addr, size;
  memcpy(&addr, hdr, 8);
  memcpy(&size, hdr + 12, 8);
  if(!addr) { fail(r, "SV record with NULL address"); return; }
  set_add(r, addr);
  res->size_total += size;
  const unsigned char *tp = r->p;
  groups(r, r->sizes[type]);
  if(r->failed) return;
  uint64_t n;
  switch(type) {
    case 2: if(tp[0] & ~0x1F) fail(r, "bad SCALAR flags %02x", tp[0]); break;
    case 3: if(tp[0] & ~0x01) fail(r, "bad REF flags %02x", tp[0]); break;
    case 4:
      memcpy(&n, tp, 8);
      if(n > (uint64_t)(r->end - r->p) / 8) { fail(r, "ARRAY count %llu too big", (unsigned long long)n); return; }
      skip(r, n * 8);
      break;
    case 5: case 6: case 17: {
      /* 0.6 has a HEK pointer between key and value */
      size_t pair = r->minor >= 6 ? 24 : 16;
      memcpy(&n, tp, 8);
      if(n > (uint64_t)(r->end - r->p) / pair) { fail(r, "HASH count too big"); return; }
      for(uint64_t i = 0; i < n && !r->failed; i++) { str(r); skip(r, pair - 8); }
      if(type == 17) {                /* CLASS: its fields, 0-terminated */
        for(;;) {
          int ct = (int)u8(r);
          if(r->failed || ct == 0) break;
          if(ct != 1) { fail(r, "unhandled CLASSx type %d", ct); return; }
          skip(r, 8); str(r);
        }
      }
      break;
    }
    case 16:
      memcpy(&n, tp, 8);
      if(n > (uint64_t)(r->end - r->p) / 8) { fail(r, "OBJECT count %llu too big", (unsigned long long)n); return; }
      skip(r, n * 8);
      break;
    case 7:
      for(;;) {
        int st = (int)u8(r);
        if(r->failed || st == 0) break;
        switch(st) {
          case 1: case 3: case 7: skip(r, 8); break;
          case 2: case 4: skip(r, 8); break;
          case 5: skip(r, 8); str(r); skip(r, 8); break;
          case 8: skip(r, 16); break;
          case 9: skip(r, 9); break;
          case 10: skip(r, 24); break;
          default: fail(r, "unhandled CODEx type %d", st); return;
        }
      }
      break;
  }
}

int pmat_check_buf(const unsigned char *p, size_t n, struct pmat_check_res *res,
                   char *err, size_t errlen)
{
  rd r;
  memset(&r, 0, sizeof r);
  memset(res, 0, sizeof *res);
  r.p = r.start = p; r.end = p + n; r.err = err; r.errlen = errlen;
  if(errlen) err[0] = 0;

  if(n < 12 || memcmp(p, "PMAT", 4) != 0) { fail(&r, "File magic signature not found"); goto out; }
  r.p += 4;
  int flags = (int)u8(&r);
  if(flags != 0x16 && flags != 0x06) { fail(&r, "unsupported flags %02x", flags); goto out; }
  if(u8(&r) != 0 || u8(&r) != 0) { fail(&r, "bad zero/major field"); goto out; }
  int minor = r.minor = (int)u8(&r);
  if(minor < 4 || minor > 6) { fail(&r, "unsupported minor %d", minor); goto out; }
  u32(&r);
  r.nsizes = (int)u8(&r);
  for(int i = 0; i < r.nsizes; i++) for(int j = 0; j < 3; j++) r.sizes[i][j] = (unsigned char)u8(&r);
  r.nsvx = (int)u8(&r);
  if(r.nsvx > 64) { fail(&r, "too many SVx types"); goto out; }
  for(int i = 0; i < r.nsvx; i++) for(int j = 0; j < 3; j++) r.svx[i][j] = (unsigned char)u8(&r);
  r.nctx = (int)u8(&r);
  if(r.nctx > 16) { fail(&r, "too many context types"); goto out; }
  for(int i = 0; i < r.nctx; i++) for(int j = 0; j < 3; j++) r.ctx[i][j] = (unsigned char)u8(&r);

  skip(&r, 24);
  res->nroots = u32(&r);
  for(uint64_t i = 0; i < res->nroots && !r.failed; i++) { str(&r); skip(&r, 8); }
  res->nstack = u64(&r);
  if(res->nstack > n / 8) { fail(&r, "stack too big"); goto out; }
  skip(&r, res->nstack * 8);

  uint64_t nstructids = 0;
  while(!r.failed) {
    int type = (int)u8(&r);
    if(r.failed || type == 0) break;
    res->by_type[type]++;
    if(type == 0xF0) {
      uint64_t id = u64(&r), nf = u64(&r);
      str(&r);
      if(nf > n) { fail(&r, "bad META_STRUCT"); break; }
      for(uint64_t i = 0; i < nf && !r.failed; i++) { str(&r); u8(&r); }
      if(id >= nstructids) nstructids = id + 1;
      /* field types are not kept: STRUCT records are only skipped if the
       * struct was defined with fixed-size fields, which we can't verify
       * without them, so a STRUCT ends checking of the heap */
    }
    else if(type == 0x7F) {
      fail(&r, "STRUCT records are not checked");
    }
    else if(type >= 0x80) {
      int x = type - 0x80;
      if(x >= r.nsvx) { fail(&r, "Unrecognised SV extension type %02x", type); break; }
      uint64_t a = u64(&r);
      if(!set_has(&r, a)) { fail(&r, "extension %02x for unknown SV 0x%llx", type, (unsigned long long)a); break; }
      groups(&r, r.svx[x]);
    }
    else if(type > 0xF0) { fail(&r, "Unrecognised META tag %02X", type); }
    else { res->nsv++; sv_record(&r, type, res); }
  }
  while(!r.failed) {
    int type = (int)u8(&r);
    if(r.failed || type == 0) break;
    if(type >= r.nctx) { fail(&r, "bad context type %d", type); break; }
    res->ncontexts++;
    groups(&r, r.ctx[0]);
    groups(&r, r.ctx[type]);
  }
  if(!r.failed && minor >= 5) {       /* the mortals and their floor */
    uint64_t nm = u64(&r);
    if(nm > n / 8) fail(&r, "mortals count too big");
    skip(&r, nm * 8);
    u64(&r);
  }
  if(!r.failed && r.p != r.end) fail(&r, "%zu trailing bytes", (size_t)(r.end - r.p));
out:
  free(r.set);
  return r.failed ? -1 : 0;
}

int pmat_slurp(const char *path, unsigned char **bufp, size_t *lenp, char *err, size_t errlen)
{
  size_t cap = 1 << 20, len = 0;
  unsigned char *buf = malloc(cap);
  size_t pl = strlen(path);
  if(!buf) { snprintf(err, errlen, "out of memory"); return -1; }
  if(pl > 4 && strcmp(path + pl - 4, ".zst") == 0) {
    FILE *f = fopen(path, "rb");
    if(!f) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); free(buf); return -1; }
    ZSTD_DStream *ds = ZSTD_createDStream();
    size_t inc = ZSTD_DStreamInSize();
    unsigned char *in = malloc(inc);
    size_t got, last = 1;
    int done = 0;             /* a call returned 0: frame complete and flushed */
    while((got = fread(in, 1, inc, f)) > 0) {
      ZSTD_inBuffer ib = { in, got, 0 };
      while(ib.pos < ib.size) {
        if(cap - len < (1 << 16)) { cap *= 2; buf = realloc(buf, cap); }
        ZSTD_outBuffer ob = { buf + len, cap - len, 0 };
        last = ZSTD_decompressStream(ds, &ob, &ib);
        if(ZSTD_isError(last)) { snprintf(err, errlen, "zstd: %s", ZSTD_getErrorName(last)); goto zfail; }
        len += ob.pos;
        done = (last == 0);
      }
    }
    while(!done) {               /* drain buffered output */
      if(cap - len < (1 << 16)) { cap *= 2; buf = realloc(buf, cap); }
      ZSTD_inBuffer ib = { in, 0, 0 };
      ZSTD_outBuffer ob = { buf + len, cap - len, 0 };
      last = ZSTD_decompressStream(ds, &ob, &ib);
      if(ZSTD_isError(last)) { snprintf(err, errlen, "zstd: %s", ZSTD_getErrorName(last)); goto zfail; }
      len += ob.pos;
      done = (last == 0);
      if(ob.pos == 0) break;
    }
    if(!done) { snprintf(err, errlen, "zstd: truncated frame"); goto zfail; }
    ZSTD_freeDStream(ds); free(in); fclose(f);
    *bufp = buf; *lenp = len;
    return 0;
  zfail:
    ZSTD_freeDStream(ds); free(in); fclose(f); free(buf);
    return -1;
  }
  gzFile g = gzopen(path, "rb");   /* reads plain files too */
  if(!g) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); free(buf); return -1; }
  gzbuffer(g, 1 << 20);
  for(;;) {
    if(cap - len < (1 << 20)) { cap *= 2; buf = realloc(buf, cap); }
    int got = gzread(g, buf + len, (unsigned)(cap - len > (1u << 30) ? (1u << 30) : cap - len));
    if(got < 0) { int e; snprintf(err, errlen, "gzread: %s", gzerror(g, &e)); gzclose(g); free(buf); return -1; }
    if(got == 0) break;
    len += (size_t)got;
  }
  gzclose(g);
  *bufp = buf; *lenp = len;
  return 0;
}
