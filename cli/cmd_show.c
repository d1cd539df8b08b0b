/*
 * cmd_show.c — `show`, `elems` and `values`: what one SV holds, as Devel::MAT
 * 0.51's Show tool prints it (Devel::MAT::Tool::Show).
 *
 * Where 0.51 dies part-way (show of UNDEF, INVLIST, REGEXP, FORMAT, LVALUE,
 * PADLIST and the immortals; previews of NULL elements) we print what it
 * printed before dying and stop there (docs/compat.md).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_show.h"
#include "pmat_refs.h"

/* ---- small output helpers ---- */

/* "PREFIX" + format_sv(sv) + "\n" (Devel::MAT's say_with_sv). */
static void say_with_sv(struct cli *cli, const char *prefix, uint32_t sv)
{
    struct pmat_sb sb;
    sb_init(&sb);
    sb_puts(&sb, prefix);
    cli_fmt_sv(cli, &sb, sv);
    sb_putc(&sb, '\n');
    cli_puts(cli, sb_str(&sb));
    sb_free(&sb);
}

static void put_str(struct pmat_sb *sb, struct pmat_str s)
{
    if (s.defined) sb_putn(sb, (const char *)s.ptr, s.len);
}

/* A Perl string is true unless it is empty or "0". */
static int str_true(struct pmat_str s)
{
    return s.defined && s.len && !(s.len == 1 && s.ptr[0] == '0');
}

/* Perl's numeric value of a command-line token (leading whitespace, sign,
 * digits; anything else stops the number, as with a non-numeric warning). */
static long long perl_int(const char *s)
{
    return s ? strtoll(s, NULL, 10) : 0;
}

/* ---- show: the common lines ---- */

/* A MAGICv2 record (Devel::MAT::Dumper 0.52), as Devel::MAT 0.56 shows it. */
static void show_magic2(struct cli *cli, struct pmat_sb *sb, const struct pmat_ext *e)
{
    struct pmat_heap *h = cli_heap(cli);
    struct pmat_magic2 m;
    if (pmat_ext_magic2(h, e, &m) < 0) return;
    sb_printf(sb, "  has MagicV2 with funcs at %#llx", (unsigned long long)m.funcs);
    uint32_t aux = pmat_sv_at(h, m.auxsv), key = pmat_sv_at(h, m.keysv);
    if (aux != PMAT_NONE) {
        sb_puts(sb, "\n    with auxsv at ");
        cli_fmt_sv(cli, sb, aux);
    }
    char num[32];
    if (m.ptr && m.ptrlen)
        sb_printf(sb, "\n    with ptr %#llx len ", (unsigned long long)m.ptr);
    else if (m.ptr)
        sb_printf(sb, "\n    with ptr %#llx", (unsigned long long)m.ptr);
    else if (m.ptrlen)
        sb_puts(sb, "\n    with ptrlen ");
    if (m.ptrlen) {
        snprintf(num, sizeof num, "%llu", (unsigned long long)m.ptrlen);
        cli_fmt_value(cli, sb, num);
    }
    if (m.flags & 0x02) { /* HAS_KEYIV */
        snprintf(num, sizeof num, "%lld", (long long)m.keyiv);
        sb_puts(sb, "\n    with keyiv ");
        cli_fmt_value(cli, sb, num);
    }
    if (key != PMAT_NONE) {
        sb_puts(sb, "\n    with keysv at ");
        cli_fmt_sv(cli, sb, key);
    }
    sb_putc(sb, '\n');
}

