/*
 * main_pmat-leakreport.c — `pmat-leakreport [-1|--onefile] FILE1 FILE2 FILE3 ...`
 *
 * Lists the SVs that appeared in some dump of a series and survived to the last
 * one, as Devel::MAT 0.51's pmat-leakreport does (lib/leak.c has the algorithm).
 * All dumps but the last are loaded in minimal mode and dropped as soon as
 * their keys are taken, so memory stays near that of one loaded dump.
 */
#include <ctype.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "leaktools.h"
#include "pmat_leak.h"
#include "pmat_text.h"

static const char *const prog = "pmat-leakreport";

static const char usage[] =
    "Usage: pmat-leakreport [OPTIONS] FILE1 FILE2 FILE3 [FILE...]\n"
    "\n"
    "Reports the SVs that appeared between two dumps of a series and still exist\n"
    "in the last one: LEAK[N] is the index of the dump they first appeared in.\n"
    "The dumps are of one process, at least 3, taken in order.\n"
    "\n"
    "Options:\n"
    "  -1, --onefile  stop collecting new leaks while earlier ones are pending\n"
    "  --class        add each SV's class: LEAK[2] HASH(8)=Conn at 0x...\n"
    "  --summary      one line per class (blessed package, else kind): count,\n"
    "                 bytes, dumps, and one example\n"
    "  --force        accept dumps of different programs and dumps whose\n"
    "                 modification times are out of order (kept as given)\n"
    "  --help         print this help and exit\n"
    "  --version      print the version and exit\n";

struct opts {
    int onefile, summary, class, force;
};

/* Getopt::Long as Devel::MAT's program configures it ('1|onefile'): options anywhere,
 * "-" or "--", case-insensitive, unique abbreviations, "--" ends options.  Our
 * additions (--class, --summary, --force, --help, --version) share the rules.  Collects
 * the non-option arguments into files; returns 0, 1 after printing every problem, or
 * 3 when --help/--version was answered. */
static int parse_args(int argc, char **argv, struct opts *o, const char **files, int *nfiles)
{
    static const char *const longs[] = {"onefile", "class", "summary", "force", "help", "version"};
    int bad = 0, options_done = 0;
    *nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || !arg[1]) {
            files[(*nfiles)++] = arg;
            continue;
        }
        if (!strcmp(arg, "--")) {
            options_done = 1;
            continue;
        }
        const char *name = arg + 1 + (arg[1] == '-');
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        char lower[256];
        size_t n = len < sizeof lower - 1 ? len : sizeof lower - 1;
        for (size_t k = 0; k < n; k++)
            lower[k] = (char)tolower((unsigned char)name[k]);
        lower[n] = 0;
        const char *matched = NULL;
        int nmatch = 0;
        if (!strcmp(lower, "1")) {
            matched = "1", nmatch = 1;
        } else {
            for (size_t l = 0; l < sizeof longs / sizeof longs[0]; l++) {
                if (n > 0 && !strncmp(longs[l], lower, n)) {
                    if (strlen(longs[l]) == n) { /* exact beats abbreviations */
                        matched = longs[l], nmatch = 1;
                        break;
                    }
                    matched = longs[l], nmatch++;
                }
            }
        }
        if (nmatch > 1) {
            fprintf(stderr, "Option %s is ambiguous\n", lower);
            bad = 1;
        } else if (!matched) {
            fprintf(stderr, "Unknown option: %s\n", lower);
            bad = 1;
        } else if (eq) {
            fprintf(stderr, "Option %s does not take an argument\n", matched);
            bad = 1;
        } else if (!strcmp(matched, "help")) {
            fputs(usage, stdout);
            return 3;
        } else if (!strcmp(matched, "version")) {
            printf("%s %s\n", prog, PMAT_VERSION);
            return 3;
        } else {
            int *flag = !strcmp(matched, "1") || !strcmp(matched, "onefile") ? &o->onefile
                        : !strcmp(matched, "class")                          ? &o->class
                        : !strcmp(matched, "summary")                        ? &o->summary
                                                                             : &o->force;
            *flag = 1;
        }
    }
    return bad;
}

/* Modification times, the only dump time a file has (the format records none). */
struct dumpfile {
    const char *name;
    struct timespec mtime;
    int given; /* position on the command line */
};

