/*
 * find.c — the `find` filters (pmat_find.h): Devel::MAT 0.51's
 * Devel::MAT::Tool::Find predicates on our model.
 *
 * String patterns are Perl regexes, compiled with PCRE2 twice: once for byte
 * strings and once (UTF mode, the pattern's bytes read as Latin-1 characters,
 * as Perl upgrades a byte pattern) for UTF-8 strings.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <ctype.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmat_find.h"
#include "pmat_text.h"

void pmat_find_init(struct pmat_find_filter *f, enum pmat_find_kind kind)
{
    memset(f, 0, sizeof *f);
    f->kind = kind;
}

/* ---- numbers ---- */

void pmat_find_parse_number(const char *s, struct pmat_find_number *n)
{
    memset(n, 0, sizeof *n);
    while (isspace((unsigned char)*s))
        s++;
    const char *start = s;
    int neg = 0;
    if (*s == '-' || *s == '+') neg = *s++ == '-';
    const char *digits = s;
    uint64_t mag = 0;
    int overflow = 0;
    while (isdigit((unsigned char)*s)) {
        unsigned d = (unsigned)(*s - '0');
        if (mag > (UINT64_MAX - d) / 10) overflow = 1;
        mag = mag * 10 + d;
        s++;
    }
    int ndigits = (int)(s - digits);
    /* an integer: digits only (then anything that is not . e E) and in range */
    int fraction = *s == '.' || ((*s == 'e' || *s == 'E') && ndigits);
    if (ndigits && !fraction && !overflow && (!neg || mag <= (uint64_t)INT64_MAX + 1)) {
        n->is_int = 1;
        n->neg = neg && mag;
        n->mag = mag;
        n->nv = neg ? -(double)mag : (double)mag;
        return;
    }
    /* Perl's Atof: strtod, which also knows Inf / NaN; "abc" is 0 */
    char *end;
    double v = strtod(start, &end);
    if (end == start) v = 0;
    n->nv = v;
}

/* Compare an SV's number with the wanted value as Perl's != does: as integers
 * when both are integers (an integral NV counts), else as doubles. */
static int num_equal_int(int neg, uint64_t mag, const struct pmat_find_number *v)
{
    if (v->is_int) return neg == v->neg && mag == v->mag;
    double d = neg ? -(double)mag : (double)mag;
    return d == v->nv;
}

static int num_equal_nv(double nv, const struct pmat_find_number *v)
{
    if (v->is_int && nv == floor(nv) && fabs(nv) < 9223372036854775808.0) {
        int neg = nv < 0;
        uint64_t mag = (uint64_t)(neg ? -nv : nv);
        return num_equal_int(neg, mag, v);
    }
    return nv == v->nv;
}

/* ---- patterns ---- */

/* quotemeta: backslash before every byte that is not [A-Za-z0-9_]. */
static void quotemeta(const char *s, struct pmat_sb *out)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!isalnum(c) && c != '_') sb_putc(out, '\\');
        sb_putc(out, (char)c);
    }
}

/* Bytes read as Latin-1 characters, written as UTF-8. */
static void latin1_to_utf8(const char *s, size_t n, struct pmat_sb *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            sb_putc(out, (char)c);
        } else {
            sb_putc(out, (char)(0xC0 | (c >> 6)));
            sb_putc(out, (char)(0x80 | (c & 0x3F)));
        }
    }
}

/* pcre2_compile's "failed to get memory" (its compile error 121) is out of memory, not a bad
 * pattern. */
#define PCRE2_COMPILE_NOMEM 121

static pcre2_code *compile(const char *pat, size_t len, uint32_t opts, struct pmat_error *err,
                           int *status)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, len, opts, &code, &off, NULL);
    if (!re) {
        if (code == PCRE2_COMPILE_NOMEM) {
            *status = pmat_error_set(err, PMAT_ENOMEM, "out of memory");
            return NULL;
        }
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        *status = pmat_error_set(err, PMAT_EINVALID,
                                 "%s in regex; marked by <-- HERE in m/%.*s <-- HERE %s/", msg,
                                 (int)off, pat, pat + off);
    }
    return re;
}

