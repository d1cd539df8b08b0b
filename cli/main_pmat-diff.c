/*
 * main_pmat-diff.c — `pmat-diff FILEA FILEB`
 *
 * The SVs whose addresses exist in only one of two dumps, drawn as trees along
 * their references, and the count of common addresses: Devel::MAT 0.51's
 * pmat-diff, output byte for byte (lib/diff.c has the analysis).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_int.h"
#include "leaktools.h"
#include "pmat_diff.h"
#include "pmat_refs.h"

static const char *const prog = "pmat-diff";
static const char usage[] =
    "Usage: pmat-diff FILEA FILEB\n"
    "\n"
    "The SVs only in FILEA (-) and only in FILEB (+), drawn as trees along their\n"
    "references, and the number of SVs common to both (same address, basetype\n"
    "and class).\n"
    "\n"
    "Options:\n"
    "  --help     print this help and exit\n"
    "  --version  print the version and exit\n";

/* A note attached to one SV of a unique set ("mro_isa of Derived"). */
struct diff_note {
    uint32_t sv;
    char *text;
};

struct diff_notes {
    struct diff_note *v;
    size_t n, cap;
};

static int in_sorted_set(const uint32_t *set, uint64_t n, uint32_t sv)
{
    uint64_t lo = 0, hi = n;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (set[mid] < sv)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && set[lo] == sv;
}

/* Set or replace the note of sv (a later stash overrides, as hash assignment does). */
static void note_set(struct diff_notes *notes, uint32_t sv, char *text)
{
    for (size_t i = 0; i < notes->n; i++)
        if (notes->v[i].sv == sv) {
            free(notes->v[i].text);
            notes->v[i].text = text;
            return;
        }
    if (notes->n == notes->cap) {
        size_t cap = notes->cap ? notes->cap * 2 : 16;
        struct diff_note *v = realloc(notes->v, cap * sizeof *v);
        if (!v) {
            free(text);
            return;
        }
        notes->v = v, notes->cap = cap;
    }
    notes->v[notes->n].sv = sv;
    notes->v[notes->n].text = text;
    notes->n++;
}

static int by_note_sv(const void *x, const void *y)
{
    uint32_t a = ((const struct diff_note *)x)->sv, b = ((const struct diff_note *)y)->sv;
    return a < b ? -1 : a > b;
}

/* Lookup in the notes, which collect_notes() leaves sorted by SV. */
static const char *note_of(const struct diff_notes *notes, uint32_t sv)
{
    struct diff_note key = {sv, NULL};
    const struct diff_note *found =
        notes->n ? bsearch(&key, notes->v, notes->n, sizeof key, by_note_sv) : NULL;
    return found ? found->text : NULL;
}

/* Every STASH whose mro_isa / mro_linearcurrent SV is in the unique set labels it
 * "FIELD of PACKAGE" (the package styled as a symbol). */
static void collect_notes(struct cli *cli, const uint32_t *set, uint64_t n,
                          struct diff_notes *notes)
{
    const struct pmat_heap *h = cli_heap(cli);
    struct pmat_sb sb;
    sb_init(&sb);
    for (uint32_t s = 0; s < h->nsv; s++) {
        if (h->kind[s] != PMAT_K_STASH) continue;
        struct pmat_hash hv;
        if (pmat_hash(h, s, &hv) < 0) continue;
        const struct {
            const char *field;
            uint64_t addr;
        } fields[2] = {{"mro_isa", hv.mro_isa}, {"mro_linearcurrent", hv.mro_linear_current}};
        for (int f = 0; f < 2; f++) {
            uint32_t target = pmat_sv_at(h, fields[f].addr);
            if (target == PMAT_NONE || !in_sorted_set(set, n, target)) continue;
            sb_reset(&sb);
            struct pmat_str name;
            char *pkg = NULL;
            if (pmat_stash_name(h, s, &name)) {
                pkg = malloc(name.len + 1);
                if (!pkg) continue;
                memcpy(pkg, name.ptr, name.len);
                pkg[name.len] = 0;
            }
            sb_printf(&sb, "%s of ", fields[f].field);
            cli_fmt_symbol(cli, &sb, pkg ? pkg : "");
            free(pkg);
            note_set(notes, target, sb_take(&sb));
        }
    }
    sb_free(&sb);
    if (notes->n) qsort(notes->v, notes->n, sizeof *notes->v, by_note_sv);
}

