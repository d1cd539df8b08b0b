/*
 * cmd_dominators.c — `retained` and `dominators`: what an SV keeps alive.
 *
 * Devel::MAT has no equivalent; these follow Eclipse MAT's dominator tree and
 * retained size (docs/dominators.md): an SV's retained size is what would be
 * freed if it went away.
 */
#include "cli.h"
#include "pmat_dominators.h"

#include <stdlib.h>
#include <string.h>

static uint64_t heap_total(const struct pmat_heap *h)
{
    uint64_t t = 0;
    for (uint32_t i = 0; i < h->nsv; i++)
        t += h->size[i];
    return t;
}

static void fmt_bytes(struct pmat_sb *sb, uint64_t n)
{
    pmat_format_bytes(n, sb);
}

/* "1.2 KiB in 12 SVs (0.1%, 1234 bytes)": human size first, the exact figure last */
static void fmt_retained(struct pmat_sb *sb, uint64_t bytes, uint32_t count, uint64_t total)
{
    pmat_format_bytes(bytes, sb);
    sb_printf(sb, " in %u SV%s (", count, count == 1 ? "" : "s");
    if (total) sb_printf(sb, "%.1f%%, ", 100.0 * (double)bytes / (double)total);
    sb_printf(sb, "%llu bytes)", (unsigned long long)bytes);
}

/* An SV as format_sv, plus what names it: a glob's or stash's name, a symbol. */
static void fmt_named_sv(struct cli *cli, struct pmat_sb *sb, uint32_t sv)
{
    struct pmat_heap *h = cli_heap(cli);
    uint8_t k = h->kind[sv];
    if (k == PMAT_K_GLOB || k == PMAT_K_STASH) {
        cli_fmt_sv_value(cli, sb, sv);
        return;
    }
    cli_fmt_sv(cli, sb, sv);
    struct pmat_sb name;
    sb_init(&name);
    if (pmat_symname(h, sv, &name)) {
        sb_puts(sb, " (");
        cli_fmt_symbol(cli, sb, sb_str(&name));
        sb_putc(sb, ')');
    }
    sb_free(&name);
}

static const struct pmat_dominators *need_dom(struct cli *cli)
{
    const struct pmat_dominators *d = pmat_dominators(cli_heap(cli));
    /* the children lists too, so that walking the tree cannot fail half way */
    if (!d || pmat_dom_children_ready(cli_heap(cli)) < 0) {
        cli_error(cli, "Out of memory computing the dominator tree");
        return NULL;
    }
    return d;
}

/* retained SV: its retained size, and the chain of its dominators up to the roots */
static int cmd_retained(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    const struct pmat_dominators *d = need_dom(cli);
    if (!d) return -1;
    uint32_t sv = cli_sv(a);
    struct pmat_sb sb;
    sb_init(&sb);
    cli_fmt_sv(cli, &sb, sv);
    int unreach = pmat_dom_is_unreachable(d, sv);
    if (unreach && sv >= h->nsv) {
        sb_puts(&sb, " is unreachable from the roots (nothing that is alive refers to it)\n");
        cli_puts(cli, sb_str(&sb));
        sb_free(&sb);
        return 0;
    }
    if (unreach) /* its retained size is in the tree under (unreachable) */
        sb_puts(&sb, " is unreachable from the roots (nothing that is alive refers to it); it");
    sb_puts(&sb, " retains ");
    fmt_retained(&sb, d->retained[sv], d->count[sv], heap_total(h));
    sb_putc(&sb, '\n');
    cli_puts(cli, sb_str(&sb));
    struct cli_tree tr;
    cli_tree_init(&tr);
    long long max = cli_int(a, "depth");
    uint32_t cur = d->idom[sv];
    for (long long depth = 0;; depth++) {
        if (cli_interrupted(cli)) {
            cli_tree_free(&tr);
            sb_free(&sb);
            return -1;
        }
        cli_tree_branch(cli, &tr, 1);
        if (cur == PMAT_DOM_ROOT) {
            cli_puts(cli, "the roots\n");
            break;
        }
        if (cur == PMAT_DOM_UNREACHABLE) {
            cli_puts(cli, "(unreachable)\n");
            break;
        }
        if (max >= 0 && depth >= max) {
            cli_puts(cli, "...\n");
            break;
        }
        sb_reset(&sb);
        sb_puts(&sb, "dominated by ");
        fmt_named_sv(cli, &sb, cur);
        sb_puts(&sb, ", which retains ");
        fmt_retained(&sb, d->retained[cur], d->count[cur], 0);
        sb_puts(&sb, ":\n");
        cli_puts(cli, sb_str(&sb));
        cli_tree_push(&tr, 1);
        cur = d->idom[cur];
    }
    cli_tree_free(&tr);
    sb_free(&sb);
    return 0;
}