int pmat_find_prepare(const struct pmat_heap *h, struct pmat_find_filter *f, struct pmat_error *err)
{
    (void)h;
    if (f->kind == PMAT_FIND_NUM && !f->want_iv && !f->want_uv && !f->want_nv)
        f->want_iv = f->want_uv = f->want_nv = 1;
    if (f->kind != PMAT_FIND_PV) return PMAT_OK;
    struct pmat_sb pat, upat;
    sb_init(&pat);
    sb_init(&upat);
    if (f->eq) {
        sb_putc(&pat, '^');
        quotemeta(f->pattern, &pat);
        sb_putc(&pat, '$');
    } else if (f->regexp) {
        sb_puts(&pat, f->pattern);
    } else {
        quotemeta(f->pattern, &pat);
    }
    int status = PMAT_OK;
    uint32_t opts = f->ignorecase ? PCRE2_CASELESS : 0;
    if (sb_failed(&pat)) status = pmat_error_set(err, PMAT_ENOMEM, "out of memory");
    if (status == PMAT_OK) f->re_bytes = compile(sb_str(&pat), pat.len, opts, err, &status);
    if (f->re_bytes) {
        latin1_to_utf8(pat.buf, pat.len, &upat);
        if (sb_failed(&upat))
            status = pmat_error_set(err, PMAT_ENOMEM, "out of memory");
        else
            f->re_utf8 =
                compile(sb_str(&upat), upat.len,
                        opts | PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, err, &status);
    }
    sb_free(&pat);
    sb_free(&upat);
    if (status == PMAT_OK) {
        f->md = pcre2_match_data_create(1, NULL);
        if (!f->md) status = pmat_error_set(err, PMAT_ENOMEM, "out of memory");
    }
    if (status != PMAT_OK) pmat_find_release(f);
    return status;
}

void pmat_find_release(struct pmat_find_filter *f)
{
    pcre2_code_free(f->re_bytes);
    pcre2_code_free(f->re_utf8);
    pcre2_match_data_free(f->md);
    f->re_bytes = f->re_utf8 = f->md = NULL;
}

/* ---- the predicates ---- */

/* Perl truth of an option string: unset, "" and "0" are false. */
static int str_true(const char *s)
{
    return s && *s && strcmp(s, "0");
}

static int str_is(struct pmat_str s, const char *want)
{
    size_t n = strlen(want);
    return s.defined && s.len == n && !memcmp(s.ptr, want, n);
}

/* A SCALAR to Devel::MAT: a scalar with at least one value (not an UNDEF). */
static int is_scalar_with_value(const struct pmat_heap *h, uint32_t sv, struct pmat_scalar *s)
{
    if (h->kind[sv] != PMAT_K_SCALAR || pmat_scalar(h, sv, s) < 0) return 0;
    return s->has_uv || s->has_iv || s->has_nv || s->has_pv;
}

static int test_num(const struct pmat_heap *h, const struct pmat_find_filter *f, uint32_t sv,
                    struct pmat_find_match *m)
{
    struct pmat_scalar s;
    if (!is_scalar_with_value(h, sv, &s)) return 0;
    const struct pmat_find_number *v = f->has_value ? &f->value : NULL;
    if (f->want_nv && s.has_nv) {
        if (v && !num_equal_nv(s.nv, v)) return 0;
        m->numkind = PMAT_FIND_N_NV;
        m->nv = s.nv;
        return 1;
    }
    if (f->want_iv && s.has_iv) {
        int64_t iv = (int64_t)s.uv;
        if (v && !num_equal_int(iv < 0, iv < 0 ? (uint64_t)0 - s.uv : s.uv, v)) return 0;
        m->numkind = PMAT_FIND_N_IV;
        m->iv_uv = s.uv;
        return 1;
    }
    if (f->want_uv && s.has_uv) {
        if (v && !num_equal_int(0, s.uv, v)) return 0;
        m->numkind = PMAT_FIND_N_UV;
        m->iv_uv = s.uv;
        return 1;
    }
    return 0;
}

static int test_pv(const struct pmat_heap *h, const struct pmat_find_filter *f, uint32_t sv)
{
    struct pmat_scalar s;
    if (!is_scalar_with_value(h, sv, &s) || !s.has_pv) return 0;
    const pcre2_code *re = (s.flags & PMAT_SF_UTF8) ? f->re_utf8 : f->re_bytes;
    int rc = pcre2_match(re, s.pv.ptr, s.pv.len, 0, 0, f->md, NULL);
    return rc >= 0;
}

static int test_cv(const struct pmat_heap *h, const struct pmat_find_filter *f, uint32_t sv)
{
    if (h->kind[sv] != PMAT_K_CODE) return 0;
    if (f->xsub && !(h->flags[sv] & PMAT_CF_XSUB)) return 0;
    if (str_true(f->package)) {
        uint32_t gv = h->glob_at[sv];
        struct pmat_glob g;
        if (gv == PMAT_NONE || pmat_glob(h, gv, &g) < 0) return 0;
        struct pmat_str name;
        if (!pmat_stash_name(h, pmat_sv_at(h, g.stash), &name) || !str_is(name, f->package))
            return 0;
    }
    if (str_true(f->file)) {
        const struct pmat_code_info *c = pmat_code(h, sv);
        if (!c || !str_is(c->file, f->file)) return 0;
    }
    return 1;
}