static void show_common(struct cli *cli, uint32_t sv)
{
    struct pmat_heap *h = cli_heap(cli);
    struct pmat_sb sb;
    sb_init(&sb);

    cli_fmt_sv(cli, &sb, sv);
    sb_printf(&sb, " with refcount %lu", (unsigned long)h->refcnt[sv]);
    if (h->marks[sv] & PMAT_M_MORTAL) {
        sb_putc(&sb, ' ');
        cli_fmt_note(cli, &sb, "(mortalized)", 1);
    }
    sb_putc(&sb, '\n');

    uint64_t size = h->size[sv];
    if (size < 1024) {
        sb_printf(&sb, "  size %llu bytes\n", (unsigned long long)size);
    } else {
        sb_puts(&sb, "  size ");
        pmat_format_bytes(size, &sb);
        sb_printf(&sb, " (%llu bytes)\n", (unsigned long long)size);
    }

    if (h->blessed[sv] != PMAT_NONE) {
        struct pmat_str name;
        pmat_stash_name(h, h->blessed[sv], &name);
        sb_puts(&sb, "  blessed as ");
        put_str(&sb, name);
        sb_putc(&sb, '\n');
    }

    struct pmat_sb sym;
    sb_init(&sym);
    if (pmat_symname(h, sv, &sym) && sym.len) {
        sb_puts(&sb, "  named as ");
        cli_fmt_symbol(cli, &sb, sb_str(&sym));
        sb_putc(&sb, '\n');
    }
    sb_free(&sym);
    cli_puts(cli, sb_str(&sb));
    sb_reset(&sb);

    const struct pmat_ext *x;
    uint64_t nx = pmat_exts_of(h, sv, &x);
    for (uint64_t i = 0; i < nx; i++) {
        if (x[i].type == PMAT_X_MAGIC2) {
            show_magic2(cli, &sb, &x[i]);
            continue;
        }
        if (x[i].type != 0x80) continue;
        struct pmat_magic m;
        if (pmat_ext_magic(h, &x[i], &m) < 0) continue;
        char type[3] = {m.type, 0, 0};
        if ((unsigned char)m.type < 0x20) {
            type[0] = '^';
            type[1] = (char)(0x40 + m.type);
        }
        sb_puts(&sb, "  has ");
        cli_fmt_note(cli, &sb, type, 1);
        sb_puts(&sb, " magic");
        uint32_t obj = pmat_sv_at(h, m.obj), ptr = pmat_sv_at(h, m.ptr);
        if (obj != PMAT_NONE) {
            sb_puts(&sb, " with object at ");
            cli_fmt_sv(cli, &sb, obj);
        }
        if (ptr != PMAT_NONE) {
            sb_puts(&sb, " with pointer at ");
            cli_fmt_sv(cli, &sb, ptr);
        }
        if (m.vtbl)
            sb_printf(&sb, "\n     with virtual table at %#llx", (unsigned long long)m.vtbl);
        sb_putc(&sb, '\n');
    }
    for (uint64_t i = 0; i < nx; i++) {
        if (x[i].type != 0x88) continue;
        uint64_t serial, line;
        struct pmat_str file;
        if (pmat_ext_debug(h, &x[i], &serial, &line, &file) < 0) continue;
        sb_printf(&sb, "  debug serial %lld\n", (long long)serial);
        if (file.defined) {
            sb_puts(&sb, "  created at ");
            put_str(&sb, file);
            sb_printf(&sb, ":%lld\n", (long long)line);
        }
        break; /* one DEBUGREPORT per SV; the last one would win in Devel::MAT */
    }
    cli_puts(cli, sb_str(&sb));
    sb_free(&sb);
}

/* ---- show: per kind ---- */

static void show_glob(struct cli *cli, uint32_t sv)
{
    struct pmat_heap *h = cli_heap(cli);
    struct pmat_glob g;
    pmat_glob(h, sv, &g);
    if (str_true(g.name)) {
        struct pmat_sb sb;
        sb_init(&sb);
        sb_puts(&sb, "  name=");
        put_str(&sb, g.name);
        sb_putc(&sb, '\n');
        if (g.name_hek) /* format 0.6 */
            sb_printf(&sb, "  name_hek=%#llx\n", (unsigned long long)g.name_hek);
        cli_puts(cli, sb_str(&sb));
        sb_free(&sb);
    }
    static const char *const label[] = {
        "  stash=", "  SCALAR=", "  ARRAY=", "  HASH=", "  CODE=", "  EGV=", "  IO=", "  FORM="};
    uint64_t slot[] = {g.stash, g.scalar, g.array, g.hash, g.code, g.egv, g.io, g.form};
    for (int i = 0; i < 8; i++) {
        uint32_t t = pmat_sv_at(h, slot[i]);
        if (t != PMAT_NONE) say_with_sv(cli, label[i], t);
    }
}

/* The numeric lines of a scalar; returns 0 if it has no value at all (an
 * UNDEF, whose show dies in 0.51). */
