/*
 * text.c — Devel::MAT's text primitives, reproduced character for character.
 *
 * Every command's output is assembled from these: an SV's description and
 * reference form, value previews, Perl's perlstring quoting of strings and
 * hash keys, Perl's number stringification, byte counts, symbol names and
 * symbol lookup.  See pmat_text.h; in Devel::MAT: Devel::MAT::SV desc and symname, Devel::MAT::Cmd
 * format_*.
 */
#include "pmat_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- string buffer ---- */

void sb_init(struct pmat_sb *sb)
{
    sb->buf = NULL, sb->len = 0, sb->cap = 0, sb->failed = 0;
}

void sb_free(struct pmat_sb *sb)
{
    free(sb->buf);
    sb_init(sb);
}

void sb_reset(struct pmat_sb *sb)
{
    sb->len = 0;
    if (sb->buf) sb->buf[0] = 0;
}

/* Room for extra more bytes and the NUL; -1 (and the sticky flag) when there is none. */
static int sb_grow(struct pmat_sb *sb, size_t extra)
{
    if (sb->failed) return -1;
    if (sb->len + extra + 1 <= sb->cap) return 0;
    size_t nc = sb->cap ? sb->cap : 64;
    while (nc < sb->len + extra + 1)
        nc *= 2;
    char *nb = realloc(sb->buf, nc);
    if (!nb) {
        sb->failed = 1;
        return -1;
    }
    sb->buf = nb, sb->cap = nc;
    return 0;
}

void sb_putn(struct pmat_sb *sb, const char *s, size_t n)
{
    if (sb_grow(sb, n) < 0) return;
    if (n) memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = 0;
}

void sb_puts(struct pmat_sb *sb, const char *s)
{
    sb_putn(sb, s, strlen(s));
}

void sb_putc(struct pmat_sb *sb, char c)
{
    sb_putn(sb, &c, 1);
}

void sb_printf(struct pmat_sb *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        sb_putn(sb, small, (size_t)n);
        return;
    }
    if (sb_grow(sb, (size_t)n) < 0) return;
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

char *sb_take(struct pmat_sb *sb)
{
    if (!sb->buf && sb_grow(sb, 0) == 0) sb->buf[0] = 0;
    char *b = sb->failed ? NULL : sb->buf;
    if (sb->failed) free(sb->buf);
    sb_init(sb);
    return b;
}

const char *sb_str(struct pmat_sb *sb)
{
    if (!sb->buf && sb_grow(sb, 0) == 0) sb->buf[0] = 0;
    return sb->buf ? sb->buf : "";
}

const struct pmat_style pmat_style_plain = {"", "", "", "", "", ""};
const struct pmat_style pmat_style_ansi = {"\033[1;3m", "\033[m",        "\033[32m",
                                           "\033[m",    "\033[38;5;13m", "\033[m"};

/* ---- numbers, bytes, strings ---- */

void pmat_format_nv(double nv, struct pmat_sb *out)
{
    if (isnan(nv)) {
        sb_puts(out, "NaN");
        return;
    }
    if (isinf(nv)) {
        sb_puts(out, nv < 0 ? "-Inf" : "Inf");
        return;
    }
    if (nv == 0) {
        sb_putc(out, '0'); /* perl prints -0.0 as 0 */
        return;
    }
    sb_printf(out, "%.15g", nv);
}

void pmat_format_bytes(uint64_t n, struct pmat_sb *out)
{
    static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB"};
    if (n < 1024) {
        sb_printf(out, "%llu bytes", (unsigned long long)n);
        return;
    }
    double v = (double)n;
    int u = 0;
    v /= 1024;
    while (u < 3 && v >= 1024)
        v /= 1024, u++;
    sb_printf(out, "%.1f %s", v, unit[u]);
}

/* Decode one UTF-8 character; returns its length (1 with *cp = the byte if malformed). */
static size_t utf8_decode(const uint8_t *p, uint64_t len, uint32_t *cp)
{
    uint8_t c = p[0];
    size_t n = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
    if (n == 0 || n > len) {
        *cp = c;
        return 1;
    }
    uint32_t v = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *cp = c;
            return 1;
        }
        v = (v << 6) | (p[i] & 0x3F);
    }
    *cp = v;
    return n;
}