/* Parse a byte size: a number with an optional K/M/G suffix (powers of 1024). */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0) return -1;
    switch (*end) {
    case 0:
        break;
    case 'k':
    case 'K':
        v *= 1024;
        end++;
        break;
    case 'm':
    case 'M':
        v *= 1024.0 * 1024;
        end++;
        break;
    case 'g':
    case 'G':
        v *= 1024.0 * 1024 * 1024;
        end++;
        break;
    default:
        return -1;
    }
    if (*end == 'i' || *end == 'B') end++;
    if (*end == 'B') end++;
    if (*end) return -1;
    *out = (uint64_t)v;
    return 0;
}

struct frame {
    uint32_t sv;    /* PMAT_DOM_ROOT for the top */
    uint64_t next;  /* next child to print */
    uint64_t shown; /* children printed: a prefix of the list (sorted by size) */
    uint64_t nch;
    const uint32_t *ch;
};

/* Open a frame for sv: its children, and how many of them pass --count and --min. */
static struct frame open_frame(struct pmat_heap *h, const struct pmat_dominators *d, uint32_t sv,
                               long long maxkids, uint64_t min)
{
    struct frame f = {sv, 0, 0, 0, NULL};
    f.nch = pmat_dom_children(h, sv, &f.ch);
    while (f.shown < f.nch && (maxkids <= 0 || (long long)f.shown < maxkids) &&
           d->retained[f.ch[f.shown]] >= min)
        f.shown++;
    return f;
}