static int show_scalar(struct cli *cli, uint32_t sv, int full_pv)
{
    struct pmat_heap *h = cli_heap(cli);
    struct pmat_scalar s;
    pmat_scalar(h, sv, &s);
    if (!s.has_uv && !s.has_iv && !s.has_nv && !s.has_pv) return 0;
    struct pmat_sb sb, v;
    sb_init(&sb);
    sb_init(&v);
    if (s.has_uv) {
        sb_printf(&v, "%llu", (unsigned long long)s.uv);
        sb_puts(&sb, "  UV=");
        cli_fmt_value(cli, &sb, sb_str(&v));
        sb_putc(&sb, '\n');
        sb_reset(&v);
    }
    if (s.has_iv) {
        sb_printf(&v, "%lld", (long long)s.uv);
        sb_puts(&sb, "  IV=");
        cli_fmt_value(cli, &sb, sb_str(&v));
        sb_putc(&sb, '\n');
        sb_reset(&v);
    }
    if (s.has_nv) {
        pmat_format_nv(s.nv, &v);
        sb_puts(&sb, "  NV=");
        cli_fmt_value(cli, &sb, sb_str(&v));
        sb_putc(&sb, '\n');
        sb_reset(&v);
    }
    if (s.has_pv) {
        pmat_format_pv(s.pv.ptr, s.pv.len, s.flags & PMAT_SF_UTF8, full_pv ? 0 : 64, &v);
        sb_puts(&sb, "  PV=");
        cli_fmt_value(cli, &sb, sb_str(&v));
        sb_putc(&sb, '\n');
        /* the immortals YES/NO have no pvlen method: 0.51 dies here */
        if (!pmat_is_immortal(h, sv)) sb_printf(&sb, "  PVLEN %llu\n", (unsigned long long)s.pvlen);
        uint64_t hek = pmat_sv_shared_hek(h, sv);
        if (hek) sb_printf(&sb, "  SHARED_HEK=%#llx\n", (unsigned long long)hek);
    }
    cli_puts(cli, sb_str(&sb));
    sb_free(&sb);
    sb_free(&v);
    return 1;
}

static void show_hash_count(struct cli *cli, uint32_t sv)
{
    cli_printf(cli, "  %llu values (use 'values' command to show)\n",
               (unsigned long long)pmat_hash_nkeys(cli_heap(cli), sv));
}

static void show_stash(struct cli *cli, uint32_t sv)
{
    struct pmat_str name;
    pmat_stash_name(cli_heap(cli), sv, &name);
    struct pmat_sb sb;
    sb_init(&sb);
    sb_puts(&sb, "  stashname=");
    put_str(&sb, name);
    sb_putc(&sb, '\n');
    cli_puts(cli, sb_str(&sb));
    sb_free(&sb);
    show_hash_count(cli, sv);
}

/* The "state our field NAME *OUTER" decoration of a pad name (plain text
 * plus the styled version); NULL when the slot has no name. */
static int decorated_padname(struct cli *cli, const struct pmat_padname *pn, struct pmat_sb *plain,
                             struct pmat_sb *styled)
{
    if (!pn) return 0;
    const char *words[3];
    int n = 0;
    if (pn->flags & PMAT_PN_STATE) words[n++] = "state";
    if (pn->flags & PMAT_PN_OUR) words[n++] = "our";
    if (pn->flags & PMAT_PN_FIELD) words[n++] = "field";
    for (int i = 0; i < n; i++) {
        sb_puts(plain, words[i]);
        sb_putc(plain, ' ');
        cli_fmt_note(cli, styled, words[i], 0);
        sb_putc(styled, ' ');
    }
    struct pmat_sb name;
    sb_init(&name);
    put_str(&name, pn->name);
    sb_puts(plain, sb_str(&name));
    cli_fmt_note(cli, styled, sb_str(&name), 1);
    sb_free(&name);
    if ((pn->flags & PMAT_PN_OUTER) && !(pn->flags & PMAT_PN_OUR)) {
        sb_puts(plain, " *OUTER");
        sb_putc(styled, ' ');
        cli_fmt_note(cli, styled, "*OUTER", 2);
    }
    return 1;
}

/* Is padix listed in a CODE's u32 pool list? */
static int in_pool_list(const struct pmat_heap *h, uint64_t off, uint32_t n, uint64_t padix)
{
    const uint32_t *v = pmat_pool(h, off);
    for (uint32_t i = 0; i < n; i++)
        if (v[i] == padix) return 1;
    return 0;
}

/* Append "%-*s" of a styled cell whose plain text has `plain_len` characters. */
static void pad_right(struct pmat_sb *sb, const char *styled, size_t plain_len, size_t width)
{
    sb_puts(sb, styled);
    for (size_t i = plain_len; i < width; i++)
        sb_putc(sb, ' ');
}