void pmat_perlstring(const uint8_t *p, uint64_t len, int utf8, struct pmat_sb *out)
{
    sb_putc(out, '"');
    uint64_t i = 0;
    while (i < len) {
        uint32_t c;
        if (utf8)
            i += utf8_decode(p + i, len - i, &c);
        else
            c = p[i++];
        switch (c) {
        case '"':
            sb_puts(out, "\\\"");
            continue;
        case '\\':
            sb_puts(out, "\\\\");
            continue;
        case '$':
            sb_puts(out, "\\$");
            continue;
        case '@':
            sb_puts(out, "\\@");
            continue;
        case '\n':
            sb_puts(out, "\\n");
            continue;
        case '\r':
            sb_puts(out, "\\r");
            continue;
        case '\t':
            sb_puts(out, "\\t");
            continue;
        case '\a':
            sb_puts(out, "\\a");
            continue;
        case '\b':
            sb_puts(out, "\\b");
            continue;
        case '\f':
            sb_puts(out, "\\f");
            continue;
        }
        if (c >= 0x20 && c < 0x7F)
            sb_putc(out, (char)c);
        else if (utf8 && c == 0x1B)
            sb_puts(out, "\\e");
        else if (utf8)
            sb_printf(out, "\\x{%x}", c);
        else
            sb_printf(out, "\\%03o", c);
    }
    sb_putc(out, '"');
}

void pmat_format_pv(const uint8_t *p, uint64_t len, int utf8, uint64_t maxlen, struct pmat_sb *out)
{
    int truncated = 0;
    uint64_t bytes = len;
    if (maxlen) {
        if (!utf8) {
            if (len > maxlen) bytes = maxlen, truncated = 1;
        } else {
            uint64_t i = 0, chars = 0;
            while (i < len && chars < maxlen) {
                uint32_t c;
                i += utf8_decode(p + i, len - i, &c);
                chars++;
            }
            if (i < len) bytes = i, truncated = 1;
        }
    }
    pmat_perlstring(p, bytes, utf8, out);
    if (truncated) sb_puts(out, "...");
}

static int is_ident_char(uint8_t c, int first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (!first && c >= '0' && c <= '9');
}

/* Perl's /^[a-zA-Z_][a-zA-Z0-9_]*$/ — note "$" also matches before a final "\n". */
static int is_identifier(const uint8_t *p, uint64_t len)
{
    if (len && p[len - 1] == '\n') len--;
    if (!len || !is_ident_char(p[0], 1)) return 0;
    for (uint64_t i = 1; i < len; i++)
        if (!is_ident_char(p[i], 0)) return 0;
    return 1;
}

void pmat_format_key(const uint8_t *p, uint64_t len, int stash_style, struct pmat_sb *out)
{
    sb_putc(out, '{');
    uint64_t body = len && p[len - 1] == '\n' ? len - 1 : len;
    int ctl = 0;
    if (stash_style && body >= 1 && p[0] < 0x20) {
        ctl = 1;
        for (uint64_t i = 1; i < body; i++)
            if (!is_ident_char(p[i], 0)) ctl = 0;
    }
    if (ctl) {
        sb_putc(out, '^');
        sb_putc(out, (char)(64 + p[0]));
        sb_putn(out, (const char *)p + 1, len - 1);
    } else if (is_identifier(p, len)) {
        sb_putn(out, (const char *)p, len);
    } else {
        pmat_perlstring(p, len, 0, out);
    }
    sb_putc(out, '}');
}

/* ---- names ---- */

const char *pmat_kind_name(enum pmat_kind k)
{
    static const char *const names[PMAT_K__COUNT] = {
        [PMAT_K_UNKNOWN] = "UNKNOWN",   [PMAT_K_GLOB] = "GLOB",       [PMAT_K_SCALAR] = "SCALAR",
        [PMAT_K_REF] = "REF",           [PMAT_K_ARRAY] = "ARRAY",     [PMAT_K_PADLIST] = "PADLIST",
        [PMAT_K_PADNAMES] = "PADNAMES", [PMAT_K_PAD] = "PAD",         [PMAT_K_HASH] = "HASH",
        [PMAT_K_STASH] = "STASH",       [PMAT_K_CODE] = "CODE",       [PMAT_K_IO] = "IO",
        [PMAT_K_LVALUE] = "LVALUE",     [PMAT_K_REGEXP] = "REGEXP",   [PMAT_K_FORMAT] = "FORMAT",
        [PMAT_K_INVLIST] = "INVLIST",   [PMAT_K_BOOL] = "BOOL",       [PMAT_K_OBJECT] = "OBJECT",
        [PMAT_K_CLASS] = "CLASS",       [PMAT_K_STRUCT] = "C_STRUCT", [PMAT_K_IMM_UNDEF] = "UNDEF",
        [PMAT_K_IMM_YES] = "SCALAR",    [PMAT_K_IMM_NO] = "SCALAR",
    };
    return (unsigned)k < PMAT_K__COUNT && names[k] ? names[k] : "UNKNOWN";
}

