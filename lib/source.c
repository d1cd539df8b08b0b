/*
 * source.c — where a dump's bytes come from: a read-only mapping of the file (or the
 * whole of a pipe read into memory), gzip and zstd streams decompressed into one
 * buffer under the caller's size limit, and the dropping of mapped pages while the
 * passes walk the file.  Above heap.c only.
 */
#include "pmat_heap.h"
#include "load_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

static int read_all_fd(int fd, uint8_t **out, uint64_t *outlen, struct pmat_error *err)
{
    size_t cap = 1 << 20, len = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) goto oom;
    for (;;) {
        if (len == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb) goto oom;
            buf = nb;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR) continue;
            snprintf(err->msg, sizeof err->msg, "%s", strerror(errno));
            free(buf);
            return -1;
        }
        if (r == 0) break;
        size_t before = len;
        len += (size_t)r;
        /* Not a dump (nor gzip/zstd) from its first bytes: stop, so that /dev/zero or
         * /dev/urandom fail at once instead of filling memory; the parser reports it. */
        if (before < 4 && len >= 4 && memcmp(buf, "PMAT", 4) != 0 &&
            !(buf[0] == 0x1f && buf[1] == 0x8b) &&
            !(buf[0] == 0x28 && buf[1] == 0xb5 && buf[2] == 0x2f && buf[3] == 0xfd))
            break;
    }
    *out = buf, *outlen = len;
    return 0;
oom:
    free(buf);
    snprintf(err->msg, sizeof err->msg, "out of memory reading file");
    return -1;
}

/* Decompress a gzip stream (possibly multi-member) held in memory. */
static int gunzip_mem(const uint8_t *src, uint64_t srclen, uint8_t **out, uint64_t *outlen,
                      uint64_t limit, struct pmat_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 32) != Z_OK) {
        snprintf(err->msg, sizeof err->msg, "cannot initialise zlib");
        return -1;
    }
    size_t cap = srclen * 4 + (1 << 20), len = 0;
    if (limit && cap > limit) cap = limit;
    uint8_t *buf = malloc(cap);
    uint64_t consumed = 0;
    int rc = Z_OK;
    if (!buf) goto oom;
    while (consumed < srclen) {
        uInt chunk = srclen - consumed > (1u << 30) ? (1u << 30) : (uInt)(srclen - consumed);
        zs.next_in = (Bytef *)(src + consumed);
        zs.avail_in = chunk;
        do {
            if (len == cap) {
                if (limit && cap >= limit) goto toobig;
                cap *= 2;
                if (limit && cap > limit) cap = limit;
                uint8_t *nb = realloc(buf, cap);
                if (!nb) goto oom;
                buf = nb;
            }
            size_t room = cap - len > (1u << 30) ? (1u << 30) : cap - len;
            zs.next_out = buf + len;
            zs.avail_out = (uInt)room;
            rc = inflate(&zs, Z_NO_FLUSH);
            len += room - zs.avail_out;
            if (rc == Z_STREAM_END) {
                /* another gzip member may follow */
                consumed += chunk - zs.avail_in;
                if (consumed < srclen) {
                    inflateReset(&zs);
                    chunk = 0;
                }
                break;
            }
            if (rc != Z_OK && rc != Z_BUF_ERROR) goto bad;
            if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
        } while (zs.avail_in > 0 || zs.avail_out == 0);
        if (rc == Z_STREAM_END) continue;
        consumed += chunk - zs.avail_in;
        if (zs.avail_in == 0 && consumed >= srclen) break;
    }
    if (rc != Z_STREAM_END) {
        snprintf(err->msg, sizeof err->msg, "truncated gzip data");
        err->offset = len, err->has_offset = 1;
        inflateEnd(&zs);
        free(buf);
        return -1;
    }
    inflateEnd(&zs);
    *out = buf, *outlen = len;
    return 0;
toobig:
    snprintf(err->msg, sizeof err->msg, "decompressed data larger than %llu bytes",
             (unsigned long long)limit);
    err->offset = zs.total_in, err->has_offset = 1;
    inflateEnd(&zs);
    free(buf);
    return -1;
bad:
    snprintf(err->msg, sizeof err->msg, "corrupt gzip data (%s)", zs.msg ? zs.msg : "error");
    err->offset = zs.total_in, err->has_offset = 1;
    inflateEnd(&zs);
    free(buf);
    return -1;
oom:
    inflateEnd(&zs);
    free(buf);
    snprintf(err->msg, sizeof err->msg, "out of memory decompressing");
    return -1;
}