static int by_mtime(const void *x, const void *y)
{
    const struct dumpfile *a = x, *b = y;
    if (a->mtime.tv_sec != b->mtime.tv_sec) return a->mtime.tv_sec < b->mtime.tv_sec ? -1 : 1;
    if (a->mtime.tv_nsec != b->mtime.tv_nsec) return a->mtime.tv_nsec < b->mtime.tv_nsec ? -1 : 1;
    return a->given - b->given;
}

/* Puts the dumps in the order they were written (by modification time, ties as given),
 * saying so on stderr when that is not the order given. */
static void sort_by_time(const char **files, int n)
{
    struct dumpfile *d = malloc((size_t)n * sizeof *d);
    if (!d) return;
    for (int i = 0; i < n; i++) {
        struct stat st;
        d[i].name = files[i], d[i].given = i;
        if (stat(files[i], &st) < 0) { /* the load reports it */
            free(d);
            return;
        }
        d[i].mtime = st.st_mtim;
    }
    qsort(d, (size_t)n, sizeof *d, by_mtime);
    int moved = 0;
    for (int i = 0; i < n; i++)
        moved |= d[i].given != i;
    if (moved) {
        fprintf(stderr,
                "%s: the dumps were not given in the order they were written; "
                "reporting them by modification time:\n",
                prog);
        for (int i = 0; i < n; i++) {
            files[i] = d[i].name;
            fprintf(stderr, "  [%d] %s\n", i, files[i]);
        }
    }
    free(d);
}

/* A dump's program, for refusing a mix: perl's version and $0. */
struct program {
    char perl[32];
    char *script; /* NULL if the dump has no $0 */
};

static int program_of(const struct pmat_heap *h, struct program *p)
{
    pmat_perlversion(h, p->perl, sizeof p->perl);
    struct pmat_str s;
    p->script = NULL;
    if (pmat_leak_script(h, &s)) {
        if (!(p->script = malloc(s.len + 1))) return -1;
        memcpy(p->script, s.ptr, s.len);
        p->script[s.len] = 0;
    }
    return 0;
}

/* 0 if b is a dump of the same program as a, else prints why not and returns -1. */
static int same_program(const struct program *a, const char *file_a, const struct program *b,
                        const char *file_b)
{
    if (strcmp(a->perl, b->perl)) {
        fprintf(stderr,
                "%s: %s is a dump of perl %s, %s of perl %s: not one process "
                "(--force to report anyway)\n",
                prog, file_b, b->perl, file_a, a->perl);
        return -1;
    }
    if (a->script && b->script && strcmp(a->script, b->script)) {
        fprintf(stderr,
                "%s: %s is a dump of %s, %s of %s: not one program "
                "(--force to report anyway)\n",
                prog, file_b, b->script, file_a, a->script);
        return -1;
    }
    return 0;
}

static void print_summary(const struct pmat_leak *lk, const struct pmat_heap *h)
{
    struct pmat_leak_group *g;
    uint64_t ng;
    if (pmat_leak_groups(lk, h, &g, &ng) < 0) {
        fprintf(stderr, "%s: out of memory\n", prog);
        exit(2);
    }
    struct pmat_sb sb, bytes;
    sb_init(&sb), sb_init(&bytes);
    uint64_t total = 0, total_bytes = 0;
    for (uint64_t i = 0; i < ng; i++)
        total += g[i].count, total_bytes += g[i].bytes;
    for (uint64_t i = 0; i < ng; i++) {
        sb_reset(&sb), sb_reset(&bytes);
        uint32_t sv = pmat_sv_at(h, g[i].example_addr);
        pmat_desc(h, sv, &sb);
        if (g[i].blessed) sb_printf(&sb, "=%s", g[i].name);
        pmat_format_bytes(g[i].bytes, &bytes);
        char dumps[32];
        if (g[i].first_tag == g[i].last_tag)
            snprintf(dumps, sizeof dumps, "LEAK[%d]", g[i].first_tag);
        else
            snprintf(dumps, sizeof dumps, "LEAK[%d-%d]", g[i].first_tag, g[i].last_tag);
        printf("%-20s %7llu SVs %12s in %s, e.g. %s at %#llx\n", g[i].name,
               (unsigned long long)g[i].count, sb_str(&bytes), dumps, sb_str(&sb),
               (unsigned long long)g[i].example_addr);
    }
    sb_reset(&bytes);
    pmat_format_bytes(total_bytes, &bytes);
    printf("total: %llu SVs, %s, in %llu %s\n", (unsigned long long)total, sb_str(&bytes),
           (unsigned long long)ng, ng == 1 ? "group" : "groups");
    sb_free(&sb), sb_free(&bytes);
    pmat_leak_groups_free(g, ng);
}

