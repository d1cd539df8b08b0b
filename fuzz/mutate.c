/*
 * mutate.c — a plain mutation fuzzer for machines without libFuzzer: it takes
 * seed files, applies random byte-level mutations (bit flips, interesting
 * values, truncation, deletion, duplication, splicing) and runs each result
 * through pmat_fuzz_one().  Built with ASan+UBSan; when a sanitizer fires or
 * an input runs too long, the input is saved as OUTDIR/crash-N.bin first.
 *
 *   mutate [-n RUNS] [-t SECONDS] [-s SEED] [-o OUTDIR] [-T TIMEOUT] SEEDFILE...
 */
#include "exercise.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* the death callback exists only in sanitizer builds (gcc: __SANITIZE_ADDRESS__) */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PMAT_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(PMAT_ASAN)
#include <sanitizer/common_interface_defs.h>
#define HAVE_SAN_CALLBACK 1
#endif

static const uint8_t *cur;
static size_t curlen;
static const char *outdir = ".";

/* Called on any fatal event: keep the input that caused it. */
static void save_current(void)
{
    if (!cur) return; /* between runs (e.g. the leak check at exit): nothing to blame */
    char path[4096];
    snprintf(path, sizeof path, "%s/crash-%ld-%u.bin", outdir, (long)time(NULL),
             (unsigned)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        if (curlen && write(fd, cur, curlen) < 0) { /* nothing more we can do */
        }
        close(fd);
    }
    static const char m[] = "mutate: failing input saved\n";
    if (write(2, m, sizeof m - 1) < 0) { /* ignore */
    }
}

static void on_signal(int sig)
{
    save_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

struct seed {
    uint8_t *p;
    size_t n;
};

static uint8_t *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    uint8_t *b = malloc(cap);
    size_t r;
    while (b && (r = fread(b + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len == cap) {
            uint8_t *nb = realloc(b, cap *= 2);
            if (!nb) free(b);
            b = nb;
        }
    }
    fclose(f);
    *n = len;
    return b;
}

/* Apply one random mutation to buf (len *n, capacity cap). */
static void mutate_once(uint8_t *buf, size_t *n, size_t cap, const struct seed *seeds, int nseeds)
{
    static const uint64_t interesting[] = {0,
                                           1,
                                           2,
                                           3,
                                           4,
                                           7,
                                           8,
                                           0x10,
                                           0x7f,
                                           0x80,
                                           0xff,
                                           0x100,
                                           0x7fff,
                                           0xffff,
                                           0x10000,
                                           0x7fffffff,
                                           0x80000000,
                                           0xffffffff,
                                           0x100000000ull,
                                           0x7fffffffffffffffull,
                                           0x8000000000000000ull,
                                           0xffffffffffffffffull};
    size_t len = *n;
    if (!len) {
        buf[0] = (uint8_t)rnd();
        *n = 1;
        return;
    }
    size_t at = rnd() % len;
    switch (rnd() % 10) {
    case 0:
        buf[at] ^= (uint8_t)(1u << (rnd() % 8));
        break;
    case 1:
        buf[at] = (uint8_t)rnd();
        break;
    case 2:
        buf[at] = (uint8_t)interesting[rnd() % 11];
        break;
    case 3:
    case 4: {
        int w = (rnd() & 1) ? 8 : 4;
        uint64_t v = interesting[rnd() % (sizeof interesting / sizeof interesting[0])];
        if (rnd() % 4 == 0) v = len - at + (rnd() % 16) - 8;
        for (int i = 0; i < w && at + i < len; i++)
            buf[at + i] = (uint8_t)(v >> (8 * i));
        break;
    }
    case 5:
        *n = at;
        break; /* truncate */
    case 6: {  /* delete a range */
        size_t k = 1 + rnd() % (len - at < 64 ? len - at : 64);
        memmove(buf + at, buf + at + k, len - at - k);
        *n = len - k;
        break;
    }
    case 7: { /* duplicate a range */
        size_t k = 1 + rnd() % (len - at < 64 ? len - at : 64);
        if (len + k > cap) break;
        memmove(buf + at + k, buf + at, len - at);
        *n = len + k;
        break;
    }
    case 8: { /* splice: copy a chunk of another seed over ours */
        const struct seed *s = &seeds[rnd() % nseeds];
        if (!s->n) break;
        size_t from = rnd() % s->n, k = 1 + rnd() % 256;
        if (from + k > s->n) k = s->n - from;
        if (at + k > len) k = len - at;
        memcpy(buf + at, s->p + from, k);
        break;
    }
    default:
        buf[at] += (uint8_t)(rnd() % 5) - 2;
        break;
    }
}

int main(int argc, char **argv)
{
    long runs = -1, seconds = 60, timeout = 10;
    int opt;
    while ((opt = getopt(argc, argv, "n:t:s:o:T:")) != -1) {
        switch (opt) {
        case 'n':
            runs = atol(optarg);
            break;
        case 't':
            seconds = atol(optarg);
            break;
        case 's':
            rng_state = strtoull(optarg, NULL, 0) | 1;
            break;
        case 'o':
            outdir = optarg;
            break;
        case 'T':
            timeout = atol(optarg);
            break;
        default:
            fprintf(stderr, "usage: mutate [-n RUNS] [-t SECONDS] [-s SEED] [-o DIR] SEED...\n");
            return 2;
        }
    }
    int nseeds = 0;
    struct seed *seeds = calloc((size_t)(argc - optind) + 1, sizeof *seeds);
    size_t maxlen = 0;
    for (int i = optind; i < argc; i++) {
        size_t n;
        uint8_t *p = read_file(argv[i], &n);
        if (!p) continue;
        seeds[nseeds++] = (struct seed){p, n};
        if (n > maxlen) maxlen = n;
    }
    if (!nseeds) {
        fprintf(stderr, "mutate: no seed files\n");
        return 2;
    }
#ifdef HAVE_SAN_CALLBACK
    __sanitizer_set_death_callback(save_current);
#endif
    signal(SIGSEGV, on_signal);
    signal(SIGBUS, on_signal);
    signal(SIGABRT, on_signal);
    signal(SIGALRM, on_signal);
    size_t cap = maxlen + 4096;
    uint8_t *buf = malloc(cap);
    time_t end = time(NULL) + seconds;
    long done = 0;
    /* seeds themselves first */
    for (int i = 0; i < nseeds; i++) {
        cur = seeds[i].p, curlen = seeds[i].n;
        alarm((unsigned)timeout);
        pmat_fuzz_one(cur, curlen, 1);
        done++;
    }
    while ((runs < 0 || done < runs) && (seconds <= 0 || time(NULL) < end)) {
        const struct seed *s = &seeds[rnd() % nseeds];
        size_t n = s->n;
        memcpy(buf, s->p, n);
        int k = 1 + (int)(rnd() % 6);
        for (int i = 0; i < k; i++)
            mutate_once(buf, &n, cap, seeds, nseeds);
        cur = buf, curlen = n;
        alarm((unsigned)timeout);
        pmat_fuzz_one(buf, n, (done & 7) == 0);
        done++;
    }
    alarm(0);
    cur = NULL, curlen = 0;
    free(buf);
    for (int i = 0; i < nseeds; i++)
        free(seeds[i].p);
    free(seeds);
    printf("mutate: %ld executions, no failures\n", done);
    return 0;
}