const char *pmat_basetype(const struct pmat_heap *h, uint32_t sv)
{
    switch (h->kind[sv]) {
    case PMAT_K_GLOB:
        return "GV";
    case PMAT_K_SCALAR:
    case PMAT_K_REF:
    case PMAT_K_BOOL:
    case PMAT_K_IMM_UNDEF:
    case PMAT_K_IMM_YES:
    case PMAT_K_IMM_NO:
        return "SV";
    case PMAT_K_ARRAY:
    case PMAT_K_PADLIST:
    case PMAT_K_PADNAMES:
    case PMAT_K_PAD:
        return "AV";
    case PMAT_K_HASH:
    case PMAT_K_STASH:
    case PMAT_K_CLASS:
        return "HV";
    case PMAT_K_CODE:
        return "CV";
    case PMAT_K_IO:
        return "IO";
    case PMAT_K_LVALUE:
        return "LV";
    case PMAT_K_REGEXP:
        return "REGEXP";
    case PMAT_K_FORMAT:
        return "PVFM";
    case PMAT_K_INVLIST:
        return "INVLIST";
    case PMAT_K_OBJECT:
        return "OBJ";
    default:
        return NULL;
    }
}

int pmat_stash_name(const struct pmat_heap *h, uint32_t stash, struct pmat_str *name)
{
    struct pmat_hash hv;
    memset(name, 0, sizeof *name);
    if (stash == PMAT_NONE || pmat_hash(h, stash, &hv) < 0) return 0;
    if (h->kind[stash] == PMAT_K_HASH) return 0;
    *name = hv.name;
    return hv.name.defined;
}

int pmat_glob_stashname(const struct pmat_heap *h, uint32_t gv, struct pmat_sb *out)
{
    struct pmat_glob g;
    if (pmat_glob(h, gv, &g) < 0) return 0;
    struct pmat_str sn;
    pmat_stash_name(h, pmat_sv_at(h, g.stash), &sn);
    /* Devel::MAT joins the stash's name (possibly missing) and the glob's name */
    if (sn.defined) sb_putn(out, (const char *)sn.ptr, sn.len);
    sb_puts(out, "::");
    if (g.name.defined && g.name.len && g.name.ptr[0] < 0x20) {
        sb_putc(out, '^');
        sb_putc(out, (char)(64 + g.name.ptr[0]));
        sb_putn(out, (const char *)g.name.ptr + 1, g.name.len - 1);
    } else if (g.name.defined) {
        sb_putn(out, (const char *)g.name.ptr, g.name.len);
    }
    return 1;
}

int pmat_symname(const struct pmat_heap *h, uint32_t sv, struct pmat_sb *out)
{
    if (sv == PMAT_NONE) return 0;
    char sigil;
    switch (h->kind[sv]) {
    case PMAT_K_SCALAR:
    case PMAT_K_REF:
    case PMAT_K_BOOL:
        sigil = '$';
        break;
    case PMAT_K_ARRAY:
        sigil = '@';
        break;
    case PMAT_K_HASH:
    case PMAT_K_STASH:
    case PMAT_K_CLASS:
        sigil = '%';
        break;
    case PMAT_K_CODE: {
        const struct pmat_code_info *c = pmat_code(h, sv);
        if (c && c->hekname.defined) {
            struct pmat_str sn;
            sb_putc(out, '&');
            if (pmat_stash_name(h, c->stash, &sn)) {
                const char *p = (const char *)sn.ptr;
                uint64_t n = sn.len;
                if (n >= 6 && memcmp(p, "main::", 6) == 0) p += 6, n -= 6;
                sb_putn(out, p, n);
            }
            sb_puts(out, "::");
            sb_putn(out, (const char *)c->hekname.ptr, c->hekname.len);
            return 1;
        }
        if (h->glob_at[sv] != PMAT_NONE) {
            sb_putc(out, '&');
            return pmat_glob_stashname(h, h->glob_at[sv], out);
        }
        return 0;
    }
    default:
        return 0;
    }
    if (h->glob_at[sv] == PMAT_NONE) return 0;
    struct pmat_sb tmp;
    sb_init(&tmp);
    pmat_glob_stashname(h, h->glob_at[sv], &tmp);
    const char *s = sb_str(&tmp);
    /* strip a leading "main::" only when another "::" follows: /^main::.+::/ */
    if (strncmp(s, "main::", 6) == 0 && strlen(s) > 7 && strstr(s + 7, "::")) s += 6;
    sb_putc(out, sigil);
    sb_puts(out, s);
    sb_free(&tmp);
    return 1;
}

