/*
 * main_pmat.c — `pmat [--quiet|-q] [--blib] DUMPFILE [COMMAND [ARGS...]]`
 *
 * Loads the dump (progress on a terminal's stderr), prints the summary banner
 * unless -q, then runs one command (batch mode, every page flushed) or the
 * interactive shell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_int.h"
#include "leaktools.h"

static const char usage[] =
    "Usage: pmat [--quiet|-q] DUMPFILE [COMMAND [ARGS...]]\n"
    "\n"
    "Loads a Perl heap dump (.pmat, also .pmat.gz / .pmat.zst) and runs COMMAND on\n"
    "it, or an interactive shell without one ('help' lists the commands, 'help\n"
    "COMMAND' explains one; 'man pmat' has them all).\n"
    "\n"
    "Options:\n"
    "  -q, --quiet  no progress and no summary banner\n"
    "  --help       print this help and exit\n"
    "  --version    print the version and exit\n"
    "\n"
    "Exit status: 0, or 2 when the dump cannot be read or the command fails.\n";

/* Getopt::Long-style: "-name" or "--name", any unique prefix of the long
 * name, or the one-letter alias. */
static int option_is(const char *arg, const char *longname, char alias)
{
    const char *p = arg + 1;
    if (*p == '-') p++;
    size_t n = strlen(p);
    if (n == 1 && alias && p[0] == alias && arg[1] != '-') return 1;
    return n > 0 && n <= strlen(longname) && !strncmp(p, longname, n);
}

/* Batch `elems`/`values` with an explicit -c N: N rows and the "... (M more)" line, not
 * every page (0.51 pages through the whole listing N rows at a time; docs/compat.md). */
static int batch_one_page(int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "elems") && strcmp(argv[0], "values"))) return 0;
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--count") ||
            !strncmp(argv[i], "--count=", 8))
            return 1;
    return 0;
}

static void progress_cb(void *ud, const char *stage, uint64_t done, uint64_t total)
{
    struct cli *cli = ud;
    double pct = total ? 100.0 * (double)done / (double)total : 100.0;
    cli_progress(cli, "%s %llu of %llu%s (%.2f%%)", stage, (unsigned long long)done,
                 (unsigned long long)total, strstr(stage, "file") ? " bytes" : "", pct);
}

/* PMAT_TIMING=1: how long each loading phase took, on stderr (for bench/ and profiling). */
static double now_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void phase_cb(void *ud, const char *name)
{
    static double started, last;
    static const char *running;
    (void)ud;
    double t = now_secs();
    if (running)
        fprintf(stderr, "pmat: timing: %-10s %8.3f s\n", running, t - last);
    else
        started = t;
    if (!strcmp(name, "done"))
        fprintf(stderr, "pmat: timing: %-10s %8.3f s\n", "load", t - started);
    running = strcmp(name, "done") ? name : NULL;
    last = t;
}

int main(int argc, char **argv)
{
    int quiet = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (!strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("pmat %s\n", PMAT_VERSION);
            return 0;
        } else if (option_is(argv[i], "quiet", 'q'))
            quiet = 1;
        else if (option_is(argv[i], "blib", 0))
            ; /* Devel::MAT's development switch: nothing to do for us */
        else {
            const char *p = argv[i] + 1 + (argv[i][1] == '-');
            fprintf(stderr, "Unknown option: %s\n", p);
            return 1;
        }
    }
    if (i >= argc) {
        /* 0.51's message, then the usage (ours) */
        fprintf(stderr, "Need dumpfile\n\n%s", usage);
        return 2;
    }
    const char *file = argv[i++];

    struct cli cli;
    cli_init(&cli, NULL, file);
    const char *nc = getenv("NO_COLOR");
    cli_set_colour(&cli, isatty(1) && !(nc && *nc));
    cli.quiet = quiet;
    cli.progress_tty = !quiet && isatty(2);

    struct pmat_load_opts lo = {cli.progress_tty ? progress_cb : NULL, &cli};
    lo.max_decompressed = leaktools_decompress_limit();
    const char *timing = getenv("PMAT_TIMING");
    if (timing && *timing && strcmp(timing, "0")) lo.phase = phase_cb;
    struct pmat_error err;
    cli_progress(&cli, "Loading file %s...", file);
    struct pmat_heap *h = pmat_load(file, &lo, &err);
    cli_progress_clear(&cli);
    if (!h) {
        if (err.has_offset)
            fprintf(stderr, "pmat: %s: %s at byte %llu\n", file, err.msg,
                    (unsigned long long)err.offset);
        else
            fprintf(stderr, "pmat: %s: %s\n", file, err.msg);
        cli_release(&cli);
        return 2;
    }
    cli.heap = h;
    for (uint32_t w = 0; w < h->nwarnings; w++) {
        size_t n = strlen(h->warnings[w]);
        fprintf(stderr, "%s%s", h->warnings[w], n && h->warnings[w][n - 1] == '\n' ? "" : "\n");
    }

    int status = 0;
    if (!quiet && cli_run_line(&cli, "summary") < 0) fprintf(stderr, "%s\n", cli_last_error(&cli));

    if (i < argc) {
        /* batch: each argv element is exactly one token */
        int rc = cli_run_argv(&cli, argc - i, (const char *const *)argv + i);
        while (rc == 0 && cli_more_pending(&cli) && !batch_one_page(argc - i, argv + i))
            rc = cli_more(&cli, NULL) < 0 ? -1 : 0;
        if (rc < 0) {
            fflush(stdout);
            fprintf(stderr, "%s\n", cli_last_error(&cli));
            status = 2;
        }
    } else {
        status = cli_shell(&cli);
    }
    fflush(stdout);
    cli_release(&cli);
    pmat_free(h);
    return status;
}
