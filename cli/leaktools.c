/*
 * leaktools.c — shared by the helper programs: loading with their error format
 * and progress line, colour decision, stdout buffering (see leaktools.h).
 */
#include "leaktools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int leaktools_progress_drawn;

struct leaktools_progress {
    const char *prefix;
};

/* Devel::MAT redraws its progress line in place with "\r\e[K". */
static void leaktools_progress_cb(void *ud, const char *stage, uint64_t done, uint64_t total)
{
    const struct leaktools_progress *pr = ud;
    double pct = total ? 100.0 * (double)done / (double)total : 100.0;
    fprintf(stderr, "\r\033[K%s%s %llu of %llu bytes (%.2f%%)", pr->prefix ? pr->prefix : "", stage,
            (unsigned long long)done, (unsigned long long)total, pct);
    fflush(stderr);
    leaktools_progress_drawn = 1;
}

void leaktools_progress_clear(void)
{
    if (!leaktools_progress_drawn) return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    leaktools_progress_drawn = 0;
}

uint64_t leaktools_decompress_limit(void)
{
    const char *env = getenv("PMAT_MAX_DECOMPRESSED");
    if (env && *env) {
        char *end;
        unsigned long long v = strtoull(env, &end, 10);
        if (!*end && v) return v;
    }
    long pages = sysconf(_SC_PHYS_PAGES), pagesize = sysconf(_SC_PAGESIZE);
    return pages > 0 && pagesize > 0 ? (uint64_t)pages * (uint64_t)pagesize : 0;
}

struct pmat_heap *leaktools_load(const char *prog, const char *file, unsigned flags,
                                 const char *prefix)
{
    struct leaktools_progress pr = {prefix};
    struct pmat_load_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.flags = flags;
    lo.max_decompressed = leaktools_decompress_limit();
    if (isatty(2)) {
        lo.progress = leaktools_progress_cb;
        lo.progress_ud = &pr;
        fprintf(stderr, "\r\033[K%sLoading file %s...", prefix ? prefix : "", file);
        fflush(stderr);
        leaktools_progress_drawn = 1;
    }
    struct pmat_error err;
    struct pmat_heap *h = pmat_load(file, &lo, &err);
    leaktools_progress_clear();
    if (!h) {
        fflush(stdout);
        if (err.has_offset)
            fprintf(stderr, "%s: %s: %s at byte %llu\n", prog, file, err.msg,
                    (unsigned long long)err.offset);
        else
            fprintf(stderr, "%s: %s: %s\n", prog, file, err.msg);
        return NULL;
    }
    for (uint32_t w = 0; w < h->nwarnings; w++) {
        size_t n = strlen(h->warnings[w]);
        fprintf(stderr, "%s%s", h->warnings[w], n && h->warnings[w][n - 1] == '\n' ? "" : "\n");
    }
    return h;
}

int leaktools_colour(void)
{
    const char *nc = getenv("NO_COLOR");
    return isatty(1) && !(nc && *nc);
}

void leaktools_buffer_stdout(void)
{
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
}

int leaktools_help_version(const char *prog, int argc, char **argv, const char *usage)
{
    if (argc != 2) return 0;
    if (!strcmp(argv[1], "--help")) {
        fputs(usage, stdout);
        return 1;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("%s %s\n", prog, PMAT_VERSION);
        return 1;
    }
    return 0;
}