/* ---- descriptions and SV references ---- */

void pmat_desc(const struct pmat_heap *h, uint32_t sv, struct pmat_sb *out)
{
    switch (h->kind[sv]) {
    case PMAT_K_GLOB: {
        struct pmat_glob g;
        pmat_glob(h, sv, &g);
        sb_puts(out, "GLOB(");
        uint64_t slot[] = {g.scalar, g.array, g.hash, g.code, g.egv, g.io, g.form};
        const char *ch = "$@%&*IF";
        for (int i = 0; i < 7; i++)
            if (pmat_sv_at(h, slot[i]) != PMAT_NONE) sb_putc(out, ch[i]);
        sb_putc(out, ')');
        return;
    }
    case PMAT_K_SCALAR: {
        struct pmat_scalar s;
        pmat_scalar(h, sv, &s);
        if (!s.has_uv && !s.has_iv && !s.has_nv && !s.has_pv) {
            sb_puts(out, "UNDEF()");
            return;
        }
        sb_puts(out, "SCALAR(");
        int first = 1;
        const char *names[] = {"UV", "IV", "NV", "PV"};
        int has[] = {s.has_uv, s.has_iv, s.has_nv, s.has_pv};
        for (int i = 0; i < 4; i++)
            if (has[i]) {
                if (!first) sb_putc(out, ',');
                sb_puts(out, names[i]);
                first = 0;
            }
        sb_putc(out, ')');
        return;
    }
    case PMAT_K_BOOL:
        sb_puts(out, h->flags[sv] & PMAT_BF_YES ? "BOOL(YES)" : "BOOL(NO)");
        return;
    case PMAT_K_REF:
        sb_puts(out, h->flags[sv] & PMAT_RF_WEAK ? "REF(W)" : "REF()");
        return;
    case PMAT_K_ARRAY:
        sb_printf(out, "ARRAY(%llu%s)", (unsigned long long)pmat_array_count(h, sv),
                  h->flags[sv] & PMAT_AF_UNREAL ? ",!REAL" : "");
        return;
    case PMAT_K_PADLIST:
    case PMAT_K_PADNAMES:
    case PMAT_K_PAD:
        sb_printf(out, "%s(%llu)", pmat_kind_name(h->kind[sv]),
                  (unsigned long long)pmat_array_count(h, sv));
        return;
    case PMAT_K_HASH:
    case PMAT_K_STASH:
    case PMAT_K_CLASS: {
        sb_printf(out, "%s(%llu)", h->kind[sv] == PMAT_K_HASH ? "HASH" : "STASH",
                  (unsigned long long)pmat_hash_nkeys(h, sv));
        return;
    }
    case PMAT_K_CODE: {
        const struct pmat_code_info *c = pmat_code(h, sv);
        uint8_t f = h->flags[sv];
        const char *flag[5];
        int n = 0;
        if (c && c->oproot_addr) flag[n++] = "PP";
        if (c && c->constval != PMAT_NONE) flag[n++] = "CONST";
        if (f & PMAT_CF_XSUB) flag[n++] = "XS";
        if (f & PMAT_CF_CLONED) flag[n++] = "closure";
        if (f & PMAT_CF_CLONE) flag[n++] = "proto";
        sb_puts(out, "CODE(");
        for (int i = 0; i < n; i++) {
            if (i) sb_putc(out, ',');
            sb_puts(out, flag[i]);
        }
        sb_putc(out, ')');
        return;
    }
    case PMAT_K_IO:
        sb_puts(out, "IO()");
        return;
    case PMAT_K_LVALUE:
        sb_puts(out, "LVALUE()");
        return;
    case PMAT_K_REGEXP:
        sb_puts(out, "REGEXP()");
        return;
    case PMAT_K_FORMAT:
        sb_puts(out, "FORMAT()");
        return;
    case PMAT_K_INVLIST:
        sb_puts(out, "INVLIST()");
        return;
    case PMAT_K_OBJECT:
        sb_puts(out, "OBJ()");
        return;
    case PMAT_K_STRUCT: {
        const struct pmat_struct_type *st = pmat_struct_type_of(h, sv);
        sb_puts(out, "C_STRUCT(");
        if (st && st->name.defined) sb_putn(out, (const char *)st->name.ptr, st->name.len);
        sb_putc(out, ')');
        return;
    }
    case PMAT_K_IMM_UNDEF:
        sb_puts(out, "UNDEF");
        return;
    case PMAT_K_IMM_YES:
        sb_puts(out, "YES");
        return;
    case PMAT_K_IMM_NO:
        sb_puts(out, "NO");
        return;
    default:
        sb_puts(out, "UNKNOWN");
        return;
    }
}