static int unzstd_mem(const uint8_t *src, uint64_t srclen, uint8_t **out, uint64_t *outlen,
                      uint64_t limit, struct pmat_error *err)
{
    ZSTD_DStream *zd = ZSTD_createDStream();
    if (!zd) {
        snprintf(err->msg, sizeof err->msg, "cannot initialise zstd");
        return -1;
    }
    ZSTD_initDStream(zd);
    size_t cap = srclen * 4 + (1 << 20), len = 0;
    if (limit && cap > limit) cap = limit;
    uint8_t *buf = malloc(cap);
    if (!buf) goto oom;
    ZSTD_inBuffer in = {src, srclen, 0};
    size_t last = 1;
    while (in.pos < in.size || last != 0) {
        if (len == cap) {
            if (limit && cap >= limit) {
                snprintf(err->msg, sizeof err->msg, "decompressed data larger than %llu bytes",
                         (unsigned long long)limit);
                err->offset = in.pos, err->has_offset = 1;
                goto fail;
            }
            cap *= 2;
            if (limit && cap > limit) cap = limit;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) goto oom;
            buf = nb;
        }
        ZSTD_outBuffer o = {buf + len, cap - len, 0};
        size_t before_in = in.pos;
        last = ZSTD_decompressStream(zd, &o, &in);
        if (ZSTD_isError(last)) {
            snprintf(err->msg, sizeof err->msg, "corrupt zstd data (%s)", ZSTD_getErrorName(last));
            err->offset = in.pos, err->has_offset = 1;
            goto fail;
        }
        len += o.pos;
        if (o.pos == 0 && in.pos == before_in && o.size > 0) {
            if (last != 0) {
                snprintf(err->msg, sizeof err->msg, "truncated zstd data");
                err->offset = len, err->has_offset = 1;
                goto fail;
            }
            break;
        }
    }
    ZSTD_freeDStream(zd);
    *out = buf, *outlen = len;
    return 0;
oom:
    snprintf(err->msg, sizeof err->msg, "out of memory decompressing");
fail:
    ZSTD_freeDStream(zd);
    free(buf);
    return -1;
}

/* Decompress h->data in place of itself when it starts with a gzip or zstd magic. */
int pmat__decompress(struct pmat_heap *h, uint64_t limit, struct pmat_error *err)
{
    const uint8_t *raw = h->data;
    uint64_t rawlen = h->len;
    int gz = rawlen >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;
    int zst = rawlen >= 4 && raw[0] == 0x28 && raw[1] == 0xb5 && raw[2] == 0x2f && raw[3] == 0xfd;
    if (!gz && !zst) return 0;
    uint8_t *out;
    uint64_t outlen;
    int rc = gz ? gunzip_mem(raw, rawlen, &out, &outlen, limit, err)
                : unzstd_mem(raw, rawlen, &out, &outlen, limit, err);
    if (h->mapped_kind == MAP_MMAP)
        munmap((void *)raw, rawlen);
    else if (h->mapped_kind == MAP_MALLOC)
        free((void *)raw);
    h->data = NULL, h->len = 0, h->mapped_kind = MAP_NONE;
    if (rc < 0) return -1;
    h->data = out, h->len = outlen, h->mapped_kind = MAP_MALLOC;
    return 0;
}

/* Map or read the file. */
int pmat__obtain_bytes(struct pmat_heap *h, const char *path, struct pmat_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err->msg, sizeof err->msg, "%s", strerror(errno));
        return -1;
    }
    struct stat st;
    uint8_t *raw = NULL;
    uint64_t rawlen = 0;
    int how = MAP_NONE;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            raw = m, rawlen = (uint64_t)st.st_size, how = MAP_MMAP;
            madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
        }
    }
    if (how == MAP_NONE) {
        if (read_all_fd(fd, &raw, &rawlen, err) < 0) {
            close(fd);
            return -1;
        }
        how = MAP_MALLOC;
    }
    close(fd);
    h->data = raw;
    h->len = rawlen;
    h->mapped_kind = how;
    return 0;
}

void pmat__release_file(struct pmat_heap *h)
{
    /* only for a read-only file mapping: dropping anonymous (decompressed) pages
     * would zero them */
    if (h->mapped_kind == MAP_MMAP && h->len) madvise((void *)h->data, h->len, MADV_DONTNEED);
    h->touched = 0;
}

void pmat__touched(struct pmat_heap *h, uint64_t bytes)
{
    h->touched += bytes;
    if (h->touched >= ((uint64_t)32 << 20)) pmat__release_file(h);
}
