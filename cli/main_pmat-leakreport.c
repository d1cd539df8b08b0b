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

#include "leaktools.h"
#include "pmat_leak.h"
#include "pmat_text.h"

static const char *const prog = "pmat-leakreport";

/* Getopt::Long as Devel::MAT's program configures it ('1|onefile'): options anywhere,
 * "-" or "--", case-insensitive, unique abbreviations, "--" ends options.  Collects
 * the non-option arguments into files; returns 0, or 1 after printing every problem. */
static int parse_args(int argc, char **argv, int *onefile, const char **files, int *nfiles)
{
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
        for (size_t k = 0; k < n; k++) lower[k] = (char)tolower((unsigned char)name[k]);
        lower[n] = 0;
        const char *matched = NULL;
        if (!strcmp(lower, "1"))
            matched = "1";
        else if (n > 0 && !strncmp("onefile", lower, n))
            matched = "onefile";
        if (!matched) {
            fprintf(stderr, "Unknown option: %s\n", lower);
            bad = 1;
        } else if (eq) {
            fprintf(stderr, "Option %s does not take an argument\n", matched);
            bad = 1;
        } else {
            *onefile = 1;
        }
    }
    return bad;
}

int main(int argc, char **argv)
{
    /* Big arrays straight from mmap, always: glibc otherwise raises its mmap threshold
     * after the first dump is freed and serves the next dumps' arrays from a heap that
     * never shrinks, so peak memory would grow with the number of files. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    int onefile = 0, nfiles = 0;
    const char **files = malloc(((size_t)argc + 1) * sizeof *files);
    if (!files) return 2;
    if (parse_args(argc, argv, &onefile, files, &nfiles)) {
        free(files);
        return 1;
    }
    if (nfiles == 0) {
        fprintf(stderr, "Need dumpfile\n");
        free(files);
        return 2;
    }
    /* Devel::MAT's `while( my $file = shift @ARGV )` stops at a false file name ("" or "0")
     * after the first file; the file before it is then not treated as the last one. */
    int cut = 1;
    while (cut < nfiles && files[cut][0] && strcmp(files[cut], "0")) cut++;
    int stopped_early = cut < nfiles;

    leaktools_buffer_stdout();
    struct pmat_leak *lk = pmat_leak_new(onefile);
    if (!lk) return 2;
    struct pmat_heap *h = NULL;
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

    if (!status) {
        struct pmat_sb sb;
        sb_init(&sb);
        uint64_t n = pmat_leak_count(lk);
        for (uint64_t i = 0; i < n; i++) {
            uint64_t addr;
            int tag;
            pmat_leak_at(lk, i, &addr, &tag);
            sb_reset(&sb);
            pmat_desc(h, pmat_sv_at(h, addr), &sb);
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