void pmat_format_sv(const struct pmat_heap *h, uint32_t sv, const struct pmat_style *st,
                    struct pmat_sb *out)
{
    if (sv == PMAT_NONE) {
        sb_puts(out, "NULL");
        return;
    }
    sb_puts(out, st->sv_on);
    pmat_desc(h, sv, out);
    struct pmat_str bn;
    if (h->blessed[sv] != PMAT_NONE) {
        sb_putc(out, '=');
        sb_puts(out, st->sym_on);
        if (pmat_stash_name(h, h->blessed[sv], &bn)) sb_putn(out, (const char *)bn.ptr, bn.len);
        sb_puts(out, st->sym_off);
    }
    sb_printf(out, " at %#llx", (unsigned long long)h->addr[sv]);
    const struct pmat_root *r = pmat_sv_root(h, sv);
    if (r) {
        sb_putc(out, '=');
        if (r->name.defined) sb_putn(out, (const char *)r->name.ptr, r->name.len);
    }
    sb_puts(out, st->sv_off);
}

static void value_on(const struct pmat_style *st, struct pmat_sb *out)
{
    sb_puts(out, st->value_on);
}
static void value_off(const struct pmat_style *st, struct pmat_sb *out)
{
    sb_puts(out, st->value_off);
}

void pmat_format_sv_with_value(const struct pmat_heap *h, uint32_t sv, const struct pmat_style *st,
                               struct pmat_sb *out)
{
    pmat_format_sv(h, sv, st, out);
    if (sv == PMAT_NONE) return;
    switch (h->kind[sv]) {
    case PMAT_K_SCALAR:
    case PMAT_K_IMM_YES:
    case PMAT_K_IMM_NO: {
        struct pmat_scalar s;
        pmat_scalar(h, sv, &s);
        int num = s.has_nv || s.has_iv || s.has_uv;
        if (!num && !s.has_pv) return;
        sb_puts(out, " = ");
        if (num) {
            value_on(st, out);
            if (s.has_nv)
                pmat_format_nv(s.nv, out);
            else if (s.has_iv)
                sb_printf(out, "%lld", (long long)s.uv);
            else
                sb_printf(out, "%llu", (unsigned long long)s.uv);
            value_off(st, out);
        }
        if (num && s.has_pv) sb_puts(out, " / ");
        if (s.has_pv) {
            value_on(st, out);
            pmat_format_pv(s.pv.ptr, s.pv.len, s.flags & PMAT_SF_UTF8, 64, out);
            value_off(st, out);
        }
        return;
    }
    case PMAT_K_BOOL:
        sb_puts(out, " = ");
        value_on(st, out);
        sb_puts(out, h->flags[sv] & PMAT_BF_YES ? "true" : "false");
        value_off(st, out);
        return;
    case PMAT_K_REF: {
        /* Devel::MAT recurses down a chain of REFs (forever, on a cycle).  We follow at
         * most 64 links in a loop and end a longer chain or cycle with " => ..." */
        uint32_t t = sv;
        for (int depth = 0; h->kind[t] == PMAT_K_REF; depth++) {
            struct pmat_ref r;
            pmat_ref(h, t, &r);
            t = pmat_sv_at(h, r.rv);
            if (t == PMAT_NONE) return;
            sb_puts(out, " => ");
            if (depth == 64) {
                sb_puts(out, "...");
                return;
            }
            if (h->kind[t] == PMAT_K_REF) pmat_format_sv(h, t, st, out);
        }
        pmat_format_sv_with_value(h, t, st, out);
        return;
    }
    case PMAT_K_ARRAY: {
        if (h->blessed[sv] != PMAT_NONE) return;
        uint64_t n = pmat_array_count(h, sv);
        if (!n) {
            sb_puts(out, " = []");
            return;
        }
        sb_puts(out, " = [");
        pmat_format_sv(h, pmat_sv_at(h, pmat_array_elem(h, sv, 0)), st, out);
        if (n > 1) sb_puts(out, ", ...");
        sb_putc(out, ']');
        return;
    }
    case PMAT_K_HASH: {
        if (h->blessed[sv] != PMAT_NONE) return;
        struct pmat_hash hv;
        pmat_hash(h, sv, &hv);
        if (!hv.count) {
            sb_puts(out, " = {}");
            return;
        }
        struct pmat_str key;
        uint64_t val;
        pmat_hash_pair(h, sv, 0, &key, &val);
        sb_puts(out, " = {");
        value_on(st, out);
        pmat_format_key(key.ptr, key.len, 0, out);
        value_off(st, out);
        sb_puts(out, " => ");
        pmat_format_sv(h, pmat_sv_at(h, val), st, out);
        if (hv.count > 1 && pmat_hash_nkeys(h, sv) > 1) sb_puts(out, ", ...");
        sb_putc(out, '}');
        return;
    }
    case PMAT_K_GLOB:
        sb_puts(out, " is ");
        sb_puts(out, st->sym_on);
        sb_putc(out, '*');
        pmat_glob_stashname(h, sv, out);
        sb_puts(out, st->sym_off);
        return;
    case PMAT_K_STASH: {
        struct pmat_str n;
        sb_puts(out, " is ");
        sb_puts(out, st->sym_on);
        if (pmat_stash_name(h, sv, &n)) sb_putn(out, (const char *)n.ptr, n.len);
        sb_puts(out, st->sym_off);
        return;
    }
    default:
        return;
    }
}

