/*
 * cmd_strtab.c — Devel::MAT 0.56's `strtab` (the keys of PL_strtab, each with its HEK
 * and the hash keys, GLOB/CODE names and shared-PV scalars that use it) and `stop`
 * (drop the pending page of a listing).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_show.h"
#include "pmat_strtab.h"

struct skey {
    struct pmat_str key;
    uint64_t hek;
};

struct strtab_state {
    struct skey *keys;
    size_t nkeys, next;
    long long count;
};

static void strtab_free(void *p)
{
    struct strtab_state *st = p;
    free(st->keys);
    free(st);
}

static int by_key(const void *x, const void *y)
{
    const struct skey *a = x, *b = y;
    uint64_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
    int c = n ? memcmp(a->key.ptr, b->key.ptr, n) : 0;
    if (c) return c;
    return (a->key.len > b->key.len) - (a->key.len < b->key.len);
}

/* "{KEY}" with the value style inside the braces, as `values` prints keys. */
static void put_key(struct cli *cli, struct pmat_sb *sb, struct pmat_str key)
{
    struct pmat_sb k;
    sb_init(&k);
    pmat_format_key(key.ptr, key.len, 0, &k);
    sb_putc(sb, '{');
    char *inner = strndup(sb_str(&k) + 1, k.len - 2);
    if (!inner) abort();
    cli_fmt_value(cli, sb, inner);
    free(inner);
    sb_putc(sb, '}');
    sb_free(&k);
}

static int strtab_page(struct cli *cli, void *p, int pagesize)
{
    (void)pagesize;
    struct strtab_state *st = p;
    struct pmat_heap *h = cli_heap(cli);
    uint64_t nuses;
    const struct pmat_hek_use *uses = pmat_hek_uses(h, &nuses);
    if (!uses) return cli_error(cli, "out of memory");
    size_t left = st->nkeys - st->next, take;
    if (st->count >= 0)
        take = (size_t)st->count < left ? (size_t)st->count : left;
    else
        take = (size_t)(-st->count) < left ? left - (size_t)(-st->count) : 0;
    static const char *const role[] = {"", "  key of ", "  name of ", "  shared PV of "};
    struct cli_table *t = cli_table_new();
    cli_table_indent(t, 2);
    struct pmat_sb sb;
    sb_init(&sb);
    for (size_t i = st->next; i < st->next + take; i++) {
        put_key(cli, &sb, st->keys[i].key);
        cli_table_cell_sb(t, &sb);
        sb_printf(&sb, "HEK at %#llx", (unsigned long long)st->keys[i].hek);
        cli_table_cell_sb(t, &sb);
        cli_table_end_row(t);
        uint64_t first, n = pmat_hek_uses_of(uses, nuses, st->keys[i].hek, &first);
        for (uint64_t u = first; st->keys[i].hek && u < first + n; u++) {
            sb_puts(&sb, role[uses[u].role]);
            cli_fmt_sv(cli, &sb, uses[u].sv);
            cli_table_cell_sb(t, &sb);
            cli_table_cell_sb(t, &sb); /* "" */
            cli_table_end_row(t);
        }
    }
    cli_table_print(cli, t);
    sb_free(&sb);
    st->next += take;
    size_t more = st->nkeys - st->next;
    if (more) cli_printf(cli, "  ... (%zu more)\n", more);
    return more && take ? 1 : 0;
}

static int cmd_strtab(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    const struct pmat_root *root = pmat_root_by_name(h, "strtab");
    uint32_t sv = root ? root->sv : PMAT_NONE;
    struct pmat_hash hv;
    if (sv == PMAT_NONE || pmat_hash(h, sv, &hv) < 0)
        return cli_error(cli, "Can't call method \"keys\" on an undefined value");
    const char *arg = cli_pos(a, 0);
    pcre2_code *re = NULL;
    if (arg && *arg) {
        int is_filter = show_key_filter(cli, arg, &re);
        if (is_filter < 0) return -1;
        if (!is_filter) return cli_error(cli, "Filter must be a /PATTERN.../ with optional flags");
    }
    struct strtab_state *st = calloc(1, sizeof *st);
    if (!st) abort();
    st->count = cli_int(a, "count");
    st->keys = malloc((hv.count + 1) * sizeof *st->keys);
    if (!st->keys) abort();
    pcre2_match_data *md = re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
    uint64_t pos = hv.body, done = 0, hek, val;
    struct pmat_str key;
    while (st->nkeys < hv.count && pmat_hash_next_hek(h, &hv, &pos, &done, &key, &hek, &val)) {
        if (re && pcre2_match(re, key.ptr ? key.ptr : (PCRE2_SPTR) "", key.len, 0, 0, md, NULL) < 0)
            continue;
        st->keys[st->nkeys++] = (struct skey){key, hek};
    }
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    if (!cli_flag(a, "no_sort")) qsort(st->keys, st->nkeys, sizeof *st->keys, by_key);
    long long skip = cli_int(a, "skip");
    if (skip > 0)
        st->next = (size_t)skip < st->nkeys ? (size_t)skip : st->nkeys;
    else if (skip < 0)
        st->next = (size_t)(-skip) < st->nkeys ? st->nkeys - (size_t)(-skip) : 0;
    return cli_paginate(cli, 10, strtab_page, st, strtab_free);
}

static int cmd_stop(struct cli *cli, struct cli_args *a)
{
    (void)a;
    cli_more_clear(cli);
    return 0;
}

static const struct cli_opt strtab_opts[] = {
    {"count", 'c', CLI_INT, "maximum count of values to print", "10"},
    {"skip", 's', CLI_INT, "count of keys to skip initially before printing", NULL},
    {"no_sort", 'n', CLI_FLAG, "don't sort keys before printing", NULL},
    {0},
};
static const struct cli_argspec strtab_args[] = {
    {"filter", "optional pattern to filter keys by", 0},
    {0},
};

const struct pmat_cmd cmds_strtab[] = {
    {"strtab", "Show information about the shared strings table (PL_strtab)", strtab_opts, 0,
     strtab_args, cmd_strtab},
    {"stop", "Stops pagination", NULL, 0, NULL, cmd_stop},
    {0},
};