int show_pad_contents(struct cli *cli, uint32_t pad)
{
    struct pmat_heap *h = cli_heap(cli);
    uint32_t cv = pmat_padcv(h, pad);
    const struct pmat_code_info *c = pmat_code(h, cv);
    if (!c) return -1;
    uint64_t n = pmat_array_count(h, pad);

    /* widths: the highest index, and the longest decorated name of slots 0..n-1 */
    char tmp[32];
    int idxlen = snprintf(tmp, sizeof tmp, "%lld", (long long)n - 1);
    size_t namelen = 0;
    struct pmat_sb plain, styled, line;
    sb_init(&plain);
    sb_init(&styled);
    sb_init(&line);
    for (uint64_t i = 0; i < n; i++) {
        sb_reset(&plain);
        sb_reset(&styled);
        if (decorated_padname(cli, pmat_code_padname(h, c, i), &plain, &styled)) {
            size_t w = cli_text_width(sb_str(&plain));
            if (w > namelen) namelen = w;
        }
    }

    for (uint64_t i = 0; i < n || i == 0; i++) {
        uint32_t sv = i < n ? pmat_sv_at(h, pmat_array_elem(h, pad, i)) : PMAT_NONE;
        sb_reset(&plain);
        sb_reset(&styled);
        sb_reset(&line);
        int named;
        if (i == 0) {
            sb_puts(&plain, "@_");
            cli_fmt_note(cli, &styled, "@_", 1);
            named = 1;
        } else {
            named = decorated_padname(cli, pmat_code_padname(h, c, i), &plain, &styled);
            if (!named) {
                const char *label = in_pool_list(h, c->constix_off, c->nconstix, i) ? "CONST"
                                    : in_pool_list(h, c->gvix_off, c->ngvix, i)     ? "GLOB"
                                                                                    : "";
                sb_puts(&plain, label);
                sb_puts(&styled, label);
            }
        }
        sb_printf(&line, "  [%*lld%c", idxlen, (long long)i, named ? '/' : ' ');
        pad_right(&line, sb_str(&styled), cli_text_width(sb_str(&plain)), namelen);
        sb_puts(&line, "]=");
        if (sv != PMAT_NONE)
            cli_fmt_sv_value(cli, &line, sv);
        else
            sb_puts(&line, "NULL");
        sb_putc(&line, '\n');
        cli_puts(cli, sb_str(&line));
        if (n == 0) break;
    }
    sb_free(&plain);
    sb_free(&styled);
    sb_free(&line);
    return 0;
}

static void show_code(struct cli *cli, uint32_t sv, int show_pad)
{
    struct pmat_heap *h = cli_heap(cli);
    const struct pmat_code_info *c = pmat_code(h, sv);
    struct pmat_sb sb;
    sb_init(&sb);
    if (c && c->name_hek) /* format 0.6 */
        sb_printf(&sb, "  name_hek=%#llx\n", (unsigned long long)c->name_hek);
    if (c && str_true(c->hekname)) {
        sb_puts(&sb, "  hekname=");
        put_str(&sb, c->hekname);
        sb_putc(&sb, '\n');
    } else {
        sb_puts(&sb, "  no hekname\n");
    }
    cli_puts(cli, sb_str(&sb));
    sb_reset(&sb);

    uint32_t stash = c ? c->stash : PMAT_NONE;
    if (stash != PMAT_NONE)
        say_with_sv(cli, "  stash=", stash);
    else
        cli_puts(cli, "  no stash\n");
    if (h->glob_at[sv] != PMAT_NONE)
        say_with_sv(cli, "  glob=", h->glob_at[sv]);
    else
        cli_puts(cli, "  no glob\n");

    /* location: "FILE line N", or FILE when the line is 0; false when "" or "0" */
    if (c && c->file.defined) {
        put_str(&sb, c->file);
        if (c->line) sb_printf(&sb, " line %llu", (unsigned long long)c->line);
    }
    if (sb.len && strcmp(sb_str(&sb), "0")) {
        cli_puts(cli, "  location=");
        cli_puts(cli, sb_str(&sb));
        cli_puts(cli, "\n");
    } else {
        cli_puts(cli, "  no location\n");
    }
    sb_free(&sb);

    if (c && c->outside != PMAT_NONE)
        say_with_sv(cli, "  scope=", c->outside);
    else
        cli_puts(cli, "  no scope\n");
    if (!c) return;
    if (c->padlist != PMAT_NONE) say_with_sv(cli, "  padlist=", c->padlist);
    if (c->padnames_av != PMAT_NONE) say_with_sv(cli, "  padnames_av=", c->padnames_av);
    if (c->protosub != PMAT_NONE) say_with_sv(cli, "  protosub=", c->protosub);
    for (uint32_t d = 1; d <= c->npads; d++) {
        uint32_t pad = pmat_code_pad(h, c, d);
        if (pad == PMAT_NONE) continue;
        char label[48];
        snprintf(label, sizeof label, "  pad[%u]=", d - 1);
        say_with_sv(cli, label, pad);
    }
    uint32_t pad0 = pmat_code_pad(h, c, 1);
    if (show_pad && pad0 != PMAT_NONE) {
        cli_puts(cli, "PAD[0]:\n");
        show_pad_contents(cli, pad0);
    }
    if (c->nglobrefs) {
        struct pmat_sb line;
        sb_init(&line);
        sb_puts(&line, "Referenced globs:\n  ");
        const uint32_t *g = pmat_pool(h, c->globrefs_off);
        for (uint32_t i = 0; i < c->nglobrefs; i++) {
            cli_fmt_sv(cli, &line, g[i]);
            sb_puts(&line, ", ");
        }
        sb_putc(&line, '\n');
        cli_puts(cli, sb_str(&line));
        sb_free(&line);
    }
}