/* ---- symbol lookup ---- */

/* Look a key up in a stash (or hash); returns the value's address or 0. */
static uint64_t stash_lookup(const struct pmat_heap *h, uint32_t stash, const char *key,
                             size_t klen)
{
    struct pmat_hash hv;
    if (pmat_hash(h, stash, &hv) < 0) return 0;
    uint64_t pos = hv.body, done = 0, val, found = 0;
    struct pmat_str k;
    while (pmat_hash_next(h, &hv, &pos, &done, &k, &val))
        if (k.len == klen && memcmp(k.ptr, key, klen) == 0) found = val; /* last wins */
    return found;
}

/* A symbol lookup in progress: Devel::MAT's message for a name that is not there, and
 * whether memory ran out (then the answer is "failed", not "not there"). */
struct lookup {
    const struct pmat_heap *h;
    struct pmat_sb msg;
    int nomem;
};

static void put_stashname(struct lookup *l, uint32_t stash)
{
    struct pmat_str n;
    if (pmat_stash_name(l->h, stash, &n)) sb_putn(&l->msg, (const char *)n.ptr, n.len);
}

/* find_stashvalue: split NAME into parent and short name, look short up in the parent. */
static uint32_t find_stashvalue(struct lookup *l, const char *name, int depth);
static uint32_t find_stash_depth(struct lookup *l, const char *name, int depth);

/* The end of a lookup: the status, with the message (or "out of memory") in *err. */
static int lookup_done(struct lookup *l, uint32_t found, uint32_t *out, struct pmat_error *err)
{
    int status = PMAT_OK;
    if (l->nomem || sb_failed(&l->msg))
        status = pmat_error_set(err, PMAT_ENOMEM, "out of memory");
    else if (found == PMAT_NONE)
        status = pmat_error_set(err, PMAT_EINVALID, "%s", sb_str(&l->msg));
    sb_free(&l->msg);
    *out = status == PMAT_OK ? found : PMAT_NONE;
    return status;
}

int pmat_find_stash(const struct pmat_heap *h, const char *name, uint32_t *stash,
                    struct pmat_error *err)
{
    struct lookup l = {.h = h};
    sb_init(&l.msg);
    return lookup_done(&l, find_stash_depth(&l, name, 0), stash, err);
}