int main(int argc, char **argv)
{
    /* Big arrays straight from mmap, always: glibc otherwise raises its mmap threshold
     * after the first dump is freed and serves the next dumps' arrays from a heap that
     * never shrinks, so peak memory would grow with the number of files. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    int nfiles = 0;
    struct opts o = {0};
    const char **files = malloc(((size_t)argc + 1) * sizeof *files);
    if (!files) return 2;
    int prc = parse_args(argc, argv, &o, files, &nfiles);
    if (prc) {
        free(files);
        return prc == 3 ? 0 : 1;
    }
    if (nfiles == 0) {
        fprintf(stderr, "Need dumpfile\n");
        free(files);
        return 2;
    }
    /* Devel::MAT's `while( my $file = shift @ARGV )` stops at a false file name ("" or "0")
     * after the first file; the file before it is then not treated as the last one. */
    int cut = 1;
    while (cut < nfiles && files[cut][0] && strcmp(files[cut], "0"))
        cut++;
    int stopped_early = cut < nfiles;
    if (cut < 3) {
        fprintf(stderr,
                "%s: needs at least 3 dumps, got %d (one before an SV appears, one where "
                "it is new, one where it is still there)\n",
                prog, cut);
        free(files);
        return 2;
    }
    if (!o.force) sort_by_time(files, cut);

    leaktools_buffer_stdout();
    struct pmat_leak *lk = pmat_leak_new(o.onefile);
    if (!lk) return 2;
    struct pmat_heap *h = NULL;
    struct program first = {{0}, NULL};
    int status = 0;
    for (int i = 0; i < cut; i++) {
        int final_load = i == cut - 1;
        char prefix[32];
        snprintf(prefix, sizeof prefix, "[%d]: ", pmat_leak_index(lk) - 1);
        h = leaktools_load(prog, files[i], final_load ? 0 : PMAT_LOAD_MINIMAL, prefix);
        if (!h) {
            status = 2;
            break;
        }
        if (!o.force) {
            struct program p;
            if (program_of(h, i == 0 ? &first : &p) < 0) {
                fprintf(stderr, "%s: out of memory\n", prog);
                status = 2;
                break;
            }
            if (i > 0) {
                int same = same_program(&first, files[0], &p, files[i]);
                free(p.script);
                if (same < 0) {
                    status = 2;
                    break;
                }
            }
        }
        int rc = final_load && i > 0 && !stopped_early ? pmat_leak_feed_last(lk, h)
                                                       : pmat_leak_feed(lk, h);
        if (rc < 0) {
            fprintf(stderr, "%s: out of memory\n", prog);
            status = 2;
            break;
        }
        if (!final_load) {
            pmat_free(h);
            h = NULL;
        }
    }
    free(first.script);

    if (!status && o.summary) {
        print_summary(lk, h);
    } else if (!status) {
        struct pmat_sb sb;
        sb_init(&sb);
        uint64_t n = pmat_leak_count(lk);
        for (uint64_t i = 0; i < n; i++) {
            uint64_t addr;
            int tag;
            pmat_leak_at(lk, i, &addr, &tag);
            sb_reset(&sb);
            uint32_t sv = pmat_sv_at(h, addr);
            pmat_desc(h, sv, &sb);
            struct pmat_str cls;
            if (o.class && sv != PMAT_NONE && h->blessed[sv] != PMAT_NONE &&
                pmat_stash_name(h, h->blessed[sv], &cls)) {
                sb_putc(&sb, '=');
                sb_putn(&sb, (const char *)cls.ptr, cls.len);
            }
            printf("LEAK[%d] %s at %#llx\n", tag, sb_str(&sb), (unsigned long long)addr);
        }
        sb_free(&sb);
    }
    fflush(stdout);
    pmat_free(h);
    pmat_leak_free(lk);
    free(files);
    return status;
}