static void show_padnames(struct cli *cli, uint32_t sv)
{
    struct pmat_heap *h = cli_heap(cli);
    uint32_t cv = pmat_padcv(h, sv);
    if (cv != PMAT_NONE)
        say_with_sv(cli, "  padcv=", cv);
    else
        cli_puts(cli, "  no padcv\n");
    uint64_t n = pmat_array_count(h, sv);
    struct pmat_sb sb, name;
    sb_init(&sb);
    sb_init(&name);
    for (uint64_t i = 1; i < n; i++) {
        uint32_t e = pmat_sv_at(h, pmat_array_elem(h, sv, i));
        if (e == PMAT_NONE || h->kind[e] != PMAT_K_SCALAR) continue;
        struct pmat_scalar s;
        pmat_scalar(h, e, &s);
        if (!s.has_uv && !s.has_iv && !s.has_nv && !s.has_pv)
            continue; /* an UNDEF, not a SCALAR, to Devel::MAT */
        sb_reset(&name);
        put_str(&name, s.pv);
        sb_printf(&sb, "  [%llu] is ", (unsigned long long)i);
        cli_fmt_note(cli, &sb, sb_str(&name), 1);
        sb_putc(&sb, '\n');
    }
    cli_puts(cli, sb_str(&sb));
    sb_free(&sb);
    sb_free(&name);
}

static void show_io(struct cli *cli, uint32_t sv)
{
    struct pmat_io io;
    pmat_io(cli_heap(cli), sv, &io);
    if (io.has_ifileno) cli_printf(cli, "  ifileno=%lld\n", (long long)io.ifileno);
    if (io.has_ofileno) cli_printf(cli, "  ofileno=%lld\n", (long long)io.ofileno);
}

/* OBJECT fields come from the class's field list; the reference graph already
 * names them ("the $x field") in declaration order. */
static void show_object(struct cli *cli, uint32_t sv)
{
    struct pmat_heap *h = cli_heap(cli);
    uint64_t first, n = pmat_out_range(h, sv, &first);
    char name[512];
    struct pmat_sb sb;
    sb_init(&sb);
    for (uint64_t e = first; e < first + n; e++) {
        if (h->out_kind[e] != PMAT_R_OBJ_FIELD) continue;
        pmat_ref_name(h, sv, e, name, sizeof name);
        size_t len = strlen(name);
        /* "the NAME field" -> NAME */
        const char *p = len > 10 ? name + 4 : name;
        size_t plen = len > 10 ? len - 10 : len;
        char *field = strndup(p, plen);
        if (!field) abort();
        sb_puts(&sb, "  ");
        cli_fmt_note(cli, &sb, field, 1);
        sb_putc(&sb, '=');
        cli_fmt_sv_value(cli, &sb, h->out_target[e]);
        sb_putc(&sb, '\n');
        free(field);
    }
    cli_puts(cli, sb_str(&sb));
    sb_free(&sb);
}

static void show_struct(struct cli *cli, uint32_t sv)
{
    struct pmat_heap *h = cli_heap(cli);
    const struct pmat_struct_type *st = pmat_struct_type_of(h, sv);
    if (!st) return;
    struct pmat_sb sb, v;
    sb_init(&sb);
    sb_init(&v);
    for (uint32_t f = 0; f < st->nfields; f++) {
        uint64_t val;
        if (pmat_struct_field(h, sv, f, &val) < 0) continue;
        uint8_t type = st->fields[f].type;
        uint32_t target = PMAT_NONE;
        if (type == 0 && (target = pmat_sv_at(h, val)) == PMAT_NONE)
            continue; /* an unresolvable pointer is undef, and skipped */
        sb_puts(&sb, "  ");
        put_str(&sb, st->fields[f].name);
        sb_putc(&sb, '=');
        sb_reset(&v);
        if (type == 0) {
            cli_fmt_sv_value(cli, &sb, target);
        } else {
            if (type == 1)
                sb_puts(&v, val ? "true" : "false");
            else
                sb_printf(&v, "%llu", (unsigned long long)val);
            cli_fmt_value(cli, &sb, sb_str(&v));
        }
        sb_putc(&sb, '\n');
    }
    cli_puts(cli, sb_str(&sb));
    sb_free(&sb);
    sb_free(&v);
}

