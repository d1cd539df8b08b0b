/*
 * heap.c — the bottom layer of libpmat: what every other file of lib/ reads the
 * loaded heap with (numbers and strings at offsets of the mapping, an SV by
 * address, an SV's extension records, roots), and the heap's teardown.  It calls
 * nothing else in lib/; the loader's passes (parse.c, fixup.c, refs.c) fill the
 * structure it reads.  See docs/design.md for the layers.
 */
#include "pmat_heap.h"
#include "bytes.h"
#include "load_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void pmat__warn(struct pmat_heap *h, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **w = realloc(h->warnings, (h->nwarnings + 1) * sizeof *w);
    if (!w) return;
    h->warnings = w;
    if ((w[h->nwarnings] = strdup(buf))) h->nwarnings++;
}

uint64_t pmat_rd_uint_mem(const struct pmat_heap *h, const uint8_t *s)
{
    return bytes_uint(h, s);
}
uint64_t pmat_rd_ptr_mem(const struct pmat_heap *h, const uint8_t *s)
{
    return bytes_ptr(h, s);
}
uint32_t pmat_rd_u32_mem(const struct pmat_heap *h, const uint8_t *s)
{
    return bytes_u32(h, s);
}
double pmat_rd_nv_mem(const struct pmat_heap *h, const uint8_t *s)
{
    return bytes_nv(h, s);
}
uint64_t pmat_rd_uint(const struct pmat_heap *h, uint64_t off)
{
    return bytes_uint(h, h->data + off);
}
uint64_t pmat_rd_ptr(const struct pmat_heap *h, uint64_t off)
{
    return bytes_ptr(h, h->data + off);
}
uint32_t pmat_rd_u32(const struct pmat_heap *h, uint64_t off)
{
    return bytes_u32(h, h->data + off);
}

/* Decode a STR at a known-good offset (used after the parse pass). */
uint64_t pmat__str_at(const struct pmat_heap *h, uint64_t off, struct pmat_str *s)
{
    uint64_t len = pmat_rd_uint(h, off);
    off += h->uint_len;
    if (len == (h->uint_len == 8 ? UINT64_MAX : UINT32_MAX)) {
        s->ptr = NULL, s->len = 0, s->defined = 0;
        return off;
    }
    s->ptr = h->data + off, s->len = len, s->defined = 1;
    return off + len;
}

int pmat_error_set(struct pmat_error *err, int status, const char *fmt, ...)
{
    if (!err) return status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->offset = 0;
    err->has_offset = 0;
    return status;
}

uint32_t pmat_sv_at(const struct pmat_heap *h, uint64_t addr)
{
    if (!addr) return PMAT_NONE;
    if (addr == h->undef_addr) return h->nsv;
    if (addr == h->yes_addr) return h->nsv + 1;
    if (addr == h->no_addr) return h->nsv + 2;
    if (h->nsv == 0 || addr < h->addr[0] || addr > h->addr[h->nsv - 1]) return PMAT_NONE;
    uint32_t lo = 0, hi = h->nsv;
    if (h->bucket) {
        uint64_t b = (addr - h->addr_min) >> h->bucket_shift;
        lo = h->bucket[b];
        hi = h->bucket[b + 1];
        if (lo == hi || addr < h->addr[lo]) return PMAT_NONE;
        /* SV heads sit in arenas, one every 2 pointers + 8 bytes: guess the slot from
         * the bucket's first address, so that most lookups read one line of addr[];
         * a gap (freed SVs) makes the guess too high, and the search below narrows */
        uint64_t g = lo + (addr - h->addr[lo]) / (2 * (uint64_t)h->ptr_len + 8);
        if (g >= hi) g = hi - 1;
        if (h->addr[g] == addr) return (uint32_t)g;
        if (h->addr[g] > addr)
            hi = (uint32_t)g;
        else
            lo = (uint32_t)g + 1;
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (h->addr[mid] < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < h->nsv && h->addr[lo] == addr ? lo : PMAT_NONE;
}

uint64_t pmat_exts_of(const struct pmat_heap *h, uint32_t sv, const struct pmat_ext **first)
{
    if (sv == PMAT_NONE || sv >= h->ntotal || !h->ext_start) {
        *first = NULL;
        return 0;
    }
    *first = h->exts + h->ext_start[sv];
    return h->ext_start[sv + 1] - h->ext_start[sv];
}

static int str_eq(struct pmat_str s, const char *c)
{
    size_t n = strlen(c);
    return s.defined && s.len == n && memcmp(s.ptr, c, n) == 0;
}

const struct pmat_root *pmat_sv_root(const struct pmat_heap *h, uint32_t sv)
{
    if (sv == PMAT_NONE || !(h->marks[sv] & PMAT_M_ROOT) || !h->root_by_sv) return NULL;
    /* the last root naming it wins, as when Devel::MAT assigns them in turn: the last
     * entry of sv's run in root_by_sv */
    uint32_t lo = 0, hi = h->nroot_by_sv;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (h->roots[h->root_by_sv[mid]].sv <= sv)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || h->roots[h->root_by_sv[lo - 1]].sv != sv) return NULL;
    return &h->roots[h->root_by_sv[lo - 1]];
}

const struct pmat_root *pmat_root_by_name(const struct pmat_heap *h, const char *name)
{
    for (uint32_t i = 0; i < h->nroots; i++)
        if (str_eq(h->roots[i].name, name)) return &h->roots[i];
    return NULL;
}

void pmat_perlversion(const struct pmat_heap *h, char *buf, size_t n)
{
    snprintf(buf, n, "%u.%u.%u", h->perlver >> 24, (h->perlver >> 16) & 0xff, h->perlver & 0xffff);
}

/* Analyses keep their caches in h->caches (pmat_heap.h); each brings its own free. */
void pmat__free_analyses(struct pmat_heap *h)
{
    for (int i = 0; i < 8; i++)
        if (h->caches[i].ptr && h->caches[i].free_fn) h->caches[i].free_fn(h->caches[i].ptr);
}

void pmat_free(struct pmat_heap *h)
{
    if (!h) return;
    if (h->data) {
        if (h->mapped_kind == MAP_MMAP)
            munmap((void *)h->data, h->len);
        else if (h->mapped_kind == MAP_MALLOC)
            free((void *)h->data);
    }
    for (uint32_t i = 0; i < h->nroots; i++)
        if (!h->roots[i].known) free((char *)h->roots[i].desc);
    for (uint32_t i = 0; i < h->nstructs; i++)
        free(h->structs[i].fields);
    for (uint32_t i = 0; i < h->nwarnings; i++)
        free(h->warnings[i]);
    free(h->warnings);
    free(h->structs);
    free(h->roots), free(h->stack_addr), free(h->stack), free(h->contexts), free(h->mortal_addr);
    free(h->addr), free(h->rec), free(h->size), free(h->refcnt), free(h->blessed);
    free(h->glob_at), free(h->kind), free(h->ftype), free(h->flags), free(h->marks);
    free(h->exts), free(h->ext_start), free(h->bucket);
    free(h->root_by_sv), free(h->struct_sv), free(h->struct_type);
    free(h->code_slot), free(h->codes), free(h->pool), free(h->padnames), free(h->padcv_sv),
        free(h->padcv_cv);
    free(h->out_start), free(h->out_target), free(h->out_aux), free(h->out_kind), free(h->out_str);
    free(h->in_start), free(h->in_source), free(h->in_edge);
    free(h->root_strong_count), free(h->root_weak_count), free(h->stack_count);
    pmat__free_analyses(h);
    free(h->path);
    free(h);
}