static int test_io(const struct pmat_heap *h, const struct pmat_find_filter *f, uint32_t sv,
                   struct pmat_find_match *m)
{
    struct pmat_io io;
    if (h->kind[sv] != PMAT_K_IO || pmat_io(h, sv, &io) < 0) return 0;
    m->ifileno = (int64_t)io.ifileno;
    m->ofileno = (int64_t)io.ofileno;
    if (!f->has_fileno) return 1;
    m->imatch = m->ifileno == f->fileno;
    m->omatch = m->ofileno == f->fileno;
    return m->imatch || m->omatch;
}

static int test_blessed(const struct pmat_heap *h, const struct pmat_find_filter *f, uint32_t sv,
                        struct pmat_find_match *m)
{
    if (h->blessed[sv] == PMAT_NONE) return 0;
    if (!pmat_stash_name(h, h->blessed[sv], &m->name) || !str_is(m->name, f->name)) return 0;
    return 1;
}

/* A PAD whose CODE has a lexical of that name (its first pad index with the
 * name) holding an SV: redirect to that SV.  Live when the pad's depth is at
 * most the CODE's current depth. */
static int test_lexical(const struct pmat_heap *h, const struct pmat_find_filter *f, uint32_t pad,
                        struct pmat_find_match *m)
{
    if (h->kind[pad] != PMAT_K_PAD) return 0;
    uint32_t cv = pmat_padcv(h, pad);
    const struct pmat_code_info *c = pmat_code(h, cv);
    if (!c) return 0;
    uint64_t ix = 0;
    for (uint64_t i = 1; i < c->npadnames && !ix; i++) {
        const struct pmat_padname *pn = pmat_code_padname(h, c, i);
        if (pn && str_is(pn->name, f->name)) ix = i;
    }
    if (!ix || ix >= pmat_array_count(h, pad)) return 0;
    uint32_t var = pmat_sv_at(h, pmat_array_elem(h, pad, ix));
    if (var == PMAT_NONE) return 0;
    int64_t depth = 0;
    for (uint32_t d = 1; d <= c->npads && !depth; d++)
        if (pmat_code_pad(h, c, d) == pad) depth = d;
    m->live = depth <= c->depth;
    if (!m->live && !f->inactive) return 0;
    m->sv = var;
    m->cv = cv;
    m->depth = depth;
    return 1;
}

static int test_struct(const struct pmat_heap *h, const struct pmat_find_filter *f, uint32_t sv,
                       struct pmat_find_match *m)
{
    const struct pmat_struct_type *st = pmat_struct_type_of(h, sv);
    if (!st || !str_is(st->name, f->name)) return 0;
    m->name = st->name;
    return 1;
}

static int test_magic(const struct pmat_heap *h, const struct pmat_find_filter *f, uint32_t sv,
                      struct pmat_find_match *m)
{
    const struct pmat_ext *x;
    uint64_t nx = pmat_exts_of(h, sv, &x);
    for (uint64_t i = 0; i < nx; i++) {
        struct pmat_magic mg;
        if (x[i].type != 0x80 || pmat_ext_magic(h, &x[i], &mg) < 0) continue;
        if (!mg.has_vtbl || mg.vtbl != f->vtbl) continue;
        m->magic_type = mg.type;
        m->magic_obj = pmat_sv_at(h, mg.obj);
        m->magic_ptr = pmat_sv_at(h, mg.ptr);
        return 1;
    }
    return 0;
}

int pmat_find_test(const struct pmat_heap *h, const struct pmat_find_filter *f, uint32_t sv,
                   struct pmat_find_match *m)
{
    memset(m, 0, sizeof *m);
    m->sv = sv;
    m->cv = m->magic_obj = m->magic_ptr = PMAT_NONE;
    if (sv == PMAT_NONE) return 0;
    switch (f->kind) {
    case PMAT_FIND_NUM:
        return test_num(h, f, sv, m);
    case PMAT_FIND_PV:
        return test_pv(h, f, sv);
    case PMAT_FIND_CV:
        return test_cv(h, f, sv);
    case PMAT_FIND_IO:
        return test_io(h, f, sv, m);
    case PMAT_FIND_BLESSED:
        return test_blessed(h, f, sv, m);
    case PMAT_FIND_LEXICAL:
        return test_lexical(h, f, sv, m);
    case PMAT_FIND_STRUCT:
        return test_struct(h, f, sv, m);
    case PMAT_FIND_MAGIC:
        return test_magic(h, f, sv, m);
    }
    return 0;
}