static int cmd_show(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    uint32_t sv = cli_sv(a);
    show_common(cli, sv);
    switch (h->kind[sv]) {
    case PMAT_K_GLOB:
        show_glob(cli, sv);
        break;
    case PMAT_K_SCALAR:
    case PMAT_K_IMM_YES:
    case PMAT_K_IMM_NO:
        show_scalar(cli, sv, cli_flag(a, "full_pv"));
        break;
    case PMAT_K_BOOL:
        cli_puts(cli, "  BOOL=");
        cli_out_value(cli, h->flags[sv] & PMAT_BF_YES ? "true" : "false");
        cli_puts(cli, "\n");
        break;
    case PMAT_K_REF: {
        struct pmat_ref r;
        pmat_ref(h, sv, &r);
        uint32_t t = pmat_sv_at(h, r.rv);
        if (t != PMAT_NONE) say_with_sv(cli, "  RV=", t);
        break;
    }
    case PMAT_K_ARRAY:
        cli_printf(cli, "  %llu elements (use 'elems' command to show)\n",
                   (unsigned long long)pmat_array_count(h, sv));
        break;
    case PMAT_K_HASH:
        show_hash_count(cli, sv);
        break;
    case PMAT_K_STASH:
        show_stash(cli, sv);
        break;
    case PMAT_K_CLASS: {
        cli_puts(cli, "  is CLASS\n");
        struct pmat_hash hv;
        pmat_hash(h, sv, &hv);
        uint32_t ab = pmat_sv_at(h, hv.adjust_blocks);
        if (ab != PMAT_NONE) say_with_sv(cli, "  adjust_blocks=", ab);
        show_stash(cli, sv);
        break;
    }
    case PMAT_K_CODE:
        show_code(cli, sv, cli_flag(a, "pad"));
        break;
    case PMAT_K_PAD: {
        uint32_t cv = pmat_padcv(h, sv);
        if (cv != PMAT_NONE)
            say_with_sv(cli, "  padcv=", cv);
        else
            cli_puts(cli, "  no padcv\n");
        show_pad_contents(cli, sv);
        break;
    }
    case PMAT_K_PADNAMES:
        show_padnames(cli, sv);
        break;
    case PMAT_K_IO:
        show_io(cli, sv);
        break;
    case PMAT_K_OBJECT:
        show_object(cli, sv);
        break;
    case PMAT_K_STRUCT:
        show_struct(cli, sv);
        break;
    default:
        /* UNDEF, PADLIST, LVALUE, REGEXP, FORMAT, INVLIST, UNKNOWN: 0.51 has no
         * show_KIND method and dies after the common lines (docs/compat.md) */
        break;
    }
    return 0;
}

/* ---- elems ---- */

static int cmd_elems(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    uint32_t sv = cli_sv(a);
    switch (h->kind[sv]) {
    case PMAT_K_ARRAY:
        break;
    case PMAT_K_HASH:
    case PMAT_K_STASH:
        return cli_error(cli, "Cannot 'elems' of a %s - maybe you wanted 'values'?",
                         h->kind[sv] == PMAT_K_HASH ? "HASH" : "STASH");
    default:
        return cli_error(cli, "Cannot 'elems' of a non-ARRAY");
    }
    long long n = (long long)pmat_array_count(h, sv);
    /* --start (0.56) or the positional start index (0.51) */
    long long start = cli_flag(a, "start") ? cli_int(a, "start") : perl_int(cli_pos(a, 0));
    long long stop = start + cli_int(a, "count");
    if (stop > n) stop = n;

    struct cli_table *t = cli_table_new();
    cli_table_indent(t, 2);
    struct pmat_sb sb, v;
    sb_init(&sb);
    sb_init(&v);
    for (long long i = start; i < stop; i++) {
        sb_reset(&v);
        sb_printf(&v, "%lld", i);
        sb_putc(&sb, '[');
        cli_fmt_value(cli, &sb, sb_str(&v));
        sb_putc(&sb, ']');
        cli_table_cell_sb(t, &sb);
        uint32_t e = i >= 0 ? pmat_sv_at(h, pmat_array_elem(h, sv, (uint64_t)i)) : PMAT_NONE;
        if (e != PMAT_NONE)
            cli_fmt_sv_value(cli, &sb, e);
        else
            sb_puts(&sb, "NULL");
        cli_table_cell_sb(t, &sb);
        cli_table_end_row(t);
    }
    cli_table_print(cli, t);
    if (n - stop) cli_printf(cli, "  ... (%lld more)\n", n - stop);
    sb_free(&sb);
    sb_free(&v);
    return 0;
}