/* find_stash: the hash slot of the glob "NAME::" */
static uint32_t find_stash_depth(struct lookup *l, const char *name, int depth)
{
    const struct pmat_heap *h = l->h;
    size_t n = strlen(name);
    char *g = malloc(n + 3);
    if (!g) {
        l->nomem = 1;
        return PMAT_NONE;
    }
    memcpy(g, name, n);
    memcpy(g + n, "::", 3);
    uint32_t res = PMAT_NONE;
    uint32_t gv = find_stashvalue(l, g, depth);
    if (gv != PMAT_NONE) {
        if (h->kind[gv] != PMAT_K_GLOB) {
            sb_printf(&l->msg, "%s is not a GLOB", g);
        } else {
            struct pmat_glob gl;
            pmat_glob(h, gv, &gl);
            res = pmat_sv_at(h, gl.hash);
            if (res == PMAT_NONE) sb_printf(&l->msg, "%s has no hash", name);
        }
    }
    free(g);
    return res;
}

static uint32_t find_stashvalue(struct lookup *l, const char *name, int depth)
{
    const struct pmat_heap *h = l->h;
    if (depth > 256) {
        sb_printf(&l->msg, "%s has no hash", name);
        return PMAT_NONE;
    }
    /* /^(?:(.*)::)?(.+?)$/ : the parent is everything before the last "::" that still
     * leaves at least one character for the short name */
    size_t n = strlen(name);
    size_t split = (size_t)-1;
    for (size_t i = 0; i + 2 < n; i++)
        if (name[i] == ':' && name[i + 1] == ':') split = i;
    uint32_t stash;
    const char *shortname = name;
    if (split != (size_t)-1 && split > 0) {
        char *parent = malloc(split + 1);
        if (!parent) {
            l->nomem = 1;
            return PMAT_NONE;
        }
        memcpy(parent, name, split);
        parent[split] = 0;
        stash = find_stash_depth(l, parent, depth + 1);
        free(parent);
        if (stash == PMAT_NONE) return PMAT_NONE;
        shortname = name + split + 2;
    } else {
        if (split == 0) shortname = name + 2; /* "::x": an empty parent means the defstash */
        const struct pmat_root *r = pmat_root_by_name(h, "defstash");
        stash = r ? r->sv : PMAT_NONE;
        if (stash == PMAT_NONE) {
            sb_puts(&l->msg, "Dumpfile has no default stash");
            return PMAT_NONE;
        }
    }
    uint32_t v = pmat_sv_at(h, stash_lookup(h, stash, shortname, strlen(shortname)));
    if (v == PMAT_NONE) {
        put_stashname(l, stash);
        sb_printf(&l->msg, " has no symbol %s", shortname);
    }
    return v;
}

static uint32_t find_symbol(struct lookup *l, const char *name)
{
    const struct pmat_heap *h = l->h;
    char sigil = name[0];
    if (sigil != '$' && sigil != '@' && sigil != '%' && sigil != '&') {
        sb_printf(&l->msg, "Could not parse sigil from %s", name);
        return PMAT_NONE;
    }
    const char *globname = name + 1;
    uint32_t v = find_stashvalue(l, globname, 0);
    if (v == PMAT_NONE) return PMAT_NONE;
    if (sigil == '&' && h->kind[v] == PMAT_K_REF) {
        struct pmat_ref r;
        pmat_ref(h, v, &r);
        return pmat_sv_at(h, r.rv);
    }
    if (h->kind[v] != PMAT_K_GLOB) {
        sb_printf(&l->msg, "%s is not a GLOB", globname);
        return PMAT_NONE;
    }
    struct pmat_glob g;
    pmat_glob(h, v, &g);
    uint64_t a = sigil == '$' ? g.scalar : sigil == '@' ? g.array : sigil == '%' ? g.hash : g.code;
    const char *slot = sigil == '$'   ? "scalar"
                       : sigil == '@' ? "array"
                       : sigil == '%' ? "hash"
                                      : "code";
    uint32_t sv = pmat_sv_at(h, a);
    if (sv == PMAT_NONE) sb_printf(&l->msg, "*%s has no %s slot", globname, slot);
    return sv;
}

int pmat_find_symbol(const struct pmat_heap *h, const char *name, uint32_t *sv,
                     struct pmat_error *err)
{
    struct lookup l = {.h = h};
    sb_init(&l.msg);
    return lookup_done(&l, find_symbol(&l, name), sv, err);
}