/* Perl writes these lines through an :encoding(UTF-8) layer, and names from a dump are
 * byte strings there: every byte >= 0x80 comes out as its Latin-1 character in UTF-8. */
static void put_upgraded(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            putchar(c);
        } else {
            putchar(0xC0 | (c >> 6));
            putchar(0x80 | (c & 0x3F));
        }
    }
}

/* Draws the forest line by line.  The continuation marks of a line's ancestors ("│  " or
 * "   " per level) are kept in one buffer, rewritten from the line's depth on, so each
 * line costs one write however deep the tree is. */
static void print_forest(struct cli *cli, const uint32_t *set, uint64_t n, const char *leader,
                         const struct diff_notes *notes)
{
    struct pmat_forest_line *lines;
    if (pmat_diff_forest(cli_heap(cli), set, n, &lines) < 0) {
        fprintf(stderr, "%s: out of memory\n", prog);
        exit(2);
    }
    struct pmat_sb prefix, sb;
    sb_init(&prefix);
    sb_init(&sb);
    uint64_t *prefix_len = malloc((n + 1) * sizeof *prefix_len); /* prefix length at depth d */
    if (!prefix_len) {
        fprintf(stderr, "%s: out of memory\n", prog);
        exit(2);
    }
    sb_puts(&prefix, "  ");
    prefix_len[0] = prefix.len;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t depth = lines[i].depth;
        prefix.len = prefix_len[depth];
        fwrite(prefix.buf, 1, prefix.len, stdout);
        if (depth) {
            fputs(lines[i].last ? "└─ " : "├─ ", stdout);
            sb_puts(&prefix, lines[i].last ? "   " : "│  ");
        } else {
            fputs(leader, stdout);
            sb_puts(&prefix, "  ");
        }
        prefix_len[depth + 1] = prefix.len;
        sb_reset(&sb);
        cli_fmt_sv(cli, &sb, lines[i].sv);
        const char *note = note_of(notes, lines[i].sv);
        if (note) sb_printf(&sb, " (%s)", note);
        put_upgraded(sb.buf, sb.len);
        putchar('\n');
    }
    sb_free(&prefix);
    sb_free(&sb);
    free(prefix_len);
    free(lines);
}

static void free_notes(struct diff_notes *notes)
{
    for (size_t i = 0; i < notes->n; i++)
        free(notes->v[i].text);
    free(notes->v);
}

int main(int argc, char **argv)
{
    if (leaktools_help_version(prog, argc, argv, usage)) return 0;
    if (argc < 2) {
        fprintf(stderr, "Need dumpfile A\n");
        return 255;
    }
    const char *file_a = argv[1];
    struct pmat_heap *a = leaktools_load(prog, file_a, 0, NULL);
    if (!a) return 2;
    if (argc < 3) {
        fprintf(stderr, "Need dumpfile B\n");
        pmat_free(a);
        return 255;
    }
    const char *file_b = argv[2];
    struct pmat_heap *b = leaktools_load(prog, file_b, 0, NULL);
    if (!b) {
        pmat_free(a);
        return 2;
    }

    struct pmat_diff d;
    if (pmat_diff_compute(a, b, &d) < 0) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return 2;
    }
    leaktools_buffer_stdout();
    int colour = leaktools_colour();
    struct cli cli_a, cli_b;
    cli_init(&cli_a, a, file_a);
    cli_init(&cli_b, b, file_b);
    cli_set_colour(&cli_a, colour);
    cli_set_colour(&cli_b, colour);

    struct diff_notes notes_a = {0}, notes_b = {0};
    collect_notes(&cli_a, d.only_a, d.n_only_a, &notes_a);
    collect_notes(&cli_b, d.only_b, d.n_only_b, &notes_b);

    printf("\n%llu unique to ", (unsigned long long)d.n_only_a);
    put_upgraded(file_a, strlen(file_a));
    printf(":\n");
    print_forest(&cli_a, d.only_a, d.n_only_a, "- ", &notes_a);
    printf("\n%llu unique to ", (unsigned long long)d.n_only_b);
    put_upgraded(file_b, strlen(file_b));
    printf(":\n");
    print_forest(&cli_b, d.only_b, d.n_only_b, "+ ", &notes_b);
    printf("\n%llu common\n", (unsigned long long)d.n_common);
    fflush(stdout);

    free_notes(&notes_a);
    free_notes(&notes_b);
    cli_release(&cli_a);
    cli_release(&cli_b);
    pmat_diff_free(&d);
    pmat_free(a);
    pmat_free(b);
    return 0;
}