int show_key_filter(struct cli *cli, const char *arg, pcre2_code **re)
{
    *re = NULL;
    const char *end = strrchr(arg, '/');
    if (arg[0] != '/' || !end || end == arg || strspn(end + 1, "adilmsux") != strlen(end + 1))
        return 0;
    uint32_t o = 0;
    for (const char *f = end + 1; *f; f++)
        o |= *f == 'i'   ? PCRE2_CASELESS
             : *f == 'm' ? PCRE2_MULTILINE
             : *f == 's' ? PCRE2_DOTALL
             : *f == 'x' ? PCRE2_EXTENDED
                         : 0;
    int ec;
    PCRE2_SIZE eo;
    *re = pcre2_compile((PCRE2_SPTR)(arg + 1), (size_t)(end - arg - 1), o, &ec, &eo, NULL);
    if (!*re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        cli_error(cli, "%s in regex m/%s/", (char *)msg, arg);
        return -1;
    }
    return 1;
}

/* ---- values ---- */

struct hkey {
    struct pmat_str key;
    uint64_t value, hek;
};

struct values_state {
    uint32_t sv;
    int stash;
    long long count; /* page size: --count */
    int heks;        /* --hek: a "HEK at ADDR" column where the key has one */
    struct hkey *keys;
    size_t nkeys, next;
};

static int by_key_bytes(const void *x, const void *y)
{
    const struct hkey *a = x, *b = y;
    uint64_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
    int c = n ? memcmp(a->key.ptr, b->key.ptr, n) : 0;
    if (c) return c;
    return (a->key.len > b->key.len) - (a->key.len < b->key.len);
}

/* Bytes, then file order (keys point into the file in the order they were written). */
static int by_key_bytes_then_order(const void *x, const void *y)
{
    int c = by_key_bytes(x, y);
    if (c) return c;
    const struct hkey *a = x, *b = y;
    return ((uintptr_t)a->key.ptr > (uintptr_t)b->key.ptr) -
           ((uintptr_t)a->key.ptr < (uintptr_t)b->key.ptr);
}

static void values_free(void *p)
{
    struct values_state *st = p;
    free(st->keys);
    free(st);
}

/* One page: rows for the next `count` keys, then "... (N more)" while keys
 * remain.  Perl's splice with a negative length keeps that many keys back. */
static int values_page(struct cli *cli, void *p, int pagesize)
{
    (void)pagesize;
    struct values_state *st = p;
    struct pmat_heap *h = cli_heap(cli);
    size_t left = st->nkeys - st->next;
    size_t take;
    if (st->count >= 0)
        take = (size_t)st->count < left ? (size_t)st->count : left;
    else
        take = (size_t)(-st->count) < left ? left - (size_t)(-st->count) : 0;

    struct cli_table *t = cli_table_new();
    cli_table_indent(t, 2);
    struct pmat_sb sb, k;
    sb_init(&sb);
    sb_init(&k);
    for (size_t i = st->next; i < st->next + take; i++) {
        sb_reset(&k);
        pmat_format_key(st->keys[i].key.ptr, st->keys[i].key.len, st->stash, &k);
        /* the braces stay uncoloured: value style goes on the inside */
        sb_putc(&sb, '{');
        char *inner = strndup(sb_str(&k) + 1, k.len - 2);
        if (!inner) abort();
        cli_fmt_value(cli, &sb, inner);
        free(inner);
        sb_putc(&sb, '}');
        cli_table_cell_sb(t, &sb);
        if (st->heks && st->keys[i].hek) {
            sb_printf(&sb, "HEK at %#llx", (unsigned long long)st->keys[i].hek);
            cli_table_cell_sb(t, &sb);
        }
        uint32_t e = pmat_sv_at(h, st->keys[i].value);
        if (e != PMAT_NONE)
            cli_fmt_sv_value(cli, &sb, e);
        else
            sb_puts(&sb, "NULL");
        cli_table_cell_sb(t, &sb);
        cli_table_end_row(t);
    }
    cli_table_print(cli, t);
    st->next += take;
    size_t more = st->nkeys - st->next;
    if (more) cli_printf(cli, "  ... (%zu more)\n", more);
    sb_free(&sb);
    sb_free(&k);
    /* A page that cannot advance would repeat forever (0.51 does, in batch mode). */
    return more && take ? 1 : 0;
}

