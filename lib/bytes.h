/*
 * bytes.h — decoding the dump's fixed-width numbers (UINT, PTR, U32, NV) in the
 * file's widths and byte order.  Inline, so that the parser's inner loop pays no
 * call; everything else uses the exported pmat_rd_* of heap.c, which wrap these.
 * Internal to lib/.
 */
#ifndef PMAT_BYTES_H
#define PMAT_BYTES_H

#include "pmat_heap.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Fixed-width little-endian loads: the common case (x86_64 dumps) gets one move. */
static inline uint64_t bytes_le64(const uint8_t *s)
{
    uint64_t v;
    memcpy(&v, s, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* An unsigned number of `width` bytes (1 to 8) in the given byte order. */
static inline uint64_t bytes_word(const uint8_t *s, int width, int big_endian)
{
    if (width == 8 && !big_endian) return bytes_le64(s);
    uint64_t v = 0;
    if (big_endian)
        for (int i = 0; i < width; i++)
            v = (v << 8) | s[i];
    else
        for (int i = width - 1; i >= 0; i--)
            v = (v << 8) | s[i];
    return v;
}

static inline uint64_t bytes_uint(const struct pmat_heap *h, const uint8_t *s)
{
    return bytes_word(s, h->uint_len, h->big_endian);
}

static inline uint64_t bytes_ptr(const struct pmat_heap *h, const uint8_t *s)
{
    return bytes_word(s, h->ptr_len, h->big_endian);
}

static inline uint32_t bytes_u32(const struct pmat_heap *h, const uint8_t *s)
{
    if (h->big_endian)
        return (uint32_t)s[0] << 24 | (uint32_t)s[1] << 16 | (uint32_t)s[2] << 8 | s[3];
    return (uint32_t)s[3] << 24 | (uint32_t)s[2] << 16 | (uint32_t)s[1] << 8 | s[0];
}

/* NV: an IEEE double, or (flag 0x08) the first 10 bytes of an x87 long double. */
static inline double bytes_nv(const struct pmat_heap *h, const uint8_t *s)
{
    uint8_t b[10];
    if (h->nv_len == 8) {
        for (int i = 0; i < 8; i++)
            b[i] = h->big_endian ? s[7 - i] : s[i];
        double d;
        memcpy(&d, b, 8);
        return d;
    }
    for (int i = 0; i < 10; i++)
        b[i] = h->big_endian ? s[9 - i] : s[i];
    /* x87 extended: 64-bit mantissa with explicit integer bit, 15-bit exponent, sign */
    uint64_t mant = 0;
    for (int i = 7; i >= 0; i--)
        mant = (mant << 8) | b[i];
    int exp = ((b[9] & 0x7F) << 8) | b[8];
    int neg = b[9] & 0x80;
    double d;
    if (exp == 0 && mant == 0)
        d = 0.0;
    else if (exp == 0x7FFF)
        d = (mant << 1) ? __builtin_nan("") : __builtin_inf();
    else
        d = ldexp((double)mant, exp - 16383 - 63);
    return neg ? -d : d;
}

#endif