/* dominators [SV]: the dominator tree top-down, children by retained size */
static int cmd_dominators(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    const struct pmat_dominators *d = need_dom(cli);
    if (!d) return -1;
    long long maxdepth = cli_int(a, "depth");
    long long maxkids = cli_int(a, "count");
    /* no chain is longer than the heap: a bigger depth is "unlimited", not an allocation */
    if (maxdepth > (long long)h->ntotal) maxdepth = (long long)h->ntotal;
    uint64_t min = 0;
    const char *mins = cli_str(a, "min");
    if (mins && parse_size(mins, &min) < 0)
        return cli_error(cli, "Option --min value '%s' is not a size", mins);
    const char *start = cli_pos(a, 0);
    uint32_t top = PMAT_DOM_ROOT;
    if (start && (!strcmp(start, "unreachable") || !strcmp(start, "(unreachable)"))) {
        top = PMAT_DOM_UNREACHABLE; /* the tree of the unreachable components */
    } else if (start) {
        if (cli_resolve_sv(cli, start, &top) < 0) return -1;
        if (top >= h->nsv && pmat_dom_is_unreachable(d, top))
            return cli_error(cli, "That SV is unreachable from the roots");
    }
    uint64_t total = heap_total(h);
    struct pmat_sb sb;
    sb_init(&sb);
    if (top == PMAT_DOM_ROOT) {
        sb_puts(&sb, "the roots retain ");
        fmt_retained(&sb, d->reachable_size, d->reachable, 0);
        sb_puts(&sb, "; unreachable: ");
        fmt_retained(&sb, d->unreachable_size, d->unreachable, 0);
        sb_putc(&sb, '\n');
    } else if (top == PMAT_DOM_UNREACHABLE) {
        sb_puts(&sb, "(unreachable) retains ");
        fmt_retained(&sb, d->unreachable_size, d->unreachable, total);
        sb_putc(&sb, '\n');
    } else {
        fmt_named_sv(cli, &sb, top);
        sb_puts(&sb, ": ");
        fmt_retained(&sb, d->retained[top], d->count[top], total);
        sb_putc(&sb, '\n');
    }
    cli_puts(cli, sb_str(&sb));

    struct cli_tree tr;
    cli_tree_init(&tr);
    struct frame *stk = malloc(sizeof *stk * ((size_t)(maxdepth > 0 ? maxdepth : 1) + 2));
    if (!stk) {
        sb_free(&sb);
        cli_tree_free(&tr);
        return cli_error(cli, "Out of memory");
    }
    int sp = 0;
    stk[sp++] = open_frame(h, d, top, maxkids, min);
    while (sp) {
        if (cli_interrupted(cli)) break;
        struct frame *f = &stk[sp - 1];
        if (f->next == f->shown) {
            if (f->shown < f->nch) {
                uint64_t rest = 0;
                for (uint64_t i = f->shown; i < f->nch; i++)
                    rest += d->retained[f->ch[i]];
                cli_tree_branch(cli, &tr, 1);
                sb_reset(&sb);
                sb_printf(&sb, "%llu more: ", (unsigned long long)(f->nch - f->shown));
                fmt_bytes(&sb, rest);
                sb_putc(&sb, '\n');
                cli_puts(cli, sb_str(&sb));
            }
            sp--;
            if (sp) cli_tree_pop(&tr);
            continue;
        }
        uint32_t c = f->ch[f->next++];
        int last = f->next == f->shown && f->shown == f->nch;
        cli_tree_branch(cli, &tr, last);
        sb_reset(&sb);
        fmt_named_sv(cli, &sb, c);
        sb_puts(&sb, ": ");
        fmt_retained(&sb, d->retained[c], d->count[c], total);
        sb_putc(&sb, '\n');
        cli_puts(cli, sb_str(&sb));
        if (maxdepth < 0 || sp < maxdepth) {
            if (maxdepth < 0) {
                struct frame *ns = realloc(stk, sizeof *stk * ((size_t)sp + 2));
                if (!ns) break;
                stk = ns;
            }
            cli_tree_push(&tr, last);
            stk[sp] = open_frame(h, d, c, maxkids, min);
            sp++;
        }
    }
    free(stk);
    cli_tree_free(&tr);
    sb_free(&sb);
    return cli_interrupted(cli) ? -1 : 0;
}

static const struct cli_opt retained_opts[] = {
    {"depth", 'd', 'i', "show at most INT links of the chain of dominators up to the roots", "-1"},
    {0},
};

static const struct cli_opt dominators_opts[] = {
    {"count", 'c', 'i', "maximum children shown per SV", "10"},
    {"depth", 'd', 'i', "how many levels of the tree to show", "2"},
    {"min", 0, 's', "hide children retaining less than SIZE (e.g. 64K, 1M)", NULL},
    {0},
};

static const struct cli_argspec dominators_args[] = {
    {"sv",
     "show the tree below this SV instead of below the roots ('unreachable': the unreachable "
     "components)",
     0},
    {0},
};

const struct pmat_cmd cmds_dominators[] = {
    {"retained",
     "Show an SV's retained size (what freeing it frees) and the chain that keeps it alive",
     retained_opts, 1, NULL, cmd_retained},
    {"dominators", "Display the dominator tree with retained sizes", dominators_opts, 0,
     dominators_args, cmd_dominators},
    {0},
};