static int cmd_values(struct cli *cli, struct cli_args *a)
{
    struct pmat_heap *h = cli_heap(cli);
    uint32_t sv = cli_sv(a);
    if (h->kind[sv] == PMAT_K_ARRAY)
        return cli_error(cli, "Cannot 'values' of a ARRAY - maybe you wanted 'elems'?");
    if (h->kind[sv] != PMAT_K_HASH && h->kind[sv] != PMAT_K_STASH)
        return cli_error(cli, "Cannot 'elems' of a non-HASHlike");

    struct pmat_hash hv;
    pmat_hash(h, sv, &hv);
    struct values_state *st = calloc(1, sizeof *st);
    if (!st) abort();
    st->sv = sv;
    st->stash = h->kind[sv] == PMAT_K_STASH;
    st->count = cli_int(a, "count");
    st->keys = malloc((hv.count + 1) * sizeof *st->keys);
    if (!st->keys) abort();
    /* The positional argument: a /PATTERN/flags key filter (0.56), or, when it is a
     * number, 0.51's count of keys to skip. */
    const char *arg = cli_pos(a, 0);
    pcre2_code *re = NULL;
    long long skip = cli_int(a, "skip");
    if (arg && *arg) {
        size_t len = strlen(arg);
        int is_filter = show_key_filter(cli, arg, &re);
        if (is_filter < 0) {
            values_free(st);
            return -1;
        }
        if (!is_filter) {
            if (strspn(arg, " \t-+0123456789") != len) {
                values_free(st);
                return cli_error(cli, "Filter must be a /PATTERN.../ with optional flags");
            }
            skip = perl_int(arg);
        }
    }
    st->heks = cli_flag(a, "hek");
    pcre2_match_data *md = re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
    uint64_t pos = hv.body, done = 0;
    struct pmat_str key;
    uint64_t value, hek;
    while (st->nkeys < hv.count && pmat_hash_next_hek(h, &hv, &pos, &done, &key, &hek, &value)) {
        if (re && pcre2_match(re, key.ptr ? key.ptr : (PCRE2_SPTR) "", key.len, 0, 0, md, NULL) < 0)
            continue;
        st->keys[st->nkeys].hek = hek;
        st->keys[st->nkeys].key = key;
        st->keys[st->nkeys].value = value;
        st->nkeys++;
    }
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    /* keys with the same bytes (perl's UTF-8 flag is not in the file: pmat_hash_nkeys)
     * collapse to one row with the value written last, as in Devel::MAT's Perl hash;
     * --no-sort keeps file order (0.56: "no particular order") */
    if (!cli_flag(a, "no_sort"))
        qsort(st->keys, st->nkeys, sizeof *st->keys, by_key_bytes_then_order);
    size_t w = 0;
    for (size_t i = 0; i < st->nkeys; i++) {
        if (w && !by_key_bytes(&st->keys[w - 1], &st->keys[i]))
            st->keys[w - 1] = st->keys[i];
        else
            st->keys[w++] = st->keys[i];
    }
    st->nkeys = w;

    /* Perl's splice @keys, 0, SKIP: a negative SKIP leaves the last -SKIP keys */
    if (skip > 0)
        st->next = (size_t)skip < st->nkeys ? (size_t)skip : st->nkeys;
    else if (skip < 0)
        st->next = (size_t)(-skip) < st->nkeys ? st->nkeys - (size_t)(-skip) : 0;
    return cli_paginate(cli, 30, values_page, st, values_free);
}

/* ---- the command table ---- */

static const struct cli_opt show_opts[] = {
    {"full_pv", 'F', CLI_FLAG, "show the full captured PV", NULL},
    {"pad", 'P', CLI_FLAG, "show the first PAD of a CODE", NULL},
    {0},
};

static const struct cli_opt elems_opts[] = {
    {"count", 'c', CLI_INT, "maximum count of elements to print", "50"},
    {"start", 's', CLI_INT, "starting index", NULL},
    {0},
};
static const struct cli_argspec elems_args[] = {
    {"startidx", "starting index", 0},
    {0},
};

static const struct cli_opt values_opts[] = {
    {"count", 'c', CLI_INT, "maximum count of values to print", "50"},
    {"skip", 's', CLI_INT, "count of keys to skip initially before printing", NULL},
    {"no_sort", 'n', CLI_FLAG, "don't sort keys before printing", NULL},
    {"hek", 'H', CLI_FLAG, "also show HEK pointers", NULL},
    {0},
};
static const struct cli_argspec values_args[] = {
    {"filter", "optional pattern to filter keys by", 0},
    {0},
};

const struct pmat_cmd cmds_show[] = {
    {"show", "Show information about a given SV", show_opts, 1, NULL, cmd_show},
    {"elems", "List the elements of an ARRAY SV", elems_opts, 1, elems_args, cmd_elems},
    {"values", "List the values of a HASH-like SV", values_opts, 1, values_args, cmd_values},
    {0},
};
